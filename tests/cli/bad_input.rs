//! Every mistake an editor can make ends in a message with the file, the
//! line and a hint, a non-zero exit code, and no half-written site.

use super::*;

/// A minimal valid site, with `files` written over it (path, contents).
pub(crate) fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base: &[(&str, &[u8])] = &[
        ("content/site.yaml", b"title: Test\n"),
        ("content/texts/a-text.md", b"---\ntitle: A text\n---\n\nThe first paragraph about peace.\n\nThe second paragraph about peace and war.\n"),
        ("content/annotations/a-text.yaml", b"notes:\n  - id: war\n    anchor: peace and war\n    body: A note.\n    sources: [\"S\"]\n"),
    ];
    for (path, bytes) in base.iter().chain(files) {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
    dir
}

pub(crate) fn check(dir: &tempfile::TempDir) -> (Option<i32>, String) {
    let o = run(&["check", "--root", dir.path().to_str().unwrap()]);
    (o.status.code(), text(&o))
}

pub(crate) fn check_json(dir: &tempfile::TempDir) -> Vec<serde_json::Value> {
    let o = run(&[
        "check",
        "--root",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON record per line"))
        .collect()
}

pub(crate) fn assert_error(dir: &tempfile::TempDir, code: &str, at: &str) -> String {
    let (status, out) = check(dir);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains(&format!("error[{code}]")),
        "expected {code}:\n{out}"
    );
    assert!(out.contains(at), "expected the location {at}:\n{out}");
    assert!(out.contains("help:"), "every error has a hint:\n{out}");
    out
}

#[test]
fn the_minimal_site_is_clean() {
    let (status, out) = check(&site(&[]));
    assert_eq!(status, Some(0), "{out}");
}

#[test]
fn yaml_syntax_error_points_at_the_line() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"notes:\n  - id: war\n    anchor: \"peace and war\n    body: x\n",
    )]);
    assert_error(&d, "E0101", "content/annotations/a-text.yaml:3:");
}

#[test]
fn wrong_type_is_reported() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"notes: just a sentence\n",
    )]);
    assert_error(&d, "E0104", "content/annotations/a-text.yaml:1:");
}

#[test]
fn misspelt_key_gets_a_suggestion() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"notes:\n  - id: war\n    anchor: peace and war\n    bdy: A note.\n",
    )]);
    let out = assert_error(&d, "E0102", "content/annotations/a-text.yaml:4:5");
    assert!(out.contains("did you mean `body`?"), "{out}");
}

#[test]
fn a_misspelt_key_inside_an_anchor_mapping_is_named_with_a_suggestion() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"notes:\n  - id: war\n    anchor: { quote: peace, prefx: \"about \" }\n    body: A note.\n",
    )]);
    let out = assert_error(&d, "E0102", "content/annotations/a-text.yaml:3:");
    assert!(out.contains("unknown field `prefx`"), "{out}");
    assert!(out.contains("did you mean `prefix`?"), "{out}");
    assert!(!out.contains("AnchorYaml"), "no Rust type names: {out}");
}

#[test]
fn an_anchor_of_the_wrong_kind_says_what_an_anchor_is() {
    for anchor in ["[peace, war]", "1957"] {
        let yaml = format!("notes:\n  - id: war\n    anchor: {anchor}\n    body: A note.\n");
        let d = site(&[("content/annotations/a-text.yaml", yaml.as_bytes())]);
        let out = assert_error(&d, "E0104", "content/annotations/a-text.yaml:3:");
        assert!(out.contains("expected an anchor"), "{out}");
        assert!(out.contains("in quotation marks"), "{out}");
        assert!(!out.contains("untagged"), "no serde jargon: {out}");
    }
}

#[test]
fn duplicate_keys_are_refused() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"notes:\n  - id: war\n    anchor: peace and war\n    body: one\n    body: two\n",
    )]);
    assert_error(&d, "E0103", "content/annotations/a-text.yaml:5:");
}

#[test]
fn duplicate_ids_name_both_lines() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"notes:\n  - id: war\n    anchor: peace and war\n    body: one\n  - id: war\n    anchor: first paragraph\n    body: two\n",
    )]);
    let out = assert_error(&d, "E0222", "content/annotations/a-text.yaml:5:");
    assert!(out.contains("line 2"), "{out}");
}

#[test]
fn empty_annotation_file_and_missing_annotation_file_are_fine() {
    let d = site(&[("content/annotations/a-text.yaml", b"")]);
    assert_eq!(check(&d).0, Some(0));
    let d = site(&[(
        "content/texts/other.md",
        b"---\ntitle: Other\n---\n\nText without notes.\n",
    )]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(0), "{out}");
    assert!(
        out.contains("warning[W0104]") && out.contains("content/texts/other.md"),
        "{out}"
    );
}

