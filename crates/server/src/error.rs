//! What can go wrong in the store, each with a stable code for the HTTP layer.

use redress_domain::ids::UserId;
use redress_protocol::{DeviceId, ErrorCode};
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
    /// A mutation id that another user's device already settled.
    /// Idempotency is scoped to the client and its user, so that result is
    /// never given out; nothing of the rest of the batch was processed.
    #[error(
        "device {device} pushed mutation {mutation_id} as client_seq {client_seq}, but another user's device settled that mutation id"
    )]
    MutationIdTaken {
        device: DeviceId,
        client_seq: u64,
        mutation_id: Uuid,
    },
    /// A settled (device, client_seq, mutation id) arrived again with other
    /// arguments, name or author. Nothing changed; nothing of the rest of the
    /// batch was processed.
    #[error(
        "client_seq {client_seq} of device {device} is mutation {mutation_id}, settled with other arguments than these"
    )]
    ReplayMismatch {
        device: DeviceId,
        client_seq: u64,
        mutation_id: Uuid,
        /// What that mutation id was settled with: the intake API, whose
        /// idempotency key is the caller's reference rather than the body,
        /// answers it; a push never does.
        stored: Box<redress_protocol::MutationResult>,
    },
    /// An integration asked to add progress to a complaint it did not
    /// record (or that does not exist). Nothing was written.
    #[error("complaint {0} was not recorded by this integration")]
    NotIntegrationsComplaint(redress_domain::ids::ComplaintId),
    /// A client_seq below 1.
    #[error("client_seq starts at 1")]
    InvalidSeq,
    /// A user of that name exists already.
    #[error("user {0} already exists")]
    UserExists(UserId),
    /// No user of that name.
    #[error("no user is named {0}")]
    UnknownUser(UserId),
    /// A user to add is not acceptable (name, limit).
    #[error("{0}")]
    InvalidUser(String),
    /// A site configuration that does not check out; nothing was stored
    /// and the version in force stays.
    #[error("{0}")]
    InvalidConfig(String),
    /// The configuration changed since the version an edit started from.
    #[error("the configuration is at version {current}, not {base} that the edit started from")]
    ConfigConflict { base: i64, current: i64 },
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
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::UnknownDevice(_) => ErrorCode::UnknownDevice,
            StoreError::DeviceMismatch { .. } => ErrorCode::DeviceMismatch,
            StoreError::DeviceTaken { .. } => ErrorCode::DeviceTaken,
            StoreError::DeviceForked { .. } => ErrorCode::DeviceForked,
            StoreError::MutationIdTaken { .. } => ErrorCode::MutationIdTaken,
            StoreError::ReplayMismatch { .. } => ErrorCode::ReplayMismatch,
            StoreError::InvalidSeq => ErrorCode::MalformedRequest,
            StoreError::NotIntegrationsComplaint(_) => ErrorCode::NotFound,
            StoreError::UserExists(_) => ErrorCode::UserExists,
            StoreError::UnknownUser(_) => ErrorCode::UnknownUser,
            StoreError::InvalidUser(_) => ErrorCode::InvalidUser,
            StoreError::InvalidConfig(_) => ErrorCode::InvalidRules,
            StoreError::ConfigConflict { .. } => ErrorCode::ConfigConflict,
            StoreError::Busy(_)
            | StoreError::Database(_)
            | StoreError::Postgres(_)
            | StoreError::Unavailable(_) => ErrorCode::StoreUnavailable,
            StoreError::Corrupt(_) => ErrorCode::StoreCorrupt,
            StoreError::Open(_) => ErrorCode::StoreOpenFailed,
        }
    }

    /// The database refused the data itself, so retrying cannot help: a
    /// PostgreSQL error of SQLSTATE class 22 (data exception) or 23
    /// (integrity constraint), or a SQLite constraint or size failure. A
    /// push records such a mutation as rejected
    /// ([`ErrorCode::UnstorableData`]) instead of answering 503.
    pub fn is_data_error(&self) -> bool {
        match self {
            StoreError::Postgres(e) => e
                .code()
                .is_some_and(|state| matches!(&state.code()[..2], "22" | "23")),
            StoreError::Database(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::ConstraintViolation | rusqlite::ErrorCode::TooBig
            ),
            _ => false,
        }
    }

    /// Retrying the same request later may succeed (HTTP 503).
    pub fn is_transient(&self) -> bool {
        !self.is_data_error()
            && matches!(
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
