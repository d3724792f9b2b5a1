//! Noticing edits by polling: every few hundred milliseconds the watcher
//! lists `content/`, `templates/` and `static/` with each file's modification
//! time, size and (on Unix) inode, and compares the listing with the last
//! one. Polling needs no platform API and no dependency, behaves the same on
//! every file system (network and container mounts included), and costs one
//! `stat` per file per scan. The `Debouncer` waits until the folder has been
//! quiet for a moment, so a burst of saves, or an editor's save through a
//! temporary file and a rename, becomes one rebuild.

use super::change::{Change, Op};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

/// The folders of a site that the preview watches.
pub const WATCHED: [&str; 3] = ["content", "templates", "static"];

/// How often the folders are listed while nothing is happening.
pub const POLL: Duration = Duration::from_millis(300);
/// How often they are listed while a change is settling.
pub const POLL_SETTLING: Duration = Duration::from_millis(50);
/// How long the folders must stay unchanged before a rebuild starts.
pub const QUIET: Duration = Duration::from_millis(100);
/// A rebuild starts after this long even if files keep changing.
pub const MAX_WAIT: Duration = Duration::from_millis(1500);

/// What is compared between two scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub modified: Option<SystemTime>,
    pub len: u64,
    pub inode: u64,
}

/// One listing of the watched folders: relative path → stamp.
pub type Snapshot = BTreeMap<String, Stamp>;

/// Lists the watched folders under `root`. Folders that do not exist are
/// empty; files that vanish during the scan are left out. Symbolic links
/// are followed for the stamp, as the loader follows them.
pub fn scan(root: &Path) -> Snapshot {
    let mut snap = Snapshot::new();
    for dir in WATCHED {
        let base = root.join(dir);
        if !base.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base)
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(meta) = std::fs::metadata(entry.path()) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            snap.insert(
                rel,
                Stamp {
                    modified: meta.modified().ok(),
                    len: meta.len(),
                    inode: inode(&meta),
                },
            );
        }
    }
    snap
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_meta: &std::fs::Metadata) -> u64 {
    0
}

/// The changes from `old` to `new`, in path order.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let mut out = Vec::new();
    for (path, stamp) in new {
        match old.get(path) {
            None => out.push(Change {
                path: path.clone(),
                op: Op::Added,
            }),
            Some(s) if s != stamp => out.push(Change {
                path: path.clone(),
                op: Op::Modified,
            }),
            Some(_) => {}
        }
    }
    for path in old.keys() {
        if !new.contains_key(path) {
            out.push(Change {
                path: path.clone(),
                op: Op::Removed,
            });
        }
    }
    out.sort();
    out
}

/// The instant at which a file with modification time `modified` was
/// written, given the present as both clocks tell it. A time in the future
/// (a file server whose clock runs ahead) gives `None`.
pub fn written_at(modified: SystemTime, now_system: SystemTime, now: Instant) -> Option<Instant> {
    let age = now_system.duration_since(modified).ok()?;
    now.checked_sub(age)
}

/// The newest modification among the added and changed files of a scan.
pub fn newest_write(changes: &[Change], snapshot: &Snapshot) -> Option<SystemTime> {
    changes
        .iter()
        .filter(|c| c.op != Op::Removed)
        .filter_map(|c| snapshot.get(&c.path)?.modified)
        .max()
}

/// Collects changes until the folders have been quiet for `QUIET` (or
/// `MAX_WAIT` has passed since the first change), then hands them over as
/// one batch. A file that was added and removed again within the batch (an
/// editor's temporary file) cancels out.
#[derive(Debug, Default)]
pub struct Debouncer {
    /// Path → (how it stood before the batch began, how it stands now).
    pending: BTreeMap<String, (Presence, Presence)>,
    first: Option<Instant>,
    last: Option<Instant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    Absent,
    Present,
}

