//! Simulations of the failure cases of the sync design (§12 cases 1 to 5):
//! a real server over HTTP on 127.0.0.1 on a SQLite file, desktops running
//! the real console services and sync engine on their own SQLite files with
//! fake clocks, and a network that fails on demand (`support::Flaky`). Every
//! scenario ends with `settle_and_check`: after quiescence every mirror
//! equals the server, every intent has exactly one recorded outcome, no
//! change was applied twice and every rejection is visible to its author and
//! on the complaint's record. See docs/simulations.md.
#![allow(clippy::unwrap_used)]

mod support;

use jiff::{SignedDuration, Timestamp};
use redress_domain::complaint::{ApprovalState, Command, Complaint, ComplaintState};
use redress_domain::ids::{ComplaintId, DeptId};
use redress_domain::model::{InvalidReason, RootCause};
use redress_local::OutboxState;
use redress_server::ServerStore;
use redress_sync::SyncError;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Barrier;
use support::{Desktop, ServerFile, Sim, complaint_input, record_up_to_approval, settle_and_check};

fn expect_transient<T: std::fmt::Debug>(r: Result<T, SyncError>) {
    match r {
        Err(e) if e.is_transient() => {}
        other => panic!("expected a transient failure, got {other:?}"),
    }
}

fn judge_valid() -> Command {
    Command::Judge {
        valid: true,
        reason: None,
        note: String::new(),
    }
}

fn judge_invalid() -> Command {
    Command::Judge {
        valid: false,
        reason: Some(InvalidReason::OutsidePolicy),
        note: "not covered by the contract".into(),
    }
}

fn close() -> Command {
    Command::Close {
        note: "answered".into(),
    }
}

/// The server's state of one complaint.
fn on_server(sim: &Sim, id: ComplaintId) -> Complaint {
    sim.server
        .store()
        .complaint(id)
        .unwrap()
        .expect("the server has it")
        .complaint
}

fn codes(pairs: &[(&str, &str, usize)]) -> BTreeMap<(String, String), usize> {
    pairs
        .iter()
        .map(|(d, c, n)| ((d.to_string(), c.to_string()), *n))
        .collect()
}

