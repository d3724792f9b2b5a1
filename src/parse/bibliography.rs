//! The site's bibliography read: the works of `content/bibliography.bib`
//! (BibLaTeX/BibTeX), `bibliography.json` (CSL-JSON, mapped in
//! `csl_json.rs`) and `bibliography.yaml` (Hayagriva YAML), read into one
//! list of hayagriva entries with the place each was defined, so a
//! malformed file, a key defined twice or a citation of an unknown key can
//! name file and line; and the site's CSL style and locale parsed
//! (`citation_style.rs`). Formatting is `crate::bibliography`'s
//! (docs/bibliography.md has why hayagriva).

use super::csl_json;
use crate::diagnostics::{Diagnostic, Report};
use crate::load::SourceFile;
use crate::model::{Bibliography, Site, Work};
use hayagriva::Entry;

/// The 1-based line of byte `at` of `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Where `key` is defined in a file of `kind`: the first place it appears
/// as a key (`{key,` in BibLaTeX, `"key"` in JSON, `key:` at a line's start
/// in YAML); line 1 if it cannot be found.
fn line_of_key(text: &str, key: &str, ext: &str) -> usize {
    let needles = match ext {
        "bib" => vec![
            format!("{{{key},"),
            format!("{{{key}\n"),
            format!("{{ {key},"),
        ],
        "json" => vec![format!("\"{key}\"")],
        _ => vec![format!("\n{key}:"), format!("{key}:")],
    };
    needles
        .iter()
        .filter_map(|n| {
            text.find(n.as_str())
                .map(|i| i + usize::from(n.starts_with('\n')))
        })
        .min()
        .map(|i| line_of(text, i))
        .unwrap_or(1)
}

