//! Identifiers. Entity ids are UUIDs chosen by whoever creates the entity (the
//! desktop, offline), so creation never needs a round trip; the domain only
//! carries them. User and department ids are short stable strings.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    };
}

uuid_id!(
    /// A complaint.
    ComplaintId
);
uuid_id!(
    /// A proposed remedy (refund, fee waiver, ...).
    RemedyId
);
uuid_id!(
    /// An approval request for one revision of a remedy.
    ApprovalId
);
uuid_id!(
    /// One SLA clock of a complaint.
    ClockId
);
uuid_id!(
    /// A progress update posted on a complaint.
    UpdateId
);
uuid_id!(
    /// One follow-up callback attempt.
    AttemptId
);

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// A user of the console (agent, supervisor, manager, admin).
    UserId
);
string_id!(
    /// A responsible department (logistics, billing, field service, ...).
    DeptId
);
string_id!(
    /// A business calendar registered in the rules (`"24x7"` is always present).
    CalendarId
);
string_id!(
    /// A complaint category code, e.g. `broadband.dropout`; repeat detection and
    /// SLA policies match on it.
    CategoryCode
);
