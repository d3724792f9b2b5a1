//! The body of a reader page: the text's own event stream with the
//! annotations woven in. Numbered blocks get their `pN` ids and margin
//! numbers; anchored passages are wrapped (split into runs wherever inline
//! markup or other anchors begin or end, so spans may cross emphasis and
//! overlap each other); note markers follow the end of their passage;
//! glossary terms and cross-links become links; targets of cross-links get
//! their "Referenced from" line.

use crate::document::{Document, Role};
use crate::model::{Annotations, LinkMode};
use crate::resolve::{Resolved, Target};
use pulldown_cmark::{html, CowStr, Event, Tag, TagEnd};
use std::fmt::Write as _;
use std::ops::Range;

#[derive(Debug, Clone)]
enum MarkKind {
    Note {
        id: String,
    },
    Xref {
        id: String,
        href: String,
        title: String,
    },
    Term {
        id: String,
        href: String,
    },
}

#[derive(Debug, Clone)]
struct Mark {
    range: Range<usize>,
    kind: MarkKind,
}

struct Marker {
    at: usize,
    html: String,
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    super::push_escaped(&mut out, s);
    out
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
    let mut marks: Vec<Vec<Mark>> = vec![Vec::new(); n];
    let mut markers: Vec<Vec<Marker>> = (0..n).map(|_| Vec::new()).collect();

    for an in &at.notes {
        let note = &ann.notes[an.index];
        marks[an.place.passage].push(Mark {
            range: an.place.range.clone(),
            kind: MarkKind::Note {
                id: note.id.clone(),
            },
        });
        markers[an.place.passage].push(Marker {
            at: an.place.range.end,
            html: format!(
                "<sup class=\"noteref-wrap\"><a class=\"noteref\" id=\"ref-{id}\" href=\"#en-{id}\" role=\"doc-noteref\" data-note=\"{id}\" aria-label=\"Note {num}\">{num}</a></sup>",
                id = note.id,
                num = an.number
            ),
        });
    }
    for al in &at.links {
        let link = &ann.links[al.index];
        let Some(target) = &al.target else { continue };
        let title = link.label.clone().unwrap_or_else(|| {
            let t = &corpus.texts[target.text()];
            format!("{}{}", t.short_title(), target.fragment())
        });
        marks[al.place.passage].push(Mark {
            range: al.place.range.clone(),
            kind: MarkKind::Xref {
                id: link.id.clone(),
                href: target_href(resolved, ti, target),
                title,
            },
        });
    }
    let mut seen_terms = std::collections::BTreeSet::new();
    for h in &at.terms {
        let term = &corpus.glossary[h.term];
        let link = match term.link {
            LinkMode::None => false,
            LinkMode::All => true,
            LinkMode::First => seen_terms.insert(h.term),
        };
        if link {
            marks[h.passage].push(Mark {
                range: h.range.clone(),
                kind: MarkKind::Term {
                    id: term.id.clone(),
                    href: format!("../glossary.html#{}", term.id),
                },
            });
        }
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

    let mut out_events: Vec<Event> = Vec::with_capacity(doc.event_count() * 3 / 2);
    let mut heading_no = 0;
    let mut pending: Vec<String> = Vec::new();
    let mut link_depth = 0usize;
    for (ev, role) in doc.events() {
        match role {
            Role::Dropped => continue,
            Role::Opens(p) => {
                let num = doc.passages[p].number.unwrap_or(0);
                let pnum = format!(
                    "<a class=\"pnum\" href=\"#p{num}\" aria-label=\"Paragraph {num}\">{num}</a>"
                );
                match ev {
                    Event::Start(Tag::Paragraph) => {
                        out_events.push(Event::Html(format!("<p id=\"p{num}\">{pnum}").into()))
                    }
                    Event::Start(Tag::Item) => {
                        out_events.push(Event::Html(format!("<li id=\"p{num}\">{pnum}").into()))
                    }
                    other => {
                        out_events.push(Event::Html(
                            format!("<div class=\"block\" id=\"p{num}\">{pnum}").into(),
                        ));
                        let html_block = matches!(other, Event::Start(Tag::HtmlBlock));
                        out_events.push(other);
                        if html_block {
                            out_events.push(Event::Html("<pre class=\"raw-html\">".into()));
                        }
                    }
                }
                continue;
            }
            Role::Closes(p) => {
                if let Some(refs) = at.backrefs.get(&p) {
                    out_events.push(Event::Html(backrefs_html(resolved, refs).into()));
                }
                match ev {
                    Event::End(TagEnd::Paragraph | TagEnd::Item) => out_events.push(ev),
                    other => {
                        if matches!(other, Event::End(TagEnd::HtmlBlock)) {
                            out_events.push(Event::Html("</pre>".into()));
                        }
                        out_events.push(other);
                        out_events.push(Event::Html("</div>".into()));
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
                    &mut out_events,
                    &doc.passages[passage].text,
                    &range,
                    &marks[passage],
                    &markers[passage],
                    in_link,
                    code,
                    &mut pending,
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
                    .map(|h| h.id.clone())
                    .unwrap_or_default();
                heading_no += 1;
                out_events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                }));
            }
            Event::Start(Tag::HtmlBlock) => {
                out_events.push(Event::Start(Tag::HtmlBlock));
                out_events.push(Event::Html("<pre class=\"raw-html\">".into()));
            }
            Event::End(TagEnd::HtmlBlock) => {
                out_events.push(Event::Html("</pre>".into()));
                out_events.push(Event::End(TagEnd::HtmlBlock));
            }
            link @ Event::Start(Tag::Link { .. }) => {
                link_depth += 1;
                out_events.push(link);
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                out_events.push(Event::End(TagEnd::Link));
                if link_depth == 0 {
                    for m in pending.drain(..) {
                        out_events.push(Event::Html(m.into()));
                    }
                }
            }
            other => out_events.push(other),
        }
    }
    let mut out =
        String::with_capacity(doc.passages.iter().map(|p| p.text.len()).sum::<usize>() * 2);
    // The analysed events are already safe (raw HTML became text, unsafe
    // URLs were dropped); the only HTML here is our own.
    html::push_html(&mut out, out_events.into_iter());
    out
}

