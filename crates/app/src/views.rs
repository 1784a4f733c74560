//! What the UI receives and sends. Domain types pass through unchanged where
//! they fit (the complaint aggregate, commands); these add what a screen needs
//! on top: statuses at "now", what the user may do, and the joins.

use crate::error::AppError;
use jiff::Timestamp;
use redress_domain::complaint::{Approval, Complaint, ComplaintState, Remedy};
use redress_domain::ids::{CategoryCode, ComplaintId, DeptId, UserId};
use redress_domain::model::{
    CallbackScale, Channel, ComplaintKind, DemandClass, PauseReason, Role, Severity,
};
use redress_domain::phone::Phone;
use redress_domain::sla::{ClockStatus, SlaClock};
use redress_local::{DashboardRow, HeaderCounts, ReminderRow, Workload};
use serde::{Deserialize, Serialize};

/// The dashboard: lines sorted by what is due soonest, and the header counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DashboardView {
    pub lines: DashboardColumns,
    pub counts: HeaderCounts,
    /// The instant the statuses were computed at; the UI counts down from its
    /// own clock corrected by the difference to this.
    pub now: Timestamp,
}

/// One line of the console's dashboard list: what the list shows and sorts
/// by, and nothing else, because a supervisor's list holds thousands of them
/// and they cross the IPC bridge on every refresh (as
/// [`DashboardColumns`]). Instants are milliseconds since the Unix epoch (a
/// number is far cheaper than an RFC 3339 text on both sides). The store's
/// full row ([`DashboardRow`]) stays for the tray and the command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DashboardLine {
    pub id: ComplaintId,
    pub number: String,
    pub customer_name: String,
    pub kind: ComplaintKind,
    /// 1 (low) to 4 (critical).
    pub severity: u8,
    pub channel: Channel,
    pub state: ComplaintState,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub owner: Option<UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub department: Option<DeptId>,
    /// 2 for the second complaint of a repeat series, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub repeat_ordinal: Option<u32>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub escalated: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub public_exposure: bool,
    /// Local changes not confirmed by the server yet.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub pending: bool,
    /// The soonest due instant among running, unpaused clocks (ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>", optional))]
    pub due_ms: Option<i64>,
    /// Which clock that is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub due_kind: Option<redress_domain::sla::ClockKind>,
    /// The soonest first-warning instant among running, unpaused clocks (ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>", optional))]
    pub warn_ms: Option<i64>,
    /// When the complaint was received (ms).
    #[cfg_attr(feature = "ts", ts(as = "f64"))]
    pub received_ms: i64,
    /// When a closed complaint was closed (ms), and how it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>", optional))]
    pub closed_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub closure: Option<redress_domain::complaint::ClosureOutcome>,
}

/// The dashboard's lines column by column, in list order: the `i`-th entry
/// of every column belongs to line `i`, and a flag lists the positions of
/// the lines that have it. Every line would otherwise repeat its seventeen
/// key names; at 5,000 open complaints the columns are about 40% smaller
/// as JSON, and faster to write, carry and parse (docs/performance.md). The
/// UI turns them back into [`DashboardLine`]s (`ui/src/lib/dashboardLines.ts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DashboardColumns {
    pub id: Vec<ComplaintId>,
    pub number: Vec<String>,
    pub customer_name: Vec<String>,
    pub kind: Vec<ComplaintKind>,
    pub severity: Vec<u8>,
    pub channel: Vec<Channel>,
    pub state: Vec<ComplaintState>,
    pub owner: Vec<Option<UserId>>,
    pub department: Vec<Option<DeptId>>,
    pub repeat_ordinal: Vec<Option<u32>>,
    /// Positions of the escalated lines.
    pub escalated: Vec<u32>,
    /// Positions of the lines with public exposure.
    pub public_exposure: Vec<u32>,
    /// Positions of the lines with local changes not confirmed yet.
    pub pending: Vec<u32>,
    #[cfg_attr(feature = "ts", ts(as = "Vec<Option<f64>>"))]
    pub due_ms: Vec<Option<i64>>,
    pub due_kind: Vec<Option<redress_domain::sla::ClockKind>>,
    #[cfg_attr(feature = "ts", ts(as = "Vec<Option<f64>>"))]
    pub warn_ms: Vec<Option<i64>>,
    #[cfg_attr(feature = "ts", ts(as = "Vec<f64>"))]
    pub received_ms: Vec<i64>,
    #[cfg_attr(feature = "ts", ts(as = "Vec<Option<f64>>"))]
    pub closed_ms: Vec<Option<i64>>,
    pub closure: Vec<Option<redress_domain::complaint::ClosureOutcome>>,
}

