//! Turning a refusal into its wire form: code, message and details.

use redress_domain::{DomainError, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Why a mutation was refused, as stored and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// A stable code (the rulebook's or the protocol's).
    pub code: ErrorCode,
    /// Human-readable, for logs; the UI translates the code instead.
    pub message: String,
    /// Structured facts for the UI (who decided, which state, ...), or null.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub details: Value,
}

impl Rejection {
    pub fn new(code: ErrorCode, message: impl Into<String>, details: Value) -> Rejection {
        Rejection {
            code,
            message: message.into(),
            details,
        }
    }

    /// A refusal by the rulebook, with details a UI can show.
    pub fn from_domain(error: &DomainError) -> Rejection {
        let details = match error {
            DomainError::InvalidTransition { from, action } => {
                json!({ "from": from, "action": action })
            }
            DomainError::ComplaintClosed | DomainError::SelfApprovalForbidden => Value::Null,
            DomainError::NotFound { entity, id } => json!({ "entity": entity, "id": id }),
            DomainError::ForbiddenRole { role, action } => {
                json!({ "role": role, "action": action })
            }
            DomainError::AuthorityLimitExceeded {
                amount_minor,
                limit_minor,
            } => json!({ "amount_minor": amount_minor, "limit_minor": limit_minor }),
            DomainError::ApprovalAlreadyDecided {
                decided_by,
                approved,
            } => json!({
                "decided_by": decided_by,
                "decision": if *approved { "approve" } else { "reject" },
            }),
            DomainError::RemedyChangedSinceViewed { expected, actual } => {
                json!({ "expected": expected, "actual": actual })
            }
            DomainError::ValidationFailed(fields) => json!({ "fields": fields }),
            DomainError::TextTooLong {
                field,
                limit,
                length,
            } => json!({ "field": field, "limit": limit, "length": length }),
            DomainError::InvalidText {
                field,
                position,
                code_point,
            } => json!({ "field": field, "position": position, "code_point": code_point }),
            DomainError::ComplaintLimitReached { what, limit } => {
                json!({ "what": what, "limit": limit })
            }
            DomainError::Calendar(_) => Value::Null,
        };
        Rejection::new(error.code(), error.to_string(), details)
    }
}
