//! Which steps an actor may take on a complaint now, and why not: the
//! complaint screen shows what this answers instead of keeping a transition
//! table of its own.
//!
//! The answer comes from [`Complaint::execute`] itself: each step is tried
//! with well-formed arguments on a copy of the complaint (by the actor, then
//! by the same person in each higher role), so an offered step is one
//! `execute` accepts and a refused one is one it refuses, by the same
//! checks. Arguments the user still has to give (a note, an amount) cannot
//! change that answer: every handler checks the state and the role before
//! it looks at them.

use super::{Command, Complaint, ComplaintState};
use crate::ErrorCode;
use crate::ids::{ApprovalId, AttemptId, ClockId, DeptId, RemedyId, UpdateId};
use crate::model::{Actor, CallbackOutcome, Money, PauseReason, RemedyKind, Role, RootCause};
use crate::rules::Rules;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One step of the loop, named as its command is named on the wire
/// (`complaint.execute` args, `invalid_transition`'s `action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Judge,
    Assign,
    SetRootCause,
    AddProgress,
    ProposeRemedy,
    ReviseRemedy,
    DecideApproval,
    MarkImplemented,
    Resolve,
    RecordCallback,
    Review,
    Close,
    Reopen,
    PauseClock,
    ResumeClock,
}

impl Step {
    /// The steps on the complaint as a whole, in the order the screen shows
    /// them: the loop's forward steps, then the side steps.
    pub const COMPLAINT: [Step; 10] = [
        Step::Judge,
        Step::Assign,
        Step::SetRootCause,
        Step::ProposeRemedy,
        Step::Resolve,
        Step::RecordCallback,
        Step::Review,
        Step::Close,
        Step::Reopen,
        Step::AddProgress,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Judge => "judge",
            Step::Assign => "assign",
            Step::SetRootCause => "set_root_cause",
            Step::AddProgress => "add_progress",
            Step::ProposeRemedy => "propose_remedy",
            Step::ReviseRemedy => "revise_remedy",
            Step::DecideApproval => "decide_approval",
            Step::MarkImplemented => "mark_implemented",
            Step::Resolve => "resolve",
            Step::RecordCallback => "record_callback",
            Step::Review => "review",
            Step::Close => "close",
            Step::Reopen => "reopen",
            Step::PauseClock => "pause_clock",
            Step::ResumeClock => "resume_clock",
        }
    }
}

impl ComplaintState {
    /// The step that moves the loop forward from here, if one does.
    pub fn main_step(self) -> Option<Step> {
        Some(match self {
            ComplaintState::Recorded => Step::Judge,
            ComplaintState::Validated => Step::Assign,
            ComplaintState::Assigned => Step::SetRootCause,
            ComplaintState::Analysed => Step::ProposeRemedy,
            ComplaintState::Implemented => Step::Resolve,
            ComplaintState::Resolved => Step::RecordCallback,
            ComplaintState::FollowedUp => Step::Review,
            ComplaintState::Reviewed | ComplaintState::Invalid => Step::Close,
            ComplaintState::Closed => Step::Reopen,
            ComplaintState::AwaitingApproval | ComplaintState::RemedyAgreed => return None,
        })
    }
}

/// What a step acts on besides the complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Target {
    Complaint,
    Remedy(RemedyId),
    Approval(ApprovalId),
    Clock(ClockId),
}

/// One step the complaint screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StepOffer {
    pub step: Step,
    pub target: Target,
    /// The actor may take it now.
    pub allowed: bool,
    /// The step that moves the loop forward (at most one per complaint).
    pub main: bool,
    /// Why the actor may not: the refusal `execute` would give.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<ErrorCode>,
    /// The lowest role in which the same person could take it, when a
    /// higher role is what is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_role: Option<Role>,
}

/// Refusals that mean "this step does not exist here" rather than "not by
/// you" or "not any more": such steps are not shown at all.
fn not_a_step_here(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::InvalidTransition
            | ErrorCode::ComplaintClosed
            | ErrorCode::NotFound
            | ErrorCode::ValidationFailed
    )
}

/// A fixed id for a step that creates something (never one the complaint
/// holds: real ids are UUID v4/v7 or derived v5).
fn probe_id() -> Uuid {
    Uuid::max()
}

