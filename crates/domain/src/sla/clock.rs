//! One SLA clock and its cycles.

use super::ClockTarget;
use crate::calendar::{Calendar, Interval};
use crate::error::DomainError;
use crate::ids::{ApprovalId, CalendarId, ClockId, UserId};
use crate::model::PauseReason;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    FirstResponse,
    ProgressUpdate,
    Resolution,
    Approval,
    Callback,
}

impl ClockKind {
    pub const ALL: [ClockKind; 5] = [
        ClockKind::FirstResponse,
        ClockKind::ProgressUpdate,
        ClockKind::Resolution,
        ClockKind::Approval,
        ClockKind::Callback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::FirstResponse => "first_response",
            ClockKind::ProgressUpdate => "progress_update",
            ClockKind::Resolution => "resolution",
            ClockKind::Approval => "approval",
            ClockKind::Callback => "callback",
        }
    }
}

/// A span during which the clock did not count. `end` is `None` while open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Pause {
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub reason: PauseReason,
    /// Why, in the pauser's words: required for [`PauseReason::Other`] and
    /// for a clock already past its deadline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub by: UserId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ClockOutcome {
    Met,
    Breached,
}

/// How a clock's current cycle ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ClockStop {
    pub at: Timestamp,
    pub outcome: ClockOutcome,
}

/// A finished cycle, kept for SLA-compliance analytics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CycleRecord {
    pub cycle: u32,
    pub started_at: Timestamp,
    pub due_at: Timestamp,
    pub ended_at: Timestamp,
    pub outcome: ClockOutcome,
}

