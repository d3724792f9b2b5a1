//! The index on small sites written to a temporary folder: documents and
//! their addresses, folding and stemming in the index, ranking, the file
//! format and its determinism. `rank` below is the browser's scoring
//! (static/search.js) restated, so ranking can be tested without a browser.

use super::documents::*;
use super::forms::*;
use super::index::*;
use super::shards::*;
use super::*;
use crate::diagnostics::Report;
use crate::model::Corpus;
use std::path::Path;

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join("content").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn corpus(files: &[(&str, &str)]) -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("site.yaml", "title: Test\n")]);
    write(dir.path(), files);
    let mut report = Report::default();
    let loaded = crate::load::load(dir.path(), &mut report);
    let corpus = crate::parse::parse_corpus(&loaded, &mut report);
    assert_eq!(report.errors(), 0, "the test site has no errors");
    corpus
}

fn with_docs<T>(files: &[(&str, &str)], f: impl FnOnce(&Resolved, Vec<SearchDoc>) -> T) -> T {
    let c = corpus(files);
    let mut report = Report::default();
    let r = crate::resolve::resolve(&c, &mut report);
    assert_eq!(report.errors(), 0, "the test site resolves");
    let docs = documents(&r);
    f(&r, docs)
}

/// The search files of `r` in a fixed order: the manifest, the shards,
/// the fragments, each by number (they are handed over in any order).
fn collect_files(r: &Resolved) -> Vec<OutputFile> {
    let made = std::sync::Mutex::new(Vec::new());
    super::files(r, &|f| made.lock().unwrap().push(f)).expect("nothing written out");
    let mut files = made.into_inner().unwrap();
    files.sort_by_key(|f| {
        let name = f.path.rsplit('/').next().unwrap().trim_end_matches(".js");
        match name.split_at(1) {
            ("t", n) => (1, n.parse::<usize>().unwrap()),
            ("f", n) => (2, n.parse::<usize>().unwrap()),
            ("d", "") => (3, 0),
            ("v", n) => (4, n.parse::<usize>().unwrap()),
            ("l", "") => (5, 0),
            _ => (0, 0),
        }
    });
    files
}

const SITE: &[(&str, &str)] = &[
    (
        "texts/appeal.md",
        "---\ntitle: An Appeal to the Parties\nshort_title: Appeal\ndate: \"1998\"\nplace: Moscow\n---\n\
         # On unity\n\n\
         Communists of all parties, unite in one party.\n\n\
         The conference at Bandung was held in 1955; Tító did not attend.\n\n\
         - Revisionism is named once here, in passing, among many other words that pad this item out to a typical length for a paragraph of the text.\n",
    ),
    (
        "annotations/appeal.yaml",
        "notes:\n  - id: bandung\n    anchor: conference at Bandung\n    body: The Asian–African Conference of April 1955, see [[revisionism]].\n    sources: [\"A. Author, *Bandung*, 2005\"]\n",
    ),
    (
        "glossary.yaml",
        "- id: revisionism\n  term: Revisionism\n  kind: concept\n  aliases: [revisionist, Revisionists]\n  link: none\n  definition: A charge levelled at those said to revise the doctrine.\n",
    ),
];

/// The browser's ranking: all of `stems` must match; a document's score is
/// the sum over them of IDF × the posting's score.
fn rank(index: &Index, stems: &[&str]) -> Vec<u32> {
    let n = index.docs as f64;
    let mut total: Option<HashMap<u32, f64>> = None;
    for s in stems {
        let postings = index.postings(s);
        let df = postings.len() as f64;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let this: HashMap<u32, f64> = postings
            .into_iter()
            .map(|(d, q)| (d, idf * q as f64))
            .collect();
        total = Some(match total {
            None => this,
            Some(t) => t
                .into_iter()
                .filter_map(|(d, s)| this.get(&d).map(|x| (d, s + x)))
                .collect(),
        });
    }
    let mut ranked: Vec<(u32, f64)> = total.unwrap_or_default().into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.into_iter().map(|(d, _)| d).collect()
}

