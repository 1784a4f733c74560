//! The simulation rig: a real `redress-server` over HTTP on 127.0.0.1 (port
//! 0) on a SQLite file, desktops (the real console services and the real
//! sync engine on their own SQLite files, each with a fake clock) talking to
//! it through [`Flaky`], an `HttpTransport` that can be taken offline, lose
//! answers or kill the server half-way through a batch, and
//! [`settle_and_check`], the invariants every scenario ends with.
#![allow(clippy::unwrap_used)]
#![allow(dead_code, reason = "each test file uses a part")]

use jiff::{SignedDuration, Timestamp};
use redress_app::{App, Clock, Quiet};
use redress_domain::Rules;
use redress_domain::complaint::ComplaintDraft;
use redress_domain::complaint::{Command, Complaint, ComplaintState};
use redress_domain::ids::UserId;
use redress_domain::ids::{ApprovalId, CategoryCode, ComplaintId, DeptId, RemedyId, UpdateId};
use redress_domain::model::{
    Channel, ComplaintKind, Currency, Customer, DemandClass, Money, RemedyKind, Role, RootCause,
    Severity, Subject, SubjectKind,
};
use redress_local::{LocalStore, OutboxRow, OutboxState};
use redress_protocol::{
    DeviceId, PullResponse, PushRequest, PushResponse, ResultsResponse, state_digest,
};
use redress_server::testing::TestServer;
use redress_server::{ServerStore, SqliteStore};
use redress_sync::{
    EpochCheck, HttpTransport, PullReport, PushReport, SyncEngine, SyncError, Transport,
    TransportError,
};
use redress_testkit::FakeClock;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use uuid::Uuid;

pub use redress_server::testing::PASSWORD;

/// The people of every simulation: two agents and two supervisors.
pub const USERS: &[(&str, Role, Option<i64>)] = &[
    ("amy", Role::Agent, None),
    ("ann", Role::Agent, None),
    ("sue", Role::Supervisor, None),
    ("sam", Role::Supervisor, None),
];

// ---- the server --------------------------------------------------------------

/// The shared server: a SQLite file served over HTTP, which a test can stop
/// and start again on the same file (from any thread).
pub struct Server {
    db: PathBuf,
    server: Mutex<TestServer>,
}

impl Server {
    /// A fresh database at `db` with [`USERS`], served on a free port.
    pub fn start(db: &Path) -> Arc<Server> {
        Arc::new(Server {
            db: db.to_owned(),
            server: Mutex::new(TestServer::start_at(db, USERS)),
        })
    }

    pub fn url(&self) -> String {
        self.server.lock().unwrap().url()
    }

    pub fn db(&self) -> &Path {
        &self.db
    }

    /// The running server's store (the same object the HTTP API uses).
    pub fn store(&self) -> Arc<SqliteStore> {
        Arc::clone(self.server.lock().unwrap().store())
    }

    pub fn is_running(&self) -> bool {
        self.server.lock().unwrap().is_running()
    }

    /// Stops the server: the listener closes, the runtime ends, the store is
    /// dropped. Like a crash between two transactions: whatever committed
    /// is in the file, nothing else.
    pub fn kill(&self) {
        self.server.lock().unwrap().stop();
    }

    /// Opens the same database file again and serves it on the same port
    /// (or, if that port was taken meanwhile, on a new one: clients are
    /// re-pointed with [`Flaky::repoint`]).
    pub fn restart(&self) {
        let mut server = self.server.lock().unwrap();
        assert!(!server.is_running(), "kill the server first");
        server.restart();
    }
}

// ---- the network -------------------------------------------------------------

/// A half-done push: forward only the first `after` mutations of the next
/// request, then kill `server` (and lose the answer).
struct Crash {
    after: usize,
    server: Arc<Server>,
}

/// `HttpTransport` with faults on demand.
pub struct Flaky {
    inner: RwLock<HttpTransport>,
    token: String,
    device: DeviceId,
    /// No network: nothing leaves the desktop.
    pub offline: AtomicBool,
    lose_push_answers: AtomicUsize,
    lose_pull_answers: AtomicUsize,
    crash: Mutex<Option<Crash>>,
    /// The number of mutations of each push request that reached the server.
    pub sent_batches: Mutex<Vec<usize>>,
}

