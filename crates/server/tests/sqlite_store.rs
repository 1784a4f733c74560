//! What only the SQLite store has: its file settings and its mutation log.

use jiff::{SignedDuration, Timestamp};
use redress_domain::Rules;
use redress_domain::complaint::Command;
use redress_domain::ids::ComplaintId;
use redress_domain::model::{Actor, Role};
use redress_protocol::ErrorCode;
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
    assert_eq!(
        response.results[0].rejection_code(),
        Some(ErrorCode::NotFound)
    );
    drop(store);

    let conn = rusqlite::Connection::open(&path).expect("open the file");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user version");
    assert_eq!(version, 5);
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

/// The workload that once grew the database by 150 MB: three pushes of 100
/// progress updates of about 3.4 KB each (1 MB of text) on three
/// complaints. Each change now costs its log rows only, beside the
/// complaint's own row, so what the file grows by stays within three times
/// what was received (the received text is kept twice: in the complaint and
/// in the mutation log, which answers replays).
#[test]
#[allow(clippy::print_stdout, reason = "the figures for docs/performance.md")]
fn storage_grows_with_what_is_received() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("server.sqlite3");
    let store = SqliteStore::open(&path, Rules::default()).expect("open");
    let now: Timestamp = "2026-03-02T02:00:00Z".parse().expect("a timestamp");
    let device = DeviceId(Uuid::from_u128(1));
    let actor = Actor::new("ann", Role::Agent);
    store
        .register_device(device, &actor.user, "desk", now)
        .expect("register");
    let mut seq = 0;
    let mut envelope = |mutation: Mutation| {
        seq += 1;
        MutationEnvelope {
            client_seq: seq,
            mutation_id: Uuid::from_u128(0x1000 + u128::from(seq)),
            author_user_id: actor.user.clone(),
            occurred_at_device: now,
            base_seq: 0,
            mutation,
        }
    };
    let push = |mutations: Vec<MutationEnvelope>| {
        let request = PushRequest {
            device_id: device,
            sent_at_device: now,
            mutations,
        };
        let response = store.push(device, &actor, &request, now).expect("push");
        assert!(
            response.results.iter().all(|r| r.is_applied()),
            "{response:?}"
        );
        serde_json::to_vec(&request).expect("json").len()
    };
    let ids: Vec<ComplaintId> = (1..=3).map(|n| ComplaintId(Uuid::from_u128(n))).collect();
    push(
        ids.iter()
            .map(|id| {
                envelope(Mutation::Record {
                    complaint_id: *id,
                    complaint: redress_server::conformance::draft(
                        "138 0013 8000",
                        "broadband.dropout",
                        "2026-03-02T01:00:00Z",
                    ),
                })
            })
            .collect(),
    );
    let file_size = || {
        let conn = rusqlite::Connection::open(&path).expect("open the file");
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
        std::fs::metadata(&path).expect("the file").len()
    };
    let before = file_size();
    let text = "The technician checked the line again; ".repeat(87);
    let mut received = 0;
    let mut text_bytes = 0;
    for id in &ids {
        let batch = (0..100u128)
            .map(|n| {
                text_bytes += text.len();
                envelope(Mutation::Execute {
                    complaint_id: *id,
                    command: Command::AddProgress {
                        update_id: redress_domain::ids::UpdateId(Uuid::from_u128(
                            (id.0.as_u128() << 32) + n,
                        )),
                        text: text.clone(),
                        customer_informed: true,
                    },
                })
            })
            .collect();
        received += push(batch);
    }
    let after = file_size();
    let grown = after - before;
    let conn = rusqlite::Connection::open(&path).expect("open the file");
    let free: i64 = conn
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .expect("freelist");
    let page: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("page size");
    println!("free pages {free} of {page} B (reused by later writes)");
    let amplification = grown as f64 / received as f64;
    println!(
        "text {text_bytes} B, received {received} B, file grew {grown} B \
         ({} B per mutation), amplification {amplification:.2}",
        grown / 300
    );
    assert!(text_bytes > 1_000_000, "about 1 MB of text");
    assert!(amplification <= 3.0, "amplification {amplification:.2}");
}
