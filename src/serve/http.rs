//! Just enough HTTP/1.1 for a preview in a browser: `GET` and `HEAD`,
//! keep-alive, fixed-length responses and one long-lived event stream. The
//! parsing and the mapping of a request target to a file of the site are
//! pure functions, tested here without a socket.
//!
//! A request target can only ever name a key of the in-memory site, so no
//! request can reach the file system; targets that try (`..`, `%2e%2e`,
//! backslashes, empty segments, anything not starting with `/`) are still
//! refused with 400 rather than looked up, so a mistake elsewhere could not
//! turn into a traversal.

use std::io::{self, BufRead, Read, Write};

/// The largest request head accepted (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADERS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// `HTTP/1.1` or `HTTP/1.0`.
    pub version: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the client wants the connection kept open after the response.
    pub fn keep_alive(&self) -> bool {
        let conn = self.header("connection").map(|v| v.to_ascii_lowercase());
        let has = |t: &str| {
            conn.as_deref()
                .is_some_and(|c| c.split(',').any(|x| x.trim() == t))
        };
        if self.version == "HTTP/1.0" {
            has("keep-alive")
        } else {
            !has("close")
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The connection closed (or timed out) before a request began.
    Closed,
    /// Malformed request: answer 400 and close.
    Bad(&'static str),
    /// Request head over `MAX_HEAD`: answer 431 and close.
    TooLarge,
}

/// Reads one request head. Bodies are not read: the caller refuses requests
/// that announce one.
pub fn read_request(reader: &mut impl BufRead) -> Result<Request, ReadError> {
    let mut head: Vec<u8> = Vec::with_capacity(512);
    let mut lines: Vec<String> = Vec::new();
    loop {
        let mut line = Vec::new();
        let budget = (MAX_HEAD - head.len()) as u64 + 1;
        match Read::take(&mut *reader, budget).read_until(b'\n', &mut line) {
            Ok(0) => {
                return Err(if head.is_empty() {
                    ReadError::Closed
                } else {
                    ReadError::Bad("the request ended early")
                });
            }
            Ok(_) => {}
            Err(_) if head.is_empty() => return Err(ReadError::Closed),
            Err(_) => return Err(ReadError::Bad("the request could not be read")),
        }
        head.extend_from_slice(&line);
        if head.len() > MAX_HEAD {
            return Err(ReadError::TooLarge);
        }
        if !line.ends_with(b"\n") {
            return Err(ReadError::Bad("the request ended early"));
        }
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        if line.is_empty() {
            if lines.is_empty() {
                // Tolerate blank lines before the request line (RFC 9112 §2.2).
                head.clear();
                continue;
            }
            break;
        }
        let line =
            String::from_utf8(line).map_err(|_| ReadError::Bad("the request head is not UTF-8"))?;
        lines.push(line);
        if lines.len() > MAX_HEADERS + 1 {
            return Err(ReadError::TooLarge);
        }
    }
    parse_head(&lines)
}

/// Parses the lines of a request head (without line ends).
pub fn parse_head(lines: &[String]) -> Result<Request, ReadError> {
    let first = lines.first().ok_or(ReadError::Bad("empty request"))?;
    let mut parts = first.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad("malformed request line"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ReadError::Bad("malformed method"));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(ReadError::Bad("unsupported HTTP version"));
    }
    let mut headers = Vec::new();
    for l in &lines[1..] {
        let (name, value) = l
            .split_once(':')
            .ok_or(ReadError::Bad("malformed header"))?;
        if name.is_empty()
            || name
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return Err(ReadError::Bad("malformed header name"));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers,
    })
}

/// Why a request target was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct BadPath(pub &'static str);

/// A request target split into its decoded path and its query.
#[derive(Debug, PartialEq, Eq)]
pub struct Target {
    /// Decoded path without the leading `/`: `""`, `texts/`, `texts/a.html`.
    pub path: String,
    /// The raw query string (after `?`), if any.
    pub query: Option<String>,
}

/// Decodes and checks a request target (origin form: `/path?query`).
pub fn parse_target(target: &str) -> Result<Target, BadPath> {
    let target = target.split('#').next().unwrap_or_default();
    let (raw, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (target, None),
    };
    if !raw.starts_with('/') {
        return Err(BadPath("the path must start with /"));
    }
    let path = percent_decode(&raw[1..]).ok_or(BadPath("malformed percent-encoding"))?;
    if path.chars().any(|c| c == '\\' || c.is_control()) {
        return Err(BadPath(
            "backslashes and control characters are not allowed",
        ));
    }
    let segments: Vec<&str> = path.split('/').collect();
    for (i, s) in segments.iter().enumerate() {
        if *s == "." || *s == ".." {
            return Err(BadPath("dot segments are not allowed"));
        }
        if s.is_empty() && i + 1 < segments.len() {
            return Err(BadPath("empty path segments are not allowed"));
        }
        if i == 0 && s.len() >= 2 && s.as_bytes()[1] == b':' {
            return Err(BadPath("absolute paths are not allowed"));
        }
    }
    Ok(Target { path, query })
}

/// Percent-decodes a path or query component into UTF-8 (`+` stays `+`).
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The value of `key` in a query string, decoded.
pub fn query_param(query: &str, key: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| percent_decode(&v.replace('+', " ")))
}

