//! What the YAML targets share: a site made of fixed files with one file
//! replaced by the fuzzer's input, parsed as `scholion check` parses it,
//! and the properties every diagnostic must have.

use scholion::diagnostics::Report;
use scholion::load::{Loaded, SourceFile};

/// A file as `load` reads it from disk: line ends made `\n`, a byte-order
/// mark and characters HTML may not carry taken out.
pub fn file(rel: &str, stem: &str, text: &str) -> SourceFile {
    SourceFile {
        rel: rel.into(),
        stem: stem.into(),
        text: scholion::load::decode(text.as_bytes().to_vec()).expect("the input is UTF-8"),
    }
}

/// A small valid site: `site.yaml`, a glossary, one text with notes.
pub fn site() -> Loaded {
    Loaded {
        site: Some(file("content/site.yaml", "site", "title: Fuzz\n")),
        glossary: Some(file(
            "content/glossary.yaml",
            "glossary",
            "- id: peace\n  term: peace\n  kind: concept\n  definition: x\n",
        )),
        texts: vec![file(
            "content/texts/t.md",
            "t",
            "---\ntitle: T\n---\nWar and peace, and peace again.\n",
        )],
        annotations: vec![file(
            "content/annotations/t.yaml",
            "t",
            "notes:\n  - id: a\n    anchor: War and peace\n    body: x\n",
        )],
        pages: vec![],
        ..Default::default()
    }
}

/// Parses and resolves `loaded` (never panicking), and checks that each
/// diagnostic about `rel` points at a line the file has, as read from disk.
pub fn check(loaded: &Loaded, rel: &str, text: &str) {
    let text = scholion::load::decode(text.as_bytes().to_vec()).expect("the input is UTF-8");
    let mut report = Report::default();
    let corpus = scholion::parse::parse_corpus(loaded, &mut report);
    let _ = scholion::resolve::resolve(&corpus, &mut report);
    let lines = text.lines().count().max(1);
    for d in &report.diagnostics {
        assert!(!d.file.is_empty(), "a diagnostic without a file: {d:?}");
        assert!(!d.message.is_empty(), "a diagnostic without a message: {d:?}");
        if d.file == rel {
            assert!(
                d.line <= lines + 1,
                "line {} of a file of {lines} lines: {d:?}",
                d.line
            );
        }
    }
}
