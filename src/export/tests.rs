//! Tests of the JSON-LD export: the annotations' shape, their targets and
//! their paging.

use super::*;
use crate::document::{Passage, PassageKind};
use serde_json::Value;

/// The selectors as a tree of values, as they were once built: the
/// ones written by hand must be the same text.
fn as_tree(passage: &Passage, range: &std::ops::Range<usize>) -> Value {
    let text = &passage.text;
    let exact = &text[range.clone()];
    let before: Vec<char> = text[..range.start].chars().collect();
    let prefix: String = before[before.len().saturating_sub(CONTEXT_CHARS)..]
        .iter()
        .collect();
    let suffix: String = text[range.end..].chars().take(CONTEXT_CHARS).collect();
    let mut quote = json!({ "type": "TextQuoteSelector", "exact": exact });
    if !prefix.is_empty() {
        quote["prefix"] = json!(prefix);
    }
    if !suffix.is_empty() {
        quote["suffix"] = json!(suffix);
    }
    let start = before.len();
    let end = start + exact.chars().count();
    let place = match passage.number {
        Some(n) => json!({
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3987",
            "value": format!("p{n}"),
            "refinedBy": { "type": "TextPositionSelector", "start": start, "end": end }
        }),
        None => json!({ "type": "TextPositionSelector", "start": start, "end": end }),
    };
    Value::Array(vec![quote, place])
}

const TEXT: &str = "“Quoted” words — with a \"tab\"\there, and ünïcödé letters that run on \
                    well past the thirty-two characters of context either side.";

fn passage(number: Option<u32>) -> Passage {
    Passage {
        kind: if number.is_some() {
            PassageKind::Paragraph
        } else {
            PassageKind::Footnote
        },
        number,
        text: TEXT.to_string(),
        no_terms: Vec::new(),
        line: 1,
    }
}

#[test]
fn selectors_are_written_as_the_tree_serialised() {
    for number in [Some(7), None] {
        let passage = passage(number);
        let bounds: Vec<usize> = (0..=TEXT.len())
            .filter(|&i| TEXT.is_char_boundary(i))
            .collect();
        for (k, &a) in bounds.iter().enumerate() {
            for &b in bounds[k..].iter().step_by(7) {
                let range = a..b;
                let mut ours = String::new();
                push_selectors(&mut ours, &passage, &range);
                assert_eq!(
                    ours,
                    serde_json::to_string(&as_tree(&passage, &range)).unwrap(),
                    "{range:?}"
                );
            }
        }
    }
}