#[test]
fn empty_site_yaml_says_what_to_write() {
    let d = site(&[("content/site.yaml", b"  \n")]);
    let out = assert_error(&d, "E0005", "content/site.yaml:1:1");
    assert!(out.contains("title:"), "{out}");
}

#[test]
fn byte_order_mark_and_crlf_line_ends_are_accepted() {
    let d = site(&[
        ("content/texts/a-text.md", b"\xEF\xBB\xBF---\r\ntitle: A text\r\n---\r\n\r\nThe first paragraph about peace.\r\n\r\nThe second paragraph about peace\r\nand war.\r\n"),
        ("content/annotations/a-text.yaml", b"\xEF\xBB\xBFnotes:\r\n  - id: war\r\n    anchor: peace and war\r\n    body: A note.\r\n    sources: [S]\r\n"),
    ]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(0), "{out}");
}

#[test]
fn non_utf8_bytes_name_the_line() {
    let d = site(&[("content/texts/a-text.md", b"---\ntitle: A text\n---\n\nThe first paragraph about peace.\n\nThe second \xFF paragraph about peace and war.\n")]);
    assert_error(&d, "E0004", "content/texts/a-text.md:7:12");
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    let mut y = String::from("- id: x\n  term: X\n  kind: concept\n  aliases: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let mut prev = 'a';
    for i in 1..12u8 {
        let n = (b'a' + i) as char;
        let refs = vec![format!("*{prev}"); 9].join(",");
        y.push_str(&format!(
            "- id: y{i}\n  term: Y\n  kind: concept\n  see_also: &{n} [{refs}]\n"
        ));
        prev = n;
    }
    let d = site(&[("content/glossary.yaml", y.as_bytes())]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(1), "{out}");
    assert!(out.contains("content/glossary.yaml"), "{out}");
}

#[test]
fn front_matter_problems_are_errors_in_the_text_file() {
    let d = site(&[("content/texts/a-text.md", b"No front matter here.\n")]);
    assert_error(&d, "E0202", "content/texts/a-text.md:1:1");
    let d = site(&[(
        "content/texts/a-text.md",
        b"---\ntitle: A text\nThe first paragraph about peace and war.\n",
    )]);
    assert_error(&d, "E0201", "content/texts/a-text.md:1:1");
    let d = site(&[(
        "content/texts/a-text.md",
        b"---\ntitle: A text\nauthor: Someone\n---\n\npeace and war\n",
    )]);
    let out = assert_error(&d, "E0102", "content/texts/a-text.md:3:1");
    assert!(out.contains("extra:"), "{out}");
    let d = site(&[(
        "content/texts/a-text.md",
        b"---\nshort_title: A\n---\n\npeace and war\n",
    )]);
    assert_error(&d, "E0104", "content/texts/a-text.md");
}

#[test]
fn slugs_outside_the_allowed_characters_are_refused() {
    let d = site(&[(
        "content/texts/My Text.md",
        b"---\ntitle: Mine\n---\n\nText.\n",
    )]);
    let out = assert_error(&d, "E0200", "content/texts/My Text.md");
    assert!(out.contains("lower-case"), "{out}");
}

#[test]
fn a_free_page_named_as_a_page_scholion_writes_is_refused() {
    for name in ["index", "glossary", "404", "search"] {
        let path = format!("content/pages/{name}.md");
        let d = site(&[(path.as_str(), b"---\ntitle: Mine\n---\n\nText.\n")]);
        let out = assert_error(&d, "E0203", &path);
        assert!(
            out.contains(&format!("Scholion writes {name}.html itself")),
            "{out}"
        );
    }
}

#[test]
fn an_annotation_file_without_its_text_is_an_error() {
    let d = site(&[("content/annotations/missing.yaml", b"notes: []\n")]);
    assert_error(&d, "E0210", "content/annotations/missing.yaml");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused() {
    let d = site(&[]);
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\n\nSecret.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        d.path().join("content/texts/secret.md"),
    )
    .unwrap();
    assert_error(&d, "E0003", "content/texts/secret.md");
}

#[test]
fn anchors_that_cross_paragraphs_are_not_found() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"notes:\n  - id: war\n    anchor: about peace. The second\n    body: x\n",
    )]);
    assert_error(&d, "E0301", "content/annotations/a-text.yaml:3:13");
}

