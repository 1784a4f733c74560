//! What can go wrong in the store, each with a stable code for the HTTP layer.

use redress_domain::ids::UserId;
use redress_protocol::{DeviceId, codes};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The device never registered.
    #[error("device {0} is not registered")]
    UnknownDevice(DeviceId),
    /// The request body names another device than the session's.
    #[error("the request is for device {body}, the session for device {session}")]
    DeviceMismatch { session: DeviceId, body: DeviceId },
    /// The device is registered to another user.
    #[error("device {device} belongs to another user")]
    DeviceTaken { device: DeviceId },
    /// A client_seq the server already settled arrived with another mutation
    /// id: the device's database was cloned or restored (sync design §12.8).
    /// Nothing of the rest of the batch was processed.
    #[error("device {device} forked: client_seq {client_seq} is mutation {stored}, not {pushed}")]
    DeviceForked {
        device: DeviceId,
        client_seq: u64,
        stored: Uuid,
        pushed: Uuid,
    },
    /// A user of that name exists already.
    #[error("user {0} already exists")]
    UserExists(UserId),
    /// No user of that name.
    #[error("no user is named {0}")]
    UnknownUser(UserId),
    /// A user to add is not acceptable (name, limit).
    #[error("{0}")]
    InvalidUser(String),
    /// Another writer held the database too long; retry.
    #[error("the server store is busy; retry")]
    Busy(#[source] rusqlite::Error),
    /// Any other database failure; the current mutation was not recorded.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// A PostgreSQL failure (connection lost, lock timeout, server shutting
    /// down, ...); the current mutation was not recorded.
    #[error("database error: {0}")]
    Postgres(#[from] ::postgres::Error),
    /// No database connection could be had in time; retry.
    #[error("the server store is unavailable: {0}")]
    Unavailable(String),
    /// A stored value does not read back (a bug or a damaged database).
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// The store could not be opened.
    #[error("cannot open the server store: {0}")]
    Open(String),
}

impl StoreError {
    /// The stable code an HTTP handler answers with.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::UnknownDevice(_) => codes::UNKNOWN_DEVICE,
            StoreError::DeviceMismatch { .. } => codes::DEVICE_MISMATCH,
            StoreError::DeviceTaken { .. } => "device_taken",
            StoreError::DeviceForked { .. } => codes::DEVICE_FORKED,
            StoreError::UserExists(_) => "user_exists",
            StoreError::UnknownUser(_) => "unknown_user",
            StoreError::InvalidUser(_) => "invalid_user",
            StoreError::Busy(_)
            | StoreError::Database(_)
            | StoreError::Postgres(_)
            | StoreError::Unavailable(_) => codes::STORE_UNAVAILABLE,
            StoreError::Corrupt(_) => "store_corrupt",
            StoreError::Open(_) => "store_open_failed",
        }
    }

    /// Retrying the same request later may succeed (HTTP 503).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            StoreError::Busy(_)
                | StoreError::Database(_)
                | StoreError::Postgres(_)
                | StoreError::Unavailable(_)
        )
    }

    pub(crate) fn corrupt(what: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(what.to_string())
    }
}

/// Sorts busy and locked databases into [`StoreError::Busy`].
pub(crate) fn db(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Busy(e)
        }
        _ => StoreError::Database(e),
    }
}
