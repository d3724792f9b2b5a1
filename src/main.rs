//! The `scholion` binary: parse the command line, run the library, print the
//! findings and map the outcome to an exit code (0 success, 1 content errors,
//! 2 usage, I/O or internal failure).

#![forbid(unsafe_code)]

mod cli;
mod completions;

use clap::Parser;
use cli::{Cli, Command, Format, ImportKind};
use scholion::config::Config;
use std::io::{IsTerminal, Write as _};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Shows the build's progress on one terminal line, redrawn a few times a
/// second after a short delay (a fast build shows nothing), and clears it
/// when the build is over.
fn show_progress(
    p: Arc<scholion::progress::Progress>,
) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::spawn(move || {
        let mut shown = false;
        let start = std::time::Instant::now();
        while !flag.load(Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(100));
            if start.elapsed() < std::time::Duration::from_millis(300)
                || flag.load(Ordering::Relaxed)
            {
                continue;
            }
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{}", p.line());
            let _ = err.flush();
            shown = true;
        }
        if shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    });
    (stop, handle)
}

/// A path as it can be pasted into a shell: quoted when it holds anything
/// but letters, digits and `-_./\\:`.
fn shell_word(p: &std::path::Path) -> String {
    let s = p.display().to_string();
    if s.chars()
        .all(|c| c.is_alphanumeric() || "-_./\\:".contains(c))
    {
        s
    } else {
        format!("\"{}\"", s.replace('"', "\\\""))
    }
}

