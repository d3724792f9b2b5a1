//! Words as search sees them. A word is a run of letters, digits and
//! combining marks; everything else (spaces, punctuation, hyphens,
//! apostrophes) separates words, so "Marxism-Leninism" is two words and
//! "party's" is "party" and "s". Each word is *folded*: lower-cased,
//! decomposed (NFKD) with its combining marks dropped, so "Tító", "TITO" and
//! "tito" are one word, and a few letters that do not decompose are spelt
//! out ("ß" as "ss", "æ" as "ae").
//!
//! `static/search.js` folds the words of a query and of the snippets it
//! highlights with the same rules (`[\p{Alphabetic}\p{N}\p{M}]+`, then
//! `toLowerCase`, `normalize('NFKD')` and the same table); keep both in step.
//!
//! This file holds the rules (what a word is, how it folds, the stop
//! words); `scan.rs` finds the words of a text by them, quickly.

mod scan;

pub use scan::{count, for_each_folded, key, spans};

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Words so common that indexing them would make the index much larger and
/// find nothing: they are left out of the index and ignored in queries
/// (inside a quoted phrase they still have to be there, in order). The
/// browser receives this list in the manifest.
pub const STOP_WORDS: [&str; 30] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have",
    "in", "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were",
    "which", "with",
];

/// Folded words longer than this (in bytes) are not indexed: they are
/// identifiers or garbage, not words anyone types.
pub const MAX_WORD: usize = 60;

pub fn is_stop_word(folded: &str) -> bool {
    folded.len() <= 5 && STOP_WORDS.contains(&folded)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Letters without a canonical or compatibility decomposition, spelt out.
fn spell_out(c: char, out: &mut String) {
    match c {
        'ß' => out.push_str("ss"),
        'æ' => out.push_str("ae"),
        'œ' => out.push_str("oe"),
        'ø' => out.push('o'),
        'đ' | 'ð' => out.push('d'),
        'ł' => out.push('l'),
        'ı' => out.push('i'),
        'þ' => out.push_str("th"),
        'ς' => out.push('σ'),
        c => out.push(c),
    }
}

/// One word folded for matching; empty if nothing of it is left.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// [`fold`], appending to `out` (which the caller clears), so a loop over
/// many words can reuse one buffer.
pub fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        // Nothing to decompose: the common case, made quick.
        out.extend(
            word.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| b.to_ascii_lowercase() as char),
        );
        return;
    }
    let start = out.len();
    for c in word
        .chars()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
    {
        spell_out(c, out);
    }
    let kept: String = out[start..]
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    out.truncate(start);
    out.push_str(&kept);
}

/// The folded words of `text`, in order, empty ones dropped.
pub fn folded(text: &str) -> impl Iterator<Item = String> + '_ {
    spans(text).map(|(_, w)| fold(w)).filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        folded(s).collect()
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && !is_stop_word("party"));
    }

    #[test]
    fn case_and_diacritics_fold_away() {
        assert_eq!(fold("Tító"), "tito");
        assert_eq!(fold("BANDUNG"), "bandung");
        assert_eq!(fold("Ngô"), "ngo");
        assert_eq!(fold("Đình"), "dinh");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Œuvre"), "oeuvre");
        assert_eq!(fold("Łódź"), "lodz");
        // Decomposed input folds like composed input.
        assert_eq!(fold("Ti\u{301}to"), fold("Tító"));
        // Compatibility forms: ligatures, full-width letters.
        assert_eq!(fold("ﬁnal"), "final");
        assert_eq!(fold("ＵＳＳＲ"), "ussr");
    }

    #[test]
    fn punctuation_hyphens_and_apostrophes_separate_words() {
        assert_eq!(
            words("Marxism-Leninism, the party's “line” — 1957/58!"),
            ["marxism", "leninism", "the", "party", "s", "line", "1957", "58"]
        );
        assert_eq!(words("  "), Vec::<String>::new());
    }

    #[test]
    fn other_scripts_are_words_too() {
        assert_eq!(
            words("Коммунистическая партия"),
            ["коммунистическая", "партия"]
        );
        assert_eq!(words("毛泽东"), ["毛泽东"]);
    }

    #[test]
    fn general_punctuation_is_never_part_of_a_word() {
        for c in '\u{2000}'..='\u{203f}' {
            assert!(!is_word_char(c), "{c:?}");
        }
    }
}
