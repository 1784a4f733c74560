//! The HTTP API under `/api/v1` (sync design §6), on axum and tokio.
//!
//! Store calls block, so every one of them runs on tokio's blocking pool.
//! All endpoints but `health`, `meta` and `auth/login` need a live session
//! (`Authorization: Bearer <token>`) and the session's device in
//! `Redress-Device`; all but `health` and `meta` need a supported
//! `Redress-Protocol`. The intake API (`/intake/...`) is the exception: it
//! takes only integration tokens, needs no `Redress-Device` and accepts
//! requests without `Redress-Protocol`. Every response carries the server's
//! epoch, time and protocol range as headers. Errors are [`ApiError`] JSON
//! bodies.
//!
//! The handlers carry their OpenAPI description ([`openapi()`]), which the
//! server also serves at `GET /api/v1/openapi.json`.

mod admin;
mod error;
mod gates;
mod intake;
mod limiter;
mod listen;
mod openapi;
mod session;
mod sync;

pub use error::ApiError;
use gates::{PasswordPool, StreamSlots};
pub use intake::IntegrationSession;
pub use limiter::{LoginBrakes, LoginLimiter, MAX_ACCOUNT_BACKOFF};
pub use listen::{INVALID_TLS, TlsSetupError, load_tls, tls_config};
pub use openapi::{openapi, openapi_json};
pub use session::AuthSession;

use crate::accounts::AccountStore;
use crate::config::ConfigStore;
use crate::error::StoreError;
use crate::notify::ChangeNotifier;
use crate::store::ServerStore;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use jiff::{SignedDuration, Timestamp};
use redress_domain::rules::RulesDocument;
use redress_protocol::http::Meta;
use redress_protocol::{ErrorCode, PROTOCOL_VERSION, rules_digest};
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::watch;
use uuid::Uuid;

/// The oldest protocol version this server still speaks.
pub const PROTOCOL_MIN: u32 = 1;
/// The newest protocol version this server speaks.
pub const PROTOCOL_MAX: u32 = PROTOCOL_VERSION;

/// Request and response header names (the protocol crate's).
pub use redress_protocol::http::headers;

/// Both storage seams, as one object the handlers share.
pub trait Backend: ServerStore + AccountStore + ConfigStore {}

impl<T: ServerStore + AccountStore + ConfigStore> Backend for T {}

/// Limits and timings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// The largest request body accepted (bytes).
    pub body_limit: usize,
    /// How long a session lasts after sign-in.
    pub session_ttl: SignedDuration,
    /// The longest a session lives from sign-in, however much it is used
    /// (the sliding `session_ttl` never moves its end past this).
    pub session_max_age: SignedDuration,
    /// Failed sign-ins per user name, from any address, before each
    /// further attempt waits ([`limiter`](LoginLimiter)) ...
    pub login_failures: u32,
    /// ... a delay that starts here and doubles with each failure (at most
    /// 15 minutes); `429 rate_limited` with `Retry-After` meanwhile.
    pub login_backoff: Duration,
    /// Failed sign-ins per client address, whatever the user names, within
    /// `login_window`, before further attempts get `429`.
    pub login_address_failures: usize,
    /// How long failures count (and an account stays braked after its
    /// delay ran out).
    pub login_window: Duration,
    /// Password checks run at once ...
    pub password_workers: usize,
    /// ... and sign-ins that may wait for one; one more gets `503
    /// server_busy`.
    pub password_queue: usize,
    /// Event streams one session may have open at once; one more gets
    /// `429 too_many_streams`.
    pub streams_per_session: usize,
    /// How often an idle event stream sends a keep-alive comment.
    pub keep_alive: Duration,
    /// The shortest gap between two pokes on one event stream.
    pub poke_interval: Duration,
    /// How often an event stream checks that its session is still live; a
    /// revoked or expired one gets `session_revoked` and the stream ends.
    pub session_check: Duration,
    /// How long a client has for the TLS handshake and for each request's
    /// headers (on HTTP/1.1 counted from when the server waits for the next
    /// request on the connection).
    pub header_read_timeout: Duration,
    /// How long a request's body may take to arrive, from its headers.
    pub body_timeout: Duration,
    /// How long a connection without a request in flight stays open. An
    /// event stream is in flight for as long as it lasts.
    pub idle_timeout: Duration,
    /// The most connections open at once; one more is closed at once.
    pub max_connections: usize,
    /// The certificate and key to serve TLS with ([`tls_config`]); `None`
    /// serves plain HTTP.
    pub tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            body_limit: 1024 * 1024,
            session_ttl: SignedDuration::from_hours(14 * 24),
            session_max_age: SignedDuration::from_hours(90 * 24),
            login_failures: 5,
            login_backoff: Duration::from_secs(1),
            login_address_failures: 30,
            login_window: Duration::from_secs(5 * 60),
            password_workers: std::thread::available_parallelism().map_or(2, |n| n.get().min(8)),
            password_queue: 32,
            streams_per_session: 4,
            keep_alive: Duration::from_secs(15),
            poke_interval: Duration::from_millis(100),
            session_check: Duration::from_secs(15),
            header_read_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
            tls: None,
        }
    }
}

