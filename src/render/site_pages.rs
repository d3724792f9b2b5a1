//! The site-wide pages: the collection index, the glossary, the free pages,
//! `404.html` and `search.html`, each from its own small view.

use super::{common, escape_html, fragment, render, OutputFile, SiteView};
use crate::diagnostics::Diagnostic;
use crate::model::TermKind;
use crate::resolve::expand;
use crate::resolve::Resolved;
use serde::Serialize;
use tera::Tera;

#[derive(Serialize)]
struct IndexEntry {
    title: String,
    href: String,
    date: Option<String>,
    place: Option<String>,
    issued_by: Vec<String>,
    notes_count: usize,
    links_count: usize,
}

#[derive(Serialize)]
struct Occurrence {
    href: String,
    text_title: String,
    label: String,
}

#[derive(Serialize)]
struct SeeAlso {
    id: String,
    term: String,
}

#[derive(Serialize)]
struct EntryView {
    id: String,
    term: String,
    kind: &'static str,
    aliases: Vec<String>,
    definition: String,
    see_also: Vec<SeeAlso>,
    sources: Vec<String>,
    /// Listed one by one only up to `OCCURRENCES_LISTED_MAX` in the
    /// whole glossary; `occurrences_html` always has them.
    occurrences: Vec<Occurrence>,
    occurrences_html: String,
    occurrences_count: usize,
    /// How many texts the term occurs in, and how many of them the index
    /// leaves to the entry's page (`href`).
    texts_count: usize,
    texts_more: usize,
    href: String,
    sort: String,
}

/// The glossary page lists, for each entry, the first occurrence in each of
/// at most this many texts; the entry's own page has them all.
pub const INDEX_TEXTS_MAX: usize = 12;

/// Up to this many listed occurrences in the whole glossary (the first in
/// each text, see [`INDEX_TEXTS_MAX`]), each entry's are also given to the
/// template as a list (`occurrences`); above it only as ready HTML
/// (`occurrences_html`). The glossary page of a large collection
/// has an entry per occurrence (hundreds of thousands at 10,000 texts), and
/// the template's copy of such a list took more memory than the rest of
/// the build.
pub const OCCURRENCES_LISTED_MAX: usize = 10_000;

#[derive(Serialize)]
struct KindView {
    kind: &'static str,
    label: &'static str,
    entries: Vec<EntryView>,
}

#[derive(Serialize)]
struct LetterView {
    letter: String,
    entries: Vec<SeeAlso>,
}

#[derive(Serialize)]
struct PageView {
    title: String,
    body: String,
}

pub(super) fn index_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
) -> Result<OutputFile, Diagnostic> {
    let texts: Vec<IndexEntry> = r
        .corpus
        .texts
        .iter()
        .zip(&r.texts)
        .map(|(t, at)| IndexEntry {
            title: t.meta.title.clone(),
            href: format!("texts/{}.html", t.slug),
            date: t.meta.date.clone(),
            place: t.meta.place.clone(),
            issued_by: t.meta.issued_by.clone(),
            notes_count: at.notes.len(),
            links_count: at.links.len(),
        })
        .collect();
    #[derive(Serialize)]
    struct Extra {
        texts: Vec<IndexEntry>,
    }
    let c = common(r, site, "", site.title.clone(), "index");
    let html = render(tera, "index.html", &c, Extra { texts }, 0)?;
    Ok(OutputFile {
        path: "index.html".into(),
        bytes: html,
    })
}