/// §12.1: a supervisor's desktop loses the network for a day and keeps
/// working: 200 intents, some of which others overtake online (approvals
/// decided first by someone else, complaints closed under its progress
/// notes). On reconnect it pushes in batches of 100, pulls, and every
/// replica converges; the 17 losing intents are rejected and listed.
#[test]
fn a_desktop_offline_for_a_day_with_200_changes_reconnects_and_converges() {
    let sim = Sim::new();
    // The desktops live through the day before the server's "now".
    let start = Timestamp::now() - SignedDuration::from_hours(24);
    let amy = sim.desktop("amy-desk", "amy", start);
    let sue = sim.desktop("sue-desk", "sue", start);
    let sam = sim.desktop("sam-desk", "sam", start);
    let all = [&amy, &sue, &sam];

    // The morning, everyone online: 10 refunds await approval, 10
    // complaints are judged invalid, 10 are being worked on.
    let approvals: Vec<ComplaintId> = (0..10).map(|n| record_up_to_approval(&amy, n)).collect();
    let invalid: Vec<ComplaintId> = (10..20)
        .map(|n| {
            let id = amy.app.record_complaint(complaint_input(n)).unwrap();
            amy.run(id, &judge_invalid());
            id
        })
        .collect();
    let shared: Vec<ComplaintId> = (20..30)
        .map(|n| {
            let id = amy.app.record_complaint(complaint_input(n)).unwrap();
            amy.run(id, &judge_valid());
            id
        })
        .collect();
    for d in all {
        d.sync();
    }

    // Sam's network goes; work goes on everywhere, clocks move through the
    // day (200 steps of 7 minutes).
    sam.net().set_offline(true);
    let step = || Sim::advance(&all, SignedDuration::from_mins(7));
    let mut made = 0;
    for (i, id) in approvals.iter().enumerate() {
        sam.decide(*id, i % 2 == 0);
        made += 1;
        step();
    }
    for id in &invalid {
        sam.progress(*id, "called the customer back");
        made += 1;
        step();
    }
    for round in 0..3 {
        for id in &shared {
            sam.progress(*id, &format!("follow-up {round}"));
            made += 1;
            step();
        }
    }
    expect_transient(sam.try_sync());

    // Meanwhile, online: Sue decides seven of the approvals (approving all,
    // so she agrees with Sam on some) and closes every invalid complaint;
    // Amy keeps working.
    for id in &approvals[..7] {
        sue.decide(*id, true);
    }
    for id in &invalid {
        sue.run(*id, &close());
    }
    for id in &shared {
        amy.progress(*id, "customer informed of the schedule");
    }
    sue.sync();
    amy.sync();

    // Sam records new complaints all afternoon, trying to sync now and then.
    for n in 100..125 {
        let id = sam.app.record_complaint(complaint_input(n)).unwrap();
        made += 1;
        step();
        for c in [
            judge_valid(),
            Command::Assign {
                department: DeptId::new("billing"),
                owner: None,
            },
            Command::SetRootCause {
                categories: vec![RootCause::Process],
                note: "billing run".into(),
            },
        ] {
            sam.run(id, &c);
            made += 1;
            step();
        }
        sam.progress(id, "first call");
        sam.progress(id, "second call");
        made += 2;
        step();
        if n % 5 == 0 {
            expect_transient(sam.try_sync());
            let other = amy.app.record_complaint(complaint_input(n + 100)).unwrap();
            amy.progress(other, "logged while Sam was away");
            amy.sync();
        }
    }
    assert_eq!(made, 200);
    assert_eq!(sam.pending(), 200, "every intent waits, durably, in order");
    assert!(sam.net().batches().is_empty(), "nothing left the desktop");

    // Back online.
    sam.net().set_offline(false);
    let (pushed, pulled) = sam.sync();
    assert_eq!(sam.net().batches(), vec![100, 100], "batches of 100");
    assert_eq!(
        (pushed.applied, pushed.rejected, pushed.replayed),
        (183, 17, 0)
    );
    // One change a complaint, however often it changed meanwhile.
    for id in approvals.iter().chain(&invalid).chain(&shared) {
        assert!(pulled.complaints.contains(id), "Sam caught up with {id}");
    }
    assert!(
        pulled.changes < 200,
        "several changes of one complaint cost one"
    );

    // Sam's screen now shows who won.
    for id in &approvals[..7] {
        let c = sam.shown(*id);
        assert_eq!(c.approvals[0].decided_by.as_ref().unwrap().as_str(), "sue");
        assert_eq!(c.state, ComplaintState::RemedyAgreed);
    }
    for (i, id) in approvals[7..].iter().enumerate() {
        let c = sam.shown(*id);
        assert_eq!(c.approvals[0].decided_by.as_ref().unwrap().as_str(), "sam");
        let approved = (i + 7) % 2 == 0;
        assert_eq!(c.approvals[0].state == ApprovalState::Approved, approved);
    }
    for id in &invalid {
        let c = sam.shown(*id);
        assert_eq!(c.state, ComplaintState::Closed);
        assert!(c.progress.is_empty(), "Sam's late notes were refused");
    }
    for id in &shared {
        assert_eq!(
            sam.shown(*id).progress.len(),
            4,
            "three of Sam's, one of Amy's"
        );
    }

    let outcomes = settle_and_check(&sim, &all);
    assert_eq!(
        outcomes.rejections(),
        codes(&[
            ("sam-desk", "approval_already_decided", 7),
            ("sam-desk", "complaint_closed", 10),
        ])
    );
    // Sam's rejections are listed on Sam's outbox (the sync-issues inbox).
    let rejected: Vec<_> = sam
        .outbox()
        .into_iter()
        .filter(|r| r.state == OutboxState::Rejected)
        .collect();
    assert_eq!(rejected.len(), 17);
    for row in rejected.iter().filter(|r| r.name == "approval.decide") {
        let result = row.result.as_ref().unwrap();
        assert_eq!(result["details"]["decided_by"], json!("sue"));
        // Sue approved everything; Sam approved the even ones.
        let sam_approved = row.args["approve"] == json!(true);
        assert_eq!(result["details"]["same_outcome"], json!(sam_approved));
    }
}

