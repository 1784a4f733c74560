//! Desktop notifications.
//!
//! On Linux they go straight to the freedesktop notification service over
//! the session bus: the product name as the application, the urgency hint
//! from the reminder's kind, a `default` action (what a click on the
//! notification does), and `replaces_id` so a newer toast about the same
//! complaint takes the place of the older one instead of stacking. One
//! connection sends every toast and listens for `ActionInvoked`, so a click
//! opens what the toast is about.
//!
//! tauri-plugin-notification (notify-rust underneath) can show a toast but
//! hands out no click: notify-rust's own handle waits for the action with a
//! blocking call and a connection per toast, kept until the toast closes.
//! A replaced toast would keep its waiter, so this asks zbus directly.
//! Elsewhere (and on a Linux session without a bus) the plugin shows the
//! toast and a click just raises the console.

use redress_app::{Notification, Notifier, Opens};
use std::sync::Arc;
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// The application name the notification service shows.
pub const APP_NAME: &str = "Redress";

/// Notifications through tauri-plugin-notification.
#[derive(Debug)]
pub struct PluginNotifier {
    pub handle: AppHandle,
}

impl Notifier for PluginNotifier {
    fn notify(&self, n: &Notification) -> Result<(), String> {
        self.handle
            .notification()
            .builder()
            .title(&n.title)
            .body(&n.body)
            .show()
            .map_err(|e| e.to_string())
    }
}

/// The desktop's notifier; `on_open` runs when the user clicks a toast.
pub fn desktop_notifier(
    handle: &AppHandle,
    on_open: impl Fn(Opens) + Send + Sync + 'static,
) -> Arc<dyn Notifier> {
    #[cfg(target_os = "linux")]
    match freedesktop::Freedesktop::connect(on_open) {
        Ok(n) => return n,
        Err(e) => eprintln!("warning: notifications without click-through: {e}"),
    }
    #[cfg(not(target_os = "linux"))]
    let _ = on_open;
    Arc::new(PluginNotifier {
        handle: handle.clone(),
    })
}

#[cfg(target_os = "linux")]
mod freedesktop {
    use super::APP_NAME;
    use redress_app::{Notification, Notifier, Opens};
    use redress_domain::planner::Urgency;
    use std::collections::{BTreeMap, HashMap};
    use std::sync::{Arc, Mutex};
    use zbus::zvariant::Value;

