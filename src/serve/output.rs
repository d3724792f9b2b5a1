//! The site as the preview serves it: the files of the last good build, held
//! in memory and never written to disk. A new build is swapped in file by
//! file: only files whose bytes changed are replaced, and each file keeps the
//! number of the build that last changed it (its *stamp*), so an open page
//! learns whether it is out of date and reloads only then.

use crate::output::OutputFile;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Entry {
    pub bytes: Arc<[u8]>,
    /// The build number that last changed this file.
    pub stamp: u64,
}

/// The served files, by path relative to the site root (`texts/a.html`).
#[derive(Debug, Default)]
pub struct Output {
    files: HashMap<String, Entry>,
    /// Number of the last build that changed anything; 0 before the first.
    pub build: u64,
}

/// The difference between what is served and a new build.
#[derive(Debug, Default)]
pub struct Update {
    /// New or changed files, with their new bytes.
    pub changed: Vec<(String, Arc<[u8]>)>,
    /// Files that the new build no longer has.
    pub removed: Vec<String>,
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

impl Output {
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.files.get(path)
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

    fn compare_some(&self, files: HashMap<String, Vec<u8>>) -> Update {
        let mut changed: Vec<(String, Arc<[u8]>)> = files
            .into_iter()
            .filter(|(path, bytes)| self.files.get(path).is_none_or(|e| *e.bytes != **bytes))
            .map(|(path, bytes)| (path, Arc::from(bytes)))
            .collect();
        changed.sort_by(|a, b| a.0.cmp(&b.0));
        Update {
            changed,
            removed: Vec::new(),
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
            self.files.remove(&p);
        }
        for (path, bytes) in update.changed {
            self.files.insert(
                path,
                Entry {
                    bytes,
                    stamp: self.build,
                },
            );
        }
        self.build
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, body: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn only_files_whose_bytes_changed_are_swapped_and_restamped() {
        let mut out = Output::default();
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
        assert_eq!(&*out.get("texts/a.html").unwrap().bytes, b"A");
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
        let mut out = Output::default();
        let u = out.compare_full(vec![f("index.html", "i"), f("old.html", "o")]);
        out.apply(u);
        let u = out.compare_full(vec![f("index.html", "i")]);
        assert_eq!(u.removed, ["old.html"]);
        out.apply(u);
        assert!(out.get("old.html").is_none());
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
}
