//! Fuzzes load → anchor → render: the input is split into a text body and
//! an annotation file; the pipeline must never panic, and no page may carry
//! a live script, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scholion::diagnostics::Report;
use scholion::load::{Loaded, SourceFile};

/// A file as `load` reads it from disk (line ends made `\n`, characters
/// HTML may not carry taken out).
fn file(rel: &str, stem: &str, text: String) -> SourceFile {
    let text = scholion::load::decode(text.into_bytes()).expect("the input is UTF-8");
    SourceFile { rel: rel.into(), stem: stem.into(), text }
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (body, annotations) = input.split_once("\u{0}").unwrap_or((input, ""));
    let loaded = Loaded {
        site: Some(file("content/site.yaml", "site", "title: Fuzz\n".into())),
        glossary: Some(file(
            "content/glossary.yaml",
            "glossary",
            "- id: peace\n  term: peace\n  kind: concept\n  definition: x\n".into(),
        )),
        texts: vec![file("content/texts/t.md", "t", format!("---\ntitle: T\n---\n{body}"))],
        annotations: vec![file("content/annotations/t.yaml", "t", annotations.to_string())],
        pages: vec![],
        ..Default::default()
    };
    let mut report = Report::default();
    let corpus = scholion::parse::parse_corpus(&loaded, &mut report);
    let resolved = scholion::resolve::resolve(&corpus, &mut report);
    if !resolved.texts.is_empty() {
        let doc = resolved.doc(0).expect("the text is held in memory");
        let html = scholion::render::text::render_body(&resolved, 0, &doc);
        assert!(!html.to_ascii_lowercase().contains("<script"));
    }
});
