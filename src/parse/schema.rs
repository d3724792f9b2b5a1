//! The YAML files' shapes as serde reads them: `site.yaml`, front matter,
//! annotation files and the glossary, each with unknown keys refused. The
//! rest of `parse` turns these into the domain model.

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SiteYaml {
    pub(super) title: String,
    pub(super) description: Option<String>,
    pub(super) language: Option<String>,
    #[serde(default)]
    pub(super) editors: Vec<EditorYaml>,
    pub(super) licence: Option<LicenceYaml>,
    pub(super) edition: Option<Scalar>,
    pub(super) edition_date: Option<Scalar>,
    pub(super) base_url: Option<Spanned<String>>,
    pub(super) citation_style: Option<String>,
    pub(super) citation_locale: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EditorYaml {
    pub(super) name: String,
    pub(super) url: Option<Spanned<String>>,
    pub(super) role: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LicenceYaml {
    pub(super) name: String,
    pub(super) url: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TextFrontMatter {
    pub(super) title: String,
    pub(super) short_title: Option<String>,
    pub(super) date: Option<Scalar>,
    pub(super) place: Option<String>,
    #[serde(default)]
    pub(super) issued_by: Vec<String>,
    pub(super) source: Option<String>,
    pub(super) source_url: Option<Spanned<String>>,
    pub(super) translation: Option<String>,
    pub(super) transcription: Option<String>,
    pub(super) order: Option<i64>,
    #[serde(default)]
    pub(super) extra: BTreeMap<String, Scalar>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PageFrontMatter {
    pub(super) title: Option<String>,
    pub(super) order: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct AnnotationFileYaml {
    #[serde(default)]
    pub(super) notes: Vec<NoteYaml>,
    #[serde(default)]
    pub(super) links: Vec<LinkYaml>,
    #[serde(default)]
    pub(super) pages: Vec<PageYaml>,
    pub(super) pages_start: Option<Spanned<Scalar>>,
}

/// A page of the printed source: its label and the words it begins with.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PageYaml {
    pub(super) n: Spanned<Scalar>,
    pub(super) starts: Spanned<AnchorYaml>,
    #[serde(default)]
    pub(super) image: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) alt: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NoteYaml {
    pub(super) id: Spanned<String>,
    pub(super) anchor: Spanned<AnchorYaml>,
    #[serde(default)]
    pub(super) kind: NoteKindYaml,
    pub(super) body: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) sources: Vec<String>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(super) enum NoteKindYaml {
    #[default]
    Note,
    Editorial,
    Translation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LinkYaml {
    pub(super) id: Spanned<String>,
    pub(super) anchor: Spanned<AnchorYaml>,
    pub(super) to: Spanned<String>,
    pub(super) label: Option<String>,
}

/// An anchor as written: the quoted words, or a mapping with `quote` and
/// the words around it. Decided by the kind of YAML value, so a mistake
/// inside the mapping (a misspelt `prefix`) is reported as itself, and
/// nothing is parsed twice.
pub(super) enum AnchorYaml {
    Quote(String),
    Full(AnchorFull),
}

impl<'de> Deserialize<'de> for AnchorYaml {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = AnchorYaml;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(ANCHOR_EXPECTED)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AnchorYaml, E> {
                Ok(AnchorYaml::Quote(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<AnchorYaml, E> {
                Ok(AnchorYaml::Quote(v))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, m: M) -> Result<AnchorYaml, M::Error> {
                AnchorFull::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(AnchorYaml::Full)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AnchorFull {
    pub(super) quote: String,
    pub(super) prefix: Option<String>,
    pub(super) suffix: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TermYaml {
    pub(super) id: Spanned<String>,
    pub(super) term: String,
    pub(super) kind: TermKindYaml,
    #[serde(default)]
    pub(super) aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) link: LinkModeYaml,
    pub(super) definition: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) see_also: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) sources: Vec<String>,
    pub(super) sort: Option<String>,
    pub(super) wikidata: Option<Spanned<Scalar>>,
    pub(super) viaf: Option<Spanned<Scalar>>,
    pub(super) gnd: Option<Spanned<Scalar>>,
    pub(super) geonames: Option<Spanned<Scalar>>,
    pub(super) born: Option<Spanned<Scalar>>,
    pub(super) died: Option<Spanned<Scalar>>,
    pub(super) date: Option<Spanned<Scalar>>,
    pub(super) coordinates: Option<Spanned<Vec<Scalar>>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(super) enum TermKindYaml {
    Concept,
    Person,
    Organisation,
    Place,
    Event,
    Work,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(super) enum LinkModeYaml {
    #[default]
    First,
    All,
    None,
}
