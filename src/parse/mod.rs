//! From raw files to the domain model: front matter, `site.yaml`, annotation
//! files and the glossary, each through serde with unknown keys refused.
//! Structural checks that need only one file (id syntax, duplicates, slugs)
//! happen here; checks across files happen in `resolve`.

pub mod bibliography;
mod citation_style;
mod csl_json;
pub mod entity;
pub mod markdown;
pub mod refs;
pub mod yaml;

use crate::diagnostics::{Diagnostic, Report};
use crate::load::{Loaded, SourceFile};
use crate::model::*;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use yaml::{pos_of, shift, Scalar, Spanned};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteYaml {
    title: String,
    description: Option<String>,
    language: Option<String>,
    #[serde(default)]
    editors: Vec<EditorYaml>,
    licence: Option<LicenceYaml>,
    edition: Option<Scalar>,
    edition_date: Option<Scalar>,
    base_url: Option<Spanned<String>>,
    citation_style: Option<String>,
    citation_locale: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditorYaml {
    name: String,
    url: Option<Spanned<String>>,
    role: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LicenceYaml {
    name: String,
    url: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextFrontMatter {
    title: String,
    short_title: Option<String>,
    date: Option<Scalar>,
    place: Option<String>,
    #[serde(default)]
    issued_by: Vec<String>,
    source: Option<String>,
    source_url: Option<Spanned<String>>,
    translation: Option<String>,
    transcription: Option<String>,
    order: Option<i64>,
    #[serde(default)]
    extra: BTreeMap<String, Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFrontMatter {
    title: Option<String>,
    order: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AnnotationFileYaml {
    #[serde(default)]
    notes: Vec<NoteYaml>,
    #[serde(default)]
    links: Vec<LinkYaml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteYaml {
    id: Spanned<String>,
    anchor: Spanned<AnchorYaml>,
    #[serde(default)]
    kind: NoteKindYaml,
    body: Option<Spanned<String>>,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum NoteKindYaml {
    #[default]
    Note,
    Editorial,
    Translation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkYaml {
    id: Spanned<String>,
    anchor: Spanned<AnchorYaml>,
    to: Spanned<String>,
    label: Option<String>,
}

/// An anchor as written: the quoted words, or a mapping with `quote` and
/// the words around it. Decided by the kind of YAML value, so a mistake
/// inside the mapping (a misspelt `prefix`) is reported as itself, and
/// nothing is parsed twice.
enum AnchorYaml {
    Quote(String),
    Full(AnchorFull),
}

/// What an anchor may be, in the words of the error a user sees
/// (`yaml::classify` gives such an error its own help).
pub(crate) const ANCHOR_EXPECTED: &str = "an anchor: the words of the text in quotation marks, or a mapping with `quote:` (and, where needed, `prefix:` and `suffix:`)";

impl<'de> Deserialize<'de> for AnchorYaml {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = AnchorYaml;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(ANCHOR_EXPECTED)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AnchorYaml, E> {
                Ok(AnchorYaml::Quote(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<AnchorYaml, E> {
                Ok(AnchorYaml::Quote(v))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, m: M) -> Result<AnchorYaml, M::Error> {
                AnchorFull::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(AnchorYaml::Full)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnchorFull {
    quote: String,
    prefix: Option<String>,
    suffix: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermYaml {
    id: Spanned<String>,
    term: String,
    kind: TermKindYaml,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    link: LinkModeYaml,
    definition: Option<Spanned<String>>,
    #[serde(default)]
    see_also: Vec<Spanned<String>>,
    #[serde(default)]
    sources: Vec<String>,
    sort: Option<String>,
    wikidata: Option<Spanned<Scalar>>,
    viaf: Option<Spanned<Scalar>>,
    gnd: Option<Spanned<Scalar>>,
    geonames: Option<Spanned<Scalar>>,
    born: Option<Spanned<Scalar>>,
    died: Option<Spanned<Scalar>>,
    date: Option<Spanned<Scalar>>,
    coordinates: Option<Spanned<Vec<Scalar>>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum TermKindYaml {
    Concept,
    Person,
    Organisation,
    Place,
    Event,
    Work,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum LinkModeYaml {
    #[default]
    First,
    All,
    None,
}

/// Parses everything `load` read. Files with errors are reported and left
/// out, so one run reports the problems of every file.
pub fn parse_corpus(loaded: &Loaded, report: &mut Report) -> Corpus {
    parse_corpus_with(loaded.clone(), report, None)
}

/// The parse of each text and annotation file, kept between compiles by
/// `scholion serve`, keyed by the file's path and contents: parsing a file
/// depends on nothing else, so an unchanged file is not parsed again.
#[derive(Default)]
pub struct ParseCache {
    texts: Cached<Text>,
    annotations: Cached<Annotations>,
}

type Cached<T> = std::collections::HashMap<String, (u64, Option<T>, Report)>;

/// A file parsed: its path and stem, what it gave, and its report.
struct Parsed<T> {
    rel: String,
    stem: String,
    parsed: Option<T>,
    report: Report,
}

/// Parses `files` in parallel, each with its own report, in their order.
/// Each file's text is let go as soon as it is parsed, so the sources and
/// their parse are never all in memory together. Unchanged files are taken
/// from `cache` (when there is one), which is left holding exactly the
/// files given.
fn parse_files<T: Clone + Send + Sync>(
    files: Vec<SourceFile>,
    cache: Option<&mut Cached<T>>,
    parse: impl Fn(&SourceFile, &mut Report) -> Option<T> + Sync,
) -> Vec<Parsed<T>> {
    let old = cache.as_deref();
    let results: Vec<(u64, bool, Parsed<T>)> = files
        .into_par_iter()
        .map(|f| {
            let key = old.map_or(0, |_| crate::hash::fingerprint(&f.text));
            let hit = old
                .and_then(|c| c.get(&f.rel))
                .filter(|e| e.0 == key)
                .map(|(_, parsed, r)| (parsed.clone(), r.clone()));
            let fresh = hit.is_none();
            let (parsed, report) = hit.unwrap_or_else(|| {
                let mut r = Report::default();
                (parse(&f, &mut r), r)
            });
            let SourceFile { rel, stem, .. } = f;
            (
                key,
                fresh,
                Parsed {
                    rel,
                    stem,
                    parsed,
                    report,
                },
            )
        })
        .collect();
    if let Some(cache) = cache {
        let mut old = std::mem::take(cache);
        for (key, fresh, p) in &results {
            // An unchanged file's entry is moved back; a new parse stored.
            let entry = match old.remove(&p.rel) {
                Some(e) if !fresh => e,
                _ => (*key, p.parsed.clone(), p.report.clone()),
            };
            cache.insert(p.rel.clone(), entry);
        }
    }
    results.into_iter().map(|r| r.2).collect()
}

/// Like [`parse_corpus`], taking what `load` read (and freeing it as it
/// goes), and reusing and refreshing `cache` when one is given.
pub fn parse_corpus_with(
    loaded: Loaded,
    report: &mut Report,
    mut cache: Option<&mut ParseCache>,
) -> Corpus {
    let mut corpus = Corpus::default();
    match &loaded.site {
        Some(f) => {
            if let Some(site) = parse_site(f, report) {
                corpus.site = site;
            }
        }
        None => report.push(
            Diagnostic::error(
                "E0005",
                "content/site.yaml",
                "the site has no content/site.yaml",
            )
            .help("create content/site.yaml with at least a line `title: My reader`"),
        ),
    }
    let Loaded {
        glossary,
        texts,
        annotations,
        pages,
        bibliography,
        ..
    } = loaded;
    corpus.bibliography = bibliography::read(&bibliography, &corpus.site, report);

    let slugs: BTreeSet<String> = texts.iter().map(|t| t.stem.clone()).collect();
    // Files are parsed in parallel, each with its own report, merged in file order.
    let texts = parse_files(
        texts,
        cache.as_deref_mut().map(|c| &mut c.texts),
        parse_text,
    );
    for p in texts {
        report.extend(p.report.diagnostics);
        match p.parsed {
            Some(t) => corpus.texts.push(t),
            None => {
                corpus.broken.texts.insert(p.stem);
            }
        }
    }
    corpus.texts.sort_by(|a, b| {
        (a.meta.order.unwrap_or(i64::MAX), &a.slug)
            .cmp(&(b.meta.order.unwrap_or(i64::MAX), &b.slug))
    });

    // Annotation files without a text are reported, not parsed.
    let (annotations, orphans): (Vec<SourceFile>, Vec<SourceFile>) = annotations
        .into_iter()
        .partition(|f| slugs.contains(&f.stem));
    for f in orphans {
        report.push(
            Diagnostic::error(
                "E0210",
                f.rel.clone(),
                format!(
                    "annotation file without a text: there is no content/texts/{}.md",
                    f.stem
                ),
            )
            .help("an annotation file takes the name of its text: rename it, or add the text"),
        );
    }
    let annotations = parse_files(
        annotations,
        cache.map(|c| &mut c.annotations),
        parse_annotations,
    );
    for p in annotations {
        report.extend(p.report.diagnostics);
        match p.parsed {
            Some(a) => {
                corpus.annotations.insert(p.stem, a);
            }
            None => {
                corpus.broken.texts.insert(p.stem);
            }
        }
    }

    if let Some(f) = &glossary {
        corpus.glossary_file = f.rel.clone();
        let errors_before = report.errors();
        let slugs: BTreeSet<&str> = slugs.iter().map(String::as_str).collect();
        corpus.glossary = parse_glossary(f, &slugs, report);
        corpus.broken.glossary = report.errors() > errors_before;
    } else {
        corpus.glossary_file = "content/glossary.yaml".into();
    }

    for f in &pages {
        if let Some(p) = parse_page(f, report) {
            corpus.pages.push(p);
        }
    }
    corpus.pages.sort_by(|a, b| {
        (a.order.unwrap_or(i64::MAX), &a.slug).cmp(&(b.order.unwrap_or(i64::MAX), &b.slug))
    });
    corpus
}

fn parse_site(f: &SourceFile, report: &mut Report) -> Option<Site> {
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
fn checked_url(
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

fn check_slug(f: &SourceFile, kind: &str, report: &mut Report) -> bool {
    if is_valid_slug(&f.stem) {
        return true;
    }
    report.push(
        Diagnostic::error(
            "E0200",
            f.rel.clone(),
            format!("the file name `{}` is not a valid {kind} slug", f.stem),
        )
        .help("rename the file using only lower-case letters a-z, digits and hyphens, starting with a letter or digit (e.g. 1957-moscow-declaration.md)"),
    );
    false
}

fn parse_text(f: &SourceFile, report: &mut Report) -> Option<Text> {
    if !check_slug(f, "text", report) {
        return None;
    }
    let fm = match markdown::split_front_matter(&f.text) {
        Ok(fm) => fm,
        Err(_) => {
            report.push(
                Diagnostic::error("E0201", f.rel.clone(), "the front matter is not closed")
                    .at(1, 1)
                    .help("end the front matter with a line of three hyphens: ---"),
            );
            return None;
        }
    };
    let Some(yaml_src) = fm.yaml else {
        report.push(
            Diagnostic::error("E0202", f.rel.clone(), "the text has no front matter")
                .at(1, 1)
                .help("start the file with a front matter block:\n---\ntitle: The title of the text\n---"),
        );
        return None;
    };
    if yaml_src.trim().is_empty() {
        report.push(
            Diagnostic::error(
                "E0104",
                f.rel.clone(),
                "the front matter is empty: a text needs at least a `title`",
            )
            .at(fm.yaml_line.saturating_sub(1).max(1), 1)
            .help(
                "write the text's title between the two --- lines: `title: The title of the text`",
            ),
        );
        return None;
    }
    let y: TextFrontMatter = match yaml::parse(yaml_src, &f.rel, fm.yaml_line) {
        Ok(y) => y,
        Err(d) => {
            report.push(d);
            return None;
        }
    };
    if let Some((line, column)) = markdown::too_deep(fm.body, markdown::MAX_NESTING) {
        report.push(
            Diagnostic::error(
                "E0204",
                f.rel.clone(),
                format!(
                    "block quotes and lists are nested more than {} levels deep here",
                    markdown::MAX_NESTING
                ),
            )
            .at(fm.body_line + line - 1, column)
            .help("no text needs such nesting: this is usually a generated or damaged file; remove the repeated `>` or `- ` markers"),
        );
        return None;
    }
    Some(Text {
        slug: f.stem.clone(),
        file: f.rel.clone(),
        meta: TextMeta {
            title: y.title,
            short_title: y.short_title,
            date: y.date.map(|s| s.0),
            place: y.place,
            issued_by: y.issued_by,
            source: y.source,
            source_url: checked_url(&f.rel, "source_url", y.source_url, fm.yaml_line, report),
            translation: y.translation,
            transcription: y.transcription,
            order: y.order,
            extra: y.extra.into_iter().map(|(k, v)| (k, v.0)).collect(),
        },
        body: fm.body.to_string(),
        body_line: fm.body_line,
    })
}

/// The names of the pages Scholion writes itself at the site's root (and
/// `glossary/`, the entries' pages): a free page may not take them.
pub const RESERVED_PAGES: [&str; 7] = [
    "index",
    "glossary",
    "404",
    "search",
    "timeline",
    "map",
    "bibliography",
];

fn parse_page(f: &SourceFile, report: &mut Report) -> Option<Page> {
    if !check_slug(f, "page", report) {
        return None;
    }
    if RESERVED_PAGES.contains(&f.stem.as_str()) {
        report.push(
            Diagnostic::error(
                "E0203",
                f.rel.clone(),
                format!(
                    "a free page may not be called `{}`: Scholion writes {}.html itself",
                    f.stem, f.stem
                ),
            )
            .help("rename the page"),
        );
        return None;
    }
    let fm = match markdown::split_front_matter(&f.text) {
        Ok(fm) => fm,
        Err(_) => {
            report.push(
                Diagnostic::error("E0201", f.rel.clone(), "the front matter is not closed")
                    .at(1, 1)
                    .help("end the front matter with a line of three hyphens: ---"),
            );
            return None;
        }
    };
    let (title, order) = match fm.yaml.filter(|y| !y.trim().is_empty()) {
        Some(y) => match yaml::parse::<PageFrontMatter>(y, &f.rel, fm.yaml_line) {
            Ok(p) => (p.title, p.order),
            Err(d) => {
                report.push(d);
                return None;
            }
        },
        None => (None, None),
    };
    Some(Page {
        slug: f.stem.clone(),
        file: f.rel.clone(),
        title: title.unwrap_or_else(|| f.stem.clone()),
        order,
        body: fm.body.to_string(),
        body_line: fm.body_line,
    })
}

fn anchor_of(a: AnchorYaml) -> Anchor {
    match a {
        AnchorYaml::Quote(quote) => Anchor {
            quote,
            prefix: None,
            suffix: None,
        },
        AnchorYaml::Full(f) => Anchor {
            quote: f.quote,
            prefix: f.prefix,
            suffix: f.suffix,
        },
    }
}

fn check_id(file: &str, id: &str, pos: Pos, what: &str, report: &mut Report) -> bool {
    if !is_valid_id(id) {
        report.push(
            Diagnostic::error("E0220", file, format!("the {what} id `{id}` is not valid"))
                .at(pos.line, pos.column)
                .help("ids use lower-case letters a-z, digits and hyphens, and start with a letter (e.g. twentieth-congress)"),
        );
        return false;
    }
    if is_paragraph_id(id) {
        report.push(
            Diagnostic::error(
                "E0221",
                file,
                format!("the {what} id `{id}` looks like a paragraph number"),
            )
            .at(pos.line, pos.column)
            .help(
                "`p` followed by digits is reserved for paragraphs (#p12): choose a descriptive id",
            ),
        );
        return false;
    }
    true
}

fn parse_annotations(f: &SourceFile, report: &mut Report) -> Option<Annotations> {
    let y: AnnotationFileYaml = if f.text.trim().is_empty() {
        AnnotationFileYaml::default()
    } else {
        match yaml::parse(&f.text, &f.rel, 1) {
            Ok(y) => y,
            Err(d) => {
                report.push(d);
                return None;
            }
        }
    };
    let mut out = Annotations {
        file: f.rel.clone(),
        ..Default::default()
    };
    let mut seen: BTreeMap<String, Pos> = BTreeMap::new();
    let mut dup = |id: &str, pos: Pos, report: &mut Report| -> bool {
        if let Some(first) = seen.get(id) {
            report.push(
                Diagnostic::error("E0222", f.rel.clone(), format!("duplicate id `{id}`"))
                    .at(pos.line, pos.column)
                    .help(format!(
                        "it is first used on line {}; notes and links of a text need distinct ids",
                        first.line
                    )),
            );
            true
        } else {
            seen.insert(id.to_string(), pos);
            false
        }
    };
    let mut lines: Option<Vec<usize>> = None;
    for n in y.notes {
        let id_pos = pos_of(&n.id);
        let id = n.id.value;
        let ok = check_id(&f.rel, &id, id_pos, "note", report);
        if dup(&id, id_pos, report) || !ok {
            continue;
        }
        out.notes.push(Note {
            id,
            id_pos,
            anchor_pos: pos_of(&n.anchor),
            anchor: anchor_of(n.anchor.value),
            kind: match n.kind {
                NoteKindYaml::Note => NoteKind::Note,
                NoteKindYaml::Editorial => NoteKind::Editorial,
                NoteKindYaml::Translation => NoteKind::Translation,
            },
            body_refs: value_refs(&f.text, &mut lines, n.body.as_ref()),
            body: n.body.map(|b| b.value).unwrap_or_default(),
            sources: n.sources,
        });
    }
    for l in y.links {
        let id_pos = pos_of(&l.id);
        let id = l.id.value;
        let ok = check_id(&f.rel, &id, id_pos, "link", report);
        if dup(&id, id_pos, report) || !ok {
            continue;
        }
        out.links.push(Link {
            id,
            id_pos,
            anchor_pos: pos_of(&l.anchor),
            anchor: anchor_of(l.anchor.value),
            to_pos: pos_of(&l.to),
            to: l.to.value,
            label: l.label,
        });
    }
    Some(out)
}

/// A term or alias as the glossary matcher sees it: normalised, and
/// compared without regard to case.
fn match_form(s: &str) -> String {
    crate::text::normalize::normalize_quote(s).to_lowercase()
}

/// The aliases of the entry `id`, each checked against the forms of every
/// term and of the aliases before it (`forms`: folded form → entry id): an
/// empty alias, one written twice (exactly: spellings that differ by a
/// capital or a dash are the entry's own) or one that is another entry's term or
/// alias is an error and left out (the entry stays); a one-letter alias,
/// which would link every such letter standing alone, is a warning.
fn checked_aliases(
    file: &str,
    id: &str,
    term: &str,
    aliases: Vec<Spanned<String>>,
    forms: &mut BTreeMap<String, String>,
    report: &mut Report,
) -> Vec<String> {
    let own = match_form(term);
    let mut out: Vec<String> = Vec::new();
    for a in aliases {
        let pos = pos_of(&a);
        let form = match_form(&a.value);
        let clash = if form.is_empty() {
            Some((
                format!("the glossary entry `{id}` has an empty alias"),
                "remove the empty item from `aliases:`".to_string(),
            ))
        } else if form == own {
            None
        } else {
            match forms.get(&form) {
                // Spellings of one alias (a dash, a capital) are the entry's own.
                Some(other) if other == id && !out.contains(&a.value) => None,
                Some(other) if other == id => Some((
                    format!("the alias `{}` of `{id}` is written twice", a.value),
                    "remove one of the two".to_string(),
                )),
                Some(other) => Some((
                    format!(
                        "the alias `{}` of `{id}` is also the term or an alias of `{other}`",
                        a.value
                    ),
                    format!("a word can link to one entry only: remove it from `{id}` or from `{other}`"),
                )),
                None => None,
            }
        };
        if let Some((message, help)) = clash {
            report.push(
                Diagnostic::error("E0224", file, message)
                    .at(pos.line, pos.column)
                    .help(help),
            );
            continue;
        }
        if form.chars().count() == 1 {
            report.push(
                Diagnostic::warning(
                    "W0105",
                    file,
                    format!("the alias `{}` of `{id}` is a single letter", a.value),
                )
                .at(pos.line, pos.column)
                .help("it links every such letter standing alone in the texts (an initial, a list item `a`): write the alias out in full"),
            );
        }
        forms.insert(form, id.to_string());
        out.push(a.value);
    }
    out
}

/// The positions of the `[[…]]` references in a Markdown value of a YAML
/// file `src`; `lines` holds the file's line starts once one is needed.
fn value_refs(
    src: &str,
    lines: &mut Option<Vec<usize>>,
    value: Option<&Spanned<String>>,
) -> Vec<(usize, Pos)> {
    let Some(v) = value.filter(|v| v.value.contains("[[")) else {
        return Vec::new();
    };
    let line = pos_of(v).line.max(1);
    let starts = lines.get_or_insert_with(|| refs::line_starts(src));
    let start = starts.get(line - 1).copied().unwrap_or(src.len());
    refs::positions_in(src, line, start, &v.value)
}

fn parse_glossary(f: &SourceFile, text_slugs: &BTreeSet<&str>, report: &mut Report) -> Vec<Term> {
    if f.text.trim().is_empty() {
        return Vec::new();
    }
    let y: Vec<TermYaml> = match yaml::parse(&f.text, &f.rel, 1) {
        Ok(y) => y,
        Err(d) => {
            report.push(d);
            return Vec::new();
        }
    };
    let mut seen: BTreeMap<String, Pos> = BTreeMap::new();
    let mut out = Vec::new();
    let mut lines: Option<Vec<usize>> = None;
    // Every term's form as matched (folded), for clashes with the aliases.
    let mut forms: BTreeMap<String, String> = y
        .iter()
        .map(|t| (match_form(&t.term), t.id.value.clone()))
        .collect();
    for t in y {
        let id_pos = shift(pos_of(&t.id), 1);
        let id = t.id.value;
        if !check_id(&f.rel, &id, id_pos, "glossary", report) {
            continue;
        }
        if let Some(first) = seen.get(&id) {
            report.push(
                Diagnostic::error(
                    "E0222",
                    f.rel.clone(),
                    format!("duplicate glossary id `{id}`"),
                )
                .at(id_pos.line, id_pos.column)
                .help(format!(
                    "it is first used on line {}; give each entry its own id",
                    first.line
                )),
            );
            continue;
        }
        if text_slugs.contains(id.as_str()) {
            report.push(
                Diagnostic::error(
                    "E0223",
                    f.rel.clone(),
                    format!("the glossary id `{id}` is also the slug of a text"),
                )
                .at(id_pos.line, id_pos.column)
                .help("[[id]] references would be ambiguous: rename the glossary entry"),
            );
            continue;
        }
        seen.insert(id.clone(), id_pos);
        let kind = match t.kind {
            TermKindYaml::Concept => TermKind::Concept,
            TermKindYaml::Person => TermKind::Person,
            TermKindYaml::Organisation => TermKind::Organisation,
            TermKindYaml::Place => TermKind::Place,
            TermKindYaml::Event => TermKind::Event,
            TermKindYaml::Work => TermKind::Work,
        };
        let entity_yaml = entity::EntityYaml {
            wikidata: t.wikidata,
            viaf: t.viaf,
            gnd: t.gnd,
            geonames: t.geonames,
            born: t.born,
            died: t.died,
            date: t.date,
            coordinates: t.coordinates,
        };
        let entity = entity::entity_data(&f.rel, &id, kind, entity_yaml, report);
        let aliases = checked_aliases(&f.rel, &id, &t.term, t.aliases, &mut forms, report);
        out.push(Term {
            id,
            id_pos,
            term: t.term,
            kind,
            aliases,
            link: match t.link {
                LinkModeYaml::First => LinkMode::First,
                LinkModeYaml::All => LinkMode::All,
                LinkModeYaml::None => LinkMode::None,
            },
            definition_refs: value_refs(&f.text, &mut lines, t.definition.as_ref()),
            definition: t.definition.map(|d| d.value).unwrap_or_default(),
            see_also: t
                .see_also
                .into_iter()
                .map(|s| (s.value.clone(), pos_of(&s)))
                .collect(),
            sources: t.sources,
            sort: t.sort.filter(|s| !s.trim().is_empty()),
            entity,
        });
    }
    out
}
