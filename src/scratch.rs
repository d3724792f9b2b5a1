//! Unnamed temporary files, for data too large to keep in memory while it
//! is made: the preview's served site (`serve/output.rs`), a large site's
//! search postings (`search/spill.rs`), and its notes' bodies and the
//! lines of its glossary occurrences ([`Strings`]). Such a file has no name in
//! any folder where the system allows it (O_TMPFILE on Linux), so the
//! system deletes it when Scholion stops, however it stops. It is read and
//! written at offsets, so several readers need no shared position.

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// An unnamed temporary file in `dir`, or else in the system's temporary
/// folder (`TMPDIR`). On Windows a temporary file has a name while it is
/// open, so it is never made in `dir`, which may be a site folder
/// synchronised to a cloud.
pub fn file_in(dir: &Path) -> io::Result<File> {
    let here = if cfg!(windows) {
        Err(io::Error::other("not in the site folder"))
    } else {
        tempfile::tempfile_in(dir)
    };
    here.or_else(|_| tempfile::tempfile())
}

/// An unnamed temporary file in the system's temporary folder (`TMPDIR`).
pub fn file() -> io::Result<File> {
    tempfile::tempfile()
}

#[cfg(unix)]
pub fn read_at(f: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
}

#[cfg(unix)]
pub fn write_at(f: &File, buf: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(f, buf, at)
}

