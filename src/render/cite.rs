//! Citation of a text and of its paragraphs: the meta tags that Zotero and
//! Google Scholar read (Highwire `citation_*`, Dublin Core `DC.*`) and Open
//! Graph tags, and ready-made citations in Chicago and MLA style and as
//! BibTeX, with the edition, the paragraph number and the permalink.
//!
//! Paragraph citations are templates with `{n}` (the ¶ number), `{page}`
//! (the printed source's pages it is on, if listed) and `{url}` (the
//! permalink of the paragraph) for the reader script to fill in; the
//! URL is absolute only when the site has a `base_url`, otherwise the script
//! uses the address the page was opened at.

use super::dates;
use crate::model::{Site, Text};
use serde::Serialize;

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct MetaTag {
    /// `name` or `property` (Open Graph).
    pub attr: &'static str,
    pub key: String,
    pub content: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct Citation {
    pub meta: Vec<MetaTag>,
    /// The page's address when the site has a `base_url`, else empty.
    pub url: String,
    pub chicago: String,
    pub mla: String,
    pub bibtex: String,
    pub chicago_paragraph: String,
    pub mla_paragraph: String,
    pub bibtex_paragraph: String,
}

fn join_and(names: &[String]) -> String {
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        2 => format!("{} and {}", names[0], names[1]),
        _ => format!(
            "{}, and {}",
            names[..names.len() - 1].join(", "),
            names[names.len() - 1]
        ),
    }
}

/// The authors as a citation names them: all of up to `most`, else the
/// first and "et al." (Chicago's notes: four or more; MLA: three or more),
/// so that a text issued by twelve parties is not cited by all twelve.
fn lead_authors(names: &[String], most: usize, et_al: &str) -> String {
    if names.len() > most {
        format!("{}{et_al}", names[0])
    } else {
        join_and(names)
    }
}

/// The first day of an ISO date or interval, as Highwire wants it (`1957/11/14`, `1998`).
fn highwire_date(date: &str) -> String {
    date.split('/').next().unwrap_or("").replace('-', "/")
}

