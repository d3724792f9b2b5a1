//! Spans that end (and start) between user-perceived characters: a quote
//! that matches part of an emoji sequence (a ZWJ family, a flag, a skin tone,
//! a letter with combining accents) is widened to the whole sequence, so a
//! highlight never cuts a character in two. The rules are those of Unicode
//! grapheme clusters (UAX #29) that matter inside a word: extenders,
//! zero-width joiners and regional-indicator pairs; no table beyond the
//! combining marks that `unicode-normalization` already carries.

use std::ops::Range;
use unicode_normalization::char::is_combining_mark;

const ZWJ: char = '\u{200d}';

/// A character that belongs to the one before it: a combining mark, a
/// variation selector, an emoji skin tone, a tag character, the keycap mark
/// or a zero-width joiner.
fn extends(c: char) -> bool {
    matches!(c as u32,
        0x200d | 0x20e3 | 0xfe00..=0xfe0f | 0x1f3fb..=0x1f3ff | 0xe0020..=0xe007f | 0xe0100..=0xe01ef)
        || is_combining_mark(c)
}

fn regional(c: char) -> bool {
    matches!(c as u32, 0x1f1e6..=0x1f1ff)
}

/// How many regional indicators stand right before byte `at` of `s`.
fn regionals_before(s: &str, at: usize) -> usize {
    s[..at].chars().rev().take_while(|&c| regional(c)).count()
}

/// `r` (byte offsets of `s` on character boundaries) widened to whole
/// grapheme clusters.
pub fn widen(s: &str, r: Range<usize>) -> Range<usize> {
    let (mut start, mut end) = (r.start.min(s.len()), r.end.min(s.len()));
    // Back over extenders, and over a character joined by a ZWJ before it.
    loop {
        let mut back = s[..start].chars().rev();
        let Some(prev) = back.next() else { break };
        let here = s[start..].chars().next();
        let joined = prev == ZWJ && start < s.len();
        let split_pair = here.is_some_and(regional) && regionals_before(s, start) % 2 == 1;
        if here.is_some_and(extends) || joined || split_pair {
            start -= prev.len_utf8();
        } else {
            break;
        }
    }
    // Forward over extenders, the character after a ZWJ, and the second
    // regional indicator of a pair.
    while let Some(next) = s[end..].chars().next() {
        let last = s[..end].chars().next_back();
        let after_zwj = last == Some(ZWJ);
        let pair = regional(next) && regionals_before(s, end) % 2 == 1;
        if end > start && (extends(next) || after_zwj || pair) {
            end += next.len_utf8();
        } else {
            break;
        }
    }
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::widen;

    fn span<'a>(s: &'a str, part: &str) -> &'a str {
        let i = s.find(part).unwrap();
        &s[widen(s, i..i + part.len())]
    }

    #[test]
    fn spans_take_whole_emoji_sequences_and_accented_letters() {
        let family = "The family \u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467} came.";
        assert_eq!(
            span(family, "family \u{1f468}\u{200d}\u{1f469}"),
            "family \u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}"
        );
        let flags = "Flags \u{1f1e9}\u{1f1ea}\u{1f1eb}\u{1f1f7} here.";
        assert_eq!(span(flags, "Flags \u{1f1e9}"), "Flags \u{1f1e9}\u{1f1ea}");
        assert_eq!(
            span(flags, "\u{1f1ea}\u{1f1eb}"),
            "\u{1f1e9}\u{1f1ea}\u{1f1eb}\u{1f1f7}"
        );
        assert_eq!(span("cafe\u{301} noir", "cafe"), "cafe\u{301}");
        assert_eq!(
            span("a \u{1f44d}\u{1f3fd} b", "a \u{1f44d}"),
            "a \u{1f44d}\u{1f3fd}"
        );
        assert_eq!(span("plain words here", "words"), "words");
    }
}
