//! The glossary entries' own pages, `glossary/<id>.html`: what the entry
//! says (kind, aliases, definition, sources, see-also, authority links,
//! dates, coordinates), where the term occurs, grouped by text in the
//! collection's order, each occurrence a link to its exact words (the first
//! of each text with the words around it, the others as a compact list of
//! links), then the notes, definitions and pages that refer to it
//! with `[[id]]`; with schema.org JSON-LD in the head. An entry with more
//! occurrences than a page holds continues on `glossary/<id>.2.html`, … (a
//! dot never occurs in an id, so no entry's page can take the name of
//! another's continuation): no page grows past a few hundred kilobytes,
//! however large the collection.

use super::{common, fragment, render, OutputFile, SiteView};
use crate::diagnostics::Diagnostic;
use crate::model::{LinkMode, TermKind};
use crate::parse::entity::{authority_label, authority_url, date_span};
use crate::resolve::{expand, Resolved};
use serde::Serialize;
use std::collections::HashMap;
use tera::Tera;

/// At most this many occurrences on one page of an entry (about 230 bytes
/// each with its text's title: a page stays far under 2 MB).
pub const OCCURRENCES_PER_PAGE: usize = 1_000;

/// `open` is true for a text with at most this many occurrences (the
/// built-in template used to fold longer lists in a closed `<details>`;
/// kept for templates that still do).
const OPEN_UP_TO: usize = 8;

/// The first this many occurrences in each text are shown with their
/// keyword-in-context line, the rest as a compact list of links to the
/// exact words (`context` false): most texts name a term once or twice, and
/// the lines are two thirds of an entry's page.
pub const CONTEXT_PER_TEXT: usize = 1;

/// At most this many references (`[[id]]` in notes, definitions, pages) are
/// listed on an entry's first page; the count says how many there are.
const REFERENCES_MAX: usize = 1_000;

/// The id of the `n`th occurrence (1-based) of entry `id` in a reader page.
pub fn occurrence_id(id: &str, n: u32) -> String {
    format!("t-{id}-{n}")
}

/// Writes ` id="t-<id>-<n>"` (ids need no escaping).
pub(super) fn push_occurrence_id(h: &mut String, id: &str, n: u32) {
    h.push_str(" id=\"t-");
    h.push_str(id);
    h.push('-');
    h.push_str(itoa::Buffer::new().format(n));
    h.push('"');
}

pub use crate::model::entity_path;

/// Every occurrence of each entry: (text, index into the text's hits,
/// the occurrence's number among the entry's hits in that text).
pub(super) struct Hits {
    by_term: Vec<Vec<(u32, u32, u32)>>,
    /// What refers to each entry with `[[id]]`, in the order its page
    /// lists them: found in one pass over every note, definition and page
    /// (scanning them again for each entry made the entries' pages
    /// quadratic in the collection).
    refs: Vec<Vec<Ref>>,
}

/// A note (text, its resolved note), a glossary entry or a free page
/// that refers to an entry.
#[derive(Clone, Copy)]
enum Ref {
    Note(u32, u32),
    Entry(u32),
    Page(u32),
}

