//! Pauses: normalization and cursors yielding the pause-free pieces of a
//! working interval, forward or backward.

use jiff::Timestamp;

use super::{CalendarError, Interval};

/// Sorts pauses, drops empty ones and merges overlapping or touching ones.
pub(super) fn normalize_pauses(pauses: &[Interval]) -> Vec<(i128, i128)> {
    let mut list: Vec<(i128, i128)> = pauses
        .iter()
        .map(|p| (p.start.as_nanosecond(), p.end.as_nanosecond()))
        .filter(|(s, e)| e > s)
        .collect();
    list.sort_unstable();
    let mut merged: Vec<(i128, i128)> = Vec::with_capacity(list.len());
    for (s, e) in list {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

fn min_nanos() -> i128 {
    Timestamp::MIN.as_nanosecond()
}

fn max_nanos() -> i128 {
    Timestamp::MAX.as_nanosecond()
}

/// Forward cursor over sorted, disjoint pauses.
pub(super) struct FwdPauses<'p> {
    list: &'p [(i128, i128)],
    idx: usize,
}

impl<'p> FwdPauses<'p> {
    pub(super) fn new(list: &'p [(i128, i128)]) -> Self {
        FwdPauses { list, idx: 0 }
    }

    /// Calls `f` on each pause-free piece of [a, b), in order, until it
    /// returns `Some`. Calls must come with non-decreasing `a`.
    pub(super) fn each_free(
        &mut self,
        a: i128,
        b: i128,
        f: &mut impl FnMut(i128, i128) -> Option<i128>,
    ) -> Option<i128> {
        let mut cur = a;
        while self.list.get(self.idx).is_some_and(|p| p.1 <= cur) {
            self.idx += 1;
        }
        while cur < b {
            match self.list.get(self.idx) {
                Some(&(ps, pe)) if ps < b => {
                    if ps > cur {
                        if let Some(t) = f(cur, ps) {
                            return Some(t);
                        }
                    }
                    cur = cur.max(pe);
                    if pe <= b {
                        self.idx += 1;
                    }
                }
                _ => return f(cur, b),
            }
        }
        None
    }

    /// Whether no pause overlaps [a, b).
    pub(super) fn clear(&mut self, a: i128, b: i128) -> bool {
        while self.list.get(self.idx).is_some_and(|p| p.1 <= a) {
            self.idx += 1;
        }
        self.list.get(self.idx).is_none_or(|p| p.0 >= b)
    }
}

/// Backward cursor over sorted, disjoint pauses.
pub(super) struct BwdPauses<'p> {
    list: &'p [(i128, i128)],
    /// Pauses `list[..end]` may still matter.
    end: usize,
}

impl<'p> BwdPauses<'p> {
    pub(super) fn new(list: &'p [(i128, i128)]) -> Self {
        BwdPauses {
            list,
            end: list.len(),
        }
    }

    fn last(&self) -> Option<(i128, i128)> {
        self.end.checked_sub(1).map(|i| self.list[i])
    }

    /// Calls `f` on each pause-free piece of [a, b), latest first, until it
    /// returns `Some`. Calls must come with non-increasing `b`.
    pub(super) fn each_free(
        &mut self,
        a: i128,
        b: i128,
        f: &mut impl FnMut(i128, i128) -> Option<i128>,
    ) -> Option<i128> {
        let mut cur = b;
        while self.last().is_some_and(|p| p.0 >= cur) {
            self.end -= 1;
        }
        while cur > a {
            match self.last() {
                Some((ps, pe)) if pe > a => {
                    if pe < cur {
                        if let Some(t) = f(pe, cur) {
                            return Some(t);
                        }
                    }
                    cur = cur.min(ps);
                    if ps >= a {
                        self.end -= 1;
                    }
                }
                _ => return f(a, cur),
            }
        }
        None
    }

    /// Whether no pause overlaps [a, b).
    pub(super) fn clear(&mut self, a: i128, b: i128) -> bool {
        while self.last().is_some_and(|p| p.0 >= b) {
            self.end -= 1;
        }
        self.last().is_none_or(|p| p.1 <= a)
    }
}

/// The working time still to find, and whether any free piece was seen.
pub(super) struct Budget {
    pub(super) remaining: i128,
    pub(super) had_free: bool,
}

impl Budget {
    pub(super) fn new(remaining: i128) -> Budget {
        Budget {
            remaining,
            had_free: false,
        }
    }

    /// Consumes the free piece [x, y) walking forward: returns the instant
    /// where the budget runs out (exactly `y` if it runs out there).
    pub(super) fn take_fwd(&mut self, x: i128, y: i128) -> Option<i128> {
        self.had_free = true;
        if self.remaining <= y - x {
            Some(x + self.remaining)
        } else {
            self.remaining -= y - x;
            None
        }
    }

    /// Mirror of [`Budget::take_fwd`] walking backward.
    pub(super) fn take_bwd(&mut self, x: i128, y: i128) -> Option<i128> {
        self.had_free = true;
        if self.remaining <= y - x {
            Some(y - self.remaining)
        } else {
            self.remaining -= y - x;
            None
        }
    }
}

// Round-the-clock calendars: only pauses matter.

pub(super) fn add_always(
    start: i128,
    need: i128,
    pauses: &[(i128, i128)],
) -> Result<i128, CalendarError> {
    let mut budget = Budget::new(need);
    let mut take = |x, y| budget.take_fwd(x, y);
    match FwdPauses::new(pauses).each_free(start, max_nanos(), &mut take) {
        Some(t) => Ok(t),
        None if budget.had_free => Err(CalendarError::OutOfRange),
        None => Err(CalendarError::NoWorkingTime),
    }
}

pub(super) fn sub_always(
    start: i128,
    need: i128,
    pauses: &[(i128, i128)],
) -> Result<i128, CalendarError> {
    let mut budget = Budget::new(need);
    let mut take = |x, y| budget.take_bwd(x, y);
    match BwdPauses::new(pauses).each_free(min_nanos(), start, &mut take) {
        Some(t) => Ok(t),
        None if budget.had_free => Err(CalendarError::OutOfRange),
        None => Err(CalendarError::NoWorkingTime),
    }
}

pub(super) fn between_always(start: i128, end: i128, pauses: &[(i128, i128)]) -> i128 {
    let mut total = 0;
    FwdPauses::new(pauses).each_free(start, end, &mut |x, y| {
        total += y - x;
        None
    });
    total
}
