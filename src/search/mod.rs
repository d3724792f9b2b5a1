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
//! `<version>` is a hash of the shards and fragments, so a browser never
//! mixes a cached shard of one build with the manifest of another; the
//! output stays byte-identical between builds of the same content.
//!
//! Ranking is BM25 computed at build time: each posting carries, quantized
//! to 1–31, how well the document matches the stem given its field weights
//! (a glossary entry's name above a heading above running text) and its
//! length; the browser multiplies by the stem's rarity (IDF, from the number
//! of postings) and adds over the words of the query. See docs/search.md.

mod stem;
pub mod words;

pub use stem::stem;

use crate::parse::markdown;
use crate::refs;
use crate::render::OutputFile;
use crate::resolve::Resolved;
use pulldown_cmark::{Event, TagEnd};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Hash maps keyed by short words: FNV is much quicker than the default
/// SipHash there, and the keys are the site's own words, not an attacker's.
type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

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
    /// What is indexed, with the weight of each field.
    pub fields: Vec<(u32, String)>,
}

/// Texts whose documents are gathered at a time: the documents of the
/// whole site are never in memory at once, only their fragments.
const TEXTS_AT_A_TIME: usize = 64;

/// The search files of a site: the manifest, the term shards, the fragments.
pub fn files(r: &Resolved) -> Vec<OutputFile> {
    let mut index = Index::new(average_length(r));
    let texts: Vec<usize> = (0..r.texts.len()).collect();
    for some in texts.chunks(TEXTS_AT_A_TIME) {
        let docs: Vec<SearchDoc> = some
            .par_iter()
            .flat_map_iter(|&ti| text_documents(r, ti))
            .collect();
        index.add(&docs);
    }
    index.add(&glossary_documents(r));
    index.files()
}

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
            let mut docs = 1;
            for p in &at.doc.passages {
                if p.number.is_some() || p.kind == crate::document::PassageKind::Heading {
                    words += words::count(&p.text);
                    docs += 1;
                }
            }
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

/// White space runs as single spaces, trimmed.
fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Every document of the site, in a stable order: per text its particulars,
/// then its headings and numbered passages in reading order, then its
/// notes; then the glossary.
pub fn documents(r: &Resolved) -> Vec<SearchDoc> {
    let per_text: Vec<Vec<SearchDoc>> = (0..r.texts.len())
        .into_par_iter()
        .map(|ti| text_documents(r, ti))
        .collect();
    let mut docs: Vec<SearchDoc> = per_text.into_iter().flatten().collect();
    docs.extend(glossary_documents(r));
    docs
}

fn text_documents(r: &Resolved, ti: usize) -> Vec<SearchDoc> {
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
        text: particulars.clone(),
        fields: vec![(weight::TITLE, titles), (weight::BODY, particulars)],
    }];
    let mut headings = at.doc.headings.iter();
    for p in &at.doc.passages {
        let text = squeeze(&p.text);
        if text.is_empty() {
            continue;
        }
        let (kind, href, label, w) = match (p.number, p.kind) {
            (Some(n), _) => (
                DocKind::Paragraph,
                format!("{page}#p{n}"),
                format!("¶ {n}"),
                weight::BODY,
            ),
            (None, crate::document::PassageKind::Heading) => {
                // Headings inside list items have no passage of their own:
                // skip to the one with this passage's words.
                let Some(h) = headings.find(|h| squeeze(&h.text) == text) else {
                    continue;
                };
                (
                    DocKind::Heading,
                    format!("{page}#{}", h.id),
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
            fields: vec![(w, text.clone())],
            text,
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
                href: format!("{page}#en-{}", note.id),
                title: short.clone(),
                label: format!("Note {}", an.number),
                fields: vec![(weight::BODY, text.clone())],
                text,
            });
        }
    }
    docs
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

/// The inverted index of a site's documents, and their fragments, built as
/// the documents are added.
#[derive(Debug)]
pub struct Index {
    entries: Vec<Entry>,
    forms: Vec<String>,
    /// Documents added so far.
    pub docs: usize,
    /// The average length of a document, for ranking.
    average: f64,
    /// Folded word -> stem id, stem -> stem id.
    form_ids: WordMap<String, u32>,
    stem_ids: WordMap<String, u32>,
    /// The fragment files written so far, and the records of the next one.
    fragments: Vec<String>,
    pending: Vec<String>,
}

