//! Cross-link targets: `to:` and `[[…]]` targets parsed against the
//! resolved site, the places other texts' links may point at (kept when a
//! text's analysis is let go), and the back-references each target shows.

use super::*;

/// Per text, the places other texts' links may point at in it: a paragraph,
/// or an id that may be a note's or a link's (which one is decided later).
pub(super) fn wanted_targets(corpus: &Corpus) -> Vec<Vec<Target>> {
    let by_slug: std::collections::HashMap<&str, usize> = corpus
        .texts
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let mut wanted = vec![Vec::new(); corpus.texts.len()];
    for (ti, t) in corpus.texts.iter().enumerate() {
        let Some(ann) = corpus.annotations.get(&t.slug) else {
            continue;
        };
        for l in &ann.links {
            let Some((slug, frag)) = l.to.trim().split_once('#') else {
                continue;
            };
            let to = if slug.is_empty() {
                Some(ti)
            } else {
                by_slug.get(slug).copied()
            };
            let Some(text) = to else { continue };
            let id = frag.to_string();
            if is_paragraph_id(frag) {
                // A number past u32 names no paragraph: reported by `parse_target`.
                if let Ok(number) = frag[1..].parse() {
                    wanted[text].push(Target::Paragraph { text, number });
                }
            } else {
                wanted[text].push(Target::Note {
                    text,
                    id: id.clone(),
                });
                wanted[text].push(Target::Link { text, id });
            }
        }
    }
    wanted
}

/// Why a target did not resolve: a problem to report (message, help), or
/// `None` when the file it points into has errors of its own, already reported.
pub type TargetError = Option<(String, Option<String>)>;

/// Parses `slug#fragment`, `slug` or `#fragment` (in `from` text).
pub fn parse_target(
    resolved: &Resolved,
    from: Option<usize>,
    to: &str,
) -> Result<Target, TargetError> {
    let (slug, frag) = match to.split_once('#') {
        Some((s, f)) => (s, Some(f)),
        None => (to, None),
    };
    let broken = &resolved.corpus.broken.texts;
    let text = if slug.is_empty() {
        from.ok_or_else(|| {
            Some((
                format!("`{to}` names no text"),
                Some("write text-slug#id".to_string()),
            ))
        })?
    } else {
        resolved.text_index(slug).ok_or_else(|| {
            if broken.contains(slug) {
                return None;
            }
            let slugs: Vec<&str> = resolved
                .corpus
                .texts
                .iter()
                .map(|t| t.slug.as_str())
                .collect();
            Some((
                format!("there is no text `{slug}`"),
                crate::suggest::did_you_mean(slug, slugs.iter().copied()),
            ))
        })?
    };
    let text_broken = broken.contains(&resolved.corpus.texts[text].slug);
    let Some(frag) = frag else {
        return Ok(Target::Text { text });
    };
    if is_paragraph_id(frag) {
        // Too large for a number (p99999999999999999999999) is past the last
        // paragraph too, and named as written, never as "paragraph 0".
        let number: u32 = frag[1..].parse().unwrap_or(u32::MAX);
        let count = resolved.texts[text].facts.numbered.len() as u32;
        if number == 0 || number > count {
            let written = frag[1..].trim_start_matches('0');
            return Err(Some((
                format!(
                    "`{}` has no paragraph {} (it has {count})",
                    resolved.corpus.texts[text].slug,
                    if written.is_empty() { "0" } else { written }
                ),
                Some(format!(
                    "paragraphs are numbered p1 to p{count}; to survive edits of the text, target the id of a note or link instead"
                )),
            )));
        }
        return Ok(Target::Paragraph { text, number });
    }
    let ann = resolved.annotations(text);
    let is_note = ann.is_some_and(|a| a.notes.iter().any(|n| n.id == frag));
    let is_link = ann.is_some_and(|a| a.links.iter().any(|l| l.id == frag));
    let t = &resolved.texts[text];
    let anchored_note = t
        .notes
        .iter()
        .any(|n| ann.is_some_and(|a| a.notes[n.index].id == frag));
    let anchored_link = t
        .links
        .iter()
        .any(|l| ann.is_some_and(|a| a.links[l.index].id == frag));
    if is_note && anchored_note {
        Ok(Target::Note {
            text,
            id: frag.to_string(),
        })
    } else if is_link && anchored_link {
        Ok(Target::Link {
            text,
            id: frag.to_string(),
        })
    } else if is_note || is_link || text_broken {
        // The target did not anchor, or its file did not parse: that error
        // is reported on its own.
        Err(None)
    } else {
        let ids: Vec<&str> = ann.map(|a| a.ids().collect()).unwrap_or_default();
        Err(Some((
            format!(
                "`{}` has no note or link `{frag}`",
                resolved.corpus.texts[text].slug
            ),
            crate::suggest::did_you_mean(frag, ids.into_iter()).or(Some(
                "targets are pN (a paragraph) or the id of a note or link".into(),
            )),
        )))
    }
}

