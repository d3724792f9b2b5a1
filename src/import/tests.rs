//! Tests of `scholion import`: where new entries go in an annotation file
//! and what of the file stays as the user wrote it.

use super::*;

#[test]
fn entries_go_to_the_end_of_their_list_and_comments_stay() {
    let file = "# my notes\nnotes:\n  - id: a  # first\n    anchor: x\n\n# links below\nlinks:\n  - id: l\n    anchor: y\n    to: t#p1\n";
    let out = insert_entries(
        file,
        "notes",
        &["\u{1}- id: b\n\u{1}  anchor: z\n".to_string()],
    );
    assert_eq!(
            out,
            "# my notes\nnotes:\n  - id: a  # first\n    anchor: x\n  - id: b\n    anchor: z\n\n# links below\nlinks:\n  - id: l\n    anchor: y\n    to: t#p1\n"
        );
    let out = insert_entries("notes: []\n", "links", &["\u{1}- id: l\n".to_string()]);
    assert_eq!(out, "notes: []\n\nlinks:\n  - id: l\n");
}

#[test]
fn scholion_page_urls_are_recognised() {
    assert_eq!(
        scholion_page("https://x.org/r/texts/a-b.html#n-c"),
        Some(("a-b".into(), Some("n-c".into())))
    );
    assert_eq!(scholion_page("texts/a.html"), Some(("a".into(), None)));
    assert_eq!(scholion_page("https://example.org/page.html"), None);
}
