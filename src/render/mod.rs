//! From the resolved site to the files of the published site: reader pages,
//! the collection index, the glossary and the free pages, each rendered by a
//! Tera template from a small `Serialize` view (never the domain model), plus
//! the static files. Templates and static files are the built-in ones,
//! overridden file by file by the site's own `templates/` and `static/`
//! (`templates.rs`). This file makes the reader pages and hands out every
//! page in the site's order; `site_pages.rs` makes the index, the glossary,
//! the free pages, `404.html` and `search.html`.

mod bibliography;
pub mod cite;
mod dates;
pub mod entity;
pub mod escape;
pub mod fragment;
pub mod map;
mod previews;
mod punctuation;
mod site_pages;
mod smart;
mod templates;
pub mod text;
pub mod timeline;

pub use escape::{escape_html, push_escaped};
pub use site_pages::OCCURRENCES_LISTED_MAX;
use site_pages::{free_page, glossary_page, index_page, not_found_page, search_page};
use templates::template_error;
pub use templates::{compile_templates, load_templates, static_files, template_sources};

use crate::diagnostics::{Diagnostic, Report};
use crate::document::Document;
use crate::model::Text;
use crate::output::OutputFile;
use crate::resolve::expand;
use crate::resolve::Resolved;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::{Context, Tera};

#[derive(Serialize)]
struct LicenceView {
    name: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    description: Option<String>,
    language: String,
    edition: Option<String>,
    edition_date: Option<String>,
    licence: Option<LicenceView>,
    editors: Vec<String>,
    base_url: Option<String>,
    /// Whether the site has a timeline and a map (for `Common`'s links).
    #[serde(skip)]
    has_timeline: bool,
    #[serde(skip)]
    has_map: bool,
}

#[derive(Serialize, Clone)]
struct NavItem {
    title: String,
    short_title: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct Common<'a> {
    site: &'a SiteView,
    root: &'a str,
    page_title: String,
    texts_nav: Vec<NavItem>,
    pages_nav: Vec<NavItem>,
    glossary_href: String,
    index_href: String,
    has_glossary: bool,
    bibliography_href: String,
    has_bibliography: bool,
    /// `timeline.html` and `map.html`, null when the site has none.
    timeline_href: Option<String>,
    map_href: Option<String>,
    current: String,
}

#[derive(Serialize)]
struct KeyValue {
    key: String,
    value: String,
}

#[derive(Serialize)]
struct TextView {
    slug: String,
    title: String,
    short_title: String,
    date: Option<String>,
    place: Option<String>,
    issued_by: Vec<String>,
    source: Option<String>,
    source_url: Option<String>,
    translation: Option<String>,
    transcription: Option<String>,
    extra: Vec<KeyValue>,
    notes_count: usize,
    links_count: usize,
    paragraphs_count: usize,
    /// The text on `timeline.html`, when its date places it there.
    timeline_href: Option<String>,
}

#[derive(Serialize)]
struct TocItem {
    level: u8,
    id: String,
    text: String,
}

#[derive(Serialize, Clone)]
struct Backlink {
    href: String,
    label: String,
}

#[derive(Serialize)]
struct EndnoteView {
    number: u32,
    id: String,
    kind: &'static str,
    body: String,
    sources: Vec<String>,
    backlinks: Vec<Backlink>,
}

/// A glossary entry linked from a reader page, with its definition, so the
/// page's script can show it in a popover without loading the glossary
/// (which a page opened from `file://` cannot fetch).
#[derive(Serialize)]
struct TermPreview {
    id: String,
    term: String,
    kind: &'static str,
    definition: String,
}

/// Where a cross-link of a reader page leads, with the target's own words,
/// for the same reason.
#[derive(Serialize)]
struct XrefPreview {
    id: String,
    href: String,
    place: String,
    label: Option<String>,
    excerpt: String,
    quote: String,
}