/// The passage a target points at.
pub(super) fn target_passage(resolved: &Resolved, target: &Target) -> Option<usize> {
    let t = &resolved.texts[target.text()];
    let ann = resolved.annotations(target.text());
    target_place(&t.facts, t, ann, target).map(|p| p.passage)
}

pub(super) fn link_targets(resolved: &mut Resolved, report: &mut Report) {
    let mut found: Vec<(usize, usize, Target)> = Vec::new();
    for ti in 0..resolved.texts.len() {
        let Some(ann) = resolved.annotations(ti) else {
            continue;
        };
        for (li, l) in resolved.texts[ti].links.iter().enumerate() {
            let link = &ann.links[l.index];
            match parse_target(resolved, Some(ti), link.to.trim()) {
                Ok(t) => found.push((ti, li, t)),
                Err(None) => {}
                Err(Some((msg, help))) => {
                    let mut d = Diagnostic::error(
                        "E0310",
                        ann.file.clone(),
                        format!("the target of link `{}` is not found: {msg}", link.id),
                    )
                    .at(link.to_pos.line, link.to_pos.column);
                    d = d.help(help.unwrap_or_else(|| {
                        "write `to: text-slug#pN` or `to: text-slug#note-or-link-id`".into()
                    }));
                    report.push(d);
                }
            }
        }
    }
    for (ti, li, target) in found {
        if let Some(p) = target_passage(resolved, &target) {
            let backref = Backref::new(ti, li);
            resolved.texts[target.text()]
                .backrefs
                .entry(p)
                .or_default()
                .push(backref);
        }
        resolved.texts[ti].links[li].target = Some(target);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: &str = "---\ntitle: B\n---\n\nFirst.\n\nSecond.\n";

    #[test]
    fn a_link_arrives_at_its_paragraph_and_a_wrong_one_is_reported() {
        let a = "---\ntitle: A\n---\n\nSee the second text.\n";
        let links = "links:\n  - id: l\n    anchor: second text\n    to: b#p2\n";
        let corpus = test_corpus(&[
            ("texts/a.md", a),
            ("texts/b.md", B),
            ("annotations/a.yaml", links),
        ]);
        let mut report = Report::default();
        let r = resolve(&corpus, &mut report);
        let b = r.text_index("b").unwrap();
        assert_eq!(
            r.texts[0].links[0].target,
            Some(Target::Paragraph { text: b, number: 2 })
        );
        let arriving: Vec<_> = r.texts[b].backrefs.values().flatten().collect();
        assert_eq!(arriving.len(), 1);
        assert_eq!(arriving[0].link(&r).id, "l");
        assert_eq!(arriving[0].anchored(&r).snippet, "second text");
        assert_eq!(
            parse_target(&r, Some(0), "b#p3").unwrap_err().unwrap().0,
            "`b` has no paragraph 3 (it has 2)"
        );
        assert_eq!(
            parse_target(&r, Some(0), "b#p99999999999999999999999")
                .unwrap_err()
                .unwrap()
                .0,
            "`b` has no paragraph 99999999999999999999999 (it has 2)"
        );
        let (message, help) = parse_target(&r, Some(0), "bb#p1").unwrap_err().unwrap();
        assert_eq!(message, "there is no text `bb`");
        assert_eq!(help.as_deref(), Some("did you mean `b`?"));
    }
}
