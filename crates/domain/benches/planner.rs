//! Reminder planner at call-center scale: 50,000 open complaints.
//!
//! `cargo bench -p redress-domain --bench planner`; figures and what they mean
//! are in docs/performance.md ("Reminder planner").
#![allow(clippy::unwrap_used)]

use divan::{Bencher, black_box};
use redress_domain::calendar::{Calendar, CalendarSpec};
use redress_domain::ids::{ApprovalId, CalendarId, ClockId, ComplaintId, UserId};
use redress_domain::model::{PauseReason, Role};
use redress_domain::planner::{Planner, Watch, WatchedApproval, WatchedCallback, plan_complaint};
use redress_domain::sla::{ClockKind, ClockTarget, SlaClock};
use redress_domain::{Rules, Timestamp};
use std::sync::LazyLock;
use uuid::Uuid;

fn main() {
    divan::main();
}

/// Open complaints in the index.
const OPEN: usize = 50_000;
const HOUR: i64 = 3600;
/// "Now" of the fixture: a Wednesday noon in Shanghai.
const NOW: i64 = 1_772_596_800; // 2026-03-04T04:00:00Z

struct Fixture {
    rules: Rules,
    watches: Vec<Watch>,
    /// Every complaint indexed and planned up to `NOW` (the backlog fired).
    planner: Planner,
    /// The instant by which ~0.1% of the complaints (50) have a reminder due.
    tick: Timestamp,
    /// Two states of one complaint, for the upsert benchmark.
    versions: [Watch; 2],
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(build);

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn ts(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).unwrap()
}

fn office() -> Calendar {
    let mut spec = CalendarSpec {
        timezone: "Asia/Shanghai".into(),
        ..CalendarSpec::default()
    };
    let day = || {
        Some(vec![
            ["09:00".into(), "12:00".into()],
            ["13:00".into(), "18:00".into()],
        ])
    };
    spec.hours.mon = day();
    spec.hours.tue = day();
    spec.hours.wed = day();
    spec.hours.thu = day();
    spec.hours.fri = day();
    Calendar::from_spec(&spec).unwrap()
}

/// One open complaint received in the last two days: first response (mostly
/// answered already), progress cadence (30 minutes for a third, daily
/// otherwise), resolution, and for some an approval or a callback. A fifth
/// run on office hours; some resolution clocks were paused for a while.
fn complaint(rng: &mut Lcg, rules: &Rules, n: usize) -> Watch {
    let id = |k: u128| Uuid::from_u128((n as u128) << 8 | k);
    let received = NOW - rng.below(2 * 24 * 3600) as i64;
    let calendar = if rng.below(5) == 0 { "office" } else { "24x7" };
    let target = |seconds| ClockTarget {
        seconds,
        calendar: CalendarId::new(calendar),
    };
    let cal = rules.calendar(&CalendarId::new(calendar)).unwrap();
    let clock = |k, kind, seconds, at| {
        SlaClock::start(ClockId(id(k)), kind, &target(seconds), &[750], ts(at), cal).unwrap()
    };

    let mut first = clock(1, ClockKind::FirstResponse, HOUR, received);
    if rng.below(10) < 7 {
        first
            .stop(ts(received + rng.below(3600) as i64), cal)
            .unwrap();
    }
    let cadence = if n % 3 == 0 { HOUR / 2 } else { 24 * HOUR };
    let progress = clock(2, ClockKind::ProgressUpdate, cadence, received);
    let mut resolution = clock(
        3,
        ClockKind::Resolution,
        [24, 48, 72][n % 3] * HOUR,
        received,
    );
    if rng.below(20) == 0 {
        let at = received + rng.below(1800) as i64;
        let user = UserId::new("agent");
        resolution
            .pause(ts(at), PauseReason::WaitingOnCustomer, String::new(), user)
            .unwrap();
        resolution
            .resume(ts(at + rng.below(7200) as i64), cal)
            .unwrap();
    }
    let mut w = Watch {
        complaint: ComplaintId(id(0)),
        open: true,
        owner: Some(UserId::new(format!("agent.{}", n % 200))),
        clocks: vec![first, progress, resolution],
        approvals: Vec::new(),
        callback: None,
    };
    if rng.below(10) == 0 {
        let requested = (received + rng.below(86_400) as i64).min(NOW);
        let mut c = clock(4, ClockKind::Approval, 4 * HOUR, requested);
        c.approval = Some(ApprovalId(id(4)));
        w.clocks.push(c);
        w.approvals.push(WatchedApproval {
            approval: ApprovalId(id(4)),
            required_role: Role::Supervisor,
            requested_by: UserId::new("agent"),
            requested_at: ts(requested),
        });
    }
    if rng.below(20) == 0 {
        let resolved = (received + rng.below(86_400) as i64).min(NOW);
        w.clocks
            .push(clock(5, ClockKind::Callback, 24 * HOUR, resolved));
        w.callback = Some(WatchedCallback {
            attempt: 1,
            next_attempt_at: ts(resolved + 2 * HOUR),
        });
    }
    w
}