fn site_view(r: &Resolved) -> SiteView {
    let s = &r.corpus.site;
    SiteView {
        title: s.title.clone(),
        description: s.description.clone(),
        language: s.language.clone(),
        edition: s.edition.clone(),
        edition_date: s.edition_date.clone(),
        licence: s.licence.as_ref().map(|l| LicenceView {
            name: l.name.clone(),
            url: l.url.clone(),
        }),
        editors: s.editors.iter().map(|e| e.name.clone()).collect(),
        base_url: s.base_url.clone(),
        has_timeline: timeline::has_timeline(r),
        has_map: map::has_map(r),
    }
}

/// Up to this many texts, every page lists them all in its navigation;
/// above it the navigation is left empty and the collection index (which
/// every page links) is the list. A nav of every text on every page would
/// make each page grow with the collection and the site with its square.
pub const NAV_TEXTS_MAX: usize = 40;

fn common<'a>(
    r: &Resolved,
    site: &'a SiteView,
    root: &'a str,
    page_title: String,
    current: &str,
) -> Common<'a> {
    let texts = &r.corpus.texts;
    let listed = if texts.len() <= NAV_TEXTS_MAX {
        &texts[..]
    } else {
        &texts[..0]
    };
    Common {
        site,
        root,
        page_title,
        texts_nav: listed
            .iter()
            .map(|t| NavItem {
                title: t.meta.title.clone(),
                short_title: t.short_title().to_string(),
                href: format!("{root}texts/{}.html", t.slug),
                current: current.strip_prefix("text:") == Some(t.slug.as_str()),
            })
            .collect(),
        pages_nav: r
            .corpus
            .pages
            .iter()
            .map(|p| NavItem {
                title: p.title.clone(),
                short_title: p.title.clone(),
                href: format!("{root}{}.html", p.slug),
                current: current == format!("page:{}", p.slug),
            })
            .collect(),
        glossary_href: format!("{root}glossary.html"),
        index_href: format!("{root}index.html"),
        has_glossary: !r.corpus.glossary.is_empty(),
        bibliography_href: format!("{root}bibliography.html"),
        has_bibliography: !r.corpus.bibliography.is_empty(),
        timeline_href: site.has_timeline.then(|| format!("{root}timeline.html")),
        map_href: site.has_map.then(|| format!("{root}map.html")),
        current: current.to_string(),
    }
}

/// Renders template `name` with the common data and the page's `extra`,
/// into a buffer made for `size` bytes (what the page is expected to take
/// at least: a reader page is hundreds of kilobytes, which a buffer grown
/// by doubling from nothing would copy over and over on the way).
fn render(
    tera: &Tera,
    name: &str,
    common: &Common,
    extra: impl Serialize,
    size: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = Context::from_serialize(common).map_err(|e| template_error(name, e))?;
    ctx.extend(Context::from_serialize(&extra).map_err(|e| template_error(name, e))?);
    // The context holds its own copy: let the page's data go before the page
    // is made (on the glossary of a large collection, tens of megabytes).
    drop(extra);
    // Into bytes, which is what is written: `Tera::render` would check
    // that the page it made is UTF-8, a pass over every byte of it.
    let mut page = Vec::with_capacity(size);
    tera.render_to(name, &ctx, &mut page)
        .map_err(|e| template_error(name, e))?;
    Ok(page)
}

fn text_view(t: &Text, notes: usize, links: usize, paragraphs: usize) -> TextView {
    TextView {
        slug: t.slug.clone(),
        title: t.meta.title.clone(),
        short_title: t.short_title().to_string(),
        date: t.meta.date.clone(),
        place: t.meta.place.clone(),
        issued_by: t.meta.issued_by.clone(),
        source: t.meta.source.clone(),
        source_url: t
            .meta
            .source_url
            .clone()
            .filter(|u| crate::url::is_safe_url(u)),
        translation: t.meta.translation.clone(),
        transcription: t.meta.transcription.clone(),
        extra: t
            .meta
            .extra
            .iter()
            .map(|(k, v)| KeyValue {
                key: k.replace('_', " "),
                value: v.clone(),
            })
            .collect(),
        notes_count: notes,
        links_count: links,
        paragraphs_count: paragraphs,
        timeline_href: timeline::text_href(t.meta.date.as_deref(), &t.slug),
    }
}

