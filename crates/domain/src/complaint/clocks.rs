//! The complaint's SLA clocks: derived ids, and start/stop/restart helpers that
//! record every finished cycle on the timeline.
//!
//! Ids of clocks and approvals are derived with UUID v5 from their parent, so
//! the desktop (optimistically) and the server (authoritatively) create the
//! very same ids for the same command.

use super::{Complaint, Ctx, TimelineEvent};
use crate::error::DomainError;
use crate::ids::{ApprovalId, ClockId, ComplaintId, RemedyId};
use crate::model::PauseReason;
use crate::rules::Rules;
use crate::sla::{ClockKind, ClockTarget, SlaClock};
use jiff::Timestamp;
use uuid::Uuid;

/// The id of a complaint's clock of `kind` (not for approval clocks, which
/// have one per approval: see [`approval_clock_id`]).
pub fn clock_id(complaint: ComplaintId, kind: ClockKind) -> ClockId {
    let name = format!("clock/{}", kind.as_str());
    ClockId(Uuid::new_v5(&complaint.0, name.as_bytes()))
}

/// The id of the approval request for `revision` of a remedy.
pub fn approval_id(remedy: RemedyId, revision: u32) -> ApprovalId {
    let name = format!("approval/{revision}");
    ApprovalId(Uuid::new_v5(&remedy.0, name.as_bytes()))
}

/// The id of the clock timing one approval request.
pub fn approval_clock_id(approval: ApprovalId) -> ClockId {
    ClockId(Uuid::new_v5(&approval.0, b"clock"))
}

/// Starts a new clock at `at` on the target's calendar.
pub(super) fn start(
    id: ClockId,
    kind: ClockKind,
    target: &ClockTarget,
    warn_at_permille: &[u16],
    at: Timestamp,
    rules: &Rules,
) -> Result<SlaClock, DomainError> {
    let cal = rules.calendar(&target.calendar)?;
    SlaClock::start(id, kind, target, warn_at_permille, at, cal)
}

impl Complaint {
    /// The complaint-level clock of `kind` (first response, progress update,
    /// resolution, callback).
    pub fn clock(&self, kind: ClockKind) -> Option<&SlaClock> {
        self.clocks
            .iter()
            .find(|c| c.kind == kind && c.approval.is_none())
    }

    pub fn clock_by_id(&self, id: ClockId) -> Option<&SlaClock> {
        self.clocks.iter().find(|c| c.id == id)
    }

    fn clock_index(&self, id: ClockId) -> Result<usize, DomainError> {
        self.clocks
            .iter()
            .position(|c| c.id == id)
            .ok_or_else(|| DomainError::NotFound {
                entity: "clock",
                id: id.to_string(),
            })
    }

    /// Logs the cycles a clock operation finished.
    fn log_new_cycles(&mut self, cx: &Ctx<'_>, index: usize, history_before: usize) {
        let clock = &self.clocks[index];
        let events: Vec<TimelineEvent> = clock.history[history_before..]
            .iter()
            .map(|h| TimelineEvent::ClockCycleEnded {
                clock: clock.id,
                kind: clock.kind,
                cycle: h.cycle,
                outcome: h.outcome,
            })
            .collect();
        for event in events {
            self.log(cx, event);
        }
    }

    /// Stops a clock if it runs, recording met or breached.
    pub(super) fn stop_clock(&mut self, cx: &Ctx<'_>, id: ClockId) -> Result<(), DomainError> {
        let index = self.clock_index(id)?;
        let clock = &mut self.clocks[index];
        if !clock.is_running() {
            return Ok(());
        }
        let before = clock.history.len();
        let cal = cx.rules.calendar(&clock.calendar)?;
        clock.stop(cx.now, cal)?;
        self.log_new_cycles(cx, index, before);
        Ok(())
    }

    /// Stops the complaint-level clock of `kind`, if there is one.
    pub(super) fn stop_kind(&mut self, cx: &Ctx<'_>, kind: ClockKind) -> Result<(), DomainError> {
        match self.clock(kind) {
            Some(clock) => self.stop_clock(cx, clock.id),
            None => Ok(()),
        }
    }

    /// Stops every running clock (closing).
    pub(super) fn stop_all_clocks(&mut self, cx: &Ctx<'_>) -> Result<(), DomainError> {
        let ids: Vec<ClockId> = self
            .clocks
            .iter()
            .filter(|c| c.is_running())
            .map(|c| c.id)
            .collect();
        ids.into_iter().try_for_each(|id| self.stop_clock(cx, id))
    }

    /// Starts a new cycle of the complaint-level clock of `kind` at `now` with
    /// `target` (ending the current cycle if it runs), or starts the clock if
    /// the complaint has none yet.
    pub(super) fn restart_kind(
        &mut self,
        cx: &Ctx<'_>,
        kind: ClockKind,
        target: &ClockTarget,
        warn_at_permille: &[u16],
    ) -> Result<(), DomainError> {
        let Some(index) = self
            .clocks
            .iter()
            .position(|c| c.kind == kind && c.approval.is_none())
        else {
            let clock = start(
                clock_id(self.id, kind),
                kind,
                target,
                warn_at_permille,
                cx.now,
                cx.rules,
            )?;
            self.clocks.push(clock);
            return Ok(());
        };
        if self.clocks[index].calendar != target.calendar {
            // The policy moved this clock to another calendar: finish the
            // current cycle on the old one first.
            self.stop_clock(cx, self.clocks[index].id)?;
        }
        let clock = &mut self.clocks[index];
        let before = clock.history.len();
        clock.calendar = target.calendar.clone();
        clock.warn_at_permille = warn_at_permille.to_vec();
        let cal = cx.rules.calendar(&target.calendar)?;
        clock.restart(cx.now, target.seconds, cal)?;
        self.log_new_cycles(cx, index, before);
        Ok(())
    }

    /// Pauses a clock. `other` needs a note, and so does a clock already
    /// past its deadline: the breach stands, and the note says why the
    /// clock stops counting anyway.
    pub(super) fn pause_clock(
        &mut self,
        cx: &Ctx<'_>,
        id: ClockId,
        reason: PauseReason,
        note: &str,
    ) -> Result<(), DomainError> {
        let index = self.clock_index(id)?;
        let note = note.trim();
        let clock = &self.clocks[index];
        let breached_at = clock.breach_by(cx.now);
        // A clock that cannot be paused says so first (`invalid_transition`).
        let runs = clock.is_running() && !clock.is_paused();
        if note.is_empty() && runs && clock.pause_needs_note(reason, cx.now) {
            let why = if breached_at.is_some() {
                "this clock is past its deadline: say why it is paused"
            } else {
                "a pause for another reason needs a note"
            };
            return Err(DomainError::invalid("note", why));
        }
        self.clocks[index].pause(cx.now, reason, note.to_owned(), cx.actor.user.clone())?;
        self.log(
            cx,
            TimelineEvent::ClockPaused {
                clock: id,
                reason,
                note: note.to_owned(),
                breached_at,
            },
        );
        Ok(())
    }

    pub(super) fn resume_clock(&mut self, cx: &Ctx<'_>, id: ClockId) -> Result<(), DomainError> {
        let index = self.clock_index(id)?;
        let clock = &mut self.clocks[index];
        let cal = cx.rules.calendar(&clock.calendar)?;
        clock.resume(cx.now, cal)?;
        self.log(cx, TimelineEvent::ClockResumed { clock: id });
        Ok(())
    }
}
