//! Working with the shared server: signing in and out, the server's rules,
//! one sync on demand (`redressctl sync`) and the background sync loop's
//! lifecycle (the console). Both shells only forward to this module.
//!
//! - Where the session token is kept is the [`TokenVault`] port: the console
//!   plugs in the OS keychain, `redressctl` plugs in [`NoVault`]. A token the
//!   vault does not keep stays in the local store's settings, and Settings
//!   says so.
//! - The loop ([`SyncManager`]) runs while the data directory is signed in:
//!   started after sign-in and at launch, stopped at sign-out, on a refusal
//!   (it stops by itself) and on exit. Its clock is the app's [`Clock`]
//!   port. Every status change and sync goes to the shell's status callback
//!   as a whole [`SyncOverview`].
//! - The first sync that brings changes after being offline (or closed) is
//!   announced by one notification with the count, not one per complaint.

use crate::error::{AppError, AppResult};
use crate::messages::{changed_offline_text, rules_invalid_text, started_over_text};
use crate::ports::{Notification, Opens};
use crate::service::App;
use crate::settings::Language;
use crate::sync::{ServerLink, SyncOverview, SyncStatus};
use redress_domain::ErrorCode;
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_domain::planner::Urgency;
use redress_local::LocalStore;
use redress_protocol::DeviceId;
use redress_sync::{
    EndpointError, EpochCheck, HttpTransport, LiveConfig, LiveEvent, LiveStatus, LiveSync,
    PullReport, PushReport, RulesUpdate, ServerEndpoint, SyncEngine, SyncError, TransportError,
    refresh_rules,
};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// Keeps session tokens outside the local store (the OS keychain), one per
/// data directory (`account` is its device id).
pub trait TokenVault: Send + Sync + 'static {
    /// Keeps `token`; `Err` says why it cannot (then the token is kept in
    /// the local settings instead).
    fn save(&self, account: &str, token: &str) -> Result<(), String>;
    fn load(&self, account: &str) -> Result<String, String>;
    /// Forgets the token; a missing one is not an error.
    fn delete(&self, account: &str);
}

/// A vault that keeps nothing: every token stays in the local settings
/// (`redressctl`, tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoVault;

impl TokenVault for NoVault {
    fn save(&self, _: &str, _: &str) -> Result<(), String> {
        Err("no keychain is used here".to_owned())
    }

    fn load(&self, _: &str) -> Result<String, String> {
        Err("no keychain is used here".to_owned())
    }

    fn delete(&self, _: &str) {}
}

/// What signing in needs.
#[derive(Debug, Clone, Copy)]
pub struct SignIn<'a> {
    /// The server's address as the user typed it.
    pub url: &'a str,
    pub user: &'a str,
    pub password: &'a str,
    /// A PEM file of certificates to trust besides the system's (kept with
    /// the link for every later connection).
    pub ca_file: Option<&'a Path>,
    /// Plain HTTP to a host that is not loopback is allowed.
    pub insecure_http: bool,
    /// How the server lists this installation.
    pub device_name: &'a str,
}

/// A finished sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The server's address (normalised).
    pub url: String,
    pub user: UserId,
    pub role: Role,
    pub device: DeviceId,
    /// What fetching the server's rules found.
    pub rules: RulesRefresh,
}

/// What fetching the server's rules found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulesRefresh {
    /// The stored rules are the server's (or the server serves none).
    Unchanged,
    /// New rules were stored and are in force now.
    Changed { digest: String },
    /// The server's document does not check out here: the previous rules
    /// stay (reported on stderr and by a notification).
    Invalid { message: String },
}

/// What signing out did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOut {
    /// The data directory never signed in.
    NeverLinked,
    /// It was signed out already.
    AlreadySignedOut { url: String },
    /// The token is forgotten here; `revoked` says whether the server ended
    /// the session too (offline, or with the token in a keychain that does
    /// not give it back, it could not be told).
    SignedOut {
        url: String,
        revoked: Result<(), AppError>,
    },
}

/// What one sync on demand did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// The server was restored from a backup: this desktop started over and
    /// sent this many changes again.
    pub started_over: Option<usize>,
    pub pushed: PushReport,
    pub pulled: PullReport,
    /// Local changes still waiting.
    pub pending: u32,
    pub rules: RulesRefresh,
}

