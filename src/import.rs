//! `scholion import hypothesis FILE --text SLUG`: notes from an annotation
//! export, added to a text's annotation file. Reads the JSON that the
//! Hypothesis client and API write (a list of annotations or `{ "rows": […] }`,
//! each with a `target[].selector[]` that holds a `TextQuoteSelector`) and W3C
//! Web Annotations in JSON-LD (an `AnnotationCollection` such as Scholion's
//! own `annotations.jsonld`, a list, or a single `Annotation`).
//!
//! Existing notes, ids and comments are kept: new entries are inserted as
//! text at the end of the `notes:` and `links:` lists. Each quote is anchored
//! against the text first; the ones that cannot be anchored are reported and
//! left out.
//!
//! Import never loses what the annotation file holds: a file it cannot read
//! (an I/O error, a byte that is not UTF-8) is an error that names it and
//! leaves it as it is, and the new file is written beside it and renamed
//! over it, so that a stop at any moment leaves the old file or the new one.

use crate::anchor::{find_all, Query};
use crate::diagnostics::Report;
use crate::document::analyse;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not JSON: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("there is no text `{0}` in content/texts/ (or it has errors: run `scholion check`)")]
    NoText(String),
    #[error("{0} has errors: fix them first (`scholion check` shows them)")]
    Broken(String),
    #[error("{path}:{line}:{column}: the file is not valid UTF-8 text, so import changed nothing; save it as UTF-8 (most editors offer it under \"Save as\" or \"Encoding\") and import again")]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{0}: its sources could not be rewritten without changing something else, so import changed nothing; cite them by key by hand (\"@key, p. 12\")")]
    Unsafe(String),
    #[error("cannot write {path}: {source}; import changed nothing")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// An annotation that was not imported, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub id: String,
    pub quote: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// Relative to the site root.
    pub file: String,
    pub notes: Vec<String>,
    pub links: Vec<String>,
    pub skipped: Vec<Skipped>,
    /// Annotations that belong to other texts of a Scholion export.
    pub other_texts: usize,
}

struct Incoming {
    id: String,
    quote: String,
    prefix: Option<String>,
    suffix: Option<String>,
    body: String,
    sources: Vec<String>,
    kind: &'static str,
    link_to: Option<String>,
    label: Option<String>,
}

fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn annotations(doc: &Value) -> Vec<&Value> {
    if let Some(rows) = doc.get("rows") {
        return as_list(rows);
    }
    if let Some(items) = doc.get("first").and_then(|f| f.get("items")) {
        return as_list(items);
    }
    if let Some(items) = doc.get("items") {
        return as_list(items);
    }
    as_list(doc)
}

fn find_quote(selector: &Value) -> Option<(String, Option<String>, Option<String>)> {
    for s in as_list(selector) {
        if s.get("type").and_then(Value::as_str) == Some("TextQuoteSelector") {
            let get = |k: &str| s.get(k).and_then(Value::as_str).map(str::to_string);
            return get("exact").map(|e| {
                (
                    e,
                    get("prefix").filter(|p| !p.is_empty()),
                    get("suffix").filter(|p| !p.is_empty()),
                )
            });
        }
        if let Some(found) = s.get("refinedBy").and_then(find_quote) {
            return Some(found);
        }
    }
    None
}

/// `…/texts/<slug>.html#frag` → (`slug`, `frag`).
fn scholion_page(url: &str) -> Option<(String, Option<String>)> {
    let (path, frag) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let file = path.rsplit('/').next()?;
    let parent = path.strip_suffix(file)?.trim_end_matches('/');
    if !(parent.ends_with("texts") && file.ends_with(".html")) {
        return None;
    }
    Some((file.trim_end_matches(".html").to_string(), frag))
}

fn sanitize_id(raw: &str) -> String {
    let mut id: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while id.contains("--") {
        id = id.replace("--", "-");
    }
    id.trim_matches('-').to_string()
}

