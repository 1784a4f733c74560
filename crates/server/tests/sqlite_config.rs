//! Versions of the site configuration and the audit chain in the SQLite
//! store: the configuration conformance suite, and tampering found.

use redress_domain::Rules;
use redress_server::SqliteStore;
use redress_server::conformance::config::an_edited_audit_entry_is_found;
use std::path::Path;

fn open() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store =
        SqliteStore::open(dir.path().join("server.sqlite3"), Rules::default()).expect("open");
    (dir, store)
}

redress_server::config_conformance_tests!(open);

/// Runs `sql` on the database file behind the store's back.
fn tamper(dir: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(dir.join("server.sqlite3")).expect("open the file");
    conn.execute_batch(sql).expect("tamper");
}

#[test]
fn the_audit_log_refuses_edits() {
    let (dir, store) = open();
    an_edited_audit_entry_is_found(
        &store,
        || {
            let conn = rusqlite::Connection::open(dir.path().join("server.sqlite3")).expect("open");
            let refused = conn.execute("UPDATE audit_log SET actor = 'someone' WHERE seq = 1", []);
            assert!(refused.is_err(), "the trigger refuses an update");
            let refused = conn.execute("DELETE FROM audit_log WHERE seq = 1", []);
            assert!(refused.is_err(), "the trigger refuses a delete");
            // Whoever drops the guard is still found.
            conn.execute_batch(
                "DROP TRIGGER audit_log_no_update;
                 UPDATE audit_log SET actor = 'someone' WHERE seq = 2;",
            )
            .expect("tamper");
        },
        "entry 2 was changed",
    );
}

#[test]
fn a_removed_audit_entry_is_found() {
    let (dir, store) = open();
    an_edited_audit_entry_is_found(
        &store,
        || {
            tamper(
                dir.path(),
                "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2;",
            );
        },
        "entries are missing",
    );
}

#[test]
fn an_edited_configuration_version_is_found() {
    let (dir, store) = open();
    an_edited_audit_entry_is_found(
        &store,
        || {
            tamper(
                dir.path(),
                "UPDATE config_versions
                 SET document = replace(document, '28800', '99999') WHERE version = 3;",
            );
        },
        "config version 3 was changed",
    );
}