impl DashboardColumns {
    pub fn len(&self) -> usize {
        self.id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Appends one line at the end.
    pub fn push(&mut self, l: DashboardLine) {
        let at = u32::try_from(self.id.len()).unwrap_or(u32::MAX);
        self.id.push(l.id);
        self.number.push(l.number);
        self.customer_name.push(l.customer_name);
        self.kind.push(l.kind);
        self.severity.push(l.severity);
        self.channel.push(l.channel);
        self.state.push(l.state);
        self.owner.push(l.owner);
        self.department.push(l.department);
        self.repeat_ordinal.push(l.repeat_ordinal);
        for (set, list) in [
            (l.escalated, &mut self.escalated),
            (l.public_exposure, &mut self.public_exposure),
            (l.pending, &mut self.pending),
        ] {
            if set {
                list.push(at);
            }
        }
        self.due_ms.push(l.due_ms);
        self.due_kind.push(l.due_kind);
        self.warn_ms.push(l.warn_ms);
        self.received_ms.push(l.received_ms);
        self.closed_ms.push(l.closed_ms);
        self.closure.push(l.closure);
    }

    /// The lines again, in order (what the UI's decoder does).
    pub fn lines(&self) -> Vec<DashboardLine> {
        let has = |list: &[u32], i: usize| list.binary_search(&(i as u32)).is_ok();
        (0..self.len())
            .map(|i| DashboardLine {
                id: self.id[i],
                number: self.number[i].clone(),
                customer_name: self.customer_name[i].clone(),
                kind: self.kind[i],
                severity: self.severity[i],
                channel: self.channel[i],
                state: self.state[i],
                owner: self.owner[i].clone(),
                department: self.department[i].clone(),
                repeat_ordinal: self.repeat_ordinal[i],
                escalated: has(&self.escalated, i),
                public_exposure: has(&self.public_exposure, i),
                pending: has(&self.pending, i),
                due_ms: self.due_ms[i],
                due_kind: self.due_kind[i],
                warn_ms: self.warn_ms[i],
                received_ms: self.received_ms[i],
                closed_ms: self.closed_ms[i],
                closure: self.closure[i],
            })
            .collect()
    }
}

impl FromIterator<DashboardLine> for DashboardColumns {
    fn from_iter<I: IntoIterator<Item = DashboardLine>>(lines: I) -> DashboardColumns {
        let mut columns = DashboardColumns::default();
        for line in lines {
            columns.push(line);
        }
        columns
    }
}

impl From<DashboardRow> for DashboardLine {
    fn from(r: DashboardRow) -> DashboardLine {
        let ms = |t: Timestamp| t.as_millisecond();
        DashboardLine {
            id: r.id,
            number: r.number,
            customer_name: r.customer_name,
            kind: r.kind,
            severity: r.severity,
            channel: r.channel,
            state: r.state,
            owner: r.owner,
            department: r.department,
            repeat_ordinal: r.repeat_ordinal,
            escalated: r.escalated,
            public_exposure: r.public_exposure,
            pending: r.pending,
            due_ms: r.next_due_at.map(ms),
            due_kind: r.next_due_kind,
            warn_ms: r.next_warn_at.map(ms),
            received_ms: ms(r.received_at),
            closed_ms: r.closed_at.map(ms),
            closure: r.closure,
        }
    }
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
    /// Everyone who owns a complaint in the store, the people the site's
    /// catalog names, and the current user.
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
    /// The steps the current user is offered, as the rulebook answers them
    /// (`Complaint::offers`): the screen shows these and nothing else.
    pub steps: Vec<redress_domain::complaint::StepOffer>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use redress_domain::complaint::ClosureOutcome;
    use redress_domain::sla::ClockKind;

