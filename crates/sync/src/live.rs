//! The background sync the desktop console runs while it is signed in
//! (sync design §8.3, §8.4).
//!
//! [`LiveSync::start`] spawns two threads:
//!
//! - the **sync thread** runs [`SyncEngine::sync`] (push, then pull) on
//!   start, on every [`LiveSync::nudge`] (a local change), on every poke
//!   whose high-water seq is above the local cursor, when the event stream
//!   (re)opens or is lost (pokes may have been missed), and every
//!   `poll_interval` as a safety net. When the server cannot be reached it
//!   reports [`LiveStatus::Offline`] with the delay before the next try and
//!   retries with jittered exponential [`Backoff`]; a nudge or a poke while
//!   offline tries at once.
//! - the **events thread** keeps the server's event stream open
//!   ([`EventStream`]) and reconnects with its own backoff.
//!
//! A refusal (`401 unauthorized`, `session_revoked`, `426`
//! `protocol_mismatch`, ...) stops both threads with
//! [`LiveStatus::Refused`]; the outbox keeps every pending intent, to be
//! pushed by a new `LiveSync` after the user signs in again or upgrades.
//!
//! **Server epoch.** At first contact the server's epoch (`GET /meta`, the
//! `Redress-Server-Epoch` header) is stored in the local store's settings
//! under `keys::SERVER_EPOCH`. Before the first push after every (re)connection
//! the epoch is asked again, and every answer's header is compared with it:
//! a different epoch means the server's database was restored from a backup
//! or replaced. No answer from it is recorded then; instead the desktop
//! starts over ([`SyncEngine::start_over`]): the intents the old server had
//! answered and the restored one lacks go back to the outbox with their
//! seqs and mutation ids, the mirror is dropped, the cursor reset and the
//! new epoch stored, all in one local transaction, and
//! [`LiveEvent::StartedOver`] tells the console before the sync goes on
//! (push everything again, pull the whole state).
//!
//! **Device fork.** A push refused with `409 device_forked` means another
//! copy of this local database pushed the same seqs. The desktop takes a
//! new device id ([`SyncEngine::reregister`]), puts its whole outbox back to
//! pending and stops with `Refused { code: "device_forked" }`: signing in
//! again registers the new id, and the outbox is pushed from seq 1 (the
//! server recognises what it settled for this user by mutation id).
//!
//! **Rules.** Right after the epoch check of every (re)connection, and
//! whenever the event stream announces other rules in force (`event:
//! rules`, sent when an admin stores a configuration version), the
//! server's rules are fetched (`GET /rules`); when their digest differs from
//! the stored one they are checked, stored ([`crate::rules`]), put into the
//! [`SharedRules`] handle the engine and the console's `App` decide with,
//! and reported as [`LiveEvent::RulesChanged`] before the sync goes on. A
//! document that does not check out is reported as
//! [`LiveEvent::RulesInvalid`] and the previous rules stay.
//!
//! Status events are sent only when the status changes; [`LiveEvent::Synced`]
//! after a sync that settled or pulled something. Both come from the sync
//! thread, in order.

