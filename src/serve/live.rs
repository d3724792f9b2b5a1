//! Live reload: the script injected into served pages and the event stream
//! (Server-Sent Events) that tells open pages about new builds and broken
//! edits. The script is added to HTML responses of the preview server only,
//! at the moment they are served; the files of a build never contain it.
//!
//! Events on `/__scholion/events?page=<file>`:
//! - `hello` `{"stamp":N|null,"instance":"…"}` on connecting: the build that
//!   last changed the page, so a page that missed a reload catches up;
//! - `reload` `{"build":N,"changed":[paths]}` after a build that changed files;
//! - `failed` `{"text":"…"}` the diagnostics of a broken edit (overlay);
//! - `fixed` `{}` a later build succeeded (overlay removed).

use crate::render::escape::escape;
use serde_json::json;
use std::io::Write;
use std::net::TcpStream;
use std::sync::Mutex;
use std::time::Duration;

/// The path of the event stream; `__scholion/` is reserved by the preview.
pub const EVENTS_PATH: &str = "__scholion/events";
/// Open event streams beyond this many are refused with 503.
pub const MAX_STREAMS: usize = 256;

/// The script, served at `/__scholion/live.js`. It is a file of its own,
/// not inline, so that it runs under the pages' Content-Security-Policy
/// (`default-src 'self'`).
pub const SCRIPT: &str = include_str!("live.js");
/// The overlay's style sheet, served at `/__scholion/live.css`.
pub const STYLE: &str = include_str!("live.css");
pub const SCRIPT_PATH: &str = "__scholion/live.js";
pub const STYLE_PATH: &str = "__scholion/live.css";

/// The tag added to a served HTML page: the script, with the page's path,
/// the build that last changed it and the server instance as attributes.
fn tags(page: &str, stamp: Option<u64>, instance: &str) -> String {
    let stamp = stamp.map(|s| s.to_string()).unwrap_or_default();
    format!(
        "<script src=\"/{SCRIPT_PATH}\" data-page=\"{}\" data-stamp=\"{stamp}\" data-instance=\"{}\"></script>\n",
        escape(page),
        escape(instance)
    )
}

/// Returns `html` with the live-reload script before its last `</body>`
/// (or at its end when it has none).
pub fn inject(html: &[u8], page: &str, stamp: Option<u64>, instance: &str) -> Vec<u8> {
    let tags = tags(page, stamp, instance);
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tags.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tags.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The page for a path the site does not have. The preview uses its own
/// page rather than the site's `404.html`: that page's links are relative
/// to the site root (or point at `base_url`), so served at any other depth
/// they would lead nowhere, and its policy forbids a `<base>` to fix them.
/// `has_site_404` adds a link to the site's page, to preview it.
pub fn not_found_page(path: &str, has_site_404: bool) -> String {
    let path = escape(path);
    let site_404 = if has_site_404 {
        "<p>The page that hosts show instead is <a href=\"/404.html\">404.html</a>.</p>\n"
    } else {
        ""
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Not found</title>\n<style>body{{font:1.1rem/1.5 system-ui,sans-serif;max-width:38rem;margin:3rem auto;padding:0 1rem}}</style>\n</head>\n<body>\n\
         <h1>Not found</h1>\n<p>The site has no page at <code>/{path}</code>.</p>\n<p><a href=\"/\">Go to the collection</a></p>\n{site_404}</body>\n</html>\n"
    )
}

/// The page shown while there has been no good build yet.
pub fn no_build_page(diagnostics: &str) -> String {
    let text = escape(diagnostics);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>The site has errors</title>\n<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:3rem auto;padding:0 1rem}}pre{{white-space:pre-wrap}}</style>\n</head>\n<body>\n\
         <h1>The site has errors</h1>\n<p>Nothing could be built yet. Fix the files named below; this page reloads by itself.</p>\n<pre>{text}</pre>\n</body>\n</html>\n"
    )
}

