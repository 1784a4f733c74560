//! Approval requests (提交主管領導批示): one per remedy revision above the
//! proposer's own authority, each with its own SLA clock.
//!
//! The first decision wins: a decided approval refuses further decisions
//! (`approval_already_decided`), a decision on a revision the approver did not
//! see is refused (`remedy_changed_since_viewed`), nobody decides their own
//! request (nor a revision of a remedy they proposed) and nobody decides above
//! their limit.

use super::clocks::{approval_clock_id, approval_id, start};
use super::{Alert, Complaint, ComplaintState, Ctx, RemedyState, TimelineEvent, required_text};
use crate::error::DomainError;
use crate::ids::{ApprovalId, RemedyId, UserId};
use crate::model::{Actor, Money, RemedyKind, Role};
use crate::rules::Rules;
use crate::sla::ClockKind;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ApprovalState {
    Pending,
    Approved,
    Rejected,
    /// The remedy was revised before anybody decided; a new request replaced it.
    Superseded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Approval {
    pub id: ApprovalId,
    pub remedy_id: RemedyId,
    /// The remedy revision this request is for.
    pub remedy_revision: u32,
    pub kind: RemedyKind,
    /// Base plus tier extra.
    pub amount: Money,
    pub requested_by: UserId,
    pub requested_at: Timestamp,
    /// The lowest role whose limit covers the amount; anyone whose own limit
    /// covers it may decide.
    pub required_role: Role,
    pub state: ApprovalState,
    /// Set once, by the approve or reject decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_at: Option<Timestamp>,
}

impl Complaint {
    /// Opens an approval request for the current revision of a remedy and
    /// starts its clock.
    pub(super) fn request_approval(
        &mut self,
        cx: &mut Ctx<'_>,
        index: usize,
        required_role: Role,
    ) -> Result<(), DomainError> {
        let remedy = &self.remedies[index];
        let id = approval_id(remedy.id, remedy.revision);
        if self.approval(id).is_some() {
            // Ids derive from (remedy, revision), which never repeat.
            return Err(DomainError::invalid(
                "remedy_id",
                "an approval for this revision exists",
            ));
        }
        let approval = Approval {
            id,
            remedy_id: remedy.id,
            remedy_revision: remedy.revision,
            kind: remedy.kind,
            amount: remedy.total(),
            requested_by: cx.actor.user.clone(),
            requested_at: cx.now,
            required_role,
            state: ApprovalState::Pending,
            decided_by: None,
            decided_at: None,
            reason: None,
            superseded_at: None,
        };
        let targets = cx.rules.sla.targets_for(&self.profile());
        let mut clock = start(
            approval_clock_id(id),
            ClockKind::Approval,
            &targets.approval,
            &targets.warn_at_permille,
            cx.now,
            cx.rules,
        )?;
        clock.approval = Some(id);
        self.log(
            cx,
            TimelineEvent::ApprovalRequested {
                approval: id,
                remedy: approval.remedy_id,
                revision: approval.remedy_revision,
            },
        );
        self.approvals.push(approval);
        self.clocks.push(clock);
        cx.alerts.push(Alert::ApprovalRequested {
            complaint: self.id,
            approval: id,
            required_role,
        });
        Ok(())
    }

    /// Marks the remedy's pending approval (if any) superseded and stops its clock.
    pub(super) fn supersede_pending(
        &mut self,
        cx: &Ctx<'_>,
        remedy: RemedyId,
    ) -> Result<(), DomainError> {
        let pending: Vec<ApprovalId> = self
            .pending_approvals()
            .filter(|a| a.remedy_id == remedy)
            .map(|a| a.id)
            .collect();
        for id in pending {
            if let Some(a) = self.approvals.iter_mut().find(|a| a.id == id) {
                a.state = ApprovalState::Superseded;
                a.superseded_at = Some(cx.now);
            }
            self.stop_clock(cx, approval_clock_id(id))?;
            self.log(cx, TimelineEvent::ApprovalSuperseded { approval: id });
        }
        Ok(())
    }

    /// May `actor` decide `approval` at all (state and revision aside)? Four
    /// eyes: neither the requester of this revision nor the remedy's proposer
    /// may decide, and the amount must be within the actor's approve limit.
    /// The approval queue asks this to explain a disabled button.
    pub fn check_decider(
        &self,
        approval: &Approval,
        actor: &Actor,
        rules: &Rules,
    ) -> Result<(), DomainError> {
        let proposer = self.remedy(approval.remedy_id).map(|r| &r.proposed_by);
        if proposer == Some(&actor.user) {
            return Err(DomainError::SelfApprovalForbidden);
        }
        rules.authority.check_approver(
            actor,
            &approval.requested_by,
            approval.kind,
            approval.amount.amount_minor,
        )
    }

    pub(super) fn decide_approval(
        &mut self,
        cx: &mut Ctx<'_>,
        id: ApprovalId,
        remedy_revision: u32,
        approve: bool,
        reason: &str,
    ) -> Result<(), DomainError> {
        let Some(index) = self.approvals.iter().position(|a| a.id == id) else {
            return Err(DomainError::NotFound {
                entity: "approval",
                id: id.to_string(),
            });
        };
        let approval = &self.approvals[index];
        let remedy_index = self.remedy_index(approval.remedy_id)?;
        let current_revision = self.remedies[remedy_index].revision;
        match approval.state {
            ApprovalState::Pending => {}
            ApprovalState::Superseded => {
                return Err(DomainError::RemedyChangedSinceViewed {
                    expected: remedy_revision,
                    actual: current_revision,
                });
            }
            ApprovalState::Approved | ApprovalState::Rejected => {
                return Err(DomainError::ApprovalAlreadyDecided {
                    decided_by: approval
                        .decided_by
                        .clone()
                        .unwrap_or_else(|| UserId::new("")),
                    approved: approval.state == ApprovalState::Approved,
                });
            }
        }
        if remedy_revision != current_revision || approval.remedy_revision != current_revision {
            return Err(DomainError::RemedyChangedSinceViewed {
                expected: remedy_revision,
                actual: current_revision,
            });
        }
        if self.state != ComplaintState::AwaitingApproval {
            return Err(self.refuse(cx));
        }
        self.check_decider(approval, cx.actor, cx.rules)?;
        if !approve {
            required_text("reason", reason)?;
        }
        let requested_by = approval.requested_by.clone();
        let approval = &mut self.approvals[index];
        approval.state = if approve {
            ApprovalState::Approved
        } else {
            ApprovalState::Rejected
        };
        approval.decided_by = Some(cx.actor.user.clone());
        approval.decided_at = Some(cx.now);
        approval.reason = Some(reason.to_owned());
        let remedy = &mut self.remedies[remedy_index];
        if approve {
            remedy.state = RemedyState::Approved;
            remedy.approved_by = Some(cx.actor.user.clone());
        } else {
            remedy.state = RemedyState::Rejected;
        }
        self.stop_clock(cx, approval_clock_id(id))?;
        self.log(
            cx,
            TimelineEvent::ApprovalDecided {
                approval: id,
                approved: approve,
                reason: reason.to_owned(),
            },
        );
        cx.alerts.push(Alert::ApprovalDecided {
            complaint: self.id,
            approval: id,
            approved: approve,
            requested_by,
        });
        self.settle_remedy_state();
        Ok(())
    }
}
