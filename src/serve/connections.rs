//! How many connections the preview handles at once, and what happens when
//! they are all taken. Each connection has a thread; the number of threads
//! is capped. A connection that is only waiting for its next request (a
//! browser's kept-alive connection, or a client that connects and sends
//! nothing, slowly or never) holds its place only until a new connection
//! needs it: then the one that has waited longest is closed, once it has
//! waited a grace time (a quarter of a second in the preview: a browser's
//! request arrives within milliseconds of its connection, so one is not
//! closed with its request on the way). So idle or slow clients cannot
//! keep a request that arrives whole from being answered for long: as many
//! of them as there are places are closed every grace time. Without this,
//! each of them held its thread until its read timeout, and 300 of them
//! stalled the preview for many seconds.

use std::collections::VecDeque;
use std::net::{Shutdown, TcpStream};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The places for connection threads, and the connections that wait for a
/// request.
pub struct Connections {
    state: Mutex<State>,
    changed: Condvar,
    max: usize,
    /// How long a connection must have waited for a request before it may
    /// be closed to make room.
    grace: Duration,
}

#[derive(Default)]
struct State {
    used: usize,
    /// Connections waiting for a request, the longest-waiting first.
    idle: VecDeque<(u64, Instant, TcpStream)>,
    next_id: u64,
    /// Idle connections closed to make room, for the tests.
    closed: u64,
}

impl Connections {
    pub fn new(max: usize, grace: Duration) -> Self {
        Connections {
            state: Mutex::default(),
            changed: Condvar::new(),
            max: max.max(1),
            grace,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes a place for a new connection. When all are taken, closes the
    /// connection that has waited longest for a request (at least the
    /// grace time), and waits until its thread has let go of its place (or
    /// another thread has).
    pub fn acquire(&self) {
        let mut state = self.state();
        while state.used >= self.max {
            let grace = self.grace;
            if state
                .idle
                .front()
                .is_some_and(|(_, since, _)| since.elapsed() >= grace)
            {
                if let Some((_, _, stream)) = state.idle.pop_front() {
                    let _ = stream.shutdown(Shutdown::Both);
                    state.closed += 1;
                }
            }
            // A timeout besides the wake-ups, so that nothing missed can
            // leave the server waiting for long.
            state = self
                .changed
                .wait_timeout(state, Duration::from_millis(100))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        state.used += 1;
    }

    /// Gives a place back.
    pub fn release(&self) {
        let mut state = self.state();
        state.used = state.used.saturating_sub(1);
        self.changed.notify_all();
    }

    /// More than three quarters in use: stop keeping connections alive.
    pub fn busy(&self) -> bool {
        self.state().used > self.max * 3 / 4
    }

    /// Marks `stream` as waiting for a request until the guard is dropped:
    /// it may be closed meanwhile to make room for a new connection.
    pub fn waiting(&self, stream: &TcpStream) -> Waiting<'_> {
        let Ok(clone) = stream.try_clone() else {
            return Waiting { of: self, id: None };
        };
        let mut state = self.state();
        let id = state.next_id;
        state.next_id += 1;
        state.idle.push_back((id, Instant::now(), clone));
        self.changed.notify_all();
        Waiting {
            of: self,
            id: Some(id),
        }
    }

    /// How many waiting connections were closed to make room.
    pub fn closed(&self) -> u64 {
        self.state().closed
    }
}

/// A connection waiting for its next request (see [`Connections::waiting`]).
pub struct Waiting<'a> {
    of: &'a Connections,
    id: Option<u64>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            self.of.state().idle.retain(|(i, _, _)| *i != id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;
    use std::sync::Arc;

    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (listener.accept().unwrap().0, client)
    }

    #[test]
    fn a_new_connection_closes_the_longest_waiting_one_when_all_places_are_taken() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let conns = Arc::new(Connections::new(2, Duration::ZERO));
        let mut threads = Vec::new();
        let mut clients = Vec::new();
        for _ in 0..2 {
            conns.acquire();
            let (server, client) = pair(&listener);
            clients.push(client);
            let c = Arc::clone(&conns);
            threads.push(std::thread::spawn(move || {
                let waiting = c.waiting(&server);
                // Blocks until the client writes or the socket is shut down.
                let n = (&server).read(&mut [0u8; 16]).unwrap_or(0);
                drop(waiting);
                c.release();
                n
            }));
            // Each connection starts waiting before the next comes, so the
            // first thread's is the longest-waiting one, whatever the
            // scheduler does.
            while conns.state().idle.len() < threads.len() {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        // Both places are taken by connections that send nothing; a third
        // gets a place at once, by closing the first.
        conns.acquire();
        assert_eq!(conns.closed(), 1);
        assert_eq!(conns.state().idle.len(), 1);
        let first = threads.remove(0);
        assert_eq!(first.join().unwrap(), 0, "the first connection was closed");
        let mut buf = [0u8; 1];
        assert_eq!(
            clients[0].read(&mut buf).unwrap(),
            0,
            "its client sees the end"
        );
        // The second still waits for its request.
        use std::io::Write;
        clients[1].write_all(b"GET").unwrap();
        assert_eq!(threads.remove(0).join().unwrap(), 3);
        conns.release();
        assert_eq!(conns.state().used, 0);
    }

    #[test]
    fn a_connection_that_has_just_come_is_not_closed() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let conns = Connections::new(1, Duration::from_secs(3600));
        conns.acquire();
        let (server, _client) = pair(&listener);
        let _waiting = conns.waiting(&server);
        std::thread::scope(|s| {
            let second = s.spawn(|| conns.acquire());
            std::thread::sleep(Duration::from_millis(250));
            assert!(
                !second.is_finished(),
                "within its grace time it keeps its place"
            );
            assert_eq!(conns.closed(), 0);
            conns.release();
            second.join().unwrap();
        });
    }

    #[test]
    fn connections_being_served_are_never_closed() {
        let conns = Arc::new(Connections::new(1, Duration::ZERO));
        conns.acquire();
        let c = Arc::clone(&conns);
        let waiter = std::thread::spawn(move || {
            c.acquire();
            c.release();
        });
        std::thread::sleep(Duration::from_millis(250));
        assert!(
            !waiter.is_finished(),
            "no idle connection to close: it waits"
        );
        assert_eq!(conns.closed(), 0);
        conns.release();
        waiter.join().unwrap();
    }
}
