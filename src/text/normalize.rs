//! The silent normalisation under anchoring and glossary matching
//! (docs/formats.md): runs of white space count as one space, straight and
//! typographic quotes, apostrophes and dashes match each other, and Unicode
//! is compared in NFC. [`Normalized`] keeps, for every character it
//! produces, the byte range of the source it came from (as stretches: only
//! where the two differ), so a match in normalised text maps back to the
//! exact source span. Plain ASCII is squeezed eight bytes at a time
//! ([`super::swar`]): measured, most of a text's bytes are plain words.

use super::swar;
use std::ops::Range;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
/// Text after the silent normalisation, with a map back to the source.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub text: String,
    /// The map back, stretch by stretch: it changes only where white space
    /// was squeezed or a character folded or composed, so a passage of plain
    /// words is one stretch (an entry per character would be 24 bytes each).
    map: Vec<Stretch>,
}

/// Characters of the normalised text from `at` up to the next stretch.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    at: usize,
    /// Where the stretch starts in the source.
    src: usize,
    /// [`FOLLOWS`]: each character comes from as many source bytes as it has,
    /// at the same distance from `src` as it is from `at`. Otherwise every
    /// character of the stretch comes from the source range `src..end`.
    end: usize,
}

const FOLLOWS: usize = usize::MAX;

impl Normalized {
    /// The normalisation of `src`, with its map back.
    pub fn of(src: &str) -> Normalized {
        let mut out = Normalized::default();
        out.refill(src);
        out
    }

    /// The source byte range of the normalised byte range `r`.
    pub fn source_range(&self, r: Range<usize>) -> Range<usize> {
        let text = &self.text;
        if text.is_empty() || r.start >= text.len() {
            return 0..0;
        }
        // The first character starting at or after `r.start` (the last one
        // if none does), and the last one starting before `r.end` (at least
        // the first).
        let mut first = r.start;
        while first < text.len() && !text.is_char_boundary(first) {
            first += 1;
        }
        if first == text.len() {
            first = floor_char(text, text.len() - 1);
        }
        let end = r.end.min(text.len());
        let last = if end == 0 {
            0
        } else {
            floor_char(text, end - 1)
        }
        .max(first);
        self.char_source(first).0..self.char_source(last).1
    }

    /// The source range of the character at byte `at` of the text.
    fn char_source(&self, at: usize) -> (usize, usize) {
        let s = self.map[self.map.partition_point(|s| s.at <= at) - 1];
        if s.end == FOLLOWS {
            let start = s.src + (at - s.at);
            let len = self.text[at..].chars().next().map_or(1, char::len_utf8);
            (start, start + len)
        } else {
            (s.src, s.end)
        }
    }

    /// Records that the character of `len` bytes about to be appended to the
    /// text comes from the source range `s..e`.
    fn record(&mut self, s: usize, e: usize, len: usize) {
        let at = self.text.len();
        let last = self.map.last();
        if e - s == len {
            if last
                .is_some_and(|l| l.end == FOLLOWS && l.src.wrapping_sub(l.at) == s.wrapping_sub(at))
            {
                return;
            }
            self.map.push(Stretch {
                at,
                src: s,
                end: FOLLOWS,
            });
        } else {
            if last.is_some_and(|l| l.src == s && l.end == e) {
                return;
            }
            self.map.push(Stretch { at, src: s, end: e });
        }
    }

    /// Appends the pending white space as one space, unless nothing precedes it.
    fn space(&mut self, space: &mut Option<(usize, usize)>) {
        if let Some((s, e)) = space.take() {
            if !self.text.is_empty() {
                self.record(s, e, 1);
                self.text.push(' ');
            }
        }
    }

    /// Normalises `src` into this buffer, replacing what it held.
    pub fn refill(&mut self, src: &str) {
        self.text.clear();
        self.map.clear();
        self.text.reserve(src.len());
        let bytes = src.as_bytes();
        let n = bytes.len();
        let mut space: Option<(usize, usize)> = None;
        let mut buf = String::new();
        let mut i = 0;
        while i < n {
            let b = bytes[i];
            // Fast path: ASCII that no combining mark follows needs neither
            // composition nor folding, and maps back byte for byte.
            if b < 0x80 && bytes.get(i + 1).is_none_or(|&n| n < 0x80) {
                if is_ascii_space(b) {
                    space = Some(space.map_or((i, i + 1), |(s, _)| (s, i + 1)));
                    i += 1;
                    continue;
                }
                // A stretch of visible ASCII and single spaces between it,
                // copied as it is.
                let start = i;
                let mut j = i + 1;
                while j < n {
                    // Eight bytes at once where none ends the stretch or
                    // needs a closer look: no control character or white
                    // space but ' ' (all below 0x20), nothing beyond ASCII,
                    // and no space before anything but visible ASCII.
                    if let (Some(w), Some(next)) = (swar::load(bytes, j), swar::load(bytes, j + 1))
                    {
                        let spaces = swar::eq(w, b' ');
                        let odd = swar::below(w, 0x20)
                            | w & swar::HIGHS
                            | spaces & (swar::below(next, 0x21) | next & swar::HIGHS);
                        if odd == 0 {
                            j += 8;
                            continue;
                        }
                    }
                    let c = bytes[j];
                    if c < 0x80 && !is_ascii_space(c) {
                        j += 1;
                    } else if c == b' '
                        && bytes
                            .get(j + 1)
                            .is_some_and(|&d| d < 0x80 && !is_ascii_space(d))
                    {
                        j += 2;
                    } else {
                        break;
                    }
                }
                // The last byte before a non-ASCII one may take a combining
                // mark: it is left to the slow path.
                if j < n && bytes[j] >= 0x80 {
                    j -= 1;
                }
                self.space(&mut space);
                self.record(start, start + 1, 1);
                self.text.push_str(&src[start..j]);
                i = j;
                continue;
            }
            let c = src[i..].chars().next().expect("a character starts here");
            let mut end = i + c.len_utf8();
            for d in src[end..].chars() {
                if d.is_ascii() || !is_combining_mark(d) {
                    break;
                }
                end += d.len_utf8();
            }
            if end == i + c.len_utf8() && c.is_whitespace() {
                space = Some(space.map_or((i, end), |(s, _)| (s, end)));
                i = end;
                continue;
            }
            buf.clear();
            let group = &src[i..end];
            if end == i + c.len_utf8() && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes {
                // One character already in NFC (most are): nothing to compose.
                fold(c, &mut buf);
            } else {
                for ch in group.nfc() {
                    fold(ch, &mut buf);
                }
            }
            if !buf.is_empty() {
                self.space(&mut space);
                for ch in buf.chars() {
                    self.record(i, end, ch.len_utf8());
                    self.text.push(ch);
                }
            }
            i = end;
        }
    }
}

