//! HTML escaping, all of it: values in templates and in the views built by
//! hand (the five bytes Tera escapes, byte for byte as Tera does, written a
//! run of plain text at a time: measured a fifth of Tera's work on a reader
//! page), and a text's body text (the three bytes pulldown-cmark escapes,
//! tested eight bytes at a time: most of a page's bytes are its text).

use crate::text::swar;

/// What HTML escaping replaces a byte with, for the five bytes it escapes
/// (the same as Tera's own `escape_html`).
fn html_escape_of(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// Hands `input` HTML-escaped to `put`, piece by piece: each run of plain
/// text whole, each escaped byte as its entity.
fn escape_pieces<E>(input: &str, mut put: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut plain = 0;
    for (i, &b) in input.as_bytes().iter().enumerate() {
        if let Some(escaped) = html_escape_of(b) {
            put(&input[plain..i])?;
            put(escaped)?;
            plain = i + 1;
        }
    }
    put(&input[plain..])
}

/// HTML escaping as Tera's `escape_html` does it, byte for byte, but
/// writing each run of plain text at once: Tera's own writes every byte of
/// every escaped value on its own through the writer (a fifth of Tera's
/// work on a reader page).
pub fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_pieces(input, |s| out.write_all(s.as_bytes()))
}

/// [`escape_html`] appending to a string.
pub fn push_escaped(out: &mut String, input: &str) {
    let _ = escape_pieces::<std::convert::Infallible>(input, |s| {
        out.push_str(s);
        Ok(())
    });
}

/// [`push_escaped`] into a new string.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// Appends body text escaped as pulldown-cmark escapes it (`&`, `<` and
/// `>`; quotes are left as they are), looking at eight bytes at a time for
/// them: most of a page's bytes are its text.
pub fn push_body_text(out: &mut String, text: &str) {
    let escape = |b: u8| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    };
    let bytes = text.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end = match swar::load(bytes, i) {
            Some(x) => {
                if swar::eq(x, b'&') | swar::eq(x, b'<') | swar::eq(x, b'>') == 0 {
                    i += 8;
                    continue;
                }
                i + 8
            }
            None => bytes.len(),
        };
        for j in i..end {
            if let Some(escaped) = escape(bytes[j]) {
                out.push_str(&text[plain..j]);
                out.push_str(escaped);
                plain = j + 1;
            }
        }
        i = end;
    }
    out.push_str(&text[plain..]);
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_escaping_is_teras_byte_for_byte() {
        for s in [
            "",
            "plain",
            "<a href=\"x\">Tom & Jerry's</a>",
            "&&<<>>\"\"''",
            "ünïcödé “quotes” — & <end>",
        ] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(s, &mut ours).unwrap();
            tera::escape_html(s, &mut teras).unwrap();
            assert_eq!(ours, teras);
            let mut pushed = String::new();
            super::push_escaped(&mut pushed, s);
            assert_eq!(pushed.as_bytes(), &teras[..]);
        }
    }
}
