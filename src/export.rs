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
use serde::Serialize;
use serde_json::json;
use std::io::{self, Write};

const CONTEXT_CHARS: usize = 32;

fn page_url(base: &str, slug: &str) -> String {
    format!("{base}texts/{slug}.html")
}

// The items are serialised from these typed structs straight into their
// line of JSON, never built as a `serde_json::Value` tree first. Their
// fields are in the order of their names (as the tree's sorted maps wrote
// them before), so the file stays byte for byte what it was.

#[derive(Serialize)]
struct Annotation<'a> {
    body: Vec<Body<'a>>,
    id: String,
    motivation: &'static str,
    target: AnnotationTarget<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    Textual(TextualBody<'a>),
    Resource(SpecificResource),
}

#[derive(Serialize)]
struct TextualBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purpose: Option<&'static str>,
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct SpecificResource {
    id: String,
    purpose: &'static str,
    source: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct AnnotationTarget<'a> {
    selector: (QuoteSelector<'a>, PlaceSelector),
    source: &'a str,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    exact: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    prefix: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    suffix: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum PlaceSelector {
    Fragment(FragmentSelector),
    Position(PositionSelector),
}

#[derive(Serialize)]
struct FragmentSelector {
    #[serde(rename = "conformsTo")]
    conforms_to: &'static str,
    #[serde(rename = "refinedBy")]
    refined_by: PositionSelector,
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
}

#[derive(Serialize)]
struct PositionSelector {
    end: usize,
    start: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The selectors of a place: quote with context, and paragraph + position.
fn selectors<'a>(
    passage: &'a crate::document::Passage,
    range: &std::ops::Range<usize>,
) -> (QuoteSelector<'a>, PlaceSelector) {
    let text = &passage.text;
    let exact = &text[range.clone()];
    let before = &text[..range.start];
    let after = &text[range.end..];
    // Up to CONTEXT_CHARS characters either side, cut at character bounds.
    let prefix_at = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let suffix_to = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(after.len(), |(i, _)| i);
    let quote = QuoteSelector {
        exact,
        prefix: &before[prefix_at..],
        suffix: &after[..suffix_to],
        kind: "TextQuoteSelector",
    };
    let start = before.chars().count();
    let position = PositionSelector {
        end: start + exact.chars().count(),
        start,
        kind: "TextPositionSelector",
    };
    let place = match passage.number {
        Some(n) => PlaceSelector::Fragment(FragmentSelector {
            conforms_to: "http://tools.ietf.org/rfc/rfc3987",
            refined_by: position,
            kind: "FragmentSelector",
            value: format!("p{n}"),
        }),
        None => PlaceSelector::Position(position),
    };
    (quote, place)
}

/// The annotations of one text, each serialised on its own (one line of
/// compact JSON), so the whole collection never sits in memory as a tree;
/// `doc` is the text's analysis.
pub fn text_items(r: &Resolved, ti: usize, doc: &Document, base: &str) -> Vec<String> {
    let Some(ann) = r.annotations(ti) else {
        return Vec::new();
    };
    let language = r.corpus.site.language.as_str();
    let at = &r.texts[ti];
    let source = page_url(base, &r.corpus.texts[ti].slug);
    let mut items = Vec::with_capacity(at.notes.len() + at.links.len());
    // Each line is written into one buffer kept across the text's
    // annotations, then copied out at its size, rather than grown by
    // doubling from nothing for every annotation.
    let mut buf = Vec::with_capacity(4096);
    let mut line = |a: &Annotation| {
        buf.clear();
        match serde_json::to_writer(&mut buf, a) {
            Ok(()) => String::from_utf8(buf.clone()).unwrap_or_default(),
            Err(_) => String::new(),
        }
    };
    for n in &at.notes {
        let note = &ann.notes[n.index];
        let passage = &doc.passages[n.place.passage];
        let motivation = match note.kind {
            crate::model::NoteKind::Note => "commenting",
            crate::model::NoteKind::Editorial => "editing",
            crate::model::NoteKind::Translation => "describing",
        };
        let mut body = Vec::with_capacity(1 + note.sources.len());
        body.push(Body::Textual(TextualBody {
            format: Some("text/markdown"),
            language: Some(language),
            purpose: None,
            kind: "TextualBody",
            value: note.body.trim_end(),
        }));
        for s in &note.sources {
            body.push(Body::Textual(TextualBody {
                format: Some("text/markdown"),
                language: None,
                purpose: Some("describing"),
                kind: "TextualBody",
                value: s,
            }));
        }
        items.push(line(&Annotation {
            body,
            id: format!("{source}#n-{}", note.id),
            motivation,
            target: AnnotationTarget {
                selector: selectors(passage, &n.place.range),
                source: &source,
            },
            kind: "Annotation",
        }));
    }
    for l in &at.links {
        let link = &ann.links[l.index];
        let Some(target) = &l.target else { continue };
        let passage = &doc.passages[l.place.passage];
        let target_page = page_url(base, &r.corpus.texts[target.text()].slug);
        let mut body = vec![Body::Resource(SpecificResource {
            id: format!("{target_page}{}", target.fragment()),
            purpose: "linking",
            source: target_page,
            kind: "SpecificResource",
        })];
        if let Some(label) = &link.label {
            body.push(Body::Textual(TextualBody {
                format: None,
                language: Some(language),
                purpose: Some("describing"),
                kind: "TextualBody",
                value: label,
            }));
        }
        items.push(line(&Annotation {
            body,
            id: format!("{source}#l-{}", link.id),
            motivation: "linking",
            target: AnnotationTarget {
                selector: selectors(passage, &l.place.range),
                source: &source,
            },
            kind: "Annotation",
        }));
    }
    items
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Passage, PassageKind};
    use serde_json::Value;

    /// The selectors as a tree of values, as they were once built: the
    /// typed ones must serialise to the same text.
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

    #[test]
    fn typed_selectors_serialise_as_the_tree_did() {
        let text = "“Quoted” words — with a \"tab\"\there, and ünïcödé letters that run on \
                    well past the thirty-two characters of context either side.";
        for number in [Some(7), None] {
            let passage = Passage {
                kind: if number.is_some() {
                    PassageKind::Paragraph
                } else {
                    PassageKind::Footnote
                },
                number,
                text: text.to_string(),
                no_terms: Vec::new(),
                line: 1,
            };
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (k, &a) in bounds.iter().enumerate() {
                for &b in bounds[k..].iter().step_by(7) {
                    let range = a..b;
                    assert_eq!(
                        serde_json::to_string(&selectors(&passage, &range)).unwrap(),
                        serde_json::to_string(&as_tree(&passage, &range)).unwrap(),
                        "{range:?}"
                    );
                }
            }
        }
    }
}
