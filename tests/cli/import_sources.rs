//! `scholion import sources`: a site's plain-text sources become citations
//! of the bibliography, the files' other lines and comments kept.

use super::*;

fn import_sources(site: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["import", "sources", "--root", site.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn plain_sources_become_stub_works_cited_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    let ann = site.join("content/annotations/first-text.yaml");
    let glossary = site.join("content/glossary.yaml");
    let commented = format!(
        "# Notes kept by the editor\n{}",
        fs::read_to_string(&ann).unwrap()
    );
    fs::write(&ann, &commented).unwrap();
    let before_glossary = fs::read_to_string(&glossary).unwrap();

    // A dry run says what it would do and writes nothing.
    let o = import_sources(&site, &["--dry-run"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("Would add 5 work(s)"), "{out}");
    assert_eq!(fs::read_to_string(&ann).unwrap(), commented);
    assert!(!site.join("content/bibliography.bib").exists());

    let o = import_sources(&site, &[]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("Added 5 work(s) to content/bibliography.bib"),
        "the two glossary entries citing the same dictionary share one work: {out}"
    );
    let now = fs::read_to_string(&ann).unwrap();
    assert!(
        now.starts_with("# Notes kept by the editor\nnotes:\n"),
        "the comment is kept:\n{now}"
    );
    assert!(
        now.contains("sources: [\"@author2000\"]") && now.contains("sources: [\"@author2001\"]"),
        "{now}"
    );
    // Only the converted items changed.
    let changed: Vec<_> = commented
        .lines()
        .zip(now.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    let g = fs::read_to_string(&glossary).unwrap();
    assert_eq!(g.matches("\"@author1990\"").count(), 2, "{g}");
    assert_eq!(
        g.lines().count(),
        before_glossary.lines().count(),
        "no line added or lost"
    );
    let bib = fs::read_to_string(site.join("content/bibliography.bib")).unwrap();
    assert!(bib.contains("% From: A. Author, *A Book* (2000)"), "{bib}");
    assert!(
        bib.contains(
            "@book{author2000,\n  author = {A. Author},\n  title = {A Book},\n  date = {2000},\n}"
        ),
        "{bib}"
    );

    // The site checks clean: every new work is cited, no source is left.
    let o = run(&["check", "--root", site.to_str().unwrap()]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(!out.contains("W0340") && !out.contains("E0342"), "{out}");
    let dest = dir.path().join("out");
    assert!(build(&site, &dest).status.success());
    let page = fs::read_to_string(dest.join("texts/first-text.html")).unwrap();
    assert!(
        page.contains("<em>A Book</em>"),
        "the note's source is now formatted by the style"
    );
    let bibliography = fs::read_to_string(dest.join("bibliography.html")).unwrap();
    assert!(bibliography.contains("A Dictionary"), "{bibliography}");

    // A second run finds nothing left to do and changes nothing.
    let o = import_sources(&site, &[]);
    assert!(o.status.success());
    assert!(text(&o).contains("nothing to import"), "{}", text(&o));
    assert_eq!(fs::read_to_string(&ann).unwrap(), now);
}

#[test]
fn a_source_naming_a_work_of_the_bibliography_cites_it_and_keeps_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("apparatus"), &site);
    let ann = walk(&site.join("content/annotations"))
        .into_iter()
        .find(|p| {
            fs::read_to_string(p)
                .unwrap()
                .contains("An unrelated pamphlet")
        })
        .expect("the fixture's plain source");
    let yaml = fs::read_to_string(&ann).unwrap().replace(
        "      - \"An unrelated pamphlet, 1960.\"",
        "      - \"An unrelated pamphlet, 1960.\"\n      - 'Zubok and Pleshakov, Inside the Kremlin''s Cold War: From Stalin to Khrushchev, p. 12'\n      - |\n        A source written\n        as a block",
    );
    fs::write(&ann, &yaml).unwrap();
    let bib_before = fs::read_to_string(site.join("content/bibliography.bib")).unwrap();

    let o = import_sources(&site, &[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "the block is left: {out}");
    assert!(
        out.contains("1 source(s) cite a work the bibliography already had"),
        "{out}"
    );
    assert!(
        out.contains("left as it is") && out.contains("A source written"),
        "{out}"
    );
    let now = fs::read_to_string(&ann).unwrap();
    assert!(now.contains("- \"@zubok1996, p. 12\""), "{now}");
    assert!(now.contains("- \"@unrelated1960\""), "{now}");
    assert!(now.contains("- |\n        A source written\n"), "{now}");
    let bib = fs::read_to_string(site.join("content/bibliography.bib")).unwrap();
    assert!(
        bib.starts_with(&bib_before),
        "the editor's bibliography is kept as it was, the new work after it"
    );
    assert_eq!(bib.matches("@misc{").count(), 1, "{bib}");
}

#[test]
fn a_broken_site_is_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    let ann = site.join("content/annotations/second-text.yaml");
    let broken = format!("{}\n  - id: [unclosed\n", fs::read_to_string(&ann).unwrap());
    fs::write(&ann, &broken).unwrap();
    let first = fs::read_to_string(site.join("content/annotations/first-text.yaml")).unwrap();
    let o = import_sources(&site, &[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("has errors") && out.contains("scholion check"),
        "{out}"
    );
    assert_eq!(fs::read_to_string(&ann).unwrap(), broken);
    assert_eq!(
        fs::read_to_string(site.join("content/annotations/first-text.yaml")).unwrap(),
        first
    );
    assert!(!site.join("content/bibliography.bib").exists());
}
