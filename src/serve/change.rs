//! What a change on disk means for the preview. The watcher reports changed
//! paths (relative to the site root, `/`-separated); this module turns each
//! into a `ChangeKind` and a set of them into a `Plan`: do nothing, refresh
//! only the static files, or recompile the site. These are pure functions so
//! every rule can be tested without a file system or a clock.

use std::fmt;

/// How a file changed between two scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Added,
    Modified,
    Removed,
}

/// One changed path and how it changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Relative to the site root, `/`-separated: `content/texts/a.md`.
    pub path: String,
    pub op: Op,
}

/// What a changed file is, in the terms of a site folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// `content/site.yaml`: title, edition, licence (every page shows them).
    Site,
    /// `content/glossary.yaml`.
    Glossary,
    /// `content/texts/<slug>.md`.
    Text(String),
    /// `content/annotations/<slug>.yaml`: the notes and links of one text.
    Annotations(String),
    /// `content/pages/<name>.md`.
    Page(String),
    /// Anything else under `content/` (the build warns about unused files).
    OtherContent,
    /// A file under `templates/`.
    Templates,
    /// A file under `static/`, copied to the site as it is.
    Static,
    /// An editor's temporary or backup file, a hidden file in `content/`,
    /// or a path outside the watched folders: never worth a rebuild.
    Ignored,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeKind::Site => write!(f, "site settings"),
            ChangeKind::Glossary => write!(f, "glossary"),
            ChangeKind::Text(s) => write!(f, "text {s}"),
            ChangeKind::Annotations(s) => write!(f, "annotations of {s}"),
            ChangeKind::Page(s) => write!(f, "page {s}"),
            ChangeKind::OtherContent => write!(f, "content"),
            ChangeKind::Templates => write!(f, "templates"),
            ChangeKind::Static => write!(f, "static files"),
            ChangeKind::Ignored => write!(f, "ignored"),
        }
    }
}

/// What the preview does about a set of changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Only ignored files changed.
    Nothing,
    /// Only files under `static/` were added or changed: re-read the static
    /// files and swap them in; no page is rendered.
    Static,
    /// Anything else: compile the whole site in memory, then swap in the
    /// files whose bytes changed.
    Full,
}

/// True for the temporary and backup files editors write beside the file
/// being saved (Vim's `.x.swp` and `4913`, Emacs's `.#x` and `#x#`, `x~`,
/// JetBrains' `___jb_tmp___`, GNOME's `.goutputstream-*`, Kate's swap files)
/// and for the litter of file managers.
pub fn is_editor_file(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".kate-swp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.starts_with(".goutputstream-")
        || name == ".DS_Store"
        || name == "Thumbs.db"
}

/// Classifies one changed path (relative to the site root).
pub fn classify(path: &str) -> ChangeKind {
    let parts: Vec<&str> = path.split('/').collect();
    let name = parts.last().copied().unwrap_or_default();
    if is_editor_file(name) {
        return ChangeKind::Ignored;
    }
    let stem_ext = |n: &str| -> (String, String) {
        match n.rfind('.') {
            Some(i) if i > 0 => (n[..i].to_string(), n[i + 1..].to_ascii_lowercase()),
            _ => (n.to_string(), String::new()),
        }
    };
    match parts.as_slice() {
        ["content", rest @ ..] => {
            // The loader skips hidden files and folders inside content/.
            if rest.iter().any(|p| p.starts_with('.')) {
                return ChangeKind::Ignored;
            }
            match rest {
                ["site.yaml" | "site.yml"] => ChangeKind::Site,
                ["glossary.yaml" | "glossary.yml"] => ChangeKind::Glossary,
                ["texts", f] => match stem_ext(f) {
                    (stem, ext) if ext == "md" => ChangeKind::Text(stem),
                    _ => ChangeKind::OtherContent,
                },
                ["annotations", f] => match stem_ext(f) {
                    (stem, ext) if ext == "yaml" || ext == "yml" => ChangeKind::Annotations(stem),
                    _ => ChangeKind::OtherContent,
                },
                ["pages", f] => match stem_ext(f) {
                    (stem, ext) if ext == "md" => ChangeKind::Page(stem),
                    _ => ChangeKind::OtherContent,
                },
                _ => ChangeKind::OtherContent,
            }
        }
        ["templates", _, ..] => ChangeKind::Templates,
        ["static", _, ..] => ChangeKind::Static,
        _ => ChangeKind::Ignored,
    }
}

/// Decides what to do about a set of changes.
///
/// A removed static file needs the full recompile: it may have overridden a
/// built-in static file or a rendered page, which must come back.
pub fn plan(changes: &[Change]) -> Plan {
    let mut plan = Plan::Nothing;
    for c in changes {
        match classify(&c.path) {
            ChangeKind::Ignored => {}
            ChangeKind::Static if c.op != Op::Removed => {
                if plan == Plan::Nothing {
                    plan = Plan::Static;
                }
            }
            _ => return Plan::Full,
        }
    }
    plan
}

