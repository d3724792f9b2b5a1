//! Scholion: Markdown texts and stand-off YAML annotations become a static
//! reader with notes, a glossary and cross-links.
//!
//! The modules form a one-way pipeline (docs/architecture.md): leaves
//! (model, diagnostics, text, hash, url, output, write) ← `load` ← `parse` ←
//! `document` ← `anchor`, `terms` ← `resolve` ← `render`, `search`,
//! `export` ← `publish` ← `pipeline` (the driver) ← `incremental` ← `serve`;
//! `tests/layers.rs` keeps it so. This file only declares the modules and
//! names the driver's entry points.

#![forbid(unsafe_code)]

pub mod anchor;
pub mod bibliography;
pub mod config;
pub mod diagnostics;
pub mod document;
pub mod embedded;
pub mod export;
pub mod hash;
pub mod image_size;
pub mod import;
pub mod incremental;
pub(crate) mod json;
pub mod load;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod progress;
pub mod publish;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod scratch;
pub mod search;
pub mod serve;
pub mod suggest;
pub mod terms;
#[cfg(test)]
mod testing;
pub mod text;
pub mod url;
pub mod write;

pub use pipeline::{build, check, compile, BuildError, Built, Compiled, Summary};
