//! Authority limits and approval routing.
//!
//! Each role has, per remedy type, two amounts: what it may *grant* on its own
//! (a remedy within the proposer's grant limit is approved automatically and
//! recorded as such) and what it may *approve* for somebody else. A remedy above
//! the proposer's grant limit goes to the lowest role on the ladder
//! agent < supervisor < manager < admin whose approve limit covers it; anyone
//! whose own approve limit covers it may decide, except the proposer.
//!
//! The grant limit is cumulative: what one proposer granted without approval
//! on one complaint in one handling round counts against it, so twenty small
//! remedies cannot add up to more than the proposer could grant in one (see
//! [`AuthorityMatrix::route_after`]).

use crate::error::DomainError;
use crate::ids::UserId;
use crate::model::{Actor, Currency, RemedyKind, Role};
use serde::{Deserialize, Serialize};

/// Limits for one role, for one remedy type or (when `kind` is `None`) for all
/// types without a more specific rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuthorityRule {
    pub role: Role,
    #[serde(default)]
    pub kind: Option<RemedyKind>,
    /// May grant up to this amount (minor units) without approval.
    pub grant_minor: i64,
    /// May approve others' requests up to this amount (minor units).
    pub approve_minor: i64,
}

/// The admin-owned authority matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuthorityMatrix {
    /// Limits are in this currency; remedies in another currency are refused.
    pub currency: Currency,
    pub rules: Vec<AuthorityRule>,
}

/// Where a proposed remedy goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case", tag = "route")]
pub enum Routing {
    /// Within the proposer's own authority.
    AutoApproved,
    /// Needs a decision from this role or anyone whose limit covers the amount.
    NeedsApproval { required_role: Role },
}

impl Default for AuthorityMatrix {
    /// Defaults in CNY: agents grant up to ¥50, supervisors grant and approve
    /// up to ¥500, managers up to ¥5,000, admins approve up to ¥50,000.
    fn default() -> Self {
        let rule = |role, grant_minor, approve_minor| AuthorityRule {
            role,
            kind: None,
            grant_minor,
            approve_minor,
        };
        AuthorityMatrix {
            currency: Currency::new("CNY"),
            rules: vec![
                rule(Role::Agent, 5_000, 0),
                rule(Role::Supervisor, 50_000, 50_000),
                rule(Role::Manager, 500_000, 500_000),
                rule(Role::Admin, 500_000, 5_000_000),
            ],
        }
    }
}

/// What the "who must approve this?" check answers for a remedy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RouteExplanation {
    /// Where the remedy goes; `None` when no role may approve the amount.
    pub routing: Option<Routing>,
    /// What the proposer's role may grant alone for this type.
    pub grant_limit_minor: i64,
    /// Every role that may decide it, lowest first (empty when none may).
    pub deciding_roles: Vec<Role>,
    /// The highest approve limit of any role for this type.
    pub highest_limit_minor: i64,
}

impl AuthorityMatrix {
    /// Whether this is the built-in matrix (left out of a rules document).
    pub fn is_default(&self) -> bool {
        *self == AuthorityMatrix::default()
    }

