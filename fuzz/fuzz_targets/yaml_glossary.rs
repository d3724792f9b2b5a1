//! Fuzzes the reader of `content/glossary.yaml` (and the glossary's checks
//! and term matching that follow): any input gives entries or diagnostics
//! that name the file and a line it has, never a panic.
#![no_main]

mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let mut loaded = common::site();
    loaded.glossary = Some(common::file("content/glossary.yaml", "glossary", input));
    common::check(&loaded, "content/glossary.yaml", input);
});
