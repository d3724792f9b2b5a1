//! Tests of the preview's incremental compile: each kind of edit is compiled
//! again and compared with a full compile of the same site.

use super::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The test fixture plus three texts: `third` (noted), `fourth` (a
/// cross-link to `third`) and `fifth` (on its own).
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/content");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = dir
            .path()
            .join("content")
            .join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let text = |slug: &str, order: u32, body: &str| {
        write(
            dir.path(),
            &format!("content/texts/{slug}.md"),
            &format!("---\ntitle: The {slug} text\norder: {order}\n---\n\n{body}\n"),
        );
    };
    text(
        "third",
        3,
        "A paragraph of the third text.\n\nAnother paragraph, about Moscow.",
    );
    text("fourth", 4, "The fourth text answers the third.");
    text("fifth", 5, "The fifth text stands alone.");
    write(
            dir.path(),
            "content/annotations/third.yaml",
            "notes:\n  - id: a-note\n    anchor: Another paragraph\n    body: A note on the third text.\n    sources: [\"A source\"]\n",
        );
    write(
        dir.path(),
        "content/annotations/fourth.yaml",
        "links:\n  - id: to-third\n    anchor: answers the third\n    to: third#p1\n",
    );
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// What a preview serves: the files of the first compile, updated by
/// each later one as `serve` updates them.
#[derive(Default)]
struct Served {
    files: BTreeMap<String, Vec<u8>>,
    site_paths: BTreeSet<String>,
}

/// One compile: the paths of the pages rendered, whether all were, and
/// the report.
fn step(session: &mut Session, served: &mut Served) -> (BTreeSet<String>, bool, Report) {
    step_stopping(session, served, false)
}

/// A compile whose site-wide files are given up (`stop`) or not.
fn step_stopping(
    session: &mut Session,
    served: &mut Served,
    stop: bool,
) -> (BTreeSet<String>, bool, Report) {
    let mut out = (BTreeSet::new(), false, Report::default());
    let site = session.compile(
        |p| {
            if p.report.errors() > 0 {
                out.2 = p.report;
                return;
            }
            let keep: BTreeSet<&String> = p.paths.iter().chain(&served.site_paths).collect();
            served.files.retain(|path, _| keep.contains(path));
            for f in p.files {
                // The pages it rendered; static files (styles, scripts,
                // fonts) come with every compile.
                if p.paths.contains(&f.path) && f.path.ends_with(".html") {
                    out.0.insert(f.path.clone());
                }
                served.files.insert(f.path, f.bytes);
            }
            out.1 = p.all;
            out.2 = p.report;
        },
        &|| stop,
    );
    if let Some(site) = site {
        for p in std::mem::take(&mut served.site_paths) {
            served.files.remove(&p);
        }
        for f in site {
            served.site_paths.insert(f.path.clone());
            served.files.insert(f.path, f.bytes);
        }
    }
    out
}

/// The served files are exactly those of a fresh full compile.
fn assert_same_as_full(root: &Path, served: &Served) {
    let full = crate::compile(&Config::new(Some(root.to_path_buf()), None, None, true));
    assert_eq!(full.report.errors(), 0, "{:?}", full.report);
    let full: BTreeMap<String, Vec<u8>> =
        full.files.into_iter().map(|f| (f.path, f.bytes)).collect();
    assert_eq!(
        full.keys().collect::<Vec<_>>(),
        served.files.keys().collect::<Vec<_>>(),
        "the served paths differ from a full compile's"
    );
    for (path, bytes) in &full {
        assert!(
            served.files[path] == *bytes,
            "{path} differs from a full compile's"
        );
    }
}

fn pages(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

#[test]
fn each_edit_renders_only_the_pages_it_changes_and_they_match_a_full_compile() {
    let dir = site();
    let root = dir.path();
    let mut session = Session::new(Config::new(Some(root.to_path_buf()), None, None, true));
    let mut served = Served::default();
    let (_, all, report) = step(&mut session, &mut served);
    assert!(all && report.errors() == 0, "{report:?}");
    assert_same_as_full(root, &served);
    // The site-wide pages and the timeline (it lists the texts by date).
    let site_pages = ["index.html", "glossary.html", "about.html", "timeline.html"];

    // A note's words: its text, the text that links to it, the index,
    // the glossary and the free page, and the page of the one entry whose
    // term occurs in the text (each entry's page shows the words around
    // its term in every text); not the other entries' pages.
    edit(
        root,
        "content/annotations/third.yaml",
        "A note on the third text.",
        "A note, reworded.",
    );
    let (rendered, all, _) = step(&mut session, &mut served);
    assert!(!all);
    let mut expected = pages(&[
        "texts/third.html",
        "texts/fourth.html",
        "glossary/moscow.html",
    ]);
    expected.extend(pages(&site_pages));
    assert_eq!(rendered, expected);
    assert_eq!(
        session.anchors.anchored, 1,
        "only the edited text is anchored again"
    );
    assert_same_as_full(root, &served);

    // The paragraph a cross-link quotes.
    edit(
        root,
        "content/texts/third.md",
        "A paragraph of the third",
        "A changed paragraph of the third",
    );
    step(&mut session, &mut served);
    assert_same_as_full(root, &served);

    // A new cross-link, then its removal: both ends change.
    write(
            root,
            "content/annotations/fifth.yaml",
            "links:\n  - id: to-first\n    anchor: stands alone\n    to: first-text#coexistence\n    label: Not alone\n",
        );
    let (rendered, _, _) = step(&mut session, &mut served);
    assert!(rendered.contains("texts/first-text.html") && rendered.contains("texts/fifth.html"));
    assert!(!rendered.contains("texts/third.html"));
    assert_same_as_full(root, &served);
    std::fs::remove_file(root.join("content/annotations/fifth.yaml")).unwrap();
    let (rendered, _, _) = step(&mut session, &mut served);
    assert!(rendered.contains("texts/first-text.html") && rendered.contains("texts/fifth.html"));
    assert_same_as_full(root, &served);

    // A note moved to other words, and a note referring to another text.
    edit(
        root,
        "content/annotations/second-text.yaml",
        "anchor: Workers of the world, unite!",
        "anchor: one Central Committee",
    );
    step(&mut session, &mut served);
    assert_same_as_full(root, &served);
    edit(
        root,
        "content/annotations/third.yaml",
        "A note, reworded.",
        "Compare [[fifth]].",
    );
    let (rendered, _, _) = step(&mut session, &mut served);
    assert!(rendered.contains("texts/fifth.html"));
    assert_same_as_full(root, &served);

    // A note that names an entry: the entry's page lists it, and lists it
    // no more once the reference is gone.
    edit(
        root,
        "content/annotations/third.yaml",
        "Compare [[fifth]].",
        "Compare [[fifth]] and [[revisionism]].",
    );
    let (rendered, _, _) = step(&mut session, &mut served);
    assert!(
        rendered.contains("glossary/revisionism.html"),
        "{rendered:?}"
    );
    assert!(
        !rendered.contains("glossary/democratic-centralism.html"),
        "{rendered:?}"
    );
    assert_same_as_full(root, &served);
    edit(
        root,
        "content/annotations/third.yaml",
        "Compare [[fifth]] and [[revisionism]].",
        "Compare [[fifth]].",
    );
    let (rendered, _, _) = step(&mut session, &mut served);
    assert!(
        rendered.contains("glossary/revisionism.html"),
        "{rendered:?}"
    );
    assert_same_as_full(root, &served);

    // A term written into a text where it did not occur: its entry's page
    // gains the text.
    edit(
        root,
        "content/texts/third.md",
        "A changed paragraph of the third",
        "A changed paragraph of the third, on Revisionism,",
    );
    let (rendered, _, _) = step(&mut session, &mut served);
    assert!(
        rendered.contains("glossary/revisionism.html"),
        "{rendered:?}"
    );
    assert_same_as_full(root, &served);

    // A bibliography added, a work cited, then the work's entry changed:
    // the bibliography's page comes and goes with it, and every citation
    // of the work reads as the entry now says.
    write(
        root,
        "content/bibliography.bib",
        "@book{author1990,\n  author = {Author, D.},\n  title = {A Dictionary},\n  date = {1990},\n}\n",
    );
    edit(
        root,
        "content/annotations/third.yaml",
        "Compare [[fifth]].",
        "Compare [[fifth]] [@author1990, p. 3].",
    );
    step(&mut session, &mut served);
    assert!(served.files.contains_key("bibliography.html"));
    assert_same_as_full(root, &served);
    edit(
        root,
        "content/bibliography.bib",
        "title = {A Dictionary}",
        "title = {A Dictionary of Terms}",
    );
    step(&mut session, &mut served);
    assert!(
        String::from_utf8_lossy(&served.files["texts/third.html"]).contains("Dictionary of Terms")
    );
    assert_same_as_full(root, &served);
    edit(
        root,
        "content/annotations/third.yaml",
        "Compare [[fifth]] [@author1990, p. 3].",
        "Compare [[fifth]].",
    );
    std::fs::remove_file(root.join("content/bibliography.bib")).unwrap();
    step(&mut session, &mut served);
    assert!(!served.files.contains_key("bibliography.html"));
    assert_same_as_full(root, &served);

    // A title is shown on other pages: every page.
    edit(
        root,
        "content/texts/fifth.md",
        "title: The fifth text",
        "title: The Fifth Text",
    );
    let (_, all, _) = step(&mut session, &mut served);
    assert!(all);
    assert_same_as_full(root, &served);

    // The glossary: every page, and every text anchored again.
    edit(
        root,
        "content/glossary.yaml",
        "definition: A city.",
        "definition: A capital city.",
    );
    let (_, all, _) = step(&mut session, &mut served);
    assert!(all);
    assert_eq!(session.anchors.anchored, 5);
    assert_same_as_full(root, &served);

    // A broken edit changes nothing served; its fix is compared with
    // the last good build.
    edit(
        root,
        "content/annotations/fourth.yaml",
        "anchor: answers the third",
        "anchor: [unclosed",
    );
    let (rendered, _, report) = step(&mut session, &mut served);
    assert!(report.errors() > 0 && rendered.is_empty());
    edit(
        root,
        "content/annotations/fourth.yaml",
        "anchor: [unclosed",
        "anchor: The fourth text",
    );
    let (rendered, all, _) = step(&mut session, &mut served);
    assert!(
        !all && rendered.contains("texts/fourth.html") && rendered.contains("texts/third.html")
    );
    assert_same_as_full(root, &served);

    // A template of the site's own: every page.
    write(
        root,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}Lost.{% endblock content %}",
    );
    let (_, all, report) = step(&mut session, &mut served);
    assert!(all, "{report:?}");
    assert_same_as_full(root, &served);

    // A text added, then removed.
    write(
        root,
        "content/texts/sixth.md",
        "---\ntitle: Sixth\norder: 6\n---\n\nSix.\n",
    );
    let (_, all, _) = step(&mut session, &mut served);
    assert!(all);
    assert_same_as_full(root, &served);
    std::fs::remove_file(root.join("content/texts/sixth.md")).unwrap();
    step(&mut session, &mut served);
    assert_same_as_full(root, &served);
}

#[test]
fn site_wide_files_given_up_for_a_newer_edit_are_made_by_the_next_compile() {
    let dir = site();
    let root = dir.path();
    let mut session = Session::new(Config::new(Some(root.to_path_buf()), None, None, true));
    let mut served = Served::default();
    step(&mut session, &mut served);
    edit(
        root,
        "content/annotations/third.yaml",
        "A note on the third text.",
        "A note about zeppelins.",
    );
    let search_before: Vec<String> = served.site_paths.iter().cloned().collect();
    let (rendered, _, report) = step_stopping(&mut session, &mut served, true);
    assert!(
        report.errors() == 0 && rendered.contains("texts/third.html"),
        "the pages still come"
    );
    assert_eq!(
        served.site_paths.iter().cloned().collect::<Vec<_>>(),
        search_before,
        "the old search index stays"
    );
    let jsonld = String::from_utf8(served.files["annotations.jsonld"].clone()).unwrap();
    assert!(
        !jsonld.contains("zeppelins"),
        "annotations.jsonld was not remade"
    );
    // Nothing changed since, yet the next compile makes them.
    step(&mut session, &mut served);
    let jsonld = String::from_utf8(served.files["annotations.jsonld"].clone()).unwrap();
    assert!(jsonld.contains("zeppelins"));
    assert_same_as_full(root, &served);
}
