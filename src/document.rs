//! A text's Markdown, analysed once: the event stream of pulldown-cmark plus
//! the *passages* the reader sees. A passage is a numbered block (¶ N: a
//! top-level paragraph, a list item, a paragraph of a block quote, a table, a
//! code block, an HTML block) or an unnumbered heading or footnote. Each
//! passage carries its reader-visible text, and every text event records
//! which byte range of that text it shows, so anchors found in the visible
//! text can be turned back into positions in the event stream.

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
    pub events: Vec<Event<'static>>,
    pub roles: Vec<Role>,
    pub passages: Vec<Passage>,
    pub headings: Vec<Heading>,
    /// Paragraph number -> passage index.
    pub numbered: Vec<usize>,
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

/// An open tag: the passage it opened, or `usize::MAX` for a dropped link.
struct Open {
    passage: Option<usize>,
}

pub fn analyse(body: &str) -> Document {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset);

    let mut events = Vec::new();
    let mut roles = Vec::new();
    let mut passages: Vec<Passage> = Vec::new();
    let mut headings = Vec::new();
    let mut numbered = Vec::new();
    let mut used_ids = BTreeMap::new();
    // The stack of open tags, and the stack of open passages within it.
    let mut open: Vec<Open> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut link_depth = 0usize;
    let mut image_depth = 0usize;
    let mut heading_start: Option<usize> = None;

    for (ev, offset) in merge_text(body) {
        let mut role = Role::Plain;
        let ev: Event<'static> = match ev {
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
                let mut passage = None;
                if let Some(kind) = new_kind {
                    let number = match kind {
                        PassageKind::Heading | PassageKind::Footnote => None,
                        _ => {
                            numbered.push(passages.len());
                            Some(numbered.len() as u32)
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
                        role = Role::Opens(p);
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
                            role = Role::Dropped;
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
                let dropped = role == Role::Dropped;
                open.push(Open {
                    passage: if dropped { Some(usize::MAX) } else { passage },
                });
                Event::Start(tag)
            }
            Event::End(end) => {
                let o = open.pop();
                match end {
                    TagEnd::Link => {
                        if o.as_ref().is_some_and(|o| o.passage == Some(usize::MAX)) {
                            role = Role::Dropped;
                        } else {
                            link_depth = link_depth.saturating_sub(1);
                        }
                    }
                    TagEnd::Image => image_depth = image_depth.saturating_sub(1),
                    TagEnd::Heading(level) => {
                        if let (Some(&p), Some(start)) = (current.last(), heading_start.take()) {
                            let text = passages[p].text[start..].trim().to_string();
                            let id = heading_id(&text, &mut used_ids);
                            headings.push(Heading {
                                level: heading_level(level),
                                id,
                                text,
                            });
                        }
                    }
                    _ => {}
                }
                let closes = o
                    .as_ref()
                    .and_then(|o| o.passage)
                    .filter(|&p| p != usize::MAX);
                if let Some(p) = closes {
                    current.pop();
                    if passages[p].number.is_some() {
                        role = Role::Closes(p);
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
                Event::End(end)
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t)
                if image_depth > 0 =>
            {
                Event::Text(t.into_static())
            }
            e @ (Event::Text(_) | Event::Code(_) | Event::Html(_) | Event::InlineHtml(_)) => {
                let is_code = matches!(e, Event::Code(_));
                let t = match e {
                    Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => t,
                    _ => unreachable!(),
                };
                if let Some(&p) = current.last() {
                    let start = passages[p].text.len();
                    passages[p].text.push_str(&t);
                    let range = start..passages[p].text.len();
                    if is_code || link_depth > 0 || passages[p].kind == PassageKind::Code {
                        passages[p].no_terms.push(range.clone());
                    }
                    role = Role::Shows {
                        passage: p,
                        range,
                        in_link: link_depth > 0,
                    };
                }
                if is_code {
                    Event::Code(t.into_static())
                } else {
                    // Raw HTML is shown as text, never passed through.
                    Event::Text(t.into_static())
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(&p) = current.last() {
                    passages[p].text.push(' ');
                }
                ev_static(ev)
            }
            other => ev_static(other),
        };
        events.push(ev);
        roles.push(role);
    }
    Document {
        events,
        roles,
        passages,
        headings,
        numbered,
    }
}

/// The parser's events with their start offsets, adjacent text events
/// merged (smart punctuation splits text, and a quote must not be split).
fn merge_text(body: &str) -> Vec<(Event<'_>, usize)> {
    let mut out: Vec<(Event<'_>, usize)> = Vec::new();
    let mut pending: Option<(String, usize)> = None;
    for (e, r) in markdown::parser(body).into_offset_iter() {
        match e {
            Event::Text(t) => match &mut pending {
                Some((s, _)) => s.push_str(&t),
                None => pending = Some((t.into_string(), r.start)),
            },
            other => {
                if let Some((s, o)) = pending.take() {
                    out.push((Event::Text(CowStr::from(s)), o));
                }
                out.push((other, r.start));
            }
        }
    }
    if let Some((s, o)) = pending {
        out.push((Event::Text(CowStr::from(s)), o));
    }
    out
}

fn ev_static(e: Event<'_>) -> Event<'static> {
    e.into_static()
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
            .events
            .iter()
            .all(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_))));
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
        assert!(d.roles.iter().filter(|r| **r == Role::Dropped).count() == 2);
    }

    #[test]
    fn heading_ids_are_unique() {
        let d = analyse("## I.\n\n## I.\n");
        assert_eq!(d.headings[0].id, "h-i");
        assert_eq!(d.headings[1].id, "h-i-2");
    }
}
