//! Desktops (the real application services on real SQLite files) syncing
//! with a real server store through an in-process transport that can lose
//! answers.
#![allow(clippy::unwrap_used)]

mod support;

use jiff::Timestamp;
use redress_app::{App, Clock};
use redress_domain::Rules;
use redress_domain::complaint::{Command, ComplaintState};
use redress_domain::ids::{ApprovalId, UpdateId, UserId};
use redress_domain::model::{Actor, Role};
use redress_local::{DashboardQuery, OutboxState};
use redress_protocol::{DeviceId, PullResponse, PushRequest, PushResponse, state_digest};
use redress_server::{ServerStore, SqliteStore};
use redress_sync::{SyncEngine, SyncError, Transport, TransportError};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use support::{new_complaint, open_console, set_user, up_to_approval};
use uuid::Uuid;

const T0: &str = "2026-11-23T01:00:00Z";

#[derive(Debug)]
struct TestClock(Mutex<Timestamp>);

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

/// The server in this process, as one device's signed-in user sees it;
/// `lose_next_answer` makes the next push reach the server but its answer
/// vanish (a timeout after the commit).
#[derive(Debug)]
struct InProcess {
    server: Arc<SqliteStore>,
    device: DeviceId,
    actor: Actor,
    now: Timestamp,
    lose_next_answer: AtomicBool,
}

impl Transport for InProcess {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let r = self
            .server
            .push(self.device, &self.actor, request, self.now)
            .map_err(|e| TransportError::Unreachable(e.to_string()))?;
        if self.lose_next_answer.swap(false, Ordering::SeqCst) {
            return Err(TransportError::Unreachable("answer lost".into()));
        }
        Ok(r)
    }

    fn pull(&self, after: i64, limit: u32) -> Result<PullResponse, TransportError> {
        self.server
            .pull(self.device, after, limit, self.now)
            .map_err(|e| TransportError::Unreachable(e.to_string()))
    }
}

struct Desktop {
    app: App,
    sync: SyncEngine<InProcess>,
}

fn desktop(dir: &Path, server: &Arc<SqliteStore>, user: &str, role: Role) -> Desktop {
    let now: Timestamp = T0.parse().unwrap();
    let (app, store, device) = open_console(dir, Arc::new(TestClock(Mutex::new(now))));
    set_user(&app, user, role);
    server
        .register_device(device, &UserId::new(user), user, now)
        .unwrap();
    let transport = InProcess {
        server: Arc::clone(server),
        device,
        actor: Actor {
            user: UserId::new(user),
            role,
            approval_limit_minor: None,
        },
        now,
        lose_next_answer: AtomicBool::new(false),
    };
    Desktop {
        app,
        sync: SyncEngine::new(store, Rules::default(), transport),
    }
}

impl Desktop {
    fn sync(&self) {
        self.sync.sync(T0.parse().unwrap()).unwrap();
    }

    fn digest(&self) -> String {
        let mirror = self.sync.store().read(|r| r.mirror_complaints()).unwrap();
        state_digest(&mirror).unwrap()
    }

    fn state(&self, id: redress_domain::ids::ComplaintId) -> ComplaintState {
        self.app.complaint(id).unwrap().complaint.state
    }
}

fn server(dir: &Path) -> Arc<SqliteStore> {
    Arc::new(SqliteStore::open(dir.join("server.sqlite3"), Rules::default()).unwrap())
}

/// Record, judge, assign, root cause and a 300.00 refund an agent may not
/// grant: it waits for a supervisor.
fn work_up_to_approval(a: &Desktop) -> redress_domain::ids::ComplaintId {
    let id = a.app.record_complaint(new_complaint()).unwrap();
    for c in up_to_approval() {
        a.app.execute(id, &c).unwrap();
    }
    id
}

#[test]
fn offline_work_reaches_the_server_and_every_replica_agrees() {
    let tmp = tempfile::tempdir().unwrap();
    let server = server(tmp.path());
    let a = desktop(&tmp.path().join("a"), &server, "agent.li", Role::Agent);
    let b = desktop(
        &tmp.path().join("b"),
        &server,
        "sup.zhang",
        Role::Supervisor,
    );

    // Offline: the complaint is on A's screen, marked pending.
    let id = a.app.record_complaint(new_complaint()).unwrap();
    a.app
        .execute(
            id,
            &Command::AddProgress {
                update_id: UpdateId(Uuid::now_v7()),
                text: "已致电客户".into(),
                customer_informed: true,
            },
        )
        .unwrap();
    let row = a.app.dashboard_rows(DashboardQuery::default()).unwrap();
    assert_eq!(row.len(), 1);
    assert!(row[0].pending, "not confirmed by the server yet");
    assert_eq!(server.digest().unwrap(), state_digest(&[]).unwrap());

    let (pushed, pulled) = a.sync.sync(T0.parse().unwrap()).unwrap();
    assert_eq!((pushed.applied, pushed.rejected), (2, 0));
    assert!(pulled.complaints.contains(&id));
    let view = a.app.complaint(id).unwrap();
    assert!(!view.pending, "confirmed once the mirror has it");
    assert_eq!(
        view.complaint.number, "TS-2026-000001",
        "the server numbers"
    );
    assert_eq!(view.complaint.progress.len(), 1);
    let outbox = a.sync.store().read(|r| r.outbox_pending()).unwrap();
    assert!(outbox.is_empty());

    b.sync();
    assert_eq!(b.state(id), ComplaintState::Recorded);
    assert_eq!(a.digest(), server.digest().unwrap());
    assert_eq!(b.digest(), server.digest().unwrap());
}

