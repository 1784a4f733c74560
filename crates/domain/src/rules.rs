//! The policy bundle every decision is taken under: calendars, SLA policies,
//! authority limits, callback and repeat settings. Admin-owned; the server's
//! copy is authoritative and desktops hold a cached copy for their precheck.

use crate::authority::AuthorityMatrix;
use crate::calendar::{Calendar, CalendarSpec};
use crate::catalog::Catalogs;
use crate::error::{DomainError, FieldError};
use crate::ids::CalendarId;
use crate::sla::SlaPolicies;
use std::collections::BTreeMap;

/// The id of the built-in round-the-clock calendar.
pub const ALWAYS_ON: &str = "24x7";

/// Follow-up callbacks (回訪). How soon after resolution the call is due is an
/// SLA target (`SlaTargets::callback`, default 24 h), so it can differ by policy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields, default)]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields, default)]
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

/// How far `received_at` of a newly recorded complaint may lie from the
/// time it is recorded: not later than `max_skew_secs` ahead (device clocks
/// drift; default 5 minutes) and not earlier than `max_age_days` before
/// (default 30 days; older history comes in through an import, not through
/// recording).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReceivedAtPolicy {
    pub max_age_days: i64,
    pub max_skew_secs: i64,
}

impl Default for ReceivedAtPolicy {
    fn default() -> Self {
        ReceivedAtPolicy {
            max_age_days: 30,
            max_skew_secs: 5 * 60,
        }
    }
}

impl ReceivedAtPolicy {
    fn is_default(&self) -> bool {
        *self == ReceivedAtPolicy::default()
    }

    /// The earliest and latest `received_at` accepted when recording at `now`.
    pub fn bounds(&self, now: jiff::Timestamp) -> (jiff::Timestamp, jiff::Timestamp) {
        let age = jiff::SignedDuration::from_secs(self.max_age_days.max(0).saturating_mul(86_400));
        let skew = jiff::SignedDuration::from_secs(self.max_skew_secs.max(0));
        (
            now.saturating_sub(age).unwrap_or(jiff::Timestamp::MIN),
            now.saturating_add(skew).unwrap_or(jiff::Timestamp::MAX),
        )
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
    /// The window `received_at` must fall in when a complaint is recorded.
    pub received_at: ReceivedAtPolicy,
    /// Departments and complaint categories with their names.
    pub catalogs: Catalogs,
    /// When reminders become desktop notifications (quiet hours).
    pub notifications: NotificationPolicy,
}

/// When reminders become desktop notifications.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields, default)]
pub struct NotificationPolicy {
    /// Quiet hours: a reminder that falls due outside this calendar's
    /// working time (a night, a weekend, a holiday) is held and shown at
    /// the next working instant, unless its complaint is critical or
    /// publicly exposed. A person's own calendar (`catalogs.people`) takes
    /// its place for them. Left out, reminders are shown at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub quiet_calendar: Option<String>,
}

impl NotificationPolicy {
    fn is_default(&self) -> bool {
        *self == NotificationPolicy::default()
    }
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
            received_at: ReceivedAtPolicy::default(),
            catalogs: Catalogs::default(),
            notifications: NotificationPolicy::default(),
        }
    }
}

static ALWAYS: Calendar = Calendar::AlwaysOn;

impl Rules {
    /// Looks up a calendar; unknown ids are an error, never a silent 24/7.
    /// When a reminder for `recipient` that fell due at `due` is shown: at
    /// once when `urgent` (a critical or publicly exposed complaint) or
    /// when no quiet calendar applies to them (theirs, else the site's);
    /// otherwise at the next working instant of that calendar, which is
    /// `due` itself inside working time.
    pub fn deliver_at(
        &self,
        recipient: &str,
        due: jiff::Timestamp,
        urgent: bool,
    ) -> jiff::Timestamp {
        if urgent {
            return due;
        }
        let own = self
            .catalogs
            .people
            .iter()
            .find(|p| p.user == recipient)
            .and_then(|p| p.calendar.as_ref());
        let Some(id) = own.or(self.notifications.quiet_calendar.as_ref()) else {
            return due;
        };
        // A calendar that is missing was refused when the rules were
        // checked; should one be missing anyway, nothing is held back.
        self.calendar(&CalendarId::new(id.clone()))
            .ok()
            .and_then(|cal| cal.resumes_at(due))
            .unwrap_or(due)
    }

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

/// The site's policy as an admin writes it (a TOML file the server is given)
/// and as the server hands it to desktops (JSON): business calendars by id,
/// SLA policies and the site's calling code. Whatever it leaves out keeps
/// the built-in default, so an empty document is [`Rules::default`].
///
/// ```toml
/// default_calling_code = "86"
///
/// [calendars.office]
/// timezone = "Asia/Shanghai"
/// hours.mon = [["09:00", "18:00"]]
///
/// [[sla.policies]]
/// name = "resolution in office hours"
/// resolution = { seconds = 86400, calendar = "office" }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesDocument {
    /// Business calendars by id; `24x7` is built in and cannot be redefined.
    #[serde(default)]
    pub calendars: BTreeMap<String, CalendarSpec>,
    #[serde(default)]
    pub sla: SlaPolicies,
    /// The country calling code numbers without one are taken to be in;
    /// `86` when left out.
    #[serde(default = "site_calling_code")]
    pub default_calling_code: Option<String>,
    /// How old (and how far ahead) a new complaint's `received_at` may be;
    /// 30 days and 5 minutes when left out. Left out of the JSON when it is
    /// the default, so documents (and their digests) that do not set it
    /// read as before.
    #[serde(default, skip_serializing_if = "ReceivedAtPolicy::is_default")]
    pub received_at: ReceivedAtPolicy,
    /// Departments and complaint categories with their names in both
    /// languages; left out of the JSON when empty, for the same reason.
    #[serde(default, skip_serializing_if = "Catalogs::is_empty")]
    pub catalogs: Catalogs,
    /// What each role may grant alone and approve, per remedy type; the
    /// built-in matrix when left out (and left out of the JSON when it is
    /// the built-in one, for the same reason).
    #[serde(default, skip_serializing_if = "AuthorityMatrix::is_default")]
    pub authority: AuthorityMatrix,
    /// Quiet hours; reminders are shown at once when left out.
    #[serde(default, skip_serializing_if = "NotificationPolicy::is_default")]
    pub notifications: NotificationPolicy,
    /// Callback retries (the callback's own due time is an SLA target).
    #[serde(default, skip_serializing_if = "CallbackPolicy::is_default")]
    pub callbacks: CallbackPolicy,
    /// The window repeat complaints are counted in, and when they escalate.
    #[serde(default, skip_serializing_if = "RepeatPolicy::is_default")]
    pub repeats: RepeatPolicy,
}

