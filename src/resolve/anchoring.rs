//! One text's annotations anchored: each note's and link's quote found in
//! the text's passages (through [`crate::anchor`]), a repeated quote
//! decided by its prefix and suffix, the glossary's terms found, and every
//! quote that fails to anchor reported with the closest passage and the
//! context that would decide it.

use super::*;

fn query(a: &Anchor) -> Query {
    Query {
        quote: a.quote.clone(),
        prefix: a.prefix.clone(),
        suffix: a.suffix.clone(),
    }
}

/// Anchors one text's notes and links and finds its glossary terms.
pub(super) fn anchor_text(
    doc: Document,
    text: &Text,
    ann: &Annotations,
    matcher: &TermMatcher,
) -> (AnchoredText, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut queries: Vec<Query> = ann.notes.iter().map(|n| query(&n.anchor)).collect();
    queries.extend(ann.links.iter().map(|l| query(&l.anchor)));
    queries.extend(ann.pages.iter().map(|p| query(&p.starts)));
    let mut raw_terms: Vec<TermHit> = Vec::new();
    let found = anchor::find_all(
        doc.passages.iter().map(|p| p.text.as_str()),
        &queries,
        |p, norm| {
            if doc.passages[p].kind == PassageKind::Heading {
                return;
            }
            for (r, term) in matcher.find(&norm.text) {
                raw_terms.push(TermHit::new(p, norm.source_range(r), term));
            }
        },
    );

    let mut places: Vec<Option<Place>> = Vec::with_capacity(found.len());
    let (notes_end, links_end) = (ann.notes.len(), ann.notes.len() + ann.links.len());
    for (qi, f) in found.into_iter().enumerate() {
        let (id, anchor, pos, what) = if qi < notes_end {
            let n = &ann.notes[qi];
            (&n.id, &n.anchor, n.anchor_pos, &NOTE)
        } else if qi < links_end {
            let l = &ann.links[qi - notes_end];
            (&l.id, &l.anchor, l.anchor_pos, &LINK)
        } else {
            let p = &ann.pages[qi - links_end];
            (&p.n, &p.starts, p.starts_pos, &PAGE)
        };
        places.push(decide(
            &doc, text, ann, id, anchor, pos, what, f, &mut diags,
        ));
    }
    let pages = super::pages::in_order(&doc, ann, &places[links_end..], &mut diags);

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
    notes.shrink_to_fit();
    let mut links: Vec<AnchoredLink> = ann
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
    links.shrink_to_fit();

    // Terms are not linked inside links, code, or the passage of a cross-link.
    let mut lines = super::kwic::LinesBuilder::default();
    let mut terms: Vec<TermHit> = raw_terms
        .into_iter()
        .filter(|h| {
            let (p, range) = (&doc.passages[h.passage()], h.range());
            !p.no_terms.iter().any(|r| overlaps(r, &range))
                && !links
                    .iter()
                    .any(|l| l.place.passage == h.passage() && overlaps(&l.place.range, &range))
        })
        .map(|mut h| {
            let k = super::kwic::Kwic::of(&doc.passages[h.passage()].text, &h.range());
            h.line = lines.push(&k);
            h
        })
        .collect();
    // Collected in place, so with the room of every hit found, linked or not.
    terms.shrink_to_fit();
    let lines = lines.finish();

    for n in &ann.notes {
        if n.body.get().trim().is_empty() {
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
            lines,
            pages,
            backrefs: BTreeMap::new(),
        },
        diags,
    )
}

/// What is anchored, in the words and with the codes of its errors: notes
/// and links share theirs; a page's beginning has its own (E035x).
struct Subject {
    what: &'static str,
    /// The anchor is empty; not found; its prefix/suffix fits no place; it
    /// occurs more than once.
    codes: [&'static str; 4],
}

const NOTE: Subject = Subject {
    what: "note",
    codes: ["E0300", "E0301", "E0302", "E0303"],
};
const LINK: Subject = Subject {
    what: "link",
    codes: ["E0300", "E0301", "E0302", "E0303"],
};
const PAGE: Subject = Subject {
    what: "page",
    codes: ["E0356", "E0350", "E0351", "E0352"],
};

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
    subject: &Subject,
    f: anchor::Found,
    diags: &mut Vec<Diagnostic>,
) -> Option<Place> {
    let what = subject.what;
    let [empty, missing, unfit, repeated] = subject.codes;
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
                empty,
                ann.file.clone(),
                format!("the {what} `{id}` has an empty anchor"),
            )
            .at(pos.line, pos.column)
            .help(if what == "page" {
                "quote the first words of the page, as they stand in the text"
            } else {
                "quote the words of the text that the annotation belongs to"
            }),
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
            missing,
            ann.file.clone(),
            format!(
                "the quote of {what} `{id}` is not in the text: \"{}\"",
                anchor.quote.trim()
            ),
        )
        .help(hint)
    } else if f.decided.is_empty() {
        Diagnostic::error(
            unfit,
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
            repeated,
            ann.file.clone(),
            format!("the quote of {what} `{id}` occurs {} times: in {}", places.len(), where_(places)),
        )
        .help(format!(
            "quote more words, or choose one place with the long form `{}: {{ quote: \"...\", prefix: \"...\" }}` (or `suffix:`); these would decide: {}",
            if what == "page" { "starts" } else { "anchor" },
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

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "---\ntitle: A\n---\n\nThe cat sat. Then the cat ran.\n";

    fn codes(annotations: &str) -> Vec<&'static str> {
        let corpus = test_corpus(&[("texts/a.md", TEXT), ("annotations/a.yaml", annotations)]);
        let mut report = Report::default();
        resolve(&corpus, &mut report);
        report.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn a_repeated_quote_is_reported_until_its_prefix_decides() {
        let note = |anchor: &str| format!("notes:\n  - id: n\n    anchor: {anchor}\n    body: B\n");
        assert_eq!(codes(&note("cat")), ["E0303"]);
        assert!(codes(&note("{ quote: cat, prefix: \"the \" }")).is_empty());
        assert_eq!(codes(&note("dog")), ["E0301"]);
    }
}
