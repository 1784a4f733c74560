//! Remedies (處理方案): propose, revise, mark implemented, and the state the
//! complaint takes from its remedies.
//!
//! A remedy within the proposer's own grant limit is approved at once
//! ("auto-approved", recorded as approved by the proposer); anything more asks
//! for an approval routed by the authority matrix (see `approval.rs`). The
//! limit is cumulative: what the proposer already granted alone on this
//! complaint in this handling round counts against it.

use super::{Complaint, ComplaintState, Ctx, Tier, TimelineEvent, required_text};
use crate::authority::Routing;
use crate::error::DomainError;
use crate::ids::{RemedyId, UserId};
use crate::model::{Money, RemedyKind};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum RemedyState {
    /// Waiting for an approval decision.
    PendingApproval,
    /// Approved (by an approver, or within the proposer's own authority).
    Approved,
    /// Rejected; it may be revised and submitted again.
    Rejected,
    /// Carried out.
    Implemented,
}

impl RemedyState {
    pub fn as_str(self) -> &'static str {
        match self {
            RemedyState::PendingApproval => "pending_approval",
            RemedyState::Approved => "approved",
            RemedyState::Rejected => "rejected",
            RemedyState::Implemented => "implemented",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Remedy {
    pub id: RemedyId,
    pub kind: RemedyKind,
    /// The base amount.
    pub amount: Money,
    /// The extra of a tiered remedy, granted if the customer accepts its condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    pub note: String,
    /// 1 when proposed; every revision adds one.
    pub revision: u32,
    /// The handling round (the complaint's `reopen_count`) it was proposed or
    /// last revised in; only the current round's remedies decide the state.
    pub round: u32,
    pub state: RemedyState,
    pub proposed_by: UserId,
    pub proposed_at: Timestamp,
    /// Who approved the current revision: the proposer or reviser when it was
    /// within their own authority (`auto_approved`), the approver otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<UserId>,
    #[serde(default)]
    pub auto_approved: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implemented_by: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implemented_at: Option<Timestamp>,
}

impl Remedy {
    /// Base plus tier extra: what an approval has to cover.
    pub fn total_minor(&self) -> i64 {
        self.amount
            .amount_minor
            .saturating_add(self.tier.as_ref().map_or(0, |t| t.extra_minor))
    }

    /// The total as money in the remedy's currency.
    pub fn total(&self) -> Money {
        Money {
            amount_minor: self.total_minor(),
            currency: self.amount.currency.clone(),
        }
    }
}

/// Checks an amount and a tier; returns the total.
fn checked_total(
    kind: RemedyKind,
    base_minor: i64,
    tier: Option<&Tier>,
) -> Result<i64, DomainError> {
    if base_minor < 0 {
        return Err(DomainError::invalid("amount", "must not be negative"));
    }
    if kind == RemedyKind::ApologyOnly && base_minor != 0 {
        return Err(DomainError::invalid(
            "amount",
            "an apology carries no amount",
        ));
    }
    let Some(tier) = tier else {
        return Ok(base_minor);
    };
    if tier.extra_minor <= 0 {
        return Err(DomainError::invalid("tier.extra_minor", "must be positive"));
    }
    if tier.extra_kind == RemedyKind::ApologyOnly {
        return Err(DomainError::invalid(
            "tier.extra_kind",
            "an apology carries no amount",
        ));
    }
    required_text("tier.condition", &tier.condition)?;
    base_minor
        .checked_add(tier.extra_minor)
        .ok_or_else(|| DomainError::invalid("tier.extra_minor", "too large"))
}

impl Complaint {
    pub(super) fn propose_remedy(
        &mut self,
        cx: &mut Ctx<'_>,
        id: RemedyId,
        kind: RemedyKind,
        amount: &Money,
        tier: Option<&Tier>,
        note: &str,
    ) -> Result<(), DomainError> {
        if !self.state.accepts_remedies() {
            return Err(self.refuse(cx));
        }
        if self.remedy(id).is_some() {
            return Err(DomainError::invalid(
                "remedy_id",
                "already used on this complaint",
            ));
        }
        if amount.currency != cx.rules.authority.currency {
            return Err(DomainError::invalid(
                "amount.currency",
                format!("remedies are in {}", cx.rules.authority.currency.0),
            ));
        }
        let total = checked_total(kind, amount.amount_minor, tier)?;
        let granted = self.granted_alone_by(&cx.actor.user, None);
        let routing = cx
            .rules
            .authority
            .route_after(cx.actor, kind, total, granted)?;
        self.remedies.push(Remedy {
            id,
            kind,
            amount: amount.clone(),
            tier: tier.cloned(),
            note: note.to_owned(),
            revision: 1,
            round: self.reopen_count,
            state: RemedyState::PendingApproval,
            proposed_by: cx.actor.user.clone(),
            proposed_at: cx.now,
            approved_by: None,
            auto_approved: false,
            implemented_by: None,
            implemented_at: None,
        });
        self.log(
            cx,
            TimelineEvent::RemedyProposed {
                remedy: id,
                kind,
                total_minor: total,
                routing,
            },
        );
        self.route_remedy(cx, self.remedies.len() - 1, routing)?;
        self.settle_remedy_state();
        Ok(())
    }

    pub(super) fn revise_remedy(
        &mut self,
        cx: &mut Ctx<'_>,
        id: RemedyId,
        expected_revision: u32,
        amount_minor: i64,
        note: &str,
    ) -> Result<(), DomainError> {
        if !self.state.accepts_remedies() {
            return Err(self.refuse(cx));
        }
        let index = self.remedy_index(id)?;
        let remedy = &self.remedies[index];
        if remedy.revision != expected_revision {
            return Err(DomainError::RemedyChangedSinceViewed {
                expected: expected_revision,
                actual: remedy.revision,
            });
        }
        if !matches!(
            remedy.state,
            RemedyState::PendingApproval | RemedyState::Rejected
        ) {
            return Err(DomainError::InvalidTransition {
                from: remedy.state.as_str(),
                action: cx.action,
            });
        }
        let total = checked_total(remedy.kind, amount_minor, remedy.tier.as_ref())?;
        let granted = self.granted_alone_by(&cx.actor.user, Some(id));
        let routing = cx
            .rules
            .authority
            .route_after(cx.actor, remedy.kind, total, granted)?;
        self.supersede_pending(cx, id)?;
        let round = self.reopen_count;
        let remedy = &mut self.remedies[index];
        remedy.amount.amount_minor = amount_minor;
        remedy.revision = remedy.revision.saturating_add(1);
        remedy.round = round;
        remedy.state = RemedyState::PendingApproval;
        remedy.approved_by = None;
        remedy.auto_approved = false;
        let revision = remedy.revision;
        self.log(
            cx,
            TimelineEvent::RemedyRevised {
                remedy: id,
                revision,
                total_minor: total,
                routing,
                note: note.to_owned(),
            },
        );
        self.route_remedy(cx, index, routing)?;
        self.settle_remedy_state();
        Ok(())
    }

    pub(super) fn mark_implemented(
        &mut self,
        cx: &Ctx<'_>,
        id: RemedyId,
        note: &str,
    ) -> Result<(), DomainError> {
        if !matches!(
            self.state,
            ComplaintState::RemedyAgreed | ComplaintState::AwaitingApproval
        ) {
            return Err(self.refuse(cx));
        }
        let index = self.remedy_index(id)?;
        let remedy = &mut self.remedies[index];
        if remedy.state != RemedyState::Approved {
            return Err(DomainError::InvalidTransition {
                from: remedy.state.as_str(),
                action: cx.action,
            });
        }
        remedy.state = RemedyState::Implemented;
        remedy.implemented_by = Some(cx.actor.user.clone());
        remedy.implemented_at = Some(cx.now);
        self.log(
            cx,
            TimelineEvent::RemedyImplemented {
                remedy: id,
                note: note.to_owned(),
            },
        );
        self.settle_remedy_state();
        Ok(())
    }

    /// Approves a remedy within the actor's own authority, or asks for approval.
    fn route_remedy(
        &mut self,
        cx: &mut Ctx<'_>,
        index: usize,
        routing: Routing,
    ) -> Result<(), DomainError> {
        match routing {
            Routing::AutoApproved => {
                let remedy = &mut self.remedies[index];
                remedy.state = RemedyState::Approved;
                remedy.approved_by = Some(cx.actor.user.clone());
                remedy.auto_approved = true;
                Ok(())
            }
            Routing::NeedsApproval { required_role } => {
                self.request_approval(cx, index, required_role)
            }
        }
    }

    /// What `user` granted within their own authority (auto-approved
    /// remedies, carried out or not) on this complaint in the current
    /// handling round, base plus tier, leaving out `except`.
    pub fn granted_alone_by(&self, user: &UserId, except: Option<RemedyId>) -> i64 {
        let round = self.reopen_count;
        self.remedies
            .iter()
            .filter(|r| {
                r.round == round
                    && r.auto_approved
                    && r.approved_by.as_ref() == Some(user)
                    && matches!(r.state, RemedyState::Approved | RemedyState::Implemented)
                    && Some(r.id) != except
            })
            .fold(0i64, |sum, r| sum.saturating_add(r.total_minor()))
    }

    pub(super) fn remedy_index(&self, id: RemedyId) -> Result<usize, DomainError> {
        self.remedies
            .iter()
            .position(|r| r.id == id)
            .ok_or_else(|| DomainError::NotFound {
                entity: "remedy",
                id: id.to_string(),
            })
    }

    /// While remedies are being agreed, the state follows the current round's
    /// remedies: anything pending → `awaiting_approval`; else anything approved
    /// and not yet carried out → `remedy_agreed`; else anything carried out →
    /// `implemented`; else (nothing, or all rejected) → `analysed`.
    pub(super) fn settle_remedy_state(&mut self) {
        if !self.state.accepts_remedies() {
            return;
        }
        let round = self.reopen_count;
        let has = |state: RemedyState| {
            self.remedies
                .iter()
                .any(|r| r.round == round && r.state == state)
        };
        self.state = if has(RemedyState::PendingApproval) {
            ComplaintState::AwaitingApproval
        } else if has(RemedyState::Approved) {
            ComplaintState::RemedyAgreed
        } else if has(RemedyState::Implemented) {
            ComplaintState::Implemented
        } else {
            ComplaintState::Analysed
        };
    }
}
