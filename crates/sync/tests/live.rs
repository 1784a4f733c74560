//! The background sync (`LiveSync`) of real consoles (`redress-app` on
//! SQLite files) against a real server over HTTP on 127.0.0.1: changes
//! travel by poke without an explicit sync, a stopped server is retried and
//! the pending change pushed once it is back, a revoked session stops
//! syncing and keeps the outbox, a server restored from a backup gets back
//! what it lost, and `stop` returns promptly. Every wait is on a condition with a deadline.
#![allow(clippy::unwrap_used)]

mod support;

use jiff::Timestamp;
use redress_app::{App, SystemClock};
use redress_domain::Rules;
use redress_domain::ids::ComplaintId;
use redress_domain::model::Role;
use redress_local::LocalStore;
use redress_local::keys;
use redress_protocol::DeviceId;
use redress_protocol::ErrorCode;
use redress_server::ServerStore;
use redress_server::testing::{PASSWORD, TestServer};
use redress_sync::backoff::Backoff;
use redress_sync::{
    HttpTransport, LiveConfig, LiveEvent, LiveStatus, LiveSync, Transport, login, logout,
};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{new_complaint, open_console, set_user};

/// Long enough that no test passes thanks to the periodic sync.
const NO_POLL: Duration = Duration::from_secs(3600);
const DEADLINE: Duration = Duration::from_secs(30);

/// A real server on a SQLite file with the users `amy` (agent) and `sam`
/// (supervisor), served on a free port; it can be stopped and started again
/// on the same file and port.
fn start_server(dir: &Path) -> TestServer {
    TestServer::start_at(
        &dir.join("server.sqlite3"),
        &[("amy", Role::Agent, None), ("sam", Role::Supervisor, None)],
    )
}

/// A signed-in console with its background sync.
struct Desktop {
    app: App,
    store: LocalStore,
    device: DeviceId,
    token: String,
    live: Option<LiveSync>,
    events: Arc<Mutex<Vec<LiveEvent>>>,
}

impl Desktop {
    fn open(dir: &Path, server: &TestServer, user: &str, role: Role) -> Desktop {
        let (app, store, device) = open_console(dir, Arc::new(SystemClock));
        set_user(&app, user, role);
        let session = login(&server.url(), user, PASSWORD, device, "desk").unwrap();
        let mut desktop = Desktop {
            app,
            store,
            device,
            token: session.token,
            live: None,
            events: Arc::new(Mutex::new(Vec::new())),
        };
        desktop.start_live(&server.url(), dir);
        desktop
    }

    fn start_live(&mut self, url: &str, dir: &Path) {
        let config = LiveConfig {
            poll_interval: NO_POLL,
            ..LiveConfig::new(url, &self.token, self.device)
        };
        let events = Arc::clone(&self.events);
        self.live = Some(LiveSync::start(
            LocalStore::open_dir(dir).unwrap(),
            redress_sync::shared_rules(Rules::default()),
            config,
            Arc::new(Timestamp::now),
            move |e| events.lock().unwrap().push(e),
        ));
    }

    fn live(&self) -> &LiveSync {
        self.live.as_ref().unwrap()
    }

    /// Records a complaint as the console would, and tells the sync.
    fn record(&self) -> ComplaintId {
        let id = self.app.record_complaint(new_complaint()).unwrap();
        self.live().nudge();
        id
    }

    fn pending(&self) -> usize {
        self.store.read(|r| r.outbox_pending()).unwrap().len()
    }

    fn mirrors(&self, id: ComplaintId) -> bool {
        self.store
            .read(|r| r.mirror_complaint(id))
            .unwrap()
            .is_some()
    }

