//! Anchoring: a quote becomes a span of a passage's visible text.
//!
//! Matching is exact after a silent normalisation (DESIGN.md §1): runs of
//! white space count as one space, straight and typographic quotes,
//! apostrophes and dashes match each other, and Unicode is compared in NFC.
//! `Normalized` keeps, for every character it produces, the byte range of the
//! source it came from (as stretches: only where the two differ), so a match
//! in normalised text maps back to the exact source span. All quotes of a
//! text are found in one pass with a multi-pattern search (SIMD over the
//! quotes' first bytes, or an automaton for a text with very many quotes),
//! so A anchors in a text of length L cost about L + matches, not A × L.

use crate::swar;
use aho_corasick::{packed, AhoCorasick, AhoCorasickKind, Span};
use std::collections::HashMap;
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
                            | w & HIGH_BITS
                            | spaces & (swar::below(next, 0x21) | next & HIGH_BITS);
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

/// The high bit of every byte: set in a byte beyond ASCII.
const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);

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

/// One quote to look for, with the context that decides among repeats.
#[derive(Debug, Clone)]
pub struct Query {
    pub quote: String,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
}

/// Where a query matched: a passage and a byte range of its visible text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub passage: usize,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Every place the quote occurs.
    pub all: Vec<Place>,
    /// The places where the prefix and suffix (if any) also fit.
    pub decided: Vec<Place>,
}

/// Finds all queries in the passages of a text in one pass. `on_passage` is
/// called with each passage's normalised text, so other matchers (the
/// glossary) can share the normalisation.
pub fn find_all<'a>(
    passages: impl Iterator<Item = &'a str>,
    queries: &[Query],
    mut on_passage: impl FnMut(usize, &Normalized),
) -> Vec<Found> {
    let norm_queries: Vec<(String, Option<String>, Option<String>)> = queries
        .iter()
        .map(|q| {
            (
                normalize_quote(&q.quote),
                q.prefix
                    .as_deref()
                    .map(normalize_quote)
                    .filter(|s| !s.is_empty()),
                q.suffix
                    .as_deref()
                    .map(normalize_quote)
                    .filter(|s| !s.is_empty()),
            )
        })
        .collect();
    // Distinct non-empty patterns, each with the queries that use it.
    let mut patterns: Vec<&str> = Vec::new();
    let mut users: Vec<Vec<usize>> = Vec::new();
    {
        let mut index = std::collections::HashMap::new();
        for (qi, (q, _, _)) in norm_queries.iter().enumerate() {
            if q.is_empty() {
                continue;
            }
            let k = *index.entry(q.as_str()).or_insert_with(|| {
                patterns.push(q.as_str());
                users.push(Vec::new());
                patterns.len() - 1
            });
            users[k].push(qi);
        }
    }
    let search = QuoteSearch::new(&patterns);
    let mut found = vec![Found::default(); queries.len()];
    let mut norm = Normalized::default();
    for (p, text) in passages.enumerate() {
        norm.refill(text);
        on_passage(p, &norm);
        search.each_match(&norm.text, |start, end, pattern| {
            let place = Place {
                passage: p,
                range: norm.source_range(start..end),
            };
            for &qi in &users[pattern] {
                let (_, prefix, suffix) = &norm_queries[qi];
                found[qi].all.push(place.clone());
                if context_fits(&norm.text, start, end, prefix.as_deref(), suffix.as_deref()) {
                    found[qi].decided.push(place.clone());
                }
            }
        });
    }
    found
}

/// The bytes of a quote that the packed search looks for: enough to leave
/// few places to check the rest of the quote at.
const KEY: usize = 8;
/// Quote keys per packed searcher (Teddy's limit).
const KEYS_PER_SEARCHER: usize = 64;
/// Packed searchers at most, each a pass over the text; beyond, one NFA.
const SEARCHERS_MAX: usize = 4;
/// Quote keys a packed searcher is given while there are searchers to
/// spare. Teddy tells keys apart only by the halves of their first bytes, in
/// 8 or 16 buckets of keys, so each key shares its bucket with fewer others
/// and leaves fewer false candidates to check: on prose, two passes with 16
/// keys each cost less than one with 32 (generated texts, 100 of them: the
/// search took 32 M instructions, against 48 M with 32 keys a searcher and
/// 45 M with 64).
const KEYS_SPREAD: usize = 16;

