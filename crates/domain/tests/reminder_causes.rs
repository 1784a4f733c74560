//! Reminders belong to their cause: `planner::resolution` says when the
//! cause of a reminder no longer needs anybody, and how it ended.
#![allow(clippy::unwrap_used)]

use redress_domain::Timestamp;
use redress_domain::calendar::Calendar;
use redress_domain::ids::{ApprovalId, ClockId, ComplaintId, UserId};
use redress_domain::model::{PauseReason, Role};
use redress_domain::planner::{
    ReminderKey, ReminderResolution, Threshold, Watch, WatchedApproval, WatchedCallback, resolution,
};
use redress_domain::sla::{ClockKind, ClockTarget, SlaClock};
use uuid::Uuid;

const HOUR: i64 = 3600;
const DONE: Option<ReminderResolution> = Some(ReminderResolution::Done);
const SUPERSEDED: Option<ReminderResolution> = Some(ReminderResolution::Superseded);

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn start(id: u128, kind: ClockKind, secs: i64) -> SlaClock {
    SlaClock::start(
        ClockId(Uuid::from_u128(id)),
        kind,
        &ClockTarget::round_the_clock(secs),
        &[750],
        ts("2026-03-02T08:00:00Z"),
        &Calendar::AlwaysOn,
    )
    .unwrap()
}

fn watch(clocks: Vec<SlaClock>) -> Watch {
    Watch {
        complaint: ComplaintId(Uuid::from_u128(1)),
        open: true,
        owner: Some(UserId::new("agent.li")),
        clocks,
        approvals: Vec::new(),
        callback: None,
    }
}

fn key(clock: u128, threshold: Threshold, cycle: u32, step: u32) -> ReminderKey {
    ReminderKey {
        clock: ClockId(Uuid::from_u128(clock)),
        threshold,
        cycle,
        step,
    }
}

#[test]
fn a_progress_reminder_clears_when_the_customer_is_updated() {
    let mut progress = start(20, ClockKind::ProgressUpdate, HOUR / 2);
    let due = key(20, Threshold::Due, 1, 1);
    assert_eq!(resolution(&watch(vec![progress.clone()]), &due), None);

    // Paused, the cadence still needs somebody when it resumes.
    progress
        .pause(
            ts("2026-03-02T08:40:00Z"),
            PauseReason::WaitingOnCustomer,
            String::new(),
            UserId::new("agent.li"),
        )
        .unwrap();
    assert_eq!(resolution(&watch(vec![progress.clone()]), &due), None);
    progress
        .resume(ts("2026-03-02T08:50:00Z"), &Calendar::AlwaysOn)
        .unwrap();

    // The update restarts the cadence: a new cycle, the old reminder is done.
    progress
        .restart(ts("2026-03-02T09:00:00Z"), HOUR / 2, &Calendar::AlwaysOn)
        .unwrap();
    let w = watch(vec![progress]);
    assert_eq!(resolution(&w, &due), DONE);
    assert_eq!(resolution(&w, &key(20, Threshold::Due, 2, 1)), None);
}

#[test]
fn a_deadline_reminder_clears_when_its_clock_stops_or_the_complaint_closes() {
    let mut first = start(10, ClockKind::FirstResponse, HOUR);
    let warn = key(10, Threshold::Warn(750), 1, 0);
    let breach = key(10, Threshold::Breach, 1, 0);
    assert_eq!(resolution(&watch(vec![first.clone()]), &warn), None);
    assert_eq!(resolution(&watch(vec![first.clone()]), &breach), None);

    let mut closed = watch(vec![first.clone()]);
    closed.open = false;
    assert_eq!(resolution(&closed, &breach), DONE);

    first
        .stop(ts("2026-03-02T10:00:00Z"), &Calendar::AlwaysOn)
        .unwrap();
    let w = watch(vec![first]);
    assert_eq!(resolution(&w, &warn), DONE);
    assert_eq!(resolution(&w, &breach), DONE);

    // A reminder about a clock the complaint no longer has is done too.
    assert_eq!(resolution(&watch(Vec::new()), &warn), DONE);
}

#[test]
fn an_approval_reminder_clears_when_the_approval_is_decided() {
    let approval = ApprovalId(Uuid::from_u128(7));
    let mut clock = start(30, ClockKind::Approval, 4 * HOUR);
    clock.approval = Some(approval);
    let mut w = watch(vec![clock]);
    w.approvals.push(WatchedApproval {
        approval,
        required_role: Role::Manager,
        requested_by: UserId::new("agent.li"),
        requested_at: ts("2026-03-02T08:00:00Z"),
    });
    let waiting = key(30, Threshold::Due, 1, 0);
    let warn = key(30, Threshold::Warn(750), 1, 0);
    assert_eq!(resolution(&w, &waiting), None);
    assert_eq!(resolution(&w, &warn), None);

    // Decided: the approval leaves the pending list (its clock may still run
    // until the store stops it).
    w.approvals.clear();
    assert_eq!(resolution(&w, &waiting), DONE);
    assert_eq!(resolution(&w, &warn), DONE);
}

#[test]
fn a_callback_reminder_is_superseded_by_the_next_attempt_and_done_when_recorded() {
    let mut w = watch(vec![start(40, ClockKind::Callback, 24 * HOUR)]);
    w.callback = Some(WatchedCallback {
        attempt: 1,
        next_attempt_at: ts("2026-03-02T08:00:00Z"),
    });
    let first = key(40, Threshold::Due, 1, 1);
    let second = key(40, Threshold::Due, 1, 2);
    let breach = key(40, Threshold::Breach, 1, 0);
    assert_eq!(resolution(&w, &first), None);

    // The customer did not answer: attempt 2 is planned.
    w.callback = Some(WatchedCallback {
        attempt: 2,
        next_attempt_at: ts("2026-03-02T12:00:00Z"),
    });
    assert_eq!(resolution(&w, &first), SUPERSEDED);
    assert_eq!(resolution(&w, &second), None);
    // The callback clock's own deadline still needs somebody.
    assert_eq!(resolution(&w, &breach), None);

    // The outcome is recorded: no attempt is outstanding.
    w.callback = None;
    assert_eq!(resolution(&w, &second), DONE);
}

#[test]
fn same_cause_is_one_clock_cycle() {
    let warn = key(10, Threshold::Warn(750), 1, 0);
    assert!(warn.same_cause(&key(10, Threshold::Breach, 1, 0)));
    assert!(warn.same_cause(&key(10, Threshold::Due, 1, 3)));
    assert!(!warn.same_cause(&key(10, Threshold::Breach, 2, 0)));
    assert!(!warn.same_cause(&key(11, Threshold::Warn(750), 1, 0)));
}
