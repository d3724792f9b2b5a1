//! The body of a reader page: the text's own event stream with the
//! annotations woven in. Numbered blocks get their `pN` ids and margin
//! numbers; anchored passages are wrapped (split into runs wherever inline
//! markup or other anchors begin or end, so spans may cross emphasis and
//! overlap each other); note markers follow the end of their passage;
//! glossary terms and cross-links become links; targets of cross-links get
//! their "Referenced from" line; a page mark stands where each page of the
//! printed source begins, and each numbered block names its pages.

use super::escape::{escape, push_body_text, push_escaped};
use crate::document::{Document, Role};
use crate::model::{Annotations, LinkMode};
use crate::resolve::{Resolved, Target};
use pulldown_cmark::{html, CowStr, Event, Tag, TagEnd};
use std::fmt::Write as _;
use std::ops::Range;

enum MarkKind<'r> {
    Note {
        id: &'r str,
    },
    /// `href` and `title` HTML-escaped once, for every run they wrap.
    Xref {
        id: &'r str,
        href: String,
        title: String,
    },
    /// A glossary term's words: a link to the glossary when `linked`,
    /// else a plain span; either way with the id `t-<id>-<n>` (its `n`th
    /// occurrence in the text) that the entry's page links to.
    Term {
        id: &'r str,
        n: u32,
        linked: bool,
    },
}

struct Mark<'r> {
    range: Range<usize>,
    kind: MarkKind<'r>,
}

/// A note's marker, written after the end of its passage.
struct Marker<'r> {
    at: usize,
    id: &'r str,
    number: u32,
}

/// The woven stream being made: the text's own events, and between them the
/// HTML this module adds, written into one string (`html`) instead of a
/// string per piece; the events point into it once it is complete.
struct Woven<'a> {
    pieces: Vec<Piece<'a>>,
    html: String,
    /// Where the HTML not yet in `pieces` starts in `html`.
    open: usize,
}

enum Piece<'a> {
    Event(Event<'a>),
    /// A stretch of `Woven::html` (any run of our HTML between two events:
    /// one `Event::Html` writes the same as several in a row).
    Ours(Range<usize>),
}

impl<'a> Woven<'a> {
    fn push(&mut self, ev: Event<'a>) {
        self.seal();
        self.pieces.push(Piece::Event(ev));
    }

    fn seal(&mut self) {
        if self.html.len() > self.open {
            self.pieces.push(Piece::Ours(self.open..self.html.len()));
            self.open = self.html.len();
        }
    }

    fn into_html(mut self, capacity: usize) -> String {
        self.seal();
        let Woven { pieces, html, .. } = self;
        let events = pieces.into_iter().map(|p| match p {
            Piece::Event(ev) => ev,
            Piece::Ours(r) => Event::Html(CowStr::Borrowed(&html[r])),
        });
        let mut out = String::with_capacity(capacity);
        // The analysed events are already safe (raw HTML became text, unsafe
        // URLs were dropped); the only HTML here is our own.
        html::push_html(&mut out, events);
        out
    }
}

/// Writes `n` in decimal (a paragraph's number is written four times over:
/// spared the formatting machinery).
fn push_number(out: &mut String, n: u32) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// The margin number of a numbered passage.
fn push_pnum(out: &mut String, num: u32) {
    out.push_str("<a class=\"pnum\" href=\"#p");
    push_number(out, num);
    out.push_str("\" aria-label=\"Paragraph ");
    push_number(out, num);
    out.push_str("\">");
    push_number(out, num);
    out.push_str("</a>");
}

fn push_marker(out: &mut String, m: &Marker) {
    let id = m.id;
    out.push_str("<sup class=\"noteref-wrap\"><a class=\"noteref\" id=\"ref-");
    out.push_str(id);
    out.push_str("\" href=\"#en-");
    out.push_str(id);
    out.push_str("\" role=\"doc-noteref\" data-note=\"");
    out.push_str(id);
    out.push_str("\" aria-label=\"Note ");
    push_number(out, m.number);
    out.push_str("\">");
    push_number(out, m.number);
    out.push_str("</a></sup>");
}

