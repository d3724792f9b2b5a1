//! Which builds are alive, told by locks that the operating system releases
//! when a process ends however it ends (killed, out of memory, a file-size
//! limit), rather than by process ids, which repeat (every container's first
//! process is 1).
//!
//! - **One build of an output at a time.** A build holds a lock on the
//!   folder that holds the output (on Unix; elsewhere on a file
//!   `.<out>.scholion-lock` beside the output) from before its staging
//!   folder is made until the swap is over. A second build of the same
//!   output waits for it, and says that it waits.
//! - **Staging folders of builds that died.** Each staging folder holds a
//!   lock file, `.scholion-lock`, locked by its build. A staging folder
//!   (`.<out>.scholion-new-…`, or `.<out>.scholion-old-…` of a swap by two
//!   renames) whose lock nobody holds belongs to a build that is gone: the
//!   next build of that output removes it and says so. A previous output
//!   left in `.<out>.scholion-old-…` by a build killed between its two
//!   renames is moved back when the output is missing.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// The lock file inside every staging folder, removed before the swap.
pub const STAGING_LOCK: &str = ".scholion-lock";

/// Takes the lock of the output `out` (named `name`, in `parent`), waiting
/// for another build that holds it. `None` when the file system cannot lock
/// (some network file systems): the build goes on without it, and without
/// removing other builds' folders.
pub fn lock_output(parent: &Path, name: &str, out: &Path) -> io::Result<Option<File>> {
    let Some(file) = rendezvous(parent, name) else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => {
            eprintln!(
                "note: another build is writing {}; waiting for it to finish",
                out.display()
            );
            match file.lock() {
                Ok(()) => Ok(Some(file)),
                Err(e) => Err(e),
            }
        }
        Err(TryLockError::Error(_)) => Ok(None),
    }
}

/// What builds of one output lock: the folder that holds it.
#[cfg(unix)]
fn rendezvous(parent: &Path, _name: &str) -> Option<File> {
    File::open(parent).ok()
}

/// What builds of one output lock: a file beside it (a folder cannot be
/// opened as a file here).
#[cfg(not(unix))]
fn rendezvous(parent: &Path, name: &str) -> Option<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(format!(".{name}.scholion-lock")))
        .ok()
}

/// Creates `dir/.scholion-lock` and locks it for as long as the file is open.
pub fn lock_staging(dir: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .create_new(true)
        .write(true)
        .open(dir.join(STAGING_LOCK))?;
    match file.try_lock() {
        Ok(()) | Err(TryLockError::Error(_)) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(io::ErrorKind::WouldBlock.into()),
    }
}

/// A staging folder of a build that is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: PathBuf,
    pub bytes: u64,
    /// Moved back into the place of the missing output instead of removed.
    pub restored: bool,
}

/// The staging folders of the output `name` in `parent` whose builds are
/// gone, removed (or the previous output moved back to `out` when `out` is
/// missing). With `exclusive`, this build holds the output's lock, so no
/// other build of it is running and a folder without a lock file is stale
/// too (the previous output a build had started to remove after its swap).
pub fn sweep(parent: &Path, name: &str, out: &Path, exclusive: bool) -> Vec<Stale> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let new = format!(".{name}.scholion-new-");
    let old = format!(".{name}.scholion-old-");
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with(&new) || n.starts_with(&old)
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    let mut removed = Vec::new();
    for path in found {
        if !is_stale(&path, exclusive) {
            continue;
        }
        let bytes = size(&path);
        let is_old = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&old));
        if is_old
            && exclusive
            && std::fs::symlink_metadata(out).is_err()
            && path.join(super::MARKER).is_file()
            && std::fs::rename(&path, out).is_ok()
        {
            removed.push(Stale {
                path,
                bytes,
                restored: true,
            });
            continue;
        }
        if std::fs::remove_dir_all(&path).is_ok() {
            removed.push(Stale {
                path,
                bytes,
                restored: false,
            });
        }
    }
    removed
}

/// Whether no live build holds the staging folder `dir`.
fn is_stale(dir: &Path, exclusive: bool) -> bool {
    match File::open(dir.join(STAGING_LOCK)) {
        Ok(file) => matches!(file.try_lock(), Ok(())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => exclusive,
        Err(_) => false,
    }
}

/// The bytes of the files under `dir`, as far as they can be listed.
fn size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// One line for the terminal: what was removed and how much it held.
pub fn describe(stale: &[Stale], out: &Path) -> String {
    let (restored, removed): (Vec<&Stale>, Vec<&Stale>) = stale.iter().partition(|s| s.restored);
    let name = |s: &Stale| {
        s.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut lines = Vec::new();
    for s in restored {
        lines.push(format!(
            "note: {} was missing (a build was stopped while it swapped its output in); the previous output is back from {}",
            out.display(),
            name(s)
        ));
    }
    if !removed.is_empty() {
        let total: u64 = removed.iter().map(|s| s.bytes).sum();
        let names: Vec<String> = removed.iter().map(|s| name(s)).collect();
        lines.push(format!(
            "note: removed {} folder{} left beside {} by a build that was stopped ({}): {}",
            removed.len(),
            if removed.len() == 1 { "" } else { "s" },
            out.display(),
            human_bytes(total),
            names.join(", ")
        ));
    }
    lines.join("\n")
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn folders_whose_lock_is_held_are_kept_and_the_others_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let live = dir.path().join(".public.scholion-new-7");
        let dead = dir.path().join(".public.scholion-new-8");
        let unlocked = dir.path().join(".public.scholion-new-9");
        let other = dir.path().join(".site.scholion-new-8");
        for d in [&live, &dead, &unlocked, &other, &out] {
            fs::create_dir(d).unwrap();
        }
        fs::write(dead.join("index.html"), "x".repeat(1500)).unwrap();
        let _held = lock_staging(&live).unwrap();
        drop(lock_staging(&dead).unwrap());
        // Without the output's lock, a folder without a lock file may be a
        // build that is just starting: kept.
        let swept = sweep(dir.path(), "public", &out, false);
        assert_eq!(swept.len(), 1, "{swept:?}");
        assert_eq!(swept[0].path, dead);
        assert_eq!(swept[0].bytes, 1500);
        assert!(live.is_dir() && unlocked.is_dir() && other.is_dir() && !dead.exists());
        // With it, only a live lock keeps a folder.
        let swept = sweep(dir.path(), "public", &out, true);
        assert_eq!(swept.len(), 1);
        assert!(live.is_dir() && !unlocked.exists() && other.is_dir());
        assert!(describe(&swept, &out).contains("removed 1 folder left beside"));
    }

    #[test]
    fn a_previous_output_left_between_two_renames_is_moved_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let old = dir.path().join(".public.scholion-old-3");
        fs::create_dir(&old).unwrap();
        fs::write(old.join(super::super::MARKER), "").unwrap();
        fs::write(old.join("index.html"), "previous").unwrap();
        let swept = sweep(dir.path(), "public", &out, true);
        assert!(swept[0].restored);
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        assert!(describe(&swept, &out).contains("the previous output is back"));
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_bytes(999), "999 bytes");
        assert_eq!(human_bytes(1_200_000_000), "1.2 GB");
        assert_eq!(human_bytes(34_500), "34.5 KB");
    }
}
