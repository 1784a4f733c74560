//! The intake API: systems (a CRM, an IVR, a web form) feed complaints in
//! with an integration's long-lived token.
//!
//! Each request becomes one mutation on the integration's own device,
//! settled by the same push algorithm as a desktop's, so the rulebook,
//! numbering, repeat detection and the change log treat it like any other.
//! The caller's `external_ref` is the idempotency key: the mutation id (and
//! for a new complaint the complaint id, for a progress update the update
//! id) is a UUIDv5 under the integration's device id, of the kind of request
//! and the reference. A retry with the same reference is therefore the same
//! mutation, which the store answers from its log without deciding it again.
//!
//! The next `client_seq` of the device is found with an empty push (its
//! answer carries `device_last_seq`). Requests of one integration are
//! serialised within the process, so two of them rarely race for a number;
//! when they do (several server processes), the loser sees the number taken
//! and tries again with the next one.

use super::error::ErrorBody;
use super::openapi::OptionalProtocolHeader;
use super::session::live_session;
use super::sync::fresh_high_water;
use super::{ApiError, AppState, code};
use crate::accounts::{Session, UserKind};
use crate::error::StoreError;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Json, Response};
use jiff::Timestamp;
use redress_domain::DomainError;
use redress_domain::complaint::Command;
use redress_domain::ids::{ComplaintId, UpdateId};
use redress_protocol::intake::MAX_EXTERNAL_REF;
use redress_protocol::{
    DeviceId, IntakeAccepted, IntakeComplaint, IntakeProgress, IntakeRejected, Mutation,
    MutationEnvelope, MutationResult, Outcome, PushRequest, codes,
};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::OwnedMutexGuard;
use uuid::Uuid;

/// How often a request tries the next `client_seq` when concurrent
/// requests of the same integration keep taking it.
const ATTEMPTS: usize = 10;

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
                code::FORBIDDEN_ROLE,
                "the intake API takes integration tokens only; people record complaints from the console",
            ));
        }
        Ok(IntegrationSession { session })
    }
}

/// One lock per integration device, held while its request is settled.
#[derive(Debug, Default)]
pub(super) struct IntakeLocks(Mutex<HashMap<DeviceId, Arc<tokio::sync::Mutex<()>>>>);

impl IntakeLocks {
    async fn lock(&self, device: DeviceId) -> OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(locks.entry(device).or_default())
        };
        lock.lock_owned().await
    }
}

/// An id derived from the integration's device and a name: the same
/// request always gets the same ids. Names start with the kind of id and
/// end with the caller's reference, so two names never run together.
fn derived(device: DeviceId, name: &str) -> Uuid {
    Uuid::new_v5(&device.0, format!("intake:{name}").as_bytes())
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

/// Settles `mutation` as the next mutation of the integration's device
/// and returns its result (a stored one, with `replayed`, when the same
/// mutation id was settled before).
async fn submit(
    state: &AppState,
    session: &Session,
    mutation_id: Uuid,
    mutation: Mutation,
) -> Result<MutationResult, ApiError> {
    let device = session.device;
    let actor = session.user.actor();
    let _turn = state.inner.intake_locks.lock(device).await;
    for attempt in 1..=ATTEMPTS {
        let now = Timestamp::now();
        let probe = PushRequest {
            device_id: device,
            sent_at_device: now,
            mutations: Vec::new(),
        };
        let probe_actor = actor.clone();
        let last = state
            .blocking(move |store| store.push(device, &probe_actor, &probe, now))
            .await?
            .device_last_seq;
        let request = PushRequest {
            device_id: device,
            sent_at_device: now,
            mutations: vec![MutationEnvelope {
                client_seq: last + 1,
                mutation_id,
                author_user_id: actor.user.clone(),
                occurred_at_device: now,
                base_seq: 0,
                mutation: mutation.clone(),
            }],
        };
        let push_actor = actor.clone();
        // The same reference with another body: the reference is the key,
        // so the stored outcome is the answer.
        let pushed =
            state.blocking(
                move |store| match store.push(device, &push_actor, &request, now) {
                    Ok(response) => Ok(Ok(response)),
                    Err(StoreError::ReplayMismatch { stored, .. }) => Ok(Err(*stored)),
                    Err(e) => Err(e),
                },
            );
        match pushed.await {
            Ok(Err(mut stored)) => {
                stored.replayed = true;
                return Ok(stored);
            }
            Ok(Ok(response)) => {
                if let Some(result) = response
                    .results
                    .into_iter()
                    .find(|r| r.mutation_id == mutation_id)
                {
                    if let Some(seq) = fresh_high_water(std::slice::from_ref(&result)) {
                        state.inner.notifier.poke(seq);
                    }
                    return Ok(result);
                }
            }
            // Another request of this integration took the number.
            Err(e) if e.code == codes::DEVICE_FORKED => {}
            Err(e) => return Err(e),
        }
        tracing::info!(%device, attempt, "intake: the next client_seq was taken; trying again");
    }
    Err(ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        codes::STORE_UNAVAILABLE,
        "concurrent requests of this integration kept taking the next number; retry the same request",
    ))
}

