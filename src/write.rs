//! Writing the output folder safely (docs/architecture.md): every file goes into a
//! fresh temporary folder beside the output, which replaces the output only
//! when the whole build succeeded, in one atomic exchange where the
//! platform has one ([`swap`]). Builds of one output take turns, and the
//! folders of builds that were stopped are removed by the next ([`lock`]).
//! The output folder is refused when it is
//! the site root, a parent of it, inside `content/`, `templates/` or
//! `static/`, or a non-empty folder that Scholion did not create (its own
//! output carries the marker file `.scholion-output`).

use crate::output::OutputFile;
use rayon::prelude::*;
use std::io;
use std::path::{Component, Path, PathBuf};

pub mod lock;
mod swap;
pub use swap::Swap;

pub const MARKER: &str = ".scholion-output";

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to write to {path}: {reason}")]
    Refused { path: PathBuf, reason: String },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("an output path escapes the output folder: {0}")]
    BadPath(String),
    #[error("cannot tell where {path} is: the current folder cannot be read ({source}); run Scholion from a folder that exists, or give absolute paths")]
    NoCurrentDir { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An absolute, normalised form of `p` that works when `p` does not exist yet.
fn absolute(p: &Path) -> Result<PathBuf, WriteError> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|source| WriteError::NoCurrentDir {
                path: p.to_path_buf(),
                source,
            })?
            .join(p)
    };
    // Resolve symlinks for the longest existing ancestor, then append the rest.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|s| s.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    let mut norm = PathBuf::new();
    for c in out.components() {
        match c {
            Component::ParentDir => {
                norm.pop();
            }
            Component::CurDir => {}
            c => norm.push(c),
        }
    }
    Ok(norm)
}

/// Checks the output folder rules; returns the absolute output path.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<PathBuf, WriteError> {
    let root = absolute(root)?;
    let out_abs = absolute(out)?;
    let refuse = |reason: &str| {
        Err(WriteError::Refused {
            path: out.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    if out_abs == root {
        return refuse("it is the site folder itself");
    }
    if root.starts_with(&out_abs) {
        return refuse("it contains the site folder");
    }
    for dir in ["content", "templates", "static"] {
        if out_abs.starts_with(root.join(dir)) {
            return refuse(&format!("it is inside the site's {dir}/ folder"));
        }
    }
    if out_abs.exists() {
        if !out_abs.is_dir() {
            return refuse("it is a file, not a folder");
        }
        let empty = std::fs::read_dir(&out_abs)
            .map_err(io_err(&out_abs))?
            .next()
            .is_none();
        if !empty && !out_abs.join(MARKER).is_file() {
            return refuse("it is a non-empty folder that Scholion did not create (it has no .scholion-output marker); choose another --out or empty it yourself");
        }
    }
    Ok(out_abs)
}

fn safe_rel(path: &str) -> Result<PathBuf, WriteError> {
    let p = Path::new(path);
    if path.is_empty() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(WriteError::BadPath(path.to_string()));
    }
    Ok(p.to_path_buf())
}

/// A fresh temporary folder beside the output, which files are written into
/// as they are rendered (so a build never holds the whole site in memory)
/// and which replaces the output only on `commit`. Dropped without a commit,
/// it removes itself and the output stays as it was. While it exists, the
/// build holds the output's lock and the lock inside the folder
/// ([`lock`]).
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    /// Folders already made in `tmp`, so each file costs one `open`.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// `tmp/.scholion-lock`, locked: this folder's build is alive.
    staging_lock: Option<std::fs::File>,
    /// Dropped last: no other build of this output runs until then.
    _output_lock: Option<std::fs::File>,
    /// Folders of stopped builds that were removed (or moved back).
    stale: Vec<lock::Stale>,
    done: bool,
}

