//! The fragments' text coded against a lexicon of the site's most frequent
//! words, so that the full text of every document (which snippets are cut
//! from and quoted phrases are checked against) costs about a third of its
//! bytes, in plain printable text that a classic script can carry from any
//! host and from `file://` (docs/search.md, *Fragments*).
//!
//! A text is read as *tokens*, alternately words (runs of letters and
//! digits) and separators (everything between). Each token is written as
//! its code in the lexicon (one or two characters of [`ALPHABET`]) or, when
//! it has none, as a literal: a marker (`` ` `` for a word, `~` for a
//! separator), one character of [`ALPHABET`] for its length in UTF-16
//! units, and the token itself. A single space between two words is not
//! written: the reader puts one between any two words that follow each
//! other. The lexicon is made from the first documents of the site, before
//! any fragment is written, so fragments are still handed over as they are
//! made.

use super::WordMap;

/// The characters of codes and lengths: the printable ASCII characters but
/// `"` and `\` (which JSON would escape) and the two markers of literals.
pub(super) const ALPHABET: &[u8; 91] =
    b" !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}";
const N: usize = ALPHABET.len();
/// The longest literal: its length is one character of [`ALPHABET`].
const MAX_LITERAL: usize = N - 1;
/// Where a word is written as it is.
const WORD: char = '`';
/// Where a separator is written as it is (and, with length 0, between the
/// parts of a word longer than [`MAX_LITERAL`]).
const SEPARATOR: char = '~';
/// Bytes of document text the lexicon is made from.
pub(super) const SAMPLE_BYTES: usize = 2_000_000;
/// A token is given a code when it occurs this often in the sample.
const MIN_COUNT: u32 = 3;

/// The tokens that have a code, most frequent first: the first
/// [`Lexicon::one`] codes are one character, the others two.
#[derive(Debug, Default)]
pub(super) struct Lexicon {
    tokens: Vec<String>,
    /// The codes of tokens of at most seven bytes by [`short_key`], of the
    /// others by the token.
    short: WordMap<u64, u32>,
    code: WordMap<String, u32>,
    one: usize,
}

/// A token of at most seven bytes as a number: its bytes and its length.
fn short_key(tok: &str) -> Option<u64> {
    let b = tok.as_bytes();
    (b.len() <= 7).then(|| {
        let mut k = [0u8; 8];
        k[..b.len()].copy_from_slice(b);
        k[7] = b.len() as u8;
        u64::from_le_bytes(k)
    })
}

/// Where the token that starts at byte `at` of `text` ends, and whether it
/// is a word: ASCII read byte by byte, other characters as characters
/// (the fragments hold the text of the whole site).
fn token_at(text: &str, at: usize) -> (usize, bool) {
    let b = text.as_bytes();
    let class = |i: usize| -> (bool, usize) {
        match b[i] {
            c if c < 0x80 => (c.is_ascii_alphanumeric(), 1),
            _ => text[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8())),
        }
    };
    let (word, len) = class(at);
    let mut end = at + len;
    while end < b.len() {
        let (w, len) = class(end);
        if w != word {
            break;
        }
        end += len;
    }
    (end, word)
}

/// The tokens of `text`, each with whether it is a word.
fn tokens(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let (end, word) = token_at(text, at);
        let tok = &text[at..end];
        at = end;
        Some((tok, word))
    })
}

/// The tokens of `text` that are written (a single space between two words
/// is implied), with whether each is a word.
fn written(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut toks = tokens(text).peekable();
    let mut after_word = false;
    std::iter::from_fn(move || loop {
        let (tok, word) = toks.next()?;
        let implied = !word && tok == " " && after_word && toks.peek().is_some();
        after_word = word;
        if !implied {
            return Some((tok, word));
        }
    })
}

