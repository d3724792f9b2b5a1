//! Attaching annotations to texts: anchors to passages (per text, in
//! parallel), glossary terms to their occurrences, cross-links to their
//! targets, and the back-references that targets show. Every problem is
//! returned as a diagnostic; nothing here stops at the first one.
//!
//! This file holds the resolved site's types and the pass that runs the
//! jobs in order (with the anchorings `scholion serve` keeps);
//! `anchoring.rs` anchors one text, `targets.rs` follows cross-links,
//! `checks.rs` checks references and glossary use, `references.rs` expands
//! `[[…]]`. No file is read here: a text let go is read again through the
//! [`Sources`] the driver hands down.

use crate::anchor::{self, Place, Query};
use crate::diagnostics::{Diagnostic, Report};
use crate::document::{self, Document, PassageKind};
use crate::hash::fingerprint;
use crate::load::Sources;
use crate::model::*;
use crate::parse::markdown::split_front_matter;
use crate::terms::TermMatcher;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

mod anchoring;
mod bibliography;
pub mod kwic;

mod checks;
mod pages;
mod references;
mod targets;

use anchoring::anchor_text;
use checks::{check_references, glossary_use};
pub use pages::{locator, AnchoredPage, Pages};
pub use references::{expand, RefError};
use targets::{link_targets, wanted_targets};
pub use targets::{parse_target, TargetError};

/// Quotes longer than this draw a warning: a note belongs to a phrase, not a page.
pub const LONG_QUOTE: usize = 300;

#[derive(Debug, Clone)]
pub struct AnchoredNote {
    /// Index into the text's `Annotations::notes`.
    pub index: usize,
    pub place: Place,
    /// Number shown in the marker, in reading order (1-based).
    pub number: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The whole text.
    Text {
        text: usize,
    },
    Paragraph {
        text: usize,
        number: u32,
    },
    Note {
        text: usize,
        id: String,
    },
    Link {
        text: usize,
        id: String,
    },
}

impl Target {
    pub fn text(&self) -> usize {
        match self {
            Target::Text { text }
            | Target::Paragraph { text, .. }
            | Target::Note { text, .. }
            | Target::Link { text, .. } => *text,
        }
    }

    /// The fragment of the target page, with its `#`.
    pub fn fragment(&self) -> String {
        match self {
            Target::Text { .. } => String::new(),
            Target::Paragraph { number, .. } => format!("#p{number}"),
            Target::Note { id, .. } => format!("#n-{id}"),
            Target::Link { id, .. } => format!("#l-{id}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AnchoredLink {
    pub index: usize,
    pub place: Place,
    pub target: Option<Target>,
    /// The linked words, as the reader sees them (trimmed).
    pub snippet: String,
    /// The ¶ number of the passage the link is in.
    pub number: Option<u32>,
}

/// A glossary term found in a passage. Kept small (36 bytes): a large
/// collection holds hundreds of thousands of them from anchoring to the
/// end of the build.
#[derive(Debug, Clone)]
pub struct TermHit {
    passage: u32,
    range: (u32, u32),
    term: u32,
    /// The words around it, for the entry's page, in the text's
    /// [`AnchoredText::lines`].
    pub line: kwic::LineAt,
}

impl TermHit {
    pub fn new(passage: usize, range: Range<usize>, term: usize) -> TermHit {
        let n = |i: usize| u32::try_from(i).expect("a passage and a glossary of under 4 GB");
        TermHit {
            passage: n(passage),
            range: (n(range.start), n(range.end)),
            term: n(term),
            line: Default::default(),
        }
    }
    /// The passage's index in its text.
    pub fn passage(&self) -> usize {
        self.passage as usize
    }
    /// Where the words are in the passage's text.
    pub fn range(&self) -> Range<usize> {
        self.range.0 as usize..self.range.1 as usize
    }
    /// The glossary entry's index.
    pub fn term(&self) -> usize {
        self.term as usize
    }
}

/// A cross-link arriving at a passage: shown as "Referenced from". It
/// says only which link it is: the link's words, ¶, id and label are read
/// from the link itself, since a large collection holds every one of them
/// from resolving to the end of the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backref {
    from_text: u32,
    link: u32,
}

impl Backref {
    /// The `link`th anchored link of text `from_text`.
    pub fn new(from_text: usize, link: usize) -> Backref {
        let n = |i: usize| u32::try_from(i).expect("under 4 billion texts and links");
        Backref {
            from_text: n(from_text),
            link: n(link),
        }
    }
    /// The index of the text the link is in.
    pub fn from_text(&self) -> usize {
        self.from_text as usize
    }
    /// The link as anchored in its text: the linked words (`snippet`) and
    /// the ¶ they are in (`number`).
    pub fn anchored<'r>(&self, r: &'r Resolved) -> &'r AnchoredLink {
        &r.texts[self.from_text()].links[self.link as usize]
    }
    /// The link as written in its annotation file: its `id` and `label`.
    pub fn link<'c>(&self, r: &Resolved<'c>) -> &'c crate::model::Link {
        let ann = r
            .annotations(self.from_text())
            .expect("links come from annotations");
        &ann.links[self.anchored(r).index]
    }
}

