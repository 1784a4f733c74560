//! The [`Transport`] over HTTP: a blocking client of the server's `/api/v1`
//! (push, pull, sign-in and sign-out).
//!
//! Every request but sign-in carries the session's bearer token, the device
//! id in `Redress-Device` and the protocol version in `Redress-Protocol`.
//! Answers are sorted into the two kinds of [`TransportError`]: no answer, a
//! timeout or a `5xx` is [`TransportError::Unreachable`] (try again later
//! with the same request); any other refusal (`401`, `403`, `426`, other
//! `4xx`) is [`TransportError::Refused`] with the server's `{code, message}`.
//!
//! The server is a [`ServerEndpoint`]: `https://` through rustls (the
//! system's roots plus a trusted CA file), plain `http://` only to loopback
//! unless explicitly allowed. The functions and constructors that take a
//! plain URL check it the same way (with no CA file, no insecure HTTP) and
//! refuse before connecting. A certificate the client does not trust is
//! refused with `tls_failed`: waiting will not fix it.

use crate::endpoint::{EndpointError, ServerEndpoint, refused};
use crate::{Transport, TransportError};
use redress_protocol::admin::{
    Account, AccountChange, AccountSession, AuditPage, ConfigPut, ConfigResponse, ConfigVersion,
    ConfigVersions, NewAccount, PasswordReset, RevokeSessions, SessionsRevoked,
};
use redress_protocol::http::{ErrorBody, LoginRequest, LoginResponse, Meta, headers};
use redress_protocol::{
    DeviceId, ErrorCode, PROTOCOL_VERSION, PullResponse, PushRequest, PushResponse,
    ResultsResponse, RulesResponse,
};
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use ureq::http::Response;
use uuid::Uuid;

/// How long establishing a connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one whole request (sending, waiting, reading) may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest answer read (a pull page of big complaints stays well below).
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// The API root under a server address: `http://host:8080` and
/// `http://host:8080/api/v1/` both give `http://host:8080/api/v1`.
pub fn api_base(server_url: &str) -> String {
    let trimmed = server_url.trim().trim_end_matches('/');
    if trimmed.ends_with("/api/v1") {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/api/v1")
    }
}

/// A signed-in session: the server's answer to a sign-in.
pub type Session = LoginResponse;

/// What the server speaks and which database it serves (`GET /meta`).
pub type ServerMeta = Meta;

