//! Push throughput: mutations settled per second, in batches of 100 from
//! several devices, each batch a realistic mix (complaints recorded, judged,
//! assigned, analysed, progress notes, a remedy proposed).
//!
//! - `store_push`: straight through `ServerStore::push`;
//! - `http_push`: the same batches over HTTP (`redress_sync::HttpTransport`
//!   against the real API on 127.0.0.1): the difference with `store_push`
//!   is the cost of HTTP, JSON, sessions and the blocking pool.
//!
//! Both run on every backend [`backends`] offers: SQLite always, PostgreSQL
//! when `REDRESS_TEST_PG_URL` is set (`scripts/with-postgres.sh cargo bench
//! -p redress-server --bench push` starts a throwaway cluster).
//!
//! Each mutation is its own transaction (`synchronous=FULL` on SQLite), so
//! the figures are bounded by the disk's fsync rate.
//!
//! `cargo bench -p redress-server --bench push`; figures are in
//! docs/performance.md ("Server push").
#![allow(clippy::unwrap_used)]

use divan::Bencher;
use divan::counter::ItemsCount;
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::complaint::Command;
use redress_domain::ids::{CategoryCode, ComplaintId, DeptId, RemedyId, UpdateId, UserId};
use redress_domain::model::{
    Actor, Channel, ComplaintKind, Currency, Customer, DemandClass, Money, RemedyKind, Role,
    RootCause, Severity, Subject, SubjectKind,
};
use redress_protocol::{
    ComplaintDraft, DeviceId, Mutation, MutationEnvelope, PushRequest, PushResponse,
};
use redress_server::http::{Backend, HttpConfig};
use redress_server::testing::{self, Serving};
use redress_server::{PgStore, SqliteStore, StoreOptions};
use redress_sync::{HttpTransport, Transport};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use uuid::Uuid;

fn main() {
    divan::main();
}

/// Mutations per push (the desktop's batch size).
const BATCH: usize = 100;
/// Devices taking turns.
const DEVICES: usize = 4;

/// The store backends to measure: SQLite always, PostgreSQL when
/// `REDRESS_TEST_PG_URL` names a database where the user may create schemas
/// (`scripts/with-postgres.sh` starts a throwaway one). Another backend is
/// one more name here and one more arm in [`open_backend`].
fn backends() -> Vec<&'static str> {
    let mut names = vec!["sqlite"];
    if pg_url().is_some() {
        names.push("postgres");
    }
    names
}