/// Where a page of the printed source begins: `at` in the passage's text.
struct PageMark<'r> {
    at: usize,
    label: &'r str,
    id: &'r str,
    /// The page's facsimile, when it has one that `check` accepted.
    image: Option<(&'r crate::model::PageImage, &'r crate::model::Facsimile)>,
}

/// A page mark: hung in the margin beside the line where the page begins
/// (the stylesheet places it; `|5|` in print), with a hairline at the exact
/// place in the line, neither of which takes room in the line. A page that
/// begins a passage is marked at its top, with no hairline. It is DPUB-ARIA's
/// page break, named "Page 5" for screen readers, and its id is the page's
/// address; inside a link of the text, whose name it would join, it is
/// hidden from them.
fn push_page_mark(out: &mut String, m: &PageMark, in_link: bool) {
    if m.at > 0 {
        out.push_str("<span class=\"page-bar\" aria-hidden=\"true\"></span>");
    }
    out.push_str("<span class=\"page-mark");
    if m.at == 0 {
        out.push_str(" page-top");
    }
    out.push_str("\" id=\"page-");
    push_escaped(out, m.id);
    if in_link {
        out.push_str("\" aria-hidden=\"true\">");
    } else {
        out.push_str("\" role=\"doc-pagebreak\" aria-label=\"Page ");
        push_escaped(out, m.label);
        out.push_str("\">");
    }
    push_escaped(out, m.label);
    out.push_str("</span>");
    if let (Some((img, f)), false) = (m.image, in_link) {
        super::facsimile::push_link(out, m.label, img, f);
    }
}

/// The relative URL from a reader page to a target.
pub fn target_href(resolved: &Resolved, from: usize, t: &Target) -> String {
    if t.text() == from && !matches!(t, Target::Text { .. }) {
        t.fragment()
    } else {
        format!(
            "{}.html{}",
            resolved.corpus.texts[t.text()].slug,
            t.fragment()
        )
    }
}

