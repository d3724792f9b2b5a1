//! What the search index draws from a text's analysis, summed up while the
//! analysis is at hand: a build lets the analysis go once the text is
//! anchored, and the search index's version and ranking need these numbers
//! before the text's documents are gathered. Part of what the search files'
//! version hashes.

use super::{Document, PassageKind};
use crate::hash::Digest;
use crate::text::words;

/// What the search index draws from a text's analysis before its documents
/// are gathered, kept when the analysis itself is let go.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocSummary {
    /// A digest of the passages and headings, for the search files'
    /// version (`crate::search::version`).
    pub digest: u64,
    /// The words and documents of the passages, for the average length
    /// that ranking uses (`crate::search::average_length`).
    pub words: usize,
    pub docs: usize,
}

impl DocSummary {
    pub fn of(doc: &Document) -> DocSummary {
        let mut d = Digest::default();
        d.word(doc.passages.len() as u64);
        let (mut words, mut docs) = (0, 0);
        for p in &doc.passages {
            d.word(p.kind as u64 | (p.number.map_or(0, |n| n as u64 + 1) << 8));
            d.str(&p.text);
            if p.number.is_some() || p.kind == PassageKind::Heading {
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
