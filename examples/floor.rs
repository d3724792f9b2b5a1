//! The floor of the benchmark (docs/performance.md): the least work any
//! generator must do with a site's texts. Every `content/texts/*.md` of a
//! site folder is read, its front matter cut off, its Markdown rendered by
//! pulldown-cmark with Scholion's parser options (tables, footnotes, smart
//! punctuation) and written to `OUT/<slug>.html`, on all cores. No
//! annotations, no templates, no glossary, no index.
//!
//! With `--yaml`, every YAML file of `content/` (the annotations, the
//! glossary, `site.yaml`) is also parsed, by serde-saphyr as Scholion parses
//! it, into nothing: the least any build of the whole site must do, since
//! it has to read its annotations too.
//!
//! ```text
//! cargo run --release --example floor -- SITE OUT [--yaml]
//! ```

use rayon::prelude::*;
use scholion::parse::markdown;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn render(md_file: &Path, out: &Path) -> std::io::Result<usize> {
    let src = std::fs::read_to_string(md_file)?;
    let body = match markdown::split_front_matter(&src) {
        Ok(fm) => fm.body,
        Err(_) => src.as_str(),
    };
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, markdown::parser(body));
    let stem = md_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::write(out.join(format!("{stem}.html")), html)?;
    Ok(src.len())
}

/// Parses a YAML file and drops what it holds.
fn parse_yaml(file: &Path) -> std::io::Result<usize> {
    let src = std::fs::read_to_string(file)?;
    serde_saphyr::from_str::<serde::de::IgnoredAny>(&src).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: {e}", file.display()),
        )
    })?;
    Ok(src.len())
}

/// The YAML files of a site's `content/`.
fn yaml_files(content: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for dir in [content.to_path_buf(), content.join("annotations")] {
        if !dir.is_dir() {
            continue;
        }
        for e in std::fs::read_dir(&dir)? {
            let p = e?.path();
            if p.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let yaml = args.iter().any(|a| a == "--yaml");
    args.retain(|a| a != "--yaml");
    let [site, out] = args.as_slice() else {
        eprintln!("usage: floor SITE OUT [--yaml]");
        std::process::exit(2);
    };
    let start = Instant::now();
    let texts = Path::new(site).join("content/texts");
    let out = PathBuf::from(out);
    let result = (|| -> std::io::Result<(usize, usize)> {
        std::fs::create_dir_all(&out)?;
        let mut files: Vec<PathBuf> = std::fs::read_dir(&texts)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        let n = files.len();
        if yaml {
            files.extend(yaml_files(&Path::new(site).join("content"))?);
        }
        let bytes = files
            .par_iter()
            .map(|f| {
                if f.extension().is_some_and(|e| e == "md") {
                    render(f, &out)
                } else {
                    parse_yaml(f)
                }
            })
            .try_reduce(|| 0, |a, b| Ok(a + b))?;
        Ok((n, bytes))
    })();
    match result {
        Ok((n, bytes)) => eprintln!(
            "floor: {n} texts, {:.1} MB of {} in {} ms",
            bytes as f64 / 1e6,
            if yaml {
                "Markdown and YAML"
            } else {
                "Markdown"
            },
            start.elapsed().as_millis()
        ),
        Err(e) => {
            eprintln!("floor: {e}");
            std::process::exit(2);
        }
    }
}