impl From<EndpointError> for AppError {
    fn from(e: EndpointError) -> AppError {
        AppError::new(e.code, e.message)
    }
}

impl From<TransportError> for AppError {
    fn from(e: TransportError) -> AppError {
        match e {
            TransportError::Unreachable(why) => AppError {
                transient: true,
                ..AppError::new(
                    ErrorCode::ServerUnreachable,
                    format!("the server did not answer: {why}"),
                )
            },
            TransportError::Refused { code, message } => {
                AppError::new(code, format!("the server refused: {message}"))
            }
        }
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> AppError {
        match e {
            SyncError::Transport(t) => t.into(),
            SyncError::Store(s) => s.into(),
            SyncError::Wire(_) => AppError::new(ErrorCode::UnreadableSyncData, e.to_string()),
            SyncError::Gap { .. } => AppError::new(ErrorCode::OutboxGap, e.to_string()),
        }
    }
}

/// The server of `link`, with the trust settings it was signed in with.
fn endpoint_of(link: &ServerLink) -> AppResult<ServerEndpoint> {
    Ok(ServerEndpoint::parse(
        &link.url,
        link.ca_pem.clone(),
        link.insecure_http,
    )?)
}

fn live_status(s: LiveStatus) -> SyncStatus {
    match s {
        LiveStatus::Syncing => SyncStatus::Syncing,
        LiveStatus::Online => SyncStatus::Online,
        LiveStatus::Offline { retry_in, reason } => SyncStatus::Offline {
            retry_in_s: retry_in.as_secs().max(1),
            reason,
        },
        LiveStatus::Refused { code, message } => SyncStatus::NeedsSignIn { code, message },
    }
}

impl App {
    fn vault_account(&self) -> AppResult<String> {
        Ok(self.device_id()?.to_string())
    }

    fn language(&self) -> Language {
        self.settings()
            .map(|s| s.language)
            .unwrap_or(Language::ZhCn)
    }

    /// A second connection to this app's store (the sync engine's own).
    fn store_again(&self) -> AppResult<LocalStore> {
        Ok(LocalStore::open(self.store.path())?)
    }

    /// At start, before any command runs: a store linked to a server works
    /// in server sync (so no change made on it is settled standalone) and
    /// decides with the server's rules stored at its last sync; a
    /// standalone one with its own site configuration, if it has one. A
    /// stored document that does not check out is reported and the rules
    /// it was opened with stay (until the server's next ones arrive).
    /// `Ok(true)` when linked.
    pub fn follow_link(&self) -> AppResult<bool> {
        if self.server_link()?.is_none() {
            if let Err(e) = self.load_local_rules() {
                self.report_invalid_rules(&e.message);
            }
            return Ok(false);
        }
        self.set_server_sync(true);
        if let Err(e) = self.load_server_rules() {
            self.report_invalid_rules(&e.message);
        }
        Ok(true)
    }

    /// Says that the server's rules cannot be used here: one line on
    /// stderr and a notification (the rules in force stay).
    fn report_invalid_rules(&self, message: &str) {
        eprintln!("warning[invalid_rules]: {message}");
        let lang = self.language();
        let _ = self.notifier.notify(&Notification::new(
            lang,
            rules_invalid_text(lang, message),
            Urgency::Normal,
            Opens::Console,
        ));
    }

    /// Fetches the server's rules when their digest changed, stores them and
    /// decides with them from now on.
    pub fn refresh_server_rules(&self, http: &HttpTransport) -> AppResult<RulesRefresh> {
        Ok(match refresh_rules(http, &self.store)? {
            RulesUpdate::Unchanged => RulesRefresh::Unchanged,
            RulesUpdate::Changed { digest, rules } => {
                self.set_rules(rules)?;
                RulesRefresh::Changed { digest }
            }
            RulesUpdate::Invalid { message, .. } => {
                self.report_invalid_rules(&message);
                RulesRefresh::Invalid { message }
            }
        })
    }

