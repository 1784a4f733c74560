//! Commands: what a user asks to do to an existing complaint. They mirror the
//! sync mutations (`complaint.judge`, `approval.decide`, ...) minus the
//! envelope; the complaint id is the aggregate the command is executed on.

use super::offers::Step;
use crate::error::DomainError;
use crate::ids::{ApprovalId, AttemptId, ClockId, DeptId, RemedyId, UpdateId, UserId};
use crate::model::{CallbackOutcome, InvalidReason, Money, PauseReason, RemedyKind, RootCause};
use crate::text::{self, check};
use serde::{Deserialize, Serialize};

/// The most improvement actions one review may list.
pub const MAX_REVIEW_ACTIONS: usize = 50;

/// The optional second step of a tiered remedy (階梯式補償): `extra_minor` more,
/// of `extra_kind`, if the customer accepts `condition`. Approval covers the
/// base amount plus the extra.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub extra_minor: i64,
    pub extra_kind: RemedyKind,
    /// E.g. "if the customer keeps the contract for 12 more months".
    pub condition: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "name", content = "args", rename_all = "snake_case")]
pub enum Command {
    /// 判斷投訴是否成立. `reason` is required when `valid` is false and refused
    /// when it is true.
    Judge {
        valid: bool,
        #[serde(default)]
        reason: Option<InvalidReason>,
        #[serde(default)]
        note: String,
    },
    /// 確定責任部門: the first assignment moves `validated` to `assigned`;
    /// later ones reassign without changing the state.
    Assign {
        department: DeptId,
        #[serde(default)]
        owner: Option<UserId>,
    },
    /// 分析原因: moves `assigned` to `analysed`; later ones update it.
    SetRootCause {
        categories: Vec<RootCause>,
        #[serde(default)]
        note: String,
    },
    /// A progress update; `customer_informed` ones count for the SLA.
    AddProgress {
        update_id: UpdateId,
        text: String,
        customer_informed: bool,
    },
    /// 提出處理方案. `amount` is the base amount.
    ProposeRemedy {
        remedy_id: RemedyId,
        kind: RemedyKind,
        amount: Money,
        #[serde(default)]
        tier: Option<Tier>,
        #[serde(default)]
        note: String,
    },
    /// Changes the base amount of a remedy pending approval or rejected.
    ReviseRemedy {
        remedy_id: RemedyId,
        /// The revision the user saw.
        expected_revision: u32,
        amount_minor: i64,
        #[serde(default)]
        note: String,
    },
    /// 批示: approve or reject one approval request. `reason` is required to reject.
    DecideApproval {
        approval_id: ApprovalId,
        /// The remedy revision the approver saw.
        remedy_revision: u32,
        approve: bool,
        #[serde(default)]
        reason: String,
    },
    /// 實施: an approved remedy was carried out.
    MarkImplemented {
        remedy_id: RemedyId,
        #[serde(default)]
        note: String,
    },
    /// 通知客戶: the customer was told the outcome.
    Resolve {
        #[serde(default)]
        note: String,
    },
    /// 回訪: one follow-up call attempt.
    RecordCallback {
        attempt_id: AttemptId,
        #[serde(flatten)]
        outcome: CallbackOutcome,
        #[serde(default)]
        note: String,
    },
    /// 總結評價 (supervisor or higher).
    Review {
        lessons: String,
        #[serde(default)]
        actions: Vec<String>,
    },
    /// Closes a reviewed or invalid complaint (supervisor or higher).
    Close {
        #[serde(default)]
        note: String,
    },
    /// Reopens a resolved, followed-up, reviewed or closed complaint (closed
    /// ones need a supervisor or higher).
    Reopen {
        reason: String,
    },
    /// Pauses an SLA clock, e.g. while waiting on the customer.
    /// Every pause has a reason; `other`, and any pause of a clock already
    /// past its deadline, also a note.
    PauseClock {
        clock_id: ClockId,
        reason: PauseReason,
        #[serde(default)]
        note: String,
    },
    ResumeClock {
        clock_id: ClockId,
    },
}

impl Command {
    /// Every text the command carries against its limit (see
    /// [`crate::text`]): `text_too_long` or `invalid_text` naming the field.
    /// [`super::Complaint::execute`] runs it first, so a desktop refuses bad
    /// text before it queues the command.
    pub fn check_text(&self) -> Result<(), DomainError> {
        match self {
            Command::Judge { note, .. }
            | Command::SetRootCause { note, .. }
            | Command::ReviseRemedy { note, .. }
            | Command::MarkImplemented { note, .. }
            | Command::Resolve { note }
            | Command::RecordCallback { note, .. }
            | Command::Close { note }
            | Command::PauseClock { note, .. } => check("note", note, text::NOTE),
            Command::Assign { department, owner } => {
                check("department", department.as_str(), text::CODE)?;
                text::check_opt("owner", owner.as_ref().map(UserId::as_str), text::USER_NAME)
            }
            Command::AddProgress { text: body, .. } => check("text", body, text::PROGRESS_TEXT),
            Command::ProposeRemedy {
                amount, tier, note, ..
            } => {
                check("amount.currency", &amount.currency.0, text::CODE)?;
                if let Some(tier) = tier {
                    check("tier.condition", &tier.condition, text::SHORT_TEXT)?;
                }
                check("note", note, text::NOTE)
            }
            Command::DecideApproval { reason, .. } | Command::Reopen { reason } => {
                check("reason", reason, text::NOTE)
            }
            Command::Review { lessons, actions } => {
                check("lessons", lessons, text::NOTE)?;
                if actions.len() > MAX_REVIEW_ACTIONS {
                    return Err(DomainError::invalid(
                        "actions",
                        format!("at most {MAX_REVIEW_ACTIONS} actions"),
                    ));
                }
                for (i, action) in actions.iter().enumerate() {
                    check(&format!("actions[{i}]"), action, text::SHORT_TEXT)?;
                }
                Ok(())
            }
            Command::ResumeClock { .. } => Ok(()),
        }
    }

    /// The step this command takes.
    pub fn step(&self) -> Step {
        match self {
            Command::Judge { .. } => Step::Judge,
            Command::Assign { .. } => Step::Assign,
            Command::SetRootCause { .. } => Step::SetRootCause,
            Command::AddProgress { .. } => Step::AddProgress,
            Command::ProposeRemedy { .. } => Step::ProposeRemedy,
            Command::ReviseRemedy { .. } => Step::ReviseRemedy,
            Command::DecideApproval { .. } => Step::DecideApproval,
            Command::MarkImplemented { .. } => Step::MarkImplemented,
            Command::Resolve { .. } => Step::Resolve,
            Command::RecordCallback { .. } => Step::RecordCallback,
            Command::Review { .. } => Step::Review,
            Command::Close { .. } => Step::Close,
            Command::Reopen { .. } => Step::Reopen,
            Command::PauseClock { .. } => Step::PauseClock,
            Command::ResumeClock { .. } => Step::ResumeClock,
        }
    }

    /// The snake_case command name (its wire name), used as the `action` of
    /// errors.
    pub fn action(&self) -> &'static str {
        self.step().as_str()
    }
}
