//! The OpenAPI 3.1 description of the HTTP API, assembled from the
//! `#[utoipa::path]` annotations on the handlers and the schemas of the wire
//! types. `crates/server/openapi.json` is a committed copy; a test fails
//! when the two differ.

use super::{Health, admin, intake, session, sync};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use redress_protocol::admin::{
    Account, AccountChange, AccountSession, AuditEntry, AuditPage, ConfigPut, ConfigResponse,
    ConfigVersion, ConfigVersions, NewAccount, PasswordReset, RevokeSessions, SessionsRevoked,
};
use redress_protocol::http::{ErrorBody, LoginRequest, LoginResponse, Meta};
use redress_protocol::intake::schema::{
    Channel, ComplaintKind, DemandClass, IntakeComplaint, IntakeCustomer, IntakeSubject,
    SubjectKind,
};
use redress_protocol::{
    BootstrapPage, Change, ChangeCause, ChangeOp, DeviceId, IntakeAccepted, IntakeProgress,
    IntakeRejected, MutationEnvelope, MutationResult, Outcome, PullResponse, PushRequest,
    PushResponse, ResultsResponse, RulesResponse, SnapshotComplaint,
};
use std::sync::OnceLock;
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// `Redress-Protocol`, which every endpoint but `health`, `meta` and
/// `openapi.json` requires. Only its schema is used.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code, reason = "describes a header; never built")]
pub(super) struct ProtocolHeader {
    /// The protocol version the client speaks; outside the server's range
    /// (see `GET /meta`) the answer is `426 protocol_mismatch`.
    #[param(rename = "Redress-Protocol", minimum = 1, example = 1)]
    protocol: u32,
}

/// `Redress-Protocol` where it may be left out (the intake API). Only its
/// schema is used.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code, reason = "describes a header; never built")]
pub(super) struct OptionalProtocolHeader {
    /// The protocol version the client speaks, if it sends one; one outside
    /// the server's range is `426 protocol_mismatch`.
    #[param(rename = "Redress-Protocol", minimum = 1, example = 1)]
    protocol: Option<u32>,
}

/// `Redress-Device`, which every endpoint that needs a session requires.
/// Only its schema is used.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code, reason = "describes a header; never built")]
pub(super) struct DeviceHeader {
    /// The device the session is bound to; any other is
    /// `403 device_mismatch`.
    #[param(rename = "Redress-Device")]
    device: DeviceId,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Redress sync server",
        description = "The HTTP API of the shared Redress server (see docs/sync-server.md). \
            Every response carries the headers `Redress-Server-Epoch`, `Redress-Server-Time`, \
            `Redress-Protocol-Min` and `Redress-Protocol-Max`. Every error is a JSON `ErrorBody`; \
            an unknown path is `404 not_found` and a wrong method `405 method_not_allowed`."
    ),
    paths(
        super::health,
        super::meta,
        document,
        session::login,
        session::logout,
        sync::push,
        sync::pull,
        sync::events,
        sync::results,
        sync::bootstrap,
        sync::rules,
        intake::create_complaint,
        intake::add_progress,
        admin::get_config,
        admin::config_versions,
        admin::put_config,
        admin::audit,
        admin::users,
        admin::add_user,
        admin::update_user,
        admin::reset_password,
        admin::user_sessions,
        admin::revoke_user_sessions,
    ),
    components(schemas(
        ErrorBody,
        Health,
        Meta,
        LoginRequest,
        LoginResponse,
        DeviceId,
        PushRequest,
        MutationEnvelope,
        PushResponse,
        MutationResult,
        Outcome,
        PullResponse,
        Change,
        ChangeOp,
        ChangeCause,
        ResultsResponse,
        BootstrapPage,
        SnapshotComplaint,
        RulesResponse,
        IntakeComplaint,
        IntakeCustomer,
        IntakeSubject,
        Channel,
        SubjectKind,
        ComplaintKind,
        DemandClass,
        IntakeProgress,
        IntakeAccepted,
        IntakeRejected,
        ConfigVersion,
        ConfigResponse,
        ConfigVersions,
        ConfigPut,
        AuditEntry,
        AuditPage,
        Account,
        NewAccount,
        AccountChange,
        PasswordReset,
        AccountSession,
        RevokeSessions,
        SessionsRevoked,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "server", description = "Liveness, version and this document; no session needed"),
        (name = "auth", description = "Sessions: sign in and out"),
        (name = "sync", description = "Push mutations, pull changes, listen for pokes, fetch stored results, the bootstrap snapshot and the rules in force"),
        (name = "admin", description = "The site configuration's versions and the audit log; admins only"),
        (name = "intake", description = "Complaints fed in by other systems (CRM, IVR, web forms) with an integration token"),
    )
)]
struct ApiDoc;

/// Adds the `bearer` scheme the session endpoints name.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token of `POST /api/v1/auth/login`, or an integration's token from `redress-server integration add`, as `Authorization: Bearer <token>`",
                    ))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document of the HTTP API.
pub fn openapi() -> Document {
    ApiDoc::openapi()
}

/// [`openapi()`] as pretty JSON with a final newline: the content of the
/// committed `openapi.json` and of `GET /api/v1/openapi.json`.
pub fn openapi_json() -> String {
    let mut json = openapi()
        .to_pretty_json()
        .expect("an OpenAPI document always serialises");
    json.push('\n');
    json
}

/// `GET /openapi.json`: this document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    summary = "This OpenAPI document",
    tag = "server",
    responses((status = 200, description = "The OpenAPI document of this API", content_type = "application/json", body = Object))
)]
pub(super) async fn document() -> Response {
    static JSON: OnceLock<String> = OnceLock::new();
    let json = JSON.get_or_init(openapi_json).clone();
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response()
}
