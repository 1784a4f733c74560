//! Simulations of a server restored from an older backup and of a desktop
//! whose local database was copied (sync design §12.8): the real server
//! over HTTP on a SQLite file, restored with `redress_server::backup`, and
//! desktops running the real console services and sync engine. See
//! docs/simulations.md.
#![allow(clippy::unwrap_used)]

mod support;

use jiff::Timestamp;
use redress_domain::ids::ComplaintId;
use redress_local::OutboxState;
use redress_protocol::ErrorCode;
use redress_server::ServerStore;
use redress_server::backup;
use redress_sync::{EpochCheck, SyncError, TransportError};
use std::collections::BTreeSet;
use support::{Desktop, ServerFile, Sim, complaint_input, settle_and_check};
use uuid::Uuid;

/// The mutation ids of a desktop's intents the server answered `applied`.
fn applied(d: &Desktop) -> BTreeSet<Uuid> {
    d.outbox()
        .into_iter()
        .filter(|row| row.state == OutboxState::Applied)
        .map(|row| row.mutation_id)
        .collect()
}

fn progress_count(sim: &Sim, id: ComplaintId) -> usize {
    let c = sim.server.store().complaint(id).unwrap().unwrap().complaint;
    c.progress.len()
}

/// Three desktops work, the server is backed up, they keep working (some of
/// it acknowledged, some of it still pending, one desktop offline), and the
/// server is restored from the older backup. Each desktop sees the new
/// epoch, starts over (the acknowledged intents the backup lacks go back to
/// its outbox, its mirror is rebuilt) and syncs; at quiescence every
/// mirror equals the server, every intent has exactly one outcome, and
/// every intent acknowledged before the restore is applied once.
#[test]
fn a_server_restored_from_an_older_backup_gets_back_every_intent_it_lost() {
    let sim = Sim::new();
    let now = Timestamp::now();
    let amy = sim.desktop("amy-desk", "amy", now);
    let sue = sim.desktop("sue-desk", "sue", now);
    let ann = sim.desktop("ann-desk", "ann", now);
    let all = [&amy, &sue, &ann];
    for d in all {
        assert_eq!(d.check_epoch(), EpochCheck::First, "{}", d.name);
    }

    // Before the backup: two complaints everyone has.
    let early = amy.app.record_complaint(complaint_input(1)).unwrap();
    let early2 = sue.app.record_complaint(complaint_input(2)).unwrap();
    amy.progress(early, "first call");
    for d in all {
        d.sync();
    }
    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("redress.backup.sqlite3");
    backup::backup(sim.server.db(), &file).unwrap();

    // After it: acknowledged work on old and new complaints...
    let late_amy = amy.app.record_complaint(complaint_input(3)).unwrap();
    amy.progress(early, "second call");
    amy.progress(late_amy, "called back");
    amy.sync();
    let late_sue = sue.app.record_complaint(complaint_input(4)).unwrap();
    sue.progress(early2, "escalated to billing");
    sue.progress(early, "supervisor called");
    sue.sync();
    // ... which Ann's mirror holds too ...
    ann.sync();
    assert!(
        ann.engine
            .store()
            .read(|r| r.mirror_complaint(late_amy))
            .unwrap()
            .is_some()
    );
    // ... and work nobody has pushed yet.
    ann.net().set_offline(true);
    let late_ann = ann.app.record_complaint(complaint_input(5)).unwrap();
    ann.progress(early, "customer called in");
    amy.progress(early, "third call");
    let acknowledged: Vec<(String, BTreeSet<Uuid>)> =
        all.iter().map(|d| (d.name.clone(), applied(d))).collect();

    // The restore: the server stops, its file is replaced by the backup
    // under a new epoch, and it starts again.
    sim.server.kill();
    backup::restore(&file, sim.server.db()).unwrap();
    sim.server.restart();
    assert!(
        sim.server.store().complaint(late_amy).unwrap().is_none(),
        "the backup predates it"
    );
    ann.net().set_offline(false);
    for d in all {
        d.net().repoint(&sim.server.url());
    }

    // Each desktop starts over: the answered intents after what the server
    // holds for it go back to pending, the mirror is dropped.
    let mut started = Vec::new();
    for d in all {
        match d.check_epoch() {
            EpochCheck::StartedOver(done) => {
                assert_eq!(d.cursor(), 0, "{}", d.name);
                started.push((d.name.as_str(), done.requeued, done.dropped));
            }
            other => panic!("{}: {other:?}", d.name),
        }
    }
    // (desktop, intents to send again, mirror rows dropped)
    assert_eq!(
        started,
        [("amy-desk", 3, 3), ("sue-desk", 3, 4), ("ann-desk", 0, 4)]
    );
    // Meanwhile a desktop still shows its own complaints the server lost,
    // as pending, and not the ones only the others can send again.
    let shown = amy.app.complaint(late_amy).unwrap();
    assert!(shown.pending);
    assert_eq!(shown.complaint.progress.len(), 1);
    assert!(amy.app.complaint(late_sue).is_err(), "Sue sends it again");
    assert_eq!(amy.check_epoch(), EpochCheck::Same, "started over once");

    // Ann (with nothing to send again) syncs first, the others follow.
    let outcomes = settle_and_check(&sim, &[&ann, &amy, &sue]);
    assert!(
        outcomes.rejections().is_empty(),
        "{:?}",
        outcomes.rejections()
    );
    let now_applied: BTreeSet<Uuid> = outcomes
        .settled
        .iter()
        .filter(|s| s.code.is_none())
        .map(|s| s.mutation_id)
        .collect();
    for (desk, before) in &acknowledged {
        let lost: Vec<_> = before.difference(&now_applied).collect();
        assert!(
            lost.is_empty(),
            "{desk}: acknowledged intents lost: {lost:?}"
        );
    }
    // Nothing doubled: every progress note once.
    assert_eq!(progress_count(&sim, early), 5);
    assert_eq!(progress_count(&sim, early2), 1);
    assert_eq!(progress_count(&sim, late_amy), 1);
    for id in [late_sue, late_ann] {
        assert!(sim.server.store().complaint(id).unwrap().is_some());
    }
}

