//! Live-sync latency: how long a change made on one desktop takes to reach
//! the local stores of all the others, through the real path (local write,
//! nudge, push over HTTP, the server's poke on the event stream, each
//! desktop's pull).
//!
//! A real server (SQLite in a temporary directory) on a loopback port, and
//! `REDRESS_BENCH_DESKTOPS` desktops (default 50: one user signed in on 50
//! devices, each a local store with its own `LiveSync`). In each of
//! `REDRESS_BENCH_ROUNDS` rounds (default 20, after one warm-up round) the
//! first desktop records a complaint; the time from the start of that local
//! write until each other desktop's pull has committed it to its store is
//! one sample. Prints p50, p90, p99 and the maximum of the samples, of the
//! time until the last desktop of a round had it, and of the time until the
//! recording desktop itself had pushed it and pulled it back (confirmed).
//!
//! Run: `cargo bench -p redress-sync --bench latency`.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use jiff::Timestamp;
use redress_app::{App, Quiet, SystemClock};
use redress_domain::Rules;
use redress_domain::complaint::ComplaintDraft;
use redress_domain::ids::{CategoryCode, ComplaintId, UserId};
use redress_domain::model::{
    Channel, ComplaintKind, Customer, DemandClass, Role, Severity, Subject, SubjectKind,
};
use redress_local::LocalStore;
use redress_protocol::DeviceId;
use redress_server::testing::{PASSWORD, TestServer};
use redress_sync::{LiveConfig, LiveEvent, LiveStatus, LiveSync, login};
use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const USER: &str = "amy";
const DEADLINE: Duration = Duration::from_secs(60);
/// The server sends at most one poke per connection per 100 ms; rounds are
/// spaced wider so each one measures an idle system's first poke.
const ROUND_GAP: Duration = Duration::from_millis(250);

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn complaint(n: usize) -> ComplaintDraft {
    ComplaintDraft {
        customer: Customer {
            name: format!("客户 {n}"),
            phone: format!("138{n:08}"),
            customer_id: None,
        },
        channel: Channel::Phone,
        subject: Subject {
            kind: SubjectKind::Order,
            reference: format!("ORD-{n}"),
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

/// The `p`-th percentile (0..=100) of sorted samples, nearest rank.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn summary(name: &str, samples: &mut [Duration]) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<34} n={:<4} p50 {:>7.1} ms  p90 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms",
        samples.len(),
        ms(percentile(samples, 50)),
        ms(percentile(samples, 90)),
        ms(percentile(samples, 99)),
        ms(samples[samples.len() - 1]),
    );
}

fn main() {
    let desktops = env_number("REDRESS_BENCH_DESKTOPS", 50).max(2);
    let rounds = env_number("REDRESS_BENCH_ROUNDS", 20).max(1);
    let tmp = tempfile::tempdir().unwrap();

    let mut server = TestServer::start(&[(USER, Role::Agent, None)]);
    let url = server.url();

    // Desktop 0 writes through the console's services; the others only
    // sync. Every pull that changed complaints reports (desktop, id, when).
    let origin = App::open(
        &tmp.path().join("d0"),
        Arc::new(Rules::default()),
        Arc::new(SystemClock),
        Arc::new(Quiet),
        Arc::new(Quiet),
    )
    .unwrap()
    .with_server_sync();
    let mut settings = origin.settings().unwrap();
    settings.user = UserId::new(USER);
    settings.role = Role::Agent;
    origin.set_settings(&settings).unwrap();

    let (arrived, arrivals) = mpsc::channel::<(usize, ComplaintId, Instant)>();
    let arrived = Arc::new(Mutex::new(arrived));
    let mut lives = Vec::new();
    for d in 0..desktops {
        let dir = tmp.path().join(format!("d{d}"));
        let local = LocalStore::open_dir(&dir).unwrap();
        let device = DeviceId(local.read(|r| r.sync_state()).unwrap().device_id);
        let session = login(&url, USER, PASSWORD, device, &format!("desk {d}")).unwrap();
        let arrived = Arc::clone(&arrived);
        lives.push(LiveSync::start(
            local,
            redress_sync::shared_rules(Rules::default()),
            LiveConfig::new(&url, &session.token, device),
            Arc::new(Timestamp::now),
            move |e| {
                if let LiveEvent::Synced { changed, .. } = e {
                    let at = Instant::now();
                    let tx = arrived.lock().unwrap();
                    for id in changed {
                        let _ = tx.send((d, id, at));
                    }
                }
            },
        ));
    }
    let started = Instant::now();
    while !lives.iter().all(|l| l.status() == LiveStatus::Online) {
        assert!(started.elapsed() < DEADLINE, "desktops did not come online");
        std::thread::sleep(Duration::from_millis(20));
    }

    let mut each = Vec::new();
    let mut last = Vec::new();
    let mut own = Vec::new();
    for round in 0..=rounds {
        std::thread::sleep(ROUND_GAP);
        let t0 = Instant::now();
        let id = origin.record_complaint(complaint(round)).unwrap();
        lives[0].nudge();
        let mut seen: HashMap<usize, Duration> = HashMap::new();
        let mut confirmed = None;
        while seen.len() < desktops - 1 || confirmed.is_none() {
            let left = DEADLINE.saturating_sub(t0.elapsed());
            let (d, got, at) = arrivals.recv_timeout(left).unwrap_or_else(|_| {
                panic!("round {round}: {} of {} desktops", seen.len(), desktops - 1)
            });
            // Late reports of earlier rounds are skipped.
            if got != id {
                continue;
            }
            if d == 0 {
                confirmed.get_or_insert(at - t0);
            } else {
                seen.entry(d).or_insert(at - t0);
            }
        }
        if round == 0 {
            continue; // warm-up
        }
        own.extend(confirmed);
        last.push(seen.values().copied().max().unwrap_or_default());
        each.extend(seen.into_values());
    }

    // Every store has every complaint.
    let stopping = Instant::now();
    for live in lives {
        live.stop();
    }
    let stop_all = stopping.elapsed();
    for d in 1..desktops {
        let local = LocalStore::open_dir(tmp.path().join(format!("d{d}"))).unwrap();
        let n = local.read(|r| r.mirror_complaints()).unwrap().len();
        assert_eq!(n, rounds + 1, "desktop {d} has {n} complaints");
    }
    server.stop();

    println!(
        "live sync latency: {desktops} desktops (one user, {desktops} devices), {rounds} rounds, \
         SQLite server on loopback"
    );
    summary("change -> confirmed on its desktop", &mut own);
    summary("change -> one other desktop's store", &mut each);
    summary("change -> all other desktops' stores", &mut last);
    println!(
        "stopping {desktops} LiveSyncs took {:.1} ms",
        stop_all.as_secs_f64() * 1000.0
    );
}
