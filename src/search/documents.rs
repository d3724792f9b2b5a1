//! The documents of the search index: every paragraph and heading of a
//! text, the text itself (its title and particulars), every note, every
//! glossary entry and every entry's own page, with the plain words a result
//! shows.

use super::{weight, words, DocKind, SearchDoc};
use crate::document::Document;
use crate::parse::markdown;
use crate::resolve::expand;
use crate::resolve::Resolved;
use crate::text::swar;
use pulldown_cmark::{Event, TagEnd};
use rayon::prelude::*;

/// Markdown as the words a reader sees: markup dropped, blocks separated.
pub fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for ev in markdown::parser(md) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => out.push(' '),
            _ => {}
        }
    }
    squeeze(&out)
}

/// White space runs as single spaces, trimmed: the text is copied in
/// stretches, cut only where white space is not already a single space.
pub(super) fn squeeze(s: &str) -> String {
    let b = s.as_bytes();
    let n = b.len();
    let mut out = String::with_capacity(n);
    let mut copied = 0;
    let mut i = 0;
    while i < n {
        // Never white space just before `i` here, unless `b[i]` is not
        // white space either.
        if i > 0 {
            let plain = plain_ahead(b, i);
            if plain > 0 {
                i += plain;
                continue;
            }
        }
        if !MAYBE_SPACE[b[i] as usize] {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while let Some(w) = space_len(b, end) {
            end += w;
        }
        if end == start {
            i += 1;
            continue;
        }
        if !(end - start == 1 && b[start] == b' ' && start > 0 && end < n) {
            out.push_str(&s[copied..start]);
            if start > 0 && end < n {
                out.push(' ');
            }
            copied = end;
        }
        i = end;
    }
    out.push_str(&s[copied..]);
    out
}

/// How many bytes from `i` [`squeeze`] can pass over as they are, tested
/// eight at a time (white space is nearly always a single space between
/// words): 8 when the eight bytes hold no control character, no first byte
/// of a character beyond U+007F and no two spaces side by side; 7 when the
/// last of them is a space (what follows it is not known yet); 0 when
/// they must be looked at byte by byte, or fewer than eight are left. The
/// tests may flag bytes that need nothing (then 0), never miss one.
pub(super) fn plain_ahead(b: &[u8], i: usize) -> usize {
    let Some(x) = swar::load(b, i) else {
        return 0;
    };
    if swar::lead(x) | swar::below(x, 0x20) != 0 {
        return 0;
    }
    let spaces = swar::eq(x, b' ');
    if spaces & (spaces >> 8) != 0 {
        0
    } else if spaces >> 56 != 0 {
        7
    } else {
        8
    }
}

/// Bytes that can start white space: ASCII white space, and the first
/// bytes of U+0085, U+00A0, U+1680, U+2000–U+205F and U+3000 (never a
/// byte inside a character).
pub(super) const MAYBE_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0x09;
    while c <= 0x0D {
        t[c] = true;
        c += 1;
    }
    t[0x20] = true;
    t[0xC2] = true;
    t[0xE1] = true;
    t[0xE2] = true;
    t[0xE3] = true;
    t
};

/// The length in bytes of the white space character (`char::is_whitespace`)
/// at byte `i` of UTF-8 `b`, if there is one.
pub(super) fn space_len(b: &[u8], i: usize) -> Option<usize> {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match at(0) {
        0x09..=0x0D | 0x20 if i < b.len() => Some(1),
        0xC2 if matches!(at(1), 0x85 | 0xA0) => Some(2),
        0xE1 if (at(1), at(2)) == (0x9A, 0x80) => Some(3),
        0xE2 if matches!(
            (at(1), at(2)),
            (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F)
        ) =>
        {
            Some(3)
        }
        0xE3 if (at(1), at(2)) == (0x80, 0x80) => Some(3),
        _ => None,
    }
}

/// Every document of the site, in a stable order: per text its particulars,
/// then its headings and numbered passages in reading order, then its
/// notes; then the glossary.
pub fn documents(r: &Resolved) -> Vec<SearchDoc> {
    let per_text: Vec<Vec<SearchDoc>> = (0..r.texts.len())
        .into_par_iter()
        .map(|ti| text_documents_of(r, ti))
        .collect();
    let mut docs: Vec<SearchDoc> = per_text.into_iter().flatten().collect();
    docs.extend(glossary_documents(r));
    docs.extend(entity_documents(r));
    docs.extend(bibliography_documents(r));
    docs
}