fn incoming(
    a: &Value,
    slug: &str,
    n: usize,
    other_texts: &mut usize,
) -> Option<Result<Incoming, Skipped>> {
    let targets = a.get("target").map(as_list).unwrap_or_default();
    let mut quote = None;
    for t in &targets {
        if let Some(src) = t.get("source").and_then(Value::as_str) {
            if let Some((page, _)) = scholion_page(src) {
                if page != slug {
                    *other_texts += 1;
                    return None;
                }
            }
        }
        if let Some(q) = t.get("selector").and_then(find_quote) {
            quote = Some(q);
            break;
        }
    }
    let raw_id = a.get("id").and_then(Value::as_str).unwrap_or("");
    let id = match raw_id.rsplit_once('#') {
        Some((_, frag)) if frag.starts_with("n-") || frag.starts_with("l-") => {
            sanitize_id(&frag[2..])
        }
        _ if !raw_id.is_empty() => format!("hyp-{}", sanitize_id(raw_id)),
        _ => format!("imported-{n}"),
    };
    let Some((exact, prefix, suffix)) = quote else {
        return Some(Err(Skipped {
            id,
            quote: String::new(),
            reason: "it has no TextQuoteSelector".into(),
        }));
    };
    let motivation = a
        .get("motivation")
        .and_then(Value::as_str)
        .unwrap_or("commenting");
    let bodies = a.get("body").map(as_list).unwrap_or_default();
    let mut body = a
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut sources = Vec::new();
    let mut link_to = None;
    let mut label = None;
    for b in bodies {
        match b {
            Value::String(s) if motivation == "linking" => link_to = Some(s.clone()),
            Value::String(s) => body = s.clone(),
            _ => {
                let value = b.get("value").and_then(Value::as_str);
                let purpose = b.get("purpose").and_then(Value::as_str);
                match (b.get("type").and_then(Value::as_str), purpose, value) {
                    (Some("SpecificResource"), _, _) | (_, Some("linking"), _) => {
                        link_to = b
                            .get("id")
                            .or(b.get("source"))
                            .and_then(Value::as_str)
                            .map(str::to_string);
                    }
                    (_, Some("describing"), Some(v)) if motivation == "linking" => {
                        label = Some(v.to_string())
                    }
                    (_, Some("describing"), Some(v)) => sources.push(v.to_string()),
                    (_, _, Some(v)) => body = v.to_string(),
                    _ => {}
                }
            }
        }
    }
    let link_to = if motivation == "linking" {
        match link_to.as_deref().and_then(scholion_page) {
            Some((page, frag)) => Some(match frag {
                Some(f) if f.starts_with("n-") || f.starts_with("l-") => {
                    format!("{page}#{}", &f[2..])
                }
                Some(f) => format!("{page}#{f}"),
                None => page,
            }),
            None => {
                return Some(Err(Skipped {
                    id,
                    quote: exact,
                    reason: "a link whose target is not a page of this site".into(),
                }))
            }
        }
    } else {
        None
    };
    let kind = match motivation {
        "editing" => "editorial",
        "describing" => "translation",
        _ => "note",
    };
    Some(Ok(Incoming {
        id,
        quote: exact,
        prefix,
        suffix,
        body,
        sources,
        kind,
        link_to,
        label,
    }))
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn entry_yaml(i: &Incoming, anchor: &str, indent: &str) -> String {
    let pad = format!("{indent}  ");
    let mut y = format!("{indent}- id: {}\n{pad}anchor: {anchor}\n", i.id);
    if let Some(to) = &i.link_to {
        y.push_str(&format!("{pad}to: {}\n", yaml_str(to)));
        if let Some(l) = &i.label {
            y.push_str(&format!("{pad}label: {}\n", yaml_str(l)));
        }
        return y;
    }
    if i.kind != "note" {
        y.push_str(&format!("{pad}kind: {}\n", i.kind));
    }
    let body = i.body.trim_end();
    if body.contains('\n')
        && !body
            .lines()
            .any(|l| l.starts_with(' ') || l.starts_with('\t'))
    {
        y.push_str(&format!("{pad}body: |\n"));
        for l in body.lines() {
            if l.is_empty() {
                y.push('\n');
            } else {
                y.push_str(&format!("{pad}  {l}\n"));
            }
        }
    } else {
        y.push_str(&format!("{pad}body: {}\n", yaml_str(body)));
    }
    if !i.sources.is_empty() {
        y.push_str(&format!("{pad}sources:\n"));
        for s in &i.sources {
            y.push_str(&format!("{pad}  - {}\n", yaml_str(s)));
        }
    }
    y
}

fn is_top_level_key(line: &str) -> bool {
    !line.is_empty() && !line.starts_with([' ', '\t', '-', '#']) && line.contains(':')
}

/// Inserts `entries` at the end of the top-level list `key`, creating it if needed.
fn insert_entries(file: &str, key: &str, entries: &[String]) -> String {
    if entries.is_empty() {
        return file.to_string();
    }
    let mut lines: Vec<String> = file.lines().map(str::to_string).collect();
    let is_key = |l: &str| {
        let rest = l.strip_prefix(key).and_then(|r| r.strip_prefix(':'));
        rest.is_some_and(|r| {
            let r = r.trim();
            r.is_empty() || r.starts_with('#') || r == "[]"
        })
    };
    match lines.iter().position(|l| is_key(l)) {
        Some(k) => {
            if lines[k].contains("[]") {
                lines[k] = format!("{key}:");
            }
            let end = (k + 1..lines.len())
                .find(|&i| is_top_level_key(&lines[i]))
                .unwrap_or(lines.len());
            let indent = lines[k + 1..end]
                .iter()
                .find_map(|l| {
                    l.trim_start()
                        .starts_with("- ")
                        .then(|| l[..l.len() - l.trim_start().len()].to_string())
                })
                .unwrap_or_else(|| "  ".into());
            // Keep blank lines and comments that precede the next key after the new entries.
            let mut at = end;
            while at > k + 1
                && (lines[at - 1].trim().is_empty() || lines[at - 1].trim_start().starts_with('#'))
            {
                at -= 1;
            }
            let text: Vec<String> = entries
                .iter()
                .map(|e| e.replace("\u{1}", &indent))
                .collect();
            let mut out: Vec<String> = lines[..at].to_vec();
            for e in text {
                out.extend(e.lines().map(str::to_string));
            }
            out.extend(lines[at..].iter().cloned());
            out.join("\n") + "\n"
        }
        None => {
            let mut out = file.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{key}:\n"));
            for e in entries {
                out.push_str(&e.replace('\u{1}', "  "));
            }
            out
        }
    }
}

/// Imports the annotations of `export` into the annotation file of `slug`.
pub fn import(root: &Path, export: &Path, slug: &str) -> Result<Outcome, ImportError> {
    let raw = std::fs::read_to_string(export).map_err(|source| ImportError::Io {
        path: export.to_path_buf(),
        source,
    })?;
    let doc: Value = serde_json::from_str(&raw).map_err(|source| ImportError::Json {
        path: export.to_path_buf(),
        source,
    })?;

    let mut report = Report::default();
    let loaded = crate::load::load(root, &mut report);
    let corpus = crate::parse::parse_corpus(&loaded, &mut report);
    let text = corpus
        .texts
        .iter()
        .find(|t| t.slug == slug)
        .ok_or_else(|| ImportError::NoText(slug.to_string()))?;
    // Read before anything else, so that a file that cannot be read is the
    // error reported (load skipped it: nothing of it is in `corpus`, and
    // writing would lose it).
    let file = annotation_file(root, slug);
    let path = root.join(&file);
    let current = read_existing(&path)?;
    if corpus.broken.texts.contains(slug) {
        return Err(ImportError::Broken(file));
    }
    let existing = corpus.annotations.get(slug);
    let mut ids: BTreeSet<String> = existing
        .map(|a| a.ids().map(str::to_owned).collect())
        .unwrap_or_default();
    let page = analyse(&text.body);

    let mut outcome = Outcome {
        file,
        ..Default::default()
    };
    let mut wanted = Vec::new();
    for (n, a) in annotations(&doc).into_iter().enumerate() {
        match incoming(a, slug, n + 1, &mut outcome.other_texts) {
            None => {}
            Some(Err(s)) => outcome.skipped.push(s),
            Some(Ok(i)) => wanted.push(i),
        }
    }
    let queries: Vec<Query> = wanted
        .iter()
        .map(|i| Query {
            quote: i.quote.clone(),
            prefix: i.prefix.clone(),
            suffix: i.suffix.clone(),
        })
        .collect();
    let plain: Vec<Query> = wanted
        .iter()
        .map(|i| Query {
            quote: i.quote.clone(),
            prefix: None,
            suffix: None,
        })
        .collect();
    let found = find_all(
        page.passages.iter().map(|p| p.text.as_str()),
        &queries,
        |_, _| {},
    );
    let found_plain = find_all(
        page.passages.iter().map(|p| p.text.as_str()),
        &plain,
        |_, _| {},
    );

    let (mut notes, mut links) = (Vec::new(), Vec::new());
    for ((mut i, f), fp) in wanted.into_iter().zip(found).zip(found_plain) {
        let short = fp.all.len() == 1;
        let anchor = if short {
            yaml_str(&i.quote)
        } else if f.decided.len() == 1 {
            let mut parts = vec![format!("quote: {}", yaml_str(&i.quote))];
            parts.extend(
                i.prefix
                    .as_deref()
                    .map(|p| format!("prefix: {}", yaml_str(p))),
            );
            parts.extend(
                i.suffix
                    .as_deref()
                    .map(|s| format!("suffix: {}", yaml_str(s))),
            );
            format!("{{ {} }}", parts.join(", "))
        } else {
            let reason = if fp.all.is_empty() {
                "the quote is not in the text".to_string()
            } else {
                format!(
                    "the quote occurs {} times and its prefix/suffix does not decide",
                    fp.all.len()
                )
            };
            outcome.skipped.push(Skipped {
                id: i.id,
                quote: i.quote,
                reason,
            });
            continue;
        };
        if i.id.is_empty()
            || !crate::model::is_valid_id(&i.id)
            || crate::model::is_paragraph_id(&i.id)
        {
            i.id = format!("imported-{}", ids.len() + 1);
        }
        let base = i.id.clone();
        let mut k = 2;
        while ids.contains(&i.id) {
            i.id = format!("{base}-{k}");
            k += 1;
        }
        ids.insert(i.id.clone());
        let entry = entry_yaml(&i, &anchor, "\u{1}");
        if i.link_to.is_some() {
            outcome.links.push(i.id.clone());
            links.push(entry);
        } else {
            outcome.notes.push(i.id.clone());
            notes.push(entry);
        }
    }
    let with_header = if current.trim().is_empty() {
        "# yaml-language-server: $schema=../../schemas/annotations.schema.json\n".to_string()
    } else {
        current
    };
    let updated = insert_entries(
        &insert_entries(&with_header, "notes", &notes),
        "links",
        &links,
    );
    if !notes.is_empty() || !links.is_empty() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ImportError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        replace(&path, updated.as_bytes()).map_err(|source| ImportError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(outcome)
}

/// The annotation file of `slug`, relative to the root: the `.yml` one if
/// only it exists.
fn annotation_file(root: &Path, slug: &str) -> String {
    let yaml = format!("content/annotations/{slug}.yaml");
    let yml = format!("content/annotations/{slug}.yml");
    if !root.join(&yaml).exists() && root.join(&yml).exists() {
        yml
    } else {
        yaml
    }
}

/// The annotation file as it is, or nothing when there is none yet; a file
/// that cannot be read, or is not UTF-8, is an error (its first bad byte's
/// line and column named).
fn read_existing(path: &Path) -> Result<String, ImportError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(source) => {
            return Err(ImportError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[start..]).chars().count() + 1;
        ImportError::NotUtf8 {
            path: path.to_path_buf(),
            line,
            column,
        }
    })
}

/// Writes `bytes` to a hidden file beside `path`, flushed to the disk, and
/// renames it over `path` (keeping the old file's permissions), so that
/// `path` holds either its old or its new contents whatever happens.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.scholion-import-{}", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if let Ok(meta) = std::fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

pub mod sources;

#[cfg(test)]
mod tests;