    /// Signs in: checks that this store may join `req.url` and the trust
    /// settings (both before connecting), logs in, keeps the token (in
    /// `vault`, else in the local settings), links the store with the
    /// server's account as the acting user, and fetches the server's rules.
    pub fn sign_in(&self, vault: &dyn TokenVault, req: &SignIn<'_>) -> AppResult<SignedIn> {
        Ok(self.open_session(vault, req)?.0)
    }

    /// [`App::sign_in`], with the server and the new token for a loop to
    /// start on.
    fn open_session(
        &self,
        vault: &dyn TokenVault,
        req: &SignIn<'_>,
    ) -> AppResult<(SignedIn, ServerEndpoint, String)> {
        let url = req.url.trim();
        self.check_can_join(url)?;
        let endpoint = ServerEndpoint::with_ca_file(url, req.ca_file, req.insecure_http)?;
        let device = DeviceId(self.device_id()?);
        let session = redress_sync::login_to(
            &endpoint,
            req.user.trim(),
            req.password,
            device,
            req.device_name,
        )?;
        let account = self.vault_account()?;
        let in_vault = vault.save(&account, &session.token).is_ok();
        let link = ServerLink {
            url: endpoint.url().to_owned(),
            user: session.user.clone(),
            token: (!in_vault).then(|| session.token.clone()),
            keychain: in_vault,
            ca_pem: endpoint.ca_pem().map(str::to_owned),
            insecure_http: endpoint.insecure_http(),
        };
        if let Err(e) = self.complete_sign_in(&link, session.role, session.approval_limit_minor) {
            if in_vault {
                vault.delete(&account);
            }
            return Err(e);
        }
        let rules = self.refresh_server_rules(&HttpTransport::for_endpoint(
            &endpoint,
            &session.token,
            device,
        ))?;
        let done = SignedIn {
            url: link.url,
            user: session.user,
            role: session.role,
            device,
            rules,
        };
        Ok((done, endpoint, session.token))
    }

    /// The server and the session token to reach it with: `not_signed_in`
    /// without one, `token_unavailable` when the vault holding it does not
    /// give it back.
    pub fn session(&self, vault: &dyn TokenVault) -> AppResult<(ServerEndpoint, String)> {
        let link = self.server_link()?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NotSignedIn,
                "this data directory has not signed in to a server",
            )
        })?;
        let token = match (&link.token, link.keychain) {
            (Some(token), _) => token.clone(),
            (None, true) => vault.load(&self.vault_account()?).map_err(|why| {
                AppError::new(
                    ErrorCode::TokenUnavailable,
                    format!(
                        "the session with {} is in the keychain, which did not give it back \
                         ({why}): sign in again",
                        link.url
                    ),
                )
            })?,
            (None, false) => {
                return Err(AppError::new(
                    ErrorCode::NotSignedIn,
                    format!("signed out of {}: sign in again", link.url),
                ));
            }
        };
        Ok((endpoint_of(&link)?, token))
    }

    /// Forgets the session token (here and in `vault`) and asks the server
    /// to end the session, best effort. The store stays linked and in
    /// server sync: pending changes stay in the outbox for the next
    /// sign-in. The caller stops a running loop first.
    pub fn sign_out(&self, vault: &dyn TokenVault) -> AppResult<SignOut> {
        let Some(link) = self.server_link()? else {
            return Ok(SignOut::NeverLinked);
        };
        if !link.signed_in() {
            return Ok(SignOut::AlreadySignedOut { url: link.url });
        }
        let session = self.session(vault);
        let account = self.vault_account()?;
        self.forget_session()?;
        if link.keychain {
            vault.delete(&account);
        }
        let revoked = session.and_then(|(endpoint, token)| {
            let device = DeviceId(self.device_id()?);
            Ok(redress_sync::logout_from(&endpoint, &token, device)?)
        });
        Ok(SignOut::SignedOut {
            url: link.url,
            revoked,
        })
    }

    /// A client of the server this directory signed in to, with its
    /// session: for the calls beside sync (the admin endpoints).
    pub fn server_transport(&self, vault: &dyn TokenVault) -> AppResult<HttpTransport> {
        let (endpoint, token) = self.session(vault)?;
        let device = DeviceId(self.device_id()?);
        Ok(HttpTransport::for_endpoint(&endpoint, &token, device))
    }

    /// One sync now (`redressctl sync`): refreshes the server's rules, starts
    /// over when the server was restored from a backup, pushes every pending
    /// change and pulls the server's until caught up.
    pub fn sync_now(&self, vault: &dyn TokenVault) -> AppResult<SyncReport> {
        let http = self.server_transport(vault)?;
        let rules = self.refresh_server_rules(&http)?;
        let engine = SyncEngine::with_shared_rules(self.store_again()?, self.rules_handle(), http);
        // The server's epoch, by the engine's one rule: a restored server
        // makes this desktop start over before it syncs.
        let epoch = engine.transport().meta()?.server_epoch;
        let started_over = match engine.check_epoch(epoch)? {
            EpochCheck::StartedOver(done) => Some(done.requeued),
            EpochCheck::First | EpochCheck::Same => None,
        };
        let (pushed, pulled) = engine.sync(self.now())?;
        self.synced(&pulled.complaints, pushed.rejected > 0)?;
        Ok(SyncReport {
            started_over,
            pushed,
            pulled,
            pending: self.pending_count()?,
            rules,
        })
    }
}