/// A one-line account of the changes for the terminal:
/// `annotations of a (content/annotations/a.yaml)`, or a count when many.
pub fn describe(changes: &[Change]) -> String {
    let relevant: Vec<&Change> = changes
        .iter()
        .filter(|c| classify(&c.path) != ChangeKind::Ignored)
        .collect();
    let one = |c: &Change| {
        let verb = match c.op {
            Op::Added => "added",
            Op::Modified => "changed",
            Op::Removed => "removed",
        };
        format!("{} {verb} ({})", classify(&c.path), c.path)
    };
    match relevant.as_slice() {
        [] => "no relevant change".to_string(),
        [c] => one(c),
        [a, b] => format!("{}; {}", one(a), one(b)),
        [a, rest @ ..] => format!("{} and {} more files", one(a), rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(path: &str, op: Op) -> Change {
        Change {
            path: path.to_string(),
            op,
        }
    }

    #[test]
    fn content_files_are_classified_by_role() {
        assert_eq!(classify("content/site.yaml"), ChangeKind::Site);
        assert_eq!(classify("content/glossary.yml"), ChangeKind::Glossary);
        assert_eq!(
            classify("content/texts/1998-cpsu-appeal.md"),
            ChangeKind::Text("1998-cpsu-appeal".into())
        );
        assert_eq!(
            classify("content/annotations/a.yaml"),
            ChangeKind::Annotations("a".into())
        );
        assert_eq!(
            classify("content/annotations/a.YML"),
            ChangeKind::Annotations("a".into())
        );
        assert_eq!(
            classify("content/pages/about.md"),
            ChangeKind::Page("about".into())
        );
        assert_eq!(classify("content/notes.txt"), ChangeKind::OtherContent);
        assert_eq!(classify("content/texts/a.txt"), ChangeKind::OtherContent);
        assert_eq!(classify("content/texts/sub/a.md"), ChangeKind::OtherContent);
    }

    #[test]
    fn templates_and_static_files_at_any_depth() {
        assert_eq!(classify("templates/text.html"), ChangeKind::Templates);
        assert_eq!(classify("templates/partials/x.html"), ChangeKind::Templates);
        assert_eq!(classify("static/img/map.png"), ChangeKind::Static);
        assert_eq!(classify("static/.nojekyll"), ChangeKind::Static);
    }

    #[test]
    fn editor_temporaries_and_hidden_content_files_are_ignored() {
        for p in [
            "content/texts/.a.md.swp",
            "content/texts/a.md~",
            "content/texts/.#a.md",
            "content/texts/#a.md#",
            "content/texts/4913",
            "content/.git/index",
            "content/texts/.hidden.md",
            "templates/text.html___jb_tmp___",
            "static/.goutputstream-XYZ123",
            "static/.DS_Store",
            "README.md",
            "public/index.html",
        ] {
            assert_eq!(classify(p), ChangeKind::Ignored, "{p}");
        }
    }

    #[test]
    fn a_save_as_rename_through_a_temporary_file_is_one_text_change() {
        // Vim: write 4913 (probe), remove it, write a.md~ (backup), write a.md.
        let burst = [
            ch("content/texts/4913", Op::Added),
            ch("content/texts/4913", Op::Removed),
            ch("content/texts/a.md~", Op::Added),
            ch("content/texts/a.md", Op::Modified),
        ];
        assert_eq!(plan(&burst), Plan::Full);
        assert_eq!(describe(&burst), "text a changed (content/texts/a.md)");
    }

    #[test]
    fn only_ignored_changes_plan_nothing() {
        assert_eq!(
            plan(&[ch("content/texts/.a.md.swp", Op::Added)]),
            Plan::Nothing
        );
        assert_eq!(plan(&[]), Plan::Nothing);
    }

    #[test]
    fn static_additions_and_edits_refresh_only_static_files() {
        let changes = [
            ch("static/extra.css", Op::Modified),
            ch("static/logo.svg", Op::Added),
        ];
        assert_eq!(plan(&changes), Plan::Static);
    }

    #[test]
    fn removed_static_file_recompiles_so_an_overridden_file_comes_back() {
        assert_eq!(plan(&[ch("static/scholion.css", Op::Removed)]), Plan::Full);
    }

    #[test]
    fn any_content_or_template_change_recompiles() {
        let s = ch("static/x.css", Op::Modified);
        for p in [
            "content/annotations/a.yaml",
            "content/site.yaml",
            "templates/base.html",
            "content/stray.txt",
        ] {
            assert_eq!(plan(&[s.clone(), ch(p, Op::Modified)]), Plan::Full, "{p}");
        }
    }

    #[test]
    fn many_changes_are_counted() {
        let changes = [
            ch("content/texts/a.md", Op::Modified),
            ch("content/texts/b.md", Op::Added),
            ch("content/texts/c.md", Op::Removed),
        ];
        assert_eq!(
            describe(&changes),
            "text a changed (content/texts/a.md) and 2 more files"
        );
    }
}
