//! `map.html`: the glossary's places with `coordinates:` on an outline of
//! the world's land drawn by Scholion itself, so the page needs no tile
//! server, no request and no JavaScript, and works from `file://`; then the
//! same places as a list, each a link to its entry's page (which links back
//! to `#m-<id>`). The outline (`world-110m.path`, 32 KB) is Natural Earth's
//! 1:110m land (public domain), from the world-atlas package's
//! `land-110m.json` (ISC licence), drawn as one SVG path in an
//! equirectangular projection: x = (longitude + 180) × 10, y = (90 −
//! latitude) × 10, so the world is the box 0 0 3600 1800 (a ring that
//! crosses the antimeridian is drawn whole past the box's edge, and again
//! from the other edge). The page shows
//! the part of the world its places are in (at least 90° by 45°). The page
//! is made only when an entry has coordinates.

use super::{common, render, OutputFile, SiteView};
use crate::diagnostics::Diagnostic;
use crate::resolve::Resolved;
use serde::Serialize;
use tera::Tera;

/// The world's land as one SVG path (see the module's notes).
const LAND: &str = include_str!("world-110m.path");

#[derive(Serialize)]
struct Place {
    id: String,
    term: String,
    href: String,
    /// "55.7558° N", "37.6173° E".
    lat: String,
    lon: String,
    /// The point in the map's coordinates.
    x: String,
    y: String,
}

/// Whether the site has a map: an entry with coordinates.
pub fn has_map(r: &Resolved) -> bool {
    r.corpus
        .glossary
        .iter()
        .any(|g| g.entity.coordinates.is_some())
}

fn degrees(v: f64, pos: char, neg: char) -> String {
    let hemisphere = if v < 0.0 { neg } else { pos };
    format!("{}° {hemisphere}", v.abs())
}

/// A number of the SVG, with at most one decimal.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

pub(super) fn map_page(
    r: &Resolved,
    tera: &Tera,
    site: &SiteView,
) -> Result<OutputFile, Diagnostic> {
    let g = &r.corpus.glossary;
    let mut order: Vec<usize> = (0..g.len())
        .filter(|&i| g[i].entity.coordinates.is_some())
        .collect();
    order.sort_by_cached_key(|&i| (g[i].sort_text().to_lowercase(), g[i].id.clone()));
    let points: Vec<(f64, f64)> = order
        .iter()
        .map(|&i| {
            let c = g[i].entity.coordinates.expect("filtered");
            ((c.lon + 180.0) * 10.0, (90.0 - c.lat) * 10.0)
        })
        .collect();
    let places: Vec<Place> = order
        .iter()
        .zip(&points)
        .map(|(&i, &(x, y))| {
            let c = g[i].entity.coordinates.expect("filtered");
            Place {
                id: g[i].id.clone(),
                term: g[i].term.clone(),
                href: crate::model::entity_path(&g[i].id, 1),
                lat: degrees(c.lat, 'N', 'S'),
                lon: degrees(c.lon, 'E', 'W'),
                x: num(x),
                y: num(y),
            }
        })
        .collect();
    let (w, h, x0, y0) = view(&points);
    #[derive(Serialize)]
    struct Extra {
        places: Vec<Place>,
        view_box: String,
        land: &'static str,
        /// The markers' radius and the labels' size, in the map's units.
        marker: String,
        font: String,
    }
    let c = common(r, site, "", "Map".into(), "map");
    let html = render(
        tera,
        "map.html",
        &c,
        Extra {
            places,
            view_box: format!("{} {} {} {}", num(x0), num(y0), num(w), num(h)),
            land: LAND,
            marker: num(w / 160.0),
            font: num(w / 55.0),
        },
        LAND.len() + 8192,
    )?;
    Ok(OutputFile {
        path: "map.html".into(),
        bytes: html,
    })
}

/// The part of the world shown: the places' box with 15° around it, at
/// least 90° by 45° and twice as wide as high at most, kept inside the
/// world; as width, height, left, top.
fn view(points: &[(f64, f64)]) -> (f64, f64, f64, f64) {
    let (mut x_min, mut x_max, mut y_min, mut y_max) = (3600.0f64, 0.0f64, 1800.0f64, 0.0f64);
    for &(x, y) in points {
        x_min = x_min.min(x);
        x_max = x_max.max(x);
        y_min = y_min.min(y);
        y_max = y_max.max(y);
    }
    let mut w = (x_max - x_min + 300.0).clamp(900.0, 3600.0);
    let mut h = (y_max - y_min + 300.0).max(450.0).max(w / 2.0).min(1800.0);
    w = w.max(h).min(3600.0);
    h = h.min(1800.0);
    let cx = (x_min + x_max) / 2.0;
    let cy = (y_min + y_max) / 2.0;
    let x0 = (cx - w / 2.0).clamp(0.0, 3600.0 - w);
    let y0 = (cy - h / 2.0).clamp(0.0, 1800.0 - h);
    (w, h, x0, y0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_holds_every_place_and_stays_inside_the_world() {
        // Moscow alone: a window of 90° by 45° around it.
        let moscow = [((37.6173 + 180.0) * 10.0, (90.0 - 55.7558) * 10.0)];
        let (w, h, x0, y0) = view(&moscow);
        assert_eq!((w, h), (900.0, 450.0));
        assert!(x0 < moscow[0].0 && moscow[0].0 < x0 + w);
        assert!(y0 < moscow[0].1 && moscow[0].1 < y0 + h);
        // Places at both ends of the world: all of it.
        let (w, h, x0, y0) = view(&[(10.0, 100.0), (3590.0, 1700.0)]);
        assert_eq!((w, h, x0, y0), (3600.0, 1800.0, 0.0, 0.0));
        // Near the edge: kept inside.
        let (w, _, x0, y0) = view(&[(5.0, 5.0)]);
        assert_eq!((x0, y0), (0.0, 0.0));
        assert_eq!(w, 900.0);
    }

    #[test]
    fn the_outline_is_one_path_of_relative_moves() {
        assert!(LAND.starts_with('M') && LAND.ends_with('z'));
        assert!(LAND
            .bytes()
            .all(|b| b.is_ascii_digit() || b"Mlz -".contains(&b)));
        assert!(LAND.len() < 40_000);
    }
}
