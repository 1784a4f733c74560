//! The projection of a complaint onto the dashboard columns of the mirror and
//! the overlay, and the conversions between SQLite values and domain values.

use crate::error::{Result, StoreError};
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::complaint::Complaint;
use redress_domain::repeat::RepeatProbe;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde::de::IntoDeserializer;
use uuid::Uuid;

/// The projected columns (`id` first; every statement names its columns).
pub(crate) const PROJECTED: &[&str] = &[
    "id",
    "number",
    "state",
    "open",
    "kind",
    "severity",
    "channel",
    "category",
    "customer_name",
    "customer_phone",
    "customer_key",
    "owner",
    "department",
    "public_exposure",
    "repeat_ordinal",
    "escalated",
    "received_at",
    "next_due_at",
    "next_due_kind",
    "next_warn_at",
    "pending_approvals",
    "callback_next_at",
    "last_decided_at",
    "closed_at",
    "closure",
    "closure_score",
    "data",
];

/// One complaint's row values, ready to bind in [`PROJECTED`] order.
#[derive(Debug)]
pub(crate) struct Projection {
    pub id: String,
    pub number: String,
    pub state: &'static str,
    pub open: bool,
    pub kind: String,
    pub severity: u8,
    pub channel: String,
    pub category: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub customer_key: String,
    pub owner: Option<String>,
    pub department: Option<String>,
    pub public_exposure: bool,
    pub repeat_ordinal: Option<u32>,
    pub escalated: bool,
    pub received_at: i64,
    pub next_due_at: Option<i64>,
    pub next_due_kind: Option<&'static str>,
    pub next_warn_at: Option<i64>,
    pub pending_approvals: u32,
    pub callback_next_at: Option<i64>,
    /// The latest approval decision (the approval queue's "decided" tab).
    pub last_decided_at: Option<i64>,
    /// When and how a closed complaint ended (the closed list).
    pub closed_at: Option<i64>,
    pub closure: Option<&'static str>,
    pub closure_score: Option<u8>,
    pub data: String,
}

impl Projection {
    pub fn of(c: &Complaint, rules: &Rules) -> Result<Projection> {
        let next_due = c.next_due();
        let closure = c.closure();
        Ok(Projection {
            id: c.id.to_string(),
            number: c.number.clone(),
            state: c.state.as_str(),
            open: c.state.is_open(),
            kind: wire_name(&c.kind)?,
            severity: c.severity.level(),
            channel: wire_name(&c.channel)?,
            category: c.category.as_str().to_owned(),
            customer_name: c.customer.name.clone(),
            customer_phone: c.customer.phone.clone(),
            customer_key: RepeatProbe::customer_key(&c.customer),
            owner: c.owner.as_ref().map(|u| u.as_str().to_owned()),
            department: c.department.as_ref().map(|d| d.as_str().to_owned()),
            public_exposure: c.public_exposure,
            repeat_ordinal: c.repeat.as_ref().map(|r| r.ordinal),
            escalated: c.repeat.as_ref().is_some_and(|r| r.escalated),
            received_at: ms(c.received_at),
            next_due_at: next_due.map(|(_, due)| ms(due)),
            next_due_kind: next_due.map(|(kind, _)| kind.as_str()),
            next_warn_at: next_warn(c, rules).map(ms),
            pending_approvals: u32::try_from(c.pending_approvals().count()).unwrap_or(u32::MAX),
            callback_next_at: c
                .outstanding_callback()
                .and_then(|cb| cb.next_attempt_at)
                .map(ms),
            last_decided_at: c
                .approvals
                .iter()
                .filter_map(|a| a.decided_at)
                .max()
                .map(ms),
            closed_at: closure.map(|k| ms(k.at)),
            closure: closure.map(|k| k.outcome.as_str()),
            closure_score: closure.and_then(|k| k.outcome.score()),
            data: serde_json::to_string(c)?,
        })
    }

    /// The values in [`PROJECTED`] order.
    pub fn params(&self) -> [&dyn rusqlite::ToSql; 27] {
        [
            &self.id,
            &self.number,
            &self.state,
            &self.open,
            &self.kind,
            &self.severity,
            &self.channel,
            &self.category,
            &self.customer_name,
            &self.customer_phone,
            &self.customer_key,
            &self.owner,
            &self.department,
            &self.public_exposure,
            &self.repeat_ordinal,
            &self.escalated,
            &self.received_at,
            &self.next_due_at,
            &self.next_due_kind,
            &self.next_warn_at,
            &self.pending_approvals,
            &self.callback_next_at,
            &self.last_decided_at,
            &self.closed_at,
            &self.closure,
            &self.closure_score,
            &self.data,
        ]
    }
}

/// The soonest first-warning instant among running, unpaused clocks, on each
/// clock's calendar. A clock whose calendar the rules do not know has no
/// warning instant (as in the reminder planner, which only fires its breach);
/// the mirror still takes whatever the server sends.
pub(crate) fn next_warn(c: &Complaint, rules: &Rules) -> Option<Timestamp> {
    c.clocks
        .iter()
        .filter(|k| k.is_running() && !k.is_paused())
        .filter_map(|k| {
            let permille = *k.warn_at_permille.first()?;
            let cal = rules.calendar(&k.calendar).ok()?;
            k.threshold_instant(permille, cal)
        })
        .min()
}

/// Unix milliseconds (sub-millisecond precision is dropped).
pub(crate) fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

pub(crate) fn ts(ms: i64) -> Result<Timestamp> {
    Timestamp::from_millisecond(ms).map_err(|e| StoreError::invalid(format!("instant {ms}: {e}")))
}

pub(crate) fn opt_ts(ms: Option<i64>) -> Result<Option<Timestamp>> {
    ms.map(ts).transpose()
}

pub(crate) fn uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| StoreError::invalid(format!("id {s:?}: {e}")))
}

/// The serde (wire) name of a unit enum variant, e.g. `emotion_driven`.
pub(crate) fn wire_name<T: Serialize>(value: &T) -> Result<String> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(StoreError::invalid(format!("not a name: {other}"))),
    }
}

/// Parses a unit enum variant from its wire name without going through JSON.
pub(crate) fn from_wire<T: DeserializeOwned>(s: &str) -> Result<T> {
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = s.into_deserializer();
    T::deserialize(de).map_err(|e| StoreError::invalid(format!("{s:?}: {e}")))
}

/// Parses the stored `data` JSON of a complaint.
pub(crate) fn complaint_from_json(id: &str, data: &str) -> Result<Complaint> {
    serde_json::from_str(data).map_err(|e| {
        StoreError::invalid(format!("complaint {id}: stored JSON does not parse: {e}"))
    })
}
