//! `scholion import sources`: an edition whose notes and glossary entries
//! list their sources as plain text moves over to the bibliography. Each
//! plain-text `sources:` item becomes a citation by key (`"@zubok2007, p. 12"`):
//! of the work the bibliography already has when the item names its title,
//! or of a new stub entry added to `content/bibliography.bib` for the editor
//! to complete. The same text in several notes becomes one work.
//!
//! What the files hold is kept: comments, order, quoting and every other line
//! stay as they are; only the scalar of each converted item is replaced, and
//! a file is written only when reading it back gives exactly the expected
//! sources. An item the command cannot replace safely (a block scalar, a
//! plain scalar over several lines) is named with its file and line and left
//! as it was. Files are written beside and renamed over, as `import
//! hypothesis` writes them.

use super::{read_existing, replace, ImportError};
use crate::bibliography::cite;
use crate::diagnostics::Report;
use crate::parse::yaml;
use crate::text::words::fold;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The file the new works go to, relative to the site root.
pub const BIB_FILE: &str = "content/bibliography.bib";

/// What `import sources` did, or would do with `--dry-run`.
#[derive(Debug, Default)]
pub struct SourcesOutcome {
    /// Keys of the stub works added to [`BIB_FILE`], in the order written.
    pub added: Vec<String>,
    /// Items now citing a work the bibliography already had.
    pub matched: usize,
    /// Items now citing a stub.
    pub cited_stubs: usize,
    /// Files rewritten (relative to the root), with how many items each.
    pub files: Vec<(String, usize)>,
    /// Items left as they were: file, line, the item, why.
    pub left: Vec<(String, usize, String, String)>,
}

#[derive(Deserialize, Default)]
struct AnnotationSources {
    #[serde(default)]
    notes: Vec<ItemSources>,
}

#[derive(Deserialize)]
struct ItemSources {
    #[serde(default)]
    sources: Vec<Spanned<String>>,
}

/// A plain-text source taken apart: the work it names and the page cited.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) work: String,
    pub(crate) locator: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) title: String,
    pub(crate) year: Option<String>,
    pub(crate) url: Option<String>,
    /// The publisher of a closing `(Publisher, 2007)`.
    pub(crate) publisher: Option<String>,
    /// The periodical or reference work of an article: `*Time*`.
    pub(crate) container: Option<String>,
    /// The name is an editor's (`(ed.)`), not an author's.
    pub(crate) editor: bool,
    /// The title was set in italics, as a book's is.
    pub(crate) italic: bool,
}

/// `…, p. 12` / `…, pp. 12–14` at the end: the work, and `p. 12`.
fn split_locator(s: &str) -> (&str, Option<&str>) {
    let t = s.trim().trim_end_matches('.');
    for mark in [", pp. ", ", p. ", ", pp ", ", p "] {
        if let Some(i) = t.rfind(mark) {
            let loc = &t[i + 2..];
            let digits = &t[i + mark.len()..];
            let pagey = !digits.is_empty()
                && digits
                    .chars()
                    .all(|c| c.is_ascii_digit() || "ivxlcdm–-—, ".contains(c.to_ascii_lowercase()))
                && digits
                    .chars()
                    .any(|c| c.is_ascii_digit() || "ivxlcdm".contains(c));
            if pagey {
                return (t[..i].trim(), Some(loc));
            }
        }
    }
    (s.trim(), None)
}

/// The first address in `s`, and `s` without it (a Markdown link keeps its
/// words, an `<…>` autolink goes).
fn take_url(s: &str) -> (String, Option<String>) {
    let Some(start) = s.find("https://").or_else(|| s.find("http://")) else {
        return (s.to_string(), None);
    };
    let end = s[start..]
        .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
        .map_or(s.len(), |e| start + e);
    let url = s[start..end].trim_end_matches(['.', ',']).to_string();
    let before = &s[..start];
    let after = &s[end..];
    let rest = if before.ends_with("](") && after.starts_with(')') {
        // [words](url): the words stay, unbracketed.
        let open = before[..before.len() - 2].rfind('[');
        match open {
            Some(o) => format!(
                "{}{}{}",
                &before[..o],
                &before[o + 1..before.len() - 2],
                &after[1..]
            ),
            None => format!("{before}{after}"),
        }
    } else if before.ends_with('<') && after.starts_with('>') {
        format!("{}{}", &before[..before.len() - 1], &after[1..])
    } else {
        format!("{before}{after}")
    };
    (rest, Some(url))
}