#[cfg(windows)]
pub fn read_at(f: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match f.seek_read(buf, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(windows)]
pub fn write_at(f: &File, mut buf: &[u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match f.seek_write(buf, at)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => {
                buf = &buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// Strings written once to an unnamed temporary file and read back where
/// they are needed: what a large build would otherwise hold from the moment
/// it is parsed to the end (each note's body, read again for its text's
/// page, search entries and annotations; each glossary occurrence's line,
/// read again for its entry's page). Writing is safe from several threads:
/// each write has its own stretch of the file.
///
/// A read that fails (the file's disk failing under the build) gives an
/// empty string and is kept, so the build can report it as an error
/// ([`Strings::failure`]) and publish nothing.
#[derive(Debug)]
pub struct Strings {
    file: File,
    end: AtomicU64,
    failed: Mutex<Option<io::Error>>,
}

/// Where a string is in its [`Strings`].
#[derive(Debug, Clone)]
pub struct Out {
    store: Arc<Strings>,
    at: u64,
    len: u32,
}

impl Strings {
    /// A store in the system's temporary folder (`TMPDIR`).
    pub fn new() -> io::Result<Arc<Strings>> {
        Ok(Arc::new(Strings {
            file: file()?,
            end: AtomicU64::new(0),
            failed: Mutex::new(None),
        }))
    }

    /// Writes `parts` end to end in one write and says where each is, or
    /// fails (the disk full) and the caller keeps them. A part of 4 GB or
    /// more is refused the same way.
    pub fn put(self: &Arc<Self>, parts: &[&str]) -> io::Result<Vec<Out>> {
        let mut lens = Vec::with_capacity(parts.len());
        for p in parts {
            lens.push(u32::try_from(p.len()).map_err(|_| io::Error::other("a string of 4 GB"))?);
        }
        let total: usize = parts.iter().map(|p| p.len()).sum();
        let mut buf = Vec::with_capacity(total);
        for p in parts {
            buf.extend_from_slice(p.as_bytes());
        }
        let start = self.end.fetch_add(total as u64, Ordering::Relaxed);
        write_at(&self.file, &buf, start)?;
        let mut at = start;
        Ok(lens
            .into_iter()
            .map(|len| {
                let out = Out {
                    store: Arc::clone(self),
                    at,
                    len,
                };
                at += u64::from(len);
                out
            })
            .collect())
    }

    /// The first read that failed, if one did.
    pub fn failure(&self) -> Option<io::Error> {
        self.failed.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    fn read(&self, at: u64, len: usize) -> String {
        let mut buf = vec![0; len];
        let got = read_at(&self.file, &mut buf, at).and_then(|()| {
            String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        });
        match got {
            Ok(s) => s,
            Err(e) => {
                self.failed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert(e);
                String::new()
            }
        }
    }
}

impl Out {
    /// The string, read back.
    pub fn read(&self) -> String {
        self.store.read(self.at, self.len as usize)
    }

    /// The bytes `range` of the string, read back; `range` must fall on
    /// character boundaries (as the places a writer kept do).
    pub fn read_range(&self, range: Range<usize>) -> String {
        let end = range.end.min(self.len as usize);
        let start = range.start.min(end);
        self.store.read(self.at + start as u64, end - start)
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A string held, or written out to a [`Strings`] while a large site is
/// built.
#[derive(Debug, Clone)]
pub enum Spillable {
    Held(Box<str>),
    Out(Out),
}

impl Default for Spillable {
    fn default() -> Spillable {
        Spillable::Held(Box::default())
    }
}

impl From<String> for Spillable {
    fn from(s: String) -> Spillable {
        Spillable::Held(s.into_boxed_str())
    }
}

impl From<&str> for Spillable {
    fn from(s: &str) -> Spillable {
        Spillable::Held(s.into())
    }
}

impl std::hash::Hash for Spillable {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.get().hash(h)
    }
}

impl Spillable {
    /// The string: borrowed when held, read back when written out.
    pub fn get(&self) -> Cow<'_, str> {
        match self {
            Spillable::Held(s) => Cow::Borrowed(s),
            Spillable::Out(o) => Cow::Owned(o.read()),
        }
    }

    /// The string, owned: the one held, without a copy, or read back.
    pub fn into_string(self) -> String {
        match self {
            Spillable::Held(s) => s.into_string(),
            Spillable::Out(o) => o.read(),
        }
    }

    /// Bytes `range` of the string (on character boundaries).
    pub fn range(&self, range: Range<usize>) -> Cow<'_, str> {
        match self {
            Spillable::Held(s) => Cow::Borrowed(&s[range]),
            Spillable::Out(o) => Cow::Owned(o.read_range(range)),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Spillable::Held(s) => s.len(),
            Spillable::Out(o) => o.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether it is held in memory.
    pub fn is_held(&self) -> bool {
        matches!(self, Spillable::Held(_))
    }
}

/// The strings of `items`, in order: the held ones borrowed, and those
/// written out one after the other (as [`spill`] writes a batch) read back
/// in one read.
pub fn get_all<'a>(items: impl IntoIterator<Item = &'a Spillable>) -> Vec<Cow<'a, str>> {
    let items: Vec<&Spillable> = items.into_iter().collect();
    let mut out: Vec<Cow<'a, str>> = Vec::with_capacity(items.len());
    let mut i = 0;
    while i < items.len() {
        let Spillable::Out(first) = items[i] else {
            out.push(items[i].get());
            i += 1;
            continue;
        };
        // The written-out strings that follow on in the file.
        let mut end = i + 1;
        let mut to = first.at + u64::from(first.len);
        while let Some(Spillable::Out(o)) = items.get(end) {
            if !Arc::ptr_eq(&o.store, &first.store) || o.at != to {
                break;
            }
            to += u64::from(o.len);
            end += 1;
        }
        if end == i + 1 {
            out.push(Cow::Owned(first.read()));
        } else {
            let whole = first.store.read(first.at, (to - first.at) as usize);
            let mut at = 0;
            for item in &items[i..end] {
                let len = item.len();
                // Empty when the read failed (and was kept as the failure).
                out.push(Cow::Owned(
                    whole.get(at..at + len).unwrap_or("").to_string(),
                ));
                at += len;
            }
        }
        i = end;
    }
    out
}

/// Writes the held strings of `items` out to `store`, in one write, and
/// lets them go; when the write fails they stay held.
pub fn spill<'a>(store: &Arc<Strings>, items: impl IntoIterator<Item = &'a mut Spillable>) {
    let mut items: Vec<&mut Spillable> = items
        .into_iter()
        .filter(|s| s.is_held() && !s.is_empty())
        .collect();
    if items.is_empty() {
        return;
    }
    let parts: Vec<&str> = items
        .iter()
        .filter_map(|s| match &**s {
            Spillable::Held(h) => Some(&**h),
            Spillable::Out(_) => None,
        })
        .collect();
    let Ok(outs) = store.put(&parts) else {
        return;
    };
    drop(parts);
    for (item, out) in items.iter_mut().zip(outs) {
        **item = Spillable::Out(out);
    }
}

#[cfg(test)]
mod tests {
    use super::{spill, Spillable, Strings};

    /// Strings written out read back as they were, whole or in part, and
    /// an empty one stays held (it costs nothing).
    #[test]
    fn strings_written_out_read_back_whole_and_in_part() {
        let store = Strings::new().expect("a temporary file");
        let mut items: Vec<Spillable> = ["Lenin and the party", "", "één woord — two"]
            .into_iter()
            .map(Spillable::from)
            .collect();
        spill(&store, items.iter_mut());
        assert!(!items[0].is_held() && items[1].is_held() && !items[2].is_held());
        assert_eq!(items[0].get(), "Lenin and the party");
        assert_eq!(items[1].get(), "");
        assert_eq!(items[2].get(), "één woord — two");
        assert_eq!(items[2].range(6..11), "woord");
        assert_eq!(items[0].len(), 19);
        // A second batch goes on after the first.
        let mut more = [Spillable::from("more words")];
        spill(&store, more.iter_mut());
        assert_eq!(more[0].get(), "more words");
        assert_eq!(items[0].get(), "Lenin and the party");
        // Read back together, held and written out alike, in order.
        let all: Vec<&Spillable> = items.iter().chain(&more).collect();
        let got = super::get_all(all);
        assert_eq!(
            got,
            ["Lenin and the party", "", "één woord — two", "more words"]
        );
        assert!(store.failure().is_none());
    }

    /// A string that can no longer be read back (its file cut short under
    /// the build) reads as empty, and the failure is kept for the build to
    /// report, once.
    #[test]
    fn a_failed_read_is_kept_for_the_build_to_report() {
        let store = Strings::new().expect("a temporary file");
        let mut items = [Spillable::from("a note's body"), Spillable::from("another")];
        spill(&store, items.iter_mut());
        store.file.set_len(3).expect("the file cut short");
        assert_eq!(items[1].get(), "");
        assert_eq!(super::get_all(&items), ["", ""]);
        let e = store.failure().expect("the failed read is kept");
        assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
        assert!(store.failure().is_none(), "reported once");
    }
}
