//! The site as the preview serves it: the files of the last good build,
//! kept in one unnamed temporary file, never in `public/`. Only each file's
//! place in it, length, hash and stamp stay in memory, so the preview of a
//! large collection does not hold the whole built site (246 MB at 1,000
//! texts). The system deletes the file when the preview stops, however it
//! stops. A new build is swapped in file by file: only files whose bytes
//! changed are replaced, and each file keeps the number of the build that
//! last changed it (its *stamp*), so an open page learns whether it is out
//! of date and reloads only then.
//!
//! New bytes are appended; what they replace becomes dead space, which is
//! given back ([`Output::compacted`]) once it outgrows the live files. When
//! no temporary file can be made or written (a full disk), files are kept
//! in memory instead, and the preview goes on.

use crate::hash::fingerprint;
use crate::output::OutputFile;
use crate::scratch::{self, read_at, write_at};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::Arc;

/// Dead space is given back once it is larger than the live files and
/// than this.
const COMPACT_OVER: u64 = 64 << 20;

#[derive(Debug, Clone)]
enum Place {
    /// At this offset of the store.
    Disk(u64),
    /// Kept in memory: the store could not be made or written.
    Memory(Arc<[u8]>),
}

#[derive(Debug, Clone)]
pub struct Entry {
    place: Place,
    len: u64,
    hash: u64,
    /// The build number that last changed this file.
    pub stamp: u64,
}

/// The served files, by path relative to the site root (`texts/a.html`).
#[derive(Debug, Default)]
pub struct Output {
    files: HashMap<String, Entry>,
    /// Number of the last build that changed anything; 0 before the first.
    pub build: u64,
    store: Option<File>,
    /// The folder the store is made in (see [`scratch::file_in`]).
    dir: std::path::PathBuf,
    /// Where the next bytes go, and how many bytes of the store are dead.
    end: u64,
    dead: u64,
    /// Whether a failure of the store was reported already.
    warned: bool,
}

/// The difference between what is served and a new build.
#[derive(Debug, Default)]
pub struct Update {
    /// New or changed files, with their new bytes.
    pub changed: Vec<(String, Arc<[u8]>)>,
    /// Files that the new build no longer has.
    pub removed: Vec<String>,
    /// The hashes of `changed`'s bytes, where known.
    hashes: Vec<u64>,
}

impl Update {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }

    /// Every path concerned, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut p: Vec<String> = self
            .changed
            .iter()
            .map(|(p, _)| p.clone())
            .chain(self.removed.iter().cloned())
            .collect();
        p.sort();
        p
    }
}

/// A store rewritten with only its live files ([`Output::compacted`]).
pub struct Compacted {
    store: File,
    places: Vec<(String, u64)>,
    end: u64,
}

impl Output {
    /// An empty output whose files will be kept in an unnamed temporary
    /// file in `dir` (or, failing that, in the system's temporary folder),
    /// or in memory when neither can be made.
    pub fn new(dir: &Path) -> Output {
        let store = scratch::file_in(dir);
        let warned = store.is_err();
        if let Err(e) = &store {
            eprintln!("warning: the preview keeps the site in memory: no temporary file could be made ({e})");
        }
        Output {
            store: store.ok(),
            dir: dir.to_path_buf(),
            warned,
            ..Output::default()
        }
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.files.get(path)
    }

    /// The bytes of a served file and its stamp.
    pub fn read(&self, path: &str) -> Option<io::Result<(Vec<u8>, u64)>> {
        let e = self.files.get(path)?;
        Some(self.bytes(e).map(|b| (b, e.stamp)))
    }

