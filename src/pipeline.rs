//! The pipeline's driver: `load` → `parse` → `resolve` → `render`,
//! `search` and `publish` → `write` (atomic swap of the output folder),
//! with the summary line of `check` and the stage timings. `check` is the
//! same run without the last step; the preview's compiles
//! (`crate::incremental`) reuse its first steps.

use crate::config::{self, Config};
use crate::diagnostics::{self, Report};
use crate::output::OutputFile;
use crate::{load, parse, progress, publish, render, resolve, write};
use rayon::prelude::*;
use std::sync::Mutex;
use std::time::Instant;

/// What a site holds, counted from the files (the summary line of `check`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub texts: usize,
    pub notes: usize,
    pub links: usize,
    pub glossary: usize,
    pub pages: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |count: usize, one: &str, many: &str| {
            format!("{count} {}", if count == 1 { one } else { many })
        };
        write!(
            f,
            "{}, {}, {}, {}, {}",
            n(self.texts, "text", "texts"),
            n(self.notes, "note", "notes"),
            n(self.links, "link", "links"),
            n(self.glossary, "glossary entry", "glossary entries"),
            n(self.pages, "page", "pages")
        )
    }
}

impl Summary {
    pub fn of(corpus: &crate::model::Corpus) -> Summary {
        Summary {
            texts: corpus.texts.len(),
            notes: corpus.annotations.values().map(|a| a.notes.len()).sum(),
            links: corpus.annotations.values().map(|a| a.links.len()).sum(),
            glossary: corpus.glossary.len(),
            pages: corpus.pages.len(),
        }
    }
}

/// Reads and parses `content/`, with the settings of `config` applied.
pub(crate) fn read_corpus(
    config: &Config,
    report: &mut Report,
    timings: &Timings,
    cache: Option<&mut parse::ParseCache>,
) -> crate::model::Corpus {
    // Without a parse cache (a build or a check, not the preview), the
    // texts of a large collection are read one by one as they are parsed,
    // and their bodies let go: read again when each is anchored.
    let defer = cache.is_none().then_some(config.hold_texts_max);
    let loaded = load::load_with(&config.root, report, defer);
    timings.lap("load");
    let mut corpus = parse::parse_corpus_with(loaded, report, cache);
    timings.lap("parse");
    if let Some(base) = &config.base_url {
        match crate::url::refused_scheme(base) {
            None => corpus.site.base_url = Some(base.clone()),
            Some(scheme) => report.push(parse::url_refused("", "--base-url", &scheme)),
        }
    }
    if corpus.site.edition_date.is_none() {
        corpus.site.edition_date = config::date_from_source_epoch();
    }
    corpus
}

/// The result of running the pipeline up to (not including) writing.
pub struct Compiled {
    pub report: Report,
    pub summary: Summary,
    /// Every output file; empty when there were errors. After `build` the
    /// files are on disk, and after `check` nowhere: only their paths are
    /// kept here (empty bytes).
    pub files: Vec<OutputFile>,
    /// What `check` says beside its diagnostics, one line each: choices
    /// that are not problems (no IIIF manifest without a `base_url`).
    pub notes: Vec<String>,
}

/// Loads, parses, resolves and renders the site in memory.
pub fn compile(config: &Config) -> Compiled {
    match run(config, Output::Memory) {
        Ok(c) => c,
        Err(_) => unreachable!("nothing is written without a staging folder"),
    }
}

/// Everything `build` checks and renders, writing nothing: `compiled.files`
/// lists the paths a build would write (their bytes are not kept), so the
/// memory of a check does not grow with the size of the published site.
pub fn check(config: &Config) -> Compiled {
    match run(config, Output::Paths) {
        Ok(c) => c,
        Err(_) => unreachable!("nothing is written without a staging folder"),
    }
}

/// Where the rendered files go.
#[derive(Clone, Copy)]
enum Output<'a> {
    /// Kept in memory.
    Memory,
    /// Written into the staging folder as soon as they are rendered.
    Staged(&'a write::Staging),
    /// Dropped once rendered; only their paths are kept.
    Paths,
}

