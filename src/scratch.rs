//! Unnamed temporary files, for data too large to keep in memory while it
//! is made: the preview's served site (`serve/output.rs`) and a large
//! site's search postings (`search/spill.rs`). Such a file has no name in
//! any folder where the system allows it (O_TMPFILE on Linux), so the
//! system deletes it when Scholion stops, however it stops. It is read and
//! written at offsets, so several readers need no shared position.

use std::fs::File;
use std::io;
use std::path::Path;

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
