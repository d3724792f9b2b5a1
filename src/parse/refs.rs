//! `[[…]]` references in notes, definitions and pages (docs/formats.md):
//! `[[glossary-id]]`, `[[text-slug]]`, `[[text-slug#p4]]`,
//! `[[text-slug#note-or-link-id]]`, `[[#id]]` within the same text, each with
//! an optional `|label`. This file reads their syntax, which needs nothing
//! but the Markdown; `crate::resolve` expands them to ordinary Markdown
//! links once the site's texts, notes and glossary are known.

/// Each `[[…]]` in `md`: (byte range including brackets, inner text). A
/// reference ends at the first `]]` after its `[[`; one that meets a line
/// break or another `[[` first is no reference (the later `[[` may start
/// one). One pass over the bytes: note bodies are scanned three times a
/// build (checked, rendered, indexed), and a search for `[[` then `]]` with
/// `str::find` set up a two-way searcher for each.
pub fn scan(md: &str) -> Vec<(std::ops::Range<usize>, &str)> {
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

/// Where each `[[…]]` of `md` stands in `src`, the YAML file that holds
/// `md` as a value starting on line `value_line` (whose first byte is at
/// `line_start` of `src`, from [`line_starts`]): (byte offset in `md`,
/// line and column in `src`). Each reference is looked for as written, in
/// order, from the value's line on, so an error names the line of the
/// reference itself, whatever the YAML style of the value (plain, quoted,
/// `|` or `>`). A reference written with escapes is not found and keeps no
/// position (the caller falls back to the value's own).
pub fn positions_in(
    src: &str,
    value_line: usize,
    line_start: usize,
    md: &str,
) -> Vec<(usize, crate::model::Pos)> {
    let refs = scan(md);
    let mut cursor = line_start.min(src.len());
    // The line of `counted`, a byte offset that only moves forward.
    let (mut line, mut counted) = (value_line.max(1), cursor);
    let mut out = Vec::new();
    for (range, _) in refs {
        let Some(i) = src[cursor..].find(&md[range.clone()]) else {
            continue;
        };
        let hit = cursor + i;
        line += src[counted..hit].bytes().filter(|&b| b == b'\n').count();
        counted = hit;
        let line_at = src[..hit].rfind('\n').map_or(0, |k| k + 1);
        let column = src[line_at..hit].chars().count() + 1;
        out.push((range.start, crate::model::Pos { line, column }));
        cursor = hit + range.len();
    }
    out
}

/// The byte offset at which each line of `src` starts (line 1 at index 0).
pub fn line_starts(src: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(src.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
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
    fn labels_cannot_inject_markdown() {
        assert_eq!(escape_md("a](javascript:x)"), "a\\]\\(javascript\\:x\\)");
    }
}