/// Cross-links from other texts that arrive at a note: per text, by note
/// id, in the order of the citing texts and their links. Gathered once for
/// the site, so no reader page scans the links of every other text.
fn incoming_links(r: &Resolved) -> Vec<BTreeMap<String, Vec<Backlink>>> {
    let mut incoming: Vec<BTreeMap<String, Vec<Backlink>>> = vec![BTreeMap::new(); r.texts.len()];
    for (si, st) in r.texts.iter().enumerate() {
        let Some(sann) = r.annotations(si) else {
            continue;
        };
        for l in &st.links {
            if let Some(crate::resolve::Target::Note { text, id }) = &l.target {
                let link = &sann.links[l.index];
                let from = &r.corpus.texts[si];
                let n = l.number.map(|n| format!(" ¶ {n}")).unwrap_or_default();
                incoming[*text]
                    .entry(id.clone())
                    .or_default()
                    .push(Backlink {
                        href: format!("{}.html#l-{}", from.slug, link.id),
                        label: format!("{}{n}", from.short_title()),
                    });
            }
        }
    }
    incoming
}

/// What every reader page draws on, worked out once for the site.
struct Shared {
    /// Per text: cross-links arriving at its notes.
    incoming: Vec<BTreeMap<String, Vec<Backlink>>>,
    /// Per glossary entry: its popover for a reader page (its definition
    /// as HTML), made the first time a page needs it. It is kept as a
    /// ready template value, whose strings are shared: each page that links
    /// the entry takes it as it is instead of converting and copying it.
    term_previews: Vec<std::sync::OnceLock<tera::Value>>,
    /// The same previews in the site-wide scripts the pages load.
    scripts: previews::TermScripts,
}