use crate::backoff::Backoff;
use crate::endpoint::ServerEndpoint;
use crate::engine::{EpochCheck, PullReport, PushReport, SyncEngine, SyncError};
use crate::events::EventStream;
use crate::http::HttpTransport;
use crate::rules::{RulesUpdate, SharedRules, refresh_rules};
use crate::{Transport, TransportError};
use jiff::Timestamp;
use redress_domain::ids::ComplaintId;
use redress_local::LocalStore;
use redress_local::keys;
use redress_protocol::{
    DeviceId, ErrorCode, PullResponse, PushRequest, PushResponse, ResultsResponse,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The safety-net sync period when nothing else triggers one.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(60);
/// How often one sync starts over when the server's epoch keeps changing
/// under it before it waits and tries later.
const EPOCH_TRIES: usize = 3;
/// How long [`LiveSync::stop`] waits for its threads.
const STOP_WAIT: Duration = Duration::from_secs(1);
/// An event stream open at least this long counts as a success for its
/// reconnect backoff (a proxy that cuts every stream at once does not).
const STREAM_STABLE: Duration = Duration::from_secs(5);

/// Where and as whom to sync.
#[derive(Clone)]
pub struct LiveConfig {
    /// The server's address, with or without `/api/v1`.
    pub server_url: String,
    /// The session token.
    pub token: String,
    /// The device the session is bound to (the local store's device id).
    pub device: DeviceId,
    /// The safety-net periodic sync; [`DEFAULT_POLL_INTERVAL`] is 60 s.
    pub poll_interval: Duration,
    /// The server with its trust settings (a CA file, insecure HTTP); when
    /// set it is used instead of `server_url`, which is otherwise checked
    /// as an endpoint with neither.
    pub endpoint: Option<ServerEndpoint>,
}

impl std::fmt::Debug for LiveConfig {
    // The token stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveConfig")
            .field("server_url", &self.server_url)
            .field("device", &self.device)
            .field("poll_interval", &self.poll_interval)
            .finish_non_exhaustive()
    }
}

impl LiveConfig {
    /// A configuration with the default poll interval.
    pub fn new(server_url: &str, token: &str, device: DeviceId) -> LiveConfig {
        LiveConfig {
            server_url: server_url.to_owned(),
            token: token.to_owned(),
            device,
            poll_interval: DEFAULT_POLL_INTERVAL,
            endpoint: None,
        }
    }

    /// A configuration for `endpoint` with the default poll interval.
    pub fn for_endpoint(endpoint: &ServerEndpoint, token: &str, device: DeviceId) -> LiveConfig {
        LiveConfig {
            endpoint: Some(endpoint.clone()),
            ..LiveConfig::new(endpoint.url(), token, device)
        }
    }
}

/// Where the background sync stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveStatus {
    /// A sync is running (also the status before the first one ends).
    Syncing,
    /// The last sync succeeded.
    Online,
    /// The server could not be reached; the next try is `retry_in` after
    /// this status was reported (sooner on a local change).
    Offline { retry_in: Duration, reason: String },
    /// The server refused (`unauthorized`, `session_revoked`,
    /// `protocol_mismatch`, `server_epoch_changed`, ...) or the local sync
    /// data is unusable: syncing has stopped, pending intents stay in the
    /// outbox.
    Refused { code: ErrorCode, message: String },
}

/// What the background sync tells the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// The status changed.
    Status(LiveStatus),
    /// A sync finished that settled or pulled something.
    Synced {
        /// Intents the server settled (applied or rejected, answers from its
        /// log included).
        pushed: usize,
        /// Of those, the ones it rejected (their outbox rows say why).
        rejected: usize,
        /// Changes pulled into the mirror.
        pulled: usize,
        /// Complaints whose mirror state changed, each once.
        changed: Vec<ComplaintId>,
    },
    /// The server's rules changed and were stored; the shared rules handle
    /// holds them already (the console re-plans and refreshes).
    RulesChanged { digest: String },
    /// The server's rules do not check out here; the previous ones stay.
    RulesInvalid { digest: String, message: String },
    /// The server's database was restored or replaced (its epoch changed
    /// to `epoch`): intents it lost are pushed again and the mirror is
    /// rebuilt from it; the sync that follows does both.
    StartedOver {
        epoch: Uuid,
        /// Answered intents put back in the outbox.
        requeued: usize,
        /// Mirror rows dropped (pulled again from the server).
        dropped: usize,
    },
}

