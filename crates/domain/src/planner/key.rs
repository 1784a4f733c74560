//! What a reminder is, and the stable key that makes firing it idempotent.

use crate::ids::{ApprovalId, ClockId, ComplaintId, UserId};
use crate::model::Role;
use crate::sla::ClockKind;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// Why somebody is being reminded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// A progress update to the customer is due (one per cadence step).
    ProgressDue,
    /// A clock crossed a warning threshold (e.g. 75% of its target used).
    SlaWarning,
    /// A clock reached its deadline.
    SlaBreach,
    /// A remedy is waiting for somebody with the required role to decide.
    ApprovalWaiting,
    /// A follow-up call attempt is due.
    CallbackDue,
}

impl ReminderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::ProgressDue => "progress_due",
            ReminderKind::SlaWarning => "sla_warning",
            ReminderKind::SlaBreach => "sla_breach",
            ReminderKind::ApprovalWaiting => "approval_waiting",
            ReminderKind::CallbackDue => "callback_due",
        }
    }

    /// How loudly the desktop announces it: a breach is critical (it stays
    /// on screen until dismissed), a warning or a progress update falling
    /// due is normal, an approval or a callback waiting is routine.
    pub fn urgency(self) -> Urgency {
        match self {
            ReminderKind::SlaBreach => Urgency::Critical,
            ReminderKind::SlaWarning | ReminderKind::ProgressDue => Urgency::Normal,
            ReminderKind::ApprovalWaiting | ReminderKind::CallbackDue => Urgency::Low,
        }
    }
}

/// How urgent a notification is, in the freedesktop notification
/// specification's three levels (ordered: `Low < Normal < Critical`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Low,
    Normal,
    Critical,
}

/// Which instant of a clock a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// A warning at this many thousandths of the target.
    Warn(u16),
    /// The deadline of an SLA clock.
    Breach,
    /// Something is due rather than late: a progress cadence step, an approval
    /// request, a callback attempt.
    Due,
}

/// The identity of one reminder. Firing is idempotent on this key: a desktop
/// records the keys it fired, so a restart (or a re-plan) never shows the same
/// reminder twice.
///
/// The string form (`Display`/`FromStr`, also the serde form) is
/// `<clock uuid>/<threshold>/c<cycle>/s<step>` with `<threshold>` one of
/// `warnNNN` (permille), `breach`, `due`, for example
/// `67e55044-10b1-426f-9247-bb680e5fe0c8/warn750/c2/s3`. Only this canonical
/// spelling parses, so one reminder has exactly one key string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, type = "string"))]
#[serde(into = "String", try_from = "String")]
pub struct ReminderKey {
    pub clock: ClockId,
    pub threshold: Threshold,
    /// The clock's cycle (every restart of a clock starts a new cycle).
    pub cycle: u32,
    /// The cadence step for progress clocks (1, 2, ...), the attempt number for
    /// callback attempts, 0 otherwise.
    pub step: u32,
}

impl fmt::Display for ReminderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/", self.clock)?;
        match self.threshold {
            Threshold::Warn(p) => write!(f, "warn{p}")?,
            Threshold::Breach => f.write_str("breach")?,
            Threshold::Due => f.write_str("due")?,
        }
        write!(f, "/c{}/s{}", self.cycle, self.step)
    }
}

impl ReminderKey {
    /// Whether two reminders are about the same cause: one clock's cycle
    /// (its deadline or progress cadence, the approval it times, the
    /// callback round). A cause has at most one open reminder; a later one
    /// replaces the earlier.
    pub fn same_cause(&self, other: &ReminderKey) -> bool {
        self.clock == other.clock && self.cycle == other.cycle
    }
}

/// How a reminder stopped needing anybody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ReminderResolution {
    /// Its cause was dealt with: the clock stopped (the promise kept or
    /// moot) or started a new cycle (the customer was updated, the
    /// complaint reopened), the approval decided, the callback recorded, the
    /// complaint closed.
    Done,
    /// A later reminder about the same cause replaced it (a breach after a
    /// warning, the next progress step, the next callback attempt).
    Superseded,
}

impl ReminderResolution {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderResolution::Done => "done",
            ReminderResolution::Superseded => "superseded",
        }
    }
}

/// A string that is not a canonical reminder key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a reminder key: {0:?}")]
pub struct ParseReminderKeyError(pub String);

impl FromStr for ReminderKey {
    type Err = ParseReminderKeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseReminderKeyError(s.to_owned());
        let mut parts = s.split('/');
        let (Some(clock), Some(threshold), Some(cycle), Some(step), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(bad());
        };
        let clock = ClockId(Uuid::parse_str(clock).map_err(|_| bad())?);
        let threshold = match threshold {
            "breach" => Threshold::Breach,
            "due" => Threshold::Due,
            t => Threshold::Warn(
                t.strip_prefix("warn")
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(bad)?,
            ),
        };
        let number = |part: &str, prefix: char| -> Result<u32, ParseReminderKeyError> {
            part.strip_prefix(prefix)
                .and_then(|n| n.parse().ok())
                .ok_or_else(bad)
        };
        let key = ReminderKey {
            clock,
            threshold,
            cycle: number(cycle, 'c')?,
            step: number(step, 's')?,
        };
        // Reject other spellings of the same key ("+1", "007", upper-case or
        // braced uuids): the string is a primary key.
        if key.to_string() != s {
            return Err(bad());
        }
        Ok(key)
    }
}

impl From<ReminderKey> for String {
    fn from(key: ReminderKey) -> String {
        key.to_string()
    }
}

impl TryFrom<String> for ReminderKey {
    type Error = ParseReminderKeyError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// One reminder that has become due.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Reminder {
    pub key: ReminderKey,
    pub kind: ReminderKind,
    pub complaint: ComplaintId,
    pub clock_kind: ClockKind,
    /// When it became due.
    pub at: Timestamp,
    /// The deadline it is about: the clock's (or cadence step's) due instant;
    /// for an approval request or a callback attempt, the deadline of its clock.
    pub due_at: Timestamp,
    /// The complaint's owner at planning time.
    pub owner: Option<UserId>,
    /// For approvals: who may decide.
    pub required_role: Option<Role>,
    pub approval: Option<ApprovalId>,
}