/// §12.2: the server settles a push but the answer is lost, twice (the
/// retry is answered from the log and that answer is lost too), and then a
/// pull answer is lost. Retries change nothing on the server; the final
/// results equal the first ones; each intent was applied once.
#[test]
fn a_lost_push_answer_is_retried_and_each_intent_is_applied_once() {
    let sim = Sim::new();
    let now = Timestamp::now();
    let amy = sim.desktop("amy-desk", "amy", now);
    let sue = sim.desktop("sue-desk", "sue", now);

    // Sue's complaint, which she will close under Amy's note.
    let doomed = sue.app.record_complaint(complaint_input(1)).unwrap();
    sue.run(doomed, &judge_invalid());
    sue.sync();
    amy.sync();
    amy.progress(doomed, "customer called again");
    sue.run(doomed, &close());
    sue.sync();

    // Amy's day: 20 refunds worked up to approval, a note on most.
    for n in 10..30 {
        let id = record_up_to_approval(&amy, n);
        if n < 29 {
            amy.progress(id, "refund requested");
        }
    }
    assert_eq!(amy.pending(), 120);
    let file = ServerFile::open(sim.server.db());
    let logged = || file.mutation_log().len();
    let before = logged();

    amy.net().lose_push_answers(1);
    expect_transient(amy.engine.push(amy.now()));
    assert_eq!(amy.pending(), 120, "kept for the retry");
    assert_eq!(logged(), before + 100, "yet the server settled the batch");

    // The retry reaches the server, which answers from its log; that
    // answer is lost as well. Nothing new is settled.
    let changes = file.change_log().len();
    amy.net().lose_push_answers(1);
    expect_transient(amy.engine.push(amy.now()));
    assert_eq!(amy.pending(), 120);
    assert_eq!(logged(), before + 100);
    assert_eq!(file.change_log().len(), changes, "replays write nothing");

    let pushed = amy.engine.push(amy.now()).unwrap();
    assert_eq!((pushed.applied, pushed.rejected), (119, 1));
    assert_eq!(pushed.replayed, 100, "the first batch came from the log");
    assert_eq!(amy.net().batches(), vec![100, 100, 100, 20]);
    let first = amy.outbox().into_iter().next().unwrap();
    assert_eq!(first.state, OutboxState::Rejected);
    assert_eq!(first.result.unwrap()["code"], json!("complaint_closed"));

    // A lost pull answer: the cursor stays, the next pull gets it all.
    let cursor = amy.cursor();
    amy.net().lose_pull_answers(1);
    expect_transient(amy.engine.pull(amy.now()));
    assert_eq!(amy.cursor(), cursor);
    amy.engine.pull(amy.now()).unwrap();
    assert_eq!(amy.app.approvals().unwrap().len(), 20);

    let outcomes = settle_and_check(&sim, &[&amy, &sue]);
    assert_eq!(outcomes.applied(), 119 + 3);
    assert_eq!(
        outcomes.rejections(),
        codes(&[("amy-desk", "complaint_closed", 1)])
    );
}

