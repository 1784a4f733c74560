//! The pure per-complaint plan: which reminders of one complaint fall in a
//! window `(after, now]`, and the first instant after `now` at which another
//! one will.

use super::Watch;
use super::key::{Reminder, ReminderKey, ReminderKind, ReminderResolution, Threshold};
use crate::calendar::Calendar;
use crate::ids::ClockId;
use crate::rules::Rules;
use crate::sla::{ClockKind, SlaClock};
use jiff::Timestamp;

/// What [`plan_complaint`] found for one complaint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintPlan {
    /// Reminders that became due in the window, latest-only (see
    /// [`plan_complaint`]), ordered by instant and key.
    pub due: Vec<Reminder>,
    /// The earliest reminder instant strictly after `now`, whether or not it
    /// would later be collapsed by the latest-only rule.
    pub next: Option<Timestamp>,
    /// Running clocks that could not be planned, or only partly: their calendar
    /// is not in the rules or the calendar arithmetic failed. A breach still
    /// fires at the clock's own `due_at`; warnings and progress steps do not.
    pub unplannable: Vec<ClockId>,
}

/// The reminders of one complaint that became due in `(after, now]`
/// (`after: None` means since forever) and the next instant after `now`.
///
/// Which instants a complaint has (none at all while it is closed, and none
/// for a stopped or paused clock):
/// - first-response, resolution, approval and callback clocks: an
///   [`ReminderKind::SlaWarning`] at each warning threshold in `1..1000`
///   permille and an [`ReminderKind::SlaBreach`] at `due_at`, keyed on the
///   clock's cycle with step 0;
/// - the progress-update clock repeats while the complaint is open: cadence
///   step `n >= 1` is a [`ReminderKind::ProgressDue`] after `n` targets of
///   working time (pauses excluded), with its warnings `n - 1` targets plus
///   the threshold after the start; the key's step is `n`;
/// - each pending approval: [`ReminderKind::ApprovalWaiting`] at
///   `requested_at`, keyed on the approval's clock (skipped when the watch has
///   no clock for it);
/// - the outstanding callback: [`ReminderKind::CallbackDue`] at
///   `next_attempt_at`, keyed on the callback clock with step = attempt
///   (skipped when the watch has no callback clock).
///
/// Latest-only: of the instants in the window, only the latest one per clock
/// and threshold kind (any warning, breach, due) is returned, so a desktop
/// that was offline for a day gets one "progress update due" rather than 48;
/// and a warning is dropped when the deadline it warns about has passed too
/// (its breach or cadence step, or a later one, is returned). Nothing is lost
/// by this: the keys of the dropped reminders are never due again.
///
/// Cost does not depend on how long ago a clock started: the current cadence
/// step is found from the working time elapsed, not by walking the steps.
pub fn plan_complaint(
    w: &Watch,
    rules: &Rules,
    after: Option<Timestamp>,
    now: Timestamp,
) -> ComplaintPlan {
    let mut c = Collector {
        w,
        after,
        now,
        due: Vec::new(),
        next: None,
        unplannable: Vec::new(),
    };
    if w.open {
        for clock in &w.clocks {
            c.clock(clock, rules);
        }
        c.approvals();
        c.callback();
    }
    c.finish()
}

/// The reminders a change of a complaint makes due at or before `last`, the
/// instant the complaint was last planned for, that were not due under the
/// old state: an approval requested on another desktop while this one was
/// offline, a clock restarted before the change was synced here. Without
/// them such reminders would fall before the next planning window and never
/// fire. Latest-only applies as in [`plan_complaint`].
pub fn missed_by_change(old: &Watch, new: &Watch, rules: &Rules, last: Timestamp) -> Vec<Reminder> {
    let mut missed = plan_complaint(new, rules, None, last).due;
    missed.retain(|r| instant_of(old, rules, &r.key).is_none_or(|at| at > last));
    missed
}

