//! The arithmetic: walk working intervals day by day (skipping whole quiet
//! weeks when possible), subtracting pauses. Instants are nanoseconds since the
//! Unix epoch as `i128`.

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use super::pauses::{Budget, BwdPauses, FwdPauses};
use super::spec::SECONDS_PER_DAY;
use super::{BusinessCalendar, CalendarError, MAX_IDLE_DAYS};

pub(super) const NANOS_PER_SEC: i128 = 1_000_000_000;
const DAY: i128 = 86_400 * NANOS_PER_SEC;
const WEEK: i128 = 7 * DAY;

fn ts(nanos: i128) -> Option<Timestamp> {
    Timestamp::from_nanosecond(nanos).ok()
}

/// Caches the nearest daylight-saving (or other offset) transition so that
/// checking whether a week is free of transitions is cheap.
#[derive(Default)]
struct Transitions {
    /// (query instant, nearest transition beyond it in the walking direction).
    cached: Option<(i128, Option<i128>)>,
}

impl Transitions {
    /// Whether no transition lies in [from, to] (walking forward).
    fn quiet_fwd(&mut self, tz: &TimeZone, from: i128, to: i128) -> bool {
        let valid =
            matches!(self.cached, Some((q, next)) if q < from && next.is_none_or(|n| n > from));
        if !valid {
            let Some(q) = ts(from - 1) else { return false };
            let next = tz
                .following(q)
                .next()
                .map(|t| t.timestamp().as_nanosecond());
            self.cached = Some((from - 1, next));
        }
        matches!(self.cached, Some((_, next)) if next.is_none_or(|n| n > to))
    }

    /// Whether no transition lies in [from, to] (walking backward).
    fn quiet_bwd(&mut self, tz: &TimeZone, from: i128, to: i128) -> bool {
        let valid = matches!(self.cached, Some((q, prev)) if q > to && prev.is_none_or(|p| p < to));
        if !valid {
            let Some(q) = ts(to + 1) else { return false };
            let prev = tz
                .preceding(q)
                .next()
                .map(|t| t.timestamp().as_nanosecond());
            self.cached = Some((to + 1, prev));
        }
        matches!(self.cached, Some((_, prev)) if prev.is_none_or(|p| p < from))
    }
}

impl BusinessCalendar {
    /// The instant of local `date` at `second` after midnight ("compatible"
    /// disambiguation).
    fn instant(&self, date: Date, second: u32) -> Result<i128, CalendarError> {
        let (h, m, s) = (second / 3600, second / 60 % 60, second % 60);
        let time =
            Time::new(h as i8, m as i8, s as i8, 0).map_err(|_| CalendarError::OutOfRange)?;
        self.tz
            .to_timestamp(date.to_datetime(time))
            .map(Timestamp::as_nanosecond)
            .map_err(|_| CalendarError::OutOfRange)
    }

    /// The first instant of `date`'s real span.
    fn midnight(&self, date: Date) -> Result<i128, CalendarError> {
        self.instant(date, 0)
    }

