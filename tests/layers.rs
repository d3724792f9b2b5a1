//! The modules under `src/` form a one-way pipeline (docs/architecture.md):
//! every `crate::` path in the code that ships must name a module of a lower
//! layer than its own. This test reads the sources and fails on an edge that
//! points the wrong way, on a module missing from the table, and on a table
//! entry with no module, so the shape stays as the data flows.
//!
//! Unit tests (`#[cfg(test)] mod tests` at the end of a file, and the files
//! that only tests compile) are left out: a test may build a whole site.

use std::collections::BTreeMap;
use std::path::Path;

/// The layers, lowest first. A module may use the modules of lower layers
/// only (and itself).
const LAYERS: &[&[&str]] = &[
    // An image file's kind and size, which the domain keeps for a facsimile.
    &["image_size"],
    // Unnamed temporary files, which a large build writes some of the
    // domain's strings out to (a note's body).
    &["scratch"],
    // Leaves: the domain, and text, hashing, URL and file types that know
    // nothing of the pipeline.
    &[
        "model", "text", "hash", "url", "suggest", "output", "embedded", "progress", "testing",
    ],
    &["diagnostics", "json", "config"],
    // The output folder: takes files, knows no stage.
    &["write"],
    &["load"],
    &["parse"],
    // A text's analysis.
    &["document"],
    // Anchoring and glossary matching.
    &["anchor", "terms"],
    // The bibliography written out: citations and entries in the CSL style.
    &["bibliography"],
    &["resolve"],
    &["render", "search", "export"],
    // Site-level files, made from all three.
    &["publish"],
    // The driver.
    &["pipeline"],
    &["incremental"],
    &["serve"],
    // Commands beside `build`.
    &["import", "scaffold"],
    &["lib"],
    // The binary: the command line, its completions, `main`.
    &["cli"],
    &["completions"],
    &["main"],
];

/// Files only tests compile.
const TEST_ONLY: &[&str] = &[
    "src/testing.rs",
    "src/search/tests.rs",
    "src/bibliography/tests.rs",
    "src/incremental/tests.rs",
    "src/import/tests.rs",
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The code of a file without its comments and its trailing unit tests.
fn shipped_code(source: &str) -> String {
    let mut out = String::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The top-level modules a file's code names through `crate::`.
fn used_modules(code: &str) -> Vec<String> {
    let mut used = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c, d::{e, f}}`: the first name of each item.
            let mut depth = 1;
            let mut item = true;
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        if item && !name.is_empty() {
                            used.push(std::mem::take(&mut name));
                        }
                        item = true;
                    }
                    c if c.is_whitespace() && name.is_empty() => {}
                    c if item && (c.is_alphanumeric() || c == '_') => name.push(c),
                    _ if item && !name.is_empty() => {
                        used.push(std::mem::take(&mut name));
                        item = false;
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                used.push(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            used.push(name);
        }
    }
    used
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/resolve/mod.rs` and
/// `src/resolve/references.rs` to `resolve`, `src/lib.rs` to `lib`.
fn module_of(rel: &Path) -> String {
    let first = rel.components().nth(1).unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.strip_suffix(".rs").unwrap_or(&name).to_string()
}

#[test]
fn every_module_uses_only_lower_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut seen = BTreeMap::new();
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(root).unwrap();
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let module = module_of(rel);
        let layer = layer_of(&module)
            .unwrap_or_else(|| panic!("{rel_str}: module `{module}` is in no layer of LAYERS"));
        seen.insert(module.clone(), ());
        if TEST_ONLY.contains(&rel_str.as_str()) || module == "lib" {
            continue;
        }
        let code = shipped_code(&std::fs::read_to_string(file).unwrap());
        for used in used_modules(&code) {
            if used == module {
                continue;
            }
            match layer_of(&used) {
                Some(l) if l < layer => {}
                Some(_) => wrong.push(format!("{rel_str}: `{module}` uses `crate::{used}`")),
                None => wrong.push(format!("{rel_str}: `crate::{used}` is in no layer")),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "edges against the pipeline's order (a module may use only lower layers; \
         move the item to where its data comes from, or fix LAYERS if the \
         pipeline itself changed):\n{}",
        wrong.join("\n")
    );
    for layer in LAYERS {
        for m in *layer {
            assert!(
                seen.contains_key(*m),
                "LAYERS names `{m}`, which has no file"
            );
        }
    }
}

/// The check itself: it sees plain, grouped and nested paths, and not the
/// ones in comments or unit tests.
#[test]
fn the_scan_sees_every_kind_of_path() {
    let code = shipped_code(
        "use crate::a::B;\nuse crate::{c, d::{E, F}, g::H};\nlet x = crate::i::j();\n\
         // crate::comment\nmy_crate::k;\n#[cfg(test)]\nmod tests {\n    use crate::l;\n}\n",
    );
    assert_eq!(used_modules(&code), ["a", "c", "d", "g", "i"]);
}
