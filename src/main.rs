//! The `scholion` binary: parse the command line, run the library, print the
//! findings and map the outcome to an exit code (0 success, 1 content errors,
//! 2 usage, I/O or internal failure).

mod cli;

use clap::Parser;
use cli::{Cli, Command, Format};
use scholion::config::Config;
use std::process::ExitCode;

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
            let config = Config::new(Some(root), out, base_url, quiet);
            match scholion::build(&config) {
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
        Command::New { dir } => match scholion::scaffold::new_site(&dir) {
            Ok(files) => {
                eprintln!(
                    "Created {} with {} files. Next:",
                    dir.display(),
                    files.len()
                );
                eprintln!("  scholion check --root {}", dir.display());
                eprintln!("  scholion serve --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Import {
            kind: _,
            file,
            text,
            root,
        } => match scholion::import::import(&root, &file, &text) {
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
        },
        Command::Check {
            root,
            format,
            deny_warnings,
        } => {
            let config = Config::new(Some(root), None, None, true);
            let compiled = scholion::compile(&config);
            let report = &compiled.report;
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