    /// Fills `buf` with the working intervals of `date`, whose real span is
    /// [lo, hi): sorted, disjoint, non-empty and inside the span.
    fn day_intervals(
        &self,
        date: Date,
        lo: i128,
        hi: i128,
        buf: &mut Vec<(i128, i128)>,
    ) -> Result<(), CalendarError> {
        buf.clear();
        for w in self.windows_on(date) {
            let s = match w.start_second() {
                0 => lo,
                s => self.instant(date, s)?.max(lo),
            };
            let e = match w.end_second() {
                SECONDS_PER_DAY => hi,
                e => self.instant(date, e)?.min(hi),
            };
            if s < e {
                buf.push((s, e));
            }
        }
        // Only inside a daylight-saving gap can converted windows come out of
        // order or overlapping: their union is what counts.
        if buf.windows(2).any(|p| p[1].0 <= p[0].1) {
            buf.sort_unstable();
            let mut merged: Vec<(i128, i128)> = Vec::with_capacity(buf.len());
            for &(s, e) in buf.iter() {
                match merged.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            *buf = merged;
        }
        Ok(())
    }

    /// Whether the seven days starting at `first` (real span starting at
    /// `lo`) are a plain week: no holiday, no override and no offset
    /// transition near them, so their working time is exactly `week_nanos`.
    fn plain_week_fwd(&self, first: Date, lo: i128, tr: &mut Transitions) -> Option<Date> {
        let last = first.checked_add(jiff::Span::new().days(6)).ok()?;
        let plain =
            !self.has_exceptions(first, last) && tr.quiet_fwd(&self.tz, lo - DAY, lo + WEEK + DAY);
        plain.then_some(last)
    }

    /// Mirror of [`Self::plain_week_fwd`]: the seven days ending with `last`,
    /// whose real span ends at `hi`.
    fn plain_week_bwd(&self, last: Date, hi: i128, tr: &mut Transitions) -> Option<Date> {
        let first = last.checked_sub(jiff::Span::new().days(6)).ok()?;
        let plain =
            !self.has_exceptions(first, last) && tr.quiet_bwd(&self.tz, hi - WEEK - DAY, hi + DAY);
        plain.then_some(first)
    }
}

fn next_day(date: Date) -> Result<Date, CalendarError> {
    date.tomorrow().map_err(|_| CalendarError::OutOfRange)
}

fn prev_day(date: Date) -> Result<Date, CalendarError> {
    date.yesterday().map_err(|_| CalendarError::OutOfRange)
}

fn idle_check(idle: u32) -> Result<(), CalendarError> {
    if idle > MAX_IDLE_DAYS {
        Err(CalendarError::NoWorkingTime)
    } else {
        Ok(())
    }
}

/// The date whose real span contains `t`, and that span's start.
fn day_containing(cal: &BusinessCalendar, t: i128) -> Result<(Date, i128), CalendarError> {
    let at = ts(t).ok_or(CalendarError::OutOfRange)?;
    let mut date = cal.tz.to_datetime(at).date();
    let mut lo = cal.midnight(date)?;
    // Only a gap crossing midnight can put `t` in the previous date's span.
    while lo > t {
        date = prev_day(date)?;
        lo = cal.midnight(date)?;
    }
    Ok((date, lo))
}

/// The date whose real span ends at or after `t` (walking backward), and that
/// span's end.
fn day_ending(cal: &BusinessCalendar, t: i128) -> Result<(Date, i128), CalendarError> {
    let at = ts(t).ok_or(CalendarError::OutOfRange)?;
    let mut date = cal.tz.to_datetime(at).date();
    let mut hi = cal.midnight(next_day(date)?)?;
    while hi < t {
        date = next_day(date)?;
        hi = cal.midnight(next_day(date)?)?;
    }
    Ok((date, hi))
}

pub(super) fn add_business(
    cal: &BusinessCalendar,
    start: i128,
    need: i128,
    pauses: &[(i128, i128)],
    skip_weeks: bool,
) -> Result<i128, CalendarError> {
    let (mut date, mut lo) = day_containing(cal, start)?;
    let mut pz = FwdPauses::new(pauses);
    let mut tr = Transitions::default();
    let (mut budget, mut idle) = (Budget::new(need), 0u32);
    let mut buf = Vec::new();
    loop {
        while skip_weeks
            && lo >= start
            && (budget.remaining > cal.week_nanos || cal.week_nanos == 0)
        {
            let Some(last) = cal.plain_week_fwd(date, lo, &mut tr) else {
                break;
            };
            if !pz.clear(lo, lo + WEEK) {
                break;
            }
            budget.remaining -= cal.week_nanos;
            idle = if cal.week_nanos == 0 { idle + 7 } else { 0 };
            idle_check(idle)?;
            date = next_day(last)?;
            lo += WEEK;
        }
        let next = next_day(date)?;
        let hi = cal.midnight(next)?.max(lo);
        cal.day_intervals(date, lo, hi, &mut buf)?;
        budget.had_free = false;
        let mut take = |x, y| budget.take_fwd(x, y);
        for &(a, b) in &buf {
            let a = a.max(start);
            if a < b {
                if let Some(t) = pz.each_free(a, b, &mut take) {
                    return Ok(t);
                }
            }
        }
        idle = if budget.had_free { 0 } else { idle + 1 };
        idle_check(idle)?;
        (date, lo) = (next, hi);
    }
}

pub(super) fn sub_business(
    cal: &BusinessCalendar,
    start: i128,
    need: i128,
    pauses: &[(i128, i128)],
    skip_weeks: bool,
) -> Result<i128, CalendarError> {
    let (mut date, mut hi) = day_ending(cal, start)?;
    let mut pz = BwdPauses::new(pauses);
    let mut tr = Transitions::default();
    let (mut budget, mut idle) = (Budget::new(need), 0u32);
    let mut buf = Vec::new();
    loop {
        while skip_weeks
            && hi <= start
            && (budget.remaining > cal.week_nanos || cal.week_nanos == 0)
        {
            let Some(first) = cal.plain_week_bwd(date, hi, &mut tr) else {
                break;
            };
            if !pz.clear(hi - WEEK, hi) {
                break;
            }
            budget.remaining -= cal.week_nanos;
            idle = if cal.week_nanos == 0 { idle + 7 } else { 0 };
            idle_check(idle)?;
            date = prev_day(first)?;
            hi -= WEEK;
        }
        let lo = cal.midnight(date)?.min(hi);
        cal.day_intervals(date, lo, hi, &mut buf)?;
        budget.had_free = false;
        let mut take = |x, y| budget.take_bwd(x, y);
        for &(a, b) in buf.iter().rev() {
            let b = b.min(start);
            if a < b {
                if let Some(t) = pz.each_free(a, b, &mut take) {
                    return Ok(t);
                }
            }
        }
        idle = if budget.had_free { 0 } else { idle + 1 };
        idle_check(idle)?;
        (date, hi) = (prev_day(date)?, lo);
    }
}

pub(super) fn between_business(
    cal: &BusinessCalendar,
    start: i128,
    end: i128,
    pauses: &[(i128, i128)],
    skip_weeks: bool,
) -> i128 {
    let mut total = 0;
    let _ = between_business_inner(cal, start, end, pauses, skip_weeks, &mut total);
    total
}

/// Accumulates into `total`; an out-of-range error just ends the walk.
fn between_business_inner(
    cal: &BusinessCalendar,
    start: i128,
    end: i128,
    pauses: &[(i128, i128)],
    skip_weeks: bool,
    total: &mut i128,
) -> Result<(), CalendarError> {
    let (mut date, mut lo) = day_containing(cal, start)?;
    let mut pz = FwdPauses::new(pauses);
    let mut tr = Transitions::default();
    let mut buf = Vec::new();
    // Counts every free piece; never stops the walk early.
    let mut count = |x: i128, y: i128| {
        *total += y - x;
        None
    };
    while lo < end {
        while skip_weeks && lo >= start && lo + WEEK <= end {
            let Some(last) = cal.plain_week_fwd(date, lo, &mut tr) else {
                break;
            };
            if !pz.clear(lo, lo + WEEK) {
                break;
            }
            count(0, cal.week_nanos);
            date = next_day(last)?;
            lo += WEEK;
        }
        let next = next_day(date)?;
        let hi = cal.midnight(next)?.max(lo);
        cal.day_intervals(date, lo, hi, &mut buf)?;
        for &(a, b) in &buf {
            let (a, b) = (a.max(start), b.min(end));
            if a < b {
                pz.each_free(a, b, &mut count);
            }
        }
        (date, lo) = (next, hi);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
