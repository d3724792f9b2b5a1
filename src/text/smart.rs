//! Smart punctuation for the plain text of metadata. The `smart` template
//! filter (render/templates.rs) sets titles, short titles, glossary terms
//! and other metadata, and the bibliography its formatted citations, with
//! the same typographer's quotes, dashes and ellipsis that the texts' bodies
//! get from Markdown ("Workers' Parties" becomes "Workers’ Parties",
//! `--` an en dash, `---` an em dash, `...` an ellipsis). Its output is
//! plain text, which the caller escapes as usual.

/// Whether a quote after `prev` opens (at the start, or after a space, an
/// opening bracket, a dash or another opening quote).
fn opens(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => c.is_whitespace() || "([{‘“—–-/".contains(c),
    }
}

/// `s` with typographer's punctuation.
pub fn smarten(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut prev: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let put = match c {
            '\'' => {
                // An apostrophe inside a word or after one ("Workers'"),
                // an opening quote before one.
                if opens(prev) && next.is_some_and(|n| !n.is_whitespace()) {
                    '‘'
                } else {
                    '’'
                }
            }
            '"' => {
                if opens(prev) && next.is_some_and(|n| !n.is_whitespace()) {
                    '“'
                } else {
                    '”'
                }
            }
            '-' if next == Some('-') => {
                if chars.get(i + 2) == Some(&'-') {
                    i += 2;
                    '—'
                } else {
                    i += 1;
                    '–'
                }
            }
            '.' if next == Some('.') && chars.get(i + 2) == Some(&'.') => {
                i += 2;
                '…'
            }
            other => other,
        };
        out.push(put);
        prev = Some(put);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::smarten;

    #[test]
    fn quotes_dashes_and_ellipses_as_in_the_bodies() {
        assert_eq!(
            smarten("Declaration of Communist and Workers' Parties"),
            "Declaration of Communist and Workers’ Parties"
        );
        assert_eq!(smarten("People's democracy"), "People’s democracy");
        assert_eq!(smarten("the \"Peace Manifesto\""), "the “Peace Manifesto”");
        assert_eq!(smarten("'Rumania' in the text"), "‘Rumania’ in the text");
        assert_eq!(smarten("1957--1958"), "1957–1958");
        assert_eq!(smarten("yes---no"), "yes—no");
        assert_eq!(smarten("and so on..."), "and so on…");
        assert_eq!(smarten("(\"quoted\")"), "(“quoted”)");
        assert_eq!(smarten("plain - hyphen"), "plain - hyphen");
        assert_eq!(smarten("already “curly”"), "already “curly”");
    }
}
