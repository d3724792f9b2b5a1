//! Citations and bibliography entries formatted by the site's CSL style,
//! and hayagriva's output written out safely: as Markdown (escaped, for a
//! citation inside a note, definition or page, which is then rendered with
//! the user's Markdown) or as HTML (escaped, for the bibliography page).
//! hayagriva's own HTML writer does not escape the fields' text, so a
//! title with `<script>` in a `.bib` file would reach the page as markup.

use crate::model::Formatter;
use crate::parse::refs::escape_md;
use hayagriva::citationberg::{
    taxonomy::Locator, FontStyle, FontVariant, FontWeight, VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild,
    ElemChildren, Entry, LocatorPayload, SpecificLocator,
};

impl Formatter {
    /// One citation of one or more works, as escaped Markdown. `prose` is
    /// the in-text form (`@key [p. 12]`). Formatted once per site: met
    /// again, it is taken from [`Formatter::cited`].
    pub fn citation_md(&self, items: &[(&Entry, Option<&str>)], prose: bool) -> String {
        let mut key = String::from(if prose { "p" } else { "n" });
        for (e, loc) in items {
            key.push('\u{1e}');
            key.push_str(e.key());
            key.push('\u{1f}');
            if let Some(l) = loc {
                key.push('@');
                key.push_str(l);
            }
        }
        let done = self
            .cited
            .citations
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        if let Some(done) = done {
            return done;
        }
        let out = self.format_citation(items, prose);
        let mut cited = self
            .cited
            .citations
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if cited.len() < crate::model::CitationCache::MAX {
            cited.insert(key, out.clone());
        }
        out
    }

    fn format_citation(&self, items: &[(&Entry, Option<&str>)], prose: bool) -> String {
        let items: Vec<CitationItem<Entry>> = items
            .iter()
            .map(|&(e, loc)| {
                let locator = loc.map(|l| {
                    let (kind, value) = locator(l);
                    SpecificLocator(kind, LocatorPayload::Str(value))
                });
                let item = CitationItem::with_locator(e, locator);
                if prose && !self.is_note_style() {
                    item.kind(CitePurpose::Prose)
                } else {
                    item
                }
            })
            .collect();
        let req = CitationRequest::new(
            items,
            &self.style,
            Some(self.locale.clone()),
            &self.locales,
            None,
        );
        let mut out = String::new();
        write(
            &hayagriva::standalone_citation(req),
            &mut out,
            Target::Markdown,
        );
        // In a note style the in-text form is the short note itself, read
        // as part of the sentence: without the note's closing period.
        if prose && self.is_note_style() {
            if let Some(s) = out.strip_suffix("\\.") {
                out.truncate(s.len());
            }
        }
        out
    }

    fn is_note_style(&self) -> bool {
        self.style.settings.class == hayagriva::citationberg::StyleClass::Note
    }

    /// Each work's full entry as HTML, in the style's order: (key, HTML).
    /// `escape` is the site's HTML escaping of text.
    pub fn bibliography_html<'e>(
        &self,
        entries: impl Iterator<Item = &'e Entry>,
        escape: fn(&mut String, &str),
    ) -> Vec<(String, String)> {
        self.bibliography(entries, Target::Html(escape))
    }

    /// Each work's full entry as plain text, in the style's order: (key,
    /// text), for the search index.
    pub fn bibliography_text<'e>(
        &self,
        entries: impl Iterator<Item = &'e Entry>,
    ) -> Vec<(String, String)> {
        self.bibliography(entries, Target::Plain)
    }

    fn bibliography<'e>(
        &self,
        entries: impl Iterator<Item = &'e Entry>,
        target: Target,
    ) -> Vec<(String, String)> {
        self.listed(entries)
            .iter()
            .map(|item| {
                let mut html = String::new();
                if let Some(first) = &item.first_field {
                    write_child(first, &mut html, target);
                    html.push(' ');
                }
                write(&item.content, &mut html, target);
                (item.key.clone(), html)
            })
            .collect()
    }

    /// The works' entries laid out by the style, made once for the same
    /// works (the page and the search index ask for them three times).
    fn listed<'e>(&self, entries: impl Iterator<Item = &'e Entry>) -> crate::model::Listed {
        let entries: Vec<&Entry> = entries.collect();
        let keys: String = entries.iter().flat_map(|e| [e.key(), "\u{1e}"]).collect();
        let mut last = self.cited.listed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((k, items)) = last.as_ref() {
            if *k == keys {
                return items.clone();
            }
        }
        let mut driver = BibliographyDriver::new();
        for e in entries {
            driver.citation(CitationRequest::new(
                vec![CitationItem::new(e, None, None, true, None)],
                &self.style,
                Some(self.locale.clone()),
                &self.locales,
                None,
            ));
        }
        let rendered = driver.finish(BibliographyRequest::new(
            &self.style,
            Some(self.locale.clone()),
            &self.locales,
        ));
        let items = std::sync::Arc::new(rendered.bibliography.map(|b| b.items).unwrap_or_default());
        *last = Some((keys, items.clone()));
        items
    }
}