/// The pipeline. Files written into a staging folder, or only checked, keep
/// just their paths, so the memory of a build does not grow with the size
/// of the published site. A site with errors writes nothing, but is still
/// rendered, so template failures are reported with the rest.
fn run(config: &Config, output: Output) -> Result<Compiled, write::WriteError> {
    let mut report = Report::default();
    let timings = Timings::from_env();
    let mut corpus = read_corpus(config, &mut report, &timings, None);
    let progress = config.progress.as_deref();
    if let Some(p) = progress {
        p.start(progress::Stage::Anchoring, corpus.texts.len());
    }
    let markdown: usize = corpus.texts.iter().map(|t| t.body.len()).sum();
    let folder = load::Folder(config.root.clone());
    let deferred = corpus.texts.iter().any(|t| t.body_fingerprint.is_some());
    let mut store = None;
    let resolved = if markdown <= config.hold_texts_max && !deferred {
        let docs = resolve::analyse_texts(&mut corpus);
        resolve::resolve_analysed(&corpus, &mut report, docs)
    } else {
        // Each text is analysed, anchored and let go, with its Markdown;
        // its analysis is made again from its file for its own files.
        let bodies: Vec<String> = corpus
            .texts
            .iter_mut()
            .map(|t| std::mem::take(&mut t.body))
            .collect();
        // The notes' bodies, and each text's glossary lines once it is
        // anchored, are written out to a temporary file and read again
        // where they are used. Without one (none can be made) they stay
        // held.
        store = crate::scratch::Strings::new().ok();
        if let Some(s) = &store {
            corpus.annotations.par_iter_mut().for_each(|(_, a)| {
                crate::scratch::spill(s, a.notes.iter_mut().map(|n| &mut n.body));
            });
        }
        resolve::resolve_released(&corpus, &mut report, bodies, &folder, store.as_ref())
    };
    timings.lap("resolve");
    if let Some(p) = progress {
        let anchored = resolved
            .texts
            .iter()
            .map(|t| t.notes.len() + t.links.len())
            .sum();
        p.anchored
            .store(anchored, std::sync::atomic::Ordering::Relaxed);
        p.start(
            progress::Stage::Rendering,
            resolved.texts.len() + 4 + corpus.pages.len(),
        );
    }
    let summary = Summary::of(&corpus);
    let notes: Vec<String> = render::iiif::why_none(&resolved).into_iter().collect();
    let output = match output {
        Output::Staged(_) if report.errors() > 0 => Output::Paths,
        o => o,
    };
    let failed: Mutex<Option<write::WriteError>> = Mutex::new(None);
    // Writes a file into the staging folder, or keeps it in memory, or drops
    // it; what is returned is kept in `Compiled::files`.
    let put = |f: OutputFile| -> OutputFile {
        if let Output::Staged(s) = output {
            if let Err(e) = s.write(&f) {
                failed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert(e);
            }
        }
        match output {
            Output::Memory => f,
            Output::Staged(_) | Output::Paths => OutputFile {
                path: f.path,
                bytes: Vec::new(),
            },
        }
    };
    let mut files = Vec::new();
    if let Some(tera) = render::load_templates(&config.root, &mut report) {
        let pages = Mutex::new(Vec::new());
        let failures = Mutex::new(Vec::new());
        let renderer = render::Pages::new(&resolved, &tera);
        let record = |k: usize, page: Result<OutputFile, diagnostics::Diagnostic>| match page {
            Ok(f) => {
                let f = put(f);
                if let Some(p) = progress {
                    p.tick();
                }
                pages.lock().unwrap_or_else(|e| e.into_inner()).push((k, f));
            }
            Err(d) => failures
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((k, d)),
        };
        let texts = resolved.texts.len();
        // The site-wide pages beside the texts. Each text's analysis is made
        // once (it was let go after anchoring) for its page, its annotations
        // and its search documents.
        let ((), site_files) = rayon::join(
            || {
                (texts..renderer.count())
                    .into_par_iter()
                    .for_each(|k| record(k, renderer.render(k, None)));
                timings.lap("site pages");
            },
            || {
                if let Output::Paths = output {
                    // Nothing is written: every page is still rendered (a
                    // template can fail on any text), but the search index
                    // and the JSON-LD export, which report nothing, are
                    // not made.
                    (0..texts).into_par_iter().for_each(|ti| {
                        record(
                            ti,
                            resolved.doc(ti).and_then(|d| renderer.render(ti, Some(&d))),
                        );
                    });
                    timings.lap("texts");
                    return Vec::new();
                }
                let sink = SiteSink {
                    output,
                    put: &put,
                    failed: &failed,
                    files: Mutex::new(Vec::new()),
                };
                publish::site_files_with(&resolved, &sink, &|ti, doc| {
                    record(ti, doc.and_then(|d| renderer.render(ti, Some(d))));
                });
                timings.lap("texts and site files");
                let mut files = sink.files.into_inner().unwrap_or_else(|e| e.into_inner());
                files.sort_by(|a, b| a.path.cmp(&b.path));
                files
            },
        );
        let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
        failures.sort_by_key(|f| f.0);
        let failures: Vec<_> = failures.into_iter().map(|f| f.1).collect();
        report.extend(failures);
        let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
        pages.sort_by_key(|p| p.0);
        files.extend(pages.into_iter().map(|p| p.1));
        files.extend(site_files);
        let statics = render::static_files(&config.root, &mut report);
        files.extend(statics.into_iter().map(put));
        timings.lap("static files");
    }
    if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    if let Some(e) = store.and_then(|s| s.failure()) {
        report.push(read_back_failed(&e));
    }
    report.sort();
    if report.errors() > 0 {
        files.clear();
    }
    Ok(Compiled {
        report,
        summary,
        files,
        notes,
    })
}

