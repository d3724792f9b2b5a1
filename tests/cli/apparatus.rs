//! The bibliography from a user's view: the fixture site with a `.bib` and
//! a CSL-JSON file builds a bibliography page with "cited in" links and
//! short citations in the notes, and each mistake with a bibliography is an
//! error (or warning) with its file, line and hint.

use super::*;

/// The apparatus fixture copied, with `files` written over it.
fn apparatus(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("apparatus"), dir.path());
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

fn check(dir: &tempfile::TempDir) -> (Option<i32>, String) {
    let o = run(&["check", "--root", dir.path().to_str().unwrap()]);
    (o.status.code(), text(&o))
}

#[test]
fn the_fixture_builds_a_bibliography_with_cited_in_links() {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture("apparatus"), &out.path().join("public"));
    assert!(o.status.success(), "{}", text(&o));
    let public = out.path().join("public");
    let bib = fs::read_to_string(public.join("bibliography.html")).unwrap();
    // Every work of both files, in the style's (alphabetical) order.
    let order: Vec<usize> = [
        "bib-unused1999",
        "bib-garver2016",
        "bib-luthi2008",
        "bib-radchenko2009",
        "bib-zubok1996",
    ]
    .iter()
    .map(|id| {
        bib.find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id} listed"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(
        bib.contains(
            "<a href=\"texts/declaration.html#en-meeting\">The Declaration ¶ 1, note 1</a>"
        ),
        "{bib}"
    );
    assert!(bib.contains("<a href=\"about.html\">About</a>"), "{bib}");
    // A title's markup is text, never a live element.
    assert!(
        bib.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !bib.contains("<script>alert"),
        "{bib}"
    );
    let page = fs::read_to_string(public.join("texts/declaration.html")).unwrap();
    assert!(page.contains("<a href=\"../bibliography.html#bib-zubok1996\">Zubok and Pleshakov, <em>Inside the Kremlin’s Cold War</em>, 12.</a>"), "{page}");
    assert!(
        page.contains(
            "<span class=\"source\"><a href=\"../bibliography.html#bib-garver2016\">Garver"
        ),
        "{page}"
    );
    assert!(page.contains("As <a href=\"../bibliography.html#bib-luthi2008\">Lüthi, <em>The Sino-Soviet Split</em>, 80</a> argues"), "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
    // The bibliography as CSL-JSON, for a reader's reference manager.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("bibliography.json")).unwrap()).unwrap();
    let chapter = json
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "radchenko2009")
        .unwrap();
    assert_eq!(chapter["type"], "chapter");
    assert_eq!(chapter["container-title"], "Brothers in Arms");
    assert_eq!(
        chapter["issued"]["date-parts"][0],
        serde_json::json!([2009, 3])
    );
    assert_eq!(chapter["author"][0]["family"], "Radchenko");
    // Search finds the works, each leading to its entry, under a kind of
    // their own.
    let mut search = String::new();
    for entry in walkdir::WalkDir::new(public.join("search")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            search.push_str(&fs::read_to_string(entry.path()).unwrap());
        }
    }
    // A record of kind "b" leads to bibliography.html; the records after
    // it on the same page give only their #fragment (docs/search.md).
    assert!(
        search.contains("[\"b\",\"bibliography.html#bib-"),
        "{search}"
    );
    for key in [
        "zubok1996",
        "garver2016",
        "luthi2008",
        "radchenko2009",
        "unused1999",
    ] {
        assert!(
            search.contains(&format!("#bib-{key}\"")),
            "{key} searchable"
        );
    }
    assert!(
        search.contains("\"Bibliography\"]"),
        "the kind's group in the manifest"
    );
    let index = fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        index.contains("<a href=\"bibliography.html\">Bibliography</a>"),
        "{index}"
    );
    // The work nothing cites is a warning at its line.
    assert!(
        text(&o).contains("warning[W0340]: the work `unused1999` is never cited"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("content/bibliography.bib:20:1"),
        "{}",
        text(&o)
    );
}

