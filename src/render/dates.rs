//! Dates for people: the `human_date` template filter turns the ISO dates
//! of a text's metadata ("1957-11-14/1957-11-16", "2004-01", "1998") into
//! what a reader expects ("14–16 November 1957", "January 2004", "1998"),
//! each part in a `<time datetime>` that keeps the ISO value for machines.
//! Month names are English; for a site in another language (the filter's
//! `lang` argument) the ISO value is shown as it is. A date that is not in
//! ISO form ("spring 1998") is returned as it stands, escaped.

use super::escape::push_escaped;
use tera::{Kwargs, State, TeraResult, Value};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A year, a month of a year, or a day.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Date {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

fn number(s: &str, len: usize) -> Option<u16> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a real month and day.
fn parse(s: &str) -> Option<Date> {
    let mut parts = s.split('-');
    let year = number(parts.next()?, 4)?;
    let month = match parts.next() {
        Some(m) => Some(
            u8::try_from(number(m, 2)?)
                .ok()
                .filter(|m| (1..=12).contains(m))?,
        ),
        None => None,
    };
    let day = match parts.next() {
        Some(d) => {
            let d = u8::try_from(number(d, 2)?).ok()?;
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month? {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            Some(Some(d).filter(|d| (1..=days).contains(d))?)
        }
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(Date { year, month, day })
}

fn month_name(m: u8) -> &'static str {
    MONTHS[usize::from(m - 1)]
}

/// `<time datetime="iso">words</time>`.
fn time(out: &mut String, iso: &str, words: &str) {
    out.push_str("<time datetime=\"");
    push_escaped(out, iso);
    out.push_str("\">");
    out.push_str(words);
    out.push_str("</time>");
}

/// "14 November 1957", "November 1957" or "1957"; the year left out when
/// `year` is false.
fn words(d: Date, year: bool) -> String {
    let mut w = String::new();
    if let Some(day) = d.day {
        w.push_str(&day.to_string());
        w.push(' ');
    }
    if let Some(m) = d.month {
        w.push_str(month_name(m));
    }
    if year {
        if !w.is_empty() {
            w.push(' ');
        }
        w.push_str(&d.year.to_string());
    }
    w
}

/// A piece of a date for a reader: a date's words with its ISO value, or
/// the dash between two dates.
enum Piece<'a> {
    Date(&'a str, String),
    Between(&'static str),
}

/// The date or interval `s` for a reader (English month names), or None
/// when `s` is not an ISO date or interval.
fn spell(s: &str) -> Option<Vec<Piece<'_>>> {
    if let Some((a, b)) = s.split_once('/') {
        let (x, y) = (parse(a)?, parse(b)?);
        // Of the same precision and in order: "14–16 November 1957",
        // "14 October – 2 November 1957", "1957–1958".
        if !(x < y && x.month.is_some() == y.month.is_some() && x.day.is_some() == y.day.is_some())
        {
            return None;
        }
        let same_year = x.year == y.year;
        let same_month = same_year && x.month == y.month;
        let (first, dash) = if same_month && x.day.is_some() {
            (x.day.unwrap_or(1).to_string(), "–")
        } else if same_year && x.month.is_some() {
            (words(x, false), if x.day.is_some() { " – " } else { "–" })
        } else {
            (words(x, true), if x.month.is_some() { " – " } else { "–" })
        };
        return Some(vec![
            Piece::Date(a, first),
            Piece::Between(dash),
            Piece::Date(b, words(y, true)),
        ]);
    }
    parse(s).map(|d| vec![Piece::Date(s, words(d, true))])
}

/// The date or interval `s` as HTML for a reader (English month names).
pub fn human(s: &str) -> String {
    let s = s.trim();
    let mut out = String::new();
    match spell(s) {
        Some(pieces) => {
            for p in pieces {
                match p {
                    Piece::Date(iso, w) => time(&mut out, iso, &w),
                    Piece::Between(t) => out.push_str(t),
                }
            }
        }
        None => push_escaped(&mut out, s),
    }
    out
}

/// The date or interval `s` as plain text for a reader, as a citation
/// gives it ("14–16 November 1957"); other text as it stands.
pub fn plain(s: &str) -> String {
    let s = s.trim();
    match spell(s) {
        Some(pieces) => pieces
            .into_iter()
            .map(|p| match p {
                Piece::Date(_, w) => w,
                Piece::Between(t) => t.to_string(),
            })
            .collect(),
        None => s.to_string(),
    }
}

/// The `human_date` filter: `{{ text.date | human_date(lang=site.language) }}`.
pub fn filter(val: &str, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let lang = kwargs.get::<&str>("lang")?.unwrap_or("en");
    if lang == "en" || lang.starts_with("en-") {
        return Ok(Value::safe_string(&human(val)));
    }
    let mut out = String::new();
    let plain = val.trim();
    let iso = plain.split('/').all(|p| parse(p).is_some());
    if iso && !plain.contains('/') {
        time(&mut out, plain, plain);
    } else {
        push_escaped(&mut out, plain);
    }
    Ok(Value::safe_string(&out))
}

#[cfg(test)]
mod tests {
    use super::{human, plain};

    #[test]
    fn dates_read_as_a_citation_gives_them() {
        assert_eq!(
            human("1957-11-14/1957-11-16"),
            "<time datetime=\"1957-11-14\">14</time>–<time datetime=\"1957-11-16\">16 November 1957</time>"
        );
        assert_eq!(
            human("2004-01"),
            "<time datetime=\"2004-01\">January 2004</time>"
        );
        assert_eq!(human("1998"), "<time datetime=\"1998\">1998</time>");
        assert_eq!(
            human("1957-11-14"),
            "<time datetime=\"1957-11-14\">14 November 1957</time>"
        );
        assert_eq!(
            human("1957-10-30/1957-11-02"),
            "<time datetime=\"1957-10-30\">30 October</time> – <time datetime=\"1957-11-02\">2 November 1957</time>"
        );
        assert_eq!(
            human("1957-10/1957-11"),
            "<time datetime=\"1957-10\">October</time>–<time datetime=\"1957-11\">November 1957</time>"
        );
        assert_eq!(
            human("1956/1957"),
            "<time datetime=\"1956\">1956</time>–<time datetime=\"1957\">1957</time>"
        );
        assert_eq!(
            human("1956-12-30/1957-01-02"),
            "<time datetime=\"1956-12-30\">30 December 1956</time> – <time datetime=\"1957-01-02\">2 January 1957</time>"
        );
    }

    #[test]
    fn other_text_stays_as_written_and_escaped() {
        for s in [
            "spring 1998",
            "1957-13",
            "1957-02-30",
            "1958/1957",
            "1957/1957-11",
            "about <1900>",
        ] {
            let h = human(s);
            assert!(!h.contains("<time"), "{s}: {h}");
        }
        assert_eq!(human("about <1900>"), "about &lt;1900&gt;");
        assert_eq!(
            human("2000-02-29"),
            "<time datetime=\"2000-02-29\">29 February 2000</time>"
        );
        assert!(!human("1900-02-29").contains("<time"));
    }

    #[test]
    fn plain_dates_for_citations() {
        assert_eq!(plain("1957-11-14/1957-11-16"), "14–16 November 1957");
        assert_eq!(plain("2004-01"), "January 2004");
        assert_eq!(plain(" 1998 "), "1998");
        assert_eq!(plain("spring 1998"), "spring 1998");
    }
}