#[test]
fn a_lost_answer_is_retried_and_the_intent_applied_once() {
    let tmp = tempfile::tempdir().unwrap();
    let server = server(tmp.path());
    let a = desktop(&tmp.path().join("a"), &server, "agent.li", Role::Agent);
    let id = a.app.record_complaint(new_complaint()).unwrap();

    a.sync
        .transport()
        .lose_next_answer
        .store(true, Ordering::SeqCst);
    let err = a.sync.push(T0.parse().unwrap()).unwrap_err();
    assert!(matches!(err, SyncError::Transport(_)) && err.is_transient());
    let pending = a.sync.store().read(|r| r.outbox_pending()).unwrap();
    assert_eq!(pending.len(), 1, "kept for the retry");
    assert!(
        server.complaint(id).unwrap().is_some(),
        "yet the server has it"
    );

    let (pushed, _) = a.sync.sync(T0.parse().unwrap()).unwrap();
    assert_eq!(
        (pushed.applied, pushed.replayed),
        (1, 1),
        "answered from the log"
    );
    let row = a.sync.store().read(|r| r.outbox_row(1)).unwrap().unwrap();
    assert_eq!(row.state, OutboxState::Applied);
    let changes = server.pull(a.sync.device_id().unwrap(), 0, 100, T0.parse().unwrap());
    assert_eq!(
        changes.unwrap().changes.len(),
        1,
        "applied once, one change"
    );
    assert_eq!(a.digest(), server.digest().unwrap());
}

#[test]
fn two_supervisors_decide_one_approval_the_first_wins_and_the_other_sees_it() {
    let tmp = tempfile::tempdir().unwrap();
    let server = server(tmp.path());
    let a = desktop(&tmp.path().join("a"), &server, "agent.li", Role::Agent);
    let b = desktop(
        &tmp.path().join("b"),
        &server,
        "sup.zhang",
        Role::Supervisor,
    );
    let c = desktop(&tmp.path().join("c"), &server, "sup.wang", Role::Supervisor);
    let id = work_up_to_approval(&a);
    a.sync();
    assert_eq!(a.state(id), ComplaintState::AwaitingApproval);
    b.sync();
    c.sync();

    let approval = |d: &Desktop| -> (ApprovalId, u32) {
        let items = d.app.approvals().unwrap();
        assert_eq!(items.len(), 1);
        (items[0].approval.id, items[0].approval.remedy_revision)
    };
    let decide = |d: &Desktop, approve: bool| {
        let (approval_id, remedy_revision) = approval(d);
        d.app
            .execute(
                id,
                &Command::DecideApproval {
                    approval_id,
                    remedy_revision,
                    approve,
                    reason: if approve { "ok" } else { "too much" }.into(),
                },
            )
            .unwrap();
    };
    // Both decide while offline; each sees their own decision.
    decide(&b, true);
    decide(&c, false);
    assert_eq!(b.state(id), ComplaintState::RemedyAgreed);
    assert_eq!(c.state(id), ComplaintState::Analysed);

    b.sync();
    let (pushed, _) = c.sync.sync(T0.parse().unwrap()).unwrap();
    assert_eq!((pushed.applied, pushed.rejected), (0, 1));
    let row = c.sync.store().read(|r| r.outbox_row(1)).unwrap().unwrap();
    assert_eq!(row.state, OutboxState::Rejected);
    assert_eq!(
        row.result.unwrap()["code"],
        serde_json::json!("approval_already_decided")
    );
    // C's screen now shows the winning decision, no longer its own.
    let view = c.app.complaint(id).unwrap();
    assert!(!view.pending);
    assert_eq!(view.complaint.state, ComplaintState::RemedyAgreed);

    a.sync();
    for d in [&a, &b, &c] {
        assert_eq!(d.digest(), server.digest().unwrap());
    }
}

#[test]
fn pending_work_is_replayed_on_top_of_what_others_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let server = server(tmp.path());
    let a = desktop(&tmp.path().join("a"), &server, "agent.li", Role::Agent);
    let b = desktop(
        &tmp.path().join("b"),
        &server,
        "sup.zhang",
        Role::Supervisor,
    );
    let id = a.app.record_complaint(new_complaint()).unwrap();
    a.sync();
    b.sync();

    // B judges it valid and syncs; A, still behind, adds a progress update.
    b.app
        .execute(
            id,
            &Command::Judge {
                valid: true,
                reason: None,
                note: String::new(),
            },
        )
        .unwrap();
    b.sync();
    a.app
        .execute(
            id,
            &Command::AddProgress {
                update_id: UpdateId(Uuid::now_v7()),
                text: "客户已知悉".into(),
                customer_informed: true,
            },
        )
        .unwrap();
    // A pulls without pushing: the server's judgement and A's pending update
    // show together.
    a.sync.pull(T0.parse().unwrap()).unwrap();
    let view = a.app.complaint(id).unwrap();
    assert!(view.pending, "the update is still on its way");
    assert_eq!(
        view.complaint.state,
        ComplaintState::Validated,
        "B's judgement"
    );
    assert_eq!(view.complaint.progress.len(), 1, "A's own update");

    a.sync();
    b.sync();
    let view = b.app.complaint(id).unwrap();
    assert_eq!(view.complaint.progress.len(), 1);
    assert_eq!(a.digest(), b.digest());
}
