//! A large site's postings, written out while the documents are added and
//! read back stem by stem as the term shards are written, so that the
//! index holds at most about [`SPILL_BYTES`] of postings however large the
//! collection (at 10,000 texts they are 85 MB; at 100,000, ten times that).
//!
//! Once the postings held pass [`SPILL_BYTES`], every stem's postings so
//! far are written to an unnamed temporary file as one *run*, in the
//! shards' order of stems, and let go; each stem keeps the number of its
//! last document, so the gaps of its next postings go on from there. A
//! stem's postings are then its pieces from each run, in the order the
//! runs were written, and the postings still held: the runs are read side
//! by side in that same order of stems ([`Merge::gather`]), so each is
//! read once, front to back. A site whose postings never pass the size
//! makes no file.
//!
//! The file is in the system's temporary folder (`TMPDIR`), as `sort`'s
//! runs are. When it cannot be made or written, the postings stay in
//! memory, as they would without spilling.

use super::index::Entry;
use super::shards::utf16_cmp;
use crate::scratch;
use rayon::prelude::*;
use std::fs::File;
use std::io;

/// Postings are written out once the postings held pass this many bytes.
pub(super) const SPILL_BYTES: usize = 16 << 20;

/// How much of a run is read at a time.
const READ_BYTES: usize = 1 << 20;

#[derive(Debug)]
pub(super) struct Spill {
    /// Bytes of postings held in memory.
    pub(super) held: usize,
    /// Postings are written out once `held` passes this.
    pub(super) over: usize,
    file: Option<File>,
    /// Where each run starts and ends in the file.
    runs: Vec<(u64, u64)>,
    /// The file could not be made or written: postings stay in memory.
    off: bool,
}

impl Default for Spill {
    fn default() -> Spill {
        Spill {
            held: 0,
            over: SPILL_BYTES,
            file: None,
            runs: Vec::new(),
            off: false,
        }
    }
}

impl Spill {
    /// The runs written so far.
    #[cfg(test)]
    pub(super) fn runs(&self) -> usize {
        self.runs.len()
    }

    /// Writes the postings of `entries` out as a run if they pass the size.
    pub(super) fn check(&mut self, entries: &mut [Entry]) {
        if self.off || self.held <= self.over {
            return;
        }
        if self.write_run(entries).is_err() {
            self.off = true;
        }
    }

    /// One run: `(stem id, length, postings)` of every stem with postings
    /// held, in the order of the stems; they are let go only once the
    /// whole run is written.
    fn write_run(&mut self, entries: &mut [Entry]) -> io::Result<()> {
        if self.file.is_none() {
            self.file = Some(scratch::file()?);
        }
        let file = self.file.as_ref().expect("made above");
        let mut held: Vec<u32> = (0..entries.len() as u32)
            .filter(|&i| !entries[i as usize].postings.is_empty())
            .collect();
        held.par_sort_unstable_by(|&a, &b| {
            utf16_cmp(&entries[a as usize].stem, &entries[b as usize].stem)
        });
        let start = self.runs.last().map_or(0, |r| r.1);
        let mut at = start;
        let mut buf: Vec<u8> = Vec::with_capacity(READ_BYTES + 64);
        for &i in &held {
            let e = &entries[i as usize];
            buf.extend_from_slice(&e.id.to_le_bytes());
            buf.extend_from_slice(&(e.postings.len() as u32).to_le_bytes());
            buf.extend_from_slice(e.postings.as_bytes());
            if buf.len() >= READ_BYTES {
                scratch::write_at(file, &buf, at)?;
                at += buf.len() as u64;
                buf.clear();
            }
        }
        scratch::write_at(file, &buf, at)?;
        at += buf.len() as u64;
        self.runs.push((start, at));
        for &i in &held {
            entries[i as usize].postings = String::new();
        }
        self.held = 0;
        Ok(())
    }

    /// The runs to read back, if any were written.
    pub(super) fn merge(self) -> Option<Merge> {
        let file = self.file?;
        let cursors = self
            .runs
            .iter()
            .map(|&(at, end)| Cursor {
                at,
                end,
                buf: Vec::new(),
                pos: 0,
            })
            .collect();
        Some(Merge { file, cursors })
    }
}

/// The runs of a spilled index, read side by side.
pub(super) struct Merge {
    file: File,
    cursors: Vec<Cursor>,
}

impl Merge {
    /// Gives `entry` (the next in the order of the stems) its whole
    /// postings: its pieces from the runs, oldest first, then those still
    /// held.
    pub(super) fn gather(&mut self, entry: &mut Entry) -> io::Result<()> {
        let Merge { file, cursors } = self;
        let mut all = String::new();
        for c in cursors.iter_mut() {
            if c.head(file)? == Some(entry.id) {
                c.take(file, &mut all)?;
            }
        }
        if !all.is_empty() {
            all.push_str(&entry.postings);
            entry.postings = all;
        }
        Ok(())
    }
}

/// Where one run is being read.
struct Cursor {
    /// The next byte of the file to read, and the run's end.
    at: u64,
    end: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl Cursor {
    /// At least `need` bytes in the buffer from `pos` on.
    fn fill(&mut self, file: &File, need: usize) -> io::Result<()> {
        if self.buf.len() - self.pos >= need {
            return Ok(());
        }
        self.buf.drain(..self.pos);
        self.pos = 0;
        let want = (need - self.buf.len()).max(READ_BYTES) as u64;
        let n = want.min(self.end - self.at) as usize;
        if self.buf.len() + n < need {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "a run of postings ends early",
            ));
        }
        let old = self.buf.len();
        self.buf.resize(old + n, 0);
        scratch::read_at(file, &mut self.buf[old..], self.at)?;
        self.at += n as u64;
        Ok(())
    }

    /// The stem id of the next piece, or none at the run's end.
    fn head(&mut self, file: &File) -> io::Result<Option<u32>> {
        if self.pos == self.buf.len() && self.at == self.end {
            return Ok(None);
        }
        self.fill(file, 8)?;
        let id = &self.buf[self.pos..self.pos + 4];
        Ok(Some(u32::from_le_bytes(id.try_into().expect("four bytes"))))
    }

    /// Appends the next piece's postings to `out`.
    fn take(&mut self, file: &File, out: &mut String) -> io::Result<()> {
        self.fill(file, 8)?;
        let len = &self.buf[self.pos + 4..self.pos + 8];
        let len = u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
        self.pos += 8;
        self.fill(file, len)?;
        let piece = std::str::from_utf8(&self.buf[self.pos..self.pos + len])
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        out.push_str(piece);
        self.pos += len;
        Ok(())
    }
}