/// The background sync of one signed-in desktop. Dropping it stops its
/// threads without waiting for them; [`LiveSync::stop`] waits (briefly).
pub struct LiveSync {
    shared: Arc<Shared>,
    http: HttpTransport,
    threads: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for LiveSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSync")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl LiveSync {
    /// Starts syncing `store` with the server of `config`: a first sync at
    /// once, then on every trigger (see the module documentation).
    /// `on_event` is called from the sync thread.
    pub fn start(
        store: LocalStore,
        rules: SharedRules,
        config: LiveConfig,
        now: Arc<dyn Fn() -> Timestamp + Send + Sync>,
        on_event: impl Fn(LiveEvent) + Send + Sync + 'static,
    ) -> LiveSync {
        let http = match &config.endpoint {
            Some(endpoint) => HttpTransport::for_endpoint(endpoint, &config.token, config.device),
            None => HttpTransport::new(&config.server_url, &config.token, config.device),
        };
        let stream = EventStream::for_transport(&http);
        let shared = Arc::new(Shared {
            control: Mutex::new(Control::default()),
            wake: Condvar::new(),
            status: Mutex::new(LiveStatus::Syncing),
            stream_stop: Arc::new(AtomicBool::new(false)),
        });
        let guard = EpochGuard {
            http: http.clone(),
            expected: Mutex::new(None),
        };
        let worker = Worker {
            engine: SyncEngine::with_shared_rules(store, Arc::clone(&rules), guard),
            rules,
            shared: Arc::clone(&shared),
            now,
            on_event: Box::new(on_event),
            backoff: Backoff::default(),
            poll_interval: config.poll_interval,
            verified: false,
        };
        let mut threads = Vec::new();
        let events_shared = Arc::clone(&shared);
        for (name, body) in [
            (
                "redress-live-sync",
                Box::new(move || worker.run()) as Box<dyn FnOnce() + Send>,
            ),
            (
                "redress-live-events",
                Box::new(move || events_loop(&events_shared, &stream)),
            ),
        ] {
            let spawned = std::thread::Builder::new()
                .name(name.to_owned())
                .spawn(body);
            match spawned {
                Ok(handle) => threads.push(handle),
                Err(e) => {
                    let message = format!("cannot start the {name} thread: {e}");
                    shared.halt();
                    *lock(&shared.status) = LiveStatus::Refused {
                        code: ErrorCode::TaskFailed,
                        message,
                    };
                }
            }
        }
        LiveSync {
            shared,
            http,
            threads,
        }
    }

    /// A local change was made: push it as soon as possible (at once, also
    /// while offline; after the running sync if one is running).
    pub fn nudge(&self) {
        self.shared.signal(|c| c.nudged = true);
    }

    /// The current status.
    pub fn status(&self) -> LiveStatus {
        lock(&self.shared.status).clone()
    }

    /// Stops both threads: a request in flight is interrupted, and this
    /// returns once they ended, or after about a second (a connection
    /// attempt still under way then ends by itself, without effect).
    pub fn stop(mut self) {
        self.shutdown();
        let deadline = Instant::now() + STOP_WAIT;
        while !self.threads.iter().all(JoinHandle::is_finished) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        for handle in self.threads.drain(..) {
            // One still in a connection attempt ends on its own, later.
            if handle.is_finished() {
                let _ = handle.join();
            }
        }
    }

    fn shutdown(&self) {
        self.shared.halt();
        self.http.shutdown();
    }
}

impl Drop for LiveSync {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// What both threads share.
struct Shared {
    control: Mutex<Control>,
    wake: Condvar,
    status: Mutex<LiveStatus>,
    /// Set (with `Control::stream_halt`) to end the events thread.
    stream_stop: Arc<AtomicBool>,
}

/// The triggers and orders the sync thread waits for.
#[derive(Debug, Default)]
struct Control {
    /// `stop` was called: both threads end.
    halt: bool,
    /// The events thread ends (stop or a refusal).
    stream_halt: bool,
    nudged: bool,
    /// The highest poke not looked at yet.
    poked: Option<i64>,
    /// The stream opened.
    opened: bool,
    /// An open stream ended: pokes may have been missed.
    lost: bool,
    /// The server announced other rules in force.
    rules: bool,
    /// The stream was refused.
    refused: Option<(ErrorCode, String)>,
}

impl Shared {
    fn signal(&self, f: impl FnOnce(&mut Control)) {
        let mut c = lock(&self.control);
        f(&mut c);
        drop(c);
        self.wake.notify_all();
    }

    fn halt(&self) {
        self.signal(|c| c.halt = true);
        self.stop_stream();
    }

    fn stop_stream(&self) {
        self.signal(|c| {
            c.stream_halt = true;
            self.stream_stop.store(true, Ordering::SeqCst);
        });
    }

