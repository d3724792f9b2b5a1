//! `[[…]]` references (read by [`crate::parse::refs`]) expanded to ordinary
//! Markdown links, with URLs relative to the page they appear on, before the
//! Markdown of a note, definition or page is rendered, indexed or checked.

use super::{parse_target, Resolved, Target};
use crate::parse::refs::{escape_md, scan};
use crate::suggest::did_you_mean;

#[derive(Debug, Clone)]
pub struct RefError {
    /// E0320 for a `[[…]]` reference, E0342 for a citation.
    pub code: &'static str,
    /// The byte offset of the reference's `[[` (or the citation) in the
    /// Markdown as written.
    pub at: usize,
    pub message: String,
    pub help: String,
}

/// Expands every citation and reference in `md`. `from` is the text whose
/// page the Markdown appears on (for `[[#id]]`), `prefix` leads from that
/// page to the site root ("" or "../").
pub fn expand(
    resolved: &Resolved,
    from: Option<usize>,
    md: &str,
    prefix: &str,
) -> (String, Vec<RefError>) {
    let mut unknown = Vec::new();
    let cited =
        crate::bibliography::cite::expand(&resolved.corpus.bibliography, md, prefix, &mut unknown);
    let mut errors: Vec<RefError> = unknown
        .into_iter()
        .map(|u| RefError {
            code: "E0342",
            at: u.at,
            message: u.message,
            help: u.help,
        })
        .collect();
    let md = cited.md.as_ref();
    let refs = scan(md);
    if refs.is_empty() {
        return (md.to_string(), errors);
    }
    let mut out = String::with_capacity(md.len() + 64);
    let mut last = 0;
    let corpus = resolved.corpus;
    for (range, inner) in refs {
        let range: std::ops::Range<usize> = range;
        out.push_str(&md[last..range.start]);
        last = range.end;
        let (target, label) = match inner.split_once('|') {
            Some((t, l)) => (t.trim(), Some(l.trim())),
            None => (inner.trim(), None),
        };
        let link = if !target.contains('#') {
            if let Some(term) = resolved.term_index(target).map(|i| &corpus.glossary[i]) {
                Some((
                    label.unwrap_or(&term.term).to_string(),
                    format!("{prefix}glossary.html#{}", term.id),
                ))
            } else if let Some(t) = resolved.text_index(target).map(|i| &corpus.texts[i]) {
                Some((
                    label.unwrap_or(t.short_title()).to_string(),
                    format!("{prefix}texts/{}.html", t.slug),
                ))
            } else if corpus.broken.glossary || corpus.broken.texts.contains(target) {
                None
            } else {
                let candidates = corpus
                    .glossary
                    .iter()
                    .map(|t| t.id.as_str())
                    .chain(corpus.texts.iter().map(|t| t.slug.as_str()));
                errors.push(RefError {
                    code: "E0320",
                    at: cited.source_offset(range.start),
                    message: format!("[[{inner}]] names no glossary entry or text"),
                    help: did_you_mean(target, candidates).unwrap_or_else(|| {
                        "use a glossary id, a text slug, text-slug#pN, or #note-id".into()
                    }),
                });
                None
            }
        } else {
            match parse_target(resolved, from, target) {
                Ok(t) => {
                    let ti = t.text();
                    let text = &corpus.texts[ti];
                    let same = from == Some(ti);
                    let default_label = match &t {
                        Target::Text { .. } => text.short_title().to_string(),
                        Target::Paragraph { number, .. } if same => format!("¶ {number}"),
                        Target::Paragraph { number, .. } => {
                            format!("{} ¶ {number}", text.short_title())
                        }
                        Target::Note { id, .. } => {
                            let n = corpus
                                .annotations
                                .get(&text.slug)
                                .and_then(|a| resolved.texts[ti].note_number(id, a))
                                .unwrap_or(0);
                            if same {
                                format!("note {n}")
                            } else {
                                format!("{}, note {n}", text.short_title())
                            }
                        }
                        Target::Link { id, .. } => {
                            if same {
                                format!("#{id}")
                            } else {
                                format!("{} #{id}", text.short_title())
                            }
                        }
                    };
                    let url = if same {
                        t.fragment()
                    } else {
                        format!("{prefix}texts/{}.html{}", text.slug, t.fragment())
                    };
                    Some((label.map(str::to_string).unwrap_or(default_label), url))
                }
                Err(None) => None,
                Err(Some((message, help))) => {
                    errors.push(RefError {
                        code: "E0320",
                        at: cited.source_offset(range.start),
                        message: format!("[[{inner}]]: {message}"),
                        help: help
                            .unwrap_or_else(|| "check the text slug and the id after #".into()),
                    });
                    None
                }
            }
        };
        match link {
            Some((label, url)) => {
                out.push('[');
                out.push_str(&escape_md(&label));
                out.push_str("](");
                out.push_str(&url.replace(' ', "%20").replace(')', "%29"));
                out.push(')');
            }
            None => out.push_str(&escape_md(inner)),
        }
    }
    out.push_str(&md[last..]);
    (out, errors)
}
