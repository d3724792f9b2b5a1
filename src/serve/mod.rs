//! `scholion serve`: a live preview while annotating. The site is compiled
//! in memory (never into `public/`), served over HTTP on loopback, and
//! rebuilt when a file under `content/`, `templates/` or `static/` changes;
//! open pages reload through an event stream, keeping their scroll position,
//! and a broken edit shows its diagnostics over the page while the last good
//! build stays online. See docs/serve.md for the choices made here.
//!
//! - `change.rs`: what a changed path means (`ChangeKind`) and what to do (`Plan`)
//! - `watch.rs`: polling the folders and debouncing bursts of changes
//! - `output.rs`: the served files, swapped file by file after each build
//! - `http.rs`: request parsing, target checking, content types
//! - `connections.rs`: the cap on connections, and closing idle ones for new ones
//! - `live.rs`: the injected script and the event stream

pub mod change;
pub mod connections;
pub mod http;
pub mod live;
pub mod output;
pub mod watch;

use crate::config::Config;
use crate::diagnostics::{Report, Severity};
use crate::output::OutputFile;
use change::Plan;
use http::{ReadError, Request, Response};
use output::Output;
use serde_json::json;
use std::collections::HashSet;
use std::io::{self, BufReader, Read};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Connections handled at once (one thread each); a new one beyond them
/// closes the connection that has waited longest for a request.
pub const MAX_CONNECTIONS: usize = 128;
/// How long a connection may wait for a request before a new connection,
/// finding every place taken, may close it.
const IDLE_GRACE: Duration = Duration::from_millis(250);
/// Longest wait for the next byte of a request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest time a client may take to send one request head.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Requests served on one kept-alive connection before it is closed.
const MAX_REQUESTS_PER_CONNECTION: usize = 1000;
/// While the site-wide files are made, how often the folders are listed to
/// see whether a newer edit is waiting.
const STOP_CHECK_EVERY: Duration = Duration::from_millis(100);
/// How often idle event streams get a keep-alive comment.
const PING_EVERY: Duration = Duration::from_secs(15);

/// The resolved options of `scholion serve`.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub port: u16,
    /// An IP address or a host name of this machine.
    pub bind: String,
    /// Open the site in a browser once it is served.
    pub open: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: the port is already in use")]
    PortInUse { addr: SocketAddr },
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: io::Error },
    #[error("cannot listen on {bind:?}: {reason}")]
    BadBind { bind: String, reason: String },
    #[error("no content folder at {}", .0.display())]
    NoContent(PathBuf),
}

impl ServeError {
    /// A suggestion to print under the message.
    pub fn help(&self) -> Option<String> {
        match self {
            ServeError::PortInUse { addr } => Some(format!(
                "another program (perhaps another `scholion serve`) uses port {}; choose another one: scholion serve --port {}",
                addr.port(),
                addr.port().checked_add(1).unwrap_or(8001)
            )),
            ServeError::Listen { source, .. } if source.kind() == io::ErrorKind::PermissionDenied => {
                Some("ports below 1024 need special privileges; use a higher one, such as --port 8000".into())
            }
            ServeError::Listen { .. } => None,
            ServeError::BadBind { .. } => {
                Some("--bind takes an address of this machine, such as 127.0.0.1 (the default), ::1 or 0.0.0.0".into())
            }
            ServeError::NoContent(_) => {
                Some("run Scholion in a site folder (one with content/site.yaml), or pass --root DIR".into())
            }
        }
    }

    /// The exit code: 1 for a site folder without content, 2 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            ServeError::NoContent(_) => 1,
            _ => 2,
        }
    }
}

/// What the server threads share.
struct Shared {
    config: Config,
    output: RwLock<Output>,
    hub: live::Hub,
    /// Differs between runs, so open pages reload after a restart.
    instance: String,
    /// Listening on loopback: requests must name a loopback host.
    loopback: bool,
    slots: connections::Connections,
}

