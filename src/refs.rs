//! `[[…]]` references in notes, definitions and pages (DESIGN.md §1):
//! `[[glossary-id]]`, `[[text-slug]]`, `[[text-slug#p4]]`,
//! `[[text-slug#note-or-link-id]]`, `[[#id]]` within the same text, each with
//! an optional `|label`. They are expanded to ordinary Markdown links before
//! the Markdown is rendered, with URLs relative to the page they appear on.

use crate::resolve::{parse_target, Resolved, Target};

#[derive(Debug, Clone)]
pub struct RefError {
    pub message: String,
    pub help: String,
}

/// Each `[[…]]` in `md`: (byte range including brackets, inner text). A
/// reference ends at the first `]]` after its `[[`; one that meets a line
/// break or another `[[` first is no reference (the later `[[` may start
/// one). One pass over the bytes: note bodies are scanned three times a
/// build (checked, rendered, indexed), and a search for `[[` then `]]` with
/// `str::find` set up a two-way searcher for each.
fn scan(md: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let b = md.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    // The next `[`, found a word at a time (`str::find` of a char is memchr).
    while let Some(i) = md[from..].find('[') {
        let mut start = from + i;
        if b.get(start + 1) != Some(&b'[') {
            from = start + 1;
            continue;
        }
        // Inside a reference: up to `]]`, unless a line break or `[[` comes first.
        let mut k = start + 2;
        from = loop {
            match b.get(k..k + 2) {
                None => return out,
                Some(b"]]") => {
                    out.push((start..k + 2, &md[start + 2..k]));
                    break k + 2;
                }
                Some(b"[[") => {
                    start = k;
                    k += 2;
                }
                Some([b'\n', _]) => break k + 1,
                Some(_) => k += 1,
            }
        };
    }
    out
}

/// Glossary ids named by `[[id]]` references (no `#`).
pub fn glossary_ids(md: &str) -> Vec<String> {
    scan(md)
        .into_iter()
        .map(|(_, inner)| inner.split('|').next().unwrap_or("").trim())
        .filter(|t| !t.contains('#') && !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// What each `[[…]]` reference in `md` names before any `#`: a text slug
/// or a glossary id (`[[#id]]`, within the same text, names nothing).
pub fn named(md: &str) -> Vec<&str> {
    scan(md)
        .into_iter()
        .map(|(_, inner)| {
            let target = inner.split('|').next().unwrap_or("");
            target.split('#').next().unwrap_or("").trim()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Backslash-escapes Markdown punctuation so a label stays literal text.
pub fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Expands every reference in `md`. `from` is the text whose page the
/// Markdown appears on (for `[[#id]]`), `prefix` leads from that page to the
/// site root ("" or "../").
pub fn expand(
    resolved: &Resolved,
    from: Option<usize>,
    md: &str,
    prefix: &str,
) -> (String, Vec<RefError>) {
    let refs = scan(md);
    if refs.is_empty() {
        return (md.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(md.len() + 64);
    let mut errors = Vec::new();
    let mut last = 0;
    let corpus = resolved.corpus;
    for (range, inner) in refs {
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

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// "did you mean `x`?" for the closest candidate within a few edits.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .map(|c| (levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan as first written, with `str::find`.
    fn scan_by_find(md: &str) -> Vec<(std::ops::Range<usize>, &str)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(i) = md[from..].find("[[") {
            let start = from + i;
            let Some(j) = md[start + 2..].find("]]") else {
                break;
            };
            let inner = &md[start + 2..start + 2 + j];
            if inner.contains('\n') || inner.contains("[[") {
                from = start + 2;
                continue;
            }
            out.push((start..start + 2 + j + 2, inner));
            from = start + 2 + j + 2;
        }
        out
    }

    #[test]
    fn the_scan_finds_what_find_found() {
        let pieces = [
            "[", "]", "[[", "]]", "a", "b#p3", "|", "\n", " ", "\u{e9}", "[[x]]",
        ];
        let mut rng = crate::testing::Rng::new(0x2545_f491_4f6c_dd1du64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..20000 {
            let len = next(16);
            let md: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
            assert_eq!(scan(&md), scan_by_find(&md), "{md:?}");
        }
    }

    #[test]
    fn scan_finds_references_with_labels() {
        let found: Vec<&str> = scan("see [[a]] and [[b#p3|B]] but not [[x\ny]]")
            .into_iter()
            .map(|r| r.1)
            .collect();
        assert_eq!(found, vec!["a", "b#p3|B"]);
    }

    #[test]
    fn suggestions_for_typos() {
        assert_eq!(
            did_you_mean("revisionsm", ["revisionism", "dogmatism"].into_iter()).as_deref(),
            Some("did you mean `revisionism`?")
        );
        assert_eq!(did_you_mean("zzz", ["revisionism"].into_iter()), None);
    }

    #[test]
    fn labels_cannot_inject_markdown() {
        assert_eq!(escape_md("a](javascript:x)"), "a\\]\\(javascript\\:x\\)");
    }
}
