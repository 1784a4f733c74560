//! Sign-in, sign-out and the session check every other endpoint runs.

use super::{ApiError, AppState, headers};
use crate::accounts::{MAX_PASSWORD_BYTES, NewSession, Session, TokenHash, UserKind};
use crate::auth;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::Json;
use jiff::{SignedDuration, Timestamp};
use redress_domain::ids::UserId;
use redress_domain::text;
use redress_protocol::DeviceId;
use redress_protocol::ErrorCode;
use redress_protocol::http::{ErrorBody, LoginRequest, LoginResponse};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use uuid::Uuid;

/// A person's live session, checked against the request's
/// `Redress-Device`. Integration tokens are refused here (`forbidden_role`):
/// they feed complaints in through the intake API and see nothing else.
#[derive(Debug, Clone)]
pub struct AuthSession {
    pub session: Session,
}

impl FromRequestParts<AppState> for AuthSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = live_session(parts, state).await?;
        if session.user.kind == UserKind::Integration {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::ForbiddenRole,
                "an integration's token is for the intake API only",
            ));
        }
        let device = parts
            .headers
            .get(headers::DEVICE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<Uuid>().ok())
            .map(DeviceId);
        match device {
            Some(device) if device == session.device => Ok(AuthSession { session }),
            Some(device) => Err(ApiError::device_mismatch(format!(
                "the session belongs to device {}, not {device}",
                session.device
            ))),
            None => Err(ApiError::device_mismatch(
                "the Redress-Device header is missing or not a device id",
            )),
        }
    }
}

/// The live session of the request's bearer token, whatever its device
/// header says; `401 unauthorized` without one.
pub(super) async fn live_session(parts: &Parts, state: &AppState) -> Result<Session, ApiError> {
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let hash = TokenHash::of(token);
    let now = Timestamp::now();
    let mut session = state
        .blocking(move |store| store.find_session(&hash))
        .await?
        .filter(|s| s.is_active(now) && now < max_end(s, state))
        .ok_or_else(|| ApiError::unauthorized("the session is unknown, expired or revoked"))?;
    // Sliding expiry: a session in use lasts `session_ttl` past its latest
    // request. The row is written at most once per SLIDE_STEP; sessions that
    // already outlast the TTL (integration tokens) are left alone.
    // It never slides past the session's absolute end.
    let slid = now
        .checked_add(state.config().session_ttl)
        .ok()
        .map(|at| at.min(max_end(&session, state)));
    if let Some(expires_at) = slid.filter(|at| {
        at.checked_sub(SLIDE_STEP)
            .is_ok_and(|step| session.expires_at < step)
    }) {
        let extended = state
            .blocking(move |store| store.extend_session(&hash, expires_at))
            .await?;
        if extended {
            session.expires_at = expires_at;
        }
    }
    Ok(session)
}

/// The latest a person's session may end: `session_max_age` after
/// sign-in. An integration's token lasts as long as it was issued for
/// (until revoked).
fn max_end(session: &Session, state: &AppState) -> Timestamp {
    if session.user.kind == UserKind::Integration {
        return Timestamp::MAX;
    }
    session
        .created_at
        .checked_add(state.config().session_max_age)
        .unwrap_or(Timestamp::MAX)
}

/// The least a request moves a session's expiry forward; shorter moves are
/// skipped so that a busy session does not write on every request.
const SLIDE_STEP: SignedDuration = SignedDuration::from_hours(1);

/// The client's address, when the server was started with connection info
/// (as [`super::serve`] does); unspecified otherwise.
pub(super) struct ClientIp(IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED), |c| c.0.ip()),
        ))
    }
}

