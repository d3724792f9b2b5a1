//! Hostile and unlucky input: addresses that would run code, numbers that
//! change when read as numbers, characters HTML must not carry, nesting no
//! text needs. Each ends in a message naming the file and line, and nothing
//! of it reaches a page.

use super::bad_input::{assert_error, check, site};
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
