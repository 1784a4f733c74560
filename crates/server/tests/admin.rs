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

#[test]
fn an_admin_manages_accounts_and_every_change_is_audited() {
    let server = server();
    let ada = server.person("ada", 1);
    let sue = server.person("sue", 2);

    // Not an admin: refused everywhere.
    for reply in [
        sue.get("/admin/users"),
        sue.post(
            "/admin/users",
            &json!({"name": "wu", "role": "agent", "password": "long enough"}),
        ),
        sue.put(
            "/admin/users/ann",
            &json!({"role": "admin", "disabled": false}),
        ),
        sue.post(
            "/admin/users/ann/password",
            &json!({"password": "long enough"}),
        ),
        sue.get("/admin/users/ann/sessions"),
        sue.post("/admin/users/ann/sessions/revoke", &json!({})),
    ] {
        assert_error(&reply, 403, "forbidden_role");
    }

    let listed = ada.get("/admin/users");
    assert_eq!(listed.status, 200, "{}", listed.body);
    let names: Vec<&str> = listed
        .body
        .as_array()
        .expect("a list")
        .iter()
        .map(|a| a["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["ada", "ann", "max", "sue"]);
    let sue_row = &listed.body[3];
    assert_eq!(
        (sue_row["role"].as_str(), sue_row["sessions"].as_u64()),
        (Some("supervisor"), Some(1))
    );

    // A new person signs in with the password the admin gave.
    assert_error(
        &ada.post(
            "/admin/users",
            &json!({"name": "wu", "role": "agent", "password": "short"}),
        ),
        400,
        "invalid_user",
    );
    assert_error(
        &ada.post(
            "/admin/users",
            &json!({"name": "has space", "role": "agent", "password": "long enough"}),
        ),
        400,
        "invalid_user",
    );
    let added = ada.post(
        "/admin/users",
        &json!({"name": "wu", "role": "agent", "approval_limit_minor": 2000, "password": support::PASSWORD}),
    );
    assert_eq!(added.status, 200, "{}", added.body);
    assert_error(
        &ada.post(
            "/admin/users",
            &json!({"name": "wu", "role": "agent", "password": "long enough"}),
        ),
        409,
        "user_exists",
    );
    let wu = server.person("wu", 3);
    assert_eq!(wu.get("/rules").status, 200, "wu signed in");

    // A promotion decides the next push; disabling ends the sessions.
    let promoted = ada.put(
        "/admin/users/sue",
        &json!({"role": "manager", "approval_limit_minor": 900000, "disabled": false}),
    );
    assert_eq!(promoted.status, 200, "{}", promoted.body);
    assert_eq!(promoted.body["role"], "manager");
    assert_eq!(
        sue.get("/rules").status,
        200,
        "a role change keeps the session"
    );
    let disabled = ada.put(
        "/admin/users/sue",
        &json!({"role": "manager", "approval_limit_minor": 900000, "disabled": true}),
    );
    assert_eq!(disabled.body["disabled"], true);
    assert_error(&sue.get("/rules"), 401, "unauthorized");
    assert_error(
        &ada.put(
            "/admin/users/nobody",
            &json!({"role": "agent", "disabled": false}),
        ),
        404,
        "unknown_user",
    );
    // The last admin stays one.
    assert_error(
        &ada.put(
            "/admin/users/ada",
            &json!({"role": "manager", "disabled": false}),
        ),
        400,
        "invalid_user",
    );

    // Sessions: listed, then revoked by the admin.
    let sessions = ada.get("/admin/users/ann/sessions");
    assert_eq!(sessions.status, 200, "{}", sessions.body);
    let ann = server.person("ann", 4);
    let sessions = ada.get("/admin/users/ann/sessions");
    assert_eq!(sessions.body.as_array().map(Vec::len), Some(1));
    let id = sessions.body[0]["id"].as_str().expect("an id").to_owned();
    assert_error(
        &ada.post(
            "/admin/users/ann/sessions/revoke",
            &json!({"id": "not hex"}),
        ),
        400,
        "malformed_request",
    );
    let revoked = ada.post("/admin/users/ann/sessions/revoke", &json!({"id": &id[..6]}));
    assert_eq!(revoked.body["revoked"], 1, "{}", revoked.body);
    assert_error(&ann.get("/rules"), 401, "unauthorized");

    // A password reset ends wu's session too.
    let reset = ada.post(
        "/admin/users/wu/password",
        &json!({"password": "another long one"}),
    );
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_error(&wu.get("/rules"), 401, "unauthorized");

    // Every change is in the audit log, by the admin, from her device.
    let audit: AuditPage =
        serde_json::from_value(ada.get("/admin/audit").body).expect("the audit log");
    let actions: Vec<(&str, &str)> = audit
        .entries
        .iter()
        .filter(|e| e.actor.as_str() == "ada")
        .map(|e| (e.action.as_str(), e.subject.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("user.add", "wu"),
            ("user.update", "sue"),
            ("user.update", "sue"),
            ("session.revoke", "ann"),
            ("user.password", "wu"),
        ]
    );
    let update = audit
        .entries
        .iter()
        .find(|e| e.action == "user.update")
        .expect("an update");
    assert_eq!(update.before["role"], "supervisor");
    assert_eq!(update.after["role"], "manager");
    assert!(audit.entries.iter().all(|e| e.device == ada.device));
    let text = serde_json::to_string(&audit).expect("JSON");
    assert!(
        !text.contains("long enough") && !text.contains("argon2"),
        "no passwords in the log"
    );
}
