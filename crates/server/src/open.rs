//! Opening the store a `--db` argument names: a `postgres://` or
//! `postgresql://` URL opens [`PgStore`], anything else is a SQLite file.

use crate::accounts::{
    AccountStore, NewIntegration, NewSession, NewUser, Session, SessionInfo, TokenHash, User,
};
use crate::config::{ConfigLedger, ConfigStore, VersionRow};
use crate::error::StoreError;
use crate::notify::{BroadcastHub, ChangeNotifier};
use crate::postgres::{PgNotifier, PgStore, is_postgres_url};
use crate::settle::StoreOptions;
use crate::sqlite::SqliteStore;
use crate::store::{ServerStore, SnapshotPage, StoredComplaint};
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::ids::{ComplaintId, UserId};
use redress_domain::model::Actor;
use redress_protocol::admin::{AuditEntry, ConfigVersion};
use redress_protocol::{DeviceId, MutationResult, PullResponse, PushRequest, PushResponse};
use std::path::Path;
use std::sync::Arc;
use uuid::Uuid;

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Either backend, chosen when the server starts.
#[derive(Debug)]
pub struct AnyStore {
    backend: Backend,
    description: String,
}

// One per process: the size of the larger variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Backend {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl AnyStore {
    /// Opens `db` (a PostgreSQL URL or a SQLite file path) and applies
    /// pending migrations, numbering complaints by the UTC year.
    pub fn open(db: impl AsRef<Path>, rules: Rules) -> Result<AnyStore> {
        AnyStore::open_with(db, StoreOptions::new(rules))
    }

    pub fn open_with(db: impl AsRef<Path>, options: StoreOptions) -> Result<AnyStore> {
        let db = db.as_ref();
        match db.to_str() {
            Some(url) if is_postgres_url(url) => {
                let store = PgStore::connect_with(crate::postgres::parse_config(url)?, options)?;
                Ok(AnyStore {
                    description: store.describe(),
                    backend: Backend::Postgres(store),
                })
            }
            _ => Ok(AnyStore {
                backend: Backend::Sqlite(SqliteStore::open_with(db, options)?),
                description: db.display().to_string(),
            }),
        }
    }

    /// Where the store is, for logs and messages: the file, or the server
    /// and database without user or password.
    pub fn describe(&self) -> &str {
        &self.description
    }

    /// Whether this is the PostgreSQL backend.
    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// Gives the database a new epoch and returns it (after a restore).
    pub fn renew_epoch(&self) -> Result<Uuid> {
        match &self.backend {
            Backend::Sqlite(store) => store.renew_epoch(),
            Backend::Postgres(store) => store.renew_epoch(),
        }
    }

    /// The number of migrations applied.
    pub fn schema_version(&self) -> Result<i64> {
        match &self.backend {
            Backend::Sqlite(store) => store.schema_version(),
            Backend::Postgres(store) => store.schema_version(),
        }
    }

    /// The change notifier that fits: an in-process hub for SQLite (one
    /// server process), `LISTEN/NOTIFY` for PostgreSQL (maybe several).
    pub fn notifier(&self) -> Result<Arc<dyn ChangeNotifier>> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(Arc::new(BroadcastHub::new())),
            Backend::Postgres(store) => Ok(Arc::new(PgNotifier::start(store.config().clone())?)),
        }
    }

    fn server(&self) -> &dyn ServerStore {
        match &self.backend {
            Backend::Sqlite(store) => store,
            Backend::Postgres(store) => store,
        }
    }

    fn accounts(&self) -> &dyn AccountStore {
        match &self.backend {
            Backend::Sqlite(store) => store,
            Backend::Postgres(store) => store,
        }
    }

    fn configs(&self) -> &dyn ConfigStore {
        match &self.backend {
            Backend::Sqlite(store) => store,
            Backend::Postgres(store) => store,
        }
    }
}

// Only the backend's own methods: the provided ones (validation, numbering,
// the audit chain) run on top of them as for any store.
impl ConfigStore for AnyStore {
    fn config_tx(
        &self,
        f: &mut dyn FnMut(&mut dyn ConfigLedger) -> Result<serde_json::Value>,
    ) -> Result<serde_json::Value> {
        self.configs().config_tx(f)
    }

    fn config_versions(&self) -> Result<Vec<ConfigVersion>> {
        self.configs().config_versions()
    }