/// One document's words: each folded form with its weighted count.
struct DocWords {
    forms: Vec<(String, u32)>,
    length: usize,
}

/// Documents per batch when building the index.
const BATCH: usize = 4096;

/// The length of a document for ranking: its words, stop words included.
fn doc_length(d: &SearchDoc) -> usize {
    d.fields.iter().map(|(_, t)| words::count(t)).sum()
}

fn doc_words(d: &SearchDoc) -> DocWords {
    let mut counts: WordMap<String, u32> =
        WordMap::with_capacity_and_hasher(64, Default::default());
    let mut form = String::new();
    let mut length = 0;
    for (w, text) in &d.fields {
        for (_, word) in words::spans(text) {
            length += 1;
            form.clear();
            words::fold_into(word, &mut form);
            if form.is_empty() || form.len() > words::MAX_WORD || words::is_stop_word(&form) {
                continue;
            }
            match counts.get_mut(form.as_str()) {
                Some(c) => *c += w,
                None => {
                    counts.insert(form.clone(), *w);
                }
            }
        }
    }
    // In the map's order: stable (FNV has no random seed), and the stems
    // are sorted afterwards anyway.
    let forms: Vec<(String, u32)> = counts.into_iter().collect();
    DocWords { forms, length }
}

/// A document as a record of a fragment: `[kind, href, title, label, text]`.
fn record(d: &SearchDoc) -> String {
    format!(
        "[\"{}\",{},{},{},{}]",
        d.kind.code(),
        json(&d.href),
        json(&d.title),
        json(&d.label),
        json(&d.text)
    )
}

/// BM25's term-frequency part, scaled to 1..=SCALE: `weighted` is the
/// weighted count of a stem in a document of `length` words.
pub fn score(weighted: u32, length: usize, average: f64) -> u32 {
    let tf = weighted as f64;
    let norm = K1 * (1.0 - B + B * length as f64 / average.max(1.0));
    let s = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0);
    ((s * SCALE as f64).round() as u32).clamp(1, SCALE)
}

