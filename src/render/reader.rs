//! A text's reader page: its views (the text's facts, the contents, the
//! endnotes with their back-references, the previews of terms and
//! cross-links) and the page itself, with what all reader pages share
//! made once.

use super::*;

#[derive(Serialize)]
pub(super) struct KeyValue {
    pub(super) key: String,
    pub(super) value: String,
}

#[derive(Serialize)]
pub(super) struct TextView {
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) short_title: String,
    pub(super) date: Option<String>,
    pub(super) place: Option<String>,
    pub(super) issued_by: Vec<String>,
    pub(super) source: Option<String>,
    pub(super) source_url: Option<String>,
    pub(super) translation: Option<String>,
    pub(super) transcription: Option<String>,
    pub(super) extra: Vec<KeyValue>,
    pub(super) notes_count: usize,
    pub(super) links_count: usize,
    pub(super) paragraphs_count: usize,
    /// The text on `timeline.html`, when its date places it there.
    pub(super) timeline_href: Option<String>,
}

#[derive(Serialize)]
pub(super) struct TocItem {
    pub(super) level: u8,
    pub(super) id: String,
    pub(super) text: String,
}

#[derive(Serialize, Clone)]
pub(super) struct Backlink {
    pub(super) href: String,
    pub(super) label: String,
}

#[derive(Serialize)]
pub(super) struct EndnoteView {
    pub(super) number: u32,
    pub(super) id: String,
    pub(super) kind: &'static str,
    pub(super) body: String,
    pub(super) sources: Vec<String>,
    pub(super) backlinks: Vec<Backlink>,
}

/// A glossary entry linked from a reader page, with its definition, so the
/// page's script can show it in a popover without loading the glossary
/// (which a page opened from `file://` cannot fetch).
#[derive(Serialize)]
pub(super) struct TermPreview {
    pub(super) id: String,
    pub(super) term: String,
    pub(super) kind: &'static str,
    pub(super) definition: String,
}

/// Where a cross-link of a reader page leads, with the target's own words,
/// for the same reason.
#[derive(Serialize)]
pub(super) struct XrefPreview {
    pub(super) id: String,
    pub(super) href: String,
    pub(super) place: String,
    pub(super) label: Option<String>,
    pub(super) excerpt: String,
    pub(super) quote: String,
}

pub(super) fn text_view(t: &Text, notes: usize, links: usize, paragraphs: usize) -> TextView {
    TextView {
        slug: t.slug.clone(),
        title: t.meta.title.clone(),
        short_title: t.short_title().to_string(),
        date: t.meta.date.clone(),
        place: t.meta.place.clone(),
        issued_by: t.meta.issued_by.clone(),
        source: t.meta.source.clone(),
        source_url: t
            .meta
            .source_url
            .clone()
            .filter(|u| crate::url::is_safe_url(u)),
        translation: t.meta.translation.clone(),
        transcription: t.meta.transcription.clone(),
        extra: t
            .meta
            .extra
            .iter()
            .map(|(k, v)| KeyValue {
                key: k.replace('_', " "),
                value: v.clone(),
            })
            .collect(),
        notes_count: notes,
        links_count: links,
        paragraphs_count: paragraphs,
        timeline_href: timeline::text_href(t.meta.date.as_deref(), &t.slug),
    }
}

/// Cross-links from other texts that arrive at a note: per text, by note
/// id, in the order of the citing texts and their links. Gathered once for
/// the site, so no reader page scans the links of every other text.
pub(super) fn incoming_links(r: &Resolved) -> Vec<BTreeMap<String, Vec<Backlink>>> {
    let mut incoming: Vec<BTreeMap<String, Vec<Backlink>>> = vec![BTreeMap::new(); r.texts.len()];
    for (si, st) in r.texts.iter().enumerate() {
        let Some(sann) = r.annotations(si) else {
            continue;
        };
        for l in &st.links {
            if let Some(crate::resolve::Target::Note { text, id }) = &l.target {
                let link = &sann.links[l.index];
                let from = &r.corpus.texts[si];
                let n = l.number.map(|n| format!(" ¶ {n}")).unwrap_or_default();
                incoming[*text]
                    .entry(id.clone())
                    .or_default()
                    .push(Backlink {
                        href: format!("{}.html#l-{}", from.slug, link.id),
                        label: format!("{}{n}", from.short_title()),
                    });
            }
        }
    }
    incoming
}

