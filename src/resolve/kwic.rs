//! Keyword-in-context lines: the words around a glossary term's occurrence,
//! cut from the passage as the reader sees it when the text is anchored, so
//! the entry's page can show each occurrence without the text's analysis
//! (which a large build lets go).

use crate::scratch::{Spillable, Strings};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// About this many characters are kept on each side of the words (a
/// concordance's usual width: six or seven words; 60 before 2026-12-07,
/// when the lines were half the bytes of an entry's page).
pub const SIDE: usize = 40;

/// An occurrence's line: `line` with the cited words at `words`, borrowed
/// from the passage it was cut from or from a text's [`Lines`] (or read
/// back, when a large build wrote them out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kwic<'a> {
    pub line: Cow<'a, str>,
    pub words: Range<usize>,
    /// Whether words of the passage were left out before and after.
    pub cut_before: bool,
    pub cut_after: bool,
}

impl<'a> Kwic<'a> {
    /// The line for the words at `range` of `passage`: at most [`SIDE`]
    /// characters either side, cut at a space (never inside a word or a
    /// character). The line is one piece of the passage.
    pub fn of(passage: &'a str, range: &Range<usize>) -> Kwic<'a> {
        let (before, after) = (&passage[..range.start], &passage[range.end..]);
        let left = side_start(before);
        let right = side_end(after);
        let start = range.start - before[left..].trim_start().len();
        let end = range.end + after[..right].trim_end().len();
        Kwic {
            line: Cow::Borrowed(&passage[start..end]),
            words: range.start - start..range.end - start,
            cut_before: !before[..left].trim().is_empty(),
            cut_after: !after[right..].trim().is_empty(),
        }
    }

    pub fn before(&self) -> &str {
        &self.line[..self.words.start]
    }
    pub fn words(&self) -> &str {
        &self.line[self.words.clone()]
    }
    pub fn after(&self) -> &str {
        &self.line[self.words.end..]
    }
}

/// Where an occurrence's line is kept in its text's [`Lines`]: 20 bytes
/// where a line of its own took a string (and its allocation) per
/// occurrence, which at 10,000 texts and 758,625 occurrences was one of
/// the largest things a build held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineAt {
    start: u32,
    words: (u32, u32),
    end: u32,
    cut: u8,
}

/// The lines of one text's occurrences, end to end in one string: held,
/// or, in a large build, written out once the text is anchored and read
/// back line by line for the entries' pages ([`Lines::spill`]).
#[derive(Debug, Clone, Default)]
pub struct Lines(Spillable);

/// Makes a text's [`Lines`], one line at a time.
#[derive(Default)]
pub struct LinesBuilder(String);

impl LinesBuilder {
    /// Keeps `k` and says where. A text whose lines would pass 4 GB keeps
    /// the rest empty (no text comes near it: each line is at most about
    /// 80 characters and the term's words).
    pub fn push(&mut self, k: &Kwic) -> LineAt {
        let start = self.0.len();
        let Ok(end) = u32::try_from(start + k.line.len()) else {
            return LineAt::default();
        };
        self.0.push_str(&k.line);
        LineAt {
            start: start as u32,
            words: ((start + k.words.start) as u32, (start + k.words.end) as u32),
            end,
            cut: u8::from(k.cut_before) | u8::from(k.cut_after) << 1,
        }
    }

    pub fn finish(self) -> Lines {
        Lines(self.0.into())
    }
}

impl Lines {
    /// The line kept at `at`.
    pub fn get(&self, at: LineAt) -> Kwic<'_> {
        let (s, e) = (at.start as usize, at.end as usize);
        Kwic {
            line: self.0.range(s..e),
            words: at.words.0 as usize - s..at.words.1 as usize - s,
            cut_before: at.cut & 1 != 0,
            cut_after: at.cut & 2 != 0,
        }
    }

    /// The bytes held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Writes the lines out to `store` and lets them go (kept when the
    /// write fails).
    pub fn spill(&mut self, store: &Arc<Strings>) {
        crate::scratch::spill(store, [&mut self.0]);
    }
}

/// Where the kept end of `before` starts: [`SIDE`] characters back, moved
/// forward to the next space.
fn side_start(before: &str) -> usize {
    let Some((cut, _)) = before.char_indices().rev().nth(SIDE) else {
        return 0;
    };
    match before[cut..].find(' ') {
        Some(sp) => cut + sp,
        None => before.len(),
    }
}

/// Where the kept start of `after` ends: [`SIDE`] characters on, moved
/// back to the last space.
fn side_end(after: &str) -> usize {
    let Some((cut, _)) = after.char_indices().nth(SIDE) else {
        return after.len();
    };
    after[..cut].rfind(' ').unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{Kwic, LinesBuilder, SIDE};

    #[test]
    fn a_short_passage_is_kept_whole_and_the_words_are_marked() {
        let p = "The Congress of the party met in Moscow.";
        let k = Kwic::of(p, &(4..12));
        assert_eq!(
            (k.before(), k.words(), k.after()),
            ("The ", "Congress", " of the party met in Moscow.")
        );
        assert!(!k.cut_before && !k.cut_after);
    }

    #[test]
    fn a_long_passage_is_cut_at_spaces_on_both_sides() {
        let left = "één woord ".repeat(20);
        let right = " nóg een woord".repeat(20);
        let p = format!("{left}Lenin{right}");
        let k = Kwic::of(&p, &(left.len()..left.len() + 5));
        assert_eq!(k.words(), "Lenin");
        assert!(k.cut_before && k.cut_after);
        assert!(k.before().chars().count() <= SIDE + 1 && k.after().chars().count() <= SIDE + 1);
        assert!(
            k.before().starts_with("één") || k.before().starts_with("woord"),
            "{:?}",
            k.before()
        );
        assert!(p.contains(&*k.line));
        assert!(
            k.after().ends_with("woord")
                || k.after().ends_with("een")
                || k.after().ends_with("nóg")
        );
    }

    /// A line kept in a text's lines reads back as it was cut, however
    /// many lines were kept before it.
    #[test]
    fn lines_kept_end_to_end_read_back_whole() {
        let a = "The Congress of the party met in Moscow.";
        let b = format!(
            "{}Lenin and the party{}",
            "word ".repeat(30),
            " more".repeat(30)
        );
        let (ka, kb) = (Kwic::of(a, &(4..12)), Kwic::of(&b, &(150..155)));
        let mut builder = LinesBuilder::default();
        let (at_a, at_b) = (builder.push(&ka), builder.push(&kb));
        let lines = builder.finish();
        assert_eq!(lines.get(at_a), ka);
        assert_eq!(lines.get(at_b), kb);
        assert_eq!(lines.get(at_b).words(), "Lenin");
        assert!(lines.get(at_b).cut_before && lines.get(at_b).cut_after);
        assert_eq!(lines.len(), ka.line.len() + kb.line.len());
        // Written out, as a large build does, they read back the same.
        let mut out = lines.clone();
        out.spill(&crate::scratch::Strings::new().expect("a temporary file"));
        assert!(!out.0.is_held());
        assert_eq!(out.get(at_a), ka);
        assert_eq!(out.get(at_b), kb);
    }
}
