//! A text's Markdown, analysed once: the event stream of pulldown-cmark plus
//! the *passages* the reader sees. A passage is a numbered block (¶ N: a
//! top-level paragraph, a list item, a paragraph of a block quote, a table, a
//! code block, an HTML block) or an unnumbered heading or footnote. Each
//! passage carries its reader-visible text, and every text event records
//! which byte range of that text it shows, so anchors found in the visible
//! text can be turned back into positions in the event stream.
//!
//! A site keeps the analysis of every text until its pages are written, so
//! the event stream is stored compactly, as bytes: a text event is only its
//! passage and range of the passage text (the words are stored once, in the
//! passage), a break or a common tag one or two bytes; only the other start
//! tags (which carry URLs, heading ids, table alignments) and rare events
//! keep pulldown-cmark's own form. That is about 4 bytes per event instead
//! of the 80 of a pulldown-cmark event. `Document::events` gives the stream
//! back as pulldown-cmark events.

mod stream;
mod summary;

pub use summary::DocSummary;

use crate::parse::markdown;
use crate::url::is_safe_url;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;
use stream::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassageKind {
    Paragraph,
    Item,
    Table,
    Code,
    Html,
    Heading,
    Footnote,
}

#[derive(Debug, Clone)]
pub struct Passage {
    pub kind: PassageKind,
    /// ¶ number (1-based) for numbered blocks; `None` for headings and footnotes.
    pub number: Option<u32>,
    /// The text as the reader sees it, markup removed.
    pub text: String,
    /// Byte ranges of `text` inside links or code, where glossary terms are not linked.
    pub no_terms: Vec<Range<usize>>,
    /// Line of the body where the passage starts (1-based, within the body).
    pub line: usize,
}

impl Passage {
    /// How a passage is named in messages: "¶ 12" or "the heading \"I.\"".
    pub fn label(&self) -> String {
        match self.number {
            Some(n) => format!("¶ {n}"),
            None if self.kind == PassageKind::Heading => format!("the heading \"{}\"", self.text),
            None => "a footnote".to_string(),
        }
    }
}

/// What the renderer must know about one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Plain,
    /// A text or code event that shows `range` of the visible text of `passage`.
    Shows {
        passage: usize,
        range: Range<usize>,
        in_link: bool,
    },
    /// The start event of a numbered passage.
    Opens(usize),
    /// The end event of a numbered passage.
    Closes(usize),
    /// A link or image whose URL is not safe: dropped with its end event.
    Dropped,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub passages: Vec<Passage>,
    pub headings: Vec<Heading>,
    /// Paragraph number -> passage index.
    pub numbered: Vec<usize>,
    /// The event stream.
    stream: Stream,
}

impl Document {
    /// The number of events in the stream.
    pub fn event_count(&self) -> usize {
        self.stream.count
    }

    /// The event stream with the role of each event, as the renderer walks
    /// it. Text events borrow their words from the passages.
    pub fn events(&self) -> impl Iterator<Item = (Event<'_>, Role)> + '_ {
        Events {
            doc: self,
            pos: 0,
            tag: 0,
            end: 0,
            other: 0,
        }
    }
}

/// `h-` + a slug of the heading text, unique in the page.
fn heading_id(text: &str, used: &mut BTreeMap<String, u32>) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let base = if slug.is_empty() {
        "section".to_string()
    } else {
        slug.to_string()
    };
    let n = used.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        format!("h-{base}")
    } else {
        format!("h-{base}-{n}")
    }
}

/// Where the last text event went, so that adjacent text events (smart
/// punctuation splits text) are merged: a quote must not be split.
#[derive(Clone, Copy)]
enum LastText {
    None,
    /// The pending text event of the stream, showing text of `passage`;
    /// `no_terms` if it also added a range to `no_terms`.
    Shows {
        passage: usize,
        no_terms: bool,
    },
    /// The last owned text event of the stream.
    Other,
}

/// Offsets and lengths are stored in 32 bits: a text of 4 GB is refused
/// long before (it could not be published as one page either).
fn u32_of(n: usize) -> u32 {
    u32::try_from(n).expect("a text is smaller than 4 GB")
}

