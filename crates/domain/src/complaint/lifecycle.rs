//! The steps of the loop that need no sub-entity: judge, assign, root cause,
//! resolve, review, close, reopen.

use super::{
    Alert, Callback, Complaint, ComplaintState, Ctx, Review, RootCauseAnalysis, TimelineEvent,
    Validity, required_text,
};
use crate::catalog::CatalogKind;
use crate::error::DomainError;
use crate::ids::{DeptId, UserId};
use crate::model::{InvalidReason, Role, RootCause};
use crate::sla::ClockKind;

impl Complaint {
    pub(super) fn judge(
        &mut self,
        cx: &Ctx<'_>,
        valid: bool,
        reason: Option<InvalidReason>,
        note: &str,
    ) -> Result<(), DomainError> {
        if self.state != ComplaintState::Recorded {
            return Err(self.refuse(cx));
        }
        match (valid, reason) {
            (true, Some(_)) => {
                return Err(DomainError::invalid(
                    "reason",
                    "only a complaint judged not valid has a reason",
                ));
            }
            (false, None) => {
                return Err(DomainError::invalid(
                    "reason",
                    "required when the complaint is not valid",
                ));
            }
            _ => {}
        }
        self.validity = Some(Validity {
            valid,
            reason,
            note: note.to_owned(),
            judged_by: cx.actor.user.clone(),
            judged_at: cx.now,
        });
        self.state = if valid {
            ComplaintState::Validated
        } else {
            ComplaintState::Invalid
        };
        self.log(
            cx,
            TimelineEvent::Judged {
                valid,
                reason,
                note: note.to_owned(),
            },
        );
        Ok(())
    }

    pub(super) fn assign(
        &mut self,
        cx: &Ctx<'_>,
        department: &DeptId,
        owner: Option<&UserId>,
    ) -> Result<(), DomainError> {
        let next = match self.state {
            ComplaintState::Validated => ComplaintState::Assigned,
            s if s.is_in_handling() => s,
            _ => return Err(self.refuse(cx)),
        };
        required_text("department", department.as_str())?;
        // Keeping a department it already has is not a new pick.
        if self.department.as_ref() != Some(department) {
            cx.rules
                .catalogs
                .check_pick(CatalogKind::Department, department.as_str())?;
        }
        if let Some(owner) = owner {
            required_text("owner", owner.as_str())?;
        }
        let previous_department = self.department.replace(department.clone());
        let previous_owner = std::mem::replace(&mut self.owner, owner.cloned());
        self.state = next;
        self.log(
            cx,
            TimelineEvent::Assigned {
                department: department.clone(),
                owner: owner.cloned(),
                previous_department,
                previous_owner,
            },
        );
        Ok(())
    }

    pub(super) fn set_root_cause(
        &mut self,
        cx: &Ctx<'_>,
        categories: &[RootCause],
        note: &str,
    ) -> Result<(), DomainError> {
        let next = match self.state {
            ComplaintState::Assigned => ComplaintState::Analysed,
            s if s.is_in_handling() => s,
            _ => return Err(self.refuse(cx)),
        };
        if categories.is_empty() {
            return Err(DomainError::invalid(
                "categories",
                "name at least one root-cause category",
            ));
        }
        let mut categories = categories.to_vec();
        categories.sort_unstable();
        categories.dedup();
        self.root_cause = Some(RootCauseAnalysis {
            categories: categories.clone(),
            note: note.to_owned(),
            set_by: cx.actor.user.clone(),
            set_at: cx.now,
        });
        self.state = next;
        self.log(
            cx,
            TimelineEvent::RootCauseSet {
                categories,
                note: note.to_owned(),
            },
        );
        Ok(())
    }