#[test]
fn every_paragraph_heading_note_and_entry_is_a_document_with_its_address() {
    with_docs(SITE, |_, docs| {
        let rows: Vec<(&str, &str, &str, &str)> = docs
            .iter()
            .map(|d| {
                (
                    d.kind.code(),
                    d.href.as_str(),
                    d.title.as_str(),
                    d.label.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("t", "texts/appeal.html", "An Appeal to the Parties", "Text"),
                ("h", "texts/appeal.html#h-on-unity", "Appeal", "Heading"),
                ("p", "texts/appeal.html#p1", "Appeal", "¶ 1"),
                ("p", "texts/appeal.html#p2", "Appeal", "¶ 2"),
                ("p", "texts/appeal.html#p3", "Appeal", "¶ 3"),
                ("n", "texts/appeal.html#en-bandung", "Appeal", "Note 1"),
                (
                    "g",
                    "glossary.html#revisionism",
                    "Revisionism",
                    "Glossary, concept"
                ),
                (
                    "e",
                    "glossary/revisionism.html",
                    "Revisionism",
                    "Entity page, concept"
                ),
            ]
        );
        assert_eq!(docs[0].text, "1998 · Moscow");
        // References are expanded to their labels, Markdown is dropped.
        assert_eq!(
            docs[5].text,
            "The Asian–African Conference of April 1955, see Revisionism. Sources: A. Author, Bandung, 2005"
        );
        // An alias that is more than a change of case is shown.
        assert!(
            docs[6].text.ends_with("Also: revisionist; Revisionists."),
            "{}",
            docs[6].text
        );
    });
}

#[test]
fn words_are_folded_and_stemmed_in_the_index() {
    with_docs(SITE, |_, docs| {
        let index = Index::build(&docs);
        let stems: Vec<&str> = index.stems().collect();
        assert!(stems.contains(&"tito"), "diacritics folded");
        assert!(stems.contains(&"bandung"), "case folded");
        assert!(stems.contains(&"parti"), "parties and party share a stem");
        assert_eq!(index.forms("parti"), ["parties", "party"]);
        for stop in ["the", "of", "in", "and"] {
            assert!(!stems.contains(&stop), "{stop} is not indexed");
        }
        // Sorted as JavaScript sorts strings.
        assert!(stems.windows(2).all(|w| utf16_cmp(w[0], w[1]).is_lt()));
    });
}

/// An entry's own page is found by what only it shows (its authority
/// identifiers, dates, sort key), is listed under "Entity pages", and for
/// the entry's name comes after the glossary entry that defines it.
#[test]
fn an_entry_page_is_found_by_its_identifiers_and_dates() {
    let glossary = "- id: tito\n  term: Josip Broz Tito\n  kind: person\n  sort: Tito, Josip Broz\n  aliases: [Tito]\n  wikidata: Q1000\n  born: \"1892-05-07\"\n  died: \"1980-05-04\"\n  definition: Leader of Yugoslavia.\n";
    let mut files: Vec<(&str, &str)> = SITE[..1].to_vec();
    files.push(("glossary.yaml", glossary));
    with_docs(&files, |_, docs| {
        let page = docs.iter().position(|d| d.kind == DocKind::Entity).unwrap();
        let d = &docs[page];
        assert_eq!(d.href, "glossary/tito.html");
        assert_eq!(DocKind::Entity.group(), 3);
        assert_eq!(super::GROUPS[3], "Entity pages");
        assert!(d.text.starts_with("Person · Tito, Josip Broz · born 1892-05-07 · died 1980-05-04 · Wikidata Q1000. Leader of Yugoslavia."), "{}", d.text);
        let index = Index::build(&docs);
        assert_eq!(rank(&index, &["q1000"]), [page as u32]);
        assert_eq!(rank(&index, &["1892"]), [page as u32]);
        // The definition is the glossary entry's to be found by.
        let leader = rank(&index, &[stem("leader").as_str()]);
        assert_eq!(leader.len(), 1);
        assert_eq!(docs[leader[0] as usize].kind, DocKind::Entry);
        // Both are found by the name, the glossary entry first.
        let tito = rank(&index, &["tito"]);
        let kinds: Vec<DocKind> = tito.iter().map(|&x| docs[x as usize].kind).collect();
        assert_eq!(kinds[..2], [DocKind::Entry, DocKind::Entity], "{tito:?}");
    });
}

#[test]
fn a_glossary_term_ranks_above_a_passing_mention() {
    with_docs(SITE, |_, docs| {
        let index = Index::build(&docs);
        let found = rank(&index, &["revision"]);
        assert_eq!(docs[found[0] as usize].kind, DocKind::Entry, "{found:?}");
        assert!(found.len() >= 2, "the passing mention is found too");
        // Bandung: the note (short, and on the subject) and the paragraph.
        let found = rank(&index, &["bandung"]);
        let kinds: Vec<DocKind> = found.iter().map(|&d| docs[d as usize].kind).collect();
        assert!(kinds.contains(&DocKind::Note) && kinds.contains(&DocKind::Paragraph));
        // A text's title outranks a word in its running text.
        let found = rank(&index, &["appeal"]);
        assert_eq!(docs[found[0] as usize].kind, DocKind::Text);
        // All words must match.
        assert_eq!(
            rank(&index, &["bandung", "revision"]),
            rank(&index, &["revision", "bandung"])
        );
        assert!(rank(&index, &["bandung", "moscow"]).is_empty());
    });
}

#[test]
fn scores_grow_with_frequency_and_weight_and_shrink_with_length() {
    let avg = 50.0;
    assert!(score(3, 50, avg) > score(1, 50, avg), "more occurrences");
    assert!(score(1, 20, avg) > score(1, 200, avg), "a shorter passage");
    assert!(
        score(weight::NAME, 40, avg) > score(3, 40, avg),
        "a name above mentions"
    );
    assert!(score(weight::HEADING, 8, avg) > score(weight::BODY, 8, avg));
    // Scores saturate within the scale and never reach zero.
    assert_eq!(score(1000, 5, avg), SCALE);
    assert_eq!(score(1, 100_000, avg), 1);
}

#[test]
fn postings_round_trip_through_the_base64_varints() {
    let mut s = String::new();
    let nums = [0, 1, 31, 32, 33, 1023, 1024, 123_456, u32::MAX];
    for n in nums {
        varint(n, &mut s);
    }
    assert_eq!(read_varints(&s), nums);
    // Small numbers take one character.
    let mut one = String::new();
    varint(31, &mut one);
    assert_eq!(one.len(), 1);
    // A posting is the gap and the score in one number: a gap of 0 or 1
    // with any score is one character, never a separator of a shard.
    let pairs = [
        (0, 1),
        (0, SCALE),
        (1, 17),
        (2, 1),
        (57, 9),
        (1000, 31),
        (95_000, 12),
        (u32::MAX / 32, 5),
    ];
    let mut p = String::new();
    for (gap, score) in pairs {
        posting(gap, score, &mut p);
    }
    assert_eq!(read_postings(&p), pairs);
    assert!(!p.contains([' ', ';', '"', '\\']), "{p}");
    let mut small = String::new();
    posting(1, SCALE, &mut small);
    assert_eq!(small.len(), 1);
}

#[test]
fn records_front_code_the_stem_and_write_forms_relative_to_it() {
    with_docs(SITE, |_, docs| {
        let index = Index::build(&docs);
        let e = index.entries.iter().find(|e| e.stem == "parti").unwrap();
        let rec = index.entry_record(e, "part");
        let fields: Vec<&str> = rec.split(' ').collect();
        assert_eq!(fields[0], "4i", "four units shared with \"part\"");
        assert_eq!(fields[2], "0es,1y");
        assert_eq!(index.entry_record(e, "").split(' ').next(), Some("0parti"));
        let e = index.entries.iter().find(|e| e.stem == "bandung").unwrap();
        assert_eq!(
            index.entry_record(e, "").split(' ').count(),
            2,
            "one form, the stem: not written"
        );
    });
}

fn many_texts(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            let body: String = (0..40)
                .map(|p| format!("Paragraph {p} of text {i} speaks of word{}x and word{}y and the party.\n\n", i * 40 + p, p % 7))
                .collect();
            (format!("texts/t{i:03}.md"), format!("---\ntitle: Text {i}\n---\n{body}"))
        })
        .collect()
}

