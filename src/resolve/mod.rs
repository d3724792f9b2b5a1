//! Attaching annotations to texts: anchors to passages (per text, in
//! parallel), glossary terms to their occurrences, cross-links to their
//! targets, and the back-references that targets show. Every problem is
//! returned as a diagnostic; nothing here stops at the first one.

use crate::anchor::{self, Place, Query};
use crate::diagnostics::{Diagnostic, Report};
use crate::document::{self, Document, PassageKind};
use crate::hash::fingerprint;
use crate::model::*;
use crate::terms::TermMatcher;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod references;

pub use references::{expand, RefError};

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

/// A glossary term found in a passage.
#[derive(Debug, Clone)]
pub struct TermHit {
    pub passage: usize,
    pub range: Range<usize>,
    pub term: usize,
}

/// A cross-link arriving at a passage: shown as "Referenced from".
#[derive(Debug, Clone)]
pub struct Backref {
    pub from_text: usize,
    pub link_id: String,
    /// The citing passage's own words.
    pub snippet: String,
    pub from_number: Option<u32>,
    pub label: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AnchoredText {
    /// The analysis, or where to make it again (see [`DocRef`]).
    pub doc: DocRef,
    /// Sorted by number (reading order).
    pub notes: Vec<AnchoredNote>,
    pub links: Vec<AnchoredLink>,
    pub terms: Vec<TermHit>,
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
    /// Let go once the text was anchored: made again from the text's file
    /// (`path`) when the text's own files are made, provided its body still
    /// has the fingerprint `body` it had when it was anchored.
    Source { path: PathBuf, body: u64 },
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
    pub excerpt: String,
    /// The anchored words of a note or link target (empty for a paragraph).
    pub quote: String,
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
            excerpt,
            quote,
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
    /// Per glossary entry: (text index, passage index) of every occurrence, in order.
    pub occurrences: Vec<Vec<(usize, usize)>>,
    /// Text slug -> index, and glossary id -> index: references are looked
    /// up in constant time, however large the collection.
    text_by_slug: std::collections::HashMap<&'c str, usize>,
    term_by_id: std::collections::HashMap<&'c str, usize>,
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
            DocRef::Source { path, body } => {
                let text = &self.corpus.texts[ti];
                let changed = || {
                    Diagnostic::error(
                        "E0006",
                        text.file.clone(),
                        "the text changed while the site was being built",
                    )
                    .help("a build reads each text twice (to anchor its notes, then to write its page): build again once the file is saved")
                };
                let source = crate::load::read_body(path).ok_or_else(changed)?;
                if fingerprint(source.as_str()) != *body {
                    return Err(changed());
                }
                Ok(Arc::new(document::analyse(&source)))
            }
        }
    }
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
/// [`DocFacts`]. `root` is the site folder the texts were read from.
pub fn resolve_released<'c>(
    corpus: &'c Corpus,
    report: &mut Report,
    bodies: Vec<String>,
    root: &Path,
) -> Resolved<'c> {
    resolve_from(corpus, report, Anchoring::Released(bodies, root))
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

