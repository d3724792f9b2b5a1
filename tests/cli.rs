//! End-to-end tests: the real `scholion` binary on real site folders (the
//! default site of the repository and the fixtures in tests/fixtures/),
//! checking what a user sees: pages, messages, exit codes, files left alone.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "cli/apparatus.rs"]
mod apparatus;
#[path = "cli/bad_input.rs"]
mod bad_input;
#[path = "cli/hostile.rs"]
mod hostile;
#[path = "cli/import_sources.rs"]
mod import_sources;
#[path = "cli/pages.rs"]
mod pages;
#[path = "cli/properties.rs"]
mod properties;
#[path = "cli/publishing.rs"]
mod publishing;
#[path = "cli/root_cause.rs"]
mod root_cause;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scholion"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Copies a folder tree (a fixture) so a test can change it.
fn copy_tree(from: &Path, to: &Path) {
    for e in walk(from) {
        let rel = e.strip_prefix(from).unwrap();
        let dest = to.join(rel);
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::copy(&e, &dest).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn build(root: &Path, out: &Path) -> Output {
    run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

/// Removes every `<tag class="class"…>…</tag>` element, nested ones included.
fn remove_elements(html: &str, tag: &str, class: &str) -> String {
    let open = format!("<{tag} class=\"{class}\"");
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        out.push_str(&rest[..i]);
        let mut depth = 0usize;
        let mut j = i;
        loop {
            let next_open = rest[j + 1..].find(&format!("<{tag}")).map(|k| k + j + 1);
            let next_close = rest[j..]
                .find(&format!("</{tag}>"))
                .map(|k| k + j)
                .expect("balanced markup");
            match next_open {
                Some(o) if o < next_close => {
                    depth += 1;
                    j = o;
                }
                _ => {
                    if depth == 0 {
                        j = next_close + tag.len() + 3;
                        break;
                    }
                    depth -= 1;
                    j = next_close + 1;
                }
            }
        }
        rest = &rest[j..];
    }
    out.push_str(rest);
    out
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Words after folding quote and dash styles; Markdown's own markup
/// characters (emphasis stars, autolink brackets) are not words.
fn words(s: &str) -> Vec<String> {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            '\u{a0}' => ' ',
            c => c,
        })
        .filter(|c| !matches!(c, '*' | '<' | '>'))
        .collect();
    folded.split_whitespace().map(str::to_string).collect()
}

/// The text of a reader page as the reader reads it, without Scholion's
/// additions (margin numbers, note markers, "Referenced from" lines).
fn reader_words(page: &str) -> Vec<String> {
    let start = page.find("<div class=\"text-body\">").expect("a text body");
    let end = page[start..]
        .find("<section class=\"endnotes\"")
        .map(|e| e + start)
        .unwrap_or(page.len());
    let mut body = page[start..end].to_string();
    body = remove_elements(&body, "a", "pnum");
    body = remove_elements(&body, "sup", "noteref-wrap");
    body = remove_elements(&body, "span", "referenced-from");
    words(&strip_tags(&body))
}

#[test]
fn default_site_checks_clean_and_meets_the_edition_counts() {
    let o = run(&[
        "check",
        "--root",
        repo().to_str().unwrap(),
        "--deny-warnings",
    ]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("0 error(s), 0 warning(s)"), "{out}");
    let summary = out
        .lines()
        .find(|l| l.starts_with("checked: "))
        .expect("a summary line");
    let count = |what: &str| -> usize {
        summary
            .split([':', ',', ';'])
            .find(|p| p.trim().ends_with(what))
            .and_then(|p| p.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count of {what} in {summary}"))
    };
    assert_eq!(count("texts"), 2);
    assert!(count("notes") >= 60, "{summary}");
    assert!(count("links") >= 12, "{summary}");
    assert!(count("glossary entries") >= 45, "{summary}");
}

#[test]
fn published_texts_keep_the_seed_words_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let o = build(&repo(), &out);
    assert!(o.status.success(), "{}", text(&o));
    for slug in ["1957-moscow-declaration", "1998-cpsu-appeal"] {
        let seed =
            fs::read_to_string(repo().join(format!("tests/fixtures/seeds/{slug}.txt"))).unwrap();
        let page = fs::read_to_string(out.join(format!("texts/{slug}.html"))).unwrap();
        let (expected, got) = (words(&seed), reader_words(&page));
        if let Some(i) = expected.iter().zip(&got).position(|(a, b)| a != b) {
            panic!(
                "{slug}: word {i} differs: seed {:?} vs page {:?}",
                &expected[i.saturating_sub(3)..(i + 4).min(expected.len())],
                &got[i.saturating_sub(3)..(i + 4).min(got.len())]
            );
        }
        assert_eq!(
            expected.len(),
            got.len(),
            "{slug}: the page has a different number of words"
        );
    }
}

/// An entry's page lists each text once: its first occurrence with the
/// words around it, the others as links; every occurrence of every entry
/// is counted, a paragraph is linked once in a row ("¶ 67 (2×)", not
/// "¶ 67, ¶ 67", with no-break spaces so that the label never wraps), and
/// each link names an element of the reader page.
#[test]
fn entries_pages_fold_each_texts_occurrences_and_link_every_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let o = build(&repo(), &out);
    assert!(o.status.success(), "{}", text(&o));
    let (mut compact, mut merged) = (0, 0);
    for e in fs::read_dir(out.join("glossary")).unwrap() {
        let path = e.unwrap().path();
        let page = fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let Some(list) = page.split("<ol class=\"entity-texts\">").nth(1) else {
            assert!(page.contains("does not occur in the texts"), "{name}");
            continue;
        };
        let list = list.split("</ol>").next().unwrap();
        let total: usize = page
            .split("<p class=\"entity-count\">")
            .nth(1)
            .and_then(|c| c.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no count"));
        let mut links = 0;
        for item in list.split("<li><cite>").skip(1) {
            let count: usize = item
                .split("<small>(")
                .nth(1)
                .and_then(|c| c.split(')').next())
                .map_or(1, |n| n.parse().unwrap());
            let hrefs: Vec<&str> = item
                .split("<a href=\"")
                .skip(1)
                .map(|a| a.split('"').next().unwrap())
                .collect();
            let labels: Vec<&str> = item
                .split("<a href=\"")
                .skip(1)
                .map(|a| a.split_once('>').unwrap().1.split("</a>").next().unwrap())
                .collect();
            for pair in labels.windows(2) {
                assert_ne!(pair[0], pair[1], "{name}: a paragraph listed twice: {item}");
            }
            let times: usize = labels
                .iter()
                .map(|l| {
                    let (place, times) = match l.split_once("\u{a0}(") {
                        Some((p, t)) => {
                            let n: usize = t.strip_suffix("\u{d7})").unwrap().parse().unwrap();
                            assert!(n > 1, "{name}: \"(1×)\" is not written: {l:?}");
                            (p, n)
                        }
                        None => (*l, 1),
                    };
                    assert!(
                        place == "footnote"
                            || place
                                .strip_prefix("\u{b6}\u{a0}")
                                .is_some_and(|n| n.parse::<usize>().is_ok()),
                        "{name}: \"¶\", a no-break space, the number: {l:?}"
                    );
                    times
                })
                .sum();
            assert_eq!(times, count, "{name}: every occurrence counted: {item}");
            merged += usize::from(hrefs.len() < count);
            assert_eq!(
                item.matches("<mark>").count(),
                1,
                "{name}: one line in context: {item}"
            );
            assert_eq!(item.contains("Also <a"), hrefs.len() > 1, "{name}: {item}");
            compact += hrefs.len() - 1;
            links += times;
            for h in hrefs {
                let (file, id) = h.trim_start_matches("../").split_once('#').unwrap();
                let reader = fs::read_to_string(out.join(file)).unwrap();
                assert_eq!(
                    reader.matches(&format!(" id=\"{id}\"")).count(),
                    1,
                    "{name}: {h} names one element"
                );
            }
        }
        assert_eq!(links, total, "{name}: every occurrence is linked");
    }
    assert!(compact > 0, "some occurrences are compact links");
    assert!(merged > 0, "some paragraphs have the term more than once");
}

#[test]
fn same_input_gives_byte_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert!(build(&repo(), &a).status.success());
    assert!(build(&repo(), &b).status.success());
    let files_a: Vec<PathBuf> = walk(&a)
        .iter()
        .map(|p| p.strip_prefix(&a).unwrap().to_path_buf())
        .collect();
    let files_b: Vec<PathBuf> = walk(&b)
        .iter()
        .map(|p| p.strip_prefix(&b).unwrap().to_path_buf())
        .collect();
    assert_eq!(files_a, files_b);
    for f in files_a {
        assert!(
            fs::read(a.join(&f)).unwrap() == fs::read(b.join(&f)).unwrap(),
            "{} differs",
            f.display()
        );
    }
}

