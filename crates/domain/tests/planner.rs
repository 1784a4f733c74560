//! Reminder planner: which reminders a complaint produces, their keys, the
//! latest-only rule, and the index agreeing with a brute-force scan.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use redress_domain::Rules;
use redress_domain::Timestamp;
use redress_domain::calendar::{Calendar, CalendarSpec};
use redress_domain::ids::{ApprovalId, CalendarId, ClockId, ComplaintId, UserId};
use redress_domain::model::{PauseReason, Role};
use redress_domain::planner::{
    Planner, Reminder, ReminderKey, ReminderKind, Threshold, Watch, WatchedApproval,
    WatchedCallback, latest_only, missed_by_change, plan_complaint,
};
use redress_domain::sla::{ClockKind, ClockTarget, SlaClock};
use std::collections::BTreeMap;
use uuid::Uuid;

const MIN: i64 = 60;
const HOUR: i64 = 3600;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn clock_id(n: u128) -> ClockId {
    ClockId(Uuid::from_u128(n))
}

fn start(id: u128, kind: ClockKind, secs: i64, at: &str) -> SlaClock {
    SlaClock::start(
        clock_id(id),
        kind,
        &ClockTarget::round_the_clock(secs),
        &[750],
        ts(at),
        &Calendar::AlwaysOn,
    )
    .unwrap()
}

fn watch(n: u128, clocks: Vec<SlaClock>) -> Watch {
    Watch {
        complaint: ComplaintId(Uuid::from_u128(n)),
        open: true,
        owner: Some(UserId::new("agent.li")),
        clocks,
        approvals: Vec::new(),
        callback: None,
    }
}

fn key(clock: u128, threshold: Threshold, cycle: u32, step: u32) -> ReminderKey {
    ReminderKey {
        clock: clock_id(clock),
        threshold,
        cycle,
        step,
    }
}

/// `(kind, key, at)` of each reminder, the part most tests check.
fn brief(due: &[Reminder]) -> Vec<(ReminderKind, ReminderKey, Timestamp)> {
    due.iter().map(|r| (r.kind, r.key, r.at)).collect()
}

fn pause(c: &mut SlaClock, at: &str) {
    c.pause(
        ts(at),
        PauseReason::WaitingOnCustomer,
        String::new(),
        UserId::new("agent.li"),
    )
    .unwrap();
}

/// Shanghai office: weekdays 09:00-12:00 and 13:00-18:00, no DST.
fn office_rules(holidays: &[&str]) -> (Rules, Calendar) {
    let mut spec = CalendarSpec {
        timezone: "Asia/Shanghai".into(),
        holidays: holidays.iter().map(|d| (*d).to_owned()).collect(),
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
    let cal = Calendar::from_spec(&spec).unwrap();
    let mut rules = Rules::default();
    rules
        .calendars
        .insert(CalendarId::new("office"), cal.clone());
    (rules, cal)
}

fn office_clock(id: u128, kind: ClockKind, secs: i64, at: &str, cal: &Calendar) -> SlaClock {
    let target = ClockTarget {
        seconds: secs,
        calendar: CalendarId::new("office"),
    };
    SlaClock::start(clock_id(id), kind, &target, &[750], ts(at), cal).unwrap()
}

#[test]
fn warns_at_75_percent_then_breaches_at_100() {
    let rules = Rules::default();
    let w = watch(
        1,
        vec![
            start(10, ClockKind::FirstResponse, HOUR, "2026-03-02T08:00:00Z"),
            start(11, ClockKind::Resolution, 24 * HOUR, "2026-03-02T08:00:00Z"),
        ],
    );

    let plan = plan_complaint(&w, &rules, None, ts("2026-03-02T08:00:00Z"));
    assert!(plan.due.is_empty());
    assert_eq!(plan.next, Some(ts("2026-03-02T08:45:00Z")));

    let plan = plan_complaint(&w, &rules, None, ts("2026-03-02T08:45:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::SlaWarning,
            key(10, Threshold::Warn(750), 1, 0),
            ts("2026-03-02T08:45:00Z")
        )]
    );
    let warning = &plan.due[0];
    assert_eq!(warning.clock_kind, ClockKind::FirstResponse);
    assert_eq!(warning.due_at, ts("2026-03-02T09:00:00Z"));
    assert_eq!(warning.owner, Some(UserId::new("agent.li")));
    assert_eq!(warning.complaint, w.complaint);
    assert_eq!((warning.required_role, warning.approval), (None, None));
    assert_eq!(plan.next, Some(ts("2026-03-02T09:00:00Z")));

    let after = Some(ts("2026-03-02T08:45:00Z"));
    let plan = plan_complaint(&w, &rules, after, ts("2026-03-02T09:00:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::SlaBreach,
            key(10, Threshold::Breach, 1, 0),
            ts("2026-03-02T09:00:00Z")
        )]
    );
    assert_eq!(plan.next, Some(ts("2026-03-03T02:00:00Z")));

    let after = Some(ts("2026-03-02T09:00:00Z"));
    let plan = plan_complaint(&w, &rules, after, ts("2026-03-03T02:00:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::SlaWarning,
            key(11, Threshold::Warn(750), 1, 0),
            ts("2026-03-03T02:00:00Z")
        )]
    );
    assert_eq!(plan.next, Some(ts("2026-03-03T08:00:00Z")));

    let after = Some(ts("2026-03-03T02:00:00Z"));
    let plan = plan_complaint(&w, &rules, after, ts("2026-03-04T00:00:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::SlaBreach,
            key(11, Threshold::Breach, 1, 0),
            ts("2026-03-03T08:00:00Z")
        )]
    );
    assert_eq!(plan.next, None);
}

