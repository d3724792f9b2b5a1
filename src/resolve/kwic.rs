//! Keyword-in-context lines: the words around a glossary term's occurrence,
//! cut from the passage as the reader sees it when the text is anchored, so
//! the entry's page can show each occurrence without the text's analysis
//! (which a large build lets go).

use std::ops::Range;

/// About this many characters are kept on each side of the words (a
/// concordance's usual width: six or seven words; 60 before 2026-12-07,
/// when the lines were half the bytes of an entry's page).
pub const SIDE: usize = 40;

/// An occurrence's line: `text` with the cited words at `words`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kwic {
    pub text: Box<str>,
    pub words: Range<u32>,
    /// Whether words of the passage were left out before and after.
    pub cut_before: bool,
    pub cut_after: bool,
}

impl Kwic {
    /// The line for the words at `range` of `passage`: at most [`SIDE`]
    /// characters either side, cut at a space (never inside a word or a
    /// character).
    pub fn of(passage: &str, range: &Range<usize>) -> Kwic {
        let (before, words, after) = (
            &passage[..range.start],
            &passage[range.clone()],
            &passage[range.end..],
        );
        let left = side_start(before);
        let right = side_end(after);
        let left_text = before[left..].trim_start();
        let right_text = after[..right].trim_end();
        let mut text = String::with_capacity(left_text.len() + words.len() + right_text.len());
        text.push_str(left_text);
        let start = text.len() as u32;
        text.push_str(words);
        let end = text.len() as u32;
        text.push_str(right_text);
        Kwic {
            text: text.into_boxed_str(),
            words: start..end,
            cut_before: !before[..left].trim().is_empty(),
            cut_after: !after[right..].trim().is_empty(),
        }
    }

    pub fn before(&self) -> &str {
        &self.text[..self.words.start as usize]
    }
    pub fn words(&self) -> &str {
        &self.text[self.words.start as usize..self.words.end as usize]
    }
    pub fn after(&self) -> &str {
        &self.text[self.words.end as usize..]
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
    use super::{Kwic, SIDE};

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
        assert!(p.contains(&*k.text));
        assert!(
            k.after().ends_with("woord")
                || k.after().ends_with("een")
                || k.after().ends_with("nóg")
        );
    }
}
