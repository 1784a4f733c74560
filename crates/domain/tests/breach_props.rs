//! A breach is a fact: no sequence of pauses, resumes, stops and reopens
//! (restarts) turns a cycle that passed its deadline into one that met it,
//! on round-the-clock and office-hours calendars.
#![allow(clippy::unwrap_used)]

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use redress_domain::calendar::{Calendar, CalendarSpec};
use redress_domain::ids::{ClockId, UserId};
use redress_domain::model::PauseReason;
use redress_domain::sla::{ClockKind, ClockOutcome, ClockStatus, ClockTarget, SlaClock};
use uuid::Uuid;

#[derive(Debug, Clone, Copy)]
enum Op {
    Pause,
    Resume,
    Stop,
    Reopen,
    /// Only look at the clock.
    Look,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Pause),
        3 => Just(Op::Resume),
        1 => Just(Op::Stop),
        1 => Just(Op::Reopen),
        2 => Just(Op::Look),
    ]
}

/// Shanghai office hours on weekdays, with a lunch break.
fn office() -> Calendar {
    let day = serde_json::json!([["09:00", "12:00"], ["13:00", "18:00"]]);
    let spec: CalendarSpec = serde_json::from_value(serde_json::json!({
        "timezone": "Asia/Shanghai",
        "hours": { "mon": day, "tue": day, "wed": day, "thu": day, "fri": day }
    }))
    .unwrap();
    Calendar::from_spec(&spec).unwrap()
}

/// Whether the current cycle's status says its deadline has passed.
fn shows_breach(status: ClockStatus) -> bool {
    matches!(
        status,
        ClockStatus::Breached { .. }
            | ClockStatus::Paused {
                breached_at: Some(_)
            }
            | ClockStatus::Stopped {
                outcome: ClockOutcome::Breached
            }
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_breached_cycle_never_turns_met(
        office_hours in any::<bool>(),
        target_min in 1i64..600,
        start_min in 0i64..(7 * 24 * 60),
        steps in prop::collection::vec((op(), 0i64..900), 1..40),
    ) {
        let cal = if office_hours { office() } else { Calendar::AlwaysOn };
        let start = Timestamp::from_second(1_795_000_000).unwrap()
            + SignedDuration::from_mins(start_min);
        let mut clock = SlaClock::start(
            ClockId(Uuid::nil()),
            ClockKind::Resolution,
            &ClockTarget::round_the_clock(target_min * 60),
            &[750],
            start,
            &cal,
        )
        .unwrap();
        let mut now = start;
        // Whether the current cycle has been seen past its deadline.
        let mut breached = false;
        // Outcomes of finished cycles, by cycle number, as first recorded.
        let mut recorded: Vec<(u32, ClockOutcome)> = Vec::new();
        for (op, wait_min) in steps {
            now += SignedDuration::from_mins(wait_min);
            let before = clock.status(now, &cal);
            breached |= shows_breach(before);
            let cycle = clock.cycle;
            let _ = match op {
                Op::Pause => clock.pause(now, PauseReason::Other, "why".into(), UserId::new("a")),
                Op::Resume => clock.resume(now, &cal),
                Op::Stop => clock.stop(now, &cal).map(|_| ()),
                Op::Reopen => clock.restart(now, target_min * 60, &cal),
                Op::Look => Ok(()),
            };
            if clock.cycle == cycle {
                let after = clock.status(now, &cal);
                if breached {
                    prop_assert!(shows_breach(after), "{op:?} at {now} turned {before:?} into {after:?}");
                    prop_assert!(clock.standing_due().is_none_or(|due| due < now)
                        || !clock.is_running());
                }
                breached |= shows_breach(after);
            } else {
                // A reopen: the old cycle's record keeps the breach, and the
                // new cycle starts with time on the clock.
                if breached {
                    let last = clock.history.iter().find(|h| h.cycle == cycle).unwrap();
                    prop_assert_eq!(last.outcome, ClockOutcome::Breached);
                }
                breached = shows_breach(clock.status(now, &cal));
            }
            // Finished cycles are never rewritten.
            for h in &clock.history {
                match recorded.iter().find(|(c, _)| *c == h.cycle) {
                    Some((_, outcome)) => prop_assert_eq!(*outcome, h.outcome),
                    None => recorded.push((h.cycle, h.outcome)),
                }
            }
        }
    }
}
