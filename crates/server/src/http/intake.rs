//! The intake API: systems (a CRM, an IVR, a web form) feed complaints in
//! with an integration's long-lived token.
//!
//! Each request becomes one mutation on the integration's own device,
//! settled by the same rules as a desktop's push, so the rulebook,
//! numbering, repeat detection and the change log treat it like any other.
//! The caller's `external_ref` is the idempotency key, kept by the store
//! ([`crate::ServerStore::intake`]) as (integration, kind, complaint,
//! reference) in the same transaction as the mutation: a retry gets the
//! stored outcome, and a new request gets random ids, so nobody can
//! guess or pre-empt the complaint id a CRM's request will use. An
//! integration adds progress only to complaints it recorded itself.

use super::openapi::OptionalProtocolHeader;
use super::session::live_session;
use super::sync::fresh_high_water;
use super::{ApiError, AppState};
use crate::accounts::{Session, UserKind};
use crate::store::{IntakeRequest, IntakeSettled};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Json, Response};
use jiff::Timestamp;
use redress_domain::DomainError;
use redress_domain::ids::ComplaintId;
use redress_protocol::ErrorCode;
use redress_protocol::http::ErrorBody;
use redress_protocol::intake::MAX_EXTERNAL_REF;
use redress_protocol::{IntakeAccepted, IntakeComplaint, IntakeProgress, IntakeRejected, Outcome};
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// A live session of an integration account. The device is the session's
/// own: intake requests need no `Redress-Device` header (one sent is
/// ignored).
#[derive(Debug, Clone)]
pub struct IntegrationSession {
    pub session: Session,
}

impl FromRequestParts<AppState> for IntegrationSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = live_session(parts, state).await?;
        if session.user.kind != UserKind::Integration {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::ForbiddenRole,
                "the intake API takes integration tokens only; people record complaints from the console",
            ));
        }
        Ok(IntegrationSession { session })
    }
}

/// Reads an intake body: `400 malformed_request` for bad JSON, a wrong
/// shape or an unknown field.
fn read_body<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let body = ApiError::body(body)?;
    serde_json::from_slice(&body).map_err(|e| ApiError::malformed(e.to_string()))
}

/// The text rules of the rulebook (limits, characters) for an intake body,
/// as `400 text_too_long` / `400 invalid_text` before anything is settled;
/// and a reference that is not blank.
fn check_text(checked: Result<(), DomainError>, external_ref: &str) -> Result<(), ApiError> {
    checked.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code(), e.to_string()))?;
    if external_ref.trim().is_empty() {
        return Err(ApiError::malformed(format!(
            "`external_ref` has 1 to {MAX_EXTERNAL_REF} characters, not only spaces"
        )));
    }
    Ok(())
}

/// Settles an intake request in the store, and pokes the event streams
/// when it wrote something.
async fn submit(
    state: &AppState,
    session: &Session,
    request: IntakeRequest,
) -> Result<IntakeSettled, ApiError> {
    let device = session.device;
    let actor = session.user.actor();
    let now = Timestamp::now();
    let settled = state
        .blocking(move |store| store.intake(device, &actor, &request, now))
        .await?;
    if let Some(seq) = fresh_high_water(std::slice::from_ref(&settled.result)) {
        state.inner.notifier.poke(seq);
    }
    Ok(settled)
}

