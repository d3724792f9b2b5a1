//! The search index: every paragraph and heading of the texts, every note,
//! every glossary entry and every entry's own page as a *document*, written as classic scripts
//! under `search/` so that `static/search.js` can load them with `<script>`
//! elements, from any static host and from `file://` alike (docs/search.md;
//! `fetch` of a local file is refused there).
//!
//! The index is split in the manner of Pagefind, so that what a query
//! downloads grows slowly with the collection:
//!
//! - `search/manifest.js`: a few hundred bytes plus the first word of each
//!   term shard; loaded when the search box gets focus;
//! - `search/<version>/t<N>.js`: the term shards, word stems in sorted order
//!   (UTF-16 order, as JavaScript compares strings), cut where a shard
//!   passes [`SHARD_BYTES`]; a query loads only the shards of its words;
//! - `search/<version>/f<N>.js`: the fragments, [`DOCS_PER_FRAGMENT`]
//!   consecutive documents each (kind, address, title, label, full text,
//!   the text coded against the lexicon `l.js` of the site's most frequent
//!   words); loaded only for the results on screen.
//!
//! `<version>` is a hash of what the shards and fragments are made of and
//! of the code that makes them ([`version`]), so a browser never mixes a
//! cached shard of one build with the manifest of another; it is known
//! before the first file is made, so every file is handed over as soon as
//! it is final. The output stays byte-identical between builds of the same
//! content.
//!
//! Ranking is BM25 computed at build time: each posting carries, quantized
//! to 1–31, how well the document matches the stem given its field weights
//! (a glossary entry's name above a heading above running text) and its
//! length; the browser multiplies by the stem's rarity (IDF, from the number
//! of postings) and adds over the words of the query. See docs/search.md.
//!
//! This file holds the documents' type, the pass over a site that hands
//! out the files, and the version; `documents.rs` gathers the documents of
//! each text and of the glossary; `index.rs` builds the postings, with each
//! document's words looked up and scored in `forms.rs`; `fragments.rs`
//! writes the documents' records as they come (their text coded by
//! `lexicon.rs`), `shards.rs` the term shards,
//! typo lists and manifest at the end; `stem.rs` stems words (split and
//! folded by [`crate::text::words`]).

mod documents;
mod forms;
mod fragments;
mod index;
mod lexicon;
mod shards;
mod spill;
mod stem;

use documents::*;
pub use documents::{documents, plain_text, text_documents};
pub use forms::score;
pub use index::Index;
pub use shards::{read_varints, varint};
pub use stem::stem;

use crate::hash::{Digest, WordHasher};
use crate::output::OutputFile;
use crate::resolve::Resolved;
use crate::text::words;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Hash maps keyed by short words (see [`WordHasher`]).
type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// The format of the files; `search-engine.js` refuses a manifest of another.
pub const FORMAT: u32 = 4;
/// Documents per fragment file.
pub const DOCS_PER_FRAGMENT: usize = 16;
/// A term shard is closed once it passes this many bytes.
pub const SHARD_BYTES: usize = 20_000;
/// A list of words for typo tolerance is closed once it passes this many
/// bytes, where its first letters change (see `Index::typo_lists`).
pub const TYPO_BYTES: usize = 12_000;
/// Posting scores run from 1 to this.
pub const SCALE: u32 = 31;
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Field weights: how much one occurrence of a word counts.
pub mod weight {
    /// A glossary entry's term and aliases.
    pub const NAME: u32 = 10;
    /// A text's title.
    pub const TITLE: u32 = 5;
    /// A heading of a text.
    pub const HEADING: u32 = 3;
    /// Running text: paragraphs, notes, definitions, a text's particulars.
    pub const BODY: u32 = 1;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// A text as a whole: its title and particulars.
    Text,
    Heading,
    Paragraph,
    Note,
    /// A glossary entry.
    Entry,
    /// A glossary entry's own page (`glossary/<id>.html`).
    Entity,
    /// A work of the bibliography.
    Work,
}

/// The kinds of document a search can be narrowed to, in the order the
/// results page offers them: each [`DocKind`] belongs to one
/// ([`DocKind::group`]). The browser reads both from the manifest, so a new
/// kind of document (entity pages, the bibliography) needs no change there.
pub const GROUPS: [&str; 5] = ["Texts", "Notes", "Glossary", "Entity pages", "Bibliography"];

impl DocKind {
    pub const ALL: [DocKind; 7] = [
        DocKind::Text,
        DocKind::Heading,
        DocKind::Paragraph,
        DocKind::Note,
        DocKind::Entry,
        DocKind::Entity,
        DocKind::Work,
    ];

    /// The index into [`GROUPS`] of the filter this kind is listed under.
    pub fn group(self) -> usize {
        match self {
            DocKind::Text | DocKind::Heading | DocKind::Paragraph => 0,
            DocKind::Note => 1,
            DocKind::Entry => 2,
            DocKind::Entity => 3,
            DocKind::Work => 4,
        }
    }

