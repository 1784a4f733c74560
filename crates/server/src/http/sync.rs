//! Push, pull and the live event stream.

use super::openapi::{DeviceHeader, ProtocolHeader};
use super::{ApiError, AppState, AuthSession, Shutdown};
use crate::accounts::TokenHash;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Json;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use jiff::Timestamp;
use redress_domain::ids::ComplaintId;
use redress_protocol::ErrorCode;
use redress_protocol::http::ErrorBody;
use redress_protocol::{
    BootstrapPage, MAX_PUSH_BATCH, MutationResult, Outcome, PullResponse, PushRequest,
    PushResponse, ResultsResponse, RulesResponse, SnapshotComplaint,
};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::time::Instant;

/// Changes per pull page when the client does not ask for a number.
const DEFAULT_PULL_LIMIT: u32 = 500;

/// Results per `GET /sync/results` when the client does not ask for a
/// number (one push batch's worth).
const DEFAULT_RESULTS_LIMIT: u32 = MAX_PUSH_BATCH as u32;

/// Complaints per bootstrap page when the client does not ask for a number.
const DEFAULT_BOOTSTRAP_LIMIT: u32 = 200;

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
        (status = 403, description = "`device_mismatch` or `unknown_device`; `forbidden_role` for an integration's token (integrations use the intake API)", body = ErrorBody),
        (status = 409, description = "`device_forked`: the device's local database was cloned or restored; `replay_mismatch`: a settled seq and mutation id sent with other arguments; `mutation_id_taken`: another user's device settled that mutation id. Nothing of the batch from that mutation on was processed", body = ErrorBody),
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
            StatusCode::BAD_REQUEST,
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
    if let Some(seq) = fresh_high_water(&response.results) {
        state.inner.notifier.poke(seq);
    }
    Ok(Json(response))
}

/// The newest change seq these results wrote, if they wrote any (replays
/// write nothing).
pub(super) fn fresh_high_water(results: &[MutationResult]) -> Option<i64> {
    results
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

/// The parsed query of a request, or `malformed_request` saying what is
/// wrong with it.
pub(super) fn query<T>(params: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    match params {
        Ok(Query(params)) => Ok(params),
        Err(e) => Err(ApiError::malformed(e.body_text())),
    }
}

/// The page size a query asked for (`default` when left out); 0 is refused.
pub(super) fn page_limit(limit: Option<u32>, default: u32) -> Result<u32, ApiError> {
    match limit.unwrap_or(default) {
        0 => Err(ApiError::malformed("`limit` is at least 1")),
        limit => Ok(limit),
    }
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
        (status = 403, description = "`device_mismatch` or `unknown_device`; `forbidden_role` for an integration's token", body = ErrorBody),
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
    let params = query(params)?;
    if params.after < 0 {
        return Err(ApiError::malformed("`after` is a seq, 0 or more"));
    }
    let limit = page_limit(params.limit, DEFAULT_PULL_LIMIT)?;
    let device = auth.session.device;
    let page = state
        .blocking(move |store| store.pull(device, params.after, limit, Timestamp::now()))
        .await?;
    Ok(Json(page))
}

/// The query of `GET /sync/results`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct ResultsParams {
    /// The first `client_seq` to return (1, the default, is the device's
    /// first mutation).
    #[serde(default = "first_seq")]
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    from: u64,
    /// The most results in one answer (100 when left out; at most 1000).
    #[param(minimum = 1)]
    limit: Option<u32>,
}

fn first_seq() -> u64 {
    1
}

/// `GET /sync/results?from=<client_seq>&limit=<n>`: the stored results of
/// the session's device, for a client whose push response was lost.
#[utoipa::path(
    get,
    path = "/api/v1/sync/results",
    summary = "Stored results of the device's mutations",
    description = "The results the server stored for the session's device, from `client_seq` `from` on, ascending, exactly as the push answered them. A client whose push response was lost learns from a pull's `device_last_seq` how far the server got, and fetches the results here instead of pushing again. When `device_last_seq` is above the last result's `client_seq`, ask again from the next one.",
    tag = "sync",
    params(ResultsParams, ProtocolHeader, DeviceHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The stored results and the device's settled position", body = ResultsResponse),
        (status = 400, description = "`malformed_request`: a bad query", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`device_mismatch` or `unknown_device`; `forbidden_role` for an integration's token", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn results(
    State(state): State<AppState>,
    auth: AuthSession,
    params: Result<Query<ResultsParams>, QueryRejection>,
) -> Result<Json<ResultsResponse>, ApiError> {
    let params = query(params)?;
    let limit = page_limit(params.limit, DEFAULT_RESULTS_LIMIT)?;
    // Client seqs are stored as 64-bit signed integers.
    if i64::try_from(params.from).is_err() {
        return Err(ApiError::malformed(format!(
            "from {} is beyond any client_seq (at most {})",
            params.from,
            i64::MAX
        )));
    }
    let device = auth.session.device;
    let response = state
        .blocking(move |store| {
            // The results first, then the position: every result returned
            // is at or below `device_last_seq`.
            let results = store.results(device, params.from, limit)?;
            // A pull past any seq reads nothing but the device's position.
            let position = store.pull(device, i64::MAX, 1, Timestamp::now())?;
            Ok(ResultsResponse {
                results,
                device_last_seq: position.device_last_seq,
                server_time: Timestamp::now(),
            })
        })
        .await?;
    Ok(Json(response))
}

/// The query of `GET /sync/bootstrap`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct BootstrapParams {
    /// Start after this complaint id: the `next_after` of the previous
    /// page (left out for the first page).
    #[param(value_type = Option<uuid::Uuid>)]
    after: Option<ComplaintId>,
    /// The most complaints in one page (200 when left out; at most 1000).
    #[param(minimum = 1)]
    limit: Option<u32>,
}

