//! Users and sessions in the SQLite store: the accounts conformance suite.

use redress_domain::Rules;
use redress_server::SqliteStore;

fn open() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store =
        SqliteStore::open(dir.path().join("server.sqlite3"), Rules::default()).expect("open");
    (dir, store)
}

redress_server::account_conformance_tests!(open);