fn sort_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) fn glossary_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
) -> Result<OutputFile, Diagnostic> {
    let g = &r.corpus.glossary;
    let mut order: Vec<usize> = (0..g.len()).collect();
    order.sort_by_cached_key(|&i| (sort_key(g[i].sort_text()), g[i].id.clone()));
    let listed = r
        .occurrences
        .iter()
        .map(|o| o.len().min(INDEX_TEXTS_MAX))
        .sum::<usize>()
        <= OCCURRENCES_LISTED_MAX;
    let occurrence = |(ti, p): (usize, usize)| {
        let text = &r.corpus.texts[ti];
        // Terms are not looked for in headings: an unnumbered passage here
        // is a footnote (see `Passage::label`).
        let (frag, label) = match r.texts[ti].facts.numbers[p] {
            Some(n) => (format!("#p{n}"), format!("¶ {n}")),
            None => (String::new(), "a footnote".to_string()),
        };
        Occurrence {
            href: format!("texts/{}.html{frag}", text.slug),
            text_title: text.short_title().to_string(),
            label,
        }
    };
    // Each entry's occurrences as ready HTML, written as `{% for o in
    // e.occurrences %}<a href="{{ o.href }}">{{ o.text_title }} {{ o.label
    // }}</a>{% if not loop.last %}, {% endif %}{% endfor %}` writes them,
    // and as a list while `listed`.
    let occurrences = |i: usize| {
        let mut html = Vec::new();
        let mut list = Vec::new();
        let firsts = &r.occurrences[i];
        for (k, &(ti, p)) in firsts.iter().take(INDEX_TEXTS_MAX).enumerate() {
            let o = occurrence((ti as usize, p as usize));
            if k > 0 {
                html.extend_from_slice(b", ");
            }
            html.extend_from_slice(b"<a href=\"");
            let _ = escape_html(&o.href, &mut html);
            html.extend_from_slice(b"\">");
            let _ = escape_html(&o.text_title, &mut html);
            html.push(b' ');
            let _ = escape_html(&o.label, &mut html);
            html.extend_from_slice(b"</a>");
            if listed {
                list.push(o);
            }
        }
        let more = firsts.len().saturating_sub(INDEX_TEXTS_MAX);
        (
            String::from_utf8(html).unwrap_or_default(),
            list,
            firsts.len(),
            more,
        )
    };
    let entry = |i: usize| {
        let t = &g[i];
        let (occurrences_html, occurrences, texts_count, texts_more) = occurrences(i);
        let (md, _) = expand(r, None, &t.definition, "");
        EntryView {
            id: t.id.clone(),
            term: t.term.clone(),
            kind: t.kind.as_str(),
            aliases: t.aliases.clone(),
            definition: fragment::to_html(&md),
            see_also: t
                .see_also
                .iter()
                .filter_map(|(id, _)| {
                    g.iter().find(|x| x.id == *id).map(|x| SeeAlso {
                        id: x.id.clone(),
                        term: x.term.clone(),
                    })
                })
                .collect(),
            sources: t
                .sources
                .iter()
                .map(|s| super::bibliography::source_html(r, s, ""))
                .collect(),
            occurrences,
            occurrences_html,
            occurrences_count: r.passages_with[i],
            texts_count,
            texts_more,
            href: super::entity::entity_path(&t.id, 1),
            sort: t.sort_text().to_string(),
        }
    };
    let kinds: Vec<KindView> = TermKind::ALL
        .iter()
        .map(|k| KindView {
            kind: k.as_str(),
            label: k.plural_label(),
            entries: order
                .iter()
                .copied()
                .filter(|&i| g[i].kind == *k)
                .map(entry)
                .collect(),
        })
        .filter(|k| !k.entries.is_empty())
        .collect();
    let mut letters: Vec<LetterView> = Vec::new();
    for &i in &order {
        let letter = sort_key(g[i].sort_text())
            .chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_else(|| "#".into());
        if letters.last().is_none_or(|l| l.letter != letter) {
            letters.push(LetterView {
                letter,
                entries: Vec::new(),
            });
        }
        letters.last_mut().unwrap().entries.push(SeeAlso {
            id: g[i].id.clone(),
            term: g[i].term.clone(),
        });
    }
    #[derive(Serialize)]
    struct Extra {
        kinds: Vec<KindView>,
        letters: Vec<LetterView>,
        entries_count: usize,
    }
    let c = common(r, site, "", "Glossary".into(), "glossary");
    let html = render(
        tera,
        "glossary.html",
        &c,
        Extra {
            kinds,
            letters,
            entries_count: g.len(),
        },
        0,
    )?;
    Ok(OutputFile {
        path: "glossary.html".into(),
        bytes: html,
    })
}

pub(super) fn free_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
    pi: usize,
) -> Result<OutputFile, Diagnostic> {
    let p = &r.corpus.pages[pi];
    let (md, _) = expand(r, None, &p.body, "");
    #[derive(Serialize)]
    struct Extra {
        page: PageView,
    }
    let c = common(r, site, "", p.title.clone(), &format!("page:{}", p.slug));
    let html = render(
        tera,
        "page.html",
        &c,
        Extra {
            page: PageView {
                title: p.title.clone(),
                body: fragment::to_html(&md),
            },
        },
        0,
    )?;
    Ok(OutputFile {
        path: format!("{}.html", p.slug),
        bytes: html,
    })
}

/// `404.html`: with a `base_url` its links are absolute, so it works at any
/// depth where a host serves it; without one they are relative to the root.
pub(super) fn not_found_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
) -> Result<OutputFile, Diagnostic> {
    let root = r.corpus.site.base().unwrap_or_default();
    #[derive(Serialize)]
    struct Extra {}
    let c = common(r, site, &root, "Not found".into(), "404");
    let html = render(tera, "404.html", &c, Extra {}, 0)?;
    Ok(OutputFile {
        path: "404.html".into(),
        bytes: html,
    })
}

/// `search.html`: the full results of a search, filled in by `search.js`
/// from the address (`?q=…`, or `#q=…` from `file://`).
pub(super) fn search_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
) -> Result<OutputFile, Diagnostic> {
    #[derive(Serialize)]
    struct Extra {}
    let c = common(r, site, "", "Search".into(), "search");
    let html = render(tera, "search.html", &c, Extra {}, 0)?;
    Ok(OutputFile {
        path: "search.html".into(),
        bytes: html,
    })
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use std::path::{Path, PathBuf};

    fn glossary_page(root: &Path) -> Vec<u8> {
        let compiled = crate::compile(&Config::new(Some(root.to_path_buf()), None, None, true));
        assert_eq!(compiled.report.errors(), 0, "{:?}", compiled.report);
        compiled
            .files
            .into_iter()
            .find(|f| f.path == "glossary.html")
            .expect("a glossary page")
            .bytes
    }

    #[test]
    fn a_template_looping_over_the_occurrences_writes_what_the_ready_html_holds() {
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(repo.join("content")) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(&repo).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let built_in = String::from_utf8(glossary_page(dir.path())).unwrap();
        assert!(built_in.contains("Appears in: <a href=\"texts/"));
        // The same page from the list, as a site's own template may write it.
        let template = std::fs::read_to_string(repo.join("templates/glossary.html")).unwrap();
        let ready = "{{ e.occurrences_html | safe }}";
        assert!(template.contains(ready));
        let looped = template
            .replace("{% if e.occurrences_html %}", "{% if e.occurrences %}")
            .replace(
                ready,
                "{% for o in e.occurrences %}<a href=\"{{ o.href }}\">{{ o.text_title }} {{ o.label }}</a>{% if not loop.last %}, {% endif %}{% endfor %}",
            );
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/glossary.html"), looped).unwrap();
        assert_eq!(
            String::from_utf8(glossary_page(dir.path())).unwrap(),
            built_in
        );
    }
}
