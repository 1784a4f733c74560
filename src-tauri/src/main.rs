//! The Redress console: a Tauri v2 window over redress-app.
//!
//! Everything the console does lives in redress-app; this binary wires it to
//! the desktop: the data directory (`REDRESS_DATA_DIR`, else the OS app-data
//! directory), the commands the UI invokes, OS notifications, the batched
//! "changed" event, the tray icon, single-instance hand-over, and the SLA
//! watcher running for as long as the window does.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]
#![forbid(unsafe_code)]

mod commands;
mod keychain;
mod notify;
mod shell;

use commands::Shared;
use redress_app::{App, Changed, Opens, SyncManager, SystemClock};
use redress_domain::Rules;
use shell::{Batcher, OPEN_EVENT, SYNC_STATUS_EVENT, Tray};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Emitter, Manager};

fn data_dir(handle: &AppHandle) -> Result<PathBuf, String> {
    if let Some(dir) = redress_local::data_dir_from_env() {
        return Ok(dir);
    }
    handle
        .path()
        .app_data_dir()
        .map_err(|e| format!("no application data directory: {e}"))
}

fn show_main(handle: &AppHandle) {
    if let Some(w) = handle.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Raises the console and asks the UI to open what a click was about.
fn open(handle: &AppHandle, opens: Opens) {
    show_main(handle);
    if opens != Opens::Console {
        let _ = handle.emit(OPEN_EVENT, opens);
    }
}

/// The tray icon, with the menu of [`App::tray_menu`] (kept current by the
/// emitter); an entry for a complaint opens it.
fn build_tray(handle: &AppHandle, app: &App) -> Result<Tray, String> {
    let first = app.tray_menu().map_err(|e| e.message)?;
    let menu = shell::tray_menu(handle, &first).map_err(|e| e.to_string())?;
    let mut builder = TrayIconBuilder::with_id("redress")
        .tooltip(&first.status)
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, ev| match ev.id.as_ref() {
            "show" => show_main(app),
            "quit" => app.exit(0),
            id => {
                if let Some(opens) = shell::opens_of(id) {
                    open(app, opens);
                }
            }
        })
        .on_tray_icon_event(|tray, ev| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = ev
            {
                show_main(tray.app_handle());
            }
        });
    if let Some(icon) = handle.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    Ok(Tray {
        icon: builder.build(handle).map_err(|e| e.to_string())?,
        shown: Some(first),
    })
}

fn setup(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let handle = app.handle().clone();
    let dir = data_dir(&handle)?;
    let batcher = Arc::new(Batcher::default());
    let opener = handle.clone();
    let notifier = notify::desktop_notifier(&handle, move |opens| open(&opener, opens));
    let shared: Shared = Arc::new(
        App::open(
            &dir,
            Arc::new(Rules::default()),
            Arc::new(SystemClock),
            Arc::clone(&notifier),
            Arc::clone(&batcher) as Arc<dyn redress_app::EventSink>,
        )
        .map_err(|e| format!("cannot open the data directory {}: {e}", dir.display()))?,
    );
    app.manage(Arc::clone(&shared));

    // Server sync: decided before any command can run, so no change made
    // on a linked store is settled standalone; a signed-in one starts its
    // background loop below.
    if let Err(e) = shared.follow_link() {
        eprintln!("error[{}]: {}", e.code, e.message);
    }
    let status_handle = handle.clone();
    let sync = Arc::new(SyncManager::new(
        Arc::clone(&shared),
        Arc::new(keychain::Keychain),
        move |overview| {
            let _ = status_handle.emit(SYNC_STATUS_EVENT, overview);
        },
    ));
    app.manage(Arc::clone(&sync));
    // Reading the token may wait on the keychain (a D-Bus call): off the
    // main thread.
    let launching = Arc::clone(&sync);
    tauri::async_runtime::spawn_blocking(move || {
        if let Err(e) = launching.launch() {
            eprintln!(
                "error[{}]: server sync did not start: {}",
                e.code, e.message
            );
        }
    });

    // A desktop without a status area (or a test display) has no tray; the
    // console works the same without it.
    let tray = build_tray(&handle, &shared).ok();

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    app.manage(stop_tx);
    tauri::async_runtime::spawn(redress_app::run_watcher(Arc::clone(&shared), stop_rx));
    tauri::async_runtime::spawn(shell::run_emitter(
        handle,
        Arc::clone(&shared),
        Arc::clone(&batcher),
        tray,
    ));
    // The UI loads everything once the store is open.
    redress_app::EventSink::changed(
        batcher.as_ref(),
        &Changed {
            complaints: Vec::new(),
            all: true,
            reminders: true,
            settings: true,
        },
    );
    Ok(())
}

