//! Putting a finished staging folder in the place of the output. Where the
//! platform can exchange two folders in one step (Linux: `renameat2` with
//! `RENAME_EXCHANGE`, through rustix), the output is never missing, not even
//! for an instant, and a build killed at any point leaves either the old or
//! the new output in place. Elsewhere, and on file systems that refuse the
//! exchange, the output is moved aside and the new folder moved in: two
//! renames, between which the output is missing for a moment (a build killed
//! there leaves the previous output in `.<out>.scholion-old-…`, which the
//! next build moves back).

use std::io;
use std::path::Path;

/// How the new folder took the place of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swap {
    /// One atomic exchange; the previous output is now where the new folder
    /// was.
    Exchanged,
    /// Two renames; the previous output is now at the `old` path.
    Renamed,
    /// There was no previous output: one rename.
    Moved,
}

/// Puts the folder `new` in the place of `out`, keeping the previous output
/// (at `new` after an exchange, at `old` after two renames) for the caller
/// to remove.
pub fn swap(new: &Path, out: &Path, old: &Path) -> io::Result<Swap> {
    swap_with(new, out, old, exchange)
}

/// [`swap`] with the exchange given, so that a file system that refuses it
/// can be tested anywhere.
pub(super) fn swap_with(
    new: &Path,
    out: &Path,
    old: &Path,
    exchange: impl Fn(&Path, &Path) -> Result<(), Refused>,
) -> io::Result<Swap> {
    if std::fs::symlink_metadata(out).is_err() {
        std::fs::rename(new, out)?;
        return Ok(Swap::Moved);
    }
    match exchange(new, out) {
        Ok(()) => Ok(Swap::Exchanged),
        Err(Refused::Unsupported) => {
            by_renames(new, out, old)?;
            Ok(Swap::Renamed)
        }
        Err(Refused::Failed(e)) => Err(e),
    }
}

/// Why the exchange did not happen.
#[derive(Debug)]
pub(super) enum Refused {
    /// The platform or the file system has no exchange: use two renames.
    Unsupported,
    /// The exchange failed for another reason (permissions, a full disk).
    Failed(io::Error),
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<(), Refused> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // An old kernel (ENOSYS), a file system without the flag (EINVAL,
        // as some network and FUSE file systems answer), or a sandbox that
        // forbids the call (EPERM under some seccomp filters, ENOTSUP).
        Err(e) if [Errno::NOSYS, Errno::INVAL, Errno::NOTSUP, Errno::PERM].contains(&e) => {
            Err(Refused::Unsupported)
        }
        Err(e) => Err(Refused::Failed(e.into())),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> Result<(), Refused> {
    Err(Refused::Unsupported)
}

/// The fallback: `out` moved to `old`, then `new` to `out`. If the second
/// rename fails, the previous output is moved back.
pub(super) fn by_renames(new: &Path, out: &Path, old: &Path) -> io::Result<()> {
    std::fs::rename(out, old)?;
    if let Err(e) = std::fs::rename(new, out) {
        let _ = std::fs::rename(old, out);
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn folder(path: &Path, file: &str) {
        fs::create_dir_all(path).unwrap();
        fs::write(path.join(file), file).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_output_is_exchanged_in_one_step_on_linux() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out, old) = (
            dir.path().join("n"),
            dir.path().join("o"),
            dir.path().join("x"),
        );
        folder(&new, "new.html");
        folder(&out, "old.html");
        assert_eq!(swap(&new, &out, &old).unwrap(), Swap::Exchanged);
        assert!(out.join("new.html").is_file() && !out.join("old.html").exists());
        assert!(
            new.join("old.html").is_file(),
            "the previous output waits at the new folder's place"
        );
        assert!(!old.exists(), "no rename aside on the exchange path");
    }

    #[test]
    fn without_an_exchange_two_renames_put_the_new_folder_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out, old) = (
            dir.path().join("n"),
            dir.path().join("o"),
            dir.path().join("x"),
        );
        folder(&new, "new.html");
        folder(&out, "old.html");
        let refused = |_: &Path, _: &Path| Err(Refused::Unsupported);
        assert_eq!(swap_with(&new, &out, &old, refused).unwrap(), Swap::Renamed);
        assert!(out.join("new.html").is_file() && !out.join("old.html").exists());
        assert!(old.join("old.html").is_file());
        assert!(!new.exists());
    }

    #[test]
    fn a_failed_second_rename_puts_the_previous_output_back() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out, old) = (
            dir.path().join("n"),
            dir.path().join("o"),
            dir.path().join("x"),
        );
        folder(&out, "old.html");
        // `new` does not exist: the second rename fails.
        assert!(by_renames(&new, &out, &old).is_err());
        assert!(out.join("old.html").is_file());
        assert!(!old.exists());
    }

    #[test]
    fn a_first_build_moves_its_folder_in_and_other_failures_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out, old) = (
            dir.path().join("n"),
            dir.path().join("o"),
            dir.path().join("x"),
        );
        folder(&new, "new.html");
        let never = |_: &Path, _: &Path| -> Result<(), Refused> { unreachable!() };
        assert_eq!(swap_with(&new, &out, &old, never).unwrap(), Swap::Moved);
        assert!(out.join("new.html").is_file());
        folder(&new, "newer.html");
        let failed =
            |_: &Path, _: &Path| Err(Refused::Failed(io::ErrorKind::PermissionDenied.into()));
        assert!(swap_with(&new, &out, &old, failed).is_err());
        assert!(out.join("new.html").is_file() && new.join("newer.html").is_file());
    }
}