    fn halted(&self) -> bool {
        lock(&self.control).halt
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The HTTP transport, refusing to push or pull once an answer shows a
/// server epoch other than the one this desktop synced with.
struct EpochGuard {
    http: HttpTransport,
    expected: Mutex<Option<Uuid>>,
}

impl EpochGuard {
    fn check(&self) -> Result<(), TransportError> {
        let expected = *lock(&self.expected);
        match (expected, self.http.last_epoch()) {
            (Some(expected), Some(seen)) if expected != seen => Err(epoch_changed(expected, seen)),
            _ => Ok(()),
        }
    }

    /// The answer, unless it came from a server with another epoch.
    fn checked<T>(&self, answer: Result<T, TransportError>) -> Result<T, TransportError> {
        self.check()?;
        answer
    }
}

fn epoch_changed(expected: Uuid, seen: Uuid) -> TransportError {
    TransportError::Refused {
        code: ErrorCode::ServerEpochChanged,
        message: format!(
            "the server's database changed (epoch {seen}, synced with {expected}): it was \
             restored from a backup or replaced; this desktop must start over"
        ),
    }
}

impl Transport for EpochGuard {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        self.check()?;
        self.checked(self.http.push(request))
    }

    fn pull(&self, after: i64, limit: u32) -> Result<PullResponse, TransportError> {
        self.check()?;
        self.checked(self.http.pull(after, limit))
    }

    fn results(&self, from: u64, limit: u32) -> Result<ResultsResponse, TransportError> {
        self.check()?;
        self.checked(self.http.results(from, limit))
    }
}

/// Why the sync thread woke up.
enum Wake {
    Sync,
    Poke(i64),
    Opened,
    Refused(ErrorCode, String),
}

/// How one sync ended, if not well.
enum Failed {
    /// Try again after a backoff delay.
    Retry(String),
    /// Stop syncing.
    Refused(ErrorCode, String),
}

struct Worker {
    engine: SyncEngine<EpochGuard>,
    rules: SharedRules,
    shared: Arc<Shared>,
    now: Arc<dyn Fn() -> Timestamp + Send + Sync>,
    on_event: Box<dyn Fn(LiveEvent) + Send + Sync>,
    backoff: Backoff,
    poll_interval: Duration,
    /// The server's epoch was checked since the last connection failure.
    verified: bool,
}

impl Worker {
    fn run(mut self) {
        match self
            .engine
            .store()
            .read(|r| r.get_setting::<String>(&keys::SERVER_EPOCH))
        {
            Ok(stored) => {
                *lock(&self.engine.transport().expected) =
                    stored.and_then(|s| Uuid::parse_str(&s).ok());
            }
            Err(e) => return self.refuse(e.code(), e.to_string()),
        }
        let mut next_at = Instant::now();
        loop {
            let Some(wake) = self.wait(next_at) else {
                return;
            };
            match wake {
                Wake::Refused(code, message) => return self.refuse(code, message),
                // A (re)connection: the epoch (`GET /meta`, which also
                // sets the epoch the guard compares answers with) and the
                // rules are asked again before anything is pushed. The
                // stream's own epoch header is only the trigger.
                Wake::Opened => self.verified = false,
                Wake::Poke(high_water) => {
                    let cursor = self
                        .engine
                        .store()
                        .read(|r| r.sync_state())
                        .map(|s| s.cursor_seq)
                        .unwrap_or(0);
                    if high_water <= cursor {
                        continue;
                    }
                }
                Wake::Sync => {}
            }
            match self.sync_once() {
                Ok(()) => next_at = Instant::now() + self.poll_interval,
                Err(Failed::Retry(reason)) => {
                    let retry_in = self.backoff.next_delay();
                    next_at = Instant::now() + retry_in;
                    self.set_status(LiveStatus::Offline { retry_in, reason });
                }
                Err(Failed::Refused(code, message)) => return self.refuse(code, message),
            }
        }
    }

