//! Incremental compiles, for `scholion serve`: after an edit, only what the
//! edit can have changed is anchored and rendered again.
//!
//! - **Parsing** is cached per file ([`crate::parse::ParseCache`]), keyed by
//!   its contents.
//! - **Anchoring** is cached per text ([`resolve::AnchorCache`]), keyed by
//!   the text and its annotations; a glossary change clears the cache.
//! - **Pages.** A change to the site settings, the glossary, the free pages,
//!   the templates, the list or order of texts or any text's particulars
//!   (title, date …, shown in other pages' navigation and cross-links)
//!   renders every page. Otherwise, with `C` the texts whose file or
//!   annotations changed, the reader pages rendered are those of `C`, of
//!   the texts that refer to a text of `C` (by a cross-link or a `[[…]]` in
//!   a note: they show its words and note numbers), and of the texts a text
//!   of `C` refers to (they show its cross-links as "Referenced from"),
//!   each before and after the edit; plus the index, the glossary and the
//!   free pages, which draw on every text.
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
        let n = corpus.texts.len();
        let selected: Option<Vec<bool>> = self
            .last
            .as_ref()
            .filter(|last| last.global == global && last.texts.len() == n)
            .and_then(|last| select(last, &keys, &refers, &resolved));
        let free = corpus.pages.len();
        let keep = |k: usize| match (PageKind::of(k, n, free), &selected) {
            (_, None) => true,
            (PageKind::Reader(ti), Some(sel)) => sel[ti],
            (PageKind::NotFound | PageKind::Search, Some(_)) => false,
            (_, Some(_)) => true,
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
/// glossary, the free pages, the templates, and the list of texts with
/// their particulars.
fn global_key(r: &Resolved, templates: u64) -> u64 {
    let c = r.corpus;
    let texts: Vec<(&str, &crate::model::TextMeta)> =
        c.texts.iter().map(|t| (t.slug.as_str(), &t.meta)).collect();
    fingerprint(&(
        &c.site,
        &c.glossary,
        &c.glossary_file,
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
                        refs::named(&note.body)
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
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::Path;

    /// The test fixture plus three texts: `third` (noted), `fourth` (a
    /// cross-link to `third`) and `fifth` (on its own).
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/content");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = dir
                .path()
                .join("content")
                .join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let text = |slug: &str, order: u32, body: &str| {
            write(
                dir.path(),
                &format!("content/texts/{slug}.md"),
                &format!("---\ntitle: The {slug} text\norder: {order}\n---\n\n{body}\n"),
            );
        };
        text(
            "third",
            3,
            "A paragraph of the third text.\n\nAnother paragraph, about Moscow.",
        );
        text("fourth", 4, "The fourth text answers the third.");
        text("fifth", 5, "The fifth text stands alone.");
        write(
            dir.path(),
            "content/annotations/third.yaml",
            "notes:\n  - id: a-note\n    anchor: Another paragraph\n    body: A note on the third text.\n    sources: [\"A source\"]\n",
        );
        write(
            dir.path(),
            "content/annotations/fourth.yaml",
            "links:\n  - id: to-third\n    anchor: answers the third\n    to: third#p1\n",
        );
        dir
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn edit(root: &Path, rel: &str, from: &str, to: &str) {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} lacks {from:?}");
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    /// What a preview serves: the files of the first compile, updated by
    /// each later one as `serve` updates them.
    #[derive(Default)]
    struct Served {
        files: BTreeMap<String, Vec<u8>>,
        site_paths: BTreeSet<String>,
    }

    /// One compile: the paths of the pages rendered, whether all were, and
    /// the report.
    fn step(session: &mut Session, served: &mut Served) -> (BTreeSet<String>, bool, Report) {
        step_stopping(session, served, false)
    }

    /// A compile whose site-wide files are given up (`stop`) or not.
    fn step_stopping(
        session: &mut Session,
        served: &mut Served,
        stop: bool,
    ) -> (BTreeSet<String>, bool, Report) {
        let mut out = (BTreeSet::new(), false, Report::default());
        let site = session.compile(
            |p| {
                if p.report.errors() > 0 {
                    out.2 = p.report;
                    return;
                }
                let keep: BTreeSet<&String> = p.paths.iter().chain(&served.site_paths).collect();
                served.files.retain(|path, _| keep.contains(path));
                for f in p.files {
                    if p.paths.contains(&f.path)
                        && !f.path.ends_with(".css")
                        && !f.path.ends_with(".js")
                    {
                        out.0.insert(f.path.clone());
                    }
                    served.files.insert(f.path, f.bytes);
                }
                out.1 = p.all;
                out.2 = p.report;
            },
            &|| stop,
        );
        if let Some(site) = site {
            for p in std::mem::take(&mut served.site_paths) {
                served.files.remove(&p);
            }
            for f in site {
                served.site_paths.insert(f.path.clone());
                served.files.insert(f.path, f.bytes);
            }
        }
        out
    }

    /// The served files are exactly those of a fresh full compile.
    fn assert_same_as_full(root: &Path, served: &Served) {
        let full = crate::compile(&Config::new(Some(root.to_path_buf()), None, None, true));
        assert_eq!(full.report.errors(), 0, "{:?}", full.report);
        let full: BTreeMap<String, Vec<u8>> =
            full.files.into_iter().map(|f| (f.path, f.bytes)).collect();
        assert_eq!(
            full.keys().collect::<Vec<_>>(),
            served.files.keys().collect::<Vec<_>>(),
            "the served paths differ from a full compile's"
        );
        for (path, bytes) in &full {
            assert!(
                served.files[path] == *bytes,
                "{path} differs from a full compile's"
            );
        }
    }

    fn pages(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn each_edit_renders_only_the_pages_it_changes_and_they_match_a_full_compile() {
        let dir = site();
        let root = dir.path();
        let mut session = Session::new(Config::new(Some(root.to_path_buf()), None, None, true));
        let mut served = Served::default();
        let (_, all, report) = step(&mut session, &mut served);
        assert!(all && report.errors() == 0, "{report:?}");
        assert_same_as_full(root, &served);
        // The site-wide pages, the glossary entries' pages among them (each
        // shows the words around its term in every text), and the timeline
        // (it lists the texts by date).
        let site_pages = [
            "index.html",
            "glossary.html",
            "about.html",
            "timeline.html",
            "glossary/democratic-centralism.html",
            "glossary/moscow.html",
            "glossary/revisionism.html",
        ];

        // A note's words: its text, the text that links to it, the index,
        // the glossary and the free page.
        edit(
            root,
            "content/annotations/third.yaml",
            "A note on the third text.",
            "A note, reworded.",
        );
        let (rendered, all, _) = step(&mut session, &mut served);
        assert!(!all);
        let mut expected = pages(&["texts/third.html", "texts/fourth.html"]);
        expected.extend(pages(&site_pages));
        assert_eq!(rendered, expected);
        assert_eq!(
            session.anchors.anchored, 1,
            "only the edited text is anchored again"
        );
        assert_same_as_full(root, &served);

        // The paragraph a cross-link quotes.
        edit(
            root,
            "content/texts/third.md",
            "A paragraph of the third",
            "A changed paragraph of the third",
        );
        step(&mut session, &mut served);
        assert_same_as_full(root, &served);

        // A new cross-link, then its removal: both ends change.
        write(
            root,
            "content/annotations/fifth.yaml",
            "links:\n  - id: to-first\n    anchor: stands alone\n    to: first-text#coexistence\n    label: Not alone\n",
        );
        let (rendered, _, _) = step(&mut session, &mut served);
        assert!(
            rendered.contains("texts/first-text.html") && rendered.contains("texts/fifth.html")
        );
        assert!(!rendered.contains("texts/third.html"));
        assert_same_as_full(root, &served);
        std::fs::remove_file(root.join("content/annotations/fifth.yaml")).unwrap();
        let (rendered, _, _) = step(&mut session, &mut served);
        assert!(
            rendered.contains("texts/first-text.html") && rendered.contains("texts/fifth.html")
        );
        assert_same_as_full(root, &served);

        // A note moved to other words, and a note referring to another text.
        edit(
            root,
            "content/annotations/second-text.yaml",
            "anchor: Workers of the world, unite!",
            "anchor: one Central Committee",
        );
        step(&mut session, &mut served);
        assert_same_as_full(root, &served);
        edit(
            root,
            "content/annotations/third.yaml",
            "A note, reworded.",
            "Compare [[fifth]].",
        );
        let (rendered, _, _) = step(&mut session, &mut served);
        assert!(rendered.contains("texts/fifth.html"));
        assert_same_as_full(root, &served);

        // A title is shown on other pages: every page.
        edit(
            root,
            "content/texts/fifth.md",
            "title: The fifth text",
            "title: The Fifth Text",
        );
        let (_, all, _) = step(&mut session, &mut served);
        assert!(all);
        assert_same_as_full(root, &served);

        // The glossary: every page, and every text anchored again.
        edit(
            root,
            "content/glossary.yaml",
            "definition: A city.",
            "definition: A capital city.",
        );
        let (_, all, _) = step(&mut session, &mut served);
        assert!(all);
        assert_eq!(session.anchors.anchored, 5);
        assert_same_as_full(root, &served);

        // A broken edit changes nothing served; its fix is compared with
        // the last good build.
        edit(
            root,
            "content/annotations/fourth.yaml",
            "anchor: answers the third",
            "anchor: [unclosed",
        );
        let (rendered, _, report) = step(&mut session, &mut served);
        assert!(report.errors() > 0 && rendered.is_empty());
        edit(
            root,
            "content/annotations/fourth.yaml",
            "anchor: [unclosed",
            "anchor: The fourth text",
        );
        let (rendered, all, _) = step(&mut session, &mut served);
        assert!(
            !all && rendered.contains("texts/fourth.html") && rendered.contains("texts/third.html")
        );
        assert_same_as_full(root, &served);

        // A template of the site's own: every page.
        write(
            root,
            "templates/404.html",
            "{% extends \"base.html\" %}{% block content %}Lost.{% endblock content %}",
        );
        let (_, all, report) = step(&mut session, &mut served);
        assert!(all, "{report:?}");
        assert_same_as_full(root, &served);

        // A text added, then removed.
        write(
            root,
            "content/texts/sixth.md",
            "---\ntitle: Sixth\norder: 6\n---\n\nSix.\n",
        );
        let (_, all, _) = step(&mut session, &mut served);
        assert!(all);
        assert_same_as_full(root, &served);
        std::fs::remove_file(root.join("content/texts/sixth.md")).unwrap();
        step(&mut session, &mut served);
        assert_same_as_full(root, &served);
    }

    #[test]
    fn site_wide_files_given_up_for_a_newer_edit_are_made_by_the_next_compile() {
        let dir = site();
        let root = dir.path();
        let mut session = Session::new(Config::new(Some(root.to_path_buf()), None, None, true));
        let mut served = Served::default();
        step(&mut session, &mut served);
        edit(
            root,
            "content/annotations/third.yaml",
            "A note on the third text.",
            "A note about zeppelins.",
        );
        let search_before: Vec<String> = served.site_paths.iter().cloned().collect();
        let (rendered, _, report) = step_stopping(&mut session, &mut served, true);
        assert!(
            report.errors() == 0 && rendered.contains("texts/third.html"),
            "the pages still come"
        );
        assert_eq!(
            served.site_paths.iter().cloned().collect::<Vec<_>>(),
            search_before,
            "the old search index stays"
        );
        let jsonld = String::from_utf8(served.files["annotations.jsonld"].clone()).unwrap();
        assert!(
            !jsonld.contains("zeppelins"),
            "annotations.jsonld was not remade"
        );
        // Nothing changed since, yet the next compile makes them.
        step(&mut session, &mut served);
        let jsonld = String::from_utf8(served.files["annotations.jsonld"].clone()).unwrap();
        assert!(jsonld.contains("zeppelins"));
        assert_same_as_full(root, &served);
    }
}
