//! The printed source's pages in a text: each listed page's beginning,
//! anchored with the notes' quotes (in `anchoring.rs`, one pass for all),
//! checked to come in the text's order, and the questions later stages ask
//! of them: which page a place is on, and which pages a paragraph or a
//! quote spans ("p. 5", "pp. 5–6").

use super::*;

/// A page of the source whose beginning was found in the text.
#[derive(Debug, Clone)]
pub struct AnchoredPage {
    /// The label as printed ("5", "xiv").
    pub label: String,
    /// The label made safe for the page mark's id, `page-<id>`.
    pub id: String,
    /// Where the page begins: the start of `place.range`.
    pub place: Place,
}

/// A text's pages, in the text's order.
#[derive(Debug, Clone, Default)]
pub struct Pages {
    /// The page of the text before the first listed page (`pages_start:`).
    pub start: Option<String>,
    pub breaks: Vec<AnchoredPage>,
}

impl Pages {
    pub fn is_empty(&self) -> bool {
        self.start.is_none() && self.breaks.is_empty()
    }

    /// How many listed pages begin at or before byte `offset` of `passage`.
    fn begun(&self, passage: usize, offset: usize) -> usize {
        self.breaks
            .partition_point(|b| (b.place.passage, b.place.range.start) <= (passage, offset))
    }

    /// The label of the page that byte `offset` of `passage` is on.
    pub fn at(&self, passage: usize, offset: usize) -> Option<&str> {
        match self.begun(passage, offset) {
            0 => self.start.as_deref(),
            k => Some(&self.breaks[k - 1].label),
        }
    }

    /// The first and last pages that `range` of `passage` is on (text before
    /// the first listed page, without `pages_start:`, is on none).
    pub fn span(&self, passage: usize, range: Range<usize>) -> Option<(&str, &str)> {
        let last_byte = range.end.max(range.start + 1) - 1;
        let last = self.at(passage, last_byte)?;
        let first = self.at(passage, range.start).unwrap_or_else(|| {
            // Unpaged text up to the first page: the span starts there.
            &self.breaks[0].label
        });
        Some((first, last))
    }

    /// `span` as a reader cites it: "p. 5", or "pp. 5–6".
    pub fn locator(&self, passage: usize, range: Range<usize>) -> Option<String> {
        self.span(passage, range).map(|(a, b)| locator(a, b))
    }
}

/// "p. 5" for one page, "pp. 5–6" for a span.
pub fn locator(first: &str, last: &str) -> String {
    if first == last {
        format!("p. {first}")
    } else {
        format!("pp. {first}–{last}")
    }
}

