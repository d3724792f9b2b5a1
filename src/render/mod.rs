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
pub mod facsimile;
pub mod fragment;
pub mod iiif;
pub mod map;
mod previews;
mod punctuation;
mod reader;
mod site_pages;
mod templates;
pub mod text;
pub mod timeline;

pub use escape::{escape_html, push_escaped};
use reader::*;
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
    render_some(r, tera, &|_, _| true, emit)
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
    keep: &(dyn Fn(usize, Option<usize>) -> bool + Sync),
    emit: &(dyn Fn(usize, OutputFile) + Sync),
) -> Vec<Diagnostic> {
    let pages = Pages::new(r, tera);
    let n = r.texts.len();
    let total = pages.count();
    // The site-wide pages first: the glossary of a large collection is the
    // biggest single page, and should not be the last one left running.
    let order: Vec<usize> = (n..total)
        .chain(0..n)
        .filter(|&k| keep(k, pages.entry_of(k)))
        .collect();
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

    /// The glossary entry whose page (or continuation page) the `k`th page
    /// is, when it is one.
    pub fn entry_of(&self, k: usize) -> Option<usize> {
        match PageKind::of(k, self.r.texts.len(), self.r.corpus.pages.len()) {
            PageKind::Extra(i) => match self.extras[i] {
                ExtraPage::Entity { term, .. } => Some(term),
                _ => None,
            },
            _ => None,
        }
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
