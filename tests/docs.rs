//! The docs' links hold: every relative link and image in README.md and
//! docs/**/*.md leads to a file of the repository, and every `#anchor` to a
//! heading of its page (as GitHub makes heading anchors).

use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn markdown_files() -> Vec<PathBuf> {
    let mut out = vec![repo().join("README.md")];
    let mut stack = vec![repo().join("docs")];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The lines outside fenced code blocks.
fn outside_fences(markdown: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut fence: Option<&str> = None;
    for line in markdown.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            continue;
        }
        lines.push(line);
    }
    lines
}

/// The text outside fenced code blocks and inline code spans.
fn prose(markdown: &str) -> Vec<String> {
    outside_fences(markdown)
        .into_iter()
        .map(|line| {
            line.split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(_, part)| part)
                .collect()
        })
        .collect()
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces to
/// hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(file: &Path) -> Vec<String> {
    let text = fs::read_to_string(file).unwrap();
    let mut seen: Vec<String> = Vec::new();
    for line in outside_fences(&text) {
        let Some(h) = line.strip_prefix('#') else {
            continue;
        };
        let h = h.trim_start_matches('#');
        if !h.starts_with(' ') {
            continue;
        }
        let base = slug(h);
        let n = seen
            .iter()
            .filter(|s| **s == base || s.starts_with(&format!("{base}-")))
            .count();
        seen.push(if n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        });
    }
    seen
}

/// The targets of `[text](target)` and `![alt](target)` on a line.
fn targets(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let Some(end) = after.find(')') else { break };
        let target = after[..end].split_whitespace().next().unwrap_or("");
        out.push(target.trim_matches(|c| c == '<' || c == '>').to_string());
        rest = &after[end..];
    }
    out
}

#[test]
fn every_relative_link_in_the_docs_resolves() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in markdown_files() {
        let text = fs::read_to_string(&file).unwrap();
        let rel = file.strip_prefix(repo()).unwrap().display().to_string();
        for line in prose(&text) {
            for target in targets(&line) {
                if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let (path, anchor) = match target.split_once('#') {
                    Some((p, a)) => (p, Some(a)),
                    None => (target.as_str(), None),
                };
                let dest = if path.is_empty() {
                    file.clone()
                } else {
                    file.parent().unwrap().join(path)
                };
                checked += 1;
                if !dest.exists() {
                    broken.push(format!("{rel}: {target} (no such file)"));
                    continue;
                }
                if let Some(a) = anchor {
                    if dest.extension().is_some_and(|e| e == "md")
                        && !anchors(&dest).iter().any(|h| h == a)
                    {
                        broken.push(format!("{rel}: {target} (no such heading)"));
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(checked > 20, "the links were found ({checked})");
}

#[test]
fn anchors_are_made_as_github_makes_them() {
    assert_eq!(
        slug(" 8. Publish on GitHub Pages"),
        "8-publish-on-github-pages"
    );
    assert_eq!(
        slug(" For developers of Scholion"),
        "for-developers-of-scholion"
    );
    assert_eq!(slug(" `content/site.yaml`"), "contentsiteyaml");
    assert_eq!(
        targets("see [a](b.md#c) and ![x](guide/y.png \"t\")"),
        ["b.md#c", "guide/y.png"]
    );
}
