//! The URL policy: which links and images a user may write. One rule, used
//! where `site.yaml` and front matter are read (a refused address there is
//! an error), where a text is analysed and where notes, definitions and
//! pages are rendered (a refused address in Markdown is dropped), so none of
//! them can disagree.

/// Only these URL schemes survive in links and images; everything else
/// (`javascript:`, `data:`, `vbscript:` …) is dropped.
pub fn is_safe_url(url: &str) -> bool {
    refused_scheme(url).is_none()
}

/// The scheme of `url` (lower case, as a browser reads it) when the policy
/// refuses it, for the message that names it; `None` for an allowed URL.
pub fn refused_scheme(url: &str) -> Option<String> {
    let u: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let lower = u.to_ascii_lowercase();
    let colon = lower.find(':')?;
    let scheme = &lower[..colon];
    // A colon after a path, query or fragment character is not a scheme.
    if scheme.contains(['/', '?', '#']) || matches!(scheme, "http" | "https" | "mailto") {
        return None;
    }
    Some(scheme.to_string())
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
        assert_eq!(
            refused_scheme("VBScript:msgbox").as_deref(),
            Some("vbscript")
        );
        assert_eq!(refused_scheme("https://example.org/a:b"), None);
    }
}