impl Hits {
    pub(super) fn new(r: &Resolved) -> Hits {
        let mut by_term = vec![Vec::new(); r.corpus.glossary.len()];
        let mut counts = vec![0u32; r.corpus.glossary.len()];
        for (ti, at) in r.texts.iter().enumerate() {
            counts.iter_mut().for_each(|c| *c = 0);
            for (hi, h) in at.terms.iter().enumerate() {
                counts[h.term()] += 1;
                by_term[h.term()].push((ti as u32, hi as u32, counts[h.term()]));
            }
        }
        let ids: HashMap<&str, usize> = r
            .corpus
            .glossary
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut refs = vec![Vec::new(); r.corpus.glossary.len()];
        // Each entry a body names, once, in the order first named.
        let mut named = |md: &str, what: Ref, not: Option<usize>| {
            let mut seen: Vec<usize> = Vec::new();
            for id in crate::parse::refs::glossary_ids(md) {
                if let Some(&i) = ids.get(id.as_str()) {
                    if Some(i) != not && !seen.contains(&i) {
                        seen.push(i);
                        refs[i].push(what);
                    }
                }
            }
        };
        for ti in 0..r.corpus.texts.len() {
            let Some(ann) = r.annotations(ti) else {
                continue;
            };
            let bodies = ann.bodies();
            for (ni, an) in r.texts[ti].notes.iter().enumerate() {
                named(&bodies[an.index], Ref::Note(ti as u32, ni as u32), None);
            }
        }
        for (gi, t) in r.corpus.glossary.iter().enumerate() {
            named(&t.definition, Ref::Entry(gi as u32), Some(gi));
        }
        for (pi, p) in r.corpus.pages.iter().enumerate() {
            named(&p.body, Ref::Page(pi as u32), None);
        }
        // Held to the end of the build, without the room left by growing.
        by_term.iter_mut().for_each(Vec::shrink_to_fit);
        refs.iter_mut().for_each(Vec::shrink_to_fit);
        Hits { by_term, refs }
    }

    /// How many pages entry `term` has (at least one).
    pub(super) fn pages(&self, term: usize) -> usize {
        self.by_term[term]
            .len()
            .div_ceil(OCCURRENCES_PER_PAGE)
            .max(1)
    }
}

#[derive(Serialize)]
struct Link {
    href: String,
    label: String,
}

#[derive(Serialize)]
struct Authority {
    label: &'static str,
    id: String,
    url: String,
}

#[derive(Serialize)]
struct EntityView {
    id: String,
    term: String,
    kind: &'static str,
    kind_label: &'static str,
    aliases: Vec<String>,
    definition: String,
    sources: Vec<String>,
    see_also: Vec<Link>,
    authorities: Vec<Authority>,
    born: Option<String>,
    died: Option<String>,
    date: Option<String>,
    coordinates: Option<[f64; 2]>,
    glossary_href: String,
    timeline_href: Option<String>,
    map_href: Option<String>,
}

#[derive(Serialize)]
struct OccurrenceView {
    href: String,
    label: String,
    before: String,
    words: String,
    after: String,
    cut_before: bool,
    cut_after: bool,
    /// Whether the built-in template shows the line (the first
    /// [`CONTEXT_PER_TEXT`] of the text's occurrences) or only the link.
    context: bool,
    /// How many occurrences in a row this link stands for: the later
    /// occurrences in the same passage are not listed again (the reader
    /// page marks them all), and the label says how many there are.
    times: usize,
    #[serde(skip)]
    passage: usize,
}

#[derive(Serialize)]
struct GroupView {
    text_title: String,
    text_href: String,
    count: usize,
    open: bool,
    /// How many of `occurrences` have `context` false.
    more: usize,
    occurrences: Vec<OccurrenceView>,
}

#[derive(Serialize)]
struct PagerView {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    links: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    href: String,
    current: bool,
}

/// schema.org's type for an entry of `kind`.
fn schema_type(kind: TermKind) -> &'static str {
    match kind {
        TermKind::Person => "Person",
        TermKind::Organisation => "Organization",
        TermKind::Place => "Place",
        TermKind::Event => "Event",
        TermKind::Work => "CreativeWork",
        TermKind::Concept => "DefinedTerm",
    }
}