/// Called with the whole overview at every status change and sync.
type StatusSink = Box<dyn Fn(&SyncOverview) + Send + Sync>;

/// What the loop's callback needs (it runs on the loop's thread).
struct Inner {
    app: Arc<App>,
    on_status: StatusSink,
    /// The loop's last status, `None` while no loop runs.
    status: Mutex<Option<SyncStatus>>,
    /// The loop generation whose events count; older loops' late events
    /// are dropped.
    generation: AtomicU64,
    /// Offline (or just launched): the next sync that brings changes is a
    /// catch-up.
    catching_up: AtomicBool,
}

/// The console's background sync: one per window.
pub struct SyncManager {
    inner: Arc<Inner>,
    vault: Arc<dyn TokenVault>,
    live: Mutex<Option<LiveSync>>,
}

impl std::fmt::Debug for SyncManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncManager")
            .field("app", &self.inner.app)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SyncManager {
    /// `on_status` hears every status change (the console forwards it to
    /// the header's indicator).
    pub fn new(
        app: Arc<App>,
        vault: Arc<dyn TokenVault>,
        on_status: impl Fn(&SyncOverview) + Send + Sync + 'static,
    ) -> SyncManager {
        SyncManager {
            inner: Arc::new(Inner {
                app,
                on_status: Box::new(on_status),
                status: Mutex::new(None),
                generation: AtomicU64::new(0),
                catching_up: AtomicBool::new(false),
            }),
            vault,
            live: Mutex::new(None),
        }
    }

    fn app(&self) -> &App {
        &self.inner.app
    }

    /// At launch (after [`App::follow_link`]): a signed-in store starts its
    /// loop, and its first sync is a catch-up. A token the vault does not
    /// give back asks the user to sign in again.
    pub fn launch(&self) -> AppResult<()> {
        match self.app().server_link()? {
            Some(link) if link.signed_in() => {}
            _ => return Ok(()),
        }
        let (endpoint, token) = match self.app().session(self.vault.as_ref()) {
            Ok(session) => session,
            Err(e) if e.code == ErrorCode::TokenUnavailable => {
                *lock(&self.inner.status) = Some(SyncStatus::NeedsSignIn {
                    code: e.code,
                    message: e.message,
                });
                self.inner.emit_status();
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        self.inner.catching_up.store(true, Ordering::SeqCst);
        self.start(&endpoint, &token)
    }

    /// Starts (or restarts) the loop for `endpoint` with `token`.
    fn start(&self, endpoint: &ServerEndpoint, token: &str) -> AppResult<()> {
        self.stop();
        let store = self.app().store_again()?;
        let device = DeviceId(self.app().device_id()?);
        let generation = self.inner.generation.fetch_add(1, Ordering::SeqCst) + 1;
        *lock(&self.inner.status) = Some(SyncStatus::Syncing);
        let inner = Arc::clone(&self.inner);
        let clock = Arc::clone(&self.app().clock);
        let live = LiveSync::start(
            store,
            // The app's own handle: the loop and the screens decide with the
            // same rules, and the loop replaces them when the server's change.
            self.app().rules_handle(),
            LiveConfig::for_endpoint(endpoint, token, device),
            Arc::new(move || clock.now()),
            move |ev| inner.on_event(generation, ev),
        );
        *lock(&self.live) = Some(live);
        self.inner.emit_status();
        Ok(())
    }

    /// Stops the loop, if one runs.
    pub fn stop(&self) {
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
        *lock(&self.inner.status) = None;
        // Taken out first: the lock is not held while the loop winds down,
        // so a nudge from a save meanwhile does not wait on it.
        let live = lock(&self.live).take();
        if let Some(live) = live {
            live.stop();
        }
    }

    /// A local change was made: send it now.
    pub fn nudge(&self) {
        if let Some(live) = lock(&self.live).as_ref() {
            live.nudge();
        }
    }

    /// Runs `f` on the app with the console's token vault (the admin
    /// screens' calls to the server).
    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&App, &dyn TokenVault) -> AppResult<T>,
    ) -> AppResult<T> {
        f(self.app(), self.vault.as_ref())
    }

    pub fn overview(&self) -> AppResult<SyncOverview> {
        let live = lock(&self.inner.status).clone();
        self.app().sync_overview(live)
    }

    /// Signs in (see [`App::sign_in`]) and starts the loop.
    pub fn sign_in(&self, req: &SignIn<'_>) -> AppResult<SyncOverview> {
        let (_, endpoint, token) = self.app().open_session(self.vault.as_ref(), req)?;
        self.start(&endpoint, &token)?;
        self.overview()
    }

    /// Stops the loop and signs out (see [`App::sign_out`]; offline, the
    /// token is forgotten all the same). Pending changes stay in the outbox.
    pub fn sign_out(&self) -> AppResult<SyncOverview> {
        self.stop();
        self.app().sign_out(self.vault.as_ref())?;
        let o = self.overview()?;
        (self.inner.on_status)(&o);
        Ok(o)
    }
}