/// `201`/`200` with [`IntakeAccepted`], or `422` with [`IntakeRejected`].
async fn answer(
    state: &AppState,
    complaint_id: ComplaintId,
    update_id: Option<UpdateId>,
    result: MutationResult,
) -> Result<Response, ApiError> {
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
    description = "Records a complaint as the integration, through the same rulebook as the console: the server numbers it and runs repeat detection. `external_ref` is the caller's idempotency key: the complaint id is derived from it, and a request whose `external_ref` was seen before gets the stored outcome (`200` with `replayed`, or the same `422`) and creates nothing, whatever its body. After a refusal, send the corrected complaint under a new `external_ref`.\n\nNeeds an integration's bearer token (`redress-server integration add`); `Redress-Device` is not needed, and `Redress-Protocol` may be left out (when sent, it must be supported).",
    tag = "intake",
    params(OptionalProtocolHeader),
    security(("bearer" = [])),
    request_body = IntakeComplaint,
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
    let (external_ref, draft) = intake.into_parts();
    let device = auth.session.device;
    let complaint_id = ComplaintId(derived(device, &format!("complaint:{external_ref}")));
    let mutation_id = derived(device, &format!("complaint.record:{external_ref}"));
    let mutation = Mutation::Record {
        complaint_id,
        complaint: draft,
    };
    let result = submit(&state, &auth.session, mutation_id, mutation).await?;
    answer(&state, complaint_id, None, result).await
}

/// `POST /intake/complaints/{id}/progress`: adds a progress update to a
/// complaint as the integration.
#[utoipa::path(
    post,
    path = "/api/v1/intake/complaints/{id}/progress",
    summary = "Add a progress update to a complaint (integrations)",
    description = "Adds a progress update (the rulebook's `add_progress`) to complaint `id` as the integration. The update's id is derived from the complaint and `external_ref`, the caller's idempotency key within the complaint: a request whose `external_ref` was seen before for this complaint gets the stored outcome (`200` with `replayed`, or the same `422`) and adds nothing.\n\nNeeds an integration's bearer token; `Redress-Device` is not needed, and `Redress-Protocol` may be left out (when sent, it must be supported).",
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
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 422, description = "The rulebook refused the update: `not_found` (no such complaint), `complaint_closed`, `validation_failed`, ...; recorded, so a retry gets the same answer", body = IntakeRejected),
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
    let device = auth.session.device;
    let complaint_id = ComplaintId(id);
    let reference = &progress.external_ref;
    let update_id = UpdateId(derived(
        device,
        &format!("progress:{complaint_id}:{reference}"),
    ));
    let mutation_id = derived(device, &format!("progress.add:{complaint_id}:{reference}"));
    let mutation = Mutation::Execute {
        complaint_id,
        command: Command::AddProgress {
            update_id,
            text: progress.text,
            customer_informed: progress.customer_informed,
        },
    };
    let result = submit(&state, &auth.session, mutation_id, mutation).await?;
    answer(&state, complaint_id, Some(update_id), result).await
}
