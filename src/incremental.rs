//! Incremental compiles, for `scholion serve`: after an edit, only what the
//! edit can have changed is anchored and rendered again.
//!
//! - **Parsing** is cached per file ([`crate::parse::ParseCache`]), keyed by
//!   its contents.
//! - **Anchoring** is cached per text ([`resolve::AnchorCache`]), keyed by
//!   the text and its annotations; a glossary change clears the cache.
//! - **Pages.** A change to the site settings, the glossary, the
//!   bibliography, the free pages, the templates, the list or order of
//!   texts or any text's particulars
//!   (title, date …, shown in other pages' navigation and cross-links)
//!   renders every page. Otherwise, with `C` the texts whose file or
//!   annotations changed, the reader pages rendered are those of `C`, of
//!   the texts that refer to a text of `C` (by a cross-link or a `[[…]]` in
//!   a note: they show its words and note numbers), and of the texts a text
//!   of `C` refers to (they show its cross-links as "Referenced from"),
//!   each before and after the edit; the pages of the glossary entries
//!   whose terms occur in a text of `C` or that its notes name, before or
//!   after the edit; plus the index, the glossary, the timeline, the
//!   bibliography and the free pages, which draw on every text.
//! - **Site-wide files** (search index, `annotations.jsonld`, sitemap) are
//!   made after the pages have been handed over, so a preview can show the
//!   edited page first.
//!
//! The files rendered are the files a full compile would give for them
//! (tested against [`crate::compile`] after every kind of edit).

use crate::config::Config;
use crate::diagnostics::Report;
use crate::hash::fingerprint;
use crate::output::OutputFile;
use crate::parse::refs;
use crate::pipeline::{Summary, Timings};
use crate::publish;
use crate::render::{self, PageKind};
use crate::resolve::{self, AnchorCache, Resolved};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// The payload with which the making of the site-wide files is given up.
struct Stopped;

/// The state kept between compiles.
pub struct Session {
    config: Config,
    parsed: crate::parse::ParseCache,
    anchors: AnchorCache,
    templates: Option<(u64, tera::Tera)>,
    /// What the last good compile was made from.
    last: Option<Last>,
}

struct Last {
    /// Everything that concerns every page (see the module's notes).
    global: u64,
    /// Per text (same order): the key of its file and annotations.
    texts: Vec<u64>,
    /// Per text: the texts it refers to.
    refers: Vec<BTreeSet<usize>>,
    /// Per text: the glossary entries whose pages draw on it.
    entries: Vec<BTreeSet<usize>>,
    /// Every page's path.
    pages: Vec<String>,
}

/// The pages of a compile: what the preview swaps in first.
pub struct Pages {
    pub report: Report,
    pub summary: Summary,
    /// The pages rendered by this compile, then the static files; empty
    /// when the site has errors.
    pub files: Vec<OutputFile>,
    /// The path of every page and static file the site now has (rendered
    /// this time or not).
    pub paths: Vec<String>,
    /// Whether every page was rendered.
    pub all: bool,
    /// Pages rendered, and the site's pages in all.
    pub rendered: usize,
    pub total: usize,
    /// Texts anchored afresh (the others came from the cache).
    pub anchored: usize,
}

