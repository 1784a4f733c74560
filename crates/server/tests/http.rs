//! The HTTP API against a real server on 127.0.0.1 (port 0), in this test
//! process, with a blocking client.

mod support;

use jiff::{SignedDuration, Timestamp};
use redress_domain::ids::{ComplaintId, RemedyId, UserId};
use redress_domain::model::Role;
use redress_protocol::{DeviceId, Mutation, MutationEnvelope, PushRequest};
use redress_server::conformance::{decide, propose, to_analysed};
use redress_server::http::HttpConfig;
use redress_server::testing::{self, PASSWORD};
use redress_server::{AccountStore, NewSession, ServerStore, SqliteStore, TokenHash};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Reply, agent, assert_error, complaint_id, envelopes, record, send};
use uuid::Uuid;

/// A server on its own runtime thread, over a fresh database.
struct TestServer {
    base: String,
    store: Arc<SqliteStore>,
    server: testing::TestServer,
}

impl TestServer {
    /// Users: ann and amy (agents), sam (supervisor whose own limit is
    /// ¥100), sue (supervisor with the role's limit), dan (agent).
    fn start() -> TestServer {
        TestServer::start_with(HttpConfig::default())
    }

    /// [`TestServer::start`] with other limits and timings.
    fn start_with(config: HttpConfig) -> TestServer {
        let server = testing::TestServer::start_with(
            config,
            &[
                ("ann", Role::Agent, None),
                ("amy", Role::Agent, None),
                ("sam", Role::Supervisor, Some(10_000)),
                ("sue", Role::Supervisor, None),
                ("dan", Role::Agent, None),
            ],
        );
        TestServer {
            base: server.base_url(),
            store: server.store().clone(),
            server,
        }
    }

    /// Triggers shutdown and waits (bounded) for the server to return.
    fn stop(&mut self) -> Duration {
        self.server.stop()
    }

    fn agent(&self) -> ureq::Agent {
        agent(Duration::from_secs(20))
    }

    /// A client of this server; `device` names its installation.
    fn client(&self, device: u128) -> Client {
        Client {
            agent: self.agent(),
            base: self.base.clone(),
            device: DeviceId(Uuid::from_u128(device)),
            token: None,
            protocol: Some("1".to_owned()),
            device_header: None,
            user: String::new(),
            next_seq: 1,
        }
    }

    /// A client signed in as `user` on device `device`.
    fn signed_in(&self, user: &str, device: u128) -> Client {
        let mut client = self.client(device);
        let (status, body) = client.login(user, PASSWORD);
        assert_eq!(status, 200, "{body}");
        client.token = Some(body["token"].as_str().expect("a token").to_owned());
        client.user = user.to_owned();
        client
    }
}

struct Client {
    agent: ureq::Agent,
    base: String,
    device: DeviceId,
    token: Option<String>,
    /// The `Redress-Protocol` header to send, if any.
    protocol: Option<String>,
    /// Overrides the `Redress-Device` header (default: the own device).
    device_header: Option<String>,
    user: String,
    next_seq: u64,
}

impl Client {
    fn send(&self, method: &str, path: &str, body: Option<Vec<u8>>) -> Reply {
        let url = format!("{}{path}", self.base);
        let mut headers: Vec<(&str, String)> = Vec::new();
        if let Some(p) = &self.protocol {
            headers.push(("Redress-Protocol", p.clone()));
        }
        if let Some(t) = &self.token {
            headers.push(("Authorization", format!("Bearer {t}")));
        }
        headers.push((
            "Redress-Device",
            self.device_header
                .clone()
                .unwrap_or_else(|| self.device.to_string()),
        ));
        send(&self.agent, method, &url, &headers, body)
    }

    fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send("POST", path, Some(body.to_string().into_bytes()))
    }

    fn login(&self, user: &str, password: &str) -> (u16, Value) {
        let reply = self.post_json(
            "/auth/login",
            &json!({
                "username": user,
                "password": password,
                "device_id": self.device,
                "device_name": format!("{user}'s desk"),
            }),
        );
        (reply.status, reply.body)
    }

    fn pull(&self, after: i64) -> Reply {
        self.send("GET", &format!("/sync/pull?after={after}"), None)
    }

    /// The next envelopes of this device, authored by its user.
    fn envelopes(&mut self, mutations: Vec<Mutation>) -> Vec<MutationEnvelope> {
        envelopes(&mut self.next_seq, &self.user, mutations)
    }

    fn request(&self, mutations: Vec<MutationEnvelope>) -> Value {
        serde_json::to_value(PushRequest {
            device_id: self.device,
            sent_at_device: Timestamp::now(),
            mutations,
        })
        .expect("a push body")
    }

    fn push(&mut self, mutations: Vec<Mutation>) -> Reply {
        let envelopes = self.envelopes(mutations);
        let body = self.request(envelopes);
        self.post_json("/sync/push", &body)
    }

    /// Pushes one mutation; returns its result.
    fn push_one(&mut self, mutation: Mutation) -> Value {
        let reply = self.push(vec![mutation]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body["results"][0].clone()
    }
}

// ---- mutations -------------------------------------------------------------

fn remedy_id(n: u128) -> RemedyId {
    RemedyId(Uuid::from_u128(0xE0_0000 + n))
}

/// Record, judge, assign, analyse and propose a remedy of `amount_minor`.
fn up_to_approval(id: ComplaintId, remedy: RemedyId, amount_minor: i64) -> Vec<Mutation> {
    let mut mutations = vec![record(id)];
    mutations.extend(to_analysed(id));
    mutations.push(propose(id, remedy, amount_minor));
    mutations
}

fn approve(id: ComplaintId, remedy: RemedyId) -> Mutation {
    decide(id, remedy, true)
}

fn assert_applied(result: &Value) {
    assert_eq!(result["status"], "applied", "{result}");
}

fn assert_rejected(result: &Value, codes: &[&str]) {
    assert_eq!(result["status"], "rejected", "{result}");
    let code = result["code"].as_str().expect("a code");
    assert!(codes.contains(&code), "expected one of {codes:?}: {result}");
}

/// The device's settled position and the log's high water, from the store.
fn stored(server: &TestServer, device: DeviceId) -> (u64, i64) {
    let page = server
        .store
        .pull(device, 0, 1, Timestamp::now())
        .expect("pull from the store");
    (page.device_last_seq, page.high_water)
}

// ---- tests -----------------------------------------------------------------

#[test]
fn health_and_meta_need_no_session() {
    let server = TestServer::start();
    let mut client = server.client(1);
    client.protocol = None;
    let health = client.send("GET", "/health", None);
    assert_eq!(health.status, 200);
    assert_eq!(health.body["status"], "ok");
    let meta = client.send("GET", "/meta", None);
    assert_eq!(meta.status, 200);
    assert_eq!(meta.body["protocol_min"], 1);
    assert_eq!(meta.body["protocol_max"], 1);
    let epoch = server.store.epoch().expect("epoch").to_string();
    assert_eq!(meta.body["server_epoch"], epoch.as_str());
    assert!(
        meta.body["server_time"]
            .as_str()
            .and_then(|t| t.parse::<Timestamp>().ok())
            .is_some()
    );
    assert_eq!(
        meta.headers
            .get("redress-server-epoch")
            .and_then(|v| v.to_str().ok()),
        Some(epoch.as_str())
    );
    assert!(meta.headers.contains_key("redress-server-time"));
    assert!(meta.headers.contains_key("redress-protocol-max"));
    let missing = client.send("GET", "/nothing/here", None);
    assert_error(&missing, 404, "not_found");
}

#[test]
fn login_returns_a_token_and_the_servers_policy() {
    let server = TestServer::start();
    let client = server.client(7);
    let (status, body) = client.login("sam", PASSWORD);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"], "sam");
    assert_eq!(body["role"], "supervisor");
    assert_eq!(body["approval_limit_minor"], 10_000);
    assert_eq!(body["device_id"], client.device.to_string());
    assert_eq!(
        body["server_epoch"],
        server.store.epoch().expect("epoch").to_string()
    );
    let token = body["token"].as_str().expect("a token");
    assert_eq!(token.len(), 64);

    // Only the token's hash is stored.
    let session = server
        .store
        .find_session(&TokenHash::of(token))
        .expect("read the session")
        .expect("the session exists");
    assert_eq!(session.user.name.as_str(), "sam");
    assert_eq!(session.device, client.device);
    for file in ["server.sqlite3", "server.sqlite3-wal"] {
        let bytes = std::fs::read(server.server.path().with_file_name(file)).unwrap_or_default();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the raw token is in {file}"
        );
    }

    // The token works.
    let mut signed_in = client;
    signed_in.token = Some(token.to_owned());
    let page = signed_in.pull(0);
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body["high_water"], 0);
}

