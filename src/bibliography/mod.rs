//! The site's bibliography written out: Pandoc's citation syntax and its
//! expansion to Markdown before a note, definition or page is rendered
//! (`cite.rs`), citations and entries formatted by the site's CSL style
//! with an escaping writer (`format.rs`), and the CSL-JSON export
//! (`export.rs`). The works are read by `parse::bibliography`, the
//! site-wide checks are `resolve::bibliography`'s (docs/bibliography.md).

pub mod cite;
mod export;
pub mod format;
pub use export::csl_json;

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
