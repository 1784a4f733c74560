//! A real server over HTTP on 127.0.0.1 in the test process, for the tests
//! and benchmarks of this crate and of its clients (feature `conformance`).
//!
//! [`TestServer`] serves a [`SqliteStore`] file (in a temporary directory of
//! its own, or at a given path) with people who all sign in with
//! [`PASSWORD`], and can be stopped and started again on the same file and
//! port. [`Serving`] serves any [`Backend`], for benchmarks that bring their
//! own store. Argon2 is slow on purpose, so every person shares one cached
//! hash ([`password_hash`]).

use crate::http::{self, AppState, Backend, HttpConfig, Shutdown};
use crate::{AccountStore, BroadcastHub, NewUser, SqliteStore, UserKind, auth};
use jiff::Timestamp;
use redress_domain::RulesDocument;
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Every test person's password.
pub const PASSWORD: &str = "correct horse battery";

/// How long [`Serving::stop`] waits for the server to end.
const STOP_DEADLINE: Duration = Duration::from_secs(20);

/// The argon2 hash of [`PASSWORD`], computed once per process.
pub fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| auth::hash_password(PASSWORD).expect("hash the test password"))
        .clone()
}

/// Adds people (name, role, own approval limit), all with [`PASSWORD`].
pub fn add_people(store: &(impl AccountStore + ?Sized), people: &[(&str, Role, Option<i64>)]) {
    let now = Timestamp::now();
    for &(name, role, limit) in people {
        let user = NewUser {
            kind: UserKind::Person,
            name: UserId::new(name),
            role,
            approval_limit_minor: limit,
            password_hash: password_hash(),
        };
        store.add_user(&user, now).expect("add a user");
    }
}

