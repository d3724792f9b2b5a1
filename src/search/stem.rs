//! English stemming for search: "parties" and "party" both become "parti",
//! so either finds the other. This is the suffix stripper of M. F. Porter
//! (1980, "An algorithm for suffix stripping"), written from the paper:
//! five steps, each removing or rewriting at most one suffix, guarded by the
//! *measure* of what remains (the number of vowel–consonant runs), so that
//! "relational" becomes "relat" but "rate" stays "rate".
//!
//! Only words of plain ASCII letters are stemmed; anything else (numbers,
//! names in other scripts) is kept as it is. `static/search.js` carries a
//! line-for-line port of this file, because the browser must stem the words
//! of a query exactly as the index stemmed the words of the texts; both are
//! tested against the same list of pairs (`stems.txt`).

/// The stem of a folded (lower-case, unaccented) word.
pub fn stem(word: &str) -> String {
    if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = word.as_bytes().to_vec();
    step1a(&mut w);
    step1b(&mut w);
    step1c(&mut w);
    step2(&mut w);
    step3(&mut w);
    step4(&mut w);
    step5(&mut w);
    // Only ASCII letters went in, and only ASCII letters come out.
    String::from_utf8(w).unwrap_or_else(|_| word.to_string())
}

/// A consonant is a letter other than a, e, i, o, u, and other than a y
/// that follows a consonant.
fn is_consonant(w: &[u8], i: usize) -> bool {
    match w[i] {
        b'a' | b'e' | b'i' | b'o' | b'u' => false,
        b'y' => i == 0 || !is_consonant(w, i - 1),
        _ => true,
    }
}

/// m in `[C](VC){m}[V]`: how many vowel–consonant runs `w` has.
fn measure(w: &[u8]) -> usize {
    let n = w.len();
    let mut i = 0;
    while i < n && is_consonant(w, i) {
        i += 1;
    }
    let mut m = 0;
    loop {
        while i < n && !is_consonant(w, i) {
            i += 1;
        }
        if i >= n {
            return m;
        }
        while i < n && is_consonant(w, i) {
            i += 1;
        }
        m += 1;
        if i >= n {
            return m;
        }
    }
}

fn has_vowel(w: &[u8]) -> bool {
    (0..w.len()).any(|i| !is_consonant(w, i))
}

fn ends_double_consonant(w: &[u8]) -> bool {
    let n = w.len();
    n >= 2 && w[n - 1] == w[n - 2] && is_consonant(w, n - 1)
}

/// Consonant, vowel, consonant at the end, the last not w, x or y
/// ("hop", "fil"): a short syllable that keeps its final e.
fn ends_cvc(w: &[u8]) -> bool {
    let n = w.len();
    n >= 3
        && is_consonant(w, n - 3)
        && !is_consonant(w, n - 2)
        && is_consonant(w, n - 1)
        && !matches!(w[n - 1], b'w' | b'x' | b'y')
}

/// Replaces the suffix `from` (which `w` ends with) by `to`.
fn replace(w: &mut Vec<u8>, from: &str, to: &str) {
    w.truncate(w.len() - from.len());
    w.extend_from_slice(to.as_bytes());
}

fn step1a(w: &mut Vec<u8>) {
    if w.ends_with(b"sses") || w.ends_with(b"ies") {
        w.truncate(w.len() - 2);
    } else if w.ends_with(b"s") && !w.ends_with(b"ss") {
        w.pop();
    }
}

fn step1b(w: &mut Vec<u8>) {
    if w.ends_with(b"eed") {
        if measure(&w[..w.len() - 3]) > 0 {
            w.pop();
        }
        return;
    }
    let cut = if w.ends_with(b"ed") {
        2
    } else if w.ends_with(b"ing") {
        3
    } else {
        return;
    };
    if !has_vowel(&w[..w.len() - cut]) {
        return;
    }
    w.truncate(w.len() - cut);
    if w.ends_with(b"at") || w.ends_with(b"bl") || w.ends_with(b"iz") {
        w.push(b'e');
    } else if ends_double_consonant(w) && !matches!(w[w.len() - 1], b'l' | b's' | b'z') {
        w.pop();
    } else if measure(w) == 1 && ends_cvc(w) {
        w.push(b'e');
    }
}

