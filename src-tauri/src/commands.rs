//! The commands the UI invokes: each one hands its work to redress-app on a
//! blocking thread (SQLite must never run on the async runtime) and returns
//! the app's own error, which carries a stable code the UI translates.

use redress_app::admin::{
    AccountEdit, AccountInput, AccountLine, AdminConfig, AuditLine, ConfigEdit, DiffLine,
    SessionLine, VersionLine,
};
use redress_app::{
    App, AppError, ApprovalItem, BulkOutcome, CallbackItem, ComplaintView, DashboardView,
    DecidedItem, IdentityStatus, IntakeLookup, IntakeQuery, ReminderItem, SavedView, Settings,
    SignIn, SyncIssue, SyncManager, SyncOverview, TeamView,
};
use redress_domain::catalog::Catalogs;
use redress_domain::complaint::{Command, ComplaintDraft};
use redress_domain::ids::{ComplaintId, DeptId, UserId};
use redress_local::{DashboardQuery, HeaderCounts};
use std::sync::Arc;
use tauri::State;

/// The one application object, shared by every command.
pub type Shared = Arc<App>;

/// The console's server sync, shared by every command.
pub type Sync = Arc<SyncManager>;

/// How this console names itself to the server.
const DEVICE_NAME: &str = "Redress console";