enum Anchoring<'a> {
    Fresh,
    Cached(&'a mut AnchorCache),
    Analysed(Vec<Document>),
    Released(Vec<String>, &'a Path),
}

fn resolve_from<'c>(corpus: &'c Corpus, report: &mut Report, how: Anchoring) -> Resolved<'c> {
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
    let results: Vec<(AnchoredText, Vec<Diagnostic>)> = match how {
        Anchoring::Fresh => corpus.texts.par_iter().map(fresh).collect(),
        Anchoring::Analysed(docs) => corpus
            .texts
            .par_iter()
            .zip(docs)
            .map(|(t, doc)| anchor(t, doc))
            .collect(),
        Anchoring::Released(bodies, root) => {
            let wanted = wanted_targets(corpus);
            corpus
                .texts
                .par_iter()
                .zip(bodies)
                .zip(wanted)
                .map(|((t, body), wanted)| {
                    let key = fingerprint(body.as_str());
                    let doc = document::analyse(&body);
                    drop(body);
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
                    at.doc = DocRef::Source {
                        path: root.join(&t.file),
                        body: key,
                    };
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
    };
    link_targets(&mut resolved, report);
    check_references(&resolved, report);
    glossary_use(&mut resolved, report);
    resolved
}

/// Per text, the places other texts' links may point at in it: a paragraph,
/// or an id that may be a note's or a link's (which one is decided later).
fn wanted_targets(corpus: &Corpus) -> Vec<Vec<Target>> {
    let by_slug: std::collections::HashMap<&str, usize> = corpus
        .texts
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let mut wanted = vec![Vec::new(); corpus.texts.len()];
    for (ti, t) in corpus.texts.iter().enumerate() {
        let Some(ann) = corpus.annotations.get(&t.slug) else {
            continue;
        };
        for l in &ann.links {
            let Some((slug, frag)) = l.to.trim().split_once('#') else {
                continue;
            };
            let to = if slug.is_empty() {
                Some(ti)
            } else {
                by_slug.get(slug).copied()
            };
            let Some(text) = to else { continue };
            let id = frag.to_string();
            if is_paragraph_id(frag) {
                let number = frag[1..].parse().unwrap_or(0);
                wanted[text].push(Target::Paragraph { text, number });
            } else {
                wanted[text].push(Target::Note {
                    text,
                    id: id.clone(),
                });
                wanted[text].push(Target::Link { text, id });
            }
        }
    }
    wanted
}

fn query(a: &Anchor) -> Query {
    Query {
        quote: a.quote.clone(),
        prefix: a.prefix.clone(),
        suffix: a.suffix.clone(),
    }
}

/// Anchors one text's notes and links and finds its glossary terms.
fn anchor_text(
    doc: Document,
    text: &Text,
    ann: &Annotations,
    matcher: &TermMatcher,
) -> (AnchoredText, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut queries: Vec<Query> = ann.notes.iter().map(|n| query(&n.anchor)).collect();
    queries.extend(ann.links.iter().map(|l| query(&l.anchor)));
    let mut raw_terms: Vec<TermHit> = Vec::new();
    let found = anchor::find_all(
        doc.passages.iter().map(|p| p.text.as_str()),
        &queries,
        |p, norm| {
            if doc.passages[p].kind == PassageKind::Heading {
                return;
            }
            for (r, term) in matcher.find(&norm.text) {
                raw_terms.push(TermHit {
                    passage: p,
                    range: norm.source_range(r),
                    term,
                });
            }
        },
    );

    let mut places: Vec<Option<Place>> = Vec::with_capacity(found.len());
    for (qi, f) in found.into_iter().enumerate() {
        let (id, anchor, pos, what) = if qi < ann.notes.len() {
            let n = &ann.notes[qi];
            (&n.id, &n.anchor, n.anchor_pos, "note")
        } else {
            let l = &ann.links[qi - ann.notes.len()];
            (&l.id, &l.anchor, l.anchor_pos, "link")
        };
        places.push(decide(
            &doc, text, ann, id, anchor, pos, what, f, &mut diags,
        ));
    }

    let mut notes: Vec<AnchoredNote> = ann
        .notes
        .iter()
        .enumerate()
        .filter_map(|(i, _)| {
            places[i].clone().map(|place| AnchoredNote {
                index: i,
                place,
                number: 0,
            })
        })
        .collect();
    notes.sort_by(|a, b| {
        (
            a.place.passage,
            a.place.range.end,
            std::cmp::Reverse(a.place.range.start),
            a.index,
        )
            .cmp(&(
                b.place.passage,
                b.place.range.end,
                std::cmp::Reverse(b.place.range.start),
                b.index,
            ))
    });
    for (i, n) in notes.iter_mut().enumerate() {
        n.number = i as u32 + 1;
    }
    let links: Vec<AnchoredLink> = ann
        .links
        .iter()
        .enumerate()
        .filter_map(|(i, _)| {
            places[ann.notes.len() + i].clone().map(|place| {
                let passage = &doc.passages[place.passage];
                AnchoredLink {
                    index: i,
                    snippet: passage.text[place.range.clone()].trim().to_string(),
                    number: passage.number,
                    place,
                    target: None,
                }
            })
        })
        .collect();

    // Terms are not linked inside links, code, or the passage of a cross-link.
    let terms = raw_terms
        .into_iter()
        .filter(|h| {
            let p = &doc.passages[h.passage];
            !p.no_terms.iter().any(|r| overlaps(r, &h.range))
                && !links
                    .iter()
                    .any(|l| l.place.passage == h.passage && overlaps(&l.place.range, &h.range))
        })
        .collect();

    for n in &ann.notes {
        if n.body.trim().is_empty() {
            diags.push(
                Diagnostic::warning(
                    "W0103",
                    ann.file.clone(),
                    format!("the note `{}` has no body", n.id),
                )
                .at(n.id_pos.line, n.id_pos.column)
                .help("write the note's text under `body:`, or remove the note"),
            );
        }
    }
    if ann.notes.is_empty() {
        diags.push(
            Diagnostic::warning("W0104", text.file.clone(), "this text has no notes").help(
                format!("annotate it in content/annotations/{}.yaml", text.slug),
            ),
        );
    }
    (
        AnchoredText {
            facts: DocFacts::of(&doc),
            doc: DocRef::Held(Arc::new(doc)),
            notes,
            links,
            terms,
            backrefs: BTreeMap::new(),
        },
        diags,
    )
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

#[allow(clippy::too_many_arguments)]
fn decide(
    doc: &Document,
    text: &Text,
    ann: &Annotations,
    id: &str,
    anchor: &Anchor,
    pos: Pos,
    what: &str,
    f: anchor::Found,
    diags: &mut Vec<Diagnostic>,
) -> Option<Place> {
    let quote_len = crate::text::normalize::normalize_quote(&anchor.quote)
        .chars()
        .count();
    if quote_len > LONG_QUOTE {
        diags.push(
            Diagnostic::warning(
                "W0102",
                ann.file.clone(),
                format!("the quote of `{id}` is {quote_len} characters long"),
            )
            .at(pos.line, pos.column)
            .help("quote the few words the note is about: long quotes are hard to keep exact"),
        );
    }
    if quote_len == 0 {
        diags.push(
            Diagnostic::error(
                "E0300",
                ann.file.clone(),
                format!("the {what} `{id}` has an empty anchor"),
            )
            .at(pos.line, pos.column)
            .help("quote the words of the text that the annotation belongs to"),
        );
        return None;
    }
    if f.decided.len() == 1 {
        return f.decided.into_iter().next();
    }
    let where_ = |places: &[Place]| -> String {
        let labels: Vec<String> = places
            .iter()
            .map(|p| doc.passages[p.passage].label())
            .collect();
        labels.join(", ")
    };
    let d = if f.all.is_empty() {
        let hint = match anchor::closest_passage(doc.passages.iter().map(|p| p.text.as_str()), &anchor.quote) {
            Some(c) if c.distance * 2 <= anchor.quote.chars().count() => format!(
                "the closest passage is {} of {}: \"{}\" ({}: {}); copy the words exactly as they stand there",
                doc.passages[c.passage].label(),
                text.file,
                c.found,
                if c.distance == 1 { "1 character differs".to_string() } else { format!("{} characters differ", c.distance) },
                c.diff
            ),
            Some(c) => format!(
                "nothing in {} comes close; the passage sharing most words is {}: \"{}\"",
                text.file,
                doc.passages[c.passage].label(),
                c.found
            ),
            None => format!("copy the words exactly as they stand in {}", text.file),
        };
        Diagnostic::error(
            "E0301",
            ann.file.clone(),
            format!(
                "the quote of {what} `{id}` is not in the text: \"{}\"",
                anchor.quote.trim()
            ),
        )
        .help(hint)
    } else if f.decided.is_empty() {
        Diagnostic::error(
            "E0302",
            ann.file.clone(),
            format!(
                "the quote of {what} `{id}` occurs in {}, but its prefix/suffix fits none of them",
                where_(&f.all)
            ),
        )
        .help("check the `prefix:` and `suffix:`: they must be the words right before and after the quote")
    } else {
        let places = &f.decided;
        let hints: Vec<String> = places
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (side, words) = deciding_context(doc, places, i);
                format!("{}: {side} \"{words}\"", doc.passages[p.passage].label())
            })
            .collect();
        Diagnostic::error(
            "E0303",
            ann.file.clone(),
            format!("the quote of {what} `{id}` occurs {} times: in {}", places.len(), where_(places)),
        )
        .help(format!(
            "quote more words, or choose one place with the long form `anchor: {{ quote: \"...\", prefix: \"...\" }}` (or `suffix:`); these would decide: {}",
            hints.join("; ")
        ))
    };
    diags.push(d.at(pos.line, pos.column));
    None
}

fn tail_words(s: &str, n: usize) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    words[words.len().saturating_sub(n)..].join(" ")
}

