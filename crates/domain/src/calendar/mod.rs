//! Business calendars: when does working time run, and how much of it lies
//! between two instants.
//!
//! A [`Calendar`] is either [`Calendar::AlwaysOn`] (every instant counts) or a
//! [`BusinessCalendar`] built from a [`CalendarSpec`]: a time zone, opening
//! windows per weekday, holidays and date-specific overrides. All arithmetic is
//! on real elapsed time (instants), so a window that crosses a daylight-saving
//! change is shorter or longer in real seconds than on the wall clock.
//!
//! Local wall times become instants with the "compatible" disambiguation of
//! RFC 5545 and Temporal: a time inside a spring-forward gap moves forward by
//! the length of the gap, an ambiguous fall-back time takes the earlier instant.
//! A date's working time never leaves that date's real span, which runs from
//! its (compatible) midnight to the next date's midnight.
//!
//! ```
//! use redress_domain::calendar::{Calendar, CalendarSpec};
//!
//! let mut spec = CalendarSpec {
//!     timezone: "Asia/Shanghai".into(),
//!     ..CalendarSpec::default()
//! };
//! spec.hours.mon = Some(vec![["09:00".into(), "12:00".into()]]);
//! let cal = Calendar::from_spec(&spec)?;
//! let start: jiff::Timestamp = "2026-11-23T09:30:00+08:00".parse()?;
//! let due = cal.add(start, 3600, &[])?;
//! assert_eq!(due, "2026-11-23T10:30:00+08:00".parse()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod compute;
mod pauses;
mod spec;

use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::TimeZone;

pub use spec::{BusinessCalendar, CalendarSpec, WeekSpec, Window, WindowSpec};

/// How many consecutive days without any working time `add` and `sub` walk
/// through before giving up with [`CalendarError::NoWorkingTime`] (about ten
/// years).
pub const MAX_IDLE_DAYS: u32 = 3_660;

/// Half-open span [start, end) of real time. Used for pauses (time that does
/// not count). An interval whose end is not after its start is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Interval {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Interval {
    pub fn new(start: Timestamp, end: Timestamp) -> Interval {
        Interval { start, end }
    }
}

/// Either round the clock or a business calendar. Cheap to clone (Arc inside).
#[derive(Debug, Clone)]
pub enum Calendar {
    AlwaysOn,
    Business(Arc<BusinessCalendar>),
}

/// Why a calendar could not be built or a computation could not finish.
/// [`CalendarError::code`] is a stable snake_case identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("unknown time zone \"{name}\"")]
    UnknownTimeZone { name: String },
    #[error(
        "bad time \"{value}\": expected HH:MM or HH:MM:SS from 00:00 to 23:59:59 (24:00 only as a window end)"
    )]
    BadTime { value: String },
    #[error("bad date \"{value}\": expected an existing date written YYYY-MM-DD")]
    BadDate { value: String },
    #[error("reversed window {start}-{end} on {day}: a window must start before it ends")]
    ReversedWindow {
        day: String,
        start: String,
        end: String,
    },
    #[error("overlapping windows on {day}: windows of one day may touch but not overlap")]
    OverlappingWindows { day: String },
    #[error("no working time found within {MAX_IDLE_DAYS} days (about 10 years)")]
    NoWorkingTime,
    #[error("negative duration: the number of seconds must be zero or more")]
    NegativeDuration,
    #[error("instant out of range: the result would fall outside the years -9999 to 9999")]
    OutOfRange,
}

impl CalendarError {
    /// Stable machine-readable code.
    pub fn code(&self) -> crate::ErrorCode {
        match self {
            CalendarError::UnknownTimeZone { .. } => crate::ErrorCode::UnknownTimeZone,
            CalendarError::BadTime { .. } => crate::ErrorCode::BadTime,
            CalendarError::BadDate { .. } => crate::ErrorCode::BadDate,
            CalendarError::ReversedWindow { .. } => crate::ErrorCode::ReversedWindow,
            CalendarError::OverlappingWindows { .. } => crate::ErrorCode::OverlappingWindows,
            CalendarError::NoWorkingTime => crate::ErrorCode::NoWorkingTime,
            CalendarError::NegativeDuration => crate::ErrorCode::NegativeDuration,
            CalendarError::OutOfRange => crate::ErrorCode::OutOfRange,
        }
    }
}

