//! The files a site needs to live among other tools: the W3C annotation
//! export, the JSON Schemas of the file formats (for editors with the YAML
//! language server), `sitemap.xml`, `404.html` and the search index
//! (`search/`, built by [`crate::search`]). Without a `base_url`,
//! nothing absolute is written: there is no sitemap, and the 404 page links
//! relative to the site root.

use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::export;
use crate::output::OutputFile;
use crate::resolve::Resolved;
use rayon::prelude::*;
use std::io::{self, Write};

/// Where the site files go as they are made.
pub trait Emit: Sync {
    /// A whole file.
    fn file(&self, f: OutputFile);
    /// A large file, written by `fill` as it is made, so that it need not be
    /// held in memory (`annotations.jsonld` of 10,000 texts is 280 MB). By
    /// default it is gathered and handed to [`Emit::file`].
    fn stream(&self, path: &str, fill: &mut dyn FnMut(&mut (dyn Write + Send)) -> io::Result<()>) {
        let mut bytes = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = fill(&mut bytes);
        self.file(OutputFile {
            path: path.to_string(),
            bytes,
        });
    }
    /// The file or folder `path` could not be made: the build must fail.
    /// By default the error is printed, and the rest goes on.
    fn failed(&self, path: &str, e: io::Error) {
        eprintln!("error: cannot write {path}: {e}");
    }
}

impl<F: Fn(OutputFile) + Sync> Emit for F {
    fn file(&self, f: OutputFile) {
        self(f)
    }
}

/// The JSON Schemas of `site.yaml`, annotation files and `glossary.yaml`.
pub const SCHEMAS: [(&str, &str); 3] = [
    (
        "site.schema.json",
        include_str!(concat!(env!("OUT_DIR"), "/schemas/site.schema.json")),
    ),
    (
        "annotations.schema.json",
        include_str!(concat!(env!("OUT_DIR"), "/schemas/annotations.schema.json")),
    ),
    (
        "glossary.schema.json",
        include_str!(concat!(env!("OUT_DIR"), "/schemas/glossary.schema.json")),
    ),
];

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `sitemap.xml`, only when the site knows its address.
pub fn sitemap(r: &Resolved) -> Option<OutputFile> {
    let base = r.corpus.site.base()?;
    let mut urls = vec![format!("{base}index.html")];
    urls.extend(
        r.corpus
            .texts
            .iter()
            .map(|t| format!("{base}texts/{}.html", t.slug)),
    );
    if !r.corpus.glossary.is_empty() {
        urls.push(format!("{base}glossary.html"));
        // Each entry's first page (its continuations are linked from it).
        urls.extend(
            r.corpus
                .glossary
                .iter()
                .map(|t| format!("{base}{}", crate::render::entity::entity_path(&t.id, 1))),
        );
    }
    urls.extend(
        r.corpus
            .pages
            .iter()
            .map(|p| format!("{base}{}.html", p.slug)),
    );
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let lastmod = r
        .corpus
        .site
        .edition_date
        .as_deref()
        .filter(|d| d.len() == 10);
    for u in urls {
        xml.push_str("  <url><loc>");
        xml.push_str(&xml_escape(&u));
        xml.push_str("</loc>");
        if let Some(d) = lastmod {
            xml.push_str(&format!("<lastmod>{}</lastmod>", xml_escape(d)));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Some(OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    })
}

/// Every file of this module for the site, handed to `emit` as each is
/// made (so large sites never hold them all), in no set order.
pub fn site_files(r: &Resolved, emit: &dyn Emit) {
    site_files_with(r, emit, &|_, _| {});
}

/// What a text contributes to the site files, made from its analysis: its
/// number, its annotations, its search documents.
type TextShare = (usize, Vec<String>, Vec<crate::search::SearchDoc>);

/// Like [`site_files`], making each text's analysis only once (see
/// [`Resolved::doc`]) for its annotations, its search documents and
/// `page`, which is handed the analysis (or why it could not be made) on
/// all cores, texts in no set order. A build whose analyses were let go
/// after anchoring uses this, so each is made again only once. The texts
/// go a few at a time: while one batch's annotations are written and its
/// documents indexed, the next batch is analysed and rendered.
pub fn site_files_with(
    r: &Resolved,
    emit: &dyn Emit,
    page: &(dyn Fn(usize, Result<&Document, Diagnostic>) + Sync),
) {
    let mut search = crate::search::Files::new(r);
    let search_emit = |f: OutputFile| emit.file(f);
    emit.stream("annotations.jsonld", &mut |w| {
        let mut jsonld = export::AnnotationsWriter::start(r, w)?;
        let base = jsonld.base.clone();
        let share = |ti: usize| -> TextShare {
            match r.doc(ti) {
                Ok(doc) => {
                    page(ti, Ok(&doc));
                    (
                        ti,
                        export::text_items(r, ti, &doc, &base),
                        crate::search::text_documents(r, ti, &doc),
                    )
                }
                Err(d) => {
                    page(ti, Err(d));
                    (ti, Vec::new(), Vec::new())
                }
            }
        };
        let mut failed: Option<io::Error> = None;
        let mut take = |batch: Vec<TextShare>| {
            let mut docs = Vec::new();
            for (ti, items, text_docs) in batch {
                if failed.is_none() {
                    match jsonld.items(ti, &items) {
                        Ok(Some(page)) => emit.file(page),
                        Ok(None) => {}
                        Err(e) => failed = Some(e),
                    }
                }
                docs.extend(text_docs);
            }
            search.add(&docs, &search_emit);
        };
        let texts: Vec<usize> = (0..r.texts.len()).collect();
        let mut before: Option<Vec<TextShare>> = None;
        for some in texts.chunks(crate::search::TEXTS_AT_A_TIME) {
            let ((), batch) = rayon::join(
                || {
                    if let Some(b) = before.take() {
                        take(b)
                    }
                },
                || some.par_iter().map(|&ti| share(ti)).collect(),
            );
            before = Some(batch);
        }
        if let Some(b) = before.take() {
            take(b);
        }
        match failed {
            Some(e) => Err(e),
            None => jsonld.finish(),
        }
    });
    other_files(r, emit);
    if let Err(e) = search.finish(r, &search_emit) {
        let temp = std::env::temp_dir();
        emit.failed(
            "search/",
            io::Error::new(
                e.kind(),
                format!(
                    "the search index's postings could not be read back from their temporary file in {} ({e}); free space there, or set TMPDIR to a folder with room",
                    temp.display()
                ),
            ),
        );
    }
}

/// The schemas and the sitemap.
fn other_files(r: &Resolved, emit: &dyn Emit) {
    for (name, text) in SCHEMAS {
        emit.file(OutputFile {
            path: format!("schemas/{name}"),
            bytes: text.as_bytes().to_vec(),
        });
    }
    if let Some(f) = sitemap(r) {
        emit.file(f);
    }
    for f in crate::render::facsimile::files(r.corpus) {
        emit.file(f);
    }
    for f in crate::render::iiif::files(r) {
        emit.file(f);
    }
    if !r.corpus.bibliography.is_empty() {
        emit.file(OutputFile {
            path: "bibliography.json".into(),
            bytes: crate::bibliography::csl_json(&r.corpus.bibliography),
        });
    }
}
