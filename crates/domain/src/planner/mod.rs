//! Reminder planning: which reminders are due now, and when the next one will be.
//!
//! The planner sees a complaint only through [`Watch`]: the running clocks and
//! the few facts needed to say who should be reminded. [`plan_complaint`] is
//! the pure per-complaint rule (state and a window of time in, reminders and
//! the next instant out); [`Planner`] keeps every open complaint indexed by its
//! next instant so a tick costs nothing for complaints with nothing due.
//! Every reminder carries a [`ReminderKey`] that is stable across restarts,
//! so a desktop that records what it fired never fires anything twice.
//! `docs/reminders.md` explains the rules.

mod index;
mod key;
mod plan;

pub use index::Planner;
pub use key::{
    ParseReminderKeyError, Reminder, ReminderKey, ReminderKind, ReminderResolution, Threshold,
    Urgency,
};
pub use plan::{ComplaintPlan, latest_only, missed_by_change, plan_complaint, resolution};

use crate::ids::{ApprovalId, ComplaintId, UserId};
use crate::model::Role;
use crate::sla::SlaClock;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What the planner needs to know about one complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Watch {
    pub complaint: ComplaintId,
    /// Closed complaints get no reminders.
    pub open: bool,
    pub owner: Option<UserId>,
    /// Every clock of the complaint; stopped ones are ignored.
    pub clocks: Vec<SlaClock>,
    /// Pending approvals: the role they are routed to and when they were requested.
    pub approvals: Vec<WatchedApproval>,
    /// The next follow-up call attempt, while a callback is outstanding.
    pub callback: Option<WatchedCallback>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WatchedApproval {
    pub approval: ApprovalId,
    pub required_role: Role,
    pub requested_by: UserId,
    pub requested_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WatchedCallback {
    /// 1 for the first attempt, 2 after one unreachable attempt, ...
    pub attempt: u32,
    pub next_attempt_at: Timestamp,
}
