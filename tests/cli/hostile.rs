//! Hostile and unlucky input: addresses that would run code, numbers that
//! change when read as numbers, characters HTML must not carry, nesting no
//! text needs. Each ends in a message naming the file and line, and nothing
//! of it reaches a page.

use super::bad_input::{assert_error, site};
use super::*;

/// Every file of a built site, as text.
fn output_text(out: &Path) -> Vec<(PathBuf, String)> {
    walk(out)
        .into_iter()
        .map(|p| {
            let t = String::from_utf8_lossy(&fs::read(&p).unwrap()).into_owned();
            (p, t)
        })
        .collect()
}

#[test]
fn javascript_addresses_in_site_metadata_are_errors_and_reach_no_page() {
    let d = site(&[
        (
            "content/site.yaml",
            b"title: Test\nbase_url: \"javascript:alert(1)//\"\nlicence: { name: CC BY, url: \" JaVaScRiPt:alert(2)\" }\neditors:\n  - name: A. Editor\n    url: \"data:text/html,<script>alert(3)</script>\"\n",
        ),
        (
            "content/texts/a-text.md",
            b"---\ntitle: A text\nsource_url: vbscript:msgbox(4)\n---\n\nThe first paragraph about peace.\n\nThe second paragraph about peace and war.\n",
        ),
    ]);
    let out = assert_error(&d, "E0106", "content/site.yaml:2:");
    for at in [
        "content/site.yaml:3:",
        "content/site.yaml:6:",
        "content/texts/a-text.md:3:",
    ] {
        assert!(out.contains(at), "expected an error at {at}:\n{out}");
    }
    for scheme in ["`javascript:`", "`data:`", "`vbscript:`"] {
        assert!(out.contains(scheme), "the message names {scheme}:\n{out}");
    }
    let public = d.path().join("public");
    let o = build(d.path(), &public);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(!public.exists(), "a refused build writes no page");

    // The same address given on the command line is refused too.
    let d = site(&[]);
    let o = run(&[
        "build",
        "--root",
        d.path().to_str().unwrap(),
        "--base-url",
        "javascript:alert(1)",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("`--base-url` is a `javascript:` address"));
    assert!(!d.path().join("public").exists());
}

#[test]
fn javascript_links_in_markdown_are_dropped_from_every_page() {
    let d = site(&[
        (
            "content/texts/a-text.md",
            b"---\ntitle: A text\n---\n\nThe first [paragraph](javascript:alert(1)) about peace.\n\nThe second paragraph about peace and war. ![x](data:image/svg+xml,<svg/onload=alert(2)>)\n",
        ),
        (
            "content/annotations/a-text.yaml",
            b"notes:\n  - id: war\n    anchor: peace and war\n    body: \"A [note](vbscript:msgbox(3)).\"\n    sources: [\"[S](JAVASCRIPT:alert(4))\"]\n",
        ),
        (
            "content/glossary.yaml",
            b"- id: peace\n  term: peace\n  kind: concept\n  definition: \"[Peace](javascript:alert(5)).\"\n",
        ),
        ("content/pages/about.md", b"---\ntitle: About\n---\n\n[About](javascript:alert(6)) the reader.\n"),
    ]);
    let public = d.path().join("public");
    let o = build(d.path(), &public);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let files = output_text(&public);
    for page in [
        "index.html",
        "404.html",
        "a-text.html",
        "glossary.html",
        "about.html",
    ] {
        assert!(
            files.iter().any(|(p, _)| p.ends_with(page)),
            "{page} is written"
        );
    }
    // The pages; the Web Annotation export keeps each note's Markdown as
    // written (a text/markdown body), which no browser renders as a link.
    for (p, t) in files
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
    {
        let lower = t.to_ascii_lowercase();
        for bad in ["javascript:alert", "vbscript:", "data:image/svg"] {
            assert!(!lower.contains(bad), "{} carries {bad}", p.display());
        }
    }
}

/// Builds `d` into its `public/`, which must succeed; the page `page`.
fn built_page(d: &tempfile::TempDir, page: &str) -> String {
    let public = d.path().join("public");
    let o = build(d.path(), &public);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    fs::read_to_string(public.join(page)).unwrap()
}

#[test]
fn a_reference_error_names_the_line_of_the_reference() {
    let d = site(&[
        (
            "content/annotations/a-text.yaml",
            b"notes:\n  - id: war\n    anchor: peace and war\n    body: |\n      A note.\n\n      It names [[nothing]] here.\n    sources: [S]\n",
        ),
        (
            "content/glossary.yaml",
            b"- id: peace\n  term: peace\n  kind: concept\n  definition: >\n    Folded lines,\n    with [[nowhere]] in the second.\n",
        ),
        ("content/pages/about.md", b"---\ntitle: About\n---\n\nA page.\n\nIt links [[a-text#nothing]].\n"),
    ]);
    let out = assert_error(&d, "E0320", "content/annotations/a-text.yaml:7:16");
    assert!(out.contains("content/glossary.yaml:6:10"), "{out}");
    assert!(out.contains("content/pages/about.md:7:10"), "{out}");
}

#[test]
fn a_paragraph_number_too_large_for_a_number_is_named_as_written() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"links:\n  - id: far\n    anchor: peace and war\n    to: a-text#p99999999999999999999999\n",
    )]);
    let out = assert_error(&d, "E0310", "content/annotations/a-text.yaml:4:");
    assert!(
        out.contains("has no paragraph 99999999999999999999999 (it has 2)"),
        "{out}"
    );
    assert!(!out.contains("paragraph 0"), "{out}");
}

