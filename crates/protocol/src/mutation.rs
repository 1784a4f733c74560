//! Mutations: the intents a desktop sends, and their JSON form.
//!
//! On the wire a mutation is `{"name": "<wire name>", "args": {...}}`. The
//! args always hold the `complaint_id` the mutation targets, next to the
//! command's own arguments:
//!
//! ```json
//! { "name": "approval.decide",
//!   "args": { "complaint_id": "…", "approval_id": "…", "remedy_revision": 1,
//!             "approve": true, "reason": "" } }
//! ```
//!
//! The rulebook's [`Command`] serialises as `{"name": "<tag>", "args": {...}}`
//! with its own snake_case tags (`decide_approval`); this module maps those
//! tags to the dotted wire names (`approval.decide`) and back, and is the one
//! place that table lives.

use redress_domain::ErrorCode;
use redress_domain::complaint::{Command, ComplaintDraft};
use redress_domain::ids::ComplaintId;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The wire name of [`Mutation::Record`].
pub const RECORD: &str = "complaint.record";

/// Wire name and rulebook tag of every command, in the rulebook's order.
/// [`mutation_name`] is the same table as an exhaustive match, so a new
/// command cannot be forgotten; a test checks the two agree.
pub(crate) const COMMAND_NAMES: [(&str, &str); 15] = [
    ("complaint.judge", "judge"),
    ("complaint.assign", "assign"),
    ("complaint.set_root_cause", "set_root_cause"),
    ("progress.add", "add_progress"),
    ("remedy.propose", "propose_remedy"),
    ("remedy.revise", "revise_remedy"),
    ("approval.decide", "decide_approval"),
    ("remedy.mark_implemented", "mark_implemented"),
    ("complaint.resolve", "resolve"),
    ("callback.record", "record_callback"),
    ("complaint.review", "review"),
    ("complaint.close", "close"),
    ("complaint.reopen", "reopen"),
    ("sla.pause", "pause_clock"),
    ("sla.resume", "resume_clock"),
];

/// The wire name of a command (`approval.decide` for `DecideApproval`).
pub fn mutation_name(command: &Command) -> &'static str {
    match command {
        Command::Judge { .. } => "complaint.judge",
        Command::Assign { .. } => "complaint.assign",
        Command::SetRootCause { .. } => "complaint.set_root_cause",
        Command::AddProgress { .. } => "progress.add",
        Command::ProposeRemedy { .. } => "remedy.propose",
        Command::ReviseRemedy { .. } => "remedy.revise",
        Command::DecideApproval { .. } => "approval.decide",
        Command::MarkImplemented { .. } => "remedy.mark_implemented",
        Command::Resolve { .. } => "complaint.resolve",
        Command::RecordCallback { .. } => "callback.record",
        Command::Review { .. } => "complaint.review",
        Command::Close { .. } => "complaint.close",
        Command::Reopen { .. } => "complaint.reopen",
        Command::PauseClock { .. } => "sla.pause",
        Command::ResumeClock { .. } => "sla.resume",
    }
}

/// The rulebook tag (`decide_approval`) of a command's wire name, or `None`
/// when the name is not a command this build knows.
pub fn command_tag(wire_name: &str) -> Option<&'static str> {
    COMMAND_NAMES
        .iter()
        .find(|(wire, _)| *wire == wire_name)
        .map(|(_, tag)| *tag)
}

/// One intent of a user, aimed at one complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation {
    /// `complaint.record`: a new complaint under an id the desktop chose.
    Record {
        complaint_id: ComplaintId,
        complaint: ComplaintDraft,
    },
    /// Any closed-loop command on an existing complaint; the wire name is
    /// the command's own (see [`mutation_name`]).
    Execute {
        complaint_id: ComplaintId,
        command: Command,
    },
}

/// Why a `{name, args}` pair is not a mutation this build understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The name is unknown: the client is newer than the server (or wrong).
    /// Maps to [`ErrorCode::UnsupportedMutation`].
    #[error("unsupported mutation \"{name}\"")]
    Unsupported { name: String },
    /// The name is known but the args do not fit it. Maps to
    /// [`ErrorCode::MalformedRequest`].
    #[error("malformed args for \"{name}\": {message}")]
    Malformed { name: String, message: String },
}

impl WireError {
    /// The stable code a server answers with.
    pub fn code(&self) -> ErrorCode {
        match self {
            WireError::Unsupported { .. } => ErrorCode::UnsupportedMutation,
            WireError::Malformed { .. } => ErrorCode::MalformedRequest,
        }
    }
}

impl Mutation {
    /// The complaint this mutation targets.
    pub fn complaint_id(&self) -> ComplaintId {
        match self {
            Mutation::Record { complaint_id, .. } | Mutation::Execute { complaint_id, .. } => {
                *complaint_id
            }
        }
    }