/// What a clock looks like at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum ClockStatus {
    /// Running, no warning threshold reached yet.
    Ok {
        due_at: Timestamp,
    },
    /// Running, past a warning threshold but not yet due.
    Warning {
        due_at: Timestamp,
    },
    /// Running and past due.
    Breached {
        due_at: Timestamp,
    },
    /// Paused; `breached_at` is the deadline the cycle had already passed
    /// when it was paused (a breach stays a breach).
    Paused {
        breached_at: Option<Timestamp>,
    },
    Stopped {
        outcome: ClockOutcome,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SlaClock {
    pub id: ClockId,
    pub kind: ClockKind,
    /// The approval this clock times, for approval clocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalId>,
    pub calendar: CalendarId,
    pub target_secs: i64,
    /// Warning thresholds in thousandths of the target, ascending.
    pub warn_at_permille: Vec<u16>,
    /// Starts at 1; every restart adds one.
    pub cycle: u32,
    pub started_at: Timestamp,
    pub pauses: Vec<Pause>,
    /// `None` while paused.
    pub due_at: Option<Timestamp>,
    pub stopped: Option<ClockStop>,
    /// The deadline this cycle passed while the clock ran. Set once (at the
    /// first pause or stop after the deadline) and kept until the next cycle,
    /// so no pause, resume or stop turns a breach back into time left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breached_at: Option<Timestamp>,
    pub history: Vec<CycleRecord>,
}

impl SlaClock {
    /// Starts a clock at `at`.
    pub fn start(
        id: ClockId,
        kind: ClockKind,
        target: &ClockTarget,
        warn_at_permille: &[u16],
        at: Timestamp,
        cal: &Calendar,
    ) -> Result<SlaClock, DomainError> {
        if target.seconds < 0 {
            return Err(DomainError::invalid(
                "target",
                "an SLA target cannot be negative",
            ));
        }
        let mut clock = SlaClock {
            id,
            kind,
            approval: None,
            calendar: target.calendar.clone(),
            target_secs: target.seconds,
            warn_at_permille: warn_at_permille.to_vec(),
            cycle: 1,
            started_at: at,
            pauses: Vec::new(),
            due_at: None,
            stopped: None,
            breached_at: None,
            history: Vec::new(),
        };
        clock.due_at = Some(clock.instant_after(target.seconds, cal)?);
        Ok(clock)
    }

    pub fn is_running(&self) -> bool {
        self.stopped.is_none()
    }

    pub fn is_paused(&self) -> bool {
        self.pauses.last().is_some_and(|p| p.end.is_none())
    }

    /// The deadline this cycle has passed by `at`, if it has: the recorded
    /// breach, or a running deadline before `at`.
    pub fn breach_by(&self, at: Timestamp) -> Option<Timestamp> {
        self.breached_at
            .or_else(|| self.due_at.filter(|due| at > *due))
    }

    /// Whether pausing at `at` for `reason` needs a note: always for
    /// [`PauseReason::Other`], and for any reason once the deadline passed
    /// (the breach stands; the note says why the clock stops anyway).
    pub fn pause_needs_note(&self, reason: PauseReason, at: Timestamp) -> bool {
        reason == PauseReason::Other || self.breach_by(at).is_some()
    }

    /// The instant the dashboard sorts and counts this clock by while it
    /// runs: its deadline, or while paused the deadline it had already
    /// passed (`None` for a paused clock with time left).
    pub fn standing_due(&self) -> Option<Timestamp> {
        if !self.is_running() {
            return None;
        }
        self.due_at.or(self.breached_at)
    }

    /// Closed pauses as intervals for the calendar arithmetic.
    pub fn closed_pauses(&self) -> Vec<Interval> {
        self.pauses
            .iter()
            .filter_map(|p| {
                p.end.map(|end| Interval {
                    start: p.start,
                    end,
                })
            })
            .collect()
    }

    /// The instant at which `seconds` of this cycle's working time will have
    /// elapsed, not counting closed pauses.
    pub fn instant_after(&self, seconds: i64, cal: &Calendar) -> Result<Timestamp, DomainError> {
        Ok(cal.add(self.started_at, seconds, &self.closed_pauses())?)
    }

    /// The instant at which `permille` thousandths of the target are used up;
    /// `None` while paused.
    pub fn threshold_instant(&self, permille: u16, cal: &Calendar) -> Option<Timestamp> {
        if self.is_paused() {
            return None;
        }
        let secs = fraction_of(self.target_secs, permille);
        self.instant_after(secs, cal).ok()
    }

    /// Pauses a running clock (waiting on the customer). A clock past its
    /// deadline keeps the breach ([`SlaClock::breached_at`]). The rules on
    /// the note are the complaint's (see `Complaint::pause_clock`).
    pub fn pause(
        &mut self,
        at: Timestamp,
        reason: PauseReason,
        note: String,
        by: UserId,
    ) -> Result<(), DomainError> {
        if !self.is_running() {
            return Err(transition("stopped", "pause"));
        }
        if self.is_paused() {
            return Err(transition("paused", "pause"));
        }
        if at < self.started_at {
            return Err(DomainError::invalid(
                "at",
                "a pause cannot start before its clock",
            ));
        }
        self.breached_at = self.breach_by(at);
        self.pauses.push(Pause {
            start: at,
            end: None,
            reason,
            note,
            by,
        });
        self.due_at = None;
        Ok(())
    }

    /// Resumes a paused clock; the due instant moves out by the paused working time.
    pub fn resume(&mut self, at: Timestamp, cal: &Calendar) -> Result<(), DomainError> {
        if !self.is_running() {
            return Err(transition("stopped", "resume"));
        }
        let Some(open) = self.pauses.last_mut().filter(|p| p.end.is_none()) else {
            return Err(transition("running", "resume"));
        };
        open.end = Some(at.max(open.start));
        self.due_at = Some(self.instant_after(self.target_secs, cal)?);
        Ok(())
    }

    /// Stops the current cycle at `at` (the promise was kept, or is moot) and
    /// records whether it was met. An open pause is closed first.
    pub fn stop(&mut self, at: Timestamp, cal: &Calendar) -> Result<ClockOutcome, DomainError> {
        if let Some(stop) = self.stopped {
            return Ok(stop.outcome);
        }
        let outcome = self.finish_cycle(at, cal)?;
        self.stopped = Some(ClockStop { at, outcome });
        Ok(outcome)
    }

    /// Ends the current cycle (if running) and starts the next one at `at`
    /// with a new target: a progress update the customer was told about, or a
    /// reopened complaint.
    pub fn restart(
        &mut self,
        at: Timestamp,
        target_secs: i64,
        cal: &Calendar,
    ) -> Result<(), DomainError> {
        if self.is_running() {
            self.finish_cycle(at, cal)?;
        }
        self.cycle += 1;
        self.started_at = at;
        self.target_secs = target_secs;
        self.pauses.clear();
        self.stopped = None;
        self.breached_at = None;
        self.due_at = Some(self.instant_after(target_secs, cal)?);
        Ok(())
    }

    fn finish_cycle(&mut self, at: Timestamp, cal: &Calendar) -> Result<ClockOutcome, DomainError> {
        if let Some(open) = self.pauses.last_mut().filter(|p| p.end.is_none()) {
            open.end = Some(at.max(open.start));
        }
        let due_at = self.instant_after(self.target_secs, cal)?;
        self.due_at = Some(due_at);
        self.breached_at = self.breach_by(at);
        let outcome = if self.breached_at.is_some() {
            ClockOutcome::Breached
        } else {
            ClockOutcome::Met
        };
        self.history.push(CycleRecord {
            cycle: self.cycle,
            started_at: self.started_at,
            due_at,
            ended_at: at,
            outcome,
        });
        Ok(outcome)
    }

    /// The clock's state at `now`.
    pub fn status(&self, now: Timestamp, cal: &Calendar) -> ClockStatus {
        if let Some(stop) = self.stopped {
            return ClockStatus::Stopped {
                outcome: stop.outcome,
            };
        }
        let Some(due_at) = self.due_at else {
            return ClockStatus::Paused {
                breached_at: self.breached_at,
            };
        };
        if now > due_at || self.breached_at.is_some() {
            return ClockStatus::Breached { due_at };
        }
        let warned = self
            .warn_at_permille
            .first()
            .and_then(|w| self.threshold_instant(*w, cal))
            .is_some_and(|t| now >= t);
        if warned {
            ClockStatus::Warning { due_at }
        } else {
            ClockStatus::Ok { due_at }
        }
    }
}

/// `permille` thousandths of `target` seconds, without overflow for any target.
pub fn fraction_of(target: i64, permille: u16) -> i64 {
    let secs = i128::from(target) * i128::from(permille) / 1000;
    i64::try_from(secs).unwrap_or(i64::MAX)
}

fn transition(from: &'static str, action: &'static str) -> DomainError {
    DomainError::InvalidTransition { from, action }
}
