//! Fuzzes the reader of `content/site.yaml`: any input gives a site or
//! diagnostics that name the file and a line it has, never a panic.
#![no_main]

mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let mut loaded = common::site();
    loaded.site = Some(common::file("content/site.yaml", "site", input));
    common::check(&loaded, "content/site.yaml", input);
});