impl CallbackPolicy {
    fn is_default(&self) -> bool {
        *self == CallbackPolicy::default()
    }
}

impl RepeatPolicy {
    fn is_default(&self) -> bool {
        *self == RepeatPolicy::default()
    }
}

fn site_calling_code() -> Option<String> {
    Rules::default().default_calling_code
}

impl Default for RulesDocument {
    fn default() -> Self {
        RulesDocument {
            calendars: BTreeMap::new(),
            sla: SlaPolicies::default(),
            default_calling_code: site_calling_code(),
            received_at: ReceivedAtPolicy::default(),
            catalogs: Catalogs::default(),
            authority: AuthorityMatrix::default(),
            notifications: NotificationPolicy::default(),
            callbacks: CallbackPolicy::default(),
            repeats: RepeatPolicy::default(),
        }
    }
}

impl RulesDocument {
    /// The rules this document describes, checked: every calendar valid,
    /// `24x7` not redefined, and every SLA target on a known calendar (an
    /// unknown one would stop every clock that uses it).
    pub fn to_rules(&self) -> Result<Rules, DomainError> {
        let mut calendars = BTreeMap::new();
        for (id, spec) in &self.calendars {
            if id == ALWAYS_ON {
                return Err(DomainError::invalid(
                    &format!("calendars.{id}"),
                    "24x7 is built in and cannot be redefined",
                ));
            }
            let calendar = Calendar::from_spec(spec).map_err(DomainError::Calendar)?;
            calendars.insert(CalendarId::new(id.clone()), calendar);
        }
        let rules = Rules {
            calendars,
            sla: self.sla.clone(),
            default_calling_code: self.default_calling_code.clone(),
            received_at: self.received_at.clone(),
            catalogs: self.catalogs.clone(),
            authority: self.authority.clone(),
            notifications: self.notifications.clone(),
            callbacks: self.callbacks.clone(),
            repeats: self.repeats.clone(),
        };
        self.catalogs.check()?;
        self.authority.check()?;
        let mut unknown = Vec::new();
        for (index, policy) in self.sla.policies.iter().enumerate() {
            let targets = [
                ("first_response", &policy.first_response),
                ("progress_cadence", &policy.progress_cadence),
                ("resolution", &policy.resolution),
                ("approval", &policy.approval),
                ("callback", &policy.callback),
            ];
            if let Some(warn) = &policy.warn_at_permille
                && warn.iter().any(|w| *w == 0 || *w >= 1000)
            {
                unknown.push(FieldError {
                    field: format!("sla.policies[{index}].warn_at_permille"),
                    message: "warnings are between 1 and 999 thousandths of the target".to_owned(),
                });
            }
            for (clock, target) in targets {
                if let Some(target) = target
                    && rules.calendar(&target.calendar).is_err()
                {
                    unknown.push(FieldError {
                        field: format!("sla.policies[{index}].{clock}.calendar"),
                        message: format!("no calendar {}", target.calendar),
                    });
                }
            }
        }
        let quiet = self
            .notifications
            .quiet_calendar
            .iter()
            .map(|c| ("notifications.quiet_calendar".to_owned(), c));
        let personal = self
            .catalogs
            .people
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.calendar
                    .as_ref()
                    .map(|c| (format!("catalogs.people[{i}].calendar"), c))
            });
        for (field, calendar) in quiet.chain(personal) {
            if rules.calendar(&CalendarId::new(calendar.clone())).is_err() {
                unknown.push(FieldError {
                    field,
                    message: format!("no calendar {calendar}"),
                });
            }
        }
        let mut out_of = |field: &str, ok: bool, message: &str| {
            if !ok {
                unknown.push(FieldError {
                    field: field.to_owned(),
                    message: message.to_owned(),
                });
            }
        };
        let c = &self.callbacks;
        out_of(
            "callbacks.retry_delay_secs",
            (60..=7 * 86_400).contains(&c.retry_delay_secs),
            "between a minute and a week",
        );
        out_of(
            "callbacks.max_attempts",
            (1..=10).contains(&c.max_attempts),
            "between 1 and 10",
        );
        let r = &self.repeats;
        out_of(
            "repeats.window_days",
            (1..=366).contains(&r.window_days),
            "between 1 and 366 days",
        );
        out_of(
            "repeats.escalate_at",
            (2..=100).contains(&r.escalate_at),
            "between the 2nd and the 100th complaint",
        );
        let window = &self.received_at;
        if window.max_age_days < 0 {
            unknown.push(FieldError {
                field: "received_at.max_age_days".to_owned(),
                message: "must not be negative".to_owned(),
            });
        }
        if window.max_skew_secs < 0 {
            unknown.push(FieldError {
                field: "received_at.max_skew_secs".to_owned(),
                message: "must not be negative".to_owned(),
            });
        }
        if unknown.is_empty() {
            Ok(rules)
        } else {
            Err(DomainError::ValidationFailed(unknown))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::ClockTarget;

    const SITE: &str = r#"
        default_calling_code = "44"

        [calendars.office]
        timezone = "Europe/London"
        hours.mon = [["09:00", "17:00"]]

        [[sla.policies]]
        name = "office resolution"
        resolution = { seconds = 28800, calendar = "office" }
    "#;

    fn parse(text: &str) -> RulesDocument {
        toml::from_str(text).expect("a rules document")
    }

    #[test]
    fn an_empty_document_is_the_built_in_rules() {
        let rules = parse("").to_rules().expect("valid");
        let built_in = Rules::default();
        assert_eq!(rules.default_calling_code, built_in.default_calling_code);
        assert_eq!(rules.sla, built_in.sla);
        assert!(rules.calendars.is_empty());
        assert_eq!(RulesDocument::default(), parse(""));
    }

    #[test]
    fn a_site_document_brings_its_calendars_and_policies() {
        let doc = parse(SITE);
        let rules = doc.to_rules().expect("valid");
        assert_eq!(rules.default_calling_code.as_deref(), Some("44"));
        assert!(rules.calendar(&CalendarId::new("office")).is_ok());
        assert_eq!(
            rules.sla.policies[0].resolution,
            Some(ClockTarget {
                seconds: 28_800,
                calendar: CalendarId::new("office"),
            })
        );
        // The JSON form the server serves reads back to the same document.
        let json = serde_json::to_string(&doc).expect("json");
        let back: RulesDocument = serde_json::from_str(&json).expect("read back");
        assert_eq!(back, doc);
    }

    #[test]
    fn bad_documents_are_refused_with_the_field() {
        let unknown = parse(&SITE.replace("calendar = \"office\"", "calendar = \"shop\""));
        let err = unknown.to_rules().expect_err("unknown calendar");
        assert_eq!(err.code(), "validation_failed");
        assert!(
            err.to_string()
                .contains("sla.policies[0].resolution.calendar: no calendar shop"),
            "{err}"
        );
        let redefined = parse("[calendars.24x7]\ntimezone = \"UTC\"\n");
        assert_eq!(
            redefined.to_rules().expect_err("24x7").code(),
            "validation_failed"
        );
        let zone = parse(&SITE.replace("Europe/London", "Mars/Olympus"));
        assert_eq!(
            zone.to_rules().expect_err("zone").code(),
            "unknown_time_zone"
        );
        assert!(toml::from_str::<RulesDocument>("colour = \"red\"").is_err());
        let negative = parse("[received_at]\nmax_age_days = -1\n");
        assert_eq!(
            negative.to_rules().expect_err("negative").code(),
            "validation_failed"
        );
        assert!(toml::from_str::<RulesDocument>("[received_at]\nmax_age = 3\n").is_err());
    }

    #[test]
    fn the_received_at_window_defaults_and_can_be_set() {
        assert_eq!(parse("").received_at, ReceivedAtPolicy::default());
        let doc = parse("[received_at]\nmax_age_days = 90\n");
        let rules = doc.to_rules().expect("valid");
        assert_eq!(rules.received_at.max_age_days, 90);
        assert_eq!(rules.received_at.max_skew_secs, 300);
        let now: jiff::Timestamp = "2026-12-03T12:00:00Z".parse().expect("time");
        let (earliest, latest) = ReceivedAtPolicy::default().bounds(now);
        assert_eq!(earliest, "2026-11-03T12:00:00Z".parse().expect("time"));
        assert_eq!(latest, "2026-12-03T12:05:00Z".parse().expect("time"));
    }
}
