//! SLA clocks: start, warn, breach, pause/resume, stop and restart cycles.
#![allow(clippy::unwrap_used)]

use redress_domain::Timestamp;
use redress_domain::calendar::{Calendar, CalendarSpec};
use redress_domain::ids::{CalendarId, ClockId, UserId};
use redress_domain::model::PauseReason;
use redress_domain::sla::{ClockKind, ClockOutcome, ClockStatus, ClockTarget, SlaClock};
use uuid::Uuid;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn clock(target_secs: i64, at: &str, cal: &Calendar) -> SlaClock {
    SlaClock::start(
        ClockId(Uuid::nil()),
        ClockKind::Resolution,
        &ClockTarget::round_the_clock(target_secs),
        &[750],
        ts(at),
        cal,
    )
    .unwrap()
}

/// Shanghai office hours, Monday and Tuesday 09:00-18:00.
fn office() -> Calendar {
    let spec: CalendarSpec = serde_json::from_value(serde_json::json!({
        "timezone": "Asia/Shanghai",
        "hours": { "mon": [["09:00", "18:00"]], "tue": [["09:00", "18:00"]] }
    }))
    .unwrap();
    Calendar::from_spec(&spec).unwrap()
}

#[test]
fn runs_warns_and_breaches_round_the_clock() {
    let cal = Calendar::AlwaysOn;
    let c = clock(3600, "2026-11-23T09:00:00Z", &cal);
    let due = ts("2026-11-23T10:00:00Z");
    assert_eq!(c.due_at, Some(due));
    assert_eq!(
        c.threshold_instant(750, &cal),
        Some(ts("2026-11-23T09:45:00Z"))
    );
    assert_eq!(
        c.status(ts("2026-11-23T09:44:59Z"), &cal),
        ClockStatus::Ok { due_at: due }
    );
    assert_eq!(
        c.status(ts("2026-11-23T09:45:00Z"), &cal),
        ClockStatus::Warning { due_at: due }
    );
    assert_eq!(
        c.status(ts("2026-11-23T10:00:00Z"), &cal),
        ClockStatus::Warning { due_at: due }
    );
    assert_eq!(
        c.status(ts("2026-11-23T10:00:01Z"), &cal),
        ClockStatus::Breached { due_at: due }
    );
}

#[test]
fn business_calendar_moves_the_due_instant_over_closed_hours() {
    let cal = office();
    // Monday 17:30 in Shanghai plus one working hour is Tuesday 09:30.
    let c = clock(3600, "2026-11-23T09:30:00Z", &cal);
    assert_eq!(c.due_at, Some(ts("2026-11-24T01:30:00Z")));
}

#[test]
fn pause_and_resume_push_the_due_instant_out() {
    let cal = Calendar::AlwaysOn;
    let li = || UserId::new("li");
    let mut c = clock(3600, "2026-11-23T09:00:00Z", &cal);
    c.pause(
        ts("2026-11-23T09:20:00Z"),
        PauseReason::WaitingOnCustomer,
        String::new(),
        li(),
    )
    .unwrap();
    assert!(c.is_paused());
    assert_eq!(
        c.status(ts("2026-11-23T12:00:00Z"), &cal),
        ClockStatus::Paused { breached_at: None }
    );
    assert_eq!(c.threshold_instant(750, &cal), None);
    let again = c.pause(
        ts("2026-11-23T09:21:00Z"),
        PauseReason::Other,
        String::new(),
        li(),
    );
    assert_eq!(
        again.map_err(|e| e.code().as_str()),
        Err("invalid_transition")
    );
    c.resume(ts("2026-11-23T09:50:00Z"), &cal).unwrap();
    assert_eq!(c.due_at, Some(ts("2026-11-23T10:30:00Z")));
    let twice = c.resume(ts("2026-11-23T09:51:00Z"), &cal);
    assert_eq!(
        twice.map_err(|e| e.code().as_str()),
        Err("invalid_transition")
    );
    let early = c.pause(
        ts("2026-11-23T08:00:00Z"),
        PauseReason::Other,
        String::new(),
        li(),
    );
    assert_eq!(
        early.map_err(|e| e.code().as_str()),
        Err("validation_failed")
    );
}

#[test]
fn stop_records_met_or_breached_and_closes_an_open_pause() {
    let cal = Calendar::AlwaysOn;
    let mut met = clock(3600, "2026-11-23T09:00:00Z", &cal);
    assert_eq!(
        met.stop(ts("2026-11-23T10:00:00Z"), &cal).unwrap(),
        ClockOutcome::Met
    );
    assert_eq!(met.history.len(), 1);
    assert!(!met.is_running());
    // Stopping twice changes nothing.
    assert_eq!(
        met.stop(ts("2026-11-23T23:00:00Z"), &cal).unwrap(),
        ClockOutcome::Met
    );
    assert_eq!(met.history.len(), 1);

    let mut paused = clock(3600, "2026-11-23T09:00:00Z", &cal);
    paused
        .pause(
            ts("2026-11-23T09:30:00Z"),
            PauseReason::WaitingOnCustomer,
            String::new(),
            UserId::new("li"),
        )
        .unwrap();
    // Stopped while paused at 11:00: only 30 minutes counted, so it is met.
    assert_eq!(
        paused.stop(ts("2026-11-23T11:00:00Z"), &cal).unwrap(),
        ClockOutcome::Met
    );
    assert_eq!(paused.pauses[0].end, Some(ts("2026-11-23T11:00:00Z")));

    let mut breached = clock(60, "2026-11-23T09:00:00Z", &cal);
    let outcome = breached.stop(ts("2026-11-23T09:01:01Z"), &cal).unwrap();
    assert_eq!(outcome, ClockOutcome::Breached);
    assert_eq!(
        breached.status(ts("2026-11-23T12:00:00Z"), &cal),
        ClockStatus::Stopped {
            outcome: ClockOutcome::Breached
        }
    );
}

#[test]
fn restart_starts_a_new_cycle_and_keeps_history() {
    let cal = Calendar::AlwaysOn;
    let mut c = clock(1800, "2026-11-23T09:00:00Z", &cal);
    c.restart(ts("2026-11-23T09:20:00Z"), 1800, &cal).unwrap();
    assert_eq!(c.cycle, 2);
    assert_eq!(c.due_at, Some(ts("2026-11-23T09:50:00Z")));
    c.restart(ts("2026-11-23T10:30:00Z"), 3600, &cal).unwrap();
    assert_eq!(c.cycle, 3);
    let outcomes: Vec<_> = c.history.iter().map(|h| (h.cycle, h.outcome)).collect();
    assert_eq!(
        outcomes,
        vec![(1, ClockOutcome::Met), (2, ClockOutcome::Breached)]
    );
    assert_eq!(c.due_at, Some(ts("2026-11-23T11:30:00Z")));
    // A stopped clock can be restarted (a reopened complaint).
    c.stop(ts("2026-11-23T11:00:00Z"), &cal).unwrap();
    c.restart(ts("2026-11-24T08:00:00Z"), 3600, &cal).unwrap();
    assert!(c.is_running());
    assert_eq!(c.cycle, 4);
    assert_eq!(c.history.len(), 3);
}

#[test]
fn negative_targets_are_refused() {
    let target = ClockTarget {
        seconds: -1,
        calendar: CalendarId::new("24x7"),
    };
    let err = SlaClock::start(
        ClockId(Uuid::nil()),
        ClockKind::Approval,
        &target,
        &[],
        ts("2026-11-23T09:00:00Z"),
        &Calendar::AlwaysOn,
    )
    .unwrap_err();
    assert_eq!(err.code(), "validation_failed");
}
