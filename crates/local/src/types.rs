//! Rows and queries: what the store takes and gives back.

use jiff::Timestamp;
use redress_domain::complaint::{ClosureOutcome, Complaint, ComplaintState};
use redress_domain::ids::{CategoryCode, ComplaintId, DeptId, UserId};
use redress_domain::model::{Channel, ComplaintKind};
use redress_domain::planner::{Reminder, ReminderKey, ReminderKind, ReminderResolution};
use redress_domain::sla::ClockKind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A complaint as the desktop sees it: the overlay's version when there are
/// local changes not confirmed yet (`pending`), the mirror's otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StoredComplaint {
    pub complaint: Complaint,
    pub pending: bool,
}

/// The dashboard's filters. Empty lists and `None` do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct DashboardQuery {
    /// State wire names (`assigned`, ...). Empty: every open state; closed
    /// complaints are listed only when `closed` is asked for.
    pub states: Vec<String>,
    pub owner: Option<String>,
    pub department: Option<String>,
    /// Severity levels 1-4.
    pub severities: Vec<u8>,
    /// Kind wire names (`emotion_driven`, ...).
    pub kinds: Vec<String>,
    /// Only complaints with a running clock past due at `now`.
    pub breached_only: bool,
    /// Only complaints at risk at `now`: a warning passed, nothing past due
    /// (the header's "at risk" count).
    pub at_risk_only: bool,
    /// Only complaints nobody owns.
    pub unassigned_only: bool,
    /// Part of the number (`285` finds `TS-2026-000285`), part of the
    /// customer's name, or three or more of the phone's digits.
    pub search: Option<String>,
    /// The instant `breached_only` is judged at.
    pub now: Timestamp,
    /// At most this many rows; `None` for all.
    pub limit: Option<u32>,
}

/// One dashboard line, read from the projected columns only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DashboardRow {
    pub id: ComplaintId,
    pub number: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub kind: ComplaintKind,
    /// 1 (low) to 4 (critical).
    pub severity: u8,
    pub channel: Channel,
    pub owner: Option<UserId>,
    pub department: Option<DeptId>,
    pub state: ComplaintState,
    pub category: CategoryCode,
    /// 2 for the second complaint of a repeat series, ...
    pub repeat_ordinal: Option<u32>,
    pub escalated: bool,
    pub public_exposure: bool,
    /// The soonest due instant among running, unpaused clocks.
    pub next_due_at: Option<Timestamp>,
    pub next_due_kind: Option<ClockKind>,
    /// The soonest first-warning instant among running, unpaused clocks.
    pub next_warn_at: Option<Timestamp>,
    /// Local changes not confirmed by the server yet.
    pub pending: bool,
    pub received_at: Timestamp,
    /// When a closed complaint was closed, and how it ended.
    pub closed_at: Option<Timestamp>,
    pub closure: Option<ClosureOutcome>,
}

/// One owner's open complaints at an instant (the team view); `owner` is
/// `None` for the unassigned queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Workload {
    pub owner: Option<UserId>,
    pub open: u32,
    /// A warning passed, nothing past due.
    pub at_risk: u32,
    /// A running clock past due.
    pub breached: u32,
    /// The next deadline falls between now and the end of the day.
    pub due_today: u32,
}

/// The header's counters over open complaints, at an instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HeaderCounts {
    pub open: u32,
    /// A warning threshold passed, nothing past due yet (warn <= now <= due).
    pub at_risk: u32,
    /// A running clock past due (due < now).
    pub breached: u32,
    /// Approval requests waiting for a decision (summed over complaints).
    pub approvals_waiting: u32,
    /// Outstanding follow-up calls due within 24 hours (or overdue).
    pub callbacks_due_24h: u32,
    /// Reminders that still need somebody, neither acknowledged nor snoozed
    /// (the navigation's and the tray's count).
    pub reminders: u32,
}

/// An intent to enqueue for the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Chosen by the device (UUIDv7, see [`OutboxEntry::new_mutation_id`]);
    /// the server dedupes on it.
    pub mutation_id: Uuid,
    pub author: UserId,
    /// The mutation name (`complaint.judge`, `approval.decide`, ...).
    pub name: String,
    pub args: serde_json::Value,
    /// The device's clock when the user acted (informational; never compared).
    pub occurred_at_device: Timestamp,
    /// The server sequence the change was made against.
    pub base_seq: i64,
}

impl OutboxEntry {
    /// A fresh, time-ordered mutation id.
    pub fn new_mutation_id() -> Uuid {
        Uuid::now_v7()
    }
}

/// Where an intent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Applied,
    Rejected,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Applied => "applied",
            OutboxState::Rejected => "rejected",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<OutboxState> {
        match s {
            "pending" => Some(OutboxState::Pending),
            "applied" => Some(OutboxState::Applied),
            "rejected" => Some(OutboxState::Rejected),
            _ => None,
        }
    }
}

/// One outbox row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OutboxRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub client_seq: i64,
    pub mutation_id: Uuid,
    pub author: UserId,
    pub name: String,
    pub args: serde_json::Value,
    pub occurred_at_device: Timestamp,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub base_seq: i64,
    pub state: OutboxState,
    /// The server's (or standalone settle's) answer.
    pub result: Option<serde_json::Value>,
    pub created_at: Timestamp,
    pub acked_at: Option<Timestamp>,
}

/// One reminder this desktop showed (the in-app inbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReminderRow {
    pub key: ReminderKey,
    pub complaint_id: ComplaintId,
    pub kind: ReminderKind,
    /// When it became due.
    pub at: Timestamp,
    /// The deadline it is about.
    pub due_at: Timestamp,
    /// When this desktop showed it.
    pub fired_at: Timestamp,
    pub title: String,
    pub body: String,
    pub acked_at: Option<Timestamp>,
    /// Set while snoozed: it comes back (unacknowledged) at this instant.
    pub snoozed_until: Option<Timestamp>,
    /// When its cause stopped needing anybody (then it is history).
    pub resolved_at: Option<Timestamp>,
    pub resolution: Option<ReminderResolution>,
    /// What the planner said, to render the text in the current language;
    /// `None` for rows logged before reminders were kept this way.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub reminder: Option<Reminder>,
}

/// The sync bookkeeping row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncState {
    /// Created (UUIDv7) when the store was first opened; never changes.
    pub device_id: Uuid,
    /// The last server sequence pulled.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cursor_seq: i64,
    pub server_epoch: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clock_offset_ms: i64,
    pub last_pull_at: Option<Timestamp>,
    pub last_push_at: Option<Timestamp>,
    pub last_error: Option<String>,
    /// The last standalone complaint number handed out.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub local_number_seq: i64,
}