/// `POST /auth/login`: checks the password, registers the device to the
/// user and opens a session bound to both.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    summary = "Sign in and open a session for a device",
    description = "Checks the password, registers the device to the user on its first sign-in, and opens a session bound to both. Failed attempts are braked per user name (whatever the address, with a doubling delay) and per client address (whatever the names). Password checks run on a bounded pool.",
    tag = "auth",
    params(super::openapi::ProtocolHeader),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; a new session", body = LoginResponse),
        (status = 400, description = "`malformed_request`: not a login body, or a password over 1024 bytes; `text_too_long`, `invalid_text`: a user name or device name over its limit or with control characters (checked before any password hashing)", body = ErrorBody),
        (status = 401, description = "`invalid_credentials`: unknown user or wrong password", body = ErrorBody),
        (status = 403, description = "`user_disabled`", body = ErrorBody),
        (status = 409, description = "`device_taken`: the device is registered to another user", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed sign-ins for this user name (from any address) or from this address (for any names)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
        (status = 503, description = "`server_busy`: too many sign-ins at once; `store_unavailable`: retry later", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub(super) async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<LoginResponse>, ApiError> {
    let body = ApiError::body(body)?;
    let login: LoginRequest =
        serde_json::from_slice(&body).map_err(|e| ApiError::malformed(e.to_string()))?;
    // Bounded before anything is kept or hashed.
    let refused = |e: redress_domain::DomainError| {
        ApiError::new(StatusCode::BAD_REQUEST, e.code(), e.to_string())
    };
    text::check("username", &login.username, text::USER_NAME).map_err(refused)?;
    let device_name = login.device_name.trim().to_owned();
    text::check("device_name", &device_name, text::DEVICE_NAME).map_err(refused)?;
    if login.password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::malformed(format!(
            "a password has at most {MAX_PASSWORD_BYTES} bytes"
        )));
    }

    let limiter = &state.inner.limiter;
    if let Err(wait) = limiter.check(&login.username, ip) {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "too many failed sign-ins; wait and try again",
        );
        e.retry_after = Some(wait.as_secs().max(1));
        return Err(e);
    }

    let name = UserId::new(login.username.clone());
    let user = state.blocking(move |store| store.find_user(&name)).await?;
    let password = login.password;
    // Every answer costs one real verification, whoever asks: an unknown
    // name or an integration account (which has no password) spends it on
    // a dummy hash.
    let (user, verified) = state
        .inner
        .passwords
        .run(move || match user {
            Some(user) if user.kind == UserKind::Person => {
                let ok = auth::verify_password(&user.password_hash, &password);
                (Some(user), ok)
            }
            other => {
                auth::verify_nobody(&password);
                (other, false)
            }
        })
        .await?;
    let user = match user {
        Some(user) if verified => user,
        _ => {
            limiter.fail(&login.username, ip);
            tracing::warn!(user = ?login.username, %ip, "failed sign-in");
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::InvalidCredentials,
                "unknown user name or wrong password",
            ));
        }
    };
    if user.disabled {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::UserDisabled,
            format!("user {} is disabled", user.name),
        ));
    }
    limiter.succeed(&login.username);

    let (token, token_hash) = auth::new_token().map_err(|e| ApiError::internal(e.to_string()))?;
    let now = Timestamp::now();
    let ttl = state
        .config()
        .session_ttl
        .min(state.config().session_max_age);
    let expires_at = now
        .checked_add(ttl)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let device = login.device_id;
    let session = NewSession {
        token_hash,
        user: user.name.clone(),
        device,
        created_at: now,
        expires_at,
    };
    state
        .blocking(move |store| {
            store.register_device(device, &session.user, &device_name, now)?;
            store.create_session(&session)
        })
        .await?;
    tracing::info!(user = ?user.name.as_str(), %device, "signed in");
    Ok(Json(LoginResponse {
        token,
        role: user.role,
        approval_limit_minor: user.approval_limit_minor,
        user: user.name,
        device_id: device,
        expires_at,
        server_time: now,
        server_epoch: state.epoch(),
    }))
}

/// `POST /auth/logout`: revokes the session.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    summary = "Sign out: revoke the session",
    description = "Revokes the session of the bearer token.",
    tag = "auth",
    params(super::openapi::ProtocolHeader, super::openapi::DeviceHeader),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out; the token no longer works"),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`device_mismatch`; `forbidden_role` for an integration's token", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn logout(
    State(state): State<AppState>,
    auth: AuthSession,
) -> Result<StatusCode, ApiError> {
    let hash = auth.session.token_hash;
    state
        .blocking(move |store| store.revoke_session(&hash, Timestamp::now()))
        .await?;
    tracing::info!(user = ?auth.session.user.name.as_str(), device = %auth.session.device, "signed out");
    Ok(StatusCode::NO_CONTENT)
}
