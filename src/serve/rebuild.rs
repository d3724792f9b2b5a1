//! The watcher's thread of `scholion serve`: it polls the folders, and
//! after each settled batch of edits compiles what changed in memory
//! (`crate::incremental`), swaps the changed files into the served output
//! and tells the open pages; a broken edit is reported in the terminal and
//! over the page while the last good build stays online.

use super::change::{self, Plan};
use super::output;
use super::{read, watch, write, Shared};
use crate::config::Config;
use crate::diagnostics::{Report, Severity};
use crate::incremental::Session;
use crate::output::OutputFile;
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// While the site-wide files are made, how often the folders are listed to
/// see whether a newer edit is waiting.
const STOP_CHECK_EVERY: Duration = Duration::from_millis(100);
/// How often idle event streams get a keep-alive comment.
const PING_EVERY: Duration = Duration::from_secs(15);

/// Runs builds and reports them in the terminal and to open pages.
pub(super) struct Builder {
    /// The last diagnostics printed, so unchanged warnings are not repeated.
    last_report: String,
    /// What is kept between compiles, so an edit recompiles only what it
    /// changes (`crate::incremental`).
    session: Session,
    /// The site-wide files (search index, `annotations.jsonld` …) served.
    site_paths: HashSet<String>,
}

impl Builder {
    pub(super) fn new(config: Config) -> Builder {
        Builder {
            last_report: String::new(),
            session: Session::new(config),
            site_paths: HashSet::new(),
        }
    }

    /// Polls the watched folders and rebuilds after each settled batch.
    pub(super) fn watch(mut self, shared: &Shared, mut snapshot: watch::Snapshot) {
        let mut debouncer = watch::Debouncer::default();
        let mut last_ping = Instant::now();
        loop {
            std::thread::sleep(if debouncer.is_settling() {
                watch::POLL_SETTLING
            } else {
                watch::POLL
            });
            let now_snapshot = watch::scan(&shared.config.root);
            let changes = watch::diff(&snapshot, &now_snapshot);
            let (now, now_system) = (Instant::now(), std::time::SystemTime::now());
            let written = watch::newest_write(&changes, &now_snapshot)
                .and_then(|m| watch::written_at(m, now_system, now));
            snapshot = now_snapshot;
            debouncer.observe(changes, now, written);
            if debouncer.ready(Instant::now()) {
                let start = Instant::now();
                let batch = debouncer.take();
                match change::plan(&batch) {
                    Plan::Nothing => {}
                    Plan::Static => {
                        eprintln!("{}", change::describe(&batch));
                        self.statics(shared, start);
                    }
                    Plan::Full => {
                        eprintln!("{}", change::describe(&batch));
                        self.full(shared, start, Some(&snapshot));
                    }
                }
            }
            if last_ping.elapsed() >= PING_EVERY {
                shared.hub.ping();
                last_ping = Instant::now();
            }
        }
    }