/// Tells the server to stop: the listener stops accepting, event streams
/// end, and [`serve`] returns once open requests are answered.
#[derive(Debug, Clone)]
pub struct Shutdown {
    sender: Arc<watch::Sender<bool>>,
}

impl Shutdown {
    pub fn new() -> Shutdown {
        Shutdown {
            sender: Arc::new(watch::channel(false).0),
        }
    }

    pub fn trigger(&self) {
        self.sender.send_replace(true);
    }

    pub fn is_triggered(&self) -> bool {
        *self.sender.borrow()
    }

    /// Resolves once [`Shutdown::trigger`] was called (at once if it was
    /// already).
    pub async fn wait(&self) {
        let mut receiver = self.sender.subscribe();
        // The sender lives as long as `self`, so this cannot fail.
        let _ = receiver.wait_for(|stopped| *stopped).await;
    }
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown::new()
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    rules: Arc<RulesInForce>,
}

/// A rules document the store decides with, its digest and version.
#[derive(Debug)]
pub struct RulesInForce {
    pub document: RulesDocument,
    pub digest: String,
    /// The stored configuration version; `None` for the rules the server
    /// was started with while the database holds no version.
    pub version: Option<i64>,
}

impl RulesInForce {
    fn new(document: RulesDocument, version: Option<i64>) -> RulesInForce {
        RulesInForce {
            digest: rules_digest(&document),
            document,
            version,
        }
    }
}

struct Inner {
    store: Arc<dyn Backend>,
    notifier: Arc<dyn ChangeNotifier>,
    epoch: Uuid,
    config: HttpConfig,
    limiter: LoginLimiter,
    passwords: PasswordPool,
    streams: Arc<StreamSlots>,
    shutdown: Shutdown,
    /// The stored version last served.
    in_force: std::sync::Mutex<Option<Arc<RulesInForce>>>,
    /// Counts the configuration versions stored through this server, so
    /// event streams announce the new rules at once.
    rules_changed: watch::Sender<u64>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("epoch", &self.inner.epoch)
            .field("config", &self.inner.config)
            .field("rules_digest", &self.rules.digest)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Reads the store's epoch once; it cannot change while the server runs.
    /// The rules served are the built-in ones ([`RulesDocument::default`]);
    /// see [`AppState::with_rules`].
    pub fn new(
        store: Arc<dyn Backend>,
        notifier: Arc<dyn ChangeNotifier>,
        config: HttpConfig,
        shutdown: Shutdown,
    ) -> Result<AppState, StoreError> {
        let epoch = store.epoch()?;
        let limiter = LoginLimiter::new(LoginBrakes {
            account_failures: config.login_failures,
            backoff: config.login_backoff,
            address_failures: config.login_address_failures,
            window: config.login_window,
        });
        let passwords = PasswordPool::new(config.password_workers, config.password_queue);
        let streams = StreamSlots::new(config.streams_per_session);
        Ok(AppState {
            inner: Arc::new(Inner {
                store,
                notifier,
                epoch,
                config,
                limiter,
                passwords,
                streams,
                shutdown,
                in_force: std::sync::Mutex::new(None),
                rules_changed: watch::channel(0).0,
            }),
            rules: Arc::new(RulesInForce::new(RulesDocument::default(), None)),
        })
    }

    /// Serves `document` while the database holds no configuration
    /// version (`GET /rules`, the digest in `GET /meta`). It must be the
    /// document the store was opened with (`document.to_rules()`): this only
    /// says which rules the store decides with, it does not change them.
    pub fn with_rules(mut self, document: RulesDocument) -> AppState {
        self.rules = Arc::new(RulesInForce::new(document, None));
        self
    }

    /// The rules in force at `now`: the stored configuration version in
    /// force, or the rules the server was started with before the first.
    pub fn rules_at(&self, now: Timestamp) -> Result<Arc<RulesInForce>, StoreError> {
        let store = self.inner.store.as_ref();
        let Some(number) = store.config_in_force(now)? else {
            return Ok(Arc::clone(&self.rules));
        };
        let mut slot = self
            .inner
            .in_force
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(cached) = slot.as_ref()
            && cached.version == Some(number)
        {
            return Ok(Arc::clone(cached));
        }
        let (_, document) = store
            .config_document(number)?
            .ok_or_else(|| StoreError::corrupt(format!("config version {number} vanished")))?;
        let fresh = Arc::new(RulesInForce::new(document, Some(number)));
        *slot = Some(Arc::clone(&fresh));
        Ok(fresh)
    }

