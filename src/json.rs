//! JSON written by hand where serde_json's own writer costs too much: string
//! literals escaped exactly as serde_json escapes them (`"`, `\` and the
//! control characters, nothing else), byte for byte, but eight bytes at a
//! time where nothing needs escaping, which is nearly always; serde_json
//! looks every byte up in a table on its own. Written into the caller's
//! buffer, never through a string of its own.

use crate::text::swar;

/// Hands `s`, escaped for the inside of a JSON string, to `put`, piece by
/// piece: each run of bytes that need nothing whole, each escape on its
/// own. Every piece is a whole number of characters (an escaped byte is
/// ASCII, so the runs between them end at character bounds).
fn escaped_pieces(s: &str, mut put: impl FnMut(&str)) {
    // Whether any of the eight bytes of `x` may be below 0x20, a quotation
    // mark or a backslash.
    let needs = |x: u64| swar::below(x, 0x20) | swar::eq(x, b'"') | swar::eq(x, b'\\') != 0;
    let b = s.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(x) = swar::load(b, i) {
            if !needs(x) {
                i += 8;
                continue;
            }
        }
        // Byte by byte to the end of these eight.
        let end = (i + 8).min(b.len());
        while i < end {
            let c = b[i];
            let escaped = match c {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                0x09 => "\\t",
                0x0A => "\\n",
                0x0C => "\\f",
                0x0D => "\\r",
                0x00..=0x1F => "",
                _ => {
                    i += 1;
                    continue;
                }
            };
            put(&s[copied..i]);
            if escaped.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(c >> 4) as usize],
                    HEX[(c & 15) as usize],
                ];
                put(std::str::from_utf8(&code).unwrap_or_default());
            } else {
                put(escaped);
            }
            i += 1;
            copied = i;
        }
    }
    put(&s[copied..]);
}

/// `s` as a JSON string literal, quotation marks included, appended to
/// `out`: the same bytes as `serde_json::to_string(s)`.
pub(crate) fn push_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    push_escaped(out, s);
    out.push('"');
}

/// The inside of [`push_str`]'s literal, without the quotation marks.
pub(crate) fn push_escaped(out: &mut String, s: &str) {
    escaped_pieces(s, |p| out.push_str(p));
}

/// [`push_str`] appended to bytes (the search index's fragments are made
/// as bytes).
pub(crate) fn push_str_bytes(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    escaped_pieces(s, |p| out.extend_from_slice(p.as_bytes()));
    out.push(b'"');
}

/// A number appended to `out` in decimal, as serde_json writes it.
pub(crate) fn push_number(out: &mut String, n: usize) {
    out.push_str(itoa::Buffer::new().format(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(s: &str) -> String {
        let mut out = String::new();
        push_str(&mut out, s);
        let mut bytes = Vec::new();
        push_str_bytes(&mut bytes, s);
        assert_eq!(bytes, out.as_bytes(), "{s:?}");
        out
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII character and a few longer ones, at every position of
        // a run longer than eight bytes, alone and doubled.
        let mut chars: Vec<char> = (0u8..=0x7F).map(char::from).collect();
        chars.extend(['é', '€', '“', '\u{2028}', '\u{FEFF}', '😀']);
        for &c in &chars {
            for pos in 0..20 {
                for len in [pos + 1, 20, 23] {
                    let mut s: String = "abcdefghijklmnopqrstuvw"[..len.max(pos + 1)].into();
                    s.replace_range(pos..pos + 1, &format!("{c}{c}"));
                    assert_eq!(ours(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
                }
            }
            let alone = c.to_string();
            assert_eq!(ours(&alone), serde_json::to_string(&alone).unwrap());
        }
        for s in [
            "",
            "plain words only",
            "Tab\there, \"quoted\", back\\slash, line\nbreak\r\n and \u{1}\u{1f}\u{7f} end",
            "“Quoted” words — ünïcödé \"tab\"\t and more than eight bytes",
        ] {
            assert_eq!(ours(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 12345, 4_294_967_296, usize::MAX] {
            let mut out = String::new();
            push_number(&mut out, n);
            assert_eq!(out, serde_json::to_string(&n).unwrap());
        }
    }
}