#[derive(Debug, Clone)]
pub struct AnchoredText {
    /// The analysis, or where to make it again (see [`DocRef`]).
    pub doc: DocRef,
    /// Sorted by number (reading order).
    pub notes: Vec<AnchoredNote>,
    pub links: Vec<AnchoredLink>,
    pub terms: Vec<TermHit>,
    /// The keyword-in-context lines of `terms`, end to end.
    pub lines: kwic::Lines,
    /// The printed source's pages, in the text's order.
    pub pages: Pages,
    /// Per passage index: cross-links that arrive there.
    pub backrefs: BTreeMap<usize, Vec<Backref>>,
    /// What other pages need of the analysis, kept without it.
    pub facts: DocFacts,
}

/// A text's analysis, held or let go.
#[derive(Debug, Clone)]
pub enum DocRef {
    /// Kept in memory; shared, so a cached anchoring is reused without
    /// copying the text.
    Held(Arc<Document>),
    /// Let go once the text was anchored: made again from the text's file,
    /// read through [`Resolved`]'s [`Sources`], when the text's own files
    /// are made, provided its body still has the fingerprint `body` it had
    /// when it was anchored.
    Source { body: u64 },
}

/// What is known of a text's analysis without the analysis itself: enough
/// for cross-links into the text, the pages of other texts, the glossary
/// and the search index's version. A build lets each analysis go once the
/// text is anchored and makes it again for the text's own files, so a large
/// collection never holds the analyses of all its texts at once.
#[derive(Debug, Clone, Default)]
pub struct DocFacts {
    /// Paragraph number - 1 -> passage index.
    pub numbered: Vec<usize>,
    /// Passage index -> its ¶ number, for numbered passages.
    pub numbers: Vec<Option<u32>>,
    pub search: document::DocSummary,
    /// When the analysis is let go: the places that other texts'
    /// cross-links point at, by the target's fragment (`#p3`, `#n-id`,
    /// `#l-id`).
    pub targets: std::collections::HashMap<String, TargetExcerpt>,
}

impl DocFacts {
    pub fn of(doc: &Document) -> DocFacts {
        DocFacts {
            numbered: doc.numbered.clone(),
            numbers: doc.passages.iter().map(|p| p.number).collect(),
            search: document::DocSummary::of(doc),
            targets: Default::default(),
        }
    }
}

/// The place a cross-link points at, as a preview shows it.
#[derive(Debug, Clone, Default)]
pub struct TargetExcerpt {
    /// The ¶ number of the passage.
    pub number: Option<u32>,
    /// The words around the place.
    pub excerpt: crate::scratch::Spillable,
    /// The anchored words of a note or link target (empty for a paragraph).
    pub quote: crate::scratch::Spillable,
}

impl TargetExcerpt {
    /// The excerpt of `place` (an empty range: the start of a paragraph).
    pub fn of(doc: &Document, place: &Place) -> TargetExcerpt {
        let passage = &doc.passages[place.passage];
        let (excerpt, quote) = if place.range.is_empty() {
            (excerpt(&passage.text, 0..0, 60), String::new())
        } else {
            (
                excerpt(&passage.text, place.range.clone(), 30),
                passage.text[place.range.clone()].trim().to_string(),
            )
        };
        TargetExcerpt {
            number: passage.number,
            excerpt: excerpt.into(),
            quote: quote.into(),
        }
    }
}