fn step1c(w: &mut [u8]) {
    let n = w.len();
    if w.ends_with(b"y") && has_vowel(&w[..n - 1]) {
        w[n - 1] = b'i';
    }
}

/// Applies the first rule whose suffix `w` ends with, when what remains has
/// a measure above `min`; rules are listed longest suffix first, and a
/// matching suffix whose condition fails stops the step (as in the paper).
fn apply_rules(w: &mut Vec<u8>, rules: &[(&str, &str)], min: usize) {
    for (from, to) in rules {
        if w.ends_with(from.as_bytes()) {
            if measure(&w[..w.len() - from.len()]) > min {
                replace(w, from, to);
            }
            return;
        }
    }
}

fn step2(w: &mut Vec<u8>) {
    const RULES: [(&str, &str); 20] = [
        ("ational", "ate"),
        ("ization", "ize"),
        ("iveness", "ive"),
        ("fulness", "ful"),
        ("ousness", "ous"),
        ("tional", "tion"),
        ("biliti", "ble"),
        ("entli", "ent"),
        ("ousli", "ous"),
        ("ation", "ate"),
        ("alism", "al"),
        ("aliti", "al"),
        ("iviti", "ive"),
        ("enci", "ence"),
        ("anci", "ance"),
        ("izer", "ize"),
        ("abli", "able"),
        ("alli", "al"),
        ("ator", "ate"),
        ("eli", "e"),
    ];
    apply_rules(w, &RULES, 0);
}

fn step3(w: &mut Vec<u8>) {
    const RULES: [(&str, &str); 7] = [
        ("icate", "ic"),
        ("ative", ""),
        ("alize", "al"),
        ("iciti", "ic"),
        ("ical", "ic"),
        ("ness", ""),
        ("ful", ""),
    ];
    apply_rules(w, &RULES, 0);
}

fn step4(w: &mut Vec<u8>) {
    const SUFFIXES: [&str; 19] = [
        "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ion", "ism", "ate", "iti",
        "ous", "ive", "ize", "al", "er", "ic", "ou",
    ];
    for s in SUFFIXES {
        if w.ends_with(s.as_bytes()) {
            let stem = &w[..w.len() - s.len()];
            let ok =
                measure(stem) > 1 && (s != "ion" || matches!(stem.last(), Some(b's') | Some(b't')));
            if ok {
                w.truncate(stem.len());
            }
            return;
        }
    }
}

fn step5(w: &mut Vec<u8>) {
    if w.ends_with(b"e") {
        let stem = &w[..w.len() - 1];
        let m = measure(stem);
        if m > 1 || (m == 1 && !ends_cvc(stem)) {
            w.pop();
        }
    }
    if w.ends_with(b"ll") && measure(w) > 1 {
        w.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairs `static/search.js` is also tested against.
    pub const PAIRS: &str = include_str!("stems.txt");

    #[test]
    fn stems_match_the_shared_list() {
        let mut n = 0;
        for line in PAIRS
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let (word, expected) = line.split_once(char::is_whitespace).unwrap();
            assert_eq!(stem(word), expected.trim(), "stem of {word}");
            n += 1;
        }
        assert!(n > 80, "the list has {n} pairs");
    }

    #[test]
    fn party_and_parties_share_a_stem() {
        assert_eq!(stem("parties"), "parti");
        assert_eq!(stem("party"), stem("parties"));
        assert_eq!(stem("revisionists"), stem("revisionist"));
    }

    #[test]
    fn short_words_numbers_and_other_scripts_are_kept() {
        assert_eq!(stem("is"), "is");
        assert_eq!(stem("1957"), "1957");
        assert_eq!(stem("1950s"), "1950s");
        assert_eq!(stem("партии"), "партии");
    }

    #[test]
    fn measure_counts_vowel_consonant_runs() {
        for (w, m) in [
            ("tr", 0),
            ("ee", 0),
            ("tree", 0),
            ("trouble", 1),
            ("oats", 1),
            ("troubles", 2),
            ("private", 2),
        ] {
            assert_eq!(measure(w.as_bytes()), m, "{w}");
        }
    }
}
