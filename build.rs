//! Embeds the default templates (`templates/`) and static files (`static/`)
//! into the binary, so an installed `scholion` works on any site folder.
//! Generates `$OUT_DIR/embedded.rs` with two tables of (relative path, bytes).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if path.is_dir() {
            files(&path, base, out);
        } else if path.is_file() {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path.canonicalize().unwrap()));
        }
    }
}

fn table(name: &str, dir: &str, code: &mut String) {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    println!("cargo:rerun-if-changed={dir}");
    let mut list = Vec::new();
    files(&base, &base, &mut list);
    writeln!(code, "pub static {name}: &[(&str, &[u8])] = &[").unwrap();
    for (rel, abs) in list {
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.to_string_lossy()
        )
        .unwrap();
    }
    writeln!(code, "];").unwrap();
}

fn main() {
    let mut code = String::new();
    table("TEMPLATES", "templates", &mut code);
    table("STATIC_FILES", "static", &mut code);
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(out, code).unwrap();
}
