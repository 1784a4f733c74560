//! The HTTP abuse suite: an agent, an integration or a stranger on the LAN
//! sending what they like to a real server on 127.0.0.1 (port 0). Each case
//! asserts the answer (status and stable code) and that nothing was stored
//! that should not be. Cases that involve the store run on SQLite and on
//! PostgreSQL (`pg_*`, in a schema of their own; `make test` runs this file
//! under `scripts/with-postgres.sh`).
//!
//! Defences tested elsewhere because they need another harness: the log of
//! the real binary (a user name with a newline, `tests/accounts_cli.rs`),
//! TLS (`crates/cli/tests/client.rs`), arbitrary push bodies
//! (`tests/push_props.rs`).

mod pg_support;
mod support;

use jiff::Timestamp;
use redress_domain::complaint::{Command, MAX_PROGRESS_UPDATES};
use redress_domain::ids::{ComplaintId, RemedyId, UpdateId, UserId};
use redress_domain::model::{RemedyKind, Role};
use redress_domain::{Rules, text};
use redress_protocol::{DeviceId, Mutation, MutationEnvelope, PushRequest};
use redress_server::conformance::{exec, propose, to_analysed};
use redress_server::http::{Backend, HttpConfig};
use redress_server::testing::{PASSWORD, Serving, add_people};
use redress_server::{
    NewSession, PgStore, SqliteStore, StoreOptions, TokenHash, auth, integration,
};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Reply, agent, assert_error, complaint_id, draft, record, send};
use uuid::Uuid;

/// A store served over HTTP, and what keeps its database alive.
struct Served {
    serving: Serving,
    store: Arc<dyn Backend>,
    _keep: Box<dyn std::any::Any>,
}

const PEOPLE: &[(&str, Role, Option<i64>)] = &[
    ("ann", Role::Agent, None),
    ("amy", Role::Agent, None),
    ("sue", Role::Supervisor, None),
    ("sam", Role::Supervisor, Some(10_000)),
];

fn serve(store: Arc<dyn Backend>, keep: Box<dyn std::any::Any>, config: HttpConfig) -> Served {
    add_people(store.as_ref(), PEOPLE);
    let serving = Serving::start(Arc::clone(&store), config, "127.0.0.1:0").expect("serve");
    Served {
        serving,
        store,
        _keep: keep,
    }
}

fn sqlite(config: HttpConfig) -> Served {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = SqliteStore::open(dir.path().join("server.sqlite3"), Rules::default())
        .expect("open the store");
    serve(Arc::new(store), Box::new(dir), config)
}

fn postgres(config: HttpConfig) -> Served {
    let schema = pg_support::Schema::new();
    let store = PgStore::connect_with(schema.config(), StoreOptions::new(Rules::default()))
        .expect("open the PostgreSQL store");
    serve(Arc::new(store), Box::new(schema), config)
}

/// A signed-in person's client, or an integration's.
struct Client {
    agent: ureq::Agent,
    base: String,
    token: String,
    device: DeviceId,
    user: String,
    next_seq: u64,
}

impl Served {
    fn person(&self, user: &str, device: u128) -> Client {
        let device = DeviceId(Uuid::from_u128(device));
        let base = format!("{}/api/v1", self.serving.url());
        let agent = agent(Duration::from_secs(30));
        let reply = send(
            &agent,
            "POST",
            &format!("{base}/auth/login"),
            &[("Redress-Protocol", "1".to_owned())],
            Some(
                json!({ "username": user, "password": PASSWORD,
                        "device_id": device, "device_name": "desk" })
                .to_string()
                .into_bytes(),
            ),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        Client {
            agent,
            base,
            token: reply.body["token"].as_str().expect("a token").to_owned(),
            device,
            user: user.to_owned(),
            next_seq: 1,
        }
    }

    fn integration(&self, name: &str) -> Client {
        let (token, hash) = auth::new_token().expect("a token");
        let added = integration::add_integration(
            self.store.as_ref(),
            &UserId::new(name),
            hash,
            Timestamp::now(),
        )
        .expect("add the integration");
        Client {
            agent: agent(Duration::from_secs(30)),
            base: format!("{}/api/v1", self.serving.url()),
            token,
            device: added.device,
            user: name.to_owned(),
            next_seq: 1,
        }
    }

    fn complaint(&self, id: ComplaintId) -> Option<redress_server::StoredComplaint> {
        self.store.complaint(id).expect("read the complaint")
    }

    fn settled_seq(&self, client: &Client) -> u64 {
        self.store
            .pull(client.device, 0, 1, Timestamp::now())
            .expect("pull")
            .device_last_seq
    }
}

impl Client {
    fn send(&self, method: &str, path: &str, body: Option<Vec<u8>>) -> Reply {
        let headers = [
            ("Redress-Protocol", "1".to_owned()),
            ("Authorization", format!("Bearer {}", self.token)),
            ("Redress-Device", self.device.to_string()),
        ];
        send(
            &self.agent,
            method,
            &format!("{}{path}", self.base),
            &headers,
            body,
        )
    }