/// The body of each reader page of the fixture is compared with a reviewed
/// snapshot. After an intended change, run with UPDATE_SNAPSHOTS=1 and review
/// the diff of tests/fixtures/basic/expected/.
#[test]
fn fixture_pages_match_reviewed_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let o = build(&fixture("basic"), &out);
    assert!(o.status.success(), "{}", text(&o));
    let expected_dir = fixture("basic").join("expected");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    for slug in ["first-text", "second-text"] {
        let page = fs::read_to_string(out.join(format!("texts/{slug}.html"))).unwrap();
        let start = page.find("<div class=\"text-body\">").unwrap();
        let end = page
            .find("</section>")
            .map(|e| e + "</section>".len())
            .unwrap_or(page.len());
        let body = &page[start..end];
        let snap = expected_dir.join(format!("{slug}.body.html"));
        if update {
            fs::create_dir_all(&expected_dir).unwrap();
            fs::write(&snap, body).unwrap();
        } else {
            let want =
                fs::read_to_string(&snap).expect("a snapshot (create it with UPDATE_SNAPSHOTS=1)");
            assert!(want == body, "{slug}: the page differs from {}; review and update with UPDATE_SNAPSHOTS=1\n--- got:\n{body}", snap.display());
        }
    }
}

#[test]
fn every_page_of_the_fixture_is_published_at_its_url() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    assert!(build(&fixture("basic"), &out).status.success());
    for f in [
        "index.html",
        "glossary.html",
        "about.html",
        "texts/first-text.html",
        "texts/second-text.html",
        "scholion.css",
        ".scholion-output",
    ] {
        assert!(out.join(f).is_file(), "{f} is missing");
    }
    let glossary = fs::read_to_string(out.join("glossary.html")).unwrap();
    assert!(glossary.contains("id=\"revisionism\""));
    assert!(
        glossary.contains("href=\"texts/first-text.html#p6\""),
        "the glossary lists where a term appears"
    );
    let about = fs::read_to_string(out.join("about.html")).unwrap();
    assert!(
        about.contains("href=\"texts/first-text.html#p2\""),
        "[[text#pN]] in a page links relative to the root"
    );
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("href=\"texts/first-text.html\""));
    for page in walk(&out)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = fs::read_to_string(page).unwrap();
        assert!(
            !html.contains("href=\"/"),
            "{}: links must be relative",
            page.display()
        );
        assert!(
            !html.contains("src=\"/"),
            "{}: sources must be relative",
            page.display()
        );
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    let out = dir.path().join("out");
    assert!(build(&site, &out).status.success());
    let before = fs::read(out.join("texts/first-text.html")).unwrap();
    let ann = site.join("content/annotations/first-text.yaml");
    let broken = fs::read_to_string(&ann).unwrap().replace(
        "principle of peaceful coexistence",
        "principle of peaceful co-existence",
    );
    fs::write(&ann, broken).unwrap();
    let o = build(&site, &out);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(fs::read(out.join("texts/first-text.html")).unwrap(), before);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary folders are left behind: {leftovers:?}"
    );
}

