//! Vocabulary shared by every part of the rulebook: channels, kinds, severities,
//! roles, money. Wire names are snake_case and stable: they are stored in
//! SQLite, sent over HTTP and mapped to i18n keys in the UI.

use crate::ids::{CategoryCode, UserId};
use serde::{Deserialize, Serialize};

/// How the complaint reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Phone,
    OnlineChat,
    App,
    Email,
    SocialMedia,
    Letter,
    WalkIn,
}

impl Channel {
    pub const ALL: [Channel; 7] = [
        Channel::Phone,
        Channel::OnlineChat,
        Channel::App,
        Channel::Email,
        Channel::SocialMedia,
        Channel::Letter,
        Channel::WalkIn,
    ];

    /// The wire name (`online_chat`), as catalogs and filters write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::OnlineChat => "online_chat",
            Channel::App => "app",
            Channel::Email => "email",
            Channel::SocialMedia => "social_media",
            Channel::Letter => "letter",
            Channel::WalkIn => "walk_in",
        }
    }
}

/// What the complaint is against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Product,
    Order,
    BusinessLine,
    Agent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub kind: SubjectKind,
    /// Product name, order number, business line or agent id.
    pub reference: String,
}

/// The complainant. `phone` is stored normalised (see [`crate::phone`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Customer {
    pub name: String,
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
}

/// How to respond (domain.md, "Kinds of complaint").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ComplaintKind {
    /// 情緒主導型: respect first, update every 30 minutes.
    EmotionDriven,
    /// 訴求主導型: a concrete plan with times.
    DemandDriven,
    /// 復合型: both.
    Compound,
}

/// What kind of outcome the customer wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DemandClass {
    /// 即時解決類: refund, exchange.
    ImmediateFix,
    /// 長期優化類.
    LongTermImprovement,
    /// 情感補償類: apology, courtesy.
    EmotionalCompensation,
}

/// Severity 1 (low) to 4 (critical). Higher is more urgent; "severity up" adds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, type = "number"))]
#[serde(try_from = "u8", into = "u8")]
pub struct Severity(u8);

impl Severity {
    pub const LOW: Severity = Severity(1);
    pub const MEDIUM: Severity = Severity(2);
    pub const HIGH: Severity = Severity(3);
    pub const CRITICAL: Severity = Severity(4);

    pub fn new(level: u8) -> Option<Severity> {
        (1..=4).contains(&level).then_some(Severity(level))
    }

    pub fn level(self) -> u8 {
        self.0
    }

    /// One step more urgent, saturating at critical.
    pub fn raised(self) -> Severity {
        Severity((self.0 + 1).min(4))
    }
}

impl TryFrom<u8> for Severity {
    type Error = String;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Severity::new(level).ok_or_else(|| format!("severity must be 1-4, got {level}"))
    }
}

impl From<Severity> for u8 {
    fn from(s: Severity) -> u8 {
        s.0
    }
}

/// Root-cause categories (分析原因).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum RootCause {
    Process,
    People,
    System,
    Management,
    KnowledgeBase,
    Product,
    CustomerMisunderstanding,
}

/// Why a complaint was judged not valid; it is still answered politely and closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum InvalidReason {
    Misunderstanding,
    OutsidePolicy,
    Duplicate,
    NotOurService,
    Other,
}

impl InvalidReason {
    pub const ALL: [InvalidReason; 5] = [
        InvalidReason::Misunderstanding,
        InvalidReason::OutsidePolicy,
        InvalidReason::Duplicate,
        InvalidReason::NotOurService,
        InvalidReason::Other,
    ];

    /// The wire name (`outside_policy`).
    pub fn as_str(self) -> &'static str {
        match self {
            InvalidReason::Misunderstanding => "misunderstanding",
            InvalidReason::OutsidePolicy => "outside_policy",
            InvalidReason::Duplicate => "duplicate",
            InvalidReason::NotOurService => "not_our_service",
            InvalidReason::Other => "other",
        }
    }
}

/// Remedy types (提出處理方案).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum RemedyKind {
    Refund,
    Replacement,
    Repair,
    Discount,
    CompensationPayment,
    FeeWaiver,
    Voucher,
    ServiceUpgrade,
    ApologyOnly,
}

impl RemedyKind {
    pub const ALL: [RemedyKind; 9] = [
        RemedyKind::Refund,
        RemedyKind::Replacement,
        RemedyKind::Repair,
        RemedyKind::Discount,
        RemedyKind::CompensationPayment,
        RemedyKind::FeeWaiver,
        RemedyKind::Voucher,
        RemedyKind::ServiceUpgrade,
        RemedyKind::ApologyOnly,
    ];

    /// The wire name (`fee_waiver`).
    pub fn as_str(self) -> &'static str {
        match self {
            RemedyKind::Refund => "refund",
            RemedyKind::Replacement => "replacement",
            RemedyKind::Repair => "repair",
            RemedyKind::Discount => "discount",
            RemedyKind::CompensationPayment => "compensation_payment",
            RemedyKind::FeeWaiver => "fee_waiver",
            RemedyKind::Voucher => "voucher",
            RemedyKind::ServiceUpgrade => "service_upgrade",
            RemedyKind::ApologyOnly => "apology_only",
        }
    }
}

/// ISO 4217 code, upper case, e.g. `CNY`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(transparent)]
pub struct Currency(pub String);

