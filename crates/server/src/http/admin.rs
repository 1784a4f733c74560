//! The administration endpoints: the site configuration's versions and the
//! audit log. Only admins get past [`AdminSession`]; everyone else gets
//! `403 forbidden_role`, whatever they ask.

use super::AppState;
use super::error::ApiError;
use super::openapi::{DeviceHeader, ProtocolHeader};
use super::session::AuthSession;
use super::sync::{page_limit, query};
use crate::auth;
use crate::config::{NewAudit, NewConfig};
use crate::{NewUser, UserKind, check_password, role_name};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use jiff::Timestamp;
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_protocol::ErrorCode;
use redress_protocol::admin::{
    Account, AccountChange, AccountSession, AuditPage, ConfigPut, ConfigResponse, ConfigVersion,
    ConfigVersions, MAX_AUDIT_PAGE, NewAccount, PasswordReset, RevokeSessions, SessionsRevoked,
};
use redress_protocol::http::ErrorBody;
use serde::Deserialize;

/// A live session of an admin.
pub(super) struct AdminSession(AuthSession);

impl FromRequestParts<AppState> for AdminSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth = AuthSession::from_request_parts(parts, state).await?;
        if auth.session.user.role != Role::Admin {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::ForbiddenRole,
                "only an admin may read or change the site configuration and the audit log",
            ));
        }
        Ok(AdminSession(auth))
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct ConfigParams {
    /// The version to read; the one in force when left out.
    version: Option<i64>,
}

/// `GET /admin/config`: one version of the site configuration.
#[utoipa::path(
    get,
    path = "/api/v1/admin/config",
    summary = "A version of the site configuration",
    description = "The site configuration (the rules document: calendars, SLA policies, catalogs, ...) of one version, the one in force when `version` is left out. Before anything is stored, the rules the server was started with answer as version 0.",
    tag = "admin",
    params(ProtocolHeader, DeviceHeader, ConfigParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The version and its document", body = ConfigResponse),
        (status = 400, description = "`malformed_request`", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the user is not an admin; `device_mismatch`", body = ErrorBody),
        (status = 404, description = "`not_found`: no such version", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn get_config(
    State(state): State<AppState>,
    _admin: AdminSession,
    params: Result<Query<ConfigParams>, QueryRejection>,
) -> Result<Json<ConfigResponse>, ApiError> {
    let params = query(params)?;
    let now = Timestamp::now();
    let in_force = state.rules_now().await?;
    let wanted = params.version.or(in_force.version);
    let Some(number) = wanted else {
        // Nothing stored yet: the rules the server was started with.
        return Ok(Json(ConfigResponse {
            version: ConfigVersion {
                version: 0,
                digest: in_force.digest.clone(),
                author: UserId::new(crate::config::RULES_FILE_AUTHOR),
                device: None,
                created_at: now,
                effective_from: now,
                note: String::new(),
            },
            in_force: true,
            document: in_force.document.clone(),
        }));
    };
    let found = state
        .blocking(move |store| store.config_document(number))
        .await?;
    let Some((version, document)) = found else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("there is no configuration version {number}"),
        ));
    };
    Ok(Json(ConfigResponse {
        in_force: in_force.version == Some(version.version),
        version,
        document,
    }))
}

/// `GET /admin/config/versions`: every version, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/admin/config/versions",
    summary = "Every version of the site configuration",
    tag = "admin",
    params(ProtocolHeader, DeviceHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The versions, newest first, and the one in force", body = ConfigVersions),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the user is not an admin; `device_mismatch`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn config_versions(
    State(state): State<AppState>,
    _admin: AdminSession,
) -> Result<Json<ConfigVersions>, ApiError> {
    let in_force = state.rules_now().await?.version;
    let versions = state.blocking(|store| store.config_versions()).await?;
    Ok(Json(ConfigVersions { in_force, versions }))
}