/// The search for all quotes of a text: every place any quote occurs, the
/// overlapping and nested ones included.
enum QuoteSearch<'q> {
    None,
    /// SIMD searchers (Teddy) for the first bytes of the quotes, a pass over
    /// the text each: every place where a key starts is found (each search
    /// starts again one byte after the last place), and there the quotes
    /// with that key are compared whole. Building one costs next to nothing,
    /// where an automaton of the quotes costs more than searching with it.
    Packed(Vec<KeyGroup<'q>>),
    /// A contiguous NFA, for texts with too many quotes for the above:
    /// built in time linear in the patterns.
    Nfa(AhoCorasick),
}

struct KeyGroup<'q> {
    searcher: packed::Searcher,
    /// Key -> the patterns that start with it (a short pattern is its own
    /// key), with their numbers.
    keys: HashMap<&'q [u8], Vec<(usize, &'q [u8])>>,
    /// The lengths of the keys shorter than [`KEY`].
    short: Vec<usize>,
}

impl<'q> QuoteSearch<'q> {
    fn new(patterns: &[&'q str]) -> QuoteSearch<'q> {
        if patterns.is_empty() {
            return QuoteSearch::None;
        }
        let mut keys: Vec<&[u8]> = Vec::new();
        let mut users: HashMap<&[u8], Vec<(usize, &[u8])>> = HashMap::new();
        for (i, p) in patterns.iter().enumerate() {
            let key = &p.as_bytes()[..p.len().min(KEY)];
            users
                .entry(key)
                .or_insert_with(|| {
                    keys.push(key);
                    Vec::new()
                })
                .push((i, p.as_bytes()));
        }
        if keys.len() <= KEYS_PER_SEARCHER * SEARCHERS_MAX {
            // [`KEYS_SPREAD`] keys a searcher, or as many more as keep to
            // [`SEARCHERS_MAX`] passes, spread evenly.
            let searchers = keys.len().div_ceil(KEYS_SPREAD).min(SEARCHERS_MAX);
            let groups: Option<Vec<KeyGroup>> = keys
                .chunks(keys.len().div_ceil(searchers))
                .map(|chunk| {
                    let searcher = packed::Searcher::new(chunk.iter().copied())?;
                    let mut short: Vec<usize> =
                        chunk.iter().map(|k| k.len()).filter(|&n| n < KEY).collect();
                    short.sort_unstable();
                    short.dedup();
                    let keys = chunk
                        .iter()
                        .map(|&k| (k, users.remove(k).unwrap_or_default()))
                        .collect();
                    Some(KeyGroup {
                        searcher,
                        keys,
                        short,
                    })
                })
                .collect();
            if let Some(groups) = groups {
                return QuoteSearch::Packed(groups);
            }
        }
        // Teddy unavailable (no SIMD, too many or too short keys).
        QuoteSearch::nfa(patterns)
    }

    fn nfa(patterns: &[&str]) -> QuoteSearch<'q> {
        match AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(patterns)
        {
            Ok(ac) => QuoteSearch::Nfa(ac),
            Err(_) => QuoteSearch::None,
        }
    }

    /// Calls `f(start, end, pattern)` for every occurrence of a pattern in
    /// `text`, each pattern's in the order of their places.
    fn each_match(&self, text: &str, mut f: impl FnMut(usize, usize, usize)) {
        let hay = text.as_bytes();
        match self {
            QuoteSearch::None => {}
            QuoteSearch::Nfa(ac) => {
                for m in ac.find_overlapping_iter(text) {
                    f(m.start(), m.end(), m.pattern().as_usize());
                }
            }
            QuoteSearch::Packed(groups) => {
                for g in groups {
                    let mut at = 0;
                    while let Some(m) = g.searcher.find_in(hay, Span::from(at..hay.len())) {
                        let s = m.start();
                        let lens = g.short.iter().copied().chain([KEY]);
                        for n in lens {
                            let Some(users) = hay.get(s..s + n).and_then(|k| g.keys.get(k)) else {
                                continue;
                            };
                            for &(pi, pattern) in users {
                                if hay[s..].starts_with(pattern) {
                                    f(s, s + pattern.len(), pi);
                                }
                            }
                        }
                        at = s + 1;
                    }
                }
            }
        }
    }
}

/// Does the prefix end right before the match and the suffix start right
/// after it? White space at the seam is not significant; a prefix longer than
/// the passage's start fits when the passage's start is its tail.
fn context_fits(
    text: &str,
    start: usize,
    end: usize,
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> bool {
    let before = text[..start].trim_end();
    let after = text[end..].trim_start();
    let pre_ok = prefix.is_none_or(|p| {
        let p = p.trim();
        before.ends_with(p) || (p.ends_with(before) && !before.is_empty())
    });
    let suf_ok = suffix.is_none_or(|s| {
        let s = s.trim();
        after.starts_with(s) || (s.starts_with(after) && !after.is_empty())
    });
    pre_ok && suf_ok
}

/// The closest passage to a quote that was not found: the hint for a typo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closest {
    pub passage: usize,
    /// The words of the passage that come closest to the quote.
    pub found: String,
    /// Edit distance between the quote and `found` (after normalisation).
    pub distance: usize,
    /// `found` with the differences marked: `[+x]` in the text but not in
    /// the quote, `[-x]` in the quote but not in the text.
    pub diff: String,
}

/// Finds the closest passage in two steps: passages are ranked by the words
/// they share with the quote (cheap), then the best few are searched for the
/// substring with the smallest edit distance (Sellers' algorithm), on a
/// window around the shared words so very long passages stay cheap.
pub fn closest_passage<'a>(
    passages: impl Iterator<Item = &'a str>,
    quote: &str,
) -> Option<Closest> {
    let q: Vec<char> = normalize_quote(quote).chars().collect();
    if q.is_empty() {
        return None;
    }
    let qs: String = q.iter().collect();
    let words: Vec<String> = qs
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 2)
        .map(str::to_string)
        .collect();
    let mut ranked: Vec<(usize, usize, String, usize)> = Vec::new();
    for (p, text) in passages.enumerate() {
        let norm = normalize_quote(text);
        let lower = norm.to_lowercase();
        let score = words.iter().filter(|w| lower.contains(w.as_str())).count();
        if score == 0 && !words.is_empty() {
            continue;
        }
        let first = words
            .iter()
            .filter_map(|w| lower.find(w.as_str()))
            .min()
            .unwrap_or(0);
        ranked.push((score, p, norm, first));
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.truncate(5);
    let mut best: Option<Closest> = None;
    for (_, p, norm, first) in ranked {
        // A window of the passage around the first shared word.
        let chars: Vec<(usize, char)> = norm.char_indices().collect();
        let center = chars.partition_point(|(i, _)| *i < first);
        let lo = center.saturating_sub(q.len() * 2 + 50);
        let hi = (center + q.len() * 3 + 50).min(chars.len());
        let window: Vec<char> = chars[lo..hi].iter().map(|(_, c)| *c).collect();
        let (dist, start, end) = sellers(&q, &window);
        if best.as_ref().is_none_or(|b| dist < b.distance) {
            let found: String = window[start..end].iter().collect();
            best = Some(Closest {
                passage: p,
                diff: diff(&q, &window[start..end]),
                found,
                distance: dist,
            });
        }
    }
    best
}

