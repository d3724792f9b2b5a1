//! The search index: every paragraph and heading of the texts, every note
//! and every glossary entry as a *document*, written as classic scripts
//! under `search/` so that `static/search.js` can load them with `<script>`
//! elements, from any static host and from `file://` alike (DESIGN.md §3;
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
//!   consecutive documents each (kind, address, title, label, full text);
//!   loaded only for the results on screen.
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

mod stem;
pub mod words;

pub use stem::stem;

use crate::document::Document;
use crate::parse::markdown;
use crate::refs;
use crate::render::OutputFile;
use crate::resolve::Resolved;
use crate::swar;
use pulldown_cmark::{Event, TagEnd};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Hash maps keyed by short words (see [`WordHasher`]).
type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// The format of the files; `search.js` refuses a manifest of another.
pub const FORMAT: u32 = 1;
/// Documents per fragment file.
pub const DOCS_PER_FRAGMENT: usize = 16;
/// A term shard is closed once it passes this many bytes.
pub const SHARD_BYTES: usize = 20_000;
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
}

impl DocKind {
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Text => "t",
            DocKind::Heading => "h",
            DocKind::Paragraph => "p",
            DocKind::Note => "n",
            DocKind::Entry => "g",
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
pub fn files(r: &Resolved, emit: &(dyn Fn(OutputFile) + Sync)) {
    let mut files = Files::new(r);
    let texts: Vec<usize> = (0..r.texts.len()).collect();
    for some in texts.chunks(TEXTS_AT_A_TIME) {
        let docs: Vec<SearchDoc> = some
            .par_iter()
            .flat_map_iter(|&ti| text_documents_of(r, ti))
            .collect();
        files.add(&docs, emit);
    }
    files.finish(r, emit);
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

    /// Adds the glossary and hands over the rest of the files.
    pub fn finish(mut self, r: &Resolved, emit: &(dyn Fn(OutputFile) + Sync)) {
        self.index.add(&glossary_documents(r), emit);
        self.index.finish(emit);
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
                for n in &ann.notes {
                    d.str(&n.id);
                    d.str(&n.body);
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
    }
    d.word(r.corpus.broken.glossary as u64);
    d.word(r.corpus.broken.texts.len() as u64);
    for s in &r.corpus.broken.texts {
        d.str(s);
    }
    format!("{:016x}", d.finish())[..10].to_string()
}

/// What the search index draws from a text's analysis before its documents
/// are gathered, kept when the analysis itself is let go.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocSummary {
    /// A digest of the passages and headings, for [`version`].
    pub digest: u64,
    /// The words and documents of the passages, for [`average_length`].
    pub words: usize,
    pub docs: usize,
}

impl DocSummary {
    pub fn of(doc: &crate::document::Document) -> DocSummary {
        let mut d = Digest::default();
        d.word(doc.passages.len() as u64);
        let (mut words, mut docs) = (0, 0);
        for p in &doc.passages {
            d.word(p.kind as u64 | (p.number.map_or(0, |n| n as u64 + 1) << 8));
            d.str(&p.text);
            if p.number.is_some() || p.kind == crate::document::PassageKind::Heading {
                words += words::count(&p.text);
                docs += 1;
            }
        }
        d.word(doc.headings.len() as u64);
        for h in &doc.headings {
            d.str(&h.id);
            d.str(&h.text);
        }
        DocSummary {
            digest: d.0,
            words,
            docs,
        }
    }
}

/// The code the search files depend on, for [`version`].
const CODE: [&[u8]; 8] = [
    include_bytes!("mod.rs"),
    include_bytes!("words.rs"),
    include_bytes!("stem.rs"),
    include_bytes!("../refs.rs"),
    include_bytes!("../swar.rs"),
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
                for n in &ann.notes {
                    words += words::count(&n.body)
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

// ------------------------------------------------------------ documents

/// Markdown as the words a reader sees: markup dropped, blocks separated.
pub fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for ev in markdown::parser(md) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => out.push(' '),
            _ => {}
        }
    }
    squeeze(&out)
}

