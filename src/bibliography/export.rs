//! `bibliography.json` in the published site: every work as CSL-JSON, the
//! format Zotero and other reference managers import, so a reader can take
//! the edition's bibliography with them.

use crate::model::Bibliography;
use hayagriva::types::{Date, EntryType, Person};
use hayagriva::Entry;
use serde_json::{json, Map, Value};

fn names(list: &[Person]) -> Value {
    Value::Array(
        list.iter()
            .map(|p| {
                let mut n = Map::new();
                match &p.given_name {
                    Some(g) => {
                        n.insert("family".into(), p.name.clone().into());
                        n.insert("given".into(), g.clone().into());
                    }
                    None => {
                        n.insert("literal".into(), p.name.clone().into());
                    }
                }
                if let Some(x) = &p.prefix {
                    n.insert("non-dropping-particle".into(), x.clone().into());
                }
                if let Some(x) = &p.suffix {
                    n.insert("suffix".into(), x.clone().into());
                }
                Value::Object(n)
            })
            .collect(),
    )
}

/// hayagriva's months and days count from 0.
fn date(d: &Date) -> Value {
    let mut parts = vec![json!(d.year)];
    if let Some(m) = d.month {
        parts.push(json!(m + 1));
        if let Some(day) = d.day {
            parts.push(json!(day + 1));
        }
    }
    json!({ "date-parts": [parts] })
}

fn kind(e: &Entry) -> &'static str {
    let parent = e.parents().first().map(Entry::entry_type);
    match (e.entry_type(), parent) {
        (EntryType::Book | EntryType::Anthology, _) => "book",
        (EntryType::Article, Some(EntryType::Newspaper)) => "article-newspaper",
        (EntryType::Article, _) => "article-journal",
        (EntryType::Chapter | EntryType::Entry, _) => "chapter",
        (EntryType::Web, _) => "webpage",
        (EntryType::Report, _) => "report",
        (EntryType::Thesis, _) => "thesis",
        (EntryType::Manuscript, _) => "manuscript",
        (EntryType::Legislation, _) => "legislation",
        _ => "document",
    }
}

fn item(e: &Entry) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), e.key().into());
    o.insert("type".into(), kind(e).into());
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            o.insert(k.into(), v);
        }
    };
    let parent = e.parents().first();
    put(
        "title",
        e.title().map(|t| t.value.to_str().into_owned().into()),
    );
    put("author", e.authors().map(names));
    put(
        "editor",
        e.editors()
            .or_else(|| parent.and_then(Entry::editors))
            .map(names),
    );
    put(
        "issued",
        e.date().or_else(|| parent.and_then(Entry::date)).map(date),
    );
    put(
        "container-title",
        parent
            .and_then(|p| p.title())
            .map(|t| t.value.to_str().into_owned().into()),
    );
    let publisher = e.publisher().or_else(|| parent.and_then(Entry::publisher));
    put(
        "publisher",
        publisher
            .and_then(|p| p.name())
            .map(|n| n.value.to_str().into_owned().into()),
    );
    let place = e
        .location()
        .or_else(|| parent.and_then(Entry::location))
        .or_else(|| publisher.and_then(|p| p.location()));
    put(
        "publisher-place",
        place.map(|l| l.value.to_str().into_owned().into()),
    );
    let number = |x: Option<String>| x.map(Value::String);
    put(
        "volume",
        number(
            e.volume()
                .or_else(|| parent.and_then(Entry::volume))
                .map(|v| v.to_string()),
        ),
    );
    put(
        "issue",
        number(
            e.issue()
                .or_else(|| parent.and_then(Entry::issue))
                .map(|v| v.to_string()),
        ),
    );
    put("edition", number(e.edition().map(|v| v.to_string())));
    put("page", number(e.page_range().map(|p| p.to_string())));
    put("URL", e.url().map(|u| u.value.as_str().into()));
    put("DOI", e.keyed_serial_number("doi").map(Into::into));
    Value::Object(o)
}

/// The CSL-JSON file, pretty-printed, works in the bibliography's order.
pub fn csl_json(b: &Bibliography) -> Vec<u8> {
    let items: Vec<Value> = b.works.iter().map(|w| item(&w.entry)).collect();
    let mut out = serde_json::to_vec_pretty(&items).unwrap_or_default();
    out.push(b'\n');
    out
}