#[test]
fn several_warning_levels_fire_in_turn_and_collapse_when_both_missed() {
    let rules = Rules::default();
    let mut c = start(10, ClockKind::Resolution, 10 * HOUR, "2026-03-02T00:00:00Z");
    c.warn_at_permille = vec![500, 900];
    let w = watch(1, vec![c]);
    let plan = plan_complaint(&w, &rules, None, ts("2026-03-02T05:00:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::SlaWarning,
            key(10, Threshold::Warn(500), 1, 0),
            ts("2026-03-02T05:00:00Z")
        )]
    );
    assert_eq!(plan.next, Some(ts("2026-03-02T09:00:00Z")));
    // Offline past both warnings: only the later one.
    let plan = plan_complaint(&w, &rules, None, ts("2026-03-02T09:30:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::SlaWarning,
            key(10, Threshold::Warn(900), 1, 0),
            ts("2026-03-02T09:00:00Z")
        )]
    );
    // Offline past the deadline too: the breach alone (the warnings are moot).
    let plan = plan_complaint(&w, &rules, None, ts("2026-03-02T11:00:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::SlaBreach,
            key(10, Threshold::Breach, 1, 0),
            ts("2026-03-02T10:00:00Z")
        )]
    );
}

#[test]
fn progress_reminders_every_30_minutes_with_distinct_keys() {
    let rules = Rules::default();
    let w = watch(
        1,
        vec![start(
            20,
            ClockKind::ProgressUpdate,
            30 * MIN,
            "2026-03-02T08:00:00Z",
        )],
    );
    let mut planner = Planner::new();
    planner.upsert(w, &rules);
    assert_eq!(planner.next_wake(), Some(ts("2026-03-02T08:22:30Z")));

    let mut fired = Vec::new();
    for now in [
        "2026-03-02T08:22:30Z",
        "2026-03-02T08:30:00Z",
        "2026-03-02T08:52:30Z",
        "2026-03-02T09:00:00Z",
        "2026-03-02T09:22:30Z",
        "2026-03-02T09:30:00Z",
    ] {
        fired.extend(brief(&planner.poll(&rules, ts(now))));
    }
    let warn = |step, at| {
        (
            ReminderKind::SlaWarning,
            key(20, Threshold::Warn(750), 1, step),
            ts(at),
        )
    };
    let due = |step, at| {
        (
            ReminderKind::ProgressDue,
            key(20, Threshold::Due, 1, step),
            ts(at),
        )
    };
    assert_eq!(
        fired,
        vec![
            warn(1, "2026-03-02T08:22:30Z"),
            due(1, "2026-03-02T08:30:00Z"),
            warn(2, "2026-03-02T08:52:30Z"),
            due(2, "2026-03-02T09:00:00Z"),
            warn(3, "2026-03-02T09:22:30Z"),
            due(3, "2026-03-02T09:30:00Z"),
        ]
    );
    assert_eq!(planner.next_wake(), Some(ts("2026-03-02T09:52:30Z")));
    // Polling again at the same instant returns nothing new.
    assert!(planner.poll(&rules, ts("2026-03-02T09:30:00Z")).is_empty());
}

#[test]
fn progress_after_a_long_gap_reminds_once_for_the_latest_step() {
    let rules = Rules::default();
    let w = watch(
        1,
        vec![start(
            20,
            ClockKind::ProgressUpdate,
            30 * MIN,
            "2026-03-02T08:00:00Z",
        )],
    );
    // Last planned just after step 1; the desktop was off for a day.
    let after = Some(ts("2026-03-02T08:30:00Z"));
    let plan = plan_complaint(&w, &rules, after, ts("2026-03-03T08:10:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::ProgressDue,
            key(20, Threshold::Due, 1, 48),
            ts("2026-03-03T08:00:00Z")
        )]
    );
    assert_eq!(plan.due[0].due_at, ts("2026-03-03T08:00:00Z"));
    assert_eq!(plan.next, Some(ts("2026-03-03T08:22:30Z")));

    // Just past a warning, the warning of the step in progress comes too.
    let plan = plan_complaint(&w, &rules, after, ts("2026-03-03T08:25:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![
            (
                ReminderKind::ProgressDue,
                key(20, Threshold::Due, 1, 48),
                ts("2026-03-03T08:00:00Z")
            ),
            (
                ReminderKind::SlaWarning,
                key(20, Threshold::Warn(750), 1, 49),
                ts("2026-03-03T08:22:30Z")
            ),
        ]
    );
    assert_eq!(plan.due[1].due_at, ts("2026-03-03T08:30:00Z"));
}

#[test]
fn a_clock_started_years_ago_is_planned_without_walking_its_steps() {
    let rules = Rules::default();
    let w = watch(
        1,
        vec![start(
            20,
            ClockKind::ProgressUpdate,
            30 * MIN,
            "2021-03-02T08:00:00Z",
        )],
    );
    // 1826 days of 48 steps each.
    let plan = plan_complaint(&w, &rules, None, ts("2026-03-02T08:10:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::ProgressDue,
            key(20, Threshold::Due, 1, 87_648),
            ts("2026-03-02T08:00:00Z")
        )]
    );
    assert_eq!(plan.next, Some(ts("2026-03-02T08:22:30Z")));
}