/// White space runs as single spaces, trimmed: the text is copied in
/// stretches, cut only where white space is not already a single space.
fn squeeze(s: &str) -> String {
    let b = s.as_bytes();
    let n = b.len();
    let mut out = String::with_capacity(n);
    let mut copied = 0;
    let mut i = 0;
    while i < n {
        // Never white space just before `i` here, unless `b[i]` is not
        // white space either.
        if i > 0 {
            let plain = plain_ahead(b, i);
            if plain > 0 {
                i += plain;
                continue;
            }
        }
        if !MAYBE_SPACE[b[i] as usize] {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while let Some(w) = space_len(b, end) {
            end += w;
        }
        if end == start {
            i += 1;
            continue;
        }
        if !(end - start == 1 && b[start] == b' ' && start > 0 && end < n) {
            out.push_str(&s[copied..start]);
            if start > 0 && end < n {
                out.push(' ');
            }
            copied = end;
        }
        i = end;
    }
    out.push_str(&s[copied..]);
    out
}

/// How many bytes from `i` [`squeeze`] can pass over as they are, tested
/// eight at a time (white space is nearly always a single space between
/// words): 8 when the eight bytes hold no control character, no first byte
/// of a character beyond U+007F and no two spaces side by side; 7 when the
/// last of them is a space (what follows it is not known yet); 0 when
/// they must be looked at byte by byte, or fewer than eight are left. The
/// tests may flag bytes that need nothing (then 0), never miss one.
fn plain_ahead(b: &[u8], i: usize) -> usize {
    let Some(x) = swar::load(b, i) else {
        return 0;
    };
    if swar::lead(x) | swar::below(x, 0x20) != 0 {
        return 0;
    }
    let spaces = swar::eq(x, b' ');
    if spaces & (spaces >> 8) != 0 {
        0
    } else if spaces >> 56 != 0 {
        7
    } else {
        8
    }
}

/// Bytes that can start white space: ASCII white space, and the first
/// bytes of U+0085, U+00A0, U+1680, U+2000–U+205F and U+3000 (never a
/// byte inside a character).
const MAYBE_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0x09;
    while c <= 0x0D {
        t[c] = true;
        c += 1;
    }
    t[0x20] = true;
    t[0xC2] = true;
    t[0xE1] = true;
    t[0xE2] = true;
    t[0xE3] = true;
    t
};

/// The length in bytes of the white space character (`char::is_whitespace`)
/// at byte `i` of UTF-8 `b`, if there is one.
fn space_len(b: &[u8], i: usize) -> Option<usize> {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match at(0) {
        0x09..=0x0D | 0x20 if i < b.len() => Some(1),
        0xC2 if matches!(at(1), 0x85 | 0xA0) => Some(2),
        0xE1 if (at(1), at(2)) == (0x9A, 0x80) => Some(3),
        0xE2 if matches!(
            (at(1), at(2)),
            (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F)
        ) =>
        {
            Some(3)
        }
        0xE3 if (at(1), at(2)) == (0x80, 0x80) => Some(3),
        _ => None,
    }
}

/// Every document of the site, in a stable order: per text its particulars,
/// then its headings and numbered passages in reading order, then its
/// notes; then the glossary.
pub fn documents(r: &Resolved) -> Vec<SearchDoc> {
    let per_text: Vec<Vec<SearchDoc>> = (0..r.texts.len())
        .into_par_iter()
        .map(|ti| text_documents_of(r, ti))
        .collect();
    let mut docs: Vec<SearchDoc> = per_text.into_iter().flatten().collect();
    docs.extend(glossary_documents(r));
    docs
}

/// The documents of text `ti`, its analysis made again if it was let go;
/// none if that fails (the text's page reports why, and the build fails).
fn text_documents_of(r: &Resolved, ti: usize) -> Vec<SearchDoc> {
    match r.doc(ti) {
        Ok(doc) => text_documents(r, ti, &doc),
        Err(_) => Vec::new(),
    }
}