/// Like [`blocking`], for the sync manager.
async fn blocking_sync<T, F>(sync: &State<'_, Sync>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&SyncManager) -> Result<T, AppError> + Send + 'static,
{
    let sync = Arc::clone(sync);
    tauri::async_runtime::spawn_blocking(move || f(&sync))
        .await
        .map_err(|e| AppError::internal(format!("background task failed: {e}")))?
}

async fn blocking<T, F>(app: &State<'_, Shared>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&App) -> Result<T, AppError> + Send + 'static,
{
    let app = Arc::clone(app);
    tauri::async_runtime::spawn_blocking(move || f(&app))
        .await
        .map_err(|e| AppError::internal(format!("background task failed: {e}")))?
}

#[tauri::command]
pub async fn dashboard(
    app: State<'_, Shared>,
    query: DashboardQuery,
) -> Result<DashboardView, AppError> {
    blocking(&app, move |a| a.dashboard(query)).await
}

#[tauri::command]
pub async fn complaint(app: State<'_, Shared>, id: ComplaintId) -> Result<ComplaintView, AppError> {
    blocking(&app, move |a| a.complaint(id)).await
}

#[tauri::command]
pub async fn approvals(app: State<'_, Shared>) -> Result<Vec<ApprovalItem>, AppError> {
    blocking(&app, App::approvals).await
}

/// Whether the console must ask who is at the keyboard, and where the
/// identity comes from.
#[tauri::command]
pub async fn identity_status(app: State<'_, Shared>) -> Result<IdentityStatus, AppError> {
    blocking(&app, App::identity_status).await
}

/// Archives a standalone console's history (a copy in the data directory)
/// and empties the store so it can join a server; returns the archive path.
#[tauri::command]
pub async fn archive_standalone_history(app: State<'_, Shared>) -> Result<String, AppError> {
    blocking(&app, |a| {
        a.archive_standalone_history()
            .map(|p| p.to_string_lossy().into_owned())
    })
    .await
}

/// The current user's saved dashboard views.
#[tauri::command]
pub async fn catalogs(app: State<'_, Shared>) -> Result<Catalogs, AppError> {
    blocking(&app, |a| Ok(a.catalogs())).await
}

#[tauri::command]
pub async fn saved_views(app: State<'_, Shared>) -> Result<Vec<SavedView>, AppError> {
    blocking(&app, App::saved_views).await
}

#[tauri::command]
pub async fn set_saved_views(
    app: State<'_, Shared>,
    views: Vec<SavedView>,
) -> Result<(), AppError> {
    blocking(&app, move |a| a.set_saved_views(&views)).await
}

/// Workload per owner, the unassigned queue, and who and where to assign to.
#[tauri::command]
pub async fn team(app: State<'_, Shared>) -> Result<TeamView, AppError> {
    blocking(&app, App::team).await
}

/// Assigns several complaints at once; each is tried on its own.
#[tauri::command]
pub async fn bulk_assign(
    app: State<'_, Shared>,
    ids: Vec<ComplaintId>,
    department: DeptId,
    owner: Option<UserId>,
) -> Result<BulkOutcome, AppError> {
    blocking(&app, move |a| {
        a.bulk_assign(&ids, &department, owner.as_ref())
    })
    .await
}

/// The intake form's live check of the phone and the customer's complaints.
#[tauri::command]
pub async fn intake_lookup(
    app: State<'_, Shared>,
    query: IntakeQuery,
) -> Result<IntakeLookup, AppError> {
    blocking(&app, move |a| a.intake_lookup(&query)).await
}

/// Approvals decided in the last `days` days, newest first.
#[tauri::command]
pub async fn decided_approvals(
    app: State<'_, Shared>,
    days: u32,
    limit: u32,
) -> Result<Vec<DecidedItem>, AppError> {
    blocking(&app, move |a| a.decided_approvals(days, limit)).await
}

#[tauri::command]
pub async fn callbacks(app: State<'_, Shared>) -> Result<Vec<CallbackItem>, AppError> {
    blocking(&app, App::callbacks).await
}

#[tauri::command]
pub async fn reminders(app: State<'_, Shared>, limit: u32) -> Result<Vec<ReminderItem>, AppError> {
    blocking(&app, move |a| a.reminders(limit)).await
}

/// The header and navigation counts (breached, at risk, approvals,
/// callbacks, reminders) at this instant.
#[tauri::command]
pub async fn counts(app: State<'_, Shared>) -> Result<HeaderCounts, AppError> {
    blocking(&app, App::counts).await
}

#[tauri::command]
pub async fn reminder_history(
    app: State<'_, Shared>,
    limit: u32,
) -> Result<Vec<ReminderItem>, AppError> {
    blocking(&app, move |a| a.reminder_history(limit)).await
}

#[tauri::command]
pub async fn record_complaint(
    app: State<'_, Shared>,
    sync: State<'_, Sync>,
    input: ComplaintDraft,
) -> Result<ComplaintId, AppError> {
    let id = blocking(&app, move |a| a.record_complaint(input)).await?;
    sync.nudge();
    Ok(id)
}

#[tauri::command]
pub async fn execute(
    app: State<'_, Shared>,
    sync: State<'_, Sync>,
    id: ComplaintId,
    command: Command,
) -> Result<(), AppError> {
    blocking(&app, move |a| a.execute(id, &command)).await?;
    sync.nudge();
    Ok(())
}

#[tauri::command]
pub async fn ack_reminders(app: State<'_, Shared>, keys: Vec<String>) -> Result<(), AppError> {
    blocking(&app, move |a| a.ack_reminders(&keys)).await
}

#[tauri::command]
pub async fn snooze_reminders(
    app: State<'_, Shared>,
    keys: Vec<String>,
    minutes: u32,
) -> Result<(), AppError> {
    blocking(&app, move |a| a.snooze_reminders(&keys, minutes)).await
}

#[tauri::command]
pub async fn settings(app: State<'_, Shared>) -> Result<Settings, AppError> {
    blocking(&app, App::settings).await
}

#[tauri::command]
pub async fn set_settings(app: State<'_, Shared>, settings: Settings) -> Result<(), AppError> {
    blocking(&app, move |a| a.set_settings(&settings)).await
}

#[tauri::command]
pub async fn sync_overview(sync: State<'_, Sync>) -> Result<SyncOverview, AppError> {
    blocking_sync(&sync, SyncManager::overview).await
}

#[tauri::command]
pub async fn sign_in(
    sync: State<'_, Sync>,
    url: String,
    user: String,
    password: String,
    ca_file: Option<String>,
    insecure_http: bool,
) -> Result<SyncOverview, AppError> {
    // An empty field means no file.
    let ca_file = ca_file
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .map(std::path::PathBuf::from);
    blocking_sync(&sync, move |s| {
        s.sign_in(&SignIn {
            url: &url,
            user: &user,
            password: &password,
            ca_file: ca_file.as_deref(),
            insecure_http,
            device_name: DEVICE_NAME,
        })
    })
    .await
}

#[tauri::command]
pub async fn sign_out(sync: State<'_, Sync>) -> Result<SyncOverview, AppError> {
    blocking_sync(&sync, SyncManager::sign_out).await
}

#[tauri::command]
pub async fn sync_issues(app: State<'_, Shared>) -> Result<Vec<SyncIssue>, AppError> {
    blocking(&app, App::sync_issues).await
}

#[tauri::command]
pub async fn dismiss_sync_issue(app: State<'_, Shared>, client_seq: i64) -> Result<(), AppError> {
    blocking(&app, move |a| a.dismiss_sync_issue(client_seq)).await
}

// The site configuration and the audit log (admins only; the app refuses
// anyone else with `forbidden_role`).

#[tauri::command]
pub async fn admin_config(sync: State<'_, Sync>) -> Result<AdminConfig, AppError> {
    blocking_sync(&sync, |s| s.with_vault(|a, v| a.admin_config(v))).await
}

#[tauri::command]
pub async fn admin_save(sync: State<'_, Sync>, edit: ConfigEdit) -> Result<Option<i64>, AppError> {
    blocking_sync(&sync, move |s| s.with_vault(|a, v| a.admin_save(v, edit))).await
}

#[tauri::command]
pub async fn admin_import(
    sync: State<'_, Sync>,
    toml: String,
    base_version: Option<i64>,
    note: String,
) -> Result<Option<i64>, AppError> {
    blocking_sync(&sync, move |s| {
        s.with_vault(|a, v| a.admin_import(v, &toml, base_version, &note))
    })
    .await
}

#[tauri::command]
pub async fn admin_versions(sync: State<'_, Sync>) -> Result<Vec<VersionLine>, AppError> {
    blocking_sync(&sync, |s| s.with_vault(|a, v| a.admin_versions(v))).await
}

#[tauri::command]
pub async fn admin_diff(
    sync: State<'_, Sync>,
    from: i64,
    to: i64,
) -> Result<Vec<DiffLine>, AppError> {
    blocking_sync(&sync, move |s| {
        s.with_vault(|a, v| a.admin_diff(v, from, to))
    })
    .await
}

#[tauri::command]
pub async fn admin_audit(sync: State<'_, Sync>) -> Result<Vec<AuditLine>, AppError> {
    blocking_sync(&sync, |s| s.with_vault(|a, v| a.admin_audit(v))).await
}

/// Writes the audit log as CSV into the user's download folder (the data
/// folder when there is none) and returns the file's path.
#[tauri::command]
pub async fn admin_audit_export(
    handle: tauri::AppHandle,
    sync: State<'_, Sync>,
) -> Result<String, AppError> {
    use tauri::Manager as _;
    let folder = handle
        .path()
        .download_dir()
        .or_else(|_| handle.path().app_data_dir())
        .map_err(|e| AppError::internal(format!("no folder to save into: {e}")))?;
    blocking_sync(&sync, move |s| {
        let (csv, now) = s.with_vault(|a, v| Ok((a.admin_audit_csv(v)?, a.now())))?;
        std::fs::create_dir_all(&folder)
            .map_err(|e| AppError::new(redress_domain::ErrorCode::StoreIo, e.to_string()))?;
        let stamp = now.strftime("%Y%m%d-%H%M%S");
        let path = folder.join(format!("redress-audit-{stamp}.csv"));
        std::fs::write(&path, csv).map_err(|e| {
            AppError::new(
                redress_domain::ErrorCode::StoreIo,
                format!("cannot write {}: {e}", path.display()),
            )
        })?;
        Ok(path.display().to_string())
    })
    .await
}

// Accounts on the server (admins only).

#[tauri::command]
pub async fn admin_accounts(sync: State<'_, Sync>) -> Result<Vec<AccountLine>, AppError> {
    blocking_sync(&sync, |s| s.with_vault(|a, v| a.admin_accounts(v))).await
}

#[tauri::command]
pub async fn admin_add_account(
    sync: State<'_, Sync>,
    input: AccountInput,
) -> Result<AccountLine, AppError> {
    blocking_sync(&sync, move |s| {
        s.with_vault(|a, v| a.admin_add_account(v, input))
    })
    .await
}

#[tauri::command]
pub async fn admin_edit_account(
    sync: State<'_, Sync>,
    name: String,
    edit: AccountEdit,
) -> Result<AccountLine, AppError> {
    blocking_sync(&sync, move |s| {
        s.with_vault(|a, v| a.admin_edit_account(v, &name, edit))
    })
    .await
}

#[tauri::command]
pub async fn admin_reset_password(
    sync: State<'_, Sync>,
    name: String,
    password: String,
) -> Result<(), AppError> {
    blocking_sync(&sync, move |s| {
        s.with_vault(|a, v| a.admin_reset_password(v, &name, password))
    })
    .await
}

#[tauri::command]
pub async fn admin_sessions(
    sync: State<'_, Sync>,
    name: String,
) -> Result<Vec<SessionLine>, AppError> {
    blocking_sync(&sync, move |s| {
        s.with_vault(|a, v| a.admin_sessions(v, &name))
    })
    .await
}

#[tauri::command]
pub async fn admin_revoke_sessions(
    sync: State<'_, Sync>,
    name: String,
    id: Option<String>,
) -> Result<u32, AppError> {
    blocking_sync(&sync, move |s| {
        s.with_vault(|a, v| a.admin_revoke_sessions(v, &name, id))
    })
    .await
}

/// The "who must approve this?" check of the configuration screen, on the
/// matrix as edited (saved or not): the rulebook's own routing.
#[tauri::command]
pub fn authority_route(
    matrix: redress_domain::authority::AuthorityMatrix,
    proposer: redress_domain::model::Role,
    kind: redress_domain::model::RemedyKind,
    amount_minor: i64,
) -> redress_domain::authority::RouteExplanation {
    matrix.explain(proposer, kind, amount_minor)
}

/// The days off and make-up working days of a pasted iCalendar file, for
/// the configuration screen's calendar import.
#[tauri::command]
pub fn import_ical(text: String) -> Result<redress_app::admin::IcalDays, AppError> {
    redress_app::admin::ical_days(&text)
}
