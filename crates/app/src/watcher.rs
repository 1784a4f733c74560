//! The SLA watcher: turns due reminders into desktop notifications.
//!
//! One [`App::tick`] asks the planner index what fell due since the last tick,
//! keeps what concerns the current user, records each reminder in the
//! reminder log (whose primary key is the reminder's stable key, so nothing is
//! shown twice, not even across restarts), brings back snoozed reminders whose
//! time came, and notifies: one toast each, or one summary when more than the
//! configured number arrive at once. [`run_watcher`] sleeps until the next due
//! instant, waking at least every 30 seconds so a changed wall clock or a
//! suspended laptop is noticed, and at once when a local change re-plans.

use crate::App;
use crate::error::AppResult;
use crate::messages::{escalation_text, reminder_text, summary_text};
use crate::ports::Notification;
use crate::settings::Settings;
use jiff::{SignedDuration, Timestamp};
use redress_domain::complaint::{Alert, Complaint};
use redress_domain::model::Role;
use redress_domain::planner::{Planner, Reminder, ReminderKind, resolution};
use std::sync::Arc;

/// The longest the watcher sleeps without re-checking.
pub const MAX_SLEEP: SignedDuration = SignedDuration::from_secs(30);

#[derive(Debug, Default)]
pub(crate) struct WatchState {
    pub planner: Planner,
}

impl WatchState {
    pub fn reset(&mut self) {
        self.planner = Planner::new();
    }
}

/// What one tick did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TickReport {
    /// Reminders newly recorded in the inbox (including snoozed ones back).
    pub recorded: usize,
    /// Desktop notifications shown (a summary counts as one).
    pub notified: usize,
    /// When the watcher should look again.
    pub next_wake: Timestamp,
}

/// Whether a reminder concerns this user: supervisors and above watch every
/// complaint, agents their own; approvals go to whoever ranks high enough.
fn concerns(r: &Reminder, s: &Settings) -> bool {
    match r.kind {
        ReminderKind::ApprovalWaiting => r.required_role.is_some_and(|need| s.role >= need),
        _ => s.role >= Role::Supervisor || r.owner.as_ref() == Some(&s.user),
    }
}

impl App {
    /// One watcher step at the clock's "now".
    pub fn tick(&self) -> AppResult<TickReport> {
        let now = self.now();
        let settings = self.settings()?;
        let due = self.watch_state().planner.poll(&self.rules(), now);
        let mine: Vec<Reminder> = due.into_iter().filter(|r| concerns(r, &settings)).collect();
        let lang = settings.language;
        let fresh = self.store.write(|tx| {
            let mut fresh = Vec::new();
            for r in &mine {
                let (number, customer) = match tx.reader().complaint(r.complaint)? {
                    Some(s) => (s.complaint.number, s.complaint.customer.name),
                    None => continue,
                };
                let (title, body) = reminder_text(lang, &self.tz, r, &number, &customer);
                if tx.record_reminder(r, now, &title, &body)? && settings.notify.wants(r.kind) {
                    fresh.push(Notification {
                        title,
                        body,
                        complaint: Some(r.complaint),
                    });
                }
            }
            for mut row in tx.take_snoozed_due(now)? {
                if let Some(s) = tx.reader().complaint(row.complaint_id)? {
                    let c = &s.complaint;
                    self.render_reminder(lang, &mut row, &c.number, &c.customer.name);
                }
                fresh.push(Notification {
                    title: row.title,
                    body: row.body,
                    complaint: Some(row.complaint_id),
                });
            }
            Ok::<_, crate::AppError>(fresh)
        })?;
        let recorded = fresh.len();
        let notified = self.show(&settings, fresh);
        if recorded > 0 || !mine.is_empty() {
            self.reminders_changed();
        }
        let cap = now + MAX_SLEEP;
        let next_wake = self
            .watch_state()
            .planner
            .next_wake()
            .map_or(cap, |t| t.clamp(now, cap));
        Ok(TickReport {
            recorded,
            notified,
            next_wake,
        })
    }