/// `GET /sync/bootstrap?after=<complaint id>&limit=<n>`: one page of the
/// snapshot of every complaint.
///
/// Paging rule: each page is read in one transaction with the log's high
/// water (`as_of_seq`), so each page is consistent on its own, but pages
/// read at different times are not consistent with each other. A client
/// keeps the smallest `as_of_seq` of its pages and then pulls from there:
/// it receives every change made since the earliest page, and because a
/// change is the entity's full state with its version, applying changes
/// over the pages (keeping the higher version) converges on the server's
/// state.
#[utoipa::path(
    get,
    path = "/api/v1/sync/bootstrap",
    summary = "One page of the snapshot of every complaint",
    description = "Complaints in ascending id order, each with its version and the seq of its latest change, read in one transaction with the change log's high water `as_of_seq`. Ask for the next page with `after=<next_after>` until `next_after` is absent.\n\nEach page is consistent on its own; pages read at different times are not consistent with each other. Keep the **smallest** `as_of_seq` of all pages and pull from it: every change made while paging arrives, and since a change is the entity's full state with its version, applying the changes over the pages (keeping the higher version) converges on the server's state.",
    tag = "sync",
    params(BootstrapParams, ProtocolHeader, DeviceHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One snapshot page", body = BootstrapPage),
        (status = 400, description = "`malformed_request`: a bad query", body = ErrorBody),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`device_mismatch`; `forbidden_role` for an integration's token", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn bootstrap(
    State(state): State<AppState>,
    _auth: AuthSession,
    params: Result<Query<BootstrapParams>, QueryRejection>,
) -> Result<Json<BootstrapPage>, ApiError> {
    let params = query(params)?;
    let limit = page_limit(params.limit, DEFAULT_BOOTSTRAP_LIMIT)?;
    let page = state
        .blocking(move |store| store.snapshot_page(params.after, limit))
        .await?;
    let next_after = if page.has_more {
        page.complaints.last().map(|c| c.complaint.id)
    } else {
        None
    };
    Ok(Json(BootstrapPage {
        as_of_seq: page.as_of_seq,
        complaints: page
            .complaints
            .into_iter()
            .map(|c| SnapshotComplaint {
                complaint: c.complaint,
                version: c.version,
                last_seq: c.last_seq,
            })
            .collect(),
        next_after,
        server_time: Timestamp::now(),
    }))
}

/// `GET /sync/events`: a server-sent event stream of `poke`s, each carrying
/// only the new high-water seq (as its id and in `{"high_water": n}`); the
/// client pulls to learn what changed. Ends when the server shuts down, and
/// with a `session_revoked` event when a periodic check finds the session
/// revoked or expired (or its user disabled).
#[utoipa::path(
    get,
    path = "/api/v1/sync/events",
    summary = "Listen for new changes (server-sent events)",
    description = "An event stream that announces new changes without carrying them: at most one `poke` per interval, with the new high-water seq. It ends when the server shuts down, or with a `session_revoked` event once the session is found revoked or expired (checked every 15 s).",
    tag = "sync",
    params(ProtocolHeader, DeviceHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A server-sent event stream. Each `poke` event has the new high-water seq as its id and `{\"high_water\": n}` as its data; comments keep an idle stream open. Pull to learn what changed. A `session_revoked` event (data `{\"code\": \"unauthorized\"}`) is the last one of a stream whose session ended: sign in again.",
            content_type = "text/event-stream", body = String),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`device_mismatch`; `forbidden_role` for an integration's token", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 429, description = "`too_many_streams`: this session has as many event streams open as a session may (4 by default)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
        (status = 503, description = "`store_unavailable`: retry later", body = ErrorBody),
    )
)]
pub(super) async fn events(
    State(state): State<AppState>,
    auth: AuthSession,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    // Held by the stream: its place is given back when it ends.
    let slot = state.inner.streams.take(auth.session.token_hash)?;
    let rules_digest = state.rules_now().await?.digest.clone();
    let pokes = Pokes {
        rules_changed: state.inner.rules_changed.subscribe(),
        rules_digest,
        _slot: slot,
        receiver: state.inner.notifier.subscribe(),
        shutdown: state.shutdown().clone(),
        interval: state.config().poke_interval,
        last_sent: None,
        sent_seq: 0,
        session: auth.session.token_hash,
        session_check: tokio::time::interval_at(
            Instant::now() + state.config().session_check,
            state.config().session_check,
        ),
        state: state.clone(),
        ended: false,
    };
    let stream = futures_util::stream::unfold(pokes, |mut pokes| async move {
        if pokes.ended {
            return None;
        }
        let event = match pokes.next().await? {
            Announce::Poke(seq) => Event::default()
                .event("poke")
                .id(seq.to_string())
                .data(format!("{{\"high_water\":{seq}}}")),
            Announce::Rules(digest) => Event::default()
                .event("rules")
                .data(format!("{{\"digest\":\"{digest}\"}}")),
            Announce::SessionRevoked => {
                // The last event of the stream: the client stops syncing and
                // asks its user to sign in again.
                pokes.ended = true;
                Event::default()
                    .event("session_revoked")
                    .data(format!("{{\"code\":\"{}\"}}", ErrorCode::Unauthorized))
            }
        };
        Some((Ok(event), pokes))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(state.config().keep_alive)))
}

