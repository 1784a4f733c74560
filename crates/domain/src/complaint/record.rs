//! Recording a complaint (受理/記錄).

use super::clocks::{clock_id, start};
use super::{Alert, Complaint, ComplaintState, TimelineEntry, TimelineEvent};
use crate::catalog::CatalogKind;
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

/// What the recording agent (or an intake system) entered for a new
/// complaint: the one input type of recording, used as it is by the
/// rulebook, the sync wire (`complaint.record` args), the intake API (with
/// its `external_ref`) and the console's new-complaint form. Unknown fields
/// are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct ComplaintDraft {
    pub customer: Customer,
    pub channel: Channel,
    pub subject: Subject,
    pub category: CategoryCode,
    /// What the customer asks for.
    pub demand: String,
    pub description: String,
    pub kind: ComplaintKind,
    pub demand_class: DemandClass,
    /// As judged by the agent; a repeat complaint that escalates gets one more.
    pub severity: Severity,
    /// Reached social media, a forum or the press.
    #[serde(default)]
    pub public_exposure: bool,
    /// When the customer complained; when it is left out, the moment it is
    /// recorded. The console fills it in before a change is queued, so an
    /// offline recording keeps its own time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub received_at: Option<Timestamp>,
}

impl ComplaintDraft {
    /// The key the customer is recognised by for repeat detection (see
    /// [`RepeatProbe::customer_key`]), with the phone normalised as
    /// recording stores it under `rules`.
    pub fn customer_key(&self, rules: &Rules) -> String {
        let mut customer = self.customer.clone();
        if let Some(phone) = normalize_phone(&customer.phone, rules.default_calling_code.as_deref())
        {
            customer.phone = phone;
        }
        RepeatProbe::customer_key(&customer)
    }

    /// The entered text against its limits: `text_too_long` or
    /// `invalid_text` for the first offending field. [`Complaint::record`]
    /// runs it; the server's intake runs it before anything is recorded.
    pub fn check_text(&self) -> Result<(), DomainError> {
        text::check("customer.name", &self.customer.name, text::PERSON_NAME)?;
        text::check("customer.phone", &self.customer.phone, text::PHONE)?;
        text::check_opt(
            "customer.customer_id",
            self.customer.customer_id.as_deref(),
            text::CODE,
        )?;
        text::check(
            "subject.reference",
            &self.subject.reference,
            text::SUBJECT_REFERENCE,
        )?;
        text::check("category", self.category.as_str(), text::CODE)?;
        text::check("demand", &self.demand, text::DEMAND)?;
        text::check("description", &self.description, text::DESCRIPTION)
    }
}

/// A draft to record as complaint `id` under `number`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    /// Chosen by the creator (the desktop may create offline).
    pub id: ComplaintId,
    /// Given by whoever records it (the server's sequence, or a desktop's
    /// local number).
    pub number: String,
    pub draft: ComplaintDraft,
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
        text::check("number", &new.number, text::CODE)?;
        new.draft.check_text()?;
        let received_at = new.draft.received_at.unwrap_or(now);
        let customer = validate(&new, received_at, now, rules)?;
        let NewComplaint { id, number, draft } = new;
        let probe = RepeatProbe {
            complaint: id,
            customer_key: RepeatProbe::customer_key(&customer),
            category: draft.category.clone(),
            received_at,
        };
        let repeat = detect(&probe, prior, &rules.repeats);
        let mut alerts = Vec::new();
        let mut severity = draft.severity;
        if let Some(link) = repeat.as_ref().filter(|l| l.escalated) {
            severity = severity.raised();
            alerts.push(Alert::RepeatEscalated {
                complaint: id,
                ordinal: link.ordinal,
            });
        }
        let mut complaint = Complaint {
            id,
            number: number.trim().to_owned(),
            customer,
            channel: draft.channel,
            subject: draft.subject,
            category: draft.category,
            demand: draft.demand,
            description: draft.description,
            kind: draft.kind,
            demand_class: draft.demand_class,
            severity,
            public_exposure: draft.public_exposure,
            received_at,
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
                .push(start(id, kind, target, warn, received_at, rules)?);
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

/// Checks every field at once and returns the customer with a normalised phone.
fn validate(
    new: &NewComplaint,
    received_at: Timestamp,
    now: Timestamp,
    rules: &Rules,
) -> Result<Customer, DomainError> {
    let draft = &new.draft;
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
    need("customer.name", &draft.customer.name);
    need("subject.reference", &draft.subject.reference);
    need("category", draft.category.as_str());
    need("demand", &draft.demand);
    need("description", &draft.description);
    if !draft.category.as_str().trim().is_empty()
        && let Err(DomainError::ValidationFailed(mut refused)) = rules
            .catalogs
            .check_pick(CatalogKind::Category, draft.category.as_str())
    {
        errors.append(&mut refused);
    }
    if let Err(DomainError::ValidationFailed(mut refused)) = rules
        .catalogs
        .check_pick(CatalogKind::Channel, draft.channel.as_str())
    {
        errors.append(&mut refused);
    }
    let phone = normalize_phone(&draft.customer.phone, calling_code);
    if phone.is_none() {
        errors.push(FieldError {
            field: "customer.phone".to_owned(),
            message: "not a valid phone number: a mobile or fixed line with its area code, \
                      or an international number with + and its country code"
                .to_owned(),
        });
    }
    let (earliest, latest) = rules.received_at.bounds(now);
    if received_at > latest {
        errors.push(FieldError {
            field: "received_at".to_owned(),
            message: "lies in the future".to_owned(),
        });
    } else if received_at < earliest {
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
            name: draft.customer.name.trim().to_owned(),
            phone,
            customer_id: draft
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
