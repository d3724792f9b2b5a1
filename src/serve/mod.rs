//! `scholion serve`: a live preview while annotating. The site is compiled
//! in memory (never into `public/`), served over HTTP on loopback, and
//! rebuilt when a file under `content/`, `templates/` or `static/` changes;
//! open pages reload through an event stream, keeping their scroll position,
//! and a broken edit shows its diagnostics over the page while the last good
//! build stays online. See docs/serve.md for the choices made here.
//!
//! This file starts the preview: the options, the errors it can fail with,
//! the listening socket, the first build and the threads.
//!
//! - `rebuild.rs`: the watcher's thread: the compile after an edit, and its
//!   account in the terminal and to the open pages
//! - `requests.rs`: the connections' threads: requests answered from the
//!   site kept in a temporary file
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
mod rebuild;
mod requests;
pub mod watch;

use crate::config::Config;
use output::Output;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Connections handled at once (one thread each); a new one beyond them
/// closes the connection that has waited longest for a request.
pub const MAX_CONNECTIONS: usize = 128;
/// How long a connection may wait for a request before a new connection,
/// finding every place taken, may close it.
const IDLE_GRACE: Duration = Duration::from_millis(250);

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
    let output = RwLock::new(Output::new(&config.root));
    let shared = Arc::new(Shared {
        config,
        output,
        hub: live::Hub::default(),
        instance: format!("{:x}-{:x}", started.as_nanos(), std::process::id()),
        loopback: local.ip().is_loopback(),
        slots: connections::Connections::new(MAX_CONNECTIONS, IDLE_GRACE),
    });

    // The listing is taken before the first build, so an edit made while
    // it runs still triggers a rebuild.
    let snapshot = watch::scan(&shared.config.root);
    let mut builder = rebuild::Builder::new(shared.config.clone());
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

    requests::accept_loop(&listener, &shared);
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

fn read(lock: &RwLock<Output>) -> std::sync::RwLockReadGuard<'_, Output> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}

fn write(lock: &RwLock<Output>) -> std::sync::RwLockWriteGuard<'_, Output> {
    lock.write().unwrap_or_else(|e| e.into_inner())
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
}