/// Words around `range` of `text`: the quote with up to `around` words on
/// each side, and the whole passage when it is short.
pub fn excerpt(text: &str, range: Range<usize>, around: usize) -> String {
    // Only the `around` words next to the quote are kept, so the words are
    // borrowed and read outward from the quote, one past `around` to tell
    // whether an ellipsis is due, rather than every word of the passage being
    // copied.
    let (head, quote, tail) = (
        &text[..range.start],
        &text[range.clone()],
        &text[range.end..],
    );
    let mut before: Vec<&str> = head.split_whitespace().rev().take(around + 1).collect();
    let after: Vec<&str> = tail.split_whitespace().take(around + 1).collect();
    let any_before = !before.is_empty();
    let mut out = String::new();
    if before.len() > around {
        out.push_str("… ");
        before.truncate(around);
    }
    before.reverse();
    out.push_str(&before.join(" "));
    if any_before && head.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    out.push_str(quote.trim());
    if !after.is_empty() && tail.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    out.push_str(&after[..after.len().min(around)].join(" "));
    if after.len() > around {
        out.push_str(" …");
    }
    // Kept for the whole build when it is a cross-link's target.
    out.shrink_to_fit();
    out
}

/// The place of `target` in its text: a paragraph's start, or where its
/// note or link is anchored; `None` for a whole text or a place not found.
pub fn target_place(
    facts: &DocFacts,
    at: &AnchoredText,
    ann: Option<&Annotations>,
    target: &Target,
) -> Option<Place> {
    match target {
        Target::Text { .. } => None,
        Target::Paragraph { number, .. } => {
            let p = *facts.numbered.get((*number as usize).checked_sub(1)?)?;
            Some(Place {
                passage: p,
                range: 0..0,
            })
        }
        Target::Note { id, .. } => at
            .notes
            .iter()
            .find(|n| ann.is_some_and(|a| a.notes[n.index].id == *id))
            .map(|n| n.place.clone()),
        Target::Link { id, .. } => at
            .links
            .iter()
            .find(|l| ann.is_some_and(|a| a.links[l.index].id == *id))
            .map(|l| l.place.clone()),
    }
}

impl AnchoredText {
    pub fn note_number(&self, id: &str, annotations: &Annotations) -> Option<u32> {
        self.notes
            .iter()
            .find(|n| annotations.notes[n.index].id == id)
            .map(|n| n.number)
    }
}

/// The whole site, resolved.
pub struct Resolved<'c> {
    pub corpus: &'c Corpus,
    /// Same order as `corpus.texts`.
    pub texts: Vec<AnchoredText>,
    /// Per glossary entry: (text index, passage index) of its first
    /// occurrence in each text it occurs in, in order (what the glossary
    /// page lists; an entry's own pages list every one, from the texts'
    /// `terms`).
    pub occurrences: Vec<Vec<(u32, u32)>>,
    /// Per glossary entry: how many passages it occurs in.
    pub passages_with: Vec<usize>,
    /// Text slug -> index, and glossary id -> index: references are looked
    /// up in constant time, however large the collection.
    text_by_slug: std::collections::HashMap<&'c str, usize>,
    term_by_id: std::collections::HashMap<&'c str, usize>,
    /// Where a text let go ([`DocRef::Source`]) is read again.
    sources: Option<&'c dyn Sources>,
}

impl<'c> Resolved<'c> {
    pub fn annotations(&self, text: usize) -> Option<&'c Annotations> {
        self.corpus.annotations.get(&self.corpus.texts[text].slug)
    }

    pub fn text_index(&self, slug: &str) -> Option<usize> {
        self.text_by_slug.get(slug).copied()
    }

    pub fn term_index(&self, id: &str) -> Option<usize> {
        self.term_by_id.get(id).copied()
    }

    /// The analysis of text `ti`: the one held, or made again from the
    /// text's file when it was let go. Fails (E0006) when the file changed
    /// since it was anchored, or can no longer be read.
    pub fn doc(&self, ti: usize) -> Result<Arc<Document>, Diagnostic> {
        match &self.texts[ti].doc {
            DocRef::Held(d) => Ok(d.clone()),
            DocRef::Source { body } => {
                let (file, at) = body_again(self.sources, &self.corpus.texts[ti], *body)?;
                Ok(Arc::new(document::analyse(&file[at..])))
            }
        }
    }
}

