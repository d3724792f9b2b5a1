//! The connections' threads of `scholion serve`: each reads requests with
//! deadlines, keeps a connection alive while no newer one needs its place,
//! and answers from the in-memory site (the live-reload script injected
//! into pages, the event stream handed to the hub, a folder redirected to
//! its slash, a 404 page of the site's own or the preview's).

use super::http::{self, ReadError, Request, Response};
use super::{live, read, Shared};
use serde_json::json;
use std::io::{self, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest wait for the next byte of a request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest time a client may take to send one request head.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests served on one kept-alive connection before it is closed.
const MAX_REQUESTS_PER_CONNECTION: usize = 1000;

struct SlotGuard(Arc<Shared>);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        self.0.slots.release();
    }
}

pub(super) fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    loop {
        shared.slots.acquire();
        let guard = SlotGuard(Arc::clone(shared));
        let stream = match listener.accept() {
            Ok((s, _)) => s,
            Err(_) => {
                // Out of file descriptors or a connection reset before it
                // was accepted: wait a moment rather than spin.
                drop(guard);
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        let spawned = std::thread::Builder::new()
            .name("scholion-http".into())
            .stack_size(256 * 1024)
            .spawn(move || {
                let shared = Arc::clone(&guard.0);
                connection(&shared, stream);
                drop(guard);
            });
        if spawned.is_err() {
            // The closure, the stream and the slot were dropped with it.
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A reader that gives up when a request takes too long to arrive, however
/// slowly its bytes trickle in.
struct DeadlineReader {
    stream: TcpStream,
    deadline: Instant,
}

impl Read for DeadlineReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "request deadline passed",
            ));
        }
        self.stream.set_read_timeout(Some(left.min(READ_TIMEOUT)))?;
        self.stream.read(buf)
    }
}

/// What a request leads to.
enum Reply {
    Response(Response),
    /// The event stream: the connection is handed to the hub.
    Events {
        page: String,
    },
}

fn connection(shared: &Shared, mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(DeadlineReader {
        stream: clone,
        deadline: Instant::now() + REQUEST_DEADLINE,
    });
    for served in 1..=MAX_REQUESTS_PER_CONNECTION {
        reader.get_mut().deadline = Instant::now() + REQUEST_DEADLINE;
        let waiting = shared.slots.waiting(&stream);
        let req = match http::read_request(&mut reader) {
            Ok(r) => r,
            Err(ReadError::Closed) => return,
            Err(ReadError::Bad(why)) => {
                let _ = text_response(400, &format!("Bad request: {why}\n")).write_to(
                    &mut stream,
                    false,
                    false,
                );
                return;
            }
            Err(ReadError::TooLarge) => {
                let _ = text_response(431, "Request head too large\n").write_to(
                    &mut stream,
                    false,
                    false,
                );
                return;
            }
        };
        drop(waiting);
        let head_only = req.method == "HEAD";
        let has_body = req.header("transfer-encoding").is_some()
            || req
                .header("content-length")
                .is_some_and(|v| v.trim() != "0");
        let keep = req.keep_alive()
            && !has_body
            && served < MAX_REQUESTS_PER_CONNECTION
            && !shared.slots.busy();
        match reply(shared, &req) {
            Reply::Response(resp) => {
                if resp.write_to(&mut stream, head_only, keep).is_err() || !keep {
                    return;
                }
            }
            Reply::Events { page } => {
                let hello = || json!({ "stamp": read(&shared.output).stamp(&page), "instance": shared.instance });
                shared.hub.subscribe(stream, hello);
                return;
            }
        }
    }
}

fn text_response(status: u16, body: &str) -> Response {
    Response::new(status, "text/plain; charset=utf-8", body)
}

/// Answers one request from the served site.
fn reply(shared: &Shared, req: &Request) -> Reply {
    if req.method != "GET" && req.method != "HEAD" {
        return Reply::Response(
            text_response(405, "Only GET and HEAD are supported\n").header("Allow", "GET, HEAD"),
        );
    }
    if shared.loopback {
        if let Some(host) = req.header("host") {
            if !http::is_loopback_host(host) {
                return Reply::Response(text_response(
                    403,
                    "This preview answers only to localhost; use --bind to serve it under another name\n",
                ));
            }
        }
    }
    if req.header("transfer-encoding").is_some()
        || req
            .header("content-length")
            .is_some_and(|v| v.trim() != "0")
    {
        return Reply::Response(text_response(
            413,
            "Requests with a body are not supported\n",
        ));
    }
    let target = match http::parse_target(&req.target) {
        Ok(t) => t,
        Err(http::BadPath(why)) => {
            return Reply::Response(text_response(400, &format!("Bad request: {why}\n")))
        }
    };
    if target.path == live::EVENTS_PATH {
        let page = target
            .query
            .as_deref()
            .and_then(|q| http::query_param(q, "page"))
            .unwrap_or_default();
        return Reply::Events { page };
    }
    if target.path == live::SCRIPT_PATH {
        return Reply::Response(Response::new(
            200,
            http::content_type(live::SCRIPT_PATH),
            live::SCRIPT,
        ));
    }
    if target.path == live::STYLE_PATH {
        return Reply::Response(Response::new(
            200,
            http::content_type(live::STYLE_PATH),
            live::STYLE,
        ));
    }
    let file = http::file_for(&target.path);
    let reserved = target.path.starts_with("__scholion/");
    let folder_index = format!("{}/index.html", target.path);
    // Take what is needed and let the lock go at once: the hub is never
    // asked for while the output is locked (the hub locks the other way).
    let (empty, entry, folder, has_site_404) = {
        let output = read(&shared.output);
        (
            output.is_empty(),
            output.read(&file).filter(|_| !reserved),
            !target.path.is_empty()
                && !target.path.ends_with('/')
                && !reserved
                && output.get(&folder_index).is_some(),
            output.get("404.html").is_some(),
        )
    };
    if empty {
        let failure = shared.hub.failure().unwrap_or_default();
        let page = live::no_build_page(&failure);
        let body = live::inject(page.as_bytes(), &file, None, &shared.instance);
        return Reply::Response(
            Response::new(503, "text/html; charset=utf-8", body).header("Retry-After", "1"),
        );
    }
    match entry {
        Some(Ok((bytes, stamp))) => {
            let ctype = http::content_type(&file);
            let body = if ctype.starts_with("text/html") {
                live::inject(&bytes, &file, Some(stamp), &shared.instance)
            } else {
                bytes
            };
            return Reply::Response(Response::new(200, ctype, body));
        }
        Some(Err(e)) => {
            let text = format!(
                "The preview could not read its copy of /{file}: {e}\nRestart `scholion serve`.\n"
            );
            return Reply::Response(text_response(500, &text));
        }
        None => {}
    }
    // A folder asked for without its slash: redirect, so that the relative
    // links of its index page work.
    if folder {
        let location = format!("/{}/", encode_path(&target.path));
        return Reply::Response(text_response(301, "Moved\n").header("Location", location));
    }
    let page = live::not_found_page(&target.path, has_site_404).into_bytes();
    let body = live::inject(&page, &file, None, &shared.instance);
    Reply::Response(Response::new(404, "text/html; charset=utf-8", body))
}

/// Percent-encodes a decoded path for a `Location` header.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_locations_are_encoded() {
        assert_eq!(encode_path("texts/a b"), "texts/a%20b");
        assert_eq!(encode_path("é"), "%C3%A9");
    }
}