#[test]
fn anchors_match_across_unicode_forms_whitespace_and_quote_styles() {
    // The text is in NFC with typographic quotes; the quotes are NFD, straight, with odd spacing.
    let d = site(&[
        ("content/texts/a-text.md", "---\ntitle: A text\n---\n\nThe “Poznań” events and the\nworker’s   council.\n".as_bytes()),
        (
            "content/annotations/a-text.yaml",
            "notes:\n  - id: nfd\n    anchor: \"\\\"Poznan\u{301}\\\" events\"\n    body: x\n    sources: [S]\n  - id: space\n    anchor: the worker's council\n    body: y\n    sources: [S]\n"
                .as_bytes(),
        ),
    ]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(0), "{out}");
}

#[test]
fn nested_and_overlapping_anchors_all_get_markers() {
    let d = site(&[(
        "content/annotations/a-text.yaml",
        b"notes:\n  - id: outer\n    anchor: second paragraph about peace and war\n    body: x\n    sources: [S]\n  - id: inner\n    anchor: peace\n    body: x\n    sources: [S]\n    \n  - id: overlap\n    anchor: { quote: about peace and, prefix: paragraph }\n    body: x\n    sources: [S]\n",
    )]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(1), "`peace` occurs twice: {out}");
    assert!(
        out.contains("error[E0303]") && out.contains("¶ 1, ¶ 2"),
        "{out}"
    );
    let fixed = fs::read_to_string(d.path().join("content/annotations/a-text.yaml"))
        .unwrap()
        .replace(
            "anchor: peace\n",
            "anchor: { quote: peace, suffix: and war }\n",
        );
    fs::write(d.path().join("content/annotations/a-text.yaml"), fixed).unwrap();
    let out_dir = d.path().join("public");
    let o = build(d.path(), &out_dir);
    assert!(o.status.success(), "{}", text(&o));
    let page = fs::read_to_string(out_dir.join("texts/a-text.html")).unwrap();
    for id in ["outer", "inner", "overlap"] {
        assert!(page.contains(&format!("id=\"ref-{id}\"")), "marker of {id}");
        assert!(page.contains(&format!("id=\"n-{id}\"")), "passage of {id}");
    }
}

#[test]
fn warnings_are_reported_and_fail_under_deny_warnings() {
    let long = "peace ".repeat(70);
    let text = format!("---\ntitle: A text\n---\n\nThe first paragraph about peace.\n\nThe second paragraph about peace and war.\n\n{long}\n");
    let ann = format!(
        "notes:\n  - id: war\n    anchor: peace and war\n    body: \"\"\n  - id: long\n    anchor: \"{}\"\n    body: x\n    sources: [S]\n",
        long.trim()
    );
    let d = site(&[
        ("content/texts/a-text.md", text.as_bytes()),
        ("content/annotations/a-text.yaml", ann.as_bytes()),
        (
            "content/glossary.yaml",
            b"- id: unused\n  term: Nowhere to be found\n  kind: concept\n  definition: x\n",
        ),
    ]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(0), "{out}");
    for code in ["W0101", "W0102", "W0103"] {
        assert!(out.contains(&format!("warning[{code}]")), "{code}: {out}");
    }
    let o = run(&[
        "check",
        "--root",
        d.path().to_str().unwrap(),
        "--deny-warnings",
    ]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn all_problems_are_reported_in_one_run_also_as_json() {
    let d = site(&[
        ("content/annotations/a-text.yaml", b"notes:\n  - id: war\n    anchor: peace and warr\n    body: x\n  - id: Bad_Id\n    anchor: peace\n    body: y\n"),
        ("content/glossary.yaml", b"- id: g\n  term: G\n  kind: concept\n  definition: See [[nowhere]].\n"),
    ]);
    let records = check_json(&d);
    let codes: Vec<&str> = records
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"E0301") && codes.contains(&"E0220") && codes.contains(&"E0320"),
        "{codes:?}"
    );
    for r in &records {
        for field in [
            "file", "line", "column", "code", "severity", "message", "help",
        ] {
            assert!(r.get(field).is_some(), "{field} missing in {r}");
        }
    }
}

#[test]
fn a_very_large_text_and_deep_nesting_do_not_break_the_tool() {
    let mut body = String::from("---\ntitle: Large\n---\n\n");
    let para = "A paragraph of an archive's holdings with peace, war and the working class in it. "
        .repeat(10);
    while body.len() < 50 * 1024 * 1024 {
        body.push_str(&para);
        body.push_str("\n\n");
    }
    body.push_str("The unique closing words.\n");
    let deep = format!(
        "---\ntitle: Deep\n---\n\n{}deeply quoted words\n",
        "> ".repeat(5000)
    );
    let d = site(&[
        ("content/texts/large.md", body.as_bytes()),
        ("content/annotations/large.yaml", b"notes:\n  - id: end\n    anchor: unique closing words\n    body: x\n    sources: [S]\n"),
        ("content/texts/deep.md", deep.as_bytes()),
        ("content/annotations/deep.yaml", b"notes:\n  - id: deep\n    anchor: deeply quoted words\n    body: x\n    sources: [S]\n"),
    ]);
    let (status, out) = check(&d);
    assert_eq!(status, Some(0), "{out}");
}