/// Whether the cause of the reminder `key` still needs somebody under `w`:
/// `None` while it does, otherwise how it ended. The cause is the clock's
/// cycle (see [`ReminderKey::same_cause`]); it ends when the complaint is
/// closed, the clock stops or starts another cycle, the approval it times
/// is decided, or the callback it times is recorded (a later attempt
/// supersedes an earlier one). A paused clock still needs somebody.
pub fn resolution(w: &Watch, key: &ReminderKey) -> Option<ReminderResolution> {
    let done = Some(ReminderResolution::Done);
    if !w.open {
        return done;
    }
    let Some(clock) = w.clocks.iter().find(|c| c.id == key.clock) else {
        return done;
    };
    if clock.cycle != key.cycle || clock.stopped.is_some() {
        return done;
    }
    if let Some(id) = clock.approval {
        if !w.approvals.iter().any(|a| a.approval == id) {
            return done;
        }
    }
    if clock.kind == ClockKind::Callback && key.threshold == Threshold::Due {
        return match &w.callback {
            None => done,
            Some(cb) if cb.attempt > key.step => Some(ReminderResolution::Superseded),
            Some(_) => None,
        };
    }
    None
}

/// When the reminder with this key is (or was) due under `w`, if `w` has it at all.
pub(crate) fn instant_of(w: &Watch, rules: &Rules, key: &ReminderKey) -> Option<Timestamp> {
    if !w.open {
        return None;
    }
    let clock = w
        .clocks
        .iter()
        .find(|c| c.id == key.clock && c.cycle == key.cycle)?;
    if clock.kind != ClockKind::ProgressUpdate && key.threshold == Threshold::Due {
        if let Some(id) = clock.approval.filter(|_| key.step == 0) {
            return w
                .approvals
                .iter()
                .find(|a| a.approval == id)
                .map(|a| a.requested_at);
        }
        let cb = w.callback.as_ref().filter(|cb| cb.attempt == key.step)?;
        return (callback_clock(w)?.id == clock.id).then_some(cb.next_attempt_at);
    }
    if !is_live(clock) {
        return None;
    }
    let cal = || rules.calendar(&clock.calendar).ok();
    match (clock.kind, key.threshold) {
        (ClockKind::ProgressUpdate, threshold) if clock.target_secs > 0 && key.step >= 1 => {
            let (target, n) = (clock.target_secs, i64::from(key.step));
            let offset = match threshold {
                Threshold::Warn(p) if is_warn_level(p) => warn_offset(target, n, p)?,
                Threshold::Due => n.checked_mul(target)?,
                _ => return None,
            };
            let pauses = clock.closed_pauses();
            cal()?.add(clock.started_at, offset, &pauses).ok()
        }
        (ClockKind::ProgressUpdate, _) => None,
        (_, Threshold::Warn(p)) if key.step == 0 && is_warn_level(p) => {
            clock.threshold_instant(p, cal()?)
        }
        (_, Threshold::Breach) if key.step == 0 => clock.due_at,
        _ => None,
    }
}

/// Running and not paused: only such clocks count down.
fn is_live(clock: &SlaClock) -> bool {
    clock.stopped.is_none() && !clock.is_paused()
}

/// A warning at 0 or at (or past) the deadline is not a warning.
fn is_warn_level(permille: u16) -> bool {
    (1..1000).contains(&permille)
}

/// Working seconds from a progress clock's start to a warning of step `n`.
fn warn_offset(target: i64, n: i64, permille: u16) -> Option<i64> {
    (n - 1)
        .checked_mul(target)?
        .checked_add(crate::sla::fraction_of(target, permille))
}

/// The clock a callback attempt is keyed on: the running callback clock, or
/// failing that the last one.
fn callback_clock(w: &Watch) -> Option<&SlaClock> {
    let mut callbacks = w
        .clocks
        .iter()
        .rev()
        .filter(|c| c.kind == ClockKind::Callback);
    callbacks
        .clone()
        .find(|c| c.stopped.is_none())
        .or_else(|| callbacks.next())
}

/// Reminders of one kind of threshold on one clock collapse to the latest.
fn group(key: &ReminderKey) -> (ClockId, u8) {
    let t = match key.threshold {
        Threshold::Warn(_) => 0,
        Threshold::Breach => 1,
        Threshold::Due => 2,
    };
    (key.clock, t)
}

fn reminder(
    w: &Watch,
    clock: &SlaClock,
    kind: ReminderKind,
    key: ReminderKey,
    at: Timestamp,
    due_at: Timestamp,
) -> Reminder {
    let approval = clock.approval;
    Reminder {
        key,
        kind,
        complaint: w.complaint,
        clock_kind: clock.kind,
        at,
        due_at,
        owner: w.owner.clone(),
        required_role: approval.and_then(|id| {
            w.approvals
                .iter()
                .find(|a| a.approval == id)
                .map(|a| a.required_role)
        }),
        approval,
    }
}

fn key(clock: &SlaClock, threshold: Threshold, step: u32) -> ReminderKey {
    ReminderKey {
        clock: clock.id,
        threshold,
        cycle: clock.cycle,
        step,
    }
}