#[test]
fn a_quote_not_found_names_the_file_line_id_and_closest_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    let ann = site.join("content/annotations/first-text.yaml");
    let broken = fs::read_to_string(&ann).unwrap().replace(
        "anchor: { quote: \"quoted paragraph\"",
        "anchor: { quote: \"quoted paragrph\"",
    );
    fs::write(&ann, broken).unwrap();
    let o = run(&["check", "--root", site.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("content/annotations/first-text.yaml:12:"),
        "{out}"
    );
    assert!(out.contains("`quoted`"), "{out}");
    assert!(
        out.contains("¶ 5"),
        "the hint names the closest paragraph: {out}"
    );
}

#[test]
fn an_ambiguous_quote_lists_each_place() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    let ann = site.join("content/annotations/first-text.yaml");
    let broken = fs::read_to_string(&ann).unwrap().replace(
        "anchor: { quote: \"quoted paragraph\", prefix: \"A \", suffix: \".\" }",
        "anchor: quoted paragraph",
    );
    fs::write(&ann, broken).unwrap();
    let o = run(&["check", "--root", site.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains("occurs 2 times") && out.contains("¶ 5") && out.contains("¶ 6"),
        "{out}"
    );
}

#[test]
fn unknown_keys_and_bad_targets_are_errors_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    let ann = site.join("content/annotations/second-text.yaml");
    let s = fs::read_to_string(&ann)
        .unwrap()
        .replace("    label: Echoes", "    lable: Echoes");
    fs::write(&ann, s).unwrap();
    let ann1 = site.join("content/annotations/first-text.yaml");
    let s = fs::read_to_string(&ann1)
        .unwrap()
        .replace("to: second-text#p1", "to: secnd-text#p1");
    fs::write(&ann1, s).unwrap();
    let o = run(&["check", "--root", site.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains("content/annotations/second-text.yaml:"),
        "{out}"
    );
    assert!(out.contains("lable"), "{out}");
    assert!(out.contains("did you mean `second-text`?"), "{out}");
}