    /// Shows notifications, collapsing a burst into one summary.
    fn show(&self, settings: &Settings, batch: Vec<Notification>) -> usize {
        if batch.is_empty() {
            return 0;
        }
        let limit = usize::try_from(settings.notify.summary_over).unwrap_or(usize::MAX);
        let toasts = if batch.len() > limit {
            let (title, body) = summary_text(settings.language, batch.len());
            vec![Notification {
                title,
                body,
                complaint: None,
            }]
        } else {
            batch
        };
        for n in &toasts {
            // A notification that cannot be shown is still in the inbox.
            let _ = self.notifier.notify(n);
        }
        toasts.len()
    }
}

/// Tells supervisors at once about alerts that are not clock-driven.
pub(crate) fn notify_alerts(app: &App, c: &Complaint, alerts: &[Alert]) {
    let Ok(settings) = app.settings() else {
        return;
    };
    for alert in alerts {
        if let Alert::RepeatEscalated { ordinal, .. } = alert {
            if settings.role >= Role::Supervisor {
                let (title, body) =
                    escalation_text(settings.language, &c.number, &c.customer.name, *ordinal);
                let _ = app.notifier.notify(&Notification {
                    title,
                    body,
                    complaint: Some(c.id),
                });
            }
        }
    }
}

impl App {
    /// Moves to history the open reminders of `complaints` whose cause no
    /// longer needs anybody (the rule is `planner::resolution`): run after
    /// every local command, every synced change and at start-up, so a
    /// reminder clears on every desktop and stays cleared across restarts.
    pub(crate) fn resolve_reminders(&self, complaints: &[Complaint]) -> AppResult<usize> {
        let now = self.now();
        let resolved = self.store.write(|tx| {
            let mut n = 0;
            for c in complaints {
                let watch = c.watch();
                for key in tx.open_reminder_keys(c.id)? {
                    if let Some(how) = resolution(&watch, &key) {
                        n += usize::from(tx.resolve_reminder(&key, now, how)?);
                    }
                }
            }
            Ok::<_, crate::AppError>(n)
        })?;
        if resolved > 0 {
            self.reminders_changed();
        }
        Ok(resolved)
    }

    /// Checks every open reminder against its complaint as the store holds
    /// it now (start-up, after a bulk change).
    pub fn resolve_all_reminders(&self) -> AppResult<usize> {
        let complaints = self.store.read(|r| {
            let mut out = Vec::new();
            for id in r.complaints_with_open_reminders()? {
                if let Some(s) = r.complaint(id)? {
                    out.push(s.complaint);
                }
            }
            Ok::<_, crate::AppError>(out)
        })?;
        self.resolve_reminders(&complaints)
    }

    /// A logged reminder's text in `lang`, rendered now from what the
    /// planner said (rows from before that was kept keep their stored text).
    pub(crate) fn render_reminder(
        &self,
        lang: crate::settings::Language,
        row: &mut redress_local::ReminderRow,
        number: &str,
        customer: &str,
    ) {
        if let Some(r) = &row.reminder {
            (row.title, row.body) = reminder_text(lang, &self.tz, r, number, customer);
        }
    }
}

/// Runs the watcher until `stop` turns true. Blocking work runs off the async
/// runtime.
pub async fn run_watcher(app: Arc<App>, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        let a = Arc::clone(&app);
        let next = match tokio::task::spawn_blocking(move || a.tick()).await {
            Ok(Ok(report)) => report.next_wake,
            _ => app.now() + MAX_SLEEP,
        };
        let wait = next
            .duration_since(app.now())
            .clamp(SignedDuration::ZERO, MAX_SLEEP);
        let wait =
            std::time::Duration::try_from(wait).unwrap_or(std::time::Duration::from_secs(30));
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = app.wake.notified() => {}
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    break;
                }
            }
        }
    }
}
