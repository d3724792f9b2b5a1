//! The templates and static files a site is rendered with: the built-in
//! ones (embedded in the binary, see `build.rs`), overridden file by file by
//! the site's own `templates/` and `static/`; and the HTML escaping the
//! templates and the reader body use (the same as Tera's, byte for byte).

use super::escape::escape_html;
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
    for e in walkdir::WalkDir::new(&base).sort_by_file_name() {
        // A folder that cannot be listed is reported, never taken as empty
        // (which would build with the built-in files in its place).
        let e = match e {
            Ok(e) => e,
            Err(err) => {
                let at = err.path().unwrap_or(&base);
                let rel = at
                    .strip_prefix(root)
                    .unwrap_or(at)
                    .to_string_lossy()
                    .replace('\\', "/");
                report.push(
                    Diagnostic::error(code, rel, format!("cannot read: {err}"))
                        .help("check the permissions of the folder and its files"),
                );
                continue;
            }
        };
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

/// Parses the templates' sources.
pub fn compile_templates(sources: BTreeMap<String, String>, report: &mut Report) -> Option<Tera> {
    let mut tera = Tera::default();
    tera.set_escape_fn(escape_html);
    tera.register_filter("human_date", super::dates::filter);
    tera.register_filter("smart", |v: &str, _: tera::Kwargs, _: &tera::State| {
        crate::text::smart::smarten(v)
    });
    tera.register_filter("before_semicolon", super::punctuation::filter);
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
