//! The intake API on a real server: integrations record complaints and add
//! progress, idempotently by their `external_ref`; people's tokens are
//! refused there, and integrations' tokens on every sync endpoint.

mod support;

use jiff::Timestamp;
use redress_domain::complaint::Command;
use redress_domain::ids::{ComplaintId, UserId};
use redress_domain::model::InvalidReason;
use redress_protocol::Mutation;
use redress_server::{ServerStore, integration};
use serde_json::{Value, json};
use support::{TestServer, assert_error, draft};
use uuid::Uuid;

/// An intake body for a new complaint under `external_ref`.
fn complaint_body(external_ref: &str, customer: &str) -> Value {
    let mut body = serde_json::to_value(draft(customer)).expect("a draft");
    body["external_ref"] = json!(external_ref);
    body
}

fn complaint_of(server: &TestServer, id: &Value) -> redress_server::StoredComplaint {
    let id: ComplaintId = serde_json::from_value(id.clone()).expect("a complaint id");
    server
        .store
        .complaint(id)
        .expect("read the complaint")
        .expect("the complaint exists")
}

/// The changes of the whole log.
/// What a desktop pulls from the start: each complaint's latest state and
/// every rejection.
fn log(server: &TestServer) -> Vec<redress_protocol::Change> {
    pull_all(server).changes
}

/// The newest seq of the change log (one per settled mutation).
fn high_water(server: &TestServer) -> i64 {
    pull_all(server).high_water
}

fn pull_all(server: &TestServer) -> redress_protocol::PullResponse {
    let device = redress_protocol::DeviceId(Uuid::nil());
    // Any registered device may read; register one for reading.
    server
        .store
        .register_device(device, &UserId::new("ann"), "reader", Timestamp::now())
        .expect("register a reader");
    server
        .store
        .pull(device, 0, 1000, Timestamp::now())
        .expect("pull")
}

#[test]
fn a_complaint_is_recorded_once_per_external_ref() {
    let server = TestServer::start();
    let crm = server.integration("crm");
    let body = complaint_body("crm-4711", "Wang Fang");

    // No Redress-Protocol, no Redress-Device: a bearer token is enough.
    let first = crm.post("/intake/complaints", &body);
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["replayed"], false);
    assert_eq!(first.body["outcome"]["status"], "applied");
    let number = first.body["number"].as_str().expect("a number");
    assert!(number.starts_with("TS-"), "{number}");
    let stored = complaint_of(&server, &first.body["complaint_id"]);
    assert_eq!(stored.complaint.number, number);
    assert_eq!(stored.complaint.recorded_by.as_str(), "crm");
    assert_eq!(stored.complaint.customer.name, "Wang Fang");
    assert_eq!(stored.version, 1);

    // A retry, even with a changed body, returns the stored outcome.
    let mut changed = body.clone();
    changed["demand"] = json!("something else");
    for retry in [&body, &changed] {
        let again = crm.post("/intake/complaints", retry);
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(again.body["replayed"], true);
        assert_eq!(again.body["complaint_id"], first.body["complaint_id"]);
        assert_eq!(again.body["number"], first.body["number"]);
        assert_eq!(again.body["mutation_id"], first.body["mutation_id"]);
        assert_eq!(again.body["outcome"], first.body["outcome"]);
    }
    let changes = log(&server);
    assert_eq!(changes.len(), 1, "one change: {changes:?}");
    assert_eq!(changes[0].entity, "complaint");
    assert_eq!(
        complaint_of(&server, &first.body["complaint_id"])
            .complaint
            .demand,
        "a stable line"
    );

    // Another reference is another complaint.
    let other = crm.post("/intake/complaints", &complaint_body("crm-4712", "Li Lei"));
    assert_eq!(other.status, 201, "{}", other.body);
    assert_ne!(other.body["complaint_id"], first.body["complaint_id"]);
    assert_ne!(other.body["number"], first.body["number"]);

    // Without a time received, it is received when the server records it.
    let mut untimed = complaint_body("crm-4713", "Zhao Min");
    untimed
        .as_object_mut()
        .expect("an object")
        .remove("received_at");
    let (before, reply) = (Timestamp::now(), crm.post("/intake/complaints", &untimed));
    assert_eq!(reply.status, 201, "{}", reply.body);
    let received = complaint_of(&server, &reply.body["complaint_id"])
        .complaint
        .received_at;
    assert!(
        received >= before && received <= Timestamp::now(),
        "{received}"
    );

    // Two integrations may use the same reference for different complaints.
    let ivr = server.integration("ivr");
    let theirs = ivr.post("/intake/complaints", &body);
    assert_eq!(theirs.status, 201, "{}", theirs.body);
    assert_ne!(theirs.body["complaint_id"], first.body["complaint_id"]);
    assert_eq!(log(&server).len(), 4);
}