impl Flaky {
    fn new(url: &str, token: &str, device: DeviceId) -> Flaky {
        Flaky {
            inner: RwLock::new(http_transport(url, token, device)),
            token: token.to_owned(),
            device,
            offline: AtomicBool::new(false),
            lose_push_answers: AtomicUsize::new(0),
            lose_pull_answers: AtomicUsize::new(0),
            crash: Mutex::new(None),
            sent_batches: Mutex::new(Vec::new()),
        }
    }

    pub fn set_offline(&self, offline: bool) {
        self.offline.store(offline, Ordering::SeqCst);
    }

    /// The next `n` pushes reach the server, which settles them, but their
    /// answers never arrive.
    pub fn lose_push_answers(&self, n: usize) {
        self.lose_push_answers.store(n, Ordering::SeqCst);
    }

    /// The next `n` pulls are answered, but the answers never arrive.
    pub fn lose_pull_answers(&self, n: usize) {
        self.lose_pull_answers.store(n, Ordering::SeqCst);
    }

    /// The next push delivers only its first `after` mutations, then the
    /// server dies before it can answer.
    pub fn crash_server_after(&self, after: usize, server: &Arc<Server>) {
        *self.crash.lock().unwrap() = Some(Crash {
            after,
            server: Arc::clone(server),
        });
    }

    /// Talks to `url` from now on, with a fresh connection pool.
    pub fn repoint(&self, url: &str) {
        *self.inner.write().unwrap() = http_transport(url, &self.token, self.device);
    }

    /// The server's epoch, as `GET /meta` answers it.
    pub fn epoch(&self) -> Uuid {
        self.inner.read().unwrap().meta().unwrap().server_epoch
    }

    pub fn batches(&self) -> Vec<usize> {
        self.sent_batches.lock().unwrap().clone()
    }