#[test]
fn an_unknown_key_names_the_note_line_and_the_closest_key() {
    let dir = apparatus(&[(
        "content/annotations/declaration.yaml",
        "notes:\n  - id: meeting\n    anchor: \"met in Moscow\"\n    body: \"See [@zubok1998, p. 12].\"\n  - id: line\n    anchor: common line\n    sources: [\"@garvr2016, p. 3\"]\n",
    )]);
    let (status, out) = check(&dir);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains(
            "error[E0342]: in note `meeting`: @zubok1998 names no work of the bibliography"
        ),
        "{out}"
    );
    assert!(
        out.contains("content/annotations/declaration.yaml:2:"),
        "{out}"
    );
    assert!(out.contains("did you mean `zubok1996`?"), "{out}");
    assert!(
        out.contains("in note `line`: @garvr2016 names no work"),
        "{out}"
    );
    assert!(out.contains("did you mean `garver2016`?"), "{out}");
}

#[test]
fn a_page_names_the_line_and_column_of_each_bad_citation_and_reference() {
    let dir = apparatus(&[(
        "content/pages/about.md",
        "---\ntitle: About\n---\nAs [@zubok1996, p. 3] says, see [[nowhere]].\n\nAnd [@zubok1998].\n",
    )]);
    let (status, out) = check(&dir);
    assert_eq!(status, Some(1), "{out}");
    // The reference after an expanded citation is placed where it was written.
    assert!(
        out.contains("error[E0320]: [[nowhere]] names no glossary entry or text"),
        "{out}"
    );
    assert!(out.contains("content/pages/about.md:4:33"), "{out}");
    assert!(
        out.contains("error[E0342]: @zubok1998 names no work of the bibliography"),
        "{out}"
    );
    assert!(out.contains("content/pages/about.md:6:5"), "{out}");
}

#[test]
fn a_key_in_two_files_is_an_error_naming_both() {
    let dir = apparatus(&[(
        "content/bibliography.yaml",
        "garver2016:\n  type: book\n  title: A copy\n",
    )]);
    let (status, out) = check(&dir);
    assert_eq!(status, Some(1), "{out}");
    assert!(out.contains("error[E0340]: the bibliography key `garver2016` is defined twice: here and in content/bibliography.bib line 10"), "{out}");
    assert!(out.contains("content/bibliography.yaml:1:1"), "{out}");
}

#[test]
fn a_malformed_bibliography_file_names_its_line() {
    let bib = "@book{a,\n  title = {A},\n  date = {2001},\n}\n\n@book{b,\n  title = {B,\n";
    let (status, out) = check(&apparatus(&[("content/bibliography.bib", bib)]));
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("error[E0341]: this BibLaTeX file does not parse"),
        "{out}"
    );
    let json = "[\n  {\"id\": \"x\",\n   \"type\": \"book\",,\n  }\n]\n";
    let (status, out) = check(&apparatus(&[("content/bibliography.json", json)]));
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("error[E0341]: this CSL-JSON file does not parse"),
        "{out}"
    );
    assert!(out.contains("content/bibliography.json:3:"), "{out}");
}

#[test]
fn a_plain_source_with_a_works_title_suggests_its_key() {
    let dir = apparatus(&[(
        "content/annotations/declaration.yaml",
        "notes:\n  - id: meeting\n    anchor: \"met in Moscow\"\n    body: \"[@zubok1996] [@garver2016] [@radchenko2009] [@unused1999]\"\n    sources: [\"Lorenz Lüthi, The Sino-Soviet Split: Cold War in the Communist World (2008).\"]\n",
    )]);
    let (status, out) = check(&dir);
    assert_eq!(status, Some(0), "{out}");
    assert!(
        out.contains(
            "warning[W0341]: in note `meeting`: this source names a work of the bibliography"
        ),
        "{out}"
    );
    assert!(out.contains("\"@luthi2008\""), "{out}");
}

#[test]
fn the_bibliography_page_name_is_reserved_and_styles_are_checked() {
    let dir = apparatus(&[("content/pages/bibliography.md", "# Mine\n")]);
    let (status, out) = check(&dir);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("error[E0203]: a free page may not be called `bibliography`"),
        "{out}"
    );
    let dir = apparatus(&[(
        "content/site.yaml",
        "title: T\ncitation_style: harvard-nonesuch\n",
    )]);
    let (status, out) = check(&dir);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("error[E0343]: citation_style `harvard-nonesuch` is not a bundled style"),
        "{out}"
    );
}