#[test]
fn a_sent_protocol_header_must_be_supported() {
    let server = TestServer::start();
    let mut crm = server.integration("crm");
    crm.protocol = Some("2".to_owned());
    let reply = crm.post("/intake/complaints", &complaint_body("r1", "Wang Fang"));
    assert_error(&reply, 426, "protocol_mismatch");
    crm.protocol = Some("1".to_owned());
    let reply = crm.post("/intake/complaints", &complaint_body("r1", "Wang Fang"));
    assert_eq!(reply.status, 201, "{}", reply.body);
}

#[test]
fn a_refusal_is_422_with_the_rulebooks_code_and_is_kept() {
    let server = TestServer::start();
    let crm = server.integration("crm");
    let mut body = complaint_body("bad-1", "");
    body["demand"] = json!("  ");
    let reply = crm.post("/intake/complaints", &body);
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(reply.body["code"], "validation_failed");
    assert!(!reply.body["message"].as_str().unwrap_or("").is_empty());
    assert_eq!(reply.body["replayed"], false);
    let fields: Vec<&str> = reply.body["details"]["fields"]
        .as_array()
        .expect("field errors")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert!(fields.contains(&"customer.name"), "{fields:?}");
    assert!(fields.contains(&"demand"), "{fields:?}");
    let id: ComplaintId =
        serde_json::from_value(reply.body["complaint_id"].clone()).expect("an id");
    assert!(server.store.complaint(id).expect("read").is_none());

    // The refusal is recorded; the same reference gets it again.
    let again = crm.post("/intake/complaints", &body);
    assert_eq!(again.status, 422, "{}", again.body);
    assert_eq!(again.body["code"], "validation_failed");
    assert_eq!(again.body["replayed"], true);
    assert_eq!(
        again.body["rejection_change_seq"],
        reply.body["rejection_change_seq"]
    );
    let changes = log(&server);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].entity, "mutation_rejection");

    // Progress on a complaint that does not exist: nothing to record.
    let missing = Uuid::from_u128(42);
    let reply = crm.post(
        &format!("/intake/complaints/{missing}/progress"),
        &json!({ "external_ref": "note-1", "text": "called back" }),
    );
    assert_error(&reply, 404, "not_found");
    assert_eq!(high_water(&server), 1, "nothing stored");
}

/// An integration adds progress only to complaints it recorded: not to a
/// desk's, not to another integration's; the answer is the same as for a
/// complaint that does not exist, and nothing is stored.
#[test]
fn progress_only_on_the_integrations_own_complaints() {
    let server = TestServer::start();
    let crm = server.integration("crm");
    let ivr = server.integration("ivr");
    let theirs = ivr.post("/intake/complaints", &complaint_body("ivr-1", "Wang Fang"));
    assert_eq!(theirs.status, 201, "{}", theirs.body);
    let mut sue = server.person("sue", 2);
    let device = sue.device.expect("a device");
    let desk = ComplaintId(Uuid::now_v7());
    let reply = sue.push(
        device,
        vec![Mutation::Record {
            complaint_id: desk,
            complaint: redress_server::conformance::draft(
                "138 0013 8000",
                "broadband.dropout",
                &Timestamp::now().to_string(),
            ),
        }],
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let before = high_water(&server);
    for id in [
        theirs.body["complaint_id"]
            .as_str()
            .expect("an id")
            .to_owned(),
        desk.to_string(),
    ] {
        let reply = crm.post(
            &format!("/intake/complaints/{id}/progress"),
            &json!({ "external_ref": "note-1", "text": "called back" }),
        );
        assert_error(&reply, 404, "not_found");
    }
    assert_eq!(high_water(&server), before, "nothing stored");
    // The owner may.
    let own = ivr.post(
        &format!(
            "/intake/complaints/{}/progress",
            theirs.body["complaint_id"].as_str().expect("an id")
        ),
        &json!({ "external_ref": "note-1", "text": "called back" }),
    );
    assert_eq!(own.status, 201, "{}", own.body);
}

/// The ids an intake request gets are random: a desk that pushes the ids
/// the old scheme derived from the integration's device cannot take the
/// CRM's complaint, and the same reference never collides with anything a
/// desk recorded.
#[test]
fn intake_ids_cannot_be_pre_empted() {
    let server = TestServer::start();
    let crm = server.integration("crm");
    let first = crm.post("/intake/complaints", &complaint_body("c-9", "Wang Fang"));
    assert_eq!(first.status, 201, "{}", first.body);
    let second = crm.post("/intake/complaints", &complaint_body("c-10", "Li Lei"));
    assert_eq!(second.status, 201, "{}", second.body);
    let ids: Vec<Uuid> = [&first, &second]
        .iter()
        .map(|r| {
            r.body["complaint_id"]
                .as_str()
                .expect("an id")
                .parse()
                .expect("a uuid")
        })
        .collect();
    let mutations: Vec<Uuid> = [&first, &second]
        .iter()
        .map(|r| {
            r.body["mutation_id"]
                .as_str()
                .expect("an id")
                .parse()
                .expect("a uuid")
        })
        .collect();
    for id in ids.iter().chain(&mutations) {
        assert_eq!(id.get_version_num(), 7, "random, time-ordered ids");
    }
    assert_ne!(ids[0], ids[1]);
    // A retry still gets the stored ids.
    let again = crm.post("/intake/complaints", &complaint_body("c-9", "Wang Fang"));
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["complaint_id"], first.body["complaint_id"]);
    assert_eq!(again.body["mutation_id"], first.body["mutation_id"]);
}