    fn config_row(&self, version: i64) -> Result<Option<VersionRow>> {
        self.configs().config_row(version)
    }

    fn config_in_force(&self, now: Timestamp) -> Result<Option<i64>> {
        self.configs().config_in_force(now)
    }

    fn audit_page(&self, after: i64, limit: u32) -> Result<Vec<AuditEntry>> {
        self.configs().audit_page(after, limit)
    }
}

impl ServerStore for AnyStore {
    fn register_device(
        &self,
        device: DeviceId,
        user: &UserId,
        name: &str,
        now: Timestamp,
    ) -> Result<()> {
        self.server().register_device(device, user, name, now)
    }

    fn push(
        &self,
        device: DeviceId,
        actor: &Actor,
        request: &PushRequest,
        now: Timestamp,
    ) -> Result<PushResponse> {
        self.server().push(device, actor, request, now)
    }

    fn intake(
        &self,
        device: DeviceId,
        actor: &Actor,
        request: &crate::IntakeRequest,
        now: Timestamp,
    ) -> Result<crate::IntakeSettled> {
        self.server().intake(device, actor, request, now)
    }

    fn pull(
        &self,
        device: DeviceId,
        after: i64,
        limit: u32,
        now: Timestamp,
    ) -> Result<PullResponse> {
        self.server().pull(device, after, limit, now)
    }

    fn results(
        &self,
        device: DeviceId,
        from_client_seq: u64,
        limit: u32,
    ) -> Result<Vec<MutationResult>> {
        self.server().results(device, from_client_seq, limit)
    }

    fn snapshot_page(&self, after: Option<ComplaintId>, limit: u32) -> Result<SnapshotPage> {
        self.server().snapshot_page(after, limit)
    }

    fn complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>> {
        self.server().complaint(id)
    }

    fn digest(&self) -> Result<String> {
        self.server().digest()
    }

    fn epoch(&self) -> Result<Uuid> {
        self.server().epoch()
    }
}

impl AccountStore for AnyStore {
    fn add_user(&self, user: &NewUser, now: Timestamp) -> Result<()> {
        self.accounts().add_user(user, now)
    }

    fn disable_user(&self, name: &UserId, now: Timestamp) -> Result<()> {
        self.accounts().disable_user(name, now)
    }

    fn find_user(&self, name: &UserId) -> Result<Option<User>> {
        self.accounts().find_user(name)
    }

    fn create_session(&self, session: &NewSession) -> Result<()> {
        self.accounts().create_session(session)
    }

    fn find_session(&self, token_hash: &TokenHash) -> Result<Option<Session>> {
        self.accounts().find_session(token_hash)
    }

    fn extend_session(&self, token_hash: &TokenHash, expires_at: Timestamp) -> Result<bool> {
        self.accounts().extend_session(token_hash, expires_at)
    }

    fn revoke_session(&self, token_hash: &TokenHash, now: Timestamp) -> Result<bool> {
        self.accounts().revoke_session(token_hash, now)
    }

    fn add_integration(&self, new: &NewIntegration, now: Timestamp) -> Result<()> {
        self.accounts().add_integration(new, now)
    }

    fn set_password(&self, name: &UserId, password_hash: &str, now: Timestamp) -> Result<()> {
        self.accounts().set_password(name, password_hash, now)
    }

    fn enable_user(&self, name: &UserId) -> Result<()> {
        self.accounts().enable_user(name)
    }

    fn list_users(&self) -> Result<Vec<User>> {
        self.accounts().list_users()
    }

    fn set_role(
        &self,
        name: &UserId,
        role: redress_domain::model::Role,
        approval_limit_minor: Option<i64>,
    ) -> Result<()> {
        self.accounts().set_role(name, role, approval_limit_minor)
    }

    fn list_sessions(&self, user: Option<&UserId>, now: Timestamp) -> Result<Vec<SessionInfo>> {
        self.accounts().list_sessions(user, now)
    }

    fn revoke_sessions(&self, user: &UserId, id: Option<&str>, now: Timestamp) -> Result<usize> {
        self.accounts().revoke_sessions(user, id, now)
    }

    fn purge_sessions(&self, before: Timestamp) -> Result<usize> {
        self.accounts().purge_sessions(before)
    }
}
