//! The floor of the benchmark (docs/performance.md): the least work any
//! generator must do with a site's texts. Every `content/texts/*.md` of a
//! site folder is read, its front matter cut off, its Markdown rendered by
//! pulldown-cmark with Scholion's parser options (tables, footnotes, smart
//! punctuation) and written to `OUT/<slug>.html`, on all cores. No
//! annotations, no templates, no glossary, no index.
//!
//! ```text
//! cargo run --release --example floor -- SITE OUT
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out] = args.as_slice() else {
        eprintln!("usage: floor SITE OUT");
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
        let bytes = files
            .par_iter()
            .map(|f| render(f, &out))
            .try_reduce(|| 0, |a, b| Ok(a + b))?;
        Ok((files.len(), bytes))
    })();
    match result {
        Ok((n, bytes)) => eprintln!(
            "floor: {n} texts, {:.1} MB of Markdown in {} ms",
            bytes as f64 / 1e6,
            start.elapsed().as_millis()
        ),
        Err(e) => {
            eprintln!("floor: {e}");
            std::process::exit(2);
        }
    }
}