#[test]
fn paused_clocks_are_silent_and_resumed_ones_shift() {
    let rules = Rules::default();
    let mut resolution = start(11, ClockKind::Resolution, HOUR, "2026-03-02T08:00:00Z");
    let mut progress = start(
        20,
        ClockKind::ProgressUpdate,
        30 * MIN,
        "2026-03-02T08:00:00Z",
    );
    pause(&mut resolution, "2026-03-02T08:30:00Z");
    pause(&mut progress, "2026-03-02T08:10:00Z");
    let paused = watch(1, vec![resolution.clone(), progress.clone()]);
    let after = Some(ts("2026-03-02T08:10:00Z"));
    let plan = plan_complaint(&paused, &rules, after, ts("2026-03-02T12:00:00Z"));
    assert!(plan.due.is_empty());
    assert_eq!(plan.next, None);

    // 30 and 50 minutes of pause push everything out by as much.
    resolution
        .resume(ts("2026-03-02T09:00:00Z"), &Calendar::AlwaysOn)
        .unwrap();
    progress
        .resume(ts("2026-03-02T09:00:00Z"), &Calendar::AlwaysOn)
        .unwrap();
    let resumed = watch(1, vec![resolution, progress]);
    let after = Some(ts("2026-03-02T09:00:00Z"));
    let plan = plan_complaint(&resumed, &rules, after, ts("2026-03-02T09:00:00Z"));
    assert_eq!(plan.next, Some(ts("2026-03-02T09:12:30Z")));
    // The progress warning (22.5 minutes worked) is moot by 09:20: its step is due.
    let plan = plan_complaint(&resumed, &rules, after, ts("2026-03-02T09:20:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![
            (
                ReminderKind::SlaWarning,
                key(11, Threshold::Warn(750), 1, 0),
                ts("2026-03-02T09:15:00Z")
            ),
            (
                ReminderKind::ProgressDue,
                key(20, Threshold::Due, 1, 1),
                ts("2026-03-02T09:20:00Z")
            ),
        ]
    );
    assert_eq!(plan.next, Some(ts("2026-03-02T09:30:00Z")));
    let after = Some(ts("2026-03-02T09:20:00Z"));
    let plan = plan_complaint(&resumed, &rules, after, ts("2026-03-02T09:40:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::SlaBreach,
            key(11, Threshold::Breach, 1, 0),
            ts("2026-03-02T09:30:00Z")
        )]
    );
    assert_eq!(plan.next, Some(ts("2026-03-02T09:42:30Z")));
}

#[test]
fn stopped_clocks_and_closed_complaints_are_silent() {
    let rules = Rules::default();
    let mut first = start(10, ClockKind::FirstResponse, HOUR, "2026-03-02T08:00:00Z");
    first
        .stop(ts("2026-03-02T08:20:00Z"), &Calendar::AlwaysOn)
        .unwrap();
    let resolution = start(11, ClockKind::Resolution, HOUR, "2026-03-02T08:00:00Z");
    let w = watch(1, vec![first, resolution.clone()]);
    let plan = plan_complaint(&w, &rules, None, ts("2026-03-02T12:00:00Z"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::SlaBreach,
            key(11, Threshold::Breach, 1, 0),
            ts("2026-03-02T09:00:00Z")
        )]
    );

    let mut closed = watch(2, vec![resolution]);
    closed.approvals.push(WatchedApproval {
        approval: ApprovalId(Uuid::from_u128(7)),
        required_role: Role::Manager,
        requested_by: UserId::new("agent.li"),
        requested_at: ts("2026-03-02T08:00:00Z"),
    });
    closed.open = false;
    let plan = plan_complaint(&closed, &rules, None, ts("2026-03-02T12:00:00Z"));
    assert_eq!(plan, Default::default());
    let mut planner = Planner::new();
    planner.upsert(closed, &rules);
    assert_eq!((planner.len(), planner.next_wake()), (1, None));
}

#[test]
fn approval_waiting_and_callback_due() {
    let rules = Rules::default();
    let approval = ApprovalId(Uuid::from_u128(7));
    let mut approval_clock = start(30, ClockKind::Approval, 4 * HOUR, "2026-03-02T08:05:00Z");
    approval_clock.approval = Some(approval);
    let mut w = watch(1, vec![approval_clock]);
    w.approvals.push(WatchedApproval {
        approval,
        required_role: Role::Manager,
        requested_by: UserId::new("agent.li"),
        requested_at: ts("2026-03-02T08:05:00Z"),
    });
    // An approval without a clock is skipped.
    w.approvals.push(WatchedApproval {
        approval: ApprovalId(Uuid::from_u128(8)),
        required_role: Role::Supervisor,
        requested_by: UserId::new("agent.li"),
        requested_at: ts("2026-03-02T08:06:00Z"),
    });

    let plan = plan_complaint(&w, &rules, None, ts("2026-03-02T08:05:00Z"));
    assert_eq!(
        plan.due,
        vec![Reminder {
            key: key(30, Threshold::Due, 1, 0),
            kind: ReminderKind::ApprovalWaiting,
            complaint: w.complaint,
            clock_kind: ClockKind::Approval,
            at: ts("2026-03-02T08:05:00Z"),
            due_at: ts("2026-03-02T12:05:00Z"),
            owner: Some(UserId::new("agent.li")),
            required_role: Some(Role::Manager),
            approval: Some(approval),
        }]
    );
    assert_eq!(plan.next, Some(ts("2026-03-02T11:05:00Z")));
    let after = Some(ts("2026-03-02T08:05:00Z"));
    let plan = plan_complaint(&w, &rules, after, ts("2026-03-02T11:05:00Z"));
    assert_eq!(plan.due.len(), 1);
    assert_eq!(plan.due[0].kind, ReminderKind::SlaWarning);
    assert_eq!(plan.due[0].key, key(30, Threshold::Warn(750), 1, 0));
    assert_eq!(plan.due[0].required_role, Some(Role::Manager));
    assert_eq!(plan.due[0].approval, Some(approval));

    // Second callback attempt after an unreachable first one.
    let mut w = watch(
        2,
        vec![start(
            40,
            ClockKind::Callback,
            24 * HOUR,
            "2026-03-02T10:00:00Z",
        )],
    );
    w.callback = Some(WatchedCallback {
        attempt: 2,
        next_attempt_at: ts("2026-03-02T14:00:00Z"),
    });
    let plan = plan_complaint(
        &w,
        &rules,
        Some(ts("2026-03-02T10:00:00Z")),
        ts("2026-03-02T13:59:59Z"),
    );
    assert!(plan.due.is_empty());
    assert_eq!(plan.next, Some(ts("2026-03-02T14:00:00Z")));
    let plan = plan_complaint(
        &w,
        &rules,
        Some(ts("2026-03-02T10:00:00Z")),
        ts("2026-03-02T14:00:00Z"),
    );
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::CallbackDue,
            key(40, Threshold::Due, 1, 2),
            ts("2026-03-02T14:00:00Z")
        )]
    );
    assert_eq!(plan.due[0].due_at, ts("2026-03-03T10:00:00Z"));
    assert_eq!(plan.due[0].clock_kind, ClockKind::Callback);
    assert_eq!(plan.next, Some(ts("2026-03-03T04:00:00Z")));
}

