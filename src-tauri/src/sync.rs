//! Server sync in the console: sign-in and sign-out, the token's keeping
//! (keychain or local settings), and the background loop
//! (`redress_sync::LiveSync`) with its status forwarded to the UI.
//!
//! - The loop runs while the data directory is signed in: started after
//!   sign-in and at launch, stopped at sign-out, on a refusal (it stops by
//!   itself) and on exit.
//! - Every local command nudges it, so a change leaves at once.
//! - `Synced` events go to `App::synced`, which feeds the batched "changed"
//!   event; every status change and sync goes to the UI as "sync-status"
//!   (a whole `SyncOverview`).
//! - The first sync that brings changes after being offline (or closed) is
//!   announced by one notification with the count, not one per complaint.

use crate::keychain;
use jiff::Timestamp;
use redress_app::messages::{changed_offline_text, rules_invalid_text, started_over_text};
use redress_app::{
    App, AppError, AppResult, Notification, Notifier, Opens, ServerLink, SyncOverview,
};
use redress_app::{Language, SyncStatus};
use redress_domain::ErrorCode;
use redress_domain::planner::Urgency;
use redress_local::LocalStore;
use redress_protocol::DeviceId;
use redress_sync::{
    EndpointError, LiveConfig, LiveEvent, LiveStatus, LiveSync, ServerEndpoint, TransportError,
};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tauri::{AppHandle, Emitter};

/// The event the header's indicator listens to; its payload is a
/// [`SyncOverview`].
pub const SYNC_STATUS_EVENT: &str = "sync-status";

/// How this console names itself to the server.
const DEVICE_NAME: &str = "Redress console";

/// What the loop's callback needs (it runs on the loop's thread).
struct Inner {
    app: Arc<App>,
    handle: AppHandle,
    notifier: Arc<dyn Notifier>,
    /// The loop's last status, `None` while no loop runs.
    status: Mutex<Option<SyncStatus>>,
    /// The loop generation whose events count; older loops' late events
    /// are dropped.
    generation: AtomicU64,
    /// Offline (or just launched): the next sync that brings changes is a
    /// catch-up.
    catching_up: AtomicBool,
}

/// The console's sync: one per window.
pub struct SyncManager {
    inner: Arc<Inner>,
    dir: PathBuf,
    live: Mutex<Option<LiveSync>>,
}

impl std::fmt::Debug for SyncManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncManager")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A sign-in or sign-out failure as the UI knows errors.
fn endpoint_error(e: EndpointError) -> AppError {
    AppError::new(e.code, e.message)
}

/// The server of `link`, with the trust settings it was signed in with.
fn endpoint_of(link: &ServerLink) -> AppResult<ServerEndpoint> {
    ServerEndpoint::parse(&link.url, link.ca_pem.clone(), link.insecure_http)
        .map_err(endpoint_error)
}

