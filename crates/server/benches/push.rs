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
//! - `raw_sqlite_baseline`: raw SQLite on the same disk, one row committed
//!   per transaction (`synchronous=FULL`), for the figures to read against.
//!
//! A push is one transaction with a savepoint per mutation (group commit),
//! so a batch costs one flush.
//!
//! `cargo bench -p redress-server --bench push`; figures are in
//! docs/performance.md ("Server push").
#![allow(clippy::unwrap_used)]

use divan::Bencher;
use divan::counter::ItemsCount;
use jiff::Timestamp;
use redress_sync::Transport;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    divan::main();
}

mod common;

use common::{BATCH, DEVICES, Device, HttpFixture, backends, batch, check, next, open_backend};

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

/// The baseline, measured in the same run on the same disk: raw SQLite,
/// one small row inserted and committed per transaction, WAL and
/// `synchronous=FULL` like the server's store. A sample is [`BATCH`] such
/// transactions, so its figure reads against a batch of mutations.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn raw_sqlite_baseline(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("raw.sqlite3")).unwrap();
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .unwrap();
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
    )
    .unwrap();
    bencher.counter(ItemsCount::new(BATCH)).bench_local(|| {
        for _ in 0..BATCH {
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            conn.execute("INSERT INTO t (body) VALUES ('a mutation')", [])
                .unwrap();
            conn.execute_batch("COMMIT").unwrap();
        }
    });
}
