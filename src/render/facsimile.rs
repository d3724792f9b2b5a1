//! A page's facsimile on the reader page: beside the page mark, a link to
//! the image (copied to `facsimiles/` of the published site), which works
//! without JavaScript, carrying the image's pixel size and alt text so a
//! viewer can size it before it loads; and the copied images themselves.

use super::escape::push_escaped;
use crate::model::{Corpus, Facsimile, PageImage};
use crate::output::OutputFile;
use std::fmt::Write as _;

/// `path` (checked by `parse` to stay below `content/facsimiles/`) as a URL
/// path: each byte outside the unreserved set and `/` percent-encoded.
pub(super) fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The link from a reader page (in `texts/`) to page `label`'s facsimile.
pub(super) fn push_link(out: &mut String, label: &str, img: &PageImage, f: &Facsimile) {
    out.push_str("<a class=\"page-facsimile\" href=\"../facsimiles/");
    push_escaped(out, &url_path(&img.path));
    let _ = write!(
        out,
        "\" type=\"{}\" data-width=\"{}\" data-height=\"{}\" data-alt=\"",
        f.size.kind.mime(),
        f.size.width,
        f.size.height
    );
    push_escaped(out, &img.alt);
    out.push_str("\" aria-label=\"Facsimile of page ");
    push_escaped(out, label);
    out.push_str("\">&#x25a4;</a>");
}

/// Every facsimile a page names, as a file of the published site.
pub fn files(corpus: &Corpus) -> Vec<OutputFile> {
    corpus
        .facsimiles
        .iter()
        .map(|(path, f)| OutputFile {
            path: format!("facsimiles/{path}"),
            bytes: f.bytes.as_ref().clone(),
        })
        .collect()
}
