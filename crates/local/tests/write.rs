//! Writes: all-or-nothing transactions (including a real process crash), the
//! overlay over the mirror, standalone settling, the outbox, local numbers.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Spec, assigned, at, cid, entry, mirror, store};
use redress_domain::Rules;
use redress_domain::complaint::ComplaintState;
use redress_domain::ids::UserId;
use redress_local::{DashboardQuery, LocalStore, OutboxState, StoreError};
use std::path::Path;
use std::process::Command;

/// Set in the child process of the crash test (and the env test).
const CHILD_ENV: &str = "REDRESS_LOCAL_TEST_CHILD";

fn rows(path: &Path, table: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// Runs one test of this binary in a child process, with `envs`.
fn run_child(test: &str, envs: &[(&str, &Path)]) -> std::process::Output {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"]);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn a_write_whose_closure_fails_leaves_neither_overlay_nor_outbox_row() {
    let (_dir, store) = store();
    let c = Spec::new(1).record();
    let err = store
        .write(|tx| {
            let seq = tx.enqueue(&entry("complaint.record"))?;
            tx.stage_complaint(&c, &Rules::default(), seq)?;
            assert!(tx.reader().complaint(c.id)?.is_some(), "seen inside");
            Err::<(), _>(StoreError::InvalidData("the domain refused".into()))
        })
        .unwrap_err();
    assert_eq!(err.code(), "invalid_data");

    assert_eq!(store.read(|r| r.complaint(c.id)).unwrap(), None);
    assert!(store.read(|r| r.outbox_pending()).unwrap().is_empty());
    assert_eq!(rows(store.path(), "complaint_overlay"), 0);
    assert_eq!(rows(store.path(), "outbox"), 0);
}

/// The caller's own error type works too (any `E: From<StoreError>`).
#[derive(Debug)]
#[allow(dead_code)] // the payloads are for Debug output
enum AppError {
    Store(StoreError),
    Refused(&'static str),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

#[test]
fn a_write_that_panics_rolls_back_and_the_store_stays_usable() {
    let (_dir, store) = store();
    let c = Spec::new(1).record();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        store
            .write(|tx| {
                let seq = tx.enqueue(&entry("complaint.record"))?;
                tx.stage_complaint(&c, &Rules::default(), seq)?;
                panic!("crash between the writes and the commit");
                #[allow(unreachable_code)]
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }));
    assert!(panicked.is_err());

    assert_eq!(store.read(|r| r.complaint(c.id)).unwrap(), None);
    assert!(store.read(|r| r.outbox_pending()).unwrap().is_empty());
    // The mutex was poisoned by the panic; the store still works.
    let refused: Result<(), AppError> = store.write(|_| Err(AppError::Refused("not my role")));
    assert!(matches!(refused, Err(AppError::Refused(_))));
    let seq = store
        .write(|tx| {
            let seq = tx.enqueue(&entry("complaint.record"))?;
            tx.stage_complaint(&c, &Rules::default(), seq)?;
            Ok::<_, AppError>(seq)
        })
        .unwrap();
    assert_eq!(
        store.read(|r| r.outbox_pending()).unwrap()[0].client_seq,
        seq
    );
    assert!(matches!(
        store.read(|r| r.complaint(c.id)),
        Ok(Some(s)) if s.pending
    ));
}

/// The child half of the crash test: stages a complaint, enqueues its intent
/// and kills the process before the transaction commits.
#[test]
fn crash_child_aborts_mid_transaction() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return; // only meaningful as the child of the test below
    };
    let store = LocalStore::open_dir(&dir).unwrap();
    let c = Spec::new(7).record();
    store
        .write(|tx| {
            let seq = tx.enqueue(&entry("complaint.record"))?;
            tx.stage_complaint(&c, &Rules::default(), seq)?;
            std::process::abort();
            #[allow(unreachable_code)]
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

#[test]
fn a_process_killed_mid_transaction_leaves_neither_row() {
    let (dir, store) = store();
    mirror(&store, &[Spec::new(1).record()]);
    drop(store);

    let out = run_child(
        "crash_child_aborts_mid_transaction",
        &[(CHILD_ENV, dir.path())],
    );
    assert!(!out.status.success(), "the child was meant to abort");

    let store = LocalStore::open_dir(dir.path()).unwrap();
    assert_eq!(store.read(|r| r.complaint(cid(7))).unwrap(), None);
    assert!(store.read(|r| r.outbox_pending()).unwrap().is_empty());
    assert!(store.read(|r| r.complaint(cid(1))).unwrap().is_some());
    assert_eq!(rows(store.path(), "complaint_overlay"), 0);
    assert_eq!(rows(store.path(), "outbox"), 0);
}

#[test]
fn env_child_reports_the_data_dir() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let dir = redress_local::data_dir_from_env().unwrap();
    assert_eq!(Some(dir.into_os_string()), std::env::var_os(CHILD_ENV));
}

#[test]
fn the_data_dir_comes_from_redress_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_child(
        "env_child_reports_the_data_dir",
        &[
            (CHILD_ENV, dir.path()),
            (redress_local::DATA_DIR_ENV, dir.path()),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed"));
    let out = run_child(
        "env_child_reports_the_data_dir",
        &[
            (CHILD_ENV, dir.path()),
            (redress_local::DATA_DIR_ENV, Path::new("")),
        ],
    );
    assert!(!out.status.success(), "an empty REDRESS_DATA_DIR is unset");
}

#[test]
fn the_overlay_wins_over_the_mirror_until_it_is_cleared() {
    let (_dir, store) = store();
    let rules = Rules::default();
    let recorded = Spec::new(1).record();
    let other = Spec::new(2).record();
    mirror(&store, &[recorded.clone(), other.clone()]);

    let mine = assigned(&Spec::new(1), "billing", "chen");
    store
        .write(|tx| {
            let seq = tx.enqueue(&entry("complaint.assign"))?;
            tx.stage_complaint(&mine, &rules, seq)
        })
        .unwrap();

    let seen = store.read(|r| r.complaint(cid(1))).unwrap().unwrap();
    assert!(seen.pending);
    assert_eq!(seen.complaint, mine);
    let by_number = store
        .read(|r| r.complaint_by_number("TS-2026-000001"))
        .unwrap()
        .unwrap();
    assert_eq!(by_number, seen);
    let untouched = store.read(|r| r.complaint(cid(2))).unwrap().unwrap();
    assert!(!untouched.pending);
    assert_eq!(untouched.complaint, other);

    let rows = store
        .read(|r| r.dashboard(&DashboardQuery::default()))
        .unwrap();
    assert_eq!(rows.len(), 2, "one row per complaint, not one per table");
    let row = rows.iter().find(|r| r.id == cid(1)).unwrap();
    assert!(row.pending);
    assert_eq!(row.owner, Some(UserId::new("chen")));
    assert_eq!(row.state, ComplaintState::Assigned);

    assert!(store.write(|tx| tx.clear_overlay(cid(1))).unwrap());
    assert!(!store.write(|tx| tx.clear_overlay(cid(1))).unwrap());
    let back = store.read(|r| r.complaint(cid(1))).unwrap().unwrap();
    assert!(!back.pending);
    assert_eq!(back.complaint, recorded);
}

#[test]
fn a_complaint_created_locally_exists_only_in_the_overlay_until_settled() {
    let (_dir, store) = store();
    let rules = Rules::default();
    let c = Spec::new(3).record();
    let seq = store
        .write(|tx| {
            let seq = tx.enqueue(&entry("complaint.record"))?;
            tx.stage_complaint(&c, &rules, seq)?;
            Ok::<_, StoreError>(seq)
        })
        .unwrap();
    assert!(store.read(|r| r.complaint(c.id)).unwrap().unwrap().pending);
    assert_eq!(rows(store.path(), "complaints"), 0);

    store.write(|tx| tx.settle_local(seq, c.id)).unwrap();
    let settled = store.read(|r| r.complaint(c.id)).unwrap().unwrap();
    assert!(!settled.pending);
    assert_eq!(settled.complaint, c);
    assert_eq!(rows(store.path(), "complaint_overlay"), 0);
    assert!(store.read(|r| r.outbox_pending()).unwrap().is_empty());
    let row = store.read(|r| r.outbox_row(seq)).unwrap().unwrap();
    assert_eq!(row.state, OutboxState::Applied);
    assert_eq!(
        row.result,
        Some(serde_json::json!({"status": "applied", "local": true}))
    );
    assert!(row.acked_at.is_some());
    let version: i64 = rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row("SELECT version FROM complaints", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
}

#[test]
fn settling_moves_the_overlay_into_the_mirror_one_version_up() {
    let (_dir, store) = store();
    let rules = Rules::default();
    mirror(&store, &[Spec::new(1).record()]);
    let step1 = assigned(&Spec::new(1), "billing", "chen");
    let mut step2 = step1.clone();
    common::progress(&mut step2, 1, at(30));

    // Two local commands before either is settled.
    let (s1, s2) = store
        .write(|tx| {
            let s1 = tx.enqueue(&entry("complaint.assign"))?;
            tx.stage_complaint(&step1, &rules, s1)?;
            let s2 = tx.enqueue(&entry("complaint.add_progress"))?;
            tx.stage_complaint(&step2, &rules, s2)?;
            Ok::<_, StoreError>((s1, s2))
        })
        .unwrap();
    assert!(s2 > s1);
    assert_eq!(store.read(|r| r.outbox_pending()).unwrap().len(), 2);

    // Settling the first leaves the overlay (it already holds the second).
    store.write(|tx| tx.settle_local(s1, cid(1))).unwrap();
    let seen = store.read(|r| r.complaint(cid(1))).unwrap().unwrap();
    assert!(seen.pending);
    assert_eq!(seen.complaint, step2);
    assert_eq!(store.read(|r| r.outbox_pending()).unwrap().len(), 1);

    store.write(|tx| tx.settle_local(s2, cid(1))).unwrap();
    let seen = store.read(|r| r.complaint(cid(1))).unwrap().unwrap();
    assert!(!seen.pending);
    assert_eq!(seen.complaint, step2);
    let version: i64 = rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row("SELECT version FROM complaints", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2, "mirrored at 1, settled once");

    let missing = store.write(|tx| tx.settle_local(999, cid(1))).unwrap_err();
    assert_eq!(missing.code(), "not_found");
}

#[test]
fn outbox_rows_keep_their_intent_and_answer() {
    let (_dir, store) = store();
    let a = entry("complaint.judge");
    let b = entry("approval.decide");
    let (sa, sb) = store
        .write(|tx| Ok::<_, StoreError>((tx.enqueue(&a)?, tx.enqueue(&b)?)))
        .unwrap();
    let pending = store.read(|r| r.outbox_pending()).unwrap();
    assert_eq!(
        pending.iter().map(|r| r.client_seq).collect::<Vec<_>>(),
        [sa, sb]
    );
    assert_eq!(pending[0].mutation_id, a.mutation_id);
    assert_eq!(pending[0].mutation_id.get_version_num(), 7);
    assert_eq!(pending[0].name, "complaint.judge");
    assert_eq!(pending[0].args, a.args);
    assert_eq!(pending[0].author, a.author);
    assert_eq!(pending[0].occurred_at_device, a.occurred_at_device);
    assert_eq!(pending[0].state, OutboxState::Pending);
    assert_eq!(pending[0].result, None);
    assert_eq!(pending[0].acked_at, None);

    let rejected = serde_json::json!({"status": "rejected", "code": "approval_already_decided"});
    store
        .write(|tx| tx.mark_outbox(sb, OutboxState::Rejected, &rejected))
        .unwrap();
    let left = store.read(|r| r.outbox_pending()).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].client_seq, sa);
    let row = store.read(|r| r.outbox_row(sb)).unwrap().unwrap();
    assert_eq!(row.state, OutboxState::Rejected);
    assert_eq!(row.result, Some(rejected));

    let dup = store.write(|tx| tx.enqueue(&a)).unwrap_err();
    assert_eq!(dup.code(), "invalid_data", "a mutation id is used once");
    let missing = store
        .write(|tx| tx.mark_outbox(999, OutboxState::Applied, &serde_json::Value::Null))
        .unwrap_err();
    assert_eq!(missing.code(), "not_found");
}

#[test]
fn local_numbers_increment_and_skip_numbers_in_use() {
    let (dir, store) = store();
    let first = store.write(|tx| tx.next_local_number(2026)).unwrap();
    let second = store.write(|tx| tx.next_local_number(2026)).unwrap();
    assert_eq!(first, "TS-2026-000001");
    assert_eq!(second, "TS-2026-000002");
    // A complaint already carries the next number: it is skipped.
    mirror(&store, &[Spec::new(3).record()]);
    assert_eq!(
        store.write(|tx| tx.next_local_number(2026)).unwrap(),
        "TS-2026-000004"
    );
    assert_eq!(
        store.write(|tx| tx.next_local_number(2027)).unwrap(),
        "TS-2027-000005"
    );
    // A rolled-back write does not use a number up.
    let _ = store.write(|tx| {
        tx.next_local_number(2026)?;
        Err::<(), _>(StoreError::InvalidData("refused".into()))
    });
    drop(store);
    let store = LocalStore::open_dir(dir.path()).unwrap();
    assert_eq!(
        store.write(|tx| tx.next_local_number(2026)).unwrap(),
        "TS-2026-000006"
    );
    assert_eq!(store.read(|r| r.sync_state()).unwrap().local_number_seq, 6);
}