/// E0007: what a large build wrote out to its temporary file could not be
/// read back, so some notes or lines would be missing from the pages.
fn read_back_failed(e: &std::io::Error) -> diagnostics::Diagnostic {
    let temp = std::env::temp_dir();
    diagnostics::Diagnostic::error(
        "E0007",
        "",
        format!(
            "the notes and glossary lines written to a temporary file in {} could not be read back ({e})",
            temp.display()
        ),
    )
    .help("nothing was published; free space there or check the disk, or set TMPDIR to another folder, and build again")
}

/// Where `run` sends the site files: each through `put`, and a large file
/// made in pieces (`annotations.jsonld`) straight into the staging folder.
struct SiteSink<'a, P: Fn(OutputFile) -> OutputFile + Sync> {
    output: Output<'a>,
    put: &'a P,
    failed: &'a Mutex<Option<write::WriteError>>,
    files: Mutex<Vec<OutputFile>>,
}

impl<P: Fn(OutputFile) -> OutputFile + Sync> publish::Emit for SiteSink<'_, P> {
    fn file(&self, f: OutputFile) {
        let f = (self.put)(f);
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
    }

    fn stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut (dyn std::io::Write + Send)) -> std::io::Result<()>,
    ) {
        let mut bytes = Vec::new();
        match self.output {
            // Writing into a Vec or into nothing cannot fail.
            Output::Memory => {
                let _ = fill(&mut bytes);
            }
            Output::Paths => {
                let _ = fill(&mut std::io::sink());
            }
            Output::Staged(s) => {
                if let Err(e) = s.write_with(path, fill) {
                    self.failed
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get_or_insert(e);
                }
            }
        }
        let path = path.to_string();
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(OutputFile { path, bytes });
    }

    fn failed(&self, path: &str, source: std::io::Error) {
        self.failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(write::WriteError::Io {
                path: path.into(),
                source,
            });
    }
}

/// Stage times on standard error when `SCHOLION_TIMINGS` is set: for
/// profiling a large collection (docs/performance.md), not part of the
/// interface.
pub(crate) struct Timings(Option<Instant>);

impl Timings {
    pub(crate) fn from_env() -> Timings {
        Timings(std::env::var_os("SCHOLION_TIMINGS").map(|_| Instant::now()))
    }

    /// Prints the time since the pipeline started, with the stage just done.
    pub(crate) fn lap(&self, stage: &str) {
        if let Some(start) = self.0 {
            eprintln!(
                "timings: {stage} done at {} ms",
                start.elapsed().as_millis()
            );
        }
    }
}