impl Currency {
    pub fn new(code: impl Into<String>) -> Currency {
        Currency(code.into())
    }
}

/// An amount in minor units (fen, cents) of a currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount_minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount_minor: i64, currency: impl Into<String>) -> Money {
        Money {
            amount_minor,
            currency: Currency::new(currency),
        }
    }
}

/// Console roles, in increasing authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Agent,
    Supervisor,
    Manager,
    Admin,
}

impl Role {
    /// Lowest to highest; approval routing walks this ladder.
    pub const LADDER: [Role; 4] = [Role::Agent, Role::Supervisor, Role::Manager, Role::Admin];

    /// The role's wire and stored name (`supervisor`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// The role of a wire or typed name.
    pub fn parse(name: &str) -> Option<Role> {
        Role::LADDER.into_iter().find(|r| r.as_str() == name)
    }
}

/// Who is acting. Roles and limits come from the server's policy, never from the
/// caller's say-so; `approval_limit_minor` overrides the role's approve limit for
/// this one user when set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Actor {
    pub user: UserId,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_limit_minor: Option<i64>,
}

impl Actor {
    pub fn new(user: impl Into<String>, role: Role) -> Actor {
        Actor {
            user: UserId::new(user),
            role,
            approval_limit_minor: None,
        }
    }
}

/// Outcome of one follow-up callback attempt (回訪).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum CallbackOutcome {
    /// Satisfied, with a score in [`CallbackOutcome::SATISFIED_SCORES`]
    /// (attempts recorded before that rule may hold 1 or 2).
    Satisfied { score: u8 },
    /// Not satisfied, with a score in [`CallbackOutcome::NOT_SATISFIED_SCORES`]
    /// and the customer's reason in the attempt's note: reopens the
    /// complaint. `None` only on attempts recorded before scores were asked.
    NotSatisfied {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        score: Option<u8>,
    },
    /// Nobody answered: retry later, up to the configured number of attempts.
    Unreachable,
}

impl CallbackOutcome {
    /// The scores a satisfied customer gives (5 best).
    pub const SATISFIED_SCORES: std::ops::RangeInclusive<u8> = 3..=5;
    /// The scores a customer who is not satisfied gives (1 worst).
    pub const NOT_SATISFIED_SCORES: std::ops::RangeInclusive<u8> = 1..=2;

    /// The satisfaction score, when one was given.
    pub fn score(&self) -> Option<u8> {
        match *self {
            CallbackOutcome::Satisfied { score } => Some(score),
            CallbackOutcome::NotSatisfied { score } => score,
            CallbackOutcome::Unreachable => None,
        }
    }

    /// Is this outcome complete enough to record now? A score in its
    /// outcome's range, and for "not satisfied" a reason (`note`).
    pub fn check(&self, note: &str) -> Result<(), crate::error::DomainError> {
        use crate::error::DomainError;
        match *self {
            CallbackOutcome::Satisfied { score } if !Self::SATISFIED_SCORES.contains(&score) => {
                Err(DomainError::invalid(
                    "score",
                    "a satisfied customer scores 3-5",
                ))
            }
            CallbackOutcome::NotSatisfied { score } => {
                if !score.is_some_and(|s| Self::NOT_SATISFIED_SCORES.contains(&s)) {
                    return Err(DomainError::invalid(
                        "score",
                        "a customer who is not satisfied scores 1-2",
                    ));
                }
                if note.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "note",
                        "say why the customer is not satisfied",
                    ));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// The satisfaction scale the callback dialogs offer, best first; the
/// domain's ranges, so the UI never keeps its own copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CallbackScale {
    pub satisfied: Vec<u8>,
    pub not_satisfied: Vec<u8>,
}

impl Default for CallbackScale {
    fn default() -> Self {
        CallbackScale {
            satisfied: CallbackOutcome::SATISFIED_SCORES.rev().collect(),
            not_satisfied: CallbackOutcome::NOT_SATISFIED_SCORES.rev().collect(),
        }
    }
}

/// Why an SLA clock is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum PauseReason {
    WaitingOnCustomer,
    WaitingOnThirdParty,
    Other,
}

impl PauseReason {
    pub const ALL: [PauseReason; 3] = [
        PauseReason::WaitingOnCustomer,
        PauseReason::WaitingOnThirdParty,
        PauseReason::Other,
    ];
}

/// The attributes SLA policies and repeat detection match on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Profile {
    pub kind: ComplaintKind,
    pub severity: Severity,
    pub channel: Channel,
    pub category: CategoryCode,
    pub public_exposure: bool,
}

#[cfg(test)]
mod wire_names {
    use super::*;

    /// `as_str` is the serde name, so catalogs, filters and the wire agree.
    #[test]
    fn wire_names_are_the_serde_names() {
        let serde_name = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        for c in Channel::ALL {
            assert_eq!(
                serde_name(serde_json::to_value(c).expect("json")),
                c.as_str()
            );
        }
        for k in RemedyKind::ALL {
            assert_eq!(
                serde_name(serde_json::to_value(k).expect("json")),
                k.as_str()
            );
        }
        for r in InvalidReason::ALL {
            assert_eq!(
                serde_name(serde_json::to_value(r).expect("json")),
                r.as_str()
            );
        }
        for r in Role::LADDER {
            assert_eq!(
                serde_name(serde_json::to_value(r).expect("json")),
                r.as_str()
            );
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