impl Debouncer {
    /// Records the changes of one scan made at `now`. `written` is when the
    /// newest of the changed files was written, from its modification time
    /// (see `written_at`): an edit that the scan noticed only some time after
    /// it was saved has already been quiet for that long, so the rebuild
    /// need not wait again. Without it (a removal), the quiet time counts
    /// from the scan.
    pub fn observe(&mut self, changes: Vec<Change>, now: Instant, written: Option<Instant>) {
        if changes.is_empty() {
            return;
        }
        self.first.get_or_insert(now);
        let activity = written.filter(|w| *w <= now).unwrap_or(now);
        self.last = Some(self.last.map_or(activity, |l| l.max(activity)));
        for c in changes {
            let (before, after) = match c.op {
                Op::Added => (Presence::Absent, Presence::Present),
                Op::Modified => (Presence::Present, Presence::Present),
                Op::Removed => (Presence::Present, Presence::Absent),
            };
            self.pending
                .entry(c.path)
                .and_modify(|e| e.1 = after)
                .or_insert((before, after));
        }
    }

    /// Whether a change is waiting (the watcher then scans more often).
    pub fn is_settling(&self) -> bool {
        self.first.is_some()
    }

    /// Whether the batch is complete at `now`.
    pub fn ready(&self, now: Instant) -> bool {
        match (self.first, self.last) {
            (Some(first), Some(last)) => {
                now.duration_since(last) >= QUIET || now.duration_since(first) >= MAX_WAIT
            }
            _ => false,
        }
    }

    /// Hands over the batch and starts a new one.
    pub fn take(&mut self) -> Vec<Change> {
        self.first = None;
        self.last = None;
        std::mem::take(&mut self.pending)
            .into_iter()
            .filter_map(|(path, (before, after))| {
                let op = match (before, after) {
                    (Presence::Absent, Presence::Absent) => return None,
                    (Presence::Absent, Presence::Present) => Op::Added,
                    (Presence::Present, Presence::Present) => Op::Modified,
                    (Presence::Present, Presence::Absent) => Op::Removed,
                };
                Some(Change { path, op })
            })
            .collect()
    }