impl Inner {
    fn on_event(&self, generation: u64, ev: LiveEvent) {
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        match ev {
            LiveEvent::Status(s) => {
                let mut status = lock(&self.status);
                match s {
                    LiveStatus::Offline { .. } => self.catching_up.store(true, Ordering::SeqCst),
                    // A new sync after a finished one: the catch-up (if
                    // any) is over, whether it brought changes or not.
                    LiveStatus::Syncing if *status == Some(SyncStatus::Online) => {
                        self.catching_up.store(false, Ordering::SeqCst);
                    }
                    _ => {}
                }
                *status = Some(live_status(s));
            }
            LiveEvent::Synced {
                rejected, changed, ..
            } => {
                let _ = self.app.synced(&changed, rejected > 0);
                if !changed.is_empty() && self.catching_up.swap(false, Ordering::SeqCst) {
                    let lang = self.app.language();
                    self.notify(changed_offline_text(lang, changed.len()), Urgency::Low);
                }
            }
            // The loop stored the new rules and put them in the app's
            // handle: re-plan the watcher and refresh every screen.
            LiveEvent::RulesChanged { .. } => {
                let _ = self.app.set_rules(self.app.rules());
            }
            // The server's database was restored: say so once; the sync
            // that follows sends the lost changes and reloads the screens.
            LiveEvent::StartedOver { requeued, .. } => {
                let lang = self.app.language();
                self.notify(started_over_text(lang, requeued), Urgency::Normal);
            }
            LiveEvent::RulesInvalid { message, .. } => self.app.report_invalid_rules(&message),
        }
        self.emit_status();
    }

    /// A notification about the console itself.
    fn notify(&self, text: (String, String), urgency: Urgency) {
        let _ = self.app.notifier.notify(&Notification::new(
            self.app.language(),
            text,
            urgency,
            Opens::Console,
        ));
    }

    fn emit_status(&self) {
        let live = lock(&self.status).clone();
        if let Ok(o) = self.app.sync_overview(live) {
            (self.on_status)(&o);
        }
    }
}