    /// Whether a document's title is its own (a text's, an entry's) rather
    /// than that of the page it is on (the manifest also says which kind
    /// is a page as a whole, a text, whose title is the page's).
    pub fn own_title(self) -> bool {
        matches!(
            self,
            DocKind::Text | DocKind::Entry | DocKind::Entity | DocKind::Work
        )
    }

    /// Whether a document of this kind is its page as a whole, so that the
    /// page's title is the document's (a text's, an entry's own page).
    pub fn whole_page(self) -> bool {
        matches!(self, DocKind::Text | DocKind::Entity)
    }

    pub fn code(self) -> &'static str {
        match self {
            DocKind::Text => "t",
            DocKind::Heading => "h",
            DocKind::Paragraph => "p",
            DocKind::Note => "n",
            DocKind::Entry => "g",
            DocKind::Entity => "e",
            DocKind::Work => "b",
        }
    }
}

/// One thing a search can find.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub kind: DocKind,
    /// Relative to the site root: `texts/<slug>.html#p12`.
    pub href: String,
    /// The text's short title, or the glossary term.
    pub title: String,
    /// "¶ 12", "Note 4", "Concept" …
    pub label: String,
    /// What a result shows a snippet of, and where quoted phrases are checked.
    pub text: String,
    /// The weight `text` is indexed with, when it is indexed as it is
    /// (most documents; saves a copy of every paragraph).
    pub text_weight: Option<u32>,
    /// What else is indexed, with the weight of each field.
    pub fields: Vec<(u32, String)>,
}

impl SearchDoc {
    /// Every indexed field with its weight.
    pub fn indexed(&self) -> impl Iterator<Item = (u32, &str)> {
        self.text_weight
            .map(|w| (w, self.text.as_str()))
            .into_iter()
            .chain(self.fields.iter().map(|(w, t)| (*w, t.as_str())))
    }
}

/// Texts whose documents are gathered at a time: the documents of the
/// whole site are never in memory at once, only their fragments.
pub const TEXTS_AT_A_TIME: usize = 64;

/// The search files of a site, each handed to `emit` as soon as it is
/// final: the fragments while the documents are added, then the term
/// shards, then the manifest. Nothing of the index is written before its
/// version is known, so the version is taken from what the files are made
/// of ([`version`]) rather than from the files.
pub fn files(r: &Resolved, emit: &(dyn Fn(OutputFile) + Sync)) -> std::io::Result<()> {
    let mut files = Files::new(r);
    let texts: Vec<usize> = (0..r.texts.len()).collect();
    for some in texts.chunks(TEXTS_AT_A_TIME) {
        let docs: Vec<SearchDoc> = some
            .par_iter()
            .flat_map_iter(|&ti| text_documents_of(r, ti))
            .collect();
        files.add(&docs, emit);
    }
    files.finish(r, emit)
}

/// The search files of a site made text by text, for a caller that has
/// each text's analysis in hand ([`files`] makes them on their own): the
/// documents of the texts added in text order ([`text_documents`]), then
/// [`Files::finish`].
pub struct Files {
    index: Index,
}

impl Files {
    pub fn new(r: &Resolved) -> Files {
        let (average, version) = rayon::join(|| average_length(r), || version(r));
        Files {
            index: Index::new(average, version),
        }
    }

    /// Adds the documents of the next texts, handing over the fragments
    /// filled.
    pub fn add(&mut self, docs: &[SearchDoc], emit: &(dyn Fn(OutputFile) + Sync)) {
        self.index.add(docs, emit);
    }

    /// Adds the glossary and the bibliography and hands over the rest of
    /// the files. Fails only when the postings of a large site, written
    /// out while the documents came, cannot be read back.
    pub fn finish(
        mut self,
        r: &Resolved,
        emit: &(dyn Fn(OutputFile) + Sync),
    ) -> std::io::Result<()> {
        self.index.add(&glossary_documents(r), emit);
        self.index.add(&entity_documents(r), emit);
        self.index.add(&bibliography_documents(r), emit);
        self.index.finish(emit)
    }
}