/// `201`/`200` with [`IntakeAccepted`], or `422` with [`IntakeRejected`].
async fn answer(state: &AppState, settled: IntakeSettled) -> Result<Response, ApiError> {
    let IntakeSettled {
        complaint_id,
        update_id,
        result,
    } = settled;
    match result.outcome {
        outcome @ Outcome::Applied { .. } => {
            let stored = state
                .blocking(move |store| store.complaint(complaint_id))
                .await?
                .ok_or_else(|| {
                    ApiError::internal(format!(
                        "complaint {complaint_id} was applied but cannot be read"
                    ))
                })?;
            let status = if result.replayed {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            let body = IntakeAccepted {
                complaint_id,
                number: stored.complaint.number,
                update_id,
                mutation_id: result.mutation_id,
                outcome,
                replayed: result.replayed,
            };
            Ok((status, Json(body)).into_response())
        }
        Outcome::Rejected {
            code,
            message,
            details,
            rejection_change_seq,
        } => {
            let body = IntakeRejected {
                code,
                message,
                details,
                complaint_id,
                mutation_id: result.mutation_id,
                rejection_change_seq,
                replayed: result.replayed,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
        }
    }
}

/// `POST /intake/complaints`: records a new complaint for the integration.
#[utoipa::path(
    post,
    path = "/api/v1/intake/complaints",
    summary = "Record a new complaint (integrations)",
    description = "Records a complaint as the integration, through the same rulebook as the console: the server numbers it and runs repeat detection. `external_ref` is the caller's idempotency key: a request whose `external_ref` was seen before gets the stored outcome (`200` with `replayed`, or the same `422`) and creates nothing, whatever its body. After a refusal, send the corrected complaint under a new `external_ref`.\n\nNeeds an integration's bearer token (`redress-server integration add`); `Redress-Device` is not needed, and `Redress-Protocol` may be left out (when sent, it must be supported).",
    tag = "intake",
    params(OptionalProtocolHeader),
    security(("bearer" = [])),
    request_body = redress_protocol::intake::schema::IntakeComplaint,
    responses(
        (status = 201, description = "Recorded: a new complaint", body = IntakeAccepted),
        (status = 200, description = "The `external_ref` was seen before and recorded then (`replayed`)", body = IntakeAccepted),
        (status = 400, description = "`malformed_request`: not JSON, a wrong shape, an unknown field or a bad `external_ref`", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session (unknown, expired or revoked token, or a disabled integration)", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the token is a person's, not an integration's", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 422, description = "The rulebook refused the complaint: its stable code (`validation_failed` with `details.fields`, ...); recorded, so a retry gets the same answer", body = IntakeRejected),
        (status = 426, description = "`protocol_mismatch`: a `Redress-Protocol` this server does not speak", body = ErrorBody),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry the same request", body = ErrorBody),
    )
)]
pub(super) async fn create_complaint(
    State(state): State<AppState>,
    auth: IntegrationSession,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let intake: IntakeComplaint = read_body(body)?;
    check_text(intake.check_text(), &intake.external_ref)?;
    let IntakeComplaint {
        external_ref,
        draft,
    } = intake;
    let request = IntakeRequest::Record {
        external_ref,
        draft,
    };
    let settled = submit(&state, &auth.session, request).await?;
    answer(&state, settled).await
}

/// `POST /intake/complaints/{id}/progress`: adds a progress update to a
/// complaint as the integration.
#[utoipa::path(
    post,
    path = "/api/v1/intake/complaints/{id}/progress",
    summary = "Add a progress update to a complaint (integrations)",
    description = "Adds a progress update (the rulebook's `add_progress`) to complaint `id`, which this integration recorded, as the integration. `external_ref` is the caller's idempotency key within the complaint: a request whose `external_ref` was seen before for this complaint gets the stored outcome (`200` with `replayed`, or the same `422`) and adds nothing.\n\nNeeds an integration's bearer token; `Redress-Device` is not needed, and `Redress-Protocol` may be left out (when sent, it must be supported).",
    tag = "intake",
    params(
        ("id" = Uuid, Path, description = "The complaint's id (`complaint_id` of the answer that recorded it)"),
        OptionalProtocolHeader,
    ),
    security(("bearer" = [])),
    request_body = IntakeProgress,
    responses(
        (status = 201, description = "Added: a new progress update", body = IntakeAccepted),
        (status = 200, description = "The `external_ref` was seen before and added then (`replayed`)", body = IntakeAccepted),
        (status = 400, description = "`malformed_request`: not JSON, a wrong shape, an unknown field, a bad `external_ref` or a bad id", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`forbidden_role`: the token is a person's, not an integration's", body = ErrorBody),
        (status = 404, description = "`not_found`: no complaint `id` that this integration recorded; nothing is stored", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 422, description = "The rulebook refused the update: `complaint_closed`, `validation_failed`, ...; recorded, so a retry gets the same answer", body = IntakeRejected),
        (status = 426, description = "`protocol_mismatch`: a `Redress-Protocol` this server does not speak", body = ErrorBody),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry the same request", body = ErrorBody),
    )
)]
pub(super) async fn add_progress(
    State(state): State<AppState>,
    auth: IntegrationSession,
    id: Result<Path<Uuid>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|e| ApiError::malformed(e.body_text()))?;
    let progress: IntakeProgress = read_body(body)?;
    check_text(progress.check_text(), &progress.external_ref)?;
    let request = IntakeRequest::Progress {
        complaint_id: ComplaintId(id),
        external_ref: progress.external_ref,
        text: progress.text,
        customer_informed: progress.customer_informed,
    };
    let settled = submit(&state, &auth.session, request).await?;
    answer(&state, settled).await
}
