//! The complaint aggregate and its closed loop (投訴處理閉環).
//!
//! A [`Complaint`] is created by [`Complaint::record`] and changed only by
//! [`Complaint::execute`], which applies one [`Command`] completely or returns
//! a [`DomainError`] and leaves the complaint exactly as it was. Every accepted
//! command appends to the [`timeline`](Complaint::timeline) with the actor and
//! the time, and may return [`Alert`]s for the people who must act next.
//!
//! The states and who may do what are described in `docs/lifecycle.md`.

mod approval;
mod callback;
mod clocks;
mod command;
mod lifecycle;
mod offers;
mod progress;
mod record;
mod remedy;
mod state;
mod timeline;

pub use approval::{Approval, ApprovalState};
pub use callback::{Callback, CallbackAttempt};
pub use clocks::{approval_clock_id, approval_id, clock_id};
pub use command::{Command, MAX_REVIEW_ACTIONS, Tier};
pub use offers::{Step, StepOffer, Target};
pub use progress::ProgressUpdate;
pub use record::{ComplaintDraft, NewComplaint, Recorded};
pub use remedy::{Remedy, RemedyState};
pub use state::ComplaintState;
pub use timeline::{TimelineEntry, TimelineEvent};

use crate::error::DomainError;
use crate::ids::{ApprovalId, CategoryCode, ComplaintId, DeptId, RemedyId, UserId};
use crate::model::{
    Actor, CallbackOutcome, Channel, ComplaintKind, Customer, DemandClass, InvalidReason, Profile,
    Role, RootCause, Severity, Subject,
};
use crate::planner::{Watch, WatchedApproval, WatchedCallback};
use crate::repeat::RepeatLink;
use crate::rules::Rules;
use crate::sla::{ClockKind, SlaClock};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The most progress updates one complaint holds; one more is refused with
/// `complaint_limit_reached`.
pub const MAX_PROGRESS_UPDATES: usize = 200;

/// The most timeline entries one complaint holds: a command that would take
/// it past this is refused with `complaint_limit_reached`. The steps that
/// close the loop (resolve, callback, review, close) may still use
/// [`CLOSING_HEADROOM`] more, so a full complaint can still be finished.
pub const MAX_TIMELINE_ENTRIES: usize = 1_000;

/// Timeline entries beyond [`MAX_TIMELINE_ENTRIES`] kept for closing the loop.
pub const CLOSING_HEADROOM: usize = 50;

/// One complaint and everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Complaint {
    pub id: ComplaintId,
    /// Human-facing number (`TS-2026-000123`), given by the caller.
    pub number: String,
    /// The complainant; the phone is stored normalised.
    pub customer: Customer,
    pub channel: Channel,
    pub subject: Subject,
    pub category: CategoryCode,
    /// What the customer asks for.
    pub demand: String,
    pub description: String,
    pub kind: ComplaintKind,
    pub demand_class: DemandClass,
    /// Raised by one when a repeat complaint escalates.
    pub severity: Severity,
    /// Reached social media, a forum or the press: put it first.
    pub public_exposure: bool,
    pub received_at: Timestamp,
    pub recorded_by: UserId,
    pub recorded_at: Timestamp,
    pub state: ComplaintState,
    /// The latest validity judgement; `None` until judged.
    pub validity: Option<Validity>,
    pub department: Option<DeptId>,
    pub owner: Option<UserId>,
    pub root_cause: Option<RootCauseAnalysis>,
    pub remedies: Vec<Remedy>,
    pub approvals: Vec<Approval>,
    pub progress: Vec<ProgressUpdate>,
    /// The current follow-up callback round; replaced on the next resolution.
    pub callback: Option<Callback>,
    pub review: Option<Review>,
    /// Set when this complaint repeats earlier ones.
    pub repeat: Option<RepeatLink>,
    pub clocks: Vec<SlaClock>,
    pub timeline: Vec<TimelineEntry>,
    /// How many times the complaint was reopened; it is also the handling
    /// round that new remedies belong to.
    pub reopen_count: u32,
}