/// §12.3: the server dies between two mutations of a batch (12 of 30
/// committed), comes back on the same database file, dies again after
/// committing the rest but before answering, comes back again. Every
/// intent is applied exactly once.
#[test]
fn the_server_killed_mid_batch_and_restarted_on_its_file_applies_each_intent_once() {
    let sim = Sim::new();
    let now = Timestamp::now();
    let amy = sim.desktop("amy-desk", "amy", now);
    let sue = sim.desktop("sue-desk", "sue", now);
    let ids: Vec<ComplaintId> = (0..6).map(|n| record_up_to_approval(&amy, n)).collect();
    assert_eq!(amy.pending(), 30);

    amy.net().crash_server_after(12, &sim.server);
    expect_transient(amy.try_sync());
    assert!(!sim.server.is_running());
    let file = ServerFile::open(sim.server.db());
    assert_eq!(file.mutation_log().len(), 12, "committed before the crash");
    assert_eq!(file.change_log().len(), 12);
    assert_eq!(amy.pending(), 30, "no answer, so all still pending");

    // While it is down, nobody gets through and nothing changes.
    expect_transient(amy.try_sync());
    expect_transient(sue.try_sync());
    assert_eq!(amy.pending(), 30);

    let restart = |sim: &Sim| {
        sim.server.restart();
        for d in [&amy, &sue] {
            d.net().repoint(&sim.server.url());
        }
    };
    restart(&sim);
    // This time it dies after settling the whole batch, before answering.
    amy.net().crash_server_after(30, &sim.server);
    expect_transient(amy.engine.push(amy.now()));
    assert_eq!(file.mutation_log().len(), 30);
    assert_eq!(amy.pending(), 30);

    restart(&sim);
    let (pushed, _) = amy.sync();
    assert_eq!(
        (pushed.applied, pushed.rejected, pushed.replayed),
        (30, 0, 30)
    );
    assert_eq!(amy.net().batches(), vec![12, 30, 30]);
    sue.sync();
    for id in &ids {
        assert_eq!(sue.shown(*id).state, ComplaintState::AwaitingApproval);
    }

    let outcomes = settle_and_check(&sim, &[&amy, &sue]);
    assert_eq!(outcomes.applied(), 30);
    assert!(outcomes.rejections().is_empty());
}

/// §12.4: two supervisors whose clocks are 3 hours fast and 3 hours slow
/// decide the same approvals. Whoever reaches the server first wins, in
/// either order; the server decides on its own clock, so SLA due times are
/// the same on both mirrors and on the server; it corrects the device times
/// and flags them as suspect.
#[test]
fn skewed_clocks_do_not_decide_who_wins_and_sla_times_agree() {
    let sim = Sim::new();
    let real = Timestamp::now();
    let amy = sim.desktop("amy-desk", "amy", real);
    let fast = sim.desktop("sue-fast", "sue", real + SignedDuration::from_hours(3));
    let slow = sim.desktop("sam-slow", "sam", real - SignedDuration::from_hours(3));
    let first = record_up_to_approval(&amy, 1);
    let second = record_up_to_approval(&amy, 2);
    for d in [&amy, &fast, &slow] {
        d.sync();
    }

    // Round 1: the fast clock reaches the server first (its device time is
    // six hours after the other's decision); round 2: the slow one does.
    for (id, winner, loser) in [(first, &fast, &slow), (second, &slow, &fast)] {
        winner.decide(id, true);
        loser.decide(id, false);
        let pushed = winner.engine.push(winner.now()).unwrap();
        assert_eq!(pushed.applied, 1);
        let pushed = loser.engine.push(loser.now()).unwrap();
        assert_eq!(pushed.rejected, 1, "{} came second", loser.name);
        let c = on_server(&sim, id);
        assert_eq!(c.approvals[0].decided_by, Some(winner.user.clone()));
        assert_eq!(c.approvals[0].state, ApprovalState::Approved);
        // Decided on the server's clock, not either device's.
        let decided_at = c.approvals[0].decided_at.unwrap();
        let off = Timestamp::now().duration_since(decided_at).abs();
        assert!(
            off < SignedDuration::from_mins(5),
            "decided at {decided_at}"
        );
    }

    let outcomes = settle_and_check(&sim, &[&amy, &fast, &slow]);
    assert_eq!(
        outcomes.rejections(),
        codes(&[
            ("sam-slow", "approval_already_decided", 1),
            ("sue-fast", "approval_already_decided", 1),
        ])
    );
    for id in [first, second] {
        let due = |c: &Complaint| -> Vec<_> { c.clocks.iter().map(|k| (k.id, k.due_at)).collect() };
        let server = due(&on_server(&sim, id));
        assert!(
            server.iter().any(|(_, d)| d.is_some()),
            "a clock is running"
        );
        assert_eq!(due(&fast.mirror(id)), server);
        assert_eq!(due(&slow.mirror(id)), server);
        assert_eq!(due(&fast.shown(id)), server, "what the screen shows");
        assert_eq!(due(&slow.shown(id)), server);
    }

    // The server measured each push's offset: the skewed devices' times are
    // corrected onto its clock and flagged; Amy's are not.
    let file = ServerFile::open(sim.server.db());
    for (mutation_id, rows) in file.mutation_log() {
        let row = &rows[0];
        let by = outcomes
            .settled
            .iter()
            .find(|s| s.mutation_id == mutation_id)
            .unwrap();
        let skew = row.occurred_at_device.duration_since(row.occurred_at);
        if by.desktop == "amy-desk" {
            assert!(!row.clock_suspect);
            assert!(skew.abs() < SignedDuration::from_mins(1));
        } else {
            assert!(row.clock_suspect, "{} {}", by.desktop, by.name);
            let expected = if by.desktop == "sue-fast" { 3 } else { -3 };
            let drift = skew - SignedDuration::from_hours(expected);
            assert!(drift.abs() < SignedDuration::from_mins(1), "skew {skew:?}");
            assert!(
                Timestamp::now().duration_since(row.occurred_at).abs()
                    < SignedDuration::from_mins(5)
            );
        }
    }
}

