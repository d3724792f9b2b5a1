//! The inverted index, built as documents are added: each stem's postings
//! with their BM25 scores, the fragments handed over as each fills up, and
//! at the end the term shards and the manifest (see the module above).

use super::{
    stem, words, DocKind, SearchDoc, WordMap, B, DOCS_PER_FRAGMENT, FORMAT, GROUPS, K1, SCALE,
    SHARD_BYTES, TYPO_BYTES,
};
use crate::hash::MUL;
use crate::output::OutputFile;
use rayon::prelude::*;

/// One stem's postings, encoded as they are built.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) stem: String,
    /// `(delta, score)` pairs as [`varint`]s.
    postings: String,
    last: Option<u32>,
    /// Ids into `Index::forms` of the folded words with this stem.
    forms: Vec<u32>,
}

/// The stem id of a stop word in `Index::form_ids`: found with the same
/// look-up as every other word, and skipped.
pub(super) const STOP: u32 = u32::MAX;

/// The inverted index of a site's documents, built as the documents are
/// added; their fragments are handed over as soon as each is full.
#[derive(Debug)]
pub struct Index {
    pub(super) entries: Vec<Entry>,
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
    /// Which page and group each document is on, as [`Runs`].
    runs: Runs,
}

/// The documents' pages and groups ([`DocKind::group`]), so the browser can
/// group and filter results before it loads any of them: documents come in
/// reading order, so each page's documents of one group are consecutive, a
/// *run*. Each run is two [`varint`]s: how many documents, and the group
/// times two, plus one when the run starts a new page.
#[derive(Debug, Default)]
pub(super) struct Runs {
    pub(super) code: String,
    page: String,
    group: usize,
    count: u32,
    new_page: bool,
}

impl Runs {
    fn push(&mut self, d: &SearchDoc) {
        let page = d.href.split('#').next().unwrap_or_default();
        let group = d.kind.group();
        let new_page = page != self.page;
        if self.count > 0 && !new_page && group == self.group {
            self.count += 1;
            return;
        }
        self.flush();
        if new_page {
            self.page = page.to_string();
        }
        self.group = group;
        self.count = 1;
        self.new_page = new_page || self.code.is_empty();
    }

    fn flush(&mut self) {
        if self.count > 0 {
            varint(self.count, &mut self.code);
            varint(
                (self.group * 2 + self.new_page as usize) as u32,
                &mut self.code,
            );
            self.count = 0;
        }
    }
}

