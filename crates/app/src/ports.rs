//! What the application needs from its surroundings, as traits, so the desktop
//! shell plugs in real ones (system time, OS notifications, Tauri events) and
//! tests plug in a fake clock and recorders.

use crate::settings::Language;
use jiff::Timestamp;
use redress_domain::ids::ComplaintId;
use redress_domain::planner::Urgency;
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

/// What a notification opens when the user clicks it (its default action)
/// or a tray entry opens: the console's route, named as the UI names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "screen", rename_all = "snake_case")]
pub enum Opens {
    /// One complaint's page.
    Complaint { id: ComplaintId },
    /// The reminder inbox (a summary of several reminders).
    Reminders,
    /// The dashboard (the tray's "more" entry).
    Dashboard,
    /// The console as it is (news about the console itself).
    Console,
}

/// A desktop notification, already translated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub title: String,
    pub body: String,
    pub urgency: Urgency,
    /// What clicking it opens.
    pub opens: Opens,
    /// The click action's label, in the user's language.
    pub open_label: String,
}

impl Notification {
    /// A notification in `lang` whose action label fits what it opens.
    pub fn new(
        lang: Language,
        (title, body): (String, String),
        urgency: Urgency,
        opens: Opens,
    ) -> Notification {
        Notification {
            title,
            body,
            urgency,
            open_label: crate::messages::open_label(lang, opens).to_owned(),
            opens,
        }
    }

    /// The complaint it is about, if one.
    pub fn complaint(&self) -> Option<ComplaintId> {
        match self.opens {
            Opens::Complaint { id } => Some(id),
            Opens::Reminders | Opens::Dashboard | Opens::Console => None,
        }
    }
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
