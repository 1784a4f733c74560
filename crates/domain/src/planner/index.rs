//! The planner index: every open complaint's next reminder instant in one
//! ordered set, so a tick looks only at the complaints that are due.

use super::Watch;
use super::key::Reminder;
use super::plan::{latest_only, missed_by_change, plan_complaint};
use crate::ids::{ClockId, ComplaintId};
use crate::rules::Rules;
use jiff::Timestamp;
use std::collections::{BTreeSet, HashMap};

/// Plans reminders for many complaints at once.
///
/// Each complaint is kept with the instant it was last planned for and its
/// next reminder instant; the next instants sit in an ordered set keyed by
/// `(instant, complaint)`. [`Planner::next_wake`] is the set's first element
/// and [`Planner::poll`] takes elements off the front only while they are due,
/// so neither touches complaints with nothing due: with 50,000 open
/// complaints a tick costs the same as with 50.
///
/// `poll` returns exactly what running [`plan_complaint`] over every complaint
/// would, with each complaint's window starting where its previous one ended
/// (the first window of a complaint starts at the beginning of time).
#[derive(Debug, Clone, Default)]
pub struct Planner {
    entries: HashMap<ComplaintId, Entry>,
    /// `(slot, complaint)` for every entry with a slot.
    queue: BTreeSet<(Timestamp, ComplaintId)>,
}

#[derive(Debug, Clone)]
struct Entry {
    watch: Watch,
    /// The state as of `last` when it differs from `watch`: what a change is
    /// compared with to find reminders it made due in the past.
    base: Option<Watch>,
    /// The `now` of the last window planned; `None` until the first one.
    last: Option<Timestamp>,
    /// The first reminder instant after `last`.
    next: Option<Timestamp>,
    /// What the changes since `last` made due at or before it (see
    /// [`missed_by_change`]); the next poll returns them, joined with its
    /// window under the latest-only rule.
    pending: Vec<Reminder>,
    /// This entry's key in the queue: the earlier of `next` and the pending reminders.
    slot: Option<Timestamp>,
    unplannable: Vec<ClockId>,
}

impl Entry {
    fn plan_next(&mut self, rules: &Rules) {
        let from = self.last.unwrap_or(Timestamp::MIN);
        let plan = plan_complaint(&self.watch, rules, self.last, from);
        self.next = plan.next;
        self.unplannable = plan.unplannable;
        self.pending = match (&self.base, self.last) {
            (Some(base), Some(last)) => missed_by_change(base, &self.watch, rules, last),
            _ => Vec::new(),
        };
        self.slot = self.pending.iter().map(|r| r.at).chain(self.next).min();
    }
}

impl Planner {
    pub fn new() -> Planner {
        Planner::default()
    }

    /// Number of complaints watched.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a complaint or replaces its state. A new complaint's reminders are
    /// due from the beginning of time (the first poll returns the latest of
    /// each kind that is already due); a known one keeps the instant it was
    /// last planned for, so nothing returned before comes back. Reminders the
    /// changes since then make due at or before that instant (see
    /// [`missed_by_change`]) come with the next poll. `O(log n)` plus planning
    /// this one complaint.
    pub fn upsert(&mut self, w: Watch, rules: &Rules) {
        let id = w.complaint;
        let mut entry = match self.entries.remove(&id) {
            None => Entry {
                watch: w,
                base: None,
                last: None,
                next: None,
                pending: Vec::new(),
                slot: None,
                unplannable: Vec::new(),
            },
            Some(mut e) => {
                self.unqueue(id, e.slot);
                let previous = std::mem::replace(&mut e.watch, w);
                let base = e.base.take().unwrap_or(previous);
                e.base = (e.last.is_some() && base != e.watch).then_some(base);
                e
            }
        };
        entry.plan_next(rules);
        self.enqueue(id, entry.slot);
        self.entries.insert(id, entry);
    }

    /// Forgets a complaint. Returns whether it was known.
    pub fn remove(&mut self, id: ComplaintId) -> bool {
        match self.entries.remove(&id) {
            Some(old) => {
                self.unqueue(id, old.slot);
                true
            }
            None => false,
        }
    }

    /// The reminders due at `now`, ordered by instant, complaint and key.
    /// Only complaints whose next instant is at or before `now` are planned:
    /// `O(k log n)` for `k` such complaints. A `now` earlier than a
    /// complaint's last window (the wall clock went back) returns nothing for
    /// it until time catches up.
    pub fn poll(&mut self, rules: &Rules, now: Timestamp) -> Vec<Reminder> {
        let mut out = Vec::new();
        while let Some(&(slot, id)) = self.queue.first() {
            if slot > now {
                break;
            }
            self.queue.pop_first();
            let Some(e) = self.entries.get_mut(&id) else {
                continue;
            };
            let until = e.last.map_or(now, |last| last.max(now));
            let plan = plan_complaint(&e.watch, rules, e.last, until);
            if e.pending.is_empty() {
                out.extend(plan.due);
            } else {
                let mut batch = std::mem::take(&mut e.pending);
                batch.extend(plan.due);
                out.extend(latest_only(batch));
            }
            e.base = None;
            e.last = Some(until);
            e.next = plan.next;
            e.unplannable = plan.unplannable;
            e.slot = e.next;
            if let Some(next) = e.next {
                self.queue.insert((next, id));
            }
        }
        out.sort_by_key(|r| (r.at, r.complaint, r.key));
        out
    }

    /// The earliest instant at which [`Planner::poll`] will return something
    /// (or something already overdue). `O(log n)`.
    pub fn next_wake(&self) -> Option<Timestamp> {
        self.queue.first().map(|&(at, _)| at)
    }

    /// Recomputes every complaint's next instant, after the rules changed (a
    /// calendar edited, a holiday added). `O(n)`.
    pub fn replan_all(&mut self, rules: &Rules) {
        self.queue.clear();
        for (id, e) in &mut self.entries {
            e.plan_next(rules);
            if let Some(slot) = e.slot {
                self.queue.insert((slot, *id));
            }
        }
    }

    /// Running clocks that could not be fully planned when their complaint
    /// was last planned (see [`super::ComplaintPlan::unplannable`]). `O(n)`:
    /// for diagnostics, not for every tick.
    pub fn unplannable(&self) -> impl Iterator<Item = (ComplaintId, ClockId)> + '_ {
        self.entries
            .iter()
            .flat_map(|(id, e)| e.unplannable.iter().map(move |clock| (*id, *clock)))
    }

    fn enqueue(&mut self, id: ComplaintId, slot: Option<Timestamp>) {
        if let Some(at) = slot {
            self.queue.insert((at, id));
        }
    }

    fn unqueue(&mut self, id: ComplaintId, slot: Option<Timestamp>) {
        if let Some(at) = slot {
            self.queue.remove(&(at, id));
        }
    }
}