    fn bytes(&self, e: &Entry) -> io::Result<Vec<u8>> {
        match &e.place {
            Place::Memory(b) => Ok(b.to_vec()),
            Place::Disk(at) => {
                let store = self
                    .store
                    .as_ref()
                    .ok_or_else(|| io::Error::other("no store"))?;
                let mut buf = vec![0; e.len as usize];
                read_at(store, &mut buf, *at)?;
                Ok(buf)
            }
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The stamp of a file, `None` when there is no such file.
    pub fn stamp(&self, path: &str) -> Option<u64> {
        self.files.get(path).map(|e| e.stamp)
    }

    /// Compares a complete new build with what is served. When the build has
    /// the same path twice, the later file wins (static files come after the
    /// rendered pages and override them).
    pub fn compare_full(&self, files: Vec<OutputFile>) -> Update {
        let all: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
        self.compare_within(files, &all)
    }

    /// Compares some new files with what is served, where `all` is every
    /// path the site now has: served files outside it are removed.
    pub fn compare_within(&self, files: Vec<OutputFile>, all: &HashSet<String>) -> Update {
        let removed = self
            .files
            .keys()
            .filter(|p| !all.contains(*p))
            .cloned()
            .collect();
        let mut update = self.compare_partial(files);
        update.removed = removed;
        update
    }

    /// Every served path.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Compares some new files with what is served; nothing is removed.
    pub fn compare_partial(&self, files: Vec<OutputFile>) -> Update {
        self.compare_some(files.into_iter().map(|f| (f.path, f.bytes)).collect())
    }

    /// A file has changed when its length or the hash of its bytes has.
    fn compare_some(&self, files: HashMap<String, Vec<u8>>) -> Update {
        let mut changed: Vec<(String, Vec<u8>, u64)> = files
            .into_iter()
            .map(|(path, bytes)| {
                let hash = fingerprint(&bytes[..]);
                (path, bytes, hash)
            })
            .filter(|(path, bytes, hash)| {
                self.files
                    .get(path)
                    .is_none_or(|e| e.len != bytes.len() as u64 || e.hash != *hash)
            })
            .collect();
        changed.sort_by(|a, b| a.0.cmp(&b.0));
        let hashes = changed.iter().map(|c| c.2).collect();
        Update {
            changed: changed
                .into_iter()
                .map(|(p, b, _)| (p, Arc::from(b)))
                .collect(),
            removed: Vec::new(),
            hashes,
        }
    }

    /// Applies an update as a new build; returns the build number. An empty
    /// update changes nothing and keeps the number.
    pub fn apply(&mut self, update: Update) -> u64 {
        if update.is_empty() {
            return self.build;
        }
        self.build += 1;
        for p in update.removed {
            if let Some(e) = self.files.remove(&p) {
                self.forget(&e);
            }
        }
        for (i, (path, bytes)) in update.changed.into_iter().enumerate() {
            let hash = update
                .hashes
                .get(i)
                .copied()
                .unwrap_or_else(|| fingerprint(&bytes[..]));
            let place = self.put(bytes.clone());
            let entry = Entry {
                place,
                len: bytes.len() as u64,
                hash,
                stamp: self.build,
            };
            if let Some(old) = self.files.insert(path, entry) {
                self.forget(&old);
            }
        }
        self.build
    }

    /// Stores `bytes`: at the end of the store, or in memory when it
    /// cannot be written.
    fn put(&mut self, bytes: Arc<[u8]>) -> Place {
        if let Some(store) = &self.store {
            match write_at(store, &bytes, self.end) {
                Ok(()) => {
                    let at = self.end;
                    self.end += bytes.len() as u64;
                    return Place::Disk(at);
                }
                Err(e) if !self.warned => {
                    self.warned = true;
                    eprintln!("warning: the preview could not write its copy of the site to a temporary file ({e}); the files that follow are kept in memory");
                }
                Err(_) => {}
            }
        }
        Place::Memory(bytes)
    }

    fn forget(&mut self, e: &Entry) {
        if let Place::Disk(_) = e.place {
            self.dead += e.len;
        }
    }

    /// Bytes of the store the served files take.
    pub fn live(&self) -> u64 {
        self.end - self.dead
    }

    /// When the dead space has outgrown the live files, a new store with
    /// only the live files, for [`Output::swap`]. Made while only reading
    /// (requests are answered meanwhile); the caller applies nothing in
    /// between.
    pub fn compacted(&self) -> Option<Compacted> {
        let old = self.store.as_ref()?;
        if self.dead <= COMPACT_OVER.max(self.live()) {
            return None;
        }
        let store = scratch::file_in(&self.dir).ok()?;
        let mut places = Vec::new();
        let mut end = 0u64;
        let mut buf = Vec::new();
        for (path, e) in &self.files {
            if let Place::Disk(at) = e.place {
                buf.resize(e.len as usize, 0);
                read_at(old, &mut buf, at).ok()?;
                write_at(&store, &buf, end).ok()?;
                places.push((path.clone(), end));
                end += e.len;
            }
        }
        Some(Compacted { store, places, end })
    }

    /// Serves from the compacted store from now on.
    pub fn swap(&mut self, c: Compacted) {
        for (path, at) in c.places {
            if let Some(e) = self.files.get_mut(&path) {
                e.place = Place::Disk(at);
            }
        }
        self.store = Some(c.store);
        self.end = c.end;
        self.dead = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output kept in a temporary file, as the preview's is.
    fn on_disk() -> (tempfile::TempDir, Output) {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(dir.path());
        assert!(out.store.is_some());
        (dir, out)
    }

    fn bytes(out: &Output, path: &str) -> Vec<u8> {
        out.read(path).unwrap().unwrap().0
    }

    fn f(path: &str, body: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn only_files_whose_bytes_changed_are_swapped_and_restamped() {
        let (_dir, mut out) = on_disk();
        let u = out.compare_full(vec![
            f("index.html", "i"),
            f("texts/a.html", "a"),
            f("texts/b.html", "b"),
        ]);
        assert_eq!(u.paths(), ["index.html", "texts/a.html", "texts/b.html"]);
        assert_eq!(out.apply(u), 1);
        let u = out.compare_full(vec![
            f("index.html", "i"),
            f("texts/a.html", "A"),
            f("texts/b.html", "b"),
        ]);
        assert_eq!(u.paths(), ["texts/a.html"]);
        assert_eq!(out.apply(u), 2);
        assert_eq!(out.stamp("index.html"), Some(1));
        assert_eq!(out.stamp("texts/a.html"), Some(2));
        assert_eq!(bytes(&out, "texts/a.html"), b"A");
        assert_eq!(bytes(&out, "texts/b.html"), b"b");
        assert_eq!(out.read("texts/a.html").unwrap().unwrap().1, 2);
    }

    #[test]
    fn an_identical_build_changes_nothing() {
        let mut out = Output::default();
        let u = out.compare_full(vec![f("index.html", "i")]);
        out.apply(u);
        let u = out.compare_full(vec![f("index.html", "i")]);
        assert!(u.is_empty());
        assert_eq!(out.apply(u), 1);
    }

    #[test]
    fn a_file_the_new_build_lacks_is_removed() {
        let (_dir, mut out) = on_disk();
        let u = out.compare_full(vec![f("index.html", "i"), f("old.html", "o")]);
        out.apply(u);
        let u = out.compare_full(vec![f("index.html", "i")]);
        assert_eq!(u.removed, ["old.html"]);
        out.apply(u);
        assert!(out.get("old.html").is_none());
        assert!(out.read("old.html").is_none());
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn a_later_file_with_the_same_path_wins_as_static_files_override_pages() {
        let out = Output::default();
        let u = out.compare_full(vec![f("index.html", "rendered"), f("index.html", "static")]);
        assert_eq!(&*u.changed[0].1, b"static");
    }

    #[test]
    fn a_partial_update_keeps_the_other_files() {
        let mut out = Output::default();
        let u = out.compare_full(vec![f("index.html", "i"), f("scholion.css", "a{}")]);
        out.apply(u);
        let u = out.compare_partial(vec![f("scholion.css", "b{}")]);
        assert_eq!(u.paths(), ["scholion.css"]);
        out.apply(u);
        assert_eq!(out.len(), 2);
    }

    /// The served site is in the temporary file, not in memory, and the
    /// space of replaced files is given back once it outgrows the live
    /// files, every file reading the same afterwards.
    #[test]
    fn files_are_kept_on_disk_and_dead_space_is_given_back() {
        let (_dir, mut out) = on_disk();
        let big = |c: char| c.to_string().repeat(1 << 20);
        let u = out.compare_full(vec![f("a.html", &big('a')), f("b.html", "b")]);
        out.apply(u);
        assert!(out
            .files
            .values()
            .all(|e| matches!(e.place, Place::Disk(_))));
        assert_eq!(out.live(), (1 << 20) + 1);
        // 70 builds of a changed 1 MB file: 69 MB dead against 1 MB live.
        for i in 0..70u8 {
            let c = char::from(b'c' + i % 20);
            let u = out.compare_partial(vec![f("a.html", &big(c))]);
            out.apply(u);
        }
        assert!(out.dead > COMPACT_OVER);
        let before = out.end;
        let c = out.compacted().expect("the dead space is given back");
        out.swap(c);
        assert_eq!(out.dead, 0);
        assert_eq!(out.end, (1 << 20) + 1);
        assert!(out.end < before);
        assert_eq!(
            bytes(&out, "a.html"),
            big(char::from(b'c' + 69 % 20)).as_bytes()
        );
        assert_eq!(bytes(&out, "b.html"), b"b");
        assert!(out.compacted().is_none(), "nothing more to give back");
    }

    /// Without a temporary file the preview keeps its files in memory.
    #[test]
    fn without_a_store_files_are_kept_in_memory() {
        let mut out = Output::default();
        let u = out.compare_full(vec![f("index.html", "i")]);
        out.apply(u);
        assert!(matches!(out.files["index.html"].place, Place::Memory(_)));
        assert_eq!(bytes(&out, "index.html"), b"i");
    }
}