/// One Server-Sent Event; `data` is JSON (one line).
pub fn event(name: &str, data: &serde_json::Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// The open event streams and the current failure, if any.
#[derive(Default)]
pub struct Hub {
    state: Mutex<HubState>,
}

#[derive(Default)]
struct HubState {
    streams: Vec<TcpStream>,
    /// Diagnostics of the last build when it failed.
    failure: Option<String>,
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, HubState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answers an event-stream request and keeps the stream. `hello` is
    /// computed while the hub is locked, so no build can slip between the
    /// greeting and the registration. Returns false when the stream was
    /// refused or closed at once.
    pub fn subscribe(
        &self,
        mut stream: TcpStream,
        hello: impl FnOnce() -> serde_json::Value,
    ) -> bool {
        let mut state = self.lock();
        if state.streams.len() >= MAX_STREAMS {
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 5\r\nConnection: close\r\n\r\n",
            );
            return false;
        }
        let mut first = String::from(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\nretry: 1000\n\n",
        );
        first.push_str(&event("hello", &hello()));
        if let Some(f) = &state.failure {
            first.push_str(&event("failed", &json!({ "text": f })));
        }
        let _ = stream.set_write_timeout(Some(Duration::from_millis(250)));
        if stream
            .write_all(first.as_bytes())
            .and_then(|_| stream.flush())
            .is_err()
        {
            return false;
        }
        state.streams.push(stream);
        true
    }

    fn send(state: &mut HubState, text: &str) {
        state
            .streams
            .retain_mut(|s| s.write_all(text.as_bytes()).and_then(|_| s.flush()).is_ok());
    }

    /// Tells open pages which files a build changed, and clears a failure.
    pub fn built(&self, build: u64, changed: &[String]) {
        let mut state = self.lock();
        let mut text = String::new();
        if state.failure.take().is_some() {
            text.push_str(&event("fixed", &json!({})));
        }
        if !changed.is_empty() {
            text.push_str(&event(
                "reload",
                &json!({ "build": build, "changed": changed }),
            ));
        }
        if !text.is_empty() {
            Self::send(&mut state, &text);
        }
    }

    /// Tells open pages which files changed, leaving a failure in place (a
    /// static file refreshed while the content is still broken).
    pub fn reload_only(&self, build: u64, changed: &[String]) {
        if changed.is_empty() {
            return;
        }
        let mut state = self.lock();
        let text = event("reload", &json!({ "build": build, "changed": changed }));
        Self::send(&mut state, &text);
    }

    /// Tells open pages that the last edit broke the build.
    pub fn failed(&self, diagnostics: String) {
        let mut state = self.lock();
        let text = event("failed", &json!({ "text": diagnostics }));
        state.failure = Some(diagnostics);
        Self::send(&mut state, &text);
    }

    /// The diagnostics of the failed build, if the last build failed.
    pub fn failure(&self) -> Option<String> {
        self.lock().failure.clone()
    }

    /// A comment line that keeps idle streams open and drops dead ones.
    pub fn ping(&self) {
        let mut state = self.lock();
        Self::send(&mut state, ": ping\n\n");
    }

    /// The number of open streams.
    pub fn streams(&self) -> usize {
        self.lock().streams.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, "index.html", Some(3), "i1")).unwrap();
        let script = out.find("<script src=\"/__scholion/live.js\"").unwrap();
        assert!(script > out.find("<p>x</p>").unwrap());
        assert!(script < out.find("</BODY>").unwrap());
        assert!(out.contains(r#"data-page="index.html" data-stamp="3" data-instance="i1""#));
        assert!(out.ends_with("</BODY></html>"));
    }

    #[test]
    fn a_page_without_body_tag_gets_the_script_at_its_end() {
        let out = String::from_utf8(inject(b"<p>fragment</p>", "a.html", None, "i")).unwrap();
        assert!(out.starts_with("<p>fragment</p><script "));
        assert!(out.contains(r#"data-stamp="""#));
    }

    #[test]
    fn a_hostile_path_cannot_leave_its_attribute() {
        let out =
            String::from_utf8(inject(b"</body>", "\"><script>alert(1)//", None, "i")).unwrap();
        assert!(!out.contains("<script>alert"));
        assert!(out.contains("&quot;&gt;&lt;script&gt;"));
        assert!(!not_found_page("<img src=x onerror=alert(1)>", true).contains("<img"));
    }

    #[test]
    fn events_are_one_json_line() {
        let e = event(
            "failed",
            &json!({ "text": "error[E1]: x\n  --> a.yaml:3:1\n" }),
        );
        assert_eq!(e.lines().count(), 3);
        assert!(e.starts_with("event: failed\ndata: {\"text\":\"error[E1]: x\\n"));
        assert!(e.ends_with("\n\n"));
    }
}
