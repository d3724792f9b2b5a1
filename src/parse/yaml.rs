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
        if let Some((line, column, message, help)) = in_words_of_the_mistake(src, line, &message) {
            return Diagnostic::error("E0101", file, message)
                .at(line + first_line - 1, column)
                .help(help);
        }
        let (code, help) = classify(&message);
        let mut d = Diagnostic::error(code, file, message);
        if line > 0 {
            d = d.at(line + first_line - 1, column);
        }
        d.help(help)
    })
}

/// The parser's words for two common slips, said as what the user did and
/// at the line where they did it: a tab in the indentation (reported by the
/// parser at the scalar before it), and a key indented unlike the others of
/// its entry (reported as the key missing). Line and column of `src`.
fn in_words_of_the_mistake(
    src: &str,
    line: usize,
    message: &str,
) -> Option<(usize, usize, String, String)> {
    let lines: Vec<&str> = src.lines().collect();
    if message.contains("found a tab") || message.contains("tabs") {
        let from = line.saturating_sub(1);
        let (i, l) = lines
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, l)| l.trim_start_matches(' ').starts_with('\t'))?;
        let column = l.chars().take_while(|c| *c == ' ').count() + 1;
        return Some((
            i + 1,
            column,
            "a tab in the indentation".into(),
            "YAML indents with spaces only: replace the tab at the start of this line with spaces, as many as the key above it uses".into(),
        ));
    }
    let key = message.strip_prefix("missing field `")?.strip_suffix('`')?;
    // The entry the parser was reading: from its first key's line down to
    // the next line indented as little as its `- ` or less.
    let first = lines.get(line.checked_sub(1)?)?;
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let dash = first.trim_start().starts_with("- ");
    let key_indent = if dash {
        indent(first) + 2
    } else {
        indent(first)
    };
    for (i, l) in lines.iter().enumerate().skip(line) {
        let t = l.trim_start_matches(' ');
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let inside = if dash {
            indent(l) > indent(first)
        } else {
            indent(l) > 0
        };
        if t.starts_with(&format!("{key}:")) && indent(l) != key_indent && inside {
            return Some((
                i + 1,
                indent(l) + 1,
                format!(
                    "`{key}:` is indented {} spaces, the other keys of its entry {key_indent}",
                    indent(l)
                ),
                format!("line `{key}:` up with the entry's other keys (line {line}): YAML reads a key indented differently as part of the value above it, so the entry seems to have no `{key}`"),
            ));
        }
        if !inside || indent(l) < key_indent && !dash {
            break;
        }
    }
    None
}

/// Parses a file whose top level is a list (the glossary) so that a bad
/// entry costs only itself: when the whole file does not parse, its items
/// (each begins with `- ` at the start of a line) are read again in halves,
/// down to the items that fail, and every item that parses is kept. The
/// errors are the failing items' own, at their lines; an error between the
/// items (none of them fails alone) is the whole file's.
pub fn parse_list<T: DeserializeOwned>(src: &str, file: &str) -> (Vec<T>, Vec<Diagnostic>) {
    let whole = match parse::<Vec<T>>(src, file, 1) {
        Ok(v) => return (v, Vec::new()),
        Err(d) => d,
    };
    // Byte offset and line (0-based) of each item's first line.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for (line, l) in src.split_inclusive('\n').enumerate() {
        if l.starts_with("- ") || l.trim_end() == "-" {
            starts.push((offset, line));
        }
        offset += l.len();
    }
    if starts.len() < 2 {
        return (Vec::new(), vec![whole]);
    }
    let mut kept: Vec<(usize, Vec<T>)> = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    // Items [a, b), parsed with their lines where they are in the file (the
    // lines before them left blank), so every position stays the file's.
    let mut todo = vec![(0, starts.len())];
    while let Some((a, b)) = todo.pop() {
        let from = starts[a].0;
        let to = starts.get(b).map_or(src.len(), |s| s.0);
        let mut part = "\n".repeat(starts[a].1);
        part.push_str(&src[from..to]);
        match parse::<Vec<T>>(&part, file, 1) {
            Ok(v) => kept.push((a, v)),
            Err(d) if b - a == 1 => errors.push(d),
            Err(_) => {
                let mid = (a + b) / 2;
                todo.push((a, mid));
                todo.push((mid, b));
            }
        }
    }
    if errors.is_empty() {
        errors.push(whole);
    }
    kept.sort_by_key(|k| k.0);
    errors.sort_by_key(|d| d.line);
    (kept.into_iter().flat_map(|k| k.1).collect(), errors)
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
        let allowed = allowed_values(expected);
        let extra = if allowed.contains(&"extra") {
            "; free keys of your own go under `extra:`, e.g. `extra: { key: value }`"
        } else {
            ""
        };
        let help = match crate::suggest::did_you_mean(key, allowed.iter().copied()) {
            Some(dym) => format!("{dym} (keys are case-sensitive){extra}"),
            None => format!(
                "remove the key `{key}`; the allowed keys are: {}{extra}",
                allowed.join(", ")
            ),
        };
        ("E0102", help)
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = allowed_values(expected);
        let help = match crate::suggest::did_you_mean(value, allowed.iter().copied()) {
            Some(dym) => format!("{dym} (the values are: {})", allowed.join(", ")),
            None => format!("write one of: {}", allowed.join(", ")),
        };
        ("E0104", help)
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

/// The names after serde's "expected one of `a`, `b`".
fn allowed_values(expected: &str) -> Vec<&str> {
    expected
        .trim_start_matches(", expected one of ")
        .trim_start_matches(", expected ")
        .split(", ")
        .map(|k| k.trim_matches('`'))
        .filter(|k| !k.is_empty())
        .collect()
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

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: Spanned<String>,
        kind: Kind,
    }

    #[derive(serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Person,
        Place,
    }

    #[test]
    fn a_bad_item_of_a_list_costs_only_itself_and_positions_stay_the_files() {
        let src = "# people and places\n- id: lenin\n  kind: person\n- id: moscow\n  kind: plase\n- id: tito\n  kind: person\n- id: x\n  knd: place\n- id: paris\n  kind: place\n";
        let (items, errors): (Vec<Item>, _) = parse_list(src, "g.yaml");
        let ids: Vec<(&str, usize)> = items
            .iter()
            .map(|i| (i.id.value.as_str(), pos_of(&i.id).line))
            .collect();
        assert_eq!(ids, [("lenin", 2), ("tito", 6), ("paris", 10)]);
        assert!(items
            .iter()
            .all(|i| matches!(i.kind, Kind::Person | Kind::Place)));
        let found: Vec<(usize, &str)> = errors.iter().map(|d| (d.line, d.code)).collect();
        assert_eq!(found, [(5, "E0104"), (9, "E0102")]);
        assert!(errors[0]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `place`?"));
    }

    #[test]
    fn a_list_that_parses_whole_is_read_once() {
        let (items, errors): (Vec<Item>, _) = parse_list(
            "- id: a\n  kind: place\n- id: b\n  kind: person\n",
            "g.yaml",
        );
        assert_eq!(items.len(), 2);
        assert!(errors.is_empty());
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
