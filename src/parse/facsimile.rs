//! A page's facsimile, `image:` and `alt:` in `pages:`: the path checked to
//! name a file under `content/facsimiles/` (no `..`, no absolute path, no
//! URL), the alt text required, and then, once every annotation file is
//! read, each named image checked to exist and to be a PNG, JPEG or WebP
//! file, whose pixel size is kept for the reader page's `<img>`.

use super::yaml::pos_of;
use super::PageYaml;
use crate::diagnostics::{Diagnostic, Report};
use crate::image_size;
use crate::model::{Annotations, Facsimile, PageImage, Pos};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Why `path` cannot name a file under `content/facsimiles/`, if it cannot.
fn path_problem(path: &str) -> Option<&'static str> {
    if path.trim().is_empty() {
        Some("is empty")
    } else if path.contains("://") || path.starts_with("data:") || path.starts_with("//") {
        Some("is a URL")
    } else if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
        Some("is an absolute path")
    } else if path.split(['/', '\\']).any(|c| c == "..") {
        Some("goes up with `..`")
    } else if path.contains('\\') {
        Some("uses `\\`")
    } else if path
        .split('/')
        .any(|c| c.is_empty() || c == "." || c.starts_with('.'))
    {
        Some("has an empty, `.` or hidden part")
    } else {
        None
    }
}

/// The image of page `p`, if it names one that may be used; a bad path
/// (E0359) or a missing or empty `alt:` (E0358) is reported, and the page
/// is kept without its image.
pub(super) fn page_image(
    file: &str,
    p: &PageYaml,
    n_pos: Pos,
    report: &mut Report,
) -> Option<PageImage> {
    let alt = p
        .alt
        .as_ref()
        .map(|a| (a.value.trim().to_string(), pos_of(a)));
    let Some(image) = &p.image else {
        if let Some((_, pos)) = alt {
            report.push(
                Diagnostic::warning("W0350", file, "`alt:` without `image:`: it is not shown")
                    .at(pos.line, pos.column)
                    .help("name the page's facsimile with `image: <file under content/facsimiles/>`, or remove `alt:`"),
            );
        }
        return None;
    };
    let pos = pos_of(image);
    let path = image.value.trim();
    if let Some(why) = path_problem(path) {
        report.push(
            Diagnostic::error(
                "E0359",
                file,
                format!("the facsimile path `{path}` {why}"),
            )
            .at(pos.line, pos.column)
            .help("put the image in content/facsimiles/ and write its path below that folder, e.g. `image: 1957/p5.jpg` for content/facsimiles/1957/p5.jpg"),
        );
        return None;
    }
    let alt = match alt {
        Some((a, _)) if !a.is_empty() => a,
        got => {
            let at = got.map_or(n_pos, |(_, p)| p);
            report.push(
                Diagnostic::error(
                    "E0358",
                    file,
                    format!("the facsimile of page `{}` has no alt text", p.n.value.0.trim()),
                )
                .at(at.line, at.column)
                .help("add `alt:` beside `image:`, the words a reader who cannot see the image hears, e.g. `alt: \"Page 5 of the pamphlet\"`"),
            );
            return None;
        }
    };
    Some(PageImage {
        path: path.to_string(),
        pos,
        alt,
    })
}

/// Each image that a page of `annotations` names, read from `files` (the
/// files under `content/facsimiles/`); one that is not there, or is not a
/// PNG, JPEG or WebP image, is an error (E0357) at the `image:` line.
pub(super) fn read(
    annotations: &BTreeMap<String, Annotations>,
    files: &BTreeMap<String, Arc<Vec<u8>>>,
    report: &mut Report,
) -> BTreeMap<String, Facsimile> {
    let mut out = BTreeMap::new();
    for a in annotations.values() {
        for (page, img) in a.pages.iter().filter_map(|p| Some((p, p.image.as_ref()?))) {
            if out.contains_key(&img.path) {
                continue;
            }
            let at = |d: Diagnostic| d.at(img.pos.line, img.pos.column);
            let Some(bytes) = files.get(&img.path) else {
                let mut d = at(Diagnostic::error(
                    "E0357",
                    a.file.as_str(),
                    format!(
                        "the facsimile of page `{}` is missing: there is no content/facsimiles/{}",
                        page.n, img.path
                    ),
                ));
                let names: Vec<&str> = files.keys().map(String::as_str).collect();
                d = match crate::suggest::did_you_mean(&img.path, names.iter().copied()) {
                    Some(s) => d.help(format!("{s} (the path is below content/facsimiles/ and case-sensitive)")),
                    None => d.help("copy the scan into content/facsimiles/ (PNG, JPEG or WebP) and write its path below that folder"),
                };
                report.push(d);
                continue;
            };
            match image_size::read(bytes) {
                Some(size) => {
                    out.insert(
                        img.path.clone(),
                        Facsimile {
                            size,
                            bytes: bytes.clone(),
                        },
                    );
                }
                None => report.push(
                    at(Diagnostic::error(
                        "E0357",
                        a.file.as_str(),
                        format!(
                            "content/facsimiles/{} is not a PNG, JPEG or WebP image",
                            img.path
                        ),
                    ))
                    .help("save the scan as PNG, JPEG or WebP (a browser shows all three); a file only renamed to .jpg is not one"),
                ),
            }
        }
    }
    out
}
