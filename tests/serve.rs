//! End-to-end tests of `scholion serve`: the real binary on a copy of a
//! fixture site, on a port of its own (`--port 0`, read back from the
//! terminal), spoken to over plain TCP as a browser would: pages, the event
//! stream, edits that rebuild, edits that break, and requests that try to
//! leave the site.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn copy_tree(from: &Path, to: &Path) {
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            fs::create_dir_all(&dest).unwrap();
            copy_tree(&p, &dest);
        } else {
            fs::copy(&p, &dest).unwrap();
        }
    }
}

/// A copy of a fixture's `content/` in a temporary folder.
fn site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("content")).unwrap();
    copy_tree(&fixture(name).join("content"), &dir.path().join("content"));
    dir
}

/// A running `scholion serve`; killed when dropped.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scholion"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("Serving at http://127.0.0.1:").nth(1) {
                    let port: u16 = rest.split('/').next().unwrap().parse().unwrap();
                    let _ = tx.send(port);
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let port = match rx.recv_timeout(WAIT) {
            Ok(p) => p,
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not start:\n{}", log.lock().unwrap());
            }
        };
        Server { child, port, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn get(&self, target: &str) -> Reply {
        request(
            self.port,
            &format!(
                "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
                self.port
            ),
        )
    }

    fn events(&self, page: &str) -> Events {
        Events::open(self.port, page)
    }

    /// Waits until the terminal shows `needle` (returns the log).
    fn wait_log(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let log = self.log();
            if log.contains(needle) {
                return log;
            }
            assert!(
                start.elapsed() < WAIT,
                "no {needle:?} in the terminal:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// Sends raw bytes, reads the whole response (the request asks to close).
fn request(port: u16, raw: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    parse_reply(&all)
}

fn parse_reply(all: &[u8]) -> Reply {
    let end = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&all[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: all[end + 4..].to_vec(),
    }
}

/// A client of the event stream, as the injected script is.
struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    fn open(port: u16, page: &str) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET /__scholion/events?page={page} HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut saw_type = false;
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line
                .to_ascii_lowercase()
                .starts_with("content-type: text/event-stream")
            {
                saw_type = true;
            }
            if line == "\r\n" {
                break;
            }
        }
        assert!(saw_type, "the stream has the type text/event-stream");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in reader.lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data = d.to_string();
                } else if line.is_empty()
                    && !name.is_empty()
                    && tx
                        .send((std::mem::take(&mut name), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
            }
        });
        Events { rx }
    }

    /// The next event called `name` (others are skipped), as JSON.
    fn next(&self, name: &str) -> serde_json::Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((n, data)) if n == name => return serde_json::from_str(&data).unwrap(),
                Ok(_) => {}
                Err(_) => panic!("no {name} event within {WAIT:?}"),
            }
        }
    }

    /// Every event that arrives within `d`.
    fn drain(&self, d: Duration) -> Vec<String> {
        let deadline = Instant::now() + d;
        let mut names = Vec::new();
        while let Ok((n, _)) = self
            .rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            names.push(n);
        }
        names
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(path, text.replace(from, to)).unwrap();
}

