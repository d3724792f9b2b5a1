//! The command line, as clap types only.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// What `scholion --version` prints after the name: the version and the
/// commit it was built from (see build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("SCHOLION_COMMIT"),
    ")"
);

#[derive(Parser, Debug)]
#[command(
    name = "scholion",
    version = VERSION,
    about = "Publish annotated primary sources: Markdown texts and YAML notes become a static reader"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (default: ROOT/public)
    Build {
        /// The site folder (the one that holds content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder
        #[arg(long)]
        out: Option<PathBuf>,
        /// The address where the site will be published (wins over base_url in site.yaml)
        #[arg(long)]
        base_url: Option<String>,
        /// Print only errors
        #[arg(long)]
        quiet: bool,
    },
    /// Report every problem in the site without writing anything
    Check {
        /// The site folder (the one that holds content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors (exit code 1)
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Preview the site while editing: build in memory, serve on loopback, rebuild and reload on change
    Serve {
        /// The site folder (the one that holds content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0: any free port)
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on; another than loopback makes the preview visible on the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Create a ready site folder with an example text, notes and a glossary
    New {
        /// The folder to create (it must not exist, or be empty)
        dir: PathBuf,
        /// Also make the folder a git repository (`git init -b main`), ready to push to GitHub
        #[arg(long)]
        git: bool,
    },
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a folder
    Man {
        /// Write scholion.1 and scholion-<command>.1 into this folder instead
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Add notes to a text from an annotation export, or turn plain-text sources into citations of the bibliography
    Import {
        /// What to import: notes from a Hypothesis or W3C Web Annotation export, or the site's own plain-text sources
        #[arg(value_enum)]
        kind: ImportKind,
        /// The export file (hypothesis)
        #[arg(required_if_eq("kind", "hypothesis"))]
        file: Option<PathBuf>,
        /// The slug of the text the notes belong to (hypothesis)
        #[arg(long, required_if_eq("kind", "hypothesis"))]
        text: Option<String>,
        /// The site folder (the one that holds content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Say what would change and write nothing (sources)
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// A Hypothesis export or API response, or W3C Web Annotations (JSON-LD)
    Hypothesis,
    /// The plain-text `sources:` of notes and glossary entries: stub works in content/bibliography.bib, the items cited by key
    Sources,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}
