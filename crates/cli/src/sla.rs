//! `redressctl sla add|between`: calendar arithmetic from the command line.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};
use jiff::Timestamp;
use redress_domain::calendar::{Calendar, CalendarSpec, Interval};

use crate::error::CliError;

#[derive(Debug, Subcommand)]
pub enum SlaCommand {
    /// Print the instant at which a duration of working time has elapsed.
    Add(AddArgs),
    /// Print the working seconds between two instants.
    Between(BetweenArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("duration").required(true).args(["seconds", "minutes"])))]
pub struct AddArgs {
    /// Calendar file (TOML).
    #[arg(long, value_name = "FILE")]
    calendar: PathBuf,
    /// Start instant, RFC 3339 (e.g. 2026-11-23T09:00:00+08:00).
    #[arg(long, value_name = "RFC3339")]
    start: String,
    /// Duration in working seconds.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    seconds: Option<i64>,
    /// Duration in working minutes.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    minutes: Option<i64>,
    /// Count backward from the start instead of forward.
    #[arg(long)]
    backward: bool,
    /// Time that does not count, as START/END (RFC 3339 instants). Repeatable.
    #[arg(long, value_name = "START/END")]
    pause: Vec<String>,
}

#[derive(Debug, Args)]
pub struct BetweenArgs {
    /// Calendar file (TOML).
    #[arg(long, value_name = "FILE")]
    calendar: PathBuf,
    /// Start instant, RFC 3339.
    #[arg(long, value_name = "RFC3339")]
    start: String,
    /// End instant, RFC 3339. Not after the start gives 0.
    #[arg(long, value_name = "RFC3339")]
    end: String,
    /// Time that does not count, as START/END (RFC 3339 instants). Repeatable.
    #[arg(long, value_name = "START/END")]
    pause: Vec<String>,
}

/// Runs a subcommand and returns what to print.
pub fn run(cmd: SlaCommand) -> Result<String, CliError> {
    match cmd {
        SlaCommand::Add(args) => add(args),
        SlaCommand::Between(args) => between(args),
    }
}

fn add(args: AddArgs) -> Result<String, CliError> {
    let calendar = load_calendar(&args.calendar)?;
    let start = parse_instant("--start", &args.start)?;
    let pauses = parse_pauses(&args.pause)?;
    let seconds = match (args.seconds, args.minutes) {
        (Some(s), _) => s,
        (None, Some(m)) => m
            .checked_mul(60)
            .ok_or(CliError::DurationTooLarge { minutes: m })?,
        // clap requires one of the two.
        (None, None) => 0,
    };
    let due = if args.backward {
        calendar.sub(start, seconds, &pauses)
    } else {
        calendar.add(start, seconds, &pauses)
    }
    .map_err(CliError::Compute)?;
    let offset = calendar.time_zone().to_offset(due);
    Ok(due.display_with_offset(offset).to_string())
}

fn between(args: BetweenArgs) -> Result<String, CliError> {
    let calendar = load_calendar(&args.calendar)?;
    let start = parse_instant("--start", &args.start)?;
    let end = parse_instant("--end", &args.end)?;
    let pauses = parse_pauses(&args.pause)?;
    Ok(calendar.working_seconds(start, end, &pauses).to_string())
}

/// Reads, parses and validates a TOML calendar file.
pub fn load_calendar(path: &std::path::Path) -> Result<Calendar, CliError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| CliError::Unreadable {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let position = |e: &toml::de::Error| {
        let at = e.span().map_or(0, |s| s.start);
        line_column(&text, at)
    };
    if let Err(e) = toml::from_str::<toml::Table>(&text) {
        let (line, column) = position(&e);
        return Err(CliError::InvalidToml {
            path: shown,
            line,
            column,
            message: e.message().trim().to_owned(),
        });
    }
    let spec: CalendarSpec = toml::from_str(&text).map_err(|e| {
        let (line, column) = position(&e);
        CliError::InvalidCalendar {
            path: shown.clone(),
            line,
            column,
            message: e.message().trim().to_owned(),
        }
    })?;
    Calendar::from_spec(&spec).map_err(|source| CliError::Calendar {
        path: shown,
        source,
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn parse_instant(flag: &'static str, value: &str) -> Result<Timestamp, CliError> {
    rfc3339(value).ok_or_else(|| CliError::BadInstant {
        flag,
        value: value.to_owned(),
    })
}

/// Parses an RFC 3339 instant and nothing looser: `YYYY-MM-DDTHH:MM:SS`, an
/// optional fraction, then `Z` or `±HH:MM`. (jiff alone also takes Temporal
/// forms such as a missing seconds field or a bracketed zone name.)
fn rfc3339(value: &str) -> Option<Timestamp> {
    let b = value.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let head_ok = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !head_ok {
        return None;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = &b[i..];
    let offset_ok = matches!(offset, [b'Z' | b'z'])
        || (offset.len() == 6
            && matches!(offset[0], b'+' | b'-')
            && offset[1..3].iter().all(u8::is_ascii_digit)
            && offset[3] == b':'
            && offset[4..6].iter().all(u8::is_ascii_digit));
    if !offset_ok {
        return None;
    }
    value.parse().ok()
}

fn parse_pauses(values: &[String]) -> Result<Vec<Interval>, CliError> {
    values
        .iter()
        .map(|value| {
            let bad = |reason| CliError::BadPause {
                value: value.clone(),
                reason,
            };
            let (start, end) = value
                .split_once('/')
                .ok_or_else(|| bad("expected START/END with two RFC 3339 instants"))?;
            let start =
                rfc3339(start).ok_or_else(|| bad("the start is not an RFC 3339 instant"))?;
            let end = rfc3339(end).ok_or_else(|| bad("the end is not an RFC 3339 instant"))?;
            if end < start {
                return Err(bad("the end is before the start"));
            }
            Ok(Interval::new(start, end))
        })
        .collect()
}