/// `texts` as the (path, contents) pairs [`with_docs`] takes.
fn as_files(texts: &[(String, String)]) -> Vec<(&str, &str)> {
    texts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect()
}

#[test]
fn the_index_is_split_into_sorted_shards_and_fragments() {
    let texts = many_texts(80);
    let files = as_files(&texts);
    with_docs(&files, |r, docs| {
        let out = collect_files(r);
        let manifest = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert_eq!(out[0].path, "search/manifest.js");
        assert!(manifest.starts_with("ScholionSearch.add(\"manifest\",{\"format\":4,"));
        let named = |c: char| -> Vec<&OutputFile> {
            out[1..]
                .iter()
                .filter(|f| f.path.rsplit('/').next().unwrap().starts_with(c))
                .collect()
        };
        let (shards, fragments) = (named('t'), named('f'));
        let typos = named('v');
        assert!(!typos.is_empty());
        assert_eq!(shards.len() + fragments.len() + typos.len() + 3, out.len());
        assert!(shards.len() > 2, "{} shards", shards.len());
        assert_eq!(fragments.len(), docs.len().div_ceil(DOCS_PER_FRAGMENT));
        for s in &shards {
            assert!(
                s.bytes.len() < SHARD_BYTES + 200,
                "{} is {} bytes",
                s.path,
                s.bytes.len()
            );
        }
        // The manifest names each shard's first stem, in order, and each
        // shard starts with it.
        let parsed: serde_json::Value = serde_json::from_str(
            manifest
                .trim_start_matches("ScholionSearch.add(\"manifest\",")
                .trim_end_matches(");\n"),
        )
        .unwrap();
        let firsts: Vec<String> = serde_json::from_value(parsed["shards"].clone()).unwrap();
        let typo_firsts: Vec<String> = serde_json::from_value(parsed["typos"].clone()).unwrap();
        assert_eq!(typo_firsts.len(), typos.len());
        assert_eq!(firsts.len(), shards.len());
        assert!(firsts.windows(2).all(|w| utf16_cmp(&w[0], &w[1]).is_lt()));
        for (i, first) in firsts.iter().enumerate() {
            let body = String::from_utf8(shards[i].bytes.clone()).unwrap();
            assert!(shards[i].path.ends_with(&format!("/t{i}.js")));
            assert!(
                body.starts_with(&format!("ScholionSearch.add(\"t{i}\",\"0{first} ")),
                "{}",
                &body[..80]
            );
        }
        // Fragments hold every document in order, read as the browser
        // reads them: an address on the page before as its #fragment, the
        // title before as 0, the text coded against the lexicon.
        let f0 = String::from_utf8(fragments[0].bytes.clone()).unwrap();
        assert!(
            f0.contains("[\"t\",\"texts/t000.html\",\"Text 0\",\"Text\",\"\"]"),
            "{}",
            &f0[..200]
        );
        let lexicon = super::lexicon::Lexicon::new(docs.iter().map(|d| d.text.as_str()));
        let data = |f: &OutputFile| -> Vec<Vec<serde_json::Value>> {
            let s = String::from_utf8(f.bytes.clone()).unwrap();
            serde_json::from_str(s[s.find('[').unwrap()..].trim_end_matches(");\n")).unwrap()
        };
        let records: Vec<Vec<serde_json::Value>> = fragments.iter().flat_map(|f| data(f)).collect();
        let (mut href, mut title) = (String::new(), String::new());
        for (i, (rec, d)) in records.iter().zip(&docs).enumerate() {
            let h = rec[1].as_str().unwrap();
            href = if i % DOCS_PER_FRAGMENT > 0 && (h.is_empty() || h.starts_with('#')) {
                format!("{}{h}", href.split('#').next().unwrap())
            } else {
                h.to_string()
            };
            title = rec[2].as_str().map_or(title, str::to_string);
            let text = lexicon.decode(rec[4].as_str().unwrap());
            assert_eq!((&href, &title, &text), (&d.href, &d.title, &d.text));
        }
    });
}