    /// Waits for the next trigger; `None` once stopped.
    fn wait(&self, next_at: Instant) -> Option<Wake> {
        let mut c = lock(&self.shared.control);
        loop {
            if c.halt {
                return None;
            }
            if let Some((code, message)) = c.refused.take() {
                return Some(Wake::Refused(code, message));
            }
            if std::mem::take(&mut c.opened) {
                c.lost = false;
                c.nudged = false;
                return Some(Wake::Opened);
            }
            if std::mem::take(&mut c.rules) {
                // Asked again like after a (re)connection: `GET /meta`,
                // then the rules, then a sync.
                c.nudged = false;
                return Some(Wake::Opened);
            }
            if c.lost {
                // The stream dropped: the server may have restarted on
                // another database, so its epoch is asked again before
                // anything is pushed.
                c.nudged = false;
                c.lost = false;
                return Some(Wake::Opened);
            }
            if c.nudged {
                c.nudged = false;
                return Some(Wake::Sync);
            }
            if let Some(high_water) = c.poked.take() {
                return Some(Wake::Poke(high_water));
            }
            let now = Instant::now();
            if now >= next_at {
                return Some(Wake::Sync);
            }
            c = self
                .shared
                .wake
                .wait_timeout(c, next_at - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn sync_once(&mut self) -> Result<(), Failed> {
        self.set_status(LiveStatus::Syncing);
        for _ in 0..EPOCH_TRIES {
            if !self.verified {
                let meta = self
                    .engine
                    .transport()
                    .http
                    .meta()
                    .map_err(|e| classify(SyncError::Transport(e)))?;
                self.accept_epoch(meta.server_epoch)?;
                self.refresh_rules()?;
                self.verified = true;
            }
            match self.engine.sync((self.now)()) {
                Ok((pushed, pulled)) => {
                    self.backoff.reset();
                    self.set_status(LiveStatus::Online);
                    self.report(&pushed, pulled);
                    return Ok(());
                }
                Err(e) => match classify(e) {
                    // An answer came from another database than the one
                    // checked: ask the epoch again, start over, sync again.
                    Failed::Refused(ErrorCode::ServerEpochChanged, _) => self.verified = false,
                    Failed::Refused(ErrorCode::DeviceForked, _) => {
                        return Err(self.reregister());
                    }
                    failed @ Failed::Retry(_) => {
                        self.verified = false;
                        return Err(failed);
                    }
                    failed => return Err(failed),
                },
            }
        }
        Err(Failed::Retry(
            "the server's database changed several times during one sync".to_owned(),
        ))
    }

    /// The answer to `device_forked`: a new device id, the outbox back to
    /// pending, and a refusal asking the user to sign in again.
    fn reregister(&self) -> Failed {
        match self.engine.reregister() {
            Ok((device, requeued)) => Failed::Refused(
                ErrorCode::DeviceForked,
                format!(
                    "another copy of this desktop's database synced with the server; this \
                     desktop is now device {device} and must sign in again to register it \
                     ({requeued} changes will be sent again, the server keeps each once)"
                ),
            ),
            Err(e) => classify(e),
        }
    }

    /// Takes the server's rules when they changed (see the module docs).
    fn refresh_rules(&self) -> Result<(), Failed> {
        let update =
            refresh_rules(&self.engine.transport().http, self.engine.store()).map_err(classify)?;
        match update {
            RulesUpdate::Unchanged => {}
            RulesUpdate::Changed { digest, rules } => {
                *self.rules.write().unwrap_or_else(PoisonError::into_inner) = Arc::clone(&rules);
                self.emit(LiveEvent::RulesChanged { digest });
            }
            RulesUpdate::Invalid { digest, message } => {
                self.emit(LiveEvent::RulesInvalid { digest, message });
            }
        }
        Ok(())
    }

    /// Takes the server's epoch ([`SyncEngine::check_epoch`]: stored at
    /// first contact, a start-over when it changed). When that fails nothing
    /// changed locally and the known epoch stays expected, so the next try
    /// starts over again.
    fn accept_epoch(&mut self, epoch: Uuid) -> Result<(), Failed> {
        let known = lock(&self.engine.transport().expected).replace(epoch);
        if known == Some(epoch) {
            return Ok(());
        }
        // From here on the guard takes answers from the database at `epoch`
        // (the start-over's probe is one).
        match self.engine.check_epoch(epoch) {
            Ok(EpochCheck::StartedOver(done)) => {
                self.emit(LiveEvent::StartedOver {
                    epoch,
                    requeued: done.requeued,
                    dropped: done.dropped,
                });
                Ok(())
            }
            Ok(EpochCheck::First | EpochCheck::Same) => Ok(()),
            Err(e) => {
                *lock(&self.engine.transport().expected) = known;
                Err(classify(e))
            }
        }
    }

    fn report(&self, pushed: &PushReport, pulled: PullReport) {
        let recovered = &pulled.recovered;
        let settled = pushed.applied + pushed.rejected + recovered.applied + recovered.rejected;
        if settled == 0 && pulled.changes == 0 {
            return;
        }
        let mut changed = Vec::new();
        for id in pulled.complaints {
            if !changed.contains(&id) {
                changed.push(id);
            }
        }
        self.emit(LiveEvent::Synced {
            pushed: settled,
            rejected: pushed.rejected + recovered.rejected,
            pulled: pulled.changes,
            changed,
        });
    }

    fn refuse(&self, code: ErrorCode, message: String) {
        self.shared.stop_stream();
        self.set_status(LiveStatus::Refused { code, message });
    }

    fn set_status(&self, status: LiveStatus) {
        if self.shared.halted() {
            return;
        }
        let mut current = lock(&self.shared.status);
        if *current == status {
            return;
        }
        *current = status.clone();
        drop(current);
        self.emit(LiveEvent::Status(status));
    }

    fn emit(&self, event: LiveEvent) {
        if !self.shared.halted() {
            (self.on_event)(event);
        }
    }
}

fn classify(e: SyncError) -> Failed {
    match e {
        SyncError::Transport(TransportError::Unreachable(m)) => Failed::Retry(m),
        SyncError::Transport(TransportError::Refused { code, message }) => {
            Failed::Refused(code, message)
        }
        SyncError::Store(e) if e.is_transient() => Failed::Retry(format!("local store: {e}")),
        SyncError::Store(e) => Failed::Refused(e.code(), e.to_string()),
        e @ SyncError::Wire(_) => Failed::Refused(ErrorCode::UnreadableSyncData, e.to_string()),
        e @ SyncError::Gap { .. } => Failed::Refused(ErrorCode::OutboxGap, e.to_string()),
    }
}

/// The events thread: keeps the stream open, hands pokes and openings to
/// the sync thread, reconnects with backoff.
fn events_loop(shared: &Shared, stream: &EventStream) {
    let mut backoff = Backoff::default();
    loop {
        if lock(&shared.control).stream_halt {
            return;
        }
        let mut opened_at = None;
        let result = stream.listen(
            &shared.stream_stop,
            |_epoch| {
                opened_at = Some(Instant::now());
                shared.signal(|c| c.opened = true);
            },
            |high_water| {
                shared
                    .signal(|c| c.poked = Some(c.poked.map_or(high_water, |p| p.max(high_water))));
            },
            || shared.signal(|c| c.rules = true),
        );
        match result {
            Ok(()) => return,
            // A server without the event stream: the periodic sync goes on.
            Err(TransportError::Refused {
                code: ErrorCode::NotFound,
                ..
            }) => {
                return;
            }
            Err(TransportError::Refused { code, message }) if code != ErrorCode::TooManyStreams => {
                shared.signal(|c| c.refused = Some((code, message)));
                return;
            }
            // Unreachable, or the session has its streams open elsewhere
            // (another window on the same token): wait and try again.
            Err(_) => {
                if let Some(at) = opened_at {
                    shared.signal(|c| c.lost = true);
                    if at.elapsed() >= STREAM_STABLE {
                        backoff.reset();
                    }
                }
                let delay = backoff.next_delay();
                let c = lock(&shared.control);
                let _ = shared
                    .wake
                    .wait_timeout_while(c, delay, |c| !c.stream_halt)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
    }
}