#[test]
fn annotations_are_written_as_the_tree_serialised() {
    let passage = passage(Some(12));
    let range = 12..40;
    let source = "https://example.org/r/texts/a \"b\".html";
    let selector = as_tree(&passage, &range);
    // A note with a source.
    let mut ours = String::new();
    let body = |out: &mut String| {
        push_textual(
            out,
            Some("text/markdown"),
            Some("en"),
            None,
            "A *note*\n\"quoted\"",
        );
        out.push(',');
        push_textual(
            out,
            Some("text/markdown"),
            None,
            Some("describing"),
            "Src\t1",
        );
    };
    let references = [
        "bibliography.html#bib-a".to_string(),
        "bibliography.html#bib-b\"".to_string(),
    ];
    push_annotation(
        &mut ours,
        body,
        &references,
        ("#n-", "n\\1"),
        "commenting",
        (&passage, &range),
        source,
    );
    let tree = json!({
        "type": "Annotation",
        "id": format!("{source}#n-n\\1"),
        "motivation": "commenting",
        "body": [
            { "type": "TextualBody", "value": "A *note*\n\"quoted\"", "format": "text/markdown", "language": "en" },
            { "type": "TextualBody", "value": "Src\t1", "format": "text/markdown", "purpose": "describing" },
        ],
        "dcterms:references": [{ "id": "bibliography.html#bib-a" }, { "id": "bibliography.html#bib-b\"" }],
        "target": { "source": source, "selector": selector },
    });
    assert_eq!(ours, serde_json::to_string(&tree).unwrap());
    // A cross-link with a label.
    let mut ours = String::new();
    let body = |out: &mut String| {
        push_resource(out, "texts/b.html", "#p3");
        out.push(',');
        push_textual(out, None, Some("en"), Some("describing"), "see \"this\"");
    };
    push_annotation(
        &mut ours,
        body,
        &[],
        ("#l-", "l1"),
        "linking",
        (&passage, &range),
        source,
    );
    let tree = json!({
        "type": "Annotation",
        "id": format!("{source}#l-l1"),
        "motivation": "linking",
        "body": [
            { "type": "SpecificResource", "id": "texts/b.html#p3", "purpose": "linking", "source": "texts/b.html" },
            { "type": "TextualBody", "value": "see \"this\"", "language": "en", "purpose": "describing" },
        ],
        "target": { "source": source, "selector": selector },
    });
    assert_eq!(ours, serde_json::to_string(&tree).unwrap());
}
/// A site's annotations through the writer, paged above `limit`: the
/// collection file and the pages it hands back.
fn written(limit: usize) -> (Value, Vec<OutputFile>) {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("site.yaml", "title: Test\nbase_url: https://example.org/ed/\n"),
        ("texts/a.md", "---\ntitle: A\n---\nOne alpha word.\n\nTwo beta words.\n"),
        ("texts/b.md", "---\ntitle: B\n---\nThree gamma words.\n"),
        ("texts/c.md", "---\ntitle: C\n---\nNo notes here.\n"),
        ("texts/d.md", "---\ntitle: D\n---\nFour delta words.\n"),
        ("annotations/a.yaml", "notes:\n  - id: x\n    anchor: alpha\n    body: On alpha.\n  - id: y\n    anchor: beta\n    body: On beta.\n"),
        ("annotations/b.yaml", "notes:\n  - id: z\n    anchor: gamma\n    body: On gamma.\n"),
        ("annotations/d.yaml", "notes:\n  - id: w\n    anchor: delta\n    body: On delta.\nlinks:\n  - id: l\n    anchor: Four\n    to: a#x\n"),
    ];
    for (path, text) in files {
        let p = dir.path().join("content").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let mut report = crate::diagnostics::Report::default();
    let loaded = crate::load::load(dir.path(), &mut report);
    let corpus = crate::parse::parse_corpus(&loaded, &mut report);
    let r = crate::resolve::resolve(&corpus, &mut report);
    assert_eq!(report.errors(), 0, "{report:?}");
    let mut head = Vec::new();
    let mut pages = Vec::new();
    {
        let mut w = AnnotationsWriter::start_paged_above(&r, &mut head, limit).unwrap();
        let base = w.base.clone();
        for ti in 0..r.texts.len() {
            let doc = r.doc(ti).unwrap();
            let items = text_items(&r, ti, &doc, &base);
            pages.extend(w.items(ti, &items).unwrap());
        }
        w.finish().unwrap();
    }
    (serde_json::from_slice(&head).unwrap(), pages)
}

#[test]
fn past_the_limit_each_text_is_a_page_of_the_collection() {
    let (whole, none) = written(PAGED_ABOVE);
    assert!(none.is_empty());
    assert_eq!(whole["total"], 5);
    assert_eq!(whole["first"]["items"].as_array().unwrap().len(), 5);

    let (collection, pages) = written(4);
    assert_eq!(collection["type"], "AnnotationCollection");
    assert_eq!(
        collection["id"],
        "https://example.org/ed/annotations.jsonld"
    );
    assert_eq!(collection["total"], 5);
    assert_eq!(
        collection["first"],
        "https://example.org/ed/annotations/a.jsonld"
    );
    assert_eq!(
        collection["last"],
        "https://example.org/ed/annotations/d.jsonld"
    );
    // Text c has no annotations and so no page: b leads to d.
    let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "annotations/a.jsonld",
            "annotations/b.jsonld",
            "annotations/d.jsonld"
        ]
    );
    let pages: Vec<Value> = pages
        .iter()
        .map(|p| serde_json::from_slice(&p.bytes).unwrap())
        .collect();
    let url = |s: &str| format!("https://example.org/ed/annotations/{s}.jsonld");
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p["type"], "AnnotationPage");
        assert_eq!(p["@context"], CONTEXT);
        assert_eq!(p["partOf"], collection["id"]);
        assert_eq!(p["id"], url(["a", "b", "d"][i]));
    }
    assert_eq!(pages[0]["next"], url("b"));
    assert!(pages[0].get("prev").is_none());
    assert_eq!(pages[1]["prev"], url("a"));
    assert_eq!(pages[1]["next"], url("d"));
    assert!(pages[2].get("next").is_none());
    let starts: Vec<u64> = pages
        .iter()
        .map(|p| p["startIndex"].as_u64().unwrap())
        .collect();
    assert_eq!(starts, [0, 2, 3]);
    // The same annotations as the single page, in the same order.
    let items: Vec<&Value> = pages
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap())
        .collect();
    let all: Vec<&Value> = whole["first"]["items"].as_array().unwrap().iter().collect();
    assert_eq!(items, all);
}
