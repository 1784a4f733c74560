//! The store conformance suite, on SQLite files in temporary directories.

use redress_server::conformance::{self, Open};
use redress_server::{ServerStore, SqliteStore};
use std::sync::Arc;

/// A fresh database file; the returned opener opens it again on each call,
/// like a restarted server.
fn new_database() -> Open {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    Box::new(move || {
        let path = dir.path().join("server.sqlite3");
        let store = SqliteStore::open(path, conformance::rules()).expect("open the store");
        Box::new(store) as Box<dyn ServerStore>
    })
}

redress_server::conformance_tests!(new_database);

#[test]
fn run_all_covers_every_case() {
    conformance::run_all(&new_database);
}
