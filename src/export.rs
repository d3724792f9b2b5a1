//! `annotations.jsonld`: every note and cross-link of the site as a W3C Web
//! Annotation (https://www.w3.org/TR/annotation-model/), so annotation tools
//! and reference managers can read the edition's apparatus.
//!
//! Each annotation targets its reader page with a `TextQuoteSelector` (the
//! quoted words as the reader sees them, with up to 32 characters of prefix
//! and suffix) and a `FragmentSelector` for its paragraph (`p12`), refined by
//! a `TextPositionSelector` that counts Unicode code points within that
//! paragraph's visible text. A note that cites works of the bibliography
//! names them as `dcterms:references` (a term the annotation context's
//! `dcterms:` prefix gives), each by its entry on `bibliography.html`. URLs
//! are absolute when the site has a `base_url`, and relative to the site
//! root otherwise.
//!
//! Up to [`PAGED_ABOVE`] annotations the collection holds them all in its
//! one page (`first`). Above, `annotations.jsonld` stays at its address but
//! holds only the collection (`total`, `first`, `last`), and each text's
//! annotations are an `AnnotationPage` of their own,
//! `annotations/<slug>.jsonld`, linked to the next and previous with
//! `next`/`prev` and to the collection with `partOf`: the paging of the
//! annotation model itself, so a client follows it without knowing
//! Scholion, and loads one text's annotations at a time (at 10,000 texts
//! the single file was 283 MB).

use crate::bibliography::{anchor_id, cite};
use crate::document::Document;
use crate::json;
use crate::output::OutputFile;
use crate::resolve::Resolved;
use serde_json::json;
use std::io::{self, Write};

const CONTEXT_CHARS: usize = 32;

/// Above this many annotations (some 5 MB of JSON), `annotations.jsonld`
/// is paged, one `AnnotationPage` per text (see the module's notes).
pub const PAGED_ABOVE: usize = 5_000;

const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

fn page_url(base: &str, slug: &str) -> String {
    format!("{base}texts/{slug}.html")
}

// The items are written as JSON by hand, straight into their line, never
// through serde_json's serialiser, whose string escaping looks at every byte
// on its own (half of the time this file took); `crate::json` escapes eight
// bytes at a time and the same way, byte for byte. The fields of every
// object are in the order of their names, as the sorted maps of the
// `serde_json::Value` trees that once made the file wrote them, so the file
// stays byte for byte what it was; the tests below check the shapes against
// such trees.

/// A JSON string literal of the parts of `parts` joined, appended to
/// `out` (escaping the parts one by one escapes their concatenation).
fn push_joined(out: &mut String, parts: &[&str]) {
    out.push('"');
    for p in parts {
        json::push_escaped(out, p);
    }
    out.push('"');
}

/// `,"key":` (or without the comma for the first field of an object).
fn key(out: &mut String, first: bool, key: &str) {
    if !first {
        out.push(',');
    }
    out.push('"');
    out.push_str(key);
    out.push_str("\":");
}

/// A `TextualBody`: its optional fields only when given.
fn push_textual(
    out: &mut String,
    format: Option<&str>,
    language: Option<&str>,
    purpose: Option<&str>,
    value: &str,
) {
    out.push('{');
    let mut first = true;
    for (name, v) in [
        ("format", format),
        ("language", language),
        ("purpose", purpose),
    ] {
        if let Some(v) = v {
            key(out, first, name);
            json::push_str(out, v);
            first = false;
        }
    }
    key(out, first, "type");
    out.push_str("\"TextualBody\"");
    key(out, false, "value");
    json::push_str(out, value);
    out.push('}');
}

/// A `SpecificResource` that a cross-link's body is: the target page and
/// fragment.
fn push_resource(out: &mut String, page: &str, fragment: &str) {
    out.push_str("{\"id\":");
    push_joined(out, &[page, fragment]);
    out.push_str(",\"purpose\":\"linking\",\"source\":");
    json::push_str(out, page);
    out.push_str(",\"type\":\"SpecificResource\"}");
}

/// `{"end":…,"start":…,"type":"TextPositionSelector"}`.
fn push_position(out: &mut String, start: usize, end: usize) {
    out.push_str("{\"end\":");
    json::push_number(out, end);
    out.push_str(",\"start\":");
    json::push_number(out, start);
    out.push_str(",\"type\":\"TextPositionSelector\"}");
}