#[test]
fn wrong_passwords_and_unknown_users_are_refused_alike() {
    let server = TestServer::start();
    let client = server.client(1);
    let (status, body) = client.login("ann", "not her password");
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "invalid_credentials");
    let (status, body) = client.login("nobody", PASSWORD);
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "invalid_credentials");
    assert!(body.get("token").is_none());
}

#[test]
fn a_disabled_user_cannot_sign_in_and_loses_open_sessions() {
    let server = TestServer::start();
    let dan = server.signed_in("dan", 1);
    assert_eq!(dan.pull(0).status, 200);
    server
        .store
        .disable_user(&UserId::new("dan"), Timestamp::now())
        .expect("disable");
    assert_error(&dan.pull(0), 401, "unauthorized");
    let (status, body) = server.client(2).login("dan", PASSWORD);
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "user_disabled");
    assert!(body.get("token").is_none());
}

#[test]
fn missing_bad_and_revoked_tokens_are_unauthorized() {
    let server = TestServer::start();
    let mut ann = server.signed_in("ann", 1);
    let token = ann.token.take();
    let reply = ann.pull(0);
    assert_error(&reply, 401, "unauthorized");
    assert_eq!(
        reply
            .headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer")
    );
    ann.token = Some("0".repeat(64));
    assert_error(&ann.pull(0), 401, "unauthorized");
    assert_error(
        &ann.push(vec![record(complaint_id(1))]),
        401,
        "unauthorized",
    );
    ann.token = token;
    assert_eq!(ann.pull(0).status, 200);
    let logout = ann.send("POST", "/auth/logout", None);
    assert_eq!(logout.status, 204, "{}", logout.body);
    assert_error(&ann.pull(0), 401, "unauthorized");
    assert_error(&ann.send("POST", "/auth/logout", None), 401, "unauthorized");
}

#[test]
fn a_session_in_use_slides_its_expiry_forward() {
    let ttl = SignedDuration::from_hours(24);
    let server = TestServer::start_with(HttpConfig {
        session_ttl: ttl,
        ..HttpConfig::default()
    });
    let ann = server.client(1);
    server
        .store
        .register_device(
            ann.device,
            &UserId::new("ann"),
            "ann's desktop",
            Timestamp::now(),
        )
        .expect("register");
    // A session signed in almost a day ago, ten minutes from expiring.
    let token = "a".repeat(64);
    let hash = TokenHash::of(&token);
    let created_at = Timestamp::now() - SignedDuration::from_mins(1430);
    server
        .store
        .create_session(&NewSession {
            token_hash: hash,
            user: UserId::new("ann"),
            device: ann.device,
            created_at,
            expires_at: created_at + ttl,
        })
        .expect("a session");
    let expiry = || {
        server
            .store
            .find_session(&hash)
            .expect("read")
            .expect("the session")
            .expires_at
    };
    let before = expiry();
    let ann = Client {
        token: Some(token),
        ..ann
    };
    let asked_at = Timestamp::now();
    assert_eq!(ann.pull(0).status, 200);
    let after = expiry();
    assert!(after >= asked_at + ttl, "{after} is a day past {asked_at}");
    assert!(after > before + SignedDuration::from_hours(23));
    // A request soon after does not write again.
    assert_eq!(ann.pull(0).status, 200);
    assert_eq!(expiry(), after);
    // A revoked session stays revoked however it is used.
    assert!(
        server
            .store
            .revoke_session(&hash, Timestamp::now())
            .expect("revoke")
    );
    assert_error(&ann.pull(0), 401, "unauthorized");
    assert!(
        !server
            .store
            .extend_session(&hash, after + ttl)
            .expect("extend")
    );
}

