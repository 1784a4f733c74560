//! Redress application services.
//!
//! [`App`] offers every query and command of the console over the local store
//! and the rulebook, and runs the SLA watcher that turns due reminders into
//! desktop notifications. It knows nothing of Tauri: the desktop shell, the
//! command-line tool and the tests drive the same code through the [`Clock`],
//! [`Notifier`], [`EventSink`] and [`TokenVault`] ports. Signing in to a
//! shared server, its rules and the background sync loop live here too
//! ([`App::sign_in`], [`SyncManager`]), so both shells only forward.
//!
//! Every method is synchronous and may touch SQLite: async callers run them on
//! a blocking thread. Writes follow the sync design: the new state goes to the
//! overlay and the intent to the outbox in one transaction; with no server
//! configured (standalone) the change is settled into the mirror at once.
#![forbid(unsafe_code)]

pub mod admin;
mod error;
pub mod messages;
mod ports;
mod service;
mod session;
mod settings;
mod sync;
mod tray;
mod views;
mod watcher;

pub use error::{AppError, AppResult};
pub use ports::{Changed, Clock, EventSink, Notification, Notifier, Opens, Quiet, SystemClock};
pub use service::App;
pub use session::{
    NoVault, RulesRefresh, SignIn, SignOut, SignedIn, SyncManager, SyncReport, TokenVault,
};
pub use settings::{IdentityStatus, Language, NotifyPrefs, RoleChange, Settings};
pub use sync::{ServerLink, SyncIssue, SyncOverview, SyncStatus, TokenStore};
pub use tray::{TRAY_SECTION_LIMIT, TrayEntry, TrayMenu};
pub use views::{
    ApprovalItem, BulkFailure, BulkOutcome, CallbackItem, ClockView, ComplaintBrief, ComplaintView,
    CustomerComplaint, DashboardColumns, DashboardLine, DashboardView, DecidedItem, IntakeLookup,
    IntakeQuery, LinkedComplaint, ReminderItem, SavedView, TeamView,
};
pub use watcher::{TickReport, run_watcher};