/// A desktop's data directory is copied while it is in sync, and both
/// copies keep working. The copy that pushes second is refused with
/// `409 device_forked`; it takes a new device id, signs in again (which
/// registers it) and pushes its whole outbox from seq 1: what the server
/// settled for the original is answered from its log, its own work is
/// applied once, and both copies converge.
#[test]
fn a_copied_desktop_is_refused_as_a_fork_and_registers_as_a_new_device() {
    let sim = Sim::new();
    let amy = sim.desktop("amy-desk", "amy", Timestamp::now());
    let first = amy.app.record_complaint(complaint_input(1)).unwrap();
    amy.progress(first, "first call");
    amy.sync();

    // The copy: the same files, hence the same device id and outbox.
    let original = amy.engine.store().path().to_owned();
    let dir = original
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("amy-copy");
    std::fs::create_dir_all(&dir).unwrap();
    let copied = dir.join(original.file_name().unwrap());
    rusqlite::Connection::open(&original)
        .unwrap()
        .execute("VACUUM INTO ?1", [copied.to_str().unwrap()])
        .unwrap();
    let copy = sim.desktop("amy-copy", "amy", Timestamp::now());
    assert_eq!(copy.device(), amy.device());

    amy.progress(first, "from the original");
    amy.sync();
    let second = copy.app.record_complaint(complaint_input(2)).unwrap();
    match copy.try_sync() {
        Err(SyncError::Transport(TransportError::Refused { code, .. })) => {
            assert_eq!(code, ErrorCode::DeviceForked);
        }
        other => panic!("expected device_forked, got {other:?}"),
    }
    assert!(sim.server.store().complaint(second).unwrap().is_none());

    // What the console does on device_forked, then a new sign-in.
    let old = copy.device();
    let intents = copy.outbox().len();
    let (device, requeued) = copy.engine.reregister().unwrap();
    assert_ne!(device, old);
    assert_eq!(requeued, intents - 1, "every answered intent");
    drop(copy);
    let copy = sim.desktop("amy-copy", "amy", Timestamp::now());
    assert_eq!(copy.device(), device);
    copy.sync();
    amy.sync();

    let server = sim.server.store().digest().unwrap();
    for d in [&amy, &copy] {
        assert_eq!(d.digest(), server, "{}'s mirror", d.name);
        assert_eq!(d.pending(), 0, "{}", d.name);
        assert!(
            d.outbox()
                .iter()
                .all(|row| row.state == OutboxState::Applied),
            "{}",
            d.name
        );
    }
    // Each intent has one decision on the server, whichever copy made it.
    let log = ServerFile::open(sim.server.db()).mutation_log();
    for row in amy.outbox().iter().chain(&copy.outbox()) {
        assert_eq!(log[&row.mutation_id].len(), 1, "{}", row.name);
    }
    let c = sim
        .server
        .store()
        .complaint(first)
        .unwrap()
        .unwrap()
        .complaint;
    assert_eq!(c.progress.len(), 2, "each note once");
    assert!(sim.server.store().complaint(second).unwrap().is_some());
}
