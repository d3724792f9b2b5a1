//! Scholion: Markdown texts and stand-off YAML annotations become a static
//! reader with notes, a glossary and cross-links.
//!
//! The pipeline runs one way: `load` (read `content/`) → `parse` (files to the
//! domain model) → `resolve` (anchors, terms, cross-links) → `render` (pages
//! from templates) → `write` (atomic swap of the output folder). `check` is
//! the same pipeline without the last step.

pub mod anchor;
pub mod config;
pub mod diagnostics;
pub mod document;
pub mod embedded;
pub mod export;
pub mod import;
pub mod load;
pub mod model;
pub mod parse;
pub mod publish;
pub mod refs;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod terms;
pub mod write;

use config::Config;
use diagnostics::Report;
use render::OutputFile;
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

/// The result of running the pipeline up to (not including) writing.
pub struct Compiled {
    pub report: Report,
    pub summary: Summary,
    /// Every output file; empty when there were errors.
    pub files: Vec<OutputFile>,
}

/// Loads, parses, resolves and renders the site in memory.
pub fn compile(config: &Config) -> Compiled {
    let mut report = Report::default();
    let loaded = load::load(&config.root, &mut report);
    let mut corpus = parse::parse_corpus(&loaded, &mut report);
    if config.base_url.is_some() {
        corpus.site.base_url = config.base_url.clone();
    }
    if corpus.site.edition_date.is_none() {
        corpus.site.edition_date = config::date_from_source_epoch();
    }
    let resolved = resolve::resolve(&corpus, &mut report);
    let summary = Summary {
        texts: corpus.texts.len(),
        notes: corpus.annotations.values().map(|a| a.notes.len()).sum(),
        links: corpus.annotations.values().map(|a| a.links.len()).sum(),
        glossary: corpus.glossary.len(),
        pages: corpus.pages.len(),
    };
    let mut files = Vec::new();
    if let Some(tera) = render::load_templates(&config.root, &mut report) {
        files = render::render_site(&resolved, &tera, &mut report);
        files.extend(publish::site_files(&resolved));
        files.extend(render::static_files(&config.root, &mut report));
    }
    report.sort();
    if report.errors() > 0 {
        files.clear();
    }
    Compiled {
        report,
        summary,
        files,
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
/// The output folder is checked before any work is done.
pub fn build(config: &Config) -> Result<Built, BuildError> {
    let start = Instant::now();
    let out = write::check_output_dir(&config.root, &config.out)?;
    let compiled = compile(config);
    if compiled.report.errors() == 0 {
        write::write_site(&out, &compiled.files)?;
    }
    Ok(Built {
        compiled,
        elapsed: start.elapsed(),
    })
}
