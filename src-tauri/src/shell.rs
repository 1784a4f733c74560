//! The desktop's side of redress-app's ports: the batched "changed" event,
//! and the tray icon with the counts that need attention.

use redress_app::{App, Changed, EventSink, Opens, TrayMenu};
use redress_domain::ids::ComplaintId;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIcon;
use tauri::{AppHandle, Emitter, Wry};

/// The event the UI listens to; its payload is a [`Changed`].
pub const CHANGED_EVENT: &str = "changed";

/// The event that asks the UI to open something (a notification's click,
/// a tray entry); its payload is an [`redress_app::Opens`].
pub const OPEN_EVENT: &str = "open";

/// The event the header's sync indicator listens to; its payload is a
/// whole [`redress_app::SyncOverview`].
pub const SYNC_STATUS_EVENT: &str = "sync-status";

/// Changes arriving within this window go out as one event.
const BATCH_WINDOW: Duration = Duration::from_millis(50);

/// How often the tray's counts are refreshed when nothing changes (clocks
/// cross their thresholds with time alone).
const TRAY_REFRESH: Duration = Duration::from_secs(30);

/// The tray icon and the menu it shows now.
#[allow(missing_debug_implementations)] // Tauri's handles have no Debug.
pub struct Tray {
    pub icon: TrayIcon<Wry>,
    pub shown: Option<TrayMenu>,
}

/// The menu id of an entry that opens something.
pub fn open_id(opens: Opens) -> String {
    match opens {
        Opens::Complaint { id } => format!("open:{id}"),
        Opens::Reminders => "open:reminders".into(),
        Opens::Dashboard => "open:dashboard".into(),
        Opens::Console => "show".into(),
    }
}

/// What a menu id opens (the inverse of [`open_id`]).
pub fn opens_of(id: &str) -> Option<Opens> {
    match id.strip_prefix("open:")? {
        "reminders" => Some(Opens::Reminders),
        "dashboard" => Some(Opens::Dashboard),
        uuid => uuid
            .parse()
            .ok()
            .map(|u| Opens::Complaint { id: ComplaintId(u) }),
    }
}

/// The tray's menu for `m`: the counts, the complaints that need someone,
/// then "Show console" and "Quit". Linux status areas ignore tooltips, so
/// the counts are also the first (disabled) item.
pub fn tray_menu(handle: &AppHandle, m: &TrayMenu) -> tauri::Result<Menu<Wry>> {
    let menu = Menu::new(handle)?;
    menu.append(&MenuItem::with_id(
        handle,
        "status",
        &m.status,
        false,
        None::<&str>,
    )?)?;
    menu.append(&PredefinedMenuItem::separator(handle)?)?;
    for (i, e) in m.entries.iter().enumerate() {
        let item = match e.opens {
            Some(opens) => MenuItem::with_id(handle, open_id(opens), &e.label, true, None::<&str>)?,
            None => MenuItem::with_id(
                handle,
                format!("heading:{i}"),
                &e.label,
                false,
                None::<&str>,
            )?,
        };
        menu.append(&item)?;
    }
    if !m.entries.is_empty() {
        menu.append(&PredefinedMenuItem::separator(handle)?)?;
    }
    menu.append(&MenuItem::with_id(
        handle,
        "show",
        &m.show,
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        handle,
        "quit",
        &m.quit,
        true,
        None::<&str>,
    )?)?;
    Ok(menu)
}

impl Tray {
    /// Shows `m`, rebuilding the menu only when it changed.
    fn show(&mut self, handle: &AppHandle, m: TrayMenu) {
        if self.shown.as_ref() == Some(&m) {
            return;
        }
        if let Ok(menu) = tray_menu(handle, &m) {
            let _ = self.icon.set_menu(Some(menu));
        }
        let _ = self.icon.set_tooltip(Some(&m.status));
        let title = (m.breached > 0).then(|| m.breached.to_string());
        let _ = self.icon.set_title(title.as_deref());
        self.shown = Some(m);
    }
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
    mut tray: Option<Tray>,
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
        if let Some(tray) = tray.as_mut() {
            let a = Arc::clone(&app);
            let menu = tauri::async_runtime::spawn_blocking(move || a.tray_menu().ok())
                .await
                .ok()
                .flatten();
            if let Some(menu) = menu {
                tray.show(&handle, menu);
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
    fn a_menu_id_says_what_it_opens() {
        for opens in [
            Opens::Complaint { id: ids(7) },
            Opens::Reminders,
            Opens::Dashboard,
        ] {
            assert_eq!(opens_of(&open_id(opens)), Some(opens));
        }
        assert_eq!(opens_of("show"), None);
        assert_eq!(opens_of("open:not-a-uuid"), None);
        assert_eq!(opens_of("heading:1"), None);
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
