//! What the UI receives and sends. Domain types pass through unchanged where
//! they fit (the complaint aggregate, commands); these add what a screen needs
//! on top: statuses at "now", what the user may do, and the joins.

use crate::error::AppError;
use jiff::Timestamp;
use redress_domain::complaint::{Approval, Complaint, ComplaintState, Remedy};
use redress_domain::ids::{CategoryCode, ComplaintId, DeptId, UserId};
use redress_domain::model::{
    CallbackScale, Channel, ComplaintKind, Customer, DemandClass, PauseReason, Role, Severity,
    Subject,
};
use redress_domain::phone::Phone;
use redress_domain::sla::{ClockStatus, SlaClock};
use redress_local::{DashboardRow, HeaderCounts, ReminderRow, Workload};
use serde::{Deserialize, Serialize};

/// The dashboard: rows sorted by what is due soonest, and the header counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DashboardView {
    pub rows: Vec<DashboardRow>,
    pub counts: HeaderCounts,
    /// The instant the statuses were computed at; the UI counts down from its
    /// own clock corrected by the difference to this.
    pub now: Timestamp,
}

/// One clock with its status now and its first warning instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ClockView {
    pub clock: SlaClock,
    pub status: ClockStatus,
    pub warn_at: Option<Timestamp>,
    /// While the clock runs but its calendar is closed (a night, lunch, a
    /// weekend): when it starts counting again.
    pub resumes_at: Option<Timestamp>,
    /// The pause reasons that need a note now (the rule is the domain's:
    /// `other` always, every reason once the deadline has passed).
    pub pause_note_required: Vec<PauseReason>,
}

/// The team view: open complaints per owner (the unassigned queue first),
/// and the people and departments an assignment can name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TeamView {
    pub workload: Vec<Workload>,
    /// Everyone who owns a complaint in the store, and the current user.
    pub people: Vec<UserId>,
    /// Every department named in the store, and the site's known ones.
    pub departments: Vec<DeptId>,
    /// When "due today" ends (midnight in the console's time zone).
    pub day_end: Timestamp,
    pub now: Timestamp,
}

/// What a bulk assignment did: every complaint is tried on its own, so one
/// refusal (a closed complaint, a change from another desktop) does not
/// stop the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BulkOutcome {
    pub done: Vec<ComplaintId>,
    pub failed: Vec<BulkFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BulkFailure {
    pub id: ComplaintId,
    pub error: AppError,
}

/// A named dashboard view (filters and sort) a user saved. What a view holds
/// is the dashboard's own state, so the Rust side keeps it as given, bounded
/// in size and count; the UI reads back only the fields it knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SavedView {
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub view: serde_json::Value,
}

/// One logged reminder as the inbox shows it: the row (its text rendered
/// in the current language) and the complaint it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReminderItem {
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub row: ReminderRow,
    pub number: String,
    pub customer_name: String,
    /// The complaint's owner now (the inbox's "mine" filter).
    pub owner: Option<UserId>,
    /// The department handling it now (the inbox's "team" filter).
    pub department: Option<DeptId>,
}

/// An earlier complaint of the same customer in the same category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LinkedComplaint {
    pub id: ComplaintId,
    pub number: String,
    pub state: ComplaintState,
    pub received_at: Timestamp,
    pub demand: String,
}

/// Everything the complaint screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ComplaintView {
    pub complaint: Complaint,
    /// Local changes not yet confirmed by the server.
    pub pending: bool,
    pub clocks: Vec<ClockView>,
    pub linked: Vec<LinkedComplaint>,
    /// The customer's phone as the console shows it (national for the
    /// site's country, else international).
    pub phone_display: String,
    /// The scores the callback dialog offers.
    pub callback_scale: CallbackScale,
    pub now: Timestamp,
}

/// What a decider needs to know about the complaint behind a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ComplaintBrief {
    pub category: CategoryCode,
    /// What the customer asks for.
    pub demand: String,
    pub kind: ComplaintKind,
    pub demand_class: DemandClass,
    pub severity: Severity,
    pub public_exposure: bool,
    /// 2 for the second complaint of a repeat series, ...
    pub repeat_ordinal: Option<u32>,
    pub escalated: bool,
    pub state: ComplaintState,
}