/// Builds the site, serves it and rebuilds on change. Returns only when the
/// server cannot start; otherwise runs until the process is interrupted.
pub fn serve(options: &Options) -> Result<(), ServeError> {
    let config = Config::new(Some(options.root.clone()), None, None, true);
    let addr = resolve_bind(&options.bind, options.port)?;
    if !config.root.join("content").is_dir() {
        return Err(ServeError::NoContent(config.root.join("content")));
    }
    let listener = TcpListener::bind(addr).map_err(|source| match source.kind() {
        io::ErrorKind::AddrInUse => ServeError::PortInUse { addr },
        io::ErrorKind::AddrNotAvailable => ServeError::BadBind {
            bind: options.bind.clone(),
            reason: "not an address of this machine".into(),
        },
        _ => ServeError::Listen { addr, source },
    })?;
    let local = listener.local_addr().unwrap_or(addr);

    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let shared = Arc::new(Shared {
        config,
        output: RwLock::new(Output::default()),
        hub: live::Hub::default(),
        instance: format!("{:x}-{:x}", started.as_nanos(), std::process::id()),
        loopback: local.ip().is_loopback(),
        slots: connections::Connections::new(MAX_CONNECTIONS, IDLE_GRACE),
    });

    // The listing is taken before the first build, so an edit made while
    // it runs still triggers a rebuild.
    let snapshot = watch::scan(&shared.config.root);
    let mut builder = Builder {
        last_report: String::new(),
        session: crate::incremental::Session::new(shared.config.clone()),
        site_paths: HashSet::new(),
    };
    let start = Instant::now();
    builder.full(&shared, start, None);

    let url = site_url(local);
    eprintln!("Serving at {url}  (watching content/, templates/ and static/; Ctrl-C to stop)");
    if local.ip().is_unspecified() {
        eprintln!("note: listening on every network interface: other machines on the network can read the preview");
    }
    if options.open {
        open_browser(&url);
    }

    let watcher = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("scholion-watch".into())
        .spawn(move || builder.watch(&watcher, snapshot))
        .map_err(|source| ServeError::Listen {
            addr: local,
            source,
        })?;

    accept_loop(&listener, &shared);
    Ok(())
}

/// The address to listen on, from `--bind` and `--port`.
fn resolve_bind(bind: &str, port: u16) -> Result<SocketAddr, ServeError> {
    let bad = |reason: String| ServeError::BadBind {
        bind: bind.to_string(),
        reason,
    };
    let host = bind.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    let mut addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| bad(e.to_string()))?;
    addrs
        .next()
        .ok_or_else(|| bad("the name has no address".into()))
}

/// The address to show and to open: a wildcard address becomes loopback.
fn site_url(local: SocketAddr) -> String {
    let ip = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    match ip {
        IpAddr::V4(ip) => format!("http://{ip}:{}/", local.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", local.port()),
    }
}

/// Opens `url` in the default browser if a launcher exists; never fails.
fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let child = std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match child {
        // Reap the launcher when it exits.
        Ok(mut c) => {
            let _ = std::thread::Builder::new()
                .name("scholion-open".into())
                .spawn(move || c.wait());
        }
        Err(_) => eprintln!(
            "note: could not start a browser ({program} is not available); open {url} yourself"
        ),
    }
}

// ---------------------------------------------------------------------------
// Building

/// Runs builds and reports them in the terminal and to open pages.
struct Builder {
    /// The last diagnostics printed, so unchanged warnings are not repeated.
    last_report: String,
    /// What is kept between compiles, so an edit recompiles only what it
    /// changes (`crate::incremental`).
    session: crate::incremental::Session,
    /// The site-wide files (search index, `annotations.jsonld` …) served.
    site_paths: HashSet<String>,
}

impl Builder {
    /// Polls the watched folders and rebuilds after each settled batch.
    fn watch(mut self, shared: &Shared, mut snapshot: watch::Snapshot) {
        let mut debouncer = watch::Debouncer::default();
        let mut last_ping = Instant::now();
        loop {
            std::thread::sleep(if debouncer.is_settling() {
                watch::POLL_SETTLING
            } else {
                watch::POLL
            });
            let now_snapshot = watch::scan(&shared.config.root);
            let changes = watch::diff(&snapshot, &now_snapshot);
            let (now, now_system) = (Instant::now(), std::time::SystemTime::now());
            let written = watch::newest_write(&changes, &now_snapshot)
                .and_then(|m| watch::written_at(m, now_system, now));
            snapshot = now_snapshot;
            debouncer.observe(changes, now, written);
            if debouncer.ready(Instant::now()) {
                let start = Instant::now();
                let batch = debouncer.take();
                match change::plan(&batch) {
                    Plan::Nothing => {}
                    Plan::Static => {
                        eprintln!("{}", change::describe(&batch));
                        self.statics(shared, start);
                    }
                    Plan::Full => {
                        eprintln!("{}", change::describe(&batch));
                        self.full(shared, start, Some(&snapshot));
                    }
                }
            }
            if last_ping.elapsed() >= PING_EVERY {
                shared.hub.ping();
                last_ping = Instant::now();
            }
        }
    }