#[test]
fn a_foreign_folder_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("thesis");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("chapter1.docx"), "precious").unwrap();
    let o = build(&fixture("basic"), &out);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("did not create"));
    assert_eq!(
        fs::read_to_string(out.join("chapter1.docx")).unwrap(),
        "precious"
    );
    let o = build(&fixture("basic"), &fixture("basic").join("content"));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn site_templates_and_static_files_override_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::write(site.join("templates/page.html"), "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ page.title }}</p>{% endblock content %}").unwrap();
    fs::create_dir_all(site.join("static")).unwrap();
    fs::write(site.join("static/.nojekyll"), "").unwrap();
    fs::write(site.join("static/CNAME"), "reader.example.org\n").unwrap();
    let out = dir.path().join("out");
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", text(&o));
    assert!(fs::read_to_string(out.join("about.html"))
        .unwrap()
        .contains("<p class=\"custom\">About this reader</p>"));
    assert!(out.join(".nojekyll").is_file());
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "reader.example.org\n"
    );
    assert!(
        out.join("scholion.css").is_file(),
        "built-in files not overridden are still there"
    );
}

#[test]
fn hostile_markup_never_reaches_a_page_as_live_html() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixture("basic"), &site);
    let t = site.join("content/texts/second-text.md");
    let s = fs::read_to_string(&t).unwrap().replace(
        "title: The Second Text",
        "title: \"The <script>alert(1)</script> Text\"",
    ) + "\n<script>alert(3)</script>\n\n<img src=x onerror=alert(4)> [x](javascript:alert(5)) ![y](data:text/html,6)\n";
    fs::write(&t, s).unwrap();
    let ann = site.join("content/annotations/second-text.yaml");
    let s = fs::read_to_string(&ann).unwrap().replace(
        "A slogan;",
        "<script>alert(7)</script> <a href=\"javascript:alert(8)\">x</a> A slogan;",
    );
    fs::write(&ann, s).unwrap();
    let g = site.join("content/glossary.yaml");
    let s = fs::read_to_string(&g).unwrap().replace(
        "definition: A city.",
        "definition: \"<iframe src=javascript:alert(9)></iframe> A city.\"\n  aliases: [\"</script><script>alert(10)</script>\"]",
    );
    fs::write(&g, s).unwrap();
    let out = dir.path().join("out");
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", text(&o));
    for page in walk(&out)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = fs::read_to_string(page).unwrap();
        assert!(
            html.contains("&lt;script&gt;alert"),
            "hostile markup shows as text in {}",
            page.display()
        );
        for (at, _) in html.match_indices("<script type=\"application/ld+json\">") {
            let data = &html[at + 35..];
            let data = &data[..data.find("</script>").expect("a closed JSON-LD block")];
            assert!(
                !data.contains('<'),
                "{}: markup inside JSON-LD: {data}",
                page.display()
            );
        }
        for tag in real_tags(&html).into_iter().filter(|t| !t.starts_with('/')) {
            let t = tag.to_ascii_lowercase();
            let name: String = t
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                !["iframe", "object", "embed", "img"].contains(&name.as_str())
                    || !t.contains("src=x"),
                "{}: live <{name}>: {tag}",
                page.display()
            );
            assert!(
                !["iframe", "object", "embed"].contains(&name.as_str()),
                "{}: live <{name}>",
                page.display()
            );
            // A JSON-LD block is data, never run; its contents are checked
            // below to hold no markup that could end it.
            if name == "script" && t != "script type=\"application/ld+json\"" {
                assert!(
                    t.contains(" src=\"") && !t.contains(':'),
                    "{}: only the site's own scripts: {tag}",
                    page.display()
                );
            }
            assert!(
                !t.contains("javascript:") && !t.contains("data:text"),
                "{}: unsafe URL in {tag}",
                page.display()
            );
            let has_handler = t
                .split_whitespace()
                .any(|attr| attr.starts_with("on") && attr.contains('='));
            assert!(!has_handler, "{}: event handler in {tag}", page.display());
        }
    }
}

/// The tags of an HTML page (text is escaped, so every `<` starts a tag).
fn real_tags(html: &str) -> Vec<&str> {
    html.split('<')
        .skip(1)
        .filter_map(|s| s.split('>').next())
        .collect()
}

#[test]
fn usage_errors_exit_with_2_and_content_errors_with_1() {
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("no content folder"));
}
