//! A IIIF Presentation 3 manifest for each text whose pages have
//! facsimiles, `iiif/<slug>/manifest.json`, so IIIF viewers (Mirador,
//! Universal Viewer) open the edition's images: one Canvas a page with an
//! image, in the text's order, each painted by its image as a static file
//! (no Image API service). IIIF needs absolute ids, so a manifest is written
//! only when the site has a `base_url`; without one, [`why_none`] says so
//! for `check`. The reader page links its manifest (`<link rel="alternate">`
//! and a visible link beside the citations). docs/formats.md describes it.

use crate::model::{Facsimile, PageImage};
use crate::output::OutputFile;
use crate::resolve::Resolved;
use serde_json::{json, Value};

/// Where text `slug`'s manifest is, below the site's root.
pub fn manifest_path(slug: &str) -> String {
    format!("iiif/{slug}/manifest.json")
}

/// A page of text `ti` with a facsimile: its label, its id and its image.
struct PageWithImage<'r> {
    label: &'r str,
    id: &'r str,
    image: &'r PageImage,
    facsimile: &'r Facsimile,
}

/// The pages of text `ti` that have a facsimile, in the text's order.
fn pages_with_images<'r>(r: &'r Resolved, ti: usize) -> Vec<PageWithImage<'r>> {
    let Some(ann) = r.annotations(ti) else {
        return Vec::new();
    };
    r.texts[ti]
        .pages
        .breaks
        .iter()
        .filter_map(|b| {
            let image = ann.pages.iter().find(|p| p.n == b.label)?.image.as_ref()?;
            Some(PageWithImage {
                label: &b.label,
                id: &b.id,
                image,
                facsimile: r.corpus.facsimiles.get(&image.path)?,
            })
        })
        .collect()
}

/// Whether a page of text `ti` has a facsimile.
pub fn has_images(r: &Resolved, ti: usize) -> bool {
    !pages_with_images(r, ti).is_empty()
}

/// Whether text `ti` has a manifest: the site has a `base_url` and the text
/// a page with a facsimile.
pub fn has_manifest(r: &Resolved, ti: usize) -> bool {
    r.corpus.site.base_url.is_some() && has_images(r, ti)
}

/// Why no manifest is written, when some text has facsimiles but the site
/// has no `base_url`: one line for `check`.
pub fn why_none(r: &Resolved) -> Option<String> {
    if r.corpus.site.base_url.is_some() {
        return None;
    }
    let n = (0..r.texts.len()).filter(|&ti| has_images(r, ti)).count();
    (n > 0).then(|| {
        format!(
            "no IIIF manifest is written for the {n} text{} with facsimiles: IIIF needs absolute addresses; set `base_url:` in content/site.yaml (or pass --base-url) to write iiif/<slug>/manifest.json",
            if n == 1 { "" } else { "s" }
        )
    })
}

/// A language map of one string.
fn lang(language: &str, s: &str) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(language.to_string(), json!([plain(s)]));
    Value::Object(m)
}

/// A value as plain text: IIIF clients read a string that begins with `<`
/// and ends with `>` as HTML, so such a string is given as escaped text in
/// a `<span>`, which they show as written.
fn plain(s: &str) -> String {
    let t = s.trim();
    if t.starts_with('<') && t.ends_with('>') {
        format!("<span>{}</span>", super::escape::escape(t))
    } else {
        s.to_string()
    }
}

