//! `timeline.html`: the collection's texts by their `date:` and the
//! glossary's dated entries (`date:`, events) in one list, year by year,
//! each a link to its reader page or its entry's page, which link back
//! (`#x-<slug>` for a text, `#e-<id>` for an entry). A plain list, so it
//! reads without JavaScript, prints, and works from `file://`. The page is
//! made only when something has a date in ISO 8601 form.

use super::{common, render, OutputFile, SiteView};
use crate::diagnostics::Diagnostic;
use crate::parse::entity::{date_span, Day};
use crate::resolve::Resolved;
use serde::Serialize;
use tera::Tera;

#[derive(Serialize)]
struct Item {
    /// The HTML id the item carries: `x-<slug>` or `e-<id>`.
    id: String,
    /// `"text"` or `"event"`.
    kind: &'static str,
    /// "Text" or "Event".
    label: &'static str,
    title: String,
    href: String,
    /// The date as written, and its first and last day as written when it
    /// is an interval (`to` is null for a single date).
    date: String,
    from: String,
    to: Option<String>,
}

#[derive(Serialize)]
struct Year {
    /// "1957", or "44 BCE".
    year: String,
    /// `y-1957` (`y--44` before the common era).
    id: String,
    items: Vec<Item>,
}

/// The texts and entries on the timeline, in its order.
fn dated(r: &Resolved) -> Vec<((Day, Day), Item)> {
    let mut out = Vec::new();
    for t in &r.corpus.texts {
        let Some(d) = t.meta.date.as_deref() else {
            continue;
        };
        if let Some(span) = date_span(d.trim()) {
            out.push((span, item("text", &t.slug, t.meta.title.clone(), d.trim())));
        }
    }
    for g in &r.corpus.glossary {
        let Some(d) = g.entity.date.as_deref() else {
            continue;
        };
        if let Some(span) = date_span(d) {
            out.push((span, item("event", &g.id, g.term.clone(), d)));
        }
    }
    // Earliest first; of two that begin together the shorter first, then
    // texts before entries, then by title: a fixed order.
    out.sort_by(|a, b| {
        (a.0, a.1.kind, &a.1.title, &a.1.id).cmp(&(b.0, b.1.kind, &b.1.title, &b.1.id))
    });
    out
}

fn item(kind: &'static str, key: &str, title: String, date: &str) -> Item {
    let (from, to) = match date.split_once('/') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (date.to_string(), None),
    };
    let (id, label, href) = if kind == "text" {
        ("x-", "Text", format!("texts/{key}.html"))
    } else {
        ("e-", "Event", crate::model::entity_path(key, 1))
    };
    Item {
        id: format!("{id}{key}"),
        kind,
        label,
        title,
        href,
        date: date.to_string(),
        from,
        to,
    }
}

/// Whether the site has a timeline: a text or an entry with a date.
pub fn has_timeline(r: &Resolved) -> bool {
    r.corpus.texts.iter().any(|t| {
        t.meta
            .date
            .as_deref()
            .is_some_and(|d| date_span(d.trim()).is_some())
    }) || r
        .corpus
        .glossary
        .iter()
        .any(|g| g.entity.date.as_deref().and_then(date_span).is_some())
}

/// Where text `slug` is on the timeline, from a reader page; `None` when
/// its date is not one the timeline places.
pub fn text_href(date: Option<&str>, slug: &str) -> Option<String> {
    date.and_then(|d| date_span(d.trim()))
        .map(|_| format!("../timeline.html#x-{slug}"))
}

pub(super) fn timeline_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
) -> Result<OutputFile, Diagnostic> {
    let mut years: Vec<Year> = Vec::new();
    let (mut texts, mut events) = (0, 0);
    for ((from, to), item) in dated(r) {
        // An interval open at its start is placed at its end.
        let y = if from.0 == i64::MIN { to.0 } else { from.0 };
        if item.kind == "text" {
            texts += 1;
        } else {
            events += 1;
        }
        let year = if y < 0 {
            format!("{} BCE", -y)
        } else {
            y.to_string()
        };
        match years.last_mut() {
            Some(last) if last.year == year => last.items.push(item),
            _ => years.push(Year {
                id: format!("y-{y}"),
                year,
                items: vec![item],
            }),
        }
    }
    let undated = r.corpus.texts.len() - texts;
    #[derive(Serialize)]
    struct Extra {
        years: Vec<Year>,
        texts_count: usize,
        events_count: usize,
        /// Texts whose `date:` is missing or not in ISO 8601 form.
        undated_count: usize,
    }
    let c = common(r, site, "", "Timeline".into(), "timeline");
    let html = render(
        tera,
        "timeline.html",
        &c,
        Extra {
            years,
            texts_count: texts,
            events_count: events,
            undated_count: undated,
        },
        0,
    )?;
    Ok(OutputFile {
        path: "timeline.html".into(),
        bytes: html,
    })
}
