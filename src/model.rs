//! The domain: a site's texts, their stand-off annotations, the glossary and
//! the free pages, as plain owned data. No I/O happens here; `parse` fills
//! these types from the files that `load` read, and every later stage reads
//! them. Positions (`Pos`) point back into the YAML/Markdown source so that
//! any later finding can name the file, line and column.

use serde::Serialize;
use std::collections::BTreeMap;

/// A 1-based line and column in a source file (0 when unknown).
#[derive(Debug, Clone, Hash, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Hash, Default, Serialize)]
pub struct Site {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    pub editors: Vec<Editor>,
    pub licence: Option<Licence>,
    pub edition: Option<String>,
    pub edition_date: Option<String>,
    pub base_url: Option<String>,
    /// A bundled CSL style's name or a `.csl` file in `content/`.
    pub citation_style: Option<String>,
    /// The locale of the citations; else the site's language.
    pub citation_locale: Option<String>,
}

impl Site {
    /// `base_url` with exactly one trailing slash, ready for a path to follow.
    pub fn base(&self) -> Option<String> {
        self.base_url
            .as_deref()
            .map(|b| format!("{}/", b.trim_end_matches('/')))
    }
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Editor {
    pub name: String,
    pub url: Option<String>,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Licence {
    pub name: String,
    pub url: Option<String>,
}

/// The front matter of a text: what the edition states about the document.
#[derive(Debug, Clone, Hash, Default, Serialize)]
pub struct TextMeta {
    pub title: String,
    pub short_title: Option<String>,
    pub date: Option<String>,
    pub place: Option<String>,
    pub issued_by: Vec<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub translation: Option<String>,
    pub transcription: Option<String>,
    pub order: Option<i64>,
    pub extra: BTreeMap<String, String>,
}

/// One primary source: `content/texts/<slug>.md`.
#[derive(Debug, Clone, Hash)]
pub struct Text {
    pub slug: String,
    /// Path relative to the site root, for messages.
    pub file: String,
    pub meta: TextMeta,
    /// The Markdown body, after the front matter; empty when it was not
    /// kept ([`Text::body_fingerprint`]).
    pub body: String,
    /// Line of the file on which the body starts (1-based).
    pub body_line: usize,
    /// Set when the body was let go once parsed, as a large collection's
    /// are: the fingerprint of the body, which is read again from the file
    /// when the text is anchored, and must then be the same.
    pub body_fingerprint: Option<u64>,
}

impl Text {
    pub fn short_title(&self) -> &str {
        self.meta.short_title.as_deref().unwrap_or(&self.meta.title)
    }
}

/// A free page: `content/pages/<slug>.md`.
#[derive(Debug, Clone, Hash)]
pub struct Page {
    pub slug: String,
    pub file: String,
    pub title: String,
    pub order: Option<i64>,
    pub body: String,
    pub body_line: usize,
}

/// Which passage an annotation belongs to, quoted as the reader sees it.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct Anchor {
    pub quote: String,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
}

#[derive(Debug, Clone, Hash, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    #[default]
    Note,
    Editorial,
    Translation,
}

impl NoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Note => "note",
            NoteKind::Editorial => "editorial",
            NoteKind::Translation => "translation",
        }
    }
}

#[derive(Debug, Clone, Hash)]
pub struct Note {
    pub id: String,
    pub id_pos: Pos,
    pub anchor: Anchor,
    pub anchor_pos: Pos,
    pub kind: NoteKind,
    /// Held, or, while a large site is built, written out to a temporary
    /// file and read again where it is used (`scratch::Strings`).
    pub body: crate::scratch::Spillable,
    /// Where each `[[…]]` of `body` stands in the file: (byte offset in
    /// `body`, position), so its error names its own line.
    pub body_refs: Vec<(usize, Pos)>,
    pub sources: Vec<String>,
}

/// A cross-link from a passage of one text to a place in another (or the same).
#[derive(Debug, Clone, Hash)]
pub struct Link {
    pub id: String,
    pub id_pos: Pos,
    pub anchor: Anchor,
    pub anchor_pos: Pos,
    pub to: String,
    pub to_pos: Pos,
    pub label: Option<String>,
}

/// Where a page of the printed source begins, quoted like a note's anchor.
#[derive(Debug, Clone, Hash)]
pub struct PageBreak {
    /// The page's label as printed ("5", "xiv", "12a").
    pub n: String,
    pub n_pos: Pos,
    pub starts: Anchor,
    pub starts_pos: Pos,
    /// `image:` and `alt:`, the page's facsimile under `content/facsimiles/`.
    pub image: Option<PageImage>,
}

/// A page's facsimile: its path under `content/facsimiles/` (checked to
/// stay there) and the words that stand for it.
#[derive(Debug, Clone, Hash)]
pub struct PageImage {
    pub path: String,
    pub pos: Pos,
    pub alt: String,
}

