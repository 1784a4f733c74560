//! What the server benchmarks share: the backends, devices, a realistic
//! batch of mutations, and a real server over HTTP.
#![allow(dead_code, reason = "each benchmark uses a part")]

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
use redress_sync::HttpTransport;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use uuid::Uuid;

/// Mutations per push (the desktop's batch size).
pub const BATCH: usize = 100;
/// Devices taking turns.
pub const DEVICES: usize = 4;

/// The store backends to measure: SQLite always, PostgreSQL when
/// `REDRESS_TEST_PG_URL` names a database where the user may create schemas
/// (`scripts/with-postgres.sh` starts a throwaway one). Another backend is
/// one more name here and one more arm in [`open_backend`].
pub fn backends() -> Vec<&'static str> {
    let mut names = vec!["sqlite"];
    if pg_url().is_some() {
        names.push("postgres");
    }
    names
}

pub fn pg_url() -> Option<String> {
    std::env::var("REDRESS_TEST_PG_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// A fresh, empty store of the given kind, and what keeps it alive (a temp
/// directory, a PostgreSQL schema dropped afterwards).
pub fn open_backend(name: &str) -> (Arc<dyn Backend>, Box<dyn std::any::Any>) {
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
pub struct PgSchema {
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
pub struct Device {
    pub id: DeviceId,
    pub actor: Actor,
    next_seq: AtomicU64,
}

impl Device {
    pub fn new(n: usize) -> Device {
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
    pub fn request(&self, mut mutations: Vec<MutationEnvelope>) -> PushRequest {
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
pub fn batch(author: &UserId) -> Vec<MutationEnvelope> {
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
            received_at: Some(now),
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
pub fn check(response: &PushResponse) {
    assert_eq!(response.results.len(), BATCH);
    assert!(
        response
            .results
            .iter()
            .all(|r| r.is_applied() && !r.replayed)
    );
}

/// Round-robin over the devices.
pub fn next<'a>(devices: &'a [Device], turn: &AtomicUsize) -> &'a Device {
    &devices[turn.fetch_add(1, Ordering::Relaxed) % devices.len()]
}

/// A server on 127.0.0.1 over `backend`, with one signed-in transport per
/// device.
pub struct HttpFixture {
    _serving: Serving,
    _keep: Box<dyn std::any::Any>,
    pub devices: Vec<(Device, HttpTransport)>,
    /// The server's base URL.
    pub url: String,
}

impl HttpFixture {
    pub fn start(backend: &str) -> HttpFixture {
        let (store, keep) = open_backend(backend);
        let devices: Vec<Device> = (0..DEVICES).map(Device::new).collect();
        let people: Vec<_> = devices
            .iter()
            .map(|d| (d.actor.user.as_str(), Role::Agent, None))
            .collect();
        testing::add_people(store.as_ref(), &people);
        let serving = Serving::start(store, HttpConfig::default(), "127.0.0.1:0").unwrap();
        let url = serving.url();
        let logins = devices
            .into_iter()
            .map(|d| {
                let user = d.actor.user.as_str();
                let session =
                    redress_sync::login(&url, user, testing::PASSWORD, d.id, "bench").unwrap();
                let transport = HttpTransport::new(&url, &session.token, d.id);
                (d, transport)
            })
            .collect();
        let devices = logins;
        HttpFixture {
            url,
            _serving: serving,
            _keep: keep,
            devices,
        }
    }
}