fn duration_nanos(seconds: i64) -> Result<i128, CalendarError> {
    if seconds < 0 {
        return Err(CalendarError::NegativeDuration);
    }
    Ok(i128::from(seconds) * compute::NANOS_PER_SEC)
}

fn to_timestamp(nanos: i128) -> Result<Timestamp, CalendarError> {
    Timestamp::from_nanosecond(nanos).map_err(|_| CalendarError::OutOfRange)
}

impl Calendar {
    /// Builds a business calendar from its serde form.
    pub fn from_spec(spec: &CalendarSpec) -> Result<Calendar, CalendarError> {
        Ok(Calendar::Business(Arc::new(BusinessCalendar::from_spec(
            spec,
        )?)))
    }

    /// The calendar's time zone (UTC for [`Calendar::AlwaysOn`]).
    pub fn time_zone(&self) -> TimeZone {
        match self {
            Calendar::AlwaysOn => TimeZone::UTC,
            Calendar::Business(cal) => cal.time_zone().clone(),
        }
    }

    /// Instant at which `seconds` (>= 0) of working time, not counting
    /// `pauses`, have elapsed after `start`.
    ///
    /// A duration used up exactly at the end of a window ends at that end.
    /// Zero seconds from outside working time gives the next working instant;
    /// from inside, `start` itself.
    pub fn add(
        &self,
        start: Timestamp,
        seconds: i64,
        pauses: &[Interval],
    ) -> Result<Timestamp, CalendarError> {
        let need = duration_nanos(seconds)?;
        let pauses = pauses::normalize_pauses(pauses);
        let start = start.as_nanosecond();
        let due = match self {
            Calendar::AlwaysOn => pauses::add_always(start, need, &pauses)?,
            Calendar::Business(cal) => compute::add_business(cal, start, need, &pauses, true)?,
        };
        to_timestamp(due)
    }

    /// When working time starts again, if `at` is outside it (a night, a
    /// weekend, lunch): the instant a running clock on this calendar
    /// resumes counting. `None` inside working time.
    pub fn resumes_at(&self, at: Timestamp) -> Option<Timestamp> {
        self.add(at, 0, &[]).ok().filter(|next| *next > at)
    }

    /// Backward: the latest instant T <= `start` such that working time in
    /// [T, start) minus pauses equals `seconds`.
    ///
    /// Zero seconds from outside working time gives the end of the previous
    /// working interval; from inside, `start` itself.
    pub fn sub(
        &self,
        start: Timestamp,
        seconds: i64,
        pauses: &[Interval],
    ) -> Result<Timestamp, CalendarError> {
        let need = duration_nanos(seconds)?;
        let pauses = pauses::normalize_pauses(pauses);
        let start = start.as_nanosecond();
        let due = match self {
            Calendar::AlwaysOn => pauses::sub_always(start, need, &pauses)?,
            Calendar::Business(cal) => compute::sub_business(cal, start, need, &pauses, true)?,
        };
        to_timestamp(due)
    }

    /// Working seconds in [start, end) minus pauses, floored to whole seconds.
    /// 0 when `end <= start`.
    pub fn working_seconds(&self, start: Timestamp, end: Timestamp, pauses: &[Interval]) -> i64 {
        let (start, end) = (start.as_nanosecond(), end.as_nanosecond());
        if end <= start {
            return 0;
        }
        let pauses = pauses::normalize_pauses(pauses);
        let nanos = match self {
            Calendar::AlwaysOn => pauses::between_always(start, end, &pauses),
            Calendar::Business(cal) => compute::between_business(cal, start, end, &pauses, true),
        };
        i64::try_from(nanos / compute::NANOS_PER_SEC).unwrap_or(i64::MAX)
    }
}