/// An image of `content/facsimiles/` that a page names, with its size.
#[derive(Debug, Clone, Hash)]
pub struct Facsimile {
    pub size: crate::image_size::Size,
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// `content/annotations/<slug>.yaml`.
#[derive(Debug, Clone, Hash, Default)]
pub struct Annotations {
    pub file: String,
    pub notes: Vec<Note>,
    pub links: Vec<Link>,
    /// The printed source's page beginnings, in the order written.
    pub pages: Vec<PageBreak>,
    /// The page the text before the first listed page is on (`pages_start:`).
    pub pages_start: Option<(String, Pos)>,
}

impl Annotations {
    /// The bodies of the notes, in their order: read back in one read when
    /// a large build wrote them out (see [`Note::body`]).
    pub fn bodies(&self) -> Vec<std::borrow::Cow<'_, str>> {
        crate::scratch::get_all(self.notes.iter().map(|n| &n.body))
    }

    /// The ids of the file's notes, then of its links, in the order
    /// written: the names a `[[slug#id]]` reference can point at.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.notes
            .iter()
            .map(|n| n.id.as_str())
            .chain(self.links.iter().map(|l| l.id.as_str()))
    }
}

#[derive(Debug, Clone, Hash, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    Concept,
    Person,
    Organisation,
    Place,
    Event,
    Work,
}

impl TermKind {
    pub const ALL: [TermKind; 6] = [
        TermKind::Concept,
        TermKind::Person,
        TermKind::Organisation,
        TermKind::Place,
        TermKind::Event,
        TermKind::Work,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Concept => "concept",
            TermKind::Person => "person",
            TermKind::Organisation => "organisation",
            TermKind::Place => "place",
            TermKind::Event => "event",
            TermKind::Work => "work",
        }
    }

    /// The kind as shown on an entry's page and in search results.
    pub fn label(self) -> &'static str {
        match self {
            TermKind::Concept => "Concept",
            TermKind::Person => "Person",
            TermKind::Organisation => "Organisation",
            TermKind::Place => "Place",
            TermKind::Event => "Event",
            TermKind::Work => "Work",
        }
    }

    pub fn plural_label(self) -> &'static str {
        match self {
            TermKind::Concept => "Concepts",
            TermKind::Person => "People",
            TermKind::Organisation => "Organisations",
            TermKind::Place => "Places",
            TermKind::Event => "Events",
            TermKind::Work => "Works",
        }
    }
}

#[derive(Debug, Clone, Hash, Copy, PartialEq, Eq, Default)]
pub enum LinkMode {
    #[default]
    First,
    All,
    None,
}

/// A glossary entry.
#[derive(Debug, Clone, Hash)]
pub struct Term {
    pub id: String,
    pub id_pos: Pos,
    pub term: String,
    pub kind: TermKind,
    pub aliases: Vec<String>,
    pub link: LinkMode,
    pub definition: String,
    /// Where each `[[…]]` of `definition` stands in the file, as `Note::body_refs`.
    pub definition_refs: Vec<(usize, Pos)>,
    pub see_also: Vec<(String, Pos)>,
    pub sources: Vec<String>,
    /// The key of A–Z lists, as written (`sort:`); else the term.
    pub sort: Option<String>,
    /// Authority identifiers, dates and coordinates (docs/formats.md).
    pub entity: EntityData,
}

/// The file of page `page` (1-based) of glossary entry `id`, from the site
/// root: `glossary/<id>.html`, then `glossary/<id>.2.html`, … (a dot never
/// occurs in an id, so a continuation never takes another entry's name).
pub fn entity_path(id: &str, page: usize) -> String {
    if page <= 1 {
        format!("glossary/{id}.html")
    } else {
        format!("glossary/{id}.{page}.html")
    }
}

impl Term {
    /// What A–Z lists sort this entry by: `sort:` when given, else the term.
    pub fn sort_text(&self) -> &str {
        self.sort.as_deref().unwrap_or(&self.term)
    }
}

/// What the glossary says of an entry beyond its definition: authority
/// identifiers (validated, never fetched), a person's life dates, an
/// event's date, a place's coordinates. Dates are ISO 8601 texts as a
/// text's `date:` (a day, month, year or interval).
#[derive(Debug, Clone, Hash, Default, PartialEq)]
pub struct EntityData {
    /// `Q…`
    pub wikidata: Option<String>,
    pub viaf: Option<String>,
    pub gnd: Option<String>,
    pub geonames: Option<String>,
    pub born: Option<String>,
    pub died: Option<String>,
    pub date: Option<String>,
    pub coordinates: Option<Coordinates>,
}

/// Latitude and longitude in decimal degrees, range-checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

impl std::hash::Hash for Coordinates {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.lat.to_bits().hash(h);
        self.lon.to_bits().hash(h);
    }
}

/// Everything a site folder holds, parsed.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub site: Site,
    /// Sorted by `order`, then slug.
    pub texts: Vec<Text>,
    /// Keyed by text slug.
    pub annotations: BTreeMap<String, Annotations>,
    pub glossary: Vec<Term>,
    pub glossary_file: String,
    pub pages: Vec<Page>,
    /// The works of `content/bibliography.*` (empty without one).
    pub bibliography: Bibliography,
    /// The facsimile images pages name, by path under `content/facsimiles/`.
    pub facsimiles: BTreeMap<String, Facsimile>,
    /// Files that did not parse: references into them are not reported
    /// again, so one mistake gives one error.
    pub broken: Broken,
}