/// The body of text `ti`'s reader page, from its analysis `doc`.
pub fn render_body(resolved: &Resolved, ti: usize, doc: &Document) -> String {
    let corpus = resolved.corpus;
    let at = &resolved.texts[ti];
    let empty = Annotations::default();
    let ann = resolved.annotations(ti).unwrap_or(&empty);
    let n = doc.passages.len();
    let mut marks: Vec<Vec<Mark>> = (0..n).map(|_| Vec::new()).collect();
    let mut markers: Vec<Vec<Marker>> = (0..n).map(|_| Vec::new()).collect();
    let mut page_marks: Vec<Vec<PageMark>> = (0..n).map(|_| Vec::new()).collect();
    for b in &at.pages.breaks {
        let image = ann
            .pages
            .iter()
            .find(|p| p.n == b.label)
            .and_then(|p| p.image.as_ref())
            .and_then(|img| Some((img, corpus.facsimiles.get(&img.path)?)));
        page_marks[b.place.passage].push(PageMark {
            at: b.place.range.start,
            label: &b.label,
            id: &b.id,
            image,
        });
    }

    for an in &at.notes {
        let note = &ann.notes[an.index];
        marks[an.place.passage].push(Mark {
            range: an.place.range.clone(),
            kind: MarkKind::Note { id: &note.id },
        });
        markers[an.place.passage].push(Marker {
            at: an.place.range.end,
            id: &note.id,
            number: an.number,
        });
    }
    for al in &at.links {
        let link = &ann.links[al.index];
        let Some(target) = &al.target else { continue };
        let title = match &link.label {
            Some(label) => escape(label),
            None => {
                let t = &corpus.texts[target.text()];
                escape(&format!("{}{}", t.short_title(), target.fragment()))
            }
        };
        marks[al.place.passage].push(Mark {
            range: al.place.range.clone(),
            kind: MarkKind::Xref {
                id: &link.id,
                href: escape(&target_href(resolved, ti, target)),
                title,
            },
        });
    }
    let mut seen_terms = std::collections::BTreeSet::new();
    let mut counts = std::collections::HashMap::new();
    for h in &at.terms {
        let term = &corpus.glossary[h.term()];
        let linked = match term.link {
            LinkMode::None => false,
            LinkMode::All => true,
            LinkMode::First => seen_terms.insert(h.term()),
        };
        let n = counts.entry(h.term()).or_insert(0u32);
        *n += 1;
        marks[h.passage()].push(Mark {
            range: h.range(),
            kind: MarkKind::Term {
                id: &term.id,
                n: *n,
                linked,
            },
        });
    }
    for m in &mut marks {
        // Outer spans first: earlier start, then longer; terms innermost.
        m.sort_by_key(|k| {
            (
                matches!(k.kind, MarkKind::Term { .. }),
                k.range.start,
                std::cmp::Reverse(k.range.end),
            )
        });
    }
    for m in &mut markers {
        m.sort_by_key(|k| k.at);
    }

    let text_len: usize = doc.passages.iter().map(|p| p.text.len()).sum();
    let mut out = Woven {
        pieces: Vec::with_capacity(doc.event_count() * 3 / 2),
        // The text itself goes in, escaped, with our markup around it.
        html: String::with_capacity(text_len + text_len / 2),
        open: 0,
    };
    let mut runs = Runs::default();
    let mut heading_no = 0;
    let mut link_depth = 0usize;
    // Inside an image or a metadata block, pulldown-cmark writes text its
    // own way (as alt text, or not at all), and no HTML.
    let mut raw_text = 0usize;
    for (ev, role) in doc.events() {
        match role {
            Role::Dropped => continue,
            Role::Opens(p) => {
                let num = doc.passages[p].number.unwrap_or(0);
                // The pages the passage is on, for its citation.
                let page = at.pages.locator(p, 0..doc.passages[p].text.len());
                let h = &mut out.html;
                let open = |h: &mut String, tag: &str| {
                    h.push_str(tag);
                    push_number(h, num);
                    if let Some(page) = &page {
                        h.push_str("\" data-page=\"");
                        push_escaped(h, page);
                    }
                    h.push_str("\">");
                    push_pnum(h, num);
                };
                match ev {
                    Event::Start(Tag::Paragraph) => open(h, "<p id=\"p"),
                    Event::Start(Tag::Item) => open(h, "<li id=\"p"),
                    other => {
                        open(h, "<div class=\"block\" id=\"p");
                        let html_block = matches!(other, Event::Start(Tag::HtmlBlock));
                        out.push(other);
                        if html_block {
                            out.html.push_str("<pre class=\"raw-html\">");
                        }
                    }
                }
                continue;
            }
            Role::Closes(p) => {
                if let Some(refs) = at.backrefs.get(&p) {
                    backrefs_html(&mut out.html, resolved, refs);
                }
                match ev {
                    Event::End(TagEnd::Paragraph | TagEnd::Item) => out.push(ev),
                    other => {
                        if matches!(other, Event::End(TagEnd::HtmlBlock)) {
                            out.html.push_str("</pre>");
                        }
                        out.push(other);
                        out.html.push_str("</div>");
                    }
                }
                continue;
            }
            Role::Shows {
                passage,
                range,
                in_link,
            } => {
                let code = matches!(ev, Event::Code(_));
                emit_runs(
                    &mut out,
                    &doc.passages[passage].text,
                    &range,
                    &marks[passage],
                    &markers[passage],
                    &page_marks[passage],
                    in_link,
                    code,
                    raw_text > 0,
                    &mut runs,
                );
                continue;
            }
            Role::Plain => {}
        }
        match ev {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = doc
                    .headings
                    .get(heading_no)
                    .map(|h| h.id.as_str())
                    .unwrap_or_default();
                heading_no += 1;
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::Borrowed(id)),
                    classes,
                    attrs,
                }));
            }
            Event::Start(Tag::HtmlBlock) => {
                out.push(Event::Start(Tag::HtmlBlock));
                out.html.push_str("<pre class=\"raw-html\">");
            }
            Event::End(TagEnd::HtmlBlock) => {
                out.html.push_str("</pre>");
                out.push(Event::End(TagEnd::HtmlBlock));
            }
            ev @ Event::Start(Tag::Image { .. } | Tag::MetadataBlock(_)) => {
                raw_text += 1;
                out.push(ev);
            }
            ev @ Event::End(TagEnd::Image | TagEnd::MetadataBlock(_)) => {
                raw_text = raw_text.saturating_sub(1);
                out.push(ev);
            }
            link @ Event::Start(Tag::Link { .. }) => {
                link_depth += 1;
                out.push(link);
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                out.push(Event::End(TagEnd::Link));
                if link_depth == 0 {
                    out.html.push_str(&runs.pending);
                    runs.pending.clear();
                }
            }
            other => out.push(other),
        }
    }
    out.into_html(text_len * 2)
}