fn transport_error(e: TransportError) -> AppError {
    match e {
        TransportError::Unreachable(message) => AppError {
            transient: true,
            ..AppError::new(ErrorCode::ServerUnreachable, message)
        },
        TransportError::Refused { code, message } => AppError::new(code, message),
    }
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

impl SyncManager {
    pub fn new(
        app: Arc<App>,
        handle: AppHandle,
        notifier: Arc<dyn Notifier>,
        dir: PathBuf,
    ) -> SyncManager {
        SyncManager {
            inner: Arc::new(Inner {
                app,
                handle,
                notifier,
                status: Mutex::new(None),
                generation: AtomicU64::new(0),
                catching_up: AtomicBool::new(false),
            }),
            dir,
            live: Mutex::new(None),
        }
    }

    fn app(&self) -> &App {
        &self.inner.app
    }

    /// The keychain entry of this data directory.
    fn account(&self) -> AppResult<String> {
        Ok(self.app().device_id()?.to_string())
    }

    /// At launch: a linked store works in server sync, and a signed-in one
    /// starts its loop (the first sync is a catch-up).
    pub fn launch(&self) -> AppResult<()> {
        let Some(link) = self.app().server_link()? else {
            return Ok(());
        };
        self.app().set_server_sync(true);
        if !link.signed_in() {
            return Ok(());
        }
        let token = match &link.token {
            Some(t) => t.clone(),
            None => match keychain::load(&self.account()?) {
                Ok(t) => t,
                Err(e) => {
                    // The keychain lost it (or is locked): ask to sign in.
                    *lock(&self.inner.status) = Some(SyncStatus::NeedsSignIn {
                        code: ErrorCode::TokenUnavailable,
                        message: format!("the keychain did not give the token back: {e}"),
                    });
                    return Ok(());
                }
            },
        };
        self.inner.catching_up.store(true, Ordering::SeqCst);
        self.start(&endpoint_of(&link)?, &token)
    }

    /// Starts (or restarts) the loop for `endpoint` with `token`.
    fn start(&self, endpoint: &ServerEndpoint, token: &str) -> AppResult<()> {
        self.stop();
        let store = LocalStore::open_dir(&self.dir)?;
        let device = DeviceId(self.app().device_id()?);
        let generation = self.inner.generation.fetch_add(1, Ordering::SeqCst) + 1;
        *lock(&self.inner.status) = Some(SyncStatus::Syncing);
        let inner = Arc::clone(&self.inner);
        let live = LiveSync::start(
            store,
            // The app's own handle: the loop and the screens decide with the
            // same rules, and the loop replaces them when the server's change.
            self.app().rules_handle(),
            LiveConfig::for_endpoint(endpoint, token, device),
            Arc::new(Timestamp::now),
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

    pub fn overview(&self) -> AppResult<SyncOverview> {
        let live = lock(&self.inner.status).clone();
        self.app().sync_overview(live)
    }

    /// Signs in to `url`, keeps the token (keychain, else local settings),
    /// links the store and starts the loop. `ca_file` names a PEM file of
    /// certificates to trust besides the system's (kept with the link);
    /// `insecure_http` allows plain HTTP to a host that is not loopback.
    /// Both are checked before any connection.
    pub fn sign_in(
        &self,
        url: &str,
        user: &str,
        password: &str,
        ca_file: Option<&Path>,
        insecure_http: bool,
    ) -> AppResult<SyncOverview> {
        let url = url.trim();
        let user = user.trim();
        self.app().check_can_join(url)?;
        let endpoint =
            ServerEndpoint::with_ca_file(url, ca_file, insecure_http).map_err(endpoint_error)?;
        let device = DeviceId(self.app().device_id()?);
        let session = redress_sync::login_to(&endpoint, user, password, device, DEVICE_NAME)
            .map_err(transport_error)?;
        let account = self.account()?;
        let in_keychain = keychain::save(&account, &session.token).is_ok();
        let link = ServerLink {
            url: url.to_owned(),
            user: session.user.clone(),
            token: (!in_keychain).then(|| session.token.clone()),
            keychain: in_keychain,
            ca_pem: endpoint.ca_pem().map(str::to_owned),
            insecure_http: endpoint.insecure_http(),
        };
        if let Err(e) =
            self.app()
                .complete_sign_in(&link, session.role, session.approval_limit_minor)
        {
            if in_keychain {
                keychain::delete(&account);
            }
            return Err(e);
        }
        self.start(&endpoint, &session.token)?;
        self.overview()
    }

    /// Stops the loop, forgets the token and revokes the session (best
    /// effort: offline, the token is forgotten all the same). Pending
    /// changes stay in the outbox.
    pub fn sign_out(&self) -> AppResult<SyncOverview> {
        self.stop();
        let account = self.account()?;
        if let Some(old) = self.app().sign_out()? {
            let token = match &old.token {
                Some(t) => Some(t.clone()),
                None if old.keychain => keychain::load(&account).ok(),
                None => None,
            };
            if old.keychain {
                keychain::delete(&account);
            }
            if let Some(token) = token {
                let device = DeviceId(self.app().device_id()?);
                if let Ok(endpoint) = endpoint_of(&old) {
                    let _ = redress_sync::logout_from(&endpoint, &token, device);
                }
            }
        }
        let o = self.overview()?;
        let _ = self.inner.handle.emit(SYNC_STATUS_EVENT, &o);
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
                    self.announce_catch_up(changed.len());
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
                let lang = self.language();
                let _ = self.notifier.notify(&Notification::new(
                    lang,
                    started_over_text(lang, requeued),
                    Urgency::Normal,
                    Opens::Console,
                ));
            }
            LiveEvent::RulesInvalid { message, .. } => {
                eprintln!("error[invalid_rules]: {message}");
                let lang = self.language();
                let _ = self.notifier.notify(&Notification::new(
                    lang,
                    rules_invalid_text(lang, &message),
                    Urgency::Normal,
                    Opens::Console,
                ));
            }
        }
        self.emit_status();
    }

    fn language(&self) -> Language {
        self.app
            .settings()
            .map(|s| s.language)
            .unwrap_or(Language::ZhCn)
    }

    fn announce_catch_up(&self, count: usize) {
        let lang = self.language();
        let _ = self.notifier.notify(&Notification::new(
            lang,
            changed_offline_text(lang, count),
            Urgency::Low,
            Opens::Console,
        ));
    }

    fn emit_status(&self) {
        let live = lock(&self.status).clone();
        if let Ok(o) = self.app.sync_overview(live) {
            let _ = self.handle.emit(SYNC_STATUS_EVENT, &o);
        }
    }
}