    fn lose(counter: &AtomicUsize) -> bool {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

fn http_transport(url: &str, token: &str, device: DeviceId) -> HttpTransport {
    HttpTransport::new(url, token, device).with_timeout(Duration::from_secs(20))
}

fn unreachable(why: &str) -> TransportError {
    TransportError::Unreachable(why.to_owned())
}

impl Transport for Flaky {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        if self.offline.load(Ordering::SeqCst) {
            return Err(unreachable("offline"));
        }
        if let Some(crash) = self.crash.lock().unwrap().take() {
            let mut partial = request.clone();
            partial.mutations.truncate(crash.after);
            let answer = self.inner.read().unwrap().push(&partial);
            assert!(answer.is_ok(), "the partial push failed: {answer:?}");
            self.sent_batches
                .lock()
                .unwrap()
                .push(partial.mutations.len());
            crash.server.kill();
            return Err(unreachable("the server died mid-batch"));
        }
        let answer = self.inner.read().unwrap().push(request);
        if answer.is_ok() {
            self.sent_batches
                .lock()
                .unwrap()
                .push(request.mutations.len());
        }
        if answer.is_ok() && Flaky::lose(&self.lose_push_answers) {
            return Err(unreachable("the answer was lost"));
        }
        answer
    }

    fn pull(&self, after: i64, limit: u32) -> Result<PullResponse, TransportError> {
        if self.offline.load(Ordering::SeqCst) {
            return Err(unreachable("offline"));
        }
        let answer = self.inner.read().unwrap().pull(after, limit);
        if answer.is_ok() && Flaky::lose(&self.lose_pull_answers) {
            return Err(unreachable("the answer was lost"));
        }
        answer
    }

    fn results(&self, from: u64, limit: u32) -> Result<ResultsResponse, TransportError> {
        if self.offline.load(Ordering::SeqCst) {
            return Err(unreachable("offline"));
        }
        self.inner.read().unwrap().results(from, limit)
    }
}

// ---- desktops ----------------------------------------------------------------

/// The console's clock: a fake one the test moves.
struct DeskClock(FakeClock);

impl Clock for DeskClock {
    fn now(&self) -> Timestamp {
        self.0.now()
    }
}

/// A console (the application services with the server's sync) on `dir`
/// with `clock`, its local store and its device.
pub fn open_console(dir: &Path, clock: Arc<dyn Clock>) -> (App, LocalStore, DeviceId) {
    let app = App::open(
        dir,
        Arc::new(Rules::default()),
        clock,
        Arc::new(Quiet),
        Arc::new(Quiet),
    )
    .unwrap()
    .with_server_sync();
    let store = LocalStore::open_dir(dir).unwrap();
    let device = DeviceId(store.read(|r| r.sync_state()).unwrap().device_id);
    (app, store, device)
}

/// Sets the console's user and role.
pub fn set_user(app: &App, user: &str, role: Role) {
    let mut settings = app.settings().unwrap();
    settings.user = UserId::new(user);
    settings.role = role;
    app.set_settings(&settings).unwrap();
}

/// One console: the application services on its own data directory, the
/// sync engine over [`Flaky`] HTTP, and its fake clock.
pub struct Desktop {
    pub name: String,
    pub user: UserId,
    pub app: App,
    pub engine: SyncEngine<Flaky>,
    pub clock: FakeClock,
}

impl Desktop {
    /// Signs `user` in on a new data directory under `dir`, with the
    /// desktop's clock at `clock`.
    pub fn sign_in(dir: &Path, server: &Server, name: &str, user: &str, clock: FakeClock) -> Self {
        let data = dir.join(name);
        let (app, store, device) = open_console(&data, Arc::new(DeskClock(clock.clone())));
        let url = server.url();
        let session = redress_sync::login(&url, user, PASSWORD, device, name).unwrap();
        let mut settings = app.settings().unwrap();
        settings.user = session.user.clone();
        settings.role = session.role;
        settings.approval_limit_minor = session.approval_limit_minor;
        app.set_settings(&settings).unwrap();
        let transport = Flaky::new(&url, &session.token, device);
        Desktop {
            name: name.to_owned(),
            user: session.user,
            app,
            engine: SyncEngine::new(store, Rules::default(), transport),
            clock,
        }
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn net(&self) -> &Flaky {
        self.engine.transport()
    }

    pub fn device(&self) -> DeviceId {
        self.engine.device_id().unwrap()
    }

    /// What the console's background sync does at every (re)connection:
    /// asks the server's epoch and applies the engine's rule to it.
    pub fn check_epoch(&self) -> EpochCheck {
        self.engine
            .check_epoch(self.net().epoch())
            .unwrap_or_else(|e| panic!("{} could not check the epoch: {e}", self.name))
    }

    pub fn try_sync(&self) -> Result<(PushReport, PullReport), SyncError> {
        self.engine.sync(self.now())
    }

    pub fn sync(&self) -> (PushReport, PullReport) {
        self.try_sync()
            .unwrap_or_else(|e| panic!("{} could not sync: {e}", self.name))
    }

    /// The fingerprint `redressctl state digest` prints: the mirror only.
    pub fn digest(&self) -> String {
        let mirror = self.engine.store().read(|r| r.mirror_complaints()).unwrap();
        state_digest(&mirror).unwrap()
    }

    /// Every outbox row, oldest first (client seqs are gap-free from 1).
    pub fn outbox(&self) -> Vec<OutboxRow> {
        let mut rows = Vec::new();
        for seq in 1.. {
            match self.engine.store().read(|r| r.outbox_row(seq)).unwrap() {
                Some(row) => rows.push(row),
                None => return rows,
            }
        }
        rows
    }

    pub fn pending(&self) -> usize {
        self.engine
            .store()
            .read(|r| r.outbox_pending())
            .unwrap()
            .len()
    }

    /// The complaint as the screen shows it (overlay over mirror).
    pub fn shown(&self, id: ComplaintId) -> Complaint {
        self.app.complaint(id).unwrap().complaint
    }

    /// The complaint as the server last said it was.
    pub fn mirror(&self, id: ComplaintId) -> Complaint {
        self.engine
            .store()
            .read(|r| r.mirror_complaint(id))
            .unwrap()
            .expect("the complaint is in the mirror")
    }

    pub fn cursor(&self) -> i64 {
        self.engine
            .store()
            .read(|r| r.sync_state())
            .unwrap()
            .cursor_seq
    }

    pub fn run(&self, id: ComplaintId, command: &Command) {
        self.app
            .execute(id, command)
            .unwrap_or_else(|e| panic!("{} could not run {command:?}: {e}", self.name));
    }

    pub fn progress(&self, id: ComplaintId, text: &str) {
        self.run(
            id,
            &Command::AddProgress {
                update_id: UpdateId(Uuid::now_v7()),
                text: text.to_owned(),
                customer_informed: true,
            },
        );
    }

    /// The one open approval request of `id` as this desktop shows it.
    pub fn approval(&self, id: ComplaintId) -> (ApprovalId, u32) {
        let c = self.shown(id);
        let a = c.approvals.last().expect("an approval request");
        (a.id, a.remedy_revision)
    }

    pub fn decide(&self, id: ComplaintId, approve: bool) {
        let (approval_id, remedy_revision) = self.approval(id);
        self.run(
            id,
            &Command::DecideApproval {
                approval_id,
                remedy_revision,
                approve,
                reason: if approve { "fair" } else { "too much" }.to_owned(),
            },
        );
    }
}

/// A new complaint about a double charge.
pub fn new_complaint() -> ComplaintDraft {
    ComplaintDraft {
        customer: Customer {
            name: "王芳".into(),
            phone: "13800138000".into(),
            customer_id: None,
        },
        channel: Channel::Phone,
        subject: Subject {
            kind: SubjectKind::Order,
            reference: "ORD-7".into(),
        },
        category: CategoryCode::new("billing.fee"),
        demand: "退还重复扣费".into(),
        description: "同一个月被扣了两次".into(),
        kind: ComplaintKind::DemandDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
        received_at: None,
    }
}

/// A new complaint from customer number `n`.
pub fn complaint_input(n: u32) -> ComplaintDraft {
    ComplaintDraft {
        customer: Customer {
            name: format!("Customer {n}"),
            phone: format!("1380013{n:04}"),
            customer_id: None,
        },
        channel: Channel::Phone,
        subject: Subject {
            kind: SubjectKind::Order,
            reference: format!("ORD-{n}"),
        },
        category: CategoryCode::new("billing.fee"),
        demand: "Refund the double charge".into(),
        description: "Charged twice in one month".into(),
        kind: ComplaintKind::DemandDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
        received_at: None,
    }
}

/// The steps from a recorded complaint to a remedy awaiting a supervisor:
/// judged valid, assigned, analysed, a 300.00 refund (above an agent's
/// limit).
pub fn up_to_approval() -> Vec<Command> {
    vec![
        Command::Judge {
            valid: true,
            reason: None,
            note: String::new(),
        },
        Command::Assign {
            department: DeptId::new("billing"),
            owner: None,
        },
        Command::SetRootCause {
            categories: vec![RootCause::System],
            note: "double billing run".into(),
        },
        Command::ProposeRemedy {
            remedy_id: RemedyId(Uuid::now_v7()),
            kind: RemedyKind::Refund,
            amount: Money {
                amount_minor: 30_000,
                currency: Currency::new("CNY"),
            },
            tier: None,
            note: String::new(),
        },
    ]
}

/// Records complaint `n` on `d` and works it up to a pending approval.
pub fn record_up_to_approval(d: &Desktop, n: u32) -> ComplaintId {
    let id = d.app.record_complaint(complaint_input(n)).unwrap();
    for c in up_to_approval() {
        d.run(id, &c);
    }
    assert_eq!(d.shown(id).state, ComplaintState::AwaitingApproval);
    id
}

// ---- the simulation ----------------------------------------------------------

/// A server and the temp directory everything lives in.
pub struct Sim {
    pub server: Arc<Server>,
    dir: tempfile::TempDir,
}

impl Sim {
    pub fn new() -> Sim {
        let dir = tempfile::tempdir().unwrap();
        let server = Server::start(&dir.path().join("server.sqlite3"));
        Sim { server, dir }
    }

