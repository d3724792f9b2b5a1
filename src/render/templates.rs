//! The templates and static files a site is rendered with: the built-in
//! ones (embedded in the binary, see `build.rs`), overridden file by file by
//! the site's own `templates/` and `static/`; and the HTML escaping the
//! templates and the reader body use (the same as Tera's, byte for byte).

use super::OutputFile;
use crate::diagnostics::{Diagnostic, Report};
use crate::embedded;
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

/// The files of a site folder's `dir` (`templates` or `static`), dotfiles
/// included, as (path relative to `dir`, contents) in name order; a file that
/// cannot be read is reported with `code`.
fn site_overrides(
    root: &Path,
    dir: &str,
    code: &'static str,
    report: &mut Report,
) -> Vec<(String, Vec<u8>)> {
    let base = root.join(dir);
    let mut out = Vec::new();
    if !base.is_dir() {
        return out;
    }
    for e in walkdir::WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(&base)
            .unwrap_or(e.path())
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read(e.path()) {
            Ok(bytes) => out.push((rel, bytes)),
            Err(err) => report.push(Diagnostic::error(
                code,
                format!("{dir}/{rel}"),
                format!("cannot read: {err}"),
            )),
        }
    }
    out
}

/// Built-in templates overridden by the site's own `templates/`.
pub fn load_templates(root: &Path, report: &mut Report) -> Option<Tera> {
    let sources = template_sources(root, report);
    compile_templates(sources, report)
}

/// The templates' sources by name: the built-in ones, overridden by the
/// site's `templates/`.
pub fn template_sources(root: &Path, report: &mut Report) -> BTreeMap<String, String> {
    let mut sources: BTreeMap<String, String> = embedded::TEMPLATES
        .iter()
        .map(|(name, bytes)| {
            (
                name.to_string(),
                String::from_utf8_lossy(bytes).into_owned(),
            )
        })
        .collect();
    for (rel, bytes) in site_overrides(root, "templates", "E0500", report) {
        match String::from_utf8(bytes) {
            Ok(text) => {
                sources.insert(rel, text);
            }
            Err(_) => report.push(
                Diagnostic::error(
                    "E0500",
                    format!("templates/{rel}"),
                    "the template is not UTF-8 text",
                )
                .help("save the template as UTF-8"),
            ),
        }
    }
    sources
}

/// What HTML escaping replaces a byte with, for the five bytes it escapes
/// (the same as Tera's own `escape_html`).
fn html_escape_of(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// Hands `input` HTML-escaped to `put`, piece by piece: each run of plain
/// text whole, each escaped byte as its entity.
fn escape_pieces<E>(input: &str, mut put: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut plain = 0;
    for (i, &b) in input.as_bytes().iter().enumerate() {
        if let Some(escaped) = html_escape_of(b) {
            put(&input[plain..i])?;
            put(escaped)?;
            plain = i + 1;
        }
    }
    put(&input[plain..])
}

/// HTML escaping as Tera's `escape_html` does it, byte for byte, but
/// writing each run of plain text at once: Tera's own writes every byte of
/// every escaped value on its own through the writer (a fifth of Tera's
/// work on a reader page).
pub fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_pieces(input, |s| out.write_all(s.as_bytes()))
}

/// [`escape_html`] appending to a string.
pub fn push_escaped(out: &mut String, input: &str) {
    let _ = escape_pieces::<std::convert::Infallible>(input, |s| {
        out.push_str(s);
        Ok(())
    });
}

/// Parses the templates' sources.
pub fn compile_templates(sources: BTreeMap<String, String>, report: &mut Report) -> Option<Tera> {
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    if let Err(e) = tera.add_raw_templates(sources) {
        report.push(
            Diagnostic::error("E0501", "templates/", format!("a template does not parse: {e}"))
                .help("fix the template named in the message, or delete it from templates/ to use the built-in one"),
        );
        return None;
    }
    Some(tera)
}

/// Built-in static files overridden by the site's own `static/` (dotfiles too).
pub fn static_files(root: &Path, report: &mut Report) -> Vec<OutputFile> {
    let mut files: BTreeMap<String, Vec<u8>> = embedded::STATIC_FILES
        .iter()
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect();
    files.extend(site_overrides(root, "static", "E0502", report));
    files
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect()
}

pub(super) fn template_error(name: &str, e: tera::Error) -> Diagnostic {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    Diagnostic::error(
        "E0503",
        format!("templates/{name}"),
        format!("the template failed to render: {msg}"),
    )
    .help("see docs/templates.md for the data each template receives")
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_escaping_is_teras_byte_for_byte() {
        for s in [
            "",
            "plain",
            "<a href=\"x\">Tom & Jerry's</a>",
            "&&<<>>\"\"''",
            "ünïcödé “quotes” — & <end>",
        ] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(s, &mut ours).unwrap();
            tera::escape_html(s, &mut teras).unwrap();
            assert_eq!(ours, teras);
            let mut pushed = String::new();
            super::push_escaped(&mut pushed, s);
            assert_eq!(pushed.as_bytes(), &teras[..]);
        }
    }
}