/// What [`emit_runs`] reuses from one text event to the next.
#[derive(Default)]
struct Runs {
    /// Where the event is cut: where marks begin or end, where markers go.
    cuts: Vec<usize>,
    /// The closing tags of the marks open around the current run.
    closes: Vec<&'static str>,
    /// Note markers that fell inside a link, written after it ends.
    pending: String,
}

/// Text `a..b` of a passage's `text`, cut into runs wherever one of the
/// passage's `marks` begins or ends, each run wrapped in the spans or links
/// of the marks that cover it, and followed by the markers that end there.
#[allow(clippy::too_many_arguments)]
fn emit_runs<'a>(
    out: &mut Woven<'a>,
    text: &'a str,
    range: &Range<usize>,
    marks: &[Mark],
    markers: &[Marker],
    pages: &[PageMark],
    in_link: bool,
    code: bool,
    raw_text: bool,
    runs: &mut Runs,
) {
    let (a, b) = (range.start, range.end);
    // Text is written escaped straight into our HTML (as pulldown-cmark
    // would write it, but eight bytes at a time); code keeps its event, as
    // does text where pulldown-cmark writes no HTML (an image's alt text).
    let push = |out: &mut Woven<'a>, piece: &'a str| {
        if code {
            out.push(Event::Code(CowStr::Borrowed(piece)));
        } else if raw_text || piece.is_empty() {
            out.push(Event::Text(CowStr::Borrowed(piece)));
        } else {
            push_body_text(&mut out.html, piece);
        }
    };
    let relevant = |m: &&Mark| m.range.start < b && m.range.end > a;
    let mine = |m: &&Marker| m.at > a && m.at <= b;
    // A page mark goes before the first character of its page.
    let starts_here = |m: &&PageMark| m.at >= a && m.at < b;
    if !marks.iter().any(|m| relevant(&m))
        && !markers.iter().any(|m| mine(&m))
        && !pages.iter().any(|m| starts_here(&m))
    {
        push(out, &text[a..b]);
        return;
    }
    let cuts = &mut runs.cuts;
    cuts.clear();
    cuts.extend([a, b]);
    for m in marks.iter().filter(relevant) {
        cuts.extend(
            [m.range.start, m.range.end]
                .into_iter()
                .filter(|&c| c > a && c < b),
        );
    }
    cuts.extend(markers.iter().filter(mine).map(|m| m.at));
    cuts.extend(pages.iter().filter(starts_here).map(|m| m.at));
    cuts.sort_unstable();
    cuts.dedup();
    for w in 0..cuts.len() - 1 {
        let (s, e) = (runs.cuts[w], runs.cuts[w + 1]);
        // Between runs no mark of ours is open, so a page mark here is
        // never inside a term's or cross-link's link.
        // (Not in an image's alt text, where pulldown-cmark writes no HTML.)
        for m in pages.iter().filter(|m| m.at == s && !raw_text) {
            push_page_mark(&mut out.html, m, in_link);
        }
        if s < e {
            // The marks that cover the whole run, outermost first.
            let active = || {
                marks
                    .iter()
                    .filter(|m| m.range.start <= s && m.range.end >= e)
            };
            let innermost_xref = active()
                .enumerate()
                .filter(|(_, m)| matches!(m.kind, MarkKind::Xref { .. }))
                .map(|(k, _)| k)
                .last();
            let h = &mut out.html;
            runs.closes.clear();
            for (k, m) in active().enumerate() {
                let first = m.range.start == s;
                match &m.kind {
                    MarkKind::Note { id } => {
                        h.push_str("<span class=\"anchored\" data-note=\"");
                        h.push_str(id);
                        h.push('"');
                        if first {
                            h.push_str(" id=\"n-");
                            h.push_str(id);
                            h.push('"');
                        }
                        h.push('>');
                        runs.closes.push("</span>");
                    }
                    MarkKind::Xref { id, href, title } => {
                        if in_link || Some(k) != innermost_xref {
                            h.push_str("<span class=\"xref-passage\" data-link=\"");
                            h.push_str(id);
                            h.push('"');
                            runs.closes.push("</span>");
                        } else {
                            h.push_str("<a class=\"xref\" href=\"");
                            h.push_str(href);
                            h.push_str("\" data-link=\"");
                            h.push_str(id);
                            h.push_str("\" title=\"");
                            h.push_str(title);
                            h.push('"');
                            runs.closes.push("</a>");
                        }
                        if first {
                            h.push_str(" id=\"l-");
                            h.push_str(id);
                            h.push('"');
                        }
                        h.push('>');
                    }
                    MarkKind::Term { id, n, linked } => {
                        if in_link || innermost_xref.is_some() || code {
                            continue;
                        }
                        if *linked {
                            // "../glossary.html#" needs no escaping.
                            h.push_str("<a class=\"term\" href=\"../glossary.html#");
                            push_escaped(h, id);
                            h.push_str("\" data-term=\"");
                            h.push_str(id);
                            h.push('"');
                            runs.closes.push("</a>");
                        } else {
                            h.push_str("<span class=\"term-at\"");
                            runs.closes.push("</span>");
                        }
                        if first {
                            super::entity::push_occurrence_id(h, id, *n);
                        }
                        h.push('>');
                    }
                }
            }
            push(out, &text[s..e]);
            for close in runs.closes.iter().rev() {
                out.html.push_str(close);
            }
        }
        for m in markers
            .iter()
            .filter(|m| m.at == e && m.at > a && m.at <= b)
        {
            if in_link {
                push_marker(&mut runs.pending, m);
            } else {
                push_marker(&mut out.html, m);
            }
        }
    }
}

