//! Every stable error code a Redress component answers another with: the
//! rulebook's refusals, the local store's failures, the sync protocol's and
//! the server's HTTP answers, the console's own. One enum, so a code is spelt
//! once: producers name a variant, consumers match on one, and the UI's
//! message catalogue is typed against its TypeScript export (a code without
//! a message in both languages fails the UI build).
//!
//! On the wire (JSON, IPC, the local outbox) a code is its snake_case name.
//! A name this build does not know (a newer server's) reads as
//! [`ErrorCode::Unknown`], so an older console still shows "something
//! unexpected went wrong" and the message that came with it.
//!
//! The two command-line programs keep a few codes of their own for mistakes
//! in their arguments and files (`invalid_toml`, `target_exists`, ...): those
//! are printed by that program alone and never cross to another component.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $wire:literal, )*) => {
        /// A stable, snake_case error code; see the module documentation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* #[cfg_attr(feature = "ts", ts(rename = $wire))] $variant, )*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The wire name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $wire,)*
                }
            }

            /// The code of a wire name; `None` for a name this build does
            /// not know.
            pub fn parse(name: &str) -> Option<ErrorCode> {
                match name {
                    $($wire => Some(ErrorCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    // The rulebook (DomainError).
    /// The action is not allowed in the complaint's current state.
    InvalidTransition = "invalid_transition",
    /// A closed complaint accepts only `reopen`.
    ComplaintClosed = "complaint_closed",
    /// The complaint, remedy, approval, ... does not exist (or is not the
    /// asker's to see).
    NotFound = "not_found",
    /// The actor's role (or kind of account) may not do this.
    ForbiddenRole = "forbidden_role",
    SelfApprovalForbidden = "self_approval_forbidden",
    AuthorityLimitExceeded = "authority_limit_exceeded",
    ApprovalAlreadyDecided = "approval_already_decided",
    RemedyChangedSinceViewed = "remedy_changed_since_viewed",
    /// Fields failed validation; the error lists them.
    ValidationFailed = "validation_failed",
    TextTooLong = "text_too_long",
    /// A control character or a bidirectional override in a text.
    InvalidText = "invalid_text",
    ComplaintLimitReached = "complaint_limit_reached",

    // Working calendars (CalendarError).
    UnknownTimeZone = "unknown_time_zone",
    BadTime = "bad_time",
    BadDate = "bad_date",
    ReversedWindow = "reversed_window",
    OverlappingWindows = "overlapping_windows",
    NoWorkingTime = "no_working_time",
    NegativeDuration = "negative_duration",
    /// A number or instant outside the range Redress computes with.
    OutOfRange = "out_of_range",

    // The desktop's local store.
    /// The file or its folder could not be created, opened, read or written.
    StoreIo = "store_io",
    /// Not a SQLite database, or its integrity check failed.
    StoreCorrupt = "store_corrupt",
    /// Written by a newer Redress.
    StoreTooNew = "store_too_new",
    /// Another process held the database longer than the busy timeout.
    StoreBusy = "store_busy",
    /// A stored value does not have the expected shape.
    InvalidData = "invalid_data",

    // The sync protocol (sync design).
    /// A device pushed a sequence number the server already holds under a
    /// different mutation id: its local database was cloned or restored.
    /// The device must re-register under a new id (sync design §12.8).
    DeviceForked = "device_forked",
    /// A mutation id that another user's device already settled.
    /// Idempotency is per client and bound to its user: someone else's
    /// outcome is never answered. Nothing of the batch from this mutation on
    /// is processed.
    MutationIdTaken = "mutation_id_taken",
    /// A settled sequence number and mutation id arrived again with other
    /// arguments (or another name or author). Nothing changes.
    ReplayMismatch = "replay_mismatch",
    /// The envelope names another author than the signed-in user. The
    /// mutation is recorded as rejected and consumes its sequence number.
    AuthorMismatch = "author_mismatch",
    /// The mutation name is not known to this server. Nothing is recorded;
    /// the client should upgrade and push again.
    UnsupportedMutation = "unsupported_mutation",
    /// The client speaks a protocol version the server does not support.
    ProtocolMismatch = "protocol_mismatch",
    /// The request is not valid JSON of the expected shape (but the
    /// mutation names are known).
    MalformedRequest = "malformed_request",
    /// The device was never registered with the server.
    UnknownDevice = "unknown_device",
    /// The device id in the request body differs from the one the session
    /// is bound to.
    DeviceMismatch = "device_mismatch",
    /// A complaint id chosen by a desktop is already taken by another
    /// complaint.
    ComplaintExists = "complaint_exists",
    /// A session asked for more event streams at once than the server
    /// allows (`429`, with `Retry-After`).
    TooManyStreams = "too_many_streams",
    /// The server's store is busy or unavailable; retry the same request
    /// later.
    StoreUnavailable = "store_unavailable",
    /// The server's database refused to store the mutation's data (a
    /// PostgreSQL data or integrity error, SQLSTATE class 22 or 23; on
    /// SQLite a constraint or size failure). Permanent: the mutation is
    /// recorded as rejected with this code.
    UnstorableData = "unstorable_data",
    /// The server's database was restored or replaced (a new epoch): the
    /// desktop's cursor and outbox no longer line up with it.
    ServerEpochChanged = "server_epoch_changed",
    /// The server ended this session (an administrator, or a sign-out
    /// elsewhere).
    SessionRevoked = "session_revoked",
    /// The server's rules document could not be used; the previous rules
    /// stay in force.
    InvalidRules = "invalid_rules",
    /// The site configuration changed since the version an edit started
    /// from; nothing was stored. Load the current version and edit again.
    ConfigConflict = "config_conflict",

    // The server's HTTP answers and its account store.
    /// No bearer token, or one that is unknown, expired or revoked.
    Unauthorized = "unauthorized",
    /// Sign-in with an unknown user name or a wrong password.
    InvalidCredentials = "invalid_credentials",
    /// Sign-in by a disabled user.
    UserDisabled = "user_disabled",
    /// Too many failed sign-ins; wait `Retry-After` seconds.
    RateLimited = "rate_limited",
    /// The body, or the batch in it, is larger than the server takes.
    PayloadTooLarge = "payload_too_large",
    /// The device is registered to another user.
    DeviceTaken = "device_taken",
    MethodNotAllowed = "method_not_allowed",
    /// Too many sign-ins wait for a password check (`503`, `Retry-After`).
    ServerBusy = "server_busy",
    /// A bug or a damaged database on the server; see the server's log.
    InternalError = "internal_error",
    /// An account with this user name exists already.
    UserExists = "user_exists",
    UnknownUser = "unknown_user",
    /// A user name, display name, role or password that cannot be stored.
    InvalidUser = "invalid_user",
    /// The server's store could not be opened.
    StoreOpenFailed = "store_open_failed",

    // Reaching the server (the console and redressctl).
    /// Not a server address a client can use.
    BadServerUrl = "bad_server_url",
    /// Plain `http://` to a host that is not loopback (or a server to listen
    /// so) without the explicit insecure-HTTP switch. Refused before any
    /// connection is made.
    InsecureTransport = "insecure_transport",
    /// The trusted certificate file cannot be read or holds no PEM
    /// certificate.
    InvalidCaFile = "invalid_ca_file",
    /// The TLS connection failed for a reason waiting will not fix: the
    /// certificate is not trusted (add the CA file) or not for this host.
    TlsFailed = "tls_failed",
    /// No answer: network down, timeout, server restarting.
    ServerUnreachable = "server_unreachable",
    /// An answer that is not the server's error body (a proxy's page, an
    /// unexpected status); the message holds the status.
    UnexpectedResponse = "unexpected_response",

    // The console's own.
    /// A background task of the console failed; trying again may work.
    TaskFailed = "task_failed",
    /// The user, role and limit come from the server and cannot be changed
    /// on the desktop.
    IdentityFromServer = "identity_from_server",
    /// The store holds complaints recorded without a server, so it cannot
    /// join one as it is.
    StandaloneHistory = "standalone_history",
    /// The store belongs to another server.
    LinkedElsewhere = "linked_elsewhere",
    /// Sync needs a server session and there is none.
    NotSignedIn = "not_signed_in",
    /// The saved sign-in could not be read from the system keychain.
    TokenUnavailable = "token_unavailable",
    /// The outbox has a hole in its sequence numbers.
    OutboxGap = "outbox_gap",
    /// Data from the server, or in the outbox, could not be read.
    UnreadableSyncData = "unreadable_sync_data",
    /// A code this build does not know (from a newer server).
    Unknown = "unknown",
}

impl ErrorCode {
    /// The code of a wire name, [`ErrorCode::Unknown`] for one this build
    /// does not know.
    pub fn from_wire(name: &str) -> ErrorCode {
        ErrorCode::parse(name).unwrap_or(ErrorCode::Unknown)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ErrorCode, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(ErrorCode::from_wire(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wire_name_is_snake_case_unique_and_round_trips() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} is listed twice");
            assert!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()),
                "{name} is not snake_case"
            );
            assert_eq!(ErrorCode::parse(name), Some(*code));
            let json = serde_json::to_string(code).expect("serialize");
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(
                serde_json::from_str::<ErrorCode>(&json).expect("parse"),
                *code
            );
        }
    }

    #[test]
    fn a_name_from_a_newer_server_reads_as_unknown() {
        let code: ErrorCode = serde_json::from_str("\"quota_exceeded\"").expect("parse");
        assert_eq!(code, ErrorCode::Unknown);
        assert_eq!(ErrorCode::parse("quota_exceeded"), None);
        assert!(serde_json::from_str::<ErrorCode>("42").is_err());
    }
}