    /// The wire name (`complaint.record`, `approval.decide`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Mutation::Record { .. } => RECORD,
            Mutation::Execute { command, .. } => mutation_name(command),
        }
    }

    /// The `args` object of the wire form, `complaint_id` included.
    pub fn args(&self) -> Result<Value, serde_json::Error> {
        let (complaint_id, body) = match self {
            Mutation::Record {
                complaint_id,
                complaint,
            } => (complaint_id, serde_json::to_value(complaint)?),
            Mutation::Execute {
                complaint_id,
                command,
            } => {
                // The rulebook's form is {"name": tag, "args": {...}}; keep
                // the args only.
                let mut tagged = serde_json::to_value(command)?;
                let args = tagged
                    .get_mut("args")
                    .map(Value::take)
                    .unwrap_or_else(|| Value::Object(Map::new()));
                (complaint_id, args)
            }
        };
        let Value::Object(fields) = body else {
            return Err(<serde_json::Error as serde::ser::Error>::custom(
                "mutation args must be an object",
            ));
        };
        let mut args = Map::with_capacity(fields.len() + 1);
        args.insert(
            "complaint_id".to_owned(),
            serde_json::to_value(complaint_id)?,
        );
        args.extend(fields);
        Ok(Value::Object(args))
    }

    /// Reads a mutation from its wire name and args.
    pub fn from_wire(name: &str, args: Value) -> Result<Mutation, WireError> {
        let malformed = |message: String| WireError::Malformed {
            name: name.to_owned(),
            message,
        };
        let tag = if name == RECORD {
            None
        } else {
            Some(command_tag(name).ok_or_else(|| WireError::Unsupported {
                name: name.to_owned(),
            })?)
        };
        let Value::Object(mut args) = args else {
            return Err(malformed("args must be an object".to_owned()));
        };
        let complaint_id = args
            .remove("complaint_id")
            .ok_or_else(|| malformed("missing complaint_id".to_owned()))?;
        let complaint_id: ComplaintId =
            serde_json::from_value(complaint_id).map_err(|e| malformed(e.to_string()))?;
        match tag {
            None => {
                let complaint = serde_json::from_value(Value::Object(args))
                    .map_err(|e| malformed(e.to_string()))?;
                Ok(Mutation::Record {
                    complaint_id,
                    complaint,
                })
            }
            Some(tag) => {
                let args = Value::Object(args);
                let tagged = serde_json::json!({ "name": tag, "args": &args });
                let command: Command =
                    serde_json::from_value(tagged).map_err(|e| malformed(e.to_string()))?;
                // The rulebook's commands accept unknown fields (one of them
                // flattens the callback outcome, which serde cannot combine
                // with deny_unknown_fields): refuse any field the command
                // does not write back.
                let mut known =
                    serde_json::to_value(&command).map_err(|e| malformed(e.to_string()))?;
                let known = known
                    .get_mut("args")
                    .map(Value::take)
                    .unwrap_or(Value::Null);
                if let Some(field) = unknown_field(&args, &known) {
                    return Err(malformed(format!("unknown field `{field}`")));
                }
                Ok(Mutation::Execute {
                    complaint_id,
                    command,
                })
            }
        }
    }
}

/// The path of the first field of `input` that `known` (the same value as
/// the type writes it back) does not have, looking into nested objects and
/// arrays; `None` when every field is known.
fn unknown_field(input: &Value, known: &Value) -> Option<String> {
    match (input, known) {
        (Value::Object(input), Value::Object(known)) => {
            input.iter().find_map(|(key, value)| match known.get(key) {
                None => Some(key.clone()),
                Some(known) => unknown_field(value, known).map(|inner| format!("{key}.{inner}")),
            })
        }
        (Value::Array(input), Value::Array(known)) => {
            input
                .iter()
                .zip(known)
                .enumerate()
                .find_map(|(i, (value, known))| {
                    unknown_field(value, known).map(|inner| format!("[{i}].{inner}"))
                })
        }
        _ => None,
    }
}

/// The `{name, args}` pair as it travels.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WireMutation {
    pub(crate) name: String,
    pub(crate) args: Value,
}

impl TryFrom<&Mutation> for WireMutation {
    type Error = serde_json::Error;

    fn try_from(m: &Mutation) -> Result<Self, Self::Error> {
        Ok(WireMutation {
            name: m.name().to_owned(),
            args: m.args()?,
        })
    }
}

impl Serialize for Mutation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WireMutation::try_from(self)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Mutation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WireMutation::deserialize(deserializer)?;
        Mutation::from_wire(&wire.name, wire.args).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_and_the_match_agree() {
        let mut seen = std::collections::BTreeSet::new();
        for (wire, tag) in COMMAND_NAMES {
            assert!(seen.insert(wire), "{wire} listed twice");
            assert_eq!(command_tag(wire), Some(tag));
        }
        assert_eq!(command_tag(RECORD), None);
        assert_eq!(command_tag("approval.approve"), None);
    }
}