    #[zbus::proxy(
        interface = "org.freedesktop.Notifications",
        default_service = "org.freedesktop.Notifications",
        default_path = "/org/freedesktop/Notifications"
    )]
    trait Notifications {
        #[allow(clippy::too_many_arguments)] // The specification's call.
        fn notify(
            &self,
            app_name: &str,
            replaces_id: u32,
            app_icon: &str,
            summary: &str,
            body: &str,
            actions: &[&str],
            hints: HashMap<&str, Value<'_>>,
            expire_timeout: i32,
        ) -> zbus::Result<u32>;

        #[zbus(signal)]
        fn action_invoked(&self, id: u32, action_key: String) -> zbus::Result<()>;

        #[zbus(signal)]
        fn notification_closed(&self, id: u32, reason: u32) -> zbus::Result<()>;
    }

    /// The specification's urgency byte.
    fn urgency_byte(u: Urgency) -> u8 {
        match u {
            Urgency::Low => 0,
            Urgency::Normal => 1,
            Urgency::Critical => 2,
        }
    }

    /// The most toasts remembered: a server that never says a toast closed
    /// (some drop expired ones silently) must not grow this without end.
    const MAX_REMEMBERED: usize = 256;

    /// The toasts still on screen, both ways.
    #[derive(Debug, Default)]
    struct Shown {
        /// What each toast opens, by id (ids grow, so the first is oldest).
        opens: BTreeMap<u32, Opens>,
        /// The toast now showing for a complaint (or the summary), and how
        /// urgent it is.
        current: HashMap<Opens, (u32, Urgency)>,
    }

    impl Shown {
        /// The toast a new one about `opens` replaces: the one showing for
        /// the same thing, unless it is more urgent (a breach is not
        /// replaced by a routine callback; both stay).
        fn replaces(&self, opens: Opens, urgency: Urgency) -> u32 {
            match (opens, self.current.get(&opens)) {
                (Opens::Console, _) | (_, None) => 0,
                (_, Some((id, was))) => {
                    if *was <= urgency {
                        *id
                    } else {
                        0
                    }
                }
            }
        }

        /// Remembers toast `id`, forgetting the oldest beyond the cap.
        fn shown(&mut self, id: u32, opens: Opens, urgency: Urgency) {
            self.opens.insert(id, opens);
            if opens != Opens::Console {
                self.current.insert(opens, (id, urgency));
            }
            while self.opens.len() > MAX_REMEMBERED {
                let Some((&oldest, _)) = self.opens.first_key_value() else {
                    break;
                };
                self.closed(oldest);
            }
        }

        fn closed(&mut self, id: u32) {
            if let Some(opens) = self.opens.remove(&id)
                && self.current.get(&opens).is_some_and(|(c, _)| *c == id)
            {
                self.current.remove(&opens);
            }
        }
    }

    pub struct Freedesktop {
        proxy: NotificationsProxyBlocking<'static>,
        shown: Arc<Mutex<Shown>>,
    }

    impl std::fmt::Debug for Freedesktop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Freedesktop").finish_non_exhaustive()
        }
    }

    fn lock(m: &Mutex<Shown>) -> std::sync::MutexGuard<'_, Shown> {
        m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    impl Freedesktop {
        /// Connects to the session bus and listens for clicks and closes.
        pub fn connect(
            on_open: impl Fn(Opens) + Send + Sync + 'static,
        ) -> zbus::Result<Arc<dyn Notifier>> {
            let conn = zbus::blocking::Connection::session()?;
            let proxy = NotificationsProxyBlocking::new(&conn)?;
            let shown = Arc::new(Mutex::new(Shown::default()));

            // One stream for both signals, so a click and the close that
            // follows it are handled in the order the server sent them.
            let signals = proxy.inner().receive_all_signals()?;
            let seen = Arc::clone(&shown);
            std::thread::Builder::new()
                .name("notification-signals".into())
                .spawn(move || {
                    for msg in signals {
                        if let Some(clicked) = ActionInvoked::from_message(msg.clone()) {
                            let Ok(args) = clicked.args() else { continue };
                            let opens = lock(&seen).opens.get(&args.id).copied();
                            if let (Some(opens), "default") = (opens, args.action_key.as_str()) {
                                on_open(opens);
                            }
                        } else if let Some(closed) = NotificationClosed::from_message(msg)
                            && let Ok(args) = closed.args()
                        {
                            lock(&seen).closed(args.id);
                        }
                    }
                })
                .map_err(|e| zbus::Error::Failure(e.to_string()))?;

            Ok(Arc::new(Freedesktop { proxy, shown }))
        }
    }

    impl Notifier for Freedesktop {
        fn notify(&self, n: &Notification) -> Result<(), String> {
            let replaces = lock(&self.shown).replaces(n.opens, n.urgency);
            let mut hints = HashMap::new();
            hints.insert("urgency", Value::U8(urgency_byte(n.urgency)));
            let id = self
                .proxy
                .notify(
                    APP_NAME,
                    replaces,
                    "",
                    &n.title,
                    &n.body,
                    &["default", n.open_label.as_str()],
                    hints,
                    -1,
                )
                .map_err(|e| e.to_string())?;
            let mut shown = lock(&self.shown);
            if replaces != 0 && replaces != id {
                shown.opens.remove(&replaces);
            }
            shown.shown(id, n.opens, n.urgency);
            Ok(())
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use redress_domain::ids::ComplaintId;

        fn complaint(n: u128) -> Opens {
            Opens::Complaint {
                id: ComplaintId(uuid::Uuid::from_u128(n)),
            }
        }

        #[test]
        fn a_newer_toast_replaces_the_one_about_the_same_complaint_unless_less_urgent() {
            let mut s = Shown::default();
            assert_eq!(
                s.replaces(complaint(1), Urgency::Normal),
                0,
                "nothing shown"
            );
            s.opens.insert(7, complaint(1));
            s.current.insert(complaint(1), (7, Urgency::Normal));
            assert_eq!(s.replaces(complaint(1), Urgency::Normal), 7);
            assert_eq!(s.replaces(complaint(1), Urgency::Critical), 7);
            assert_eq!(
                s.replaces(complaint(1), Urgency::Low),
                0,
                "keeps the louder one"
            );
            assert_eq!(
                s.replaces(complaint(2), Urgency::Critical),
                0,
                "another complaint"
            );
            assert_eq!(s.replaces(Opens::Console, Urgency::Low), 0);
            s.closed(7);
            assert_eq!(s.replaces(complaint(1), Urgency::Normal), 0, "closed");
            assert!(s.opens.is_empty());
        }

        #[test]
        fn toasts_never_closed_are_forgotten_oldest_first() {
            let mut s = Shown::default();
            let n = u32::try_from(MAX_REMEMBERED).expect("small") + 10;
            for id in 1..=n {
                s.shown(id, complaint(u128::from(id)), Urgency::Low);
            }
            assert_eq!(s.opens.len(), MAX_REMEMBERED);
            assert_eq!(s.current.len(), MAX_REMEMBERED);
            assert!(!s.opens.contains_key(&10) && s.opens.contains_key(&11));
            assert_eq!(
                s.replaces(complaint(n.into()), Urgency::Low),
                n,
                "the newest stays"
            );
        }
    }
}