/// The first span between `open` and `close` of at least two characters.
fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<(usize, &'a str, usize)> {
    let i = s.find(open)?;
    let from = i + open.len();
    let j = s[from..].find(close)? + from;
    (j - from >= 2).then(|| (i, &s[from..j], j + close.len()))
}

/// A plain-text source read as far as its form allows: a title in italics
/// or quotation marks with the author before it, a year, an address and a
/// page at the end. What cannot be told stays in the title.
pub(crate) fn parse_source(s: &str) -> Parsed {
    let (work, locator) = split_locator(s);
    let (rest, url) = take_url(work);
    let rest = rest.trim().trim_end_matches([',', ';', ' ', '.']);
    let (bare, publisher, imprint_year) = take_imprint(rest);
    let spans = [
        ("*", "*", true),
        ("_", "_", true),
        ("“", "”", false),
        ("\"", "\"", false),
    ];
    let found = spans
        .iter()
        .filter_map(|(o, c, it)| between(rest, o, c).map(|b| (b, *it)))
        .min_by_key(|((i, _, _), _)| *i);
    // A title in marks counts when what stands before it can be a name.
    let found = found.filter(|((i, _, _), _)| {
        let a = rest[..*i].trim();
        a.is_empty()
            || name_like(strip_editor(a).0)
            || (!a.contains('(') && a.chars().count() <= 60)
    });
    let (author, title, italic) = match found {
        Some(((i, t, _), it)) => {
            let a = rest[..i].trim().trim_end_matches([',', ':', ' ']);
            // A full stop after a name goes; after an initial ("M.") it stays.
            let a = match a.strip_suffix('.') {
                Some(b) if b.rsplit(' ').next().is_some_and(|w| w.chars().count() > 1) => b,
                _ => a,
            }
            .trim();
            let a = (!a.is_empty() && a.chars().count() <= 100).then(|| a.to_string());
            (a, t.trim().trim_end_matches(',').to_string(), it)
        }
        // "First Last, Title (Publisher, 2007)", the note form of
        // Chicago: a name, a comma, then the title.
        None => match bare.split_once(", ") {
            Some((a, t))
                if name_like(strip_editor(a).0)
                    && t.chars().filter(|c| c.is_alphabetic()).count() >= 3 =>
            {
                (Some(a.to_string()), t.trim().to_string(), false)
            }
            _ => (None, bare.to_string(), false),
        },
    };
    let (author, editor) = match author {
        Some(a) => {
            let (name, ed) = strip_editor(&a);
            (Some(name.to_string()), ed)
        }
        None => (None, false),
    };
    // "Title", *Journal* or "Title", Time: the periodical or reference
    // work an article in quotation marks belongs to.
    let container = found.filter(|(_, it)| !it).and_then(|((_, _, end), _)| {
        let after = rest[end..].trim_start_matches([',', '.', ' ']);
        let c = match after.chars().next()? {
            m @ ('*' | '_') => after[1..].split(m).next()?,
            _ => after.split([',', '(']).next()?.trim(),
        };
        (name_like(c) && c.chars().count() >= 2).then(|| c.to_string())
    });
    let italic = italic || (publisher.is_some() && author.is_some() && found.is_none());
    Parsed {
        work: work.to_string(),
        locator: locator.map(str::to_string),
        author,
        title,
        year: imprint_year.or_else(|| last_year_in(rest)),
        url,
        publisher,
        container,
        editor,
        italic,
    }
}

/// `Odd Arne Westad (ed.)`: the name, and whether it is an editor's.
fn strip_editor(a: &str) -> (&str, bool) {
    for mark in [" (ed.)", " (eds.)", " (eds)", " (ed)", ", ed.", ", eds."] {
        if let Some(name) = a.strip_suffix(mark) {
            return (name.trim(), true);
        }
    }
    (a, false)
}

