//! What the index writes once every document is in: the term shards (each
//! stem's postings and folded words, front-coded, cut at [`SHARD_BYTES`]),
//! the document runs, the typo lists and the manifest; and the encodings
//! they share (JavaScript's order of strings, the base-64 numbers, the
//! postings' numbers, JSON strings).

use super::index::{file_of, Entry, Index};
use super::{words, DocKind, DOCS_PER_FRAGMENT, FORMAT, GROUPS, SCALE, SHARD_BYTES, TYPO_BYTES};
use crate::output::OutputFile;
use rayon::prelude::*;

/// Stems whose shard records are made at a time (see [`Index::finish`]),
/// and the most bytes of postings they have unless one stem alone has more.
const RECORDS_AT_A_TIME: usize = 4096;
const RECORD_BYTES: usize = 4 << 20;

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

/// The characters of postings: the printable ASCII characters but the
/// space and `;` (which separate a shard's fields and records) and `"` and
/// `\\` (which JSON would escape). The first [`POSTING_ENDS`] end a number,
/// the others go on.
pub(super) const POSTING_DIGITS: &[u8; 91] =
    b"!#$%&'()*+,-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
/// Digits that end a posting: a gap of 0 or 1 with any score is one
/// character.
pub(super) const POSTING_ENDS: u32 = 2 * SCALE;
const POSTING_MORE: u32 = POSTING_DIGITS.len() as u32 - POSTING_ENDS;

/// A posting, the gap to the document before (less one) and the score
/// (1–[`SCALE`]), as one number `gap × SCALE + score − 1` in digits of
/// [`POSTING_DIGITS`], least significant first: digits that go on carry a
/// value below [`POSTING_MORE`], the last one a value below
/// [`POSTING_ENDS`].
pub(super) fn posting(gap: u32, score: u32, out: &mut String) {
    let mut v = gap as u64 * SCALE as u64 + score.clamp(1, SCALE) as u64 - 1;
    while v >= POSTING_ENDS as u64 {
        out.push(POSTING_DIGITS[(POSTING_ENDS as u64 + v % POSTING_MORE as u64) as usize] as char);
        v /= POSTING_MORE as u64;
    }
    out.push(POSTING_DIGITS[v as usize] as char);
}

/// The `(gap, score)` pairs of a string written by [`posting`].
pub(super) fn read_postings(s: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let (mut v, mut unit) = (0u64, 1u64);
    for b in s.bytes() {
        let d = POSTING_DIGITS
            .iter()
            .position(|&x| x == b)
            .expect("a digit of a posting") as u64;
        if d >= POSTING_ENDS as u64 {
            v += (d - POSTING_ENDS as u64) * unit;
            unit *= POSTING_MORE as u64;
        } else {
            v += d * unit;
            out.push(((v / SCALE as u64) as u32, (v % SCALE as u64) as u32 + 1));
            (v, unit) = (0, 1);
        }
    }
    out
}

impl Index {
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
        let mut out = String::with_capacity(e.stem.len() + e.postings.len() + 16);
        front_coded(&stem, &prev, &mut out);
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
    /// and the manifest. The records of the shards are made
    /// [`RECORDS_AT_A_TIME`] stems or [`RECORD_BYTES`] of postings at a
    /// time, and each stem's postings are
    /// let go once its record is made, so that the postings are never held
    /// twice; those written out while the documents came (`spill.rs`) are
    /// read back as their stems' turn comes. Fails only when those cannot
    /// be read back.
    pub fn finish(mut self, emit: &(dyn Fn(OutputFile) + Sync)) -> std::io::Result<()> {
        self.flush_fragment(emit);
        let mut merge = std::mem::take(&mut self.spill).merge();
        self.sort();
        let mut firsts: Vec<String> = Vec::new();
        let mut body = String::new();
        let version = self.version.clone();
        let shard = |i: usize, body: &str| {
            let name = format!("t{i}");
            emit(file_of(&version, &name, script(&name, body)));
        };
        let mut start = 0;
        while start < self.entries.len() {
            // The next stems, up to the count or the bytes of postings.
            let (mut end, mut bytes) = (start, 0);
            while end < self.entries.len()
                && end - start < RECORDS_AT_A_TIME
                && bytes < RECORD_BYTES
            {
                if let Some(m) = merge.as_mut() {
                    m.gather(&mut self.entries[end])?;
                }
                bytes += self.entries[end].postings.len();
                end += 1;
            }
            // Each record against the stem before it, in parallel; a record
            // that opens a shard is made again from scratch, so each shard
            // can be read without the one before.
            let records: Vec<String> = (start..end)
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
            for (e, mut record) in self.entries[start..end].iter().zip(records) {
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
            for e in &mut self.entries[start..end] {
                e.postings = String::new();
            }
            start = end;
        }
        if !body.is_empty() {
            shard(firsts.len() - 1, &body);
        }
        self.runs.flush();
        emit(self.file("d", script("d", &self.runs.code)));
        let typos: Vec<String> = self
            .typo_lists()
            .into_iter()
            .enumerate()
            .map(|(i, (first, body))| {
                let name = format!("v{i}");
                emit(self.file(&name, script(&name, &body)));
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
        Ok(())
    }

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
                front_coded(&w16, &p16, body);
                previous = w.to_string();
            }
        }
        lists
    }
}

pub(super) fn common_prefix(a: &[u16], b: &[u16]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// `word` front-coded against the word before it, as the stems of a shard
/// and the words of a typo list are: one base-36 digit for how many UTF-16
/// units they share (at most 35), then the rest.
fn front_coded(word: &[u16], previous: &[u16], out: &mut String) {
    let shared = common_prefix(word, previous).min(35);
    out.push(std::char::from_digit(shared as u32, 36).unwrap_or('0'));
    out.push_str(&String::from_utf16_lossy(&word[shared..]));
}

/// A file of the index whose data is one string: the classic script
/// `ScholionSearch.add("<name>","<body>");` (docs/search.md).
fn script(name: &str, body: &str) -> Vec<u8> {
    let mut bytes = format!("ScholionSearch.add(\"{name}\",").into_bytes();
    json_into(body, &mut bytes);
    bytes.extend_from_slice(b");\n");
    bytes
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
