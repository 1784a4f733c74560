//! `redress-server integration add|revoke`: the token is printed once and
//! works on the intake API of a served database until it is revoked.

mod support;

use jiff::{SignedDuration, Timestamp};
use redress_domain::ids::UserId;
use redress_server::{AccountStore, SqliteStore, TokenHash, UserKind, auth};
use std::process::{Child, Stdio};
use std::time::Duration;
use support::cli::{assert_input_error, bin, db_arg, run, serve_db};

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Posts a new complaint to the intake API; returns the status.
fn intake(addr: &str, token: &str, external_ref: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let body = serde_json::json!({
        "external_ref": external_ref,
        "customer": { "name": "Wang Fang", "phone": "138 0013 8000" },
        "channel": "phone",
        "subject": { "kind": "business_line", "reference": "broadband" },
        "category": "broadband.dropout",
        "demand": "a stable line",
        "description": "the line drops every evening",
        "kind": "demand_driven",
        "demand_class": "immediate_fix",
        "severity": 2,
        "received_at": (Timestamp::now() - SignedDuration::from_hours(1)).to_string(),
    });
    agent
        .post(format!("http://{addr}/api/v1/intake/complaints"))
        .header("Authorization", format!("Bearer {token}"))
        .send_json(&body)
        .expect("an HTTP response")
        .status()
        .as_u16()
}

#[test]
fn integration_add_prints_a_token_that_works_until_revoked() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));

    let added = run(&["integration", "add", "crm", "--db", &db], "");
    assert!(added.status.success(), "{added:?}");
    let stdout = String::from_utf8_lossy(&added.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "only the token: {stdout}");
    let token = lines[0];
    assert_eq!(token.len(), 64);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(String::from_utf8_lossy(&added.stderr).contains("only this once"));

    {
        let store =
            SqliteStore::open(&db, redress_domain::Rules::default()).expect("open the database");
        let session = store
            .find_session(&TokenHash::of(token))
            .expect("read the session")
            .expect("the token's session");
        assert!(session.is_active(Timestamp::now()));
        assert_eq!(session.user.name.as_str(), "crm");
        assert_eq!(session.user.kind, UserKind::Integration);
        assert_eq!(session.user.role, redress_domain::model::Role::Agent);
        let nine_years = Timestamp::now() + SignedDuration::from_hours(9 * 365 * 24);
        assert!(session.expires_at > nine_years, "{}", session.expires_at);
        for guess in ["", "crm", "!integration", token] {
            assert!(!auth::verify_password(&session.user.password_hash, guess));
        }
        let raw = std::fs::read(dir.path().join("server.sqlite3")).unwrap_or_default();
        let wal = std::fs::read(dir.path().join("server.sqlite3-wal")).unwrap_or_default();
        for bytes in [raw, wal] {
            assert!(
                !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
                "the raw token is stored"
            );
        }
    }

    assert_input_error(
        &run(&["integration", "add", "crm", "--db", &db], ""),
        "user_exists",
    );

    let (child, addr) = serve_db(&db);
    assert_eq!(intake(&addr, token, "crm-1"), 201);
    assert_eq!(intake(&addr, token, "crm-1"), 200, "a replay");

    let revoked = run(&["integration", "revoke", "crm", "--db", &db], "");
    assert!(revoked.status.success(), "{revoked:?}");
    assert!(String::from_utf8_lossy(&revoked.stdout).contains("revoked integration crm"));
    assert_eq!(intake(&addr, token, "crm-2"), 401);
    stop(child);

    let store =
        SqliteStore::open(&db, redress_domain::Rules::default()).expect("open the database");
    let crm = store
        .find_user(&UserId::new("crm"))
        .expect("find")
        .expect("crm exists");
    assert!(crm.disabled);
}

#[test]
fn integration_commands_refuse_bad_input() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));
    assert_input_error(
        &run(&["integration", "add", "two words", "--db", &db], ""),
        "invalid_user",
    );
    assert_input_error(
        &run(&["integration", "revoke", "nobody", "--db", &db], ""),
        "unknown_user",
    );
    let person = bin()
        .args([
            "user",
            "add",
            "ann",
            "--role",
            "agent",
            "--password-stdin",
            "--db",
            &db,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(b"a long password\n")?;
            child.wait()
        })
        .expect("add a person");
    assert!(person.success());
    assert_input_error(
        &run(&["integration", "revoke", "ann", "--db", &db], ""),
        "invalid_user",
    );
    assert_input_error(&run(&["integration", "add", "crm"], ""), "usage");
    let store =
        SqliteStore::open(&db, redress_domain::Rules::default()).expect("open the database");
    let ann = store
        .find_user(&UserId::new("ann"))
        .expect("find")
        .expect("ann exists");
    assert!(!ann.disabled, "a person is not revoked as an integration");
}