/// A closing `(Publisher, 2007)` or `(2007)`: `s` without it, its
/// publisher and its year. Anything else in parentheses stays.
fn take_imprint(s: &str) -> (&str, Option<String>, Option<String>) {
    let Some(inner_end) = s.strip_suffix(')') else {
        return (s, None, None);
    };
    let Some(open) = inner_end.rfind('(') else {
        return (s, None, None);
    };
    let inner = &inner_end[open + 1..];
    let Some(year) = last_year_in(inner) else {
        return (s, None, None);
    };
    // "Chapel Hill: University of North Carolina Press, 2007": the place goes.
    let publisher = inner
        .rsplit_once(", ")
        .map(|(p, _)| p.rsplit_once(": ").map_or(p, |(_, pb)| pb).trim())
        .filter(|p| p.chars().next().is_some_and(char::is_alphabetic))
        .map(str::to_string);
    (s[..open].trim_end(), publisher, Some(year))
}

/// Words that make a name an institution's, not a person's.
const BODIES: &[&str] = &[
    "agency",
    "archive",
    "archives",
    "association",
    "britannica",
    "bureau",
    "census",
    "committee",
    "council",
    "department",
    "encyclopaedia",
    "encyclopedia",
    "enzyklopadie",
    "foundation",
    "government",
    "institute",
    "library",
    "ministry",
    "news",
    "office",
    "party",
    "press",
    "radio",
    "research",
    "society",
    "starters",
    "union",
    "university",
    "wikipedia",
];

/// The folded words of `s`, ASCII letters and digits only.
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .map(fold)
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
}

/// `Lorenz M. Lüthi`, `Jamestown Foundation`: one to five capitalised
/// words (or initials and particles), no digits.
fn name_like(s: &str) -> bool {
    let ws: Vec<&str> = s.split_whitespace().collect();
    !ws.is_empty()
        && ws.len() <= 5
        && s.chars().count() <= 60
        && !s.chars().any(|c| c.is_ascii_digit())
        && ws.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || [
                    "de", "van", "von", "der", "den", "du", "da", "di", "la", "le", "y",
                ]
                .contains(w)
        })
}

/// A person's name, as opposed to an institution's: written as people's
/// names are ("Last, First", names joined by "and", or capitalised words),
/// and neither starting with "The" nor holding a word of [`BODIES`], in
/// whichever of those forms it is written.
fn is_person(a: &str) -> bool {
    let body = a.starts_with("The ") || words(a).any(|w| BODIES.contains(&w.as_str()));
    let person_form = a.matches(',').count() == 1 || a.contains(" and ") || name_like(a);
    person_form && !body
}

/// The last four-digit year from 1400 to 2099 standing alone: in a
/// source, the year of publication comes after the years a title names.
fn last_year_in(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).rev().find_map(|i| {
        let w = &b[i..i + 4];
        let alone = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        let year = w.iter().all(u8::is_ascii_digit) && (&w[..2] >= b"14" && &w[..2] <= b"20");
        (alone && year).then(|| String::from_utf8_lossy(w).into_owned())
    })
}

/// A key in the form reference managers give: the author's family name
/// (or the title's first word), folded to ASCII, and the year. Without a
/// year, an institution's key takes the title's first word too, so that
/// an encyclopaedia's articles are told apart.
fn key_for(p: &Parsed, taken: &HashSet<String>) -> String {
    const SMALL: &[&str] = &[
        "the", "an", "of", "on", "in", "and", "to", "for", "le", "la", "les", "los", "las", "el",
        "der", "die", "das", "un", "une",
    ];
    let first = |s: &str| {
        words(s).find(|w| {
            w.len() >= 2
                && !SMALL.contains(&w.as_str())
                && !w.starts_with(|c: char| c.is_ascii_digit())
        })
    };
    let word = match p.author.as_deref() {
        // "First Last": the last name; "Last, First" and bodies: the first.
        Some(a) if is_person(a) && !a.contains(',') => {
            let one = a.split(" and ").next().unwrap_or(a);
            words(one).last()
        }
        Some(a) => first(a),
        None => first(&p.title),
    }
    .unwrap_or_else(|| "source".into());
    let word = match (&p.year, &p.author) {
        (None, Some(a)) if !is_person(a) => match first(&p.title) {
            Some(t) => format!("{word}-{t}"),
            None => word,
        },
        _ => word,
    };
    let base = format!("{word}{}", p.year.as_deref().unwrap_or(""));
    if !taken.contains(&base) {
        return base;
    }
    (b'a'..=b'z')
        .map(|c| format!("{base}{}", c as char))
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|k| !taken.contains(k))
        .expect("an unused key")
}

