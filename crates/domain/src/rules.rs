//! The policy bundle every decision is taken under: calendars, SLA policies,
//! authority limits, callback and repeat settings. Admin-owned; the server's
//! copy is authoritative and desktops hold a cached copy for their precheck.

use crate::authority::AuthorityMatrix;
use crate::calendar::Calendar;
use crate::error::DomainError;
use crate::ids::CalendarId;
use crate::sla::SlaPolicies;
use std::collections::BTreeMap;

/// The id of the built-in round-the-clock calendar.
pub const ALWAYS_ON: &str = "24x7";

/// Follow-up callbacks (回訪). How soon after resolution the call is due is an
/// SLA target (`SlaTargets::callback`, default 24 h), so it can differ by policy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CallbackPolicy {
    /// After an unreachable attempt, try again this much later (default 2 h).
    pub retry_delay_secs: i64,
    /// After this many unreachable attempts the callback is recorded as
    /// unreachable and the loop moves on (default 3).
    pub max_attempts: u32,
}

impl Default for CallbackPolicy {
    fn default() -> Self {
        CallbackPolicy {
            retry_delay_secs: 2 * 3600,
            max_attempts: 3,
        }
    }
}

/// Repeat complaints: same customer, same category, within a window.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RepeatPolicy {
    /// Look-back window in days (default 30).
    pub window_days: i64,
    /// The complaint with this ordinal (and later ones) escalates: severity up
    /// and a supervisor alert (default 3: the third complaint).
    pub escalate_at: u32,
}

impl Default for RepeatPolicy {
    fn default() -> Self {
        RepeatPolicy {
            window_days: 30,
            escalate_at: 3,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rules {
    /// Business calendars by id; [`ALWAYS_ON`] is always available.
    pub calendars: BTreeMap<CalendarId, Calendar>,
    pub sla: SlaPolicies,
    pub authority: AuthorityMatrix,
    pub callbacks: CallbackPolicy,
    pub repeats: RepeatPolicy,
    /// The site's country calling code (`86`): phone numbers written without
    /// one are stored as international numbers in this country, so one
    /// customer is one number however it was typed. `None` stores them as typed.
    pub default_calling_code: Option<String>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            calendars: BTreeMap::new(),
            sla: SlaPolicies::default(),
            authority: AuthorityMatrix::default(),
            callbacks: CallbackPolicy::default(),
            repeats: RepeatPolicy::default(),
            default_calling_code: Some("86".to_owned()),
        }
    }
}

static ALWAYS: Calendar = Calendar::AlwaysOn;

impl Rules {
    /// Looks up a calendar; unknown ids are an error, never a silent 24/7.
    pub fn calendar(&self, id: &CalendarId) -> Result<&Calendar, DomainError> {
        if id.as_str() == ALWAYS_ON {
            return Ok(self.calendars.get(id).unwrap_or(&ALWAYS));
        }
        self.calendars.get(id).ok_or_else(|| DomainError::NotFound {
            entity: "calendar",
            id: id.to_string(),
        })
    }
}