fn head_words(s: &str, n: usize) -> String {
    s.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

/// The fewest words before (or else after) place `i` that no other place shares.
fn deciding_context(doc: &Document, places: &[Place], i: usize) -> (&'static str, String) {
    let text_of = |p: &Place| &doc.passages[p.passage].text;
    for n in 1..=8 {
        let mine = tail_words(&text_of(&places[i])[..places[i].range.start], n);
        let unique = places
            .iter()
            .enumerate()
            .all(|(j, q)| j == i || tail_words(&text_of(q)[..q.range.start], n) != mine);
        if unique && !mine.is_empty() {
            return ("prefix", mine);
        }
        let mine = head_words(&text_of(&places[i])[places[i].range.end..], n);
        let unique = places
            .iter()
            .enumerate()
            .all(|(j, q)| j == i || head_words(&text_of(q)[q.range.end..], n) != mine);
        if unique && !mine.is_empty() {
            return ("suffix", mine);
        }
    }
    (
        "prefix",
        tail_words(&text_of(&places[i])[..places[i].range.start], 8),
    )
}

/// Why a target did not resolve: a problem to report (message, help), or
/// `None` when the file it points into has errors of its own, already reported.
pub type TargetError = Option<(String, Option<String>)>;

/// Parses `slug#fragment`, `slug` or `#fragment` (in `from` text).
pub fn parse_target(
    resolved: &Resolved,
    from: Option<usize>,
    to: &str,
) -> Result<Target, TargetError> {
    let (slug, frag) = match to.split_once('#') {
        Some((s, f)) => (s, Some(f)),
        None => (to, None),
    };
    let broken = &resolved.corpus.broken.texts;
    let text = if slug.is_empty() {
        from.ok_or_else(|| {
            Some((
                format!("`{to}` names no text"),
                Some("write text-slug#id".to_string()),
            ))
        })?
    } else {
        resolved.text_index(slug).ok_or_else(|| {
            if broken.contains(slug) {
                return None;
            }
            let slugs: Vec<&str> = resolved
                .corpus
                .texts
                .iter()
                .map(|t| t.slug.as_str())
                .collect();
            Some((
                format!("there is no text `{slug}`"),
                crate::suggest::did_you_mean(slug, slugs.iter().copied()),
            ))
        })?
    };
    let text_broken = broken.contains(&resolved.corpus.texts[text].slug);
    let Some(frag) = frag else {
        return Ok(Target::Text { text });
    };
    if is_paragraph_id(frag) {
        let number: u32 = frag[1..].parse().unwrap_or(0);
        let count = resolved.texts[text].facts.numbered.len() as u32;
        if number == 0 || number > count {
            return Err(Some((
                format!("`{}` has no paragraph {number} (it has {count})", resolved.corpus.texts[text].slug),
                Some(format!(
                    "paragraphs are numbered p1 to p{count}; to survive edits of the text, target the id of a note or link instead"
                )),
            )));
        }
        return Ok(Target::Paragraph { text, number });
    }
    let ann = resolved.annotations(text);
    let is_note = ann.is_some_and(|a| a.notes.iter().any(|n| n.id == frag));
    let is_link = ann.is_some_and(|a| a.links.iter().any(|l| l.id == frag));
    let t = &resolved.texts[text];
    let anchored_note = t
        .notes
        .iter()
        .any(|n| ann.is_some_and(|a| a.notes[n.index].id == frag));
    let anchored_link = t
        .links
        .iter()
        .any(|l| ann.is_some_and(|a| a.links[l.index].id == frag));
    if is_note && anchored_note {
        Ok(Target::Note {
            text,
            id: frag.to_string(),
        })
    } else if is_link && anchored_link {
        Ok(Target::Link {
            text,
            id: frag.to_string(),
        })
    } else if is_note || is_link || text_broken {
        // The target did not anchor, or its file did not parse: that error
        // is reported on its own.
        Err(None)
    } else {
        let ids: Vec<&str> = ann
            .map(|a| {
                a.notes
                    .iter()
                    .map(|n| n.id.as_str())
                    .chain(a.links.iter().map(|l| l.id.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        Err(Some((
            format!(
                "`{}` has no note or link `{frag}`",
                resolved.corpus.texts[text].slug
            ),
            crate::suggest::did_you_mean(frag, ids.into_iter()).or(Some(
                "targets are pN (a paragraph) or the id of a note or link".into(),
            )),
        )))
    }
}

/// The passage a target points at.
fn target_passage(resolved: &Resolved, target: &Target) -> Option<usize> {
    let t = &resolved.texts[target.text()];
    let ann = resolved.annotations(target.text());
    target_place(&t.facts, t, ann, target).map(|p| p.passage)
}

fn link_targets(resolved: &mut Resolved, report: &mut Report) {
    let mut found: Vec<(usize, usize, Target)> = Vec::new();
    for ti in 0..resolved.texts.len() {
        let Some(ann) = resolved.annotations(ti) else {
            continue;
        };
        for (li, l) in resolved.texts[ti].links.iter().enumerate() {
            let link = &ann.links[l.index];
            match parse_target(resolved, Some(ti), link.to.trim()) {
                Ok(t) => found.push((ti, li, t)),
                Err(None) => {}
                Err(Some((msg, help))) => {
                    let mut d = Diagnostic::error(
                        "E0310",
                        ann.file.clone(),
                        format!("the target of link `{}` is not found: {msg}", link.id),
                    )
                    .at(link.to_pos.line, link.to_pos.column);
                    d = d.help(help.unwrap_or_else(|| {
                        "write `to: text-slug#pN` or `to: text-slug#note-or-link-id`".into()
                    }));
                    report.push(d);
                }
            }
        }
    }
    for (ti, li, target) in found {
        if let Some(p) = target_passage(resolved, &target) {
            let l = &resolved.texts[ti].links[li];
            let ann = resolved
                .annotations(ti)
                .expect("links come from annotations");
            let link = &ann.links[l.index];
            let backref = Backref {
                from_text: ti,
                link_id: link.id.clone(),
                snippet: l.snippet.clone(),
                from_number: l.number,
                label: link.label.clone(),
            };
            resolved.texts[target.text()]
                .backrefs
                .entry(p)
                .or_default()
                .push(backref);
        }
        resolved.texts[ti].links[li].target = Some(target);
    }
}

/// Every `[[…]]` in notes, definitions and pages must resolve.
fn check_references(resolved: &Resolved, report: &mut Report) {
    // The notes of each text on all cores, reported in text order.
    let per_text: Vec<Vec<Diagnostic>> = (0..resolved.corpus.texts.len())
        .into_par_iter()
        .map(|ti| {
            let Some(ann) = resolved.annotations(ti) else {
                return Vec::new();
            };
            let mut found = Vec::new();
            for n in &ann.notes {
                for e in expand(resolved, Some(ti), &n.body, "").1 {
                    found.push(
                        Diagnostic::error(
                            "E0320",
                            ann.file.clone(),
                            format!("in note `{}`: {}", n.id, e.message),
                        )
                        .at(n.id_pos.line, n.id_pos.column)
                        .help(e.help),
                    );
                }
            }
            found
        })
        .collect();
    report.extend(per_text.into_iter().flatten());
    let g = &resolved.corpus.glossary;
    for term in g {
        for e in expand(resolved, None, &term.definition, "").1 {
            report.push(
                Diagnostic::error(
                    "E0320",
                    resolved.corpus.glossary_file.clone(),
                    format!("in glossary entry `{}`: {}", term.id, e.message),
                )
                .at(term.id_pos.line, term.id_pos.column)
                .help(e.help),
            );
        }
        for (s, pos) in &term.see_also {
            if !g.iter().any(|x| x.id == *s) {
                report.push(
                    Diagnostic::error(
                        "E0321",
                        resolved.corpus.glossary_file.clone(),
                        format!(
                            "`see_also` of `{}` names `{s}`, which is not a glossary entry",
                            term.id
                        ),
                    )
                    .at(pos.line, pos.column)
                    .help(
                        crate::suggest::did_you_mean(s, g.iter().map(|x| x.id.as_str()))
                            .unwrap_or_else(|| "use the id of another entry".into()),
                    ),
                );
            }
        }
    }
    for p in &resolved.corpus.pages {
        for e in expand(resolved, None, &p.body, "").1 {
            report.push(Diagnostic::error("E0320", p.file.clone(), e.message).help(e.help));
        }
    }
}

/// Occurrences per entry, and the warning for entries nothing uses.
fn glossary_use(resolved: &mut Resolved, report: &mut Report) {
    let g = &resolved.corpus.glossary;
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for (ti, t) in resolved.texts.iter().enumerate() {
        for h in &t.terms {
            used.insert(h.term);
            let occ = &mut resolved.occurrences[h.term];
            if occ.last() != Some(&(ti, h.passage)) {
                occ.push((ti, h.passage));
            }
        }
    }
    let mut referenced: BTreeSet<String> = BTreeSet::new();
    for ann in resolved.corpus.annotations.values() {
        for n in &ann.notes {
            referenced.extend(crate::parse::refs::glossary_ids(&n.body));
        }
    }
    for t in g {
        referenced.extend(crate::parse::refs::glossary_ids(&t.definition));
        referenced.extend(t.see_also.iter().map(|s| s.0.clone()));
    }
    for p in &resolved.corpus.pages {
        referenced.extend(crate::parse::refs::glossary_ids(&p.body));
    }
    for (i, t) in g.iter().enumerate() {
        if !used.contains(&i) && !referenced.contains(&t.id) {
            report.push(
                Diagnostic::warning("W0101", resolved.corpus.glossary_file.clone(), format!("the glossary entry `{}` is not used", t.id))
                    .at(t.id_pos.line, t.id_pos.column)
                    .help("no text contains its term or aliases, and no note, definition or see_also refers to it: add an alias that occurs, refer to it as [[id]], or remove it"),
            );
        }
    }
}
