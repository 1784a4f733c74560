//! [`ChangeNotifier`] across server processes on one PostgreSQL database
//! (sync design §7.4): a poke is delivered to this process's listeners at
//! once and sent as `NOTIFY redress_changes, '<seq>'`; every process keeps
//! one connection that `LISTEN`s on the channel and re-broadcasts what it
//! hears into its local [`BroadcastHub`].
//!
//! Both connections live on threads of their own: [`ChangeNotifier::poke`]
//! is called from async handlers and must not block, and the synchronous
//! client may not run on a runtime's worker thread anyway. A lost connection
//! is reopened with backoff; after the listener reconnects it pokes the
//! current high water, so nothing committed while it was away goes
//! unannounced.

use super::pool;
use crate::error::StoreError;
use crate::notify::{BroadcastHub, ChangeNotifier};
use ::postgres::fallible_iterator::FallibleIterator;
use ::postgres::{Client, Config};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// The channel of the design note.
pub const CHANNEL: &str = "redress_changes";

/// How long [`PgNotifier::start`] waits for the listener's first connection.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// How often the listener looks at the stop flag.
const TICK: Duration = Duration::from_millis(200);

/// How often an idle listener checks its connection is still alive.
const PING_EVERY: Duration = Duration::from_secs(30);

const BACKOFF_MIN: Duration = Duration::from_millis(100);
const BACKOFF_MAX: Duration = Duration::from_secs(5);

/// Pokes fanned out through PostgreSQL `LISTEN/NOTIFY`.
#[derive(Debug)]
pub struct PgNotifier {
    hub: Arc<BroadcastHub>,
    outbox: mpsc::Sender<i64>,
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    stop: AtomicBool,
    /// The listener connection's backend process id, 0 while disconnected.
    listener_pid: AtomicI32,
}

impl PgNotifier {
    /// Starts listening on [`CHANNEL`] with the connection settings of
    /// `config`, and returns once the listener is connected (or fails when
    /// it cannot connect).
    pub fn start(config: Config) -> Result<PgNotifier, StoreError> {
        PgNotifier::start_on(config, CHANNEL)
    }

    /// Like [`PgNotifier::start`] on another channel (a lower-case SQL
    /// identifier), for deployments that share one database.
    pub fn start_on(config: Config, channel: &str) -> Result<PgNotifier, StoreError> {
        let valid = channel.len() <= 63
            && channel.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && channel
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(StoreError::Open(format!(
                "{channel:?} is not a notification channel name (lower-case letters, digits, _)"
            )));
        }
        let hub = Arc::new(BroadcastHub::new());
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            listener_pid: AtomicI32::new(0),
        });
        let (ready_tx, ready_rx) = mpsc::channel();
        let listener = Listener {
            config: tagged(&config, "redress-server-listen"),
            channel: channel.to_owned(),
            hub: hub.clone(),
            shared: shared.clone(),
        };
        std::thread::Builder::new()
            .name("redress-pg-listen".to_owned())
            .spawn(move || listener.run(ready_tx))
            .map_err(|e| StoreError::Open(format!("cannot start the listener thread: {e}")))?;
        match ready_rx.recv_timeout(START_TIMEOUT) {
            Ok(Ok(())) => {}
            Ok(Err(message)) => {
                shared.stop.store(true, Ordering::SeqCst);
                return Err(StoreError::Open(format!(
                    "{}: cannot listen for changes: {message}",
                    pool::describe(&config)
                )));
            }
            Err(_) => {
                shared.stop.store(true, Ordering::SeqCst);
                return Err(StoreError::Unavailable(format!(
                    "{}: the change listener did not connect within {} s",
                    pool::describe(&config),
                    START_TIMEOUT.as_secs()
                )));
            }
        }
        let (outbox, inbox) = mpsc::channel();
        let announcer = Announcer {
            config: tagged(&config, "redress-server-notify"),
            channel: channel.to_owned(),
            shared: shared.clone(),
        };
        std::thread::Builder::new()
            .name("redress-pg-notify".to_owned())
            .spawn(move || announcer.run(inbox))
            .map_err(|e| StoreError::Open(format!("cannot start the notify thread: {e}")))?;
        Ok(PgNotifier {
            hub,
            outbox,
            shared,
        })
    }

    /// The backend process id of the listening connection, if it is
    /// connected (for operators, and for tests that cut the connection).
    pub fn listener_backend_pid(&self) -> Option<i32> {
        match self.shared.listener_pid.load(Ordering::SeqCst) {
            0 => None,
            pid => Some(pid),
        }
    }
}

impl ChangeNotifier for PgNotifier {
    fn poke(&self, high_water: i64) {
        // This process's streams hear at once; the others through NOTIFY.
        self.hub.poke(high_water);
        // The notify thread ends only with this notifier.
        let _ = self.outbox.send(high_water);
    }

    fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.hub.subscribe()
    }
}

impl Drop for PgNotifier {
    fn drop(&mut self) {
        // The notify thread ends when the outbox closes, the listener at
        // its next tick.
        self.shared.stop.store(true, Ordering::SeqCst);
    }
}