#[test]
fn a_restart_starts_a_new_cycle_with_new_keys() {
    let rules = Rules::default();
    let mut progress = start(
        20,
        ClockKind::ProgressUpdate,
        30 * MIN,
        "2026-03-02T08:00:00Z",
    );
    let mut planner = Planner::new();
    planner.upsert(watch(1, vec![progress.clone()]), &rules);
    let first = planner.poll(&rules, ts("2026-03-02T08:30:00Z"));
    assert_eq!(
        brief(&first),
        vec![(
            ReminderKind::ProgressDue,
            key(20, Threshold::Due, 1, 1),
            ts("2026-03-02T08:30:00Z")
        )]
    );

    // The customer is told about progress at 08:40: the cadence restarts.
    progress
        .restart(ts("2026-03-02T08:40:00Z"), 30 * MIN, &Calendar::AlwaysOn)
        .unwrap();
    planner.upsert(watch(1, vec![progress]), &rules);
    assert_eq!(planner.next_wake(), Some(ts("2026-03-02T09:02:30Z")));
    assert!(planner.poll(&rules, ts("2026-03-02T08:59:59Z")).is_empty());
    let second = planner.poll(&rules, ts("2026-03-02T09:10:00Z"));
    assert_eq!(
        brief(&second),
        vec![(
            ReminderKind::ProgressDue,
            key(20, Threshold::Due, 2, 1),
            ts("2026-03-02T09:10:00Z")
        )]
    );
    assert_ne!(first[0].key.to_string(), second[0].key.to_string());
}

#[test]
fn after_excludes_what_was_already_returned() {
    let rules = Rules::default();
    let w = watch(
        1,
        vec![start(
            10,
            ClockKind::FirstResponse,
            HOUR,
            "2026-03-02T08:00:00Z",
        )],
    );
    let t1 = ts("2026-03-02T08:50:00Z");
    let first = plan_complaint(&w, &rules, None, t1);
    assert_eq!(first.due.len(), 1);
    assert!(plan_complaint(&w, &rules, Some(t1), t1).due.is_empty());
    let later = plan_complaint(&w, &rules, Some(t1), ts("2026-03-02T10:00:00Z"));
    assert_eq!(
        brief(&later.due),
        vec![(
            ReminderKind::SlaBreach,
            key(10, Threshold::Breach, 1, 0),
            ts("2026-03-02T09:00:00Z")
        )]
    );
    // The window is half-open: a reminder exactly at `after` is not in it.
    let at_warning = Some(ts("2026-03-02T08:45:00Z"));
    assert!(plan_complaint(&w, &rules, at_warning, t1).due.is_empty());
}

#[test]
fn key_strings_round_trip_and_are_canonical() {
    let k = ReminderKey {
        clock: ClockId("67e55044-10b1-426f-9247-bb680e5fe0c8".parse().unwrap()),
        threshold: Threshold::Warn(750),
        cycle: 2,
        step: 3,
    };
    let s = "67e55044-10b1-426f-9247-bb680e5fe0c8/warn750/c2/s3";
    assert_eq!(k.to_string(), s);
    assert_eq!(s.parse::<ReminderKey>().unwrap(), k);
    assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{s}\""));
    assert_eq!(
        serde_json::from_str::<ReminderKey>(&format!("\"{s}\"")).unwrap(),
        k
    );
    for threshold in [Threshold::Breach, Threshold::Due, Threshold::Warn(1)] {
        let k = ReminderKey {
            threshold,
            cycle: u32::MAX,
            step: 0,
            ..k
        };
        assert_eq!(k.to_string().parse::<ReminderKey>().unwrap(), k);
    }
    for bad in [
        "",
        "67e55044-10b1-426f-9247-bb680e5fe0c8/warn750/c2",
        "67e55044-10b1-426f-9247-bb680e5fe0c8/warn750/c2/s3/x",
        "67E55044-10B1-426F-9247-BB680E5FE0C8/warn750/c2/s3",
        "67e5504410b1426f9247bb680e5fe0c8/warn750/c2/s3",
        "67e55044-10b1-426f-9247-bb680e5fe0c8/warn0750/c2/s3",
        "67e55044-10b1-426f-9247-bb680e5fe0c8/warn/c2/s3",
        "67e55044-10b1-426f-9247-bb680e5fe0c8/late/c2/s3",
        "67e55044-10b1-426f-9247-bb680e5fe0c8/due/c+2/s3",
        "67e55044-10b1-426f-9247-bb680e5fe0c8/due/2/s3",
        "67e55044-10b1-426f-9247-bb680e5fe0c8/due/c2/s-1",
    ] {
        assert!(bad.parse::<ReminderKey>().is_err(), "{bad}");
    }
}