/// When and how a closed complaint ended (the closed list's columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    pub at: Timestamp,
    pub outcome: ClosureOutcome,
}

/// How a closed complaint ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ClosureOutcome {
    /// Judged invalid and answered.
    Invalid,
    /// The follow-up call found the customer satisfied.
    Satisfied { score: u8 },
    /// Closed although the customer was not satisfied.
    NotSatisfied { score: Option<u8> },
    /// Nobody answered the follow-up calls.
    Unreachable,
    /// Closed with no follow-up outcome recorded.
    NoCallback,
}

impl ClosureOutcome {
    /// The stored name (without the score).
    pub fn as_str(self) -> &'static str {
        match self {
            ClosureOutcome::Invalid => "invalid",
            ClosureOutcome::Satisfied { .. } => "satisfied",
            ClosureOutcome::NotSatisfied { .. } => "not_satisfied",
            ClosureOutcome::Unreachable => "unreachable",
            ClosureOutcome::NoCallback => "no_callback",
        }
    }

    /// The score given, if any.
    pub fn score(self) -> Option<u8> {
        match self {
            ClosureOutcome::Satisfied { score } => Some(score),
            ClosureOutcome::NotSatisfied { score } => score,
            _ => None,
        }
    }

    /// From the stored name and score (the inverse of `as_str` and `score`).
    pub fn from_parts(name: &str, score: Option<u8>) -> Option<ClosureOutcome> {
        Some(match name {
            "invalid" => ClosureOutcome::Invalid,
            "satisfied" => ClosureOutcome::Satisfied { score: score? },
            "not_satisfied" => ClosureOutcome::NotSatisfied { score },
            "unreachable" => ClosureOutcome::Unreachable,
            "no_callback" => ClosureOutcome::NoCallback,
            _ => return None,
        })
    }
}

/// A validity judgement (判斷投訴是否成立).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Validity {
    pub valid: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<InvalidReason>,
    pub note: String,
    pub judged_by: UserId,
    pub judged_at: Timestamp,
}

/// 分析原因: one or more categories plus free text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RootCauseAnalysis {
    /// Non-empty, sorted, without duplicates.
    pub categories: Vec<RootCause>,
    pub note: String,
    pub set_by: UserId,
    pub set_at: Timestamp,
}

/// 總結評價: lessons and improvement actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Review {
    pub lessons: String,
    pub actions: Vec<String>,
    pub by: UserId,
    pub at: Timestamp,
}

/// Something a person should be told about now, returned by `record` and
/// `execute` for the caller to notify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "alert", rename_all = "snake_case")]
pub enum Alert {
    /// The complaint is the `ordinal`-th repeat and was escalated (supervisors).
    RepeatEscalated {
        complaint: ComplaintId,
        ordinal: u32,
    },
    /// A remedy needs a decision by `required_role` or anyone whose limit covers it.
    ApprovalRequested {
        complaint: ComplaintId,
        approval: ApprovalId,
        required_role: Role,
    },
    /// An approval was decided (tell the requester).
    ApprovalDecided {
        complaint: ComplaintId,
        approval: ApprovalId,
        approved: bool,
        requested_by: UserId,
    },
    /// The complaint was reopened (owner and supervisors).
    Reopened { complaint: ComplaintId },
    /// A follow-up callback should be made at `at`.
    CallbackScheduled {
        complaint: ComplaintId,
        at: Timestamp,
    },
}

impl Complaint {
    /// Applies `cmd` by `actor` at `now`. Atomic: on error the complaint is
    /// unchanged. A closed complaint accepts only [`Command::Reopen`].
    pub fn execute(
        &mut self,
        cmd: &Command,
        actor: &Actor,
        now: Timestamp,
        rules: &Rules,
    ) -> Result<Vec<Alert>, DomainError> {
        let (next, alerts) = self.attempt(cmd, actor, now, rules)?;
        *self = next;
        Ok(alerts)
    }

