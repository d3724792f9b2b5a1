//! Text as Scholion compares and counts it, below every stage that reads
//! texts: the silent normalisation that anchoring and glossary matching
//! share (`normalize.rs`), words as search splits and folds them
//! (`words/`), spans widened to whole characters as a reader sees them
//! (`graphemes.rs`), typographer's quotes and dashes for metadata
//! (`smart.rs`), and the eight-bytes-at-a-time bit tests of the hot scans
//! (`swar.rs`). No I/O, nothing of the domain model.

pub mod graphemes;
pub mod normalize;
pub mod smart;
pub(crate) mod swar;
pub mod words;
