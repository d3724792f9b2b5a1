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
}
