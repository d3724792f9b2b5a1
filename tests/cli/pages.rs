//! The printed source's pages, end to end: the fixture `tests/fixtures/pages`
//! built (each page's mark where it begins, every paragraph and note cited
//! with its pages), and each mistake in `pages:` reported by `check` with the
//! file, the line and a hint.

use super::bad_input::{assert_error, check, site};
use super::*;

fn built_page() -> String {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture("pages"), &out.path().join("site"));
    assert!(o.status.success(), "{}", text(&o));
    fs::read_to_string(out.path().join("site/texts/declaration.html")).unwrap()
}

/// The opening tag of the element with `id`.
fn tag_with_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!(" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = html[..at].rfind('<').unwrap();
    &html[start..start + html[start..].find('>').unwrap() + 1]
}

#[test]
fn each_page_is_marked_where_it_begins_inside_or_between_paragraphs() {
    let html = built_page();
    // Inside ¶ 2: a hairline and the mark just before the page's first words.
    assert!(
        html.contains("Happiness. <span class=\"page-bar\" aria-hidden=\"true\"></span><span class=\"page-mark\" id=\"page-2\" role=\"doc-pagebreak\" aria-label=\"Page 2\">2</span><span class=\"anchored\" data-note=\"prudence\" id=\"n-prudence\">Prudence, indeed"),
        "{html}"
    );
    // At the start of ¶ 3: marked at its top, after its ¶ number.
    assert!(html.contains("<p id=\"p3\" data-page=\"pp. 3–4\"><a class=\"pnum\" href=\"#p3\" aria-label=\"Paragraph 3\">3</a><span class=\"page-mark page-top\" id=\"page-3\" role=\"doc-pagebreak\" aria-label=\"Page 3\">3</span>Such has been"));
    // Inside a glossary term: the term's link is closed around the mark.
    assert!(html.contains("King of Great </a><span class=\"page-bar\" aria-hidden=\"true\"></span><span class=\"page-mark\" id=\"page-4\" role=\"doc-pagebreak\" aria-label=\"Page 4\">4</span><a class=\"term\""));
    assert_eq!(html.matches("class=\"page-mark").count(), 7);
    for page in 2..=8 {
        assert_eq!(html.matches(&format!("id=\"page-{page}\"")).count(), 1);
    }
}

#[test]
fn paragraphs_notes_and_the_text_are_cited_with_their_pages() {
    let html = built_page();
    // `pages_start: "1"`: ¶ 1 is on page 1; ¶ 2 runs onto page 2.
    assert!(tag_with_id(&html, "p1").contains("data-page=\"p. 1\""));
    assert!(tag_with_id(&html, "p2").contains("data-page=\"pp. 1–2\""));
    assert!(tag_with_id(&html, "p6").contains("data-page=\"p. 5\""));
    assert!(tag_with_id(&html, "p8").contains("data-page=\"pp. 5–7\""));
    assert!(tag_with_id(&html, "p9").contains("data-page=\"p. 8\""));
    // The paragraph's citations leave `{page}` for the reader script.
    assert!(html.contains("“The Declaration of Independence, ¶ {n}{page}.” 4 July 1776."));
    // Each endnote names the page of its quote.
    assert!(html.contains("Back to the text (¶ 2, p. 2)"));
    assert!(html.contains("Back to the text (¶ 8, p. 7)"));
    // The whole text: its first and last page.
    assert!(html.contains("<meta name=\"citation_firstpage\" content=\"1\">"));
    assert!(html.contains("<meta name=\"citation_lastpage\" content=\"8\">"));
    assert!(html.contains("  pages = {1--8}\n}"));
}

const TEXT: &[u8] = b"---\ntitle: A text\n---\n\nThe first paragraph about peace.\n\nThe second paragraph about peace and war.\n";

fn with_pages(pages: &str) -> tempfile::TempDir {
    let ann = format!("notes:\n  - id: war\n    anchor: peace and war\n    body: A note.\n{pages}");
    site(&[
        ("content/texts/a-text.md", TEXT),
        ("content/annotations/a-text.yaml", ann.as_bytes()),
    ])
}

const FILE: &str = "content/annotations/a-text.yaml";

#[test]
fn a_clean_list_of_pages_checks_clean() {
    let dir = with_pages("pages_start: \"iv\"\npages:\n  - n: 5\n    starts: \"about peace.\"\n  - n: \"5a\"\n    starts: \"The second\"\n");
    let (status, out) = check(&dir);
    assert_eq!(status, Some(0), "{out}");
}

#[test]
fn a_page_not_in_the_text_names_the_closest_passage() {
    let dir = with_pages("pages:\n  - n: \"5\"\n    starts: \"The second paragraf\"\n");
    let out = assert_error(&dir, "E0350", &format!("{FILE}:7:13"));
    assert!(out.contains("the closest passage is ¶ 2"), "{out}");
}