impl ComplaintBrief {
    pub fn of(c: &Complaint) -> ComplaintBrief {
        ComplaintBrief {
            category: c.category.clone(),
            demand: c.demand.clone(),
            kind: c.kind,
            demand_class: c.demand_class,
            severity: c.severity,
            public_exposure: c.public_exposure,
            repeat_ordinal: c.repeat.as_ref().map(|r| r.ordinal),
            escalated: c.repeat.as_ref().is_some_and(|r| r.escalated),
            state: c.state,
        }
    }
}

/// One pending approval as the approval queue shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ApprovalItem {
    pub complaint_id: ComplaintId,
    pub number: String,
    pub customer_name: String,
    pub brief: ComplaintBrief,
    pub approval: Approval,
    /// The remedy with its tier and the proposer's note.
    pub remedy: Remedy,
    /// When the approval clock runs out, and when it first warns.
    pub due_at: Option<Timestamp>,
    pub warn_at: Option<Timestamp>,
    pub status: Option<ClockStatus>,
    /// `None` when the current user may decide; otherwise the error code that
    /// explains why not (`self_approval_forbidden`, `authority_limit_exceeded`).
    pub blocked: Option<redress_domain::ErrorCode>,
    /// The roles whose limit covers the amount, lowest first: who can decide.
    pub deciders: Vec<Role>,
    /// Earlier decisions (approved or rejected) on this complaint, newest first.
    pub earlier: Vec<Approval>,
}

/// One decided approval as the queue's "decided" tab shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DecidedItem {
    pub complaint_id: ComplaintId,
    pub number: String,
    pub customer_name: String,
    /// Approved or rejected, with who, when and why.
    pub approval: Approval,
    /// The proposer's note on the remedy (its current revision).
    pub note: String,
}

/// One outstanding follow-up callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CallbackItem {
    pub complaint_id: ComplaintId,
    pub number: String,
    pub customer_name: String,
    /// As the agent dials it: national for the site's country, else
    /// international (`phone::display_phone`).
    pub customer_phone: String,
    pub resolved_at: Timestamp,
    pub next_attempt_at: Option<Timestamp>,
    /// The callback deadline (24 h after resolution by default).
    pub due_at: Option<Timestamp>,
    pub attempts: u32,
    pub overdue: bool,
    /// The scores the outcome dialog offers.
    pub scale: CallbackScale,
}

/// What the intake form asks about the customer being typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct IntakeQuery {
    pub phone: String,
    #[serde(default)]
    pub customer_id: Option<String>,
}

/// What the intake form learns while a complaint is typed: whether the
/// phone is a valid number, and the customer's open and recent complaints,
/// so a repeat is seen before it is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct IntakeLookup {
    /// `None` when the phone is not a valid number (or empty).
    pub phone: Option<Phone>,
    /// Open ones, and those received within the repeat window, newest first.
    pub complaints: Vec<CustomerComplaint>,
    /// The repeat window, in days.
    pub window_days: i64,
}

/// One earlier complaint of the customer being typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CustomerComplaint {
    pub id: ComplaintId,
    pub number: String,
    pub state: ComplaintState,
    pub open: bool,
    pub received_at: Timestamp,
    pub category: CategoryCode,
    pub demand: String,
    /// Found by the customer id (otherwise by the phone).
    pub by_customer_id: bool,
}

/// The new-complaint form. The console picks the id, the number and (unless
/// given) the time received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewComplaintInput {
    pub customer: Customer,
    pub channel: Channel,
    pub subject: Subject,
    pub category: CategoryCode,
    pub demand: String,
    pub description: String,
    pub kind: ComplaintKind,
    pub demand_class: DemandClass,
    pub severity: Severity,
    #[serde(default)]
    pub public_exposure: bool,
    #[serde(default)]
    pub received_at: Option<Timestamp>,
}