#[test]
fn business_calendar_clocks_count_working_time_only() {
    let (rules, cal) = office_rules(&["2026-03-10"]);
    // Monday 16:00: two hours today, then Tuesday.
    let resolution = office_clock(
        11,
        ClockKind::Resolution,
        8 * HOUR,
        "2026-03-02T16:00:00+08:00",
        &cal,
    );
    let w = watch(1, vec![resolution]);
    let plan = plan_complaint(&w, &rules, None, ts("2026-03-02T18:00:00+08:00"));
    assert!(plan.due.is_empty());
    assert_eq!(plan.next, Some(ts("2026-03-03T14:00:00+08:00")));
    let plan = plan_complaint(&w, &rules, None, ts("2026-03-03T14:00:00+08:00"));
    assert_eq!(plan.next, Some(ts("2026-03-03T16:00:00+08:00")));

    // A daily (one working day) progress cadence from Friday 17:00 over a
    // weekend and a Tuesday holiday.
    let progress = office_clock(
        20,
        ClockKind::ProgressUpdate,
        8 * HOUR,
        "2026-03-06T17:00:00+08:00",
        &cal,
    );
    let w = watch(2, vec![progress]);
    let plan = plan_complaint(&w, &rules, None, ts("2026-03-09T17:00:00+08:00"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::ProgressDue,
            key(20, Threshold::Due, 1, 1),
            ts("2026-03-09T17:00:00+08:00")
        )]
    );
    let plan = plan_complaint(&w, &rules, None, ts("2026-03-11T17:30:00+08:00"));
    assert_eq!(
        brief(&plan.due),
        vec![(
            ReminderKind::ProgressDue,
            key(20, Threshold::Due, 1, 2),
            ts("2026-03-11T17:00:00+08:00")
        )]
    );
    assert_eq!(plan.next, Some(ts("2026-03-12T15:00:00+08:00")));

    // An unknown calendar is reported, not silently treated as 24x7; the
    // breach still fires at the clock's own deadline.
    let mut orphan = start(12, ClockKind::Resolution, HOUR, "2026-03-02T08:00:00Z");
    orphan.calendar = CalendarId::new("gone");
    let w = watch(3, vec![orphan]);
    let plan = plan_complaint(&w, &rules, None, ts("2026-03-02T09:00:00Z"));
    assert_eq!(plan.unplannable, vec![clock_id(12)]);
    assert_eq!(brief(&plan.due).len(), 1);
    assert_eq!(plan.due[0].kind, ReminderKind::SlaBreach);
}

#[test]
fn an_approval_synced_late_still_reminds() {
    let rules = Rules::default();
    let approval = ApprovalId(Uuid::from_u128(7));
    let progress = start(
        20,
        ClockKind::ProgressUpdate,
        30 * MIN,
        "2026-03-02T08:00:00Z",
    );
    let mut planner = Planner::new();
    let old = watch(1, vec![progress.clone()]);
    planner.upsert(old.clone(), &rules);
    assert_eq!(planner.poll(&rules, ts("2026-03-02T08:30:00Z")).len(), 1);

    // Requested on another desktop at 08:10, synced here at 08:31.
    let mut approval_clock = start(30, ClockKind::Approval, 4 * HOUR, "2026-03-02T08:10:00Z");
    approval_clock.approval = Some(approval);
    let mut new = watch(1, vec![progress, approval_clock]);
    new.approvals.push(WatchedApproval {
        approval,
        required_role: Role::Supervisor,
        requested_by: UserId::new("agent.wu"),
        requested_at: ts("2026-03-02T08:10:00Z"),
    });
    let missed = missed_by_change(&old, &new, &rules, ts("2026-03-02T08:30:00Z"));
    assert_eq!(
        brief(&missed),
        vec![(
            ReminderKind::ApprovalWaiting,
            key(30, Threshold::Due, 1, 0),
            ts("2026-03-02T08:10:00Z")
        )]
    );
    planner.upsert(new.clone(), &rules);
    assert_eq!(planner.next_wake(), Some(ts("2026-03-02T08:10:00Z")));
    let fired = planner.poll(&rules, ts("2026-03-02T08:31:00Z"));
    assert_eq!(brief(&fired), brief(&missed));
    // Upserting the same state again changes nothing.
    planner.upsert(new, &rules);
    assert!(planner.poll(&rules, ts("2026-03-02T08:32:00Z")).is_empty());
    assert_eq!(planner.next_wake(), Some(ts("2026-03-02T08:52:30Z")));
}

#[test]
fn remove_and_next_wake_is_the_minimum() {
    let rules = Rules::default();
    let mut planner = Planner::new();
    assert!(planner.is_empty());
    assert_eq!(planner.next_wake(), None);
    let starts = [
        "2026-03-02T08:00:00Z",
        "2026-03-02T07:00:00Z",
        "2026-03-02T09:00:00Z",
    ];
    for (n, at) in (1u128..).zip(starts) {
        planner.upsert(
            watch(n, vec![start(n, ClockKind::FirstResponse, HOUR, at)]),
            &rules,
        );
    }
    assert_eq!(planner.len(), 3);
    assert_eq!(planner.next_wake(), Some(ts("2026-03-02T07:45:00Z")));
    assert!(planner.remove(ComplaintId(Uuid::from_u128(2))));
    assert!(!planner.remove(ComplaintId(Uuid::from_u128(2))));
    assert_eq!(planner.next_wake(), Some(ts("2026-03-02T08:45:00Z")));
    let fired = planner.poll(&rules, ts("2026-03-02T08:50:00Z"));
    assert_eq!(fired.len(), 1);
    assert_eq!(planner.next_wake(), Some(ts("2026-03-02T09:00:00Z")));
    assert_eq!(planner.len(), 2);
}

