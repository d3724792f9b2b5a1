//! The inverted index, built as documents are added: each stem's postings
//! with their BM25 scores (see the module above), and the queries the tests
//! ask of it. Documents come in batches, each read in parallel; the words
//! of each document are looked up and scored in `forms.rs`, its record is
//! written into a fragment by `fragments.rs`, and once every document is in,
//! `shards.rs` writes the term shards, the typo lists and the manifest.

use super::forms::{doc_length, doc_words, resolve_words, DocWords, FormIds, STOP};
use super::fragments::{Fragments, Runs};
use super::shards::{posting, read_postings, utf16_cmp};
use super::spill::Spill;
use super::{stem, words, SearchDoc, WordMap};
use crate::output::OutputFile;
use rayon::prelude::*;

/// One stem's postings, encoded as they are built.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// The number of the stem, in the order stems were first met (the
    /// entries are sorted by stem at the end).
    pub(super) id: u32,
    pub(super) stem: String,
    /// `(delta, score)` pairs as [`posting`]s.
    pub(super) postings: String,
    last: Option<u32>,
    /// Ids into `Index::forms` of the folded words with this stem.
    pub(super) forms: Vec<u32>,
}

/// The stem id of a stop word in `Index::form_ids`: found with the same
/// look-up as every other word, and skipped.
/// The inverted index of a site's documents, built as the documents are
/// added; their fragments are handed over as soon as each is full.
#[derive(Debug)]
pub struct Index {
    pub(super) entries: Vec<Entry>,
    pub(super) forms: Vec<String>,
    /// Documents added so far.
    pub docs: usize,
    /// The average length of a document, for ranking.
    pub(super) average: f64,
    /// The name of the folder of the shards and fragments.
    pub(super) version: String,
    /// Folded word -> stem id (the stop words -> [`STOP`]), stem -> stem id.
    pub(super) form_ids: FormIds,
    pub(super) stem_ids: WordMap<String, u32>,
    /// The fragments, made as the documents come.
    pub(super) frags: Fragments,
    /// Which page and group each document is on, as [`Runs`].
    pub(super) runs: Runs,
    /// The postings written out so far, for a large site.
    pub(super) spill: Spill,
}

/// The file `name` of the index's folder `search/<version>/`.
pub(super) fn file_of(version: &str, name: &str, bytes: Vec<u8>) -> OutputFile {
    OutputFile {
        path: format!("search/{version}/{name}.js"),
        bytes,
    }
}

/// Documents per batch when building the index.
pub(super) const BATCH: usize = 4096;

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
            frags: Fragments::default(),
            runs: Runs::default(),
            spill: Spill::default(),
        }
    }

    /// The index of `docs`, with their own average length (its files are
    /// dropped).
    pub fn build(docs: &[SearchDoc]) -> Index {
        let total: usize = docs.par_iter().map(doc_length).sum();
        let mut index = Index::new(total as f64 / docs.len().max(1) as f64, String::new());
        // Every posting stays in memory, for the queries of the tests.
        index.spill.over = usize::MAX;
        index.add(docs, &|_| {});
        index.sort();
        index
    }

    pub(super) fn sort(&mut self) {
        self.entries
            .par_sort_unstable_by(|a, b| utf16_cmp(&a.stem, &b.stem));
    }

    pub(super) fn file(&self, name: &str, bytes: Vec<u8>) -> OutputFile {
        file_of(&self.version, name, bytes)
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
            for d in batch {
                self.runs.push(d);
            }
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
                                    id,
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
                    let before = e.postings.len();
                    posting(gap, q, &mut e.postings);
                    self.spill.held += e.postings.len() - before;
                    e.last = Some(doc);
                }
            }
            self.spill.check(&mut self.entries);
        }
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
        let mut out = Vec::new();
        let mut doc: Option<u32> = None;
        for (gap, score) in read_postings(&e.postings) {
            let d = match doc {
                Some(prev) => prev + 1 + gap,
                None => gap,
            };
            out.push((d, score));
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
}
