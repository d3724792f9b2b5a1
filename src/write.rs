//! Writing the output folder safely (DESIGN.md §2): every file goes into a
//! fresh temporary folder beside the output, which replaces the output only
//! when the whole build succeeded. The output folder is refused when it is
//! the site root, a parent of it, inside `content/`, `templates/` or
//! `static/`, or a non-empty folder that Scholion did not create (its own
//! output carries the marker file `.scholion-output`).

use crate::render::OutputFile;
use rayon::prelude::*;
use std::io;
use std::path::{Component, Path, PathBuf};

pub const MARKER: &str = ".scholion-output";

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to write to {path}: {reason}")]
    Refused { path: PathBuf, reason: String },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("an output path escapes the output folder: {0}")]
    BadPath(String),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An absolute, normalised form of `p` that works when `p` does not exist yet.
fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
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
    norm
}

/// Checks the output folder rules; returns the absolute output path.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<PathBuf, WriteError> {
    let root = absolute(root);
    let out_abs = absolute(out);
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
/// it removes itself and the output stays as it was.
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    /// Folders already made in `tmp`, so each file costs one `open`.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    done: bool,
}

impl Staging {
    /// Creates the temporary folder for the output folder `out`.
    pub fn create(out: &Path) -> Result<Staging, WriteError> {
        let parent = out
            .parent()
            .ok_or_else(|| WriteError::BadPath(out.display().to_string()))?;
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        let name = out
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let pid = std::process::id();
        let tmp = parent.join(format!(".{name}.scholion-new-{pid}"));
        let old = parent.join(format!(".{name}.scholion-old-{pid}"));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
        }
        std::fs::create_dir(&tmp).map_err(io_err(&tmp))?;
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            old,
            made: Default::default(),
            done: false,
        })
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

    /// Writes the marker and swaps the folder in for the output.
    pub fn commit(mut self) -> Result<(), WriteError> {
        self.done = true;
        let (out, tmp, old) = (&self.out, &self.tmp, &self.old);
        let marker = tmp.join(MARKER);
        if let Err(e) = std::fs::write(
            &marker,
            "This folder is written by `scholion build` and replaced on every build.\n",
        ) {
            let _ = std::fs::remove_dir_all(tmp);
            return Err(io_err(&marker)(e));
        }
        if out.exists() {
            std::fs::rename(out, old).map_err(|e| {
                let _ = std::fs::remove_dir_all(tmp);
                WriteError::Io {
                    path: out.to_path_buf(),
                    source: e,
                }
            })?;
        }
        if let Err(e) = std::fs::rename(tmp, out) {
            // Put the previous output back: a failed build loses nothing.
            if old.exists() {
                let _ = std::fs::rename(old, out);
            }
            let _ = std::fs::remove_dir_all(tmp);
            return Err(WriteError::Io {
                path: out.to_path_buf(),
                source: e,
            });
        }
        if old.exists() {
            std::fs::remove_dir_all(old).map_err(io_err(old))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes `files` into a temporary folder and swaps it in for `out`.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
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

    #[test]
    fn paths_that_escape_are_refused() {
        assert!(safe_rel("../x.html").is_err());
        assert!(safe_rel("/etc/passwd").is_err());
        assert!(safe_rel("texts/a.html").is_ok());
    }
}
