//! Glossary matching: every term and alias of the glossary in one
//! Aho-Corasick automaton, built once per site and shared by all texts.
//! Matches are whole words (a hyphen is a boundary); lower-case aliases match
//! case-insensitively, aliases with capitals exactly; the longest match wins.

use crate::model::Term;
use crate::text::normalize::normalize_quote;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};
use std::ops::Range;

pub struct TermMatcher {
    dfa: Option<DFA>,
    /// Per pattern: the glossary entry, the normalised pattern, and whether it must match exactly.
    patterns: Vec<(usize, String, bool)>,
}

impl TermMatcher {
    pub fn new(glossary: &[Term]) -> Self {
        let mut patterns = Vec::new();
        for (i, t) in glossary.iter().enumerate() {
            let mut forms: Vec<&str> = vec![t.term.as_str()];
            forms.extend(t.aliases.iter().map(String::as_str));
            for f in forms {
                let norm = normalize_quote(f);
                if norm.is_empty() || patterns.iter().any(|(j, p, _)| *j == i && *p == norm) {
                    continue;
                }
                let exact = norm.chars().any(char::is_uppercase);
                patterns.push((i, norm, exact));
            }
        }
        let dfa = if patterns.is_empty() {
            None
        } else {
            // A DFA: built once per site, it is the fastest to search, and
            // the overlapping search visits every position of every text.
            DFA::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(patterns.iter().map(|p| p.1.as_str()))
                .ok()
        };
        TermMatcher { dfa, patterns }
    }

    /// Non-overlapping whole-word matches in normalised text, leftmost-longest,
    /// as (byte range in `text`, glossary index).
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        let Some(dfa) = &self.dfa else {
            return Vec::new();
        };
        let mut hits: Vec<(Range<usize>, usize)> = Vec::new();
        let Ok(mut sid) = dfa.start_state(Anchored::No) else {
            return Vec::new();
        };
        // The overlapping search, walked here rather than through
        // `find_overlapping_iter`, whose state lives in memory between calls.
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            (at, sid) = scan(dfa, bytes, at, sid);
            let i = at - 1;
            if dfa.is_dead(sid) {
                break;
            }
            if !dfa.is_match(sid) {
                continue;
            }
            for k in 0..dfa.match_len(sid) {
                let pid = dfa.match_pattern(sid, k);
                let (term, pat, exact) = &self.patterns[pid.as_usize()];
                let r = i + 1 - dfa.pattern_len(pid)..i + 1;
                if *exact && &text[r.clone()] != pat {
                    continue;
                }
                let before = text[..r.start].chars().next_back();
                let after = text[r.end..].chars().next();
                if before.is_some_and(char::is_alphanumeric)
                    || after.is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
                hits.push((r, *term));
            }
        }
        hits.sort_by(|a, b| {
            a.0.start
                .cmp(&b.0.start)
                .then(b.0.end.cmp(&a.0.end))
                .then(a.1.cmp(&b.1))
        });
        let mut out: Vec<(Range<usize>, usize)> = Vec::new();
        for h in hits {
            if out.last().is_none_or(|l| h.0.start >= l.0.end) {
                out.push(h);
            }
        }
        out
    }
}

