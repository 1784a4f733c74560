//! The desktop's local store.
//!
//! One SQLite file (`redress.sqlite3` in the data directory) holds the mirror of
//! the server's state, the optimistic overlay of local changes not yet
//! confirmed, the outbox of intents to push, the sync bookkeeping, the log of
//! reminders shown, and desktop settings. Every read goes through the
//! `v_complaints` view (overlay over mirror), so the UI always shows the local
//! truth, with a `pending` flag on what is not confirmed yet.
//!
//! The store is synchronous: async callers run it on a blocking thread
//! (`tokio::task::spawn_blocking`). Writes are [`LocalStore::write`] (one
//! `BEGIN IMMEDIATE` transaction, committed only when the closure succeeds);
//! reads are [`LocalStore::read`] (one consistent snapshot).
//!
//! ```no_run
//! # fn main() -> Result<(), redress_local::StoreError> {
//! let dir = redress_local::data_dir_from_env().expect("REDRESS_DATA_DIR");
//! let store = redress_local::LocalStore::open_dir(&dir)?;
//! let counts = store.read(|r| r.header_counts(jiff::Timestamp::now()))?;
//! # let _ = counts; Ok(()) }
//! ```
#![forbid(unsafe_code)]

mod columns;
mod error;
pub mod keys;
mod migrate;
mod read;
mod store;
mod types;
mod write;

pub use error::{Result, StoreError};
pub use keys::SettingKey;
pub use migrate::SCHEMA_VERSION;
pub use read::Reader;
pub use store::{DATA_DIR_ENV, DB_FILE, LocalStore, StoreInfo, data_dir_from_env};
pub use types::{
    DashboardQuery, DashboardRow, HeaderCounts, OutboxEntry, OutboxRow, OutboxState, ReminderRow,
    StoredComplaint, SyncState, Workload,
};
pub use write::WriteTx;