/// What every reader page draws on, worked out once for the site.
pub(super) struct Shared {
    /// Per text: cross-links arriving at its notes.
    pub(super) incoming: Vec<BTreeMap<String, Vec<Backlink>>>,
    /// Per glossary entry: its popover for a reader page (its definition
    /// as HTML), made the first time a page needs it. It is kept as a
    /// ready template value, whose strings are shared: each page that links
    /// the entry takes it as it is instead of converting and copying it.
    pub(super) term_previews: Vec<std::sync::OnceLock<tera::Value>>,
    /// The same previews in the site-wide scripts the pages load.
    pub(super) scripts: previews::TermScripts,
}

impl Shared {
    pub(super) fn new(r: &Resolved) -> Shared {
        Shared {
            incoming: incoming_links(r),
            term_previews: (0..r.corpus.glossary.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            scripts: previews::TermScripts::new(r),
        }
    }

    fn term_preview(&self, r: &Resolved, term: usize) -> tera::Value {
        self.term_previews[term]
            .get_or_init(|| {
                let t = &r.corpus.glossary[term];
                let (md, _) = expand(r, None, &t.definition, "../");
                tera::Value::from_serializable(&TermPreview {
                    id: t.id.clone(),
                    term: t.term.clone(),
                    kind: t.kind.as_str(),
                    definition: fragment::to_html(&md),
                })
            })
            .clone()
    }
}

pub(super) fn reader_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
    ti: usize,
    shared: &Shared,
    doc: Option<&Document>,
) -> Result<OutputFile, Diagnostic> {
    let incoming = &shared.incoming[ti];
    let t = &r.corpus.texts[ti];
    let at = &r.texts[ti];
    let ann = r.annotations(ti);
    let made;
    let doc = match doc {
        Some(d) => d,
        None => {
            made = r.doc(ti)?;
            &*made
        }
    };
    let body = text::render_body(r, ti, doc);
    let bodies = ann.map(|a| a.bodies()).unwrap_or_default();
    let notes: Vec<EndnoteView> = at
        .notes
        .iter()
        .map(|an| {
            let note = &ann.expect("anchored notes have annotations").notes[an.index];
            let (md, _) = expand(r, Some(ti), &bodies[an.index], "../");
            // The note's place: its ¶, and the page of the source its quote is on.
            let page = at
                .pages
                .locator(an.place.passage, an.place.range.clone())
                .map(|p| format!(", {p}"))
                .unwrap_or_default();
            let mut backlinks = vec![Backlink {
                href: format!("#ref-{}", note.id),
                label: format!(
                    "Back to the text (¶ {}{page})",
                    at.facts.numbers[an.place.passage]
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| "–".into())
                ),
            }];
            backlinks.extend(incoming.get(note.id.as_str()).cloned().unwrap_or_default());
            EndnoteView {
                number: an.number,
                id: note.id.clone(),
                kind: note.kind.as_str(),
                body: fragment::to_html(&md),
                sources: note
                    .sources
                    .iter()
                    .map(|s| bibliography::source_html(r, s, "../"))
                    .collect(),
                backlinks,
            }
        })
        .collect();
    let toc: Vec<TocItem> = doc
        .headings
        .iter()
        .map(|h| TocItem {
            level: h.level,
            id: h.id.clone(),
            text: h.text.clone(),
        })
        .collect();
    let nav_item = |i: usize| {
        let o = &r.corpus.texts[i];
        NavItem {
            title: o.meta.title.clone(),
            short_title: o.short_title().to_string(),
            href: format!("{}.html", o.slug),
            current: false,
        }
    };
    let (terms, term_scripts, xrefs) = previews(r, ti, shared);
    // The page's size is mostly its body, its notes and the definitions of
    // its term previews, each written once, plus the template's own markup.
    let size = body.len()
        + notes
            .iter()
            .map(|n| n.body.len() + n.sources.iter().map(String::len).sum::<usize>() + 512)
            .sum::<usize>()
        + terms.len() * 1024
        + xrefs.len() * 512
        + 16 * 1024;
    #[derive(Serialize)]
    struct Extra {
        text: TextView,
        toc: Vec<TocItem>,
        body: String,
        notes: Vec<EndnoteView>,
        prev: Option<NavItem>,
        next: Option<NavItem>,
        /// Each a [`TermPreview`], shared with the other pages; the built-in
        /// template no longer writes them (site templates may).
        terms: Vec<tera::Value>,
        /// The site-wide scripts that hold this page's term previews.
        term_scripts: Vec<String>,
        xrefs: Vec<XrefPreview>,
        cite: cite::Citation,
        /// The text's IIIF manifest, relative to the page, when it has one.
        iiif: Option<String>,
        /// Whether a page has a facsimile (the page loads the pane's script).
        facsimiles: bool,
    }
    let extra = Extra {
        facsimiles: super::iiif::has_images(r, ti),
        iiif: super::iiif::has_manifest(r, ti)
            .then(|| format!("../{}", super::iiif::manifest_path(&t.slug))),
        terms,
        term_scripts,
        xrefs,
        cite: cite::with_pages(cite::citation(&r.corpus.site, t), page_range(&at.pages)),
        text: text_view(t, at.notes.len(), at.links.len(), at.facts.numbered.len()),
        toc,
        body,
        notes,
        prev: ti.checked_sub(1).map(nav_item),
        next: (ti + 1 < r.texts.len()).then(|| nav_item(ti + 1)),
    };
    let c = common(
        r,
        site,
        "../",
        t.meta.title.clone(),
        &format!("text:{}", t.slug),
    );
    let html = render(tera, "text.html", &c, extra, size)?;
    Ok(OutputFile {
        path: format!("texts/{}.html", t.slug),
        bytes: html,
    })
}