/// The outcome of `build`.
pub struct Built {
    pub compiled: Compiled,
    pub elapsed: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// Compiles the site and, when it has no errors, writes it to `config.out`.
/// The output folder is checked before any work is done. Files are written
/// into a temporary folder as they are rendered, and that folder replaces
/// the output only when the whole build succeeded; `compiled.files` then
/// lists the paths written (their bytes are not kept).
pub fn build(config: &Config) -> Result<Built, BuildError> {
    let start = Instant::now();
    let out = write::check_output_dir(&config.root, &config.out)?;
    let staging = write::Staging::create(&out)?;
    let compiled = run(config, Output::Staged(&staging))?;
    if compiled.report.errors() == 0 {
        staging.commit()?;
    }
    Ok(Built {
        compiled,
        elapsed: start.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaffold;

    /// `check` renders every page a build renders, so a template that fails
    /// on one text only is reported as a build reports it; it keeps only
    /// the paths, and it leaves out the search index and the exports
    /// (JSON-LD, the sitemap, the bibliography's CSL-JSON), which report
    /// nothing.
    #[test]
    fn check_reports_what_a_build_reports_and_keeps_only_the_paths() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let config = Config::new(Some(root.clone()), None, None, true);
        let checked = check(&config);
        let compiled = compile(&config);
        assert_eq!(checked.report.errors(), 0);
        assert_eq!(checked.summary, compiled.summary);
        let paths = |c: &Compiled| c.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        let pages: Vec<String> = paths(&compiled)
            .into_iter()
            .filter(|p| !p.starts_with("search/") && !p.starts_with("schemas/"))
            .filter(|p| {
                !["annotations.jsonld", "sitemap.xml", "bibliography.json"].contains(&p.as_str())
            })
            .collect();
        assert_eq!(paths(&checked), pages);
        assert!(checked.files.iter().all(|f| f.bytes.is_empty()));
        assert!(compiled.files.iter().any(|f| !f.bytes.is_empty()));

        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        scaffold::new_site(&site).unwrap();
        let mut report = Report::default();
        let corpus = parse::parse_corpus_with(load::load(&site, &mut report), &mut report, None);
        let slug = corpus.texts[0].slug.clone();
        let text = std::fs::read_to_string(root.join("templates/text.html")).unwrap();
        let failing = text.replacen(
            "<h1>{{ text.title | smart }}</h1>",
            &format!(
                "{{% if text.slug == \"{slug}\" %}}{{{{ text.no_such_field.x }}}}{{% endif %}}"
            ),
            1,
        );
        assert_ne!(failing, text);
        std::fs::create_dir_all(site.join("templates")).unwrap();
        std::fs::write(site.join("templates/text.html"), failing).unwrap();
        let config = Config::new(Some(site), None, None, true);
        let checked = check(&config).report;
        let compiled = compile(&config).report;
        assert_eq!(checked.errors(), 1, "{}", checked.render_json());
        assert_eq!(checked.render_json(), compiled.render_json());
        assert!(
            checked.render_json().contains("E0503"),
            "{}",
            checked.render_json()
        );
    }

    /// A large collection lets each text's analysis go after anchoring
    /// and makes it again for the text's own files: the site is the same,
    /// byte for byte, cross-link previews into other texts included.
    #[test]
    fn letting_analyses_go_changes_nothing_published() {
        let manifest = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        for root in [manifest.clone(), manifest.join("tests/fixtures/basic")] {
            let held = compile(&Config::new(Some(root.clone()), None, None, true));
            let mut config = Config::new(Some(root.clone()), None, None, true);
            config.hold_texts_max = 0;
            let released = compile(&config);
            assert_eq!(held.report.errors(), 0, "{}", root.display());
            assert_eq!(released.report.errors(), 0);
            assert_eq!(held.files.len(), released.files.len());
            for (a, b) in held.files.iter().zip(&released.files) {
                assert_eq!(a.path, b.path);
                assert!(a.bytes == b.bytes, "{} differs", a.path);
            }
            assert!(held.files.iter().any(|f| f.path.starts_with("texts/")
                && String::from_utf8_lossy(&f.bytes).contains("id=\"xref-previews\"")));
        }
    }

    /// A build lets each text's analysis go once the text is anchored and
    /// makes it again from the file for the text's own files: a file edited
    /// in between is reported (E0006), never published half old, half new.
    #[test]
    fn a_text_edited_during_a_build_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        scaffold::new_site(&site).unwrap();
        let mut report = Report::default();
        let mut corpus =
            parse::parse_corpus_with(load::load(&site, &mut report), &mut report, None);
        let bodies = corpus
            .texts
            .iter_mut()
            .map(|t| std::mem::take(&mut t.body))
            .collect();
        let folder = load::Folder(site.clone());
        let resolved = resolve::resolve_released(&corpus, &mut report, bodies, &folder, None);
        assert!(matches!(
            resolved.texts[0].doc,
            resolve::DocRef::Source { .. }
        ));
        let doc = resolved.doc(0).expect("the file is unchanged");
        assert!(!doc.passages.is_empty());
        let file = site.join(&corpus.texts[0].file);
        let source = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, format!("{source}\nA paragraph written meanwhile.\n")).unwrap();
        let e = resolved.doc(0).unwrap_err();
        assert_eq!(e.code, "E0006");
        assert_eq!(e.file, corpus.texts[0].file);
        std::fs::remove_file(&file).unwrap();
        assert_eq!(resolved.doc(0).unwrap_err().code, "E0006");
    }