    /// The customer was told the outcome: the first-response, progress and
    /// resolution clocks stop and the callback clock starts.
    pub(super) fn resolve(&mut self, cx: &mut Ctx<'_>, note: &str) -> Result<(), DomainError> {
        if self.state != ComplaintState::Implemented {
            return Err(self.refuse(cx));
        }
        for kind in [
            ClockKind::FirstResponse,
            ClockKind::ProgressUpdate,
            ClockKind::Resolution,
        ] {
            self.stop_kind(cx, kind)?;
        }
        let targets = cx.rules.sla.targets_for(&self.profile());
        self.restart_kind(
            cx,
            ClockKind::Callback,
            &targets.callback,
            &targets.warn_at_permille,
        )?;
        self.callback = Some(Callback {
            round: self.reopen_count,
            resolved_at: cx.now,
            attempts: Vec::new(),
            next_attempt_at: Some(cx.now),
            outcome: None,
        });
        self.state = ComplaintState::Resolved;
        self.log(
            cx,
            TimelineEvent::Resolved {
                note: note.to_owned(),
            },
        );
        cx.alerts.push(Alert::CallbackScheduled {
            complaint: self.id,
            at: cx.now,
        });
        Ok(())
    }

    pub(super) fn review(
        &mut self,
        cx: &Ctx<'_>,
        lessons: &str,
        actions: &[String],
    ) -> Result<(), DomainError> {
        if self.state != ComplaintState::FollowedUp {
            return Err(self.refuse(cx));
        }
        cx.require_role(Role::Supervisor)?;
        required_text("lessons", lessons)?;
        self.review = Some(Review {
            lessons: lessons.to_owned(),
            actions: actions
                .iter()
                .map(|a| a.trim())
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            by: cx.actor.user.clone(),
            at: cx.now,
        });
        self.state = ComplaintState::Reviewed;
        self.log(cx, TimelineEvent::Reviewed);
        Ok(())
    }

    /// Closes a reviewed complaint, or answers an invalid one; every running
    /// clock stops.
    pub(super) fn close(&mut self, cx: &Ctx<'_>, note: &str) -> Result<(), DomainError> {
        if !matches!(
            self.state,
            ComplaintState::Reviewed | ComplaintState::Invalid
        ) {
            return Err(self.refuse(cx));
        }
        cx.require_role(Role::Supervisor)?;
        self.stop_all_clocks(cx)?;
        self.state = ComplaintState::Closed;
        self.log(
            cx,
            TimelineEvent::Closed {
                note: note.to_owned(),
            },
        );
        Ok(())
    }

    pub(super) fn reopen(&mut self, cx: &mut Ctx<'_>, reason: &str) -> Result<(), DomainError> {
        if !self.state.is_reopenable() {
            return Err(self.refuse(cx));
        }
        if self.state == ComplaintState::Closed {
            cx.require_role(Role::Supervisor)?;
        }
        required_text("reason", reason)?;
        self.reopen_now(cx, reason)
    }

    /// Starts a new handling round: back to `analysed` (or to `recorded` when
    /// the complaint was never judged valid), resolution and progress clocks
    /// restart, an outstanding callback clock stops.
    pub(super) fn reopen_now(&mut self, cx: &mut Ctx<'_>, reason: &str) -> Result<(), DomainError> {
        let from = self.state;
        self.stop_kind(cx, ClockKind::Callback)?;
        if let Some(callback) = self.callback.as_mut() {
            // An outstanding callback is moot; a finished one keeps its outcome.
            callback.next_attempt_at = None;
        }
        let targets = cx.rules.sla.targets_for(&self.profile());
        let warn = &targets.warn_at_permille;
        self.restart_kind(cx, ClockKind::Resolution, &targets.resolution, warn)?;
        self.restart_kind(
            cx,
            ClockKind::ProgressUpdate,
            &targets.progress_cadence,
            warn,
        )?;
        self.reopen_count = self.reopen_count.saturating_add(1);
        if self.validity.as_ref().is_some_and(|v| v.valid) {
            self.state = ComplaintState::Analysed;
        } else {
            self.validity = None;
            self.state = ComplaintState::Recorded;
        }
        self.log(
            cx,
            TimelineEvent::Reopened {
                from,
                reason: reason.to_owned(),
            },
        );
        cx.alerts.push(Alert::Reopened { complaint: self.id });
        Ok(())
    }
}
