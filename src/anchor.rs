//! Anchoring: a quote becomes a span of a passage's visible text.
//!
//! Matching is exact after the silent normalisation of
//! [`crate::text::normalize`], whose map back turns a match in normalised
//! text into the exact source span. All quotes of a
//! text are found in one pass with a multi-pattern search (SIMD over the
//! quotes' first bytes, or an automaton for a text with very many quotes),
//! so A anchors in a text of length L cost about L + matches, not A × L.

use crate::text::normalize::{normalize_quote, Normalized};
use aho_corasick::{packed, AhoCorasick, AhoCorasickKind, Span};
use std::collections::HashMap;
use std::ops::Range;

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
                range: crate::text::graphemes::widen(text, norm.source_range(start..end)),
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
    use unicode_normalization::UnicodeNormalization;

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
