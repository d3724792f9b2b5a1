//! The fragments: the documents' records, [`DOCS_PER_FRAGMENT`] to a file,
//! their text coded against the lexicon made from the first documents
//! (`lexicon.rs`), written as the documents are added and each file handed
//! over once full;
//! and the runs of documents by page and group that the manifest's `d`
//! file gives the browser.

use super::index::Index;
use super::lexicon::{Lexicon, SAMPLE_BYTES};
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

/// Appends a document as a record of a fragment,
/// `[kind, href, title, label, text]`, where what the record before it in
/// the fragment (`previous`, its href and title) already says is left out:
/// an address on the same page is only its `#fragment` (`""` for the page
/// itself), a title the same as the one before is `0`; and the text is
/// coded against the lexicon ([`Lexicon::encode`]).
pub(super) fn record(
    d: &SearchDoc,
    previous: Option<(&str, &str)>,
    lexicon: &Lexicon,
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(b"[\"");
    out.extend_from_slice(d.kind.code().as_bytes());
    out.extend_from_slice(b"\",");
    let page = |h: &str| h.split('#').next().unwrap_or_default().len();
    match previous {
        Some((href, _)) if d.href[..page(&d.href)] == href[..page(href)] => {
            json_into(&d.href[page(&d.href)..], out)
        }
        _ => json_into(&d.href, out),
    }
    out.push(b',');
    match previous {
        Some((_, title)) if title == d.title => out.push(b'0'),
        _ => json_into(&d.title, out),
    }
    out.push(b',');
    json_into(&d.label, out);
    out.push(b',');
    let mut text = String::with_capacity(d.text.len() / 2);
    lexicon.encode(&d.text, &mut text);
    json_into(&text, out);
    out.push(b']');
}

/// The start of fragment `i`; its records follow, separated by `,\n`, and
/// [`FRAGMENT_END`].
pub(super) fn fragment_start(i: usize) -> Vec<u8> {
    format!("ScholionSearch.add(\"f{i}\",[\n").into_bytes()
}

pub(super) const FRAGMENT_END: &[u8] = b"]);\n";

/// The fragments as they are made: the documents held until there is
/// enough text to make the lexicon from, then each fragment made as its
/// documents come and handed over once full.
#[derive(Debug, Default)]
pub(super) struct Fragments {
    lexicon: Option<Lexicon>,
    /// The first documents (without their indexed fields), until the
    /// lexicon is made, and the bytes of their text.
    held: Vec<SearchDoc>,
    held_bytes: usize,
    /// Fragments handed over so far, the records of the next one and the
    /// last document in it.
    pub(super) count: usize,
    pending: Vec<u8>,
    pending_docs: usize,
    last: Option<(String, String)>,
}

impl Index {
    /// The records of `batch` into fragments; the first documents are held
    /// until [`SAMPLE_BYTES`] of text have come (or the last document), the
    /// lexicon is made from them and handed over as `l.js`.
    /// The sample is the fewest first documents whose text reaches
    /// [`SAMPLE_BYTES`], however the documents are batched (a build hands
    /// them over text by text, `search::files` 64 texts at a time), so that
    /// one version of the index always has one lexicon.
    pub(super) fn add_records(&mut self, batch: &[SearchDoc], emit: &(dyn Fn(OutputFile) + Sync)) {
        let mut rest = batch;
        if self.frags.lexicon.is_none() {
            let taken = batch
                .iter()
                .take_while(|d| {
                    let more = self.frags.held_bytes < SAMPLE_BYTES;
                    if more {
                        self.frags.held_bytes += d.text.len();
                        self.frags.held.push(SearchDoc {
                            fields: Vec::new(),
                            ..(*d).clone()
                        });
                    }
                    more
                })
                .count();
            if self.frags.held_bytes < SAMPLE_BYTES {
                return;
            }
            self.make_lexicon(emit);
            rest = &batch[taken..];
        }
        self.write_records(rest, emit);
    }

    /// Makes the lexicon from the documents held, hands it over and writes
    /// their records.
    pub(super) fn make_lexicon(&mut self, emit: &(dyn Fn(OutputFile) + Sync)) {
        if self.frags.lexicon.is_some() {
            return;
        }
        let held = std::mem::take(&mut self.frags.held);
        let lexicon = Lexicon::new(held.iter().map(|d| d.text.as_str()));
        let mut bytes = b"ScholionSearch.add(\"l\",".to_vec();
        bytes.extend_from_slice(lexicon.json().as_bytes());
        bytes.extend_from_slice(b");\n");
        emit(self.file("l", bytes));
        self.frags.lexicon = Some(lexicon);
        self.write_records(&held, emit);
    }

