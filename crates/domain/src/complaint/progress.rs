//! Progress updates (進度反饋). An update the customer was told about stops the
//! first-response clock and starts a new cycle of the progress-update clock;
//! internal notes change no clock.

use super::{Complaint, Ctx, TimelineEvent, required_text};
use crate::error::DomainError;
use crate::ids::{UpdateId, UserId};
use crate::sla::ClockKind;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProgressUpdate {
    pub id: UpdateId,
    pub at: Timestamp,
    pub by: UserId,
    pub text: String,
    /// The customer was told (counts for the first-response and progress clocks).
    pub customer_informed: bool,
}

impl Complaint {
    pub(super) fn add_progress(
        &mut self,
        cx: &Ctx<'_>,
        id: UpdateId,
        text: &str,
        customer_informed: bool,
    ) -> Result<(), DomainError> {
        required_text("text", text)?;
        if self.progress.len() >= super::MAX_PROGRESS_UPDATES {
            return Err(DomainError::ComplaintLimitReached {
                what: "progress updates",
                limit: super::MAX_PROGRESS_UPDATES,
            });
        }
        if self.progress.iter().any(|p| p.id == id) {
            return Err(DomainError::invalid(
                "update_id",
                "already used on this complaint",
            ));
        }
        if customer_informed {
            self.stop_kind(cx, ClockKind::FirstResponse)?;
            if self
                .clock(ClockKind::ProgressUpdate)
                .is_some_and(|c| c.is_running())
            {
                let targets = cx.rules.sla.targets_for(&self.profile());
                self.restart_kind(
                    cx,
                    ClockKind::ProgressUpdate,
                    &targets.progress_cadence,
                    &targets.warn_at_permille,
                )?;
            }
        }
        self.progress.push(ProgressUpdate {
            id,
            at: cx.now,
            by: cx.actor.user.clone(),
            text: text.to_owned(),
            customer_informed,
        });
        self.log(
            cx,
            TimelineEvent::ProgressAdded {
                update: id,
                customer_informed,
            },
        );
        Ok(())
    }
}
