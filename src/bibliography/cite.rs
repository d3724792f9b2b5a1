//! Pandoc's citation syntax in user Markdown (notes, definitions, pages):
//! `[@key]`, `[@key, p. 12]`, `[see @a; @b, 45–47]`, and the in-text
//! `@key [p. 12]`; and a `sources:` item that is `@key, p. 12`. Each is
//! expanded to Markdown (the style's short form, linked to the entry on the
//! bibliography page) before the Markdown is rendered; a key the
//! bibliography does not have is an error.

use crate::model::Bibliography;
use crate::suggest::did_you_mean;
use std::borrow::Cow;

/// One work cited, with its locator ("p. 12").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'a> {
    pub key: &'a str,
    pub locator: Option<&'a str>,
}

/// A citation found in Markdown: its byte range, its works, and whether it
/// is the in-text form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite<'a> {
    pub range: std::ops::Range<usize>,
    pub items: Vec<Item<'a>>,
    pub prose: bool,
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || "_:.#$%&-+?<>~/".contains(c)
}

/// The key at the start of `s` (after `@`): internal punctuation allowed,
/// trailing punctuation not part of it.
fn key_at(s: &str) -> &str {
    let end = s.find(|c: char| !is_key_char(c)).unwrap_or(s.len());
    let k = &s[..end];
    let first_ok = k
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    if !first_ok {
        return "";
    }
    k.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_')
}

/// One item of a bracketed citation: `[prefix] @key[, locator]`.
fn item(s: &str) -> Option<Item<'_>> {
    let at = s.find('@')?;
    let key = key_at(&s[at + 1..]);
    if key.is_empty() {
        return None;
    }
    let rest = s[at + 1 + key.len()..].trim();
    let locator = rest
        .strip_prefix(',')
        .map(str::trim)
        .filter(|l| !l.is_empty());
    Some(Item { key, locator })
}

/// Every citation in `md`, in order. `known` decides whether a bare `@key`
/// (no brackets, no locator) is a citation, so an e-mail address or a
/// handle written in a note stays text.
pub fn scan<'a>(md: &'a str, known: &dyn Fn(&str) -> bool) -> Vec<Cite<'a>> {
    let b = md.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = md[from..].find('@') {
        let at = from + i;
        from = at + 1;
        // Bracketed: the nearest `[` before on the same line, with no `]` between.
        let open = md[..at].rfind(['[', ']', '\n']).filter(|&o| b[o] == b'[');
        if let Some(open) = open {
            if open > 0 && b[open - 1] == b'[' {
                continue; // `[[…]]` is a reference, not a citation
            }
            let Some(len) = md[at..].find([']', '\n']) else {
                continue;
            };
            let close = at + len;
            if b[close] != b']' || matches!(b.get(close + 1), Some(b'(' | b'[')) {
                continue; // a Markdown link's label
            }
            let inner = &md[open + 1..close];
            let items: Option<Vec<Item>> = inner.split(';').map(item).collect();
            if let Some(items) = items {
                if out.last().is_none_or(|c: &Cite| c.range.end <= open) {
                    out.push(Cite {
                        range: open..close + 1,
                        items,
                        prose: false,
                    });
                }
                from = close + 1;
            }
            continue;
        }
        // In-text: `@key`, optionally followed by ` [locator]`.
        if at > 0
            && md[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '\\')
        {
            continue;
        }
        let key = key_at(&md[at + 1..]);
        if key.is_empty() {
            continue;
        }
        let mut end = at + 1 + key.len();
        let mut locator = None;
        if let Some(rest) = md[end..].strip_prefix(" [") {
            if let Some(len) = rest.find([']', '\n']) {
                if rest.as_bytes()[len] == b']' && !rest[..len].contains('@') {
                    locator = Some(rest[..len].trim()).filter(|l| !l.is_empty());
                    end += 2 + len + 1;
                }
            }
        }
        if locator.is_none() && !known(key) {
            continue;
        }
        out.push(Cite {
            range: at..end,
            items: vec![Item { key, locator }],
            prose: true,
        });
        from = end;
    }
    out
}

/// The keys cited in `md`, unknown ones included.
pub fn keys<'a>(md: &'a str, bib: &Bibliography) -> Vec<&'a str> {
    if !md.contains('@') {
        return Vec::new();
    }
    scan(md, &|k| bib.get(k).is_some())
        .into_iter()
        .flat_map(|c| c.items.into_iter().map(|i| i.key))
        .collect()
}

