//! The citation syntax, the three file formats read into one list, and the
//! formatted citations and entries in two styles, written out as a reader
//! sees them (snapshots).

use super::cite::{scan, Item};
use super::*;
use crate::diagnostics::Report;
use crate::load::SourceFile;
use crate::model::{Bibliography, Site};
use crate::parse::bibliography::read;
use crate::render::escape::push_escaped;

fn file(rel: &str, text: &str) -> SourceFile {
    SourceFile {
        rel: rel.into(),
        stem: "bibliography".into(),
        text: text.into(),
    }
}

const BIB: &str = "@book{zubok1996,
  author = {Zubok, Vladislav and Pleshakov, Constantine},
  title = {Inside the Kremlin's Cold War: From Stalin to Khrushchev},
  publisher = {Harvard University Press},
  location = {Cambridge, MA},
  date = {1996},
}

@article{garver2016,
  author = {Garver, John W.},
  title = {The Split <script>alert(1)</script>},
  journaltitle = {Journal of Cold War Studies},
  volume = {18},
  number = {2},
  pages = {45--67},
  date = {2016},
}
";

const JSON: &str = r#"[
  {"id": "luthi2008", "type": "book",
   "title": "The Sino-Soviet Split: Cold War in the Communist World",
   "author": [{"family": "Lüthi", "given": "Lorenz M."}],
   "publisher": "Princeton University Press", "publisher-place": "Princeton",
   "issued": {"date-parts": [[2008]]}}
]"#;

fn site(style: Option<&str>) -> Site {
    Site {
        language: "en".into(),
        citation_style: style.map(str::to_string),
        ..Site::default()
    }
}

fn bibliography(style: Option<&str>) -> Bibliography {
    let mut report = Report::default();
    let b = read(
        &[
            file("content/bibliography.bib", BIB),
            file("content/bibliography.json", JSON),
        ],
        &site(style),
        &mut report,
    );
    assert_eq!(report.errors(), 0, "{:?}", report);
    b
}

fn cite(b: &Bibliography, md: &str) -> String {
    let mut errors = Vec::new();
    let out = cite::expand(b, md, "", &mut errors).md.into_owned();
    assert!(errors.is_empty(), "{errors:?}");
    out
}

#[test]
fn the_citation_syntax_of_pandoc() {
    let none = |_: &str| false;
    let c = scan("See [@zubok1996, p. 12] and [see @a; @b, 45–47].", &none);
    assert_eq!(c.len(), 2);
    assert_eq!(
        c[0].items,
        vec![Item {
            key: "zubok1996",
            locator: Some("p. 12")
        }]
    );
    assert_eq!(
        c[1].items,
        vec![
            Item {
                key: "a",
                locator: None
            },
            Item {
                key: "b",
                locator: Some("45–47")
            }
        ]
    );
    let c = scan("As @lüthi2008 [p. 80] says.", &none);
    assert_eq!(
        c[0].items,
        vec![Item {
            key: "lüthi2008",
            locator: Some("p. 80")
        }]
    );
    assert!(c[0].prose);
    // Not citations: a link label, a reference, an e-mail, an unknown bare key.
    assert!(scan(
        "[@x](https://example.org) [[@x]] me@example.org, ask @nobody.",
        &none
    )
    .is_empty());
    assert_eq!(scan("ask @luthi2008.", &|k| k == "luthi2008").len(), 1);
}

#[test]
fn the_files_are_combined_in_order_and_each_work_knows_its_line() {
    let b = bibliography(None);
    let keys: Vec<&str> = b.keys().collect();
    assert_eq!(keys, ["zubok1996", "garver2016", "luthi2008"]);
    assert_eq!(b.get("garver2016").unwrap().line, 9);
    assert_eq!(
        b.get("luthi2008").unwrap().file,
        "content/bibliography.json"
    );
}

#[test]
fn a_key_defined_twice_names_both_places() {
    let mut report = Report::default();
    let json = r#"[{"id": "zubok1996", "type": "book", "title": "Other"}]"#;
    read(
        &[
            file("content/bibliography.bib", BIB),
            file("content/bibliography.json", json),
        ],
        &site(None),
        &mut report,
    );
    let d = &report.diagnostics[0];
    assert_eq!(d.file, "content/bibliography.json");
    assert!(
        d.message.contains("content/bibliography.bib line 1"),
        "{}",
        d.message
    );
}