impl Complaint {
    /// Every step `actor` may take on this complaint at `now`, and those it
    /// may not take but someone (or it, in a higher role or later) could:
    /// complaint-level steps in display order, then each remedy's, each
    /// pending approval's and each clock's.
    pub fn offers(&self, actor: &Actor, now: Timestamp, rules: &Rules) -> Vec<StepOffer> {
        let main = self.state.main_step();
        let mut out = Vec::new();
        for step in Step::COMPLAINT {
            self.offer(&mut out, step, Target::Complaint, actor, now, rules);
        }
        for r in &self.remedies {
            for step in [Step::ReviseRemedy, Step::MarkImplemented] {
                self.offer(&mut out, step, Target::Remedy(r.id), actor, now, rules);
            }
        }
        for a in self.pending_approvals() {
            let target = Target::Approval(a.id);
            self.offer(&mut out, Step::DecideApproval, target, actor, now, rules);
        }
        for c in &self.clocks {
            for step in [Step::PauseClock, Step::ResumeClock] {
                self.offer(&mut out, step, Target::Clock(c.id), actor, now, rules);
            }
        }
        for o in &mut out {
            o.main = o.allowed && o.target == Target::Complaint && Some(o.step) == main;
        }
        out
    }

    fn offer(
        &self,
        out: &mut Vec<StepOffer>,
        step: Step,
        target: Target,
        actor: &Actor,
        now: Timestamp,
        rules: &Rules,
    ) {
        let Some(cmd) = self.probe(step, target, rules) else {
            return;
        };
        let attempt = |a: &Actor| self.attempt(&cmd, a, now, rules).err();
        let Some(refused) = attempt(actor).map(|e| e.code()) else {
            out.push(StepOffer {
                step,
                target,
                allowed: true,
                main: false,
                refusal: None,
                needs_role: None,
            });
            return;
        };
        let needs_role = Role::LADDER
            .into_iter()
            .filter(|r| *r > actor.role)
            .find(|r| {
                attempt(&Actor {
                    role: *r,
                    ..actor.clone()
                })
                .is_none()
            });
        if needs_role.is_none() && not_a_step_here(refused) {
            return;
        }
        out.push(StepOffer {
            step,
            target,
            allowed: false,
            main: false,
            refusal: Some(refused),
            needs_role,
        });
    }

    /// `step` with well-formed arguments, as a user would send it; `None`
    /// when the target is not on this complaint.
    fn probe(&self, step: Step, target: Target, rules: &Rules) -> Option<Command> {
        let note = String::new();
        let text = "-".to_owned();
        Some(match (step, target) {
            (Step::Judge, Target::Complaint) => Command::Judge {
                valid: true,
                reason: None,
                note,
            },
            (Step::Assign, Target::Complaint) => Command::Assign {
                // Its own department, else one the catalog lets anyone pick.
                department: self.department.clone().unwrap_or_else(|| {
                    let first = rules.catalogs.departments.iter().find(|d| d.enabled);
                    DeptId::new(first.map_or("-", |d| d.code.as_str()))
                }),
                owner: self.owner.clone(),
            },
            (Step::SetRootCause, Target::Complaint) => Command::SetRootCause {
                categories: vec![RootCause::Process],
                note,
            },
            (Step::AddProgress, Target::Complaint) => Command::AddProgress {
                update_id: UpdateId(probe_id()),
                text,
                customer_informed: false,
            },
            (Step::ProposeRemedy, Target::Complaint) => Command::ProposeRemedy {
                remedy_id: RemedyId(probe_id()),
                kind: RemedyKind::ApologyOnly,
                amount: Money {
                    amount_minor: 0,
                    currency: rules.authority.currency.clone(),
                },
                tier: None,
                note,
            },
            (Step::Resolve, Target::Complaint) => Command::Resolve { note },
            (Step::RecordCallback, Target::Complaint) => Command::RecordCallback {
                attempt_id: AttemptId(probe_id()),
                outcome: CallbackOutcome::Unreachable,
                note,
            },
            (Step::Review, Target::Complaint) => Command::Review {
                lessons: text,
                actions: Vec::new(),
            },
            (Step::Close, Target::Complaint) => Command::Close { note },
            (Step::Reopen, Target::Complaint) => Command::Reopen { reason: text },
            (Step::ReviseRemedy, Target::Remedy(id)) => {
                let r = self.remedy(id)?;
                Command::ReviseRemedy {
                    remedy_id: id,
                    expected_revision: r.revision,
                    amount_minor: r.amount.amount_minor,
                    note,
                }
            }
            (Step::MarkImplemented, Target::Remedy(id)) => {
                self.remedy(id)?;
                Command::MarkImplemented {
                    remedy_id: id,
                    note,
                }
            }
            (Step::DecideApproval, Target::Approval(id)) => {
                let a = self.approval(id)?;
                Command::DecideApproval {
                    approval_id: id,
                    remedy_revision: self.remedy(a.remedy_id)?.revision,
                    approve: true,
                    reason: String::new(),
                }
            }
            (Step::PauseClock, Target::Clock(id)) => Command::PauseClock {
                clock_id: id,
                reason: PauseReason::WaitingOnCustomer,
                // A pause past the deadline needs a note.
                note: text,
            },
            (Step::ResumeClock, Target::Clock(id)) => Command::ResumeClock { clock_id: id },
            _ => return None,
        })
    }
}