/// `PUT /admin/config`: a new version.
#[utoipa::path(
    put,
    path = "/api/v1/admin/config",
    summary = "Store a new version of the site configuration",
    description = "Checks the whole document and stores it as the next version, with the admin as its author and an audit entry, in one transaction. It decides from `effective_from` on (now when left out); complaints whose clocks started under an earlier version keep their targets. Every desktop's event stream announces the new rules (`event: rules`) at once, or at `effective_from`. A `base_version` other than the latest is `409 config_conflict`; a document that does not check out is `422 invalid_rules`; either way nothing is stored and the version in force stays.",
    tag = "admin",
    params(ProtocolHeader, DeviceHeader),
    request_body = ConfigPut,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new version", body = ConfigVersion),
        (status = 400, description = "`malformed_request`: not a JSON body of this shape", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the user is not an admin; `device_mismatch`", body = ErrorBody),
        (status = 409, description = "`config_conflict`: another version was stored since `base_version`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 422, description = "`invalid_rules` (or a text code): the document or the note does not check out", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn put_config(
    State(state): State<AppState>,
    admin: AdminSession,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ConfigVersion>, ApiError> {
    let body = ApiError::body(body)?;
    let put: ConfigPut = serde_json::from_slice(&body)
        .map_err(|e| ApiError::malformed(format!("not a configuration version: {e}")))?;
    let session = admin.0.session;
    let author = session.user.name.clone();
    let device = session.device;
    let version = state
        .blocking(move |store| {
            store.put_config(
                &NewConfig {
                    document: &put.document,
                    base_version: put.base_version,
                    effective_from: put.effective_from,
                    note: &put.note,
                    author: &author,
                    device: Some(device),
                },
                Timestamp::now(),
            )
        })
        .await?;
    tracing::info!(
        version = version.version,
        author = ?version.author.as_str(),
        effective_from = %version.effective_from,
        "configuration version stored"
    );
    state.announce_rules(version.effective_from);
    Ok(Json(version))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct AuditParams {
    /// Entries after this seq (from the first when left out).
    after: Option<i64>,
    /// At most this many (default and most: 1000).
    limit: Option<u32>,
}

/// `GET /admin/audit`: the audit log, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit",
    summary = "The audit log of configuration and account changes",
    description = "Entries after `after`, ascending: who changed what, from which device, when, and what it was before and after. Each entry's `hash` chains it to the one before (`redress-server audit verify` checks the chain).",
    tag = "admin",
    params(ProtocolHeader, DeviceHeader, AuditParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of entries", body = AuditPage),
        (status = 400, description = "`malformed_request`", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the user is not an admin; `device_mismatch`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn audit(
    State(state): State<AppState>,
    _admin: AdminSession,
    params: Result<Query<AuditParams>, QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    let params = query(params)?;
    let limit = page_limit(params.limit, MAX_AUDIT_PAGE)?.min(MAX_AUDIT_PAGE);
    let after = params.after.unwrap_or(0);
    let mut entries = state
        .blocking(move |store| store.audit_page(after, limit + 1))
        .await?;
    let has_more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    Ok(Json(AuditPage { entries, has_more }))
}

// ------------------------------------------------------------ accounts

/// An account as listed, with its live sessions counted.
fn account(user: &crate::User, sessions: &[crate::SessionInfo]) -> Account {
    Account {
        name: user.name.clone(),
        kind: user.kind.name().to_owned(),
        role: user.role,
        approval_limit_minor: user.approval_limit_minor,
        disabled: user.disabled,
        created_at: user.created_at,
        sessions: u32::try_from(sessions.iter().filter(|s| s.user == user.name).count())
            .unwrap_or(u32::MAX),
    }
}

/// Records an account change by `admin`, after it was made.
fn audit_account(
    store: &dyn super::Backend,
    admin: &crate::Session,
    action: &str,
    subject: &UserId,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<(), crate::StoreError> {
    store
        .append_audit(
            &NewAudit {
                actor: admin.user.name.clone(),
                device: Some(admin.device),
                action: action.to_owned(),
                subject: subject.to_string(),
                before,
                after,
            },
            Timestamp::now(),
        )
        .map(|_| ())
}

fn summary(role: Role, limit: Option<i64>, disabled: bool) -> serde_json::Value {
    serde_json::json!({
        "role": role_name(role),
        "approval_limit_minor": limit,
        "disabled": disabled,
    })
}

/// `name` from the path, bounded like a user name.
fn user_in_path(name: &str) -> Result<UserId, ApiError> {
    redress_domain::text::check("name", name, redress_domain::text::USER_NAME)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code(), e.to_string()))?;
    Ok(UserId::new(name))
}

/// `GET /admin/users`: every account.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users",
    summary = "Every account",
    description = "People and integrations by name, with role, personal approval limit, whether disabled, and how many sessions are live.",
    tag = "admin",
    params(ProtocolHeader, DeviceHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The accounts", body = [Account]),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the user is not an admin; `device_mismatch`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn users(
    State(state): State<AppState>,
    _admin: AdminSession,
) -> Result<Json<Vec<Account>>, ApiError> {
    let accounts = state
        .blocking(|store| {
            let sessions = store.list_sessions(None, Timestamp::now())?;
            Ok(store
                .list_users()?
                .iter()
                .map(|u| account(u, &sessions))
                .collect())
        })
        .await?;
    Ok(Json(accounts))
}

/// `POST /admin/users`: a new person.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users",
    summary = "Add a person who may sign in",
    description = "Adds a person with a role, an optional personal approval limit and a password (hashed with argon2id; never stored or logged as typed). Audited as `user.add`.",
    tag = "admin",
    params(ProtocolHeader, DeviceHeader),
    request_body = NewAccount,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new account", body = Account),
        (status = 400, description = "`invalid_user`: a name, limit or password that cannot be stored; `malformed_request`", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the user is not an admin; `device_mismatch`", body = ErrorBody),
        (status = 409, description = "`user_exists`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 503, description = "`server_busy` or `store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn add_user(
    State(state): State<AppState>,
    admin: AdminSession,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Account>, ApiError> {
    let body = ApiError::body(body)?;
    let new: NewAccount = serde_json::from_slice(&body)
        .map_err(|e| ApiError::malformed(format!("not an account: {e}")))?;
    let user = NewUser {
        kind: UserKind::Person,
        name: new.name.clone(),
        role: new.role,
        approval_limit_minor: new.approval_limit_minor,
        password_hash: String::new(),
    };
    // The name and the password are checked before any time goes into the hash.
    user.validate()?;
    check_password(&new.password)?;
    let password = new.password;
    let hash = state
        .inner
        .passwords
        .run(move || auth::hash_password(&password))
        .await?
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let user = NewUser {
        password_hash: hash,
        ..user
    };
    let session = admin.0.session;
    let added = state
        .blocking(move |store| {
            store.add_user(&user, Timestamp::now())?;
            audit_account(
                store,
                &session,
                "user.add",
                &user.name,
                serde_json::Value::Null,
                summary(user.role, user.approval_limit_minor, false),
            )?;
            let found = store
                .find_user(&user.name)?
                .ok_or_else(|| crate::StoreError::UnknownUser(user.name.clone()))?;
            Ok(account(&found, &[]))
        })
        .await?;
    Ok(Json(added))
}

/// `PUT /admin/users/{name}`: role, limit and whether enabled.
#[utoipa::path(
    put,
    path = "/api/v1/admin/users/{name}",
    summary = "Change an account's role, limit or state",
    description = "Sets a person's role and personal approval limit, and disables (every session ends at once) or enables the account. Pushes are decided with the new role from the next request on. The last enabled admin cannot be demoted or disabled. Audited as `user.update` with before and after.",
    tag = "admin",
    params(ProtocolHeader, DeviceHeader, ("name" = String, Path, description = "The user name")),
    request_body = AccountChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account as it is now", body = Account),
        (status = 400, description = "`invalid_user`: an integration, a negative limit, the last admin; `malformed_request`", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the user is not an admin; `device_mismatch`", body = ErrorBody),
        (status = 404, description = "`unknown_user`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn update_user(
    State(state): State<AppState>,
    admin: AdminSession,
    Path(name): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Account>, ApiError> {
    let name = user_in_path(&name)?;
    let body = ApiError::body(body)?;
    let change: AccountChange = serde_json::from_slice(&body)
        .map_err(|e| ApiError::malformed(format!("not an account change: {e}")))?;
    let session = admin.0.session;
    let updated = state
        .blocking(move |store| {
            let users = store.list_users()?;
            let user = users
                .iter()
                .find(|u| u.name == name)
                .ok_or_else(|| crate::StoreError::UnknownUser(name.clone()))?;
            let stays_admin = change.role == Role::Admin && !change.disabled;
            let other_admins = users.iter().any(|u| {
                u.name != name && u.role == Role::Admin && !u.disabled && u.kind == UserKind::Person
            });
            if user.role == Role::Admin && !user.disabled && !stays_admin && !other_admins {
                return Err(crate::StoreError::InvalidUser(format!(
                    "{name} is the last enabled admin: make another admin first"
                )));
            }
            let now = Timestamp::now();
            if user.role != change.role || user.approval_limit_minor != change.approval_limit_minor
            {
                store.set_role(&name, change.role, change.approval_limit_minor)?;
            }
            if change.disabled && !user.disabled {
                store.disable_user(&name, now)?;
            } else if !change.disabled && user.disabled {
                store.enable_user(&name)?;
            }
            let before = summary(user.role, user.approval_limit_minor, user.disabled);
            let after = summary(change.role, change.approval_limit_minor, change.disabled);
            if before != after {
                audit_account(store, &session, "user.update", &name, before, after)?;
            }
            let found = store
                .find_user(&name)?
                .ok_or_else(|| crate::StoreError::UnknownUser(name.clone()))?;
            Ok(account(&found, &store.list_sessions(Some(&name), now)?))
        })
        .await?;
    Ok(Json(updated))
}

/// `POST /admin/users/{name}/password`: a new password.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{name}/password",
    summary = "Reset a person's password",
    description = "Sets a new password (8 characters to 1024 bytes) and ends every session of the account. Audited as `user.password`, without the password.",
    tag = "admin",
    params(ProtocolHeader, DeviceHeader, ("name" = String, Path, description = "The user name")),
    request_body = PasswordReset,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account as it is now", body = Account),
        (status = 400, description = "`invalid_user`: a password too short or long, an integration; `malformed_request`", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the user is not an admin; `device_mismatch`", body = ErrorBody),
        (status = 404, description = "`unknown_user`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 503, description = "`server_busy` or `store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn reset_password(
    State(state): State<AppState>,
    admin: AdminSession,
    Path(name): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Account>, ApiError> {
    let name = user_in_path(&name)?;
    let body = ApiError::body(body)?;
    let reset: PasswordReset = serde_json::from_slice(&body)
        .map_err(|e| ApiError::malformed(format!("not a password reset: {e}")))?;
    check_password(&reset.password)?;
    let password = reset.password;
    let hash = state
        .inner
        .passwords
        .run(move || auth::hash_password(&password))
        .await?
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let session = admin.0.session;
    let account = state
        .blocking(move |store| {
            store.set_password(&name, &hash, Timestamp::now())?;
            audit_account(
                store,
                &session,
                "user.password",
                &name,
                serde_json::Value::Null,
                serde_json::json!({ "password": "reset" }),
            )?;
            let found = store
                .find_user(&name)?
                .ok_or_else(|| crate::StoreError::UnknownUser(name.clone()))?;
            Ok(account(&found, &[]))
        })
        .await?;
    Ok(Json(account))
}

/// `GET /admin/users/{name}/sessions`: an account's live sessions.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users/{name}/sessions",
    summary = "An account's live sessions",
    tag = "admin",
    params(ProtocolHeader, DeviceHeader, ("name" = String, Path, description = "The user name")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The live sessions, oldest first", body = [AccountSession]),
        (status = 400, description = "`text_too_long` or `invalid_text`: not a user name", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the user is not an admin; `device_mismatch`", body = ErrorBody),
        (status = 404, description = "`unknown_user`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn user_sessions(
    State(state): State<AppState>,
    _admin: AdminSession,
    Path(name): Path<String>,
) -> Result<Json<Vec<AccountSession>>, ApiError> {
    let name = user_in_path(&name)?;
    let sessions = state
        .blocking(move |store| {
            if store.find_user(&name)?.is_none() {
                return Err(crate::StoreError::UnknownUser(name.clone()));
            }
            Ok(store
                .list_sessions(Some(&name), Timestamp::now())?
                .into_iter()
                .map(|s| AccountSession {
                    id: s.id,
                    device: s.device,
                    device_name: s.device_name,
                    created_at: s.created_at,
                    expires_at: s.expires_at,
                })
                .collect())
        })
        .await?;
    Ok(Json(sessions))
}

/// `POST /admin/users/{name}/sessions/revoke`: ends sessions.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{name}/sessions/revoke",
    summary = "End an account's sessions",
    description = "Ends every live session of the account, or the one whose id starts with `id`. The desktop's event stream says `session_revoked` within 15 s and it asks its user to sign in again. Audited as `session.revoke`.",
    tag = "admin",
    params(ProtocolHeader, DeviceHeader, ("name" = String, Path, description = "The user name")),
    request_body = RevokeSessions,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How many sessions ended", body = SessionsRevoked),
        (status = 400, description = "`malformed_request`", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the user is not an admin; `device_mismatch`", body = ErrorBody),
        (status = 404, description = "`unknown_user`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn revoke_user_sessions(
    State(state): State<AppState>,
    admin: AdminSession,
    Path(name): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SessionsRevoked>, ApiError> {
    let name = user_in_path(&name)?;
    let body = ApiError::body(body)?;
    let revoke: RevokeSessions = serde_json::from_slice(&body)
        .map_err(|e| ApiError::malformed(format!("not a revocation: {e}")))?;
    if revoke.id.as_deref().is_some_and(|id| {
        id.is_empty() || id.len() > 16 || !id.chars().all(|c| c.is_ascii_hexdigit())
    }) {
        return Err(ApiError::malformed("a session id is 1 to 16 hex digits"));
    }
    let session = admin.0.session;
    let revoked = state
        .blocking(move |store| {
            if store.find_user(&name)?.is_none() {
                return Err(crate::StoreError::UnknownUser(name.clone()));
            }
            let id = revoke.id.map(|id| id.to_ascii_lowercase());
            let n = store.revoke_sessions(&name, id.as_deref(), Timestamp::now())?;
            if n > 0 {
                audit_account(
                    store,
                    &session,
                    "session.revoke",
                    &name,
                    serde_json::Value::Null,
                    serde_json::json!({ "revoked": n, "id": id }),
                )?;
            }
            Ok(n)
        })
        .await?;
    Ok(Json(SessionsRevoked {
        revoked: u32::try_from(revoked).unwrap_or(u32::MAX),
    }))
}
