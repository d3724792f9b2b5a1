//! The built-in templates and static files, compiled into the binary by
//! `build.rs` from the repository's `templates/` and `static/` folders.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
