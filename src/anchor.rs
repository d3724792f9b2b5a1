//! Anchoring: a quote becomes a span of a passage's visible text.
//!
//! Matching is exact after a silent normalisation (DESIGN.md §1): runs of
//! white space count as one space, straight and typographic quotes,
//! apostrophes and dashes match each other, and Unicode is compared in NFC.
//! `Normalized` keeps, for every character it produces, the byte range of the
//! source it came from, so a match in normalised text maps back to the exact
//! source span. All quotes of a text are found in one pass with a
//! multi-pattern automaton, so A anchors in a text of length L cost about
//! L + matches, not A × L.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use std::borrow::Cow;
use std::ops::Range;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Text after the silent normalisation, with a map back to the source.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub text: String,
    /// For each produced char: (byte offset in `text`, source start, source end).
    map: Vec<(usize, usize, usize)>,
}

impl Normalized {
    /// The source byte range of the normalised byte range `r`.
    pub fn source_range(&self, r: Range<usize>) -> Range<usize> {
        if self.map.is_empty() || r.start >= self.text.len() {
            return 0..0;
        }
        let first = self
            .map
            .partition_point(|m| m.0 < r.start)
            .min(self.map.len() - 1);
        let last = self
            .map
            .partition_point(|m| m.0 < r.end)
            .saturating_sub(1)
            .max(first);
        self.map[first].1..self.map[last].2
    }
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
    let mut out = Normalized {
        text: String::with_capacity(src.len()),
        map: Vec::with_capacity(src.len()),
    };
    let bytes = src.as_bytes();
    let mut space: Option<(usize, usize)> = None;
    let mut buf = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Fast path: an ASCII character that no combining mark follows
        // needs neither composition nor folding.
        if b < 0x80 && bytes.get(i + 1).is_none_or(|&n| n < 0x80) {
            if (b as char).is_whitespace() {
                space = Some(space.map_or((i, i + 1), |(s, _)| (s, i + 1)));
            } else {
                if let Some((s, e)) = space.take() {
                    if !out.text.is_empty() {
                        out.map.push((out.text.len(), s, e));
                        out.text.push(' ');
                    }
                }
                out.map.push((out.text.len(), i, i + 1));
                out.text.push(b as char);
            }
            i += 1;
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
        let group = &src[i..end];
        let composed: Cow<str> = if group.is_ascii() {
            Cow::Borrowed(group)
        } else {
            Cow::Owned(group.nfc().collect())
        };
        buf.clear();
        for ch in composed.chars() {
            fold(ch, &mut buf);
        }
        if !buf.is_empty() {
            if let Some((s, e)) = space.take() {
                if !out.text.is_empty() {
                    out.map.push((out.text.len(), s, e));
                    out.text.push(' ');
                }
            }
            for ch in buf.chars() {
                out.map.push((out.text.len(), i, end));
                out.text.push(ch);
            }
        }
        i = end;
    }
    out
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
    let ac = if patterns.is_empty() {
        None
    } else {
        // A contiguous NFA: built in time linear in the patterns, where the
        // default DFA would cost more to build than a text costs to search.
        AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .ok()
    };
    let mut found = vec![Found::default(); queries.len()];
    for (p, text) in passages.enumerate() {
        let norm = normalize(text);
        on_passage(p, &norm);
        let Some(ac) = &ac else { continue };
        for m in ac.find_overlapping_iter(&norm.text) {
            let place = Place {
                passage: p,
                range: norm.source_range(m.start()..m.end()),
            };
            for &qi in &users[m.pattern().as_usize()] {
                let (_, prefix, suffix) = &norm_queries[qi];
                found[qi].all.push(place.clone());
                if context_fits(
                    &norm.text,
                    m.start(),
                    m.end(),
                    prefix.as_deref(),
                    suffix.as_deref(),
                ) {
                    found[qi].decided.push(place.clone());
                }
            }
        }
    }
    found
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