#[test]
fn progress_is_added_once_per_external_ref() {
    let server = TestServer::start();
    let crm = server.integration("crm");
    let created = crm.post("/intake/complaints", &complaint_body("c-1", "Wang Fang"));
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["complaint_id"].as_str().expect("an id");
    let path = format!("/intake/complaints/{id}/progress");

    let note = json!({ "external_ref": "note-1", "text": "technician booked",
                       "customer_informed": true });
    let first = crm.post(&path, &note);
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["complaint_id"], id);
    assert_eq!(first.body["number"], created.body["number"]);
    assert_eq!(first.body["replayed"], false);
    let update_id = first.body["update_id"].clone();
    assert!(update_id.is_string(), "{}", first.body);

    let again = crm.post(&path, &note);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["replayed"], true);
    assert_eq!(again.body["update_id"], update_id);

    let second = crm.post(
        &path,
        &json!({ "external_ref": "note-2", "text": "line fixed" }),
    );
    assert_eq!(second.status, 201, "{}", second.body);
    assert_ne!(second.body["update_id"], update_id);

    let stored = complaint_of(&server, &created.body["complaint_id"]);
    let texts: Vec<(&str, bool, &str)> = stored
        .complaint
        .progress
        .iter()
        .map(|p| (p.text.as_str(), p.customer_informed, p.by.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            ("technician booked", true, "crm"),
            ("line fixed", false, "crm")
        ]
    );
    assert_eq!(stored.version, 3);
    assert_eq!(log(&server).len(), 1, "one complaint");
    assert_eq!(high_water(&server), 3, "record and two updates");

    // An empty text is the rulebook's validation failure.
    let empty = crm.post(&path, &json!({ "external_ref": "note-3", "text": " " }));
    assert_eq!(empty.status, 422, "{}", empty.body);
    assert_eq!(empty.body["code"], "validation_failed");
}

