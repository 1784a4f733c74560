//! Recording a complaint (受理/記錄).

use super::clocks::{clock_id, start};
use super::{Alert, Complaint, ComplaintState, TimelineEntry, TimelineEvent};
use crate::error::{DomainError, FieldError};
use crate::ids::{CategoryCode, ComplaintId};
use crate::model::{Actor, Channel, ComplaintKind, Customer, DemandClass, Severity, Subject};
use crate::phone::normalize_phone;
use crate::repeat::{RepeatProbe, detect};
use crate::rules::Rules;
use crate::sla::ClockKind;
use crate::text;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What the recording agent entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct NewComplaint {
    /// Chosen by the creator (the desktop may create offline).
    pub id: ComplaintId,
    pub number: String,
    pub customer: Customer,
    pub channel: Channel,
    pub subject: Subject,
    pub category: CategoryCode,
    pub demand: String,
    pub description: String,
    pub kind: ComplaintKind,
    pub demand_class: DemandClass,
    /// As judged by the agent; a repeat complaint that escalates gets one more.
    pub severity: Severity,
    #[serde(default)]
    pub public_exposure: bool,
    pub received_at: Timestamp,
}

/// A freshly recorded complaint and whom to tell about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Recorded {
    pub complaint: Complaint,
    pub alerts: Vec<Alert>,
}

impl Complaint {
    /// Records a complaint received at `new.received_at`, by `actor` at `now`.
    ///
    /// `prior` are earlier complaints of the same customer (any category; the
    /// caller may pass more, they are filtered): when they make this one a
    /// repeat it is linked, and from the policy's `escalate_at` on its severity
    /// goes up by one and supervisors are alerted. The first-response,
    /// progress-update and resolution clocks start at `received_at`, with the
    /// targets of the (possibly escalated) profile.
    pub fn record(
        new: NewComplaint,
        prior: &[RepeatProbe],
        actor: &Actor,
        now: Timestamp,
        rules: &Rules,
    ) -> Result<Recorded, DomainError> {
        check_text(&new)?;
        let customer = validate(&new, now, rules)?;
        let probe = RepeatProbe {
            complaint: new.id,
            customer_key: RepeatProbe::customer_key(&customer),
            category: new.category.clone(),
            received_at: new.received_at,
        };
        let repeat = detect(&probe, prior, &rules.repeats);
        let mut alerts = Vec::new();
        let mut severity = new.severity;
        if let Some(link) = repeat.as_ref().filter(|l| l.escalated) {
            severity = severity.raised();
            alerts.push(Alert::RepeatEscalated {
                complaint: new.id,
                ordinal: link.ordinal,
            });
        }
        let mut complaint = Complaint {
            id: new.id,
            number: new.number.trim().to_owned(),
            customer,
            channel: new.channel,
            subject: new.subject,
            category: new.category,
            demand: new.demand,
            description: new.description,
            kind: new.kind,
            demand_class: new.demand_class,
            severity,
            public_exposure: new.public_exposure,
            received_at: new.received_at,
            recorded_by: actor.user.clone(),
            recorded_at: now,
            state: ComplaintState::Recorded,
            validity: None,
            department: None,
            owner: None,
            root_cause: None,
            remedies: Vec::new(),
            approvals: Vec::new(),
            progress: Vec::new(),
            callback: None,
            review: None,
            repeat,
            clocks: Vec::new(),
            timeline: Vec::new(),
            reopen_count: 0,
        };
        let targets = rules.sla.targets_for(&complaint.profile());
        let warn = &targets.warn_at_permille;
        for (kind, target) in [
            (ClockKind::FirstResponse, &targets.first_response),
            (ClockKind::ProgressUpdate, &targets.progress_cadence),
            (ClockKind::Resolution, &targets.resolution),
        ] {
            let id = clock_id(complaint.id, kind);
            complaint
                .clocks
                .push(start(id, kind, target, warn, new.received_at, rules)?);
        }
        complaint.timeline.push(TimelineEntry {
            at: now,
            actor: actor.user.clone(),
            event: TimelineEvent::Recorded {
                repeat_ordinal: complaint.repeat.as_ref().map(|r| r.ordinal),
            },
        });
        Ok(Recorded { complaint, alerts })
    }
}

/// Every text field against its limit (see [`crate::text`]); the first
/// offending field is reported.
fn check_text(new: &NewComplaint) -> Result<(), DomainError> {
    text::check("number", &new.number, text::CODE)?;
    check_entered_text(
        &new.customer,
        &new.subject,
        &new.category,
        &new.demand,
        &new.description,
    )
}

/// The text a recording agent (or an intake caller) enters for a new
/// complaint, against its limits: `text_too_long` or `invalid_text` for the
/// first offending field. [`Complaint::record`] runs it; the server's intake
/// runs it before anything is recorded.
pub fn check_entered_text(
    customer: &Customer,
    subject: &Subject,
    category: &CategoryCode,
    demand: &str,
    description: &str,
) -> Result<(), DomainError> {
    text::check("customer.name", &customer.name, text::PERSON_NAME)?;
    text::check("customer.phone", &customer.phone, text::PHONE)?;
    text::check_opt(
        "customer.customer_id",
        customer.customer_id.as_deref(),
        text::CODE,
    )?;
    text::check(
        "subject.reference",
        &subject.reference,
        text::SUBJECT_REFERENCE,
    )?;
    text::check("category", category.as_str(), text::CODE)?;
    text::check("demand", demand, text::DEMAND)?;
    text::check("description", description, text::DESCRIPTION)
}

/// Checks every field at once and returns the customer with a normalised phone.
fn validate(new: &NewComplaint, now: Timestamp, rules: &Rules) -> Result<Customer, DomainError> {
    let calling_code = rules.default_calling_code.as_deref();
    let mut errors = Vec::new();
    let mut need = |field: &str, text: &str| {
        if text.trim().is_empty() {
            errors.push(FieldError {
                field: field.to_owned(),
                message: "must not be empty".to_owned(),
            });
        }
    };
    need("number", &new.number);
    need("customer.name", &new.customer.name);
    need("subject.reference", &new.subject.reference);
    need("category", new.category.as_str());
    need("demand", &new.demand);
    need("description", &new.description);
    let phone = normalize_phone(&new.customer.phone, calling_code);
    if phone.is_none() {
        errors.push(FieldError {
            field: "customer.phone".to_owned(),
            message: "not a valid phone number: a mobile or fixed line with its area code, \
                      or an international number with + and its country code"
                .to_owned(),
        });
    }
    let (earliest, latest) = rules.received_at.bounds(now);
    if new.received_at > latest {
        errors.push(FieldError {
            field: "received_at".to_owned(),
            message: "lies in the future".to_owned(),
        });
    } else if new.received_at < earliest {
        errors.push(FieldError {
            field: "received_at".to_owned(),
            message: format!(
                "lies more than {} days in the past",
                rules.received_at.max_age_days
            ),
        });
    }
    match phone {
        Some(phone) if errors.is_empty() => Ok(Customer {
            name: new.customer.name.trim().to_owned(),
            phone,
            customer_id: new
                .customer
                .customer_id
                .as_deref()
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_owned),
        }),
        _ => Err(DomainError::ValidationFailed(errors)),
    }
}