#[derive(Debug, Clone, Default)]
pub struct Broken {
    pub glossary: bool,
    /// Slugs of texts whose file or annotation file did not parse.
    pub texts: std::collections::BTreeSet<String>,
}

/// The position of the `[[…]]` at byte `at` of a note body or definition,
/// from its `*_refs`; `None` when it was not found as written.
pub fn ref_pos(refs: &[(usize, Pos)], at: usize) -> Option<Pos> {
    refs.iter().find(|(o, _)| *o == at).map(|(_, p)| *p)
}

/// `[a-z0-9][a-z0-9-]*`: the slugs of texts and pages.
pub fn is_valid_slug(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `[a-z][a-z0-9-]*`: note, link and glossary ids.
pub fn is_valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A page label made safe for an HTML id (`page-<this>`): letters, digits,
/// `-`, `_` and `.` kept, anything else (spaces, slashes, brackets) a `-`.
pub fn page_id(label: &str) -> String {
    label
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// `p` followed by digits: reserved for paragraph numbers.
pub fn is_paragraph_id(s: &str) -> bool {
    s.len() > 1 && s.starts_with('p') && s[1..].chars().all(|c| c.is_ascii_digit())
}

/// One work, with where it was defined.
#[derive(Debug, Clone)]
pub struct Work {
    pub entry: hayagriva::Entry,
    pub file: String,
    pub line: usize,
}

/// Every work of the site, in the order of the files (`.bib`, `.json`,
/// `.yaml`) and of the entries in each.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    pub works: Vec<Work>,
    pub by_key: std::collections::HashMap<String, usize>,
    /// The style's name (`chicago-notes`, `mla`, `apa`, or a `.csl` file).
    pub style: String,
    /// The style ready to format with, made when the site has works; an
    /// unknown style or a `.csl` file that does not parse is the message.
    pub formatter: Option<Result<Formatter, String>>,
    /// The fingerprint of the files it was read from (the preview renders
    /// every page again when they change: any note may cite a work).
    pub source: u64,
}

impl Bibliography {
    /// The works' titles long enough (12 characters or more) not to be
    /// found in a plain-text source by chance, lower-cased, with their keys:
    /// what W0341 and `import sources` match a plain source against.
    pub fn matchable_titles(&self) -> Vec<(String, &str)> {
        self.works
            .iter()
            .filter_map(|w| {
                let t = w.entry.title()?.value.to_string().to_lowercase();
                (t.chars().count() >= 12).then(|| (t, w.entry.key()))
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.works.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Work> {
        self.by_key.get(key).map(|&i| &self.works[i])
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.works.iter().map(|w| w.entry.key())
    }

    /// The formatter of the site's style; an unknown style or a `.csl`
    /// file that does not parse is the error message.
    pub fn formatter(&self) -> Result<&Formatter, &str> {
        match &self.formatter {
            Some(Ok(f)) => Ok(f),
            Some(Err(m)) => Err(m),
            None => Err("the site has no bibliography"),
        }
    }
}

/// A CSL style with its locales, ready to format with: parsed by
/// `parse::citation_style`, used by `crate::bibliography::format`.
#[derive(Debug, Clone)]
pub struct Formatter {
    pub style: hayagriva::citationberg::IndependentStyle,
    pub locales: Vec<hayagriva::citationberg::Locale>,
    pub locale: hayagriva::citationberg::LocaleCode,
    /// The citations and the bibliography formatted so far
    /// (`crate::bibliography::format`).
    pub cited: CitationCache,
}

/// What was formatted already: citations by their works' keys, locators
/// and form, and the bibliography of the works last listed. A standalone
/// citation depends on nothing else, and a site cites the same works again
/// and again (formatting by CSL was most of the time of a build whose
/// notes cite much); the bibliography is written out three times a build
/// (its page, and twice for the search index). Lives with its
/// [`Bibliography`], so it never outlives the entries its keys name; a
/// copy starts empty.
#[derive(Default)]
pub struct CitationCache {
    /// Citations as Markdown, by their works' keys, locators and form.
    pub citations: std::sync::RwLock<std::collections::HashMap<String, String>>,
    /// The keys of the works last listed, and their entries laid out.
    pub listed: std::sync::Mutex<Option<(String, Listed)>>,
}

/// Works' entries as the style lays them out, shared between the page and
/// the search index.
pub type Listed = std::sync::Arc<Vec<hayagriva::BibliographyItem>>;

impl CitationCache {
    /// At most this many citations are kept.
    pub const MAX: usize = 1 << 16;
}

impl Clone for CitationCache {
    fn clone(&self) -> Self {
        CitationCache::default()
    }
}

impl std::fmt::Debug for CitationCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CitationCache")
    }
}
