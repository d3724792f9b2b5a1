//! Reading a site folder: walks `content/` and returns the raw text of every
//! file the pipeline uses, keyed by its role. This is the only stage that
//! touches the content on disk; everything after it works on these strings,
//! which also serve as the sources that diagnostics quote.

use crate::diagnostics::{display_path, Diagnostic, Report};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One file of `content/`, read as UTF-8.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root, `/`-separated: `content/texts/x.md`.
    pub rel: String,
    /// The file stem (slug of a text, page or annotation file).
    pub stem: String,
    pub text: String,
}

#[derive(Debug, Default, Clone)]
pub struct Loaded {
    pub site: Option<SourceFile>,
    pub glossary: Option<SourceFile>,
    pub texts: Vec<SourceFile>,
    pub annotations: Vec<SourceFile>,
    pub pages: Vec<SourceFile>,
    /// `bibliography.bib`, `.json`, `.yaml` and `.csl` styles, at the top of `content/`.
    pub bibliography: Vec<SourceFile>,
    /// The files under `content/facsimiles/`, by path below it, as bytes.
    pub facsimiles: std::collections::BTreeMap<String, std::sync::Arc<Vec<u8>>>,
    /// Set (to the site folder) when the texts were not read: their
    /// [`SourceFile::text`] is empty, and the parse reads each one with
    /// [`read_file`] when it comes to it ([`load_with`]).
    pub texts_deferred: Option<PathBuf>,
}

/// Reads `root/content`. Problems with single files are reported and the
/// file skipped; a missing `content/` folder is an error.
pub fn load(root: &Path, report: &mut Report) -> Loaded {
    load_with(root, report, None)
}

/// Like [`load`]; when the texts' files together are larger than
/// `defer_texts_over` bytes, they are not read here but listed
/// ([`Loaded::texts_deferred`]), so a large collection's Markdown is never
/// held all at once: the parse reads each text, keeps its front matter and
/// the fingerprint of its body, and lets the body go.
pub fn load_with(root: &Path, report: &mut Report, defer_texts_over: Option<usize>) -> Loaded {
    let content = root.join("content");
    let mut loaded = Loaded::default();
    if !content.is_dir() {
        report.push(
            Diagnostic::error(
                "E0001",
                display_path(root, &content),
                format!("no content folder at {}", content.display()),
            )
            .help("run Scholion in a site folder (one with content/site.yaml), or pass --root DIR"),
        );
        return loaded;
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                report.push(Diagnostic::error("E0002", p, format!("cannot read: {e}")));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') && entry.depth() > 0 {
            continue;
        }
        let path = entry.path().to_path_buf();
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) => {
                    if target.is_file() {
                        files.push(path);
                    }
                }
                _ => report.push(
                    Diagnostic::error(
                        "E0003",
                        display_path(root, &path),
                        "symbolic link that points outside the site folder (or nowhere)",
                    )
                    .help("copy the file into the site folder instead of linking to it"),
                ),
            }
            continue;
        }
        if entry.file_type().is_file() {
            files.push(path);
        } else if !entry.file_type().is_dir() {
            report.push(
                Diagnostic::warning(
                    "W0002",
                    display_path(root, &path),
                    "not a regular file (a named pipe, socket or device): skipped",
                )
                .help("texts, annotations and pages are ordinary files; remove this one from content/"),
            );
        }
    }

    // Which files to read, in walking order.
    let mut wanted: Vec<(PathBuf, String, String, Role)> = Vec::with_capacity(files.len());
    for path in files {
        let rel = display_path(root, &path);
        let inner = path.strip_prefix(&content).unwrap_or(&path);
        let parts: Vec<String> = inner
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = path
            .extension()
            .map(|s| s.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let role = match (parts.len(), parts[0].as_str(), ext.as_str()) {
            (1, "site.yaml" | "site.yml", _) => Role::Site,
            (1, "glossary.yaml" | "glossary.yml", _) => Role::Glossary,
            (2, "texts", "md") => Role::Text,
            (2, "annotations", "yaml" | "yml") => Role::Annotations,
            (2, "pages", "md") => Role::Page,
            (1, "bibliography.bib" | "bibliography.json" | "bibliography.yaml", _) => {
                Role::Bibliography
            }
            (1, _, "csl") => Role::Bibliography,
            (2.., "facsimiles", _) => {
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        loaded
                            .facsimiles
                            .insert(parts[1..].join("/"), std::sync::Arc::new(bytes));
                    }
                    Err(e) => report.push(Diagnostic::error(
                        "E0002",
                        rel.clone(),
                        format!("cannot read: {e}"),
                    )),
                }
                continue;
            }
            _ => {
                report.push(
                    Diagnostic::warning("W0001", rel.clone(), "this file is not used by Scholion")
                        .help("texts go in content/texts/*.md, annotations in content/annotations/*.yaml, free pages in content/pages/*.md"),
                );
                continue;
            }
        };
        wanted.push((path, rel, stem, role));
    }
    let defer = defer_texts_over.is_some_and(|max| {
        let texts: u64 = wanted
            .iter()
            .filter(|w| matches!(w.3, Role::Text))
            .map(|w| std::fs::metadata(&w.0).map_or(0, |m| m.len()))
            .sum();
        texts > max as u64
    });
    if defer {
        loaded.texts_deferred = Some(root.to_path_buf());
    }
    // Read on all cores; a large collection is thousands of files.
    let read: Vec<Result<String, Diagnostic>> = wanted
        .par_iter()
        .map(|(path, rel, _, role)| match role {
            Role::Text if defer => Ok(String::new()),
            _ => read_file(path, rel),
        })
        .collect();
    for ((_, rel, stem, role), text) in wanted.into_iter().zip(read) {
        let text = match text {
            Ok(t) => t,
            Err(d) => {
                report.push(d);
                continue;
            }
        };
        let file = SourceFile { rel, stem, text };
        match role {
            Role::Site => loaded.site = Some(file),
            Role::Glossary => loaded.glossary = Some(file),
            Role::Text => loaded.texts.push(file),
            Role::Annotations => loaded.annotations.push(file),
            Role::Page => loaded.pages.push(file),
            Role::Bibliography => loaded.bibliography.push(file),
        }
    }
    loaded
}