impl Staging {
    /// Creates the temporary folder for the output folder `out`, after
    /// waiting for another build of `out` to finish and removing the
    /// folders of builds of `out` that were stopped.
    pub fn create(out: &Path) -> Result<Staging, WriteError> {
        let parent = out
            .parent()
            .ok_or_else(|| WriteError::BadPath(out.display().to_string()))?;
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        let name = out
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let output_lock = lock::lock_output(parent, &name, out).map_err(io_err(parent))?;
        let stale = lock::sweep(parent, &name, out, output_lock.is_some());
        if !stale.is_empty() {
            eprintln!("{}", lock::describe(&stale, out));
        }
        // Process ids repeat (in containers, across machines that share a
        // folder): a name in use by a live build gets a number after it.
        let pid = std::process::id();
        let mut n = 1;
        let (tmp, suffix) = loop {
            let suffix = if n == 1 {
                pid.to_string()
            } else {
                format!("{pid}-{n}")
            };
            let tmp = parent.join(format!(".{name}.scholion-new-{suffix}"));
            match std::fs::create_dir(&tmp) {
                Ok(()) => break (tmp, suffix),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(io_err(&tmp)(e)),
            }
        };
        let staging_lock = match lock::lock_staging(&tmp) {
            Ok(f) => f,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(io_err(&tmp.join(lock::STAGING_LOCK))(e));
            }
        };
        Ok(Staging {
            out: out.to_path_buf(),
            old: parent.join(format!(".{name}.scholion-old-{suffix}")),
            tmp,
            made: Default::default(),
            staging_lock: Some(staging_lock),
            _output_lock: output_lock,
            stale,
            done: false,
        })
    }

    /// The folders of stopped builds that `create` removed or moved back.
    pub fn stale(&self) -> &[lock::Stale] {
        &self.stale
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Writes one file; safe to call from several threads at once.
    pub fn write(&self, file: &OutputFile) -> Result<(), WriteError> {
        let path = self.place(&file.path)?;
        std::fs::write(&path, &file.bytes).map_err(io_err(&path))
    }

    /// Writes one file as `fill` makes it, through a buffer, so that a large
    /// file is never held in memory whole.
    pub fn write_with(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut (dyn io::Write + Send)) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        use std::io::Write;
        let path = self.place(path)?;
        let file = std::fs::File::create(&path).map_err(io_err(&path))?;
        let mut w = io::BufWriter::with_capacity(1 << 16, file);
        fill(&mut w).and_then(|()| w.flush()).map_err(io_err(&path))
    }

    /// The path in the staging folder of the output path `rel`, its folder
    /// made.
    fn place(&self, rel: &str) -> Result<PathBuf, WriteError> {
        let rel = safe_rel(rel)?;
        if let Some(d) = rel.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(d) {
                let dir = self.tmp.join(d);
                std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
                made.insert(d.to_path_buf());
            }
        }
        Ok(self.tmp.join(rel))
    }

    /// Writes the marker and swaps the folder in for the output (in one
    /// atomic exchange where the platform has one), then removes the
    /// previous output.
    pub fn commit(mut self) -> Result<Swap, WriteError> {
        self.done = true;
        let (out, tmp, old) = (&self.out, &self.tmp, &self.old);
        let marker = tmp.join(MARKER);
        let marked = std::fs::write(
            &marker,
            "This folder is written by `scholion build` and replaced on every build.\n",
        )
        .map_err(io_err(&marker));
        // The lock file is not part of the output. Other builds of this
        // output wait for the output's lock, so none can mistake the folder
        // for a stopped build's in the moment that it has no lock file.
        drop(self.staging_lock.take());
        let unlocked = std::fs::remove_file(tmp.join(lock::STAGING_LOCK))
            .map_err(io_err(&tmp.join(lock::STAGING_LOCK)));
        if let Err(e) = marked.and(unlocked) {
            let _ = std::fs::remove_dir_all(tmp);
            return Err(e);
        }
        let swapped = match swap::swap(tmp, out, old) {
            Ok(s) => s,
            Err(source) => {
                let _ = std::fs::remove_dir_all(tmp);
                return Err(WriteError::Io {
                    path: out.to_path_buf(),
                    source,
                });
            }
        };
        let previous = match swapped {
            Swap::Exchanged => Some(tmp),
            Swap::Renamed => Some(old),
            Swap::Moved => None,
        };
        if let Some(p) = previous {
            std::fs::remove_dir_all(p).map_err(io_err(p))?;
        }
        Ok(swapped)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            drop(self.staging_lock.take());
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes `files` into a temporary folder and swaps it in for `out`.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<Swap, WriteError> {
    let staging = Staging::create(out)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_rules_refuse_dangerous_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/texts")).unwrap();
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, dir.path()).is_err());
        assert!(check_output_dir(&root, &root.join("content")).is_err());
        assert!(check_output_dir(&root, &root.join("content/out")).is_err());
        assert!(check_output_dir(&root, &root.join("static/x")).is_err());
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
        let foreign = root.join("mine");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.docx"), "precious").unwrap();
        assert!(check_output_dir(&root, &foreign).is_err());
        std::fs::write(foreign.join(MARKER), "").unwrap();
        assert!(check_output_dir(&root, &foreign).is_ok());
    }

    /// Defect: the swap was two renames, and a build stopped between them
    /// left no output at all. A reader of the output, looking all the time,
    /// never finds it missing while builds are swapped in.
    #[test]
    fn the_output_is_never_missing_while_builds_are_swapped_in() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = |n: usize| OutputFile {
            path: "index.html".into(),
            bytes: format!("build {n}").into_bytes(),
        };
        write_site(&out, &[page(0)]).unwrap();
        let stop = AtomicBool::new(false);
        let (looks, missing) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let swaps: Vec<Swap> = std::thread::scope(|s| {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    if std::fs::read(out.join("index.html")).is_err() {
                        missing.fetch_add(1, Ordering::Relaxed);
                    }
                    looks.fetch_add(1, Ordering::Relaxed);
                }
            });
            let swaps = (1..=40)
                .map(|n| write_site(&out, &[page(n)]).unwrap())
                .collect();
            stop.store(true, Ordering::Relaxed);
            swaps
        });
        assert!(looks.load(Ordering::Relaxed) > 0);
        assert_eq!(missing.load(Ordering::Relaxed), 0, "the output was missing");
        if cfg!(target_os = "linux") {
            assert!(swaps.iter().all(|s| *s == Swap::Exchanged), "{swaps:?}");
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "build 40"
        );
        // Nothing of the builds is left beside the output: no staging
        // folder, no previous output.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("public")]);
        assert!(!out.join(lock::STAGING_LOCK).exists());
    }

    #[test]
    fn a_staging_folder_is_locked_while_its_build_lives() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::create(&out).unwrap();
        let lock_file = std::fs::File::open(staging.path().join(lock::STAGING_LOCK)).unwrap();
        assert!(
            lock_file.try_lock().is_err(),
            "a live build's folder is locked"
        );
        // Another build would find it alive and leave it alone.
        assert!(lock::sweep(dir.path(), "public", &out, false).is_empty());
        let tmp = staging.path().to_path_buf();
        drop(staging);
        assert!(!tmp.exists(), "an abandoned build removes its own folder");
    }

    #[test]
    fn paths_that_escape_are_refused() {
        assert!(safe_rel("../x.html").is_err());
        assert!(safe_rel("/etc/passwd").is_err());
        assert!(safe_rel("texts/a.html").is_ok());
    }
}
