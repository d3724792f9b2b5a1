//! From raw files to the domain model: front matter, `site.yaml`, annotation
//! files and the glossary, each through serde with unknown keys refused.
//! Structural checks that need only one file (id syntax, duplicates, slugs)
//! happen here; checks across files happen in `resolve`.

pub mod bibliography;
mod citation_style;
mod csl_json;
pub mod entity;
mod facsimile;
pub mod markdown;
mod pages;
pub mod refs;
pub mod yaml;

mod annotations;
mod glossary;
mod schema;
mod site;
mod texts;

use annotations::*;
use glossary::*;
use schema::*;
use site::*;
use texts::*;

pub(crate) use site::url_refused;
pub(crate) use texts::suggested_slug;
pub use texts::RESERVED_PAGES;

use crate::diagnostics::{Diagnostic, Report};
use crate::load::{Loaded, SourceFile};
use crate::model::*;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use yaml::{pos_of, shift, Scalar, Spanned};

/// What an anchor may be, in the words of the error a user sees
/// (`yaml::classify` gives such an error its own help).
pub(crate) const ANCHOR_EXPECTED: &str = "an anchor: the words of the text in quotation marks, or a mapping with `quote:` (and, where needed, `prefix:` and `suffix:`)";

/// Parses everything `load` read. Files with errors are reported and left
/// out, so one run reports the problems of every file.
pub fn parse_corpus(loaded: &Loaded, report: &mut Report) -> Corpus {
    parse_corpus_with(loaded.clone(), report, None)
}

/// The parse of each text and annotation file, kept between compiles by
/// `scholion serve`, keyed by the file's path and contents: parsing a file
/// depends on nothing else, so an unchanged file is not parsed again.
#[derive(Default)]
pub struct ParseCache {
    texts: Cached<Text>,
    annotations: Cached<Annotations>,
}

type Cached<T> = std::collections::HashMap<String, (u64, Option<T>, Report)>;

/// A file parsed: its path and stem, what it gave, and its report.
struct Parsed<T> {
    rel: String,
    stem: String,
    parsed: Option<T>,
    report: Report,
}

/// Parses `files` in parallel, each with its own report, in their order.
/// Each file's text is let go as soon as it is parsed, so the sources and
/// their parse are never all in memory together. Unchanged files are taken
/// from `cache` (when there is one), which is left holding exactly the
/// files given.
fn parse_files<T: Clone + Send + Sync>(
    files: Vec<SourceFile>,
    cache: Option<&mut Cached<T>>,
    parse: impl Fn(&SourceFile, &mut Report) -> Option<T> + Sync,
) -> Vec<Parsed<T>> {
    let old = cache.as_deref();
    let results: Vec<(u64, bool, Parsed<T>)> = files
        .into_par_iter()
        .map(|f| {
            let key = old.map_or(0, |_| crate::hash::fingerprint(&f.text));
            let hit = old
                .and_then(|c| c.get(&f.rel))
                .filter(|e| e.0 == key)
                .map(|(_, parsed, r)| (parsed.clone(), r.clone()));
            let fresh = hit.is_none();
            let (parsed, report) = hit.unwrap_or_else(|| {
                let mut r = Report::default();
                (parse(&f, &mut r), r)
            });
            let SourceFile { rel, stem, .. } = f;
            (
                key,
                fresh,
                Parsed {
                    rel,
                    stem,
                    parsed,
                    report,
                },
            )
        })
        .collect();
    if let Some(cache) = cache {
        let mut old = std::mem::take(cache);
        for (key, fresh, p) in &results {
            // An unchanged file's entry is moved back; a new parse stored.
            let entry = match old.remove(&p.rel) {
                Some(e) if !fresh => e,
                _ => (*key, p.parsed.clone(), p.report.clone()),
            };
            cache.insert(p.rel.clone(), entry);
        }
    }
    results.into_iter().map(|r| r.2).collect()
}

