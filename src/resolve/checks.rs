//! The site-wide checks once everything is anchored: every `[[…]]` in
//! notes, definitions and pages resolves, and every glossary entry is in
//! use (with its occurrences counted for the glossary page).

use super::*;

/// Every `[[…]]` in notes, definitions and pages must resolve.
pub(super) fn check_references(resolved: &Resolved, report: &mut Report) {
    // The notes of each text on all cores, reported in text order.
    let per_text: Vec<Vec<Diagnostic>> = (0..resolved.corpus.texts.len())
        .into_par_iter()
        .map(|ti| {
            let Some(ann) = resolved.annotations(ti) else {
                return Vec::new();
            };
            let mut found = Vec::new();
            for (n, body) in ann.notes.iter().zip(ann.bodies()) {
                for e in expand(resolved, Some(ti), &body, "").1 {
                    let pos = crate::model::ref_pos(&n.body_refs, e.at).unwrap_or(n.id_pos);
                    found.push(
                        Diagnostic::error(
                            e.code,
                            ann.file.clone(),
                            format!("in note `{}`: {}", n.id, e.message),
                        )
                        .at(pos.line, pos.column)
                        .help(e.help),
                    );
                }
            }
            found
        })
        .collect();
    report.extend(per_text.into_iter().flatten());
    let g = &resolved.corpus.glossary;
    for term in g {
        for e in expand(resolved, None, &term.definition, "").1 {
            let pos = crate::model::ref_pos(&term.definition_refs, e.at).unwrap_or(term.id_pos);
            report.push(
                Diagnostic::error(
                    e.code,
                    resolved.corpus.glossary_file.clone(),
                    format!("in glossary entry `{}`: {}", term.id, e.message),
                )
                .at(pos.line, pos.column)
                .help(e.help),
            );
        }
        for (s, pos) in &term.see_also {
            if !g.iter().any(|x| x.id == *s) {
                report.push(
                    Diagnostic::error(
                        "E0321",
                        resolved.corpus.glossary_file.clone(),
                        format!(
                            "`see_also` of `{}` names `{s}`, which is not a glossary entry",
                            term.id
                        ),
                    )
                    .at(pos.line, pos.column)
                    .help(
                        crate::suggest::did_you_mean(s, g.iter().map(|x| x.id.as_str()))
                            .unwrap_or_else(|| "use the id of another entry".into()),
                    ),
                );
            }
        }
    }
    for p in &resolved.corpus.pages {
        for e in expand(resolved, None, &p.body, "").1 {
            // A page's body is its file from `body_line` on, as written.
            let before = &p.body[..e.at];
            let line = p.body_line + before.matches('\n').count();
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            report.push(
                Diagnostic::error(e.code, p.file.clone(), e.message)
                    .at(line, column)
                    .help(e.help),
            );
        }
    }
    super::bibliography::check(resolved, report);
}

/// Occurrences per entry, and the warning for entries nothing uses.
pub(super) fn glossary_use(resolved: &mut Resolved, report: &mut Report) {
    let g = &resolved.corpus.glossary;
    let mut used: BTreeSet<usize> = BTreeSet::new();
    // The passage each entry was last found in, to count passages once.
    let mut last: Vec<Option<(usize, usize)>> = vec![None; g.len()];
    for (ti, t) in resolved.texts.iter().enumerate() {
        for h in &t.terms {
            used.insert(h.term());
            let here = Some((ti, h.passage()));
            if last[h.term()] == here {
                continue;
            }
            if last[h.term()].is_none_or(|(lt, _)| lt != ti) {
                let n = |i: usize| u32::try_from(i).expect("under 4 billion texts and passages");
                resolved.occurrences[h.term()].push((n(ti), n(h.passage())));
            }
            last[h.term()] = here;
            resolved.passages_with[h.term()] += 1;
        }
    }
    // Held to the end of the build.
    resolved.occurrences.iter_mut().for_each(Vec::shrink_to_fit);
    let mut referenced: BTreeSet<String> = BTreeSet::new();
    for ann in resolved.corpus.annotations.values() {
        for body in ann.bodies() {
            referenced.extend(crate::parse::refs::glossary_ids(&body));
        }
    }
    for t in g {
        referenced.extend(crate::parse::refs::glossary_ids(&t.definition));
        referenced.extend(t.see_also.iter().map(|s| s.0.clone()));
    }
    for p in &resolved.corpus.pages {
        referenced.extend(crate::parse::refs::glossary_ids(&p.body));
    }
    // A text or annotation file that did not parse may be where an entry
    // is used: its error is the cause, so no entry is called unused.
    if !resolved.corpus.broken.texts.is_empty() {
        return;
    }
    for (i, t) in g.iter().enumerate() {
        if !used.contains(&i) && !referenced.contains(&t.id) {
            report.push(
                Diagnostic::warning("W0101", resolved.corpus.glossary_file.clone(), format!("the glossary entry `{}` is not used", t.id))
                    .at(t.id_pos.line, t.id_pos.column)
                    .help("no text contains its term or aliases, and no note, definition or see_also refers to it: add an alias that occurs, refer to it as [[id]], or remove it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_references_and_unused_entries_are_reported() {
        let text = "---\ntitle: A\n---\n\nAbout centralism here.\n";
        let notes =
            "notes:\n  - id: n\n    anchor: here\n    body: See [[nothing]] and [[used]].\n";
        let glossary = "- id: used\n  term: Used\n  kind: concept\n  definition: D.\n- id: idle\n  term: Idle\n  kind: concept\n  definition: D.\n";
        let corpus = test_corpus(&[
            ("texts/a.md", text),
            ("annotations/a.yaml", notes),
            ("glossary.yaml", glossary),
        ]);
        let mut report = Report::default();
        let r = resolve(&corpus, &mut report);
        let found: Vec<(&str, &str)> = report
            .diagnostics
            .iter()
            .map(|d| (d.code, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "E0320",
                    "in note `n`: [[nothing]] names no glossary entry or text"
                ),
                ("W0101", "the glossary entry `idle` is not used"),
            ]
        );
        assert!(r.occurrences.iter().all(|o| o.is_empty()));
        assert!(r.passages_with.iter().all(|&n| n == 0));
    }
}