fn build() -> Fixture {
    let mut rules = Rules::default();
    rules.calendars.insert(CalendarId::new("office"), office());
    let mut rng = Lcg(2026);
    let watches: Vec<Watch> = (0..OPEN).map(|n| complaint(&mut rng, &rules, n)).collect();
    let mut planner = Planner::new();
    for w in &watches {
        planner.upsert(w.clone(), &rules);
    }
    planner.poll(&rules, ts(NOW));

    // The 50th earliest next instant: polling there finds 0.1% due.
    let mut nexts: Vec<Timestamp> = watches
        .iter()
        .filter_map(|w| plan_complaint(w, &rules, Some(ts(NOW)), ts(NOW)).next)
        .collect();
    nexts.sort_unstable();
    let tick = nexts[OPEN / 1000 - 1];
    assert_eq!(planner.next_wake(), nexts.first().copied());

    // One complaint changes: a progress update restarts its cadence.
    let before = watches[OPEN / 2].clone();
    let mut after = before.clone();
    let cal = rules.calendar(&after.clocks[1].calendar).unwrap().clone();
    let target = after.clocks[1].target_secs;
    after.clocks[1].restart(ts(NOW), target, &cal).unwrap();
    Fixture {
        rules,
        watches,
        planner,
        tick,
        versions: [before, after],
    }
}

/// (a) When must the watcher wake up next?
#[divan::bench]
fn next_wake(b: Bencher) {
    let f = &*FIXTURE;
    b.bench(|| black_box(&f.planner).next_wake());
}

/// (b) A tick at which 50 of the 50,000 complaints have a reminder due.
#[divan::bench(sample_count = 40, sample_size = 1)]
fn poll_with_0_1_percent_due(b: Bencher) {
    let f = &*FIXTURE;
    b.with_inputs(|| f.planner.clone())
        .bench_local_refs(|p| p.poll(&f.rules, f.tick));
}

/// (b') A tick at which nothing is due (the 30-second re-check).
#[divan::bench]
fn poll_with_nothing_due(b: Bencher) {
    let f = &*FIXTURE;
    let mut p = f.planner.clone();
    b.bench_local(|| p.poll(&f.rules, black_box(ts(NOW))));
}

/// (c) One complaint changed (its progress cadence restarted) and re-indexed.
#[divan::bench]
fn upsert_one_changed(b: Bencher) {
    let f = &*FIXTURE;
    let mut p = f.planner.clone();
    let mut i = 0;
    b.bench_local(|| {
        i += 1;
        p.upsert(f.versions[i % 2].clone(), &f.rules);
    });
}

/// (d) For contrast: planning every complaint on every tick.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn brute_force_scan_all(b: Bencher) {
    let f = &*FIXTURE;
    b.bench(|| {
        f.watches
            .iter()
            .map(|w| plan_complaint(w, &f.rules, Some(ts(NOW)), f.tick).due.len())
            .sum::<usize>()
    });
}

/// Startup: indexing all 50,000 complaints from scratch.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn index_all(b: Bencher) {
    let f = &*FIXTURE;
    b.bench(|| {
        let mut p = Planner::new();
        for w in &f.watches {
            p.upsert(w.clone(), &f.rules);
        }
        p
    });
}