    /// Refuses negative amounts, a currency that is not three capital
    /// letters, and two rules for the same role and remedy type.
    pub fn check(&self) -> Result<(), DomainError> {
        let mut problems = Vec::new();
        let code = &self.currency.0;
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            problems.push(crate::error::FieldError {
                field: "authority.currency".to_owned(),
                message: format!("{code:?} is not a currency code such as CNY"),
            });
        }
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.grant_minor < 0 || rule.approve_minor < 0 {
                problems.push(crate::error::FieldError {
                    field: format!("authority.rules[{i}]"),
                    message: "limits are not negative".to_owned(),
                });
            }
            if self.rules[..i]
                .iter()
                .any(|r| r.role == rule.role && r.kind == rule.kind)
            {
                problems.push(crate::error::FieldError {
                    field: format!("authority.rules[{i}]"),
                    message: "another rule has the same role and remedy type".to_owned(),
                });
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(DomainError::ValidationFailed(problems))
        }
    }

    /// Where a remedy of `kind` and `amount_minor`, proposed by someone in
    /// `proposer` (without a personal limit, nothing granted before), goes,
    /// and who may decide it: the same routing a proposal gets.
    pub fn explain(&self, proposer: Role, kind: RemedyKind, amount_minor: i64) -> RouteExplanation {
        let actor = Actor {
            user: UserId::new("proposer"),
            role: proposer,
            approval_limit_minor: None,
        };
        RouteExplanation {
            routing: self.route(&actor, kind, amount_minor).ok(),
            grant_limit_minor: self.grant_limit(proposer, kind),
            deciding_roles: self.deciding_roles(kind, amount_minor),
            highest_limit_minor: Role::LADDER
                .into_iter()
                .map(|r| self.approve_limit(r, kind))
                .max()
                .unwrap_or(0),
        }
    }

    fn rule(&self, role: Role, kind: RemedyKind) -> Option<&AuthorityRule> {
        self.rules
            .iter()
            .find(|r| r.role == role && r.kind == Some(kind))
            .or_else(|| {
                self.rules
                    .iter()
                    .find(|r| r.role == role && r.kind.is_none())
            })
    }

    /// What `role` may grant alone for `kind`.
    pub fn grant_limit(&self, role: Role, kind: RemedyKind) -> i64 {
        self.rule(role, kind).map_or(0, |r| r.grant_minor)
    }

    /// What `role` may approve for `kind`.
    pub fn approve_limit(&self, role: Role, kind: RemedyKind) -> i64 {
        self.rule(role, kind).map_or(0, |r| r.approve_minor)
    }

    /// What this actor may approve: a per-user limit overrides the role's.
    pub fn actor_approve_limit(&self, actor: &Actor, kind: RemedyKind) -> i64 {
        actor
            .approval_limit_minor
            .unwrap_or_else(|| self.approve_limit(actor.role, kind))
    }

    /// Routes a remedy of `amount_minor` proposed by `proposer`, who has
    /// granted nothing else on its own yet.
    pub fn route(
        &self,
        proposer: &Actor,
        kind: RemedyKind,
        amount_minor: i64,
    ) -> Result<Routing, DomainError> {
        self.route_after(proposer, kind, amount_minor, 0)
    }

    /// Routes a remedy of `amount_minor` proposed by `proposer`, who already
    /// granted `granted_minor` without approval on the same complaint in the
    /// same handling round (remedies of any kind). It is approved
    /// automatically only when the sum stays within the proposer's grant
    /// limit for `kind`; otherwise it goes to the role whose approve limit
    /// covers the remedy's own amount.
    pub fn route_after(
        &self,
        proposer: &Actor,
        kind: RemedyKind,
        amount_minor: i64,
        granted_minor: i64,
    ) -> Result<Routing, DomainError> {
        // Nothing granted adds nothing: an apology is never held up.
        let cumulative = if amount_minor > 0 {
            amount_minor.saturating_add(granted_minor.max(0))
        } else {
            amount_minor
        };
        if cumulative <= self.grant_limit(proposer.role, kind) {
            return Ok(Routing::AutoApproved);
        }
        Role::LADDER
            .into_iter()
            .find(|role| self.approve_limit(*role, kind) >= amount_minor)
            .map(|required_role| Routing::NeedsApproval { required_role })
            .ok_or_else(|| DomainError::AuthorityLimitExceeded {
                amount_minor,
                limit_minor: Role::LADDER
                    .into_iter()
                    .map(|r| self.approve_limit(r, kind))
                    .max()
                    .unwrap_or(0),
            })
    }

    /// The roles whose approve limit covers `amount_minor` for `kind`, lowest
    /// first: who can decide such a request (besides users with a personal
    /// limit that covers it). The approval queue names them for requests the
    /// current user cannot decide.
    pub fn deciding_roles(&self, kind: RemedyKind, amount_minor: i64) -> Vec<Role> {
        Role::LADDER
            .into_iter()
            .filter(|role| self.approve_limit(*role, kind) >= amount_minor)
            .collect()
    }

    /// May `approver` decide a request of `amount_minor` made by `proposer`?
    pub fn check_approver(
        &self,
        approver: &Actor,
        proposer: &UserId,
        kind: RemedyKind,
        amount_minor: i64,
    ) -> Result<(), DomainError> {
        if &approver.user == proposer {
            return Err(DomainError::SelfApprovalForbidden);
        }
        let limit = self.actor_approve_limit(approver, kind);
        if amount_minor > limit {
            return Err(DomainError::AuthorityLimitExceeded {
                amount_minor,
                limit_minor: limit,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_explains_the_route_a_proposal_takes() {
        let mut m = AuthorityMatrix::default();
        // Refunds of vouchers: supervisors may approve up to ¥2,000.
        m.rules.push(AuthorityRule {
            role: Role::Supervisor,
            kind: Some(RemedyKind::Voucher),
            grant_minor: 50_000,
            approve_minor: 200_000,
        });
        m.check().expect("a valid matrix");
        let e = m.explain(Role::Agent, RemedyKind::Voucher, 150_000);
        assert_eq!(
            e.routing,
            Some(Routing::NeedsApproval {
                required_role: Role::Supervisor
            })
        );
        assert_eq!(e.grant_limit_minor, 5_000);
        assert_eq!(
            e.deciding_roles,
            [Role::Supervisor, Role::Manager, Role::Admin]
        );
        // The same amount as a refund goes to a manager.
        let e = m.explain(Role::Agent, RemedyKind::Refund, 150_000);
        assert_eq!(
            e.routing,
            Some(Routing::NeedsApproval {
                required_role: Role::Manager
            })
        );
        assert_eq!(e.deciding_roles, [Role::Manager, Role::Admin]);
        // Within the proposer's own grant limit: approved on the spot.
        let e = m.explain(Role::Supervisor, RemedyKind::Refund, 30_000);
        assert_eq!(e.routing, Some(Routing::AutoApproved));
        // Beyond every limit: nobody.
        let e = m.explain(Role::Agent, RemedyKind::Refund, 9_000_000);
        assert_eq!(e.routing, None);
        assert!(e.deciding_roles.is_empty());
        assert_eq!(e.highest_limit_minor, 5_000_000);

        // The proposal itself routes the same way.
        let agent = Actor::new("li", Role::Agent);
        assert_eq!(
            m.route(&agent, RemedyKind::Voucher, 150_000)
                .expect("routes"),
            m.explain(Role::Agent, RemedyKind::Voucher, 150_000)
                .routing
                .expect("a route")
        );
    }

    #[test]
    fn a_matrix_with_negative_or_repeated_rules_is_refused() {
        let mut m = AuthorityMatrix::default();
        m.rules[0].grant_minor = -1;
        m.rules.push(m.rules[1].clone());
        m.currency = Currency::new("yuan");
        let Err(DomainError::ValidationFailed(fields)) = m.check() else {
            panic!("refused");
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            names,
            [
                "authority.currency",
                "authority.rules[0]",
                "authority.rules[4]"
            ]
        );
    }

    #[test]
    fn deciding_roles_are_those_whose_approve_limit_covers_the_amount() {
        let m = AuthorityMatrix::default();
        let kind = RemedyKind::Refund;
        let cases = [
            (1, vec![Role::Supervisor, Role::Manager, Role::Admin]),
            (50_000, vec![Role::Supervisor, Role::Manager, Role::Admin]),
            (50_001, vec![Role::Manager, Role::Admin]),
            (500_001, vec![Role::Admin]),
            (5_000_001, vec![]),
        ];
        for (amount, roles) in cases {
            assert_eq!(m.deciding_roles(kind, amount), roles, "{amount}");
            for role in Role::LADDER {
                let actor = Actor::new("x", role);
                let may = m
                    .check_approver(&actor, &UserId::new("p"), kind, amount)
                    .is_ok();
                assert_eq!(may, roles.contains(&role), "{amount} {role:?}");
            }
        }
    }

    #[test]
    fn routes_to_the_lowest_role_that_can_approve() {
        let m = AuthorityMatrix::default();
        let agent = Actor::new("li", Role::Agent);
        let cases = [
            (0, Routing::AutoApproved),
            (5_000, Routing::AutoApproved),
            (
                5_001,
                Routing::NeedsApproval {
                    required_role: Role::Supervisor,
                },
            ),
            (
                50_000,
                Routing::NeedsApproval {
                    required_role: Role::Supervisor,
                },
            ),
            (
                50_001,
                Routing::NeedsApproval {
                    required_role: Role::Manager,
                },
            ),
            (
                500_001,
                Routing::NeedsApproval {
                    required_role: Role::Admin,
                },
            ),
        ];
        for (amount, want) in cases {
            assert_eq!(
                m.route(&agent, RemedyKind::FeeWaiver, amount),
                Ok(want),
                "{amount}"
            );
        }
        assert_eq!(
            m.route(&agent, RemedyKind::Refund, 5_000_001)
                .map_err(|e| e.code()),
            Err(crate::ErrorCode::AuthorityLimitExceeded)
        );
        let sup = Actor::new("zhang", Role::Supervisor);
        assert_eq!(
            m.route(&sup, RemedyKind::Refund, 30_000),
            Ok(Routing::AutoApproved)
        );
    }

    #[test]
    fn what_was_granted_before_counts_against_the_grant_limit() {
        let m = AuthorityMatrix::default();
        let agent = Actor::new("li", Role::Agent);
        let route = |amount, granted| m.route_after(&agent, RemedyKind::Refund, amount, granted);
        assert_eq!(route(1_000, 4_000), Ok(Routing::AutoApproved));
        assert_eq!(
            route(1_000, 4_001),
            Ok(Routing::NeedsApproval {
                required_role: Role::Supervisor
            })
        );
        // Routing past the grant limit still follows the remedy's own amount.
        assert_eq!(
            route(60_000, 5_000),
            Ok(Routing::NeedsApproval {
                required_role: Role::Manager
            })
        );
        assert_eq!(route(0, i64::MAX), Ok(Routing::AutoApproved));
    }

    #[test]
    fn per_kind_rules_override_the_role_default() {
        let mut m = AuthorityMatrix::default();
        m.rules.insert(
            0,
            AuthorityRule {
                role: Role::Agent,
                kind: Some(RemedyKind::Voucher),
                grant_minor: 20_000,
                approve_minor: 0,
            },
        );
        let agent = Actor::new("li", Role::Agent);
        assert_eq!(
            m.route(&agent, RemedyKind::Voucher, 20_000),
            Ok(Routing::AutoApproved)
        );
        assert_eq!(
            m.route(&agent, RemedyKind::Refund, 20_000),
            Ok(Routing::NeedsApproval {
                required_role: Role::Supervisor
            })
        );
    }

    #[test]
    fn approver_checks_self_and_limit_with_user_override() {
        let m = AuthorityMatrix::default();
        let proposer = UserId::new("li");
        let mut wang = Actor::new("wang", Role::Supervisor);
        assert_eq!(
            m.check_approver(&wang, &proposer, RemedyKind::Refund, 50_000),
            Ok(())
        );
        assert_eq!(
            m.check_approver(&wang, &proposer, RemedyKind::Refund, 50_001)
                .map_err(|e| e.code()),
            Err(crate::ErrorCode::AuthorityLimitExceeded)
        );
        wang.approval_limit_minor = Some(100_000);
        assert_eq!(
            m.check_approver(&wang, &proposer, RemedyKind::Refund, 80_000),
            Ok(())
        );
        let li = Actor::new("li", Role::Manager);
        assert_eq!(
            m.check_approver(&li, &proposer, RemedyKind::Refund, 1)
                .map_err(|e| e.code()),
            Err(crate::ErrorCode::SelfApprovalForbidden)
        );
    }
}