    /// Compiles what changed in memory and swaps in the changed files: the
    /// pages first (open pages reload then), then the site-wide files, which
    /// take longest on a large site and no open page depends on. `watched`
    /// is the listing the edit was seen in (`None` for the first build):
    /// when the folders change again while the site-wide files are being
    /// made, they are given up, and the next compile, which follows at
    /// once, makes them.
    fn full(&mut self, shared: &Shared, start: Instant, watched: Option<&watch::Snapshot>) {
        let root = &shared.config.root;
        let first = watched.is_none();
        let last_look = Mutex::new(Instant::now());
        let stop = || {
            let Some(watched) = watched else {
                return false;
            };
            let mut last = last_look.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() < STOP_CHECK_EVERY {
                return false;
            }
            let changes = watch::diff(watched, &watch::scan(root));
            *last = Instant::now();
            matches!(change::plan(&changes), Plan::Full)
        };
        let Builder {
            last_report,
            session,
            site_paths,
        } = self;
        let mut pages_ok = false;
        let mut page_paths: HashSet<String> = HashSet::new();
        let mut pages_ms = 0;
        let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            session.compile(
                |pages| {
                    print_report(last_report, &pages.report, root);
                    if pages.report.errors() > 0 {
                        fail(shared, &pages.report);
                        return;
                    }
                    pages_ok = true;
                    page_paths = pages.paths.iter().cloned().collect();
                    let mut all = page_paths.clone();
                    all.extend(site_paths.iter().cloned());
                    let total = pages.paths.len() + site_paths.len();
                    let update = read(&shared.output).compare_within(pages.files, &all);
                    let changed = update.paths();
                    let line = changed_line(&update, total);
                    let build = write(&shared.output).apply(update);
                    shared.hub.built(build, &changed);
                    pages_ms = start.elapsed().as_millis();
                    if !first {
                        let what = if pages.all {
                            format!("all {} pages", pages.total)
                        } else {
                            format!("{} of {} pages", pages.rendered, pages.total)
                        };
                        eprintln!(
                        "rebuilt in {pages_ms} ms ({what}, {} of {} texts anchored again): {line}",
                        pages.anchored, pages.summary.texts
                    );
                    } else {
                        eprintln!(
                            "Built {} ({} pages) in memory in {pages_ms} ms",
                            pages.summary, pages.total
                        );
                    }
                },
                &stop,
            )
        }));
        let site = match compiled {
            Ok(site) => site,
            Err(_) => {
                // The session may be half updated: start afresh next time.
                *session = crate::incremental::Session::new(shared.config.clone());
                let text = "error: internal error: the build stopped unexpectedly (a bug in Scholion; please report it)\n".to_string();
                eprint!("{text}");
                shared.hub.failed(text);
                return;
            }
        };
        let Some(site) = site else {
            if pages_ok {
                eprintln!(
                    "search index and annotations.jsonld left for the next edit, which is waiting"
                );
            }
            return;
        };
        // A static file of the same path wins, as in `scholion build`.
        let site: Vec<OutputFile> = site
            .into_iter()
            .filter(|f| !page_paths.contains(&f.path))
            .collect();
        let new_site: HashSet<String> = site.iter().map(|f| f.path.clone()).collect();
        let old_site = std::mem::replace(site_paths, new_site.clone());
        let mut all: HashSet<String> = read(&shared.output)
            .paths()
            .filter(|p| !old_site.contains(*p))
            .map(str::to_string)
            .collect();
        all.extend(new_site);
        let update = read(&shared.output).compare_within(site, &all);
        let line = changed_line(&update, all.len());
        let changed = update.paths();
        let build = write(&shared.output).apply(update);
        shared.hub.reload_only(build, &changed);
        let ms = start.elapsed().as_millis();
        if first {
            eprintln!(
                "Search index and annotations.jsonld made in {} ms",
                ms - pages_ms
            );
        } else {
            eprintln!(
                "site-wide files updated in {} ms more: {line}",
                ms.saturating_sub(pages_ms)
            );
        }
    }

    /// Re-reads the static files only and swaps in those that changed.
    fn statics(&mut self, shared: &Shared, start: Instant) {
        let mut report = Report::default();
        let files = crate::render::static_files(&shared.config.root, &mut report);
        if report.errors() > 0 {
            self.print_report(&report, &shared.config.root);
            fail(shared, &report);
            return;
        }
        let total = read(&shared.output).len();
        let update = read(&shared.output).compare_partial(files);
        let changed = update.paths();
        let line = changed_line(&update, total);
        let build = write(&shared.output).apply(update);
        // A content failure is still a failure: the overlay stays.
        if shared.hub.failure().is_some() {
            shared.hub.reload_only(build, &changed);
        } else {
            shared.hub.built(build, &changed);
        }
        eprintln!(
            "static files refreshed in {} ms: {}",
            start.elapsed().as_millis(),
            line
        );
    }

    fn print_report(&mut self, report: &Report, root: &std::path::Path) {
        print_report(&mut self.last_report, report, root);
    }
}

/// Prints the diagnostics of a build, unless they are those printed last.
fn print_report(last_report: &mut String, report: &Report, root: &std::path::Path) {
    let text = report.render_human(root);
    if text != *last_report {
        eprint!("{text}");
        *last_report = text;
    } else if report.warnings() > 0 && report.errors() == 0 {
        eprintln!("({} warning(s), as before)", report.warnings());
    }
}

