//! The local store at call-center scale: 50,000 complaints, about 5,000 of
//! them open, in a SQLite file in a temp dir. The complaints are the testkit's
//! demo data (`redress_testkit::demo`), driven through the real rulebook.
//!
//! `cargo bench -p redress-local --bench store`; figures and what they mean
//! are in docs/performance.md ("Local store").
#![allow(clippy::unwrap_used)]

use divan::{Bencher, black_box};
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::complaint::Complaint;
use redress_domain::ids::{ComplaintId, UserId};
use redress_local::{DashboardQuery, LocalStore, OutboxEntry, StoreError};
use redress_testkit::demo::{DemoOptions, demo_complaints};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    divan::main();
}

/// Complaints in the store (the testkit adds seven hand-written examples to
/// the generated ones).
const TOTAL: usize = 50_000;
const EXAMPLES: usize = 7;
/// Open complaints with a local change not confirmed yet (overlay rows).
const PENDING: usize = 50;
/// "Now" of the fixture: a Wednesday noon in Shanghai.
const NOW: i64 = 1_772_596_800; // 2026-03-04T04:00:00Z

struct Fixture {
    _dir: tempfile::TempDir,
    store: LocalStore,
    ids: Vec<ComplaintId>,
    open: usize,
    /// An open complaint, restaged by the write benchmark.
    changed: Complaint,
    /// A surname that some, not all, open complaints' customers have.
    surname: String,
    /// The department of one open complaint.
    department: String,
    now: Timestamp,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(build);

fn build() -> Fixture {
    let rules = Rules::default();
    let now = Timestamp::from_second(NOW).unwrap();
    let opts = DemoOptions {
        count: TOTAL - EXAMPLES,
        seed: 42,
        now,
        open_share: 0.1,
    };
    let complaints = demo_complaints(&opts, &rules).unwrap();
    assert_eq!(complaints.len(), TOTAL);

    let dir = tempfile::tempdir().unwrap();
    let store = LocalStore::open_dir(dir.path()).unwrap();
    for (chunk_no, chunk) in complaints.chunks(5_000).enumerate() {
        store
            .write(|tx| {
                for (i, c) in chunk.iter().enumerate() {
                    tx.put_mirror(c, &rules, 1, (chunk_no * 5_000 + i) as i64 + 1)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
    // A few open complaints have a local change waiting for the server.
    let open: Vec<&Complaint> = complaints.iter().filter(|c| c.state.is_open()).collect();
    store
        .write(|tx| {
            for c in open.iter().take(PENDING) {
                let seq = tx.enqueue(&entry())?;
                tx.stage_complaint(c, &rules, seq)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let probe = open[open.len() / 2];
    let json_bytes: usize = complaints
        .iter()
        .map(|c| serde_json::to_string(c).unwrap().len())
        .sum();
    eprintln!(
        "fixture: {TOTAL} complaints, {} open ({PENDING} with a pending overlay row); \
         JSON {:.1} KB per complaint on average; file {:.1} MB",
        open.len(),
        json_bytes as f64 / TOTAL as f64 / 1e3,
        std::fs::metadata(store.path()).unwrap().len() as f64 / 1e6
    );
    Fixture {
        ids: complaints.iter().map(|c| c.id).collect(),
        open: open.len(),
        changed: open[PENDING].clone(),
        surname: probe.customer.name.chars().take(1).collect(),
        department: open
            .iter()
            .find_map(|c| c.department.as_ref())
            .unwrap()
            .to_string(),
        _dir: dir,
        store,
        now,
    }
}

fn entry() -> OutboxEntry {
    OutboxEntry {
        mutation_id: OutboxEntry::new_mutation_id(),
        author: UserId::new("agent.1"),
        name: "complaint.add_progress".into(),
        args: serde_json::json!({ "text": "已回電" }),
        occurred_at_device: Timestamp::from_second(NOW).unwrap(),
        base_seq: 0,
    }
}

/// The dashboard with no filter: every open complaint, soonest due first.
#[divan::bench]
fn dashboard_all_open(bencher: Bencher) {
    let f = &*FIXTURE;
    let q = DashboardQuery {
        now: f.now,
        ..DashboardQuery::default()
    };
    assert_eq!(f.store.read(|r| r.dashboard(&q)).unwrap().len(), f.open);
    bencher.bench(|| f.store.read(|r| r.dashboard(black_box(&q))).unwrap());
}

/// The dashboard with a search term (a surname) over the open complaints.
#[divan::bench]
fn dashboard_search(bencher: Bencher) {
    let f = &*FIXTURE;
    let q = DashboardQuery {
        now: f.now,
        search: Some(f.surname.clone()),
        ..DashboardQuery::default()
    };
    let hits = f.store.read(|r| r.dashboard(&q)).unwrap().len();
    assert!(hits > 0 && hits < f.open, "{hits}");
    bencher.bench(|| f.store.read(|r| r.dashboard(black_box(&q))).unwrap());
}

/// The dashboard filtered to one department, breached only.
#[divan::bench]
fn dashboard_department_breached(bencher: Bencher) {
    let f = &*FIXTURE;
    let q = DashboardQuery {
        now: f.now,
        department: Some(f.department.clone()),
        breached_only: true,
        ..DashboardQuery::default()
    };
    bencher.bench(|| f.store.read(|r| r.dashboard(black_box(&q))).unwrap());
}

#[divan::bench]
fn header_counts(bencher: Bencher) {
    let f = &*FIXTURE;
    let counts = f.store.read(|r| r.header_counts(f.now)).unwrap();
    assert_eq!(counts.open as usize, f.open);
    bencher.bench(|| f.store.read(|r| r.header_counts(black_box(f.now))).unwrap());
}

/// Opening one complaint: the row through the view plus parsing its JSON.
/// Cycles through all 50,000 ids (open and closed).
#[divan::bench]
fn complaint_by_id(bencher: Bencher) {
    let f = &*FIXTURE;
    let next = AtomicUsize::new(0);
    bencher
        .with_inputs(|| f.ids[next.fetch_add(7919, Ordering::Relaxed) % f.ids.len()])
        .bench_values(|id| f.store.read(|r| r.complaint(id)).unwrap().unwrap());
}

/// The SLA watcher's start-up read: every open complaint, parsed.
#[divan::bench(sample_count = 20)]
fn open_complaints(bencher: Bencher) {
    let f = &*FIXTURE;
    bencher.bench(|| f.store.read(|r| r.open_complaints()).unwrap());
}

/// One local command's write: enqueue the intent and stage the complaint,
/// in one committed `BEGIN IMMEDIATE` transaction.
#[divan::bench(sample_count = 50)]
fn local_command_write(bencher: Bencher) {
    let f = &*FIXTURE;
    let rules = Rules::default();
    bencher.bench(|| {
        f.store
            .write(|tx| {
                let seq = tx.enqueue(&entry())?;
                tx.stage_complaint(&f.changed, &rules, seq)
            })
            .unwrap()
    });
}

/// Opening the 50,000-complaint file: integrity check (`PRAGMA quick_check`),
/// version guard, pragmas, migrations (none to run).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn open_store(bencher: Bencher) {
    let f = &*FIXTURE;
    let path = f.store.path().to_path_buf();
    bencher.bench(|| LocalStore::open(&path).unwrap());
}