    /// A desktop of `user` whose clock reads `at`.
    pub fn desktop(&self, name: &str, user: &str, at: Timestamp) -> Desktop {
        Desktop::sign_in(
            self.dir.path(),
            &self.server,
            name,
            user,
            FakeClock::new(at),
        )
    }

    /// Moves every desktop's clock by `by`.
    pub fn advance(desktops: &[&Desktop], by: SignedDuration) {
        for d in desktops {
            d.clock.advance(by);
        }
    }
}

// ---- the invariants ----------------------------------------------------------

/// One row of the server's `mutation_log`.
#[derive(Debug, Clone)]
pub struct Logged {
    pub device_id: String,
    pub client_seq: i64,
    pub author: String,
    pub status: String,
    pub code: Option<String>,
    pub first_change_seq: Option<i64>,
    pub result: Value,
    pub clock_suspect: bool,
    pub occurred_at_device: Timestamp,
    pub occurred_at: Timestamp,
}

/// One row of the server's `change_log`.
#[derive(Debug, Clone)]
pub struct LoggedChange {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub mutation_id: Option<String>,
    pub data: Value,
}

/// The server's database file, read directly and read-only, as an auditor
/// would (the server keeps running).
pub struct ServerFile {
    conn: Connection,
}

fn ts(text: String) -> Timestamp {
    text.parse().unwrap()
}

fn json(text: Option<String>) -> Value {
    text.map_or(Value::Null, |t| serde_json::from_str(&t).unwrap())
}

impl ServerFile {
    pub fn open(path: &Path) -> ServerFile {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        ServerFile {
            conn: Connection::open_with_flags(path, flags).unwrap(),
        }
    }