fn pg_url() -> Option<String> {
    std::env::var("REDRESS_TEST_PG_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// A fresh, empty store of the given kind, and what keeps it alive (a temp
/// directory, a PostgreSQL schema dropped afterwards).
fn open_backend(name: &str) -> (Arc<dyn Backend>, Box<dyn std::any::Any>) {
    match name {
        "sqlite" => {
            let dir = tempfile::tempdir().unwrap();
            let store = SqliteStore::open(dir.path().join("server.sqlite3"), Rules::default());
            (Arc::new(store.unwrap()), Box::new(dir))
        }
        "postgres" => {
            let schema = PgSchema::new(&pg_url().unwrap());
            let store = PgStore::connect_with(schema.config(), StoreOptions::new(Rules::default()));
            (Arc::new(store.unwrap()), Box::new(schema))
        }
        other => panic!("no {other} store in this build"),
    }
}

/// A schema of its own on the PostgreSQL server, dropped afterwards.
struct PgSchema {
    base: postgres::Config,
    name: String,
}

impl PgSchema {
    fn new(url: &str) -> PgSchema {
        let base: postgres::Config = url.parse().unwrap();
        let name = format!("redress_bench_{}", Uuid::now_v7().simple());
        let mut client = base.connect(postgres::NoTls).unwrap();
        client
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .unwrap();
        PgSchema { base, name }
    }

    /// Connection settings whose tables live in this schema.
    fn config(&self) -> postgres::Config {
        let mut config = self.base.clone();
        let options = match config.get_options() {
            Some(options) => format!("{options} -c search_path={}", self.name),
            None => format!("-c search_path={}", self.name),
        };
        config.options(&options);
        config
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut client) = self.base.connect(postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

/// A device, its user and its next `client_seq`.
struct Device {
    id: DeviceId,
    actor: Actor,
    next_seq: AtomicU64,
}

impl Device {
    fn new(n: usize) -> Device {
        Device {
            id: DeviceId(Uuid::now_v7()),
            actor: Actor {
                user: UserId::new(format!("agent{n}")),
                role: Role::Agent,
                approval_limit_minor: None,
            },
            next_seq: AtomicU64::new(1),
        }
    }

    /// Numbers `mutations` as this device's next ones, at push time (so
    /// batches built ahead of time never leave a gap).
    fn request(&self, mut mutations: Vec<MutationEnvelope>) -> PushRequest {
        let first = self
            .next_seq
            .fetch_add(mutations.len() as u64, Ordering::SeqCst);
        for (i, m) in mutations.iter_mut().enumerate() {
            m.client_seq = first + i as u64;
        }
        PushRequest {
            device_id: self.id,
            sent_at_device: Timestamp::now(),
            mutations,
        }
    }
}

static CUSTOMER: AtomicU64 = AtomicU64::new(0);

/// A batch of [`BATCH`] mutations by `author`: ten complaints, each
/// recorded, judged valid, assigned, analysed, given five progress notes
/// and a refund proposal (within an agent's limit, so no approval).
fn batch(author: &UserId) -> Vec<MutationEnvelope> {
    let now = Timestamp::now();
    let mut out = Vec::with_capacity(BATCH);
    let mut push = |mutation: Mutation| {
        out.push(MutationEnvelope {
            client_seq: 0,
            mutation_id: Uuid::now_v7(),
            author_user_id: author.clone(),
            occurred_at_device: now,
            base_seq: 0,
            mutation,
        });
    };
    for _ in 0..BATCH / 10 {
        let n = CUSTOMER.fetch_add(1, Ordering::Relaxed);
        let id = ComplaintId(Uuid::now_v7());
        let draft = ComplaintDraft {
            customer: Customer {
                name: format!("Customer {n}"),
                phone: format!("138{n:08}"),
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
            received_at: now,
        };
        push(Mutation::Record {
            complaint_id: id,
            complaint: draft,
        });
        let mut commands = vec![
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
        ];
        for i in 0..5 {
            commands.push(Command::AddProgress {
                update_id: UpdateId(Uuid::now_v7()),
                text: format!("call {i}"),
                customer_informed: i % 2 == 0,
            });
        }
        commands.push(Command::ProposeRemedy {
            remedy_id: RemedyId(Uuid::now_v7()),
            kind: RemedyKind::Refund,
            amount: Money {
                amount_minor: 2_000,
                currency: Currency::new("CNY"),
            },
            tier: None,
            note: String::new(),
        });
        for command in commands {
            push(Mutation::Execute {
                complaint_id: id,
                command,
            });
        }
    }
    assert_eq!(out.len(), BATCH);
    out
}

/// Every mutation of the batch was settled and applied (a rejection or a
/// gap would make the figure meaningless).
fn check(response: &PushResponse) {
    assert_eq!(response.results.len(), BATCH);
    assert!(
        response
            .results
            .iter()
            .all(|r| r.is_applied() && !r.replayed)
    );
}

/// Round-robin over the devices.
fn next<'a>(devices: &'a [Device], turn: &AtomicUsize) -> &'a Device {
    &devices[turn.fetch_add(1, Ordering::Relaxed) % devices.len()]
}

#[divan::bench(args = backends(), sample_count = 30, sample_size = 1)]
fn store_push(bencher: Bencher, backend: &str) {
    let (store, _dir) = open_backend(backend);
    let now = Timestamp::now();
    let devices: Vec<Device> = (0..DEVICES).map(Device::new).collect();
    for d in &devices {
        store
            .register_device(d.id, &d.actor.user, "bench", now)
            .unwrap();
    }
    let turn = AtomicUsize::new(0);
    bencher
        .counter(ItemsCount::new(BATCH))
        .with_inputs(|| {
            let d = next(&devices, &turn);
            (d, batch(&d.actor.user))
        })
        .bench_local_values(|(d, mutations)| {
            let response = store
                .push(d.id, &d.actor, &d.request(mutations), Timestamp::now())
                .unwrap();
            check(&response);
        });
}

/// A server on 127.0.0.1 over `backend`, with one signed-in transport per
/// device.
struct HttpFixture {
    _serving: Serving,
    _keep: Box<dyn std::any::Any>,
    devices: Vec<(Device, HttpTransport)>,
}

impl HttpFixture {
    fn start(backend: &str) -> HttpFixture {
        let (store, keep) = open_backend(backend);
        let devices: Vec<Device> = (0..DEVICES).map(Device::new).collect();
        let people: Vec<_> = devices
            .iter()
            .map(|d| (d.actor.user.as_str(), Role::Agent, None))
            .collect();
        testing::add_people(store.as_ref(), &people);
        let serving = Serving::start(store, HttpConfig::default(), "127.0.0.1:0").unwrap();
        let url = serving.url();
        let devices = devices
            .into_iter()
            .map(|d| {
                let user = d.actor.user.as_str();
                let session =
                    redress_sync::login(&url, user, testing::PASSWORD, d.id, "bench").unwrap();
                let transport = HttpTransport::new(&url, &session.token, d.id);
                (d, transport)
            })
            .collect();
        HttpFixture {
            _serving: serving,
            _keep: keep,
            devices,
        }
    }
}

#[divan::bench(args = backends(), sample_count = 30, sample_size = 1)]
fn http_push(bencher: Bencher, backend: &str) {
    let fixture = HttpFixture::start(backend);
    let turn = AtomicUsize::new(0);
    bencher
        .counter(ItemsCount::new(BATCH))
        .with_inputs(|| {
            let (d, t) = &fixture.devices[turn.fetch_add(1, Ordering::Relaxed) % DEVICES];
            (d, t, batch(&d.actor.user))
        })
        .bench_local_values(|(d, transport, mutations)| {
            let response = transport.push(&d.request(mutations)).unwrap();
            check(&response);
        });
}