/// The JSON-LD of entry `term`, safe inside `<script>` (`<` escaped).
pub fn json_ld(r: &Resolved, term: usize) -> String {
    let t = &r.corpus.glossary[term];
    let e = &t.entity;
    let mut o = serde_json::Map::new();
    let mut put = |k: &str, v: serde_json::Value| {
        o.insert(k.to_string(), v);
    };
    put("@context", "https://schema.org".into());
    put("@type", schema_type(t.kind).into());
    if let Some(base) = r.corpus.site.base() {
        put("@id", format!("{base}{}", entity_path(&t.id, 1)).into());
        put("url", format!("{base}{}", entity_path(&t.id, 1)).into());
    }
    put("name", t.term.clone().into());
    if !t.aliases.is_empty() {
        let mut a = t.aliases.clone();
        a.retain(|x| x != &t.term);
        a.dedup();
        if !a.is_empty() {
            put("alternateName", a.into());
        }
    }
    let same: Vec<serde_json::Value> = e
        .authorities()
        .into_iter()
        .map(|(k, id)| authority_url(k, id).into())
        .collect();
    if !same.is_empty() {
        put("sameAs", same.into());
    }
    if let Some(b) = &e.born {
        put("birthDate", b.clone().into());
    }
    if let Some(d) = &e.died {
        put("deathDate", d.clone().into());
    }
    if let Some(d) = &e.date {
        let (from, to) = d.split_once('/').unwrap_or((d, d));
        if from != ".." {
            put("startDate", from.into());
        }
        if to != ".." {
            put("endDate", to.into());
        }
    }
    if let Some(c) = e.coordinates {
        put(
            "geo",
            serde_json::json!({ "@type": "GeoCoordinates", "latitude": c.lat, "longitude": c.lon }),
        );
    }
    let json = serde_json::Value::Object(o).to_string();
    json.replace('<', "\\u003c")
}

/// The entry's own data for its page.
fn entity_view(r: &Resolved, term: usize, has_timeline: bool, has_map: bool) -> EntityView {
    let g = &r.corpus.glossary;
    let t = &g[term];
    let e = &t.entity;
    let (md, _) = expand(r, None, &t.definition, "../");
    EntityView {
        id: t.id.clone(),
        term: t.term.clone(),
        kind: t.kind.as_str(),
        kind_label: t.kind.label(),
        aliases: t
            .aliases
            .iter()
            .filter(|a| **a != t.term)
            .cloned()
            .collect(),
        definition: fragment::to_html(&md),
        sources: t
            .sources
            .iter()
            .map(|s| super::bibliography::source_html(r, s, "../"))
            .collect(),
        see_also: t
            .see_also
            .iter()
            .filter_map(|(id, _)| {
                r.term_index(id).map(|i| Link {
                    href: format!("{}.html", g[i].id),
                    label: g[i].term.clone(),
                })
            })
            .collect(),
        authorities: e
            .authorities()
            .into_iter()
            .map(|(k, id)| Authority {
                label: authority_label(k),
                id: id.to_string(),
                url: authority_url(k, id),
            })
            .collect(),
        born: e.born.clone(),
        died: e.died.clone(),
        date: e.date.clone(),
        coordinates: e.coordinates.map(|c| [c.lat, c.lon]),
        glossary_href: format!("../glossary.html#{}", t.id),
        timeline_href: (has_timeline && e.date.as_deref().and_then(date_span).is_some())
            .then(|| format!("../timeline.html#e-{}", t.id)),
        map_href: (has_map && e.coordinates.is_some()).then(|| format!("../map.html#m-{}", t.id)),
    }
}

/// Where entry `id` is referred to with `[[id]]`: notes (in text order),
/// other entries' definitions, free pages.
/// The first `max` of what refers to entry `term`, as links.
fn references(r: &Resolved, hits: &Hits, term: usize, max: usize) -> Vec<Link> {
    hits.refs[term]
        .iter()
        .take(max)
        .map(|&what| match what {
            Ref::Note(ti, ni) => {
                let (t, an) = (
                    &r.corpus.texts[ti as usize],
                    &r.texts[ti as usize].notes[ni as usize],
                );
                let ann = r
                    .annotations(ti as usize)
                    .expect("a note's text has annotations");
                Link {
                    href: format!("../texts/{}.html#en-{}", t.slug, ann.notes[an.index].id),
                    label: format!("{}, note {}", t.short_title(), an.number),
                }
            }
            Ref::Entry(gi) => {
                let t = &r.corpus.glossary[gi as usize];
                Link {
                    href: format!("{}.html", t.id),
                    label: format!("{} (glossary)", t.term),
                }
            }
            Ref::Page(pi) => {
                let p = &r.corpus.pages[pi as usize];
                Link {
                    href: format!("../{}.html", p.slug),
                    label: p.title.clone(),
                }
            }
        })
        .collect()
}