    /// What [`Complaint::execute`] would make of this complaint, without
    /// changing it.
    pub(crate) fn attempt(
        &self,
        cmd: &Command,
        actor: &Actor,
        now: Timestamp,
        rules: &Rules,
    ) -> Result<(Complaint, Vec<Alert>), DomainError> {
        if self.state == ComplaintState::Closed && !matches!(cmd, Command::Reopen { .. }) {
            return Err(DomainError::ComplaintClosed);
        }
        cmd.check_text()?;
        let mut next = self.clone();
        let mut cx = Ctx {
            actor,
            now,
            rules,
            action: cmd.action(),
            alerts: Vec::new(),
        };
        next.apply(cmd, &mut cx)?;
        if next.state != self.state {
            let event = TimelineEvent::StateChanged {
                from: self.state,
                to: next.state,
            };
            next.log(&cx, event);
        }
        let closing = matches!(
            cmd,
            Command::Resolve { .. }
                | Command::RecordCallback { .. }
                | Command::Review { .. }
                | Command::Close { .. }
        );
        let cap = if closing {
            MAX_TIMELINE_ENTRIES + CLOSING_HEADROOM
        } else {
            MAX_TIMELINE_ENTRIES
        };
        if next.timeline.len() > cap {
            return Err(DomainError::ComplaintLimitReached {
                what: "timeline entries",
                limit: cap,
            });
        }
        Ok((next, cx.alerts))
    }

    fn apply(&mut self, cmd: &Command, cx: &mut Ctx<'_>) -> Result<(), DomainError> {
        // New work picks from the site's catalogs of remedy types and
        // invalid reasons when it keeps them (history keeps any code).
        let catalogs = &cx.rules.catalogs;
        match cmd {
            Command::ProposeRemedy { kind, .. } => {
                catalogs.check_pick(crate::catalog::CatalogKind::RemedyKind, kind.as_str())?;
            }
            Command::Judge {
                valid: false,
                reason: Some(reason),
                ..
            } => {
                catalogs.check_pick(crate::catalog::CatalogKind::InvalidReason, reason.as_str())?;
            }
            _ => {}
        }
        match cmd {
            Command::Judge {
                valid,
                reason,
                note,
            } => self.judge(cx, *valid, *reason, note),
            Command::Assign { department, owner } => self.assign(cx, department, owner.as_ref()),
            Command::SetRootCause { categories, note } => self.set_root_cause(cx, categories, note),
            Command::AddProgress {
                update_id,
                text,
                customer_informed,
            } => self.add_progress(cx, *update_id, text, *customer_informed),
            Command::ProposeRemedy {
                remedy_id,
                kind,
                amount,
                tier,
                note,
            } => self.propose_remedy(cx, *remedy_id, *kind, amount, tier.as_ref(), note),
            Command::ReviseRemedy {
                remedy_id,
                expected_revision,
                amount_minor,
                note,
            } => self.revise_remedy(cx, *remedy_id, *expected_revision, *amount_minor, note),
            Command::DecideApproval {
                approval_id,
                remedy_revision,
                approve,
                reason,
            } => self.decide_approval(cx, *approval_id, *remedy_revision, *approve, reason),
            Command::MarkImplemented { remedy_id, note } => {
                self.mark_implemented(cx, *remedy_id, note)
            }
            Command::Resolve { note } => self.resolve(cx, note),
            Command::RecordCallback {
                attempt_id,
                outcome,
                note,
            } => self.record_callback(cx, *attempt_id, *outcome, note),
            Command::Review { lessons, actions } => self.review(cx, lessons, actions),
            Command::Close { note } => self.close(cx, note),
            Command::Reopen { reason } => self.reopen(cx, reason),
            Command::PauseClock {
                clock_id,
                reason,
                note,
            } => self.pause_clock(cx, *clock_id, *reason, note),
            Command::ResumeClock { clock_id } => self.resume_clock(cx, *clock_id),
        }
    }

    /// The attributes SLA policies match on.
    pub fn profile(&self) -> Profile {
        Profile {
            kind: self.kind,
            severity: self.severity,
            channel: self.channel,
            category: self.category.clone(),
            public_exposure: self.public_exposure,
        }
    }

