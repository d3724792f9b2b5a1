//! The glossary previews of the reader pages, written once for the site
//! instead of into every page: each linked entry's popover (its term and
//! definition as HTML) in a few classic scripts, `previews/terms-<hash>.js`,
//! that a reader page loads with `<script src defer>` for the entries it
//! links. A browser fetches each once and keeps it in its cache for every
//! other page, from any static host and from `file://` alike (a classic
//! script is the one way to read a shared file there: `fetch` of a local
//! file is refused). The name of each is a hash of what it holds, so a
//! cached copy of an older build is never used.
//!
//! Each file adds its entries to `window.ScholionTerms` (id → the HTML of
//! the `div[data-term]` a `<template id="term-previews">` held before);
//! `scholion.js` looks there when a page has no such template (a site
//! template that still writes one keeps working). See docs/reader.md.

use super::{escape::escape, fragment, OutputFile};
use crate::hash::Digest;
use crate::model::LinkMode;
use crate::resolve::{expand, Resolved};

/// A file of previews is closed once it passes this many bytes: the default
/// glossary fits in one, a glossary of thousands of entries takes a few,
/// and a page loads only those that hold its terms.
pub const CHUNK_BYTES: usize = 128 * 1024;

/// The site's preview files and which one holds each entry.
pub(super) struct TermScripts {
    /// Per glossary entry, its file (`None` for an entry never linked).
    file_of: Vec<Option<usize>>,
    files: Vec<OutputFile>,
}

impl TermScripts {
    pub(super) fn new(r: &Resolved) -> TermScripts {
        let mut file_of = vec![None; r.corpus.glossary.len()];
        let mut bodies: Vec<String> = Vec::new();
        let mut body = String::new();
        for (i, t) in r.corpus.glossary.iter().enumerate() {
            if t.link == LinkMode::None {
                continue;
            }
            let (md, _) = expand(r, None, &t.definition, "../");
            let html = format!(
                "<div data-term=\"{}\" data-kind=\"{}\"><p class=\"preview-title\">{}</p>{}</div>",
                escape(&t.id),
                escape(t.kind.as_str()),
                escape(&crate::text::smart::smarten(&t.term)),
                fragment::to_html(&md)
            );
            if !body.is_empty() {
                body.push(',');
            }
            crate::json::push_str(&mut body, &t.id);
            body.push(':');
            crate::json::push_str(&mut body, &html);
            file_of[i] = Some(bodies.len());
            if body.len() >= CHUNK_BYTES {
                bodies.push(std::mem::take(&mut body));
            }
        }
        if !body.is_empty() {
            bodies.push(body);
        }
        let files = bodies
            .into_iter()
            .map(|body| {
                let js = format!(
                    "(function(t){{var d={{{body}}};for(var k in d)t[k]=d[k];}})(window.ScholionTerms=window.ScholionTerms||{{}});\n"
                );
                let mut d = Digest::default();
                d.str(&js);
                OutputFile {
                    path: format!("previews/terms-{}.js", &format!("{:016x}", d.finish())[..10]),
                    bytes: js.into_bytes(),
                }
            })
            .collect();
        TermScripts { file_of, files }
    }

    /// How many files there are.
    pub(super) fn len(&self) -> usize {
        self.files.len()
    }

    /// File `i`.
    pub(super) fn file(&self, i: usize) -> OutputFile {
        self.files[i].clone()
    }

    /// The files that hold `terms` (glossary entries), in the site's order,
    /// as addresses from a reader page.
    pub(super) fn scripts_for(&self, terms: &[usize]) -> Vec<String> {
        let mut which: Vec<usize> = terms.iter().filter_map(|&t| self.file_of[t]).collect();
        which.sort_unstable();
        which.dedup();
        which
            .into_iter()
            .map(|i| format!("../{}", self.files[i].path))
            .collect()
    }
}
