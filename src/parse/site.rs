//! `site.yaml` into [`Site`], and the URL policy applied to every address
//! a user writes in it or in front matter.

use super::*;

pub(super) fn parse_site(f: &SourceFile, report: &mut Report) -> Option<Site> {
    if f.text.trim().is_empty() {
        report.push(
            Diagnostic::error("E0005", f.rel.clone(), "content/site.yaml is empty")
                .at(1, 1)
                .help("write at least the site's title: `title: My reader`"),
        );
        return None;
    }
    let y: SiteYaml = match yaml::parse(&f.text, &f.rel, 1) {
        Ok(y) => y,
        Err(d) => {
            report.push(d);
            return None;
        }
    };
    Some(Site {
        title: y.title,
        description: y.description,
        language: y.language.unwrap_or_else(|| "en".into()),
        editors: y
            .editors
            .into_iter()
            .map(|e| Editor {
                name: e.name,
                url: checked_url(&f.rel, "url", e.url, 1, report),
                role: e.role,
            })
            .collect(),
        licence: y.licence.map(|l| Licence {
            name: l.name,
            url: checked_url(&f.rel, "url", l.url, 1, report),
        }),
        edition: y.edition.map(|s| s.0),
        edition_date: y.edition_date.map(|s| s.0),
        base_url: checked_url(&f.rel, "base_url", y.base_url, 1, report),
        citation_style: y.citation_style,
        citation_locale: y.citation_locale,
    })
}

/// A URL the user wrote in YAML, through the one URL policy (`crate::url`):
/// a refused scheme is an error at the value's line, and the value is left
/// out, so it can never reach a page.
pub(super) fn checked_url(
    file: &str,
    key: &str,
    value: Option<Spanned<String>>,
    first_line: usize,
    report: &mut Report,
) -> Option<String> {
    let value = value?;
    match crate::url::refused_scheme(&value.value) {
        None => Some(value.value),
        Some(scheme) => {
            let pos = shift(pos_of(&value), first_line);
            report.push(url_refused(file, key, &scheme).at(pos.line, pos.column));
            None
        }
    }
}

/// The error for a `scheme:` address that the URL policy refuses.
pub(crate) fn url_refused(file: &str, key: &str, scheme: &str) -> Diagnostic {
    Diagnostic::error(
        "E0106",
        file,
        format!("`{key}` is a `{scheme}:` address, which Scholion does not publish"),
    )
    .help("write a web address (https://…, http://…), a mailto: address or a path relative to the site; other schemes such as javascript: or data: could run code in a reader's browser")
}
