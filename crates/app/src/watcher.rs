//! The SLA watcher: turns due reminders into desktop notifications.
//!
//! One [`App::tick`] asks the planner index what fell due since the last tick,
//! keeps what concerns the current user, records each reminder in the
//! reminder log (whose primary key is the reminder's stable key, so nothing is
//! shown twice, not even across restarts), brings back snoozed reminders whose
//! time came, and notifies: one toast each, or one summary when more than the
//! configured number arrive at once. A reminder that falls due outside the
//! user's working calendar (quiet hours, [`redress_domain::Rules::deliver_at`])
//! waits in the log like a snoozed one and is shown at the next working
//! instant, unless its complaint is critical or publicly exposed.
//! [`run_watcher`] sleeps until the next due
//! instant, waking at least every 30 seconds so a changed wall clock or a
//! suspended laptop is noticed, and at once when a local change re-plans.

use crate::App;
use crate::error::AppResult;
use crate::messages::{escalation_text, grouped_text, reminder_text, summary_text};
use crate::ports::{Notification, Opens};
use crate::settings::Settings;
use jiff::{SignedDuration, Timestamp};
use redress_domain::complaint::{Alert, Complaint};
use redress_domain::model::{Role, Severity};
use redress_domain::planner::{Planner, Reminder, ReminderKind, Urgency, resolution};
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
            let rules = self.rules();
            for r in &mine {
                let Some(stored) = tx.reader().complaint(r.complaint)? else {
                    continue;
                };
                let c = &stored.complaint;
                let (title, body) = reminder_text(lang, &self.tz, r, &c.number, &c.customer.name);
                if tx.record_reminder(r, now, &title, &body)? && settings.notify.wants(r.kind) {
                    // Quiet hours: outside the user's working calendar the
                    // reminder waits (as if snoozed) for the next working
                    // instant, unless the complaint cannot wait.
                    let urgent = c.severity == Severity::CRITICAL || c.public_exposure;
                    let shown_at = rules.deliver_at(settings.user.as_str(), now, urgent);
                    if shown_at > now {
                        tx.snooze_reminder(&r.key, shown_at)?;
                        continue;
                    }
                    fresh.push(Notification::new(
                        lang,
                        (title, body),
                        r.kind.urgency(),
                        Opens::Complaint { id: r.complaint },
                    ));
                }
            }
            for mut row in tx.take_snoozed_due(now)? {
                if let Some(s) = tx.reader().complaint(row.complaint_id)? {
                    let c = &s.complaint;
                    self.render_reminder(lang, &mut row, &c.number, &c.customer.name);
                }
                fresh.push(Notification::new(
                    lang,
                    (row.title, row.body),
                    row.kind.urgency(),
                    Opens::Complaint {
                        id: row.complaint_id,
                    },
                ));
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

    /// Shows notifications: one toast per complaint, and one summary when
    /// more complaints than configured arrive at once.
    fn show(&self, settings: &Settings, batch: Vec<Notification>) -> usize {
        let toasts = group(settings, batch);
        for n in &toasts {
            // A notification that cannot be shown is still in the inbox.
            let _ = self.notifier.notify(n);
        }
        toasts.len()
    }
}

