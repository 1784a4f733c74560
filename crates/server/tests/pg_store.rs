//! What the PostgreSQL store must do beyond the conformance suite: several
//! server processes on one database, migrations racing, and the same
//! answers as SQLite for the same history. Needs REDRESS_TEST_PG_URL: run
//! through `scripts/with-postgres.sh`.

mod pg_support;

use jiff::Timestamp;
use redress_domain::complaint::Command;
use redress_domain::ids::{ComplaintId, RemedyId};
use redress_domain::model::{Actor, Role};
use redress_protocol::ErrorCode;
use redress_protocol::{Change, DeviceId, Mutation, MutationEnvelope, PushRequest, PushResponse};
use redress_server::conformance::{self, all_changes, decide, draft, exec, propose, to_analysed};
use redress_server::{PgStore, ServerStore, SqliteStore, StoreError, StoreOptions};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;

fn now() -> Timestamp {
    "2026-03-02T02:00:00Z".parse().expect("a timestamp")
}

fn complaint_id(device: u128, n: u128) -> ComplaintId {
    ComplaintId(Uuid::from_u128((device << 32) + n))
}

fn record(id: ComplaintId, phone: &str) -> Mutation {
    Mutation::Record {
        complaint_id: id,
        complaint: draft(phone, "broadband.dropout", "2026-03-02T01:00:00Z"),
    }
}

fn judge(id: ComplaintId) -> Mutation {
    exec(
        id,
        Command::Judge {
            valid: true,
            reason: None,
            note: String::new(),
        },
    )
}

/// One device of one user, numbering its mutations.
struct Device {
    id: DeviceId,
    actor: Actor,
    next_seq: u64,
}

impl Device {
    fn new(store: &dyn ServerStore, n: u128, user: &str, role: Role) -> Device {
        let id = DeviceId(Uuid::from_u128(n << 96));
        let actor = Actor::new(user, role);
        store
            .register_device(id, &actor.user, user, now())
            .expect("register");
        Device {
            id,
            actor,
            next_seq: 1,
        }
    }

    fn request(&mut self, mutations: Vec<Mutation>) -> PushRequest {
        let mutations = mutations
            .into_iter()
            .map(|mutation| {
                let client_seq = self.next_seq;
                self.next_seq += 1;
                MutationEnvelope {
                    client_seq,
                    mutation_id: Uuid::from_u128(self.id.0.as_u128() + u128::from(client_seq)),
                    author_user_id: self.actor.user.clone(),
                    occurred_at_device: now(),
                    base_seq: 0,
                    mutation,
                }
            })
            .collect();
        PushRequest {
            device_id: self.id,
            sent_at_device: now(),
            mutations,
        }
    }

    fn push(&mut self, store: &dyn ServerStore, mutations: Vec<Mutation>) -> PushResponse {
        let request = self.request(mutations);
        store
            .push(self.id, &self.actor, &request, now())
            .expect("push")
    }
}

