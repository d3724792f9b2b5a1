//! Finding the words of a text by the rules of the module above, quickly:
//! this is the innermost loop of building the search index (every word of
//! every document) and of counting document lengths. ASCII is decided by
//! one table look-up a byte, or eight bytes at once with the bit tests of
//! [`crate::text::swar`]; other characters by the Unicode tables. The
//! tests check every quick path against the definition, a character at a
//! time.

use super::{fold_into, is_word_char};
use crate::text::swar::{self, HIGHS};

/// Whether the character at byte `i` of `text` (whose first byte is `b`)
/// belongs to a word, and its length in bytes.
#[inline]
fn char_at(text: &str, i: usize, b: u8) -> (bool, usize) {
    if b < 0x80 {
        (ASCII[b as usize] & WORD != 0, 1)
    } else {
        let c = text[i..].chars().next().unwrap_or(' ');
        (is_word_char(c), c.len_utf8())
    }
}

/// What a byte is, looked up in [`ASCII`]: part of a word (an ASCII letter
/// or digit, with [`UPPER`] too for a capital), a separator (any other
/// ASCII), or the first or a later byte of a character beyond ASCII, which
/// the Unicode tables decide.
const WORD: u8 = 1;
const UPPER: u8 = 4;
const SEPARATOR: u8 = 0;
const BEYOND: u8 = 2;

const ASCII: [u8; 256] = {
    let mut t = [BEYOND; 256];
    let mut c = 0;
    while c < 0x80 {
        let b = c as u8;
        t[c] = if b.is_ascii_uppercase() {
            WORD | UPPER
        } else if b.is_ascii_alphanumeric() {
            WORD
        } else {
            SEPARATOR
        };
        c += 1;
    }
    t
};

/// How a word found by [`next_word`] is folded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// ASCII small letters and digits: already folded.
    Folded,
    /// ASCII letters and digits, some capitals: folding is lower-casing.
    Ascii,
    /// Beyond ASCII: the Unicode tables fold it.
    Unicode,
}

/// The next word of `text` at or after byte `*at`: its byte range, and
/// how it is folded (when `FORM`; else always [`Form::Folded`], which
/// saves splitting and counting the work of telling); `*at` moves past the
/// character that ends it. ASCII is decided by one table look-up a byte,
/// without the Unicode tables.
#[inline]
fn next_word<const FORM: bool>(text: &str, at: &mut usize) -> Option<(usize, usize, Form)> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = *at;
    // To the start of the word.
    loop {
        if i >= n {
            *at = i;
            return None;
        }
        let c = ASCII[bytes[i] as usize];
        if c & WORD != 0 {
            break;
        }
        if c == SEPARATOR {
            i += 1;
            continue;
        }
        let (word, len) = char_class(text, i, bytes[i]);
        if word {
            break;
        }
        i += len;
    }
    let start = i;
    // The classes of the word's ASCII bytes, or [`BEYOND`].
    let mut seen = 0;
    let form = |seen: u8| {
        if seen & BEYOND != 0 {
            Form::Unicode
        } else if seen & UPPER != 0 {
            Form::Ascii
        } else {
            Form::Folded
        }
    };
    // To its end (letters and digits, the common case, tested first).
    while i < n {
        let c = ASCII[bytes[i] as usize];
        if c & WORD != 0 {
            if FORM {
                seen |= c;
            }
            i += 1;
            continue;
        }
        if c == SEPARATOR {
            *at = i + 1;
            return Some((start, i, form(seen)));
        }
        let (word, len) = char_class(text, i, bytes[i]);
        if !word {
            *at = i + len;
            return Some((start, i, form(seen)));
        }
        if FORM {
            seen |= BEYOND;
        }
        i += len;
    }
    *at = i;
    Some((start, i, form(seen)))
}

/// The words of `text` with their byte offsets, unfolded.
pub fn spans(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || next_word::<false>(text, &mut at).map(|(s, e, _)| (s, &text[s..e])))
}

/// Each word of `text` folded, then `f` called with it (possibly empty)
/// and its [`key`]: [`spans`] and [`fold_into`] in one, quick for ASCII
/// words. A word that is folded already is handed over as it stands in
/// `text`; any other is folded into `buf` (cleared first). An ASCII word of
/// up to 15 bytes followed by ASCII or general punctuation (nearly every
/// word) is found with the bit tests of [`count`], eight bytes at once,
/// which give its key too.
pub fn for_each_folded(text: &str, buf: &mut String, mut f: impl FnMut(&str, u128)) {
    let b = text.as_bytes();
    // Never inside a word here: the character before `at` is none.
    let mut at = 0;
    while at < b.len() {
        let class = ASCII[b[at] as usize];
        if class == SEPARATOR {
            at += 1;
            continue;
        }
        let quick = if class & WORD != 0 {
            ascii_word(b, at)
        } else {
            None
        };
        // One call of `f`, so that it is inlined here.
        let (word, key) = match quick {
            Some((len, after, lo, hi)) => {
                let word = &text[at..at + len];
                at += len + after;
                let (cap_lo, cap_hi) = (swar::capitals(lo), swar::capitals(hi));
                if cap_lo | cap_hi == 0 {
                    (word, (hi as u128) << 64 | lo as u128)
                } else {
                    buf.clear();
                    buf.push_str(word);
                    buf.make_ascii_lowercase();
                    // A capital's bit 0x20 set makes it small.
                    let (lo, hi) = (lo | cap_lo >> 2, hi | cap_hi >> 2);
                    (buf.as_str(), (hi as u128) << 64 | lo as u128)
                }
            }
            None => match other_word(text, &mut at, buf) {
                Some(found) => found,
                None => break,
            },
        };
        f(word, key);
    }
}