#[test]
fn the_annotations_name_the_works_their_notes_cite() {
    let dir = apparatus(&[(
        "content/site.yaml",
        "title: Apparatus fixture\nlanguage: en\nbase_url: https://example.org/ed/\n",
    )]);
    let out = tempfile::tempdir().unwrap();
    let o = build(dir.path(), &out.path().join("public"));
    assert!(o.status.success(), "{}", text(&o));
    let export: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("public/annotations.jsonld")).unwrap())
            .unwrap();
    let items = export["first"]["items"].as_array().unwrap();
    let references = |id: &str| -> Vec<String> {
        let item = items
            .iter()
            .find(|i| i["id"].as_str().is_some_and(|s| s.ends_with(id)))
            .unwrap_or_else(|| panic!("{id} exported"));
        item["dcterms:references"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| r["id"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let bib = "https://example.org/ed/bibliography.html#bib-";
    // The body's citations in order, then the sources' (the plain one names
    // no work); each work once.
    assert_eq!(
        references("#n-meeting"),
        ["zubok1996", "luthi2008", "radchenko2009", "garver2016"].map(|k| format!("{bib}{k}"))
    );
    assert_eq!(references("#n-line"), [format!("{bib}luthi2008")]);
    // Every work named is on the bibliography page under that id.
    let page = fs::read_to_string(out.path().join("public/bibliography.html")).unwrap();
    for k in ["zubok1996", "luthi2008", "radchenko2009", "garver2016"] {
        assert!(page.contains(&format!("id=\"bib-{k}\"")), "{k}");
    }
}

#[test]
fn mla_is_a_setting_away() {
    let dir = apparatus(&[("content/site.yaml", "title: T\ncitation_style: mla\n")]);
    let out = tempfile::tempdir().unwrap();
    let o = build(dir.path(), &out.path().join("public"));
    assert!(o.status.success(), "{}", text(&o));
    let page = fs::read_to_string(out.path().join("public/texts/declaration.html")).unwrap();
    assert!(page.contains("\">(Zubok and Pleshakov 12)</a>"), "{page}");
}

/// A note's sources are separated by semicolons as a note's citations are:
/// the items before a semicolon lose their style's full stop, the last one
/// keeps it, and a glossary entry's page shows its dates as people read them.
#[test]
fn sources_are_joined_by_semicolons_without_a_stop_before_them() {
    let dir = apparatus(&[(
        "content/glossary.yaml",
        "- id: tito\n  term: Tito\n  kind: person\n  born: 1892-05-07\n  died: 1980-05-04\n  definition: Yugoslav leader.\n  sources:\n    - \"@garver2016, p. 50\"\n    - \"A plain source, p. 3.\"\n",
    )]);
    let out = dir.path().join("public");
    let o = build(dir.path(), &out);
    assert!(o.status.success(), "{}", text(&o));
    let page = fs::read_to_string(out.join("texts/declaration.html")).unwrap();
    let sources: Vec<&str> = page
        .split("<p class=\"sources\">")
        .skip(1)
        .map(|s| &s[..s.find("</p>").unwrap()])
        .collect();
    let both = sources
        .iter()
        .find(|s| s.contains("An unrelated pamphlet"))
        .expect("the note with two sources");
    assert!(
        !both.contains(".</a></span>; ") && !both.contains(".</span>; "),
        "{both}"
    );
    assert!(both.contains("</span>; <span class=\"source\">"), "{both}");
    assert!(
        both.ends_with("An unrelated pamphlet, 1960.</span>"),
        "{both}"
    );
    let entity = fs::read_to_string(out.join("glossary/tito.html")).unwrap();
    assert!(
        entity.contains("<dt>Born</dt><dd><time datetime=\"1892-05-07\">7 May 1892</time></dd>"),
        "{entity}"
    );
    assert!(
        entity.contains("p. 3.</span></p>") || entity.contains("p. 3.</span>"),
        "{entity}"
    );
    assert!(!entity.contains(".</a></span>; "), "{entity}");
}
