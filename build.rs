//! Embeds the default templates (`templates/`) and static files (`static/`)
//! into the binary, so an installed `scholion` works on any site folder.
//! Generates `$OUT_DIR/embedded.rs` with two tables of (relative path, bytes),
//! the JSON Schemas with their `$id` at the project's home (`homepage` in
//! Cargo.toml, the one place that holds the public address), and the commit
//! that `scholion --version` prints (`SCHOLION_COMMIT`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Writes each `schemas/*.schema.json` to `$OUT_DIR/schemas/` with an `$id`
/// line after its `$schema` line: the address where the project publishes it
/// (`<homepage>schemas/<name>`), which the schema store catalog lists too.
fn schemas(out: &Path) {
    println!("cargo:rerun-if-changed=schemas");
    let home = env!("CARGO_PKG_HOMEPAGE");
    let dir = out.join("schemas");
    std::fs::create_dir_all(&dir).unwrap();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut list = Vec::new();
    files(&base, &base, &mut list);
    for (name, path) in list.iter().filter(|(n, _)| n.ends_with(".schema.json")) {
        let text = std::fs::read_to_string(path).unwrap();
        let (first, rest) = text.split_once('\n').unwrap();
        let (schema, rest) = rest.split_once('\n').unwrap();
        assert!(
            first == "{" && schema.trim_start().starts_with("\"$schema\""),
            "{name}: a schema starts with `{{` and a `$schema` line"
        );
        let with_id = format!("{first}\n{schema}\n  \"$id\": \"{home}schemas/{name}\",\n{rest}");
        std::fs::write(dir.join(name), with_id).unwrap();
    }
}

/// The short hash of the commit being built, or "unknown". An environment
/// variable `SCHOLION_COMMIT` wins (a build from an exported tree); a crate
/// unpacked from its package has the commit it was packaged from in
/// `.cargo_vcs_info.json`; otherwise git is asked, but only when this crate's
/// folder is the top of the work tree (a package unpacked inside another
/// repository must not print that repository's commit).
fn commit() -> String {
    println!("cargo:rerun-if-env-changed=SCHOLION_COMMIT");
    if let Ok(c) = std::env::var("SCHOLION_COMMIT") {
        return c;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Ok(vcs) = std::fs::read_to_string(manifest.join(".cargo_vcs_info.json")) {
        if let Some((_, rest)) = vcs.split_once("\"sha1\": \"") {
            return rest.chars().take(9).collect();
        }
    }
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(manifest)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let top = git(&["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    if top.and_then(|t| t.canonicalize().ok()) != manifest.canonicalize().ok() {
        return "unknown".into();
    }
    // Rebuild when HEAD moves: HEAD itself, the branch it names, packed refs.
    if let (Some(dir), Some(common)) = (
        git(&["rev-parse", "--absolute-git-dir"]),
        git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]),
    ) {
        let mut watched = vec![
            Path::new(&dir).join("HEAD"),
            Path::new(&common).join("packed-refs"),
        ];
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watched.push(Path::new(&common).join(branch));
        }
        for path in watched.iter().filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    git(&["rev-parse", "--short=9", "HEAD"]).unwrap_or_else(|| "unknown".into())
}

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut code = String::new();
    table("TEMPLATES", "templates", &mut code);
    table("STATIC_FILES", "static", &mut code);
    std::fs::write(out.join("embedded.rs"), code).unwrap();
    schemas(&out);
    println!("cargo:rustc-env=SCHOLION_COMMIT={}", commit());
}