/// The first and last page of the printed source that a text is on.
pub(super) fn page_range(pages: &crate::resolve::Pages) -> Option<(&str, &str)> {
    let first = pages
        .start
        .as_deref()
        .or_else(|| pages.breaks.first().map(|b| b.label.as_str()))?;
    let last = pages.breaks.last().map_or(first, |b| b.label.as_str());
    Some((first, last))
}

/// The definitions of the glossary terms a reader page links, and the
/// targets of its cross-links, for the page's popovers.
pub(super) fn previews(
    r: &Resolved,
    ti: usize,
    shared: &Shared,
) -> (Vec<tera::Value>, Vec<String>, Vec<XrefPreview>) {
    let at = &r.texts[ti];
    let mut ids: Vec<usize> = at
        .terms
        .iter()
        .map(|h| h.term())
        .filter(|&i| r.corpus.glossary[i].link != crate::model::LinkMode::None)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let scripts = shared.scripts.scripts_for(&ids);
    let terms = ids.into_iter().map(|i| shared.term_preview(r, i)).collect();
    let Some(ann) = r.annotations(ti) else {
        return (terms, scripts, Vec::new());
    };
    let xrefs = at
        .links
        .iter()
        .filter_map(|al| {
            let target = al.target.as_ref()?;
            let to = &r.texts[target.text()];
            let to_ann = r.annotations(target.text());
            let place = crate::resolve::target_place(&to.facts, to, to_ann, target);
            let to_text = &r.corpus.texts[target.text()];
            // A text let go keeps the excerpts other texts' links need.
            let found = place.and_then(|pl| match &to.doc {
                crate::resolve::DocRef::Held(doc) => {
                    Some(crate::resolve::TargetExcerpt::of(doc, &pl))
                }
                crate::resolve::DocRef::Source { .. } => {
                    to.facts.targets.get(&target.fragment()).cloned()
                }
            });
            let (place_label, excerpt, quote) = match found {
                Some(found) => {
                    let label = found
                        .number
                        .map(|n| format!("{} ¶ {n}", to_text.short_title()))
                        .unwrap_or_else(|| to_text.short_title().to_string());
                    (
                        label,
                        found.excerpt.into_string(),
                        found.quote.into_string(),
                    )
                }
                None => (to_text.meta.title.clone(), String::new(), String::new()),
            };
            let link = &ann.links[al.index];
            Some(XrefPreview {
                id: link.id.clone(),
                href: text::target_href(r, ti, target),
                place: place_label,
                label: link.label.clone(),
                excerpt,
                quote,
            })
        })
        .collect();
    (terms, scripts, xrefs)
}
