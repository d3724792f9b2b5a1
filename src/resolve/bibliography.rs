//! The site-wide checks of citations: a `sources:` item that cites an
//! unknown key (the Markdown bodies' citations are checked with their
//! `[[…]]` references), a work nothing cites, and a plain-text source that
//! names a work of the bibliography by its title, which could cite it by key.

use crate::bibliography::cite;
use crate::diagnostics::{Diagnostic, Report};
use crate::model::Pos;
use crate::resolve::Resolved;
use std::collections::HashSet;

pub fn check(r: &Resolved, report: &mut Report) {
    let bib = &r.corpus.bibliography;
    let mut cited: HashSet<&str> = HashSet::new();
    let titles = bib.matchable_titles();
    let mut sources = |file: &str, what: &str, pos: Pos, list: &[String], report: &mut Report| {
        for s in list {
            let mut errors = Vec::new();
            cite::expand_source(bib, s, "", &mut errors);
            for u in errors {
                report.push(
                    Diagnostic::error(
                        "E0342",
                        file.to_string(),
                        format!("in {what}: {}", u.message),
                    )
                    .at(pos.line, pos.column)
                    .help(u.help),
                );
            }
            if let Some(k) = cite::source_key(s) {
                cited.insert(bib.get(k).map(|w| w.entry.key()).unwrap_or(""));
                continue;
            }
            let lower = s.to_lowercase();
            if let Some((_, key)) = titles.iter().find(|(t, _)| lower.contains(t.as_str())) {
                report.push(
                    Diagnostic::warning(
                        "W0341",
                        file.to_string(),
                        format!("in {what}: this source names a work of the bibliography"),
                    )
                    .at(pos.line, pos.column)
                    .help(format!("cite it by key, as \"@{key}\" (add \", p. 12\" for a page), so its form follows the style; `scholion import sources` converts every such source at once")),
                );
            }
        }
    };
    for ti in 0..r.corpus.texts.len() {
        let Some(ann) = r.annotations(ti) else {
            continue;
        };
        for n in &ann.notes {
            sources(
                &ann.file,
                &format!("note `{}`", n.id),
                n.id_pos,
                &n.sources,
                report,
            );
        }
    }
    for t in &r.corpus.glossary {
        let what = format!("glossary entry `{}`", t.id);
        sources(&r.corpus.glossary_file, &what, t.id_pos, &t.sources, report);
    }
    if bib.is_empty() {
        return;
    }
    // Each work cited in a note, definition or page, by its own key.
    let mut cite_in = |md: &str| {
        let keys = cite::keys(md, bib).into_iter();
        cited.extend(keys.filter_map(|k| bib.get(k).map(|w| w.entry.key())));
    };
    for ann in r.corpus.annotations.values() {
        ann.bodies().iter().for_each(|b| cite_in(b));
    }
    r.corpus
        .glossary
        .iter()
        .for_each(|t| cite_in(&t.definition));
    r.corpus.pages.iter().for_each(|p| cite_in(&p.body));
    for w in &bib.works {
        if !cited.contains(w.entry.key()) {
            report.push(
                Diagnostic::warning(
                    "W0340",
                    w.file.clone(),
                    format!("the work `{}` is never cited", w.entry.key()),
                )
                .at(w.line, 1)
                .help("cite it as [@key] in a note, definition or page, or as \"@key\" in sources; it is still listed in the bibliography"),
            );
        }
    }
}
