//! `redress-server backup`, `restore` and `new-epoch` from the real binary,
//! on SQLite files: a consistent copy while a store keeps writing, a
//! restore refused while the database is open, and a restored database
//! with the backed-up data under a new epoch.

mod support;

use jiff::Timestamp;
use redress_domain::model::{Actor, Role};
use redress_protocol::{DeviceId, PushRequest};
use redress_server::{ServerStore, SqliteStore};
use std::sync::atomic::{AtomicBool, Ordering};
use support::cli::{assert_input_error, db_arg, run};
use support::{complaint_id, envelopes, record};
use uuid::Uuid;

fn open(path: &std::path::Path) -> SqliteStore {
    SqliteStore::open(path, redress_domain::Rules::default()).expect("open")
}

#[test]
fn back_up_while_writing_then_restore_under_a_new_epoch() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("server.sqlite3");
    let copy = dir.path().join("backup.sqlite3");
    let store = open(&db);
    let epoch = store.epoch().expect("epoch");
    let device = DeviceId(Uuid::from_u128(1));
    let actor = Actor::new("ann", Role::Agent);
    store
        .register_device(device, &actor.user, "desk", Timestamp::now())
        .expect("register");
    let mut next_seq = 1;
    let mut push = |n: u128| {
        let request = PushRequest {
            device_id: device,
            sent_at_device: Timestamp::now(),
            mutations: envelopes(&mut next_seq, "ann", vec![record(complaint_id(n))]),
        };
        let response = store
            .push(device, &actor, &request, Timestamp::now())
            .expect("push");
        assert!(response.results[0].is_applied(), "{response:?}");
    };
    for n in 1..=20 {
        push(n);
    }

    // The backup runs while the store keeps writing.
    let writing = AtomicBool::new(true);
    let output = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut n = 100;
            while writing.load(Ordering::Relaxed) {
                push(n);
                n += 1;
            }
        });
        let output = run(
            &["backup", "--db", &db_arg(&db), "--to", &db_arg(&copy)],
            "",
        );
        writing.store(false, Ordering::Relaxed);
        output
    });
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains(&epoch.to_string()));

    // The copy is a consistent database of the same lineage, with at least
    // what was there before the backup began.
    let backed_up = open(&copy);
    assert_eq!(backed_up.epoch().expect("epoch"), epoch);
    for n in 1..=20 {
        assert!(
            backed_up
                .complaint(complaint_id(n))
                .expect("read")
                .is_some()
        );
    }
    let backup_digest = backed_up.digest().expect("digest");
    drop(backed_up);

    // Never over an existing file.
    assert_input_error(
        &run(
            &["backup", "--db", &db_arg(&db), "--to", &db_arg(&copy)],
            "",
        ),
        "target_exists",
    );
    // Not while the database is open.
    assert_input_error(
        &run(
            &["restore", "--from", &db_arg(&copy), "--db", &db_arg(&db)],
            "",
        ),
        "database_in_use",
    );
    assert_eq!(open(&db).epoch().expect("epoch"), epoch, "left alone");

    drop(store);
    let output = run(
        &["restore", "--from", &db_arg(&copy), "--db", &db_arg(&db)],
        "",
    );
    assert!(output.status.success(), "{output:?}");
    let restored = open(&db);
    let new_epoch = restored.epoch().expect("epoch");
    assert_ne!(new_epoch, epoch, "a restore is another lineage");
    assert!(String::from_utf8_lossy(&output.stdout).contains(&new_epoch.to_string()));
    assert_eq!(restored.digest().expect("digest"), backup_digest);
    drop(restored);

    // new-epoch changes it again; a file that is not a database is refused.
    let output = run(&["new-epoch", "--db", &db_arg(&db)], "");
    assert!(output.status.success(), "{output:?}");
    assert_ne!(open(&db).epoch().expect("epoch"), new_epoch);
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database at all").expect("write");
    let output = run(
        &["restore", "--from", &db_arg(&junk), "--db", &db_arg(&db)],
        "",
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_input_error(
        &run(
            &[
                "backup",
                "--db",
                "postgres://localhost/redress",
                "--to",
                &db_arg(&junk),
            ],
            "",
        ),
        "not_sqlite",
    );
}
