//! docs/guide.md followed as an editor follows it, on a fresh site: every
//! file the guide makes (```… file=PATH), adds to (append=PATH) or changes
//! (change=PATH: the line with the same key is replaced) is applied in the
//! guide's order, and every terminal answer it shows (output=new, output=check)
//! must be what `scholion` really answers at that point. At the end the site
//! checks clean and builds.

use std::fs;
use std::path::Path;
use std::process::Command;

struct Block {
    info: String,
    body: String,
}

/// The fenced code blocks of a Markdown file, with their info strings.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(String, String, Block)> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut open {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    let block = Block {
                        info: info.trim().to_string(),
                        body: String::new(),
                    };
                    open = Some((" ".repeat(indent), "```".into(), block));
                }
            }
            Some((pad, fence, block)) => {
                if trimmed == fence.as_str() {
                    out.push(open.take().unwrap().2);
                } else {
                    block
                        .body
                        .push_str(line.strip_prefix(pad.as_str()).unwrap_or(line));
                    block.body.push('\n');
                }
            }
        }
    }
    out
}

fn attribute<'a>(info: &'a str, key: &str) -> Option<&'a str> {
    info.split_whitespace()
        .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
}

fn scholion(dir: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_scholion"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    )
}

/// The output as the guide shows it: without the blank line that separates
/// diagnostics.
fn shown(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_guide_works_as_written() {
    let guide =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guide.md")).unwrap();
    let home = tempfile::tempdir().unwrap();
    let site = home.path().join("my-reader");
    let mut steps = 0;
    for b in blocks(&guide) {
        if let Some(output) = attribute(&b.info, "output") {
            let actual = match output {
                "new" => scholion(home.path(), &["new", "my-reader"]),
                "check" => scholion(&site, &["check"]),
                other => panic!("the guide shows the output of an unknown step {other}"),
            };
            assert_eq!(
                shown(&b.body),
                shown(&actual),
                "the guide shows what `scholion {output}` answers"
            );
        } else if let Some(path) = attribute(&b.info, "file") {
            assert!(!site.join(path).exists(), "{path} is a new file");
            fs::create_dir_all(site.join(path).parent().unwrap()).unwrap();
            fs::write(site.join(path), &b.body).unwrap();
        } else if let Some(path) = attribute(&b.info, "append") {
            let mut text = fs::read_to_string(site.join(path)).unwrap();
            text.push_str(&b.body);
            fs::write(site.join(path), text).unwrap();
        } else if let Some(path) = attribute(&b.info, "change") {
            let new = b.body.trim_end_matches('\n');
            let key = &new[..new.find(':').unwrap() + 1];
            let text = fs::read_to_string(site.join(path)).unwrap();
            assert_eq!(text.matches(key).count(), 1, "{path} has one line {key:?}");
            let changed: Vec<&str> = text
                .lines()
                .map(|l| if l.starts_with(key) { new } else { l })
                .collect();
            fs::write(site.join(path), changed.join("\n") + "\n").unwrap();
        } else {
            continue;
        }
        steps += 1;
    }
    assert!(steps >= 7, "the guide's steps were found ({steps})");
    // The guide then puts the quote back; the site is clean and builds.
    let annotations = site.join("content/annotations/preamble.yaml");
    let text = fs::read_to_string(&annotations).unwrap();
    fs::write(
        &annotations,
        text.replace(
            "insure domestic tranquillity",
            "insure domestic Tranquility",
        ),
    )
    .unwrap();
    let check = scholion(&site, &["check", "--deny-warnings"]);
    assert!(check.contains("; 0 error(s), 0 warning(s)"), "{check}");
    scholion(&site, &["build"]);
    let page = fs::read_to_string(site.join("public/texts/preamble.html")).unwrap();
    assert!(page.contains("Shays"), "the note is on the page");
    assert!(
        page.contains("glossary.html#more-perfect-union"),
        "the term is linked"
    );
}
