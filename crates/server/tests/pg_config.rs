//! Versions of the site configuration and the audit chain in the
//! PostgreSQL store (as in `sqlite_config.rs`). Needs REDRESS_TEST_PG_URL:
//! run through `scripts/with-postgres.sh`.

mod pg_support;

use redress_server::conformance::config::an_edited_audit_entry_is_found;
use redress_server::{PgStore, StoreOptions};
use std::sync::Arc;

fn open() -> (Arc<pg_support::Schema>, PgStore) {
    let schema = pg_support::Schema::new();
    let store = PgStore::connect_with(schema.config(), StoreOptions::new(Default::default()))
        .expect("open");
    (schema, store)
}

redress_server::config_conformance_tests!(open);

/// Runs `sql` in the test's schema behind the store's back.
fn tamper(schema: &pg_support::Schema, sql: &str) {
    schema.client().batch_execute(sql).expect("tamper");
}

#[test]
fn the_audit_log_refuses_edits_and_an_edit_is_found() {
    let (schema, store) = open();
    an_edited_audit_entry_is_found(
        &store,
        || {
            let mut client = schema.client();
            let refused = client.batch_execute("UPDATE audit_log SET actor = 'x' WHERE seq = 1");
            assert!(refused.is_err(), "the trigger refuses an update");
            let refused = client.batch_execute("DELETE FROM audit_log WHERE seq = 1");
            assert!(refused.is_err(), "the trigger refuses a delete");
            client
                .batch_execute(
                    "DROP TRIGGER audit_log_append_only ON audit_log;
                     UPDATE audit_log SET actor = 'someone' WHERE seq = 2;",
                )
                .expect("tamper");
        },
        "entry 2 was changed",
    );
}

#[test]
fn an_edited_configuration_version_is_found() {
    let (schema, store) = open();
    an_edited_audit_entry_is_found(
        &store,
        || {
            tamper(
                &schema,
                "UPDATE config_versions
                 SET document = replace(document, '28800', '99999') WHERE version = 3;",
            );
        },
        "config version 3 was changed",
    );
}