#[test]
fn progress_on_a_closed_complaint_is_refused() {
    let server = TestServer::start();
    let crm = server.integration("crm");
    let created = crm.post("/intake/complaints", &complaint_body("c-1", "Wang Fang"));
    assert_eq!(created.status, 201, "{}", created.body);
    let id: ComplaintId =
        serde_json::from_value(created.body["complaint_id"].clone()).expect("an id");

    // A supervisor at a desk judges it invalid and closes it.
    let mut sue = server.person("sue", 2);
    let device = sue.device.expect("a device");
    let reply = sue.push(
        device,
        vec![
            Mutation::Execute {
                complaint_id: id,
                command: Command::Judge {
                    valid: false,
                    reason: Some(InvalidReason::Duplicate),
                    note: String::new(),
                },
            },
            Mutation::Execute {
                complaint_id: id,
                command: Command::Close {
                    note: String::new(),
                },
            },
        ],
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    for result in reply.body["results"].as_array().expect("results") {
        assert_eq!(result["status"], "applied", "{result}");
    }

    let reply = crm.post(
        &format!("/intake/complaints/{id}/progress"),
        &json!({ "external_ref": "late-note", "text": "customer called again" }),
    );
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(reply.body["code"], "complaint_closed");
    assert!(reply.body["rejection_change_seq"].is_i64());
    let stored = complaint_of(&server, &created.body["complaint_id"]);
    assert!(stored.complaint.progress.is_empty());
}

#[test]
fn peoples_tokens_are_refused_on_intake_and_integrations_on_sync() {
    let server = TestServer::start();
    let ann = server.person("ann", 1);
    let reply = ann.post("/intake/complaints", &complaint_body("r1", "Wang Fang"));
    assert_error(&reply, 403, "forbidden_role");
    let reply = ann.post(
        &format!("/intake/complaints/{}/progress", Uuid::from_u128(1)),
        &json!({ "external_ref": "n1", "text": "hello" }),
    );
    assert_error(&reply, 403, "forbidden_role");

    let mut crm = server.integration("crm");
    let device = server.device_of(&crm);
    crm.protocol = Some("1".to_owned());
    crm.device = Some(device);
    let reply = crm.push(device, vec![support::record(support::complaint_id(1))]);
    assert_error(&reply, 403, "forbidden_role");
    assert!(log(&server).is_empty(), "nothing stored");
    // Nor may it read the change log, snapshots, results or the event
    // stream: an integration sees only what it sent.
    for path in [
        "/sync/pull?after=0",
        "/sync/bootstrap",
        "/sync/results?from=1",
        "/sync/events",
    ] {
        assert_error(&crm.get(path), 403, "forbidden_role");
    }
    assert_error(
        &crm.send("POST", "/auth/logout", None),
        403,
        "forbidden_role",
    );

    // Without any token, intake is unauthorized.
    let mut nobody = server.integration("web");
    nobody.token = None;
    assert_error(
        &nobody.post("/intake/complaints", &complaint_body("r1", "Wang Fang")),
        401,
        "unauthorized",
    );
    nobody.token = Some("0".repeat(64));
    assert_error(
        &nobody.post("/intake/complaints", &complaint_body("r1", "Wang Fang")),
        401,
        "unauthorized",
    );
}

#[test]
fn a_revoked_integration_is_refused() {
    let server = TestServer::start();
    let crm = server.integration("crm");
    let reply = crm.post("/intake/complaints", &complaint_body("r1", "Wang Fang"));
    assert_eq!(reply.status, 201, "{}", reply.body);
    integration::revoke_integration(server.store.as_ref(), &UserId::new("crm"), Timestamp::now())
        .expect("revoke");
    let reply = crm.post("/intake/complaints", &complaint_body("r2", "Li Lei"));
    assert_error(&reply, 401, "unauthorized");
    assert_eq!(log(&server).len(), 1, "nothing new");

    // A person cannot be revoked as an integration.
    let refused = integration::revoke_integration(
        server.store.as_ref(),
        &UserId::new("ann"),
        Timestamp::now(),
    );
    assert!(refused.is_err(), "{refused:?}");
}

#[test]
fn malformed_bodies_and_unknown_fields_are_refused() {
    let server = TestServer::start();
    let crm = server.integration("crm");

    let reply = crm.send(
        "POST",
        "/intake/complaints",
        Some(b"{\"external_ref\": ".to_vec()),
    );
    assert_error(&reply, 400, "malformed_request");

    let mut extra = complaint_body("r1", "Wang Fang");
    extra["priority"] = json!("high");
    assert_error(
        &crm.post("/intake/complaints", &extra),
        400,
        "malformed_request",
    );

    let mut no_ref = complaint_body("r1", "Wang Fang");
    no_ref
        .as_object_mut()
        .expect("an object")
        .remove("external_ref");
    assert_error(
        &crm.post("/intake/complaints", &no_ref),
        400,
        "malformed_request",
    );
    for bad in ["", "   "] {
        assert_error(
            &crm.post("/intake/complaints", &complaint_body(bad, "Wang Fang")),
            400,
            "malformed_request",
        );
    }
    // The rulebook's text rules hold at the HTTP layer, before anything is
    // settled: limits are `text_too_long`, control characters and bidi
    // overrides `invalid_text`.
    assert_error(
        &crm.post(
            "/intake/complaints",
            &complaint_body(&"x".repeat(201), "Wang Fang"),
        ),
        400,
        "text_too_long",
    );
    assert_error(
        &crm.post(
            "/intake/complaints",
            &complaint_body("r1", &"王".repeat(10_000)),
        ),
        400,
        "text_too_long",
    );
    let mut escape = complaint_body("r1", "Wang Fang");
    escape["description"] = json!(format!("fine{}[2J", '\u{1b}'));
    assert_error(
        &crm.post("/intake/complaints", &escape),
        400,
        "invalid_text",
    );
    assert_error(
        &crm.post(
            "/intake/complaints/00000000-0000-0000-0000-000000000001/progress",
            &json!({ "external_ref": "n1", "text": format!("ok{}kcatta", '\u{202e}') }),
        ),
        400,
        "invalid_text",
    );

    let mut bad_channel = complaint_body("r1", "Wang Fang");
    bad_channel["channel"] = json!("carrier pigeon");
    assert_error(
        &crm.post("/intake/complaints", &bad_channel),
        400,
        "malformed_request",
    );

    let mut padded = complaint_body("r1", "Wang Fang");
    padded["description"] = json!("x".repeat(1024 * 1024 + 1));
    assert_error(
        &crm.post("/intake/complaints", &padded),
        413,
        "payload_too_large",
    );

    assert_error(
        &crm.post(
            "/intake/complaints/not-a-uuid/progress",
            &json!({ "external_ref": "n1", "text": "hi" }),
        ),
        400,
        "malformed_request",
    );
    assert_error(
        &crm.post(
            &format!("/intake/complaints/{}/progress", Uuid::from_u128(1)),
            &json!({ "external_ref": "n1", "text": "hi", "update_id": Uuid::from_u128(2) }),
        ),
        400,
        "malformed_request",
    );
    assert!(log(&server).is_empty(), "nothing stored");
}

#[test]
fn concurrent_requests_of_one_integration_each_settle_once() {
    let server = TestServer::start();
    let crm = std::sync::Arc::new(server.integration("crm"));
    // Eight references, each sent twice at the same time.
    let threads: Vec<_> = (0..16)
        .map(|n| {
            let crm = std::sync::Arc::clone(&crm);
            std::thread::spawn(move || {
                let reply = crm.post(
                    "/intake/complaints",
                    &complaint_body(&format!("ref-{}", n % 8), &format!("Customer {}", n % 8)),
                );
                (n % 8, reply)
            })
        })
        .collect();
    let mut by_ref = std::collections::BTreeMap::<usize, Vec<Value>>::new();
    for thread in threads {
        let (n, reply) = thread.join().expect("a request thread");
        assert!(reply.status == 201 || reply.status == 200, "{reply:?}");
        by_ref.entry(n).or_default().push(reply.body);
    }
    let mut numbers = std::collections::BTreeSet::new();
    for (n, replies) in &by_ref {
        assert_eq!(replies.len(), 2);
        assert_eq!(
            replies[0]["complaint_id"], replies[1]["complaint_id"],
            "ref {n}"
        );
        let fresh = replies.iter().filter(|r| r["replayed"] == false).count();
        assert_eq!(fresh, 1, "ref {n}: {replies:?}");
        numbers.insert(replies[0]["number"].as_str().expect("a number").to_owned());
    }
    assert_eq!(numbers.len(), 8);
    let records = log(&server)
        .into_iter()
        .filter(|c| c.entity == "complaint")
        .count();
    assert_eq!(records, 8);
}

/// Two server processes over one database serialise nothing between
/// them: a request that finds its number taken tries the next one.
#[test]
fn requests_racing_through_two_servers_each_settle_once() {
    let server = TestServer::start();
    let other = server.beside();
    let crm = server.integration("crm");
    let clients = [
        std::sync::Arc::new(server.redirect(&crm)),
        std::sync::Arc::new(other.redirect(&crm)),
    ];
    let threads: Vec<_> = (0..24)
        .map(|n| {
            let client = std::sync::Arc::clone(&clients[n % 2]);
            std::thread::spawn(move || {
                let reply = client.post(
                    "/intake/complaints",
                    &complaint_body(&format!("ref-{n}"), &format!("Customer {n}")),
                );
                assert_eq!(reply.status, 201, "{reply:?}");
                reply.body["number"].as_str().expect("a number").to_owned()
            })
        })
        .collect();
    let numbers: std::collections::BTreeSet<String> = threads
        .into_iter()
        .map(|t| t.join().expect("a request thread"))
        .collect();
    assert_eq!(numbers.len(), 24);
    let device = server.device_of(&crm);
    let page = server
        .store
        .pull(device, 0, 1000, Timestamp::now())
        .expect("pull");
    assert_eq!(page.device_last_seq, 24, "one number per request");
    assert_eq!(page.changes.len(), 24);
}

#[test]
fn intake_pokes_open_event_streams() {
    let server = TestServer::start();
    let sue = server.person("sue", 2);
    let crm = server.integration("crm");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(20)))
        .build()
        .into();
    let response = agent
        .get(format!("{}/sync/events", server.base))
        .header("Redress-Protocol", "1")
        .header(
            "Authorization",
            format!("Bearer {}", sue.token.as_deref().expect("signed in")),
        )
        .header("Redress-Device", sue.device.expect("a device").to_string())
        .call()
        .expect("open the event stream");
    let mut lines =
        std::io::BufRead::lines(std::io::BufReader::new(response.into_body().into_reader()));
    let reply = crm.post("/intake/complaints", &complaint_body("r1", "Wang Fang"));
    assert_eq!(reply.status, 201, "{}", reply.body);
    let seq = reply.body["outcome"]["last_change_seq"]
        .as_i64()
        .expect("a seq");
    let poke = lines
        .by_ref()
        .map(|l| l.expect("a line"))
        .find(|l| l.starts_with("id:"))
        .expect("a poke");
    assert_eq!(poke.trim_start_matches("id:").trim(), seq.to_string());
}