#[allow(clippy::too_many_arguments)]
fn emit_runs<'a>(
    out: &mut Vec<Event<'a>>,
    text: &'a str,
    range: &Range<usize>,
    marks: &[Mark],
    markers: &[Marker],
    in_link: bool,
    code: bool,
    pending: &mut Vec<String>,
) {
    let (a, b) = (range.start, range.end);
    let relevant: Vec<&Mark> = marks
        .iter()
        .filter(|m| m.range.start < b && m.range.end > a)
        .collect();
    let my_markers: Vec<&Marker> = markers.iter().filter(|m| m.at > a && m.at <= b).collect();
    if relevant.is_empty() && my_markers.is_empty() {
        let words = CowStr::Borrowed(&text[a..b]);
        out.push(if code {
            Event::Code(words)
        } else {
            Event::Text(words)
        });
        return;
    }
    let mut cuts: Vec<usize> = vec![a, b];
    for m in &relevant {
        cuts.extend(
            [m.range.start, m.range.end]
                .into_iter()
                .filter(|&c| c > a && c < b),
        );
    }
    cuts.extend(my_markers.iter().map(|m| m.at));
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let (s, e) = (w[0], w[1]);
        if s < e {
            let active: Vec<&&Mark> = relevant
                .iter()
                .filter(|m| m.range.start <= s && m.range.end >= e)
                .collect();
            let innermost_xref = active
                .iter()
                .rposition(|m| matches!(m.kind, MarkKind::Xref { .. }));
            let mut open = String::new();
            let mut close: Vec<&str> = Vec::new();
            for (k, m) in active.iter().enumerate() {
                let first = m.range.start == s;
                match &m.kind {
                    MarkKind::Note { id } => {
                        let idattr = if first {
                            format!(" id=\"n-{id}\"")
                        } else {
                            String::new()
                        };
                        let _ =
                            write!(open, "<span class=\"anchored\" data-note=\"{id}\"{idattr}>");
                        close.push("</span>");
                    }
                    MarkKind::Xref { id, href, title } => {
                        let idattr = if first {
                            format!(" id=\"l-{id}\"")
                        } else {
                            String::new()
                        };
                        if in_link || Some(k) != innermost_xref {
                            let _ = write!(
                                open,
                                "<span class=\"xref-passage\" data-link=\"{id}\"{idattr}>"
                            );
                            close.push("</span>");
                        } else {
                            let _ = write!(
                                open,
                                "<a class=\"xref\" href=\"{}\" data-link=\"{id}\" title=\"{}\"{idattr}>",
                                escape(href),
                                escape(title)
                            );
                            close.push("</a>");
                        }
                    }
                    MarkKind::Term { id, href } => {
                        if in_link || innermost_xref.is_some() || code {
                            continue;
                        }
                        let _ = write!(
                            open,
                            "<a class=\"term\" href=\"{}\" data-term=\"{id}\">",
                            escape(href)
                        );
                        close.push("</a>");
                    }
                }
            }
            if !open.is_empty() {
                out.push(Event::Html(open.into()));
            }
            let piece = CowStr::Borrowed(&text[s..e]);
            out.push(if code {
                Event::Code(piece)
            } else {
                Event::Text(piece)
            });
            if !close.is_empty() {
                let c: String = close.iter().rev().copied().collect();
                out.push(Event::Html(c.into()));
            }
        }
        for m in my_markers.iter().filter(|m| m.at == e) {
            if in_link {
                pending.push(m.html.clone());
            } else {
                out.push(Event::Html(m.html.clone().into()));
            }
        }
    }
}

fn backrefs_html(resolved: &Resolved, refs: &[crate::resolve::Backref]) -> String {
    let mut s = String::from(
        " <span class=\"referenced-from\"><span class=\"rf-label\">Referenced from</span> ",
    );
    for (i, r) in refs.iter().enumerate() {
        if i > 0 {
            s.push_str("; ");
        }
        let from = &resolved.corpus.texts[r.from_text];
        let place = match r.from_number {
            Some(n) => format!("{} ¶ {n}", from.short_title()),
            None => from.short_title().to_string(),
        };
        let snippet: String = {
            let words: Vec<&str> = r.snippet.split_whitespace().collect();
            if words.len() > 14 {
                format!("{} …", words[..14].join(" "))
            } else {
                words.join(" ")
            }
        };
        let title = r
            .label
            .as_deref()
            .map(|l| format!(" title=\"{}\"", escape(l)))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<a class=\"backref\" href=\"{}.html#l-{}\" role=\"doc-backlink\"{title}>{}</a>: “{}”",
            from.slug,
            r.link_id,
            escape(&place),
            escape(&snippet)
        );
    }
    s.push_str("</span>");
    s
}