/// White space as `char::is_whitespace` has it, for an ASCII byte.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// The start of the character that byte `i` of `text` belongs to.
fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The folding of one character: quotes, apostrophes and dashes to their
/// ASCII forms; the ellipsis to three dots; invisible characters to nothing.
fn fold(c: char, out: &mut String) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => {
            out.push('\'')
        }
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => out.push('"'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => out.push('-'),
        '\u{2026}' => out.push_str("..."),
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
        c => out.push(c),
    }
}

pub fn normalize(src: &str) -> Normalized {
    Normalized::of(src)
}

/// The normalised form of a quote, prefix or suffix (no map needed).
pub fn normalize_quote(s: &str) -> String {
    normalize(s).text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normalisation as first written: an entry per produced character.
    fn per_char(src: &str) -> (String, Vec<(usize, usize, usize)>) {
        let (mut text, mut map) = (String::new(), Vec::new());
        let mut space: Option<(usize, usize)> = None;
        let mut buf = String::new();
        let mut i = 0;
        while i < src.len() {
            let c = src[i..].chars().next().unwrap();
            let mut end = i + c.len_utf8();
            for d in src[end..].chars() {
                if d.is_ascii() || !is_combining_mark(d) {
                    break;
                }
                end += d.len_utf8();
            }
            if end == i + c.len_utf8() && c.is_whitespace() {
                space = Some(space.map_or((i, end), |(s, _)| (s, end)));
                i = end;
                continue;
            }
            buf.clear();
            for ch in src[i..end].nfc() {
                fold(ch, &mut buf);
            }
            if !buf.is_empty() {
                if let Some((s, e)) = space.take() {
                    if !text.is_empty() {
                        map.push((text.len(), s, e));
                        text.push(' ');
                    }
                }
                for ch in buf.chars() {
                    map.push((text.len(), i, end));
                    text.push(ch);
                }
            }
            i = end;
        }
        (text, map)
    }

    #[test]
    fn the_map_back_is_that_of_every_character() {
        let pieces = [
            "a",
            "b",
            "word",
            " ",
            "  ",
            "\n",
            "\t",
            "\u{a0}",
            "\u{2003}",
            "\u{2000}",
            "\u{2019}",
            "\u{201C}",
            "\u{2014}",
            "\u{2026}",
            "\u{200B}",
            "\u{ad}",
            "e\u{301}",
            "q\u{301}",
            "\u{301}",
            "\u{344}",
            "\u{2adc}",
            "\u{e9}",
            "\u{144}",
            "\u{212b}",
            "\u{1F600}",
            "x\u{301}\u{300}",
            ".",
            "-",
        ];
        let mut rng = crate::testing::Rng::new(0x2545_f491_4f6c_dd1du64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..3000 {
            let len = next(12);
            let src: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
            same_as_per_char(&src);
        }
        // Longer stretches of plain text, which are passed over eight bytes
        // at a time, broken at every place.
        let pieces = [
            "word", "a", " ", "  ", "\n", "\t", ".", "\u{2019}", "e\u{301}", "\u{e9}", "\u{1}",
            "\u{7f}", "\u{a0}",
        ];
        for _ in 0..3000 {
            let len = next(40);
            let src: String = (0..len)
                .map(|_| {
                    let p = next(pieces.len() * 4);
                    *pieces.get(p).unwrap_or(&"plain ascii words")
                })
                .collect();
            same_as_per_char(&src);
        }
    }

    /// The normalisation of `src` and its map back are those of [`per_char`].
    fn same_as_per_char(src: &str) {
        let (text, map) = per_char(src);
        let norm = Normalized::of(src);
        assert_eq!(norm.text, text, "{src:?}");
        let old = |r: Range<usize>| {
            if map.is_empty() || r.start >= text.len() {
                return 0..0;
            }
            let first = map.partition_point(|m| m.0 < r.start).min(map.len() - 1);
            let last = map
                .partition_point(|m| m.0 < r.end)
                .saturating_sub(1)
                .max(first);
            map[first].1..map[last].2
        };
        for a in 0..=text.len() + 1 {
            for b in a..=text.len() + 1 {
                assert_eq!(norm.source_range(a..b), old(a..b), "{src:?} {a}..{b}");
            }
        }
    }
}