fn year(date: &str) -> &str {
    date.get(..4)
        .filter(|y| y.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("")
}

fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' | '}' | '\\' => {}
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn ends_sentence(s: &str) -> String {
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

pub fn citation(site: &Site, text: &Text) -> Citation {
    let m = &text.meta;
    let base = site.base();
    let url = base
        .as_ref()
        .map(|b| format!("{b}texts/{}.html", text.slug))
        .unwrap_or_default();
    let editors: Vec<String> = site.editors.iter().map(|e| e.name.clone()).collect();
    let date = m.date.clone().unwrap_or_default();

    let mut meta = Vec::new();
    let mut name = |key: &str, content: &str| {
        if !content.is_empty() {
            meta.push(MetaTag {
                attr: "name",
                key: key.into(),
                content: content.into(),
            });
        }
    };
    name("citation_title", &m.title);
    for a in &m.issued_by {
        name("citation_author", a);
    }
    name("citation_publication_date", &highwire_date(&date));
    name(
        "citation_online_date",
        &site.edition_date.as_deref().unwrap_or("").replace('-', "/"),
    );
    name("citation_inbook_title", &site.title);
    for e in &editors {
        name("citation_editor", e);
    }
    name("citation_language", &site.language);
    name("citation_public_url", &url);
    name("DC.title", &m.title);
    for a in &m.issued_by {
        name("DC.creator", a);
    }
    name("DC.date", &date);
    name("DC.type", "Text");
    name("DC.format", "text/html");
    name("DC.language", &site.language);
    name("DC.source", m.source.as_deref().unwrap_or(""));
    name("DC.publisher", &site.title);
    for e in &editors {
        name("DC.contributor", e);
    }
    name(
        "DC.rights",
        site.licence.as_ref().map(|l| l.name.as_str()).unwrap_or(""),
    );
    name("DC.identifier", &url);
    let mut property = |key: &str, content: &str| {
        if !content.is_empty() {
            meta.push(MetaTag {
                attr: "property",
                key: key.into(),
                content: content.into(),
            });
        }
    };
    property("og:title", &m.title);
    property("og:type", "article");
    property("og:site_name", &site.title);
    property("og:description", site.description.as_deref().unwrap_or(""));
    property("og:url", &url);

    let lead_with = |authors: String| {
        if authors.is_empty() {
            String::new()
        } else {
            format!("{} ", ends_sentence(&authors))
        }
    };
    let chicago_lead = lead_with(lead_authors(&m.issued_by, 3, " et al."));
    let mla_lead = lead_with(lead_authors(&m.issued_by, 2, ", et al."));
    let edited = if editors.is_empty() {
        String::new()
    } else {
        format!(", edited by {}", join_and(&editors))
    };
    let edition = site
        .edition
        .as_deref()
        .map(|e| format!("edition {e}"))
        .unwrap_or_default();
    // Dates as a reader reads them ("14–16 November 1957"); the ISO value
    // stays in the meta tags and BibTeX.
    let edition_date = dates::plain(site.edition_date.as_deref().unwrap_or_default());
    let date_words = dates::plain(&date);
    let date_part = if date.is_empty() {
        String::new()
    } else {
        format!(" {}", ends_sentence(&date_words))
    };
    let edition_bits: Vec<&str> = [edition.as_str(), edition_date.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();

    // The forms a reader copies are set as the page is ("Workers’
    // Parties"); BibTeX and the meta tags keep the titles as written.
    let title = crate::text::smart::smarten(&m.title);
    let site_title = crate::text::smart::smarten(&site.title);
    let chicago_with = |para: &str, url: &str| {
        let mut s = format!("{chicago_lead}“{title}{para}.”{date_part} In {site_title}{edited}");
        if !edition_bits.is_empty() {
            s.push_str(&format!(". {}", capitalise(&edition_bits.join(", "))));
        }
        s.push('.');
        if !url.is_empty() {
            s.push_str(&format!(" {url}."));
        }
        s
    };
    let mla_with = |para: &str, url: &str| {
        let mut s = format!(
            "{mla_lead}“{title}.”{}{para} {site_title}{edited}",
            if date.is_empty() {
                String::new()
            } else {
                format!(" {date_words},")
            },
        );
        for b in &edition_bits {
            s.push_str(&format!(", {b}"));
        }
        if !url.is_empty() {
            s.push_str(&format!(", {url}"));
        }
        s.push('.');
        s.replace(",.", ".").replace(", .", ".")
    };
    let bibtex_with = |para: Option<&str>, url: &str| {
        let mut fields = Vec::new();
        if !m.issued_by.is_empty() {
            let a: Vec<String> = m
                .issued_by
                .iter()
                .map(|a| format!("{{{}}}", bib_escape(a)))
                .collect();
            fields.push(format!("  author = {{{}}}", a.join(" and ")));
        }
        fields.push(format!("  title = {{{{{}}}}}", bib_escape(&m.title)));
        if !year(&date).is_empty() {
            fields.push(format!("  year = {{{}}}", year(&date)));
        }
        if !date.is_empty() {
            fields.push(format!("  date = {{{}}}", bib_escape(&date)));
        }
        let mut how = format!(
            "In \\emph{{{}}}{}",
            bib_escape(&site.title),
            bib_escape(&edited)
        );
        if !edition_bits.is_empty() {
            how.push_str(&format!(", {}", bib_escape(&edition_bits.join(", "))));
        }
        fields.push(format!("  howpublished = {{{how}}}"));
        if let Some(p) = para {
            fields.push(format!("  note = {{{p}}}"));
        }
        if !url.is_empty() {
            fields.push(format!("  url = {{{url}}}"));
        }
        format!(
            "@misc{{{}{},\n{}\n}}",
            text.slug,
            if para.is_some() { "-p{n}" } else { "" },
            fields.join(",\n")
        )
    };
    Citation {
        meta,
        chicago: chicago_with("", &url),
        mla: mla_with("", &url),
        bibtex: bibtex_with(None, &url),
        chicago_paragraph: chicago_with(", ¶ {n}{page}", "{url}"),
        mla_paragraph: mla_with(" par. {n}{page}.", "{url}").replace(". par.", ", par."),
        bibtex_paragraph: bibtex_with(Some("¶ {n}{page}"), "{url}"),
        url,
    }
}

/// The citation of a text with the printed source's pages it is on: the
/// first and last page for Zotero and Google Scholar (`citation_firstpage`,
/// `citation_lastpage`) and BibTeX's `pages`. (A paragraph's pages fill the
/// `{page}` of its citations: ", p. 5" or ", pp. 5–6", from the paragraph's
/// `data-page`.)
pub fn with_pages(mut c: Citation, pages: Option<(&str, &str)>) -> Citation {
    let Some((first, last)) = pages else { return c };
    for (key, content) in [("citation_firstpage", first), ("citation_lastpage", last)] {
        c.meta.push(MetaTag {
            attr: "name",
            key: key.into(),
            content: content.into(),
        });
    }
    let range = if first == last {
        bib_escape(first)
    } else {
        format!("{}--{}", bib_escape(first), bib_escape(last))
    };
    if let Some(body) = c.bibtex.strip_suffix("\n}") {
        c.bibtex = format!("{body},\n  pages = {{{range}}}\n}}");
    }
    c
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Editor, TextMeta};

    fn sample() -> (Site, Text) {
        let site = Site {
            title: "A Reader".into(),
            language: "en".into(),
            editors: vec![Editor {
                name: "A. Editor".into(),
                url: None,
                role: None,
            }],
            edition: Some("1.0".into()),
            edition_date: Some("2026-11-23".into()),
            base_url: Some("https://example.org/r".into()),
            ..Default::default()
        };
        let text = Text {
            slug: "decl".into(),
            file: String::new(),
            meta: TextMeta {
                title: "Declaration".into(),
                date: Some("1957-11-14/1957-11-16".into()),
                issued_by: vec!["Twelve parties".into()],
                ..Default::default()
            },
            body: String::new(),
            body_line: 1,
            body_fingerprint: None,
        };
        (site, text)
    }

    #[test]
    fn citations_carry_the_edition_and_permalink() {
        let (site, text) = sample();
        let c = citation(&site, &text);
        assert_eq!(
            c.chicago,
            "Twelve parties. “Declaration.” 14–16 November 1957. In A Reader, edited by A. Editor. Edition 1.0, 23 November 2026. https://example.org/r/texts/decl.html."
        );
        assert_eq!(
            c.mla,
            "Twelve parties. “Declaration.” 14–16 November 1957, A Reader, edited by A. Editor, edition 1.0, 23 November 2026, https://example.org/r/texts/decl.html."
        );
        assert!(
            c.chicago_paragraph.contains("“Declaration, ¶ {n}{page}.”")
                && c.chicago_paragraph.ends_with("{url}.")
        );
        assert!(
            c.mla_paragraph
                .contains("14–16 November 1957, par. {n}{page}. A Reader"),
            "{}",
            c.mla_paragraph
        );
        assert!(c.bibtex.starts_with("@misc{decl,\n  author = {{Twelve parties}},\n  title = {{Declaration}},\n  year = {1957},"));
        assert!(c.bibtex_paragraph.contains("note = {¶ {n}{page}}"));
        let get = |k: &str| {
            c.meta
                .iter()
                .find(|m| m.key == k)
                .map(|m| m.content.as_str())
        };
        assert_eq!(get("citation_title"), Some("Declaration"));
        assert_eq!(get("citation_publication_date"), Some("1957/11/14"));
        assert!(c.bibtex.contains("date = {1957-11-14/1957-11-16}"));
        assert_eq!(get("og:url"), Some("https://example.org/r/texts/decl.html"));
    }

    #[test]
    fn the_copied_forms_have_typographers_quotes_and_bibtex_keeps_the_title() {
        let (mut site, mut text) = sample();
        site.title = "Workers' Reader".into();
        text.meta.title = "Communist and Workers' Parties".into();
        let c = citation(&site, &text);
        assert!(
            c.chicago.contains("“Communist and Workers’ Parties.”"),
            "{}",
            c.chicago
        );
        assert!(c.chicago.contains("In Workers’ Reader"), "{}", c.chicago);
        assert!(
            c.mla_paragraph.contains("Workers’ Parties"),
            "{}",
            c.mla_paragraph
        );
        assert!(
            c.bibtex
                .contains("title = {{Communist and Workers' Parties}}"),
            "{}",
            c.bibtex
        );
    }

    #[test]
    fn many_issuers_are_cited_by_the_first_and_et_al() {
        let (site, mut text) = sample();
        text.meta.issued_by = (1..=12).map(|i| format!("Party {i}")).collect();
        let c = citation(&site, &text);
        assert!(
            c.chicago.starts_with("Party 1 et al. “Declaration.”"),
            "{}",
            c.chicago
        );
        assert!(
            c.mla.starts_with("Party 1, et al. “Declaration.”"),
            "{}",
            c.mla
        );
        assert!(!c.chicago_paragraph.contains("Party 2") && !c.mla_paragraph.contains("Party 2"));
        // BibTeX, read by machines, keeps them all.
        assert!(c.bibtex.contains("{Party 12}"));
        text.meta.issued_by.truncate(3);
        assert!(citation(&site, &text)
            .chicago
            .starts_with("Party 1, Party 2, and Party 3. “"));
        assert!(citation(&site, &text).mla.starts_with("Party 1, et al. “"));
    }

    #[test]
    fn the_printed_pages_are_cited_as_p_or_pp() {
        let (site, text) = sample();
        let c = citation(&site, &text);
        // A paragraph's pages go where `{page}` stands, after its number.
        let fill = |t: &str, page: &str| t.replace("{n}", "4").replace("{page}", page);
        assert!(fill(&c.chicago_paragraph, ", p. 5").contains("“Declaration, ¶ 4, p. 5.”"));
        assert!(
            fill(&c.mla_paragraph, ", pp. 5–6").contains("1957, par. 4, pp. 5–6. A Reader"),
            "{}",
            c.mla_paragraph
        );
        assert!(fill(&c.bibtex_paragraph, ", pp. 5–6").contains("note = {¶ 4, pp. 5–6}"));
        // Without pages, nothing is left where they would go.
        assert!(fill(&c.chicago_paragraph, "").contains("“Declaration, ¶ 4.”"));
        // The whole text: its first and last page.
        let c = with_pages(c, Some(("iv", "12")));
        assert!(
            c.bibtex.ends_with(",\n  pages = {iv--12}\n}"),
            "{}",
            c.bibtex
        );
        let get = |k: &str| {
            c.meta
                .iter()
                .find(|m| m.key == k)
                .map(|m| m.content.as_str())
        };
        assert_eq!(
            (get("citation_firstpage"), get("citation_lastpage")),
            (Some("iv"), Some("12"))
        );
        let one = with_pages(citation(&site, &text), Some(("5", "5")));
        assert!(one.bibtex.contains("pages = {5}"));
        let none = with_pages(citation(&site, &text), None);
        assert!(!none.bibtex.contains("pages") && get("citation_firstpage").is_some());
        assert!(none.meta.iter().all(|m| m.key != "citation_firstpage"));
    }

    #[test]
    fn without_a_base_url_nothing_absolute_is_written() {
        let (mut site, text) = sample();
        site.base_url = None;
        let c = citation(&site, &text);
        assert!(c.url.is_empty());
        assert!(!c.chicago.contains("http") && !c.bibtex.contains("url ="));
        assert!(c.meta.iter().all(|m| !m.content.starts_with("http")));
    }
}