    /// Every `mutation_log` row, by mutation id.
    pub fn mutation_log(&self) -> BTreeMap<Uuid, Vec<Logged>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT mutation_id, device_id, client_seq, author_user_id, status, code,
                        first_change_seq, result, clock_suspect, occurred_at_device, occurred_at
                 FROM mutation_log ORDER BY device_id, client_seq",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Logged {
                        device_id: r.get(1)?,
                        client_seq: r.get(2)?,
                        author: r.get(3)?,
                        status: r.get(4)?,
                        code: r.get(5)?,
                        first_change_seq: r.get(6)?,
                        result: json(r.get(7)?),
                        clock_suspect: r.get::<_, i64>(8)? != 0,
                        occurred_at_device: ts(r.get(9)?),
                        occurred_at: ts(r.get(10)?),
                    },
                ))
            })
            .unwrap();
        let mut out: BTreeMap<Uuid, Vec<Logged>> = BTreeMap::new();
        for row in rows {
            let (id, logged) = row.unwrap();
            out.entry(id.parse().unwrap()).or_default().push(logged);
        }
        out
    }

    /// The whole `change_log`, in seq order.
    pub fn change_log(&self) -> Vec<LoggedChange> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, entity, entity_id, mutation_id, data FROM change_log ORDER BY seq",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok(LoggedChange {
                seq: r.get(0)?,
                entity: r.get(1)?,
                entity_id: r.get(2)?,
                mutation_id: r.get(3)?,
                data: json(r.get(4)?),
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    /// Each complaint's stored version.
    pub fn complaint_versions(&self) -> BTreeMap<String, i64> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, version FROM complaints")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// The mutation-rejection changes about `complaint`, in seq order.
    pub fn rejections_of(&self, complaint: ComplaintId) -> Vec<LoggedChange> {
        self.change_log()
            .into_iter()
            .filter(|c| {
                c.entity == redress_protocol::entity::MUTATION_REJECTION
                    && c.data["complaint_id"] == complaint.to_string()
            })
            .collect()
    }
}

/// A settled intent as its author's outbox and the server agree on it.
#[derive(Debug, Clone)]
pub struct Settled {
    pub desktop: String,
    pub mutation_id: Uuid,
    pub name: String,
    pub complaint_id: String,
    /// `None` when applied.
    pub code: Option<String>,
}

/// What [`settle_and_check`] found.
#[derive(Debug, Default)]
pub struct Outcomes {
    pub settled: Vec<Settled>,
}

impl Outcomes {
    pub fn applied(&self) -> usize {
        self.settled.iter().filter(|s| s.code.is_none()).count()
    }

    /// Rejections as (desktop, code) pairs, counted.
    pub fn rejections(&self) -> BTreeMap<(String, String), usize> {
        let mut out = BTreeMap::new();
        for s in &self.settled {
            if let Some(code) = &s.code {
                *out.entry((s.desktop.clone(), code.clone())).or_default() += 1;
            }
        }
        out
    }
}

fn without_replayed(mut v: Value) -> Value {
    if let Value::Object(map) = &mut v {
        map.remove("replayed");
    }
    v
}