#[test]
fn a_page_whose_words_occur_twice_is_an_error_until_a_prefix_decides() {
    let dir = with_pages("pages:\n  - n: \"5\"\n    starts: \"about peace\"\n");
    let out = assert_error(&dir, "E0352", &format!("{FILE}:7:13"));
    assert!(out.contains("occurs 2 times: in ¶ 1, ¶ 2"), "{out}");
    assert!(out.contains("starts: { quote:"), "{out}");
    let dir = with_pages("pages:\n  - n: \"5\"\n    starts: { quote: \"about peace\", prefix: \"The first paragraph\" }\n");
    assert_eq!(check(&dir).0, Some(0));
    let dir = with_pages(
        "pages:\n  - n: \"5\"\n    starts: { quote: \"about peace\", prefix: \"A third\" }\n",
    );
    assert_error(&dir, "E0351", &format!("{FILE}:7:13"));
}

#[test]
fn pages_out_of_the_texts_order_are_an_error() {
    let dir = with_pages("pages:\n  - n: \"6\"\n    starts: \"The second\"\n  - n: \"7\"\n    starts: \"The first\"\n");
    let out = assert_error(&dir, "E0353", &format!("{FILE}:8:8"));
    assert!(out.contains("page `7` begins before page `6`"), "{out}");
}

#[test]
fn a_page_listed_twice_or_without_a_label_is_an_error() {
    let dir = with_pages("pages_start: \"5\"\npages:\n  - n: \"5\"\n    starts: \"The second\"\n");
    let out = assert_error(&dir, "E0354", &format!("{FILE}:7:8"));
    assert!(out.contains("the first is on line 5"), "{out}");
    let dir = with_pages("pages:\n  - n: \"–\"\n    starts: \"The second\"\n");
    assert_error(&dir, "E0355", &format!("{FILE}:6:8"));
    let dir = with_pages("pages:\n  - n: \"5\"\n    starts: \"\"\n");
    assert_error(&dir, "E0356", &format!("{FILE}:7:13"));
}

/// A PNG header of `w` x `h` pixels (the size is all `check` reads).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 0, 0, 0, 0]);
    b
}

fn with_facsimile(page: &str, files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let ann = format!("notes:\n  - id: war\n    anchor: peace and war\n    body: A note.\npages:\n  - n: \"5\"\n    starts: \"The second\"\n{page}");
    let mut all: Vec<(&str, &[u8])> = vec![
        ("content/texts/a-text.md", TEXT),
        ("content/annotations/a-text.yaml", ann.as_bytes()),
    ];
    all.extend_from_slice(files);
    site(&all)
}

#[test]
fn a_pages_facsimile_is_copied_and_linked_with_its_size_and_alt_text() {
    let img = png(600, 900);
    let dir = with_facsimile(
        "    image: 1957/p 5.png\n    alt: \"Page 5 of the pamphlet\"\n",
        &[("content/facsimiles/1957/p 5.png", &img)],
    );
    assert_eq!(check(&dir).0, Some(0), "{}", check(&dir).1);
    let out = tempfile::tempdir().unwrap();
    let o = build(dir.path(), &out.path().join("site"));
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        fs::read(out.path().join("site/facsimiles/1957/p 5.png")).unwrap(),
        img
    );
    let html = fs::read_to_string(out.path().join("site/texts/a-text.html")).unwrap();
    assert!(html.contains("<a class=\"page-facsimile\" href=\"../facsimiles/1957/p%205.png\" type=\"image/png\" data-width=\"600\" data-height=\"900\" data-alt=\"Page 5 of the pamphlet\" aria-label=\"Facsimile of page 5\">"), "{html}");
}

#[test]
fn a_facsimile_that_is_missing_or_not_an_image_is_an_error_at_its_line() {
    let dir = with_facsimile(
        "    image: p5.png\n    alt: \"Page 5\"\n",
        &[("content/facsimiles/p6.png", &png(1, 1))],
    );
    let out = assert_error(&dir, "E0357", &format!("{FILE}:8:12"));
    assert!(
        out.contains("there is no content/facsimiles/p5.png"),
        "{out}"
    );
    assert!(out.contains("did you mean `p6.png`?"), "{out}");
    let dir = with_facsimile(
        "    image: p5.jpg\n    alt: \"Page 5\"\n",
        &[("content/facsimiles/p5.jpg", b"GIF89a\x01\0\x01\0")],
    );
    let out = assert_error(&dir, "E0357", &format!("{FILE}:8:12"));
    assert!(out.contains("is not a PNG, JPEG or WebP image"), "{out}");
}

#[test]
fn a_facsimile_without_alt_text_is_an_error() {
    let dir = with_facsimile(
        "    image: p5.png\n",
        &[("content/facsimiles/p5.png", &png(2, 2))],
    );
    let out = assert_error(&dir, "E0358", &format!("{FILE}:6:8"));
    assert!(out.contains("has no alt text"), "{out}");
    let dir = with_facsimile(
        "    image: p5.png\n    alt: \"  \"\n",
        &[("content/facsimiles/p5.png", &png(2, 2))],
    );
    assert_error(&dir, "E0358", &format!("{FILE}:9:10"));
}