/// The next word of `text` from `*at` the general way, folded (into `buf`
/// unless it is folded already), with its key; `*at` moves past it.
#[inline(never)]
fn other_word<'a>(text: &'a str, at: &mut usize, buf: &'a mut String) -> Option<(&'a str, u128)> {
    let (s, e, form) = next_word::<true>(text, at)?;
    let word = &text[s..e];
    let folded = match form {
        Form::Folded => word,
        Form::Ascii => {
            buf.clear();
            buf.push_str(word);
            buf.make_ascii_lowercase();
            buf
        }
        Form::Unicode => {
            buf.clear();
            fold_into(word, buf);
            buf
        }
    };
    Some((folded, key(folded)))
}

/// The ASCII letters and digits of `b` from `at`, if fewer than 16 and
/// followed by ASCII or general punctuation (U+2000–U+203F): their length,
/// the length of what follows, and their bytes as two numbers of eight
/// bytes (the first byte lowest, zeros after the last).
#[inline]
fn ascii_word(b: &[u8], at: usize) -> Option<(usize, usize, u64, u64)> {
    let x = swar::load(b, at)?;
    let len = word_bytes(x);
    let (len, lo, hi) = if len < 8 {
        (len, x & swar::low_bytes(len), 0)
    } else {
        let y = swar::load(b, at + 8)?;
        let more = word_bytes(y);
        if more == 8 {
            return None;
        }
        (8 + more, x, y & swar::low_bytes(more))
    };
    let after = match b.get(at + len) {
        Some(&c) if c < 0x80 => 1,
        Some(0xE2) if b.get(at + len + 1) == Some(&0x80) => 3,
        _ => return None,
    };
    Some((len, after, lo, hi))
}

/// How many of the bytes of `x`, from the lowest, are ASCII letters or
/// digits before the first that is not.
#[inline]
fn word_bytes(x: u64) -> usize {
    ((!swar::alphanumeric(x) & HIGHS).trailing_zeros() / 8) as usize
}

/// A folded word of one to 16 bytes as one number, its first byte lowest
/// and zeros above its last (a folded word never holds a zero byte, so no
/// two words share a key); 0 for any other word. Nearly every word is that
/// short, and a number is quicker to hash and compare than a string.
pub fn key(word: &str) -> u128 {
    let b = word.as_bytes();
    if b.is_empty() || b.len() > 16 {
        return 0;
    }
    let mut k = [0u8; 16];
    k[..b.len()].copy_from_slice(b);
    u128::from_le_bytes(k)
}

/// How many words `text` has (folded or not, stop words included): the
/// length of a document for ranking. A word is a maximal run of word
/// characters, so this counts the characters that start one, eight ASCII
/// bytes at a time ([`swar::alphanumeric`]); other characters are decided one by
/// one ([`char_class`]).
pub fn count(text: &str) -> usize {
    let b = text.as_bytes();
    let mut n = 0;
    // 0x80 when the character before `i` belongs to a word, else 0.
    let mut in_word: u64 = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(x) = swar::load(b, i) {
            // The ASCII bytes before the first byte beyond ASCII, if any.
            let beyond = x & HIGHS;
            let w = swar::alphanumeric(x) & beyond.wrapping_sub(1) & !beyond;
            // The word bytes after a byte that is not one: each starts a
            // word (a byte each, added up by the multiplication).
            let starts = w & !((w << 8) | in_word);
            n += ((starts >> 7).wrapping_mul(swar::ONES) >> 56) as usize;
            if beyond == 0 {
                in_word = w >> 56;
                i += 8;
                continue;
            }
            let k = (beyond.trailing_zeros() / 8) as usize;
            if k > 0 {
                in_word = (w >> (8 * k - 8)) & 0x80;
                i += k;
            }
        }
        let (word, len) = char_class(text, i, b[i]);
        if word && in_word == 0 {
            n += 1;
        }
        in_word = if word { 0x80 } else { 0 };
        i += len;
    }
    n
}