fn changed(reload: &serde_json::Value) -> Vec<String> {
    reload["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn pages_are_served_with_the_live_script_and_their_types() {
    let dir = site("basic");
    let server = Server::start(dir.path());
    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(index.header("content-type"), "text/html; charset=utf-8");
    assert!(index.text().contains("A Small Reader"));
    assert!(index
        .text()
        .contains(r#"<script src="/__scholion/live.js" data-page="index.html""#));
    let text = server.get("/texts/first-text.html");
    assert_eq!(text.status, 200);
    assert!(text.text().contains(r#"data-page="texts/first-text.html""#));
    assert_eq!(
        server.get("/scholion.css").header("content-type"),
        "text/css; charset=utf-8"
    );
    assert!(!server.get("/scholion.css").text().contains("__scholion"));
    let script = server.get("/__scholion/live.js");
    assert_eq!(
        script.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    assert!(script.text().contains("EventSource"));
    assert_eq!(
        server.get("/__scholion/live.css").header("content-type"),
        "text/css; charset=utf-8"
    );
    assert_eq!(server.get("/index.html?x=1#top").status, 200);
    // HEAD: the headers of GET, no body.
    let head = request(
        server.port,
        &format!(
            "HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            server.port
        ),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        index.header("content-length")
    );
    // Nothing is written into the site folder.
    assert!(!dir.path().join("public").exists());
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["content"]);
}

#[test]
fn unknown_paths_get_a_404_page_and_other_methods_a_405() {
    let dir = site("basic");
    let server = Server::start(dir.path());
    let missing = server.get("/texts/no-such-text.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Not found"));
    assert!(
        missing.text().contains(r#"<a href="/404.html">"#),
        "links to the site's own error page"
    );
    assert_eq!(server.get("/404.html").status, 200);
    assert!(
        missing
            .text()
            .contains(r#"data-page="texts/no-such-text.html""#),
        "the 404 page reloads when the page appears"
    );
    assert_eq!(server.get("/__scholion/other").status, 404);
    let post = request(
        server.port,
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), "GET, HEAD");
    let garbage = request(server.port, "HELLO\r\n\r\n");
    assert_eq!(garbage.status, 400);
}

#[test]
fn traversal_requests_never_leave_the_site() {
    let dir = site("basic");
    fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    let server = Server::start(dir.path());
    for target in [
        "/../secret.txt",
        "/texts/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/texts/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/%00",
    ] {
        let r = request(
            server.port,
            &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(r.status, 400, "{target}");
        assert!(!r.text().contains("secret"), "{target}");
    }
    for target in [
        "/etc/passwd",
        "/secret.txt",
        "/content/site.yaml",
        "/%252e%252e/secret.txt",
        "/texts/",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 404, "{target}");
        assert!(
            !r.text().contains("title: A Small Reader"),
            "{target}: the source is not served"
        );
    }
    let absolute = request(
        server.port,
        "GET http://127.0.0.1/index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(absolute.status, 400);
}

#[test]
fn a_foreign_host_name_is_refused_on_loopback() {
    let dir = site("basic");
    let server = Server::start(dir.path());
    let r = request(
        server.port,
        "GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 403);
    let r = request(
        server.port,
        "GET / HTTP/1.1\r\nHost: localhost:1234\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 200);
}

#[test]
fn an_annotation_edit_reloads_the_pages_that_show_it() {
    let dir = site("basic");
    let server = Server::start(dir.path());
    let page = server.get("/texts/first-text.html").text();
    assert!(!page.contains("edited while serving"));
    let events = server.events("texts/first-text.html");
    let hello = events.next("hello");
    assert_eq!(hello["stamp"], 1);

    edit(
        &dir.path().join("content/annotations/first-text.yaml"),
        "Contains the first note (nested).",
        "Contains the first note (nested), edited while serving.",
    );
    let reload = events.next("reload");
    let changed = changed(&reload);
    assert!(
        changed.contains(&"texts/first-text.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"scholion.css".to_string()),
        "{changed:?}"
    );
    assert!(server
        .get("/texts/first-text.html")
        .text()
        .contains("edited while serving"));
    let log = server.wait_log("rebuilt in");
    assert!(
        log.contains("annotations of first-text changed (content/annotations/first-text.yaml)"),
        "{log}"
    );

    // A page opened later learns the build that last changed it.
    let later = server.events("texts/first-text.html");
    assert_eq!(later.next("hello")["stamp"], reload["build"]);
}

#[test]
fn an_edit_recompiles_only_what_it_changes_and_the_search_follows() {
    let dir = site("basic");
    std::fs::write(
        dir.path().join("content/texts/third.md"),
        "---\ntitle: A Third Text\norder: 3\n---\n\nA paragraph of the third text.\n",
    )
    .unwrap();
    let ann = dir.path().join("content/annotations/third.yaml");
    std::fs::write(
        &ann,
        "notes:\n  - id: a-note\n    anchor: A paragraph\n    body: A note.\n    sources: [\"A source\"]\n",
    )
    .unwrap();
    let server = Server::start(dir.path());
    let events = server.events("texts/third.html");
    events.next("hello");

    edit(&ann, "body: A note.", "body: A note about zeppelins.");
    let reload = events.next("reload");
    let changed = changed(&reload);
    assert!(
        changed.contains(&"texts/third.html".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.iter().any(|p| p.starts_with("texts/first")),
        "{changed:?}"
    );
    // The terminal tells how little was done: one text anchored again, and
    // the pages of the third text, the index, the glossary, the free page,
    // the timeline (it lists the texts) and the script of term previews;
    // none of the three glossary entries' pages, as no term of theirs
    // occurs in the third text and its note names none.
    let log = server.wait_log("texts anchored again");
    assert!(
        log.contains("(6 of 13 pages, 1 of 3 texts anchored again)"),
        "{log}"
    );

    // The search index follows the pages.
    server.wait_log("site-wide files updated");
    let manifest = server.get("/search/manifest.js").text();
    let version = manifest
        .split("\"version\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let fragments: Vec<String> = (0..)
        .map(|i| server.get(&format!("/search/{version}/f{i}.js")))
        .take_while(|r| r.status == 200)
        .map(|r| r.text())
        .collect();
    assert!(!fragments.is_empty());
    assert!(
        fragments.iter().any(|f| f.contains("zeppelins")),
        "{fragments:?}"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_build_and_a_fix_clears_the_error() {
    let dir = site("basic");
    let server = Server::start(dir.path());
    let good = server.get("/texts/first-text.html").text();
    let events = server.events("texts/first-text.html");
    events.next("hello");

    // A quote that is no longer in the text.
    let ann = dir.path().join("content/annotations/first-text.yaml");
    edit(
        &ann,
        "anchor: principle of peaceful coexistence\n",
        "anchor: principle of peaceful coexistence among planets\n",
    );
    let failed = events.next("failed");
    let text = failed["text"].as_str().unwrap();
    assert!(text.contains("error["), "{text}");
    assert!(
        text.contains("content/annotations/first-text.yaml"),
        "{text}"
    );
    let log = server.wait_log("still serving the last good build");
    assert!(log.contains("content/annotations/first-text.yaml"), "{log}");
    let served = server.get("/texts/first-text.html");
    assert_eq!(served.status, 200);
    assert_eq!(served.text(), good, "the last good build is still served");
    // A page opened now shows the error at once.
    let late = server.events("texts/first-text.html");
    late.next("hello");
    assert!(late.next("failed")["text"]
        .as_str()
        .unwrap()
        .contains("first-text.yaml"));

    // Broken YAML as well.
    edit(&ann, "notes:\n", "notes: [\n");
    let failed = events.next("failed");
    assert!(failed["text"].as_str().unwrap().contains("first-text.yaml"));

    // The fix restores the original: the error clears, and since the pages
    // are the same as before, nothing needs to reload.
    edit(&ann, "notes: [\n", "notes:\n");
    edit(
        &ann,
        "anchor: principle of peaceful coexistence among planets\n",
        "anchor: principle of peaceful coexistence\n",
    );
    events.next("fixed");
    late.next("fixed");
    assert!(!events
        .drain(Duration::from_millis(800))
        .contains(&"reload".to_string()));
    assert_eq!(server.get("/texts/first-text.html").text(), good);
}

#[test]
fn a_new_static_file_is_served_without_recompiling() {
    let dir = site("basic");
    let server = Server::start(dir.path());
    assert_eq!(server.get("/extra.css").status, 404);
    let events = server.events("index.html");
    events.next("hello");
    fs::create_dir_all(dir.path().join("static")).unwrap();
    fs::write(dir.path().join("static/extra.css"), "p { color: teal }").unwrap();
    let reload = events.next("reload");
    assert_eq!(changed(&reload), ["extra.css"]);
    let css = server.get("/extra.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.text(), "p { color: teal }");
    assert!(server
        .wait_log("static files refreshed")
        .contains("static files added (static/extra.css)"));
}

#[test]
fn a_folder_without_its_slash_is_redirected_to_its_index() {
    let dir = site("basic");
    fs::create_dir_all(dir.path().join("static/maps")).unwrap();
    fs::write(dir.path().join("static/maps/index.html"), "<p>maps</p>").unwrap();
    let server = Server::start(dir.path());
    let r = server.get("/maps");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), "/maps/");
    let r = server.get("/maps/");
    assert_eq!(r.status, 200);
    assert!(r
        .text()
        .starts_with("<p>maps</p><script src=\"/__scholion/live.js\""));
}

#[test]
fn a_site_that_starts_broken_is_served_once_fixed() {
    let dir = site("basic");
    let site_yaml = dir.path().join("content/site.yaml");
    edit(
        &site_yaml,
        "title: A Small Reader",
        "title: [A Small Reader",
    );
    let server = Server::start(dir.path());
    let r = server.get("/");
    assert_eq!(r.status, 503);
    assert!(r.text().contains("content/site.yaml"), "{}", r.text());
    let events = server.events("index.html");
    assert_eq!(events.next("hello")["stamp"], serde_json::Value::Null);
    edit(
        &site_yaml,
        "title: [A Small Reader",
        "title: A Small Reader",
    );
    events.next("fixed");
    assert!(changed(&events.next("reload")).contains(&"index.html".to_string()));
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn many_concurrent_clients_are_all_answered() {
    let dir = site("basic");
    let server = Server::start(dir.path());
    let port = server.port;
    // Idle event streams do not hold up page requests.
    let _streams: Vec<Events> = (0..20).map(|_| server.events("index.html")).collect();
    let workers: Vec<_> = (0..120)
        .map(|i| {
            std::thread::spawn(move || {
                let target = if i % 2 == 0 {
                    "/"
                } else {
                    "/texts/second-text.html"
                };
                (0..5).all(|_| {
                    request(
                        port,
                        &format!(
                            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        ),
                    )
                    .status
                        == 200
                })
            })
        })
        .collect();
    for w in workers {
        assert!(w.join().unwrap());
    }
    // Several requests on one kept-alive connection.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(b"GET /scholion.css HTTP/1.1\r\nHost: localhost\r\n\r\nGET /scholion.css HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&all)
            .matches("HTTP/1.1 200 OK")
            .count(),
        2
    );
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_taken_port_is_reported_with_a_suggestion() {
    let dir = site("basic");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_scholion"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "cannot listen on 127.0.0.1:{port}: the port is already in use"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("--port {}", port + 1)), "{err}");
}

#[test]
fn a_folder_without_content_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_scholion"))
        .args(["serve", "--port", "0", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no content folder"));
}

#[test]
fn build_output_never_contains_the_live_reload_script() {
    let dir = site("basic");
    let out = dir.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_scholion"))
        .args(["build", "--quiet", "--root"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let files = tree(&out);
    for (p, bytes) in &files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("__scholion"),
            "{}",
            p.display()
        );
    }
    assert!(files.len() > 3);
}

/// Every file of the site folder, with its bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// The preview keeps the site it serves in a temporary file of its own,
/// not in memory: what it serves is what `scholion build` writes (with the
/// live script in its pages), before and after an edit, and it leaves
/// nothing in the site folder, while it runs or after it is stopped.
#[test]
fn the_preview_serves_what_a_build_writes_and_leaves_nothing_behind() {
    let dir = site("basic");
    let before = tree(dir.path());
    let server = Server::start(dir.path());
    let built = tempfile::tempdir().unwrap();
    let build = |out: &Path| {
        let status = Command::new(env!("CARGO_BIN_EXE_scholion"))
            .args(["build", "--quiet", "--root"])
            .arg(dir.path())
            .arg("--out")
            .arg(out)
            .env_remove("SOURCE_DATE_EPOCH")
            .status()
            .unwrap();
        assert!(status.success());
        tree(out)
    };
    let compare = |files: &BTreeMap<PathBuf, Vec<u8>>| {
        // The marker that tells a later build the folder is Scholion's own
        // is the build's, not the site's.
        for (path, bytes) in files.iter().filter(|f| !f.0.ends_with(".scholion-output")) {
            let url = format!("/{}", path.to_str().unwrap().replace('\\', "/"));
            let got = server.get(&url);
            assert_eq!(got.status, 200, "{url}");
            if url.ends_with(".html") {
                let page = got.text();
                let cut = page
                    .find("<script src=\"/__scholion/live.js\"")
                    .expect("the live script");
                let end = cut + page[cut..].find("</script>").unwrap() + "</script>\n".len();
                let without = format!("{}{}", &page[..cut], &page[end..]);
                assert_eq!(without.as_bytes(), &bytes[..], "{url}");
            } else {
                assert!(got.body == *bytes, "{url}");
            }
        }
    };
    let site_wide = || server.wait_log("Search index and annotations.jsonld made");
    site_wide();
    let first = build(&built.path().join("a"));
    assert!(first.len() > 10);
    compare(&first);
    let events = server.events("texts/first-text.html");
    events.next("hello");
    edit(
        &dir.path().join("content/annotations/first-text.yaml"),
        "Contains the first note (nested).",
        "Contains the first note (nested), edited while serving.",
    );
    events.next("reload");
    server.wait_log("site-wide files updated");
    let second = build(&built.path().join("b"));
    assert_ne!(first, second);
    compare(&second);
    let mut expected = before.clone();
    let ann = PathBuf::from("content/annotations/first-text.yaml");
    expected.insert(ann.clone(), fs::read(dir.path().join(&ann)).unwrap());
    assert_eq!(
        tree(dir.path()).keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "nothing added while serving"
    );
    drop(server);
    assert_eq!(tree(dir.path()), expected, "nothing left behind");
}

/// Defect: 300 slow clients (connected, sending nothing or half a request)
/// stalled the preview for many seconds, each holding one of its
/// connection threads until its read timeout (5 s). Now a request that
/// arrives whole is answered at once however many idle clients there are:
/// well within that timeout, so no idle client timed out to make room.
#[test]
fn three_hundred_slow_clients_do_not_stall_the_preview() {
    let dir = site("basic");
    let server = Server::start(dir.path());
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], server.port));
    let slow: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
                .expect("the server accepts every connection");
            if i % 2 == 1 {
                // Half a request head, the rest never sent.
                s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    .unwrap();
            }
            s
        })
        .collect();
    let start = Instant::now();
    let reply = server.get("/texts/second-text.html");
    let took = start.elapsed();
    assert_eq!(reply.status, 200);
    assert!(
        took < Duration::from_secs(4),
        "a request waited {took:?} behind idle clients"
    );
    // The server is still whole, and so are the clients it did not close.
    assert_eq!(server.get("/").status, 200);
    drop(slow);
    assert_eq!(server.get("/").status, 200);
    assert!(!server.log().contains("panicked"), "{}", server.log());
}