    fn row() -> DashboardRow {
        DashboardRow {
            id: ComplaintId(uuid::Uuid::nil()),
            number: "TS-2026-000001".into(),
            customer_name: "王先生".into(),
            customer_phone: "+8613800138000".into(),
            kind: ComplaintKind::EmotionDriven,
            severity: 3,
            channel: Channel::Phone,
            owner: None,
            department: None,
            state: ComplaintState::Assigned,
            category: CategoryCode("billing".into()),
            repeat_ordinal: None,
            escalated: false,
            public_exposure: false,
            next_due_at: Some("2026-11-23T01:30:00Z".parse().expect("instant")),
            next_due_kind: Some(ClockKind::ProgressUpdate),
            next_warn_at: None,
            pending: false,
            received_at: "2026-11-23T01:00:00Z".parse().expect("instant"),
            closed_at: None,
            closure: None,
        }
    }

    #[test]
    fn a_dashboard_line_carries_milliseconds_and_leaves_out_what_is_absent() {
        let json = serde_json::to_value(DashboardLine::from(row())).expect("json");
        assert_eq!(
            json,
            serde_json::json!({
                "id": "00000000-0000-0000-0000-000000000000",
                "number": "TS-2026-000001",
                "customer_name": "王先生",
                "kind": "emotion_driven",
                "severity": 3,
                "channel": "phone",
                "state": "assigned",
                "due_ms": 1_795_397_400_000_i64,
                "due_kind": "progress_update",
                "received_ms": 1_795_395_600_000_i64,
            })
        );
    }

    #[test]
    fn a_dashboard_line_keeps_every_flag_and_value_that_is_set() {
        let mut r = row();
        r.owner = Some(UserId("agent.li".into()));
        r.department = Some(DeptId("billing".into()));
        r.repeat_ordinal = Some(2);
        r.escalated = true;
        r.public_exposure = true;
        r.pending = true;
        r.next_warn_at = Some("2026-11-23T01:20:00Z".parse().expect("instant"));
        r.closed_at = Some("2026-11-24T08:00:00Z".parse().expect("instant"));
        r.closure = Some(ClosureOutcome::Satisfied { score: 5 });
        let line = DashboardLine::from(r.clone());
        assert_eq!(line.owner, r.owner);
        assert_eq!(line.department, r.department);
        assert_eq!(line.repeat_ordinal, Some(2));
        assert!(line.escalated && line.public_exposure && line.pending);
        assert_eq!(line.warn_ms, r.next_warn_at.map(|t| t.as_millisecond()));
        assert_eq!(line.closed_ms, r.closed_at.map(|t| t.as_millisecond()));
        let json = serde_json::to_value(&line).expect("json");
        for key in [
            "owner",
            "department",
            "repeat_ordinal",
            "escalated",
            "public_exposure",
            "pending",
            "warn_ms",
            "closed_ms",
            "closure",
        ] {
            assert!(json.get(key).is_some(), "{key} missing from {json}");
        }
    }

    #[test]
    fn columns_give_back_the_lines_they_were_made_of() {
        let plain = DashboardLine::from(row());
        let mut flagged = row();
        flagged.id = ComplaintId(uuid::Uuid::from_u128(7));
        flagged.owner = Some(UserId("agent.li".into()));
        flagged.escalated = true;
        flagged.pending = true;
        flagged.closed_at = Some("2026-11-24T08:00:00Z".parse().expect("instant"));
        flagged.closure = Some(ClosureOutcome::NotSatisfied { score: None });
        let mut exposed = row();
        exposed.public_exposure = true;
        exposed.pending = true;
        let lines = vec![
            plain.clone(),
            DashboardLine::from(flagged),
            DashboardLine::from(exposed),
        ];
        let columns: DashboardColumns = lines.clone().into_iter().collect();
        assert_eq!(columns.len(), 3);
        assert_eq!(columns.escalated, [1]);
        assert_eq!(columns.public_exposure, [2]);
        assert_eq!(columns.pending, [1, 2]);
        assert_eq!(columns.lines(), lines);
        let json = serde_json::to_value(&columns).expect("json");
        assert_eq!(json["owner"], serde_json::json!([null, "agent.li", null]));
        assert_eq!(json["received_ms"][0], 1_795_395_600_000_i64);
        assert!(DashboardColumns::default().lines().is_empty());
    }
}
