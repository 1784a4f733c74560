//! The Redress rulebook.
//!
//! Everything that decides whether a complaint may change, and how its SLA clocks
//! run, lives here so the desktop (optimistically) and the server (authoritatively)
//! run the very same code. The crate is pure: no IO, no async, and no clock reads;
//! "now" is always an argument.
#![forbid(unsafe_code)]

pub mod authority;
pub mod calendar;
pub mod catalog;
pub mod code;
pub mod complaint;
pub mod error;
pub mod ids;
pub mod model;
pub mod phone;
pub mod planner;
pub mod repeat;
pub mod rules;
pub mod sla;
pub mod text;

pub use code::ErrorCode;
pub use error::{DomainError, FieldError};
pub use jiff::Timestamp;
pub use rules::{Rules, RulesDocument};