// ---------------------------------------------------------------------------
// Randomized: the index against a brute-force scan, and plan_complaint against
// a naive enumeration of every instant.

/// A small deterministic generator (the tests need no crate for it).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const T0: i64 = 1_772_438_400; // 2026-03-02T08:00:00Z

fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(T0 + secs).unwrap()
}

fn cal_of<'a>(rules: &'a Rules, c: &SlaClock) -> &'a Calendar {
    rules.calendar(&c.calendar).unwrap()
}

fn random_clock(rng: &mut Lcg, rules: &Rules, id: u128, kind: ClockKind, horizon: i64) -> SlaClock {
    let secs = match kind {
        ClockKind::ProgressUpdate => [30 * MIN, 2 * HOUR, 8 * HOUR][rng.below(3) as usize],
        _ => [15 * MIN, HOUR, 4 * HOUR, 24 * HOUR][rng.below(4) as usize],
    };
    let calendar = if rng.chance(30) { "office" } else { "24x7" };
    let target = ClockTarget {
        seconds: secs,
        calendar: CalendarId::new(calendar),
    };
    let warns: &[u16] = [&[][..], &[750], &[500, 900]][rng.below(3) as usize];
    let started = at(-(rng.below(3 * 86_400) as i64) + rng.below(horizon as u64) as i64 / 4);
    let cal = rules.calendar(&target.calendar).unwrap();
    let mut c = SlaClock::start(clock_id(id), kind, &target, warns, started, cal).unwrap();
    if rng.chance(20) {
        let p = started.as_second() + rng.below(4 * 3600) as i64;
        c.pause(
            Timestamp::from_second(p).unwrap(),
            PauseReason::Other,
            String::new(),
            UserId::new("x"),
        )
        .unwrap();
        if rng.chance(60) {
            let r = Timestamp::from_second(p + rng.below(3 * 3600) as i64).unwrap();
            c.resume(r, cal).unwrap();
        }
    }
    c
}

fn random_watch(rng: &mut Lcg, rules: &Rules, n: u128, horizon: i64) -> Watch {
    let base = n * 100;
    let mut clocks = vec![
        random_clock(rng, rules, base + 1, ClockKind::FirstResponse, horizon),
        random_clock(rng, rules, base + 2, ClockKind::Resolution, horizon),
    ];
    if rng.chance(50) {
        clocks.push(random_clock(
            rng,
            rules,
            base + 3,
            ClockKind::ProgressUpdate,
            horizon,
        ));
    }
    let mut w = watch(n, Vec::new());
    if rng.chance(30) {
        let approval = ApprovalId(Uuid::from_u128(base + 4));
        let mut c = random_clock(rng, rules, base + 4, ClockKind::Approval, horizon);
        c.approval = Some(approval);
        w.approvals.push(WatchedApproval {
            approval,
            required_role: Role::Manager,
            requested_by: UserId::new("agent.li"),
            requested_at: c.started_at,
        });
        clocks.push(c);
    }
    if rng.chance(20) {
        let c = random_clock(rng, rules, base + 5, ClockKind::Callback, horizon);
        w.callback = Some(WatchedCallback {
            attempt: 1 + rng.below(3) as u32,
            next_attempt_at: Timestamp::from_second(
                c.started_at.as_second() + rng.below(86_400) as i64,
            )
            .unwrap(),
        });
        clocks.push(c);
    }
    if rng.chance(20) {
        let i = rng.below(clocks.len() as u64) as usize;
        let stop_at = clocks[i].started_at;
        let c = &mut clocks[i];
        let cal = cal_of(rules, c).clone();
        c.stop(stop_at, &cal).unwrap();
    }
    w.open = !rng.chance(5);
    w.clocks = clocks;
    w
}

/// A change made at `now`, as the complaint engine would make it live.
fn mutate(rng: &mut Lcg, rules: &Rules, w: &mut Watch, now: Timestamp) {
    let i = rng.below(w.clocks.len() as u64) as usize;
    let c = &mut w.clocks[i];
    let cal = cal_of(rules, c).clone();
    match rng.below(6) {
        0 => {
            let target = c.target_secs;
            c.restart(now, target, &cal).unwrap();
        }
        1 if c.is_running() && !c.is_paused() && now >= c.started_at => {
            c.pause(
                now,
                PauseReason::WaitingOnCustomer,
                String::new(),
                UserId::new("x"),
            )
            .unwrap();
        }
        2 if c.is_running() && c.is_paused() => c.resume(now, &cal).unwrap(),
        3 if now >= c.started_at => {
            c.stop(now, &cal).unwrap();
        }
        4 => {
            let n = w.approvals.len() as u128 + 50;
            let approval = ApprovalId(Uuid::from_u128(w.complaint.0.as_u128() * 100 + n));
            let mut clock = SlaClock::start(
                clock_id(w.complaint.0.as_u128() * 100 + n),
                ClockKind::Approval,
                &ClockTarget::round_the_clock(4 * HOUR),
                &[750],
                now,
                &Calendar::AlwaysOn,
            )
            .unwrap();
            clock.approval = Some(approval);
            w.clocks.push(clock);
            w.approvals.push(WatchedApproval {
                approval,
                required_role: Role::Supervisor,
                requested_by: UserId::new("agent.li"),
                requested_at: now,
            });
        }
        _ => w.open = !w.open,
    }
}