/// The OpenAPI document describes the rulebook's enums of an intake body
/// by mirrors; they must list exactly the values the rulebook reads.
#[test]
fn the_documented_intake_enums_are_the_rulebooks() {
    use redress_domain::model::{Channel, ComplaintKind, DemandClass, SubjectKind};
    fn wire<T: serde::Serialize>(values: &[T]) -> Vec<String> {
        let mut names: Vec<String> = values
            .iter()
            .map(|v| {
                serde_json::to_value(v)
                    .expect("JSON")
                    .as_str()
                    .expect("a name")
                    .to_owned()
            })
            .collect();
        names.sort();
        names
    }
    // Exhaustive matches, so a new variant fails to compile here.
    let subject_kinds = |k: SubjectKind| match k {
        SubjectKind::Product
        | SubjectKind::Order
        | SubjectKind::BusinessLine
        | SubjectKind::Agent => k,
    };
    let kinds = |k: ComplaintKind| match k {
        ComplaintKind::EmotionDriven | ComplaintKind::DemandDriven | ComplaintKind::Compound => k,
    };
    let classes = |c: DemandClass| match c {
        DemandClass::ImmediateFix
        | DemandClass::LongTermImprovement
        | DemandClass::EmotionalCompensation => c,
    };
    let document: Value =
        serde_json::from_str(&redress_server::openapi_json()).expect("the document");
    let documented = |name: &str| {
        let mut names: Vec<String> = document["components"]["schemas"][name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is documented as an enum"))
            .iter()
            .map(|v| v.as_str().expect("a name").to_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(documented("Channel"), wire(&Channel::ALL));
    assert_eq!(
        documented("SubjectKind"),
        wire(
            &[
                SubjectKind::Product,
                SubjectKind::Order,
                SubjectKind::BusinessLine,
                SubjectKind::Agent
            ]
            .map(subject_kinds)
        )
    );
    assert_eq!(
        documented("ComplaintKind"),
        wire(
            &[
                ComplaintKind::EmotionDriven,
                ComplaintKind::DemandDriven,
                ComplaintKind::Compound
            ]
            .map(kinds)
        )
    );
    assert_eq!(
        documented("DemandClass"),
        wire(
            &[
                DemandClass::ImmediateFix,
                DemandClass::LongTermImprovement,
                DemandClass::EmotionalCompensation
            ]
            .map(classes)
        )
    );
    // The documented body's fields are the ones the server reads.
    let body = &document["components"]["schemas"]["IntakeComplaint"]["properties"];
    let mut fields: Vec<&String> = body.as_object().expect("properties").keys().collect();
    fields.sort();
    let sample = complaint_body("r", "Wang Fang");
    let mut sent: Vec<&String> = sample.as_object().expect("a body").keys().collect();
    sent.sort();
    assert_eq!(fields, sent);
}