impl Shared {
    fn new(r: &Resolved) -> Shared {
        Shared {
            incoming: incoming_links(r),
            term_previews: (0..r.corpus.glossary.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            scripts: previews::TermScripts::new(r),
        }
    }

    fn term_preview(&self, r: &Resolved, term: usize) -> tera::Value {
        self.term_previews[term]
            .get_or_init(|| {
                let t = &r.corpus.glossary[term];
                let (md, _) = expand(r, None, &t.definition, "../");
                tera::Value::from_serializable(&TermPreview {
                    id: t.id.clone(),
                    term: t.term.clone(),
                    kind: t.kind.as_str(),
                    definition: fragment::to_html(&md),
                })
            })
            .clone()
    }
}

fn reader_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
    ti: usize,
    shared: &Shared,
    doc: Option<&Document>,
) -> Result<OutputFile, Diagnostic> {
    let incoming = &shared.incoming[ti];
    let t = &r.corpus.texts[ti];
    let at = &r.texts[ti];
    let ann = r.annotations(ti);
    let made;
    let doc = match doc {
        Some(d) => d,
        None => {
            made = r.doc(ti)?;
            &*made
        }
    };
    let body = text::render_body(r, ti, doc);
    let notes: Vec<EndnoteView> = at
        .notes
        .iter()
        .map(|an| {
            let note = &ann.expect("anchored notes have annotations").notes[an.index];
            let (md, _) = expand(r, Some(ti), &note.body, "../");
            // The note's place: its ¶, and the page of the source its quote is on.
            let page = at
                .pages
                .locator(an.place.passage, an.place.range.clone())
                .map(|p| format!(", {p}"))
                .unwrap_or_default();
            let mut backlinks = vec![Backlink {
                href: format!("#ref-{}", note.id),
                label: format!(
                    "Back to the text (¶ {}{page})",
                    at.facts.numbers[an.place.passage]
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| "–".into())
                ),
            }];
            backlinks.extend(incoming.get(note.id.as_str()).cloned().unwrap_or_default());
            EndnoteView {
                number: an.number,
                id: note.id.clone(),
                kind: note.kind.as_str(),
                body: fragment::to_html(&md),
                sources: note
                    .sources
                    .iter()
                    .map(|s| bibliography::source_html(r, s, "../"))
                    .collect(),
                backlinks,
            }
        })
        .collect();
    let toc: Vec<TocItem> = doc
        .headings
        .iter()
        .map(|h| TocItem {
            level: h.level,
            id: h.id.clone(),
            text: h.text.clone(),
        })
        .collect();
    let nav_item = |i: usize| {
        let o = &r.corpus.texts[i];
        NavItem {
            title: o.meta.title.clone(),
            short_title: o.short_title().to_string(),
            href: format!("{}.html", o.slug),
            current: false,
        }
    };
    let (terms, term_scripts, xrefs) = previews(r, ti, shared);
    // The page's size is mostly its body, its notes and the definitions of
    // its term previews, each written once, plus the template's own markup.
    let size = body.len()
        + notes
            .iter()
            .map(|n| n.body.len() + n.sources.iter().map(String::len).sum::<usize>() + 512)
            .sum::<usize>()
        + terms.len() * 1024
        + xrefs.len() * 512
        + 16 * 1024;
    #[derive(Serialize)]
    struct Extra {
        text: TextView,
        toc: Vec<TocItem>,
        body: String,
        notes: Vec<EndnoteView>,
        prev: Option<NavItem>,
        next: Option<NavItem>,
        /// Each a [`TermPreview`], shared with the other pages; the built-in
        /// template no longer writes them (site templates may).
        terms: Vec<tera::Value>,
        /// The site-wide scripts that hold this page's term previews.
        term_scripts: Vec<String>,
        xrefs: Vec<XrefPreview>,
        cite: cite::Citation,
    }
    let extra = Extra {
        terms,
        term_scripts,
        xrefs,
        cite: cite::with_pages(cite::citation(&r.corpus.site, t), page_range(&at.pages)),
        text: text_view(t, at.notes.len(), at.links.len(), at.facts.numbered.len()),
        toc,
        body,
        notes,
        prev: ti.checked_sub(1).map(nav_item),
        next: (ti + 1 < r.texts.len()).then(|| nav_item(ti + 1)),
    };
    let c = common(
        r,
        site,
        "../",
        t.meta.title.clone(),
        &format!("text:{}", t.slug),
    );
    let html = render(tera, "text.html", &c, extra, size)?;
    Ok(OutputFile {
        path: format!("texts/{}.html", t.slug),
        bytes: html,
    })
}

/// The first and last page of the printed source that a text is on.
fn page_range(pages: &crate::resolve::Pages) -> Option<(&str, &str)> {
    let first = pages
        .start
        .as_deref()
        .or_else(|| pages.breaks.first().map(|b| b.label.as_str()))?;
    let last = pages.breaks.last().map_or(first, |b| b.label.as_str());
    Some((first, last))
}