/// The planner without its index: every tick, every complaint's next instant
/// is recomputed from scratch and the ones due are planned. Per complaint it
/// keeps what the planner keeps: the state, the state as of the last planned
/// window if it changed since (`base`), and that window's end.
#[derive(Default)]
struct BruteForce {
    watches: BTreeMap<ComplaintId, (Watch, Option<Watch>, Option<Timestamp>)>,
}

impl BruteForce {
    fn upsert(&mut self, w: Watch) {
        let (base, last) = match self.watches.remove(&w.complaint) {
            Some((old, base, last)) => (
                base.or(Some(old)).filter(|b| last.is_some() && *b != w),
                last,
            ),
            None => (None, None),
        };
        self.watches.insert(w.complaint, (w, base, last));
    }

    fn missed(
        w: &Watch,
        base: &Option<Watch>,
        last: Option<Timestamp>,
        rules: &Rules,
    ) -> Vec<Reminder> {
        match (base, last) {
            (Some(base), Some(last)) => missed_by_change(base, w, rules, last),
            _ => Vec::new(),
        }
    }

    fn slot(
        w: &Watch,
        base: &Option<Watch>,
        last: Option<Timestamp>,
        rules: &Rules,
    ) -> Option<Timestamp> {
        let next = plan_complaint(w, rules, last, last.unwrap_or(Timestamp::MIN)).next;
        let missed = Self::missed(w, base, last, rules);
        missed.into_iter().map(|r| r.at).chain(next).min()
    }

    fn poll(&mut self, rules: &Rules, now: Timestamp) -> Vec<Reminder> {
        let mut out = Vec::new();
        for (w, base, last) in self.watches.values_mut() {
            if Self::slot(w, base, *last, rules).is_none_or(|slot| slot > now) {
                continue;
            }
            let mut batch = Self::missed(w, base, *last, rules);
            batch.extend(plan_complaint(w, rules, *last, now).due);
            out.extend(latest_only(batch));
            *base = None;
            *last = Some(now);
        }
        out.sort_by_key(|r| (r.at, r.complaint, r.key));
        out
    }

    fn next_wake(&self, rules: &Rules) -> Option<Timestamp> {
        self.watches
            .values()
            .filter_map(|(w, base, last)| Self::slot(w, base, *last, rules))
            .min()
    }
}

fn planner_matches_brute_force(seed: u64) {
    let (rules, _) = office_rules(&["2026-03-04"]);
    let mut rng = Lcg(seed);
    let horizon = 3 * 86_400;
    let mut planner = Planner::new();
    let mut brute = BruteForce::default();
    let mut ids = Vec::new();
    for n in 1..=60u128 {
        let w = random_watch(&mut rng, &rules, n, horizon);
        ids.push(w.complaint);
        planner.upsert(w.clone(), &rules);
        brute.upsert(w);
    }
    let mut now = at(-3600);
    let mut total = 0;
    for tick in 0..120 {
        now = Timestamp::from_second(now.as_second() + 1 + rng.below(horizon as u64 / 60) as i64)
            .unwrap();
        // Sometimes poll exactly at the next wake-up.
        if rng.chance(20) {
            if let Some(wake) = planner.next_wake().filter(|w| *w > now) {
                now = wake;
            }
        }
        let got = planner.poll(&rules, now);
        let want = brute.poll(&rules, now);
        assert_eq!(got, want, "seed {seed} tick {tick} at {now}");
        total += got.len();
        let (p, b) = (planner.next_wake(), brute.next_wake(&rules));
        assert_eq!(p, b, "seed {seed} tick {tick}: next wake");
        assert!(p.is_none_or(|p| p > now));

        // Live changes to a few complaints, and the odd new or removed one.
        for _ in 0..rng.below(4) {
            let id = ids[rng.below(ids.len() as u64) as usize];
            let Some((w, _, _)) = brute.watches.get(&id) else {
                continue;
            };
            let mut w = w.clone();
            mutate(&mut rng, &rules, &mut w, now);
            planner.upsert(w.clone(), &rules);
            brute.upsert(w);
        }
        assert_eq!(
            planner.next_wake(),
            brute.next_wake(&rules),
            "seed {seed} tick {tick}: after changes"
        );
        if rng.chance(10) {
            let n = 1000 + tick as u128;
            let mut w = random_watch(&mut rng, &rules, n, horizon);
            for c in &mut w.clocks {
                let cal = cal_of(&rules, c).clone();
                c.restart(now, c.target_secs, &cal).unwrap();
            }
            ids.push(w.complaint);
            planner.upsert(w.clone(), &rules);
            brute.upsert(w);
        }
        if rng.chance(10) {
            let id = ids[rng.below(ids.len() as u64) as usize];
            assert_eq!(planner.remove(id), brute.watches.remove(&id).is_some());
        }
        assert_eq!(planner.len(), brute.watches.len());
    }
    assert!(
        total > 50,
        "seed {seed}: only {total} reminders, the test is too weak"
    );
}

/// Without changes the planner is exactly `plan_complaint` run over every
/// complaint on every tick, each window starting where the last one ended.
fn planner_matches_plain_scan(seed: u64) {
    let (rules, _) = office_rules(&["2026-03-04"]);
    let mut rng = Lcg(seed);
    let mut planner = Planner::new();
    let mut scan: Vec<(Watch, Option<Timestamp>)> = Vec::new();
    for n in 1..=60u128 {
        let w = random_watch(&mut rng, &rules, n, 3 * 86_400);
        planner.upsert(w.clone(), &rules);
        scan.push((w, None));
    }
    let mut now = at(-7200);
    for tick in 0..100 {
        now = Timestamp::from_second(now.as_second() + 1 + rng.below(4 * 3600) as i64).unwrap();
        let mut want: Vec<Reminder> = Vec::new();
        for (w, last) in &mut scan {
            want.extend(plan_complaint(w, &rules, *last, now).due);
            *last = Some(now);
        }
        want.sort_by_key(|r| (r.at, r.complaint, r.key));
        assert_eq!(planner.poll(&rules, now), want, "seed {seed} tick {tick}");
        let next = scan
            .iter()
            .filter_map(|(w, last)| plan_complaint(w, &rules, *last, now).next)
            .min();
        assert_eq!(planner.next_wake(), next, "seed {seed} tick {tick}");
    }
}

