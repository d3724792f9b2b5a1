//! CSL-JSON (Zotero's own export) read into hayagriva entries. hayagriva
//! formats a CSL-JSON item only as a type of its own, which cannot share a
//! bibliography with entries read from BibLaTeX, so each item is mapped onto
//! hayagriva's data model (the shape of its YAML) and read as an entry:
//! the common types with their names, dates, titles, container, publisher,
//! place, numbers, pages, URL and DOI (docs/bibliography.md).

use crate::diagnostics::{Diagnostic, Report};
use crate::load::SourceFile;
use hayagriva::Entry;
use serde_json::{json, Map, Value};

pub(super) fn read(f: &SourceFile, report: &mut Report) -> Vec<Entry> {
    let error = |line: usize, message: String| {
        Diagnostic::error("E0341", f.rel.clone(), message)
            .at(line, 1)
            .help("a CSL-JSON file is a list of items, each with at least `id` and `type`; export it again from Zotero (File → Export, CSL JSON)")
    };
    let items: Vec<Value> = match serde_json::from_str(&f.text) {
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            report.push(error(1, "this CSL-JSON file is not a list of items".into()));
            return Vec::new();
        }
        Err(e) => {
            report.push(error(
                e.line(),
                format!("this CSL-JSON file does not parse: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut lib = Map::new();
    for (n, item) in items.iter().enumerate() {
        let Some(id) = item.get("id").and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }) else {
            report.push(error(
                1,
                format!("item {} of this CSL-JSON file has no `id`", n + 1),
            ));
            continue;
        };
        lib.insert(id, to_hayagriva(item));
    }
    match serde_json::from_value::<hayagriva::Library>(Value::Object(lib)) {
        Ok(lib) => lib.into_iter().collect(),
        Err(e) => {
            report.push(error(
                1,
                format!("an item of this CSL-JSON file cannot be read: {e}"),
            ));
            Vec::new()
        }
    }
}

fn text(item: &Value, key: &str) -> Option<Value> {
    match item.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(Value::String(s.clone())),
        Value::Number(n) => Some(Value::String(n.to_string())),
        _ => None,
    }
}

/// CSL-JSON names to hayagriva's "Family, Given" (a literal name as is).
fn names(item: &Value, key: &str) -> Option<Value> {
    let list = item.get(key)?.as_array()?;
    let out: Vec<Value> = list
        .iter()
        .filter_map(|n| {
            if let Some(l) = n.get("literal").and_then(Value::as_str) {
                return Some(json!({ "name": l }));
            }
            let family = n.get("family").and_then(Value::as_str)?;
            let mut p = Map::new();
            p.insert("name".into(), family.into());
            if let Some(g) = n.get("given").and_then(Value::as_str) {
                p.insert("given-name".into(), g.into());
            }
            if let Some(x) = n.get("non-dropping-particle").and_then(Value::as_str) {
                p.insert("prefix".into(), x.into());
            }
            if let Some(x) = n.get("suffix").and_then(Value::as_str) {
                p.insert("suffix".into(), x.into());
            }
            Some(Value::Object(p))
        })
        .collect();
    (!out.is_empty()).then_some(Value::Array(out))
}

/// `issued: {"date-parts": [[1996, 5]]}` (or `raw`) to "1996-05".
fn date(item: &Value, key: &str) -> Option<Value> {
    let d = item.get(key)?;
    if let Some(parts) = d
        .get("date-parts")
        .and_then(|p| p.get(0))
        .and_then(Value::as_array)
    {
        let nums: Vec<i64> = parts
            .iter()
            .filter_map(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
            .collect();
        return match nums.as_slice() {
            [y] => Some(format!("{y:04}")),
            [y, m] => Some(format!("{y:04}-{m:02}")),
            [y, m, d, ..] => Some(format!("{y:04}-{m:02}-{d:02}")),
            [] => None,
        }
        .map(Value::String);
    }
    d.get("raw")
        .and_then(Value::as_str)
        .or_else(|| d.as_str())
        .map(|s| Value::String(s.to_string()))
}

fn to_hayagriva(item: &Value) -> Value {
    let kind = item.get("type").and_then(Value::as_str).unwrap_or("");
    let (own, parent) = match kind {
        "book" => ("book", None),
        "article-journal" => ("article", Some("periodical")),
        "article-magazine" | "article-newspaper" => ("article", Some("newspaper")),
        "chapter" | "paper-conference" | "entry-encyclopedia" | "entry-dictionary" => {
            ("chapter", Some("book"))
        }
        "webpage" | "post-weblog" | "post" => ("web", Some("web")),
        "report" => ("report", None),
        "thesis" => ("thesis", None),
        "manuscript" => ("manuscript", None),
        "interview" => ("misc", None),
        "legislation" | "bill" => ("legislation", None),
        _ => ("misc", None),
    };
    let mut e = Map::new();
    e.insert("type".into(), own.into());
    let put = |m: &mut Map<String, Value>, k: &str, v: Option<Value>| {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    };
    put(&mut e, "title", text(item, "title"));
    put(&mut e, "author", names(item, "author"));
    put(&mut e, "date", date(item, "issued"));
    put(&mut e, "url", text(item, "URL"));
    put(&mut e, "page-range", text(item, "page"));
    if let Some(doi) = text(item, "DOI") {
        e.insert("serial-number".into(), json!({ "doi": doi }));
    }
    let publisher = text(item, "publisher");
    let place = text(item, "publisher-place");
    let mut target = Map::new();
    put(&mut target, "editor", names(item, "editor"));
    put(&mut target, "edition", text(item, "edition"));
    put(&mut target, "volume", text(item, "volume"));
    put(&mut target, "issue", text(item, "issue"));
    if let Some(p) = publisher {
        target.insert("publisher".into(), p);
    }
    put(&mut target, "location", place);
    match parent {
        Some(parent) => {
            let mut p = target;
            p.insert("type".into(), parent.into());
            put(&mut p, "title", text(item, "container-title"));
            e.insert("parent".into(), Value::Object(p));
        }
        None => {
            if kind == "thesis" || kind == "report" {
                if let Some(g) = text(item, "genre") {
                    e.insert("genre".into(), g);
                }
            }
            e.extend(target);
        }
    }
    if let Some(accessed) = date(item, "accessed") {
        if let Some(url) = e.remove("url") {
            e.insert("url".into(), json!({ "value": url, "date": accessed }));
        }
    }
    Value::Object(e)
}
