//! The complaint's history: every accepted step, with who and when. The
//! timeline is append-only; entries are never edited.

use super::ComplaintState;
use crate::authority::Routing;
use crate::ids::{ApprovalId, AttemptId, ClockId, DeptId, RemedyId, UpdateId, UserId};
use crate::model::{CallbackOutcome, InvalidReason, PauseReason, RemedyKind, RootCause};
use crate::sla::{ClockKind, ClockOutcome};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TimelineEntry {
    pub at: Timestamp,
    pub actor: UserId,
    pub event: TimelineEvent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TimelineEvent {
    Recorded {
        /// Set when this is a repeat complaint (2 = the second one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        repeat_ordinal: Option<u32>,
    },
    StateChanged {
        from: ComplaintState,
        to: ComplaintState,
    },
    Judged {
        valid: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<InvalidReason>,
        note: String,
    },
    Assigned {
        department: DeptId,
        owner: Option<UserId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous_department: Option<DeptId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous_owner: Option<UserId>,
    },
    RootCauseSet {
        categories: Vec<RootCause>,
        note: String,
    },
    ProgressAdded {
        update: UpdateId,
        customer_informed: bool,
    },
    RemedyProposed {
        remedy: RemedyId,
        kind: RemedyKind,
        /// Base plus tier extra, minor units.
        total_minor: i64,
        routing: Routing,
    },
    RemedyRevised {
        remedy: RemedyId,
        revision: u32,
        total_minor: i64,
        routing: Routing,
        note: String,
    },
    ApprovalRequested {
        approval: ApprovalId,
        remedy: RemedyId,
        revision: u32,
    },
    ApprovalSuperseded {
        approval: ApprovalId,
    },
    ApprovalDecided {
        approval: ApprovalId,
        approved: bool,
        reason: String,
    },
    RemedyImplemented {
        remedy: RemedyId,
        note: String,
    },
    Resolved {
        note: String,
    },
    CallbackAttempted {
        attempt: AttemptId,
        /// 1 for the first attempt of this callback round.
        number: u32,
        outcome: CallbackOutcome,
        note: String,
    },
    Reviewed,
    Closed {
        note: String,
    },
    Reopened {
        from: ComplaintState,
        reason: String,
    },
    ClockPaused {
        clock: ClockId,
        reason: PauseReason,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
        /// The deadline the clock had already passed, if it had.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        breached_at: Option<Timestamp>,
    },
    ClockResumed {
        clock: ClockId,
    },
    /// A clock's cycle ended with this outcome (stopped or restarted).
    ClockCycleEnded {
        clock: ClockId,
        kind: ClockKind,
        cycle: u32,
        outcome: ClockOutcome,
    },
}
