//! Why the local store refused or failed. Every variant has a stable snake_case
//! [`StoreError::code`] for IPC and the UI's message catalogue; the `Display`
//! text is for logs and the command line.

use rusqlite::ErrorCode;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file or its folder could not be created, opened, read or written.
    #[error("local store {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a SQLite database, or its integrity check failed. The
    /// file is left exactly as it was.
    #[error(
        "local store {} is damaged or is not a Redress database ({detail}); it was left untouched: move it aside to start afresh",
        path.display()
    )]
    Corrupt { path: PathBuf, detail: String },
    /// The database was written by a newer Redress.
    #[error(
        "local store {} has schema version {found}, newer than this Redress understands ({supported}); update Redress",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// Another process held the database longer than the busy timeout.
    #[error("the local store is busy (another Redress process is writing); try again")]
    Busy(#[source] rusqlite::Error),
    #[error("{entity} {id} not found in the local store")]
    NotFound { entity: &'static str, id: String },
    /// A stored value (or a value to store) does not have the expected shape.
    #[error("invalid data in the local store: {0}")]
    InvalidData(String),
    /// Any other SQLite failure.
    #[error("local store: {0}")]
    Sqlite(#[source] rusqlite::Error),
}

impl StoreError {
    /// Stable machine-readable code.
    pub fn code(&self) -> redress_domain::ErrorCode {
        match self {
            StoreError::Io { .. } | StoreError::Sqlite(_) => redress_domain::ErrorCode::StoreIo,
            StoreError::Corrupt { .. } => redress_domain::ErrorCode::StoreCorrupt,
            StoreError::TooNew { .. } => redress_domain::ErrorCode::StoreTooNew,
            StoreError::Busy(_) => redress_domain::ErrorCode::StoreBusy,
            StoreError::NotFound { .. } => redress_domain::ErrorCode::NotFound,
            StoreError::InvalidData(_) => redress_domain::ErrorCode::InvalidData,
        }
    }

    /// Worth retrying as it is (the database was locked by another process).
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Busy(_))
    }

    pub(crate) fn not_found(entity: &'static str, id: impl ToString) -> StoreError {
        StoreError::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    pub(crate) fn invalid(detail: impl Into<String>) -> StoreError {
        StoreError::InvalidData(detail.into())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy(e),
            Some(ErrorCode::ConstraintViolation | ErrorCode::TypeMismatch) => {
                StoreError::InvalidData(e.to_string())
            }
            _ => match e {
                rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::InvalidColumnType(..)
                | rusqlite::Error::IntegralValueOutOfRange(..) => {
                    StoreError::InvalidData(e.to_string())
                }
                e => StoreError::Sqlite(e),
            },
        }
    }
}

impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(e: rusqlite::types::FromSqlError) -> StoreError {
        StoreError::InvalidData(e.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> StoreError {
        StoreError::InvalidData(e.to_string())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
