//! How long the search index of a site takes to build, apart from the rest
//! of `scholion build`, and what it holds (scripts/bench-search.sh; see
//! docs/search.md). The site is loaded, parsed and resolved as `build` does;
//! then the index is built three times and the fastest run of each step is
//! reported, as one line of JSON: gathering the documents, inverting them
//! (and formatting their fragments), and making the shards and manifest. `scholion build`
//! does the same work in batches of texts, so that the documents of the
//! whole site are never in memory at once.
//!
//! ```text
//! cargo run --release --example search_index -- SITE
//! ```

use scholion::diagnostics::Report;
use scholion::search;
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site] = args.as_slice() else {
        eprintln!("usage: search_index SITE");
        std::process::exit(2);
    };
    let mut report = Report::default();
    let loaded = scholion::load::load(Path::new(site), &mut report);
    let corpus = scholion::parse::parse_corpus(&loaded, &mut report);
    drop(loaded);
    let resolved = scholion::resolve::resolve(&corpus, &mut report);
    if report.errors() > 0 {
        eprintln!("search_index: the site has errors; run scholion check");
        std::process::exit(1);
    }
    let mut best = [f64::MAX; 4];
    let mut files = Vec::new();
    let mut docs = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let d = search::documents(&resolved);
        let t1 = start.elapsed().as_secs_f64();
        let made = std::sync::Mutex::new(Vec::new());
        let keep = |f: scholion::output::OutputFile| made.lock().unwrap().push(f);
        let mut index = search::Index::new(
            search::average_length(&resolved),
            search::version(&resolved),
        );
        index.add(&d, &keep);
        let t2 = start.elapsed().as_secs_f64();
        index.finish(&keep).expect("the postings read back");
        let t3 = start.elapsed().as_secs_f64();
        files = made.into_inner().unwrap();
        // The manifest first.
        files.sort_by_key(|f| f.path != "search/manifest.js");
        docs = d.len();
        for (b, t) in best.iter_mut().zip([t1, t2 - t1, t3 - t2, t3]) {
            *b = b.min(t);
        }
    }
    let name =
        |f: &scholion::output::OutputFile| f.path.rsplit('/').next().unwrap_or("").to_string();
    let bytes = |c: char| -> (usize, usize) {
        let matching: Vec<_> = files
            .iter()
            .skip(1)
            .filter(|f| name(f).starts_with(c))
            .collect();
        (matching.len(), matching.iter().map(|f| f.bytes.len()).sum())
    };
    let (shards, shard_bytes) = bytes('t');
    let (fragments, fragment_bytes) = bytes('f');
    println!(
        "{{\"seconds\":{:.3},\"documents_seconds\":{:.3},\"invert_seconds\":{:.3},\"write_seconds\":{:.3},\"documents\":{docs},\"manifest_bytes\":{},\"shards\":{shards},\"shard_bytes\":{shard_bytes},\"fragments\":{fragments},\"fragment_bytes\":{fragment_bytes}}}",
        best[3], best[0], best[1], best[2],
        files[0].bytes.len()
    );
}
