//! The one place where Markdown parser options are built, and the splitting
//! of YAML front matter from a Markdown file. Every caller (texts, pages,
//! notes, definitions) parses the same way.

use pulldown_cmark::{Options, Parser};

/// CommonMark plus tables, footnotes and smart punctuation (docs/formats.md).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_SMART_PUNCTUATION
}

pub fn parser(src: &str) -> Parser<'_> {
    Parser::new_ext(src, options())
}

/// A Markdown file split into its front matter and body.
pub struct FrontMatter<'a> {
    /// The YAML between the `---` lines, if there was front matter.
    pub yaml: Option<&'a str>,
    /// Line (1-based) of the file on which the YAML starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// Line (1-based) of the file on which the body starts.
    pub body_line: usize,
}

/// Error: the front matter was opened with `---` but never closed.
pub struct UnclosedFrontMatter;

pub fn split_front_matter(src: &str) -> Result<FrontMatter<'_>, UnclosedFrontMatter> {
    let first_line_end = src.find('\n').unwrap_or(src.len());
    if src[..first_line_end].trim_end() != "---" {
        return Ok(FrontMatter {
            yaml: None,
            yaml_line: 0,
            body: src,
            body_line: 1,
        });
    }
    let yaml_start = (first_line_end + 1).min(src.len());
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(src[yaml_start..].split_inclusive('\n')) {
        let trimmed = l.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + l.len();
            return Ok(FrontMatter {
                yaml: Some(&src[yaml_start..offset]),
                yaml_line: 2,
                body: &src[body_start.min(src.len())..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(UnclosedFrontMatter)
}

/// The deepest nesting of block quotes and lists a text may have. No text
/// that people read comes near it (a dozen levels is already rare); past
/// it, the Markdown analysis would spend time and memory growing with the
/// square of the depth (80,000 nested list items took 6 GB), so such a file
/// is refused with an error instead.
pub const MAX_NESTING: usize = 10_000;

/// The first line of `body` whose nesting of block quotes (`>`) and list
/// items (`-`, `*`, `+`, `1.`) goes past `max`: (line within `body`,
/// 1-based, and the column at which it does). The depth of a line counts
/// the markers at its start and, for a line inside nested items, its
/// indentation (two columns a level); a cheap upper bound, read in one pass
/// before the Markdown parser sees the text.
pub fn too_deep(body: &str, max: usize) -> Option<(usize, usize)> {
    for (n, line) in body.lines().enumerate() {
        let b = line.as_bytes();
        let mut i = 0;
        let mut indent = 0;
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            indent += if b[i] == b'\t' { 4 } else { 1 };
            i += 1;
        }
        let mut depth = indent / 2;
        loop {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            let marker_end = match b.get(i) {
                Some(b'>') => Some(i + 1),
                Some(b'-' | b'*' | b'+') if matches!(b.get(i + 1), None | Some(b' ' | b'\t')) => {
                    Some(i + 1)
                }
                Some(b'0'..=b'9') => {
                    let digits = b[i..]
                        .iter()
                        .take(10)
                        .take_while(|c| c.is_ascii_digit())
                        .count();
                    let after = i + digits;
                    (matches!(b.get(after), Some(b'.' | b')'))
                        && matches!(b.get(after + 1), None | Some(b' ' | b'\t')))
                    .then_some(after + 1)
                }
                _ => None,
            };
            let Some(end) = marker_end else { break };
            depth += 1;
            i = end;
            if depth > max {
                return Some((n + 1, line[..i].chars().count()));
            }
        }
        if depth > max {
            return Some((n + 1, 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_with_line_numbers() {
        let fm = split_front_matter("---\ntitle: A\n---\nBody\n")
            .ok()
            .unwrap();
        assert_eq!(fm.yaml, Some("title: A\n"));
        assert_eq!(fm.body, "Body\n");
        assert_eq!(fm.body_line, 4);
    }

    #[test]
    fn no_front_matter_keeps_whole_body() {
        let fm = split_front_matter("Just text\n").ok().unwrap();
        assert!(fm.yaml.is_none());
        assert_eq!(fm.body, "Just text\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split_front_matter("---\ntitle: A\nBody\n").is_err());
    }

    #[test]
    fn nesting_past_the_bound_is_found_at_its_line_and_column() {
        assert_eq!(
            too_deep("A paragraph.\n\n> quoted\n- item\n  1. sub\n", 3),
            None
        );
        let deep = format!("Text.\n\n{}item\n", "- ".repeat(5));
        assert_eq!(too_deep(&deep, 3), Some((3, 7)));
        let indented = format!("- a\n{}- b\n", " ".repeat(10));
        assert_eq!(too_deep(&indented, 3), Some((2, 11)));
        assert_eq!(too_deep("-1. not a list, 2024-1-1 neither\n", 0), None);
    }
}
