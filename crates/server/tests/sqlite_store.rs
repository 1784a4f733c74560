//! What only the SQLite store has: its file settings and its mutation log.

use jiff::{SignedDuration, Timestamp};
use redress_domain::Rules;
use redress_domain::complaint::Command;
use redress_domain::ids::ComplaintId;
use redress_domain::model::{Actor, Role};
use redress_protocol::{DeviceId, Mutation, MutationEnvelope, PushRequest};
use redress_server::{ServerStore, SqliteStore};
use uuid::Uuid;

#[test]
fn wal_schema_version_and_corrected_device_times() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("server.sqlite3");
    let store = SqliteStore::open(&path, Rules::default()).expect("open");
    let now: Timestamp = "2026-03-02T02:00:00Z".parse().expect("a timestamp");
    let device = DeviceId(Uuid::from_u128(1));
    let actor = Actor::new("ann", Role::Agent);
    store
        .register_device(device, &actor.user, "desk", now)
        .expect("register");
    // The device's clock runs 20 minutes fast.
    let fast = SignedDuration::from_mins(20);
    let request = PushRequest {
        device_id: device,
        sent_at_device: now + fast,
        mutations: vec![MutationEnvelope {
            client_seq: 1,
            mutation_id: Uuid::from_u128(2),
            author_user_id: actor.user.clone(),
            occurred_at_device: now + fast - SignedDuration::from_mins(3),
            base_seq: 0,
            mutation: Mutation::Execute {
                complaint_id: ComplaintId(Uuid::from_u128(3)),
                command: Command::Resolve {
                    note: String::new(),
                },
            },
        }],
    };
    let response = store.push(device, &actor, &request, now).expect("push");
    assert_eq!(response.results[0].rejection_code(), Some("not_found"));
    drop(store);

    let conn = rusqlite::Connection::open(&path).expect("open the file");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user version");
    assert_eq!(version, 4);
    let (occurred_at, suspect, status): (String, bool, String) = conn
        .query_row(
            "SELECT occurred_at, clock_suspect, status FROM mutation_log",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the logged mutation");
    let expected = now - SignedDuration::from_mins(3);
    assert_eq!(occurred_at, expected.to_string());
    assert!(suspect, "20 minutes off is suspect");
    assert_eq!(status, "rejected");

    // Reopening keeps the epoch and refuses nothing.
    let store = SqliteStore::open(&path, Rules::default()).expect("reopen");
    let epoch = store.epoch().expect("epoch");
    drop(store);
    let store = SqliteStore::open(&path, Rules::default()).expect("reopen again");
    assert_eq!(store.epoch().expect("epoch"), epoch);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("server.sqlite3");
    drop(SqliteStore::open(&path, Rules::default()).expect("open"));
    let conn = rusqlite::Connection::open(&path).expect("open the file");
    conn.execute_batch("PRAGMA user_version = 99")
        .expect("bump the version");
    drop(conn);
    let err = SqliteStore::open(&path, Rules::default()).expect_err("too new");
    assert!(err.to_string().contains("schema version 99"), "{err}");
}

#[test]
fn pages_are_cut_by_size() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let options = redress_server::StoreOptions {
        page_bytes: 16 * 1024,
        ..redress_server::StoreOptions::new(redress_server::conformance::rules())
    };
    let store = SqliteStore::open_with(dir.path().join("server.sqlite3"), options).expect("open");
    redress_server::conformance::pages_are_cut_by_size(&store, 16 * 1024);
}