    /// The paths waiting, for tests and messages.
    pub fn pending(&self) -> BTreeSet<&str> {
        self.pending.keys().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(secs: u64, len: u64) -> Stamp {
        Stamp {
            modified: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)),
            len,
            inode: 1,
        }
    }

    fn ch(path: &str, op: Op) -> Change {
        Change {
            path: path.into(),
            op,
        }
    }

    #[test]
    fn diff_reports_added_modified_and_removed_files() {
        let old: Snapshot = [
            ("content/a.md".to_string(), stamp(1, 10)),
            ("content/b.md".to_string(), stamp(1, 10)),
        ]
        .into();
        let new: Snapshot = [
            ("content/a.md".to_string(), stamp(2, 10)),
            ("content/c.md".to_string(), stamp(1, 3)),
        ]
        .into();
        assert_eq!(
            diff(&old, &new),
            vec![
                ch("content/a.md", Op::Modified),
                ch("content/b.md", Op::Removed),
                ch("content/c.md", Op::Added)
            ]
        );
        assert!(diff(&new, &new).is_empty());
    }

    #[test]
    fn a_rename_over_the_file_changes_its_inode_and_counts_as_a_change() {
        let old: Snapshot = [("content/a.md".to_string(), stamp(1, 10))].into();
        let mut s = stamp(1, 10);
        s.inode = 2;
        let new: Snapshot = [("content/a.md".to_string(), s)].into();
        assert_eq!(diff(&old, &new), vec![ch("content/a.md", Op::Modified)]);
    }

    #[test]
    fn a_burst_of_saves_becomes_one_batch_after_a_quiet_moment() {
        let t0 = Instant::now();
        let mut d = Debouncer::default();
        assert!(!d.ready(t0));
        d.observe(vec![ch("content/texts/a.md", Op::Modified)], t0, None);
        d.observe(
            vec![ch("content/annotations/a.yaml", Op::Modified)],
            t0 + Duration::from_millis(50),
            None,
        );
        assert!(!d.ready(t0 + Duration::from_millis(100)));
        d.observe(
            vec![ch("content/texts/a.md", Op::Modified)],
            t0 + Duration::from_millis(100),
            None,
        );
        assert!(!d.ready(t0 + Duration::from_millis(150)));
        assert!(d.ready(t0 + Duration::from_millis(200)));
        assert_eq!(
            d.take(),
            vec![
                ch("content/annotations/a.yaml", Op::Modified),
                ch("content/texts/a.md", Op::Modified)
            ]
        );
        assert!(!d.is_settling());
        assert!(d.take().is_empty());
    }

    #[test]
    fn files_that_keep_changing_still_rebuild_after_the_longest_wait() {
        let t0 = Instant::now();
        let mut d = Debouncer::default();
        let mut t = t0;
        while t < t0 + MAX_WAIT {
            d.observe(vec![ch("content/texts/a.md", Op::Modified)], t, None);
            t += Duration::from_millis(50);
        }
        assert!(d.ready(t));
    }

    #[test]
    fn an_edit_noticed_after_a_quiet_moment_rebuilds_at_once() {
        let t0 = Instant::now();
        let mut d = Debouncer::default();
        // Written 200 ms before the scan noticed it.
        d.observe(
            vec![ch("content/texts/a.md", Op::Modified)],
            t0 + Duration::from_millis(200),
            Some(t0),
        );
        assert!(d.ready(t0 + Duration::from_millis(200)));
    }

    #[test]
    fn an_edit_written_just_before_the_scan_waits_for_quiet() {
        let t0 = Instant::now();
        let mut d = Debouncer::default();
        let scan = t0 + Duration::from_millis(20);
        d.observe(vec![ch("content/texts/a.md", Op::Modified)], scan, Some(t0));
        assert!(!d.ready(scan));
        assert!(d.ready(t0 + QUIET));
    }

    #[test]
    fn a_modification_time_in_the_future_counts_from_the_scan() {
        let t0 = Instant::now();
        let mut d = Debouncer::default();
        d.observe(
            vec![ch("content/texts/a.md", Op::Modified)],
            t0,
            Some(t0 + Duration::from_secs(60)),
        );
        assert!(!d.ready(t0 + Duration::from_millis(50)));
        assert!(d.ready(t0 + QUIET));
    }

    #[test]
    fn written_at_converts_modification_times() {
        let now = Instant::now();
        let sys = SystemTime::now();
        assert_eq!(
            written_at(sys - Duration::from_millis(300), sys, now),
            Some(now - Duration::from_millis(300))
        );
        assert_eq!(written_at(sys + Duration::from_secs(5), sys, now), None);
        let changes = [ch("a", Op::Modified), ch("b", Op::Removed)];
        let snap: Snapshot = [
            ("a".to_string(), stamp(7, 1)),
            ("b".to_string(), stamp(9, 1)),
        ]
        .into();
        assert_eq!(
            newest_write(&changes, &snap),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(7))
        );
    }

    #[test]
    fn a_temporary_file_that_comes_and_goes_within_a_batch_cancels_out() {
        let t0 = Instant::now();
        let mut d = Debouncer::default();
        // Save as: write a.md.tmp, then rename it over a.md.
        d.observe(vec![ch("content/texts/a.md.tmp", Op::Added)], t0, None);
        d.observe(
            vec![
                ch("content/texts/a.md", Op::Modified),
                ch("content/texts/a.md.tmp", Op::Removed),
            ],
            t0,
            None,
        );
        assert_eq!(d.take(), vec![ch("content/texts/a.md", Op::Modified)]);
    }

    #[test]
    fn a_file_removed_and_written_again_is_a_modification() {
        let t0 = Instant::now();
        let mut d = Debouncer::default();
        d.observe(vec![ch("content/texts/a.md", Op::Removed)], t0, None);
        d.observe(vec![ch("content/texts/a.md", Op::Added)], t0, None);
        assert_eq!(d.take(), vec![ch("content/texts/a.md", Op::Modified)]);
    }

    #[test]
    fn scan_lists_the_watched_folders_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/texts")).unwrap();
        std::fs::create_dir_all(root.join("static/img")).unwrap();
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("content/texts/a.md"), "x").unwrap();
        std::fs::write(root.join("static/img/p.png"), "x").unwrap();
        std::fs::write(root.join("public/index.html"), "x").unwrap();
        let snap = scan(root);
        assert_eq!(
            snap.keys().collect::<Vec<_>>(),
            ["content/texts/a.md", "static/img/p.png"]
        );
        std::fs::write(root.join("content/texts/a.md"), "longer").unwrap();
        assert_eq!(
            diff(&snap, &scan(root)),
            vec![ch("content/texts/a.md", Op::Modified)]
        );
    }
}
