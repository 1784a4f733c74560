//! The sync wire contract between a Redress desktop and the shared server.
//!
//! A desktop records what its user did as [`Mutation`]s (intents such as
//! `approval.decide`), wraps each in a [`MutationEnvelope`] numbered by the
//! device, and pushes them in order ([`PushRequest`]). The server re-runs each
//! one through `redress-domain`, answers with one [`MutationResult`] each, and
//! appends the effects to its change log, which desktops read back with
//! [`PullResponse`]s. See `docs/sync-server.md` and the sync design note.
//!
//! Everything here is plain data plus its JSON form; there is no IO.
#![forbid(unsafe_code)]

pub mod admin;
mod catchup;

mod digest;
mod envelope;
pub mod http;
pub mod intake;
mod messages;
mod mutation;
mod rejection;
mod rules;

pub use catchup::{BootstrapPage, ResultsResponse, SnapshotComplaint};
pub use digest::state_digest;
pub use envelope::MutationEnvelope;
pub use intake::{IntakeAccepted, IntakeComplaint, IntakeProgress, IntakeRejected};
pub use messages::{
    Change, ChangeCause, ChangeOp, DeviceId, MutationResult, Outcome, PullResponse, PushRequest,
    PushResponse, RequestError, entity,
};
pub use mutation::{Mutation, RECORD, WireError, command_tag, mutation_name};
pub use redress_domain::ErrorCode;
pub use redress_domain::complaint::ComplaintDraft;
pub use rejection::Rejection;
pub use rules::{RulesResponse, canonical_json, rules_digest, sha256_hex};

/// The protocol version this build speaks. Sent in the `Redress-Protocol`
/// header; a server refuses versions outside its supported range.
pub const PROTOCOL_VERSION: u32 = 1;

/// The most mutations one push may carry.
pub const MAX_PUSH_BATCH: usize = 100;