/// Brings every desktop to quiescence (each pushes everything and pulls;
/// then each pulls again to see the others' last pushes) and checks the
/// invariants of the sync design (§13):
///
/// 1. every replica's state digest equals the server's;
/// 2. nothing is pending and every cursor is at the server's high water;
/// 3. every intent ever made has exactly one `mutation_log` row, by its
///    author's device and seq, and the result on its outbox row is the one
///    the server logged (whether it came fresh or replayed); the log holds
///    nothing else;
/// 4. no change was applied twice: one `change_log` row per settled
///    mutation, at the seq the result names, and each complaint's version
///    is the number of changes applied to it;
/// 5. every rejection is visible to its author (a rejected outbox row with
///    the server's code) and to everyone (a `mutation_rejection` change in
///    the log, about the complaint, naming the author and the code).
pub fn settle_and_check(sim: &Sim, desktops: &[&Desktop]) -> Outcomes {
    for d in desktops {
        d.sync();
    }
    for d in desktops {
        d.engine
            .pull(d.now())
            .unwrap_or_else(|e| panic!("{} could not pull: {e}", d.name));
    }

    // 1. Digests.
    let store = sim.server.store();
    let server_digest = store.digest().unwrap();
    for d in desktops {
        assert_eq!(d.digest(), server_digest, "{}'s mirror", d.name);
    }

    let file = ServerFile::open(sim.server.db());
    let log = file.mutation_log();
    let changes = file.change_log();
    let high_water = changes.last().map_or(0, |c| c.seq);

    // 2. Quiescence.
    for d in desktops {
        assert_eq!(d.pending(), 0, "{} has unsent intents", d.name);
        assert_eq!(d.cursor(), high_water, "{} is behind", d.name);
    }

    // 3. Exactly one recorded outcome per intent.
    let mut outcomes = Outcomes::default();
    let mut intents = 0;
    for d in desktops {
        let device = d.device();
        let outbox = d.outbox();
        intents += outbox.len();
        let stored = store.results(device, 1, 1000).unwrap();
        assert_eq!(stored.len(), outbox.len(), "{}: server results", d.name);
        for (row, result) in outbox.iter().zip(&stored) {
            let what = format!("{} intent {} ({})", d.name, row.client_seq, row.name);
            let rows = log.get(&row.mutation_id).map_or(&[][..], Vec::as_slice);
            assert_eq!(rows.len(), 1, "{what}: mutation_log rows");
            let logged = &rows[0];
            assert_eq!(logged.device_id, device.to_string(), "{what}");
            assert_eq!(logged.client_seq, row.client_seq, "{what}");
            assert_eq!(logged.author, row.author.as_str(), "{what}");
            let mine = without_replayed(row.result.clone().expect("answered"));
            assert_eq!(mine, without_replayed(logged.result.clone()), "{what}");
            assert_eq!(
                mine,
                without_replayed(serde_json::to_value(result).unwrap()),
                "{what}: the server's stored result"
            );
            let expected = match row.state {
                OutboxState::Applied => "applied",
                OutboxState::Rejected => "rejected",
                OutboxState::Pending => unreachable!("checked above"),
            };
            assert_eq!(logged.status, expected, "{what}");
            outcomes.settled.push(Settled {
                desktop: d.name.clone(),
                mutation_id: row.mutation_id,
                name: row.name.clone(),
                complaint_id: row.args["complaint_id"].as_str().unwrap_or("").to_owned(),
                code: logged.code.clone(),
            });
        }
    }
    assert_eq!(
        log.len(),
        intents,
        "the server logged intents nobody made (or lost some)"
    );

    // 4. One change per settled mutation; versions count applied changes.
    let mut per_mutation: HashMap<&str, Vec<&LoggedChange>> = HashMap::new();
    for c in &changes {
        let id = c.mutation_id.as_deref().expect("every change has a cause");
        per_mutation.entry(id).or_default().push(c);
    }
    assert_eq!(
        per_mutation.len(),
        log.len(),
        "changes without a logged cause"
    );
    let mut applied_per_complaint: BTreeMap<String, i64> = BTreeMap::new();
    for s in &outcomes.settled {
        let id = s.mutation_id.to_string();
        let found = per_mutation.get(id.as_str()).map_or(&[][..], Vec::as_slice);
        assert_eq!(found.len(), 1, "{} {}: change_log rows", s.desktop, s.name);
        let change = found[0];
        let logged = &log[&s.mutation_id][0];
        match &s.code {
            None => {
                assert_eq!(change.entity, redress_protocol::entity::COMPLAINT);
                assert_eq!(change.entity_id, s.complaint_id);
                assert_eq!(Some(change.seq), logged.first_change_seq);
                *applied_per_complaint
                    .entry(change.entity_id.clone())
                    .or_default() += 1;
            }
            // 5. The rejection is on the complaint's record for everyone.
            Some(code) => {
                assert_eq!(change.entity, redress_protocol::entity::MUTATION_REJECTION);
                assert_eq!(
                    change.data["complaint_id"],
                    Value::from(s.complaint_id.clone())
                );
                assert_eq!(change.data["code"], Value::from(code.clone()));
                assert_eq!(
                    change.data["author_user_id"],
                    Value::from(logged.author.clone())
                );
                assert_eq!(
                    logged.result["rejection_change_seq"],
                    Value::from(change.seq),
                    "{} {}",
                    s.desktop,
                    s.name
                );
            }
        }
    }
    assert_eq!(
        file.complaint_versions(),
        applied_per_complaint,
        "a complaint's version is the number of changes applied to it"
    );
    outcomes
}