/// Whether the character at byte `i` of `text` (whose first byte is `b`)
/// belongs to a word, and its length in bytes: [`char_at`], with the
/// general punctuation of U+2000–U+203F (dashes, curly quotes, the
/// ellipsis, white space of other widths), the commonest characters beyond
/// ASCII in running text and never part of a word, decided without the
/// Unicode tables.
#[inline]
fn char_class(text: &str, i: usize, b: u8) -> (bool, usize) {
    if b == 0xE2 && text.as_bytes().get(i + 1) == Some(&0x80) {
        (false, 3)
    } else {
        char_at(text, i, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::words::fold;

    #[test]
    fn spans_are_byte_ranges_of_the_original() {
        let t = "Zhou Enlai — Bandung, 1955";
        let got: Vec<_> = spans(t).collect();
        assert_eq!(got[2], (t.find("Bandung").unwrap(), "Bandung"));
        assert_eq!(got.len(), 4);
        assert_eq!(count("a b-c d"), 4);
    }

    #[test]
    fn folding_while_splitting_is_splitting_then_folding() {
        for t in [
            "Marxism-Leninism, the party's “line” — 1957/58!",
            "Tító ﬁnal ＵＳＳＲ Straße Ti\u{301}to Коммунистическая 毛泽东 x",
            "",
            "  trailing  ",
        ] {
            let mut got = Vec::new();
            for_each_folded(t, &mut String::new(), |w, _| got.push(w.to_string()));
            let want: Vec<String> = spans(t).map(|(_, w)| fold(w)).collect();
            assert_eq!(got, want);
            assert_eq!(count(t), want.len());
        }
    }

    #[test]
    fn folding_while_splitting_gives_each_word_and_its_key() {
        let mut strings = mixed_strings();
        strings.extend(
            [
                "Ab",
                "aBcDeFg",
                "abcdefgh",
                "ABCDEFGH.",
                "x’s",
                "Zy—z",
                "MAO9",
                "abcdefghiJKLMNO ",
                "abcdefghijklmnop ",
                "abcdefghijklmnopq ",
                "ABCDEFGHIJKLMNOP’",
                "Internationalism, ",
            ]
            .map(String::from),
        );
        for t in strings {
            let mut got = Vec::new();
            for_each_folded(&t, &mut String::new(), |w, k| {
                assert_eq!(k, key(w), "{w:?} in {t:?}");
                got.push(w.to_string());
            });
            let want: Vec<String> = spans(&t).map(|(_, w)| fold(w)).collect();
            assert_eq!(got, want, "{t:?}");
        }
        assert_eq!(key("ab"), u16::from_le_bytes(*b"ab") as u128);
        assert_eq!(key(""), 0);
        assert_ne!(key("abcdefghijklmnop"), 0);
        assert_eq!(key("abcdefghijklmnopq"), 0);
    }

    #[test]
    fn words_are_runs_of_word_characters() {
        // Straight from the definition, a character at a time.
        let reference = |t: &str| -> Vec<(usize, String)> {
            let mut out: Vec<(usize, String)> = Vec::new();
            let mut in_word = false;
            for (i, c) in t.char_indices() {
                if is_word_char(c) {
                    if !in_word {
                        out.push((i, String::new()));
                    }
                    out.last_mut().unwrap().1.push(c);
                }
                in_word = is_word_char(c);
            }
            out
        };
        for t in [
            "",
            "  ",
            "a",
            "Marxism-Leninism, the party's “line” — 1957/58!",
            "Tító ﬁnal ＵＳＳＲ Straße Ti\u{301}to Коммунистическая 毛泽东 x",
            "word\u{301}",
            "\u{301}x y\u{a0}z—",
            "ascii_and_more;ÉCOLE:école",
        ] {
            let want = reference(t);
            let got: Vec<(usize, String)> = spans(t).map(|(i, w)| (i, w.to_string())).collect();
            assert_eq!(got, want, "{t:?}");
            assert_eq!(count(t), want.len(), "{t:?}");
        }
    }

    /// Strings of the kinds of characters that meet in texts, put together
    /// at random (the same each run): ASCII, accents composed and not,
    /// combining marks alone, curly quotes, dashes, digits, CJK, spaces of
    /// other widths.
    fn mixed_strings() -> Vec<String> {
        const PIECES: [&str; 28] = [
            "a",
            "Z",
            "0",
            "9",
            " ",
            "  ",
            "-",
            "_",
            "'",
            ".",
            "\n",
            "\u{2019}",
            "\u{201c}",
            "\u{2014}",
            "\u{2026}",
            "\u{2010}",
            "\u{203f}",
            "\u{200d}",
            "\u{a0}",
            "\u{3000}",
            "é",
            "e\u{301}",
            "\u{301}",
            "毛泽东",
            "ß",
            "ﬁ",
            "Ｕ",
            "Коммунистическая",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize
        };
        let mut out = vec![String::new()];
        for _ in 0..3000 {
            let len = next() % 40;
            let mut s = String::new();
            for _ in 0..len {
                // Runs of plain letters, as in running text, and the rest.
                let p = next() % (PIECES.len() + 6);
                s.push_str(PIECES.get(p).copied().unwrap_or("word"));
            }
            out.push(s);
        }
        out
    }

    #[test]
    fn counting_is_splitting() {
        for t in mixed_strings() {
            assert_eq!(count(&t), spans(&t).count(), "{t:?}");
        }
    }
}
