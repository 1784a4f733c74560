//! The serde form of a calendar ([`CalendarSpec`]) and its validated form
//! ([`BusinessCalendar`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::CalendarError;

/// Seconds in a civil day; a window end of `SECONDS_PER_DAY` is "24:00".
pub(super) const SECONDS_PER_DAY: u32 = 86_400;

/// One opening window as written in a calendar file: `["09:00", "12:00"]`.
pub type WindowSpec = [String; 2];

/// Serde form of a calendar (the TOML calendar file). Unknown fields are
/// rejected.
///
/// ```toml
/// timezone = "Asia/Shanghai"
/// holidays = ["2026-10-01", "2026-10-02"]
/// [hours]
/// mon = [["09:00", "12:00"], ["13:00", "18:00"]]
/// sat = [["10:00", "16:00"]]
/// [overrides]
/// "2026-09-27" = [["09:00", "18:00"]]
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time zone name, e.g. `"Europe/Berlin"`.
    pub timezone: String,
    /// Dates (`YYYY-MM-DD`) on which the office is closed.
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Opening windows per weekday; a missing weekday is closed.
    #[serde(default)]
    pub hours: WeekSpec,
    /// Date-specific windows replacing the weekday's (an empty list closes the day).
    #[serde(default, deserialize_with = "override_windows")]
    pub overrides: BTreeMap<String, Vec<WindowSpec>>,
}

/// Opening windows per weekday; `None` (or an empty list) means closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct WeekSpec {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "day_windows"
    )]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub mon: Option<Vec<WindowSpec>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "day_windows"
    )]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub tue: Option<Vec<WindowSpec>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "day_windows"
    )]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub wed: Option<Vec<WindowSpec>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "day_windows"
    )]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub thu: Option<Vec<WindowSpec>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "day_windows"
    )]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub fri: Option<Vec<WindowSpec>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "day_windows"
    )]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sat: Option<Vec<WindowSpec>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "day_windows"
    )]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sun: Option<Vec<WindowSpec>>,
}

/// Checks that a window has exactly two values (serde alone would accept
/// `["09:00", "12:00", "13:00"]` from some formats and drop the extra value).
fn pair<E: serde::de::Error>(window: Vec<String>) -> Result<WindowSpec, E> {
    WindowSpec::try_from(window).map_err(|w| {
        E::custom(format_args!(
            "a window is [\"start\", \"end\"]: expected 2 times, found {}",
            w.len()
        ))
    })
}

fn day_windows<'de, D>(d: D) -> Result<Option<Vec<WindowSpec>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Option::<Vec<Vec<String>>>::deserialize(d)?
        .map(|day| day.into_iter().map(pair).collect())
        .transpose()
}

fn override_windows<'de, D>(d: D) -> Result<BTreeMap<String, Vec<WindowSpec>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    BTreeMap::<String, Vec<Vec<String>>>::deserialize(d)?
        .into_iter()
        .map(|(date, day)| Ok((date, day.into_iter().map(pair).collect::<Result<_, _>>()?)))
        .collect()
}

impl WeekSpec {
    /// The seven weekdays, Monday first, with their short names.
    fn days(&self) -> [(&'static str, &Option<Vec<WindowSpec>>); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }
}

/// A validated opening window within one day, in seconds after local
/// midnight: `start < end <= 86_400` (an end of 86 400 is "24:00").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Window {
    start: u32,
    end: u32,
}

impl Window {
    /// `None` unless `start < end <= 86_400`.
    pub fn new(start_second: u32, end_second: u32) -> Option<Window> {
        (start_second < end_second && end_second <= SECONDS_PER_DAY).then_some(Window {
            start: start_second,
            end: end_second,
        })
    }

    /// Opening time in seconds after local midnight.
    pub fn start_second(&self) -> u32 {
        self.start
    }

    /// Closing time in seconds after local midnight (86 400 is "24:00").
    pub fn end_second(&self) -> u32 {
        self.end
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn hms(f: &mut fmt::Formatter<'_>, s: u32) -> fmt::Result {
            write!(f, "{:02}:{:02}", s / 3600, s / 60 % 60)?;
            if s % 60 != 0 {
                write!(f, ":{:02}", s % 60)?;
            }
            Ok(())
        }
        hms(f, self.start)?;
        f.write_str("-")?;
        hms(f, self.end)
    }
}

/// A validated business calendar: time zone, windows per weekday, holidays and
/// date-specific overrides.
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    pub(super) tz: TimeZone,
    /// Monday first.
    pub(super) week: [Vec<Window>; 7],
    pub(super) holidays: BTreeSet<Date>,
    pub(super) overrides: BTreeMap<Date, Vec<Window>>,
    /// Total length of the weekday windows, in nanoseconds.
    pub(super) week_nanos: i128,
}