/// Reads the bibliography files `load` found; each problem is reported with
/// its file and line and the file's entries are skipped.
pub fn read(files: &[SourceFile], site: &Site, report: &mut Report) -> Bibliography {
    let mut b = Bibliography {
        style: site
            .citation_style
            .clone()
            .unwrap_or_else(|| "chicago-notes".into()),
        source: crate::hash::fingerprint(
            &files.iter().map(|f| (&f.rel, &f.text)).collect::<Vec<_>>(),
        ),
        ..Bibliography::default()
    };
    let locale = site
        .citation_locale
        .clone()
        .unwrap_or_else(|| site.language.clone());
    let style_file = files
        .iter()
        .find(|f| f.rel.ends_with(".csl") && f.rel.trim_start_matches("content/") == b.style)
        .map(|f| (f.rel.clone(), f.text.clone()));
    // `.bib`, then `.json`, then `.yaml`, whatever order the folder lists them.
    for ext in ["bib", "json", "yaml"] {
        for f in files.iter().filter(|f| f.rel.ends_with(&format!(".{ext}"))) {
            let entries = match ext {
                "bib" => read_bib(f, report),
                "json" => csl_json::read(f, report),
                _ => read_yaml(f, report),
            };
            for entry in entries.into_iter().map(with_short_title) {
                let line = line_of_key(&f.text, entry.key(), ext);
                if let Some(&i) = b.by_key.get(entry.key()) {
                    let first = &b.works[i];
                    report.push(
                        Diagnostic::error(
                            "E0340",
                            f.rel.clone(),
                            format!(
                                "the bibliography key `{}` is defined twice: here and in {} line {}",
                                entry.key(),
                                first.file,
                                first.line
                            ),
                        )
                        .at(line, 1)
                        .help("give one of the two works another key, or remove the copy"),
                    );
                    continue;
                }
                b.by_key.insert(entry.key().to_string(), b.works.len());
                b.works.push(Work {
                    entry,
                    file: f.rel.clone(),
                    line,
                });
            }
        }
    }
    if !b.works.is_empty() {
        b.formatter = Some(super::citation_style::formatter(
            &b.style,
            style_file.as_ref(),
            &locale,
        ));
        if let Err(message) = b.formatter() {
            report.push(
                Diagnostic::error("E0343", "content/site.yaml", message.to_string()).help(format!(
                    "name a bundled style ({}) or a .csl file in content/",
                    super::citation_style::style_names()
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    b
}

/// A work without a short title gets the part of its title before a colon
/// (what citeproc-js does too), so a short note reads "Lüthi, *The
/// Sino-Soviet Split*, 80" rather than repeating the subtitle.
fn with_short_title(mut e: Entry) -> Entry {
    if let Some(t) = e.title() {
        if t.short.is_none() {
            let full = t.value.to_str().into_owned();
            if let Some((main, _)) = full.split_once(": ") {
                let mut t = t.clone();
                t.short = Some(Box::new(hayagriva::types::ChunkedString::from(
                    main.trim().to_string(),
                )));
                e.set_title(t);
            }
        }
    }
    e
}

/// The fields BibLaTeX takes verbatim: addresses and identifiers, whose
/// characters are the characters written (`is_verbatim_field` of the
/// biblatex crate).
const VERBATIM_FIELDS: &[&str] = &[
    "doi", "eprint", "file", "pdf", "uri", "url", "urlraw", "verba", "verbb", "verbc",
];

/// `text` with an empty group between every two hyphens in a row of a
/// verbatim field (`a-{}-b`): the biblatex crate makes `--` an en dash and
/// `---` an em dash in every field, in an address too
/// (`https://example.org/a--b` became `a–b`, and its link went elsewhere),
/// and reads the group as nothing, so the field keeps its hyphens. No line
/// moves, so a message's line is the same in either text. A file that does
/// not parse is left as it is (reading it reports why).
fn keep_verbatim_hyphens(text: &str) -> std::borrow::Cow<'_, str> {
    let Ok(raw) = biblatex::RawBibliography::parse(text) else {
        return text.into();
    };
    let mut after: Vec<usize> = raw
        .entries
        .iter()
        .flat_map(|e| &e.v.fields)
        .filter(|p| {
            VERBATIM_FIELDS
                .iter()
                .any(|k| p.key.v.eq_ignore_ascii_case(k))
        })
        .flat_map(|p| &p.value.v)
        .filter(|c| matches!(c.v, biblatex::RawChunk::Normal(_)))
        .flat_map(|c| {
            let b = text.as_bytes();
            c.span
                .clone()
                .filter(move |&i| b[i] == b'-' && b.get(i + 1) == Some(&b'-'))
                .map(|i| i + 1)
        })
        .collect();
    if after.is_empty() {
        return text.into();
    }
    after.sort_unstable();
    let mut out = String::with_capacity(text.len() + 2 * after.len());
    let mut from = 0;
    for i in after {
        out.push_str(&text[from..i]);
        out.push_str("{}");
        from = i;
    }
    out.push_str(&text[from..]);
    out.into()
}

fn read_bib(f: &SourceFile, report: &mut Report) -> Vec<Entry> {
    let text = keep_verbatim_hyphens(&f.text);
    match hayagriva::io::from_biblatex_str(&text) {
        Ok(lib) => lib.into_iter().collect(),
        Err(errors) => {
            for e in errors {
                let (span, message) = match &e {
                    hayagriva::io::BibLaTeXError::Parse(p) => (p.span.clone(), p.kind.to_string()),
                    hayagriva::io::BibLaTeXError::Type(t) => (t.span.clone(), t.kind.to_string()),
                };
                report.push(
                    Diagnostic::error(
                        "E0341",
                        f.rel.clone(),
                        format!("this BibLaTeX file does not parse: {message}"),
                    )
                    .at(line_of(&text, span.start), 1)
                    .help("each entry is @type{key, field = {value}, …}; export the library again, or correct the entry"),
                );
            }
            Vec::new()
        }
    }
}

fn read_yaml(f: &SourceFile, report: &mut Report) -> Vec<Entry> {
    match hayagriva::io::from_yaml_str(&f.text) {
        Ok(lib) => lib.into_iter().collect(),
        Err(e) => {
            let line = e.location().map(|l| l.line()).unwrap_or(1);
            report.push(
                Diagnostic::error(
                    "E0341",
                    f.rel.clone(),
                    format!("this Hayagriva YAML file does not parse: {e}"),
                )
                .at(line, 1)
                .help("each work is `key:` followed by its fields (type, title, author, date, …)"),
            );
            Vec::new()
        }
    }
}