/// The single-instance key (on Linux a session-bus name) for a data
/// directory set by `REDRESS_DATA_DIR`: one console per data directory, so
/// consoles on different data directories (tests, two accounts) run side by
/// side while a second launch on the same one still hands over. Without the
/// variable the plugin keys on the app identifier alone.
fn instance_id(dir: &Path) -> String {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    // FNV-1a: stable across builds and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in dir.to_string_lossy().as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("com.redress.console.d{h:016x}")
}

fn main() {
    let mut single = tauri_plugin_single_instance::Builder::new().callback(|app, _argv, _cwd| {
        show_main(app);
    });
    if let Some(dir) = redress_local::data_dir_from_env() {
        single = single.dbus_id(instance_id(&dir));
    }
    let result = tauri::Builder::default()
        // Must come first: a second launch hands over to the running console
        // and exits.
        .plugin(single.build())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(tauri::generate_handler![
            commands::dashboard,
            commands::complaint,
            commands::approvals,
            commands::decided_approvals,
            commands::intake_lookup,
            commands::team,
            commands::identity_status,
            commands::archive_standalone_history,
            commands::saved_views,
            commands::set_saved_views,
            commands::bulk_assign,
            commands::callbacks,
            commands::reminders,
            commands::record_complaint,
            commands::execute,
            commands::reminder_history,
            commands::counts,
            commands::ack_reminders,
            commands::snooze_reminders,
            commands::settings,
            commands::set_settings,
            commands::catalogs,
            commands::admin_config,
            commands::admin_save,
            commands::admin_import,
            commands::admin_versions,
            commands::admin_diff,
            commands::admin_audit,
            commands::admin_audit_export,
            commands::admin_accounts,
            commands::admin_add_account,
            commands::admin_edit_account,
            commands::admin_reset_password,
            commands::admin_sessions,
            commands::admin_revoke_sessions,
            commands::authority_route,
            commands::import_ical,
            commands::sync_overview,
            commands::sign_in,
            commands::sign_out,
            commands::sync_issues,
            commands::dismiss_sync_issue,
        ])
        .setup(setup)
        .build(tauri::generate_context!());
    let app = match result {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error[start_failed]: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            if let Some(stop) = handle.try_state::<tokio::sync::watch::Sender<bool>>() {
                let _ = stop.send(true);
            }
            if let Some(sync) = handle.try_state::<commands::Sync>() {
                sync.stop();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::instance_id;
    use std::path::Path;

    #[test]
    fn each_data_directory_has_its_own_instance_name() {
        let a = instance_id(Path::new("/nonexistent/a"));
        let b = instance_id(Path::new("/nonexistent/b"));
        assert_ne!(a, b);
        assert_eq!(a, instance_id(Path::new("/nonexistent/a")), "stable");
        // A valid D-Bus name: dot-separated elements not starting with a
        // digit, only [A-Za-z0-9_-].
        for part in a.split('.') {
            assert!(!part.is_empty() && !part.starts_with(|c: char| c.is_ascii_digit()));
            assert!(
                part.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            );
        }
    }
}
