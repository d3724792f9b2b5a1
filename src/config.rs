//! Command-line arguments and `site.yaml` settings resolved into one
//! configuration, in one place; only the resolved form travels on.

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// The site folder (holds `content/`).
    pub root: PathBuf,
    /// The output folder (default `ROOT/public`).
    pub out: PathBuf,
    /// `--base-url`, which wins over `site.yaml`.
    pub base_url: Option<String>,
    pub quiet: bool,
    /// Where the pipeline reports how far it got, when someone watches.
    pub progress: Option<std::sync::Arc<crate::progress::Progress>>,
    /// Up to how many bytes of Markdown (all texts together) a build keeps
    /// every text's analysis in memory from anchoring to writing. A larger
    /// collection lets each go once anchored and makes it again from the
    /// file for the text's own files: a little more work, for memory that
    /// no longer grows with the whole collection (docs/performance.md).
    pub hold_texts_max: usize,
}

/// The default of [`Config::hold_texts_max`]: 128 MB of Markdown (about
/// 2,500 texts of 8,000 words), whose analyses take some 170 MB.
pub const HOLD_TEXTS_MAX: usize = 128 << 20;

impl Config {
    pub fn new(
        root: Option<PathBuf>,
        out: Option<PathBuf>,
        base_url: Option<String>,
        quiet: bool,
    ) -> Self {
        let root = root.unwrap_or_else(|| PathBuf::from("."));
        let out = out.unwrap_or_else(|| root.join("public"));
        Config {
            root,
            out,
            base_url,
            quiet,
            progress: None,
            hold_texts_max: HOLD_TEXTS_MAX,
        }
    }
}

/// The edition date when `site.yaml` gives none: `SOURCE_DATE_EPOCH` as a
/// calendar day (UTC), else none. Never the clock: builds are reproducible.
pub fn date_from_source_epoch() -> Option<String> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let days = secs.div_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn source_date_epoch_becomes_a_day() {
        std::env::set_var("SOURCE_DATE_EPOCH", "1795392000");
        assert_eq!(
            super::date_from_source_epoch().as_deref(),
            Some("2026-11-23")
        );
        std::env::remove_var("SOURCE_DATE_EPOCH");
    }
}
