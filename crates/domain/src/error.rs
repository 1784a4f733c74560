//! Why the rulebook refused something. Every variant has a stable snake_case
//! [`DomainError::code`] shared by IPC, HTTP and the UI's message catalogue;
//! the `Display` text is for logs and the command line.

use crate::calendar::CalendarError;
use crate::code::ErrorCode;
use crate::ids::UserId;
use crate::model::Role;
use serde::{Deserialize, Serialize};

/// A field that failed validation, with a human-readable reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The action is not allowed in the complaint's current state.
    #[error("cannot {action} a complaint that is {from}")]
    InvalidTransition {
        from: &'static str,
        action: &'static str,
    },
    /// A closed complaint accepts only `reopen`.
    #[error("the complaint is closed; only reopen is allowed")]
    ComplaintClosed,
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    #[error("role {role:?} may not {action}")]
    ForbiddenRole { role: Role, action: &'static str },
    #[error("nobody may approve their own request")]
    SelfApprovalForbidden,
    #[error("amount {amount_minor} exceeds the authority limit {limit_minor}")]
    AuthorityLimitExceeded { amount_minor: i64, limit_minor: i64 },
    #[error("the approval was already decided by {decided_by}")]
    ApprovalAlreadyDecided { decided_by: UserId, approved: bool },
    #[error("the remedy changed since it was viewed (revision {expected}, now {actual})")]
    RemedyChangedSinceViewed { expected: u32, actual: u32 },
    #[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    ValidationFailed(Vec<FieldError>),
    /// A text field is longer than its limit (see [`crate::text`]).
    #[error("{field} is {length} characters long; at most {limit} are allowed")]
    TextTooLong {
        field: String,
        limit: usize,
        length: usize,
    },
    /// A text field holds a character it may not (a control character, or
    /// a bidirectional override; see [`crate::text`]). `position` counts
    /// characters from 0.
    #[error("{field} holds a character that is not allowed (U+{code_point:04X} at {position})")]
    InvalidText {
        field: String,
        position: usize,
        code_point: u32,
    },
    /// The complaint holds as many `what` (progress updates, timeline
    /// entries) as one complaint may.
    #[error("the complaint already holds the most {what} allowed ({limit})")]
    ComplaintLimitReached { what: &'static str, limit: usize },
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl DomainError {
    /// Stable machine-readable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            DomainError::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            DomainError::ComplaintClosed => ErrorCode::ComplaintClosed,
            DomainError::NotFound { .. } => ErrorCode::NotFound,
            DomainError::ForbiddenRole { .. } => ErrorCode::ForbiddenRole,
            DomainError::SelfApprovalForbidden => ErrorCode::SelfApprovalForbidden,
            DomainError::AuthorityLimitExceeded { .. } => ErrorCode::AuthorityLimitExceeded,
            DomainError::ApprovalAlreadyDecided { .. } => ErrorCode::ApprovalAlreadyDecided,
            DomainError::RemedyChangedSinceViewed { .. } => ErrorCode::RemedyChangedSinceViewed,
            DomainError::ValidationFailed(_) => ErrorCode::ValidationFailed,
            DomainError::TextTooLong { .. } => ErrorCode::TextTooLong,
            DomainError::InvalidText { .. } => ErrorCode::InvalidText,
            DomainError::ComplaintLimitReached { .. } => ErrorCode::ComplaintLimitReached,
            DomainError::Calendar(e) => e.code(),
        }
    }

    /// The fields a form should mark: those of `validation_failed`, and the
    /// one field of a text error.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            DomainError::ValidationFailed(fields) => fields.clone(),
            DomainError::TextTooLong { field, .. } | DomainError::InvalidText { field, .. } => {
                vec![FieldError {
                    field: field.clone(),
                    message: self.to_string(),
                }]
            }
            _ => Vec::new(),
        }
    }

    /// Shorthand for a single-field validation error.
    pub fn invalid(field: &str, message: impl Into<String>) -> DomainError {
        DomainError::ValidationFailed(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }
}