/// What an event stream says next.
enum Announce {
    /// The log now reaches this seq.
    Poke(i64),
    /// Another version of the site configuration is in force (its digest).
    Rules(String),
    /// The stream's session was revoked or expired, or its user disabled.
    SessionRevoked,
}

/// One connection's view of the hub: coalesced, rising high-water seqs,
/// and a periodic look at whether its session is still live.
struct Pokes {
    _slot: super::gates::StreamSlot,
    /// Ticks when this server stored a new configuration version.
    rules_changed: tokio::sync::watch::Receiver<u64>,
    /// The digest of the rules last announced (or in force at the start).
    rules_digest: String,
    receiver: Receiver<i64>,
    shutdown: Shutdown,
    interval: Duration,
    last_sent: Option<Instant>,
    sent_seq: i64,
    session: TokenHash,
    session_check: tokio::time::Interval,
    state: AppState,
    ended: bool,
}

impl Pokes {
    /// Whether the stream's session is still live. A store that cannot be
    /// asked right now does not end the stream; the next check asks again.
    async fn session_live(&self) -> bool {
        let hash = self.session;
        match self
            .state
            .blocking(move |store| store.find_session(&hash))
            .await
        {
            Ok(found) => found.is_some_and(|s| s.is_active(Timestamp::now())),
            Err(_) => true,
        }
    }

    /// The rules digest in force now, when it is not the one last
    /// announced. A store that cannot be asked now is asked at the next
    /// check.
    async fn new_rules(&mut self) -> Option<String> {
        let digest = self.state.rules_now().await.ok()?.digest.clone();
        if digest == self.rules_digest {
            return None;
        }
        self.rules_digest.clone_from(&digest);
        Some(digest)
    }

    /// The next announcement, or `None` when the stream should end.
    async fn next(&mut self) -> Option<Announce> {
        loop {
            let first = tokio::select! {
                () = self.shutdown.wait() => return None,
                // A version stored here: announced at once.
                changed = self.rules_changed.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                    match self.new_rules().await {
                        Some(digest) => return Some(Announce::Rules(digest)),
                        None => continue,
                    }
                }
                // Sessions end, and versions stored by another server on the
                // same database or reaching their effective-from instant
                // show, at the next check.
                _ = self.session_check.tick() => {
                    if !self.session_live().await {
                        return Some(Announce::SessionRevoked);
                    }
                    match self.new_rules().await {
                        Some(digest) => return Some(Announce::Rules(digest)),
                        None => continue,
                    }
                }
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
            return Some(Announce::Poke(high));
        }
    }
}

/// `GET /rules`: the site's rules the server decides with.
#[utoipa::path(
    get,
    path = "/api/v1/rules",
    summary = "The rules the server decides with",
    description = "The site's rules document (business calendars by id, SLA policies, the site's calling code) the server decides SLA due times and everything else with, as the admin configured it with `redress-server serve --rules`, or the built-in rules. Desktops use the same calendars for their provisional countdowns. `digest` is the SHA-256 of the document's canonical JSON (compact, keys sorted); `GET /meta` carries it as `rules_digest`, so a change shows without fetching the document.",
    tag = "sync",
    params(ProtocolHeader, DeviceHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The rules in force and their digest", body = RulesResponse),
        (status = 401, description = "`unauthorized`: no live session", body = ErrorBody),
        (status = 403, description = "`device_mismatch`; `forbidden_role` for an integration's token", body = ErrorBody),
        (status = 426, description = "`protocol_mismatch`", body = ErrorBody),
        (status = 500, description = "`internal_error` and other server faults", body = ErrorBody),
    )
)]
pub(super) async fn rules(
    State(state): State<AppState>,
    _auth: AuthSession,
) -> Result<Json<RulesResponse>, ApiError> {
    let rules = state.rules_now().await?;
    Ok(Json(RulesResponse {
        digest: rules.digest.clone(),
        document: rules.document.clone(),
    }))
}