impl Session {
    pub fn new(config: Config) -> Session {
        Session {
            config,
            parsed: Default::default(),
            anchors: AnchorCache::default(),
            templates: None,
            last: None,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Compiles the site; hands the pages to `pages` as soon as they are
    /// rendered, then makes and returns the site-wide files (search index,
    /// `annotations.jsonld`, sitemap, schemas). Returns `None`, and makes no
    /// site-wide files, when the site has errors; the next compile is then
    /// still compared with the last good one.
    ///
    /// `stop` is asked now and then while the site-wide files are made:
    /// when it says yes (a new edit is waiting), they are given up and
    /// `None` is returned although the pages were handed over; the next
    /// compile makes them.
    pub fn compile(
        &mut self,
        pages: impl FnOnce(Pages),
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<OutputFile>> {
        let mut report = Report::default();
        let timings = Timings::from_env();
        let corpus = crate::pipeline::read_corpus(
            &self.config,
            &mut report,
            &timings,
            Some(&mut self.parsed),
        );
        let summary = Summary::of(&corpus);
        let resolved = resolve::resolve_with(&corpus, &mut report, Some(&mut self.anchors));
        timings.lap("resolve");
        let anchored = self.anchors.anchored;
        let sources = render::template_sources(&self.config.root, &mut report);
        let templates_key = fingerprint(&sources);
        if self.templates.as_ref().map(|t| t.0) != Some(templates_key) {
            let mut template_report = Report::default();
            self.templates = render::compile_templates(sources, &mut template_report)
                .map(|tera| (templates_key, tera));
            report.extend(template_report.diagnostics);
        }
        let fail = |mut report: Report, pages: Box<dyn FnOnce(Pages) + '_>| {
            report.sort();
            pages(Pages {
                report,
                summary: summary.clone(),
                files: Vec::new(),
                paths: Vec::new(),
                all: false,
                rendered: 0,
                total: 0,
                anchored,
            });
            None
        };
        let Some((_, tera)) = self.templates.as_ref().filter(|_| report.errors() == 0) else {
            return fail(report, Box::new(pages));
        };

        let global = global_key(&resolved, templates_key);
        let keys: Vec<u64> = corpus
            .texts
            .iter()
            .map(|t| self.anchors.key(&t.slug).unwrap_or_default())
            .collect();
        let refers = references(&resolved);
        let entries = entries_drawn_on(&resolved);
        let n = corpus.texts.len();
        let last = self
            .last
            .as_ref()
            .filter(|last| last.global == global && last.texts.len() == n);
        let selected: Option<Vec<bool>> =
            last.and_then(|last| select(last, &keys, &refers, &resolved));
        // The entries' pages that draw on a changed text, before or after.
        let entries_selected: BTreeSet<usize> = match last {
            Some(last) if selected.is_some() => (0..n)
                .filter(|&i| keys[i] != last.texts[i])
                .flat_map(|i| last.entries[i].iter().chain(&entries[i]).copied())
                .collect(),
            _ => BTreeSet::new(),
        };
        let free = corpus.pages.len();
        let keep = |k: usize, entry: Option<usize>| match (PageKind::of(k, n, free), &selected) {
            (_, None) => true,
            (PageKind::Reader(ti), Some(sel)) => sel[ti],
            (PageKind::NotFound | PageKind::Search, Some(_)) => false,
            (_, Some(_)) => entry.is_none_or(|e| entries_selected.contains(&e)),
        };
        let rendered = Mutex::new(Vec::new());
        let failures = render::render_some(&resolved, tera, &keep, &|k, f| {
            rendered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((k, f));
        });
        timings.lap("pages");
        report.extend(failures);
        let statics = render::static_files(&self.config.root, &mut report);
        if report.errors() > 0 {
            return fail(report, Box::new(pages));
        }
        report.sort();
        let mut rendered = rendered.into_inner().unwrap_or_else(|e| e.into_inner());
        rendered.sort_by_key(|p| p.0);
        let page_paths: Vec<String> = match (&selected, &self.last) {
            (Some(_), Some(last)) => last.pages.clone(),
            _ => rendered.iter().map(|p| p.1.path.clone()).collect(),
        };
        let mut paths = page_paths.clone();
        paths.extend(statics.iter().map(|f| f.path.clone()));
        let count = rendered.len();
        let mut files: Vec<OutputFile> = rendered.into_iter().map(|p| p.1).collect();
        files.extend(statics);
        self.last = Some(Last {
            global,
            texts: keys,
            refers,
            entries,
            pages: page_paths.clone(),
        });
        pages(Pages {
            report,
            summary,
            files,
            paths,
            all: selected.is_none(),
            rendered: count,
            total: page_paths.len(),
            anchored,
        });
        let site = Mutex::new(Vec::new());
        // Giving up unwinds out of the work (which is on several threads)
        // with a payload of its own, caught here; the panic hook does not
        // run for it.
        let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            publish::site_files(&resolved, &|f: OutputFile| {
                if stop() {
                    std::panic::resume_unwind(Box::new(Stopped));
                }
                site.lock().unwrap_or_else(|e| e.into_inner()).push(f);
            });
        }));
        match made {
            Ok(()) => {}
            Err(payload) if payload.is::<Stopped>() => return None,
            Err(payload) => std::panic::resume_unwind(payload),
        }
        timings.lap("site files");
        let mut site = site.into_inner().unwrap_or_else(|e| e.into_inner());
        site.sort_by(|a, b| a.path.cmp(&b.path));
        Some(site)
    }
}