#[test]
fn a_session_is_bound_to_its_device() {
    let server = TestServer::start();
    let mut ann = server.signed_in("ann", 1);
    let other = DeviceId(Uuid::from_u128(2));
    ann.device_header = Some(other.to_string());
    assert_error(&ann.pull(0), 403, "device_mismatch");
    ann.device_header = Some(String::new());
    assert_error(&ann.pull(0), 403, "device_mismatch");
    ann.device_header = None;

    // The header matches but the body names another device.
    let envelopes = ann.envelopes(vec![record(complaint_id(1))]);
    let mut body = ann.request(envelopes);
    body["device_id"] = json!(other);
    assert_error(&ann.post_json("/sync/push", &body), 403, "device_mismatch");
    assert_eq!(stored(&server, ann.device), (0, 0), "nothing stored");

    // Another user cannot sign in on ann's device.
    let (status, body) = server.client(1).login("amy", PASSWORD);
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "device_taken");
}

#[test]
fn a_protocol_mismatch_is_426_and_stores_nothing() {
    let server = TestServer::start();
    let mut ann = server.signed_in("ann", 1);
    ann.protocol = Some("2".to_owned());
    let reply = ann.push(vec![record(complaint_id(1))]);
    assert_error(&reply, 426, "protocol_mismatch");
    assert_eq!(
        reply
            .headers
            .get("redress-protocol-max")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    ann.protocol = None;
    ann.next_seq = 1;
    assert_error(
        &ann.push(vec![record(complaint_id(1))]),
        426,
        "protocol_mismatch",
    );
    assert_error(&ann.pull(0), 426, "protocol_mismatch");
    let (status, body) = ann.login("ann", PASSWORD);
    assert_eq!((status, &body["code"]), (426, &json!("protocol_mismatch")));
    assert_eq!(stored(&server, ann.device), (0, 0), "nothing stored");

    // The same push with the right version is applied.
    ann.protocol = Some("1".to_owned());
    ann.next_seq = 1;
    assert_applied(&ann.push_one(record(complaint_id(1))));
    assert_eq!(stored(&server, ann.device), (1, 1));
}

#[test]
fn malformed_bodies_unknown_fields_and_unknown_mutations_are_refused() {
    let server = TestServer::start();
    let mut ann = server.signed_in("ann", 1);

    let not_json = ann.send("POST", "/sync/push", Some(b"{not json".to_vec()));
    assert_error(&not_json, 400, "malformed_request");
    assert!(
        not_json.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("column")),
        "the position: {}",
        not_json.body
    );

    let envelopes = ann.envelopes(vec![record(complaint_id(1)), record(complaint_id(2))]);
    let good = ann.request(envelopes);

    let mut extra = good.clone();
    extra["priority"] = json!("high");
    assert_error(
        &ann.post_json("/sync/push", &extra),
        400,
        "malformed_request",
    );

    let mut bad_args = good.clone();
    bad_args["mutations"][1]["args"]["complaint"]["channel"] = json!("carrier pigeon");
    let reply = ann.post_json("/sync/push", &bad_args);
    assert_error(&reply, 400, "malformed_request");
    assert_eq!(reply.body["index"], 1);

    let mut extra_envelope_field = good.clone();
    extra_envelope_field["mutations"][0]["urgent"] = json!(true);
    let reply = ann.post_json("/sync/push", &extra_envelope_field);
    assert_error(&reply, 400, "malformed_request");
    assert_eq!(reply.body["index"], 0);

    let mut unknown = good.clone();
    unknown["mutations"][1]["name"] = json!("complaint.teleport");
    let reply = ann.post_json("/sync/push", &unknown);
    assert_error(&reply, 400, "unsupported_mutation");
    assert_eq!(reply.body["index"], 1);

    let login = ann.post_json(
        "/auth/login",
        &json!({ "username": "ann", "password": PASSWORD, "device_id": ann.device,
                 "device_name": "desk", "remember_me": true }),
    );
    assert_error(&login, 400, "malformed_request");

    assert_error(
        &ann.send("GET", "/sync/pull?after=-1", None),
        400,
        "malformed_request",
    );
    assert_error(
        &ann.send("GET", "/sync/pull?after=x", None),
        400,
        "malformed_request",
    );
    assert_error(
        &ann.send("GET", "/sync/pull?since=3", None),
        400,
        "malformed_request",
    );

    assert_eq!(stored(&server, ann.device), (0, 0), "nothing stored");
    let reply = ann.post_json("/sync/push", &good);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(stored(&server, ann.device), (2, 2));
}

