//! The complaint's place in the closed loop (投訴處理閉環).

use serde::{Deserialize, Serialize};

/// Where a complaint stands. Wire names are snake_case and stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ComplaintState {
    /// 受理: recorded, validity not judged yet.
    Recorded,
    /// Judged valid; waiting for a responsible department.
    Validated,
    /// Judged not valid; waits to be answered politely and closed.
    Invalid,
    /// A department (and maybe an owner) is responsible.
    Assigned,
    /// The root cause is known; remedies may be proposed.
    Analysed,
    /// At least one remedy waits for a supervisor's or manager's decision.
    AwaitingApproval,
    /// Nothing is pending and at least one remedy is approved.
    RemedyAgreed,
    /// Every approved remedy has been carried out.
    Implemented,
    /// The customer was told the outcome; the follow-up callback is due.
    Resolved,
    /// The callback is done (satisfied, or the customer was unreachable).
    FollowedUp,
    /// Lessons and improvement actions are recorded.
    Reviewed,
    /// Closed; only `reopen` is accepted.
    Closed,
}

impl ComplaintState {
    pub const ALL: [ComplaintState; 12] = [
        ComplaintState::Recorded,
        ComplaintState::Validated,
        ComplaintState::Invalid,
        ComplaintState::Assigned,
        ComplaintState::Analysed,
        ComplaintState::AwaitingApproval,
        ComplaintState::RemedyAgreed,
        ComplaintState::Implemented,
        ComplaintState::Resolved,
        ComplaintState::FollowedUp,
        ComplaintState::Reviewed,
        ComplaintState::Closed,
    ];

    /// The stable snake_case name (the same as the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            ComplaintState::Recorded => "recorded",
            ComplaintState::Validated => "validated",
            ComplaintState::Invalid => "invalid",
            ComplaintState::Assigned => "assigned",
            ComplaintState::Analysed => "analysed",
            ComplaintState::AwaitingApproval => "awaiting_approval",
            ComplaintState::RemedyAgreed => "remedy_agreed",
            ComplaintState::Implemented => "implemented",
            ComplaintState::Resolved => "resolved",
            ComplaintState::FollowedUp => "followed_up",
            ComplaintState::Reviewed => "reviewed",
            ComplaintState::Closed => "closed",
        }
    }

    pub fn is_open(self) -> bool {
        self != ComplaintState::Closed
    }

    /// Open and past `validated`: reassignment and root-cause edits are allowed
    /// here without changing the state.
    pub fn is_in_handling(self) -> bool {
        !matches!(
            self,
            ComplaintState::Recorded
                | ComplaintState::Validated
                | ComplaintState::Invalid
                | ComplaintState::Closed
        )
    }

    /// States in which remedies may be proposed or revised.
    pub fn accepts_remedies(self) -> bool {
        matches!(
            self,
            ComplaintState::Analysed
                | ComplaintState::AwaitingApproval
                | ComplaintState::RemedyAgreed
        )
    }

    /// States a complaint may be reopened from.
    pub fn is_reopenable(self) -> bool {
        matches!(
            self,
            ComplaintState::Resolved
                | ComplaintState::FollowedUp
                | ComplaintState::Reviewed
                | ComplaintState::Closed
        )
    }
}

impl std::fmt::Display for ComplaintState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
