//! What the application needs from its surroundings, as traits, so the desktop
//! shell plugs in real ones (system time, OS notifications, Tauri events) and
//! tests plug in a fake clock and recorders.

use jiff::Timestamp;
use redress_domain::ids::ComplaintId;
use serde::Serialize;

/// Where "now" comes from. Never read the system time anywhere else.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// Wall-clock time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A desktop notification, already translated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub title: String,
    pub body: String,
    /// The complaint to open when the user looks; `None` for a summary.
    pub complaint: Option<ComplaintId>,
}

/// Shows notifications (the OS toast on the desktop).
pub trait Notifier: Send + Sync + 'static {
    fn notify(&self, n: &Notification) -> Result<(), String>;
}

/// What changed, batched: the UI refetches what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Changed {
    /// Complaints whose data changed (empty with `all` set).
    pub complaints: Vec<ComplaintId>,
    /// Everything may have changed (start-up, demo seed, settings).
    pub all: bool,
    pub reminders: bool,
    pub settings: bool,
}

/// Receives the batched "changed" event (a Tauri event on the desktop).
pub trait EventSink: Send + Sync + 'static {
    fn changed(&self, c: &Changed);
}

/// Shows no notifications and ignores changes: for a console without
/// notifications or windows (the command-line client, tests, benchmarks).
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Notifier for Quiet {
    fn notify(&self, _: &Notification) -> Result<(), String> {
        Ok(())
    }
}

impl EventSink for Quiet {
    fn changed(&self, _: &Changed) {}
}

impl<C: Clock> Clock for std::sync::Arc<C> {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

impl<N: Notifier> Notifier for std::sync::Arc<N> {
    fn notify(&self, n: &Notification) -> Result<(), String> {
        (**self).notify(n)
    }
}

impl<E: EventSink> EventSink for std::sync::Arc<E> {
    fn changed(&self, c: &Changed) {
        (**self).changed(c)
    }
}