#[test]
fn oversized_bodies_and_batches_are_refused() {
    let server = TestServer::start();
    let mut ann = server.signed_in("ann", 1);
    let mut body = ann.request(Vec::new());
    body["padding"] = json!("x".repeat(1024 * 1024 + 1));
    assert_error(
        &ann.post_json("/sync/push", &body),
        413,
        "payload_too_large",
    );

    let mutations = (0..101).map(|n| record(complaint_id(n))).collect();
    let envelopes = ann.envelopes(mutations);
    let batch = ann.request(envelopes);
    assert_error(
        &ann.post_json("/sync/push", &batch),
        413,
        "payload_too_large",
    );
    assert_eq!(stored(&server, ann.device), (0, 0), "nothing stored");
}

#[test]
fn roles_and_limits_come_from_the_servers_user_table() {
    let server = TestServer::start();
    let mut ann = server.signed_in("ann", 1);
    let mut amy = server.signed_in("amy", 2);
    let mut sam = server.signed_in("sam", 3);
    let mut sue = server.signed_in("sue", 4);
    let id = complaint_id(1);
    // ¥200: within a supervisor's approval limit, above sam's own ¥100.
    let reply = ann.push(up_to_approval(id, remedy_id(1), 20_000));
    assert_eq!(reply.status, 200, "{}", reply.body);
    for result in reply.body["results"].as_array().expect("results") {
        assert_applied(result);
    }

    // An agent cannot approve.
    assert_rejected(
        &amy.push_one(approve(id, remedy_id(1))),
        &["forbidden_role", "authority_limit_exceeded"],
    );
    // The proposer cannot approve their own remedy.
    assert_rejected(
        &ann.push_one(approve(id, remedy_id(1))),
        &["self_approval_forbidden", "forbidden_role"],
    );
    // Sam's personal limit is below the amount.
    let over = sam.push_one(approve(id, remedy_id(1)));
    assert_rejected(&over, &["authority_limit_exceeded"]);
    assert_eq!(over["details"]["limit_minor"], 10_000, "{over}");
    // Sam cannot act as sue by naming her as the author.
    let mut envelopes = sam.envelopes(vec![approve(id, remedy_id(1))]);
    envelopes[0].author_user_id = UserId::new("sue");
    let body = sam.request(envelopes);
    let reply = sam.post_json("/sync/push", &body);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_rejected(&reply.body["results"][0], &["author_mismatch"]);

    // Sue, with the role's limit, approves.
    assert_applied(&sue.push_one(approve(id, remedy_id(1))));

    // Every rejection is in the log for everyone.
    let page = amy.pull(0);
    assert_eq!(page.status, 200);
    let rejections: Vec<&Value> = page.body["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["op"] == "rejection")
        .collect();
    assert_eq!(rejections.len(), 4);
    assert_eq!(rejections[2]["cause"]["actor"], "sam");
}

#[test]
fn a_replayed_push_returns_the_stored_results() {
    let server = TestServer::start();
    let mut ann = server.signed_in("ann", 1);
    let envelopes = ann.envelopes(vec![record(complaint_id(1)), record(complaint_id(1))]);
    let body = ann.request(envelopes);
    let first = ann.post_json("/sync/push", &body);
    assert_eq!(first.status, 200, "{}", first.body);
    assert_applied(&first.body["results"][0]);
    assert_rejected(&first.body["results"][1], &["complaint_exists"]);
    let (_, high_water) = stored(&server, ann.device);

    let again = ann.post_json("/sync/push", &body);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["device_last_seq"], 2);
    assert_eq!(again.body["next_expected_seq"], 3);
    for (before, after) in first.body["results"]
        .as_array()
        .expect("results")
        .iter()
        .zip(again.body["results"].as_array().expect("results"))
    {
        assert_eq!(after["replayed"], true);
        let mut after = after.clone();
        after.as_object_mut().expect("a result").remove("replayed");
        assert_eq!(&after, before);
    }
    assert_eq!(stored(&server, ann.device), (2, high_water), "nothing new");
}

/// Reads SSE lines until a `poke` event arrives; returns its id and data.
fn next_poke(lines: &mut impl BufRead) -> (String, String) {
    loop {
        let (event, id, data) = next_event(lines).expect("the stream ended before a poke");
        if event == "poke" {
            return (id, data);
        }
    }
}

