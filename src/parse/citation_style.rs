//! The site's CSL style and locale, parsed once per build: one of the four
//! styles Scholion ships (`csl/styles/`, XML embedded in the binary: Chicago
//! notes-bibliography with short notes, Chicago author-date, MLA, APA), or a
//! `.csl` file of the site's own, and the CSL locale of the site's language
//! (`csl/locales/`, a dozen languages, else US English). Shipping these few
//! files instead of hayagriva's archive of every style keeps the binary
//! small (docs/bibliography.md has the numbers); `csl/README.md` says where
//! the files come from and under which licence.

use crate::model::Formatter;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, LocaleFile, Style};

/// The styles a site may name, by the names it may use.
const STYLES: &[(&[&str], &str, &str)] = &[
    (
        &[
            "chicago-notes",
            "chicago",
            "chicago-shortened-notes-bibliography",
        ],
        "chicago-shortened-notes-bibliography",
        include_str!("csl/styles/chicago-shortened-notes-bibliography.csl"),
    ),
    (
        &["chicago-author-date"],
        "chicago-author-date",
        include_str!("csl/styles/chicago-author-date.csl"),
    ),
    (
        &["mla", "modern-language-association"],
        "modern-language-association",
        include_str!("csl/styles/modern-language-association.csl"),
    ),
    (&["apa"], "apa", include_str!("csl/styles/apa.csl")),
];

/// The bundled locales; `en-US` is every style's fallback.
const LOCALES: &[(&str, &str)] = &[
    ("en-US", include_str!("csl/locales/en-US.xml")),
    ("en-GB", include_str!("csl/locales/en-GB.xml")),
    ("de-DE", include_str!("csl/locales/de-DE.xml")),
    ("es-ES", include_str!("csl/locales/es-ES.xml")),
    ("fr-FR", include_str!("csl/locales/fr-FR.xml")),
    ("it-IT", include_str!("csl/locales/it-IT.xml")),
    ("nl-NL", include_str!("csl/locales/nl-NL.xml")),
    ("pl-PL", include_str!("csl/locales/pl-PL.xml")),
    ("pt-BR", include_str!("csl/locales/pt-BR.xml")),
    ("pt-PT", include_str!("csl/locales/pt-PT.xml")),
    ("ru-RU", include_str!("csl/locales/ru-RU.xml")),
    ("sv-SE", include_str!("csl/locales/sv-SE.xml")),
];

/// The names `citation_style:` accepts for the bundled styles.
pub fn style_names() -> impl Iterator<Item = &'static str> {
    STYLES.iter().flat_map(|s| s.0.iter().copied())
}

/// A bundled style by a name a site may use, or by its CSL file name (for
/// a dependent style's parent).
fn bundled(name: &str) -> Option<IndependentStyle> {
    let (_, _, xml) = STYLES.iter().find(|s| s.0.contains(&name) || s.1 == name)?;
    IndependentStyle::from_xml(xml).ok()
}

/// The locale to format with and the locales it needs: the site's language
/// (`de` finds `de-DE`, `pt-BR` itself) and US English, which every style
/// falls back to; a language Scholion has no locale for formats in English.
fn locales(code: &str) -> (String, Vec<Locale>) {
    let lang = code.split(['-', '_']).next().unwrap_or("");
    let exact = LOCALES.iter().find(|l| l.0.eq_ignore_ascii_case(code));
    let by_lang = LOCALES.iter().find(|l| l.0.split('-').next() == Some(lang));
    let found = exact.or(by_lang).unwrap_or(&LOCALES[0]);
    let mut chosen = vec![&LOCALES[0]];
    if found.0 != "en-US" {
        chosen.push(found);
    }
    let parsed = chosen
        .into_iter()
        .filter_map(|(_, xml)| LocaleFile::from_xml(xml).ok().map(Locale::from))
        .collect();
    (found.0.to_string(), parsed)
}

/// The formatter of style `name` (or of the site's `.csl` file `file`,
/// path and text) in `locale`; the message says what is wrong.
pub fn formatter(
    name: &str,
    file: Option<&(String, String)>,
    locale: &str,
) -> Result<Formatter, String> {
    let style = match (file, bundled(name)) {
        (Some((rel, xml)), _) => match Style::from_xml(xml) {
            Ok(Style::Independent(s)) => s,
            Ok(Style::Dependent(d)) => {
                let parent = d.parent_link.href.as_str();
                let parent = parent.rsplit('/').next().unwrap_or("");
                bundled(parent).ok_or_else(|| {
                    format!("{rel} is a dependent CSL style whose parent `{parent}` is not bundled")
                })?
            }
            Err(e) => return Err(format!("{rel} is not a CSL style: {e}")),
        },
        (None, Some(s)) => s,
        (None, None) if name.ends_with(".csl") => {
            return Err(format!(
                "citation_style names `{name}`, but there is no such file in content/"
            ))
        }
        (None, None) => return Err(format!("citation_style `{name}` is not a bundled style")),
    };
    let (locale, locales) = locales(locale);
    Ok(Formatter {
        style,
        locales,
        locale: LocaleCode(locale),
        cited: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every bundled file parses: a broken one would fail only the sites
    /// that name it.
    #[test]
    fn every_bundled_style_and_locale_parses() {
        for (names, file, xml) in STYLES {
            assert!(
                IndependentStyle::from_xml(xml).is_ok(),
                "{file} ({names:?})"
            );
        }
        for (code, xml) in LOCALES {
            let l = LocaleFile::from_xml(xml).expect(code);
            assert_eq!(l.lang.0, *code);
        }
    }

    #[test]
    fn a_language_finds_its_locale_and_english_stays_the_fallback() {
        let codes = |c: &str| -> (String, Vec<String>) {
            let (code, list) = locales(c);
            (code, list.into_iter().map(|l| l.lang.unwrap().0).collect())
        };
        assert_eq!(
            codes("de"),
            ("de-DE".into(), vec!["en-US".into(), "de-DE".into()])
        );
        assert_eq!(
            codes("pt-BR"),
            ("pt-BR".into(), vec!["en-US".into(), "pt-BR".into()])
        );
        assert_eq!(codes("en"), ("en-US".into(), vec!["en-US".into()]));
        assert_eq!(
            codes("en-GB"),
            ("en-GB".into(), vec!["en-US".into(), "en-GB".into()])
        );
        assert_eq!(codes("sq"), ("en-US".into(), vec!["en-US".into()]));
    }
}
