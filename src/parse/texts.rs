//! Texts and free pages: their front matter, their slugs (with a suggested
//! slug for a file name that cannot be one) and the page names Scholion
//! keeps for itself.

use super::*;

pub(super) fn check_slug(f: &SourceFile, kind: &str, report: &mut Report) -> bool {
    if is_valid_slug(&f.stem) {
        return true;
    }
    let rule = "a slug uses only lower-case letters a-z, digits and hyphens, and starts with a letter or digit";
    let help = match suggested_slug(&f.stem) {
        Some(s) if kind == "text" => format!(
            "rename it `{s}.md` ({rule}); its notes go in content/annotations/{s}.yaml and other files refer to it as [[{s}]]"
        ),
        Some(s) => format!("rename it `{s}.md` ({rule})"),
        None => format!("rename the file: {rule} (e.g. 1957-moscow-declaration.md)"),
    };
    report.push(
        Diagnostic::error(
            "E0200",
            f.rel.clone(),
            format!("the file name `{}` is not a valid {kind} slug", f.stem),
        )
        .help(help),
    );
    false
}

/// The slug a file name that is not one would become: lower case, every
/// run of other characters a hyphen (`Second Inaugural` ->
/// `second-inaugural`); `None` when nothing of it is left.
pub(crate) fn suggested_slug(stem: &str) -> Option<String> {
    let mut out = String::with_capacity(stem.len());
    for c in stem.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    is_valid_slug(&out).then_some(out)
}

pub(super) fn parse_text(f: &SourceFile, report: &mut Report) -> Option<Text> {
    if !check_slug(f, "text", report) {
        return None;
    }
    let fm = front_matter(f, report)?;
    let Some(yaml_src) = fm.yaml else {
        report.push(
            Diagnostic::error("E0202", f.rel.clone(), "the text has no front matter")
                .at(1, 1)
                .help("start the file with a front matter block:\n---\ntitle: The title of the text\n---"),
        );
        return None;
    };
    if yaml_src.trim().is_empty() {
        report.push(
            Diagnostic::error(
                "E0104",
                f.rel.clone(),
                "the front matter is empty: a text needs at least a `title`",
            )
            .at(fm.yaml_line.saturating_sub(1).max(1), 1)
            .help(
                "write the text's title between the two --- lines: `title: The title of the text`",
            ),
        );
        return None;
    }
    let y: TextFrontMatter = match yaml::parse(yaml_src, &f.rel, fm.yaml_line) {
        Ok(y) => y,
        Err(d) => {
            report.push(d);
            return None;
        }
    };
    if let Some((line, column)) = markdown::too_deep(fm.body, markdown::MAX_NESTING) {
        report.push(
            Diagnostic::error(
                "E0204",
                f.rel.clone(),
                format!(
                    "block quotes and lists are nested more than {} levels deep here",
                    markdown::MAX_NESTING
                ),
            )
            .at(fm.body_line + line - 1, column)
            .help("no text needs such nesting: this is usually a generated or damaged file; remove the repeated `>` or `- ` markers"),
        );
        return None;
    }
    Some(Text {
        slug: f.stem.clone(),
        file: f.rel.clone(),
        meta: TextMeta {
            title: y.title,
            short_title: y.short_title,
            date: y.date.map(|s| s.0),
            place: y.place,
            issued_by: y.issued_by,
            source: y.source,
            source_url: checked_url(&f.rel, "source_url", y.source_url, fm.yaml_line, report),
            translation: y.translation,
            transcription: y.transcription,
            order: y.order,
            extra: y.extra.into_iter().map(|(k, v)| (k, v.0)).collect(),
        },
        body: fm.body.to_string(),
        body_line: fm.body_line,
        body_fingerprint: None,
    })
}

/// The names of the pages Scholion writes itself at the site's root (and
/// `glossary/`, the entries' pages): a free page may not take them.
pub const RESERVED_PAGES: [&str; 7] = [
    "index",
    "glossary",
    "404",
    "search",
    "timeline",
    "map",
    "bibliography",
];

pub(super) fn parse_page(f: &SourceFile, report: &mut Report) -> Option<Page> {
    if !check_slug(f, "page", report) {
        return None;
    }
    if RESERVED_PAGES.contains(&f.stem.as_str()) {
        report.push(
            Diagnostic::error(
                "E0203",
                f.rel.clone(),
                format!(
                    "a free page may not be called `{}`: Scholion writes {}.html itself",
                    f.stem, f.stem
                ),
            )
            .help("rename the page"),
        );
        return None;
    }
    let fm = front_matter(f, report)?;
    let (title, order) = match fm.yaml.filter(|y| !y.trim().is_empty()) {
        Some(y) => match yaml::parse::<PageFrontMatter>(y, &f.rel, fm.yaml_line) {
            Ok(p) => (p.title, p.order),
            Err(d) => {
                report.push(d);
                return None;
            }
        },
        None => (None, None),
    };
    Some(Page {
        slug: f.stem.clone(),
        file: f.rel.clone(),
        title: title.unwrap_or_else(|| f.stem.clone()),
        order,
        body: fm.body.to_string(),
        body_line: fm.body_line,
    })
}

/// The front matter of a text or free page, or error E0201 when it is
/// opened and never closed.
fn front_matter<'a>(f: &'a SourceFile, report: &mut Report) -> Option<markdown::FrontMatter<'a>> {
    match markdown::split_front_matter(&f.text) {
        Ok(fm) => Some(fm),
        Err(_) => {
            report.push(
                Diagnostic::error("E0201", f.rel.clone(), "the front matter is not closed")
                    .at(1, 1)
                    .help("end the front matter with a line of three hyphens: ---"),
            );
            None
        }
    }
}
