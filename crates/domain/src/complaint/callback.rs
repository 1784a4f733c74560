//! Follow-up callbacks (回訪), due within the callback policy's window after
//! resolution. Satisfied (score 3-5) ends the loop's follow-up; not satisfied
//! (score 1-2 and the customer's reason) reopens the complaint; unreachable
//! retries after a delay, and after the last allowed attempt is recorded as
//! the final outcome.

use super::{Alert, Complaint, ComplaintState, Ctx, TimelineEvent};
use crate::error::DomainError;
use crate::ids::{AttemptId, UserId};
use crate::model::CallbackOutcome;
use crate::sla::ClockKind;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// One callback round, started by a resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Callback {
    /// The complaint's `reopen_count` when it was resolved.
    pub round: u32,
    pub resolved_at: Timestamp,
    pub attempts: Vec<CallbackAttempt>,
    /// When to call (again); `None` once there is a final outcome.
    pub next_attempt_at: Option<Timestamp>,
    /// The final outcome of this round: satisfied, not satisfied, or
    /// unreachable after the last allowed attempt.
    pub outcome: Option<CallbackOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CallbackAttempt {
    pub id: AttemptId,
    pub at: Timestamp,
    pub by: UserId,
    pub outcome: CallbackOutcome,
    pub note: String,
}

impl Complaint {
    pub(super) fn record_callback(
        &mut self,
        cx: &mut Ctx<'_>,
        id: AttemptId,
        outcome: CallbackOutcome,
        note: &str,
    ) -> Result<(), DomainError> {
        if self.state != ComplaintState::Resolved {
            return Err(self.refuse(cx));
        }
        outcome.check(note)?;
        let reused = self.timeline.iter().any(|e| {
            matches!(&e.event, TimelineEvent::CallbackAttempted { attempt, .. } if *attempt == id)
        });
        if reused {
            return Err(DomainError::invalid(
                "attempt_id",
                "already used on this complaint",
            ));
        }
        let Some(callback) = self.callback.as_mut() else {
            return Err(self.refuse(cx));
        };
        callback.attempts.push(CallbackAttempt {
            id,
            at: cx.now,
            by: cx.actor.user.clone(),
            outcome,
            note: note.to_owned(),
        });
        let number = u32::try_from(callback.attempts.len()).unwrap_or(u32::MAX);
        let last_allowed = number >= cx.rules.callbacks.max_attempts.max(1);
        let final_outcome = match outcome {
            CallbackOutcome::Unreachable if !last_allowed => None,
            other => Some(other),
        };
        callback.outcome = final_outcome;
        callback.next_attempt_at = if final_outcome.is_some() {
            None
        } else {
            let delay = SignedDuration::from_secs(cx.rules.callbacks.retry_delay_secs.max(0));
            Some(cx.now.saturating_add(delay).unwrap_or(Timestamp::MAX))
        };
        let next_attempt_at = callback.next_attempt_at;
        self.log(
            cx,
            TimelineEvent::CallbackAttempted {
                attempt: id,
                number,
                outcome,
                note: note.to_owned(),
            },
        );
        match final_outcome {
            None => {
                if let Some(at) = next_attempt_at {
                    cx.alerts.push(Alert::CallbackScheduled {
                        complaint: self.id,
                        at,
                    });
                }
                Ok(())
            }
            Some(CallbackOutcome::NotSatisfied { .. }) => self.reopen_now(cx, note),
            Some(_) => {
                self.stop_kind(cx, ClockKind::Callback)?;
                self.state = ComplaintState::FollowedUp;
                Ok(())
            }
        }
    }
}