/// Reports a failed build to the terminal and the open pages.
fn fail(shared: &Shared, report: &Report) {
    let errors = Report {
        diagnostics: report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect(),
    };
    let good = !read(&shared.output).is_empty();
    eprintln!(
        "error: the build has {} error(s); {}",
        report.errors(),
        if good {
            "still serving the last good build"
        } else {
            "nothing to serve until they are fixed"
        }
    );
    shared.hub.failed(errors.render_human(&shared.config.root));
}

/// The terminal's account of a swap: the paths when few, else counts.
/// `total` is the number of files of the new build.
fn changed_line(update: &output::Update, total: usize) -> String {
    let paths = update.paths();
    match paths.len() {
        0 => "no file changed".to_string(),
        1 if update.removed.is_empty() => format!("{} changed", paths[0]),
        n if n <= 4 => format!("{n} files changed ({})", paths.join(", ")),
        _ if update.removed.is_empty() => {
            format!("{} of {total} files changed", update.changed.len())
        }
        _ => format!(
            "{} of {total} files changed or added, {} removed",
            update.changed.len(),
            update.removed.len()
        ),
    }
}

fn read(lock: &RwLock<Output>) -> std::sync::RwLockReadGuard<'_, Output> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}

fn write(lock: &RwLock<Output>) -> std::sync::RwLockWriteGuard<'_, Output> {
    lock.write().unwrap_or_else(|e| e.into_inner())
}

// ---------------------------------------------------------------------------
// Serving

struct SlotGuard(Arc<Shared>);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        self.0.slots.release();
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
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

/// Answers one request from the in-memory site.
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
            output.get(&file).cloned().filter(|_| !reserved),
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
    if let Some(entry) = entry {
        let ctype = http::content_type(&file);
        let body = if ctype.starts_with("text/html") {
            live::inject(&entry.bytes, &file, Some(entry.stamp), &shared.instance)
        } else {
            entry.bytes.to_vec()
        };
        return Reply::Response(Response::new(200, ctype, body));
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
    fn the_shown_address_is_loopback_for_a_wildcard_bind() {
        assert_eq!(
            site_url("0.0.0.0:8000".parse().unwrap()),
            "http://127.0.0.1:8000/"
        );
        assert_eq!(site_url("[::]:8000".parse().unwrap()), "http://[::1]:8000/");
        assert_eq!(
            site_url("192.168.1.5:8080".parse().unwrap()),
            "http://192.168.1.5:8080/"
        );
    }

    #[test]
    fn bind_accepts_addresses_and_names() {
        assert_eq!(
            resolve_bind("127.0.0.1", 8000).unwrap(),
            "127.0.0.1:8000".parse().unwrap()
        );
        assert_eq!(
            resolve_bind("::1", 8000).unwrap(),
            "[::1]:8000".parse().unwrap()
        );
        assert_eq!(
            resolve_bind("[::1]", 8000).unwrap(),
            "[::1]:8000".parse().unwrap()
        );
        assert!(resolve_bind("localhost", 8000).unwrap().ip().is_loopback());
        assert!(resolve_bind("not a host name", 8000).is_err());
    }

    #[test]
    fn a_taken_port_suggests_the_next_one() {
        let e = ServeError::PortInUse {
            addr: "127.0.0.1:8000".parse().unwrap(),
        };
        assert!(e.help().unwrap().ends_with("scholion serve --port 8001"));
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn the_terminal_names_few_changes_and_counts_many() {
        use std::sync::Arc;
        let file = |p: &str| (p.to_string(), Arc::from(&b"x"[..]));
        let mut u = output::Update::default();
        assert_eq!(changed_line(&u, 7), "no file changed");
        u.changed = vec![file("texts/a.html")];
        assert_eq!(changed_line(&u, 7), "texts/a.html changed");
        u.removed = vec!["search/v1/f0.js".into()];
        assert_eq!(
            changed_line(&u, 7),
            "2 files changed (search/v1/f0.js, texts/a.html)"
        );
        u.changed = (0..10)
            .map(|i| file(&format!("search/v2/f{i}.js")))
            .collect();
        u.removed = (0..10).map(|i| format!("search/v1/f{i}.js")).collect();
        assert_eq!(
            changed_line(&u, 12),
            "10 of 12 files changed or added, 10 removed"
        );
        u.removed.clear();
        assert_eq!(changed_line(&u, 12), "10 of 12 files changed");
    }

    #[test]
    fn redirect_locations_are_encoded() {
        assert_eq!(encode_path("texts/a b"), "texts/a%20b");
        assert_eq!(encode_path("é"), "%C3%A9");
    }
}
