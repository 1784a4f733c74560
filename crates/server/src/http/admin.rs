//! The administration endpoints: the site configuration's versions and the
//! audit log. Only admins get past [`AdminSession`]; everyone else gets
//! `403 forbidden_role`, whatever they ask.

use super::AppState;
use super::error::ApiError;
use super::openapi::{DeviceHeader, ProtocolHeader};
use super::session::AuthSession;
use super::sync::{page_limit, query};
use crate::config::NewConfig;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use jiff::Timestamp;
use redress_domain::model::Role;
use redress_protocol::ErrorCode;
use redress_protocol::admin::{
    AuditPage, ConfigPut, ConfigResponse, ConfigVersion, ConfigVersions, MAX_AUDIT_PAGE,
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
                author: redress_domain::ids::UserId::new(crate::config::RULES_FILE_AUTHOR),
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