    fn statuses(&self) -> Vec<LiveStatus> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                LiveEvent::Status(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    fn wait_status(&self, what: &str, f: impl Fn(&LiveStatus) -> bool) -> LiveStatus {
        wait_for(what, || {
            let s = self.live().status();
            f(&s).then_some(s)
        })
    }
}

/// Polls `f` until it gives a value; panics after [`DEADLINE`].
fn wait_for<T>(what: &str, f: impl Fn() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn is_online(s: &LiveStatus) -> bool {
    *s == LiveStatus::Online
}

#[test]
fn a_change_on_one_desktop_reaches_another_by_poke_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let server = start_server(tmp.path());
    let a = Desktop::open(&tmp.path().join("a"), &server, "amy", Role::Agent);
    let b = Desktop::open(&tmp.path().join("b"), &server, "sam", Role::Supervisor);
    a.wait_status("A online", is_online);
    b.wait_status("B online", is_online);
    // The first contact stored the server's epoch.
    let epoch = a
        .store
        .read(|r| r.get_setting::<String>(&keys::SERVER_EPOCH))
        .unwrap();
    assert_eq!(
        epoch,
        Some(server.open_store().epoch().unwrap().to_string())
    );

    let id = a.record();
    assert!(!b.mirrors(id));
    wait_for("the change in B's mirror", || b.mirrors(id).then_some(()));
    wait_for("A's outbox empty", || (a.pending() == 0).then_some(()));
    assert!(a.mirrors(id), "A pulled its own change");
    assert!(server.open_store().complaint(id).unwrap().is_some());

    // B learnt of it by the poke: a sync that pulled exactly that complaint.
    let pulled = b.events.lock().unwrap().iter().any(|e| {
        matches!(e, LiveEvent::Synced { pulled, changed, .. } if *pulled > 0 && changed.contains(&id))
    });
    assert!(pulled, "{:?}", b.events.lock().unwrap());
    let pushed = a.events.lock().unwrap().iter().any(|e| {
        matches!(
            e,
            LiveEvent::Synced {
                pushed: 1,
                rejected: 0,
                ..
            }
        )
    });
    assert!(pushed, "{:?}", a.events.lock().unwrap());
    // The stored result of A's intent, for when a push answer is lost.
    let t = HttpTransport::new(&server.url(), &a.token, a.device);
    let stored = t.results(1, 10).unwrap();
    assert_eq!(stored.device_last_seq, 1);
    assert_eq!(stored.results.len(), 1);
    assert!(stored.results[0].is_applied());
    assert_eq!(t.last_epoch(), Some(server.open_store().epoch().unwrap()));

    // Statuses are reported on change only.
    for d in [&a, &b] {
        let s = d.statuses();
        assert!(s.windows(2).all(|w| w[0] != w[1]), "{s:?}");
    }
}

#[test]
fn a_stopped_server_is_retried_and_the_pending_change_pushed_when_it_is_back() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = start_server(tmp.path());
    let a = Desktop::open(&tmp.path().join("a"), &server, "amy", Role::Agent);
    a.wait_status("online", is_online);

    server.stop();
    let id = a.record();
    let offline = a.wait_status("offline", |s| matches!(s, LiveStatus::Offline { .. }));
    let LiveStatus::Offline { retry_in, reason } = offline else {
        unreachable!()
    };
    assert!(retry_in <= Duration::from_secs(60), "{retry_in:?}");
    assert!(!reason.is_empty());
    assert_eq!(a.pending(), 1, "kept for the retry");

    // Offline retries keep going; a nudge while offline tries at once and
    // stays offline.
    a.live().nudge();
    wait_for("a second offline report", || {
        let offline = a
            .statuses()
            .iter()
            .filter(|s| matches!(s, LiveStatus::Offline { .. }))
            .count();
        (offline >= 2).then_some(())
    });
    assert_eq!(a.pending(), 1);

    server.restart();
    a.wait_status("online again", is_online);
    wait_for("the change pushed", || (a.pending() == 0).then_some(()));
    assert!(server.open_store().complaint(id).unwrap().is_some());
    wait_for("the change confirmed", || a.mirrors(id).then_some(()));
    let s = a.statuses();
    let first_offline = s
        .iter()
        .position(|s| matches!(s, LiveStatus::Offline { .. }))
        .unwrap();
    assert!(s[first_offline..].contains(&LiveStatus::Online), "{s:?}");
}