#[test]
fn a_malformed_file_names_its_own_line() {
    let mut report = Report::default();
    let bad = "@book{a,\n  title = {A},\n}\n\n@book{b,\n  title = {B\n";
    read(
        &[file("content/bibliography.bib", bad)],
        &site(None),
        &mut report,
    );
    assert_eq!(report.errors(), 1);
    assert!(
        report.diagnostics[0].line >= 5,
        "{:?}",
        report.diagnostics[0]
    );
    let mut report = Report::default();
    read(
        &[file(
            "content/bibliography.json",
            "[\n {\"id\": \"a\",\n \"type\": }\n]",
        )],
        &site(None),
        &mut report,
    );
    assert_eq!(report.diagnostics[0].line, 3);
}

#[test]
fn chicago_short_notes_snapshot() {
    let b = bibliography(None);
    assert_eq!(
        cite(&b, "[@zubok1996, p. 12]"),
        "[Zubok and Pleshakov\\, *Inside the Kremlin’s Cold War*\\, 12\\.](bibliography.html#bib-zubok1996)"
    );
    assert_eq!(
        cite(&b, "[@luthi2008; @garver2016, 50]"),
        "[Lüthi\\, *The Sino\\-Soviet Split*\\; Garver\\, “The Split \\<script\\>alert\\(1\\)\\<\\/script\\>\\,” 50\\.](bibliography.html#bib-luthi2008)"
    );
    let f = b.formatter().unwrap();
    let entries = f.bibliography_html(b.works.iter().map(|w| &w.entry), push_escaped);
    assert_eq!(entries[0].0, "garver2016");
    assert_eq!(
        entries[0].1,
        "Garver, John W. “The Split &lt;script&gt;alert(1)&lt;/script&gt;.” <i>Journal of Cold War Studies</i> 18, no. 2 (2016): 45–67."
    );
    assert_eq!(
        entries[2].1,
        "Zubok, Vladislav, and Constantine Pleshakov. <i>Inside the Kremlin’s Cold War: From Stalin to Khrushchev</i>. Harvard University Press, 1996."
    );
}

#[test]
fn mla_snapshot() {
    let b = bibliography(Some("mla"));
    assert_eq!(
        cite(&b, "[@zubok1996, p. 12]"),
        "[\\(Zubok and Pleshakov 12\\)](bibliography.html#bib-zubok1996)"
    );
    let f = b.formatter().unwrap();
    let entries = f.bibliography_html(b.works.iter().map(|w| &w.entry), push_escaped);
    assert_eq!(
        entries[1].1,
        "Lüthi, Lorenz M. <i>The Sino-Soviet Split: Cold War in the Communist World</i>. Princeton University Press, 2008."
    );
}

#[test]
fn an_unknown_key_is_an_error_with_a_suggestion() {
    let b = bibliography(None);
    let mut errors = Vec::new();
    let out = cite::expand(&b, "See [@zubok1998, p. 3].", "", &mut errors);
    assert_eq!(out.md, "See [@zubok1998, p. 3].");
    assert_eq!(errors[0].at, 4);
    assert_eq!(errors[0].help, "did you mean `zubok1996`?");
}