fn backrefs_html(s: &mut String, resolved: &Resolved, refs: &[crate::resolve::Backref]) {
    s.push_str(" <span class=\"referenced-from\"><span class=\"rf-label\">Referenced from</span> ");
    for (i, r) in refs.iter().enumerate() {
        if i > 0 {
            s.push_str("; ");
        }
        let (from, anchored, link) = (
            &resolved.corpus.texts[r.from_text()],
            r.anchored(resolved),
            r.link(resolved),
        );
        let place = match anchored.number {
            Some(n) => format!("{} ¶ {n}", from.short_title()),
            None => from.short_title().to_string(),
        };
        let snippet: String = {
            let words: Vec<&str> = anchored.snippet.split_whitespace().collect();
            if words.len() > 14 {
                format!("{} …", words[..14].join(" "))
            } else {
                words.join(" ")
            }
        };
        let _ = write!(
            s,
            "<a class=\"backref\" href=\"{}.html#l-{}\" role=\"doc-backlink\"",
            from.slug, link.id
        );
        if let Some(l) = &link.label {
            s.push_str(" title=\"");
            push_escaped(s, l);
            s.push('"');
        }
        s.push('>');
        push_escaped(s, &place);
        s.push_str("</a>: “");
        push_escaped(s, &snippet);
        s.push('”');
    }
    s.push_str("</span>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_is_escaped_as_pulldown_cmark_escapes_it() {
        let base = "a&b<c>d\"e'f ünï “x” && << >> plain words running on past eight bytes";
        for start in 0..base.len() {
            for end in start..=base.len() {
                let Some(text) = base.get(start..end) else {
                    continue;
                };
                let mut ours = String::new();
                push_body_text(&mut ours, text);
                let mut theirs = String::new();
                html::push_html(&mut theirs, std::iter::once(Event::Text(text.into())));
                assert_eq!(ours, theirs, "{text:?}");
            }
        }
    }
}
