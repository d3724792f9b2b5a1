//! `annotations.jsonld`: every note and cross-link of the site as a W3C Web
//! Annotation (https://www.w3.org/TR/annotation-model/), so annotation tools
//! and reference managers can read the edition's apparatus.
//!
//! Each annotation targets its reader page with a `TextQuoteSelector` (the
//! quoted words as the reader sees them, with up to 32 characters of prefix
//! and suffix) and a `FragmentSelector` for its paragraph (`p12`), refined by
//! a `TextPositionSelector` that counts Unicode code points within that
//! paragraph's visible text. URLs are absolute when the site has a
//! `base_url`, and relative to the site root otherwise.

use crate::document::Document;
use crate::resolve::Resolved;
use serde_json::{json, Value};
use std::io::{self, Write};

const CONTEXT_CHARS: usize = 32;

fn page_url(base: &str, slug: &str) -> String {
    format!("{base}texts/{slug}.html")
}

/// The selectors of a place: quote with context, and paragraph + position.
fn selectors(passage: &crate::document::Passage, range: &std::ops::Range<usize>) -> Value {
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
    let mut list = vec![quote];
    if let Some(n) = passage.number {
        list.push(json!({
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3987",
            "value": format!("p{n}"),
            "refinedBy": { "type": "TextPositionSelector", "start": start, "end": end }
        }));
    } else {
        list.push(json!({ "type": "TextPositionSelector", "start": start, "end": end }));
    }
    Value::Array(list)
}

/// The annotations of one text, each serialised on its own (one line of
/// compact JSON), so the whole collection never sits in memory as a tree;
/// `doc` is the text's analysis.
pub fn text_items(r: &Resolved, ti: usize, doc: &Document, base: &str) -> Vec<String> {
    let Some(ann) = r.annotations(ti) else {
        return Vec::new();
    };
    let language = &r.corpus.site.language;
    let at = &r.texts[ti];
    let source = page_url(base, &r.corpus.texts[ti].slug);
    let mut items = Vec::with_capacity(at.notes.len() + at.links.len());
    for n in &at.notes {
        let note = &ann.notes[n.index];
        let passage = &doc.passages[n.place.passage];
        let motivation = match note.kind {
            crate::model::NoteKind::Note => "commenting",
            crate::model::NoteKind::Editorial => "editing",
            crate::model::NoteKind::Translation => "describing",
        };
        let mut body = vec![
            json!({ "type": "TextualBody", "value": note.body.trim_end(), "format": "text/markdown", "language": language }),
        ];
        for s in &note.sources {
            body.push(json!({ "type": "TextualBody", "value": s, "format": "text/markdown", "purpose": "describing" }));
        }
        items.push(json!({
            "id": format!("{source}#n-{}", note.id),
            "type": "Annotation",
            "motivation": motivation,
            "body": body,
            "target": { "source": source, "selector": selectors(passage, &n.place.range) }
        }));
    }
    for l in &at.links {
        let link = &ann.links[l.index];
        let Some(target) = &l.target else { continue };
        let passage = &doc.passages[l.place.passage];
        let target_slug = &r.corpus.texts[target.text()].slug;
        let target_url = format!("{}{}", page_url(base, target_slug), target.fragment());
        let mut body = vec![
            json!({ "id": target_url, "type": "SpecificResource", "purpose": "linking", "source": page_url(base, target_slug) }),
        ];
        if let Some(label) = &link.label {
            body.push(json!({ "type": "TextualBody", "value": label, "purpose": "describing", "language": language }));
        }
        items.push(json!({
            "id": format!("{source}#l-{}", link.id),
            "type": "Annotation",
            "motivation": "linking",
            "body": body,
            "target": { "source": source, "selector": selectors(passage, &l.place.range) }
        }));
    }
    items
        .iter()
        .map(|v| serde_json::to_string(v).unwrap_or_default())
        .collect()
}

/// `annotations.jsonld` written text by text, for a caller that has each
/// text's analysis in hand: [`AnnotationsWriter::start`], the items of
/// every text in text order ([`text_items`]), then
/// [`AnnotationsWriter::finish`].
pub struct AnnotationsWriter<'w> {
    w: &'w mut (dyn Write + Send),
    /// The site's address, which the items' ids start with.
    pub base: String,
    first: bool,
}

impl<'w> AnnotationsWriter<'w> {
    /// Writes the head of the collection.
    pub fn start(r: &Resolved, w: &'w mut (dyn Write + Send)) -> io::Result<Self> {
        let base = r.corpus.site.base().unwrap_or_default();
        // As many as `text_items` makes: every anchored note, every link
        // that found its target.
        let total: usize = (0..r.texts.len())
            .filter(|&ti| r.annotations(ti).is_some())
            .map(|ti| {
                let at = &r.texts[ti];
                at.notes.len() + at.links.iter().filter(|l| l.target.is_some()).count()
            })
            .sum();
        let head = json!({
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": format!("{base}annotations.jsonld"),
            "type": "AnnotationCollection",
            "label": r.corpus.site.title,
            "total": total,
        });
        let mut head = serde_json::to_string(&head).unwrap_or_default();
        head.pop(); // the closing brace: `first` follows
        head.push_str(",\n\"first\":{\"type\":\"AnnotationPage\",\"startIndex\":0,\"items\":[\n");
        w.write_all(head.as_bytes())?;
        Ok(AnnotationsWriter {
            w,
            base,
            first: true,
        })
    }

    /// Writes the items of the next text.
    pub fn items(&mut self, items: &[String]) -> io::Result<()> {
        for item in items {
            if !self.first {
                self.w.write_all(b",\n")?;
            }
            self.first = false;
            self.w.write_all(item.as_bytes())?;
        }
        Ok(())
    }

    /// Closes the collection.
    pub fn finish(self) -> io::Result<()> {
        self.w.write_all(b"\n]}}\n")
    }
}
