//! Push and pull messages, results and change records.

use crate::envelope::MutationEnvelope;
use crate::mutation::WireError;
use jiff::Timestamp;
use redress_domain::ErrorCode;
use redress_domain::ids::UserId;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use uuid::Uuid;

/// A desktop installation (UUID v7, chosen by the desktop at first launch).
/// A wiped or cloned local database gets a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceId(pub Uuid);

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<Uuid> for DeviceId {
    fn from(id: Uuid) -> Self {
        DeviceId(id)
    }
}

/// `POST /sync/push`: a device's next mutations, in ascending `client_seq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub device_id: DeviceId,
    /// The device's clock when it sent the request; the server measures the
    /// device's clock offset from it.
    pub sent_at_device: Timestamp,
    pub mutations: Vec<MutationEnvelope>,
}

/// Why a push body could not be read, with the stable code to answer with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RequestError {
    /// `unsupported_mutation` or `malformed_request`.
    pub code: ErrorCode,
    /// The position of the offending mutation in the batch, if it is one.
    pub index: Option<usize>,
    pub message: String,
}

impl PushRequest {
    /// Reads a push body, telling an unknown mutation name
    /// (`unsupported_mutation`: the client is newer than this server) apart
    /// from a body that is simply malformed (`malformed_request`).
    pub fn from_json(body: &[u8]) -> Result<PushRequest, RequestError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Loose {
            device_id: DeviceId,
            sent_at_device: Timestamp,
            mutations: Vec<Value>,
        }
        let malformed = |index: Option<usize>, message: String| RequestError {
            code: ErrorCode::MalformedRequest,
            index,
            message,
        };
        let loose: Loose =
            serde_json::from_slice(body).map_err(|e| malformed(None, e.to_string()))?;
        let mut mutations = Vec::with_capacity(loose.mutations.len());
        for (index, raw) in loose.mutations.into_iter().enumerate() {
            // Look at the name first, so an unknown one is reported as such
            // even when its args would not parse either.
            if let Some(name) = raw.get("name").and_then(Value::as_str) {
                if name != crate::RECORD && crate::command_tag(name).is_none() {
                    let e = WireError::Unsupported {
                        name: name.to_owned(),
                    };
                    return Err(RequestError {
                        code: e.code(),
                        index: Some(index),
                        message: e.to_string(),
                    });
                }
            }
            let envelope =
                serde_json::from_value(raw).map_err(|e| malformed(Some(index), e.to_string()))?;
            mutations.push(envelope);
        }
        Ok(PushRequest {
            device_id: loose.device_id,
            sent_at_device: loose.sent_at_device,
            mutations,
        })
    }
}

/// How the server settled one mutation: for good, either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// Applied; its effects are the changes `first_change_seq ..= last_change_seq`.
    Applied {
        first_change_seq: i64,
        last_change_seq: i64,
    },
    /// Refused by the rulebook or the server; recorded, and visible to
    /// everyone as the `rejection` change `rejection_change_seq`.
    Rejected {
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        code: ErrorCode,
        message: String,
        #[serde(default, skip_serializing_if = "Value::is_null")]
        details: Value,
        rejection_change_seq: i64,
    },
}

/// The result of one pushed mutation. The server stores it and returns the
/// same result, with `replayed` set, whenever the mutation is pushed again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MutationResult {
    pub client_seq: u64,
    pub mutation_id: Uuid,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// This is a stored result returned again, not a fresh decision.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
}

impl MutationResult {
    pub fn is_applied(&self) -> bool {
        matches!(self.outcome, Outcome::Applied { .. })
    }

    /// The rejection code, if the mutation was rejected.
    pub fn rejection_code(&self) -> Option<ErrorCode> {
        match &self.outcome {
            Outcome::Rejected { code, .. } => Some(*code),
            Outcome::Applied { .. } => None,
        }
    }
}

/// The answer to a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// One per mutation processed, in order. Shorter than the batch when the
    /// batch had a gap: the client resends from `next_expected_seq`.
    pub results: Vec<MutationResult>,
    /// The highest `client_seq` of this device the server has settled.
    pub device_last_seq: u64,
    pub next_expected_seq: u64,
    pub server_time: Timestamp,
}

/// Entity names used in [`Change::entity`]. Clients skip entities they do
/// not know, so new ones can be added without a protocol bump.
pub mod entity {
    /// A whole complaint aggregate (`data` is the rulebook's `Complaint`).
    pub const COMPLAINT: &str = "complaint";
    /// A refused mutation, attached to its complaint's timeline; `id` is the
    /// mutation id.
    pub const MUTATION_REJECTION: &str = "mutation_rejection";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChangeOp {
    /// `data` is the entity's full new state; applying it twice is harmless.
    Upsert,
    Delete,
    /// A rejected mutation (entity `mutation_rejection`).
    Rejection,
}

/// Which pushed mutation produced a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeCause {
    pub mutation_id: Uuid,
    pub device_id: DeviceId,
    pub client_seq: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub actor: UserId,
}

/// One entry of the server's change log. `seq` is the single total order of
/// everything the server accepted or refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub id: Uuid,
    pub op: ChangeOp,
    /// The entity's version after this change (1 on creation).
    pub version: i64,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub data: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<ChangeCause>,
}

/// `GET /sync/pull?after=<seq>`: the next page of the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Changes with `seq > after`, ascending: each complaint changed after
    /// `after` once, at its latest state and the seq of its last change, and
    /// every rejection. A page holds at most the asked number and about
    /// 4 MiB, but always at least one change.
    pub changes: Vec<Change>,
    /// The newest seq in the log when the page was read.
    pub high_water: i64,
    /// More changes follow this page; pull again after the last seq.
    pub has_more: bool,
    /// The highest `client_seq` of the pulling device the server has settled
    /// (lets a client whose push response was lost catch up).
    pub device_last_seq: u64,
    pub server_time: Timestamp,
}
