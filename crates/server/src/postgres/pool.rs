//! A small pool of synchronous PostgreSQL connections: at most `max` open,
//! opened on demand, checked before reuse after sitting idle, and forgotten
//! once broken.

use crate::error::StoreError;
use ::postgres::config::SslMode;
use ::postgres::{Client, Config, NoTls};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};
use tokio_postgres_rustls::MakeRustlsConnect;
use tokio_rustls::rustls;

/// An idle connection older than this is pinged before it is handed out.
const CHECK_AFTER: Duration = Duration::from_secs(30);

/// How long that ping may take.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// How long opening a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Idle time before TCP keepalive probes start on a connection.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(60);

/// Run on every new connection. A statement waiting longer than
/// `lock_timeout` for a lock (the push lock included) fails, and the client
/// retries (503) instead of hanging; a session that sits in an open
/// transaction (a stuck server thread) is ended so it cannot hold the push
/// lock for ever.
const SESSION_SETUP: &str = "SET lock_timeout = '10s'; \
     SET idle_in_transaction_session_timeout = '60s'";

pub(crate) struct Pool {
    config: Config,
    max: usize,
    acquire_timeout: Duration,
    state: Mutex<State>,
    returned: Condvar,
}

struct State {
    idle: Vec<Idle>,
    /// Connections open, idle or handed out.
    open: usize,
}

struct Idle {
    client: Client,
    since: Instant,
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("server", &describe(&self.config))
            .field("max", &self.max)
            .finish_non_exhaustive()
    }
}

impl Pool {
    pub fn new(mut config: Config, max: usize, acquire_timeout: Duration) -> Pool {
        if config.get_application_name().is_none() {
            config.application_name("redress-server");
        }
        // A database host that stops answering must not hold a blocking
        // thread for the kernel's minutes-long defaults: connecting gives up
        // after CONNECT_TIMEOUT, and an idle connection to a vanished host is
        // found dead by TCP keepalives within a couple of minutes. A URL that
        // sets its own connect timeout keeps it.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.keepalives(true);
        config.keepalives_idle(KEEPALIVE_IDLE);
        Pool {
            config,
            max: max.max(1),
            acquire_timeout,
            state: Mutex::new(State {
                idle: Vec::new(),
                open: 0,
            }),
            returned: Condvar::new(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is two plain fields, consistent at every unlock.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A connection, waiting up to the acquire timeout for one to come back
    /// when all are in use.
    pub fn get(&self) -> Result<Conn<'_>, StoreError> {
        let deadline = Instant::now() + self.acquire_timeout;
        let mut state = self.state();
        loop {
            if let Some(idle) = state.idle.pop() {
                drop(state);
                let mut client = idle.client;
                let usable = !client.is_closed()
                    && (idle.since.elapsed() < CHECK_AFTER
                        || client.is_valid(CHECK_TIMEOUT).is_ok());
                if usable {
                    return Ok(Conn {
                        pool: self,
                        client: Some(client),
                    });
                }
                drop(client);
                state = self.state();
                state.open -= 1;
                continue;
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match connect(&self.config) {
                    Ok(client) => Ok(Conn {
                        pool: self,
                        client: Some(client),
                    }),
                    Err(e) => {
                        self.state().open -= 1;
                        self.returned.notify_one();
                        Err(e.into())
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(StoreError::Unavailable(format!(
                    "all {} database connections stayed busy for {} ms",
                    self.max,
                    self.acquire_timeout.as_millis()
                )));
            }
            state = self
                .returned
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn put_back(&self, client: Client) {
        let mut state = self.state();
        if client.is_closed() {
            state.open -= 1;
            drop(state);
            drop(client);
        } else {
            state.idle.push(Idle {
                client,
                since: Instant::now(),
            });
            drop(state);
        }
        self.returned.notify_one();
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing a synchronous client blocks on its own runtime, which
        // panics on an async worker thread, and the last reference to a
        // store may well be dropped on one (at shutdown): close them on a
        // thread of their own.
        let idle = std::mem::take(&mut self.state().idle);
        if idle.is_empty() {
            return;
        }
        let closing = std::thread::Builder::new()
            .name("redress-pg-close".to_owned())
            .spawn(move || drop(idle));
        if let Ok(closing) = closing {
            let _ = closing.join();
        }
    }
}

/// Opens one connection and sets it up. `sslmode=require` in the URL
/// connects over TLS (rustls), verifying the database server's certificate
/// and host name against the system's root certificates; `disable` and
/// `prefer` (the default) connect without TLS.
pub(crate) fn connect(config: &Config) -> Result<Client, ::postgres::Error> {
    let mut client = match config.get_ssl_mode() {
        SslMode::Require => config.connect(tls_connector())?,
        _ => config.connect(NoTls)?,
    };
    client.batch_execute(SESSION_SETUP)?;
    Ok(client)
}

/// The TLS client for `sslmode=require`, built once: the system's root
/// certificates (a private CA goes into the system's trust store), rustls
/// with ring.
fn tls_connector() -> MakeRustlsConnect {
    static CONNECTOR: OnceLock<MakeRustlsConnect> = OnceLock::new();
    CONNECTOR
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            let (added, _ignored) = roots.add_parsable_certificates(found.certs);
            if added == 0 {
                tracing::warn!(
                    "no system root certificates found: sslmode=require will refuse every \
                     database certificate"
                );
            }
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                // ring supports the default versions; this cannot fail.
                .expect("TLS 1.2 and 1.3 with ring")
                .with_root_certificates(roots)
                .with_no_client_auth();
            MakeRustlsConnect::new(config)
        })
        .clone()
}

/// Where a configuration points, without user or password (for messages).
pub(crate) fn describe(config: &Config) -> String {
    use ::postgres::config::Host;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres");
    format!("postgresql://{host}:{port}/{db}")
}

/// A pooled connection; it goes back to the pool when dropped.
pub(crate) struct Conn<'a> {
    pool: &'a Pool,
    client: Option<Client>,
}

impl Deref for Conn<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client
            .as_ref()
            .expect("a pooled connection until dropped")
    }
}

impl DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client
            .as_mut()
            .expect("a pooled connection until dropped")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            self.pool.put_back(client);
        }
    }
}
