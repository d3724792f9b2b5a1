//! The glossary's entity data checked and turned into the model: authority
//! identifiers (Wikidata, VIAF, GND, GeoNames) by their published shape,
//! ISO 8601 dates (`born`, `died`, `date`) as a text's `date:` takes them,
//! and coordinates range-checked. Kept apart from the rest of the glossary's
//! parse so the rules of each value, their messages and their tests live
//! together; nothing here makes a request.

use super::yaml::{pos_of, Scalar, Spanned};
use crate::diagnostics::{Diagnostic, Report};
use crate::model::{Coordinates, EntityData, Pos, TermKind};
use serde::Deserialize;

/// The entity keys of a glossary entry as written.
#[derive(Deserialize, Default)]
pub(super) struct EntityYaml {
    pub wikidata: Option<Spanned<Scalar>>,
    pub viaf: Option<Spanned<Scalar>>,
    pub gnd: Option<Spanned<Scalar>>,
    pub geonames: Option<Spanned<Scalar>>,
    pub born: Option<Spanned<Scalar>>,
    pub died: Option<Spanned<Scalar>>,
    pub date: Option<Spanned<Scalar>>,
    pub coordinates: Option<Spanned<Vec<Scalar>>>,
}

/// Where each authority's page of an identifier is: the link shown.
pub fn authority_url(authority: &str, id: &str) -> String {
    match authority {
        "wikidata" => format!("https://www.wikidata.org/wiki/{id}"),
        "viaf" => format!("https://viaf.org/viaf/{id}"),
        "gnd" => format!("https://d-nb.info/gnd/{id}"),
        _ => format!("https://sws.geonames.org/{id}/"),
    }
}

/// The authority name as shown to readers.
pub fn authority_label(authority: &str) -> &'static str {
    match authority {
        "wikidata" => "Wikidata",
        "viaf" => "VIAF",
        "gnd" => "GND",
        _ => "GeoNames",
    }
}