    /// A large collection's texts are read one by one as they are parsed
    /// and their Markdown let go, so it is never held all at once; a text
    /// edited before it is anchored is reported (E0006) and anchored as it
    /// now reads, so the error is not buried under its notes failing to
    /// anchor.
    #[test]
    fn a_large_collections_texts_are_read_as_parsed_and_anchored_again() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        scaffold::new_site(&site).unwrap();
        let mut report = Report::default();
        let loaded = load::load_with(&site, &mut report, Some(0));
        assert!(loaded.texts_deferred.is_some());
        assert!(!loaded.texts.is_empty());
        assert!(loaded.texts.iter().all(|t| t.text.is_empty()));
        let corpus = parse::parse_corpus_with(loaded, &mut report, None);
        assert_eq!(report.errors(), 0, "{}", report.render_json());
        assert!(corpus
            .texts
            .iter()
            .all(|t| t.body.is_empty() && t.body_fingerprint.is_some()));
        let notes = corpus
            .annotations
            .values()
            .map(|a| a.notes.len())
            .sum::<usize>();
        assert!(notes > 0);
        let file = site.join(&corpus.texts[0].file);
        let source = std::fs::read_to_string(&file).unwrap();
        std::fs::write(
            &file,
            source.replace("\n\n", "\n\nA paragraph written meanwhile.\n\n"),
        )
        .unwrap();
        let bodies = corpus.texts.iter().map(|_| String::new()).collect();
        let folder = load::Folder(site.clone());
        let resolved = resolve::resolve_released(&corpus, &mut report, bodies, &folder, None);
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E0006"], "{}", report.render_json());
        assert_eq!(report.diagnostics[0].file, corpus.texts[0].file);
        assert!(!resolved.texts[0].notes.is_empty());
        // Below the limit nothing is deferred.
        let mut report = Report::default();
        let loaded = load::load_with(&site, &mut report, Some(usize::MAX));
        assert!(loaded.texts_deferred.is_none());
        assert!(loaded.texts.iter().all(|t| !t.text.is_empty()));
    }

    /// A build writes some files as they are made (`annotations.jsonld`
    /// through a buffer): on disk they are what `compile` holds.
    #[test]
    fn a_build_writes_what_compile_holds() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let config = Config::new(Some(root.clone()), Some(out.clone()), None, true);
        let built = build(&config).unwrap();
        assert_eq!(built.compiled.report.errors(), 0);
        let compiled = compile(&Config::new(Some(root), None, None, true));
        assert_eq!(built.compiled.files.len(), compiled.files.len());
        for f in &compiled.files {
            let on_disk = std::fs::read(out.join(&f.path)).unwrap();
            assert!(
                on_disk == f.bytes,
                "{} differs from the compiled file",
                f.path
            );
        }
        let jsonld = compiled
            .files
            .iter()
            .find(|f| f.path == "annotations.jsonld")
            .unwrap();
        assert!(jsonld.bytes.ends_with(b"\n]}}\n"));
    }
}