enum Role {
    Site,
    Glossary,
    Text,
    Annotations,
    Page,
    Bibliography,
}

/// File `path` (`rel` in messages), read as UTF-8 text as [`load`] reads
/// every file: no byte-order mark, `\n` line ends.
pub fn read_file(path: &Path, rel: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error("E0002", rel.to_string(), format!("cannot read: {e}")))?;
    decode(bytes).map_err(|(line, column)| {
        Diagnostic::error("E0004", rel.to_string(), "the file is not valid UTF-8 text")
            .at(line, column)
            .help(
                "save the file as UTF-8 (most editors offer it under \"Save as\" or \"Encoding\")",
            )
    })
}

/// Where a stage after this one reads a text again, without touching the
/// file system itself: a build lets each text's analysis go once the text
/// is anchored and makes it again for the text's own files
/// (`crate::resolve::DocRef::Source`). The driver hands the stage a
/// [`Folder`]; a test may hand it anything else.
pub trait Sources: Sync {
    /// The text of file `file` (relative to the site folder), read as
    /// [`load`] reads it; why not, in the words of a message, when it cannot
    /// be read.
    fn text(&self, file: &str) -> Result<String, String>;
}

/// The site folder that [`load`] read, read again.
pub struct Folder(pub PathBuf);

impl Sources for Folder {
    fn text(&self, file: &str) -> Result<String, String> {
        let bytes = std::fs::read(self.0.join(file)).map_err(|e| format!("cannot read: {e}"))?;
        decode(bytes).map_err(|(line, column)| {
            format!("the file is no longer valid UTF-8 text (line {line}, column {column})")
        })
    }
}

/// UTF-8 without a byte-order mark, with `\n` line ends and with no
/// character that HTML may not carry (see [`html_safe`]); on invalid bytes
/// the line and column of the first one. Every file of `content/` is read
/// through it (public so that the fuzz targets feed the parse what a file
/// read from disk would be).
pub fn decode(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            if s.contains('\r') {
                s = s.replace("\r\n", "\n").replace('\r', "\n");
            }
            if needs_cleaning(s.as_bytes()) {
                s = s.chars().filter_map(html_safe).collect();
            }
            Ok(s)
        }
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let last_nl = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[last_nl..]).chars().count() + 1;
            Err((line, column))
        }
    }
}