/// Folded word -> stem id. Words of up to 16 bytes (nearly all) are
/// looked up by their [`words::key`], which [`words::for_each_folded`]
/// gives with each word, in a table of their own: open addressing with
/// linear probing, at most half full, so that a look-up is a
/// multiplication and, most often, one comparison of two numbers (it is
/// done for every word of every document). Longer words are kept in a map
/// of strings.
#[derive(Debug)]
pub(super) struct FormIds {
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
    pub(super) fn get(&self, form: &str, key: u128) -> Option<u32> {
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
    pub(super) fn insert(&mut self, form: &str, id: u32) {
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
pub(super) struct DocWords {
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
pub(super) const NEW: u32 = 1 << 31;

/// Documents per batch when building the index.
pub(super) const BATCH: usize = 4096;

/// The length of a document for ranking: its words, stop words included.
pub(super) fn doc_length(d: &SearchDoc) -> usize {
    d.indexed().map(|(_, t)| words::count(t)).sum()
}

/// The words of a document, looked up in `form_ids` (not changed here, so
/// documents are read in parallel): one folding buffer per document, and
/// the words the index has not seen copied into one string.
pub(super) fn doc_words(d: &SearchDoc, form_ids: &FormIds) -> DocWords {
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
pub(super) fn resolve_words(
    dw: &mut DocWords,
    new_stems: &[u32],
    average: f64,
    sums: &mut Vec<u32>,
) {
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
pub(super) fn record(d: &SearchDoc, out: &mut Vec<u8>) {
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
pub(super) fn fragment_start(i: usize) -> Vec<u8> {
    format!("ScholionSearch.add(\"f{i}\",[\n").into_bytes()
}

pub(super) const FRAGMENT_END: &[u8] = b"]);\n";

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
pub(super) fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match x.iter().zip(y).position(|(p, q)| p != q) {
        None => x.len().cmp(&y.len()),
        Some(i) if x[i] >= 0xEE && y[i] >= 0xEE => a.encode_utf16().cmp(b.encode_utf16()),
        Some(i) => x[i].cmp(&y[i]),
    }
}

pub(super) const DIGITS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

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
            runs: Runs::default(),
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
    pub(super) fn entry_record(&self, e: &Entry, previous: &str) -> String {
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
        self.runs.flush();
        let mut runs = b"ScholionSearch.add(\"d\",".to_vec();
        json_into(&self.runs.code, &mut runs);
        runs.extend_from_slice(b");\n");
        emit(self.file("d", runs));
        let typos: Vec<String> = self
            .typo_lists()
            .into_iter()
            .enumerate()
            .map(|(i, (first, body))| {
                let mut bytes = format!("ScholionSearch.add(\"v{i}\",").into_bytes();
                json_into(&body, &mut bytes);
                bytes.extend_from_slice(b");\n");
                emit(self.file(&format!("v{i}"), bytes));
                json(&first)
            })
            .collect();
        let stop: Vec<String> = words::STOP_WORDS.iter().map(|w| json(w)).collect();
        let kinds: Vec<String> = DocKind::ALL
            .iter()
            .map(|k| {
                format!(
                    "\"{}\":{{\"group\":{},\"own\":{},\"whole\":{}}}",
                    k.code(),
                    k.group(),
                    k.own_title(),
                    k.whole_page()
                )
            })
            .collect();
        let groups: Vec<String> = GROUPS.iter().map(|g| json(g)).collect();
        let manifest = format!(
            "ScholionSearch.add(\"manifest\",{{\"format\":{FORMAT},\"version\":\"{}\",\"docs\":{},\"per\":{DOCS_PER_FRAGMENT},\"scale\":{SCALE},\"kinds\":{{{}}},\"groups\":[{}],\"stop\":[{}],\"shards\":[{}],\"typos\":[{}]}});\n",
            self.version,
            self.docs,
            kinds.join(","),
            groups.join(","),
            stop.join(","),
            firsts.join(","),
            typos.join(",")
        );
        emit(OutputFile {
            path: "search/manifest.js".into(),
            bytes: manifest.into_bytes(),
        });
    }
}

impl Index {
    /// The lists of words a misspelt word is compared with (typo
    /// tolerance): every folded word of three letters or more, letters
    /// only, in UTF-16 order, front-coded as the stems of a shard are
    /// (`,` between words), and cut into lists of about [`TYPO_BYTES`]
    /// where the first letter changes (or, in a letter that alone is
    /// larger, the second), so that the browser compares a word with the
    /// one list of the words that begin as it does. With each list, the
    /// first word it holds, for the manifest.
    pub(super) fn typo_lists(&self) -> Vec<(String, String)> {
        let mut all: Vec<&str> = self
            .forms
            .iter()
            .map(String::as_str)
            .filter(|f| f.chars().count() >= 3 && f.chars().all(char::is_alphabetic))
            .collect();
        all.sort_by(|a, b| utf16_cmp(a, b));
        all.dedup();
        let key = |w: &str, n: usize| w.chars().take(n).collect::<String>();
        // Runs of words with the same first letter, split by the second
        // where a run alone passes the size.
        let mut runs: Vec<&[&str]> = Vec::new();
        let mut rest = &all[..];
        while let Some(first) = rest.first() {
            let k1 = key(first, 1);
            let end = rest
                .iter()
                .position(|w| key(w, 1) != k1)
                .unwrap_or(rest.len());
            let (run, after) = rest.split_at(end);
            let size: usize = run.iter().map(|w| w.len() + 1).sum();
            if size > TYPO_BYTES {
                let mut r = run;
                while let Some(f) = r.first() {
                    let k2 = key(f, 2);
                    let e = r.iter().position(|w| key(w, 2) != k2).unwrap_or(r.len());
                    runs.push(&r[..e]);
                    r = &r[e..];
                }
            } else {
                runs.push(run);
            }
            rest = after;
        }
        let mut lists: Vec<(String, String)> = Vec::new();
        let mut previous = String::new();
        for run in runs {
            let open = lists.last().is_some_and(|l| l.1.len() < TYPO_BYTES);
            if !open {
                lists.push((run[0].to_string(), String::new()));
                previous.clear();
            }
            let body = &mut lists.last_mut().expect("a list").1;
            for w in run {
                if !body.is_empty() {
                    body.push(',');
                }
                let w16: Vec<u16> = w.encode_utf16().collect();
                let p16: Vec<u16> = previous.encode_utf16().collect();
                let shared = common_prefix(&w16, &p16).min(35);
                body.push(std::char::from_digit(shared as u32, 36).unwrap_or('0'));
                body.push_str(&String::from_utf16_lossy(&w16[shared..]));
                previous = w.to_string();
            }
        }
        lists
    }
}

pub(super) fn common_prefix(a: &[u16], b: &[u16]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// A JSON string literal (also a JavaScript one).
pub(super) fn json(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 2);
    json_into(s, &mut out);
    String::from_utf8(out).unwrap_or_else(|_| "\"\"".into())
}

/// [`json`], appended to `out` (escaped as serde_json escapes, eight bytes
/// at a time: the fragments hold the full text of every document).
pub(super) fn json_into(s: &str, out: &mut Vec<u8>) {
    crate::json::push_str_bytes(out, s);
}