#[test]
fn the_runs_give_each_document_its_page_and_group() {
    with_docs(SITE, |r, docs| {
        let out = collect_files(r);
        let d = out.iter().find(|f| f.path.ends_with("/d.js")).unwrap();
        assert!(d.path.ends_with("/d.js"), "{}", d.path);
        let body = String::from_utf8(d.bytes.clone()).unwrap();
        let code: String = serde_json::from_str(
            body.trim_start_matches("ScholionSearch.add(\"d\",")
                .trim_end_matches(");\n"),
        )
        .unwrap();
        // Decoded as the browser decodes them: a page and a group per document.
        let nums = read_varints(&code);
        let (mut pages, mut groups) = (Vec::new(), Vec::new());
        let mut page = 0usize;
        for (i, run) in nums.chunks(2).enumerate() {
            if run[1] & 1 == 1 && i > 0 {
                page += 1;
            }
            for _ in 0..run[0] {
                pages.push(page);
                groups.push(run[1] as usize / 2);
            }
        }
        assert_eq!(pages.len(), docs.len());
        for (i, doc) in docs.iter().enumerate() {
            assert_eq!(groups[i], doc.kind.group(), "{}", doc.href);
            let first = docs
                .iter()
                .position(|o| o.href.split('#').next() == doc.href.split('#').next())
                .unwrap();
            assert_eq!(pages[first], pages[i], "{}", doc.href);
        }
        // One text (its particulars, passages, then its note), the glossary
        // and the entry's own page.
        assert_eq!(pages.last(), Some(&2));
        assert_eq!(groups.iter().filter(|&&g| g == 1).count(), 1);
        assert_eq!(groups.iter().filter(|&&g| g == 2).count(), 1);
        assert_eq!(groups.last(), Some(&3));
        let manifest = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert!(
            manifest.contains("\"n\":{\"group\":1,\"own\":false,\"whole\":false}"),
            "{manifest}"
        );
        assert!(manifest.contains("\"e\":{\"group\":3,\"own\":true,\"whole\":true}"));
        assert!(
            manifest.contains("\"b\":{\"group\":4,\"own\":true,\"whole\":false}"),
            "{manifest}"
        );
        assert!(manifest.contains(
            "\"groups\":[\"Texts\",\"Notes\",\"Glossary\",\"Entity pages\",\"Bibliography\"]"
        ));
    });
}