/// The number of line breaks in `bytes`, counted eight bytes at a time (a
/// test of each byte was about 2.4 instructions a byte of every text).
fn newlines(bytes: &[u8]) -> usize {
    const LOW7: u64 = u64::from_le_bytes([0x7f; 8]);
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0;
    for chunk in &mut chunks {
        let x =
            u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ (ONES * u64::from(b'\n'));
        // The high bit of each byte of `x` that is not zero (exact: no
        // carry crosses a byte), so the line breaks are where it is clear.
        let nonzero = ((x & LOW7).wrapping_add(LOW7) | x) & !LOW7;
        // One bit per line break, summed into the top byte.
        n += ((!nonzero & !LOW7) >> 7).wrapping_mul(ONES) >> 56;
    }
    n as usize + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

pub fn analyse(body: &str) -> Document {
    // Passages start in order, so each one's line is counted on from the
    // last one's (a count of newlines, not a table of every line's start).
    let mut counted = (0usize, 1usize);
    let mut line_of = |offset: usize| {
        let (from, line) = if offset >= counted.0 { counted } else { (0, 1) };
        counted = (offset, line + newlines(&body.as_bytes()[from..offset]));
        counted.1
    };

    let mut doc = Document {
        passages: Vec::new(),
        headings: Vec::new(),
        numbered: Vec::new(),
        stream: Stream {
            bytes: Vec::with_capacity(body.len() / 8),
            ..Stream::default()
        },
    };
    let passages = &mut doc.passages;
    let mut used_ids = BTreeMap::new();
    // Per open tag: the passage it opened, or `DROPPED` for a dropped link.
    const DROPPED: usize = usize::MAX;
    let mut open: Vec<Option<usize>> = Vec::new();
    // The stack of open passages.
    let mut current: Vec<usize> = Vec::new();
    let mut link_depth = 0usize;
    let mut image_depth = 0usize;
    let mut heading_start: Option<usize> = None;
    let mut last_text = LastText::None;

    for (ev, range) in markdown::parser(body).into_offset_iter() {
        if let Event::Text(t) = &ev {
            match last_text {
                LastText::Shows { passage, no_terms } => {
                    let p = &mut passages[passage];
                    p.text.push_str(t);
                    doc.stream.extend_text(u32_of(p.text.len()));
                    if no_terms {
                        if let Some(r) = p.no_terms.last_mut() {
                            r.end = p.text.len();
                        }
                    }
                    continue;
                }
                LastText::Other => {
                    if let Some(Event::Text(prev)) = doc.stream.others.last_mut() {
                        let mut joined =
                            std::mem::replace(prev, CowStr::Borrowed("")).into_string();
                        joined.push_str(t);
                        *prev = CowStr::from(joined);
                    }
                    continue;
                }
                LastText::None => {}
            }
        }
        last_text = LastText::None;
        let offset = range.start;
        let step = match ev {
            Event::Start(tag) => {
                let no_passage = current.is_empty();
                let inner_is_item = current
                    .last()
                    .is_some_and(|&p| passages[p].kind == PassageKind::Item);
                let new_kind = match &tag {
                    Tag::Paragraph if no_passage => Some(PassageKind::Paragraph),
                    Tag::Item if no_passage || inner_is_item => Some(PassageKind::Item),
                    Tag::Table(_) if no_passage => Some(PassageKind::Table),
                    Tag::CodeBlock(_) if no_passage => Some(PassageKind::Code),
                    Tag::HtmlBlock if no_passage => Some(PassageKind::Html),
                    Tag::Heading { .. } if no_passage => Some(PassageKind::Heading),
                    Tag::FootnoteDefinition(_) => Some(PassageKind::Footnote),
                    _ => None,
                };
                let mut tag = tag.into_static();
                let mut role = TagRole::Plain;
                let mut passage = None;
                if let Some(kind) = new_kind {
                    let number = match kind {
                        PassageKind::Heading | PassageKind::Footnote => None,
                        _ => {
                            doc.numbered.push(passages.len());
                            Some(doc.numbered.len() as u32)
                        }
                    };
                    passages.push(Passage {
                        kind,
                        number,
                        // The visible text is seldom longer than its source:
                        // room for that, given back when the passage closes.
                        text: String::with_capacity(range.end - range.start),
                        no_terms: Vec::new(),
                        line: line_of(offset),
                    });
                    let p = passages.len() - 1;
                    current.push(p);
                    passage = Some(p);
                    if number.is_some() {
                        role = TagRole::Opens(u32_of(p));
                    }
                }
                match &mut tag {
                    Tag::Heading { .. } => {
                        heading_start = current.last().map(|&p| passages[p].text.len());
                    }
                    Tag::Link { dest_url, .. } => {
                        if is_safe_url(dest_url) {
                            link_depth += 1;
                        } else {
                            role = TagRole::Dropped;
                        }
                    }
                    Tag::Image { dest_url, .. } => {
                        image_depth += 1;
                        if !is_safe_url(dest_url) {
                            *dest_url = CowStr::Borrowed("");
                        }
                    }
                    _ => {}
                }
                open.push(if role == TagRole::Dropped {
                    Some(DROPPED)
                } else {
                    passage
                });
                Step::Start { tag, role }
            }
            Event::End(end) => {
                let o = open.pop().flatten();
                let mut role = TagRole::Plain;
                match end {
                    TagEnd::Link => {
                        if o == Some(DROPPED) {
                            role = TagRole::Dropped;
                        } else {
                            link_depth = link_depth.saturating_sub(1);
                        }
                    }
                    TagEnd::Image => image_depth = image_depth.saturating_sub(1),
                    TagEnd::Heading(level) => {
                        if let (Some(&p), Some(start)) = (current.last(), heading_start.take()) {
                            let text = passages[p].text[start..].trim().to_string();
                            let id = heading_id(&text, &mut used_ids);
                            doc.headings.push(Heading {
                                level: heading_level(level),
                                id,
                                text,
                            });
                        }
                    }
                    _ => {}
                }
                if let Some(p) = o.filter(|&p| p != DROPPED) {
                    current.pop();
                    // Nothing is added to a closed passage: give back the
                    // room its text grew into.
                    passages[p].text.shrink_to_fit();
                    if passages[p].number.is_some() {
                        role = TagRole::Closes(u32_of(p));
                    }
                } else if let Some(&p) = current.last() {
                    // A block ending inside a passage (a cell, a paragraph of
                    // a list item) separates words.
                    if matches!(
                        end,
                        TagEnd::Paragraph
                            | TagEnd::TableCell
                            | TagEnd::Heading(_)
                            | TagEnd::CodeBlock
                            | TagEnd::BlockQuote(_)
                    ) && !passages[p].text.ends_with(' ')
                    {
                        passages[p].text.push(' ');
                    }
                }
                Step::End { end, role }
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t)
                if image_depth > 0 =>
            {
                last_text = LastText::Other;
                Step::Other(Event::Text(t.into_static()))
            }
            e @ (Event::Text(_) | Event::Code(_) | Event::Html(_) | Event::InlineHtml(_)) => {
                let is_code = matches!(e, Event::Code(_));
                let is_text = matches!(e, Event::Text(_));
                let t = match e {
                    Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => t,
                    _ => unreachable!(),
                };
                if let Some(&p) = current.last() {
                    let start = passages[p].text.len();
                    passages[p].text.push_str(&t);
                    let range = start..passages[p].text.len();
                    let no_terms =
                        is_code || link_depth > 0 || passages[p].kind == PassageKind::Code;
                    if no_terms {
                        passages[p].no_terms.push(range.clone());
                    }
                    if is_text {
                        last_text = LastText::Shows {
                            passage: p,
                            no_terms,
                        };
                    }
                    Step::Shows {
                        passage: u32_of(p),
                        start: u32_of(range.start),
                        end: u32_of(range.end),
                        code: is_code,
                        in_link: link_depth > 0,
                    }
                } else {
                    if is_text {
                        last_text = LastText::Other;
                    }
                    // Raw HTML is shown as text, never passed through.
                    Step::Other(if is_code {
                        Event::Code(t.into_static())
                    } else {
                        Event::Text(t.into_static())
                    })
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(&p) = current.last() {
                    passages[p].text.push(' ');
                }
                if matches!(ev, Event::SoftBreak) {
                    Step::SoftBreak
                } else {
                    Step::HardBreak
                }
            }
            other => Step::Other(other.into_static()),
        };
        doc.stream.push(step);
    }
    doc.stream.finish();
    for p in passages.iter_mut() {
        p.text.shrink_to_fit();
        p.no_terms.shrink_to_fit();
    }
    doc
}

fn heading_level(l: HeadingLevel) -> u8 {
    l as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered_texts(md: &str) -> Vec<String> {
        let d = analyse(md);
        d.numbered
            .iter()
            .map(|&p| d.passages[p].text.trim().to_string())
            .collect()
    }

    #[test]
    fn paragraphs_items_and_quotes_are_numbered_headings_are_not() {
        let md = "# Title\n\nFirst *para*.\n\n- item one\n- item two\n  - nested\n\n> quoted one\n>\n> quoted two\n\n| a | b |\n|---|---|\n| c | d |\n";
        let t = numbered_texts(md);
        assert_eq!(
            t,
            vec![
                "First para.",
                "item one",
                "item two",
                "nested",
                "quoted one",
                "quoted two",
                "a b c d"
            ]
        );
        let d = analyse(md);
        assert_eq!(d.headings[0].id, "h-title");
    }

    #[test]
    fn raw_html_is_kept_as_text() {
        let d = analyse("Hello <script>alert(1)</script> world\n");
        assert!(d
            .events()
            .all(|(e, _)| !matches!(e, Event::Html(_) | Event::InlineHtml(_))));
        assert!(d.passages[0].text.contains("<script>"));
    }

    #[test]
    fn unsafe_link_urls_are_dropped() {
        let d = analyse("[click](javascript:alert(1))\n");
        assert!(d.events().filter(|(_, r)| *r == Role::Dropped).count() == 2);
    }

    #[test]
    fn line_breaks_are_counted_as_one_by_one() {
        let mut rng = crate::testing::Rng::new(0x9e37_79b9_7f4a_7c15);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| *rng.pick(&[b'\n', b'a', 0x0b, 0x8a, 0x0a ^ 0x80, 0xff, 0]))
                .collect();
            let expected = bytes.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(newlines(&bytes), expected, "{bytes:?}");
        }
        assert_eq!(newlines(&[b'\n'; 64]), 64);
    }

    #[test]
    fn heading_ids_are_unique() {
        let d = analyse("## I.\n\n## I.\n");
        assert_eq!(d.headings[0].id, "h-i");
        assert_eq!(d.headings[1].id, "h-i-2");
    }
}