#[test]
fn a_revoked_session_stops_syncing_and_keeps_the_outbox() {
    let tmp = tempfile::tempdir().unwrap();
    let server = start_server(tmp.path());
    let a = Desktop::open(&tmp.path().join("a"), &server, "amy", Role::Agent);
    a.wait_status("online", is_online);

    logout(&server.url(), &a.token, a.device).unwrap();
    let id = a.record();
    let refused = a.wait_status("refused", |s| matches!(s, LiveStatus::Refused { .. }));
    assert!(
        matches!(&refused, LiveStatus::Refused { code, .. } if *code == ErrorCode::Unauthorized),
        "{refused:?}"
    );
    assert_eq!(a.pending(), 1, "the outbox keeps the intent");
    assert!(server.open_store().complaint(id).unwrap().is_none());

    // Syncing has stopped: another change stays local too.
    let id2 = a.record();
    assert_eq!(a.pending(), 2);
    assert!(server.open_store().complaint(id2).unwrap().is_none());
    assert_eq!(a.live().status(), refused);

    let asked = Instant::now();
    let mut a = a;
    a.live.take().unwrap().stop();
    assert!(asked.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_server_restored_from_a_backup_is_sent_again_what_it_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = start_server(tmp.path());
    let a = Desktop::open(&tmp.path().join("a"), &server, "amy", Role::Agent);
    a.wait_status("online", is_online);
    let before = a.record();
    wait_for("the first change pushed", || {
        (a.pending() == 0).then_some(())
    });
    let file = tmp.path().join("backup.sqlite3");
    redress_server::backup::backup(server.path(), &file).unwrap();

    // Acknowledged after the backup, then one more made while the server
    // is down for the restore.
    let lost = a.record();
    wait_for("the second change pushed", || {
        (a.pending() == 0).then_some(())
    });
    server.stop();
    let offline = a.record();
    a.wait_status("offline", |s| matches!(s, LiveStatus::Offline { .. }));
    let epoch = redress_server::backup::restore(&file, server.path()).unwrap();
    server.restart();

    // The desktop starts over on its own: the acknowledged change the
    // backup lacks goes back to the outbox, and both reach the server.
    let started = wait_for("the start-over", || {
        a.events.lock().unwrap().iter().find_map(|e| match e {
            LiveEvent::StartedOver {
                epoch: e, requeued, ..
            } => Some((*e, *requeued)),
            _ => None,
        })
    });
    assert_eq!(started, (epoch, 1));
    wait_for("both changes on the restored server", || {
        let store = server.open_store();
        (store.complaint(lost).unwrap().is_some() && store.complaint(offline).unwrap().is_some())
            .then_some(())
    });
    a.wait_status("online", is_online);
    wait_for("nothing pending", || (a.pending() == 0).then_some(()));
    for id in [before, lost, offline] {
        wait_for("the mirror rebuilt", || a.mirrors(id).then_some(()));
    }
    assert_eq!(
        a.store
            .read(|r| r.get_setting::<String>(&keys::SERVER_EPOCH))
            .unwrap(),
        Some(epoch.to_string()),
        "the new epoch is stored"
    );
    assert!(
        !a.statuses()
            .iter()
            .any(|s| matches!(s, LiveStatus::Refused { .. })),
        "{:?}",
        a.statuses()
    );
}

#[test]
fn stop_returns_promptly_while_streaming_offline_or_waiting_for_an_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = start_server(tmp.path());

    // Online, the event stream open and silent.
    let mut a = Desktop::open(&tmp.path().join("a"), &server, "amy", Role::Agent);
    a.wait_status("online", is_online);
    let asked = Instant::now();
    a.live.take().unwrap().stop();
    assert!(
        asked.elapsed() < Duration::from_millis(1500),
        "{:?}",
        asked.elapsed()
    );

    // Offline, between two tries.
    a.start_live(&server.url(), &tmp.path().join("a"));
    a.wait_status("online", is_online);
    server.stop();
    a.live().nudge();
    a.wait_status("offline", |s| matches!(s, LiveStatus::Offline { .. }));
    let asked = Instant::now();
    a.live.take().unwrap().stop();
    assert!(
        asked.elapsed() < Duration::from_millis(1500),
        "{:?}",
        asked.elapsed()
    );

    // A server that accepts connections and never answers: the first
    // request hangs until stop interrupts it.
    let mute = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mute_url = format!("http://{}", mute.local_addr().unwrap());
    let (accepted, connections) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut open = Vec::new();
        for conn in mute.incoming() {
            open.push(conn.unwrap());
            if accepted.send(()).is_err() {
                return;
            }
        }
    });
    a.start_live(&mute_url, &tmp.path().join("a"));
    // The sync thread's first request and the event stream both hang.
    for _ in 0..2 {
        connections.recv_timeout(DEADLINE).unwrap();
    }
    assert_eq!(a.live().status(), LiveStatus::Syncing);
    let asked = Instant::now();
    a.live.take().unwrap().stop();
    assert!(
        asked.elapsed() < Duration::from_millis(1500),
        "{:?}",
        asked.elapsed()
    );
}

#[test]
fn backoff_grows_with_full_jitter_and_resets() {
    let base = Duration::from_millis(500);
    let cap = Duration::from_secs(60);
    let mut b = Backoff::with_seed(base, cap, 2026);
    let delays: Vec<Duration> = (0..12).map(|_| b.next_delay()).collect();
    let mut again = Backoff::with_seed(base, cap, 2026);
    assert_eq!(
        delays,
        (0..12).map(|_| again.next_delay()).collect::<Vec<_>>()
    );
    for (n, d) in delays.iter().enumerate() {
        let ceiling = base.saturating_mul(1 << n).min(cap);
        assert!(*d <= ceiling, "delay {n}: {d:?} above {ceiling:?}");
    }
    assert!(delays[8..].iter().any(|d| *d > base * 4), "{delays:?}");
    b.reset();
    assert!(b.next_delay() <= base);
}

#[test]
fn the_console_can_share_a_live_sync_between_threads() {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<LiveSync>();
    shared::<LiveStatus>();
    shared::<LiveEvent>();
}