/// The definitions of the glossary terms a reader page links, and the
/// targets of its cross-links, for the page's popovers.
fn previews(
    r: &Resolved,
    ti: usize,
    shared: &Shared,
) -> (Vec<tera::Value>, Vec<String>, Vec<XrefPreview>) {
    let at = &r.texts[ti];
    let mut ids: Vec<usize> = at
        .terms
        .iter()
        .map(|h| h.term)
        .filter(|&i| r.corpus.glossary[i].link != crate::model::LinkMode::None)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let scripts = shared.scripts.scripts_for(&ids);
    let terms = ids.into_iter().map(|i| shared.term_preview(r, i)).collect();
    let Some(ann) = r.annotations(ti) else {
        return (terms, scripts, Vec::new());
    };
    let xrefs = at
        .links
        .iter()
        .filter_map(|al| {
            let target = al.target.as_ref()?;
            let to = &r.texts[target.text()];
            let to_ann = r.annotations(target.text());
            let place = crate::resolve::target_place(&to.facts, to, to_ann, target);
            let to_text = &r.corpus.texts[target.text()];
            // A text let go keeps the excerpts other texts' links need.
            let found = place.and_then(|pl| match &to.doc {
                crate::resolve::DocRef::Held(doc) => {
                    Some(crate::resolve::TargetExcerpt::of(doc, &pl))
                }
                crate::resolve::DocRef::Source { .. } => {
                    to.facts.targets.get(&target.fragment()).cloned()
                }
            });
            let (place_label, excerpt, quote) = match found {
                Some(found) => {
                    let label = found
                        .number
                        .map(|n| format!("{} ¶ {n}", to_text.short_title()))
                        .unwrap_or_else(|| to_text.short_title().to_string());
                    (label, found.excerpt, found.quote)
                }
                None => (to_text.meta.title.clone(), String::new(), String::new()),
            };
            let link = &ann.links[al.index];
            Some(XrefPreview {
                id: link.id.clone(),
                href: text::target_href(r, ti, target),
                place: place_label,
                label: link.label.clone(),
                excerpt,
                quote,
            })
        })
        .collect();
    (terms, scripts, xrefs)
}

/// Renders every page in parallel and hands each to `emit` as soon as it is
/// ready, with its place in the site's order of pages (reader pages in text
/// order, then the index, the glossary, `404.html`, `search.html` and the
/// free pages), so
/// a build can write each page and let it go. Returns the template
/// failures, in that order.
pub fn render_pages(
    r: &Resolved,
    tera: &Tera,
    emit: &(dyn Fn(usize, OutputFile) + Sync),
) -> Vec<Diagnostic> {
    render_some(r, tera, &|_| true, emit)
}

/// The place of a page in the site's order of pages (see [`render_pages`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// The reader page of the text with this index.
    Reader(usize),
    Index,
    Glossary,
    NotFound,
    /// `search.html`, the full results of a search.
    Search,
    /// The free page with this index.
    Free(usize),
    /// The site-wide page with this index in [`Pages`]' list of them: the
    /// glossary entries' pages, the term previews, the timeline, the map and
    /// the bibliography.
    Extra(usize),
}

impl PageKind {
    /// Which page the `k`th of the site's order is, for a site of `texts`
    /// texts and `free` free pages.
    pub fn of(k: usize, texts: usize, free: usize) -> PageKind {
        match k {
            k if k < texts => PageKind::Reader(k),
            k if k == texts => PageKind::Index,
            k if k == texts + 1 => PageKind::Glossary,
            k if k == texts + 2 => PageKind::NotFound,
            k if k == texts + 3 => PageKind::Search,
            k if k < texts + 4 + free => PageKind::Free(k - texts - 4),
            k => PageKind::Extra(k - texts - 4 - free),
        }
    }
}

/// A site-wide page beyond the fixed ones.
enum ExtraPage {
    /// Page `page` (1-based) of glossary entry `term`.
    Entity {
        term: usize,
        page: usize,
    },
    /// The site-wide script of term previews with this index.
    TermScript(usize),
    Timeline,
    Map,
    /// `bibliography.html`, in a site with a bibliography.
    Bibliography,
}

/// Like [`render_pages`], for the pages `keep` selects (by their place in
/// the site's order): the preview re-renders only the pages an edit can
/// have changed.
pub fn render_some(
    r: &Resolved,
    tera: &Tera,
    keep: &(dyn Fn(usize) -> bool + Sync),
    emit: &(dyn Fn(usize, OutputFile) + Sync),
) -> Vec<Diagnostic> {
    let pages = Pages::new(r, tera);
    let n = r.texts.len();
    let total = pages.count();
    // The site-wide pages first: the glossary of a large collection is the
    // biggest single page, and should not be the last one left running.
    let order: Vec<usize> = (n..total).chain(0..n).filter(|&k| keep(k)).collect();
    let mut failures: Vec<(usize, Diagnostic)> = order
        .par_iter()
        .filter_map(|&k| {
            let page = pages.render(k, None);
            match page {
                Ok(f) => {
                    emit(k, f);
                    None
                }
                Err(d) => Some((k, d)),
            }
        })
        .collect();
    failures.sort_by_key(|f| f.0);
    failures.into_iter().map(|f| f.1).collect()
}

