//! Push, pull and the live event stream.

use super::error::ErrorBody;
use super::openapi::{DeviceHeader, ProtocolHeader};
use super::{ApiError, AppState, AuthSession, Shutdown};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::response::Json;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use jiff::Timestamp;
use redress_protocol::{MAX_PUSH_BATCH, Outcome, PullResponse, PushRequest, PushResponse};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::time::Instant;

/// Changes per pull page when the client does not ask for a number.
const DEFAULT_PULL_LIMIT: u32 = 500;

/// `POST /sync/push`: settles the device's next mutations as the session's
/// user, with that user's role and limit from the server's table.
#[utoipa::path(
    post,
    path = "/api/v1/sync/push",
    summary = "Push the device's next mutations",
    description = "Settles the device's next mutations, in ascending `client_seq`, as the session's user with the role and limit of the server's user table. Each mutation is applied or rejected for good; pushing it again returns the stored result with `replayed` set. A gap in the numbering stops the batch: resend from `next_expected_seq`.",
    tag = "sync",
    params(ProtocolHeader, DeviceHeader),
    security(("bearer" = [])),
    request_body = PushRequest,
    responses(
        (status = 200, description = "One result per mutation settled, applied or rejected", body = PushResponse),
        (status = 400, description = "`malformed_request`, or `unsupported_mutation` (a mutation name this server does not know); `index` names the mutation", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`device_mismatch` or `unknown_device`", body = ErrorBody),
        (status = 409, description = "`device_forked`: the device's local database was cloned or restored", body = ErrorBody),
        (status = 413, description = "`payload_too_large`: the body or the batch is too large", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry the same push later", body = ErrorBody),
    )
)]
pub(super) async fn push(
    State(state): State<AppState>,
    auth: AuthSession,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<PushResponse>, ApiError> {
    let body = ApiError::body(body)?;
    let request = PushRequest::from_json(&body).map_err(|e| {
        let mut error = ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            e.code,
            match e.index {
                Some(i) => format!("mutation {i}: {}", e.message),
                None => e.message.clone(),
            },
        );
        error.index = e.index;
        error
    })?;
    if request.mutations.len() > MAX_PUSH_BATCH {
        return Err(ApiError::too_large(format!(
            "a push carries at most {MAX_PUSH_BATCH} mutations, not {}",
            request.mutations.len()
        )));
    }
    let device = auth.session.device;
    if request.device_id != device {
        return Err(ApiError::device_mismatch(format!(
            "the body is for device {}, the session for device {device}",
            request.device_id
        )));
    }
    let actor = auth.session.user.actor();
    let response = state
        .blocking(move |store| store.push(device, &actor, &request, Timestamp::now()))
        .await?;
    if let Some(seq) = fresh_high_water(&response) {
        state.inner.notifier.poke(seq);
    }
    Ok(Json(response))
}

/// The newest change seq this push wrote, if it wrote any (replays write
/// nothing).
fn fresh_high_water(response: &PushResponse) -> Option<i64> {
    response
        .results
        .iter()
        .filter(|r| !r.replayed)
        .map(|r| match r.outcome {
            Outcome::Applied {
                last_change_seq, ..
            } => last_change_seq,
            Outcome::Rejected {
                rejection_change_seq,
                ..
            } => rejection_change_seq,
        })
        .max()
}

/// The query of `GET /sync/pull`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct PullParams {
    /// Return changes with a seq above this one (0, the default, is the
    /// start of the log).
    #[serde(default)]
    #[param(minimum = 0)]
    after: i64,
    /// The most changes in one page (500 when left out).
    #[param(minimum = 1)]
    limit: Option<u32>,
}

/// `GET /sync/pull?after=<seq>&limit=<n>`: the next page of the change log.
#[utoipa::path(
    get,
    path = "/api/v1/sync/pull",
    summary = "Pull the next page of the change log",
    description = "Changes with a seq above `after`, ascending; pull again after the last one while `has_more` is true.",
    tag = "sync",
    params(PullParams, ProtocolHeader, DeviceHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The next page of the change log", body = PullResponse),
        (status = 400, description = "`malformed_request`: a bad query", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`device_mismatch` or `unknown_device`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn pull(
    State(state): State<AppState>,
    auth: AuthSession,
    params: Result<Query<PullParams>, QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::malformed(e.body_text()))?;
    if params.after < 0 {
        return Err(ApiError::malformed("`after` is a seq, 0 or more"));
    }
    let limit = params.limit.unwrap_or(DEFAULT_PULL_LIMIT);
    if limit == 0 {
        return Err(ApiError::malformed("`limit` is at least 1"));
    }
    let device = auth.session.device;
    let page = state
        .blocking(move |store| store.pull(device, params.after, limit, Timestamp::now()))
        .await?;
    Ok(Json(page))
}

/// `GET /sync/events`: a server-sent event stream of `poke`s, each carrying
/// only the new high-water seq (as its id and in `{"high_water": n}`); the
/// client pulls to learn what changed. Ends when the server shuts down.
#[utoipa::path(
    get,
    path = "/api/v1/sync/events",
    summary = "Listen for new changes (server-sent events)",
    description = "An event stream that announces new changes without carrying them: at most one `poke` per interval, with the new high-water seq. It ends when the server shuts down.",
    tag = "sync",
    params(ProtocolHeader, DeviceHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A server-sent event stream. Each `poke` event has the new high-water seq as its id and `{\"high_water\": n}` as its data; comments keep an idle stream open. Pull to learn what changed.",
            content_type = "text/event-stream", body = String),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`device_mismatch`", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn events(
    State(state): State<AppState>,
    _auth: AuthSession,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let pokes = Pokes {
        receiver: state.inner.notifier.subscribe(),
        shutdown: state.shutdown().clone(),
        interval: state.config().poke_interval,
        last_sent: None,
        sent_seq: 0,
    };
    let stream = futures_util::stream::unfold(pokes, |mut pokes| async move {
        let seq = pokes.next().await?;
        let event = Event::default()
            .event("poke")
            .id(seq.to_string())
            .data(format!("{{\"high_water\":{seq}}}"));
        Some((Ok(event), pokes))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(state.config().keep_alive))
}

/// One connection's view of the hub: coalesced, rising high-water seqs.
struct Pokes {
    receiver: Receiver<i64>,
    shutdown: Shutdown,
    interval: Duration,
    last_sent: Option<Instant>,
    sent_seq: i64,
}

impl Pokes {
    /// The next seq to announce, or `None` when the stream should end.
    async fn next(&mut self) -> Option<i64> {
        loop {
            let first = tokio::select! {
                () = self.shutdown.wait() => return None,
                received = self.receiver.recv() => match received {
                    Ok(seq) => seq,
                    // Missed some; the next one received is newer anyway.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                },
            };
            // At most one poke per interval: wait out the rest of it, then
            // fold everything that arrived meanwhile into one.
            if let Some(last) = self.last_sent {
                let due = last + self.interval;
                tokio::select! {
                    () = self.shutdown.wait() => return None,
                    () = tokio::time::sleep_until(due) => {}
                }
            }
            let mut high = first;
            loop {
                match self.receiver.try_recv() {
                    Ok(seq) => high = high.max(seq),
                    Err(TryRecvError::Lagged(_)) => continue,
                    Err(TryRecvError::Empty | TryRecvError::Closed) => break,
                }
            }
            // Pushes may commit in one order and poke in another; never
            // announce a seq lower than one already sent.
            if high <= self.sent_seq {
                continue;
            }
            self.sent_seq = high;
            self.last_sent = Some(Instant::now());
            return Some(high);
        }
    }
}