    fn post(&self, path: &str, body: &Value) -> Reply {
        self.send("POST", path, Some(body.to_string().into_bytes()))
    }

    fn envelope(&mut self, mutation: Mutation) -> MutationEnvelope {
        let envelope = MutationEnvelope {
            client_seq: self.next_seq,
            mutation_id: Uuid::now_v7(),
            author_user_id: UserId::new(&self.user),
            occurred_at_device: Timestamp::now(),
            base_seq: 0,
            mutation,
        };
        self.next_seq += 1;
        envelope
    }

    fn push_envelopes(&self, mutations: &[MutationEnvelope]) -> Reply {
        let request = PushRequest {
            device_id: self.device,
            sent_at_device: Timestamp::now(),
            mutations: mutations.to_vec(),
        };
        self.post(
            "/sync/push",
            &serde_json::to_value(request).expect("a push body"),
        )
    }

    fn push(&mut self, mutations: Vec<Mutation>) -> Reply {
        let envelopes: Vec<_> = mutations.into_iter().map(|m| self.envelope(m)).collect();
        self.push_envelopes(&envelopes)
    }

    /// A push body edited as JSON (what a hand-made client can send).
    fn push_raw(&mut self, edit: impl FnOnce(&mut Value), mutation: Mutation) -> Reply {
        let envelope = self.envelope(mutation);
        let mut body = serde_json::to_value(PushRequest {
            device_id: self.device,
            sent_at_device: Timestamp::now(),
            mutations: vec![envelope],
        })
        .expect("a push body");
        edit(&mut body["mutations"][0]);
        self.next_seq -= 1;
        self.post("/sync/push", &body)
    }
}

/// The push was answered and its one mutation rejected with `code`: the
/// rulebook's refusal, recorded (it consumes the seq) and visible to all.
fn rejected(reply: &Reply, code: &str) {
    rejected_as(reply, &[code]);
}

/// [`rejected`] with one of `codes`.
fn rejected_as(reply: &Reply, codes: &[&str]) {
    assert_eq!(reply.status, 200, "{}", reply.body);
    let r = &reply.body["results"][0];
    assert_eq!(r["status"], "rejected", "{r}");
    assert!(
        codes.iter().any(|c| r["code"] == *c),
        "{r} is not one of {codes:?}"
    );
}

fn applied(reply: &Reply, n: usize) {
    assert_eq!(reply.status, 200, "{}", reply.body);
    for r in reply.body["results"].as_array().expect("results") {
        assert_eq!(r["status"], "applied", "{r}");
    }
    assert_eq!(reply.body["results"].as_array().map(Vec::len), Some(n));
}

/// Generates the SQLite and the PostgreSQL test of each store case.
macro_rules! on_both_stores {
    ($($case:ident),* $(,)?) => {
        mod on_sqlite {
            $( #[test] fn $case() { super::$case(super::sqlite); } )*
        }
        mod pg {
            $( #[test] fn $case() { super::$case(super::postgres); } )*
        }
    };
}

on_both_stores!(
    bad_text_is_refused_before_anything_is_stored,
    unknown_fields_anywhere_are_refused,
    replays_with_other_arguments_foreign_ids_and_forks_change_nothing,
    a_refund_split_into_small_remedies_needs_approval_beyond_the_limit,
    integrations_cannot_be_hijacked_or_write_on_others_complaints,
    an_oversized_history_still_reaches_a_fresh_desktop,
);

type Open = fn(HttpConfig) -> Served;

/// An edit of a push body's envelope, as JSON.
type Edit = fn(&mut Value);

fn bad_text_is_refused_before_anything_is_stored(open: Open) {
    let server = open(HttpConfig::default());
    let mut ann = server.person("ann", 1);
    let name_limit = text::PERSON_NAME.max_chars;
    // PostgreSQL cannot even log a NUL (jsonb refuses it): there the
    // refusal is `unstorable_data`, equally final.
    let cases: Vec<(&str, String, &[&str])> = vec![
        (
            "NUL",
            "Wang\u{0}Fang".to_owned(),
            &["invalid_text", "unstorable_data"],
        ),
        ("ESC", "Wang\u{1b}[31mFang".to_owned(), &["invalid_text"]),
        ("RLO", "Wang\u{202e}gnaF".to_owned(), &["invalid_text"]),
        ("newline", "Wang\nFang".to_owned(), &["invalid_text"]),
        ("long", "W".repeat(name_limit + 1), &["text_too_long"]),
    ];
    for (n, (what, name, codes)) in cases.into_iter().enumerate() {
        let id = complaint_id(n as u128);
        let mut complaint = draft("x");
        complaint.customer.name = name;
        let reply = ann.push(vec![Mutation::Record {
            complaint_id: id,
            complaint,
        }]);
        rejected_as(&reply, codes);
        assert!(server.complaint(id).is_none(), "{what}: stored");
    }
    // Multi-line text keeps newline and tab, refuses the rest.
    let id = complaint_id(100);
    let mut complaint = draft("Wang Fang");
    complaint.description = "line one\n\tline two\r\nline three".into();
    applied(
        &ann.push(vec![Mutation::Record {
            complaint_id: id,
            complaint,
        }]),
        1,
    );
    let note = |text: String| {
        exec(
            id,
            Command::AddProgress {
                update_id: UpdateId(Uuid::now_v7()),
                text,
                customer_informed: false,
            },
        )
    };
    rejected(&ann.push(vec![note("called\u{7}".into())]), "invalid_text");
    rejected(
        &ann.push(vec![note("x".repeat(text::PROGRESS_TEXT.max_chars + 1))]),
        "text_too_long",
    );
    let stored = server.complaint(id).expect("recorded");
    assert_eq!(stored.version, 1, "no note applied");
    assert!(stored.complaint.progress.is_empty());
    // The intake API refuses the same at the HTTP layer, before settling.
    let crm = server.integration("crm");
    let mut body = serde_json::to_value(draft("Wang\u{0}Fang")).expect("a draft");
    body["external_ref"] = json!("crm-1");
    assert_error(&crm.post("/intake/complaints", &body), 400, "invalid_text");
    assert_eq!(server.settled_seq(&crm), 0);
}

fn unknown_fields_anywhere_are_refused(open: Open) {
    let server = open(HttpConfig::default());
    let mut ann = server.person("ann", 1);
    let id = complaint_id(1);
    let edits: [(&str, Edit); 5] = [
        ("envelope", |m| m["sudo"] = json!(true)),
        ("customer", |m| {
            m["mutation"]["args"]["complaint"]["customer"]["vip"] = json!(true);
        }),
        ("subject", |m| {
            m["mutation"]["args"]["complaint"]["subject"]["owner"] = json!("me");
        }),
        ("draft", |m| {
            m["mutation"]["args"]["complaint"]["approved"] = json!(true);
        }),
        ("args", |m| {
            m["mutation"]["args"]["approve_all"] = json!(true)
        }),
    ];
    for (what, edit) in edits {
        let reply = ann.push_raw(edit, record(id));
        assert_eq!(reply.status, 400, "{what}: {}", reply.body);
        assert_eq!(reply.body["code"], "malformed_request", "{what}");
    }
    // A command's own arguments too.
    applied(&ann.push(vec![record(id)]), 1);
    let reply = ann.push_raw(
        |m| m["mutation"]["args"]["command"]["args"]["force"] = json!(true),
        to_analysed(id).remove(0),
    );
    assert_eq!(reply.status, 400, "{}", reply.body);
    // Seq 0 and impossible receipt times.
    let reply = ann.push_raw(|m| m["client_seq"] = json!(0), record(complaint_id(2)));
    assert_eq!(reply.status, 400, "{}", reply.body);
    for received_at in ["1970-01-02T00:00:00Z", "2999-01-01T00:00:00Z"] {
        let reply = ann.push_raw(
            |m| m["mutation"]["args"]["complaint"]["received_at"] = json!(received_at),
            record(complaint_id(3)),
        );
        assert_eq!(reply.status, 400, "{received_at}: {}", reply.body);
    }
    // Intake bodies as well.
    let crm = server.integration("crm");
    let mut body = serde_json::to_value(draft("Li Na")).expect("a draft");
    body["external_ref"] = json!("crm-1");
    body["priority"] = json!("urgent");
    let reply = crm.post("/intake/complaints", &body);
    assert_error(&reply, 400, "malformed_request");
    assert_eq!(server.settled_seq(&ann), 1);
    assert!(server.complaint(complaint_id(2)).is_none());
    assert!(server.complaint(complaint_id(3)).is_none());
}

fn replays_with_other_arguments_foreign_ids_and_forks_change_nothing(open: Open) {
    let server = open(HttpConfig::default());
    let mut ann = server.person("ann", 1);
    let mut amy = server.person("amy", 2);
    let id = complaint_id(1);
    let settled = ann.envelope(record(id));
    applied(&ann.push_envelopes(std::slice::from_ref(&settled)), 1);
    let before = server.complaint(id).expect("recorded");

    // The same seq and id with other arguments.
    let mut changed = settled.clone();
    if let Mutation::Record { complaint, .. } = &mut changed.mutation {
        complaint.customer.name = "Someone Else".into();
    }
    assert_error(&ann.push_envelopes(&[changed]), 409, "replay_mismatch");
    // Another user's device sending Ann's mutation id, hoping for her
    // outcome or to pre-empt it.
    let mut stolen = settled.clone();
    stolen.client_seq = 1;
    stolen.author_user_id = UserId::new("amy");
    assert_error(&amy.push_envelopes(&[stolen]), 409, "mutation_id_taken");
    // Ann's seq 1 again with another mutation: a copied database.
    let mut fork = ann.envelope(record(complaint_id(2)));
    fork.client_seq = 1;
    assert_error(&ann.push_envelopes(&[fork]), 409, "device_forked");

    let after = server.complaint(id).expect("still there");
    assert_eq!(after.version, before.version);
    assert_eq!(
        after.complaint.customer.name,
        before.complaint.customer.name
    );
    assert!(server.complaint(complaint_id(2)).is_none());
    assert_eq!(server.settled_seq(&ann), 1);
    assert_eq!(server.settled_seq(&amy), 0);
    // A true replay still answers the stored result.
    let replay = ann.push_envelopes(&[settled]);
    assert_eq!(replay.status, 200, "{}", replay.body);
    assert_eq!(replay.body["results"][0]["replayed"], true);
    amy.next_seq = 1;
}

fn a_refund_split_into_small_remedies_needs_approval_beyond_the_limit(open: Open) {
    let server = open(HttpConfig::default());
    let mut ann = server.person("ann", 1);
    let id = complaint_id(1);
    let mut steps = vec![record(id)];
    steps.extend(to_analysed(id));
    applied(&ann.push(steps), 4);
    let limit = Rules::default()
        .authority
        .grant_limit(Role::Agent, RemedyKind::FeeWaiver);
    let piece = (limit / 5).max(1);
    let pieces: Vec<Mutation> = (0..20)
        .map(|n| propose(id, RemedyId(Uuid::from_u128(0x5e00 + n)), piece))
        .collect();
    applied(&ann.push(pieces), 20);
    let c = server.complaint(id).expect("the complaint").complaint;
    let granted: i64 = c
        .remedies
        .iter()
        .filter(|r| r.auto_approved)
        .map(|r| r.total_minor())
        .sum();
    assert!(granted <= limit, "granted {granted} alone, limit {limit}");
    assert!(
        c.remedies.iter().filter(|r| !r.auto_approved).count() >= 20 - 5,
        "the rest waits for an approver"
    );
}

fn integrations_cannot_be_hijacked_or_write_on_others_complaints(open: Open) {
    let server = open(HttpConfig::default());
    let mut ann = server.person("ann", 1);
    let crm = server.integration("crm");
    let ivr = server.integration("ivr");
    let body = |external_ref: &str| {
        let mut body = serde_json::to_value(draft("Li Na")).expect("a draft");
        body["external_ref"] = json!(external_ref);
        body
    };
    let first = crm.post("/intake/complaints", &body("crm-1"));
    assert_eq!(first.status, 201, "{}", first.body);
    // An agent who knows the reference cannot get in between: ids are
    // random, keyed by integration.
    let again = crm.post("/intake/complaints", &body("crm-1"));
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["complaint_id"], first.body["complaint_id"]);
    let other = ivr.post("/intake/complaints", &body("crm-1"));
    assert_eq!(other.status, 201, "{}", other.body);
    assert_ne!(other.body["complaint_id"], first.body["complaint_id"]);
    // Progress only on the integration's own complaints.
    let anns = complaint_id(7);
    applied(&ann.push(vec![record(anns)]), 1);
    let note = json!({ "external_ref": "n1", "text": "called back" });
    let reply = crm.post(&format!("/intake/complaints/{anns}/progress"), &note);
    assert_error(&reply, 404, "not_found");
    let theirs = other.body["complaint_id"].as_str().expect("an id");
    let reply = crm.post(&format!("/intake/complaints/{theirs}/progress"), &note);
    assert_error(&reply, 404, "not_found");
    assert_eq!(
        server
            .complaint(anns)
            .expect("Ann's")
            .complaint
            .progress
            .len(),
        0
    );
    // An integration's token is for the intake API only.
    assert_error(
        &crm.send("GET", "/sync/pull?after=0", None),
        403,
        "forbidden_role",
    );
}

fn an_oversized_history_still_reaches_a_fresh_desktop(open: Open) {
    let server = open(HttpConfig::default());
    let mut ann = server.person("ann", 1);
    let id = complaint_id(1);
    applied(&ann.push(vec![record(id)]), 1);
    let long = "长".repeat(text::PROGRESS_TEXT.max_chars);
    let note = || {
        exec(
            id,
            Command::AddProgress {
                update_id: UpdateId(Uuid::now_v7()),
                text: long.clone(),
                customer_informed: true,
            },
        )
    };
    // Batches that fit the body limit, up to the complaint's cap.
    let mut pushed = 0;
    while pushed < MAX_PROGRESS_UPDATES {
        let n = (MAX_PROGRESS_UPDATES - pushed).min(50);
        applied(&ann.push((0..n).map(|_| note()).collect()), n);
        pushed += n;
    }
    let reply = ann.push(vec![note()]);
    rejected(&reply, "complaint_limit_reached");
    for n in 2..6 {
        applied(&ann.push(vec![record(complaint_id(n))]), 1);
    }
    // A fresh desktop pulls everything, page by page, each page far below
    // the desktop's answer limit.
    let sue = server.person("sue", 9);
    let mut after = 0;
    let mut seen = Vec::new();
    loop {
        let page = sue.send("GET", &format!("/sync/pull?after={after}&limit=500"), None);
        assert_eq!(page.status, 200, "{}", page.body);
        let bytes = page.body.to_string().len();
        assert!(bytes < 16 * 1024 * 1024, "a page of {bytes} bytes");
        for change in page.body["changes"].as_array().expect("changes") {
            seen.push(change["id"].as_str().unwrap_or("").to_owned());
            after = change["seq"].as_i64().expect("a seq");
        }
        if page.body["has_more"] != true {
            break;
        }
    }
    for n in 1..6 {
        assert!(
            seen.contains(&complaint_id(n).to_string()),
            "complaint {n} reached the fresh desktop"
        );
    }
    let full = server.complaint(id).expect("the complaint");
    assert_eq!(full.complaint.progress.len(), MAX_PROGRESS_UPDATES);
}

// ---- the connection itself (no store involved) --------------------------------

/// Reads until the server closes the connection (or the deadline passes).
fn closed_by_server(mut stream: TcpStream) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
    false
}

#[test]
fn slow_and_greedy_clients_are_cut_off() {
    let server = sqlite(HttpConfig {
        header_read_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
        max_connections: 3,
        ..HttpConfig::default()
    });
    let addr = server.serving.addr();
    // Headers that never end.
    let mut slow = TcpStream::connect(addr).expect("connect");
    slow.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        .expect("write");
    assert!(
        closed_by_server(slow),
        "a request without an end of headers"
    );
    // A body that never arrives.
    let mut stalled = TcpStream::connect(addr).expect("connect");
    stalled
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{\"username\":",
        )
        .expect("write");
    assert!(closed_by_server(stalled), "a body that never completes");
    // More connections than the cap: the extra one is closed at once.
    let held: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(addr).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let extra = TcpStream::connect(addr).expect("the kernel accepts");
    assert!(closed_by_server(extra), "over the connection cap");
    drop(held);
    // And the server still answers.
    let reply = send(
        &agent(Duration::from_secs(10)),
        "GET",
        &format!("{}/api/v1/health", server.serving.url()),
        &[],
        None,
    );
    assert_eq!(reply.status, 200);
}

// ---- accounts: login brakes, bounded names, session lifetime, stream caps ----

impl Served {
    /// `POST /auth/login` with `body`, as anyone may send it.
    fn login_raw(&self, body: &Value) -> Reply {
        send(
            &agent(Duration::from_secs(30)),
            "POST",
            &format!("{}/api/v1/auth/login", self.serving.url()),
            &[("Redress-Protocol", "1".to_owned())],
            Some(body.to_string().into_bytes()),
        )
    }