/// The file of `text` read again through `sources`, and where its body
/// starts in it, provided the body still has the fingerprint `body`; E0006
/// when it changed or can no longer be read.
fn body_again(
    sources: Option<&dyn Sources>,
    text: &Text,
    body: u64,
) -> Result<(String, usize), Diagnostic> {
    let changed = || {
        Diagnostic::error(
            "E0006",
            text.file.clone(),
            "the text changed while the site was being built",
        )
        .help("a large build reads each text more than once (to read its front matter, to anchor its notes, to write its page): build again once the file is saved")
    };
    let file = match sources.map(|s| s.text(&text.file)) {
        Some(Ok(f)) => f,
        Some(Err(why)) => {
            return Err(Diagnostic::error("E0006", text.file.clone(), format!("the text could not be read again while the site was being built: {why}"))
                .help("a large build reads each text more than once (to read its front matter, to anchor its notes, to write its page): check the file's permissions, then build again"));
        }
        None => return Err(changed()),
    };
    let source = split_front_matter(&file).map_err(|_| changed())?.body;
    if fingerprint(source) != body {
        return Err(changed());
    }
    let at = source.as_ptr() as usize - file.as_ptr() as usize;
    Ok((file, at))
}

pub fn resolve<'c>(corpus: &'c Corpus, report: &mut Report) -> Resolved<'c> {
    resolve_with(corpus, report, None)
}

/// What anchoring one text depends on: the text (its file, body and
/// particulars) and its annotations. The glossary is keyed separately.
pub fn text_key(text: &Text, ann: Option<&Annotations>) -> u64 {
    fingerprint(&(text, ann))
}

/// The anchoring of each text (its analysis, notes, links and glossary
/// terms, before cross-links are followed), kept between compiles by
/// `scholion serve`: a text whose file, annotations and glossary did not
/// change is not analysed and anchored again. Anchoring is a pure function
/// of those inputs, so a cached result is the result a fresh run would give.
#[derive(Default)]
pub struct AnchorCache {
    glossary: Option<u64>,
    texts: std::collections::HashMap<String, (u64, AnchoredText, Vec<Diagnostic>)>,
    /// Texts anchored afresh by the last compile.
    pub anchored: usize,
}

impl AnchorCache {
    /// The key of the text's inputs at the last compile (see [`text_key`]).
    pub fn key(&self, slug: &str) -> Option<u64> {
        self.texts.get(slug).map(|e| e.0)
    }
}

/// Analyses every text's Markdown and lets its body go: after analysis only
/// the passages are needed, and a large collection need not hold its texts
/// twice. For [`resolve_analysed`].
pub fn analyse_texts(corpus: &mut Corpus) -> Vec<Document> {
    corpus
        .texts
        .par_iter_mut()
        .map(|t| {
            let doc = document::analyse(&t.body);
            t.body = String::new();
            doc
        })
        .collect()
}

/// Like [`resolve`], for texts already analysed by [`analyse_texts`].
pub fn resolve_analysed<'c>(
    corpus: &'c Corpus,
    report: &mut Report,
    docs: Vec<Document>,
) -> Resolved<'c> {
    resolve_from(corpus, report, Anchoring::Analysed(docs))
}

/// Like [`resolve`], for a build: each text is analysed, anchored and let
/// go ([`DocRef::Source`]), with its body, so the analyses of all texts are
/// never held at once; what other texts need of it is kept in its
/// [`DocFacts`]. `sources` reads the texts again for their own files.
/// With `spill`, each text's glossary lines and the excerpts that other
/// texts' cross-links show of it are written out there once it is
/// anchored, and read back for the pages that show them.
pub fn resolve_released<'c>(
    corpus: &'c Corpus,
    report: &mut Report,
    bodies: Vec<String>,
    sources: &'c dyn Sources,
    spill: Option<&std::sync::Arc<crate::scratch::Strings>>,
) -> Resolved<'c> {
    resolve_from(corpus, report, Anchoring::Released(bodies, sources, spill))
}