/// The next named event (name, id, data), skipping comments; `None` at the
/// end of the stream.
fn next_event(lines: &mut impl BufRead) -> Option<(String, String, String)> {
    let mut event = String::new();
    let mut id = String::new();
    let mut data = String::new();
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).expect("read the stream") == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if !event.is_empty() {
                return Some((event, id, data));
            }
            continue;
        }
        if let Some(v) = line.strip_prefix("event:") {
            event = v.trim().to_owned();
        } else if let Some(v) = line.strip_prefix("id:") {
            id = v.trim().to_owned();
        } else if let Some(v) = line.strip_prefix("data:") {
            data = v.trim().to_owned();
        }
    }
}

fn open_events(client: &Client) -> BufReader<ureq::BodyReader<'static>> {
    let response = client
        .agent
        .get(format!("{}/sync/events", client.base))
        .header("Redress-Protocol", "1")
        .header(
            "Authorization",
            format!("Bearer {}", client.token.as_deref().expect("signed in")),
        )
        .header("Redress-Device", client.device.to_string())
        .call()
        .expect("open the event stream");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    BufReader::new(response.into_body().into_reader())
}

#[test]
fn a_push_from_another_device_pokes_open_event_streams() {
    let server = TestServer::start();
    let mut ann = server.signed_in("ann", 1);
    let sue = server.signed_in("sue", 2);
    let mut unauthenticated = server.client(3);
    unauthenticated.token = None;
    assert_error(
        &unauthenticated.send("GET", "/sync/events", None),
        401,
        "unauthorized",
    );

    let mut events = open_events(&sue);
    let result = ann.push_one(record(complaint_id(1)));
    assert_applied(&result);
    let seq = result["last_change_seq"].as_i64().expect("a seq");
    let (id, data) = next_poke(&mut events);
    assert_eq!(id, seq.to_string());
    let data: Value = serde_json::from_str(&data).expect("JSON data");
    assert_eq!(data, json!({ "high_water": seq }));

    // A second push pokes again with the new high water.
    let result = ann.push_one(record(complaint_id(2)));
    let (id, _) = next_poke(&mut events);
    assert_eq!(
        id,
        result["last_change_seq"].as_i64().expect("seq").to_string()
    );
}

#[test]
fn a_revoked_session_ends_its_event_stream() {
    let server = TestServer::start_with(HttpConfig {
        session_check: Duration::from_millis(100),
        ..HttpConfig::default()
    });
    let mut ann = server.signed_in("ann", 1);
    let sue = server.signed_in("sue", 2);
    let mut events = open_events(&sue);
    // A live session's stream goes on carrying pokes past several checks.
    std::thread::sleep(Duration::from_millis(300));
    let result = ann.push_one(record(complaint_id(1)));
    let (id, _) = next_poke(&mut events);
    assert_eq!(
        id,
        result["last_change_seq"].as_i64().expect("seq").to_string()
    );

    let hash = TokenHash::of(sue.token.as_deref().expect("signed in"));
    assert!(
        server
            .store
            .revoke_session(&hash, Timestamp::now())
            .expect("revoke")
    );
    let (event, _, data) = next_event(&mut events).expect("an event before the end");
    assert_eq!(event, "session_revoked");
    let data: Value = serde_json::from_str(&data).expect("JSON data");
    assert_eq!(data, json!({ "code": "unauthorized" }));
    assert!(
        next_event(&mut events).is_none(),
        "the stream ends after it"
    );
}

#[test]
fn graceful_shutdown_ends_open_event_streams() {
    let mut server = TestServer::start();
    let sue = server.signed_in("sue", 2);
    let mut events = open_events(&sue);
    let reader = std::thread::spawn(move || {
        let mut rest = String::new();
        // Returns at the end of the stream (or fails on a cut connection).
        let ended = std::io::Read::read_to_string(&mut events, &mut rest).is_ok();
        (ended, rest)
    });
    std::thread::sleep(Duration::from_millis(100));
    let took = server.stop();
    assert!(took < Duration::from_secs(5), "shutdown took {took:?}");
    let started = Instant::now();
    while !reader.is_finished() {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the event stream stayed open"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let (ended, rest) = reader.join().expect("the reader");
    assert!(ended, "the stream ended cleanly");
    assert!(!rest.contains("poke"), "{rest}");
}
