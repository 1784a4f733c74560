//! The administration API over HTTP: only admins read or change the site
//! configuration and the audit log; a stale base version is a conflict; a
//! new version decides the next push, is served at `GET /rules` and is
//! announced on every open event stream at once.

mod support;

use redress_domain::model::Role;
use redress_domain::rules::RulesDocument;
use redress_protocol::admin::{AuditPage, ConfigResponse, ConfigVersion, ConfigVersions};
use redress_protocol::rules_digest;
use redress_server::conformance::config::resolution_in;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};
use support::{Client, TestServer, assert_error};

fn server() -> TestServer {
    TestServer::with_people(&[
        ("ann", Role::Agent, None),
        ("sue", Role::Supervisor, None),
        ("max", Role::Manager, None),
        ("ada", Role::Admin, None),
    ])
}

fn put(client: &Client, document: &RulesDocument, base: Option<i64>) -> support::Reply {
    client.put(
        "/admin/config",
        &json!({ "base_version": base, "note": "longer resolution", "document": document }),
    )
}

#[test]
fn only_admins_reach_the_admin_endpoints() {
    let server = server();
    for (n, user) in [(1, "ann"), (2, "sue"), (3, "max")] {
        let client = server.person(user, n);
        for reply in [
            client.get("/admin/config"),
            client.get("/admin/config?version=1"),
            client.get("/admin/config/versions"),
            client.get("/admin/audit"),
            put(&client, &resolution_in(24), None),
        ] {
            assert_error(&reply, 403, "forbidden_role");
        }
    }
    // Nothing was stored by the refused attempts.
    let ada = server.person("ada", 4);
    let versions: ConfigVersions =
        serde_json::from_value(ada.get("/admin/config/versions").body).expect("versions");
    assert!(versions.versions.is_empty());
    assert_eq!(versions.in_force, None);
    // Without a session: 401, not 403.
    let mut stranger = server.person("ann", 5);
    stranger.token = None;
    assert_error(&stranger.get("/admin/config"), 401, "unauthorized");
}

#[test]
fn versions_conflicts_and_the_audit_log() {
    let server = server();
    let ada = server.person("ada", 1);

    // Before anything is stored, the rules the server was started with
    // answer as version 0.
    let current: ConfigResponse =
        serde_json::from_value(ada.get("/admin/config").body).expect("a version");
    assert_eq!(current.version.version, 0);
    assert!(current.in_force);
    assert_eq!(current.document, RulesDocument::default());

    let reply = put(&ada, &resolution_in(24), Some(0));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let first: ConfigVersion = serde_json::from_value(reply.body).expect("a version");
    assert_eq!(first.version, 1);
    assert_eq!(first.author.as_str(), "ada");
    assert_eq!(Some(first.device.expect("the admin's device")), ada.device);

    // Two admins started from version 1; the second to save is refused.
    assert_eq!(put(&ada, &resolution_in(12), Some(1)).status, 200);
    let stale = put(&ada, &resolution_in(6), Some(1));
    assert_error(&stale, 409, "config_conflict");
    // A broken document: 422, and version 2 stays in force.
    let mut broken = resolution_in(6);
    broken.sla.policies[0].resolution = Some(redress_domain::sla::ClockTarget {
        seconds: 60,
        calendar: redress_domain::ids::CalendarId::new("nowhere"),
    });
    assert_error(&put(&ada, &broken, Some(2)), 422, "invalid_rules");
    // Not a configuration at all: 400.
    assert_error(
        &ada.put("/admin/config", &json!({ "document": {}, "surprise": 1 })),
        400,
        "malformed_request",
    );

    let current: ConfigResponse =
        serde_json::from_value(ada.get("/admin/config").body).expect("a version");
    assert_eq!(current.version.version, 2);
    assert!(current.in_force);
    assert_eq!(current.document, resolution_in(12));
    let old: ConfigResponse =
        serde_json::from_value(ada.get("/admin/config?version=1").body).expect("a version");
    assert!(!old.in_force);
    assert_eq!(old.document, resolution_in(24));
    assert_error(&ada.get("/admin/config?version=9"), 404, "not_found");

    let rules = ada.get("/rules");
    assert_eq!(rules.body["digest"], rules_digest(&resolution_in(12)));

    let audit: AuditPage =
        serde_json::from_value(ada.get("/admin/audit").body).expect("the audit log");
    assert_eq!(audit.entries.len(), 2);
    assert!(!audit.has_more);
    assert_eq!(audit.entries[1].after["version"], 2);
    assert_eq!(audit.entries[1].actor.as_str(), "ada");
    let page: AuditPage =
        serde_json::from_value(ada.get("/admin/audit?after=1&limit=1").body).expect("a page");
    assert_eq!(page.entries.len(), 1);
    assert_eq!(page.entries[0].seq, 2);
    assert_error(&ada.get("/admin/audit?limit=0"), 400, "malformed_request");
}

/// The next named event on an SSE stream, skipping comments.
fn next_event(lines: &mut impl BufRead) -> Option<(String, String)> {
    let (mut event, mut data) = (String::new(), String::new());
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).expect("read the stream") == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if !event.is_empty() {
                return Some((event, data));
            }
        } else if let Some(v) = line.strip_prefix("event:") {
            event = v.trim().to_owned();
        } else if let Some(v) = line.strip_prefix("data:") {
            data = v.trim().to_owned();
        }
    }
}

#[test]
fn a_new_version_is_announced_on_open_event_streams_at_once() {
    let server = server();
    let ada = server.person("ada", 1);
    let sue = server.person("sue", 2);
    let response = support::agent(Duration::from_secs(30))
        .get(format!("{}/sync/events", sue.base()))
        .header("Redress-Protocol", "1")
        .header(
            "Authorization",
            format!("Bearer {}", sue.token.as_deref().expect("signed in")),
        )
        .header("Redress-Device", sue.device.expect("a device").to_string())
        .call()
        .expect("open the event stream");
    assert_eq!(response.status().as_u16(), 200);
    let mut events = BufReader::new(response.into_body().into_reader());

    let started = Instant::now();
    assert_eq!(put(&ada, &resolution_in(12), None).status, 200);
    let (event, data) = next_event(&mut events).expect("an event");
    assert_eq!(event, "rules");
    let data: serde_json::Value = serde_json::from_str(&data).expect("JSON");
    assert_eq!(data["digest"], rules_digest(&resolution_in(12)));
    // Not at the stream's next periodic check (every 15 s), which would
    // also find the new version: the store announced it.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "announced after {:?}",
        started.elapsed()
    );
    // What the stream announced is what the supervisor's desktop fetches.
    assert_eq!(sue.get("/rules").body["digest"], data["digest"]);
}