fn agent(endpoint: &ServerEndpoint, timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(endpoint.tls_config())
        .timeout_connect(Some(CONNECT_TIMEOUT.min(timeout)))
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// Signs `username` in on `device_id` (registering the device to the user
/// on first use) and returns the new session. `server_url` is checked as a
/// [`ServerEndpoint`] without a CA file or insecure HTTP; see [`login_to`].
pub fn login(
    server_url: &str,
    username: &str,
    password: &str,
    device_id: DeviceId,
    device_name: &str,
) -> Result<Session, TransportError> {
    let endpoint = ServerEndpoint::parse(server_url, None, false)?;
    login_to(&endpoint, username, password, device_id, device_name)
}

/// [`login`] to `endpoint`, trusting what it trusts.
pub fn login_to(
    endpoint: &ServerEndpoint,
    username: &str,
    password: &str,
    device_id: DeviceId,
    device_name: &str,
) -> Result<Session, TransportError> {
    let url = format!("{}/auth/login", endpoint.api_base());
    let body = LoginRequest {
        username: username.to_owned(),
        password: password.to_owned(),
        device_id,
        device_name: device_name.to_owned(),
    };
    let answer = agent(endpoint, REQUEST_TIMEOUT)
        .post(&url)
        .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
        .send_json(&body);
    read_answer(answer)
}

/// Revokes the session of `token` on the server.
pub fn logout(server_url: &str, token: &str, device_id: DeviceId) -> Result<(), TransportError> {
    HttpTransport::new(server_url, token, device_id).logout()
}

/// [`logout`] from `endpoint`.
pub fn logout_from(
    endpoint: &ServerEndpoint,
    token: &str,
    device_id: DeviceId,
) -> Result<(), TransportError> {
    HttpTransport::for_endpoint(endpoint, token, device_id).logout()
}

/// The shared server over HTTP, as one signed-in device.
///
/// Clones share the connection pool and the last epoch seen.
#[derive(Clone)]
pub struct HttpTransport {
    agent: ureq::Agent,
    endpoint: Result<ServerEndpoint, EndpointError>,
    base: String,
    authorization: String,
    device: DeviceId,
    epoch: Arc<Mutex<Option<Uuid>>>,
}

impl std::fmt::Debug for HttpTransport {
    // The bearer token stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTransport")
            .field("base", &self.base)
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    /// A client of the server at `server_url` (with or without `/api/v1`)
    /// using the session `token` of `device`. The URL is checked as a
    /// [`ServerEndpoint`] without a CA file or insecure HTTP; when it does
    /// not pass, every request is refused with the check's code, before any
    /// connection. See [`HttpTransport::for_endpoint`].
    pub fn new(server_url: &str, token: &str, device: DeviceId) -> HttpTransport {
        HttpTransport::checked(
            ServerEndpoint::parse(server_url, None, false),
            api_base(server_url),
            token,
            device,
        )
    }

    /// A client of `endpoint` using the session `token` of `device`.
    pub fn for_endpoint(endpoint: &ServerEndpoint, token: &str, device: DeviceId) -> HttpTransport {
        HttpTransport::checked(Ok(endpoint.clone()), endpoint.api_base(), token, device)
    }

    fn checked(
        endpoint: Result<ServerEndpoint, EndpointError>,
        base: String,
        token: &str,
        device: DeviceId,
    ) -> HttpTransport {
        HttpTransport {
            agent: agent_of(&endpoint, REQUEST_TIMEOUT),
            endpoint,
            base,
            authorization: format!("Bearer {token}"),
            device,
            epoch: Arc::new(Mutex::new(None)),
        }
    }

    /// Gives up on a request after `timeout` instead of [`REQUEST_TIMEOUT`].
    pub fn with_timeout(mut self, timeout: Duration) -> HttpTransport {
        self.agent = agent_of(&self.endpoint, timeout);
        self
    }

    pub(crate) fn checked_endpoint(&self) -> &Result<ServerEndpoint, EndpointError> {
        &self.endpoint
    }

    /// The server this transport talks to, or why it cannot.
    pub fn endpoint(&self) -> Result<&ServerEndpoint, TransportError> {
        self.endpoint.as_ref().map_err(refused)
    }

    /// The API root requests go to.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// The `Authorization` header value this transport sends.
    pub(crate) fn authorization(&self) -> &str {
        &self.authorization
    }

    /// The `Redress-Server-Epoch` of the last answer that carried one.
    pub fn last_epoch(&self) -> Option<Uuid> {
        *self.epoch.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Interrupts the requests this transport (and its clones) has in
    /// flight, which fail as unreachable at once, and fails every later one.
    /// For stopping a worker thread without waiting out the timeouts.
    pub fn shutdown(&self) {
        self.agent.clone().shutdown();
    }

    /// Asks `GET /meta`: the server's protocol range, epoch and clock.
    /// Refused with `protocol_mismatch` when the server does not speak this
    /// client's protocol version.
    pub fn meta(&self) -> Result<ServerMeta, TransportError> {
        self.endpoint()?;
        let answer = self
            .agent
            .get(format!("{}/meta", self.base))
            .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
            .call();
        let meta: ServerMeta = read_answer(self.note_epoch(answer))?;
        *self.epoch.lock().unwrap_or_else(PoisonError::into_inner) = Some(meta.server_epoch);
        if !(meta.protocol_min..=meta.protocol_max).contains(&PROTOCOL_VERSION) {
            return Err(TransportError::Refused {
                code: ErrorCode::ProtocolMismatch,
                message: format!(
                    "the server speaks protocol versions {} to {}, this client {PROTOCOL_VERSION}",
                    meta.protocol_min, meta.protocol_max
                ),
            });
        }
        Ok(meta)
    }

    /// Remembers the epoch an answer carries.
    fn note_epoch(
        &self,
        answer: Result<Response<ureq::Body>, ureq::Error>,
    ) -> Result<Response<ureq::Body>, ureq::Error> {
        if let Ok(response) = &answer
            && let Some(epoch) = epoch_of(response)
        {
            *self.epoch.lock().unwrap_or_else(PoisonError::into_inner) = Some(epoch);
        }
        answer
    }

    fn post(&self, path: &str) -> ureq::RequestBuilder<ureq::typestate::WithBody> {
        self.agent
            .post(format!("{}{path}", self.base))
            .header("Authorization", &self.authorization)
            .header(headers::DEVICE, self.device.to_string())
            .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
    }

    /// Asks `GET /rules`: the site's rules the server decides with, and
    /// their digest.
    pub fn rules(&self) -> Result<RulesResponse, TransportError> {
        self.endpoint()?;
        let answer = self
            .agent
            .get(format!("{}/rules", self.base))
            .header("Authorization", &self.authorization)
            .header(headers::DEVICE, self.device.to_string())
            .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
            .call();
        read_answer(self.note_epoch(answer))
    }

    fn get(&self, path: &str) -> ureq::RequestBuilder<ureq::typestate::WithoutBody> {
        self.agent
            .get(format!("{}{path}", self.base))
            .header("Authorization", &self.authorization)
            .header(headers::DEVICE, self.device.to_string())
            .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
    }

    /// Asks `GET /admin/config`: a version of the site configuration (the
    /// one in force when `version` is `None`). Admins only.
    pub fn admin_config(&self, version: Option<i64>) -> Result<ConfigResponse, TransportError> {
        self.endpoint()?;
        let mut request = self.get("/admin/config");
        if let Some(v) = version {
            request = request.query("version", v.to_string());
        }
        read_answer(self.note_epoch(request.call()))
    }

    /// Asks `GET /admin/config/versions`. Admins only.
    pub fn admin_config_versions(&self) -> Result<ConfigVersions, TransportError> {
        self.endpoint()?;
        read_answer(self.note_epoch(self.get("/admin/config/versions").call()))
    }

    /// `PUT /admin/config`: stores a new version. Admins only.
    pub fn put_admin_config(&self, put: &ConfigPut) -> Result<ConfigVersion, TransportError> {
        self.endpoint()?;
        let answer = self
            .agent
            .put(format!("{}/admin/config", self.base))
            .header("Authorization", &self.authorization)
            .header(headers::DEVICE, self.device.to_string())
            .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
            .send_json(put);
        read_answer(self.note_epoch(answer))
    }

    /// Asks `GET /admin/audit`: audit entries after `after`. Admins only.
    pub fn admin_audit(&self, after: i64, limit: u32) -> Result<AuditPage, TransportError> {
        self.endpoint()?;
        let request = self
            .get("/admin/audit")
            .query("after", after.to_string())
            .query("limit", limit.to_string());
        read_answer(self.note_epoch(request.call()))
    }

    /// Asks `GET /admin/users`. Admins only.
    pub fn admin_users(&self) -> Result<Vec<Account>, TransportError> {
        self.endpoint()?;
        read_answer(self.note_epoch(self.get("/admin/users").call()))
    }

    /// `POST /admin/users`: adds a person. Admins only.
    pub fn admin_add_user(&self, new: &NewAccount) -> Result<Account, TransportError> {
        self.endpoint()?;
        read_answer(self.note_epoch(self.post("/admin/users").send_json(new)))
    }

    /// `PUT /admin/users/{name}`. Admins only.
    pub fn admin_update_user(
        &self,
        name: &str,
        change: &AccountChange,
    ) -> Result<Account, TransportError> {
        self.endpoint()?;
        let answer = self
            .agent
            .put(format!("{}/admin/users/{}", self.base, path_segment(name)))
            .header("Authorization", &self.authorization)
            .header(headers::DEVICE, self.device.to_string())
            .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
            .send_json(change);
        read_answer(self.note_epoch(answer))
    }

    /// `POST /admin/users/{name}/password`. Admins only.
    pub fn admin_reset_password(
        &self,
        name: &str,
        reset: &PasswordReset,
    ) -> Result<Account, TransportError> {
        self.endpoint()?;
        let path = format!("/admin/users/{}/password", path_segment(name));
        read_answer(self.note_epoch(self.post(&path).send_json(reset)))
    }

    /// Asks `GET /admin/users/{name}/sessions`. Admins only.
    pub fn admin_user_sessions(&self, name: &str) -> Result<Vec<AccountSession>, TransportError> {
        self.endpoint()?;
        let path = format!("/admin/users/{}/sessions", path_segment(name));
        read_answer(self.note_epoch(self.get(&path).call()))
    }

    /// `POST /admin/users/{name}/sessions/revoke`. Admins only.
    pub fn admin_revoke_sessions(
        &self,
        name: &str,
        revoke: &RevokeSessions,
    ) -> Result<SessionsRevoked, TransportError> {
        self.endpoint()?;
        let path = format!("/admin/users/{}/sessions/revoke", path_segment(name));
        read_answer(self.note_epoch(self.post(&path).send_json(revoke)))
    }

    /// Revokes this session on the server.
    pub fn logout(&self) -> Result<(), TransportError> {
        self.endpoint()?;
        let answer = self.note_epoch(self.post("/auth/logout").send_empty());
        let mut response = answer.map_err(network_error)?;
        check_status(&mut response)?;
        Ok(())
    }
}

impl Transport for HttpTransport {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        self.endpoint()?;
        read_answer(self.note_epoch(self.post("/sync/push").send_json(request)))
    }

    fn pull(&self, after: i64, limit: u32) -> Result<PullResponse, TransportError> {
        self.endpoint()?;
        let answer = self
            .agent
            .get(format!("{}/sync/pull", self.base))
            .query("after", after.to_string())
            .query("limit", limit.to_string())
            .header("Authorization", &self.authorization)
            .header(headers::DEVICE, self.device.to_string())
            .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
            .call();
        read_answer(self.note_epoch(answer))
    }

    fn results(&self, from: u64, limit: u32) -> Result<ResultsResponse, TransportError> {
        self.endpoint()?;
        let answer = self
            .agent
            .get(format!("{}/sync/results", self.base))
            .query("from", from.to_string())
            .query("limit", limit.to_string())
            .header("Authorization", &self.authorization)
            .header(headers::DEVICE, self.device.to_string())
            .header(headers::PROTOCOL, PROTOCOL_VERSION.to_string())
            .call();
        read_answer(self.note_epoch(answer))
    }
}

/// A user name as one URL path segment: every byte outside the unreserved
/// set percent-encoded (user names have no spaces, but may have `/` or
/// non-ASCII letters).
fn path_segment(name: &str) -> String {
    name.bytes().fold(String::new(), |mut out, b| {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            use std::fmt::Write as _;
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}

/// The `Redress-Server-Epoch` header of an answer, if it has a readable one.
pub(crate) fn epoch_of(response: &Response<ureq::Body>) -> Option<Uuid> {
    response
        .headers()
        .get(headers::SERVER_EPOCH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Uuid::parse_str(v.trim()).ok())
}

/// A successful answer's JSON body, or the error it stands for.
fn read_answer<T: DeserializeOwned>(
    answer: Result<Response<ureq::Body>, ureq::Error>,
) -> Result<T, TransportError> {
    let mut response = answer.map_err(network_error)?;
    check_status(&mut response)?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER_BYTES)
        .read_json::<T>()
        .map_err(|e| match e {
            // A cut-off or garbled answer (a proxy, a restart mid-answer):
            // asking again may work.
            ureq::Error::Json(e) => {
                TransportError::Unreachable(format!("the server's answer is not readable: {e}"))
            }
            other => network_error(other),
        })
}

/// Turns a non-2xx answer into its [`TransportError`].
pub(crate) fn check_status(response: &mut Response<ureq::Body>) -> Result<(), TransportError> {
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let text = response
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    let body = serde_json::from_str::<ErrorBody>(&text).ok();
    let code = status.as_u16();
    let message = match &body {
        Some(b) => format!("{}: {}", b.code, b.message),
        None if text.trim().is_empty() => format!("HTTP {code}"),
        None => format!("HTTP {code}: {}", text.trim()),
    };
    // Server trouble and an expired wait are worth another try; any other
    // refusal stands until something changes (sign-in, upgrade, the data).
    if status.is_server_error() || code == 408 {
        return Err(TransportError::Unreachable(message));
    }
    Err(match body {
        // A code this build does not know: keep the server's own words.
        Some(b) if b.code == ErrorCode::Unknown => TransportError::Refused {
            code: b.code,
            message: format!("HTTP {code}: {}", text.trim()),
        },
        Some(b) => TransportError::Refused {
            code: b.code,
            message: b.message,
        },
        // Not the server's error body (a proxy, an old server): the status
        // says what it can.
        None => TransportError::Refused {
            code: match code {
                401 => ErrorCode::Unauthorized,
                404 => ErrorCode::NotFound,
                405 => ErrorCode::MethodNotAllowed,
                413 => ErrorCode::PayloadTooLarge,
                _ => ErrorCode::UnexpectedResponse,
            },
            message,
        },
    })
}

fn tls_failed(e: &dyn std::fmt::Display) -> TransportError {
    TransportError::Refused {
        code: ErrorCode::TlsFailed,
        message: format!("the TLS connection to the server failed: {e}"),
    }
}

/// An agent for `endpoint`; for an endpoint that did not pass its check,
/// one that is never used (every request is refused first).
fn agent_of(endpoint: &Result<ServerEndpoint, EndpointError>, timeout: Duration) -> ureq::Agent {
    match endpoint {
        Ok(endpoint) => agent(endpoint, timeout),
        Err(_) => ureq::Agent::config_builder().build().into(),
    }
}

/// Sorts a failure to get an answer: network trouble is transient, a
/// request this client cannot even make (bad address, no TLS) is not, nor
/// is a server certificate this client does not trust.
pub(crate) fn network_error(e: ureq::Error) -> TransportError {
    match e {
        ureq::Error::Rustls(e) => tls_failed(&e),
        ureq::Error::Io(io)
            if io
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                .is_some() =>
        {
            tls_failed(&io)
        }
        ureq::Error::BadUri(_)
        | ureq::Error::Http(_)
        | ureq::Error::TlsRequired
        | ureq::Error::RequireHttpsOnly(_)
        | ureq::Error::InvalidProxyUrl => TransportError::Refused {
            code: ErrorCode::BadServerUrl,
            message: e.to_string(),
        },
        other => TransportError::Unreachable(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_root_is_found_with_or_without_it() {
        assert_eq!(api_base("http://h:1"), "http://h:1/api/v1");
        assert_eq!(api_base("http://h:1/"), "http://h:1/api/v1");
        assert_eq!(api_base(" http://h:1/api/v1/ "), "http://h:1/api/v1");
    }

    #[test]
    fn nobody_listening_is_unreachable() {
        // A port that was free a moment ago: the connection is refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let t = HttpTransport::new(
            &format!("http://127.0.0.1:{port}"),
            "t",
            DeviceId(Uuid::nil()),
        )
        .with_timeout(Duration::from_secs(5));
        match t.pull(0, 1) {
            Err(TransportError::Unreachable(_)) => {}
            other => panic!("expected unreachable, got {other:?}"),
        }
    }

    #[test]
    fn a_malformed_address_is_refused() {
        match login("not a url", "u", "p", DeviceId(Uuid::nil()), "d") {
            Err(TransportError::Refused { code, .. }) => assert_eq!(code, "bad_server_url"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