/// Two server processes (two stores, two pools) take pushes from four
/// devices at once while a fifth device keeps pulling: the log has no holes,
/// every device's mutations are in its order, and the puller, which only
/// ever asks for what is after the last seq it saw, ends with every
/// complaint's latest state. That
/// holds only if no seq commits after a higher one (the push lock).
#[test]
fn two_servers_pushing_at_once_commit_in_seq_order() {
    const DEVICES: u128 = 4;
    const BATCHES: u128 = 10;
    let schema = pg_support::Schema::new();
    let servers = [schema.store(), schema.store()];
    let mut devices: Vec<Device> = (1..=DEVICES)
        .map(|n| Device::new(&servers[0], n, &format!("agent{n}"), Role::Agent))
        .collect();
    let reader = Device::new(&servers[1], 9, "reader", Role::Agent);
    let writing = AtomicBool::new(true);

    let (responses, seen) = std::thread::scope(|scope| {
        let pushers: Vec<_> = devices
            .iter_mut()
            .enumerate()
            .map(|(i, device)| {
                let server = &servers[i % 2];
                scope.spawn(move || {
                    let n = device.id.0.as_u128() >> 96;
                    (1..=BATCHES)
                        .map(|b| {
                            let id = complaint_id(n, b);
                            let phone = format!("1380013{n:02}{b:02}");
                            device.push(server, vec![record(id, &phone), judge(id)])
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let puller = scope.spawn(|| {
            let mut seen: Vec<Change> = Vec::new();
            let mut high_water = 0;
            loop {
                // Read the flag first: a pull that starts after the writers
                // stopped sees everything.
                let done = !writing.load(Ordering::SeqCst);
                let after = seen.last().map_or(0, |c| c.seq);
                let page = servers[1].pull(reader.id, after, 7, now()).expect("pull");
                assert!(page.high_water >= high_water, "the high water never falls");
                high_water = page.high_water;
                let more = page.has_more;
                seen.extend(page.changes);
                if done && !more {
                    return seen;
                }
            }
        });
        // Join every pusher before looking at any, so the puller is told to
        // stop even when a push failed.
        let joined: Vec<_> = pushers.into_iter().map(|p| p.join()).collect();
        writing.store(false, Ordering::SeqCst);
        let seen = puller.join().expect("the puller");
        let responses: Vec<Vec<PushResponse>> =
            joined.into_iter().map(|p| p.expect("a pusher")).collect();
        (responses, seen)
    });

    let total = (DEVICES * BATCHES * 2) as usize;
    for response in responses.iter().flatten() {
        assert_eq!(response.results.len(), 2);
        assert!(response.results.iter().all(|r| r.is_applied()));
    }
    // Behind the store: one change-log row per mutation, without holes,
    // each device's in its order.
    let rows: Vec<(i64, Uuid, i64)> = schema
        .client()
        .query(
            "SELECT seq, device_id, client_seq FROM change_log ORDER BY seq",
            &[],
        )
        .expect("read the change log")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect();
    let seqs: Vec<i64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(seqs, (1..=total as i64).collect::<Vec<_>>(), "no holes");
    for device in &devices {
        let client_seqs: Vec<i64> = rows
            .iter()
            .filter(|r| r.1 == device.id.0)
            .map(|r| r.2)
            .collect();
        assert_eq!(client_seqs, (1..=(BATCHES as i64 * 2)).collect::<Vec<_>>());
    }
    // The puller, folding what it saw page by page, ends where a fresh
    // pull does: every complaint at its latest version.
    assert!(seen.windows(2).all(|w| w[0].seq < w[1].seq), "in seq order");
    let fold = |changes: &[Change]| {
        changes
            .iter()
            .map(|c| (c.id, (c.version, c.data.clone())))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let log = all_changes(&servers[0], reader.id);
    assert_eq!(log.len(), (DEVICES * BATCHES) as usize, "one per complaint");
    assert_eq!(fold(&seen), fold(&log), "the puller missed nothing");
    // The numbers were given out once each, without gaps, across servers.
    let mut numbers = BTreeSet::new();
    for n in 1..=DEVICES {
        for b in 1..=BATCHES {
            let stored = servers[(n % 2) as usize]
                .complaint(complaint_id(n, b))
                .expect("read")
                .expect("recorded");
            assert_eq!(stored.version, 2);
            numbers.insert(stored.complaint.number);
        }
    }
    let expected: BTreeSet<String> = (1..=DEVICES * BATCHES)
        .map(|n| format!("TS-2026-{n:06}"))
        .collect();
    assert_eq!(numbers, expected);
    assert_eq!(
        servers[0].digest().expect("digest"),
        servers[1].digest().expect("digest")
    );
}

/// Servers starting at once on an empty schema: one applies the
/// migrations, the others find them applied, and all share one epoch.
#[test]
fn migrations_run_once_under_the_lock() {
    let schema = pg_support::Schema::new();
    let stores: Vec<PgStore> = std::thread::scope(|scope| {
        let starts: Vec<_> = (0..3)
            .map(|_| {
                let config = schema.config();
                scope.spawn(move || {
                    PgStore::connect_with(config, StoreOptions::new(conformance::rules()))
                })
            })
            .collect();
        starts
            .into_iter()
            .map(|s| s.join().expect("no panic").expect("connect"))
            .collect()
    });
    let epoch = stores[0].epoch().expect("epoch");
    for store in &stores {
        assert_eq!(store.epoch().expect("epoch"), epoch);
        assert_eq!(store.schema_version().expect("version"), 5);
    }
    let mut client = schema.client();
    let versions: Vec<i32> = client
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .expect("query")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(versions, vec![1, 2, 3, 4, 5]);
    let types: Vec<(String, String)> = client
        .query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = 'change_log'
               AND column_name IN ('seq', 'entity_id', 'data', 'applied_at')
             ORDER BY column_name",
            &[],
        )
        .expect("query")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(
        types,
        vec![
            (
                "applied_at".to_owned(),
                "timestamp with time zone".to_owned()
            ),
            ("data".to_owned(), "jsonb".to_owned()),
            ("entity_id".to_owned(), "uuid".to_owned()),
            ("seq".to_owned(), "bigint".to_owned()),
        ]
    );

    // A database from a newer build is refused, not downgraded.
    client
        .execute("INSERT INTO schema_migrations (version) VALUES (99)", &[])
        .expect("insert");
    let err = PgStore::connect_with(schema.config(), StoreOptions::new(conformance::rules()))
        .expect_err("a newer schema");
    assert!(
        matches!(err, StoreError::Open(ref m) if m.contains("99")),
        "{err}"
    );
}

/// A store that cannot reach its server says where it tried, without the
/// password.
#[test]
fn an_unreachable_server_is_an_open_error() {
    // Make sure the suite's own server is configured, so this test fails
    // like the others when it is not.
    pg_support::base_url();
    let err = PgStore::connect(
        "postgres://someone:secret@127.0.0.1:1/nowhere?connect_timeout=5",
        conformance::rules(),
    )
    .expect_err("nothing listens on port 1");
    let message = err.to_string();
    assert!(matches!(err, StoreError::Open(_)), "{message}");
    assert!(message.contains("127.0.0.1:1/nowhere"), "{message}");
    assert!(!message.contains("secret"), "{message}");
    let err = PgStore::connect("postgres://[bad", conformance::rules()).expect_err("a bad URL");
    assert!(matches!(err, StoreError::Open(_)), "{err}");
}

/// The same history on SQLite and on PostgreSQL gives the same responses,
/// the same change log, the same results, snapshot and digest.
#[test]
fn sqlite_and_postgres_answer_alike() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sqlite = SqliteStore::open(dir.path().join("server.sqlite3"), conformance::rules())
        .expect("open SQLite");
    let schema = pg_support::Schema::new();
    let pg = schema.store();
    let run = |store: &dyn ServerStore| {
        let mut ann = Device::new(store, 1, "ann", Role::Agent);
        let mut sam = Device::new(store, 2, "sam", Role::Supervisor);
        let id = complaint_id(1, 1);
        let remedy = RemedyId(Uuid::from_u128(0xE1));
        let mut first = vec![record(id, "138 0013 8000")];
        first.extend(to_analysed(id));
        first.push(propose(id, remedy, 20_000));
        // Self-approval: rejected, and the seq is consumed.
        first.push(decide(id, remedy, true));
        let mut responses = vec![ann.push(store, first)];
        let decision = decide(id, remedy, true);
        responses.push(sam.push(store, vec![decision.clone()]));
        // Too late: already decided.
        responses.push(sam.push(store, vec![decision]));
        // The same customer again: a repeat.
        responses.push(ann.push(store, vec![record(complaint_id(1, 2), "+8613800138000")]));
        // A replay of ann's first two.
        ann.next_seq = 1;
        responses.push(ann.push(store, vec![record(id, "138 0013 8000"), judge(id)]));
        let changes = all_changes(store, ann.id);
        let results = store.results(ann.id, 1, 100).expect("results");
        let snapshot = store.snapshot_page(None, 100).expect("snapshot");
        (
            responses,
            changes,
            results,
            snapshot,
            store.digest().expect("digest"),
        )
    };
    let on_sqlite = run(&sqlite);
    let on_pg = run(&pg);
    assert_eq!(on_sqlite.0, on_pg.0, "push responses");
    assert_eq!(on_sqlite.1, on_pg.1, "change log");
    assert_eq!(on_sqlite.2, on_pg.2, "stored results");
    assert_eq!(on_sqlite.3, on_pg.3, "snapshot");
    assert_eq!(on_sqlite.4, on_pg.4, "digest");
    // The history did what it says.
    assert_eq!(
        on_pg.0[0].results[5].rejection_code(),
        Some(ErrorCode::SelfApprovalForbidden)
    );
    assert!(on_pg.0[1].results[0].is_applied());
    assert_eq!(
        on_pg.0[2].results[0].rejection_code(),
        Some(ErrorCode::ApprovalAlreadyDecided)
    );
    assert!(on_pg.0[4].results.iter().all(|r| r.replayed));
    let repeat = &on_pg.3.complaints[1].complaint;
    assert_eq!(repeat.number, "TS-2026-000002");
    assert!(repeat.repeat.is_some(), "the second complaint is a repeat");
}

/// Device times are moved onto the server's clock and flagged when far
/// off, in native columns.
#[test]
fn device_times_are_corrected_in_the_log() {
    let schema = pg_support::Schema::new();
    let store = schema.store();
    let mut ann = Device::new(&store, 1, "ann", Role::Agent);
    let fast = jiff::SignedDuration::from_mins(20);
    let mut request = ann.request(vec![exec(
        complaint_id(1, 1),
        Command::Resolve {
            note: String::new(),
        },
    )]);
    request.sent_at_device = now() + fast;
    request.mutations[0].occurred_at_device = now() + fast - jiff::SignedDuration::from_mins(3);
    let response = store
        .push(ann.id, &ann.actor, &request, now())
        .expect("push");
    assert_eq!(
        response.results[0].rejection_code(),
        Some(ErrorCode::NotFound)
    );
    let row = schema
        .client()
        .query_one(
            "SELECT occurred_at, clock_suspect, status, args->>'complaint_id', received_at
             FROM mutation_log",
            &[],
        )
        .expect("the logged mutation");
    let occurred_at: Timestamp = row.get(0);
    let suspect: bool = row.get(1);
    let status: String = row.get(2);
    let complaint: String = row.get(3);
    let received_at: Timestamp = row.get(4);
    assert_eq!(occurred_at, now() - jiff::SignedDuration::from_mins(3));
    assert!(suspect, "20 minutes off is suspect");
    assert_eq!(status, "rejected");
    assert_eq!(complaint, complaint_id(1, 1).to_string());
    assert_eq!(received_at, now());
}

/// Pages are cut by size on PostgreSQL too, read through a portal.
#[test]
fn pages_are_cut_by_size() {
    let schema = pg_support::Schema::new();
    let options = StoreOptions {
        page_bytes: 16 * 1024,
        ..StoreOptions::new(conformance::rules())
    };
    let store = PgStore::connect_with(schema.config(), options).expect("connect");
    conformance::pages_are_cut_by_size(&store, 16 * 1024);
}

/// A mutation whose data PostgreSQL refuses (SQLSTATE class 22 or 23) is a
/// permanent rejection, recorded like any other, not a 503 that the
/// desktop would retry for ever; the rest of the batch goes on. The refusal
/// is injected with a trigger (a fault, as the database would raise it).
#[test]
fn data_errors_are_permanent_rejections() {
    let schema = pg_support::Schema::new();
    let store = schema.store();
    schema
        .client()
        .batch_execute(
            "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF NEW.data->'customer'->>'phone' = '+8613900000000' THEN
                     RAISE EXCEPTION 'poisoned value' USING ERRCODE = '22023';
                 END IF;
                 RETURN NEW;
             END $$;
             CREATE TRIGGER refuse_poison BEFORE INSERT ON complaints
                 FOR EACH ROW EXECUTE FUNCTION refuse_poison();",
        )
        .expect("install the fault");
    let mut ann = Device::new(&store, 1, "ann", Role::Agent);
    let response = ann.push(
        &store,
        vec![
            record(complaint_id(1, 1), "138 0013 8000"),
            record(complaint_id(1, 2), "139 0000 0000"),
            record(complaint_id(1, 3), "137 0000 0000"),
        ],
    );
    assert_eq!(response.results.len(), 3, "{response:?}");
    assert!(response.results[0].is_applied());
    assert_eq!(
        response.results[1].rejection_code(),
        Some(ErrorCode::UnstorableData)
    );
    assert!(response.results[2].is_applied());
    assert_eq!(response.device_last_seq, 3);
    assert!(store.complaint(complaint_id(1, 2)).expect("read").is_none());
    // Recorded: a replay gets the same answer, and everyone pulls it.
    ann.next_seq = 2;
    let again = ann.push(&store, vec![record(complaint_id(1, 2), "139 0000 0000")]);
    assert!(again.results[0].replayed);
    assert_eq!(again.results[0].outcome, response.results[1].outcome);
    let changes = all_changes(&store, ann.id);
    assert!(
        changes
            .iter()
            .any(|c| c.entity == redress_protocol::entity::MUTATION_REJECTION),
        "{changes:?}"
    );
}