/// After a build: where the site is, and the two ways to look at it.
fn how_to_open(config: &Config) -> String {
    let index = config.out.join("index.html");
    let shown = std::path::absolute(&index).unwrap_or(index);
    format!(
        "Open {} in a browser, or preview it with `scholion serve --root {}`",
        shown.display(),
        shell_word(&config.root)
    )
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            quiet,
        } => {
            let mut config = Config::new(Some(root), out, base_url, quiet);
            let shown_progress = (!quiet && std::io::stderr().is_terminal()).then(|| {
                let p = std::sync::Arc::new(scholion::progress::Progress::default());
                config.progress = Some(p.clone());
                show_progress(p)
            });
            let result = scholion::build(&config);
            if let Some((stop, handle)) = shown_progress {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                let _ = handle.join();
            }
            match result {
                Ok(built) => {
                    let report = &built.compiled.report;
                    let shown = if quiet {
                        scholion::diagnostics::Report {
                            diagnostics: report
                                .diagnostics
                                .iter()
                                .filter(|d| d.severity == scholion::diagnostics::Severity::Error)
                                .cloned()
                                .collect(),
                        }
                    } else {
                        report.clone()
                    };
                    eprint!("{}", shown.render_human(&config.root));
                    if report.errors() > 0 {
                        eprintln!(
                            "error: the build stopped with {} error(s); nothing was written, {} is unchanged",
                            report.errors(),
                            config.out.display()
                        );
                        ExitCode::from(1)
                    } else {
                        if !quiet {
                            eprintln!(
                                "Built {} into {} ({} files) in {} ms",
                                built.compiled.summary,
                                config.out.display(),
                                built.compiled.files.len() + 1,
                                built.elapsed.as_millis()
                            );
                            eprintln!("{}", how_to_open(&config));
                        }
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => {
            let options = scholion::serve::Options {
                root,
                port,
                bind,
                open,
            };
            match scholion::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    if let Some(help) = e.help() {
                        eprintln!("  = help: {help}");
                    }
                    ExitCode::from(e.exit_code())
                }
            }
        }
        Command::New { dir, git } => match scholion::scaffold::new_site(&dir) {
            Ok(files) => {
                eprintln!(
                    "Created {} with {} files. Next:",
                    dir.display(),
                    files.len()
                );
                let root = shell_word(&dir);
                eprintln!("  scholion serve --root {root}    (preview it in the browser)");
                eprintln!("  scholion check --root {root}    (list every problem)");
                eprintln!("  scholion build --root {root}    (publish it into {root}/public)");
                if !git {
                    eprintln!("To keep its history and publish it on GitHub Pages, make it a git repository (`scholion new --git` does it for you):");
                    eprintln!("  cd {root}");
                    eprintln!("  git init -b main");
                    return ExitCode::SUCCESS;
                }
                match std::process::Command::new("git")
                    .args(["init", "-q", "-b", "main"])
                    .current_dir(&dir)
                    .status()
                {
                    Ok(s) if s.success() => {
                        eprintln!("Made it a git repository (branch main); .github/workflows/pages.yml publishes it on GitHub Pages once pushed.");
                        ExitCode::SUCCESS
                    }
                    Ok(s) => {
                        eprintln!("error: `git init` failed ({s}); the site is complete: run `git init -b main` in {root} yourself");
                        ExitCode::from(2)
                    }
                    Err(e) => {
                        eprintln!("error: cannot run git ({e}); the site is complete: install git from https://git-scm.com and run `git init -b main` in {root}");
                        ExitCode::from(2)
                    }
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Completions { shell } => match completions::completions(shell) {
            Ok(()) => ExitCode::SUCCESS,
            // `scholion completions bash | head` is no failure.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write the completions: {e}");
                ExitCode::from(2)
            }
        },
        Command::Man { dir } => match completions::man(dir.as_deref()) {
            Ok(files) => {
                for f in files {
                    eprintln!("wrote {}", f.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write the manual: {e}");
                ExitCode::from(2)
            }
        },
        Command::Import {
            kind: ImportKind::Sources,
            root,
            dry_run,
            ..
        } => import_sources(&root, dry_run),
        Command::Import {
            kind: ImportKind::Hypothesis,
            file,
            text,
            root,
            ..
        } => {
            let (Some(file), Some(text)) = (file, text) else {
                eprintln!("error: give the export file and --text SLUG");
                return ExitCode::from(2);
            };
            import_hypothesis(&root, &file, &text)
        }
        Command::Check {
            root,
            format,
            deny_warnings,
        } => {
            let config = Config::new(Some(root), None, None, true);
            let compiled = scholion::check(&config);
            let report = &compiled.report;
            // Not diagnostics: they never fail `--deny-warnings`.
            for n in &compiled.notes {
                eprintln!("note: {n}");
            }
            match format {
                Format::Human => {
                    eprint!("{}", report.render_human(&config.root));
                    println!(
                        "checked: {}; {} error(s), {} warning(s)",
                        compiled.summary,
                        report.errors(),
                        report.warnings()
                    );
                }
                Format::Json => print!("{}", report.render_json()),
            }
            if report.errors() > 0 || (deny_warnings && report.warnings() > 0) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

/// `scholion import hypothesis FILE --text SLUG`.
fn import_hypothesis(root: &std::path::Path, file: &std::path::Path, text: &str) -> ExitCode {
    match scholion::import::import(root, file, text) {
        Ok(o) => {
            eprintln!(
                "Imported {} note(s) and {} link(s) into {}",
                o.notes.len(),
                o.links.len(),
                o.file
            );
            if o.other_texts > 0 {
                eprintln!(
                    "  {} annotation(s) of other texts were left aside",
                    o.other_texts
                );
            }
            for s in &o.skipped {
                eprintln!("  not imported: `{}` \"{}\": {}", s.id, s.quote, s.reason);
            }
            if o.skipped.is_empty() {
                ExitCode::SUCCESS
            } else {
                eprintln!("{} annotation(s) could not be anchored; fix their quotes and import them again, or add them by hand", o.skipped.len());
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `scholion import sources`: what was added and cited, and what was left.
fn import_sources(root: &std::path::Path, dry_run: bool) -> ExitCode {
    use scholion::import::sources::{import_sources, BIB_FILE};
    match import_sources(root, dry_run) {
        Ok(o) => {
            let verb = if dry_run { "would " } else { "" };
            if o.files.is_empty() && o.left.is_empty() {
                eprintln!("Every source is already cited by key: nothing to import");
                return ExitCode::SUCCESS;
            }
            if !o.added.is_empty() {
                eprintln!(
                    "{} {} work(s) to {BIB_FILE}: {}",
                    if dry_run { "Would add" } else { "Added" },
                    o.added.len(),
                    o.added.join(", ")
                );
            }
            for (f, n) in &o.files {
                eprintln!("  {f}: {verb}cite {n} source(s) by key");
            }
            if o.matched > 0 {
                eprintln!(
                    "  {} source(s) {verb}cite a work the bibliography already had",
                    o.matched
                );
            }
            for (f, line, item, why) in &o.left {
                eprintln!("  {f}:{line}: left as it is: \"{item}\": {why}");
            }
            if !o.added.is_empty() && !dry_run {
                eprintln!("Complete the new works in {BIB_FILE} (each has the text it came from above it), then run `scholion check`");
            }
            if o.left.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