/// `s` as a BibLaTeX field value: TeX's special characters escaped, the
/// Markdown emphasis marks dropped.
fn bib_value(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '*' => {}
            '{' | '}' | '%' | '&' | '#' | '$' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A stub entry for `p` under `key`, with the text it came from above it.
fn stub(key: &str, p: &Parsed) -> String {
    let kind = match (&p.container, p.italic) {
        (Some(_), _) => "article",
        (None, true) => "book",
        (None, false) => "misc",
    };
    let mut e = format!(
        "% From: {}\n@{kind}{{{key},\n",
        p.work.replace(['\n', '\r'], " ")
    );
    if let Some(a) = &p.author {
        // A person's name is parsed by BibLaTeX ("Last, First" or
        // "First Last"); an institution's is braced to stay one name.
        let v = bib_value(a);
        let field = if p.editor { "editor" } else { "author" };
        if is_person(a) {
            e.push_str(&format!("  {field} = {{{v}}},\n"));
        } else {
            e.push_str(&format!("  {field} = {{{{{v}}}}},\n"));
        }
    }
    e.push_str(&format!("  title = {{{}}},\n", bib_value(&p.title)));
    if let Some(c) = &p.container {
        e.push_str(&format!("  journaltitle = {{{}}},\n", bib_value(c)));
    }
    if let Some(pb) = &p.publisher {
        e.push_str(&format!("  publisher = {{{}}},\n", bib_value(pb)));
    }
    if let Some(y) = &p.year {
        e.push_str(&format!("  date = {{{y}}},\n"));
    }
    if let Some(u) = &p.url {
        e.push_str(&format!("  url = {{{}}},\n", bib_value(u)));
    }
    e.push_str("}\n");
    e
}

/// The byte range of the scalar that starts at `line` and `column` (1-based,
/// characters) of `text`, when it lies on that one line and decodes to
/// `value`.
fn scalar_range(text: &str, line: usize, column: usize, value: &str) -> Option<(usize, usize)> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |e| line_start + e);
    let row = &text[line_start..line_end];
    let start = row
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(i, _)| i)?;
    let from = &row[start..];
    let len = match from.chars().next()? {
        '"' => {
            let mut escaped = false;
            let mut end = None;
            for (i, c) in from.char_indices().skip(1) {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i + 1);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            end?
        }
        '\'' => {
            let b = from.as_bytes();
            let mut i = 1;
            loop {
                match b.get(i)? {
                    b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
                    b'\'' => break i + 1,
                    _ => i += 1,
                }
            }
        }
        '|' | '>' => return None,
        _ => from.find(" #").unwrap_or(from.len()),
    };
    // The scalar read alone must give the value: a plain scalar that goes
    // on over the next lines does not, and is left. In a flow list
    // (`[a, b]`) a plain scalar ends before the comma or bracket.
    let reads_as = |raw: &str| yaml::parse::<String>(raw, "", 1).is_ok_and(|d| d == value);
    let raw = from[..len].trim_end();
    let raw = if reads_as(raw) {
        raw
    } else {
        let flow_end = raw
            .find([',', ']', '}'])
            .filter(|_| !raw.starts_with(['"', '\'']))?;
        let r = raw[..flow_end].trim_end();
        if !reads_as(r) {
            return None;
        }
        r
    };
    Some((line_start + start, line_start + start + raw.len()))
}

/// `s` as a YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// The sources of a file's notes (or glossary entries), in order.
fn read_sources(text: &str, glossary: bool) -> Option<Vec<Vec<Spanned<String>>>> {
    if text.trim().is_empty() {
        return Some(Vec::new());
    }
    let items: Vec<ItemSources> = if glossary {
        yaml::parse(text, "", 1).ok()?
    } else {
        yaml::parse::<AnnotationSources>(text, "", 1).ok()?.notes
    };
    Some(items.into_iter().map(|i| i.sources).collect())
}