/// The anchored pages of `ann` (`places` in the order listed), each after
/// the one listed before it; a page that begins before (or where) an
/// earlier one begins is reported and left out.
pub(super) fn in_order(
    doc: &Document,
    ann: &Annotations,
    places: &[Option<Place>],
    diags: &mut Vec<Diagnostic>,
) -> Pages {
    let mut breaks: Vec<AnchoredPage> = Vec::with_capacity(places.len());
    for (page, place) in ann.pages.iter().zip(places) {
        let Some(place) = place else { continue };
        if let Some(before) = breaks.last() {
            let (b, p) = (&before.place, place);
            if (p.passage, p.range.start) <= (b.passage, b.range.start) {
                let here = doc.passages[p.passage].label();
                let there = doc.passages[b.passage].label();
                let (how, hint) = if (p.passage, p.range.start) == (b.passage, b.range.start) {
                    (
                        format!("where page `{}` begins ({there})", before.label),
                        "two pages cannot begin at the same words: check the quote of each",
                    )
                } else {
                    (
                        format!("before page `{}`: in {here}, which comes before its place in {there}", before.label),
                        "list the pages in the order of the text, and check that the quote is the first words of this page (quote more words if they occur earlier too)",
                    )
                };
                diags.push(
                    Diagnostic::error(
                        "E0353",
                        ann.file.clone(),
                        format!("page `{}` begins {how}", page.n),
                    )
                    .at(page.n_pos.line, page.n_pos.column)
                    .help(hint),
                );
                continue;
            }
        }
        breaks.push(AnchoredPage {
            label: page.n.clone(),
            id: page_id(&page.n),
            place: place.clone(),
        });
    }
    Pages {
        start: ann.pages_start.as_ref().map(|s| s.0.clone()),
        breaks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "---\ntitle: A\n---\n\nThe cat sat on the mat. Then the cat ran.\n\nA dog came. It barked.\n\nThe end.\n";

    fn resolved(pages: &str) -> (Vec<(&'static str, usize)>, Pages) {
        let file = format!("notes:\n  - id: n\n    anchor: dog\n    body: B\n{pages}");
        let corpus = test_corpus(&[("texts/a.md", TEXT), ("annotations/a.yaml", &file)]);
        let mut report = Report::default();
        let r = resolve(&corpus, &mut report);
        let codes = report
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line))
            .collect();
        (codes, r.texts[0].pages.clone())
    }

    #[test]
    fn pages_begin_where_their_words_are_inside_and_between_paragraphs() {
        let (codes, pages) = resolved(
            "pages_start: \"4\"\npages:\n  - n: \"5\"\n    starts: \"Then the cat\"\n  - n: \"6\"\n    starts: \"It barked\"\n  - n: \"7\"\n    starts: \"The end\"\n",
        );
        assert!(codes.is_empty(), "{codes:?}");
        let at: Vec<(usize, usize)> = pages
            .breaks
            .iter()
            .map(|b| (b.place.passage, b.place.range.start))
            .collect();
        assert_eq!(at, [(0, 24), (1, 12), (2, 0)]);
        // A place is on the page last begun; text before the first on `pages_start`.
        assert_eq!(pages.at(0, 0), Some("4"));
        assert_eq!(pages.at(0, 24), Some("5"));
        assert_eq!(pages.at(1, 0), Some("5"));
        assert_eq!(pages.at(2, 0), Some("7"));
        // ¶ 1 runs from page 4 into 5, ¶ 2 from 5 into 6, ¶ 3 is on 7.
        assert_eq!(pages.locator(0, 0..40).as_deref(), Some("pp. 4–5"));
        assert_eq!(pages.locator(1, 0..21).as_deref(), Some("pp. 5–6"));
        assert_eq!(pages.locator(2, 0..8).as_deref(), Some("p. 7"));
        // The words just before a page are still on the page before it.
        assert_eq!(pages.locator(0, 0..24).as_deref(), Some("p. 4"));
    }

    #[test]
    fn without_pages_start_the_text_before_the_first_page_is_on_none() {
        let (_, pages) = resolved("pages:\n  - n: \"5\"\n    starts: \"Then the cat\"\n");
        assert_eq!(pages.at(0, 3), None);
        assert_eq!(pages.locator(0, 0..10), None);
        assert_eq!(pages.locator(0, 0..40).as_deref(), Some("p. 5"));
        assert_eq!(pages.locator(1, 0..5).as_deref(), Some("p. 5"));
    }

    #[test]
    fn a_page_not_found_repeated_or_out_of_order_is_an_error_at_its_line() {
        let page = |n: &str, starts: &str| format!("  - n: \"{n}\"\n    starts: {starts}\n");
        let list = |items: &[String]| format!("pages:\n{}", items.concat());
        // Not found: the closest passage is named, as for a note.
        let (codes, _) = resolved(&list(&[page("5", "\"Then the kat\"")]));
        assert_eq!(codes, [("E0350", 7)]);
        // Twice in the text, and a prefix that fits neither place.
        let (codes, _) = resolved(&list(&[page("5", "\"cat\"")]));
        assert_eq!(codes, [("E0352", 7)]);
        let (codes, pages) = resolved(&list(&[page("5", "{ quote: \"cat\", prefix: \"the \" }")]));
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(pages.breaks[0].place.range.start, 33);
        let (codes, _) = resolved(&list(&[page("5", "{ quote: \"cat\", prefix: \"a \" }")]));
        assert_eq!(codes, [("E0351", 7)]);
        // Out of the text's order, or where another page begins.
        let (codes, pages) = resolved(&list(&[
            page("6", "\"It barked\""),
            page("5", "\"Then the cat\""),
        ]));
        assert_eq!(codes, [("E0353", 8)]);
        assert_eq!(pages.breaks.len(), 1);
        let (codes, _) = resolved(&list(&[page("5", "\"It barked\""), page("6", "\"It\"")]));
        assert_eq!(codes, [("E0353", 8)]);
        // An empty quote.
        let (codes, _) = resolved(&list(&[page("5", "\"\"")]));
        assert_eq!(codes, [("E0356", 7)]);
    }

    #[test]
    fn errors_name_the_page_and_the_closest_passage() {
        let file = "pages:\n  - n: \"5\"\n    starts: \"Then the kat ran\"\n  - n: \"4\"\n    starts: \"A dog\"\n  - n: \"3\"\n    starts: \"The cat\"\n";
        let corpus = test_corpus(&[("texts/a.md", TEXT), ("annotations/a.yaml", file)]);
        let mut report = Report::default();
        resolve(&corpus, &mut report);
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.code == "E0350")
            .unwrap();
        assert_eq!(d.file, "content/annotations/a.yaml");
        assert!(d.message.contains("page `5`"), "{}", d.message);
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("the closest passage is ¶ 1"),
            "{:?}",
            d.help
        );
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.code == "E0353")
            .unwrap();
        assert_eq!((d.line, d.column), (6, 8));
        assert!(
            d.message.contains("page `3` begins before page `4`"),
            "{}",
            d.message
        );
        assert!(d.help.as_deref().unwrap().contains("order of the text"));
    }
}
