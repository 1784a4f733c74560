//! The shared Redress server: the authoritative store of complaint state,
//! the sync push/pull algorithm (sync design §7), accounts and sessions
//! (§11), and the HTTP API (§6).
//!
//! [`ServerStore`] is the storage seam of sync and [`AccountStore`] the one of
//! users and sessions. Their methods are synchronous; the [`http`] layer
//! calls them from `spawn_blocking`. Every pushed mutation is decided by
//! `redress-domain` with the server's clock and rules, as the session's user
//! with the role and limit of the server's user table, and settled in a
//! transaction of its own. [`SqliteStore`] and [`PgStore`] implement both
//! seams. Live pokes go through a [`ChangeNotifier`] ([`BroadcastHub`] in
//! one process, [`PgNotifier`] across processes on one PostgreSQL). The
//! `conformance` feature exports the test suite every store implementation
//! must pass, and [`testing`], a real server over HTTP for tests.
#![forbid(unsafe_code)]

mod accounts;
pub mod auth;
pub mod backup;
pub mod config;
mod error;
pub mod http;
pub mod integration;
mod notify;
mod open;
mod postgres;
mod postgres_accounts;
mod postgres_config;
mod settle;
mod sqlite;
mod sqlite_accounts;
mod sqlite_config;
mod store;

#[cfg(feature = "conformance")]
pub mod conformance;
#[cfg(feature = "conformance")]
pub mod testing;

pub use self::postgres::{PgNotifier, PgStore, is_postgres_url};
pub use accounts::{
    AccountStore, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, NewIntegration, NewSession, NewUser,
    Session, SessionInfo, TokenHash, User, UserKind, check_password, parse_role, role_name,
};
pub use error::StoreError;
pub use notify::{BroadcastHub, ChangeNotifier};
pub use open::AnyStore;
pub use settle::StoreOptions;
pub use sqlite::SqliteStore;
pub use store::{
    IntakeRequest, IntakeSettled, MAX_PAGE_BYTES, MAX_PULL_LIMIT, ServerStore, SnapshotPage,
    StoredComplaint,
};

pub use http::{openapi, openapi_json};