    /// Compiles what changed in memory and swaps in the changed files: the
    /// pages first (open pages reload then), then the site-wide files, which
    /// take longest on a large site and no open page depends on. `watched`
    /// is the listing the edit was seen in (`None` for the first build):
    /// when the folders change again while the site-wide files are being
    /// made, they are given up, and the next compile, which follows at
    /// once, makes them.
    pub(super) fn full(
        &mut self,
        shared: &Shared,
        start: Instant,
        watched: Option<&watch::Snapshot>,
    ) {
        let root = &shared.config.root;
        let first = watched.is_none();
        let last_look = Mutex::new(Instant::now());
        let stop = || {
            let Some(watched) = watched else {
                return false;
            };
            let mut last = last_look.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() < STOP_CHECK_EVERY {
                return false;
            }
            let changes = watch::diff(watched, &watch::scan(root));
            *last = Instant::now();
            matches!(change::plan(&changes), Plan::Full)
        };
        let Builder {
            last_report,
            session,
            site_paths,
        } = self;
        let mut pages_ok = false;
        let mut page_paths: HashSet<String> = HashSet::new();
        let mut pages_ms = 0;
        let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            session.compile(
                |pages| {
                    print_report(last_report, &pages.report, root);
                    if pages.report.errors() > 0 {
                        fail(shared, &pages.report);
                        return;
                    }
                    pages_ok = true;
                    page_paths = pages.paths.iter().cloned().collect();
                    let mut all = page_paths.clone();
                    all.extend(site_paths.iter().cloned());
                    let total = pages.paths.len() + site_paths.len();
                    let update = read(&shared.output).compare_within(pages.files, &all);
                    let changed = update.paths();
                    let line = changed_line(&update, total);
                    let build = write(&shared.output).apply(update);
                    shared.hub.built(build, &changed);
                    pages_ms = start.elapsed().as_millis();
                    if !first {
                        let what = if pages.all {
                            format!("all {} pages", pages.total)
                        } else {
                            format!("{} of {} pages", pages.rendered, pages.total)
                        };
                        eprintln!(
                        "rebuilt in {pages_ms} ms ({what}, {} of {} texts anchored again): {line}",
                        pages.anchored, pages.summary.texts
                    );
                    } else {
                        eprintln!(
                            "Built {} ({} pages) in memory in {pages_ms} ms",
                            pages.summary, pages.total
                        );
                    }
                },
                &stop,
            )
        }));
        let site = match compiled {
            Ok(site) => site,
            Err(_) => {
                // The session may be half updated: start afresh next time.
                *session = Session::new(shared.config.clone());
                let text = "error: internal error: the build stopped unexpectedly (a bug in Scholion; please report it)\n".to_string();
                eprint!("{text}");
                shared.hub.failed(text);
                return;
            }
        };
        let Some(site) = site else {
            if pages_ok {
                eprintln!(
                    "search index and annotations.jsonld left for the next edit, which is waiting"
                );
            }
            return;
        };
        // A static file of the same path wins, as in `scholion build`.
        let site: Vec<OutputFile> = site
            .into_iter()
            .filter(|f| !page_paths.contains(&f.path))
            .collect();
        let new_site: HashSet<String> = site.iter().map(|f| f.path.clone()).collect();
        let old_site = std::mem::replace(site_paths, new_site.clone());
        let mut all: HashSet<String> = read(&shared.output)
            .paths()
            .filter(|p| !old_site.contains(*p))
            .map(str::to_string)
            .collect();
        all.extend(new_site);
        let update = read(&shared.output).compare_within(site, &all);
        let line = changed_line(&update, all.len());
        let changed = update.paths();
        let build = write(&shared.output).apply(update);
        shared.hub.reload_only(build, &changed);
        compact(shared);
        let ms = start.elapsed().as_millis();
        if first {
            eprintln!(
                "Search index and annotations.jsonld made in {} ms",
                ms - pages_ms
            );
        } else {
            eprintln!(
                "site-wide files updated in {} ms more: {line}",
                ms.saturating_sub(pages_ms)
            );
        }
    }

    /// Re-reads the static files only and swaps in those that changed.
    fn statics(&mut self, shared: &Shared, start: Instant) {
        let mut report = Report::default();
        let files = crate::render::static_files(&shared.config.root, &mut report);
        if report.errors() > 0 {
            self.print_report(&report, &shared.config.root);
            fail(shared, &report);
            return;
        }
        let total = read(&shared.output).len();
        let update = read(&shared.output).compare_partial(files);
        let changed = update.paths();
        let line = changed_line(&update, total);
        let build = write(&shared.output).apply(update);
        // A content failure is still a failure: the overlay stays.
        if shared.hub.failure().is_some() {
            shared.hub.reload_only(build, &changed);
        } else {
            shared.hub.built(build, &changed);
        }
        compact(shared);
        eprintln!(
            "static files refreshed in {} ms: {}",
            start.elapsed().as_millis(),
            line
        );
    }

    fn print_report(&mut self, report: &Report, root: &std::path::Path) {
        print_report(&mut self.last_report, report, root);
    }
}

/// Gives back the dead space of the served site's temporary file once it
/// has outgrown the live files: the live files are copied into a new one
/// while requests are still answered from the old, then swapped in.
fn compact(shared: &Shared) {
    let compacted = read(&shared.output).compacted();
    if let Some(c) = compacted {
        write(&shared.output).swap(c);
    }
}

/// Prints the diagnostics of a build, unless they are those printed last.
fn print_report(last_report: &mut String, report: &Report, root: &std::path::Path) {
    let text = report.render_human(root);
    if text != *last_report {
        eprint!("{text}");
        *last_report = text;
    } else if report.warnings() > 0 && report.errors() == 0 {
        eprintln!("({} warning(s), as before)", report.warnings());
    }
}

/// Reports a failed build to the terminal and the open pages.
fn fail(shared: &Shared, report: &Report) {
    let errors = Report {
        diagnostics: report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect(),
    };
    let good = !read(&shared.output).is_empty();
    eprintln!(
        "error: the build has {} error(s); {}",
        report.errors(),
        if good {
            "still serving the last good build"
        } else {
            "nothing to serve until they are fixed"
        }
    );
    shared.hub.failed(errors.render_human(&shared.config.root));
}

/// The terminal's account of a swap: the paths when few, else counts.
/// `total` is the number of files of the new build.
fn changed_line(update: &output::Update, total: usize) -> String {
    let paths = update.paths();
    match paths.len() {
        0 => "no file changed".to_string(),
        1 if update.removed.is_empty() => format!("{} changed", paths[0]),
        n if n <= 4 => format!("{n} files changed ({})", paths.join(", ")),
        _ if update.removed.is_empty() => {
            format!("{} of {total} files changed", update.changed.len())
        }
        _ => format!(
            "{} of {total} files changed or added, {} removed",
            update.changed.len(),
            update.removed.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_names_few_changes_and_counts_many() {
        use std::sync::Arc;
        let file = |p: &str| (p.to_string(), Arc::from(&b"x"[..]));
        let mut u = output::Update::default();
        assert_eq!(changed_line(&u, 7), "no file changed");
        u.changed = vec![file("texts/a.html")];
        assert_eq!(changed_line(&u, 7), "texts/a.html changed");
        u.removed = vec!["search/v1/f0.js".into()];
        assert_eq!(
            changed_line(&u, 7),
            "2 files changed (search/v1/f0.js, texts/a.html)"
        );
        u.changed = (0..10)
            .map(|i| file(&format!("search/v2/f{i}.js")))
            .collect();
        u.removed = (0..10).map(|i| format!("search/v1/f{i}.js")).collect();
        assert_eq!(
            changed_line(&u, 12),
            "10 of 12 files changed or added, 10 removed"
        );
        u.removed.clear();
        assert_eq!(changed_line(&u, 12), "10 of 12 files changed");
    }
}
