//! The `before_semicolon` template filter: a list of sources is written as
//! a note writes several citations, separated by semicolons, so an item
//! followed by "; " loses the full stop its citation style ends it with
//! ("Pirjevec, *Tito and His Comrades*, 282–283; Rajak, …" rather than
//! "283.; Rajak"). Only the last item keeps its stop. The filter works on
//! the item's HTML: the stop is the last character before any closing
//! tags, and an ellipsis ("...", "…") is kept.

use tera::{Kwargs, State, TeraResult, Value};

/// `html` without the full stop that ends its visible text, if it ends
/// with one that is not part of an ellipsis.
pub fn without_final_stop(html: &str) -> String {
    let mut end = html.len();
    // Step back over closing tags (`</a>`, `</em>`), which hold no text.
    while html[..end].ends_with('>') {
        match html[..end].rfind("</") {
            Some(open) if !html[open..end].contains(' ') => end = open,
            _ => break,
        }
    }
    let text = &html[..end];
    if text.ends_with('.') && !text.ends_with("..") {
        let mut out = String::with_capacity(html.len());
        out.push_str(&text[..text.len() - 1]);
        out.push_str(&html[end..]);
        out
    } else {
        html.to_string()
    }
}

/// `{{ s | before_semicolon | safe }}`: its input is HTML already made safe
/// by the renderer, and so is its output.
pub fn filter(val: &str, _: Kwargs, _: &State) -> TeraResult<Value> {
    Ok(Value::safe_string(&without_final_stop(val)))
}

#[cfg(test)]
mod tests {
    use super::without_final_stop;

    #[test]
    fn an_item_before_a_semicolon_loses_only_its_final_stop() {
        assert_eq!(
            without_final_stop("<a href=\"#b\">Pirjevec, <em>Tito</em>, 282–283.</a>"),
            "<a href=\"#b\">Pirjevec, <em>Tito</em>, 282–283</a>"
        );
        assert_eq!(
            without_final_stop("Rajak, <em>Yugoslavia and the Soviet Union.</em>"),
            "Rajak, <em>Yugoslavia and the Soviet Union</em>"
        );
        assert_eq!(
            without_final_stop("Plain source, p. 3."),
            "Plain source, p. 3"
        );
        // Nothing else is touched: no stop, a question, an ellipsis.
        for kept in [
            "Plain source, p. 3",
            "<a href=\"#b\">Who Lost China?</a>",
            "Appeal from the Committee ...",
            "Appeal from the Committee ….",
            "<a href=\"x.html\">x</a>",
        ] {
            let want = if kept.ends_with("….") {
                "Appeal from the Committee …"
            } else {
                kept
            };
            assert_eq!(without_final_stop(kept), want, "{kept}");
        }
    }
}