#[test]
fn the_typo_lists_hold_every_word_once_in_order_by_first_letters() {
    let texts = many_texts(80);
    let files = as_files(&texts);
    with_docs(&files, |_, docs| {
        let lists = Index::build(&docs).typo_lists();
        let mut words: Vec<String> = Vec::new();
        for (first, body) in &lists {
            let mut previous = String::new();
            let mut list = Vec::new();
            for code in body.split(',') {
                let shared = u32::from_str_radix(&code[..1], 36).unwrap() as usize;
                let w: String = previous.chars().take(shared).collect::<String>() + &code[1..];
                previous = w.clone();
                list.push(w);
            }
            assert_eq!(&list[0], first);
            words.extend(list);
        }
        assert!(words.windows(2).all(|w| utf16_cmp(&w[0], &w[1]).is_lt()));
        assert!(words.iter().all(|w| w.chars().count() >= 3));
        for d in &docs {
            for (_, text) in d.indexed() {
                for w in words::folded(text) {
                    if w.chars().count() >= 3
                        && w.chars().all(char::is_alphabetic)
                        && !words::is_stop_word(&w)
                    {
                        assert!(
                            words.binary_search_by(|x| utf16_cmp(x, &w)).is_ok(),
                            "{w} is listed"
                        );
                    }
                }
            }
        }
    });
}

#[test]
fn the_same_site_gives_the_same_bytes() {
    let texts = many_texts(12);
    let files = as_files(&texts);
    let build = || with_docs(&files, |r, _| collect_files(r));
    let (a, b) = (build(), build());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.path, y.path);
        assert!(x.bytes == y.bytes, "{} differs between builds", x.path);
    }
    // The version folder changes with the content.
    let mut changed = files.clone();
    changed[0].1 = "---\ntitle: Text 0\n---\nSomething else entirely.\n";
    let c = with_docs(&changed, |r, _| collect_files(r));
    assert_ne!(a[1].path, c[1].path);
}

/// A large site's postings, written out in runs while the documents come
/// and read back as the shards are written, give the very files that
/// postings held in memory give: every run written out at once, or some
/// written out and the rest held.
#[test]
fn postings_written_out_in_runs_give_the_same_files() {
    let texts = many_texts(200);
    let files = as_files(&texts);
    with_docs(&files, |r, docs| {
        let make = |over: usize| {
            let mut index = Index::new(average_length(r), "v".into());
            index.spill.over = over;
            let made = std::sync::Mutex::new(Vec::new());
            let emit = |f: OutputFile| made.lock().unwrap().push(f);
            for some in docs.chunks(500) {
                index.add(some, &emit);
            }
            let runs = index.spill.runs();
            index.finish(&emit).expect("the runs read back");
            let mut files = made.into_inner().unwrap();
            files.sort_by(|a, b| a.path.cmp(&b.path));
            (runs, files)
        };
        let (none, held) = make(usize::MAX);
        assert_eq!(none, 0, "a small index writes nothing out");
        assert!(held.iter().filter(|f| f.path.contains("/t")).count() > 3);
        for over in [0, 3_000] {
            let (runs, spilled) = make(over);
            assert!(runs >= 5, "{runs} runs written over {over} bytes");
            assert_eq!(held.len(), spilled.len());
            for (a, b) in held.iter().zip(&spilled) {
                assert_eq!(a.path, b.path);
                assert!(a.bytes == b.bytes, "{} differs over {over} bytes", a.path);
            }
        }
    });
}

