//! Fuzzes anchoring (`scholion::anchor::find_all`): the input is split at
//! NUL bytes into a passage, a quote, a prefix and a suffix. Whatever they
//! are, every place found is a range of the passage on character
//! boundaries, the decided places are among all places, and, in an ASCII
//! passage, a quote cut out of it between two letters or digits is found.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scholion::anchor::{find_all, Query};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let mut parts = input.split('\u{0}');
    let passage = parts.next().unwrap_or_default();
    let quote = parts.next().unwrap_or_default();
    let context = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_string);
    let (prefix, suffix) = (context(parts.next()), context(parts.next()));
    let passages = [passage, quote];
    let queries = [
        Query {
            quote: quote.to_string(),
            prefix,
            suffix,
        },
        Query {
            quote: cut(passage, data.len()).unwrap_or_default().to_string(),
            prefix: None,
            suffix: None,
        },
    ];
    let found = find_all(passages.iter().copied(), &queries, |_, _| {});
    assert_eq!(found.len(), queries.len());
    for f in &found {
        for p in f.all.iter().chain(&f.decided) {
            let text = passages[p.passage];
            assert!(p.range.start <= p.range.end && p.range.end <= text.len(), "{p:?}");
            assert!(text.is_char_boundary(p.range.start) && text.is_char_boundary(p.range.end));
        }
        assert!(f.decided.iter().all(|d| f.all.contains(d)));
    }
    if let Some(q) = cut(passage, data.len()) {
        assert!(
            found[1].all.iter().any(|p| p.passage == 0),
            "{q:?} is not found in {passage:?}"
        );
    }
});

/// A piece of an ASCII passage that starts and ends with a letter or digit,
/// chosen by `seed`.
fn cut(passage: &str, seed: usize) -> Option<&str> {
    if !passage.is_ascii() || passage.is_empty() {
        return None;
    }
    let b = passage.as_bytes();
    let start = seed % b.len();
    let end = start + (seed / 7) % (b.len() - start) + 1;
    let piece = &passage[start..end];
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    (edge(piece.chars().next()) && edge(piece.chars().last())).then_some(piece)
}