/// Like [`parse_corpus`], taking what `load` read (and freeing it as it
/// goes), and reusing and refreshing `cache` when one is given.
pub fn parse_corpus_with(
    loaded: Loaded,
    report: &mut Report,
    mut cache: Option<&mut ParseCache>,
) -> Corpus {
    let mut corpus = Corpus::default();
    match &loaded.site {
        Some(f) => {
            if let Some(site) = parse_site(f, report) {
                corpus.site = site;
            }
        }
        None => report.push(
            Diagnostic::error(
                "E0005",
                "content/site.yaml",
                "the site has no content/site.yaml",
            )
            .help("create content/site.yaml with at least a line `title: My reader`"),
        ),
    }
    let Loaded {
        glossary,
        texts,
        annotations,
        pages,
        bibliography,
        facsimiles,
        texts_deferred,
        ..
    } = loaded;
    corpus.bibliography = bibliography::read(&bibliography, &corpus.site, report);

    let slugs: BTreeSet<String> = texts.iter().map(|t| t.stem.clone()).collect();
    // Files are parsed in parallel, each with its own report, merged in file order.
    let texts = match &texts_deferred {
        None => parse_files(
            texts,
            cache.as_deref_mut().map(|c| &mut c.texts),
            parse_text,
        ),
        // Each text read as it is parsed, its body let go: the Markdown of
        // a large collection is never held all at once.
        Some(root) => parse_files(texts, None, |f, r| {
            let f = match crate::load::read_file(&root.join(&f.rel), &f.rel) {
                Ok(text) => SourceFile { text, ..f.clone() },
                Err(d) => {
                    r.push(d);
                    return None;
                }
            };
            let mut t = parse_text(&f, r)?;
            t.body_fingerprint = Some(crate::hash::fingerprint(t.body.as_str()));
            t.body = String::new();
            Some(t)
        }),
    };
    for p in texts {
        report.extend(p.report.diagnostics);
        match p.parsed {
            Some(t) => corpus.texts.push(t),
            None => {
                // A text refused for its file name is still the text that its
                // annotation file and references mean: they wait for the
                // rename (E0200 says so) instead of adding errors of their own.
                if !is_valid_slug(&p.stem) {
                    if let Some(s) = suggested_slug(&p.stem) {
                        corpus.broken.texts.insert(s);
                    }
                }
                corpus.broken.texts.insert(p.stem);
            }
        }
    }
    corpus.texts.sort_by(|a, b| {
        (a.meta.order.unwrap_or(i64::MAX), &a.slug)
            .cmp(&(b.meta.order.unwrap_or(i64::MAX), &b.slug))
    });

    // Annotation files without a text are reported, not parsed.
    let (annotations, orphans): (Vec<SourceFile>, Vec<SourceFile>) = annotations
        .into_iter()
        .partition(|f| slugs.contains(&f.stem));
    for f in orphans {
        if corpus.broken.texts.contains(&f.stem) {
            // Its text is there under a file name to correct (E0200).
            continue;
        }
        report.push(
            Diagnostic::error(
                "E0210",
                f.rel.clone(),
                format!(
                    "annotation file without a text: there is no content/texts/{}.md",
                    f.stem
                ),
            )
            .help("an annotation file takes the name of its text: rename it, or add the text"),
        );
    }
    let annotations = parse_files(
        annotations,
        cache.map(|c| &mut c.annotations),
        parse_annotations,
    );
    for p in annotations {
        report.extend(p.report.diagnostics);
        match p.parsed {
            Some(a) => {
                corpus.annotations.insert(p.stem, a);
            }
            None => {
                corpus.broken.texts.insert(p.stem);
            }
        }
    }

    corpus.facsimiles = facsimile::read(&corpus.annotations, &facsimiles, report);

    if let Some(f) = &glossary {
        corpus.glossary_file = f.rel.clone();
        let errors_before = report.errors();
        let slugs: BTreeSet<&str> = slugs.iter().map(String::as_str).collect();
        corpus.glossary = parse_glossary(f, &slugs, report);
        corpus.broken.glossary = report.errors() > errors_before;
    } else {
        corpus.glossary_file = "content/glossary.yaml".into();
    }

    for f in &pages {
        if let Some(p) = parse_page(f, report) {
            corpus.pages.push(p);
        }
    }
    corpus.pages.sort_by(|a, b| {
        (a.order.unwrap_or(i64::MAX), &a.slug).cmp(&(b.order.unwrap_or(i64::MAX), &b.slug))
    });
    corpus
}