struct Collector<'a> {
    w: &'a Watch,
    after: Option<Timestamp>,
    now: Timestamp,
    due: Vec<Reminder>,
    next: Option<Timestamp>,
    unplannable: Vec<ClockId>,
}

impl Collector<'_> {
    /// One reminder instant. `make` runs only for an instant in the window
    /// that is the latest of its group so far.
    fn offer(&mut self, at: Timestamp, key: ReminderKey, make: impl FnOnce() -> Reminder) {
        if at > self.now {
            if self.next.is_none_or(|next| at < next) {
                self.next = Some(at);
            }
            return;
        }
        if self.after.is_some_and(|after| at <= after) {
            return;
        }
        match self.due.iter_mut().find(|r| group(&r.key) == group(&key)) {
            Some(r) if (r.at, r.key) >= (at, key) => {}
            Some(r) => *r = make(),
            None => self.due.push(make()),
        }
    }

    fn clock(&mut self, clock: &SlaClock, rules: &Rules) {
        if !is_live(clock) {
            return;
        }
        let cal = rules.calendar(&clock.calendar).ok();
        let planned = match clock.kind {
            ClockKind::ProgressUpdate => cal.and_then(|cal| self.progress(clock, cal)).is_some(),
            _ => self.deadline(clock, cal),
        };
        if !planned {
            self.unplannable.push(clock.id);
        }
    }

    /// Warnings and breach of a one-shot clock; false if a part could not be planned.
    fn deadline(&mut self, clock: &SlaClock, cal: Option<&Calendar>) -> bool {
        let w = self.w;
        let Some(due_at) = clock.due_at else {
            return false;
        };
        let mut planned = true;
        for p in clock
            .warn_at_permille
            .iter()
            .copied()
            .filter(|p| is_warn_level(*p))
        {
            let Some(at) = cal.and_then(|cal| clock.threshold_instant(p, cal)) else {
                planned = false;
                continue;
            };
            let k = key(clock, Threshold::Warn(p), 0);
            self.offer(at, k, || {
                reminder(w, clock, ReminderKind::SlaWarning, k, at, due_at)
            });
        }
        let k = key(clock, Threshold::Breach, 0);
        self.offer(due_at, k, || {
            reminder(w, clock, ReminderKind::SlaBreach, k, due_at, due_at)
        });
        planned
    }

    /// The repeating progress cadence. Only the step in progress at `now`
    /// (the first whose due instant is after `now`) and the one before it can
    /// hold the latest instant of a group at or before `now` or the first
    /// after it, so only those two are computed.
    fn progress(&mut self, clock: &SlaClock, cal: &Calendar) -> Option<()> {
        let target = clock.target_secs;
        if target <= 0 {
            return None;
        }
        let start = clock.started_at;
        let pauses = clock.closed_pauses();
        let now = self.now;
        let at = |offset: i64| cal.add(start, offset, &pauses).ok();
        let due = |n: i64| at(n.checked_mul(target)?);

        // Estimate the step from the working time elapsed, then settle it
        // against the calendar's own `add` so the two never disagree.
        let mut m = if now > start {
            (cal.working_seconds(start, now, &pauses) / target).saturating_add(1)
        } else {
            1
        };
        let mut due_m = due(m)?;
        while due_m <= now {
            m += 1;
            due_m = due(m)?;
        }
        while m > 1 {
            let before = due(m - 1)?;
            if before <= now {
                break;
            }
            m -= 1;
            due_m = before;
        }

        let w = self.w;
        let levels = || {
            clock
                .warn_at_permille
                .iter()
                .copied()
                .filter(|p| is_warn_level(*p))
        };
        for n in (m - 1).max(1)..=m {
            let due_n = if n == m { due_m } else { due(n)? };
            let step = u32::try_from(n).ok()?;
            for p in levels() {
                let warn_at = at(warn_offset(target, n, p)?)?;
                let k = key(clock, Threshold::Warn(p), step);
                self.offer(warn_at, k, || {
                    reminder(w, clock, ReminderKind::SlaWarning, k, warn_at, due_n)
                });
            }
            let k = key(clock, Threshold::Due, step);
            self.offer(due_n, k, || {
                reminder(w, clock, ReminderKind::ProgressDue, k, due_n, due_n)
            });
        }
        Some(())
    }

    fn approvals(&mut self) {
        let w = self.w;
        for a in &w.approvals {
            let Some(clock) = w.clocks.iter().find(|c| c.approval == Some(a.approval)) else {
                continue;
            };
            let k = key(clock, Threshold::Due, 0);
            let at = a.requested_at;
            self.offer(at, k, || Reminder {
                required_role: Some(a.required_role),
                approval: Some(a.approval),
                ..reminder(
                    w,
                    clock,
                    ReminderKind::ApprovalWaiting,
                    k,
                    at,
                    clock.due_at.unwrap_or(at),
                )
            });
        }
    }

    fn callback(&mut self) {
        let w = self.w;
        let (Some(cb), Some(clock)) = (&w.callback, callback_clock(w)) else {
            return;
        };
        let k = key(clock, Threshold::Due, cb.attempt);
        let at = cb.next_attempt_at;
        self.offer(at, k, || {
            reminder(
                w,
                clock,
                ReminderKind::CallbackDue,
                k,
                at,
                clock.due_at.unwrap_or(at),
            )
        });
    }

    fn finish(self) -> ComplaintPlan {
        ComplaintPlan {
            due: latest_only(self.due),
            next: self.next,
            unplannable: self.unplannable,
        }
    }
}