/// A key of everything every page draws on: the site settings, the
/// glossary, the bibliography (its files and style), the free pages, the
/// templates, and the list of texts with their particulars.
fn global_key(r: &Resolved, templates: u64) -> u64 {
    let c = r.corpus;
    let texts: Vec<(&str, &crate::model::TextMeta)> =
        c.texts.iter().map(|t| (t.slug.as_str(), &t.meta)).collect();
    fingerprint(&(
        &c.site,
        &c.glossary,
        &c.glossary_file,
        c.bibliography.source,
        &c.bibliography.style,
        &c.pages,
        texts,
        templates,
    ))
}

/// Per text, the texts it refers to: the targets of its cross-links and the
/// texts named by `[[…]]` in its notes.
fn references(r: &Resolved) -> Vec<BTreeSet<usize>> {
    (0..r.texts.len())
        .map(|ti| {
            let mut to: BTreeSet<usize> = r.texts[ti]
                .links
                .iter()
                .filter_map(|l| l.target.as_ref().map(|t| t.text()))
                .collect();
            if let Some(ann) = r.annotations(ti) {
                for note in &ann.notes {
                    to.extend(
                        refs::named(&note.body.get())
                            .into_iter()
                            .filter_map(|s| r.text_index(s)),
                    );
                }
            }
            to.remove(&ti);
            to
        })
        .collect()
}

/// Per text, the glossary entries whose pages draw on it: the terms that
/// occur in it (their lines, counts and ¶ numbers) and the entries its notes
/// name with `[[id]]` (listed under "Referred to in" with the note's
/// number). An entry's page changes with a text only if the text is among
/// them before or after the edit; what else it shows (the entry itself,
/// the texts' titles and order, other entries and free pages) is in the
/// key of what every page draws on.
fn entries_drawn_on(r: &Resolved) -> Vec<BTreeSet<usize>> {
    (0..r.texts.len())
        .map(|ti| {
            let mut e: BTreeSet<usize> = r.texts[ti].terms.iter().map(|h| h.term()).collect();
            if let Some(ann) = r.annotations(ti) {
                for note in &ann.notes {
                    e.extend(
                        refs::glossary_ids(&note.body.get())
                            .iter()
                            .filter_map(|id| r.term_index(id)),
                    );
                }
            }
            e
        })
        .collect()
}

/// The reader pages an edit can have changed (see the module's notes), or
/// `None` when every page must be rendered: when a glossary definition
/// names a changed text, every page that shows that term could change.
fn select(
    last: &Last,
    keys: &[u64],
    refers: &[BTreeSet<usize>],
    r: &Resolved,
) -> Option<Vec<bool>> {
    let changed: BTreeSet<usize> = (0..keys.len())
        .filter(|&i| keys[i] != last.texts[i])
        .collect();
    let named_by_glossary = r
        .corpus
        .glossary
        .iter()
        .flat_map(|t| refs::named(&t.definition))
        .filter_map(|s| r.text_index(s))
        .any(|i| changed.contains(&i));
    if named_by_glossary {
        return None;
    }
    let mut sel = vec![false; keys.len()];
    for &c in &changed {
        sel[c] = true;
        for &t in last.refers[c].iter().chain(&refers[c]) {
            sel[t] = true;
        }
    }
    for (t, s) in sel.iter_mut().enumerate() {
        if last.refers[t]
            .iter()
            .chain(&refers[t])
            .any(|x| changed.contains(x))
        {
            *s = true;
        }
    }
    Some(sel)
}

#[cfg(test)]
mod tests;
