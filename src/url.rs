//! The URL policy: which links and images a user may write in Markdown.
//! One rule, used where a text is analysed and where notes, definitions and
//! pages are rendered, so the two can never disagree.

/// Only these URL schemes survive in links and images; everything else
/// (`javascript:`, `data:`, `vbscript:` …) is dropped.
pub fn is_safe_url(url: &str) -> bool {
    let u: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let lower = u.to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            // A colon after a path, query or fragment character is not a scheme.
            if lower[..colon].contains(['/', '?', '#']) {
                return true;
            }
            matches!(&lower[..colon], "http" | "https" | "mailto")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_schemes_are_safe() {
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JaVaScRiPt:alert(1)"));
        assert!(!is_safe_url("java\tscript:alert(1)"));
        assert!(!is_safe_url("data:text/html,<script>"));
        assert!(is_safe_url("https://example.org/"));
        assert!(is_safe_url("../glossary.html#x"));
        assert!(is_safe_url("#p3"));
    }
}
