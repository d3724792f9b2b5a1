//! `glossary.yaml` into [`Term`]s: aliases and their matching forms, the
//! `[[…]]` references in values, one entry at a time so that a broken
//! entry costs only itself.

use super::*;

/// A term or alias as the glossary matcher sees it: normalised, and
/// compared without regard to case.
pub(super) fn match_form(s: &str) -> String {
    crate::text::normalize::normalize_quote(s).to_lowercase()
}

/// The aliases of the entry `id`, each checked against the forms of every
/// term and of the aliases before it (`forms`: folded form → entry id): an
/// empty alias, one written twice (exactly: spellings that differ by a
/// capital or a dash are the entry's own) or one that is another entry's term or
/// alias is an error and left out (the entry stays); a one-letter alias,
/// which would link every such letter standing alone, is a warning.
pub(super) fn checked_aliases(
    file: &str,
    id: &str,
    term: &str,
    aliases: Vec<Spanned<String>>,
    forms: &mut BTreeMap<String, String>,
    report: &mut Report,
) -> Vec<String> {
    let own = match_form(term);
    let mut out: Vec<String> = Vec::new();
    for a in aliases {
        let pos = pos_of(&a);
        let form = match_form(&a.value);
        let clash = if form.is_empty() {
            Some((
                format!("the glossary entry `{id}` has an empty alias"),
                "remove the empty item from `aliases:`".to_string(),
            ))
        } else if form == own {
            None
        } else {
            match forms.get(&form) {
                // Spellings of one alias (a dash, a capital) are the entry's own.
                Some(other) if other == id && !out.contains(&a.value) => None,
                Some(other) if other == id => Some((
                    format!("the alias `{}` of `{id}` is written twice", a.value),
                    "remove one of the two".to_string(),
                )),
                Some(other) => Some((
                    format!(
                        "the alias `{}` of `{id}` is also the term or an alias of `{other}`",
                        a.value
                    ),
                    format!("a word can link to one entry only: remove it from `{id}` or from `{other}`"),
                )),
                None => None,
            }
        };
        if let Some((message, help)) = clash {
            report.push(
                Diagnostic::error("E0224", file, message)
                    .at(pos.line, pos.column)
                    .help(help),
            );
            continue;
        }
        if form.chars().count() == 1 {
            report.push(
                Diagnostic::warning(
                    "W0105",
                    file,
                    format!("the alias `{}` of `{id}` is a single letter", a.value),
                )
                .at(pos.line, pos.column)
                .help("it links every such letter standing alone in the texts (an initial, a list item `a`): write the alias out in full"),
            );
        }
        forms.insert(form, id.to_string());
        out.push(a.value);
    }
    out
}

/// The positions of the `[[…]]` references in a Markdown value of a YAML
/// file `src`; `lines` holds the file's line starts once one is needed.
pub(super) fn value_refs(
    src: &str,
    lines: &mut Option<Vec<usize>>,
    value: Option<&Spanned<String>>,
) -> Vec<(usize, Pos)> {
    let Some(v) = value.filter(|v| v.value.contains("[[")) else {
        return Vec::new();
    };
    let line = pos_of(v).line.max(1);
    let starts = lines.get_or_insert_with(|| refs::line_starts(src));
    let start = starts.get(line - 1).copied().unwrap_or(src.len());
    // Held to the end of the build (a note's `body_refs`), without the room
    // left by growing.
    let mut found = refs::positions_in(src, line, start, &v.value);
    found.shrink_to_fit();
    found
}

pub(super) fn parse_glossary(
    f: &SourceFile,
    text_slugs: &BTreeSet<&str>,
    report: &mut Report,
) -> Vec<Term> {
    if f.text.trim().is_empty() {
        return Vec::new();
    }
    // A malformed entry is reported and left out; the others stay linked.
    let (y, errors): (Vec<TermYaml>, _) = yaml::parse_list(&f.text, &f.rel);
    report.extend(errors);
    let mut seen: BTreeMap<String, Pos> = BTreeMap::new();
    let mut out = Vec::new();
    let mut lines: Option<Vec<usize>> = None;
    // Every term's form as matched (folded), for clashes with the aliases.
    let mut forms: BTreeMap<String, String> = y
        .iter()
        .map(|t| (match_form(&t.term), t.id.value.clone()))
        .collect();
    for t in y {
        let id_pos = shift(pos_of(&t.id), 1);
        let id = t.id.value;
        if !check_id(&f.rel, &id, id_pos, "glossary", report) {
            continue;
        }
        if let Some(first) = seen.get(&id) {
            report.push(
                Diagnostic::error(
                    "E0222",
                    f.rel.clone(),
                    format!("duplicate glossary id `{id}`"),
                )
                .at(id_pos.line, id_pos.column)
                .help(format!(
                    "it is first used on line {}; give each entry its own id",
                    first.line
                )),
            );
            continue;
        }
        if text_slugs.contains(id.as_str()) {
            report.push(
                Diagnostic::error(
                    "E0223",
                    f.rel.clone(),
                    format!("the glossary id `{id}` is also the slug of a text"),
                )
                .at(id_pos.line, id_pos.column)
                .help("[[id]] references would be ambiguous: rename the glossary entry"),
            );
            continue;
        }
        seen.insert(id.clone(), id_pos);
        let kind = match t.kind {
            TermKindYaml::Concept => TermKind::Concept,
            TermKindYaml::Person => TermKind::Person,
            TermKindYaml::Organisation => TermKind::Organisation,
            TermKindYaml::Place => TermKind::Place,
            TermKindYaml::Event => TermKind::Event,
            TermKindYaml::Work => TermKind::Work,
        };
        let entity_yaml = entity::EntityYaml {
            wikidata: t.wikidata,
            viaf: t.viaf,
            gnd: t.gnd,
            geonames: t.geonames,
            born: t.born,
            died: t.died,
            date: t.date,
            coordinates: t.coordinates,
        };
        let entity = entity::entity_data(&f.rel, &id, kind, entity_yaml, report);
        let aliases = checked_aliases(&f.rel, &id, &t.term, t.aliases, &mut forms, report);
        out.push(Term {
            id,
            id_pos,
            term: t.term,
            kind,
            aliases,
            link: match t.link {
                LinkModeYaml::First => LinkMode::First,
                LinkModeYaml::All => LinkMode::All,
                LinkModeYaml::None => LinkMode::None,
            },
            definition_refs: value_refs(&f.text, &mut lines, t.definition.as_ref()),
            definition: t.definition.map(|d| d.value).unwrap_or_default(),
            see_also: t
                .see_also
                .into_iter()
                .map(|s| (s.value.clone(), pos_of(&s)))
                .collect(),
            sources: t.sources,
            sort: t.sort.filter(|s| !s.trim().is_empty()),
            entity,
        });
    }
    out
}