    fn login(&self, user: &str, password: &str, device: u128) -> Reply {
        self.login_raw(&json!({ "username": user, "password": password,
                                "device_id": Uuid::from_u128(device), "device_name": "desk" }))
    }

    /// A client with `token` on `device`, however the session was made.
    fn with_token(&self, token: &str, device: DeviceId) -> Client {
        Client {
            agent: agent(Duration::from_secs(30)),
            base: format!("{}/api/v1", self.serving.url()),
            token: token.to_owned(),
            device,
            user: String::new(),
            next_seq: 1,
        }
    }
}

impl Client {
    /// `GET /sync/events`, answered (a stream is left open as long as the
    /// returned response lives).
    fn events(&self) -> ureq::http::Response<ureq::Body> {
        self.agent
            .get(format!("{}/sync/events", self.base))
            .header("Redress-Protocol", "1")
            .header("Authorization", format!("Bearer {}", self.token))
            .header("Redress-Device", self.device.to_string())
            .call()
            .expect("an answer")
    }
}

#[test]
fn user_and_device_names_over_their_limits_are_refused_before_any_password_check() {
    let server = sqlite(HttpConfig {
        login_failures: 2,
        ..HttpConfig::default()
    });
    let limit = text::USER_NAME.max_chars;
    let cases = [
        ("a".repeat(limit + 1), "desk".to_owned(), "text_too_long"),
        (
            "ann\nINFO signed in user=root".to_owned(),
            "desk".to_owned(),
            "invalid_text",
        ),
        ("ann".to_owned(), "desk\u{1b}[2J".to_owned(), "invalid_text"),
        ("ann".to_owned(), "desk\u{202e}".to_owned(), "invalid_text"),
        (
            "ann".to_owned(),
            "d".repeat(text::DEVICE_NAME.max_chars + 1),
            "text_too_long",
        ),
    ];
    for _ in 0..3 {
        for (user, device_name, code) in &cases {
            let reply = server.login_raw(&json!({ "username": user, "password": PASSWORD,
                "device_id": Uuid::from_u128(1), "device_name": device_name }));
            assert_error(&reply, 400, code);
        }
    }
    let reply = server.login_raw(&json!({ "username": "ann",
        "password": "p".repeat(redress_server::MAX_PASSWORD_BYTES + 1),
        "device_id": Uuid::from_u128(1), "device_name": "desk" }));
    assert_error(&reply, 400, "malformed_request");
    // None of them counted as a failed sign-in of ann, none kept a session.
    let reply = server.login("ann", PASSWORD, 1);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let sessions = server.store.list_sessions(None, Timestamp::now());
    assert_eq!(sessions.expect("list").len(), 1);
}

#[test]
fn spraying_one_password_over_many_names_from_one_address_is_braked() {
    let server = sqlite(HttpConfig {
        login_address_failures: 3,
        ..HttpConfig::default()
    });
    for name in ["ann", "amy", "nobody"] {
        let reply = server.login(name, "Summer2026!", 1);
        assert_eq!(reply.status, 401, "{}", reply.body);
    }
    // The address is braked whatever the name, even with the right password.
    assert_error(&server.login("sue", PASSWORD, 2), 429, "rate_limited");
}

#[test]
fn guessing_one_account_is_braked_and_the_others_go_on() {
    let server = sqlite(HttpConfig::default());
    for _ in 0..5 {
        assert_eq!(server.login("ann", "guess", 1).status, 401);
    }
    // Even the right password is refused now, without being checked.
    let reply = server.login("ann", PASSWORD, 1);
    assert_error(&reply, 429, "rate_limited");
    let wait: u64 = reply
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(server.login("amy", PASSWORD, 2).status, 200);
}

#[test]
fn an_integration_account_cannot_sign_in_with_any_password() {
    let server = sqlite(HttpConfig::default());
    let crm = server.integration("crm");
    for password in ["", "!integration", crm.token.as_str(), PASSWORD] {
        let reply = server.login("crm", password, 1);
        assert_eq!(reply.status, 401, "{password:?}: {}", reply.body);
        assert_eq!(reply.body["code"], "invalid_credentials");
    }
}

#[test]
fn a_session_ends_at_its_absolute_lifetime_however_much_it_is_used() {
    let day = jiff::SignedDuration::from_hours(24);
    let hours = jiff::SignedDuration::from_hours;
    let server = sqlite(HttpConfig {
        session_ttl: day,
        session_max_age: day + hours(2),
        ..HttpConfig::default()
    });
    let device = DeviceId(Uuid::from_u128(1));
    server
        .store
        .register_device(device, &UserId::new("ann"), "desk", Timestamp::now())
        .expect("register");
    let session = |token: &str, created_at: Timestamp, expires_at: Timestamp| {
        server
            .store
            .create_session(&NewSession {
                token_hash: TokenHash::of(token),
                user: UserId::new("ann"),
                device,
                created_at,
                expires_at,
            })
            .expect("a session");
        server.with_token(token, device)
    };
    let pull = |c: &Client| c.send("GET", "/sync/pull?after=0", None);
    // Signed in 23 h 50 min ago, ten minutes left: in use, it slides only
    // up to 26 h after sign-in, not a day past now.
    let created_at = Timestamp::now() - jiff::SignedDuration::from_mins(1430);
    let sliding = session(&"a".repeat(64), created_at, created_at + day);
    assert_eq!(pull(&sliding).status, 200);
    let slid = server
        .store
        .find_session(&TokenHash::of(&"a".repeat(64)))
        .expect("read")
        .expect("the session")
        .expires_at;
    assert_eq!(slid, created_at + day + hours(2));
    // Past its absolute end it is refused even if its expiry says later
    // (a session slid before the limit was lowered).
    let stale = session(
        &"b".repeat(64),
        Timestamp::now() - hours(27),
        Timestamp::now() + day,
    );
    assert_error(&pull(&stale), 401, "unauthorized");
    // A fresh sign-in lasts the shorter of the two.
    let reply = server.login("ann", PASSWORD, 1);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let expires: Timestamp = reply.body["expires_at"]
        .as_str()
        .expect("an expiry")
        .parse()
        .expect("a time");
    assert!(expires <= Timestamp::now() + day);
}

#[test]
fn event_streams_per_session_are_capped_and_a_closed_one_frees_its_place() {
    let server = sqlite(HttpConfig {
        streams_per_session: 2,
        keep_alive: Duration::from_millis(20),
        ..HttpConfig::default()
    });
    let sue = server.person("sue", 2);
    let first = sue.events();
    assert_eq!(first.status().as_u16(), 200);
    let second = sue.events();
    assert_eq!(second.status().as_u16(), 200);
    let refused = sue.send("GET", "/sync/events", None);
    assert_error(&refused, 429, "too_many_streams");
    assert!(refused.headers.get("retry-after").is_some());
    // Another session is not affected.
    let sam = server.person("sam", 3);
    let sams = sam.events();
    assert_eq!(sams.status().as_u16(), 200);
    // Closing a stream gives its place back once the server notices (its
    // next keep-alive finds the connection gone).
    drop(first);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let reply = sue.events();
        if reply.status().as_u16() == 200 {
            break;
        }
        assert_eq!(reply.status().as_u16(), 429);
        assert!(Instant::now() < deadline, "the place never came back");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop((second, sams));
}