/// The licence URL as IIIF's `rights` takes it: a Creative Commons licence
/// or a RightsStatements.org statement, in the `http://` form those
/// vocabularies define (a `deed` page named for the licence itself); any
/// other URL is not a rights URI IIIF knows.
fn rights(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let ok = rest.starts_with("creativecommons.org/licenses/")
        || rest.starts_with("creativecommons.org/publicdomain/")
        || rest.starts_with("rightsstatements.org/vocab/");
    if !ok {
        return None;
    }
    let mut path = rest.split(['?', '#']).next().unwrap_or(rest).to_string();
    if let Some(i) = path.rfind("/deed") {
        path.truncate(i + 1);
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    Some(format!("http://{path}"))
}

/// Text `ti`'s manifest, when it has one.
fn manifest(r: &Resolved, ti: usize) -> Option<Value> {
    let site = &r.corpus.site;
    let base = site.base()?;
    let pages = pages_with_images(r, ti);
    if pages.is_empty() {
        return None;
    }
    let t = &r.corpus.texts[ti];
    let language = site.language.as_str();
    let id = format!("{base}{}", manifest_path(&t.slug));
    let canvas_base = format!("{base}iiif/{}", t.slug);
    let m = &t.meta;
    let mut metadata = Vec::new();
    let mut field = |label: &str, value: Option<&str>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            metadata.push(json!({ "label": lang("en", label), "value": lang(language, v) }));
        }
    };
    field("Date", m.date.as_deref());
    field("Place", m.place.as_deref());
    let issued = m.issued_by.join("; ");
    field("Issued by", Some(&issued));
    field("Source", m.source.as_deref());
    field("Source URL", m.source_url.as_deref());
    field("Translation", m.translation.as_deref());
    field("Transcription", m.transcription.as_deref());
    for (k, v) in &m.extra {
        let mut key = k.replace('_', " ");
        if let Some(first) = key.get(..1) {
            key = first.to_uppercase() + &key[1..];
        }
        field(&key, Some(v));
    }
    let items: Vec<Value> = pages
        .iter()
        .map(|p| {
            let canvas = format!("{canvas_base}/canvas/page-{}", p.id);
            let size = &p.facsimile.size;
            json!({
                "id": canvas,
                "type": "Canvas",
                "label": { "none": [p.label] },
                "width": size.width,
                "height": size.height,
                "items": [{
                    "id": format!("{canvas_base}/page/page-{}", p.id),
                    "type": "AnnotationPage",
                    "items": [{
                        "id": format!("{canvas_base}/annotation/page-{}", p.id),
                        "type": "Annotation",
                        "motivation": "painting",
                        "body": {
                            "id": format!("{base}facsimiles/{}", super::facsimile::url_path(&p.image.path)),
                            "type": "Image",
                            "format": size.kind.mime(),
                            "width": size.width,
                            "height": size.height,
                        },
                        "target": canvas,
                    }],
                }],
            })
        })
        .collect();
    let mut v = json!({
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "id": id,
        "type": "Manifest",
        "label": lang(language, &m.title),
        "metadata": metadata,
        "homepage": [{
            "id": format!("{base}texts/{}.html", t.slug),
            "type": "Text",
            "label": lang(language, &m.title),
            "format": "text/html",
            "language": [language],
        }],
        "provider": [{
            "id": base,
            "type": "Agent",
            "label": lang(language, &site.title),
            "homepage": [{
                "id": base,
                "type": "Text",
                "label": lang(language, &site.title),
                "format": "text/html",
            }],
        }],
        "items": items,
    });
    if let Some(l) = &site.licence {
        match l.url.as_deref().and_then(rights) {
            Some(uri) => v["rights"] = json!(uri),
            None => {
                let statement = match &l.url {
                    Some(u) => format!("{} ({u})", l.name),
                    None => l.name.clone(),
                };
                v["requiredStatement"] =
                    json!({ "label": lang("en", "Licence"), "value": lang(language, &statement) });
            }
        }
    }
    Some(v)
}

/// Every text's manifest, as files of the published site.
pub fn files(r: &Resolved) -> Vec<OutputFile> {
    (0..r.texts.len())
        .filter_map(|ti| {
            let v = manifest(r, ti)?;
            let mut bytes = serde_json::to_vec_pretty(&v).ok()?;
            bytes.push(b'\n');
            Some(OutputFile {
                path: manifest_path(&r.corpus.texts[ti].slug),
                bytes,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::rights;

    #[test]
    fn only_creative_commons_and_rightsstatements_urls_are_rights() {
        assert_eq!(
            rights("https://creativecommons.org/licenses/by/4.0/deed.de").as_deref(),
            Some("http://creativecommons.org/licenses/by/4.0/")
        );
        assert_eq!(
            rights("https://creativecommons.org/publicdomain/zero/1.0/").as_deref(),
            Some("http://creativecommons.org/publicdomain/zero/1.0/")
        );
        assert_eq!(
            rights("http://rightsstatements.org/vocab/InC/1.0/").as_deref(),
            Some("http://rightsstatements.org/vocab/InC/1.0/")
        );
        assert_eq!(rights("https://opensource.org/licenses/MIT"), None);
        assert_eq!(
            rights("https://creativecommons.org.evil.example/licenses/by/4.0/"),
            None
        );
    }
}