impl Lexicon {
    /// The lexicon of the tokens of `texts` that occur at least
    /// [`MIN_COUNT`] times, ordered by how often (then by the token, so
    /// the same texts give the same lexicon), as many as two characters can
    /// code, with as many one-character codes as makes the texts shortest.
    pub(super) fn new<'a>(texts: impl Iterator<Item = &'a str>) -> Lexicon {
        let mut counts: WordMap<&str, u32> = WordMap::default();
        for t in texts {
            for (tok, _) in written(t) {
                *counts.entry(tok).or_default() += 1;
            }
        }
        let mut by: Vec<(&str, u32)> = counts
            .into_iter()
            .filter(|&(_, n)| n >= MIN_COUNT)
            .collect();
        // What a code saves: the literal's marker, length and token.
        let saved = |t: &str, n: u32| n as u64 * (t.len() as u64 + 1);
        by.sort_by(|a, b| saved(b.0, b.1).cmp(&saved(a.0, a.1)).then(a.0.cmp(b.0)));
        by.truncate(N * N);
        by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        // One-character codes `one`, two-character codes (N - one) * N.
        let cost = |one: usize| -> u64 {
            let two = (N - one) * N;
            by.iter()
                .enumerate()
                .map(|(i, &(t, n))| {
                    let each = if i < one {
                        1
                    } else if i < one + two {
                        2
                    } else {
                        t.len() as u64 + 2
                    };
                    n as u64 * each
                })
                .sum()
        };
        let one = (1..N).min_by_key(|&one| cost(one)).unwrap_or(1);
        by.truncate(one + (N - one) * N);
        let tokens: Vec<String> = by.iter().map(|(t, _)| t.to_string()).collect();
        let mut lexicon = Lexicon {
            one,
            ..Lexicon::default()
        };
        for (i, t) in tokens.iter().enumerate() {
            match short_key(t) {
                Some(k) => lexicon.short.insert(k, i as u32),
                None => lexicon.code.insert(t.clone(), i as u32),
            };
        }
        lexicon.tokens = tokens;
        lexicon
    }

    /// The lexicon's file: `{"one":N,"tokens":[…]}`, a separator written
    /// after a `~` (a word never begins with one).
    pub(super) fn json(&self) -> String {
        let mut out = format!("{{\"one\":{},\"tokens\":[", self.one).into_bytes();
        for (i, t) in self.tokens.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let word = t.chars().next().is_some_and(char::is_alphanumeric);
            if word {
                super::shards::json_into(t, &mut out);
            } else {
                super::shards::json_into(&format!("{SEPARATOR}{t}"), &mut out);
            }
        }
        out.extend_from_slice(b"]}");
        String::from_utf8(out).unwrap_or_default()
    }

    /// `text` coded, appended to `out`.
    pub(super) fn encode(&self, text: &str, out: &mut String) {
        for (tok, word) in written(text) {
            let code = match short_key(tok) {
                Some(k) => self.short.get(&k),
                None => self.code.get(tok),
            };
            match code {
                Some(&c) => self.push_code(c as usize, out),
                None => literal(tok, word, out),
            }
        }
    }

    fn push_code(&self, c: usize, out: &mut String) {
        if c < self.one {
            out.push(ALPHABET[c] as char);
        } else {
            let c = c - self.one;
            out.push(ALPHABET[self.one + c / N] as char);
            out.push(ALPHABET[c % N] as char);
        }
    }

    /// The text of `code`, read as the browser reads it (for the tests).
    #[cfg(test)]
    pub(super) fn decode(&self, code: &str) -> String {
        let pos = |c: char| {
            ALPHABET
                .iter()
                .position(|&a| a as char == c)
                .expect("a code")
        };
        let units: Vec<u16> = code.encode_utf16().collect();
        let mut out: Vec<u16> = Vec::new();
        let (mut i, mut after_word) = (0, false);
        while i < units.len() {
            let c = char::from_u32(units[i] as u32).unwrap_or('\0');
            let (tok, word): (Vec<u16>, bool) = if c == WORD || c == SEPARATOR {
                let len = pos(char::from_u32(units[i + 1] as u32).unwrap());
                i += 2 + len;
                (units[i - len..i].to_vec(), c == WORD)
            } else {
                let mut k = pos(c);
                i += 1;
                if k >= self.one {
                    k = self.one + (k - self.one) * N + pos(char::from(units[i] as u8));
                    i += 1;
                }
                let t = &self.tokens[k];
                (
                    t.encode_utf16().collect(),
                    t.chars().next().is_some_and(char::is_alphanumeric),
                )
            };
            if word && after_word {
                out.push(b' ' as u16);
            }
            after_word = word;
            out.extend(tok);
        }
        String::from_utf16(&out).expect("whole characters")
    }
}

/// `tok` written as it is: marker, length, token; a word longer than
/// [`MAX_LITERAL`] units in parts with an empty separator between them, a
/// separator in parts one after the other.
fn literal(tok: &str, word: bool, out: &mut String) {
    let mut rest = tok;
    let mut first = true;
    while !rest.is_empty() {
        let mut units = 0;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                units += c.len_utf16();
                units > MAX_LITERAL
            })
            .map_or(rest.len(), |(i, _)| i);
        let (part, after) = rest.split_at(end);
        if word && !first {
            out.push(SEPARATOR);
            out.push(ALPHABET[0] as char);
        }
        out.push(if word { WORD } else { SEPARATOR });
        out.push(ALPHABET[part.encode_utf16().count()] as char);
        out.push_str(part);
        rest = after;
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: &str = "The party of the working class, the party of the people. \
        The working class and the party: one party, one programme. ";

    #[test]
    fn every_text_reads_back_as_it_was() {
        let lexicon = Lexicon::new(std::iter::repeat_n(PROSE, 10));
        let long = "x".repeat(200);
        let long_sep = "-·".repeat(70);
        for text in [
            "",
            " ",
            "party",
            " the party ",
            "the  party",
            "the\tparty\nof the people",
            PROSE,
            "Tító did not attend; “quoted” — dash … 毛泽东 \u{1F600} end",
            "back`quote and ~tilde~ and \"quotes\" and \\ backslash",
            "`~",
            long.as_str(),
            &format!("the {long} party {long_sep} of"),
            &"\u{1F600}".repeat(60),
            &format!("a{}b", "é".repeat(95)),
        ] {
            let mut code = String::new();
            lexicon.encode(text, &mut code);
            assert_eq!(lexicon.decode(&code), text, "{code:?}");
        }
    }

    #[test]
    fn frequent_words_cost_a_character_or_two_and_spaces_nothing() {
        let lexicon = Lexicon::new(std::iter::repeat_n(PROSE, 10));
        let mut code = String::new();
        lexicon.encode(PROSE, &mut code);
        assert!(
            code.len() * 4 < PROSE.len(),
            "{} of {} bytes: {code:?}",
            code.len(),
            PROSE.len()
        );
        // A word the lexicon lacks is written out after its marker and length.
        let mut rare = String::new();
        lexicon.encode("the Halasz party", &mut rare);
        assert!(rare.contains("`'Halasz"), "{rare:?}");
        // The same sample gives the same lexicon.
        assert_eq!(
            Lexicon::new(std::iter::repeat_n(PROSE, 10)).json(),
            lexicon.json()
        );
        assert!(lexicon.json().contains("\"~, \""), "{}", lexicon.json());
    }
}
