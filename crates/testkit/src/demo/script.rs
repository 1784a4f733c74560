//! Plans: what to record and which commands to run, at which instants. A plan
//! is pure data; `demo_complaints` turns plans into complaints through the
//! rulebook.

use super::catalog::{ADMIN, AGENTS, MANAGERS, SUPERVISORS};
use crate::rng::SplitMix64;
use jiff::{SignedDuration, Timestamp};
use redress_domain::complaint::{Command, NewComplaint, Tier};
use redress_domain::ids::{ApprovalId, AttemptId, ClockId, DeptId, RemedyId, UpdateId, UserId};
use redress_domain::model::{
    Actor, CallbackOutcome, InvalidReason, Money, PauseReason, RemedyKind, Role, RootCause,
};

pub(crate) const MIN: i64 = 60;
pub(crate) const HOUR: i64 = 3_600;
pub(crate) const DAY: i64 = 86_400;

/// One command by one actor at one instant.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub at: Timestamp,
    pub actor: Actor,
    pub cmd: Command,
}

/// One complaint to build.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Tie-breaker for equal `received_at` (stable output order).
    pub seq: usize,
    /// Complaints of one repeat family see each other as priors.
    pub family: Option<usize>,
    /// `number` is filled in once every plan's place in received order is known.
    pub new: NewComplaint,
    /// When it was received (the draft's `received_at`).
    pub received_at: Timestamp,
    pub recorder: Actor,
    pub recorded_at: Timestamp,
    pub steps: Vec<Step>,
}

/// `base` moved by `secs` seconds.
pub(crate) fn at(base: Timestamp, secs: i64) -> Timestamp {
    base.saturating_add(SignedDuration::from_secs(secs))
        .unwrap_or(base)
}

/// Commands with offsets (seconds after `received_at`), sorted stably into steps.
#[derive(Debug, Default)]
pub(crate) struct Script {
    items: Vec<(i64, Actor, Command)>,
}

impl Script {
    pub fn push(&mut self, offset: i64, actor: &Actor, cmd: Command) {
        self.items.push((offset, actor.clone(), cmd));
    }

    pub fn into_steps(mut self, received_at: Timestamp) -> Vec<Step> {
        self.items.sort_by_key(|(offset, _, _)| *offset);
        self.items
            .into_iter()
            .map(|(offset, actor, cmd)| Step {
                at: at(received_at, offset),
                actor,
                cmd,
            })
            .collect()
    }
}

// ------------------------------------------------------------------ people

pub(crate) fn agent(name: &str) -> Actor {
    Actor::new(name, Role::Agent)
}
pub(crate) fn supervisor(name: &str) -> Actor {
    Actor::new(name, Role::Supervisor)
}

pub(crate) fn any_agent(rng: &mut SplitMix64) -> Actor {
    let name = *rng.pick(AGENTS);
    agent(name)
}
pub(crate) fn any_supervisor(rng: &mut SplitMix64) -> Actor {
    let name = *rng.pick(SUPERVISORS);
    supervisor(name)
}

/// Someone of `role` other than `not`, who may decide an approval routed to `role`.
pub(crate) fn approver(rng: &mut SplitMix64, role: Role, not: &UserId) -> Actor {
    let pool: &[&str] = match role {
        Role::Agent | Role::Supervisor => SUPERVISORS,
        Role::Manager => MANAGERS,
        Role::Admin => &[ADMIN],
    };
    let role = role.max(Role::Supervisor);
    let start = rng.index(pool.len());
    (0..pool.len())
        .map(|i| pool[(start + i) % pool.len()])
        .find(|name| *name != not.as_str())
        .map_or_else(
            || Actor::new(ADMIN, Role::Admin),
            |name| Actor::new(name, role),
        )
}

// ---------------------------------------------------------------- commands

pub(crate) fn judge_valid(note: &str) -> Command {
    Command::Judge {
        valid: true,
        reason: None,
        note: note.to_owned(),
    }
}

pub(crate) fn judge_invalid(reason: InvalidReason, note: &str) -> Command {
    Command::Judge {
        valid: false,
        reason: Some(reason),
        note: note.to_owned(),
    }
}

pub(crate) fn assign(department: &str, owner: &Actor) -> Command {
    Command::Assign {
        department: DeptId::new(department),
        owner: Some(owner.user.clone()),
    }
}

pub(crate) fn root_cause(categories: &[RootCause], note: &str) -> Command {
    Command::SetRootCause {
        categories: categories.to_vec(),
        note: note.to_owned(),
    }
}

pub(crate) fn progress(id: UpdateId, text: &str, customer_informed: bool) -> Command {
    Command::AddProgress {
        update_id: id,
        text: text.to_owned(),
        customer_informed,
    }
}

pub(crate) fn propose(
    id: RemedyId,
    kind: RemedyKind,
    amount: Money,
    tier: Option<Tier>,
    note: &str,
) -> Command {
    Command::ProposeRemedy {
        remedy_id: id,
        kind,
        amount,
        tier,
        note: note.to_owned(),
    }
}

pub(crate) fn revise(
    id: RemedyId,
    expected_revision: u32,
    amount_minor: i64,
    note: &str,
) -> Command {
    Command::ReviseRemedy {
        remedy_id: id,
        expected_revision,
        amount_minor,
        note: note.to_owned(),
    }
}

pub(crate) fn decide(id: ApprovalId, revision: u32, approve: bool, reason: &str) -> Command {
    Command::DecideApproval {
        approval_id: id,
        remedy_revision: revision,
        approve,
        reason: reason.to_owned(),
    }
}

pub(crate) fn implement(id: RemedyId, note: &str) -> Command {
    Command::MarkImplemented {
        remedy_id: id,
        note: note.to_owned(),
    }
}

pub(crate) fn resolve(note: &str) -> Command {
    Command::Resolve {
        note: note.to_owned(),
    }
}

pub(crate) fn callback(id: AttemptId, outcome: CallbackOutcome, note: &str) -> Command {
    Command::RecordCallback {
        attempt_id: id,
        outcome,
        note: note.to_owned(),
    }
}

pub(crate) fn review(lessons: &str, actions: &[&str]) -> Command {
    Command::Review {
        lessons: lessons.to_owned(),
        actions: actions.iter().map(|a| (*a).to_owned()).collect(),
    }
}

pub(crate) fn close(note: &str) -> Command {
    Command::Close {
        note: note.to_owned(),
    }
}

pub(crate) fn pause(clock: ClockId, reason: PauseReason) -> Command {
    // A note on every pause, as a careful agent writes one (and a clock
    // past its deadline needs one).
    let note = match reason {
        PauseReason::WaitingOnCustomer => "等待客户补充材料",
        PauseReason::WaitingOnThirdParty => "等待合作方回复",
        PauseReason::Other => "客户要求暂缓处理",
    };
    Command::PauseClock {
        clock_id: clock,
        reason,
        note: note.to_owned(),
    }
}

pub(crate) fn resume(clock: ClockId) -> Command {
    Command::ResumeClock { clock_id: clock }
}