/// The documents of text `ti`, from its analysis `doc`.
pub fn text_documents(r: &Resolved, ti: usize, doc: &Document) -> Vec<SearchDoc> {
    let t = &r.corpus.texts[ti];
    let at = &r.texts[ti];
    let page = format!("texts/{}.html", t.slug);
    let short = t.short_title().to_string();
    let m = &t.meta;
    let particulars = squeeze(
        &[
            m.date.clone(),
            m.place.clone(),
            (!m.issued_by.is_empty()).then(|| m.issued_by.join("; ")),
            m.source.clone(),
            m.translation.as_ref().map(|s| format!("Translation: {s}")),
            m.transcription
                .as_ref()
                .map(|s| format!("Transcription: {s}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · "),
    );
    let mut titles = m.title.clone();
    if short != m.title {
        titles = format!("{titles} {short}");
    }
    let mut docs = vec![SearchDoc {
        kind: DocKind::Text,
        href: page.clone(),
        title: m.title.clone(),
        label: "Text".into(),
        text: particulars,
        text_weight: Some(weight::BODY),
        fields: vec![(weight::TITLE, titles)],
    }];
    let mut headings = doc.headings.iter();
    for p in &doc.passages {
        let text = squeeze(&p.text);
        if text.is_empty() {
            continue;
        }
        let mut digits = [0; 10];
        let (kind, href, label, w) = match (p.number, p.kind) {
            (Some(n), _) => {
                let n = decimal(n, &mut digits);
                (
                    DocKind::Paragraph,
                    cat(&[&page, "#p", n]),
                    cat(&["¶ ", n]),
                    weight::BODY,
                )
            }
            (None, crate::document::PassageKind::Heading) => {
                // Headings inside list items have no passage of their own:
                // skip to the one with this passage's words.
                let Some(h) = headings.find(|h| squeeze(&h.text) == text) else {
                    continue;
                };
                (
                    DocKind::Heading,
                    cat(&[&page, "#", &h.id]),
                    "Heading".to_string(),
                    weight::HEADING,
                )
            }
            _ => continue,
        };
        docs.push(SearchDoc {
            kind,
            href,
            title: short.clone(),
            label,
            text,
            text_weight: Some(w),
            fields: Vec::new(),
        });
    }
    if let Some(ann) = r.annotations(ti) {
        for an in &at.notes {
            let note = &ann.notes[an.index];
            let (md, _) = refs::expand(r, Some(ti), &note.body, "../");
            let mut text = plain_text(&md);
            if !note.sources.is_empty() {
                let sources: Vec<String> = note.sources.iter().map(|s| plain_text(s)).collect();
                text = format!("{text} Sources: {}", sources.join("; "));
            }
            docs.push(SearchDoc {
                kind: DocKind::Note,
                href: cat(&[&page, "#en-", &note.id]),
                title: short.clone(),
                label: cat(&["Note ", decimal(an.number, &mut [0; 10])]),
                text,
                text_weight: Some(weight::BODY),
                fields: Vec::new(),
            });
        }
    }
    docs
}

/// `parts` one after the other: the addresses and labels of documents,
/// made without the machinery of `format!`, which costs several times the
/// copying (there are some ten thousand documents at a hundred texts).
fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// `n` in decimal, written into `digits`.
fn decimal(mut n: u32, digits: &mut [u8; 10]) -> &str {
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&digits[i..]).unwrap_or_default()
}

fn glossary_documents(r: &Resolved) -> Vec<SearchDoc> {
    r.corpus
        .glossary
        .iter()
        .map(|g| {
            let (md, _) = refs::expand(r, None, &g.definition, "");
            let definition = plain_text(&md);
            // Aliases that differ from the term in more than case and
            // accents are shown, so that a match on one can be seen.
            let folded_term: Vec<String> = words::folded(&g.term).collect();
            let mut other: Vec<&str> = Vec::new();
            for a in &g.aliases {
                let f: Vec<String> = words::folded(a).collect();
                if f != folded_term && !other.iter().any(|o| words::folded(o).eq(f.iter().cloned()))
                {
                    other.push(a);
                }
            }
            let text = if other.is_empty() {
                definition.clone()
            } else {
                format!("{definition} Also: {}.", other.join("; "))
            };
            let mut names = g.term.clone();
            for a in &g.aliases {
                names.push_str(" · ");
                names.push_str(a);
            }
            let kind = g.kind.as_str();
            SearchDoc {
                kind: DocKind::Entry,
                href: format!("glossary.html#{}", g.id),
                title: g.term.clone(),
                label: format!("Glossary, {kind}"),
                text,
                text_weight: None,
                fields: vec![(weight::NAME, names), (weight::BODY, definition)],
            }
        })
        .collect()
}

// ------------------------------------------------------------ the index

/// One stem's postings, encoded as they are built.
#[derive(Debug, Clone)]
struct Entry {
    stem: String,
    /// `(delta, score)` pairs as [`varint`]s.
    postings: String,
    last: Option<u32>,
    /// Ids into `Index::forms` of the folded words with this stem.
    forms: Vec<u32>,
}

/// The stem id of a stop word in `Index::form_ids`: found with the same
/// look-up as every other word, and skipped.
const STOP: u32 = u32::MAX;

/// The inverted index of a site's documents, built as the documents are
/// added; their fragments are handed over as soon as each is full.
#[derive(Debug)]
pub struct Index {
    entries: Vec<Entry>,
    forms: Vec<String>,
    /// Documents added so far.
    pub docs: usize,
    /// The average length of a document, for ranking.
    average: f64,
    /// The name of the folder of the shards and fragments.
    version: String,
    /// Folded word -> stem id (the stop words -> [`STOP`]), stem -> stem id.
    form_ids: FormIds,
    stem_ids: WordMap<String, u32>,
    /// Fragments handed over so far, and the records of the next one.
    fragments: usize,
    pending: Vec<u8>,
    pending_docs: usize,
}

/// Folded word -> stem id. Words of up to 16 bytes (nearly all) are
/// looked up by their [`words::key`], which [`words::for_each_folded`]
/// gives with each word, in a table of their own: open addressing with
/// linear probing, at most half full, so that a look-up is a
/// multiplication and, most often, one comparison of two numbers (it is
/// done for every word of every document). Longer words are kept in a map
/// of strings.
#[derive(Debug)]
struct FormIds {
    /// `(key, id)`, a key of 0 for an empty slot; a power of two long.
    slots: Vec<(u128, u32)>,
    /// How many slots are taken, and the bits of a slot's number.
    taken: usize,
    bits: u32,
    long: WordMap<String, u32>,
}

impl Default for FormIds {
    fn default() -> FormIds {
        FormIds {
            slots: vec![(0, 0); 1 << 10],
            taken: 0,
            bits: 10,
            long: WordMap::default(),
        }
    }
}

impl FormIds {
    /// Where the probe for `key` starts: the high bits of a
    /// multiplicative hash.
    #[inline]
    fn slot(&self, key: u128) -> usize {
        let h = ((key as u64) ^ ((key >> 64) as u64).wrapping_mul(MUL)).wrapping_mul(MUL);
        (h >> (64 - self.bits)) as usize
    }

    /// The id of `form`, whose key is `key`.
    #[inline]
    fn get(&self, form: &str, key: u128) -> Option<u32> {
        if key == 0 {
            return self.long.get(form).copied();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            let (k, id) = self.slots[i];
            if k == key {
                return Some(id);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `form`, not there yet.
    fn insert(&mut self, form: &str, id: u32) {
        let key = words::key(form);
        if key == 0 {
            self.long.insert(form.to_string(), id);
            return;
        }
        self.reserve(1);
        self.put(key, id);
        self.taken += 1;
    }

    fn put(&mut self, key: u128, id: u32) {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        while self.slots[i].0 != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = (key, id);
    }

    /// Room for `more` keys, the table kept at most half full.
    fn reserve(&mut self, more: usize) {
        let need = 2 * (self.taken + more);
        if need <= self.slots.len() {
            return;
        }
        let bits = need.next_power_of_two().trailing_zeros();
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); 1 << bits]);
        self.bits = bits;
        for (k, id) in old {
            if k != 0 {
                self.put(k, id);
            }
        }
    }
}

/// One document's words as found, before the words new to the index have
/// stem ids; its length in words.
struct DocWords {
    /// Each indexed word's stem id, or [`NEW`] with its number among the
    /// document's new words; and its weight. Once resolved: each stem's id
    /// and score, once.
    found: Vec<(u32, u32)>,
    /// The words the index has not seen, one after the other (one string
    /// for the document, not one per word), and where each ends.
    new_text: String,
    new_ends: Vec<u32>,
    /// Where this document's new words begin in the batch's list of them.
    new_at: usize,
    length: usize,
}

impl DocWords {
    fn new_words(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.new_ends.iter().map(move |&end| {
            let w = &self.new_text[start..end as usize];
            start = end as usize;
            w
        })
    }
}

/// Marks a word of [`DocWords::found`] that is new to the index.
const NEW: u32 = 1 << 31;

/// Documents per batch when building the index.
const BATCH: usize = 4096;

/// The length of a document for ranking: its words, stop words included.
fn doc_length(d: &SearchDoc) -> usize {
    d.indexed().map(|(_, t)| words::count(t)).sum()
}

/// The words of a document, looked up in `form_ids` (not changed here, so
/// documents are read in parallel): one folding buffer per document, and
/// the words the index has not seen copied into one string.
fn doc_words(d: &SearchDoc, form_ids: &FormIds) -> DocWords {
    // About one word per six bytes.
    let bytes: usize = d.indexed().map(|(_, t)| t.len()).sum();
    let mut found = Vec::with_capacity(bytes / 6 + 4);
    let mut new_text = String::new();
    let mut new_ends = Vec::new();
    let mut form = String::with_capacity(32);
    let mut length = 0;
    for (w, text) in d.indexed() {
        words::for_each_folded(text, &mut form, |form, key| {
            length += 1;
            if form.is_empty() || form.len() > words::MAX_WORD {
                return;
            }
            match form_ids.get(form, key) {
                Some(STOP) => {}
                Some(id) => found.push((id, w)),
                None => {
                    found.push((NEW | new_ends.len() as u32, w));
                    new_text.push_str(form);
                    new_ends.push(new_text.len() as u32);
                }
            }
        });
    }
    DocWords {
        found,
        new_text,
        new_ends,
        new_at: 0,
        length,
    }
}

/// A document's words resolved to stem ids (`new_stems` maps its new words,
/// numbered from [`DocWords::new_at`], to theirs) and each stem's weights
/// added up into its score, stems in the order they first occur (the order
/// of a document's stems does not matter: each goes to its own postings).
/// `sums` is indexed by stem id and all zero between documents.
fn resolve_words(dw: &mut DocWords, new_stems: &[u32], average: f64, sums: &mut Vec<u32>) {
    let mut n = 0;
    for i in 0..dw.found.len() {
        let (mut id, w) = dw.found[i];
        if id & NEW != 0 {
            id = new_stems[dw.new_at + (id & !NEW) as usize];
        }
        let at = id as usize;
        if at >= sums.len() {
            sums.resize(at + 1, 0);
        }
        if sums[at] == 0 {
            // Stems seen are gathered at the front (n <= i).
            dw.found[n].0 = id;
            n += 1;
        }
        sums[at] += w;
    }
    dw.found.truncate(n);
    for m in dw.found.iter_mut() {
        let at = m.0 as usize;
        m.1 = score(sums[at], dw.length, average);
        sums[at] = 0;
    }
}

/// Appends a document as a record of a fragment:
/// `[kind, href, title, label, text]`.
fn record(d: &SearchDoc, out: &mut Vec<u8>) {
    out.extend_from_slice(b"[\"");
    out.extend_from_slice(d.kind.code().as_bytes());
    out.extend_from_slice(b"\"");
    for s in [&d.href, &d.title, &d.label, &d.text] {
        out.push(b',');
        json_into(s, out);
    }
    out.push(b']');
}

/// The start of fragment `i`; its records follow, separated by `,\n`, and
/// [`FRAGMENT_END`].
fn fragment_start(i: usize) -> Vec<u8> {
    format!("ScholionSearch.add(\"f{i}\",[\n").into_bytes()
}

const FRAGMENT_END: &[u8] = b"]);\n";

/// BM25's term-frequency part, scaled to 1..=SCALE: `weighted` is the
/// weighted count of a stem in a document of `length` words.
pub fn score(weighted: u32, length: usize, average: f64) -> u32 {
    let tf = weighted as f64;
    let norm = K1 * (1.0 - B + B * length as f64 / average.max(1.0));
    let s = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0);
    ((s * SCALE as f64).round() as u32).clamp(1, SCALE)
}