/// Like [`resolve`], reusing (and refreshing) `cache` when one is given.
pub fn resolve_with<'c>(
    corpus: &'c Corpus,
    report: &mut Report,
    cache: Option<&mut AnchorCache>,
) -> Resolved<'c> {
    match cache {
        Some(c) => resolve_from(corpus, report, Anchoring::Cached(c)),
        None => resolve_from(corpus, report, Anchoring::Fresh),
    }
}

enum Anchoring<'a, 'c> {
    Fresh,
    Cached(&'a mut AnchorCache),
    Analysed(Vec<Document>),
    Released(
        Vec<String>,
        &'c dyn Sources,
        Option<&'a std::sync::Arc<crate::scratch::Strings>>,
    ),
}

fn resolve_from<'c>(
    corpus: &'c Corpus,
    report: &mut Report,
    how: Anchoring<'_, 'c>,
) -> Resolved<'c> {
    let empty = Annotations::default();
    let matcher = std::sync::OnceLock::new();
    let matcher = || matcher.get_or_init(|| TermMatcher::new(&corpus.glossary));
    let anchor = |t: &Text, doc: Document| {
        anchor_text(
            doc,
            t,
            corpus.annotations.get(&t.slug).unwrap_or(&empty),
            matcher(),
        )
    };
    let fresh = |t: &Text| anchor(t, document::analyse(&t.body));
    let mut sources = None;
    let results: Vec<(AnchoredText, Vec<Diagnostic>)> = match how {
        Anchoring::Fresh => corpus.texts.par_iter().map(fresh).collect(),
        Anchoring::Analysed(docs) => corpus
            .texts
            .par_iter()
            .zip(docs)
            .map(|(t, doc)| anchor(t, doc))
            .collect(),
        Anchoring::Released(bodies, from, spill) => {
            sources = Some(from);
            let wanted = wanted_targets(corpus);
            corpus
                .texts
                .par_iter()
                .zip(bodies)
                .zip(wanted)
                .map(|((t, body), wanted)| {
                    let (key, doc) = match t.body_fingerprint {
                        None => {
                            let key = fingerprint(body.as_str());
                            let doc = document::analyse(&body);
                            drop(body);
                            (key, doc)
                        }
                        // Not kept after parsing: read again, and the same.
                        Some(key) => match body_again(Some(from), t, key) {
                            Ok((file, at)) => (key, document::analyse(&file[at..])),
                            Err(e) => {
                                // Anchored as it reads now, so its notes and
                                // the references to them are checked as
                                // usual; the build stops at E0006 all the
                                // same.
                                let now = from.text(&t.file).ok();
                                let body = now
                                    .as_deref()
                                    .and_then(|f| split_front_matter(f).ok())
                                    .map_or("", |fm| fm.body);
                                let (at, mut d) = anchor(t, document::analyse(body));
                                d.push(e);
                                return (at, d);
                            }
                        },
                    };
                    let (mut at, d) = anchor(t, doc);
                    if let DocRef::Held(doc) = &at.doc {
                        let ann = corpus.annotations.get(&t.slug);
                        for target in wanted {
                            if let Some(place) = target_place(&at.facts, &at, ann, &target) {
                                let excerpt = TargetExcerpt::of(doc, &place);
                                at.facts.targets.insert(target.fragment(), excerpt);
                            }
                        }
                    }
                    at.doc = DocRef::Source { body: key };
                    if let Some(store) = spill {
                        at.lines.spill(store);
                        let targets = at.facts.targets.values_mut();
                        crate::scratch::spill(
                            store,
                            targets.flat_map(|t| [&mut t.excerpt, &mut t.quote]),
                        );
                    }
                    (at, d)
                })
                .collect()
        }
        Anchoring::Cached(cache) => {
            let glossary = fingerprint(&corpus.glossary);
            if cache.glossary != Some(glossary) {
                cache.texts.clear();
                cache.glossary = Some(glossary);
            }
            let keys: Vec<u64> = corpus
                .texts
                .par_iter()
                .map(|t| text_key(t, corpus.annotations.get(&t.slug)))
                .collect();
            let results: Vec<((AnchoredText, Vec<Diagnostic>), bool)> = corpus
                .texts
                .par_iter()
                .zip(&keys)
                .map(|(t, key)| match cache.texts.get(&t.slug) {
                    Some((k, at, d)) if k == key => ((at.clone(), d.clone()), false),
                    _ => (fresh(t), true),
                })
                .collect();
            cache.anchored = results.iter().filter(|r| r.1).count();
            let mut old = std::mem::take(&mut cache.texts);
            for ((t, key), (r, fresh)) in corpus.texts.iter().zip(keys).zip(&results) {
                // A text anchored afresh is stored; an unchanged one moved back.
                let entry = match old.remove(&t.slug) {
                    Some(e) if !fresh => e,
                    _ => (key, r.0.clone(), r.1.clone()),
                };
                cache.texts.insert(t.slug.clone(), entry);
            }
            results.into_iter().map(|r| r.0).collect()
        }
    };
    let mut texts = Vec::with_capacity(results.len());
    for ((t, d), text) in results.into_iter().zip(&corpus.texts) {
        texts.push(t);
        // A text whose annotation file did not parse is not "without notes".
        let broken = corpus.broken.texts.contains(&text.slug);
        report.extend(d.into_iter().filter(|d| !(broken && d.code == "W0104")));
    }
    let mut resolved = Resolved {
        corpus,
        texts,
        occurrences: vec![Vec::new(); corpus.glossary.len()],
        passages_with: vec![0; corpus.glossary.len()],
        text_by_slug: corpus
            .texts
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.as_str(), i))
            .collect(),
        term_by_id: corpus
            .glossary
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect(),
        sources,
    };
    link_targets(&mut resolved, report);
    check_references(&resolved, report);
    glossary_use(&mut resolved, report);
    resolved
}