/// The latest-only rule on a batch of one complaint's reminders: of each
/// clock's warnings, breaches and dues only the latest stays; a warning goes
/// when the batch holds a breach or cadence-step reminder of the same clock at
/// or after the warning's deadline (the deadline it warns about has passed and
/// is reported); the result is ordered by instant and key. [`plan_complaint`]
/// applies it to its window; [`super::Planner`] also to a window joined with
/// reminders a change made due (see [`missed_by_change`]).
pub fn latest_only(mut reminders: Vec<Reminder>) -> Vec<Reminder> {
    reminders.sort_by_key(|r| (group(&r.key), std::cmp::Reverse((r.at, r.key))));
    reminders.dedup_by_key(|r| group(&r.key));
    let deadlines: Vec<(ClockId, Timestamp)> = reminders
        .iter()
        .filter(|r| matches!(r.kind, ReminderKind::SlaBreach | ReminderKind::ProgressDue))
        .map(|r| (r.key.clock, r.at))
        .collect();
    reminders.retain(|r| {
        r.kind != ReminderKind::SlaWarning
            || !deadlines
                .iter()
                .any(|&(clock, at)| clock == r.key.clock && at >= r.due_at)
    });
    reminders.sort_by_key(|r| (r.at, r.key));
    reminders
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::ids::ComplaintId;
    use crate::sla::ClockTarget;
    use uuid::Uuid;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_772_438_400 + secs).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn instant_of_agrees_with_the_plan() -> Result<(), crate::DomainError> {
        let rules = Rules::default();
        let target = |secs| ClockTarget::round_the_clock(secs);
        let cal = &Calendar::AlwaysOn;
        let clock = |n, kind, secs| {
            SlaClock::start(
                ClockId(Uuid::from_u128(n)),
                kind,
                &target(secs),
                &[500, 750],
                at(0),
                cal,
            )
        };
        let w = Watch {
            complaint: ComplaintId(Uuid::from_u128(1)),
            open: true,
            owner: None,
            clocks: vec![
                clock(1, ClockKind::FirstResponse, 3600)?,
                clock(2, ClockKind::ProgressUpdate, 1800)?,
                clock(3, ClockKind::Resolution, 86_400)?,
            ],
            approvals: Vec::new(),
            callback: None,
        };
        let mut seen = 0;
        for minutes in (0..2000).step_by(7) {
            let now = at(minutes * 60);
            for r in plan_complaint(&w, &rules, None, now).due {
                assert_eq!(instant_of(&w, &rules, &r.key), Some(r.at), "{}", r.key);
                seen += 1;
            }
        }
        assert!(seen > 100);
        let mut closed = w.clone();
        closed.open = false;
        let key = ReminderKey {
            clock: ClockId(Uuid::from_u128(2)),
            threshold: Threshold::Due,
            cycle: 1,
            step: 3,
        };
        assert_eq!(instant_of(&w, &rules, &key), Some(at(3 * 1800)));
        assert_eq!(instant_of(&closed, &rules, &key), None);
        assert_eq!(
            instant_of(&w, &rules, &ReminderKey { cycle: 2, ..key }),
            None
        );
        assert_eq!(
            instant_of(&w, &rules, &ReminderKey { step: 0, ..key }),
            None
        );
        Ok(())
    }
}
