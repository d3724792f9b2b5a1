//! The `pages:` of an annotation file: the printed source's page labels,
//! each with the words its page begins with, and `pages_start:`. What one
//! file can tell is checked here (an empty label, a label given twice or two
//! labels that make the same `#page-…` address); where each page begins in
//! the text, and whether the pages come in the text's order, is `resolve`'s.

use super::yaml::{pos_of, Scalar, Spanned};
use super::{anchor_of, PageYaml};
use crate::diagnostics::{Diagnostic, Report};
use crate::model::{page_id, Annotations, PageBreak, Pos};
use std::collections::BTreeMap;

/// Fills `out.pages` and `out.pages_start`, leaving out (and reporting) a
/// page whose label is empty or already taken.
pub(super) fn parse_pages(
    file: &str,
    pages: Vec<PageYaml>,
    start: Option<Spanned<Scalar>>,
    out: &mut Annotations,
    report: &mut Report,
) {
    // Page id -> (the label as written, its line), so a label given twice,
    // or two labels that make the same address, is reported at the second.
    let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut take = |label: &str, pos: Pos, key: &str, report: &mut Report| -> bool {
        let id = page_id(label);
        if !id.chars().any(char::is_alphanumeric) {
            report.push(
                Diagnostic::error(
                    "E0355",
                    file,
                    format!("the page label `{}` has no letter or digit", label.trim()),
                )
                .at(pos.line, pos.column)
                .help(format!("write the page's number as the source prints it under `{key}`, e.g. `{key}: \"5\"` or `{key}: \"xiv\"`")),
            );
            return false;
        }
        if let Some((first, line)) = seen.get(&id) {
            let same = if first.trim() == label.trim() {
                format!("the page `{}` is listed twice", label.trim())
            } else {
                format!(
                    "the pages `{}` and `{}` would have the same address, #page-{id}",
                    first.trim(),
                    label.trim()
                )
            };
            report.push(
                Diagnostic::error("E0354", file, same)
                    .at(pos.line, pos.column)
                    .help(format!("the first is on line {line}; each page of the source is listed once, with its own label (labels differ by more than spaces or punctuation)")),
            );
            return false;
        }
        seen.insert(id, (label.to_string(), pos.line));
        true
    };
    if let Some(s) = start {
        let pos = pos_of(&s);
        if take(&s.value.0, pos, "pages_start", report) {
            out.pages_start = Some((s.value.0.trim().to_string(), pos));
        }
    }
    for p in pages {
        let n_pos = pos_of(&p.n);
        if !take(&p.n.value.0, n_pos, "n", report) {
            continue;
        }
        let image = super::facsimile::page_image(file, &p, n_pos, report);
        out.pages.push(PageBreak {
            n: p.n.value.0.trim().to_string(),
            n_pos,
            starts_pos: pos_of(&p.starts),
            starts: anchor_of(p.starts.value),
            image,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Report;
    use crate::load::SourceFile;

    fn parse(yaml: &str) -> (crate::model::Annotations, Report) {
        let f = SourceFile {
            rel: "content/annotations/a.yaml".into(),
            stem: "a".into(),
            text: yaml.into(),
        };
        let mut report = Report::default();
        let a = super::super::parse_annotations(&f, &mut report).expect("the file parses");
        (a, report)
    }

    #[test]
    fn pages_are_read_with_their_labels_as_written() {
        let (a, report) = parse(
            "pages_start: iv\npages:\n  - n: 5\n    starts: \"The cat\"\n  - n: \"12a\"\n    starts: { quote: cat, prefix: \"the \" }\n",
        );
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        assert_eq!(a.pages_start.as_ref().map(|s| s.0.as_str()), Some("iv"));
        let labels: Vec<&str> = a.pages.iter().map(|p| p.n.as_str()).collect();
        assert_eq!(labels, ["5", "12a"]);
        assert_eq!(a.pages[1].starts.prefix.as_deref(), Some("the "));
        assert_eq!((a.pages[0].n_pos.line, a.pages[1].starts_pos.line), (3, 6));
    }

    #[test]
    fn a_label_twice_or_without_a_digit_is_an_error_at_its_line() {
        let (a, report) = parse(
            "pages_start: \"5\"\npages:\n  - n: 5\n    starts: a\n  - n: \"1 2\"\n    starts: b\n  - n: \"1/2\"\n    starts: c\n  - n: \"*\"\n    starts: d\n",
        );
        let got: Vec<(&str, usize)> = report
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line))
            .collect();
        assert_eq!(got, [("E0354", 3), ("E0354", 7), ("E0355", 9)]);
        assert!(report.diagnostics[0].message.contains("listed twice"));
        assert!(report.diagnostics[1].message.contains("#page-1-2"));
        assert!(report.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("line 1"));
        assert_eq!(a.pages.len(), 1);
    }
}
