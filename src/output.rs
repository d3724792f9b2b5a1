//! The unit the pipeline hands from rendering to writing: one file of the
//! published site, by path. A leaf, so that every stage that makes files
//! (render, search, publish) and every place that takes them (the output
//! folder, the preview's memory) share the type without depending on
//! each other.

/// One file of the output, by path relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}