#[test]
fn an_anchor_ending_inside_an_emoji_sequence_takes_the_whole_sequence() {
    let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
    let md = format!("---\ntitle: A text\n---\n\nThe family {family} came home.\n");
    let notes = "notes:\n  - id: family\n    anchor: \"family \u{1f468}\u{200d}\u{1f469}\"\n    body: A note.\n    sources: [S]\n";
    let d = site(&[
        ("content/texts/a-text.md", md.as_bytes()),
        ("content/annotations/a-text.yaml", notes.as_bytes()),
    ]);
    let html = built_page(&d, "texts/a-text.html");
    let p = &html[html.find("The ").unwrap()..];
    let p = &p[..p.find("came home").unwrap()];
    assert!(
        p.contains(family) && p.find("</span>").unwrap() > p.find(family).unwrap(),
        "the highlight ends after the whole family, never inside it: {p}"
    );
}

#[test]
fn glossary_alias_clashes_are_errors_and_a_one_letter_alias_warns() {
    let d = site(&[(
        "content/glossary.yaml",
        b"- id: peace\n  term: peace\n  kind: concept\n  aliases: [\"\", concord, Concord, concord, x]\n- id: war\n  term: war\n  kind: concept\n  aliases: [peace]\n",
    )]);
    let out = assert_error(&d, "E0224", "content/glossary.yaml:4:");
    assert!(out.contains("has an empty alias"), "{out}");
    assert!(
        out.contains("the alias `concord` of `peace` is written twice"),
        "{out}"
    );
    assert!(
        out.contains("the alias `peace` of `war` is also the term or an alias of `peace`")
            && out.contains("content/glossary.yaml:8:"),
        "{out}"
    );
    assert!(
        out.contains("warning[W0105]: the alias `x` of `peace` is a single letter"),
        "{out}"
    );
}

#[test]
fn numbers_where_text_is_wanted_keep_the_digits_written() {
    let d = site(&[
        ("content/site.yaml", b"title: Test\nedition: 1.10\nedition_date: 2026.10\n"),
        (
            "content/texts/a-text.md",
            b"---\ntitle: A text\ndate: 2004.10\nextra: { box: 010 }\n---\n\nThe first paragraph about peace.\n\nThe second paragraph about peace and war.\n",
        ),
    ]);
    let html = built_page(&d, "texts/a-text.html");
    for written in ["edition 1.10", "2026.10", "2004.10", "010"] {
        assert!(html.contains(written), "{written} as written:\n{html}");
    }
}

#[test]
fn control_characters_and_non_characters_never_reach_a_page() {
    let d = site(&[(
        "content/texts/a-text.md",
        "---\ntitle: \"A\u{0}text\"\n---\n\nThe first\u{b} paragraph\u{c} about\u{1} peace\u{ffff}.\n\nThe second paragraph about peace and war.\u{fdd0}\n"
            .as_bytes(),
    )]);
    let public = d.path().join("public");
    let html = built_page(&d, "texts/a-text.html");
    assert!(
        html.contains("The first  paragraph  about\u{fffd} peace\u{fffd}."),
        "{html}"
    );
    // Every file Scholion writes from the site's text; the fonts it ships
    // are binary files of its own.
    let written = walk(&public).into_iter().filter(|p| {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        !matches!(ext, "woff2" | "woff" | "png" | "jpg" | "ico")
    });
    for p in written {
        let t = String::from_utf8_lossy(&fs::read(&p).unwrap()).into_owned();
        for c in ['\u{0}', '\u{1}', '\u{b}', '\u{c}', '\u{ffff}', '\u{fdd0}'] {
            assert!(!t.contains(c), "{} carries U+{:04X}", p.display(), c as u32);
        }
    }
}

#[test]
fn empty_front_matter_names_the_missing_title() {
    let d = site(&[(
        "content/texts/a-text.md",
        b"---\n---\n\nThe first paragraph about peace.\n",
    )]);
    let out = assert_error(&d, "E0104", "content/texts/a-text.md:1:");
    assert!(out.contains("needs at least a `title`"), "{out}");
    assert!(!out.contains("unexpected end"), "{out}");
}

#[test]
fn nesting_deeper_than_any_text_is_an_error_at_its_line() {
    let deep = format!(
        "---\ntitle: A text\n---\n\nThe first paragraph about peace.\n\n{}The second paragraph about peace and war.\n",
        "- ".repeat(80_000)
    );
    let d = site(&[("content/texts/a-text.md", deep.as_bytes())]);
    let out = assert_error(&d, "E0204", "content/texts/a-text.md:7:20001");
    assert!(out.contains("nested more than 10000 levels"), "{out}");
    // The annotations of a text that is refused are not reported again.
    assert!(!out.contains("E0301"), "{out}");
}
