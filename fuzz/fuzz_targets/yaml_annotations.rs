//! Fuzzes the reader of an annotation file (and the anchoring and
//! cross-link checks that follow): any input gives notes or diagnostics
//! that name the file and a line it has, never a panic.
#![no_main]

mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let mut loaded = common::site();
    loaded.annotations = vec![common::file("content/annotations/t.yaml", "t", input)];
    common::check(&loaded, "content/annotations/t.yaml", input);
});