/// `config` with its own application name, so the two connections are easy
/// to tell apart in `pg_stat_activity`.
fn tagged(config: &Config, name: &str) -> Config {
    let mut config = config.clone();
    config.application_name(name);
    config
}

fn next_backoff(backoff: Duration) -> Duration {
    (backoff * 2).min(BACKOFF_MAX)
}

/// Sleeps `duration` in ticks; false if told to stop meanwhile.
fn pause(duration: Duration, stop: &AtomicBool) -> bool {
    let until = Instant::now() + duration;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= until {
            return true;
        }
        std::thread::sleep((until - now).min(TICK));
    }
    false
}

struct Listener {
    config: Config,
    channel: String,
    hub: Arc<BroadcastHub>,
    shared: Arc<Shared>,
}

impl Listener {
    fn run(self, ready: mpsc::Sender<Result<(), String>>) {
        let mut ready = Some(ready);
        let mut backoff = BACKOFF_MIN;
        while !self.shared.stop.load(Ordering::SeqCst) {
            let reconnect = ready.is_none();
            let result = self.listen(reconnect, &mut ready, &mut backoff);
            self.shared.listener_pid.store(0, Ordering::SeqCst);
            match result {
                Ok(()) => return,
                Err(e) => {
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(Err(e.to_string()));
                        return;
                    }
                    tracing::warn!(error = %e, "change listener lost its connection; reconnecting");
                    if !pause(backoff, &self.shared.stop) {
                        return;
                    }
                    backoff = next_backoff(backoff);
                }
            }
        }
    }

    /// One connection's life: `Ok` when told to stop, `Err` when the
    /// connection failed.
    fn listen(
        &self,
        reconnect: bool,
        ready: &mut Option<mpsc::Sender<Result<(), String>>>,
        backoff: &mut Duration,
    ) -> Result<(), ::postgres::Error> {
        let mut client = pool::connect(&self.config)?;
        client.batch_execute(&format!("LISTEN {}", self.channel))?;
        let pid: i32 = client.query_one("SELECT pg_backend_pid()", &[])?.get(0);
        self.shared.listener_pid.store(pid, Ordering::SeqCst);
        if reconnect {
            tracing::info!("change listener reconnected");
            self.catch_up(&mut client);
        }
        if let Some(ready) = ready.take() {
            let _ = ready.send(Ok(()));
        }
        *backoff = BACKOFF_MIN;
        let mut last_ping = Instant::now();
        loop {
            if self.shared.stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            {
                let mut notifications = client.notifications();
                let mut heard = notifications.timeout_iter(TICK);
                while let Some(notification) = heard.next()? {
                    match notification.payload().parse::<i64>() {
                        Ok(seq) => self.hub.poke(seq),
                        Err(_) => tracing::warn!(
                            payload = notification.payload(),
                            "ignoring a change notification that is not a seq"
                        ),
                    }
                }
            }
            if last_ping.elapsed() >= PING_EVERY {
                client.is_valid(BACKOFF_MAX)?;
                last_ping = Instant::now();
            }
        }
    }

    /// Pokes the current high water after a reconnect: pokes sent while
    /// the listener was away were lost.
    fn catch_up(&self, client: &mut Client) {
        match client.query_one("SELECT COALESCE(MAX(seq), 0) FROM change_log", &[]) {
            Ok(row) => {
                let seq: i64 = row.get(0);
                if seq > 0 {
                    self.hub.poke(seq);
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the high water after reconnecting"),
        }
    }
}

struct Announcer {
    config: Config,
    channel: String,
    shared: Arc<Shared>,
}

impl Announcer {
    fn run(self, inbox: mpsc::Receiver<i64>) {
        let mut client: Option<Client> = None;
        let mut backoff = BACKOFF_MIN;
        // Blocks until a poke comes or the notifier is dropped.
        while let Ok(mut seq) = inbox.recv() {
            loop {
                // Pokes that queued up meanwhile: only the highest matters.
                loop {
                    match inbox.try_recv() {
                        Ok(next) => seq = seq.max(next),
                        Err(mpsc::TryRecvError::Empty) => break,
                        Err(mpsc::TryRecvError::Disconnected) => return,
                    }
                }
                match self.notify(&mut client, seq) {
                    Ok(()) => {
                        backoff = BACKOFF_MIN;
                        break;
                    }
                    Err(e) => {
                        client = None;
                        tracing::warn!(error = %e, seq, "cannot send a change notification; retrying");
                        if !pause(backoff, &self.shared.stop) {
                            return;
                        }
                        backoff = next_backoff(backoff);
                    }
                }
            }
        }
    }

    fn notify(&self, client: &mut Option<Client>, seq: i64) -> Result<(), ::postgres::Error> {
        let connected = match client {
            Some(connected) if !connected.is_closed() => connected,
            _ => client.insert(pool::connect(&self.config)?),
        };
        connected.execute(
            "SELECT pg_notify($1, $2)",
            &[&self.channel, &seq.to_string()],
        )?;
        Ok(())
    }
}
