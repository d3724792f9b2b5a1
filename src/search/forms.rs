//! Folded words to stem ids, and one document's words found, looked up and
//! scored: the work done for every word of every document, so it is done
//! in parallel, with no change to the index (the words new to it are
//! gathered, and given their stems by `Index::add`, one after the other).

use super::{words, SearchDoc, WordMap, B, K1, SCALE};
use crate::hash::MUL;

/// The stem id of a stop word in `Index::form_ids`: found with the same
/// look-up as every other word, and skipped.
pub(super) const STOP: u32 = u32::MAX;

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
    pub(super) fn reserve(&mut self, more: usize) {
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
    pub(super) found: Vec<(u32, u32)>,
    /// The words the index has not seen, one after the other (one string
    /// for the document, not one per word), and where each ends.
    new_text: String,
    new_ends: Vec<u32>,
    /// Where this document's new words begin in the batch's list of them.
    pub(super) new_at: usize,
    length: usize,
}

impl DocWords {
    pub(super) fn new_words(&self) -> impl Iterator<Item = &str> {
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

/// BM25's term-frequency part, scaled to 1..=SCALE: `weighted` is the
/// weighted count of a stem in a document of `length` words.
pub fn score(weighted: u32, length: usize, average: f64) -> u32 {
    let tf = weighted as f64;
    let norm = K1 * (1.0 - B + B * length as f64 / average.max(1.0));
    let s = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0);
    ((s * SCALE as f64).round() as u32).clamp(1, SCALE)
}