/// A glossary of one entry of `kind` with the lines `extra` (each indented
/// under the entry), used by the text so that it draws no warning.
fn glossary_entry(kind: &str, extra: &str) -> tempfile::TempDir {
    let y = format!("- id: peace\n  term: peace\n  kind: {kind}\n  definition: Peace.\n{extra}");
    site(&[("content/glossary.yaml", y.as_bytes())])
}

#[test]
fn entity_data_that_is_well_formed_checks_clean() {
    let d = glossary_entry(
        "person",
        "  sort: Peace, The\n  wikidata: Q855\n  viaf: \"101787139\"\n  gnd: 118540238\n  born: 1878-12-18\n  died: \"1953-03-05\"\n",
    );
    let (status, out) = check(&d);
    assert_eq!(status, Some(0), "{out}");
    let d = glossary_entry(
        "place",
        "  geonames: 524901\n  coordinates: [55.7558, 37.6173]\n",
    );
    assert_eq!(check(&d).0, Some(0));
    let d = glossary_entry("event", "  date: 1957-11-14/1957-11-16\n");
    assert_eq!(check(&d).0, Some(0));
}

#[test]
fn a_malformed_authority_id_names_the_line_and_the_shape() {
    let d = glossary_entry("person", "  wikidata: \"855\"\n");
    let out = assert_error(&d, "E0225", "content/glossary.yaml:5:");
    assert!(out.contains("Q855"), "{out}");
    let d = glossary_entry("person", "  gnd: \"4015701\"\n");
    assert_error(&d, "E0225", "content/glossary.yaml:5:");
    let d = glossary_entry("place", "  geonames: moscow\n");
    assert_error(&d, "E0225", "content/glossary.yaml:5:");
    let d = glossary_entry("person", "  viaf: \"0123\"\n");
    assert_error(&d, "E0225", "content/glossary.yaml:5:");
}

#[test]
fn a_date_that_is_not_iso_is_an_error_with_the_forms_allowed() {
    let d = glossary_entry("person", "  born: 18 December 1878\n");
    let out = assert_error(&d, "E0226", "content/glossary.yaml:5:");
    assert!(out.contains("1957-11-14"), "{out}");
    let d = glossary_entry("event", "  date: 1957-02-30\n");
    assert_error(&d, "E0226", "content/glossary.yaml:5:");
    let d = glossary_entry("event", "  date: 1991/1917\n");
    assert_error(&d, "E0226", "content/glossary.yaml:5:");
    let d = glossary_entry("person", "  born: 1953\n  died: 1878\n");
    assert_error(&d, "E0226", "content/glossary.yaml");
}

#[test]
fn coordinates_out_of_range_or_miscounted_are_errors() {
    let d = glossary_entry("place", "  coordinates: [137.6, 55.7]\n");
    let out = assert_error(&d, "E0227", "content/glossary.yaml:5:");
    assert!(out.contains("swapped"), "{out}");
    let d = glossary_entry("place", "  coordinates: [55.7]\n");
    assert_error(&d, "E0227", "content/glossary.yaml:5:");
    let d = glossary_entry("place", "  coordinates: [55.7, east]\n");
    assert_error(&d, "E0227", "content/glossary.yaml:5:");
}

#[test]
fn entity_data_of_another_kind_is_an_error() {
    let d = glossary_entry("concept", "  born: 1878\n");
    let out = assert_error(&d, "E0228", "content/glossary.yaml:5:");
    assert!(out.contains("person"), "{out}");
    let d = glossary_entry("person", "  coordinates: [55.7, 37.6]\n");
    assert_error(&d, "E0228", "content/glossary.yaml:5:");
    let d = glossary_entry("place", "  date: 1957\n");
    assert_error(&d, "E0228", "content/glossary.yaml:5:");
}

#[test]
fn a_free_page_may_not_take_the_name_of_a_page_scholion_writes() {
    for name in ["timeline", "map"] {
        let path = format!("content/pages/{name}.md");
        let d = site(&[(path.as_str(), b"# Mine\n")]);
        let out = assert_error(&d, "E0203", &format!("content/pages/{name}.md"));
        assert!(out.contains(&format!("{name}.html")), "{out}");
    }
}
