//! The store conformance suite on PostgreSQL, each case in a schema of its
//! own. Needs REDRESS_TEST_PG_URL: run through `scripts/with-postgres.sh`.

mod pg_support;

use redress_server::ServerStore;
use redress_server::conformance::Open;

/// A fresh schema; the returned opener connects a new store to it on each
/// call, like a restarted server.
fn new_database() -> Open {
    let schema = pg_support::Schema::new();
    Box::new(move || Box::new(schema.store()) as Box<dyn ServerStore>)
}

redress_server::conformance_tests!(new_database);