/// "p. 12" → (page, "12"); "chap. 3" → (chapter, "3"); a bare "45–47" is pages.
fn locator(s: &str) -> (Locator, &str) {
    let s = s.trim();
    let labels: [(&[&str], Locator); 9] = [
        (&["pp.", "p.", "pages", "page"], Locator::Page),
        (&["chaps.", "chap.", "ch.", "chapter"], Locator::Chapter),
        (&["secs.", "sec.", "§§", "§", "section"], Locator::Section),
        (&["paras.", "para.", "¶¶", "¶"], Locator::Paragraph),
        (&["nn.", "n.", "note"], Locator::Note),
        (&["vols.", "vol.", "volume"], Locator::Volume),
        (&["ll.", "l.", "line"], Locator::Line),
        (&["fols.", "fol.", "folio"], Locator::Folio),
        (&["figs.", "fig.", "figure"], Locator::Figure),
    ];
    for (words, kind) in labels {
        for w in words {
            if let Some(rest) = s.strip_prefix(w) {
                if rest.starts_with([' ', '\u{a0}'])
                    || w.ends_with('.')
                    || w.starts_with(['§', '¶'])
                {
                    return (kind, rest.trim());
                }
            }
        }
    }
    (Locator::Page, s)
}

/// What is written: Markdown, plain text, or HTML with the site's escaping of text
/// (`render::escape::push_escaped`, handed in by the page that shows it).
#[derive(Clone, Copy)]
enum Target {
    Markdown,
    Html(fn(&mut String, &str)),
    /// The text alone, without markup.
    Plain,
}

impl Target {
    fn is_html(self) -> bool {
        matches!(self, Target::Html(_))
    }
}

fn write(children: &ElemChildren, out: &mut String, t: Target) {
    for c in &children.0 {
        write_child(c, out, t);
    }
}

fn push_text(out: &mut String, s: &str, t: Target) {
    match t {
        Target::Markdown => out.push_str(&escape_md(s)),
        Target::Html(escape) => escape(out, s),
        Target::Plain => out.push_str(s),
    }
}

fn write_child(c: &ElemChild, out: &mut String, t: Target) {
    match c {
        ElemChild::Text(f) => {
            // The works' fields are typed as in a reference manager, with
            // straight quotes and `--`; set them as the rest of the page is
            // ("Workers' Parties" becomes "Workers’ Parties"). An address
            // stays as it is.
            let smart;
            let text = if f.text.contains("://") || f.text.contains("www.") {
                f.text.as_str()
            } else {
                smart = crate::text::smart::smarten(&f.text);
                smart.as_str()
            };
            let f_ = &f.formatting;
            let italic = f_.font_style == FontStyle::Italic;
            let bold = f_.font_weight == FontWeight::Bold;
            let (open, close) = match (t, italic, bold) {
                (Target::Markdown, true, _) => ("*", "*"),
                (Target::Markdown, false, true) => ("**", "**"),
                (Target::Html(_), true, _) => ("<i>", "</i>"),
                (Target::Html(_), false, true) => ("<b>", "</b>"),
                _ => ("", ""),
            };
            let small_caps = t.is_html() && f_.font_variant == FontVariant::SmallCaps;
            let sup = t.is_html() && f_.vertical_align == VerticalAlign::Sup;
            // Markdown emphasis cannot open or close on a space.
            let body = text.trim();
            let (lead, trail) = if open.is_empty() || body.is_empty() {
                ("", "")
            } else {
                (
                    &text[..text.len() - text.trim_start().len()],
                    &text[text.trim_end().len()..],
                )
            };
            if open.is_empty() || body.is_empty() {
                if small_caps {
                    out.push_str("<span class=\"small-caps\">");
                }
                if sup {
                    out.push_str("<sup>");
                }
                push_text(out, text, t);
                if sup {
                    out.push_str("</sup>");
                }
                if small_caps {
                    out.push_str("</span>");
                }
            } else {
                push_text(out, lead, t);
                out.push_str(open);
                push_text(out, body, t);
                out.push_str(close);
                push_text(out, trail, t);
            }
        }
        ElemChild::Elem(e) => write(&e.children, out, t),
        ElemChild::Markup(m) => push_text(out, m, t),
        ElemChild::Link { text, url } => {
            let safe = crate::url::is_safe_url(url);
            match (t, safe) {
                (Target::Html(escape), true) => {
                    out.push_str("<a href=\"");
                    escape(out, url);
                    out.push_str("\">");
                    push_text(out, &text.text, t);
                    out.push_str("</a>");
                }
                _ => push_text(out, &text.text, t),
            }
        }
        ElemChild::Transparent { .. } => {}
    }
}
