//! The documented PostgreSQL backup and restore (docs/sync-server.md,
//! Deploying → Backups): `pg_dump` of the database, `pg_restore` after a
//! loss, then `redress-server new-epoch`, run here against the test
//! cluster on one schema. Needs REDRESS_TEST_PG_URL: run through
//! `scripts/with-postgres.sh`.

mod pg_support;
mod support;

use jiff::Timestamp;
use redress_domain::model::{Actor, Role};
use redress_protocol::{DeviceId, PushRequest};
use redress_server::ServerStore;
use std::process::Command;
use support::cli::run;
use support::{complaint_id, envelopes, record};
use uuid::Uuid;

fn tool(name: &str, args: &[&str]) {
    let output = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {name}: {e}"));
    assert!(output.status.success(), "{name}: {output:?}");
}

#[test]
fn pg_dump_and_pg_restore_then_a_new_epoch() {
    let schema = pg_support::Schema::new();
    let url = pg_support::base_url();
    let separator = if url.contains('?') { '&' } else { '?' };
    let url_in_schema = format!(
        "{url}{separator}options=-c%20search_path%3D{}",
        schema.name()
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dump = dir.path().join("redress.dump");
    let dump = dump.to_str().expect("a UTF-8 path");

    let store = schema.store();
    let device = DeviceId(Uuid::from_u128(1));
    let actor = Actor::new("ann", Role::Agent);
    store
        .register_device(device, &actor.user, "desk", Timestamp::now())
        .expect("register");
    let mut next_seq = 1;
    let mut push = |from: u128, to: u128| {
        let request = PushRequest {
            device_id: device,
            sent_at_device: Timestamp::now(),
            mutations: envelopes(
                &mut next_seq,
                "ann",
                (from..=to).map(|n| record(complaint_id(n))).collect(),
            ),
        };
        let response = store
            .push(device, &actor, &request, Timestamp::now())
            .expect("push");
        assert!(response.results.iter().all(|r| r.is_applied()));
    };
    push(1, 5);
    let epoch = store.epoch().expect("epoch");
    let backed_up = store.digest().expect("digest");

    // The backup: a custom-format dump of the database (here its schema).
    tool(
        "pg_dump",
        &[
            "--format=custom",
            "--schema",
            schema.name(),
            "--file",
            dump,
            "--dbname",
            &url,
        ],
    );
    // Work goes on after the backup, then the database is lost.
    push(6, 8);
    assert_ne!(store.digest().expect("digest"), backed_up);
    drop(store);
    schema
        .client()
        .batch_execute(&format!("DROP SCHEMA {} CASCADE", schema.name()))
        .expect("lose the database");

    // The restore, then a new epoch so desktops start over.
    tool("pg_restore", &["--dbname", &url, dump]);
    let output = run(&["new-epoch", "--db", &url_in_schema], "");
    assert!(output.status.success(), "{output:?}");
    let restored = schema.store();
    assert_eq!(restored.digest().expect("digest"), backed_up);
    let new_epoch = restored.epoch().expect("epoch");
    assert_ne!(new_epoch, epoch);
    assert!(String::from_utf8_lossy(&output.stdout).contains(&new_epoch.to_string()));
    // backup and restore are for SQLite files.
    let output = run(&["restore", "--from", dump, "--db", &url_in_schema], "");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
}
