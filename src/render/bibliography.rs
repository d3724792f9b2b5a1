//! `bibliography.html`: every work of the site's bibliography in the full
//! form of its style, each with the places that cite it (the notes, with
//! their text, ¶ and number, and the free pages and glossary entries); and
//! a `sources:` item that cites a work, rendered as its short form.

use super::{common, fragment, render, SiteView};
use crate::bibliography::{anchor_id, cite};
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::resolve::Resolved;
use serde::Serialize;
use tera::Tera;

/// A `sources:` item as HTML: a citation (`@key, p. 12`) in the style's
/// short form, anything else as the Markdown it is.
pub fn source_html(r: &Resolved, s: &str, prefix: &str) -> String {
    let md = cite::expand_source(&r.corpus.bibliography, s, prefix, &mut Vec::new());
    fragment::inline_to_html(&md)
}

#[derive(Serialize)]
struct Place {
    href: String,
    label: String,
}

#[derive(Serialize)]
struct WorkView {
    key: String,
    id: String,
    /// The entry in the style's full form, HTML (escaped).
    html: String,
    kind: String,
    cited_in: Vec<Place>,
}

/// Every place that cites each key, in the site's order: notes in text
/// order, then glossary entries, then free pages.
fn places(r: &Resolved) -> std::collections::HashMap<String, Vec<Place>> {
    let bib = &r.corpus.bibliography;
    let mut at: std::collections::HashMap<String, Vec<Place>> = Default::default();
    let mut add = |keys: Vec<&str>, href: &str, label: &str| {
        for k in keys {
            at.entry(k.to_string()).or_default().push(Place {
                href: href.to_string(),
                label: label.to_string(),
            });
        }
    };
    for (ti, t) in r.corpus.texts.iter().enumerate() {
        let Some(ann) = r.annotations(ti) else {
            continue;
        };
        let bodies = ann.bodies();
        for an in &r.texts[ti].notes {
            let n = &ann.notes[an.index];
            let keys = cite::cited(bib, &bodies[an.index], &n.sources);
            if keys.is_empty() {
                continue;
            }
            let para = r.texts[ti].facts.numbers[an.place.passage]
                .map(|p| format!(" ¶ {p}"))
                .unwrap_or_default();
            add(
                keys,
                &format!("texts/{}.html#en-{}", t.slug, n.id),
                &format!("{}{para}, note {}", t.short_title(), an.number),
            );
        }
    }
    for term in &r.corpus.glossary {
        let keys = cite::cited(bib, &term.definition, &term.sources);
        add(keys, &format!("glossary.html#{}", term.id), &term.term);
    }
    for p in &r.corpus.pages {
        add(
            cite::cited(bib, &p.body, &[]),
            &format!("{}.html", p.slug),
            &p.title,
        );
    }
    at
}

pub(super) fn bibliography_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
) -> Result<OutputFile, Diagnostic> {
    let bib = &r.corpus.bibliography;
    let formatted = match bib.formatter() {
        Ok(f) => f.bibliography_html(
            bib.works.iter().map(|w| &w.entry),
            super::escape::push_escaped,
        ),
        Err(_) => Vec::new(), // reported when the bibliography was read
    };
    let mut places = places(r);
    let works: Vec<WorkView> = formatted
        .into_iter()
        .map(|(key, html)| WorkView {
            id: anchor_id(&key),
            kind: bib
                .get(&key)
                .map(|w| format!("{:?}", w.entry.entry_type()).to_lowercase())
                .unwrap_or_default(),
            cited_in: places.remove(&key).unwrap_or_default(),
            key,
            html,
        })
        .collect();
    #[derive(Serialize)]
    struct Extra {
        works: Vec<WorkView>,
        style: String,
    }
    let c = common(r, site, "", "Bibliography".into(), "bibliography");
    let size = works.iter().map(|w| w.html.len() + 256).sum::<usize>() + 8 * 1024;
    let html = render(
        tera,
        "bibliography.html",
        &c,
        Extra {
            works,
            style: bib.style.clone(),
        },
        size,
    )?;
    Ok(OutputFile {
        path: "bibliography.html".into(),
        bytes: html,
    })
}
