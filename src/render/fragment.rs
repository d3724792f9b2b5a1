//! Markdown fragments written by users outside the texts (note bodies,
//! glossary definitions, free pages), rendered with the one set of parser
//! options and the same safety rules as the texts: raw HTML is shown as text
//! and links or images with unsafe URLs (`javascript:`, `data:` …) are dropped.

use crate::parse::markdown;
use crate::url::is_safe_url;
use pulldown_cmark::{html, CowStr, Event, Tag, TagEnd};

pub fn to_html(md: &str) -> String {
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, sanitize(markdown::parser(md)));
    out
}

/// The safety filter over any event stream.
pub fn sanitize<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut dropped_links: Vec<bool> = Vec::new();
    events.filter_map(move |e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Some(Event::Text(t)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let safe = is_safe_url(&dest_url);
            dropped_links.push(!safe);
            safe.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => {
            if dropped_links.pop().unwrap_or(false) {
                None
            } else {
                Some(Event::End(TagEnd::Link))
            }
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if is_safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("")
            };
            Some(Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        other => Some(other),
    })
}

/// Markdown for a single line (a title, a label): inline only, no `<p>`.
pub fn inline_to_html(md: &str) -> String {
    let html = to_html(md);
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_never_survive() {
        let html = to_html("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) ![y](data:text/html,z)");
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img src=x"));
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("data:"));
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn ordinary_markdown_renders() {
        assert_eq!(
            to_html("*a* [b](https://x.org/)").trim(),
            "<p><em>a</em> <a href=\"https://x.org/\">b</a></p>"
        );
    }
}