/// JavaScript's order of strings: by UTF-16 code units.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
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
    pub fn new(average: f64) -> Index {
        Index {
            entries: Vec::new(),
            forms: Vec::new(),
            docs: 0,
            average,
            form_ids: WordMap::default(),
            stem_ids: WordMap::default(),
            fragments: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// The index of `docs`, with their own average length.
    pub fn build(docs: &[SearchDoc]) -> Index {
        let total: usize = docs.par_iter().map(doc_length).sum();
        let mut index = Index::new(total as f64 / docs.len().max(1) as f64);
        index.add(docs);
        index.sort();
        index
    }

    fn sort(&mut self) {
        self.entries
            .sort_unstable_by(|a, b| utf16_cmp(&a.stem, &b.stem));
    }

    /// Adds `docs`, numbered on from the documents added before: their
    /// words to the postings, their records to the fragments. Within a
    /// batch, words are found, looked up and scored in parallel; only the
    /// words never seen before and the appending of postings (in document
    /// order) are done one after the other.
    pub fn add(&mut self, docs: &[SearchDoc]) {
        for batch in docs.chunks(BATCH) {
            let first = self.docs;
            self.docs += batch.len();
            let records: Vec<String> = batch.par_iter().map(record).collect();
            for r in records {
                self.pending.push(r);
                if self.pending.len() == DOCS_PER_FRAGMENT {
                    self.flush_fragment();
                }
            }
            let words: Vec<DocWords> = batch.par_iter().map(doc_words).collect();
            let mut new: Vec<&str> = words
                .par_iter()
                .flat_map_iter(|dw| dw.forms.iter().map(|(f, _)| f.as_str()))
                .filter(|f| !self.form_ids.contains_key(*f))
                .collect();
            new.sort_unstable();
            new.dedup();
            let stems: Vec<String> = new.par_iter().map(|f| stem(f)).collect();
            for (form, st) in new.into_iter().zip(stems) {
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
                self.form_ids.insert(form.to_string(), stem_id);
            }
            // Per document: (stem id, score), by stem id.
            let (form_ids, average) = (&self.form_ids, self.average);
            let rows: Vec<Vec<(u32, u32)>> = words
                .par_iter()
                .map(|dw| {
                    let mut by_stem: Vec<(u32, u32)> = dw
                        .forms
                        .iter()
                        .map(|(f, w)| (form_ids[f.as_str()], *w))
                        .collect();
                    by_stem.sort_unstable();
                    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(by_stem.len());
                    for (s, w) in by_stem {
                        match merged.last_mut() {
                            Some(last) if last.0 == s => last.1 += w,
                            _ => merged.push((s, w)),
                        }
                    }
                    for m in &mut merged {
                        m.1 = score(m.1, dw.length, average);
                    }
                    merged
                })
                .collect();
            for (i, row) in rows.into_iter().enumerate() {
                let doc = (first + i) as u32;
                for (stem_id, q) in row {
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

    fn flush_fragment(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let i = self.fragments.len();
        self.fragments.push(format!(
            "ScholionSearch.add(\"f{i}\",[\n{}]);\n",
            self.pending.join(",\n")
        ));
        self.pending.clear();
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
            let coded: Vec<String> = forms
                .iter()
                .map(|f| {
                    let f16: Vec<u16> = f.encode_utf16().collect();
                    let common = common_prefix(&stem, &f16);
                    match std::char::from_digit((stem.len() - common) as u32, 36) {
                        Some(digit) => {
                            format!("{digit}{}", String::from_utf16_lossy(&f16[common..]))
                        }
                        None => format!("~{f}"),
                    }
                })
                .collect();
            out.push(' ');
            out.push_str(&coded.join(","));
        }
        out
    }

    /// The manifest, the term shards and the fragments.
    pub fn files(mut self) -> Vec<OutputFile> {
        self.sort();
        self.flush_fragment();
        // (first stem, records); each shard front-codes from scratch, so
        // it can be read without the one before.
        let mut shards: Vec<(String, String)> = Vec::new();
        let mut body = String::new();
        let mut first = "";
        let mut previous = "";
        for e in &self.entries {
            let mut record = self.entry_record(e, previous);
            if !body.is_empty() && body.len() + record.len() > SHARD_BYTES {
                shards.push((first.to_string(), std::mem::take(&mut body)));
                record = self.entry_record(e, "");
            }
            if body.is_empty() {
                first = &e.stem;
            } else {
                body.push(';');
            }
            body.push_str(&record);
            previous = &e.stem;
        }
        if !body.is_empty() {
            shards.push((first.to_string(), body));
        }
        let shard_files: Vec<String> = shards
            .iter()
            .enumerate()
            .map(|(i, (_, b))| format!("ScholionSearch.add(\"t{i}\",{});\n", json(b)))
            .collect();
        let fragment_files = std::mem::take(&mut self.fragments);
        let mut hash = Fnv::default();
        use std::hash::Hasher;
        for f in shard_files.iter().chain(&fragment_files) {
            hash.write(f.as_bytes());
        }
        let version = format!("{:016x}", hash.0)[..10].to_string();
        let firsts: Vec<String> = shards.iter().map(|(f, _)| json(f)).collect();
        let stop: Vec<String> = words::STOP_WORDS.iter().map(|w| json(w)).collect();
        let manifest = format!(
            "ScholionSearch.add(\"manifest\",{{\"format\":{FORMAT},\"version\":\"{version}\",\"docs\":{},\"per\":{DOCS_PER_FRAGMENT},\"scale\":{SCALE},\"stop\":[{}],\"shards\":[{}]}});\n",
            self.docs,
            stop.join(","),
            firsts.join(",")
        );
        let mut files = vec![OutputFile {
            path: "search/manifest.js".into(),
            bytes: manifest.into_bytes(),
        }];
        files.extend(
            shard_files
                .into_iter()
                .enumerate()
                .map(|(i, s)| OutputFile {
                    path: format!("search/{version}/t{i}.js"),
                    bytes: s.into_bytes(),
                }),
        );
        files.extend(
            fragment_files
                .into_iter()
                .enumerate()
                .map(|(i, s)| OutputFile {
                    path: format!("search/{version}/f{i}.js"),
                    bytes: s.into_bytes(),
                }),
        );
        files
    }
}

fn common_prefix(a: &[u16], b: &[u16]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// A JSON string literal (also a JavaScript one).
fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// FNV-1a, 64 bits: a stable hash for the version of the index (the
/// standard library's hasher may change between Rust releases), and a quick
/// one for the word maps.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests;