#[test]
fn squeezing_is_splitting_at_white_space_and_joining_with_spaces() {
    for s in [
        "",
        "   ",
        "one",
        "  one  two\tthree\n\nfour\r\n",
        "a\u{0B}b\u{0C}c",
        "no\u{A0}break, em\u{2003}space, ideographic\u{3000}space, next\u{85}line",
        "ogham\u{1680}space, zero\u{200B}width stays, narrow\u{202F}nbsp",
        "“quoted” — dash … Tító 毛泽东 \u{1F600} end ",
    ] {
        let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(squeeze(s), want, "{s:?}");
    }
    // Every character that is white space, and every other one of two and
    // three bytes, between words, doubled and at the ends.
    for c in (0..0x1_0000u32).filter_map(char::from_u32) {
        for s in [
            format!("a{c}b"),
            format!("{c}a{c}{c}b{c}"),
            format!("x {c} y"),
        ] {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(squeeze(&s), want, "{s:?}");
        }
    }
}

#[test]
fn squeezing_long_strings_is_splitting_and_joining_too() {
    // Texts long enough to be squeezed eight bytes at a time, with white
    // space (and characters that start like it) at every place of a chunk.
    let base = "abcdefg hijklmn opqrstu vwxyz 0123 456789";
    let mut odd: Vec<String> = [
        " ",
        "  ",
        "\t",
        " \n ",
        "\r\n",
        "\u{A0}",
        " \u{A0}",
        "\u{2009} ",
        "\u{3000}",
        "\u{85}",
        "\u{1680}",
        "\u{205F}",
        "\u{200B}",
        "é",
        "—",
        "“",
        "!",
        "\u{1}",
        "\u{7F}",
        " !",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    odd.push(String::new());
    for at in 0..=base.len() {
        for o in &odd {
            let mut s = base.to_string();
            s.insert_str(at, o);
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(squeeze(&s), want, "{s:?}");
            let s = format!("{s}{o}");
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(squeeze(&s), want, "{s:?}");
        }
    }
}

#[test]
fn strings_are_escaped_as_serde_json_escapes_them() {
    let every_ascii: String = (0u8..0x80).map(|b| b as char).collect();
    let mut cases = vec![
        String::new(),
        "plain words, longer than eight bytes".to_string(),
        "\"".to_string(),
        "\\".to_string(),
        "Tító “quoted” — \u{2028} \u{7f} 毛泽东 𝔄".to_string(),
        every_ascii.clone(),
    ];
    // Every ASCII character at every place in an eight-byte chunk.
    for b in 0u8..0x80 {
        for at in 0..17 {
            let mut s = "abcdefghijklmnopq".to_string();
            s.insert(at, b as char);
            cases.push(s);
        }
    }
    for s in &cases {
        let mut out = b"x".to_vec();
        json_into(s, &mut out);
        assert_eq!(
            out[1..],
            *serde_json::to_string(s).unwrap().as_bytes(),
            "{s:?}"
        );
        assert_eq!(json(s), serde_json::to_string(s).unwrap());
    }
}

#[test]
fn the_table_of_words_finds_every_word_added_and_no_other() {
    let mut ids = FormIds::default();
    let word = |i: usize| match i % 3 {
        0 => format!("w{i}"),
        1 => format!("internationalisation{i}"),
        _ => format!("abcdefghijklm{i}"),
    };
    for i in 0..5000 {
        ids.insert(&word(i), i as u32);
    }
    for i in 0..5000 {
        let w = word(i);
        assert_eq!(ids.get(&w, words::key(&w)), Some(i as u32), "{w}");
    }
    for w in ["w5000", "x", "internationalisation5001", "abcdefghijklm"] {
        assert_eq!(ids.get(w, words::key(w)), None, "{w}");
    }
}

#[test]
fn addresses_are_joined_from_their_parts() {
    assert_eq!(cat(&["texts/a.html", "#p", "12"]), "texts/a.html#p12");
}

/// Every file of the search module and of the word rules is hashed into the
/// version, so that a change to any of them gives the files a new folder
/// and a browser never mixes shards cached from the old code with the new.
#[test]
fn the_version_hashes_every_file_that_makes_the_search_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for dir in ["search", "text/words"] {
        for entry in std::fs::read_dir(src.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                CODE.contains(&bytes.as_slice()),
                "{} is not in search::CODE",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked}");
}