#[test]
fn planner_equals_brute_force_on_fixed_seeds() {
    for seed in [1, 2, 3, 42, 2026] {
        planner_matches_plain_scan(seed);
        planner_matches_brute_force(seed);
    }
}

/// One instant of a watch: kind, key, instant, and the deadline it is about.
type Event = (ReminderKind, ReminderKey, Timestamp, Timestamp);

/// Every instant of a watch up to the first cadence step past `now`, walking
/// the cadence one step at a time.
fn naive_events(w: &Watch, rules: &Rules, now: Timestamp) -> Vec<Event> {
    let mut events = Vec::new();
    if !w.open {
        return events;
    }
    for c in &w.clocks {
        if c.stopped.is_some() || c.is_paused() {
            continue;
        }
        let cal = cal_of(rules, c);
        let k = |threshold, step| ReminderKey {
            clock: c.id,
            threshold,
            cycle: c.cycle,
            step,
        };
        let warns = c
            .warn_at_permille
            .iter()
            .copied()
            .filter(|p| (1..1000).contains(p));
        if c.kind == ClockKind::ProgressUpdate {
            let pauses = c.closed_pauses();
            for n in 1i64.. {
                let due = cal.add(c.started_at, n * c.target_secs, &pauses).unwrap();
                for p in warns.clone() {
                    let offset = (n - 1) * c.target_secs + c.target_secs * i64::from(p) / 1000;
                    let t = cal.add(c.started_at, offset, &pauses).unwrap();
                    let key = k(Threshold::Warn(p), n as u32);
                    events.push((ReminderKind::SlaWarning, key, t, due));
                }
                let key = k(Threshold::Due, n as u32);
                events.push((ReminderKind::ProgressDue, key, due, due));
                if due > now {
                    break;
                }
            }
        } else {
            let due = c.due_at.unwrap();
            for p in warns {
                let t = c.threshold_instant(p, cal).unwrap();
                events.push((ReminderKind::SlaWarning, k(Threshold::Warn(p), 0), t, due));
            }
            events.push((ReminderKind::SlaBreach, k(Threshold::Breach, 0), due, due));
        }
    }
    for a in &w.approvals {
        if let Some(c) = w.clocks.iter().find(|c| c.approval == Some(a.approval)) {
            let key = ReminderKey {
                clock: c.id,
                threshold: Threshold::Due,
                cycle: c.cycle,
                step: 0,
            };
            let t = a.requested_at;
            events.push((ReminderKind::ApprovalWaiting, key, t, t));
        }
    }
    if let Some(cb) = &w.callback {
        let callbacks = || {
            w.clocks
                .iter()
                .rev()
                .filter(|c| c.kind == ClockKind::Callback)
        };
        let clock = callbacks()
            .find(|c| c.stopped.is_none())
            .or_else(|| callbacks().next());
        if let Some(c) = clock {
            let key = ReminderKey {
                clock: c.id,
                threshold: Threshold::Due,
                cycle: c.cycle,
                step: cb.attempt,
            };
            let t = cb.next_attempt_at;
            events.push((ReminderKind::CallbackDue, key, t, t));
        }
    }
    events
}

/// The documented rule applied to the naive enumeration: the window, the
/// latest per clock and kind of threshold, and no warning whose deadline has
/// already passed.
fn naive_plan(
    w: &Watch,
    rules: &Rules,
    after: Option<Timestamp>,
    now: Timestamp,
) -> (
    Vec<(ReminderKind, ReminderKey, Timestamp)>,
    Option<Timestamp>,
) {
    let events = naive_events(w, rules, now);
    let next = events.iter().map(|e| e.2).filter(|t| *t > now).min();
    let group = |k: &ReminderKey| (k.clock, std::mem::discriminant(&k.threshold));
    let mut latest: Vec<Event> = Vec::new();
    for e in events {
        if e.2 > now || after.is_some_and(|a| e.2 <= a) {
            continue;
        }
        match latest.iter_mut().find(|l| group(&l.1) == group(&e.1)) {
            Some(l) if (l.2, l.1) >= (e.2, e.1) => {}
            Some(l) => *l = e,
            None => latest.push(e),
        }
    }
    latest.retain(|e| e.0 != ReminderKind::SlaWarning || e.3 > now);
    latest.sort_by_key(|e| (e.2, e.1));
    (latest.into_iter().map(|e| (e.0, e.1, e.2)).collect(), next)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn planner_equals_brute_force(seed in any::<u64>()) {
        planner_matches_brute_force(seed);
    }

    #[test]
    fn plan_matches_naive_enumeration(seed in any::<u64>(), gap in 0i64..4 * 86_400, span in 0i64..86_400) {
        let (rules, _) = office_rules(&["2026-03-04"]);
        let mut rng = Lcg(seed);
        let w = random_watch(&mut rng, &rules, 1, 3 * 86_400);
        let after = (gap % 3 != 0).then(|| at(gap - 86_400));
        let now = at(gap - 86_400 + span);
        let plan = plan_complaint(&w, &rules, after, now);
        let (due, next) = naive_plan(&w, &rules, after, now);
        prop_assert_eq!(brief(&plan.due), due);
        prop_assert_eq!(plan.next, next);
        prop_assert!(plan.unplannable.is_empty());
    }
}