/// Folds what fell due in one tick into the toasts to show: the reminders of
/// one complaint become one toast (the most urgent first, with its urgency),
/// and more than `notify.summary_over` toasts become one summary (opening
/// the inbox) as urgent as its most urgent reminder.
pub(crate) fn group(settings: &Settings, batch: Vec<Notification>) -> Vec<Notification> {
    let lang = settings.language;
    let reminders = batch.len();
    let mut per: Vec<Vec<Notification>> = Vec::new();
    for n in batch {
        match per.iter_mut().find(|g| g[0].opens == n.opens) {
            Some(g) => g.push(n),
            None => per.push(vec![n]),
        }
    }
    let mut toasts: Vec<Notification> = per
        .into_iter()
        .map(|mut g| {
            // Stable: among equally urgent reminders the first due leads.
            g.sort_by_key(|n| std::cmp::Reverse(n.urgency));
            let lead = g.remove(0);
            if g.is_empty() {
                return lead;
            }
            let others: Vec<&str> = g.iter().map(|n| n.title.as_str()).collect();
            let text = grouped_text(lang, (&lead.title, &lead.body), &others);
            Notification::new(lang, text, lead.urgency, lead.opens)
        })
        .collect();
    let limit = usize::try_from(settings.notify.summary_over).unwrap_or(usize::MAX);
    if toasts.len() > limit {
        let urgency = toasts
            .iter()
            .map(|n| n.urgency)
            .max()
            .unwrap_or(Urgency::Low);
        toasts = vec![Notification::new(
            lang,
            summary_text(lang, reminders),
            urgency,
            Opens::Reminders,
        )];
    }
    toasts
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
                let _ = app.notifier.notify(&Notification::new(
                    settings.language,
                    (title, body),
                    Urgency::Normal,
                    Opens::Complaint { id: c.id },
                ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Language;
    use redress_domain::ids::ComplaintId;

    fn complaint(n: u128) -> Opens {
        Opens::Complaint {
            id: ComplaintId(uuid::Uuid::from_u128(n)),
        }
    }

    fn toast(title: &str, urgency: Urgency, opens: Opens) -> Notification {
        Notification::new(
            Language::En,
            (title.to_owned(), format!("{title} body")),
            urgency,
            opens,
        )
    }

    fn settings(summary_over: u32) -> Settings {
        let mut s = Settings {
            language: Language::En,
            ..Settings::default()
        };
        s.notify.summary_over = summary_over;
        s
    }

    #[test]
    fn reminders_of_one_complaint_become_one_toast_led_by_the_most_urgent() {
        let got = group(
            &settings(5),
            vec![
                toast("A: progress update due", Urgency::Normal, complaint(1)),
                toast("B: callback due", Urgency::Low, complaint(2)),
                toast("A: resolution breached", Urgency::Critical, complaint(1)),
                toast("A: approval waiting", Urgency::Low, complaint(1)),
            ],
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].opens, complaint(1));
        assert_eq!(got[0].urgency, Urgency::Critical);
        assert_eq!(got[0].title, "A: resolution breached (+2 more)");
        assert_eq!(
            got[0].body,
            "A: resolution breached body\nA: progress update due\nA: approval waiting"
        );
        assert_eq!(got[0].open_label, "Open complaint");
        assert_eq!(got[1].title, "B: callback due", "a single one is as it was");
        assert_eq!(got[1].urgency, Urgency::Low);
    }

    #[test]
    fn a_burst_over_the_limit_is_one_summary_as_urgent_as_its_loudest() {
        let batch: Vec<_> = (0..4)
            .map(|n| {
                let u = if n == 2 {
                    Urgency::Critical
                } else {
                    Urgency::Low
                };
                toast(&format!("C{n}"), u, complaint(n))
            })
            .chain([toast("C0 again", Urgency::Low, complaint(0))])
            .collect();
        let got = group(&settings(3), batch.clone());
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].opens, Opens::Reminders);
        assert_eq!(got[0].urgency, Urgency::Critical);
        assert_eq!(got[0].title, "5 reminders need you", "counts reminders");
        assert_eq!(got[0].open_label, "Open reminders");
        // Four complaints are within a limit of four: one toast each.
        assert_eq!(group(&settings(4), batch).len(), 4);
    }

    #[test]
    fn each_kind_has_its_urgency() {
        assert_eq!(ReminderKind::SlaBreach.urgency(), Urgency::Critical);
        assert_eq!(ReminderKind::SlaWarning.urgency(), Urgency::Normal);
        assert_eq!(ReminderKind::ProgressDue.urgency(), Urgency::Normal);
        assert_eq!(ReminderKind::ApprovalWaiting.urgency(), Urgency::Low);
        assert_eq!(ReminderKind::CallbackDue.urgency(), Urgency::Low);
    }
}
