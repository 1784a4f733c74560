//! SLA clocks and the policies that set their targets.
//!
//! A complaint carries one clock per promise made to the customer: first
//! response, progress update (a cadence that restarts with every update the
//! customer is told about), resolution, one per pending approval, and the
//! follow-up callback. Each clock runs on a calendar (a business calendar or
//! round the clock), can be paused while we wait on the customer, warns at
//! configurable fractions of its target, and records for every cycle whether
//! it was met or breached.
//!
//! Invariants:
//! - `due_at` is `None` exactly while the clock is paused or stopped-while-paused
//!   never happens: stopping closes any open pause first.
//! - A clock's history holds one record per finished cycle, in cycle order.

mod clock;
mod policy;

pub use clock::{
    ClockKind, ClockOutcome, ClockStatus, ClockStop, CycleRecord, Pause, SlaClock, fraction_of,
};
pub use policy::{ClockTarget, PolicyMatch, SlaPolicies, SlaPolicy, SlaTargets};
