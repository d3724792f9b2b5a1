//! `scholion new DIR`: a ready site folder with one short public-domain text
//! (the Gettysburg Address), a few notes, two works of a bibliography that
//! the notes cite, two glossary entries, a cross-link and an About page,
//! which builds and checks clean. Every YAML file starts
//! with a `yaml-language-server` line pointing at the JSON Schemas copied
//! into the site, so an editor completes keys and flags typos while typing.
//! It is also a site repository ready for GitHub: a `.gitignore` for the
//! output and the GitHub Pages workflow of docs/deploy/github-pages.yml,
//! which installs the released Scholion instead of compiling it.

use crate::publish::SCHEMAS;
use std::path::{Path, PathBuf};

/// Where the About page sends an editor for help: the guide, at the
/// project's address (`repository` in Cargo.toml).
const GUIDE: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/guide.md");

const FILES: [(&str, &str); 8] = [
    ("content/site.yaml", include_str!("scaffold/site.yaml")),
    (
        "content/texts/gettysburg-address.md",
        include_str!("scaffold/gettysburg-address.md"),
    ),
    (
        "content/annotations/gettysburg-address.yaml",
        include_str!("scaffold/gettysburg-address.yaml"),
    ),
    (
        "content/glossary.yaml",
        include_str!("scaffold/glossary.yaml"),
    ),
    (
        "content/bibliography.bib",
        include_str!("scaffold/bibliography.bib"),
    ),
    ("content/pages/about.md", include_str!("scaffold/about.md")),
    (".gitignore", "/public\n"),
    (
        ".github/workflows/pages.yml",
        include_str!("../docs/deploy/github-pages.yml"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("{0} exists and is not empty: choose a new folder name")]
    NotEmpty(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Creates the site folder `dir`; returns the files written, relative to it.
pub fn new_site(dir: &Path) -> Result<Vec<String>, NewError> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(NewError::NotEmpty(dir.to_path_buf()));
    }
    let mut written = Vec::new();
    let schemas = SCHEMAS
        .iter()
        .map(|(name, text)| (format!("schemas/{name}"), *text));
    for (rel, text) in FILES
        .iter()
        .map(|(p, t)| (p.to_string(), *t))
        .chain(schemas)
    {
        let text = text.replace("{scholion-guide}", GUIDE);
        let path = dir.join(&rel);
        let io = |source| NewError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(path.parent().unwrap_or(dir)).map_err(io)?;
        std::fs::write(&path, &text).map_err(|source| NewError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(rel);
    }
    Ok(written)
}
