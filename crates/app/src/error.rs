//! The one error type that crosses into the UI: a stable snake_case `code` the
//! UI maps to a translated message, an English `message` for logs, and whether
//! trying again may help.

use redress_domain::{DomainError, ErrorCode};
use redress_local::StoreError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[error("{code}: {message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub transient: bool,
    /// Field errors for `validation_failed` (and the field of a text error),
    /// so a form can mark its fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<redress_domain::FieldError>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
            transient: false,
            fields: Vec::new(),
        }
    }

    pub fn not_found(what: &str, id: impl std::fmt::Display) -> AppError {
        AppError::new(ErrorCode::NotFound, format!("{what} {id} not found"))
    }

    /// A background task died; trying again may work.
    pub fn internal(message: impl Into<String>) -> AppError {
        AppError {
            transient: true,
            ..AppError::new(ErrorCode::TaskFailed, message)
        }
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> AppError {
        let fields = e.field_errors();
        AppError {
            fields,
            ..AppError::new(e.code(), e.to_string())
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        AppError {
            transient: e.is_transient(),
            ..AppError::new(e.code(), e.to_string())
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
