//! The desktop's side of redress-app's ports: the batched "changed" event,
//! and the tray icon with the counts that need attention.

use redress_app::messages::tray_text;
use redress_app::{App, Changed, EventSink};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::menu::MenuItem;
use tauri::tray::TrayIcon;
use tauri::{AppHandle, Emitter, Wry};

/// The event the UI listens to; its payload is a [`Changed`].
pub const CHANGED_EVENT: &str = "changed";

/// The event that asks the UI to open something (a notification's click,
/// a tray entry); its payload is an [`redress_app::Opens`].
pub const OPEN_EVENT: &str = "open";

/// Changes arriving within this window go out as one event.
const BATCH_WINDOW: Duration = Duration::from_millis(50);

/// How often the tray's counts are refreshed when nothing changes (clocks
/// cross their thresholds with time alone).
const TRAY_REFRESH: Duration = Duration::from_secs(30);

/// The tray icon and its menu item that shows the counts.
#[allow(missing_debug_implementations)] // Tauri's handles have no Debug.
pub struct Tray {
    pub icon: TrayIcon<Wry>,
    pub status: MenuItem<Wry>,
}

/// Merges changes into one pending batch and wakes the emitter task.
#[derive(Debug, Default)]
pub struct Batcher {
    pending: Mutex<Option<Changed>>,
    wake: tokio::sync::Notify,
}

impl Batcher {
    /// Takes what accumulated since the last call.
    pub fn take(&self) -> Option<Changed> {
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }
}

/// Folds `next` into `acc`: `all` absorbs the complaint list.
pub fn merge(acc: &mut Changed, next: &Changed) {
    acc.all |= next.all;
    acc.reminders |= next.reminders;
    acc.settings |= next.settings;
    if acc.all {
        acc.complaints.clear();
    } else {
        for id in &next.complaints {
            if !acc.complaints.contains(id) {
                acc.complaints.push(*id);
            }
        }
    }
}

impl EventSink for Batcher {
    fn changed(&self, c: &Changed) {
        let mut p = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        match p.as_mut() {
            Some(acc) => merge(acc, c),
            None => *p = Some(c.clone()),
        }
        drop(p);
        self.wake.notify_one();
    }
}

/// Emits batched changes to the UI and keeps the tray's counts current.
pub async fn run_emitter(
    handle: AppHandle,
    app: Arc<App>,
    batcher: Arc<Batcher>,
    tray: Option<Tray>,
) {
    loop {
        let woke = tokio::time::timeout(TRAY_REFRESH, batcher.wake.notified())
            .await
            .is_ok();
        if woke {
            tokio::time::sleep(BATCH_WINDOW).await;
            if let Some(c) = batcher.take() {
                let _ = handle.emit(CHANGED_EVENT, &c);
            }
        }
        if let Some(tray) = &tray {
            let a = Arc::clone(&app);
            let text = tauri::async_runtime::spawn_blocking(move || {
                let lang = a.settings().map(|s| s.language).ok()?;
                a.counts().ok().map(|c| (tray_text(lang, &c), c.breached))
            })
            .await
            .ok()
            .flatten();
            if let Some((text, breached)) = text {
                let _ = tray.status.set_text(&text);
                let _ = tray.icon.set_tooltip(Some(&text));
                let title = (breached > 0).then(|| breached.to_string());
                let _ = tray.icon.set_title(title.as_deref());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redress_domain::ids::ComplaintId;

    fn ids(n: u128) -> ComplaintId {
        ComplaintId(uuid::Uuid::from_u128(n))
    }

    fn change(complaints: Vec<ComplaintId>) -> Changed {
        Changed {
            complaints,
            all: false,
            reminders: false,
            settings: false,
        }
    }

    #[test]
    fn a_burst_of_changes_becomes_one_batch() {
        let b = Batcher::default();
        b.changed(&change(vec![ids(1)]));
        b.changed(&change(vec![ids(2), ids(1)]));
        b.changed(&Changed {
            reminders: true,
            ..change(vec![])
        });
        let got = b.take().expect("a batch");
        assert_eq!(got.complaints, vec![ids(1), ids(2)]);
        assert!(got.reminders && !got.all && !got.settings);
        assert_eq!(b.take(), None, "taking empties the batch");
    }

    #[test]
    fn all_absorbs_the_complaint_list() {
        let mut acc = change(vec![ids(1)]);
        merge(
            &mut acc,
            &Changed {
                all: true,
                settings: true,
                ..change(vec![])
            },
        );
        merge(&mut acc, &change(vec![ids(3)]));
        assert!(acc.all && acc.settings);
        assert!(acc.complaints.is_empty());
    }
}