/// Page `page` (1-based) of entry `term`.
#[allow(clippy::too_many_arguments)]
pub(super) fn entity_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
    hits: &Hits,
    term: usize,
    page: usize,
    has_timeline: bool,
    has_map: bool,
) -> Result<OutputFile, Diagnostic> {
    let t = &r.corpus.glossary[term];
    let all = &hits.by_term[term];
    let pages = hits.pages(term);
    let from = (page - 1) * OCCURRENCES_PER_PAGE;
    let mine = &all[from.min(all.len())..(from + OCCURRENCES_PER_PAGE).min(all.len())];
    let mut groups: Vec<GroupView> = Vec::new();
    let mut last = u32::MAX;
    for &(ti, hi, n) in mine {
        let text = &r.corpus.texts[ti as usize];
        let at = &r.texts[ti as usize];
        let h = &at.terms[hi as usize];
        if ti != last {
            last = ti;
            groups.push(GroupView {
                text_title: text.meta.title.clone(),
                text_href: format!("../texts/{}.html", text.slug),
                count: 0,
                open: false,
                more: 0,
                occurrences: Vec::new(),
            });
        }
        // No-break spaces, so that no line ends in "¶" or in a number
        // whose "(2×)" begins the next.
        let label = match at.facts.numbers[h.passage()] {
            Some(n) => format!("¶\u{a0}{n}"),
            None => "footnote".into(),
        };
        let g = groups.last_mut().expect("a group was opened");
        g.count += 1;
        if let Some(prev) = g.occurrences.last_mut() {
            if prev.passage == h.passage() {
                prev.times += 1;
                continue;
            }
        }
        let context = g.occurrences.len() < CONTEXT_PER_TEXT;
        g.more += usize::from(!context);
        let k = at.lines.get(h.line);
        g.occurrences.push(OccurrenceView {
            href: format!("../texts/{}.html#{}", text.slug, occurrence_id(&t.id, n)),
            label,
            before: k.before().to_string(),
            words: k.words().to_string(),
            after: k.after().to_string(),
            cut_before: k.cut_before,
            cut_after: k.cut_after,
            context,
            times: 1,
            passage: h.passage(),
        });
    }
    for g in &mut groups {
        g.open = g.count <= OPEN_UP_TO;
        for o in &mut g.occurrences {
            if o.times > 1 {
                o.label = format!("{}\u{a0}({}\u{d7})", o.label, o.times);
            }
        }
    }
    let href = |p: usize| {
        entity_path(&t.id, p)
            .trim_start_matches("glossary/")
            .to_string()
    };
    let pager = PagerView {
        page,
        pages,
        prev: (page > 1).then(|| href(page - 1)),
        next: (page < pages).then(|| href(page + 1)),
        links: (1..=pages)
            .map(|p| PageLink {
                number: p,
                href: href(p),
                current: p == page,
            })
            .collect(),
    };
    let (refs, references_count) = if page == 1 {
        (
            references(r, hits, term, REFERENCES_MAX),
            hits.refs[term].len(),
        )
    } else {
        (Vec::new(), 0)
    };
    #[derive(Serialize)]
    struct Extra {
        entry: EntityView,
        groups: Vec<GroupView>,
        occurrences_count: usize,
        texts_count: usize,
        references: Vec<Link>,
        references_count: usize,
        pager: PagerView,
        json_ld: String,
        linked: bool,
    }
    let mut texts: Vec<u32> = all.iter().map(|o| o.0).collect();
    texts.dedup();
    let extra = Extra {
        entry: entity_view(r, term, has_timeline, has_map),
        groups,
        occurrences_count: all.len(),
        texts_count: texts.len(),
        references: refs,
        references_count,
        pager,
        json_ld: json_ld(r, term),
        linked: t.link != LinkMode::None,
    };
    let title = if page > 1 {
        format!("{} (page {page} of {pages})", t.term)
    } else {
        t.term.clone()
    };
    let c = common(r, site, "../", title, &format!("entity:{}", t.id));
    let html = render(tera, "entity.html", &c, extra, mine.len() * 400 + 8192)?;
    Ok(OutputFile {
        path: entity_path(&t.id, page),
        bytes: html,
    })
}