#[test]
fn an_offset_after_expanded_citations_is_mapped_back_to_the_source() {
    let b = bibliography(None);
    let md = "[@zubok1996] and @luthi2008 [p. 80], then [[x]].";
    let mut errors = Vec::new();
    let out = cite::expand(&b, md, "", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    let written = out.md.find("[[x]]").unwrap();
    assert_ne!(written, md.find("[[x]]").unwrap());
    assert_eq!(out.source_offset(written), md.find("[[x]]").unwrap());
    // A byte of a written citation stands for the citation's start.
    assert_eq!(out.source_offset(1), 0);
    assert_eq!(out.source_offset(0), 0);
}

#[test]
fn a_source_item_may_cite_and_plain_text_stays_as_it_was() {
    let b = bibliography(None);
    let mut errors = Vec::new();
    let plain = "Pravda, 14 May 1960.";
    assert!(matches!(
        cite::expand_source(&b, plain, "", &mut errors),
        std::borrow::Cow::Borrowed(_)
    ));
    let md = cite::expand_source(&b, "@luthi2008, p. 80", "../", &mut errors);
    assert_eq!(
        md,
        "[Lüthi\\, *The Sino\\-Soviet Split*\\, 80\\.](../bibliography.html#bib-luthi2008)"
    );
    assert!(errors.is_empty());
}

#[test]
fn author_date_styles_snapshot() {
    let b = bibliography(Some("apa"));
    assert_eq!(
        cite(&b, "[@zubok1996, p. 12]"),
        "[\\(Zubok \\& Pleshakov\\, 1996\\, p\\. 12\\)](bibliography.html#bib-zubok1996)"
    );
    let b = bibliography(Some("chicago-author-date"));
    assert_eq!(
        cite(&b, "[@zubok1996, p. 12]"),
        "[\\(Zubok and Pleshakov 1996\\, 12\\)](bibliography.html#bib-zubok1996)"
    );
}

/// `citation_style:` may name a `.csl` file in `content/`: an independent
/// style is used as it is, a dependent one through its bundled parent.
#[test]
fn a_style_file_of_the_site() {
    let mla = include_str!("../parse/csl/styles/modern-language-association.csl");
    let dependent = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">
  <info>
    <title>A journal in APA style</title>
    <id>http://example.org/styles/journal</id>
    <link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>
    <updated>2024-01-01T00:00:00+00:00</updated>
  </info>
</style>"#;
    for (name, text, expected) in [
        (
            "house.csl",
            mla,
            "[\\(Zubok and Pleshakov 12\\)](bibliography.html#bib-zubok1996)",
        ),
        (
            "journal.csl",
            dependent,
            "[\\(Zubok \\& Pleshakov\\, 1996\\, p\\. 12\\)](bibliography.html#bib-zubok1996)",
        ),
    ] {
        let mut report = Report::default();
        let b = read(
            &[
                file("content/bibliography.bib", BIB),
                file(&format!("content/{name}"), text),
            ],
            &site(Some(name)),
            &mut report,
        );
        assert_eq!(report.errors(), 0, "{report:?}");
        assert_eq!(cite(&b, "[@zubok1996, p. 12]"), expected, "{name}");
    }
    let mut report = Report::default();
    read(
        &[
            file("content/bibliography.bib", BIB),
            file("content/bad.csl", "<style>"),
        ],
        &site(Some("bad.csl")),
        &mut report,
    );
    assert_eq!(report.errors(), 1);
    let mut report = Report::default();
    read(
        &[file("content/bibliography.bib", BIB)],
        &site(Some("missing.csl")),
        &mut report,
    );
    assert_eq!(report.errors(), 1);
}

#[test]
fn fields_typed_with_straight_quotes_are_set_as_the_page_is_but_addresses_are_not() {
    let mut report = Report::default();
    let b = read(
        &[file(
            "content/bibliography.bib",
            "@misc{w,\n  title = {Workers' Parties -- a \"Report\"...},\n  url = {https://example.org/b's...},\n  date = {1957},\n}\n",
        )],
        &site(None),
        &mut report,
    );
    assert_eq!(report.errors(), 0, "{report:?}");
    let f = b.formatter().unwrap();
    let html = &f.bibliography_html(b.works.iter().map(|w| &w.entry), push_escaped)[0].1;
    assert!(html.contains("Workers’ Parties – a “Report”…"), "{html}");
    assert!(html.contains("https://example.org/b&#39;s..."), "{html}");
    assert!(
        !html.contains("&#39;s Parties") && !html.contains("Workers&#39;"),
        "{html}"
    );
}

/// BibLaTeX sets `--` as an en dash and `---` as an em dash, but not in an
/// address or an identifier: the bibliography's links and the CSL-JSON
/// export keep the hyphens written, where a title and a page range still
/// get their dash.
#[test]
fn an_address_keeps_its_hyphens_where_a_title_gets_a_dash() {
    let mut report = Report::default();
    let b = read(
        &[file(
            "content/bibliography.bib",
            "@online{web,\n  title = {Pages--Dashes},\n  url = {https://example.org/a--b?c=1---2},\n  date = {2020},\n}\n\n\
             @article{doi,\n  title = {Split---Again},\n  journaltitle = {J},\n  pages = {12--15},\n  doi = {10.1000/ab--cd},\n  url = \"https://example.org/e----f\",\n  date = {2016},\n}\n",
        )],
        &site(None),
        &mut report,
    );
    assert_eq!(report.errors(), 0, "{report:?}");
    let f = b.formatter().unwrap();
    let html = f.bibliography_html(b.works.iter().map(|w| &w.entry), push_escaped);
    let web = &html.iter().find(|(k, _)| k == "web").unwrap().1;
    assert!(
        web.contains(
            "<a href=\"https://example.org/a--b?c=1---2\">https://example.org/a--b?c=1---2</a>"
        ),
        "{web}"
    );
    assert!(web.contains("“Pages–Dashes.”"), "{web}");
    let doi = &html.iter().find(|(k, _)| k == "doi").unwrap().1;
    assert!(
        doi.contains(
            "<a href=\"https://doi.org/10.1000/ab--cd\">https://doi.org/10.1000/ab--cd</a>"
        ),
        "{doi}"
    );
    assert!(
        doi.contains("Split—Again") && doi.contains("12–15"),
        "{doi}"
    );
    let json: serde_json::Value = serde_json::from_slice(&csl_json(&b)).unwrap();
    let item = |id: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(item("web")["URL"], "https://example.org/a--b?c=1---2");
    assert_eq!(item("doi")["DOI"], "10.1000/ab--cd");
    assert_eq!(item("doi")["URL"], "https://example.org/e----f");
    assert_eq!(item("doi")["title"], "Split—Again");
}

/// A citation met again is taken from those already formatted (a site
/// cites the same works again and again, and CSL formatting was most of
/// the time of such a build), and reads exactly as formatted afresh; the
/// locator, the works and the form each make a citation of their own.
#[test]
fn a_citation_met_again_reads_as_formatted_afresh() {
    let b = bibliography(None);
    let cached = |b: &Bibliography| b.formatter().unwrap().cited.citations.read().unwrap().len();
    let first = cite(&b, "[@zubok1996, p. 12]");
    assert_eq!(cached(&b), 1);
    assert_eq!(
        cite(&b, "Again [@zubok1996, p. 12]."),
        format!("Again {first}.")
    );
    assert_eq!(cached(&b), 1, "met again, not formatted again");
    let fresh = bibliography(None);
    assert_eq!(cite(&fresh, "[@zubok1996, p. 12]"), first);
    let other_page = cite(&b, "[@zubok1996, p. 13]");
    assert_ne!(other_page, first);
    assert!(other_page.contains("13"), "{other_page}");
    let prose = cite(&b, "@zubok1996 [p. 12]");
    let two = cite(&b, "[@zubok1996, p. 12; @garver2016]");
    assert!(two.contains("Garver"), "{two}");
    assert_ne!(prose, first);
    assert_eq!(cached(&b), 4);
}

/// The bibliography is laid out once for the same works, however many
/// times it is written out (its page and, twice, the search index), and
/// laid out afresh for other works.
#[test]
fn the_bibliography_is_laid_out_once_for_the_same_works() {
    let b = bibliography(None);
    let f = b.formatter().unwrap();
    let all = || b.works.iter().map(|w| &w.entry);
    let text = f.bibliography_text(all());
    assert_eq!(text.len(), b.works.len());
    let listed = f.cited.listed.lock().unwrap().as_ref().unwrap().1.clone();
    assert_eq!(f.bibliography_text(all()), text);
    let html = f.bibliography_html(all(), push_escaped);
    assert!(std::sync::Arc::ptr_eq(
        &listed,
        &f.cited.listed.lock().unwrap().as_ref().unwrap().1
    ));
    assert_eq!(
        html.iter().map(|h| &h.0).collect::<Vec<_>>(),
        text.iter().map(|t| &t.0).collect::<Vec<_>>()
    );
    let one = f.bibliography_text(all().take(1));
    assert_eq!(one.len(), 1);
    assert_eq!(f.bibliography_text(all()), text);
}