/// The works that `md` and a `sources:` list cite, each once, in the order
/// first cited, by their keys as the bibliography has them (unknown keys
/// left out).
pub fn cited<'b>(bib: &'b Bibliography, md: &str, sources: &[String]) -> Vec<&'b str> {
    let mut out: Vec<&str> = Vec::new();
    let from_sources = sources.iter().filter_map(|s| source_key(s));
    for k in keys(md, bib).into_iter().chain(from_sources) {
        if let Some(w) = bib.get(k) {
            let k = w.entry.key();
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}

/// An unknown key's message and help.
fn unknown(bib: &Bibliography, key: &str) -> (String, String) {
    let message = if bib.is_empty() {
        format!("@{key} is cited, but the site has no bibliography")
    } else {
        format!("@{key} names no work of the bibliography")
    };
    let help = did_you_mean(key, bib.keys()).unwrap_or_else(|| {
        "add the work to content/bibliography.bib (or .json, .yaml), or correct the key".into()
    });
    (message, help)
}

/// A citation whose key the bibliography does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The byte offset of the citation in the Markdown it was found in.
    pub at: usize,
    pub message: String,
    pub help: String,
}

/// Markdown with its citations expanded, and where each was.
#[derive(Debug)]
pub struct Expanded<'a> {
    pub md: Cow<'a, str>,
    /// Each citation written out: its range in the input and the length of
    /// what replaced it, in order.
    replaced: Vec<(std::ops::Range<usize>, usize)>,
}

impl Expanded<'_> {
    /// The offset in the input of byte `at` of the expanded Markdown (a byte
    /// of a written citation is the citation's own start), so a `[[…]]`
    /// found after the expansion is placed where the user wrote it.
    pub fn source_offset(&self, at: usize) -> usize {
        let mut delta = 0isize; // output offset minus input offset
        for (range, len) in &self.replaced {
            let start = range.start.saturating_add_signed(delta);
            if at < start {
                break;
            }
            if at < start + len {
                return range.start;
            }
            delta += *len as isize - range.len() as isize;
        }
        at.saturating_add_signed(-delta)
    }
}

/// `md` with its citations expanded to Markdown links to the bibliography
/// page (`prefix` leads to the site root); the unknown keys in `errors`.
/// Without a `@` nothing is copied.
pub fn expand<'a>(
    bib: &Bibliography,
    md: &'a str,
    prefix: &str,
    errors: &mut Vec<Unknown>,
) -> Expanded<'a> {
    let unchanged = |md| Expanded {
        md: Cow::Borrowed(md),
        replaced: Vec::new(),
    };
    if !md.contains('@') {
        return unchanged(md);
    }
    let cites = scan(md, &|k| bib.get(k).is_some());
    if cites.is_empty() {
        return unchanged(md);
    }
    let mut out = String::with_capacity(md.len() + 64);
    let mut replaced = Vec::with_capacity(cites.len());
    let mut last = 0;
    for c in cites {
        out.push_str(&md[last..c.range.start]);
        last = c.range.end;
        match render(bib, &c.items, c.prose, prefix) {
            Ok(s) => {
                out.push_str(&s);
                replaced.push((c.range, s.len()));
            }
            Err((message, help)) => {
                errors.push(Unknown {
                    at: c.range.start,
                    message,
                    help,
                });
                out.push_str(&md[c.range.clone()]);
            }
        }
    }
    out.push_str(&md[last..]);
    Expanded {
        md: Cow::Owned(out),
        replaced,
    }
}

fn render(
    bib: &Bibliography,
    items: &[Item],
    prose: bool,
    prefix: &str,
) -> Result<String, (String, String)> {
    let mut works = Vec::with_capacity(items.len());
    for i in items {
        match bib.get(i.key) {
            Some(w) => works.push((&w.entry, i.locator)),
            None => return Err(unknown(bib, i.key)),
        }
    }
    let f = bib
        .formatter()
        .map_err(|m| (m.to_string(), String::new()))?;
    let text = f.citation_md(&works, prose);
    Ok(format!(
        "[{text}]({prefix}bibliography.html#{})",
        super::anchor_id(items[0].key)
    ))
}

/// A `sources:` item: `@key` or `@key, p. 12` is a citation, anything else
/// plain Markdown, as it always was (an unknown key's `at` is 0, the item).
pub fn expand_source<'a>(
    bib: &Bibliography,
    s: &'a str,
    prefix: &str,
    errors: &mut Vec<Unknown>,
) -> Cow<'a, str> {
    let t = s.trim();
    let Some(rest) = t.strip_prefix('@') else {
        return Cow::Borrowed(s);
    };
    let key = key_at(rest);
    let tail = rest[key.len()..].trim();
    if key.is_empty() || !(tail.is_empty() || tail.starts_with(',')) {
        return Cow::Borrowed(s);
    }
    let locator = tail
        .strip_prefix(',')
        .map(str::trim)
        .filter(|l| !l.is_empty());
    match render(bib, &[Item { key, locator }], false, prefix) {
        Ok(md) => Cow::Owned(md),
        Err((message, help)) => {
            errors.push(Unknown {
                at: 0,
                message,
                help,
            });
            Cow::Borrowed(s)
        }
    }
}

/// The key a `sources:` item cites, if it is a citation.
pub fn source_key(s: &str) -> Option<&str> {
    let rest = s.trim().strip_prefix('@')?;
    let key = key_at(rest);
    let tail = rest[key.len()..].trim();
    (!key.is_empty() && (tail.is_empty() || tail.starts_with(','))).then_some(key)
}