/// A store served over HTTP on its own runtime thread, until stopped or
/// dropped.
#[derive(Debug)]
pub struct Serving {
    addr: SocketAddr,
    scheme: &'static str,
    shutdown: Shutdown,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl Serving {
    /// Serves `store` on `addr` (`127.0.0.1:0` for a free port) with a
    /// notifier of its own, saying the built-in rules are in force.
    pub fn start(
        store: Arc<dyn Backend>,
        config: HttpConfig,
        addr: &str,
    ) -> std::io::Result<Serving> {
        Serving::start_with_rules(store, config, addr, RulesDocument::default())
    }

    /// [`Serving::start`] serving `rules` as the rules in force (the store
    /// should have been opened with `rules.to_rules()`).
    pub fn start_with_rules(
        store: Arc<dyn Backend>,
        config: HttpConfig,
        addr: &str,
        rules: RulesDocument,
    ) -> std::io::Result<Serving> {
        let shutdown = Shutdown::new();
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let state = AppState::new(
            store,
            Arc::new(BroadcastHub::new()),
            config,
            shutdown.clone(),
        )
        .expect("server state")
        .with_rules(rules);
        let (addr, thread) = http::serve_in_background(addr, state)?;
        Ok(Serving {
            addr,
            scheme,
            shutdown,
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server's root, as the desktop's client takes it (`https://`
    /// when the config has a certificate).
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// Triggers shutdown and waits (bounded) until the server has ended
    /// cleanly; returns how long that took.
    pub fn stop(&mut self) -> Duration {
        let started = Instant::now();
        self.shutdown.trigger();
        if let Some(thread) = self.thread.take() {
            while !thread.is_finished() {
                assert!(started.elapsed() < STOP_DEADLINE, "the server did not stop");
                std::thread::sleep(Duration::from_millis(5));
            }
            thread
                .join()
                .expect("the server thread")
                .expect("the server ends cleanly");
        }
        started.elapsed()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// A server over a SQLite file, which can be stopped and started again on the
/// same file and port.
#[derive(Debug)]
pub struct TestServer {
    serving: Option<Serving>,
    store: Option<Arc<SqliteStore>>,
    addr: SocketAddr,
    config: HttpConfig,
    rules: RulesDocument,
    path: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl TestServer {
    /// A fresh database in a temporary directory of its own with `people`,
    /// served on a free port.
    pub fn start(people: &[(&str, Role, Option<i64>)]) -> TestServer {
        TestServer::start_with(HttpConfig::default(), people)
    }

    /// [`TestServer::start`] with other limits and timings.
    pub fn start_with(config: HttpConfig, people: &[(&str, Role, Option<i64>)]) -> TestServer {
        TestServer::start_ruled(config, RulesDocument::default(), people)
    }

    /// [`TestServer::start`] deciding with the site's `rules` (and serving
    /// them at `GET /rules`). Panics when they are invalid.
    pub fn start_with_rules(
        rules: RulesDocument,
        people: &[(&str, Role, Option<i64>)],
    ) -> TestServer {
        TestServer::start_ruled(HttpConfig::default(), rules, people)
    }

    fn start_ruled(
        config: HttpConfig,
        rules: RulesDocument,
        people: &[(&str, Role, Option<i64>)],
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("server.sqlite3");
        let mut server = TestServer::create(path, config, rules, people);
        server._dir = Some(dir);
        server
    }

    /// A fresh database at `path` (in a directory the caller keeps) with
    /// `people`, served on a free port.
    pub fn start_at(path: &Path, people: &[(&str, Role, Option<i64>)]) -> TestServer {
        TestServer::create(
            path.to_owned(),
            HttpConfig::default(),
            RulesDocument::default(),
            people,
        )
    }

    fn create(
        path: PathBuf,
        config: HttpConfig,
        rules: RulesDocument,
        people: &[(&str, Role, Option<i64>)],
    ) -> TestServer {
        let store = Arc::new(open(&path, &rules));
        add_people(store.as_ref(), people);
        TestServer::serve(store, path, config, rules, "127.0.0.1:0").expect("the server starts")
    }

    fn serve(
        store: Arc<SqliteStore>,
        path: PathBuf,
        config: HttpConfig,
        rules: RulesDocument,
        addr: &str,
    ) -> std::io::Result<TestServer> {
        let serving =
            Serving::start_with_rules(store.clone(), config.clone(), addr, rules.clone())?;
        Ok(TestServer {
            addr: serving.addr(),
            serving: Some(serving),
            store: Some(store),
            config,
            rules,
            path,
            _dir: None,
        })
    }

    /// A second server process, as it were, over the same database file, on
    /// another port (the file stays with `self`).
    pub fn beside(&self) -> TestServer {
        let store = Arc::new(self.open_store());
        TestServer::serve(
            store,
            self.path.clone(),
            self.config.clone(),
            self.rules.clone(),
            "127.0.0.1:0",
        )
        .expect("the server starts")
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server's root, as the desktop's client takes it (`https://`
    /// when the config has a certificate).
    pub fn url(&self) -> String {
        let scheme = if self.config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// The root of the HTTP API (`/api/v1`).
    pub fn base_url(&self) -> String {
        format!("{}/api/v1", self.url())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The running server's store (the same object the HTTP API uses).
    pub fn store(&self) -> &Arc<SqliteStore> {
        self.store.as_ref().expect("the server is running")
    }

    /// Another store on the database file, running or not.
    pub fn open_store(&self) -> SqliteStore {
        open(&self.path, &self.rules)
    }

    pub fn is_running(&self) -> bool {
        self.serving.is_some()
    }

    /// Stops the server and waits (bounded) until it has; the listener
    /// closes, the runtime ends and the store is dropped. Like a crash
    /// between two transactions: whatever committed is in the file, nothing
    /// else. Returns how long stopping took (zero when it was not running).
    pub fn stop(&mut self) -> Duration {
        let took = match self.serving.take() {
            Some(mut serving) => serving.stop(),
            None => Duration::ZERO,
        };
        self.store = None;
        took
    }

    /// Stops the server if it runs, opens the database file again and
    /// serves it on the same port (or, if that port was taken meanwhile, on
    /// a new one: see [`TestServer::url`]).
    pub fn restart(&mut self) {
        self.stop();
        let store = Arc::new(self.open_store());
        let same = self.addr.to_string();
        let start = |addr: &str| {
            Serving::start_with_rules(store.clone(), self.config.clone(), addr, self.rules.clone())
        };
        let serving = start(&same)
            .or_else(|_| start("127.0.0.1:0"))
            .expect("the server starts");
        self.addr = serving.addr();
        self.serving = Some(serving);
        self.store = Some(store);
    }
}

/// The store at `path`, deciding with `rules`.
fn open(path: &Path, rules: &RulesDocument) -> SqliteStore {
    let rules = rules.to_rules().expect("valid rules");
    SqliteStore::open(path, rules).expect("open the store")
}

/// A certificate authority made at test time, and a server certificate it
/// signed for `localhost`, `127.0.0.1` and `::1`.
#[derive(Debug)]
pub struct TestCertificates {
    /// The authority's certificate (PEM): what a client trusts.
    pub ca_pem: String,
    /// The server's certificate (PEM).
    pub cert_pem: String,
    /// The server's private key (PEM, PKCS#8).
    pub key_pem: String,
}

impl TestCertificates {
    pub fn generate() -> TestCertificates {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
        let ca_key = KeyPair::generate().expect("a CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Redress test CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = ca_params.self_signed(&ca_key).expect("the CA certificate");
        let key = KeyPair::generate().expect("a server key");
        let mut params = CertificateParams::new(vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
        ])
        .expect("server params");
        params
            .distinguished_name
            .push(DnType::CommonName, "redress test server");
        let cert = params
            .signed_by(&key, &ca, &ca_key)
            .expect("the server certificate");
        TestCertificates {
            ca_pem: ca.pem(),
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }

    /// An [`HttpConfig`] serving TLS with this certificate.
    pub fn config(&self, config: HttpConfig) -> HttpConfig {
        HttpConfig {
            tls: Some(
                http::tls_config(self.cert_pem.as_bytes(), self.key_pem.as_bytes())
                    .expect("the test certificate"),
            ),
            ..config
        }
    }
}