/// The substring of `t` with the smallest edit distance to `q`: (distance, start, end).
fn sellers(q: &[char], t: &[char]) -> (usize, usize, usize) {
    let (m, n) = (q.len(), t.len());
    let mut d = vec![vec![0usize; n + 1]; m + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for i in 1..=m {
        for j in 1..=n {
            let sub = d[i - 1][j - 1] + usize::from(q[i - 1] != t[j - 1]);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    let end = (0..=n).min_by_key(|&j| (d[m][j], j)).unwrap_or(0);
    let (mut i, mut j) = (m, end);
    while i > 0 {
        if j > 0 && d[i][j] == d[i - 1][j - 1] + usize::from(q[i - 1] != t[j - 1]) {
            i -= 1;
            j -= 1;
        } else if d[i][j] == d[i - 1][j] + 1 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    (d[m][end], j, end)
}

/// `t` with its differences from `q` marked as `[+…]` and `[-…]`.
fn diff(q: &[char], t: &[char]) -> String {
    let (m, n) = (q.len(), t.len());
    let mut d = vec![vec![0usize; n + 1]; m + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=n).collect();
    for i in 1..=m {
        for j in 1..=n {
            let sub = d[i - 1][j - 1] + usize::from(q[i - 1] != t[j - 1]);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    // Walk back, collecting operations, then render runs.
    let mut ops: Vec<(char, char)> = Vec::new(); // ('=', c) | ('+', c) | ('-', c)
    let (mut i, mut j) = (m, n);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && q[i - 1] == t[j - 1] && d[i][j] == d[i - 1][j - 1] {
            ops.push(('=', t[j - 1]));
            i -= 1;
            j -= 1;
        } else if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + 1 {
            ops.push(('+', t[j - 1]));
            ops.push(('-', q[i - 1]));
            i -= 1;
            j -= 1;
        } else if j > 0 && d[i][j] == d[i][j - 1] + 1 {
            ops.push(('+', t[j - 1]));
            j -= 1;
        } else {
            ops.push(('-', q[i - 1]));
            i -= 1;
        }
    }
    ops.reverse();
    let mut out = String::new();
    let mut k = 0;
    while k < ops.len() {
        let kind = ops[k].0;
        let mut run = String::new();
        while k < ops.len() && ops[k].0 == kind {
            run.push(ops[k].1);
            k += 1;
        }
        match kind {
            '=' => out.push_str(&run),
            sign => {
                out.push('[');
                out.push(sign);
                out.push_str(&run);
                out.push(']');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(quote: &str) -> Query {
        Query {
            quote: quote.into(),
            prefix: None,
            suffix: None,
        }
    }

    fn find(passages: &[&str], query: Query) -> Found {
        find_all(passages.iter().copied(), &[query], |_, _| {}).remove(0)
    }

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

    #[test]
    fn the_packed_search_finds_what_the_automaton_finds() {
        let mut rng = crate::testing::Rng::new(0x9e37_79b9_7f4a_7c15u64);
        let mut next = |n: usize| rng.below(n);
        let alphabet = ["a", "b", "a b", "\u{e9}", "ab", "ba"];
        for (count, shortest) in [1, 3, 20, 64, 65, 130, 300, 600]
            .into_iter()
            .flat_map(|c| [(c, 1), (c, 4)])
        {
            let text: String = (0..400).map(|_| alphabet[next(alphabet.len())]).collect();
            let mut patterns: Vec<String> = (0..count)
                .map(|_| {
                    let mut a = next(text.len() - 20);
                    let mut b = a + shortest + next(14);
                    while !text.is_char_boundary(a) {
                        a -= 1;
                    }
                    while !text.is_char_boundary(b) {
                        b += 1;
                    }
                    text[a..b].to_string()
                })
                .collect();
            patterns.sort();
            patterns.dedup();
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let all = |search: &QuoteSearch| {
                let mut v = Vec::new();
                search.each_match(&text, |s, e, p| v.push((p, s, e)));
                v
            };
            let search = QuoteSearch::new(&patterns);
            let mut keys: Vec<&[u8]> = patterns
                .iter()
                .map(|p| &p.as_bytes()[..p.len().min(KEY)])
                .collect();
            keys.sort();
            keys.dedup();
            if shortest >= 4 {
                assert_eq!(
                    matches!(search, QuoteSearch::Packed(_)),
                    keys.len() <= KEYS_PER_SEARCHER * SEARCHERS_MAX,
                    "{count} quotes"
                );
            }
            let mut expected = all(&QuoteSearch::nfa(&patterns));
            // Each pattern's places come in order; patterns in any order.
            let got = all(&search);
            expected.sort_by_key(|m| m.0);
            let mut by_pattern = got.clone();
            by_pattern.sort_by_key(|m| m.0);
            assert_eq!(by_pattern, expected, "{count} quotes");
        }
    }

    #[test]
    fn whitespace_runs_match_one_space() {
        let f = find(
            &["the  dictatorship\u{a0}of the\nproletariat"],
            q("dictatorship of the proletariat"),
        );
        assert_eq!(f.decided.len(), 1);
        assert_eq!(f.decided[0].range, 5..37);
    }

    #[test]
    fn quote_styles_and_dashes_match_each_other() {
        let text = "the \u{201C}cold war\u{201D} and the world\u{2019}s \u{2014}peace";
        let f = find(&[text], q("\"cold war\" and the world's -peace"));
        assert_eq!(f.decided.len(), 1);
        let r = f.decided[0].range.clone();
        assert_eq!(
            &text[r],
            "\u{201C}cold war\u{201D} and the world\u{2019}s \u{2014}peace"
        );
    }

    #[test]
    fn nfd_quote_matches_nfc_text_and_back() {
        let nfc = "Kołakowski and Gomułka met in Poznań";
        let nfd: String = "Poznań".nfd().collect();
        let f = find(&[nfc], q(&nfd));
        assert_eq!(f.decided.len(), 1);
        assert_eq!(&nfc[f.decided[0].range.clone()], "Poznań");
        let text_nfd: String = nfc.nfd().collect();
        let f = find(&[&text_nfd], q("Poznań"));
        assert_eq!(f.decided.len(), 1);
        assert_eq!(&text_nfd[f.decided[0].range.clone()], "Poznan\u{301}");
    }

    #[test]
    fn a_quote_never_crosses_passages() {
        let f = find(&["end of one", "start of two"], q("one start"));
        assert!(f.all.is_empty());
    }

    #[test]
    fn repeated_quote_is_ambiguous_until_prefix_decides() {
        let passages = ["one party, a revolutionary part, and one party, a union"];
        assert_eq!(find(&passages, q("one party")).decided.len(), 2);
        let decided = find(
            &passages,
            Query {
                quote: "one party".into(),
                prefix: Some("and ".into()),
                suffix: None,
            },
        )
        .decided;
        assert_eq!(decided.len(), 1);
        assert_eq!(decided[0].range.start, 37);
        let decided = find(
            &passages,
            Query {
                quote: "one party".into(),
                prefix: None,
                suffix: Some(", a union".into()),
            },
        )
        .decided;
        assert_eq!(decided.len(), 1);
    }

    #[test]
    fn overlapping_and_nested_quotes_are_all_found() {
        let text = "peace, democracy and socialism";
        let found = find_all(
            [text].into_iter(),
            &[
                q("peace, democracy"),
                q("democracy and socialism"),
                q("democracy"),
            ],
            |_, _| {},
        );
        assert!(found.iter().all(|f| f.decided.len() == 1));
        assert_eq!(found[2].decided[0].range, 7..16);
    }

    #[test]
    fn closest_passage_points_at_a_typo_and_shows_the_difference() {
        let passages = [
            "nothing here",
            "as agreed at the Bandung Conference of 1955 in Indonesia",
        ];
        let c = closest_passage(passages.into_iter(), "the Bandoeng Conference of 1955").unwrap();
        assert_eq!(c.passage, 1);
        assert_eq!(c.found, "the Bandung Conference of 1955");
        assert_eq!(c.distance, 2);
        assert_eq!(c.diff, "the Band[-oe][+u]ng Conference of 1955");
    }
}
