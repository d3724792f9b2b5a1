//! Publishing and interoperability: `scholion new`, the W3C export and the
//! import back, a Hypothesis export, hosting files, citation metadata.

use super::*;
use serde_json::Value;

#[test]
fn a_new_site_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-reader");
    let o = run(&["new", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let o = run(&["check", "--root", site.to_str().unwrap(), "--deny-warnings"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("1 text, 3 notes, 1 link"), "{}", text(&o));
    for f in [
        "content/site.yaml",
        "content/glossary.yaml",
        "content/annotations/gettysburg-address.yaml",
    ] {
        let first = fs::read_to_string(site.join(f))
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string();
        let schema = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{f}: {first}"));
        assert!(
            site.join(f).parent().unwrap().join(schema).is_file(),
            "{f}: the schema {schema} is in the site"
        );
    }
    assert!(build(&site, &site.join("public")).status.success());
    let o = run(&["new", site.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an existing folder is never overwritten"
    );
}

fn items(export: &Value) -> Vec<Value> {
    export["first"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Every annotation has the shape the W3C model requires of it.
fn assert_web_annotation(a: &Value) {
    assert_eq!(a["type"], "Annotation", "{a}");
    assert!(a["id"].as_str().is_some_and(|s| !s.is_empty()), "{a}");
    let target = &a["target"];
    assert!(
        target["source"]
            .as_str()
            .is_some_and(|s| s.contains("texts/")),
        "{a}"
    );
    let selectors = target["selector"].as_array().expect("selectors");
    let quote = selectors
        .iter()
        .find(|s| s["type"] == "TextQuoteSelector")
        .expect("a TextQuoteSelector");
    assert!(quote["exact"].as_str().is_some_and(|s| !s.is_empty()));
    let position = selectors
        .iter()
        .find_map(|s| {
            if s["type"] == "TextPositionSelector" {
                Some(s.clone())
            } else {
                s.get("refinedBy").cloned()
            }
        })
        .expect("a TextPositionSelector");
    assert_eq!(position["type"], "TextPositionSelector");
    let (start, end) = (
        position["start"].as_u64().unwrap(),
        position["end"].as_u64().unwrap(),
    );
    assert_eq!(
        end - start,
        quote["exact"].as_str().unwrap().chars().count() as u64
    );
    assert!(a["body"].as_array().is_some_and(|b| !b.is_empty()), "{a}");
}

#[test]
fn the_export_imports_back_to_the_same_anchors() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&repo().join("content"), &site.join("content"));
    let out = dir.path().join("out");
    assert!(build(&site, &out).status.success());
    let original: Value =
        serde_json::from_slice(&fs::read(out.join("annotations.jsonld")).unwrap()).unwrap();
    assert_eq!(original["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(original["type"], "AnnotationCollection");
    let all = items(&original);
    assert_eq!(original["total"].as_u64().unwrap() as usize, all.len());
    all.iter().for_each(assert_web_annotation);

    let slug = "1957-moscow-declaration";
    fs::write(site.join(format!("content/annotations/{slug}.yaml")), "").unwrap();
    let export = dir.path().join("export.jsonld");
    fs::write(&export, serde_json::to_vec(&original).unwrap()).unwrap();
    let o = run(&[
        "import",
        "hypothesis",
        export.to_str().unwrap(),
        "--text",
        slug,
        "--root",
        site.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let out2 = dir.path().join("out2");
    let o = build(&site, &out2);
    assert!(o.status.success(), "{}", text(&o));
    let again: Value =
        serde_json::from_slice(&fs::read(out2.join("annotations.jsonld")).unwrap()).unwrap();
    let of_text = |v: &Value| -> Vec<(String, Value)> {
        let mut list: Vec<(String, Value)> = items(v)
            .into_iter()
            .filter(|a| {
                a["target"]["source"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("{slug}.html"))
            })
            .map(|a| (a["id"].as_str().unwrap().to_string(), a["target"].clone()))
            .collect();
        list.sort_by(|a, b| a.0.cmp(&b.0));
        list
    };
    let (before, after) = (of_text(&original), of_text(&again));
    assert!(before.len() > 50);
    assert_eq!(
        before, after,
        "every note and link is back at the same place"
    );
}

#[test]
fn a_hypothesis_export_imports_and_reports_what_cannot_be_anchored() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    let ann = site.join("content/annotations/first-text.yaml");
    let original = format!(
        "# Notes kept by the editor\n{}",
        fs::read_to_string(&ann).unwrap()
    );
    fs::write(&ann, &original).unwrap();
    let export = fixture("hypothesis").join("export.json");
    let o = run(&[
        "import",
        "hypothesis",
        export.to_str().unwrap(),
        "--text",
        "first-text",
        "--root",
        site.to_str().unwrap(),
    ]);
    let out = text(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "some could not be anchored: {out}"
    );
    assert!(out.contains("Imported 2 note(s)"), "{out}");
    assert!(
        out.contains("a sentence that is no longer there") && out.contains("not in the text"),
        "{out}"
    );
    assert!(
        out.contains("no TextQuoteSelector"),
        "the page note is reported: {out}"
    );
    let now = fs::read_to_string(&ann).unwrap();
    assert!(
        now.starts_with("# Notes kept by the editor\nnotes:\n  - id: coexistence\n"),
        "comments and notes are kept:\n{now}"
    );
    assert!(
        now.contains("id: hyp-zx9mwq2gee6tj8sn") && now.contains("id: hyp-ab3klp7ree6tj8sn"),
        "{now}"
    );
    let o = run(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let page_dir = dir.path().join("out");
    assert!(build(&site, &page_dir).status.success());
    let page = fs::read_to_string(page_dir.join("texts/first-text.html")).unwrap();
    assert!(
        page.contains("id=\"n-hyp-ab3klp7ree6tj8sn\">quoted paragraph"),
        "the repeated quote went to the place its prefix names"
    );
    assert!(page.contains("A reader’s remark on <strong>states</strong>"));
}

#[test]
fn nothing_absolute_without_a_base_url_and_hosting_files_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    assert!(build(&fixture("basic"), &plain).status.success());
    assert!(
        !plain.join("sitemap.xml").exists(),
        "a sitemap needs absolute addresses"
    );
    let jsonld = fs::read_to_string(plain.join("annotations.jsonld")).unwrap();
    assert!(
        !jsonld.contains("\"id\": \"http"),
        "annotation ids are relative"
    );
    let not_found = fs::read_to_string(plain.join("404.html")).unwrap();
    assert!(not_found.contains("href=\"index.html\""));
    for f in [
        "schemas/site.schema.json",
        "schemas/annotations.schema.json",
        "schemas/glossary.schema.json",
    ] {
        let schema: Value = serde_json::from_slice(&fs::read(plain.join(f)).unwrap()).unwrap();
        assert!(schema["$schema"]
            .as_str()
            .unwrap()
            .contains("json-schema.org"));
    }

    let hosted = dir.path().join("hosted");
    let o = run(&[
        "build",
        "--root",
        fixture("basic").to_str().unwrap(),
        "--out",
        hosted.to_str().unwrap(),
        "--base-url",
        "https://example.org/reader",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let sitemap = fs::read_to_string(hosted.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/reader/texts/first-text.html</loc>"),
        "{sitemap}"
    );
    let not_found = fs::read_to_string(hosted.join("404.html")).unwrap();
    assert!(
        not_found.contains("href=\"https://example.org/reader/index.html\""),
        "the 404 page works at any depth"
    );
    assert!(not_found.contains("https://example.org/reader/scholion.css"));
    let jsonld: Value =
        serde_json::from_slice(&fs::read(hosted.join("annotations.jsonld")).unwrap()).unwrap();
    assert!(items(&jsonld).iter().all(|a| a["target"]["source"]
        .as_str()
        .unwrap()
        .starts_with("https://example.org/reader/texts/")));
}

#[test]
fn static_files_such_as_cname_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    fs::create_dir_all(site.join("static")).unwrap();
    fs::write(site.join("static/_redirects"), "/old /new 301\n").unwrap();
    let out = dir.path().join("out");
    assert!(build(&site, &out).status.success());
    assert_eq!(
        fs::read_to_string(out.join("_redirects")).unwrap(),
        "/old /new 301\n"
    );
}

#[test]
fn the_github_pages_workflow_is_valid_yaml_and_builds_with_the_released_scholion() {
    let src = fs::read_to_string(repo().join("docs/deploy/github-pages.yml")).unwrap();
    let workflow: Value = serde_saphyr::from_str(&src).expect("valid YAML");
    let steps = workflow["jobs"]["build"]["steps"]
        .as_array()
        .expect("a build job with steps");
    let run_lines: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    // It installs the released program instead of compiling it.
    assert!(
        run_lines
            .iter()
            .any(|r| r.starts_with("pip install \"scholion-reader==")),
        "{run_lines:?}"
    );
    assert!(
        run_lines
            .iter()
            .any(|r| r.starts_with("scholion build --base-url ")),
        "{run_lines:?}"
    );
    assert!(!src.contains("cargo"), "nothing is compiled: {run_lines:?}");
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("cargo run --release -- build"),
        "the README's build command"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"], "public");
    assert!(workflow["jobs"]["deploy"].is_object());
}

/// The `content` of `<meta {attr}="{key}" content="…">` tags on a page, in order.
fn meta(page: &str, attr: &str, key: &str) -> Vec<String> {
    let needle = format!("<meta {attr}=\"{key}\" content=\"");
    page.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &page[i + needle.len()..];
            rest[..rest.find('"').unwrap()]
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn citation_meta_tags_match_the_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "build",
        "--root",
        repo().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        "https://example.org/reader/",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let page = fs::read_to_string(out.join("texts/1957-moscow-declaration.html")).unwrap();
    let md = fs::read_to_string(repo().join("content/texts/1957-moscow-declaration.md")).unwrap();
    let front = md.split("---").nth(1).unwrap();
    let fm: Value = serde_saphyr::from_str(front).unwrap();
    let title = fm["title"].as_str().unwrap();
    assert_eq!(meta(&page, "name", "citation_title"), [title]);
    assert_eq!(meta(&page, "name", "DC.title"), [title]);
    assert_eq!(meta(&page, "property", "og:title"), [title]);
    let issuers: Vec<String> = fm["issued_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(meta(&page, "name", "citation_author"), issuers);
    assert_eq!(meta(&page, "name", "DC.creator"), issuers);
    let date = fm["date"].as_str().unwrap();
    assert_eq!(meta(&page, "name", "DC.date"), [date]);
    assert_eq!(
        meta(&page, "name", "citation_publication_date"),
        [date.split('/').next().unwrap().replace('-', "/")]
    );
    assert_eq!(
        meta(&page, "name", "DC.source"),
        [fm["source"].as_str().unwrap()]
    );
    let url = "https://example.org/reader/texts/1957-moscow-declaration.html";
    assert_eq!(meta(&page, "name", "citation_public_url"), [url]);
    assert_eq!(meta(&page, "property", "og:url"), [url]);
    assert!(page.contains("<section class=\"cite\" id=\"cite\""));
    assert!(
        page.contains(&format!("Edition 1.0, 23 November 2026. {url}.")),
        "the Chicago citation names the edition and the address"
    );

    let plain = dir.path().join("plain");
    assert!(build(&repo(), &plain).status.success());
    let page = fs::read_to_string(plain.join("texts/1957-moscow-declaration.html")).unwrap();
    assert!(
        meta(&page, "property", "og:url").is_empty() && !page.contains("rel=\"canonical\""),
        "no absolute address without a base URL"
    );
}

#[test]
fn a_texts_counts_are_written_in_the_singular_for_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, s: &str| {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, s).unwrap();
    };
    write("content/site.yaml", "title: Counts\nlanguage: en\n");
    write(
        "content/texts/one.md",
        "---\ntitle: One\norder: 1\n---\n\nA single paragraph, noted once.\n",
    );
    write(
        "content/texts/two.md",
        "---\ntitle: Two\norder: 2\n---\n\nThe first paragraph.\n\nThe second paragraph.\n",
    );
    write(
        "content/annotations/one.yaml",
        "notes:\n  - id: once\n    anchor: noted once\n    body: The note.\nlinks:\n  - id: to-two\n    anchor: single paragraph\n    to: two#p2\n",
    );
    let out = root.join("public");
    let o = build(root, &out);
    assert!(o.status.success(), "{}", text(&o));
    let counts = |slug: &str| {
        let page = fs::read_to_string(out.join(format!("texts/{slug}.html"))).unwrap();
        let start = page
            .find("<p class=\"text-counts\">")
            .expect("the counts line");
        let end = start + page[start..].find("</p>").unwrap();
        strip_tags(&page[start..end])
    };
    assert_eq!(counts("one"), "1 paragraph · 1 note · 1 cross-link");
    assert_eq!(counts("two"), "2 paragraphs · 0 notes · 0 cross-links");
}
