//! The PostgreSQL connection pool: r2d2 (a maintained pool) over the
//! synchronous client, with this module's connection setup: TLS by
//! `sslmode`, timeouts and keepalives, and the session settings every
//! connection runs with.

use crate::error::StoreError;
use ::postgres::config::SslMode;
use ::postgres::{Client, Config, NoTls, Statement};
use std::collections::HashMap;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio_postgres_rustls::MakeRustlsConnect;
use tokio_rustls::rustls;

/// How long the check of a connection taken from the pool may take.
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

/// The statements prepared on one connection, by their SQL text.
pub(crate) type Statements = HashMap<&'static str, Statement>;

/// A connection and the statements prepared on it: the push path prepares
/// each of its statements once per connection instead of once per use (a
/// round trip and a parse saved on every query).
pub(crate) struct PgConn {
    client: Client,
    statements: Statements,
}

impl PgConn {
    fn new(client: Client) -> PgConn {
        PgConn {
            client,
            statements: HashMap::new(),
        }
    }

    /// The client and its statement cache, borrowed apart (a transaction
    /// holds the one while the other is looked up).
    pub(crate) fn parts(&mut self) -> (&mut Client, &mut Statements) {
        (&mut self.client, &mut self.statements)
    }
}

impl Deref for PgConn {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl DerefMut for PgConn {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// Opens, checks and discards connections for r2d2.
#[derive(Debug)]
pub(crate) struct Manager {
    config: Config,
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = ::postgres::Error;

    fn connect(&self) -> Result<PgConn, ::postgres::Error> {
        connect(&self.config).map(PgConn::new)
    }

    fn is_valid(&self, conn: &mut PgConn) -> Result<(), ::postgres::Error> {
        conn.client.is_valid(CHECK_TIMEOUT)
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        conn.client.is_closed()
    }
}

/// At most `max` connections, opened on demand, checked when taken, and
/// dropped once broken.
pub(crate) struct Pool {
    config: Config,
    /// Always `Some` until dropped (see [`Drop`]).
    inner: Option<r2d2::Pool<Manager>>,
}

/// A pooled connection; it goes back to the pool when dropped.
pub(crate) type Conn = r2d2::PooledConnection<Manager>;

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("server", &describe(&self.config))
            .field("state", &self.inner.as_ref().map(r2d2::Pool::state))
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
        let inner = r2d2::Pool::builder()
            .max_size(u32::try_from(max.max(1)).unwrap_or(u32::MAX))
            // Opened on demand: a store opens without waiting for a pool.
            .min_idle(Some(0))
            .connection_timeout(acquire_timeout)
            .build_unchecked(Manager {
                config: config.clone(),
            });
        Pool {
            config,
            inner: Some(inner),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A connection, waiting up to the acquire timeout for one to come back
    /// when all are in use.
    pub fn get(&self) -> Result<Conn, StoreError> {
        let pool = self
            .inner
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable("the pool is closed".to_owned()))?;
        // r2d2 reports the last connection error, if any, as text.
        pool.get().map_err(|e| {
            StoreError::Unavailable(format!(
                "no database connection within {} ms: {e}",
                pool.connection_timeout().as_millis()
            ))
        })
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing a synchronous client blocks on its own runtime, which
        // panics on an async worker thread, and the last reference to a
        // store may well be dropped on one (at shutdown): close them on a
        // thread of their own.
        let Some(inner) = self.inner.take() else {
            return;
        };
        let closing = std::thread::Builder::new()
            .name("redress-pg-close".to_owned())
            .spawn(move || drop(inner));
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