impl EntityData {
    /// The identifiers given, as (key, id) in a fixed order.
    pub fn authorities(&self) -> Vec<(&'static str, &str)> {
        [
            ("wikidata", &self.wikidata),
            ("viaf", &self.viaf),
            ("gnd", &self.gnd),
            ("geonames", &self.geonames),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn wikidata_ok(s: &str) -> bool {
    s.strip_prefix('Q')
        .is_some_and(|d| all_digits(d) && !d.starts_with('0') && d.len() <= 12)
}

fn viaf_ok(s: &str) -> bool {
    all_digits(s) && !s.starts_with('0') && s.len() <= 22
}

fn geonames_ok(s: &str) -> bool {
    all_digits(s) && !s.starts_with('0') && s.len() <= 10
}

/// The shapes of GND identifiers (as Wikidata's property P227 gives them):
/// `118540238` (persons, 9–10 characters ending in a check digit or X),
/// `4015701-6`, `2001234-X`, `1234567-8` (older records with a hyphen).
fn gnd_ok(s: &str) -> bool {
    let check = |c: u8| c.is_ascii_digit() || c == b'X';
    let b = s.as_bytes();
    match s.split_once('-') {
        Some((head, tail)) => {
            all_digits(head) && head.len() <= 8 && tail.len() == 1 && check(tail.as_bytes()[0])
        }
        None => {
            (9..=10).contains(&b.len())
                && b[0] == b'1'
                && b[..b.len() - 1].iter().all(u8::is_ascii_digit)
                && check(b[b.len() - 1])
        }
    }
}

/// A calendar date `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a year may have a
/// leading `-` for years before the common era), as a sortable triple.
fn iso_date(s: &str) -> Option<Day> {
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let mut parts = rest.split('-');
    let y = parts.next()?;
    if y.len() != 4 || !all_digits(y) {
        return None;
    }
    let year: i64 = y.parse().ok()?;
    let num = |p: Option<&str>| -> Option<Option<u32>> {
        match p {
            None => Some(None),
            Some(p) if p.len() == 2 && all_digits(p) => p.parse().ok().map(Some),
            Some(_) => None,
        }
    };
    let month = num(parts.next())?;
    let day = num(parts.next())?;
    if parts.next().is_some() || (day.is_some() && month.is_none()) {
        return None;
    }
    let month_ok = month.is_none_or(|m| (1..=12).contains(&m));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month.unwrap_or(1) {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !month_ok || day.is_some_and(|d| d == 0 || d > days) {
        return None;
    }
    let year = if neg { -year } else { year };
    Some((year, month.unwrap_or(0), day.unwrap_or(0)))
}

/// A year, month and day, sortable (a month or day not given is 0 or, as
/// the latest day of a date, 13 or 32).
pub type Day = (i64, u32, u32);

/// The earliest and latest day a date or interval (`1957-11-14/1957-11-16`;
/// either end may be `..`, open) covers, as sortable triples (a month or day
/// not given is 0 in the earliest and 13 or 32 in the latest), for ordering
/// and checks. `None` when the text is not such a date.
pub fn date_span(s: &str) -> Option<(Day, Day)> {
    let latest =
        |(y, m, d): (i64, u32, u32)| (y, if m == 0 { 13 } else { m }, if d == 0 { 32 } else { d });
    let (from, to) = match s.split_once('/') {
        None => {
            let d = iso_date(s)?;
            (d, latest(d))
        }
        Some(("..", "..")) => return None,
        Some((a, b)) => {
            let from = if a == ".." {
                (i64::MIN, 0, 0)
            } else {
                iso_date(a)?
            };
            let to = if b == ".." {
                (i64::MAX, 13, 32)
            } else {
                latest(iso_date(b)?)
            };
            (from, to)
        }
    };
    (from <= to).then_some((from, to))
}

const DATE_HELP: &str = "write an ISO 8601 date as for a text's `date:`: a year `1957`, a month `1957-11`, a day `1957-11-14`, or an interval `1957-11-14/1957-11-16` (an open end is `..`); quote it if it has a slash or starts with a minus";

/// Checks the entity keys of the entry `id` (of `kind`) in `file` and turns
/// them into the model; each problem is reported at its value.
pub(super) fn entity_data(
    file: &str,
    id: &str,
    kind: TermKind,
    y: EntityYaml,
    report: &mut Report,
) -> EntityData {
    let mut out = EntityData::default();
    let err = |code: &'static str, pos: Pos, message: String, help: String| {
        Diagnostic::error(code, file, message)
            .at(pos.line, pos.column)
            .help(help)
    };
    type Check = fn(&str) -> bool;
    let ids: [(&str, Option<Spanned<Scalar>>, Check, &str); 4] = [
        ("wikidata", y.wikidata, wikidata_ok, "a Wikidata item is `Q` and digits, e.g. `wikidata: Q855` (the end of https://www.wikidata.org/wiki/Q855)"),
        ("viaf", y.viaf, viaf_ok, "a VIAF id is digits, e.g. `viaf: \"101787139\"` (the end of https://viaf.org/viaf/101787139)"),
        ("gnd", y.gnd, gnd_ok, "a GND id is digits with a check digit or X, e.g. `gnd: \"118540238\"` or `gnd: \"4015701-6\"` (the end of https://d-nb.info/gnd/118540238)"),
        ("geonames", y.geonames, geonames_ok, "a GeoNames id is digits, e.g. `geonames: \"524901\"` (the number in https://www.geonames.org/524901)"),
    ];
    for (key, value, ok, help) in ids {
        let Some(v) = value else { continue };
        let pos = pos_of(&v);
        let text = v.value.0.trim().to_string();
        if !ok(&text) {
            report.push(err(
                "E0225",
                pos,
                format!(
                    "`{key}: {text}` of glossary entry `{id}` is not a {} identifier",
                    authority_label(key)
                ),
                format!("{help}; Scholion links it and never looks it up"),
            ));
            continue;
        }
        let slot = match key {
            "wikidata" => &mut out.wikidata,
            "viaf" => &mut out.viaf,
            "gnd" => &mut out.gnd,
            _ => &mut out.geonames,
        };
        *slot = Some(text);
    }
    let for_kind = |key: &str, wanted: TermKind, pos: Pos, report: &mut Report| -> bool {
        if kind == wanted {
            return true;
        }
        report.push(err(
            "E0228",
            pos,
            format!(
                "`{key}:` is for {} entries, and `{id}` is of kind {}",
                wanted.as_str(),
                kind.as_str()
            ),
            format!(
                "remove `{key}:`, or change the entry's kind to `{}` if that is what it is",
                wanted.as_str()
            ),
        ));
        false
    };
    let dates = [
        ("born", y.born, TermKind::Person),
        ("died", y.died, TermKind::Person),
        ("date", y.date, TermKind::Event),
    ];
    for (key, value, wanted) in dates {
        let Some(v) = value else { continue };
        let pos = pos_of(&v);
        if !for_kind(key, wanted, pos, report) {
            continue;
        }
        let text = v.value.0.trim().to_string();
        if date_span(&text).is_none() {
            report.push(err(
                "E0226",
                pos,
                format!("`{key}: {text}` of glossary entry `{id}` is not an ISO 8601 date"),
                DATE_HELP.into(),
            ));
            continue;
        }
        let slot = match key {
            "born" => &mut out.born,
            "died" => &mut out.died,
            _ => &mut out.date,
        };
        *slot = Some(text);
    }
    if let (Some(b), Some(d)) = (&out.born, &out.died) {
        let (born, died) = (date_span(b).map(|s| s.0), date_span(d).map(|s| s.1));
        if died < born {
            report.push(
                Diagnostic::error(
                    "E0226",
                    file,
                    format!("glossary entry `{id}` died ({d}) before being born ({b})"),
                )
                .help("check the two dates: one of them is mistyped"),
            );
            out.died = None;
        }
    }
    if let Some(c) = y.coordinates {
        let pos = pos_of(&c);
        if for_kind("coordinates", TermKind::Place, pos, report) {
            match coordinates(&c.value) {
                Ok(c) => out.coordinates = Some(c),
                Err(why) => report.push(err(
                    "E0227",
                    pos,
                    format!("the coordinates of glossary entry `{id}` {why}"),
                    "write `coordinates: [latitude, longitude]` in decimal degrees, north and east positive, e.g. `coordinates: [55.7558, 37.6173]` for Moscow".into(),
                )),
            }
        }
    }
    out
}

fn coordinates(values: &[Scalar]) -> Result<Coordinates, String> {
    if values.len() != 2 {
        return Err(format!(
            "are {} number{}, not two",
            values.len(),
            if values.len() == 1 { "" } else { "s" }
        ));
    }
    let num = |s: &Scalar| -> Result<f64, String> {
        s.0.trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| format!("have `{}`, which is not a number", s.0))
    };
    let (lat, lon) = (num(&values[0])?, num(&values[1])?);
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "have the latitude {lat}, outside -90 to 90 (are latitude and longitude swapped?)"
        ));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("have the longitude {lon}, outside -180 to 180"));
    }
    Ok(Coordinates { lat, lon })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_identifiers_have_their_published_shape() {
        assert!(wikidata_ok("Q855") && wikidata_ok("Q1"));
        for bad in ["855", "q855", "Q", "Q08", "Q85x", "P31"] {
            assert!(!wikidata_ok(bad), "{bad}");
        }
        assert!(viaf_ok("101787139") && !viaf_ok("viaf101") && !viaf_ok(""));
        assert!(geonames_ok("524901") && !geonames_ok("52 4901"));
        for good in ["118540238", "118540238X", "4015701-6", "2001234-X"] {
            assert!(gnd_ok(good), "{good}");
        }
        for bad in ["4015701", "4015701-66", "218540238", "11854023Y", "-6"] {
            assert!(!gnd_ok(bad), "{bad}");
        }
    }

    #[test]
    fn dates_are_iso_days_months_years_and_intervals() {
        for good in [
            "1957",
            "1957-11",
            "1957-11-14",
            "2000-02-29",
            "-0044-03-15",
            "1957-11-14/1957-11-16",
            "1917/1991",
            "1957-11/1957-11-16",
            "1957-11-14/1957",
            "../1924-01-21",
            "1991-12-26/..",
        ] {
            assert!(date_span(good).is_some(), "{good}");
        }
        for bad in [
            "14 Nov 1957",
            "57",
            "1957-13",
            "1957-02-30",
            "1900-02-29",
            "1957-11-00",
            "1957-1-4",
            "1991/1917",
            "../..",
            "1957-11-14T10:00",
            "",
        ] {
            assert!(date_span(bad).is_none(), "{bad}");
        }
        let (from, to) = date_span("1957-11-14/1957-11-16").unwrap();
        assert!(from < to && from == (1957, 11, 14));
    }

    #[test]
    fn coordinates_are_two_numbers_in_range() {
        let s = |v: &[&str]| v.iter().map(|x| Scalar(x.to_string())).collect::<Vec<_>>();
        let c = coordinates(&s(&["55.7558", "37.6173"])).unwrap();
        assert_eq!((c.lat, c.lon), (55.7558, 37.6173));
        assert!(coordinates(&s(&["-90", "180"])).is_ok());
        assert!(coordinates(&s(&["91", "0"]))
            .unwrap_err()
            .contains("swapped"));
        assert!(coordinates(&s(&["0", "-180.5"]))
            .unwrap_err()
            .contains("longitude"));
        assert!(coordinates(&s(&["55.7"])).unwrap_err().contains("not two"));
        assert!(coordinates(&s(&["north", "0"]))
            .unwrap_err()
            .contains("not a number"));
    }
}