/// Converts the site's plain-text sources; with `dry_run`, writes nothing.
pub fn import_sources(root: &Path, dry_run: bool) -> Result<SourcesOutcome, ImportError> {
    let mut report = Report::default();
    let loaded = crate::load::load(root, &mut report);
    let corpus = crate::parse::parse_corpus(&loaded, &mut report);
    if report.errors() > 0 {
        return Err(ImportError::Broken("the site".into()));
    }
    let bib = &corpus.bibliography;
    let titles = bib.matchable_titles();
    let mut taken: HashSet<String> = bib.by_key.keys().map(|k| k.to_lowercase()).collect();
    let mut files: Vec<(String, bool)> = corpus
        .annotations
        .values()
        .map(|a| (a.file.clone(), false))
        .collect();
    if !corpus.glossary_file.is_empty() && root.join(&corpus.glossary_file).is_file() {
        files.push((corpus.glossary_file.clone(), true));
    }

    let mut out = SourcesOutcome::default();
    // The work's text → its new key, so the same work is one stub.
    let mut stubs: BTreeMap<String, String> = BTreeMap::new();
    let mut bib_text = String::new();
    let mut rewrites: Vec<(String, String, usize)> = Vec::new();
    for (file, glossary) in files {
        let path = root.join(&file);
        let text = read_existing(&path)?;
        let Some(lists) = read_sources(&text, glossary) else {
            return Err(ImportError::Broken(file));
        };
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        let mut expected: Vec<Vec<String>> = Vec::new();
        for list in &lists {
            let mut now = Vec::new();
            for s in list {
                let value = &s.value;
                let line = s.defined.line() as usize;
                if cite::source_key(value).is_some() || value.trim().is_empty() {
                    now.push(value.clone());
                    continue;
                }
                let Some((a, b)) = scalar_range(&text, line, s.defined.column() as usize, value)
                else {
                    out.left.push((
                        file.clone(),
                        line,
                        value.clone(),
                        "it is written over several lines or as a block; cite it by key by hand"
                            .into(),
                    ));
                    now.push(value.clone());
                    continue;
                };
                let p = parse_source(value);
                let lower = p.work.to_lowercase();
                let key = match titles.iter().find(|(t, _)| lower.contains(t.as_str())) {
                    Some((_, k)) => {
                        out.matched += 1;
                        (*k).to_string()
                    }
                    None => {
                        out.cited_stubs += 1;
                        match stubs.get(&p.work) {
                            Some(k) => k.clone(),
                            None => {
                                let k = key_for(&p, &taken);
                                taken.insert(k.clone());
                                bib_text.push('\n');
                                bib_text.push_str(&stub(&k, &p));
                                out.added.push(k.clone());
                                stubs.insert(p.work.clone(), k.clone());
                                k
                            }
                        }
                    }
                };
                let citation = match &p.locator {
                    Some(l) => format!("@{key}, {l}"),
                    None => format!("@{key}"),
                };
                edits.push((a, b, quoted(&citation)));
                now.push(citation);
            }
            expected.push(now);
        }
        if edits.is_empty() {
            continue;
        }
        let mut new = text.clone();
        for (a, b, with) in edits.iter().rev() {
            new.replace_range(*a..*b, with);
        }
        let reread: Option<Vec<Vec<String>>> = read_sources(&new, glossary).map(|l| {
            l.into_iter()
                .map(|v| v.into_iter().map(|s| s.value).collect())
                .collect()
        });
        if reread.as_ref() != Some(&expected) {
            return Err(ImportError::Unsafe(file));
        }
        rewrites.push((file, new, edits.len()));
    }

    out.files = rewrites.iter().map(|(f, _, n)| (f.clone(), *n)).collect();
    if dry_run || rewrites.is_empty() {
        return Ok(out);
    }
    // The works first: a note citing a key the bibliography lacks would not
    // build, an uncited work only warns.
    if !bib_text.is_empty() {
        let path = root.join(BIB_FILE);
        let mut all = read_existing(&path)?;
        if !all.is_empty() && !all.ends_with('\n') {
            all.push('\n');
        }
        if !all.is_empty() {
            all.push('\n');
        }
        all.push_str(
            "% Works made by `scholion import sources` from the sources as they were written.\n\
             % Complete each entry (authors, title, publisher, place, date, the right type)\n\
             % and delete the \"From\" line above it when it is done.\n",
        );
        all.push_str(&bib_text);
        replace(&path, all.as_bytes()).map_err(|source| ImportError::Write { path, source })?;
    }
    for (file, new, _) in &rewrites {
        let path = root.join(file);
        replace(&path, new.as_bytes()).map_err(|source| ImportError::Write { path, source })?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