/// The file a decoded path names: a folder (`""`, `texts/`) means its
/// `index.html`.
pub fn file_for(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The media type for a file name, by extension; text types in UTF-8.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "jsonld" => "application/ld+json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        // CNAME, .nojekyll, _redirects and other extension-less files are text.
        "" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether a `Host` header names this machine's loopback interface. When
/// the server listens on loopback, other names are refused, so a web page
/// elsewhere cannot read the preview through DNS rebinding.
pub fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        // [::1]:8000
        match rest.split_once(']') {
            Some((ip, _)) => ip,
            None => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                host
            }
        })
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    name.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// A complete response with a body of known length.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Writes the response; `head_only` leaves out the body (for `HEAD`).
    pub fn write_to(
        &self,
        w: &mut impl Write,
        head_only: bool,
        keep_alive: bool,
    ) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (n, v) in &self.headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        head.push_str("Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n");
        head.push_str(if keep_alive {
            "Connection: keep-alive\r\n\r\n"
        } else {
            "Connection: close\r\n\r\n"
        });
        if head_only || self.body.is_empty() {
            w.write_all(head.as_bytes())?;
        } else {
            let mut all = head.into_bytes();
            all.extend_from_slice(&self.body);
            w.write_all(&all)?;
        }
        w.flush()
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> Result<Request, ReadError> {
        read_request(&mut io::BufReader::new(raw.as_bytes()))
    }

    #[test]
    fn a_browser_request_is_parsed() {
        let r = read("GET /texts/a.html?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nConnection: keep-alive\r\n\r\n").unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.target, "/texts/a.html?x=1");
        assert_eq!(r.header("host"), Some("127.0.0.1:8000"));
        assert!(r.keep_alive());
    }

    #[test]
    fn keep_alive_follows_the_version_and_the_connection_header() {
        assert!(!read("GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive());
        assert!(read("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
            .unwrap()
            .keep_alive());
        assert!(!read("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap()
            .keep_alive());
        assert!(read("GET / HTTP/1.1\n\n").unwrap().keep_alive());
    }

    #[test]
    fn malformed_and_oversized_requests_are_refused() {
        assert_eq!(read(""), Err(ReadError::Closed));
        assert!(matches!(read("GET /\r\n\r\n"), Err(ReadError::Bad(_))));
        assert!(matches!(
            read("GET / HTTP/2\r\n\r\n"),
            Err(ReadError::Bad(_))
        ));
        assert!(matches!(
            read("get / HTTP/1.1\r\n\r\n"),
            Err(ReadError::Bad(_))
        ));
        assert!(matches!(
            read("GET / HTTP/1.1\r\nNoColon\r\n\r\n"),
            Err(ReadError::Bad(_))
        ));
        assert!(matches!(
            read("GET / HTTP/1.1\r\nHost: x"),
            Err(ReadError::Bad(_))
        ));
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(read(&huge), Err(ReadError::TooLarge));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS + 5)
        );
        assert_eq!(read(&many), Err(ReadError::TooLarge));
    }

    #[test]
    fn targets_are_decoded_and_split() {
        assert_eq!(
            parse_target("/").unwrap(),
            Target {
                path: "".into(),
                query: None
            }
        );
        assert_eq!(
            parse_target("/texts/a%20b.html?page=x#frag").unwrap(),
            Target {
                path: "texts/a b.html".into(),
                query: Some("page=x".into())
            }
        );
        assert_eq!(parse_target("/texts/").unwrap().path, "texts/");
        assert_eq!(parse_target("/.nojekyll").unwrap().path, ".nojekyll");
    }

    #[test]
    fn traversal_attempts_are_refused() {
        for t in [
            "/../etc/passwd",
            "/texts/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/texts/%2e%2e/%2e%2e/x",
            "/..%2f..%2fetc/passwd",
            "/.%2e/x",
            "/texts/.",
            "/..\\..\\windows\\win.ini",
            "/%5c..%5cx",
            "//etc/passwd",
            "/texts//a.html",
            "/C:/Windows/win.ini",
            "etc/passwd",
            "http://example.org/index.html",
            "*",
            "/%00",
            "/%zz",
            "/%ff%fe",
        ] {
            assert!(parse_target(t).is_err(), "{t} should be refused");
        }
    }

    #[test]
    fn folders_mean_their_index_page() {
        assert_eq!(file_for(""), "index.html");
        assert_eq!(file_for("texts/"), "texts/index.html");
        assert_eq!(file_for("texts/a.html"), "texts/a.html");
    }

    #[test]
    fn query_parameters_are_decoded() {
        assert_eq!(
            query_param("page=texts%2Fa.html&x=1", "page").as_deref(),
            Some("texts/a.html")
        );
        assert_eq!(query_param("x=1", "page"), None);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("texts/a.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("scholion.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("search/index.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("annotations.jsonld"), "application/ld+json");
        assert_eq!(content_type("data.json"), "application/json");
        assert_eq!(content_type("logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("a.png"), "image/png");
        assert_eq!(content_type("a.jpeg"), "image/jpeg");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("CNAME"), "text/plain; charset=utf-8");
        assert_eq!(content_type("x.bin"), "application/octet-stream");
    }

    #[test]
    fn only_loopback_names_pass_the_host_check() {
        for h in [
            "localhost",
            "localhost:8000",
            "127.0.0.1:8000",
            "127.0.0.2",
            "[::1]:8000",
            "reader.localhost:8000",
            "LOCALHOST.",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "example.org",
            "evil.example:8000",
            "10.0.0.1:8000",
            "[::2]:80",
            "localhost.example.org",
            "",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn a_response_has_length_and_no_caching() {
        let mut out = Vec::new();
        Response::new(404, "text/plain", "nope")
            .write_to(&mut out, false, false)
            .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(s.contains("Content-Length: 4\r\n"));
        assert!(s.contains("Cache-Control: no-store\r\n"));
        assert!(s.contains("Connection: close\r\n"));
        assert!(s.ends_with("\r\n\r\nnope"));
        let mut out = Vec::new();
        Response::new(200, "text/plain", "body")
            .write_to(&mut out, true, true)
            .unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("Content-Length: 4\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\n"));
    }
}