/// §12.5: two managers decide the same approval at the same moment, their
/// pushes racing on two threads, over several rounds with every
/// combination of decisions. Each time exactly one decision stands; the
/// other is one recorded, rejected attempt, on its author's outbox and on
/// the complaint's record.
#[test]
fn two_managers_deciding_one_approval_at_once_leave_one_decision_and_one_rejected_attempt() {
    let sim = Sim::new();
    let now = Timestamp::now();
    let amy = sim.desktop("amy-desk", "amy", now);
    let sue = sim.desktop("sue-desk", "sue", now);
    let sam = sim.desktop("sam-desk", "sam", now);
    let file = ServerFile::open(sim.server.db());
    let mut wins = BTreeMap::new();
    for round in 0..8u32 {
        let id = record_up_to_approval(&amy, round);
        for d in [&amy, &sue, &sam] {
            d.sync();
        }
        let (sue_approves, sam_approves) = (round % 2 == 0, round % 4 < 2);
        sue.decide(id, sue_approves);
        sam.decide(id, sam_approves);
        for d in [&sue, &sam] {
            assert!(d.app.complaint(id).unwrap().pending, "syncing, not final");
        }

        let start = Barrier::new(2);
        let race = |d: &Desktop| {
            start.wait();
            d.engine.push(d.now()).unwrap()
        };
        let (by_sue, by_sam) = std::thread::scope(|s| {
            let a = s.spawn(|| race(&sue));
            let b = s.spawn(|| race(&sam));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert_eq!(by_sue.applied + by_sam.applied, 1, "round {round}");
        assert_eq!(by_sue.rejected + by_sam.rejected, 1, "round {round}");
        let (winner, loser, approved) = if by_sue.applied == 1 {
            (&sue, &sam, sue_approves)
        } else {
            (&sam, &sue, sam_approves)
        };
        *wins.entry(winner.name.clone()).or_insert(0) += 1;

        // One decided state, the winner's.
        let c = on_server(&sim, id);
        assert_eq!(c.approvals.len(), 1);
        assert_eq!(c.approvals[0].decided_by, Some(winner.user.clone()));
        let expected = if approved {
            ApprovalState::Approved
        } else {
            ApprovalState::Rejected
        };
        assert_eq!(c.approvals[0].state, expected);

        // The loser's attempt: rejected on its outbox row, with who won...
        let row = loser.outbox().into_iter().last().unwrap();
        assert_eq!(row.state, OutboxState::Rejected);
        let result = row.result.unwrap();
        assert_eq!(result["code"], json!("approval_already_decided"));
        assert_eq!(result["details"]["decided_by"], json!(winner.user.as_str()));
        assert_eq!(
            result["details"]["same_outcome"],
            json!(sue_approves == sam_approves)
        );
        // ... and on the complaint's record, once, for everyone.
        let rejections = file.rejections_of(id);
        assert_eq!(rejections.len(), 1, "round {round}");
        assert_eq!(
            rejections[0].data["author_user_id"],
            json!(loser.user.as_str())
        );
        assert_eq!(
            rejections[0].data["code"],
            json!("approval_already_decided")
        );

        // Both screens settle on the winning decision.
        for d in [&sue, &sam] {
            d.sync();
            let shown = d.app.complaint(id).unwrap();
            assert!(!shown.pending);
            assert_eq!(shown.complaint.approvals[0].state, expected);
        }
    }
    let outcomes = settle_and_check(&sim, &[&amy, &sue, &sam]);
    let lost: usize = outcomes.rejections().values().sum();
    assert_eq!(lost, 8, "one rejected attempt per race");
    assert_eq!(wins.values().sum::<i32>(), 8);
}

// ---- the checks themselves -----------------------------------------------------

/// A converged simulation with one complaint and a note on it, for the
/// tests below, which break one invariant each behind the system's back.
fn converged() -> (Sim, Desktop) {
    let sim = Sim::new();
    let amy = sim.desktop("amy-desk", "amy", Timestamp::now());
    let id = amy.app.record_complaint(complaint_input(1)).unwrap();
    amy.progress(id, "called back");
    settle_and_check(&sim, &[&amy]);
    (sim, amy)
}

#[test]
#[should_panic(expected = "change_log rows")]
fn the_checks_notice_a_change_applied_twice() {
    let (sim, amy) = converged();
    let db = rusqlite::Connection::open(sim.server.db()).unwrap();
    db.execute(
        "INSERT INTO change_log (entity, entity_id, op, version, data, mutation_id,
                                 device_id, client_seq, actor_user_id, applied_at)
         SELECT entity, entity_id, op, version + 1, data, mutation_id,
                device_id, client_seq, actor_user_id, applied_at
         FROM change_log ORDER BY seq DESC LIMIT 1",
        [],
    )
    .unwrap();
    settle_and_check(&sim, &[&amy]);
}

#[test]
#[should_panic(expected = "amy-desk's mirror")]
fn the_checks_notice_a_mirror_that_differs_from_the_server() {
    let (sim, amy) = converged();
    let store = amy.engine.store();
    let mut c = store.read(|r| r.mirror_complaints()).unwrap().remove(0);
    c.demand = "something else".into();
    let cursor = amy.cursor();
    store
        .write(|tx| tx.put_mirror(&c, &redress_domain::Rules::default(), 2, cursor))
        .unwrap();
    settle_and_check(&sim, &[&amy]);
}

/// After a lost push answer, a pull (a poke, the poll) comes before the next
/// push. The pull says the server settled the intent (`device_last_seq`),
/// so the engine fetches its answer (`GET /sync/results`) and does not
/// replay it on a mirror that already has it: the reassignment shows once
/// and nothing is left pending.
#[test]
fn a_pull_after_a_lost_answer_does_not_show_a_settled_intent_twice() {
    let sim = Sim::new();
    let amy = sim.desktop("amy-desk", "amy", Timestamp::now());
    let id = amy.app.record_complaint(complaint_input(1)).unwrap();
    amy.run(id, &judge_valid());
    amy.run(
        id,
        &Command::Assign {
            department: DeptId::new("billing"),
            owner: None,
        },
    );
    amy.sync();
    amy.run(
        id,
        &Command::Assign {
            department: DeptId::new("claims"),
            owner: None,
        },
    );
    amy.net().lose_push_answers(1);
    expect_transient(amy.engine.push(amy.now()));
    amy.engine.pull(amy.now()).unwrap();
    let server = on_server(&sim, id);
    let shown = amy.app.complaint(id).unwrap();
    assert_eq!(
        shown.complaint.timeline.len(),
        server.timeline.len(),
        "the screen shows the server's timeline, the reassignment once"
    );
    assert!(!shown.pending, "the server has applied it");
    let pending = amy.engine.store().read(|r| r.outbox_pending()).unwrap();
    assert!(
        pending.is_empty(),
        "the lost answer was fetched: {pending:?}"
    );
}