/// A site written to a temporary folder and read as a build reads it, for
/// the unit tests of the resolving jobs: `files` are paths under
/// `content/` with their text (`site.yaml` is added).
#[cfg(test)]
fn test_corpus(files: &[(&str, &str)]) -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    for (path, text) in [("site.yaml", "title: Test\n")].iter().chain(files) {
        let p = content.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let mut report = Report::default();
    let loaded = crate::load::load(dir.path(), &mut report);
    let corpus = crate::parse::parse_corpus(&loaded, &mut report);
    assert_eq!(report.errors(), 0, "the test site parses");
    corpus
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text let go after anchoring is read again through the sources it
    /// was handed, never from the disk: the same analysis while its body is
    /// unchanged, E0006 once it differs.
    #[test]
    fn a_text_let_go_is_read_again_through_its_sources() {
        struct Memory(std::sync::Mutex<String>);
        impl Sources for Memory {
            fn text(&self, _file: &str) -> Result<String, String> {
                let t = self.0.lock().unwrap().clone();
                if t.is_empty() {
                    return Err("cannot read: Permission denied (os error 13)".into());
                }
                Ok(t)
            }
        }
        let file = "---\ntitle: A\n---\n\nOne paragraph.\n";
        let mut corpus = test_corpus(&[("texts/a.md", file)]);
        let bodies = corpus
            .texts
            .iter_mut()
            .map(|t| std::mem::take(&mut t.body))
            .collect();
        let sources = Memory(std::sync::Mutex::new(file.to_string()));
        let mut report = Report::default();
        let resolved = resolve_released(&corpus, &mut report, bodies, &sources, None);
        assert!(matches!(resolved.texts[0].doc, DocRef::Source { .. }));
        assert_eq!(resolved.doc(0).unwrap().passages[0].text, "One paragraph.");
        *sources.0.lock().unwrap() = format!("{file}Another.\n");
        assert_eq!(resolved.doc(0).unwrap_err().code, "E0006");
        // A file that cannot be read again says why, not that it changed.
        sources.0.lock().unwrap().clear();
        let e = resolved.doc(0).unwrap_err();
        assert_eq!(e.code, "E0006");
        assert!(
            e.message.ends_with("Permission denied (os error 13)"),
            "{}",
            e.message
        );
    }
}
