//! A text's Markdown, analysed once: the event stream of pulldown-cmark plus
//! the *passages* the reader sees. A passage is a numbered block (¶ N: a
//! top-level paragraph, a list item, a paragraph of a block quote, a table, a
//! code block, an HTML block) or an unnumbered heading or footnote. Each
//! passage carries its reader-visible text, and every text event records
//! which byte range of that text it shows, so anchors found in the visible
//! text can be turned back into positions in the event stream.
//!
//! A site keeps the analysis of every text until its pages are written, so
//! the event stream is stored compactly: a text event is only its range of
//! the passage text (the words are stored once, in the passage), and every
//! event is a 16-byte step; only start tags (which carry URLs, heading ids,
//! table alignments) and rare events keep pulldown-cmark's own form.
//! `Document::events` gives the stream back as pulldown-cmark events.

use crate::parse::markdown;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

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
    /// The event stream, one step per event.
    steps: Vec<Step>,
    /// The start tags, in order (`Step::Start` indexes them).
    tags: Vec<Tag<'static>>,
    /// Events that are neither tags, breaks nor passage text.
    others: Vec<Event<'static>>,
}

/// One event of the stream, in 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Start {
        tag: u32,
        role: TagRole,
    },
    End {
        end: TagEnd,
        role: TagRole,
    },
    /// Text (or inline code) showing `start..end` of a passage's text.
    Shows {
        passage: u32,
        start: u32,
        end: u32,
        code: bool,
        in_link: bool,
    },
    SoftBreak,
    HardBreak,
    Other(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagRole {
    Plain,
    Opens(u32),
    Closes(u32),
    Dropped,
}

impl Document {
    /// The number of events in the stream.
    pub fn event_count(&self) -> usize {
        self.steps.len()
    }

    /// The event stream with the role of each event, as the renderer walks
    /// it. Text events borrow their words from the passages.
    pub fn events(&self) -> impl Iterator<Item = (Event<'_>, Role)> + '_ {
        self.steps.iter().map(move |step| match *step {
            Step::Start { tag, role } => {
                (Event::Start(self.tags[tag as usize].clone()), role.into())
            }
            Step::End { end, role } => (Event::End(end), role.into()),
            Step::Shows {
                passage,
                start,
                end,
                code,
                in_link,
            } => {
                let (p, range) = (passage as usize, start as usize..end as usize);
                let words = CowStr::Borrowed(&self.passages[p].text[range.clone()]);
                let ev = if code {
                    Event::Code(words)
                } else {
                    Event::Text(words)
                };
                (
                    ev,
                    Role::Shows {
                        passage: p,
                        range,
                        in_link,
                    },
                )
            }
            Step::SoftBreak => (Event::SoftBreak, Role::Plain),
            Step::HardBreak => (Event::HardBreak, Role::Plain),
            Step::Other(i) => (self.others[i as usize].clone(), Role::Plain),
        })
    }
}

impl From<TagRole> for Role {
    fn from(r: TagRole) -> Role {
        match r {
            TagRole::Plain => Role::Plain,
            TagRole::Opens(p) => Role::Opens(p as usize),
            TagRole::Closes(p) => Role::Closes(p as usize),
            TagRole::Dropped => Role::Dropped,
        }
    }
}

/// Only these URL schemes survive in links and images; everything else
/// (`javascript:`, `data:`, `vbscript:` …) is dropped.
pub fn is_safe_url(url: &str) -> bool {
    let u: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let lower = u.to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            // A colon after a path, query or fragment character is not a scheme.
            if lower[..colon].contains(['/', '?', '#']) {
                return true;
            }
            matches!(&lower[..colon], "http" | "https" | "mailto")
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
    /// A `Step::Shows`; `no_terms` if it also added a range to `no_terms`.
    Shows {
        step: usize,
        no_terms: bool,
    },
    /// An owned text event in `others`.
    Other(usize),
}

/// Offsets and lengths are stored in 32 bits: a text of 4 GB is refused
/// long before (it could not be published as one page either).
fn u32_of(n: usize) -> u32 {
    u32::try_from(n).expect("a text is smaller than 4 GB")
}

pub fn analyse(body: &str) -> Document {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset);

    let mut doc = Document {
        passages: Vec::new(),
        headings: Vec::new(),
        numbered: Vec::new(),
        steps: Vec::with_capacity(body.len() / 16),
        tags: Vec::new(),
        others: Vec::new(),
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
                LastText::Shows { step, no_terms } => {
                    if let Step::Shows { passage, end, .. } = &mut doc.steps[step] {
                        let p = &mut passages[*passage as usize];
                        p.text.push_str(t);
                        *end = u32_of(p.text.len());
                        if no_terms {
                            if let Some(r) = p.no_terms.last_mut() {
                                r.end = p.text.len();
                            }
                        }
                    }
                    continue;
                }
                LastText::Other(i) => {
                    if let Event::Text(prev) = &mut doc.others[i] {
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
                        text: String::new(),
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
                doc.tags.push(tag);
                Step::Start {
                    tag: u32_of(doc.tags.len() - 1),
                    role,
                }
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
                doc.others.push(Event::Text(t.into_static()));
                last_text = LastText::Other(doc.others.len() - 1);
                Step::Other(u32_of(doc.others.len() - 1))
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
                            step: doc.steps.len(),
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
                    // Raw HTML is shown as text, never passed through.
                    doc.others.push(if is_code {
                        Event::Code(t.into_static())
                    } else {
                        Event::Text(t.into_static())
                    });
                    if is_text {
                        last_text = LastText::Other(doc.others.len() - 1);
                    }
                    Step::Other(u32_of(doc.others.len() - 1))
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
            other => {
                doc.others.push(other.into_static());
                Step::Other(u32_of(doc.others.len() - 1))
            }
        };
        doc.steps.push(step);
    }
    doc.steps.shrink_to_fit();
    doc.tags.shrink_to_fit();
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
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JaVaScRiPt:alert(1)"));
        assert!(!is_safe_url("java\tscript:alert(1)"));
        assert!(!is_safe_url("data:text/html,<script>"));
        assert!(is_safe_url("https://example.org/"));
        assert!(is_safe_url("../glossary.html#x"));
        assert!(is_safe_url("#p3"));
        let d = analyse("[click](javascript:alert(1))\n");
        assert!(d.events().filter(|(_, r)| *r == Role::Dropped).count() == 2);
    }

    #[test]
    fn heading_ids_are_unique() {
        let d = analyse("## I.\n\n## I.\n");
        assert_eq!(d.headings[0].id, "h-i");
        assert_eq!(d.headings[1].id, "h-i-2");
    }
}