/// The documents of text `ti`, its analysis made again if it was let go;
/// none if that fails (the text's page reports why, and the build fails).
pub(super) fn text_documents_of(r: &Resolved, ti: usize) -> Vec<SearchDoc> {
    match r.doc(ti) {
        Ok(doc) => text_documents(r, ti, &doc),
        Err(_) => Vec::new(),
    }
}

/// The documents of text `ti`, from its analysis `doc`.
pub fn text_documents(r: &Resolved, ti: usize, doc: &Document) -> Vec<SearchDoc> {
    let t = &r.corpus.texts[ti];
    let at = &r.texts[ti];
    let page = format!("texts/{}.html", t.slug);
    let short = t.short_title().to_string();
    let m = &t.meta;
    let particulars = squeeze(
        &[
            m.date.clone(),
            m.place.clone(),
            (!m.issued_by.is_empty()).then(|| m.issued_by.join("; ")),
            m.source.clone(),
            m.translation.as_ref().map(|s| format!("Translation: {s}")),
            m.transcription
                .as_ref()
                .map(|s| format!("Transcription: {s}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · "),
    );
    let mut titles = m.title.clone();
    if short != m.title {
        titles = format!("{titles} {short}");
    }
    let mut docs = vec![SearchDoc {
        kind: DocKind::Text,
        href: page.clone(),
        title: m.title.clone(),
        label: "Text".into(),
        text: particulars,
        text_weight: Some(weight::BODY),
        fields: vec![(weight::TITLE, titles)],
    }];
    let mut headings = doc.headings.iter();
    for p in &doc.passages {
        let text = squeeze(&p.text);
        if text.is_empty() {
            continue;
        }
        let mut digits = itoa::Buffer::new();
        let (kind, href, label, w) = match (p.number, p.kind) {
            (Some(n), _) => {
                let n = digits.format(n);
                (
                    DocKind::Paragraph,
                    cat(&[&page, "#p", n]),
                    cat(&["¶ ", n]),
                    weight::BODY,
                )
            }
            (None, crate::document::PassageKind::Heading) => {
                // Headings inside list items have no passage of their own:
                // skip to the one with this passage's words.
                let Some(h) = headings.find(|h| squeeze(&h.text) == text) else {
                    continue;
                };
                (
                    DocKind::Heading,
                    cat(&[&page, "#", &h.id]),
                    "Heading".to_string(),
                    weight::HEADING,
                )
            }
            _ => continue,
        };
        docs.push(SearchDoc {
            kind,
            href,
            title: short.clone(),
            label,
            text,
            text_weight: Some(w),
            fields: Vec::new(),
        });
    }
    if let Some(ann) = r.annotations(ti) {
        let bodies = ann.bodies();
        for an in &at.notes {
            let note = &ann.notes[an.index];
            let (md, _) = expand(r, Some(ti), &bodies[an.index], "../");
            let mut text = plain_text(&md);
            if !note.sources.is_empty() {
                let sources: Vec<String> = note.sources.iter().map(|s| plain_text(s)).collect();
                text = format!("{text} Sources: {}", sources.join("; "));
            }
            docs.push(SearchDoc {
                kind: DocKind::Note,
                href: cat(&[&page, "#en-", &note.id]),
                title: short.clone(),
                label: cat(&["Note ", itoa::Buffer::new().format(an.number)]),
                text,
                text_weight: Some(weight::BODY),
                fields: Vec::new(),
            });
        }
    }
    docs
}

/// `parts` one after the other: the addresses and labels of documents,
/// made without the machinery of `format!`, which costs several times the
/// copying (there are some ten thousand documents at a hundred texts).
pub(super) fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

pub(super) fn glossary_documents(r: &Resolved) -> Vec<SearchDoc> {
    r.corpus
        .glossary
        .iter()
        .map(|g| {
            let (md, _) = expand(r, None, &g.definition, "");
            let definition = plain_text(&md);
            // Aliases that differ from the term in more than case and
            // accents are shown, so that a match on one can be seen.
            let folded_term: Vec<String> = words::folded(&g.term).collect();
            let mut other: Vec<&str> = Vec::new();
            for a in &g.aliases {
                let f: Vec<String> = words::folded(a).collect();
                if f != folded_term && !other.iter().any(|o| words::folded(o).eq(f.iter().cloned()))
                {
                    other.push(a);
                }
            }
            let text = if other.is_empty() {
                definition.clone()
            } else {
                format!("{definition} Also: {}.", other.join("; "))
            };
            let mut names = g.term.clone();
            for a in &g.aliases {
                names.push_str(" · ");
                names.push_str(a);
            }
            let kind = g.kind.as_str();
            SearchDoc {
                kind: DocKind::Entry,
                href: format!("glossary.html#{}", g.id),
                title: g.term.clone(),
                label: format!("Glossary, {kind}"),
                text,
                text_weight: None,
                fields: vec![(weight::NAME, names), (weight::BODY, definition)],
            }
        })
        .collect()
}

/// The works of the bibliography, each leading to its entry on
/// `bibliography.html`: found by its authors and title (weighed as a
/// text's title, so that a glossary entry named by the same word comes
/// first)
/// and by the whole entry as the style writes it.
pub(super) fn bibliography_documents(r: &Resolved) -> Vec<SearchDoc> {
    let bib = &r.corpus.bibliography;
    let Ok(f) = bib.formatter() else {
        return Vec::new();
    };
    f.bibliography_text(bib.works.iter().map(|w| &w.entry))
        .into_iter()
        .filter_map(|(key, text)| {
            let e = &bib.get(&key)?.entry;
            let title = e
                .title()
                .map(|t| t.value.to_str().into_owned())
                .unwrap_or_else(|| key.clone());
            let mut names: Vec<String> = e
                .authors()
                .unwrap_or_default()
                .iter()
                .map(|p| p.name_first(false, false))
                .collect();
            names.push(title.clone());
            Some(SearchDoc {
                kind: DocKind::Work,
                href: format!("bibliography.html#{}", crate::bibliography::anchor_id(&key)),
                title,
                label: "Bibliography".into(),
                text: text.clone(),
                text_weight: None,
                fields: vec![(weight::TITLE, names.join(" · ")), (weight::BODY, text)],
            })
        })
        .collect()
}

/// The glossary entries' own pages (`glossary/<id>.html`), one document
/// each: found by the entry's names (weighed as running text, so that the
/// glossary entry, where a name is defined, comes first) and by what only the page shows: its kind,
/// `sort:` key, dates, coordinates, authority identifiers and sources. The
/// definition is shown in the result, not indexed a second time.
pub(super) fn entity_documents(r: &Resolved) -> Vec<SearchDoc> {
    r.corpus
        .glossary
        .iter()
        .map(|g| {
            let e = &g.entity;
            let mut facts: Vec<String> = vec![g.kind.label().to_string()];
            if let Some(s) = &g.sort {
                facts.push(s.clone());
            }
            for (label, value) in [("born", &e.born), ("died", &e.died), ("date", &e.date)] {
                if let Some(v) = value {
                    facts.push(format!("{label} {v}"));
                }
            }
            if let Some(c) = e.coordinates {
                facts.push(format!("{}, {}", c.lat, c.lon));
            }
            for (key, id) in e.authorities() {
                facts.push(format!(
                    "{} {id}",
                    crate::parse::entity::authority_label(key)
                ));
            }
            if !g.sources.is_empty() {
                let sources: Vec<String> = g.sources.iter().map(|s| plain_text(s)).collect();
                facts.push(format!("Sources: {}", sources.join("; ")));
            }
            let facts = squeeze(&facts.join(" · "));
            let (md, _) = expand(r, None, &g.definition, "");
            let text = cat(&[&facts, ". ", &plain_text(&md)]);
            let mut names = g.term.clone();
            for a in &g.aliases {
                names.push_str(" · ");
                names.push_str(a);
            }
            SearchDoc {
                kind: DocKind::Entity,
                href: crate::model::entity_path(&g.id, 1),
                title: g.term.clone(),
                label: format!("Entity page, {}", g.kind.as_str()),
                text,
                text_weight: None,
                fields: vec![(weight::BODY, names), (weight::BODY, facts)],
            }
        })
        .collect()
}