    /// What the reminder planner needs to know about this complaint.
    pub fn watch(&self) -> Watch {
        Watch {
            complaint: self.id,
            open: self.state.is_open(),
            owner: self.owner.clone(),
            clocks: self.clocks.clone(),
            approvals: self
                .pending_approvals()
                .map(|a| WatchedApproval {
                    approval: a.id,
                    required_role: a.required_role,
                    requested_by: a.requested_by.clone(),
                    requested_at: a.requested_at,
                })
                .collect(),
            callback: self.outstanding_callback().and_then(|c| {
                c.next_attempt_at.map(|next_attempt_at| WatchedCallback {
                    attempt: u32::try_from(c.attempts.len())
                        .unwrap_or(u32::MAX)
                        .saturating_add(1),
                    next_attempt_at,
                })
            }),
        }
    }

    /// The soonest due instant among running, unpaused clocks (dashboard order).
    pub fn next_due(&self) -> Option<(ClockKind, Timestamp)> {
        self.clocks
            .iter()
            .filter_map(|c| c.standing_due().map(|due| (c.kind, due)))
            .min_by_key(|(kind, due)| (*due, *kind))
    }

    pub fn remedy(&self, id: RemedyId) -> Option<&Remedy> {
        self.remedies.iter().find(|r| r.id == id)
    }

    pub fn approval(&self, id: ApprovalId) -> Option<&Approval> {
        self.approvals.iter().find(|a| a.id == id)
    }

    pub fn pending_approvals(&self) -> impl Iterator<Item = &Approval> {
        self.approvals
            .iter()
            .filter(|a| a.state == ApprovalState::Pending)
    }

    /// When and how a closed complaint ended; `None` while it is open.
    pub fn closure(&self) -> Option<Closure> {
        if self.state != ComplaintState::Closed {
            return None;
        }
        let at = self
            .timeline
            .iter()
            .rev()
            .find(|e| matches!(e.event, TimelineEvent::Closed { .. }))
            .map_or(self.recorded_at, |e| e.at);
        let outcome = if self.validity.as_ref().is_some_and(|v| !v.valid) {
            ClosureOutcome::Invalid
        } else {
            match self.callback.as_ref().and_then(|c| c.outcome) {
                Some(CallbackOutcome::Satisfied { score }) => ClosureOutcome::Satisfied { score },
                Some(CallbackOutcome::NotSatisfied { score }) => {
                    ClosureOutcome::NotSatisfied { score }
                }
                Some(CallbackOutcome::Unreachable) => ClosureOutcome::Unreachable,
                None => ClosureOutcome::NoCallback,
            }
        };
        Some(Closure { at, outcome })
    }

    /// The callback round while the complaint is resolved and the callback has
    /// no final outcome yet.
    pub fn outstanding_callback(&self) -> Option<&Callback> {
        self.callback
            .as_ref()
            .filter(|c| self.state == ComplaintState::Resolved && c.outcome.is_none())
    }

    fn log(&mut self, cx: &Ctx<'_>, event: TimelineEvent) {
        self.timeline.push(TimelineEntry {
            at: cx.now,
            actor: cx.actor.user.clone(),
            event,
        });
    }

    /// `invalid_transition` for the command being executed.
    fn refuse(&self, cx: &Ctx<'_>) -> DomainError {
        DomainError::InvalidTransition {
            from: self.state.as_str(),
            action: cx.action,
        }
    }
}

/// What every command handler needs besides its arguments.
struct Ctx<'a> {
    actor: &'a Actor,
    now: Timestamp,
    rules: &'a Rules,
    /// The command name, for errors.
    action: &'static str,
    alerts: Vec<Alert>,
}

impl Ctx<'_> {
    /// Review, close and reopening a closed complaint need a supervisor or higher.
    fn require_role(&self, min: Role) -> Result<(), DomainError> {
        if self.actor.role < min {
            return Err(DomainError::ForbiddenRole {
                role: self.actor.role,
                action: self.action,
            });
        }
        Ok(())
    }
}

/// Rejects blank free text.
fn required_text(field: &str, text: &str) -> Result<(), DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    Ok(())
}