/// JavaScript's order of strings: by UTF-16 code units. That is the order
/// of the UTF-8 bytes except between a character of U+E000–U+FFFF and one
/// above U+FFFF (both lead bytes 0xEE or more), so only there are the
/// strings compared as UTF-16.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match x.iter().zip(y).position(|(p, q)| p != q) {
        None => x.len().cmp(&y.len()),
        Some(i) if x[i] >= 0xEE && y[i] >= 0xEE => a.encode_utf16().cmp(b.encode_utf16()),
        Some(i) => x[i].cmp(&y[i]),
    }
}

const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A number as base-64 digits of 5 bits each, least significant first; the
/// sixth bit of a digit says another digit follows. Small numbers (the
/// gaps between the documents of a common word) take one character.
pub fn varint(mut v: u32, out: &mut String) {
    while v >= 32 {
        out.push(DIGITS[(32 | (v & 31)) as usize] as char);
        v >>= 5;
    }
    out.push(DIGITS[v as usize] as char);
}

/// The numbers of a string written by [`varint`].
pub fn read_varints(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u32, 0);
    for b in s.bytes() {
        let d = DIGITS
            .iter()
            .position(|&x| x == b)
            .expect("a base-64 digit") as u32;
        v |= (d & 31) << shift;
        if d & 32 != 0 {
            shift += 5;
        } else {
            out.push(v);
            v = 0;
            shift = 0;
        }
    }
    out
}

