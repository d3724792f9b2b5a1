//! A text's annotation file into [`Annotations`]: its notes, links and
//! anchors, with the syntax of every id checked.

use super::*;

pub(super) fn anchor_of(a: AnchorYaml) -> Anchor {
    match a {
        AnchorYaml::Quote(quote) => Anchor {
            quote,
            prefix: None,
            suffix: None,
        },
        AnchorYaml::Full(f) => Anchor {
            quote: f.quote,
            prefix: f.prefix,
            suffix: f.suffix,
        },
    }
}

pub(super) fn check_id(file: &str, id: &str, pos: Pos, what: &str, report: &mut Report) -> bool {
    if !is_valid_id(id) {
        report.push(
            Diagnostic::error("E0220", file, format!("the {what} id `{id}` is not valid"))
                .at(pos.line, pos.column)
                .help("ids use lower-case letters a-z, digits and hyphens, and start with a letter (e.g. twentieth-congress)"),
        );
        return false;
    }
    if is_paragraph_id(id) {
        report.push(
            Diagnostic::error(
                "E0221",
                file,
                format!("the {what} id `{id}` looks like a paragraph number"),
            )
            .at(pos.line, pos.column)
            .help(
                "`p` followed by digits is reserved for paragraphs (#p12): choose a descriptive id",
            ),
        );
        return false;
    }
    true
}

pub(super) fn parse_annotations(f: &SourceFile, report: &mut Report) -> Option<Annotations> {
    let y: AnnotationFileYaml = if f.text.trim().is_empty() {
        AnnotationFileYaml::default()
    } else {
        match yaml::parse(&f.text, &f.rel, 1) {
            Ok(y) => y,
            Err(d) => {
                report.push(d);
                return None;
            }
        }
    };
    let mut out = Annotations {
        file: f.rel.clone(),
        ..Default::default()
    };
    let mut seen: BTreeMap<String, Pos> = BTreeMap::new();
    let mut dup = |id: &str, pos: Pos, report: &mut Report| -> bool {
        if let Some(first) = seen.get(id) {
            report.push(
                Diagnostic::error("E0222", f.rel.clone(), format!("duplicate id `{id}`"))
                    .at(pos.line, pos.column)
                    .help(format!(
                        "it is first used on line {}; notes and links of a text need distinct ids",
                        first.line
                    )),
            );
            true
        } else {
            seen.insert(id.to_string(), pos);
            false
        }
    };
    let mut lines: Option<Vec<usize>> = None;
    // Held from parsing to the end of a build: no room beyond what is used.
    out.notes.reserve_exact(y.notes.len());
    out.links.reserve_exact(y.links.len());
    for n in y.notes {
        let id_pos = pos_of(&n.id);
        let id = n.id.value;
        let ok = check_id(&f.rel, &id, id_pos, "note", report);
        if dup(&id, id_pos, report) || !ok {
            continue;
        }
        out.notes.push(Note {
            id,
            id_pos,
            anchor_pos: pos_of(&n.anchor),
            anchor: anchor_of(n.anchor.value),
            kind: match n.kind {
                NoteKindYaml::Note => NoteKind::Note,
                NoteKindYaml::Editorial => NoteKind::Editorial,
                NoteKindYaml::Translation => NoteKind::Translation,
            },
            body_refs: value_refs(&f.text, &mut lines, n.body.as_ref()),
            body: n.body.map(|b| b.value).unwrap_or_default().into(),
            sources: n.sources,
        });
    }
    for l in y.links {
        let id_pos = pos_of(&l.id);
        let id = l.id.value;
        let ok = check_id(&f.rel, &id, id_pos, "link", report);
        if dup(&id, id_pos, report) || !ok {
            continue;
        }
        out.links.push(Link {
            id,
            id_pos,
            anchor_pos: pos_of(&l.anchor),
            anchor: anchor_of(l.anchor.value),
            to_pos: pos_of(&l.to),
            to: l.to.value,
            label: l.label,
        });
    }
    pages::parse_pages(&f.rel, y.pages, y.pages_start, &mut out, report);
    Some(out)
}
