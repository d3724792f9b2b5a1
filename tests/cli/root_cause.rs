//! Everyday mistakes, as a new user makes them: the first message names the
//! real cause, and nothing that only follows from it is reported above or
//! after it as a problem of its own.

use super::bad_input::{check, site};

/// The diagnostics' header lines (`error[E0200]: …`), in the order shown.
fn headers(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .collect()
}

#[test]
fn a_text_named_with_spaces_is_one_error_that_says_the_new_name() {
    let d = site(&[
        (
            "content/texts/Second Inaugural.md",
            b"---\ntitle: Second Inaugural\n---\n\nWith malice toward none.\n",
        ),
        (
            "content/annotations/second-inaugural.yaml",
            b"notes:\n  - id: malice\n    anchor: malice toward none\n    body: A note.\n    sources: [\"S\"]\n",
        ),
        (
            "content/pages/about.md",
            b"---\ntitle: About\n---\n\nSee [[second-inaugural#p1]].\n",
        ),
    ]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(1), "{out}");
    let h = headers(&out);
    assert_eq!(
        h.len(),
        1,
        "one error, the cause, and nothing that follows from it:\n{out}"
    );
    assert!(h[0].starts_with("error[E0200]"), "{out}");
    assert!(out.contains("content/texts/Second Inaugural.md"), "{out}");
    assert!(
        out.contains("rename it `second-inaugural.md`"),
        "the hint gives the name to use:\n{out}"
    );
}

#[test]
fn a_typo_in_front_matter_comes_first_without_false_unused_warnings() {
    let d = site(&[
        (
            "content/texts/a-text.md",
            b"---\ntitel: A text\n---\n\nThe first paragraph about peace.\n\nThe second paragraph about peace and war.\n",
        ),
        (
            "content/glossary.yaml",
            b"- id: peace\n  term: peace\n  kind: concept\n  definition: Not war.\n",
        ),
    ]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(1), "{out}");
    let h = headers(&out);
    assert!(
        h[0].starts_with("error[E0102]"),
        "the unknown key first:\n{out}"
    );
    assert!(out.contains("did you mean `title`?"), "{out}");
    assert!(
        !out.contains("W0101"),
        "an entry used only in the text that failed is not called unused:\n{out}"
    );
}

#[test]
fn a_misspelt_kind_costs_only_its_entry_and_suggests_the_kind() {
    let d = site(&[(
        "content/glossary.yaml",
        b"- id: peace\n  term: peace\n  kind: concept\n  definition: Not war.\n- id: lenin\n  term: Lenin\n  kind: persn\n  definition: A revolutionary.\n",
    )]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(1), "{out}");
    let h = headers(&out);
    assert_eq!(h.len(), 1, "{out}");
    assert!(h[0].starts_with("error[E0104]"), "{out}");
    assert!(
        out.contains("content/glossary.yaml:7:"),
        "at the kind's line:\n{out}"
    );
    assert!(out.contains("did you mean `person`?"), "{out}");
    // The entry that is well written is kept (the parser's unit tests
    // show it), so the text's "peace" stays linked.
}

#[test]
fn a_tab_in_the_indentation_is_named_at_its_own_line() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"notes:\n  - id: war\n\tanchor: peace and war\n    body: A note.\n",
    )]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        headers(&out)[0].starts_with("error[E0101]: a tab in the indentation"),
        "{out}"
    );
    assert!(
        out.contains("content/annotations/a-text.yaml:3:"),
        "the tab's line, not the one above:\n{out}"
    );
    assert!(out.contains("spaces"), "{out}");
}

#[test]
fn a_key_indented_one_space_short_is_named_not_called_missing() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"notes:\n  - id: war\n   anchor: peace and war\n    body: A note.\n",
    )]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(1), "{out}");
    let first = headers(&out)[0];
    assert!(
        first.contains("`anchor:` is indented 3 spaces, the other keys of its entry 4"),
        "{out}"
    );
    assert!(!out.contains("missing field"), "{out}");
    assert!(out.contains("content/annotations/a-text.yaml:3:"), "{out}");
}