impl BusinessCalendar {
    /// Validates a spec. Windows of one day are sorted, and touching windows
    /// are merged.
    pub fn from_spec(spec: &CalendarSpec) -> Result<BusinessCalendar, CalendarError> {
        let tz = TimeZone::get(&spec.timezone).map_err(|_| CalendarError::UnknownTimeZone {
            name: spec.timezone.clone(),
        })?;
        let mut week: [Vec<Window>; 7] = Default::default();
        for (slot, (name, windows)) in week.iter_mut().zip(spec.hours.days()) {
            if let Some(windows) = windows {
                *slot = parse_windows(name, windows)?;
            }
        }
        let holidays = spec
            .holidays
            .iter()
            .map(|d| parse_date(d))
            .collect::<Result<BTreeSet<_>, _>>()?;
        let mut overrides = BTreeMap::new();
        for (date, windows) in &spec.overrides {
            overrides.insert(parse_date(date)?, parse_windows(date, windows)?);
        }
        let week_nanos = week
            .iter()
            .flatten()
            .map(|w| i128::from(w.end - w.start) * super::compute::NANOS_PER_SEC)
            .sum();
        Ok(BusinessCalendar {
            tz,
            week,
            holidays,
            overrides,
            week_nanos,
        })
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The regular windows of a weekday (before holidays and overrides).
    pub fn weekday_windows(&self, weekday: Weekday) -> &[Window] {
        &self.week[usize::from(weekday.to_monday_zero_offset().unsigned_abs())]
    }

    pub fn is_holiday(&self, date: Date) -> bool {
        self.holidays.contains(&date)
    }

    /// The windows that apply on `date`: its override if there is one (even on
    /// a holiday), else nothing on a holiday, else the weekday's windows.
    pub fn windows_on(&self, date: Date) -> &[Window] {
        if let Some(windows) = self.overrides.get(&date) {
            windows
        } else if self.holidays.contains(&date) {
            &[]
        } else {
            self.weekday_windows(date.weekday())
        }
    }

    /// Whether any date in `from..=to` is a holiday or has an override.
    pub(super) fn has_exceptions(&self, from: Date, to: Date) -> bool {
        self.holidays.range(from..=to).next().is_some()
            || self.overrides.range(from..=to).next().is_some()
    }
}

/// Parses `HH:MM` or `HH:MM:SS` into seconds after midnight; `24:00` (and
/// `24:00:00`) give 86 400.
fn parse_time(value: &str) -> Option<u32> {
    let b = value.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (h, l) = (*b.get(i)?, *b.get(i + 1)?);
        (h.is_ascii_digit() && l.is_ascii_digit())
            .then(|| u32::from(h - b'0') * 10 + u32::from(l - b'0'))
    };
    let (h, m) = (two(0)?, two(3)?);
    if b[2] != b':' {
        return None;
    }
    let s = match b.len() {
        5 => 0,
        8 if b[5] == b':' => two(6)?,
        _ => return None,
    };
    if m > 59 || s > 59 || h > 24 || (h == 24 && (m, s) != (0, 0)) {
        return None;
    }
    Some(h * 3600 + m * 60 + s)
}

/// Parses a strict `YYYY-MM-DD` date that exists in the calendar.
fn parse_date(value: &str) -> Result<Date, CalendarError> {
    let bad = || CalendarError::BadDate {
        value: value.to_owned(),
    };
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i32> {
        b[r].iter().try_fold(0i32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let (y, m, d) = match (digits(0..4), digits(5..7), digits(8..10)) {
        (Some(y), Some(m), Some(d)) => (y, m, d),
        _ => return Err(bad()),
    };
    let (y, m, d) = (
        i16::try_from(y).map_err(|_| bad())?,
        i8::try_from(m).map_err(|_| bad())?,
        i8::try_from(d).map_err(|_| bad())?,
    );
    Date::new(y, m, d).map_err(|_| bad())
}

/// Parses, sorts, checks and merges the windows of one day (`day` names it in
/// errors: a weekday like `mon` or an override date).
fn parse_windows(day: &str, specs: &[WindowSpec]) -> Result<Vec<Window>, CalendarError> {
    let mut windows = Vec::with_capacity(specs.len());
    for [start, end] in specs {
        let bad_time = |value: &String| CalendarError::BadTime {
            value: value.clone(),
        };
        let s = parse_time(start).ok_or_else(|| bad_time(start))?;
        if s == SECONDS_PER_DAY {
            return Err(bad_time(start));
        }
        let e = parse_time(end).ok_or_else(|| bad_time(end))?;
        let window = Window::new(s, e).ok_or_else(|| CalendarError::ReversedWindow {
            day: day.to_owned(),
            start: start.clone(),
            end: end.clone(),
        })?;
        windows.push(window);
    }
    windows.sort_unstable();
    let mut merged: Vec<Window> = Vec::with_capacity(windows.len());
    for w in windows {
        match merged.last_mut() {
            Some(last) if w.start < last.end => {
                return Err(CalendarError::OverlappingWindows {
                    day: day.to_owned(),
                });
            }
            Some(last) if w.start == last.end => last.end = w.end,
            _ => merged.push(w),
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("00:00"), Some(0));
        assert_eq!(parse_time("09:30"), Some(34_200));
        assert_eq!(parse_time("23:59:59"), Some(86_399));
        assert_eq!(parse_time("24:00"), Some(86_400));
        assert_eq!(parse_time("24:00:00"), Some(86_400));
        for bad in [
            "",
            "9:00",
            "09:0",
            "09-00",
            "24:01",
            "24:00:01",
            "12:60",
            "12:00:60",
            "12:00:0",
            "+1:00",
            "12:00 ",
            "１２:00",
        ] {
            assert_eq!(parse_time(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates() {
        assert!(parse_date("2026-02-28").is_ok());
        assert!(parse_date("2028-02-29").is_ok());
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "20260101",
            "2026/01/01",
            "x",
        ] {
            assert_eq!(
                parse_date(bad).map_err(|e| e.code()),
                Err(crate::ErrorCode::BadDate),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn window_display() {
        assert_eq!(
            Window::new(32_400, 86_400)
                .map(|w| w.to_string())
                .as_deref(),
            Some("09:00-24:00")
        );
        assert_eq!(
            Window::new(30, 90).map(|w| w.to_string()).as_deref(),
            Some("00:00:30-00:01:30")
        );
    }
}
