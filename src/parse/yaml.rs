//! All YAML goes through here (serde-saphyr), so the YAML crate can be
//! swapped in one place. Errors become diagnostics with the file, line and
//! column that serde-saphyr reports, plus a hint for the common mistakes.

use crate::diagnostics::Diagnostic;
use crate::model::Pos;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use std::fmt;

pub use serde_saphyr::Spanned;

/// Parses `src` (which starts at `first_line` of `file`) into `T`.
pub fn parse<T: DeserializeOwned>(
    src: &str,
    file: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(src).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((0, 0));
        let message = error_message(&e);
        let (code, help) = classify(&message);
        let mut d = Diagnostic::error(code, file, message);
        if line > 0 {
            d = d.at(line + first_line - 1, column);
        }
        d.help(help)
    })
}

fn error_message(e: &serde_saphyr::Error) -> String {
    let full = e.without_snippet().to_string();
    // The crate's own rendering may carry a location suffix or a hint meant
    // for programmers; we show our own.
    let first = full.lines().next().unwrap_or("").trim();
    let mut cleaned = match first.find(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    for cut in [", set ", " (defined"] {
        if let Some(i) = cleaned.find(cut) {
            cleaned = &cleaned[..i];
        }
    }
    cleaned.trim_end_matches('.').to_string()
}

/// The error code and the help line for a serde-saphyr message.
fn classify(message: &str) -> (&'static str, String) {
    let m = message.to_ascii_lowercase();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|k| k.trim_matches('`'))
            .filter(|k| !k.is_empty())
            .collect();
        let extra = if allowed.contains(&"extra") {
            "; free keys of your own go under `extra:`, e.g. `extra: { key: value }`"
        } else {
            ""
        };
        let facsimile = allowed == ["n", "starts"] && matches!(key, "image" | "alt");
        let help = match crate::suggest::did_you_mean(key, allowed.iter().copied()) {
            _ if facsimile => format!("facsimile images of the pages are not supported yet: remove `{key}:` (the page's `n:` and `starts:` are all a page takes for now)"),
            Some(dym) => format!("{dym} (keys are case-sensitive){extra}"),
            None => format!(
                "remove the key `{key}`; the allowed keys are: {}{extra}",
                allowed.join(", ")
            ),
        };
        ("E0102", help)
    } else if m.contains("duplicate") {
        (
            "E0103",
            "each key may appear once in a mapping: remove or rename the repeated one".into(),
        )
    } else if m.contains("budget")
        || m.contains("alias")
        || m.contains("too many")
        || m.contains("exceed")
    {
        ("E0105", "the file expands to too much data (through YAML aliases such as *name): write the values out".into())
    } else if message.contains(super::ANCHOR_EXPECTED) {
        (
            "E0104",
            "write the anchor as the exact words of the text in quotation marks, e.g. `anchor: \"peaceful coexistence\"` (a number or date too: `anchor: \"1957\"`), or, where the words occur more than once, as `anchor: { quote: \"…\", prefix: \"…\", suffix: \"…\" }`".into(),
        )
    } else if m.contains("missing field") {
        ("E0104", "add the required key".into())
    } else if m.contains("invalid type")
        || m.contains("invalid value")
        || m.contains("unknown variant")
        || m.contains("expected") && !m.contains("while parsing")
    {
        ("E0104", "check the type of the value: a list is written [a, b] or as lines starting with `- `, a text that contains `: ` or starts with a quote mark needs quotes".into())
    } else {
        ("E0101", "check the indentation and quoting around this place: text that contains `: ` or starts with a quote mark must be quoted, and list items start with `- `".into())
    }
}

pub fn pos_of<T>(s: &Spanned<T>) -> Pos {
    Pos {
        line: s.referenced.line() as usize,
        column: s.referenced.column() as usize,
    }
}

/// Shift a position found in an embedded YAML block (front matter).
pub fn shift(p: Pos, first_line: usize) -> Pos {
    if p.line == 0 {
        p
    } else {
        Pos {
            line: p.line + first_line - 1,
            column: p.column,
        }
    }
}

/// A scalar of any YAML type, kept as the string the user wrote: dates such
/// as `1998`, `2004.10` or `2026-11-23` and editions such as `1.10` are text
/// to Scholion. It is asked for as a string, which serde-saphyr gives as the
/// characters of the scalar, so `1.10` never turns into `1.1`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scalar(pub String);

impl<'de> de::Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, number or date")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_string(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Fields {
        edition: Scalar,
        date: Scalar,
        id: Spanned<String>,
        year: Scalar,
    }

    #[test]
    fn numbers_where_text_is_wanted_are_read_as_written() {
        let f: Fields = parse(
            "edition: 1.10\ndate: 2004.10\nid: 1e3\nyear: 0957\n",
            "x.yaml",
            1,
        )
        .unwrap_or_else(|d| panic!("{}", d.message));
        assert_eq!(f.edition.0, "1.10");
        assert_eq!(f.date.0, "2004.10");
        assert_eq!(f.id.value, "1e3");
        assert_eq!(f.year.0, "0957");
    }
}