impl Index {
    /// An empty index whose files go under `search/<version>/`.
    pub fn new(average: f64, version: String) -> Index {
        let mut form_ids = FormIds::default();
        for w in words::STOP_WORDS {
            form_ids.insert(w, STOP);
        }
        Index {
            entries: Vec::new(),
            forms: Vec::new(),
            docs: 0,
            average,
            version,
            form_ids,
            stem_ids: WordMap::default(),
            fragments: 0,
            pending: Vec::new(),
            pending_docs: 0,
        }
    }

    /// The index of `docs`, with their own average length (its files are
    /// dropped).
    pub fn build(docs: &[SearchDoc]) -> Index {
        let total: usize = docs.par_iter().map(doc_length).sum();
        let mut index = Index::new(total as f64 / docs.len().max(1) as f64, String::new());
        index.add(docs, &|_| {});
        index.sort();
        index
    }

    fn sort(&mut self) {
        self.entries
            .par_sort_unstable_by(|a, b| utf16_cmp(&a.stem, &b.stem));
    }

    fn file(&self, name: &str, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            path: format!("search/{}/{name}.js", self.version),
            bytes,
        }
    }

    /// Adds `docs`, numbered on from the documents added before: their
    /// words to the postings, their records to the fragments, each fragment
    /// handed to `emit` once full. Within a batch, records are written and
    /// words found, looked up and scored in parallel; only the words never
    /// seen before and the appending of postings (in document order) are
    /// done one after the other.
    pub fn add(&mut self, docs: &[SearchDoc], emit: &(dyn Fn(OutputFile) + Sync)) {
        for batch in docs.chunks(BATCH) {
            let first = self.docs;
            self.docs += batch.len();
            self.add_records(batch, emit);
            let form_ids = &self.form_ids;
            let mut words: Vec<DocWords> =
                batch.par_iter().map(|d| doc_words(d, form_ids)).collect();
            // The words new to the index, each once (in the first batches
            // nearly every word of every document is new): numbered in the
            // order they first occur, then given stem ids in sorted order.
            let mut new_stems: Vec<u32> = Vec::new();
            let mut new_at = Vec::with_capacity(words.len());
            {
                let mut batch_ids: WordMap<&str, u32> = WordMap::default();
                let mut unique: Vec<(&str, u32)> = Vec::new();
                for dw in &words {
                    new_at.push(new_stems.len());
                    for f in dw.new_words() {
                        let local = *batch_ids.entry(f).or_insert_with(|| {
                            unique.push((f, unique.len() as u32));
                            unique.len() as u32 - 1
                        });
                        new_stems.push(local);
                    }
                }
                if !unique.is_empty() {
                    unique.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
                    let stems: Vec<String> = unique.par_iter().map(|(f, _)| stem(f)).collect();
                    let mut local_stem = vec![0u32; unique.len()];
                    self.form_ids.reserve(unique.len());
                    for (&(form, local), st) in unique.iter().zip(stems) {
                        let stem_id = match self.stem_ids.get(&st) {
                            Some(&id) => id,
                            None => {
                                let id = self.entries.len() as u32;
                                self.entries.push(Entry {
                                    stem: st.clone(),
                                    postings: String::new(),
                                    last: None,
                                    forms: Vec::new(),
                                });
                                self.stem_ids.insert(st, id);
                                id
                            }
                        };
                        self.entries[stem_id as usize]
                            .forms
                            .push(self.forms.len() as u32);
                        self.forms.push(form.to_string());
                        self.form_ids.insert(form, stem_id);
                        local_stem[local as usize] = stem_id;
                    }
                    for s in new_stems.iter_mut() {
                        *s = local_stem[*s as usize];
                    }
                }
            }
            for (dw, at) in words.iter_mut().zip(new_at) {
                dw.new_at = at;
            }
            // Per document: (stem id, score), each stem once.
            let average = self.average;
            let stems_known = self.entries.len();
            words.par_iter_mut().for_each_init(
                || vec![0u32; stems_known],
                |sums, dw| resolve_words(dw, &new_stems, average, sums),
            );
            for (i, dw) in words.into_iter().enumerate() {
                let doc = (first + i) as u32;
                for (stem_id, q) in dw.found {
                    let e = &mut self.entries[stem_id as usize];
                    let gap = match e.last {
                        Some(last) => doc - last - 1,
                        None => doc,
                    };
                    varint(gap, &mut e.postings);
                    varint(q, &mut e.postings);
                    e.last = Some(doc);
                }
            }
        }
    }

    /// The records of `batch` into fragments: the one begun before filled
    /// up first, whole fragments made and handed over in parallel, the rest
    /// kept for the next documents.
    fn add_records(&mut self, batch: &[SearchDoc], emit: &(dyn Fn(OutputFile) + Sync)) {
        let fill = if self.pending_docs > 0 {
            (DOCS_PER_FRAGMENT - self.pending_docs).min(batch.len())
        } else {
            0
        };
        for d in &batch[..fill] {
            self.push_record(d);
        }
        if self.pending_docs == DOCS_PER_FRAGMENT {
            self.flush_fragment(emit);
        }
        let rest = &batch[fill..];
        let whole = rest.len() / DOCS_PER_FRAGMENT * DOCS_PER_FRAGMENT;
        let base = self.fragments;
        let made: Vec<Vec<u8>> = rest[..whole]
            .par_chunks(DOCS_PER_FRAGMENT)
            .enumerate()
            .map(|(i, chunk)| {
                let mut out = fragment_start(base + i);
                for (j, d) in chunk.iter().enumerate() {
                    if j > 0 {
                        out.extend_from_slice(b",\n");
                    }
                    record(d, &mut out);
                }
                out.extend_from_slice(FRAGMENT_END);
                out
            })
            .collect();
        // Handed over one after the other: files made at once in one
        // folder contend for it in the kernel.
        for (i, bytes) in made.into_iter().enumerate() {
            emit(self.file(&format!("f{}", base + i), bytes));
        }
        self.fragments += whole / DOCS_PER_FRAGMENT;
        for d in &rest[whole..] {
            self.push_record(d);
        }
    }

    fn push_record(&mut self, d: &SearchDoc) {
        if self.pending_docs == 0 {
            self.pending = fragment_start(self.fragments);
        } else {
            self.pending.extend_from_slice(b",\n");
        }
        record(d, &mut self.pending);
        self.pending_docs += 1;
    }

    fn flush_fragment(&mut self, emit: &(dyn Fn(OutputFile) + Sync)) {
        if self.pending_docs == 0 {
            return;
        }
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(FRAGMENT_END);
        emit(self.file(&format!("f{}", self.fragments), bytes));
        self.fragments += 1;
        self.pending_docs = 0;
    }

    /// The stems of the index, in order.
    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.stem.as_str())
    }

    /// `(document, score)` of every posting of `stem`.
    pub fn postings(&self, stem: &str) -> Vec<(u32, u32)> {
        let Some(e) = self.entries.iter().find(|e| e.stem == stem) else {
            return Vec::new();
        };
        let nums = read_varints(&e.postings);
        let mut out = Vec::new();
        let mut doc: Option<u32> = None;
        for pair in nums.chunks(2) {
            let d = match doc {
                Some(prev) => prev + 1 + pair[0],
                None => pair[0],
            };
            out.push((d, pair[1]));
            doc = Some(d);
        }
        out
    }

    /// The folded words indexed under `stem`.
    pub fn forms(&self, stem: &str) -> Vec<&str> {
        let mut f: Vec<&str> = self
            .entries
            .iter()
            .find(|e| e.stem == stem)
            .map(|e| {
                e.forms
                    .iter()
                    .map(|&i| self.forms[i as usize].as_str())
                    .collect()
            })
            .unwrap_or_default();
        f.sort_by(|a, b| utf16_cmp(a, b));
        f
    }

    /// An entry as one record of a shard: `<stem> <postings>[ <forms>]`,
    /// the stem front-coded against the stem before it (one base-36 digit
    /// for how many UTF-16 units they share, then the rest: "creation"
    /// after "creat" is `5ion`). The forms are written only when they are
    /// not just the stem itself, separated by commas, each as how many units
    /// of the stem to drop (one base-36 digit) and what to add: "parti" with
    /// "parties" and "party" is `0es,1y`; a form too far from its stem is
    /// written whole after `~`.
    fn entry_record(&self, e: &Entry, previous: &str) -> String {
        let stem: Vec<u16> = e.stem.encode_utf16().collect();
        let prev: Vec<u16> = previous.encode_utf16().collect();
        let shared = common_prefix(&stem, &prev).min(35);
        let mut out = String::with_capacity(e.stem.len() + e.postings.len() + 16);
        out.push(std::char::from_digit(shared as u32, 36).unwrap_or('0'));
        out.push_str(&String::from_utf16_lossy(&stem[shared..]));
        out.push(' ');
        out.push_str(&e.postings);
        let mut forms: Vec<&str> = e
            .forms
            .iter()
            .map(|&i| self.forms[i as usize].as_str())
            .collect();
        forms.sort_by(|a, b| utf16_cmp(a, b));
        if forms != [e.stem.as_str()] {
            out.push(' ');
            for (k, f) in forms.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let f16: Vec<u16> = f.encode_utf16().collect();
                let common = common_prefix(&stem, &f16);
                match std::char::from_digit((stem.len() - common) as u32, 36) {
                    Some(digit) => {
                        out.push(digit);
                        out.push_str(&String::from_utf16_lossy(&f16[common..]));
                    }
                    None => {
                        out.push('~');
                        out.push_str(f);
                    }
                }
            }
        }
        out
    }

    /// Hands over the last fragment, the term shards (each as it is closed)
    /// and the manifest.
    pub fn finish(mut self, emit: &(dyn Fn(OutputFile) + Sync)) {
        self.flush_fragment(emit);
        self.sort();
        // Each record against the stem before it, in parallel; a record
        // that opens a shard is made again from scratch, so each shard can
        // be read without the one before.
        let records: Vec<String> = (0..self.entries.len())
            .into_par_iter()
            .map(|i| {
                let previous = if i == 0 {
                    ""
                } else {
                    &self.entries[i - 1].stem
                };
                self.entry_record(&self.entries[i], previous)
            })
            .collect();
        let mut firsts: Vec<String> = Vec::new();
        let mut body = String::new();
        let shard = |i: usize, body: &str| {
            let mut bytes = format!("ScholionSearch.add(\"t{i}\",").into_bytes();
            json_into(body, &mut bytes);
            bytes.extend_from_slice(b");\n");
            emit(self.file(&format!("t{i}"), bytes));
        };
        for (e, mut record) in self.entries.iter().zip(records) {
            if !body.is_empty() && body.len() + record.len() > SHARD_BYTES {
                shard(firsts.len() - 1, &body);
                body.clear();
                record = self.entry_record(e, "");
            }
            if body.is_empty() {
                firsts.push(json(&e.stem));
            } else {
                body.push(';');
            }
            body.push_str(&record);
        }
        if !body.is_empty() {
            shard(firsts.len() - 1, &body);
        }
        let stop: Vec<String> = words::STOP_WORDS.iter().map(|w| json(w)).collect();
        let manifest = format!(
            "ScholionSearch.add(\"manifest\",{{\"format\":{FORMAT},\"version\":\"{}\",\"docs\":{},\"per\":{DOCS_PER_FRAGMENT},\"scale\":{SCALE},\"stop\":[{}],\"shards\":[{}]}});\n",
            self.version,
            self.docs,
            stop.join(","),
            firsts.join(",")
        );
        emit(OutputFile {
            path: "search/manifest.js".into(),
            bytes: manifest.into_bytes(),
        });
    }
}

