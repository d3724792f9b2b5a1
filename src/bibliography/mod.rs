//! The site's bibliography: the works of `content/bibliography.bib`
//! (BibLaTeX/BibTeX), `bibliography.json` (CSL-JSON) and
//! `bibliography.yaml` (Hayagriva YAML), read into one list of hayagriva
//! entries with the place each was defined, so a malformed file, a key
//! defined twice or a citation of an unknown key can name file and line.
//! Formatting lives in `format.rs`, the citation syntax in `cite.rs`
//! (docs/bibliography.md has why hayagriva).

mod check;
pub mod cite;
mod export;
pub use check::check;
pub use export::csl_json;
mod csl_json;
pub mod format;

use crate::diagnostics::{Diagnostic, Report};
use crate::load::SourceFile;
use crate::model::Site;
use hayagriva::Entry;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One work, with where it was defined.
#[derive(Debug, Clone)]
pub struct Work {
    pub entry: Entry,
    pub file: String,
    pub line: usize,
}

/// Every work of the site, in the order of the files (`.bib`, `.json`,
/// `.yaml`) and of the entries in each.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    pub works: Vec<Work>,
    by_key: HashMap<String, usize>,
    /// The style's name (`chicago-notes`, `mla`, `apa`, or a `.csl` file).
    pub style: String,
    /// The text of a `.csl` style file of the site, when the style names one.
    style_file: Option<(String, String)>,
    locale: String,
    formatter: OnceLock<Result<format::Formatter, String>>,
}

impl Bibliography {
    pub fn is_empty(&self) -> bool {
        self.works.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Work> {
        self.by_key.get(key).map(|&i| &self.works[i])
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.works.iter().map(|w| w.entry.key())
    }

    /// The formatter of the site's style, made once; an unknown style or a
    /// `.csl` file that does not parse is the error message.
    pub fn formatter(&self) -> Result<&format::Formatter, &str> {
        self.formatter
            .get_or_init(|| {
                format::Formatter::new(&self.style, self.style_file.as_ref(), &self.locale)
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

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
        locale: site
            .citation_locale
            .clone()
            .unwrap_or_else(|| site.language.clone()),
        ..Bibliography::default()
    };
    if let Some(f) = files
        .iter()
        .find(|f| f.rel.ends_with(".csl") && f.rel.trim_start_matches("content/") == b.style)
    {
        b.style_file = Some((f.rel.clone(), f.text.clone()));
    }
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
        if let Err(message) = b.formatter() {
            report.push(
                Diagnostic::error("E0343", "content/site.yaml", message.to_string()).help(
                    "use chicago-notes, mla, apa, another bundled CSL style's name, or a .csl file in content/",
                ),
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

fn read_bib(f: &SourceFile, report: &mut Report) -> Vec<Entry> {
    match hayagriva::io::from_biblatex_str(&f.text) {
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
                    .at(line_of(&f.text, span.start), 1)
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

/// The HTML id of a work on the bibliography page: `bib-` and its key, with
/// any character an id or a URL's fragment would need escaped as `-`.
pub fn anchor_id(key: &str) -> String {
    let mut id = String::with_capacity(key.len() + 4);
    id.push_str("bib-");
    id.extend(key.chars().map(|c| {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            c
        } else {
            '-'
        }
    }));
    id
}

#[cfg(test)]
mod tests;