/// The version of a site's search files, which names their folder: a hash
/// of everything they are made of (each text's particulars, passages,
/// headings, notes and link ids, the glossary) and of the code that makes
/// them (the source of this module, of `[[…]]` references and of the
/// Markdown options, `Cargo.lock` and the standard library's Unicode
/// version, fixed when Scholion is compiled). So
/// the files of one version are always the same, and the version is known
/// before the first file is written (the files are handed over as they are
/// made, never all held). Ten hexadecimal digits.
pub fn version(r: &Resolved) -> String {
    let per_text: Vec<u64> = (0..r.texts.len())
        .into_par_iter()
        .map(|ti| {
            let mut d = Digest::default();
            let t = &r.corpus.texts[ti];
            let at = &r.texts[ti];
            let m = &t.meta;
            d.str(&t.slug);
            d.str(&m.title);
            for s in [
                &m.short_title,
                &m.date,
                &m.place,
                &m.source,
                &m.translation,
                &m.transcription,
            ] {
                d.opt(s.as_deref());
            }
            d.strs(&m.issued_by);
            d.word(at.facts.search.digest);
            d.word(at.notes.len() as u64);
            for n in &at.notes {
                d.word(n.index as u64);
                d.word(n.number as u64);
            }
            if let Some(ann) = r.annotations(ti) {
                d.word(ann.notes.len() as u64);
                for (n, body) in ann.notes.iter().zip(ann.bodies()) {
                    d.str(&n.id);
                    d.str(&body);
                    d.strs(&n.sources);
                }
                d.word(ann.links.len() as u64);
                for l in &ann.links {
                    d.str(&l.id);
                }
            } else {
                d.word(u64::MAX);
            }
            d.0
        })
        .collect();
    let mut d = Digest::default();
    d.word(FORMAT as u64);
    // The Unicode tables of the standard library decide what a word is.
    let (major, minor, update) = char::UNICODE_VERSION;
    d.word(((major as u64) << 16) | ((minor as u64) << 8) | update as u64);
    for code in CODE {
        d.bytes(code);
    }
    d.word(per_text.len() as u64);
    for h in per_text {
        d.word(h);
    }
    d.word(r.corpus.glossary.len() as u64);
    for g in &r.corpus.glossary {
        d.str(&g.id);
        d.str(&g.term);
        d.str(g.kind.as_str());
        d.strs(&g.aliases);
        d.str(&g.definition);
        d.strs(&g.sources);
        d.opt(g.sort.as_deref());
        let e = &g.entity;
        for s in [
            &e.wikidata,
            &e.viaf,
            &e.gnd,
            &e.geonames,
            &e.born,
            &e.died,
            &e.date,
        ] {
            d.opt(s.as_deref());
        }
        match e.coordinates {
            Some(c) => {
                d.word(c.lat.to_bits());
                d.word(c.lon.to_bits());
            }
            None => d.word(u64::MAX),
        }
    }
    // The works as the style writes them: citations in notes are made of
    // them too.
    let bib = &r.corpus.bibliography;
    d.str(&bib.style);
    d.word(bib.works.len() as u64);
    if let Ok(f) = bib.formatter() {
        for (key, text) in f.bibliography_text(bib.works.iter().map(|w| &w.entry)) {
            d.str(&key);
            d.str(&text);
        }
    }
    d.word(r.corpus.broken.glossary as u64);
    d.word(r.corpus.broken.texts.len() as u64);
    for s in &r.corpus.broken.texts {
        d.str(s);
    }
    format!("{:016x}", d.finish())[..10].to_string()
}

/// The code the search files depend on, for [`version`].
const CODE: [&[u8]; 19] = [
    include_bytes!("mod.rs"),
    include_bytes!("lexicon.rs"),
    include_bytes!("documents.rs"),
    include_bytes!("index.rs"),
    include_bytes!("forms.rs"),
    include_bytes!("fragments.rs"),
    include_bytes!("shards.rs"),
    include_bytes!("spill.rs"),
    include_bytes!("../text/words/mod.rs"),
    include_bytes!("../text/words/scan.rs"),
    include_bytes!("stem.rs"),
    include_bytes!("../parse/refs.rs"),
    include_bytes!("../resolve/references.rs"),
    include_bytes!("../text/swar.rs"),
    include_bytes!("../hash.rs"),
    include_bytes!("../document/summary.rs"),
    include_bytes!("../json.rs"),
    include_bytes!("../parse/markdown.rs"),
    include_bytes!("../../Cargo.lock"),
];

/// The average length of a document, for ranking, from the sources as they
/// are (notes and definitions before their references are expanded): one
/// quick pass before the documents are gathered.
pub fn average_length(r: &Resolved) -> f64 {
    let (words, docs) = (0..r.texts.len())
        .into_par_iter()
        .map(|ti| {
            let at = &r.texts[ti];
            let m = &r.corpus.texts[ti].meta;
            let mut words = words::count(&m.title)
                + [
                    &m.date,
                    &m.place,
                    &m.source,
                    &m.translation,
                    &m.transcription,
                ]
                .into_iter()
                .flatten()
                .map(|s| words::count(s))
                .sum::<usize>()
                + m.issued_by.iter().map(|s| words::count(s)).sum::<usize>();
            words += at.facts.search.words;
            let mut docs = 1 + at.facts.search.docs;
            if let Some(ann) = r.annotations(ti) {
                for (n, body) in ann.notes.iter().zip(ann.bodies()) {
                    words += words::count(&body)
                        + n.sources.iter().map(|s| words::count(s)).sum::<usize>();
                    docs += 1;
                }
            }
            (words, docs)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let glossary: usize = r
        .corpus
        .glossary
        .iter()
        .map(|g| {
            words::count(&g.term)
                + g.aliases.iter().map(|a| words::count(a)).sum::<usize>()
                + words::count(&g.definition)
        })
        .sum();
    (words + glossary) as f64 / (docs + r.corpus.glossary.len()).max(1) as f64
}

#[cfg(test)]
mod tests;