    /// Tells the event streams that the rules in force may have changed:
    /// now, and again at `effective_from` when that is later.
    pub fn announce_rules(&self, effective_from: Timestamp) {
        self.inner.rules_changed.send_modify(|n| *n += 1);
        let wait = Timestamp::now().duration_until(effective_from);
        if wait.is_positive() {
            let state = self.clone();
            let wait = Duration::try_from(wait).unwrap_or(Duration::MAX);
            tokio::spawn(async move {
                tokio::select! {
                    () = state.shutdown().wait() => {}
                    () = tokio::time::sleep(wait) => {
                        state.inner.rules_changed.send_modify(|n| *n += 1);
                    }
                }
            });
        }
    }

    /// [`AppState::rules_at`] now, off the async threads.
    pub async fn rules_now(&self) -> Result<Arc<RulesInForce>, ApiError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || state.rules_at(Timestamp::now()))
            .await
            .map_err(|e| ApiError::internal(format!("a store call failed: {e}")))?
            .map_err(ApiError::from)
    }

    pub fn shutdown(&self) -> &Shutdown {
        &self.inner.shutdown
    }

    pub fn epoch(&self) -> Uuid {
        self.inner.epoch
    }

    fn config(&self) -> &HttpConfig {
        &self.inner.config
    }

    /// Runs a store call on the blocking pool.
    async fn blocking<T, F>(&self, call: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Backend) -> Result<T, StoreError> + Send + 'static,
    {
        let store = Arc::clone(&self.inner.store);
        tokio::task::spawn_blocking(move || call(store.as_ref()))
            .await
            .map_err(|e| ApiError::internal(format!("a store call failed: {e}")))?
            .map_err(ApiError::from)
    }
}

/// The whole API, with its state.
pub fn router(state: AppState) -> Router {
    let versioned = Router::new()
        .route("/auth/login", post(session::login))
        .route("/auth/logout", post(session::logout))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(sync::pull))
        .route("/sync/events", get(sync::events))
        .route("/sync/results", get(sync::results))
        .route("/sync/bootstrap", get(sync::bootstrap))
        .route("/rules", get(sync::rules))
        .route(
            "/admin/config",
            get(admin::get_config).put(admin::put_config),
        )
        .route("/admin/config/versions", get(admin::config_versions))
        .route("/admin/audit", get(admin::audit))
        .route("/admin/users", get(admin::users).post(admin::add_user))
        .route(
            "/admin/users/{name}",
            axum::routing::put(admin::update_user),
        )
        .route("/admin/users/{name}/password", post(admin::reset_password))
        .route("/admin/users/{name}/sessions", get(admin::user_sessions))
        .route(
            "/admin/users/{name}/sessions/revoke",
            post(admin::revoke_user_sessions),
        )
        .route_layer(middleware::from_fn(require_protocol));
    // Third-party systems may leave the protocol header out.
    let intake = Router::new()
        .route("/intake/complaints", post(intake::create_complaint))
        .route(
            "/intake/complaints/{id}/progress",
            post(intake::add_progress),
        )
        .route_layer(middleware::from_fn(accept_protocol));
    let api = Router::new()
        .route("/health", get(health))
        .route("/meta", get(meta))
        .route("/openapi.json", get(openapi::document))
        .merge(versioned)
        .merge(intake);
    Router::new()
        .nest("/api/v1", api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config().body_limit))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            server_headers,
        ))
        .with_state(state)
}

/// Serves the API on `listener` (over TLS if the config has a
/// certificate) until the state's [`Shutdown`] is triggered, then lets open
/// requests finish (event streams end by themselves). The connection
/// limits and timeouts are the config's: see [`HttpConfig`].
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let shutdown = state.shutdown().clone();
    let config = state.config().clone();
    tokio::spawn(purge_sessions(state.clone()));
    listen::accept_loop(listener, router(state), config, shutdown).await
}

/// How often ended sessions are purged while serving (and once at start).
const PURGE_EVERY: Duration = Duration::from_secs(60 * 60);
/// How long an expired or revoked session is kept before it is purged.
pub const PURGE_AFTER: SignedDuration = SignedDuration::from_hours(24);