#[test]
fn a_facsimile_path_that_leaves_the_facsimiles_folder_is_an_error() {
    for (path, why) in [
        ("../texts/a-text.md", "goes up with `..`"),
        ("/etc/passwd", "is an absolute path"),
        ("https://example.org/p5.png", "is a URL"),
    ] {
        let dir = with_facsimile(
            &format!("    image: \"{path}\"\n    alt: \"Page 5\"\n"),
            &[],
        );
        let out = assert_error(&dir, "E0359", &format!("{FILE}:8:12"));
        assert!(out.contains(why), "{path}: {out}");
    }
}

#[test]
fn a_page_label_is_text_on_the_page_never_markup() {
    let dir =
        with_pages("pages:\n  - n: \"<b onmouseover=alert(1)>5\"\n    starts: \"The second\"\n");
    let out = tempfile::tempdir().unwrap();
    let o = build(dir.path(), &out.path().join("site"));
    assert!(o.status.success(), "{}", text(&o));
    let html = fs::read_to_string(out.path().join("site/texts/a-text.html")).unwrap();
    assert!(!html.contains("<b onmouseover"), "{html}");
    assert!(
        html.contains("id=\"page--b-onmouseover-alert-1--5\""),
        "{html}"
    );
    assert!(
        html.contains("&lt;b onmouseover=alert(1)&gt;5</span>"),
        "{html}"
    );
}

#[test]
fn with_a_base_url_a_text_with_facsimiles_has_a_iiif_manifest_of_its_imaged_pages() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let root = fixture("pages");
    let o = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        site.to_str().unwrap(),
        "--base-url",
        "https://example.org/edition/",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let raw = fs::read_to_string(site.join("iiif/declaration/manifest.json")).unwrap();
    let m: serde_json::Value = serde_json::from_str(&raw).expect("the manifest is JSON");
    assert_eq!(
        m["@context"],
        "http://iiif.io/api/presentation/3/context.json"
    );
    assert_eq!(m["type"], "Manifest");
    assert_eq!(
        m["id"],
        "https://example.org/edition/iiif/declaration/manifest.json"
    );
    assert!(m["label"].is_object(), "a language map: {}", m["label"]);
    // One canvas a page with an image (5, 6 and 7), in the text's order,
    // each the image's size, every id absolute under the base URL.
    let canvases = m["items"].as_array().unwrap();
    let labels: Vec<&str> = canvases
        .iter()
        .map(|c| c["label"]["none"][0].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["5", "6", "7"]);
    for (c, n) in canvases.iter().zip(["5", "6", "7"]) {
        assert_eq!(c["type"], "Canvas");
        assert_eq!(
            (c["width"].as_u64(), c["height"].as_u64()),
            (Some(600), Some(900))
        );
        let page = &c["items"][0];
        assert_eq!(page["type"], "AnnotationPage");
        let a = &page["items"][0];
        assert_eq!(a["motivation"], "painting");
        assert_eq!(a["target"], c["id"], "painted on its canvas");
        let body = &a["body"];
        assert_eq!(body["type"], "Image");
        assert_eq!(body["format"], "image/png");
        assert_eq!(
            body["id"],
            format!("https://example.org/edition/facsimiles/p{n}.png")
        );
        assert_eq!(
            (body["width"].as_u64(), body["height"].as_u64()),
            (Some(600), Some(900))
        );
        for id in [&c["id"], &page["id"], &a["id"], &body["id"]] {
            assert!(
                id.as_str()
                    .unwrap()
                    .starts_with("https://example.org/edition/"),
                "absolute: {id}"
            );
        }
        // The image the canvas names is the one published.
        assert!(site.join(format!("facsimiles/p{n}.png")).is_file());
    }
    let ids: std::collections::HashSet<&str> =
        canvases.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "each canvas its own id");
    // The reader page links it, for people and for programs.
    let html = fs::read_to_string(site.join("texts/declaration.html")).unwrap();
    assert!(html.contains("<link rel=\"alternate\" type='application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"' href=\"../iiif/declaration/manifest.json\""), "{html}");
    assert!(html.contains("<a href=\"../iiif/declaration/manifest.json\" type=\"application/ld+json\">IIIF manifest</a>"));
}

#[test]
fn without_a_base_url_there_is_no_manifest_and_check_says_why() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let o = build(&fixture("pages"), &site);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!site.join("iiif").exists(), "no iiif folder");
    let html = fs::read_to_string(site.join("texts/declaration.html")).unwrap();
    assert!(!html.contains("iiif"), "no link to a manifest");
    let root = fixture("pages");
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("note: no IIIF manifest is written for the 1 text with facsimiles: IIIF needs absolute addresses; set `base_url:` in content/site.yaml (or pass --base-url) to write iiif/<slug>/manifest.json"), "{said}");
    // A note, not a warning: --deny-warnings passes.
    let o = run(&["check", "--root", root.to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}
