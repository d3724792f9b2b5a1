//! The fragments: the documents' records, [`DOCS_PER_FRAGMENT`] to a file,
//! written as the documents are added and each file handed over once full;
//! and the runs of documents by page and group that the manifest's `d`
//! file gives the browser.

use super::index::Index;
use super::shards::{json_into, varint};
use super::{SearchDoc, DOCS_PER_FRAGMENT};
use crate::output::OutputFile;
use rayon::prelude::*;

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
    pub(super) fn push(&mut self, d: &SearchDoc) {
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

    pub(super) fn flush(&mut self) {
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

impl Index {
    /// The records of `batch` into fragments: the one begun before filled
    /// up first, whole fragments made and handed over in parallel, the rest
    /// kept for the next documents.
    pub(super) fn add_records(&mut self, batch: &[SearchDoc], emit: &(dyn Fn(OutputFile) + Sync)) {
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

    pub(super) fn flush_fragment(&mut self, emit: &(dyn Fn(OutputFile) + Sync)) {
        if self.pending_docs == 0 {
            return;
        }
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(FRAGMENT_END);
        emit(self.file(&format!("f{}", self.fragments), bytes));
        self.fragments += 1;
        self.pending_docs = 0;
    }
}