/// Deletes sessions that ended more than [`PURGE_AFTER`] ago, every
/// [`PURGE_EVERY`], until shutdown.
async fn purge_sessions(state: AppState) {
    let mut every = tokio::time::interval(PURGE_EVERY);
    loop {
        tokio::select! {
            _ = every.tick() => {}
            () = state.shutdown().wait() => return,
        }
        let Some(before) = Timestamp::now().checked_sub(PURGE_AFTER).ok() else {
            continue;
        };
        match state
            .blocking(move |store| store.purge_sessions(before))
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "purged ended sessions"),
            // Logged by the store error's conversion or below; tried again later.
            Err(e) => tracing::warn!(code = e.code.as_str(), "could not purge ended sessions"),
        }
    }
}

/// Serves the API from a thread of its own with its own runtime, for
/// programs that are not async themselves (tests, tools). Binds `addr`
/// (port 0 picks a free one) and returns the bound address once it listens,
/// with the thread, which ends when the state's [`Shutdown`] is triggered.
pub fn serve_in_background(
    addr: &str,
    state: AppState,
) -> std::io::Result<(SocketAddr, std::thread::JoinHandle<std::io::Result<()>>)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let addr = addr.to_owned();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let listener = match TcpListener::bind(addr.as_str()).await {
                Ok(l) => l,
                Err(e) => {
                    let kind = e.kind();
                    let _ = tx.send(Err(e));
                    return Err(std::io::Error::new(kind, "bind failed"));
                }
            };
            let _ = tx.send(listener.local_addr());
            serve(listener, state).await
        })
    });
    let bound = rx
        .recv()
        .map_err(|_| std::io::Error::other("the server thread ended before it listened"))??;
    Ok((bound, thread))
}

/// Refuses requests without a supported `Redress-Protocol`, before anything
/// else is looked at.
async fn require_protocol(request: Request, next: Next) -> Response {
    let sent = request
        .headers()
        .get(headers::PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match sent.map(|v| (v, v.parse::<u32>())) {
        Some((_, Ok(version))) if (PROTOCOL_MIN..=PROTOCOL_MAX).contains(&version) => {
            next.run(request).await
        }
        Some((v, _)) => protocol_mismatch(&format!("protocol version {v:?} is not supported")),
        None => protocol_mismatch("the Redress-Protocol header is missing"),
    }
}

/// Lets requests without `Redress-Protocol` through (the intake API), but
/// refuses an unsupported one like [`require_protocol`].
async fn accept_protocol(request: Request, next: Next) -> Response {
    if request.headers().contains_key(headers::PROTOCOL) {
        require_protocol(request, next).await
    } else {
        next.run(request).await
    }
}

fn protocol_mismatch(why: &str) -> Response {
    ApiError::new(
        StatusCode::UPGRADE_REQUIRED,
        ErrorCode::ProtocolMismatch,
        format!("{why}; this server speaks versions {PROTOCOL_MIN} to {PROTOCOL_MAX}"),
    )
    .into_response()
}

/// Adds the server's epoch, time and protocol range to every response, and
/// logs the request.
async fn server_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let pairs = [
        (headers::SERVER_EPOCH, state.epoch().to_string()),
        (headers::SERVER_TIME, Timestamp::now().to_string()),
        (headers::PROTOCOL_MIN, PROTOCOL_MIN.to_string()),
        (headers::PROTOCOL_MAX, PROTOCOL_MAX.to_string()),
    ];
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(&value) {
            h.insert(HeaderName::from_static(name), value);
        }
    }
    tracing::info!(
        %method,
        path = ?path,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// The answer of `GET /health`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Health {
    /// Always `ok`.
    #[schema(example = "ok")]
    status: &'static str,
}

/// `GET /health`: the server is up.
#[utoipa::path(
    get,
    path = "/api/v1/health",
    summary = "Liveness",
    tag = "server",
    responses((status = 200, description = "The server is up", body = Health))
)]
async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// `GET /meta`: the protocol range, epoch and clock of the server.
#[utoipa::path(
    get,
    path = "/api/v1/meta",
    summary = "Protocol range, epoch and clock of the server",
    tag = "server",
    responses((status = 200, description = "The server's protocol range, epoch and clock", body = Meta))
)]
async fn meta(State(state): State<AppState>) -> Result<Json<Meta>, ApiError> {
    let rules = state.rules_now().await?;
    Ok(Json(Meta {
        protocol_min: PROTOCOL_MIN,
        protocol_max: PROTOCOL_MAX,
        server_epoch: state.epoch(),
        server_time: Timestamp::now(),
        rules_digest: rules.digest.clone(),
    }))
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "no such endpoint",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        "the endpoint does not take this method",
    )
}