    /// The records of `batch` into fragments: the one begun before filled
    /// up first, whole fragments made and handed over in parallel, the rest
    /// kept for the next documents.
    fn write_records(&mut self, batch: &[SearchDoc], emit: &(dyn Fn(OutputFile) + Sync)) {
        let fill = if self.frags.pending_docs > 0 {
            (DOCS_PER_FRAGMENT - self.frags.pending_docs).min(batch.len())
        } else {
            0
        };
        for d in &batch[..fill] {
            self.push_record(d);
        }
        if self.frags.pending_docs == DOCS_PER_FRAGMENT {
            self.flush_fragment(emit);
        }
        let rest = &batch[fill..];
        let whole = rest.len() / DOCS_PER_FRAGMENT * DOCS_PER_FRAGMENT;
        let base = self.frags.count;
        let lexicon = self.frags.lexicon.as_ref().expect("the lexicon");
        let made: Vec<Vec<u8>> = rest[..whole]
            .par_chunks(DOCS_PER_FRAGMENT)
            .enumerate()
            .map(|(i, chunk)| {
                let mut out = fragment_start(base + i);
                for (j, d) in chunk.iter().enumerate() {
                    if j > 0 {
                        out.extend_from_slice(b",\n");
                    }
                    let previous = j
                        .checked_sub(1)
                        .map(|p| (chunk[p].href.as_str(), chunk[p].title.as_str()));
                    record(d, previous, lexicon, &mut out);
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
        self.frags.count += whole / DOCS_PER_FRAGMENT;
        for d in &rest[whole..] {
            self.push_record(d);
        }
    }

    fn push_record(&mut self, d: &SearchDoc) {
        let f = &mut self.frags;
        if f.pending_docs == 0 {
            f.pending = fragment_start(f.count);
            f.last = None;
        } else {
            f.pending.extend_from_slice(b",\n");
        }
        let lexicon = f.lexicon.as_ref().expect("the lexicon");
        let previous = f.last.as_ref().map(|(h, t)| (h.as_str(), t.as_str()));
        record(d, previous, lexicon, &mut f.pending);
        f.last = Some((d.href.clone(), d.title.clone()));
        f.pending_docs += 1;
    }

    /// Hands over the fragment begun (the lexicon first, if the site had
    /// too little text to make it before).
    pub(super) fn flush_fragment(&mut self, emit: &(dyn Fn(OutputFile) + Sync)) {
        self.make_lexicon(emit);
        if self.frags.pending_docs == 0 {
            return;
        }
        let mut bytes = std::mem::take(&mut self.frags.pending);
        bytes.extend_from_slice(FRAGMENT_END);
        emit(self.file(&format!("f{}", self.frags.count), bytes));
        self.frags.count += 1;
        self.frags.pending_docs = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::super::DocKind;
    use super::*;
    use std::sync::Mutex;

    /// The files of `docs` added in batches of `size`, by name.
    fn files(docs: &[SearchDoc], size: usize) -> Vec<(String, Vec<u8>)> {
        let made = Mutex::new(Vec::new());
        let emit = |f: OutputFile| made.lock().unwrap().push((f.path, f.bytes));
        let mut index = Index::new(10.0, "v".into());
        for batch in docs.chunks(size) {
            index.add(batch, &emit);
        }
        index.finish(&emit).expect("nothing written out");
        let mut out = made.into_inner().unwrap();
        out.sort();
        out
    }

    #[test]
    fn the_lexicon_and_the_fragments_do_not_depend_on_how_documents_are_batched() {
        let docs: Vec<SearchDoc> = (0..400)
            .map(|i| SearchDoc {
                kind: DocKind::Paragraph,
                href: format!("texts/t{}.html#p{i}", i / 50),
                title: format!("Text {}", i / 50),
                label: format!("¶ {i}"),
                // Every document brings words of its own, so a lexicon
                // made from more or fewer documents would differ.
                text: format!(
                    "word{i} and word{i} and word{i} {}",
                    "the party of the class. ".repeat(SAMPLE_BYTES / 2_000)
                ),
                text_weight: Some(1),
                fields: Vec::new(),
            })
            .collect();
        let one = files(&docs, 1);
        assert!(one.iter().any(|(p, _)| p.ends_with("/l.js")));
        for size in [7, 64, 400] {
            assert!(files(&docs, size) == one, "batches of {size}");
        }
    }
}
