//! Command-line errors: each prints as one line `error[<code>]: <message>` and
//! maps to an exit status.

use redress_domain::ErrorCode;
use redress_domain::calendar::CalendarError;

/// Exit status for bad input (clap uses the same for usage errors).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit status when valid input cannot produce an answer (e.g. a calendar
/// without any working time).
pub const EXIT_FAILED: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The calendar file could not be read.
    #[error("calendar {path}: cannot read file: {message}")]
    Unreadable { path: String, message: String },
    /// The calendar file is not valid TOML.
    #[error("calendar {path}: invalid TOML at line {line}, column {column}: {message}")]
    InvalidToml {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The TOML does not have the shape of a calendar (unknown key, wrong type,
    /// missing `timezone`).
    #[error("calendar {path}: line {line}, column {column}: {message}")]
    InvalidCalendar {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The calendar's content is invalid (time zone, times, dates, windows).
    #[error("calendar {path}: {source}")]
    Calendar { path: String, source: CalendarError },
    #[error(
        "{flag}: malformed instant \"{value}\": expected RFC 3339 such as 2026-11-23T10:00:00+08:00"
    )]
    BadInstant { flag: &'static str, value: String },
    #[error("--pause: malformed pause \"{value}\": {reason}")]
    BadPause { value: String, reason: &'static str },
    #[error("--minutes {minutes}: too large")]
    DurationTooLarge { minutes: i64 },
    /// The arithmetic itself failed.
    #[error("{0}")]
    Compute(CalendarError),
    /// The local store could not be opened, read or written.
    #[error("{0}")]
    Store(#[from] redress_local::StoreError),
    /// The rulebook refused something (demo data generation).
    #[error("{0}")]
    Domain(#[from] redress_domain::DomainError),
    /// Seeding would mix demo data into a store that already has complaints.
    #[error("{path} already holds {count} complaints; seed an empty data directory")]
    StoreNotEmpty { path: String, count: usize },
    /// No data directory given and none can be derived from the environment.
    #[error("no data directory: pass --data-dir or set REDRESS_DATA_DIR")]
    NoDataDir,
    /// A flag or argument of a client command is not usable as given.
    #[error("{message}")]
    BadInput { code: &'static str, message: String },
    /// The console's services refused or failed (the rulebook, the store).
    #[error("{}", .0.message)]
    App(#[from] redress_app::AppError),
    /// Sync needs a server session and this data directory has none.
    #[error("{0}")]
    NotSignedIn(String),
}

impl CliError {
    /// Stable snake_case code shown as `error[<code>]`.
    pub fn code(&self) -> &'static str {
        match self {
            CliError::Unreadable { .. } => "unreadable_file",
            CliError::InvalidToml { .. } => "invalid_toml",
            CliError::InvalidCalendar { .. } => "invalid_calendar",
            CliError::Calendar { source, .. } => source.code().as_str(),
            CliError::BadInstant { .. } => "bad_instant",
            CliError::BadPause { .. } => "bad_pause",
            CliError::DurationTooLarge { .. } => "out_of_range",
            CliError::Compute(e) => e.code().as_str(),
            CliError::Store(e) => e.code().as_str(),
            CliError::Domain(e) => e.code().as_str(),
            CliError::StoreNotEmpty { .. } => "store_not_empty",
            CliError::NoDataDir => "no_data_dir",
            CliError::BadInput { code, .. } => code,
            CliError::App(e) => e.code.as_str(),
            CliError::NotSignedIn(_) => ErrorCode::NotSignedIn.as_str(),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Compute(CalendarError::NoWorkingTime | CalendarError::OutOfRange)
            | CliError::Store(_)
            | CliError::Domain(_)
            | CliError::StoreNotEmpty { .. }
            | CliError::NotSignedIn(_) => EXIT_FAILED,
            // What the user typed names nothing or is not valid; anything
            // else the rulebook or the store refused stands on its own.
            CliError::App(e)
                if matches!(
                    e.code,
                    ErrorCode::ValidationFailed
                        | ErrorCode::InvalidRules
                        | ErrorCode::NotFound
                        | ErrorCode::BadServerUrl
                        | ErrorCode::InsecureTransport
                        | ErrorCode::InvalidCaFile
                ) =>
            {
                EXIT_BAD_INPUT
            }
            CliError::App(_) => EXIT_FAILED,
            _ => EXIT_BAD_INPUT,
        }
    }

    /// The one line printed to stderr.
    pub fn line(&self) -> String {
        let message = self.to_string().replace(['\n', '\r'], " ");
        format!("error[{}]: {}", self.code(), message)
    }
}