/// The selectors of a place, as a JSON array: quote with context, and
/// paragraph + position (or the position alone outside numbered blocks).
fn push_selectors(
    out: &mut String,
    passage: &crate::document::Passage,
    range: &std::ops::Range<usize>,
) {
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
    let (prefix, suffix) = (&before[prefix_at..], &after[..suffix_to]);
    out.push_str("[{\"exact\":");
    json::push_str(out, exact);
    if !prefix.is_empty() {
        out.push_str(",\"prefix\":");
        json::push_str(out, prefix);
    }
    if !suffix.is_empty() {
        out.push_str(",\"suffix\":");
        json::push_str(out, suffix);
    }
    out.push_str(",\"type\":\"TextQuoteSelector\"},");
    let start = before.chars().count();
    let end = start + exact.chars().count();
    match passage.number {
        Some(n) => {
            out.push_str("{\"conformsTo\":\"http://tools.ietf.org/rfc/rfc3987\",\"refinedBy\":");
            push_position(out, start, end);
            out.push_str(",\"type\":\"FragmentSelector\",\"value\":\"p");
            json::push_number(out, n as usize);
            out.push_str("\"}");
        }
        None => push_position(out, start, end),
    }
    out.push(']');
}

/// One annotation, its bodies written by `body` (as the inside of the
/// array), the works it cites (their addresses), its id
/// `source#id_kind-id`.
fn push_annotation(
    out: &mut String,
    body: impl FnOnce(&mut String),
    references: &[String],
    id: (&str, &str),
    motivation: &str,
    place: (&crate::document::Passage, &std::ops::Range<usize>),
    source: &str,
) {
    out.push_str("{\"body\":[");
    body(out);
    out.push(']');
    if !references.is_empty() {
        out.push_str(",\"dcterms:references\":[");
        for (i, r) in references.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"id\":");
            json::push_str(out, r);
            out.push('}');
        }
        out.push(']');
    }
    out.push_str(",\"id\":");
    push_joined(out, &[source, id.0, id.1]);
    out.push_str(",\"motivation\":");
    json::push_str(out, motivation);
    out.push_str(",\"target\":{\"selector\":");
    push_selectors(out, place.0, place.1);
    out.push_str(",\"source\":");
    json::push_str(out, source);
    out.push_str("},\"type\":\"Annotation\"}");
}