/// What rendering the pages of a site one by one needs, made once.
pub struct Pages<'a, 'c> {
    r: &'a Resolved<'c>,
    tera: &'a Tera,
    site: SiteView,
    shared: Shared,
    hits: entity::Hits,
    extras: Vec<ExtraPage>,
}

impl<'a, 'c> Pages<'a, 'c> {
    pub fn new(r: &'a Resolved<'c>, tera: &'a Tera) -> Self {
        let hits = entity::Hits::new(r);
        let shared = Shared::new(r);
        let extras = (0..r.corpus.glossary.len())
            .flat_map(|term| {
                (1..=hits.pages(term)).map(move |page| ExtraPage::Entity { term, page })
            })
            .chain((0..shared.scripts.len()).map(ExtraPage::TermScript))
            .chain(timeline::has_timeline(r).then_some(ExtraPage::Timeline))
            .chain(map::has_map(r).then_some(ExtraPage::Map))
            .chain((!r.corpus.bibliography.is_empty()).then_some(ExtraPage::Bibliography))
            .collect();
        Pages {
            r,
            tera,
            site: site_view(r),
            shared,
            hits,
            extras,
        }
    }

    /// How many pages the site has (see [`PageKind::of`]).
    pub fn count(&self) -> usize {
        self.r.texts.len() + 4 + self.r.corpus.pages.len() + self.extras.len()
    }

    /// The `k`th page of the site's order; a reader page from the text's
    /// analysis `doc` when it is given (else the text's own, see
    /// [`Resolved::doc`]).
    pub fn render(&self, k: usize, doc: Option<&Document>) -> Result<OutputFile, Diagnostic> {
        let (r, tera, site) = (self.r, self.tera, &self.site);
        match PageKind::of(k, r.texts.len(), r.corpus.pages.len()) {
            PageKind::Reader(ti) => reader_page(r, tera, site, ti, &self.shared, doc),
            PageKind::Index => index_page(r, tera, site),
            PageKind::Glossary => glossary_page(r, tera, site),
            PageKind::NotFound => not_found_page(r, tera, site),
            PageKind::Search => search_page(r, tera, site),
            PageKind::Free(i) => free_page(r, tera, site, i),
            PageKind::Extra(i) => match self.extras[i] {
                ExtraPage::Entity { term, page } => entity::entity_page(
                    r,
                    tera,
                    site,
                    &self.hits,
                    term,
                    page,
                    site.has_timeline,
                    site.has_map,
                ),
                ExtraPage::TermScript(i) => Ok(self.shared.scripts.file(i)),
                ExtraPage::Timeline => timeline::timeline_page(r, tera, site),
                ExtraPage::Map => map::map_page(r, tera, site),
                ExtraPage::Bibliography => bibliography::bibliography_page(r, tera, site),
            },
        }
    }
}

/// Renders every page into memory, in the site's order of pages. Template
/// failures are reported; the pages that rendered are returned either way.
pub fn render_site(r: &Resolved, tera: &Tera, report: &mut Report) -> Vec<OutputFile> {
    let pages = std::sync::Mutex::new(Vec::new());
    let failures = render_pages(r, tera, &|k, f| {
        pages.lock().unwrap_or_else(|e| e.into_inner()).push((k, f));
    });
    report.extend(failures);
    let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
    pages.sort_by_key(|p| p.0);
    pages.into_iter().map(|p| p.1).collect()
}
