//! The live channel: a blocking client of the server's event stream
//! (`GET /api/v1/sync/events`, server-sent events).
//!
//! The stream carries no data, only `poke` events with the server's new
//! high-water seq (`data: {"high_water": n}`, also the event's id), a
//! `session_revoked` event when the session ends, and keep-alive comments
//! (every 15 s by default). The caller pulls to learn what changed.
//!
//! [`EventStream::listen`] holds one connection open and calls `on_poke` for
//! each poke, until:
//! - the stop flag is set: it returns `Ok(())` within about 0.2 s (a watcher
//!   thread shuts the connection down, so a read blocked between two
//!   keep-alives ends at once);
//! - the server refuses the stream (`401`, `426`, ...) or sends
//!   `session_revoked`: [`TransportError::Refused`];
//! - the stream ends, breaks, or stays silent longer than the idle limit
//!   (45 s, three keep-alives): [`TransportError::Unreachable`]; the caller
//!   reconnects after a backoff delay.

use crate::TransportError;
use crate::endpoint::{EndpointError, ServerEndpoint};
use crate::http::{
    CONNECT_TIMEOUT, HttpTransport, api_base, check_status, epoch_of, network_error,
};
use redress_protocol::ErrorCode;
use redress_protocol::http::headers;
use redress_protocol::{DeviceId, PROTOCOL_VERSION};
use std::io::{BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long a stream may stay silent (no event, no keep-alive) before it is
/// taken for dead.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(45);
/// How often the watcher looks at the stop flag and the idle clock.
const WATCH_EVERY: Duration = Duration::from_millis(100);
/// The longest line read from a stream.
const MAX_LINE: u64 = 64 * 1024;

/// Why the watcher cut a connection.
const CUT_NONE: u8 = 0;
const CUT_STOP: u8 = 1;
const CUT_IDLE: u8 = 2;

/// One device's event stream on the shared server.
#[derive(Debug, Clone)]
pub struct EventStream {
    endpoint: Result<ServerEndpoint, EndpointError>,
    url: String,
    authorization: String,
    device: DeviceId,
    idle_timeout: Duration,
}

impl EventStream {
    /// The stream of the server at `server_url` (with or without `/api/v1`)
    /// for the session `token` of `device`.
    /// The URL is checked as a [`ServerEndpoint`] without a CA file or
    /// insecure HTTP; when it does not pass, [`EventStream::listen`] is
    /// refused before connecting.
    pub fn new(server_url: &str, token: &str, device: DeviceId) -> EventStream {
        EventStream {
            endpoint: ServerEndpoint::parse(server_url, None, false),
            url: format!("{}/sync/events", api_base(server_url)),
            authorization: format!("Bearer {token}"),
            device,
            idle_timeout: IDLE_TIMEOUT,
        }
    }

    /// The stream of the server and session `transport` talks to.
    pub fn for_transport(transport: &HttpTransport) -> EventStream {
        EventStream {
            endpoint: transport.checked_endpoint().clone(),
            url: format!("{}/sync/events", transport.base()),
            authorization: transport.authorization().to_owned(),
            device: transport.device(),
            idle_timeout: IDLE_TIMEOUT,
        }
    }

    /// Takes a stream silent for `idle` as dead instead of [`IDLE_TIMEOUT`].
    pub fn with_idle_timeout(mut self, idle: Duration) -> EventStream {
        self.idle_timeout = idle;
        self
    }

    /// Opens the stream and reads it until `stop` is set (`Ok(())`), the
    /// server refuses or revokes the session (`Refused`), or the stream ends
    /// or fails (`Unreachable`: reconnect later).
    ///
    /// `on_open` is called once the server accepted the stream, with the
    /// server's epoch from its `Redress-Server-Epoch` header; `on_poke` with
    /// the high-water seq of every poke, in the order they arrive;
    /// `on_rules` when another version of the site configuration is in
    /// force.
    pub fn listen(
        &self,
        stop: &Arc<AtomicBool>,
        on_open: impl FnOnce(Option<Uuid>),
        mut on_poke: impl FnMut(i64),
        mut on_rules: impl FnMut(),
    ) -> Result<(), TransportError> {
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let endpoint = self
            .endpoint
            .as_ref()
            .map_err(|e| TransportError::from(e.clone()))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .tls_config(endpoint.tls_config())
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .build()
            .into();
        let watch = Watcher::start(agent.clone(), Arc::clone(stop), self.idle_timeout);

        let answer = agent
            .get(&self.url)
            .header("Authorization", &self.authorization)
            .header(headers::DEVICE, self.device.to_string())
            .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
            .header("Accept", "text/event-stream")
            .header("Cache-Control", "no-cache")
            .call();
        let mut response = match answer {
            Ok(r) => r,
            Err(e) => return watch.finish(Err(network_error(e))),
        };
        watch.activity();
        if let Err(e) = check_status(&mut response) {
            return watch.finish(Err(e));
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        if !content_type.starts_with("text/event-stream") {
            return watch.finish(Err(TransportError::Unreachable(format!(
                "the event stream answered with {content_type:?}, not text/event-stream"
            ))));
        }
        on_open(epoch_of(&response));

        let mut reader = BufReader::new(response.into_body().into_reader());
        let mut parser = Parser::default();
        let mut line = Vec::new();
        let outcome = loop {
            line.clear();
            let read = (&mut reader).take(MAX_LINE).read_until(b'\n', &mut line);
            match read {
                Ok(0) => {
                    break Err(TransportError::Unreachable(
                        "the event stream ended".to_owned(),
                    ));
                }
                Ok(_) if !line.ends_with(b"\n") && line.len() as u64 >= MAX_LINE => {
                    break Err(TransportError::Unreachable(
                        "the event stream sent an overlong line".to_owned(),
                    ));
                }
                Ok(_) => {}
                Err(e) => {
                    break Err(TransportError::Unreachable(format!(
                        "the event stream broke: {e}"
                    )));
                }
            }
            watch.activity();
            match parser.line(&line) {
                Some(Event::Poke(high_water)) => on_poke(high_water),
                Some(Event::Rules) => on_rules(),
                Some(Event::Revoked(message)) => {
                    break Err(TransportError::Refused {
                        code: ErrorCode::SessionRevoked,
                        message,
                    });
                }
                None => {}
            }
        };
        watch.finish(outcome)
    }
}

/// A thread that cuts the connection when the stop flag is set or the
/// stream has been silent too long.
struct Watcher {
    started: Instant,
    /// Milliseconds after `started` of the last thing read.
    last: Arc<AtomicU64>,
    cut: Arc<AtomicU8>,
    /// Dropped when the listener returns, which ends the thread.
    _done: mpsc::Sender<()>,
}

impl Watcher {
    fn start(agent: ureq::Agent, stop: Arc<AtomicBool>, idle: Duration) -> Watcher {
        let started = Instant::now();
        let last = Arc::new(AtomicU64::new(0));
        let cut = Arc::new(AtomicU8::new(CUT_NONE));
        let (done, wait) = mpsc::channel::<()>();
        let (last2, cut2) = (Arc::clone(&last), Arc::clone(&cut));
        std::thread::Builder::new()
            .name("redress-events-watch".to_owned())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(WATCH_EVERY) {
                    let why = if stop.load(Ordering::SeqCst) {
                        CUT_STOP
                    } else {
                        let now = millis(started.elapsed());
                        if now.saturating_sub(last2.load(Ordering::SeqCst)) > millis(idle) {
                            CUT_IDLE
                        } else {
                            continue;
                        }
                    };
                    cut2.store(why, Ordering::SeqCst);
                    agent.shutdown();
                    return;
                }
            })
            .ok();
        Watcher {
            started,
            last,
            cut,
            _done: done,
        }
    }

    fn activity(&self) {
        self.last
            .store(millis(self.started.elapsed()), Ordering::SeqCst);
    }

    /// The listener's result, corrected for a cut made on purpose.
    fn finish(self, outcome: Result<(), TransportError>) -> Result<(), TransportError> {
        match (self.cut.load(Ordering::SeqCst), outcome) {
            (_, Err(TransportError::Refused { code, message })) => {
                Err(TransportError::Refused { code, message })
            }
            (CUT_STOP, _) => Ok(()),
            (CUT_IDLE, _) => Err(TransportError::Unreachable(
                "the event stream went silent (no keep-alive)".to_owned(),
            )),
            (_, outcome) => outcome,
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// An event the listener acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    Poke(i64),
    /// The rules in force changed; `GET /rules` has them.
    Rules,
    Revoked(String),
}

/// The server-sent-events line format: fields up to a blank line make one
/// event; lines starting with `:` are comments.
#[derive(Debug, Default)]
struct Parser {
    event: String,
    data: String,
    id: String,
}

impl Parser {
    /// Takes one line (with or without its line ending); returns the event a
    /// blank line completes.
    fn line(&mut self, raw: &[u8]) -> Option<Event> {
        let text = String::from_utf8_lossy(raw);
        let line = text.trim_end_matches(['\n', '\r']);
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" => value.clone_into(&mut self.id),
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<Event> {
        let event = std::mem::take(&mut self.event);
        let data = std::mem::take(&mut self.data);
        let id = std::mem::take(&mut self.id);
        let data = data.strip_suffix('\n').unwrap_or(&data);
        match event.as_str() {
            "poke" => {
                #[derive(serde::Deserialize)]
                struct Poke {
                    high_water: i64,
                }
                let high_water = serde_json::from_str::<Poke>(data)
                    .map(|p| p.high_water)
                    .or_else(|_| id.trim().parse::<i64>())
                    .ok()?;
                Some(Event::Poke(high_water))
            }
            "rules" => Some(Event::Rules),
            "session_revoked" => Some(Event::Revoked(if data.trim().is_empty() {
                "the session was revoked; sign in again".to_owned()
            } else {
                data.to_owned()
            })),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(p: &mut Parser, text: &str) -> Vec<Event> {
        text.split_inclusive('\n')
            .filter_map(|l| p.line(l.as_bytes()))
            .collect()
    }

    #[test]
    fn pokes_comments_and_unknown_events_are_read_as_the_format_says() {
        let mut p = Parser::default();
        let got = feed(
            &mut p,
            ": keep-alive\n\n\
             event: poke\nid: 7\ndata: {\"high_water\":7}\n\n\
             event: poke\r\nid: 9\r\ndata:{\"high_water\":9}\r\n\r\n\
             event: other\ndata: x\n\n\
             event: rules\ndata: {\"digest\":\"ab\"}\n\n\
             data: no event name\n\n\
             event: poke\nid: 12\ndata: garbled\n\n\
             event: poke\ndata: garbled\n\n",
        );
        assert_eq!(
            got,
            [
                Event::Poke(7),
                Event::Poke(9),
                Event::Rules,
                Event::Poke(12)
            ]
        );
    }

    #[test]
    fn a_revoked_session_is_an_event_of_its_own() {
        let mut p = Parser::default();
        assert_eq!(
            feed(&mut p, "event: session_revoked\ndata: signed out\n\n"),
            [Event::Revoked("signed out".into())]
        );
        assert_eq!(
            feed(&mut p, "event: session_revoked\n\n"),
            [Event::Revoked(
                "the session was revoked; sign in again".into()
            )]
        );
    }

    /// A server that answers with `head` and then keeps the connection
    /// open, silent, until the test ends.
    fn silent_server(head: &'static str) -> String {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        std::thread::spawn(move || {
            let mut open = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let _ = stream.write_all(head.as_bytes());
                open.push(stream);
            }
        });
        url
    }

    const SSE_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
         redress-server-epoch: 0192f3c1-0000-7000-8000-000000000001\r\n\
         transfer-encoding: chunked\r\n\r\n\
         24\r\nevent: poke\ndata: {\"high_water\":3}\n\n\r\n";

    #[test]
    fn the_stop_flag_ends_a_silent_stream_at_once() {
        let url = silent_server(SSE_HEAD);
        let stream = EventStream::new(&url, "t", DeviceId(Uuid::nil()));
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let listener = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut epoch = None;
                let result =
                    stream.listen(&stop, |e| epoch = e, |hw| tx.send(hw).expect("send"), || {});
                (result, epoch)
            })
        };
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(3));
        let asked = Instant::now();
        stop.store(true, Ordering::SeqCst);
        let (result, epoch) = listener.join().expect("listener");
        assert!(
            asked.elapsed() < Duration::from_millis(500),
            "{:?}",
            asked.elapsed()
        );
        assert_eq!(result, Ok(()));
        assert_eq!(
            epoch.map(|e| e.to_string()).as_deref(),
            Some("0192f3c1-0000-7000-8000-000000000001")
        );
    }

    #[test]
    fn a_silent_stream_is_taken_for_dead_after_the_idle_limit() {
        let url = silent_server(SSE_HEAD);
        let stream = EventStream::new(&url, "t", DeviceId(Uuid::nil()))
            .with_idle_timeout(Duration::from_millis(300));
        let stop = Arc::new(AtomicBool::new(false));
        let mut pokes = Vec::new();
        let result = stream.listen(&stop, |_| {}, |hw| pokes.push(hw), || {});
        assert!(
            matches!(&result, Err(TransportError::Unreachable(m)) if m.contains("silent")),
            "{result:?}"
        );
        assert_eq!(pokes, [3]);
    }

    #[test]
    fn a_stream_that_is_not_server_sent_events_is_unreachable() {
        let url = silent_server(
            "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 2\r\n\r\nhi",
        );
        let stream = EventStream::new(&url, "t", DeviceId(Uuid::nil()));
        let stop = Arc::new(AtomicBool::new(false));
        let result = stream.listen(&stop, |_| panic!("not opened"), |_| {}, || {});
        assert!(
            matches!(result, Err(TransportError::Unreachable(_))),
            "{result:?}"
        );
    }
}