/// The annotations of one text, each on its own line of compact JSON, so
/// the whole collection never sits in memory as a tree; `doc` is the
/// text's analysis.
pub fn text_items(r: &Resolved, ti: usize, doc: &Document, base: &str) -> Vec<String> {
    let Some(ann) = r.annotations(ti) else {
        return Vec::new();
    };
    let language = r.corpus.site.language.as_str();
    let bib = &r.corpus.bibliography;
    let at = &r.texts[ti];
    let source = page_url(base, &r.corpus.texts[ti].slug);
    let mut items = Vec::with_capacity(at.notes.len() + at.links.len());
    // Each line is written into one buffer kept across the text's
    // annotations, then copied out at its size, rather than grown by
    // doubling from nothing for every annotation.
    let mut buf = String::with_capacity(4096);
    let bodies = ann.bodies();
    for n in &at.notes {
        let note = &ann.notes[n.index];
        let note_body = &bodies[n.index];
        let passage = &doc.passages[n.place.passage];
        let motivation = match note.kind {
            crate::model::NoteKind::Note => "commenting",
            crate::model::NoteKind::Editorial => "editing",
            crate::model::NoteKind::Translation => "describing",
        };
        buf.clear();
        let body = |out: &mut String| {
            let markdown = Some("text/markdown");
            push_textual(out, markdown, Some(language), None, note_body.trim_end());
            for s in &note.sources {
                out.push(',');
                push_textual(out, markdown, None, Some("describing"), s);
            }
        };
        let place = (passage, &n.place.range);
        let references: Vec<String> = cite::cited(bib, note_body, &note.sources)
            .into_iter()
            .map(|k| format!("{base}bibliography.html#{}", anchor_id(k)))
            .collect();
        push_annotation(
            &mut buf,
            body,
            &references,
            ("#n-", &note.id),
            motivation,
            place,
            &source,
        );
        items.push(buf.clone());
    }
    for l in &at.links {
        let link = &ann.links[l.index];
        let Some(target) = &l.target else { continue };
        let passage = &doc.passages[l.place.passage];
        let target_page = page_url(base, &r.corpus.texts[target.text()].slug);
        buf.clear();
        let body = |out: &mut String| {
            push_resource(out, &target_page, &target.fragment());
            if let Some(label) = &link.label {
                out.push(',');
                push_textual(out, None, Some(language), Some("describing"), label);
            }
        };
        let place = (passage, &l.place.range);
        let no_references = &[];
        push_annotation(
            &mut buf,
            body,
            no_references,
            ("#l-", &link.id),
            "linking",
            place,
            &source,
        );
        items.push(buf.clone());
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
    /// Set when the collection is paged: per text, how many annotations
    /// it has, and the texts that have some, in order.
    paged: Option<Paging>,
}

struct Paging {
    counts: Vec<usize>,
    texts: Vec<usize>,
    slugs: Vec<String>,
    /// How many annotations the pages before the next one hold.
    start: usize,
}

/// The address of text `slug`'s page of annotations.
fn page_file(slug: &str) -> String {
    format!("annotations/{slug}.jsonld")
}

impl<'w> AnnotationsWriter<'w> {
    /// Writes the head of the collection.
    pub fn start(r: &Resolved, w: &'w mut (dyn Write + Send)) -> io::Result<Self> {
        Self::start_paged_above(r, w, PAGED_ABOVE)
    }

    /// [`AnnotationsWriter::start`], paged above `limit` annotations.
    pub fn start_paged_above(
        r: &Resolved,
        w: &'w mut (dyn Write + Send),
        limit: usize,
    ) -> io::Result<Self> {
        let base = r.corpus.site.base().unwrap_or_default();
        // As many as `text_items` makes: every anchored note, every link
        // that found its target.
        let counts: Vec<usize> = (0..r.texts.len())
            .map(|ti| {
                if r.annotations(ti).is_none() {
                    return 0;
                }
                let at = &r.texts[ti];
                at.notes.len() + at.links.iter().filter(|l| l.target.is_some()).count()
            })
            .collect();
        let total: usize = counts.iter().sum();
        let mut head = json!({
            "@context": CONTEXT,
            "id": format!("{base}annotations.jsonld"),
            "type": "AnnotationCollection",
            "label": r.corpus.site.title,
            "total": total,
        });
        let texts: Vec<usize> = (0..counts.len()).filter(|&ti| counts[ti] > 0).collect();
        let paged = (total > limit && !texts.is_empty()).then(|| {
            let slugs = r.corpus.texts.iter().map(|t| t.slug.clone()).collect();
            Paging {
                counts,
                texts,
                slugs,
                start: 0,
            }
        });
        match &paged {
            Some(p) => {
                let first = &p.slugs[p.texts[0]];
                let last = &p.slugs[*p.texts.last().expect("not empty")];
                head["first"] = format!("{base}{}", page_file(first)).into();
                head["last"] = format!("{base}{}", page_file(last)).into();
                let mut head = serde_json::to_string(&head).unwrap_or_default();
                head.push('\n');
                w.write_all(head.as_bytes())?;
            }
            None => {
                let mut head = serde_json::to_string(&head).unwrap_or_default();
                head.pop(); // the closing brace: `first` follows
                head.push_str(
                    ",\n\"first\":{\"type\":\"AnnotationPage\",\"startIndex\":0,\"items\":[\n",
                );
                w.write_all(head.as_bytes())?;
            }
        }
        Ok(AnnotationsWriter {
            w,
            base,
            first: true,
            paged,
        })
    }

    /// Writes the items of the next text, `ti`; when the collection is
    /// paged, returns instead the text's page of them to be written
    /// (`annotations/<slug>.jsonld`), or nothing for a text without any.
    pub fn items(&mut self, ti: usize, items: &[String]) -> io::Result<Option<OutputFile>> {
        let base = &self.base;
        if let Some(p) = &mut self.paged {
            if p.counts[ti] == 0 {
                return Ok(None);
            }
            let at = p.texts.binary_search(&ti).unwrap_or(0);
            let url = |i: usize| format!("{base}{}", page_file(&p.slugs[p.texts[i]]));
            let mut out =
                String::with_capacity(items.iter().map(|i| i.len() + 2).sum::<usize>() + 512);
            out.push_str("{\"@context\":");
            json::push_str(&mut out, CONTEXT);
            out.push_str(",\"id\":");
            json::push_str(&mut out, &url(at));
            out.push_str(",\"type\":\"AnnotationPage\",\"partOf\":");
            json::push_str(&mut out, &format!("{base}annotations.jsonld"));
            out.push_str(",\"startIndex\":");
            json::push_number(&mut out, p.start);
            if at > 0 {
                out.push_str(",\"prev\":");
                json::push_str(&mut out, &url(at - 1));
            }
            if at + 1 < p.texts.len() {
                out.push_str(",\"next\":");
                json::push_str(&mut out, &url(at + 1));
            }
            out.push_str(",\n\"items\":[\n");
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(",\n");
                }
                out.push_str(item);
            }
            out.push_str("\n]}\n");
            p.start += p.counts[ti];
            return Ok(Some(OutputFile {
                path: page_file(&p.slugs[ti]),
                bytes: out.into_bytes(),
            }));
        }
        for item in items {
            if !self.first {
                self.w.write_all(b",\n")?;
            }
            self.first = false;
            self.w.write_all(item.as_bytes())?;
        }
        Ok(None)
    }

    /// Closes the collection.
    pub fn finish(self) -> io::Result<()> {
        match self.paged {
            Some(_) => Ok(()),
            None => self.w.write_all(b"\n]}}\n"),
        }
    }
}

#[cfg(test)]
mod tests;