/// Whether `b` (valid UTF-8) may hold a character [`html_safe`] changes: a
/// C0 control other than tab and line feed, DEL, a C1 control (`C2 80..9F`)
/// or a non-character (`EF B7 90..AF`, and `BF BE`/`BF BF` ending U+FFFE,
/// U+FFFF and their kind in every plane). One pass over the bytes, and
/// almost every file needs nothing more.
///
/// The bytes that may start such a character are found by a table, and
/// only those are looked at closely: four times quicker than matching
/// every byte, which mattered as a large build reads each text three times.
fn needs_cleaning(b: &[u8]) -> bool {
    let mut from = 0;
    while let Some(k) = b[from..].iter().position(|&c| SUSPECT[usize::from(c)]) {
        let i = from + k;
        let changed = match b[i] {
            0xc2 => matches!(b.get(i + 1), Some(0x80..=0x9f)),
            0xef => matches!(b.get(i + 1..i + 3), Some([0xb7, 0x90..=0xaf])),
            0xbf => matches!(b.get(i + 1), Some(0xbe | 0xbf)) && i >= 1,
            _ => true,
        };
        if changed {
            return true;
        }
        from = i + 1;
    }
    false
}

/// The bytes [`needs_cleaning`] looks at: the C0 controls but tab and line
/// feed, DEL, and the first bytes of a C1 control (`C2`) or a
/// non-character (`EF`, and `BF` before the last byte of U+…FFFE/FFFF).
const SUSPECT: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = i != 0x09 && i != 0x0a;
        i += 1;
    }
    t[0x7f] = true;
    t[0xc2] = true;
    t[0xef] = true;
    t[0xbf] = true;
    t
};

/// A character as a page may show it: form feed and vertical tab (white
/// space to a reader) become a space; NUL, the other control characters and
/// the Unicode non-characters (U+FDD0–U+FDEF, U+FFFE, U+FFFF …), which HTML
/// forbids, become U+FFFD, the replacement character, so every column after
/// them stays where the editor shows it. The same for every text, YAML and
/// page, so what is anchored, shown and searched agrees.
fn html_safe(c: char) -> Option<char> {
    let u = c as u32;
    Some(match c {
        '\t' | '\n' => c,
        '\u{0b}' | '\u{0c}' => ' ',
        _ if c.is_control() => '\u{fffd}',
        _ if (0xfdd0..=0xfdef).contains(&u) || u & 0xfffe == 0xfffe => '\u{fffd}',
        _ => c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_html_may_not_carry_are_replaced_where_they_stand() {
        let s = decode(
            "a\0b\u{0b}c\u{0c}d\u{7f}e\u{85}f\u{fffe}g\u{ffff}h\u{fdd0}i\u{10ffff}j\tk\n"
                .as_bytes()
                .to_vec(),
        )
        .unwrap();
        assert_eq!(
            s,
            "a\u{fffd}b c d\u{fffd}e\u{fffd}f\u{fffd}g\u{fffd}h\u{fffd}i\u{fffd}j\tk\n"
        );
        let clean = "Ordinary text — with “quotes”, ÿ, 𝔘 and \u{feff}a word joiner.\n";
        assert!(!needs_cleaning(clean.as_bytes()));
        assert_eq!(decode(clean.as_bytes().to_vec()).unwrap(), clean);
        assert_eq!(
            decode("\u{fffe}First".as_bytes().to_vec()).unwrap(),
            "\u{fffd}First"
        );
    }

    /// Every character is tested, alone and between others: the quick
    /// scan misses no character the page may not carry, and says what the
    /// byte-by-byte test it replaced says (which also answers yes for a few
    /// characters that need nothing, such as U+0FFE: cleaning then changes
    /// nothing). Defect found so: U+FFFE at the very start of a file was
    /// missed (its `BF BE` is at offset 1), and reached the page.
    #[test]
    fn the_quick_scan_misses_nothing_and_agrees_with_the_byte_by_byte_test() {
        let byte_by_byte = |b: &[u8]| {
            b.iter().enumerate().any(|(i, &c)| match c {
                b'\t' | b'\n' => false,
                0..=0x1f | 0x7f => true,
                0xc2 => matches!(b.get(i + 1), Some(0x80..=0x9f)),
                0xef => matches!(b.get(i + 1..i + 3), Some([0xb7, 0x90..=0xaf])),
                0xbf => matches!(b.get(i + 1), Some(0xbe | 0xbf)) && i >= 1,
                _ => false,
            })
        };
        for u in 0..=0x10ffff_u32 {
            let Some(c) = char::from_u32(u) else { continue };
            for s in [c.to_string(), format!("ab{c}"), format!("{c}\u{ff}¿ok")] {
                let quick = needs_cleaning(s.as_bytes());
                assert_eq!(quick, byte_by_byte(s.as_bytes()), "U+{u:04X} in {s:?}");
                if s.chars().any(|x| html_safe(x) != Some(x)) {
                    assert!(quick, "U+{u:04X} in {s:?} missed");
                }
            }
        }
    }
}