fn common_prefix(a: &[u16], b: &[u16]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// A JSON string literal (also a JavaScript one).
fn json(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 2);
    json_into(s, &mut out);
    String::from_utf8(out).unwrap_or_else(|_| "\"\"".into())
}

/// [`json`], appended to `out` (escaped as serde_json escapes, eight bytes
/// at a time: the fragments hold the full text of every document).
fn json_into(s: &str, out: &mut Vec<u8>) {
    crate::json::push_str_bytes(out, s);
}

/// The hash of the word maps, in the manner of FxHash: eight bytes at a
/// time, a rotation, an exclusive or and a multiplication each. Much
/// quicker than the default SipHash on short words; the keys are the site's
/// own words, not an attacker's.
#[derive(Default)]
struct WordHasher(u64);

const MUL: u64 = 0x517c_c1b7_2722_0a95;

fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(MUL)
}

/// `bytes` mixed into `h` eight at a time.
fn mix_bytes(mut h: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h = mix(h, u64::from_le_bytes(c.try_into().unwrap_or_default()));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(b));
    }
    h
}

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix_bytes(self.0, bytes);
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = mix(self.0, i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiplication leaves the low bits, which pick the bucket,
        // the weakest.
        self.0.rotate_left(26)
    }
}

/// The hash behind [`version`]: each step (a rotation, an exclusive or
/// with eight bytes, a multiplication by an odd number) is one-to-one, so
/// any single change of what is hashed changes the result; lengths are
/// hashed too. Written out here, not taken from the standard library,
/// whose hashing may change between Rust releases.
#[derive(Default)]
struct Digest(u64);

impl Digest {
    fn word(&mut self, w: u64) {
        self.0 = mix(self.0, w);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.word(b.len() as u64);
        self.0 = mix_bytes(self.0, b);
    }

    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.word(u64::MAX),
        }
    }

    fn strs(&mut self, v: &[String]) {
        self.word(v.len() as u64);
        for s in v {
            self.str(s);
        }
    }

    /// The hash with its bits well mixed (the finaliser of SplitMix64).
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests;