/// Runs the DFA over `bytes` from `at` (`at < bytes.len()`) up to the first
/// byte that leads to a special state, or to the end: the position after
/// that byte and the state. Kept apart so that the loop, which visits every
/// byte of every passage, has the registers to itself.
///
/// Four bytes a round, so that the test for the end and the count of the
/// position are made once for four transitions.
#[inline(never)]
fn scan(dfa: &DFA, bytes: &[u8], mut at: usize, mut sid: StateID) -> (usize, StateID) {
    let mut rounds = bytes[at..].chunks_exact(4);
    for round in &mut rounds {
        let round: &[u8; 4] = round.try_into().expect("four bytes");
        for (k, &b) in round.iter().enumerate() {
            sid = dfa.next_state(Anchored::No, sid, b);
            if dfa.is_special(sid) {
                return (at + k + 1, sid);
            }
        }
        at += 4;
    }
    for &b in rounds.remainder() {
        at += 1;
        sid = dfa.next_state(Anchored::No, sid, b);
        if dfa.is_special(sid) {
            break;
        }
    }
    (at, sid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LinkMode, Pos, TermKind};

    fn term(id: &str, term: &str, aliases: &[&str]) -> Term {
        Term {
            id: id.into(),
            id_pos: Pos::default(),
            term: term.into(),
            kind: TermKind::Concept,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            link: LinkMode::First,
            definition: String::new(),
            definition_refs: vec![],
            see_also: vec![],
            sources: vec![],
            sort: None,
            entity: Default::default(),
        }
    }

    #[test]
    fn longest_match_wins_and_words_are_whole() {
        let g = vec![
            term("cp", "Communist Party", &[]),
            term("cpsu", "Communist Party of the Soviet Union", &[]),
            term("rev", "Revisionism", &["revisionism"]),
        ];
        let m = TermMatcher::new(&g);
        let text = "the Communist Party of the Soviet Union and the Communist Party; revisionist Revisionism";
        let hits = m.find(text);
        let ids: Vec<&str> = hits.iter().map(|h| g[h.1].id.as_str()).collect();
        assert_eq!(ids, vec!["cpsu", "cp", "rev"]);
    }

    #[test]
    fn capitalised_alias_matches_exactly_lower_case_alias_ignores_case() {
        let g = vec![
            term("soviets", "Soviets", &[]),
            term("dc", "democratic centralism", &[]),
        ];
        let m = TermMatcher::new(&g);
        assert!(m.find("the soviets of workers").is_empty());
        assert_eq!(m.find("Democratic Centralism is").len(), 1);
    }

    #[test]
    fn the_walk_finds_every_overlapping_match() {
        let g = vec![
            term("cp", "Communist Party", &["party", "the Party"]),
            term("p", "Party", &["part", "art"]),
            term("s", "Soviets", &["soviet", "sov"]),
            term("n", "Nalensta", &["Nalensta\u{e9}"]),
        ];
        let m = TermMatcher::new(&g);
        let pieces = [
            "communist ",
            "Communist ",
            "Party",
            "party",
            "part",
            "art",
            " ",
            "-",
            "Soviets",
            "soviet",
            "s",
            "the ",
            "Nalensta",
            "\u{e9}",
            ",",
        ];
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(m.patterns.iter().map(|p| p.1.as_str()))
            .unwrap();
        let mut rng = crate::testing::Rng::new(0x853c_49e6_748f_ea9b);
        for _ in 0..500 {
            let text: String = (0..30).map(|_| *rng.pick(&pieces)).collect();
            let mut raw: Vec<(std::ops::Range<usize>, usize)> = Vec::new();
            for h in ac.find_overlapping_iter(&text) {
                let (term, pat, exact) = &m.patterns[h.pattern().as_usize()];
                let r = h.start()..h.end();
                let before = text[..r.start].chars().next_back();
                let after = text[r.end..].chars().next();
                let cased = !*exact || &text[r.clone()] == pat;
                let whole = !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric);
                if cased && whole {
                    raw.push((r, *term));
                }
            }
            raw.sort_by(|a, b| {
                (a.0.start, std::cmp::Reverse(a.0.end), a.1).cmp(&(
                    b.0.start,
                    std::cmp::Reverse(b.0.end),
                    b.1,
                ))
            });
            let mut expected: Vec<(std::ops::Range<usize>, usize)> = Vec::new();
            for h in raw {
                if expected.last().is_none_or(|l| h.0.start >= l.0.end) {
                    expected.push(h);
                }
            }
            assert_eq!(m.find(&text), expected, "{text:?}");
        }
    }

    #[test]
    fn the_walk_four_bytes_a_round_stops_where_one_at_a_time_does() {
        let g = vec![
            term("cp", "Communist Party", &["party", "the Party"]),
            term("s", "Soviets", &["soviet", "sov"]),
        ];
        let m = TermMatcher::new(&g);
        let dfa = m.dfa.as_ref().unwrap();
        let one_at_a_time = |bytes: &[u8], mut at: usize, mut sid: StateID| {
            for &b in &bytes[at..] {
                at += 1;
                sid = dfa.next_state(Anchored::No, sid, b);
                if dfa.is_special(sid) {
                    break;
                }
            }
            (at, sid)
        };
        let start = dfa.start_state(Anchored::No).unwrap();
        let text = "xx the party of the Soviets, soviet sov-party and Communist Party.";
        for end in 1..=text.len() {
            let bytes = &text.as_bytes()[..end];
            for at in 0..end {
                assert_eq!(
                    scan(dfa, bytes, at, start),
                    one_at_a_time(bytes, at, start),
                    "{at}..{end}"
                );
            }
        }
    }

    #[test]
    fn hyphen_is_a_word_boundary() {
        let g = vec![term("lenin", "Lenin", &[])];
        let m = TermMatcher::new(&g);
        assert_eq!(m.find("the party of Lenin-Stalin").len(), 1);
        assert!(m.find("Leninism").is_empty());
    }
}
