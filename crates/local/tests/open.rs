//! Opening the store: migrations, the schema-version guard, the integrity
//! check, pragmas, the data directory and the device id.
#![allow(clippy::unwrap_used)]

mod common;

use redress_local::{DB_FILE, LocalStore, SCHEMA_VERSION, keys};
use rusqlite::Connection;
use std::path::Path;
use std::time::{Duration, Instant};

fn raw(path: &Path) -> Connection {
    Connection::open(path).unwrap()
}

/// Every schema object, for comparing schemas.
fn schema(path: &Path) -> Vec<(String, String, Option<String>)> {
    let conn = raw(path);
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn user_version(path: &Path) -> i64 {
    raw(path)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn migrates_an_empty_directory_and_reopening_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested").join("data");
    let store = LocalStore::open_dir(&data).unwrap();
    let path = data.join(DB_FILE);
    assert_eq!(store.path(), path);
    let device = store.read(|r| r.sync_state()).unwrap().device_id;
    assert_eq!(device.get_version_num(), 7, "device ids are UUIDv7");
    drop(store);

    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let before = schema(&path);
    let names: Vec<&str> = before.iter().map(|(_, name, _)| name.as_str()).collect();
    for expected in [
        "complaints",
        "complaint_overlay",
        "v_complaints",
        "outbox",
        "sync_state",
        "reminder_log",
        "settings",
        "complaints_open_due",
        "complaints_customer",
        "complaints_number",
        "complaints_callback",
        "complaints_approvals",
    ] {
        assert!(names.contains(&expected), "{expected} missing: {names:?}");
    }

    let again = LocalStore::open(&path).unwrap();
    assert_eq!(again.read(|r| r.sync_state()).unwrap().device_id, device);
    drop(again);
    assert_eq!(schema(&path), before);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let rows: i64 = raw(&path)
        .query_row("SELECT count(*) FROM sync_state", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn sets_wal_normal_sync_busy_timeout_and_foreign_keys() {
    let (_dir, store) = common::store();
    let info = store.info().unwrap();
    assert_eq!(info.journal_mode, "wal");
    assert_eq!(info.synchronous, "normal");
    assert_eq!(info.busy_timeout_ms, 5000);
    assert!(info.foreign_keys);
    assert_eq!(info.schema_version, SCHEMA_VERSION);
    // WAL is a property of the file: another connection sees it too.
    let mode: String = raw(store.path())
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_write_waits_for_another_process_lock_then_gives_up_as_busy() {
    let (_dir, store) = common::store();
    let path = store.path().to_path_buf();

    // Another process holds the write lock for a moment: the write waits.
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn({
        let path = path.clone();
        move || {
            let conn = raw(&path);
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            locked_tx.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(400));
            conn.execute_batch("COMMIT").unwrap();
        }
    });
    locked_rx.recv().unwrap();
    let started = Instant::now();
    store
        .write(|tx| tx.set_setting(&keys::SYNC_ISSUES_DISMISSED, &[1]))
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(200));
    holder.join().unwrap();

    // ... and gives up with a transient `store_busy` after the busy timeout.
    let conn = raw(&path);
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let err = store
        .write(|tx| tx.set_setting(&keys::ROLE_CHANGES, &true))
        .unwrap_err();
    assert_eq!(err.code(), "store_busy", "{err}");
    assert!(err.is_transient());
    assert!(started.elapsed() >= Duration::from_secs(4));
    conn.execute_batch("ROLLBACK").unwrap();
    let never: Option<bool> = store.read(|r| r.get_setting(&keys::ROLE_CHANGES)).unwrap();
    assert_eq!(never, None);
}

#[test]
fn a_database_from_a_newer_redress_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    drop(LocalStore::open(&path).unwrap());
    raw(&path)
        .execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
        .unwrap();
    let before = schema(&path);

    let err = LocalStore::open(&path).unwrap_err();
    assert_eq!(err.code(), "store_too_new");
    assert!(!err.is_transient());
    let msg = err.to_string();
    assert!(msg.contains(DB_FILE), "{msg}");
    assert!(msg.contains(&format!("{}", SCHEMA_VERSION + 1)), "{msg}");
    assert_eq!(user_version(&path), SCHEMA_VERSION + 1);
    assert_eq!(schema(&path), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let junk: Vec<u8> = b"these are not the bytes of a SQLite database\n"
        .iter()
        .copied()
        .cycle()
        .take(8192)
        .collect();
    std::fs::write(&path, &junk).unwrap();

    for _ in 0..2 {
        let err = LocalStore::open(&path).unwrap_err();
        assert_eq!(err.code(), "store_corrupt", "{err}");
        let msg = err.to_string();
        assert!(msg.contains(DB_FILE), "names the file: {msg}");
        assert!(msg.contains("untouched"), "{msg}");
        assert_eq!(std::fs::read(&path).unwrap(), junk, "file changed");
    }
    let err = LocalStore::open_dir(dir.path()).unwrap_err();
    assert_eq!(err.code(), "store_corrupt");
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

#[test]
fn a_damaged_database_fails_the_integrity_check_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let store = LocalStore::open(&path).unwrap();
    let complaints: Vec<_> = (1..=200).map(|n| common::Spec::new(n).record()).collect();
    common::mirror(&store, &complaints);
    drop(store);
    // Fold the WAL into the main file and leave rollback mode, so the damage
    // below is all there is.
    raw(&path)
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .unwrap();

    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    assert!(bytes.len() > 8 * page, "{} bytes", bytes.len());
    // Scribble over the b-tree headers of a few pages past the schema page.
    for p in 2..6 {
        for b in &mut bytes[p * page..p * page + 64] {
            *b = 0xA5;
        }
    }
    std::fs::write(&path, &bytes).unwrap();

    let err = LocalStore::open(&path).unwrap_err();
    assert_eq!(err.code(), "store_corrupt", "{err}");
    let msg = err.to_string();
    assert!(msg.contains(DB_FILE), "{msg}");
    assert!(msg.contains("integrity check"), "{msg}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "file changed");
}

#[test]
fn a_directory_in_place_of_the_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(DB_FILE)).unwrap();
    let err = LocalStore::open_dir(dir.path()).unwrap_err();
    assert_eq!(err.code(), "store_io", "{err}");
}

#[test]
fn every_store_has_its_own_stable_device_id() {
    let (dir_a, a) = common::store();
    let (_dir_b, b) = common::store();
    let id_a = a.read(|r| r.sync_state()).unwrap().device_id;
    let id_b = b.read(|r| r.sync_state()).unwrap().device_id;
    assert_ne!(id_a, id_b);
    drop(a);
    for _ in 0..2 {
        let again = LocalStore::open_dir(dir_a.path()).unwrap();
        let state = again.read(|r| r.sync_state()).unwrap();
        assert_eq!(state.device_id, id_a);
        assert_eq!(state.cursor_seq, 0);
        assert_eq!(state.local_number_seq, 0);
    }
}

#[test]
fn the_store_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<LocalStore>();
    // One key per thread (per-user keys are the ones made at run time).
    let key = |i: i32| keys::saved_views(&redress_domain::ids::UserId::new(format!("u{i}")));
    let (_dir, store) = common::store();
    let store = std::sync::Arc::new(store);
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let store = store.clone();
            std::thread::spawn(move || {
                store.write(|tx| tx.set_setting(&key(i), &i)).unwrap();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    for i in 0..4 {
        let v: Option<i32> = store.read(|r| r.get_setting(&key(i))).unwrap();
        assert_eq!(v, Some(i));
    }
}

#[test]
fn two_stores_on_one_file_share_it() {
    // The desktop app and redressctl may have the same file open.
    let (dir, a) = common::store();
    let b = LocalStore::open_dir(dir.path()).unwrap();
    a.write(|tx| tx.set_setting(&keys::SERVER_EPOCH, "e1"))
        .unwrap();
    let epoch: Option<String> = b.read(|r| r.get_setting(&keys::SERVER_EPOCH)).unwrap();
    assert_eq!(epoch.as_deref(), Some("e1"));
}

/// Writes `c` into a store made by an older schema, with only the columns
/// every schema has (what a later migration fills is left to it).
fn insert_as_before(conn: &Connection, c: &redress_domain::complaint::Complaint) {
    conn.execute(
        "INSERT INTO complaints (id, number, state, open, kind, severity, channel, \
         category, customer_name, customer_phone, customer_key, public_exposure, \
         escalated, received_at, data, updated_at) \
         VALUES (?1, ?2, ?3, 1, 'simple', 2, 'phone', 'billing', 'n', 'p', 'k', \
         0, 0, 0, ?4, 0)",
        rusqlite::params![
            c.id.to_string(),
            c.number,
            c.state.as_str(),
            serde_json::to_string(c).unwrap()
        ],
    )
    .unwrap();
}

/// A store written by the schema before `0003_decisions` (its migration
/// files are the released ones, never edited): its complaints get their
/// latest decision instant from the stored JSON, so the "decided" list sees
/// them without a resync.
#[test]
fn upgrading_fills_the_decision_column_from_stored_complaints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let decided = common::resolved(&common::Spec::new(7), common::at(20));
    let waiting = common::awaiting_approval(&common::Spec::new(6));
    {
        let conn = raw(&path);
        conn.execute_batch(include_str!("../migrations/0001_init.sql"))
            .unwrap();
        conn.execute_batch(include_str!("../migrations/0002_reminder_causes.sql"))
            .unwrap();
        conn.execute_batch("PRAGMA user_version = 2").unwrap();
        for c in [&decided, &waiting] {
            insert_as_before(&conn, c);
        }
    }
    let store = LocalStore::open(&path).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let found = store.read(|r| r.decided_since(common::at(0), 10)).unwrap();
    assert_eq!(
        found.iter().map(|s| s.complaint.id).collect::<Vec<_>>(),
        [decided.id]
    );
    let decided_at = decided.approvals[0].decided_at.unwrap();
    let column: i64 = raw(&path)
        .query_row(
            "SELECT last_decided_at FROM complaints WHERE id = ?1",
            [decided.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(column, decided_at.as_millisecond());
}

/// A store written before `0004_closure`: its closed complaints get when and
/// how they ended from the stored JSON, the same answer as the projection.
#[test]
fn upgrading_fills_the_closure_columns_from_stored_complaints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let invalid = common::closed(&common::Spec::new(5));
    let open = common::resolved(&common::Spec::new(7), common::at(20));
    {
        let conn = raw(&path);
        for sql in [
            include_str!("../migrations/0001_init.sql"),
            include_str!("../migrations/0002_reminder_causes.sql"),
            include_str!("../migrations/0003_decisions.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch("PRAGMA user_version = 3").unwrap();
        for c in [&invalid, &open] {
            insert_as_before(&conn, c);
        }
    }
    let _store = LocalStore::open(&path).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let closure = |id: String| -> (Option<i64>, Option<String>, Option<u8>) {
        raw(&path)
            .query_row(
                "SELECT closed_at, closure, closure_score FROM complaints WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    };
    let expected = invalid.closure().unwrap();
    assert_eq!(
        closure(invalid.id.to_string()),
        (
            Some(expected.at.as_millisecond()),
            Some("invalid".to_owned()),
            None
        )
    );
    assert_eq!(closure(open.id.to_string()), (None, None, None));
}
