//! The read model: dashboard filters, search and order, header counts, and
//! the other list queries, over a mirror with one pending overlay row.
#![allow(clippy::unwrap_used)]

mod common;

use common::{
    Spec, agent, assigned, at, awaiting_approval, cid, closed, entry, mirror, progress, resolved,
    run, store,
};
use redress_domain::Rules;
use redress_domain::complaint::{Command, Complaint, ComplaintState, clock_id};
use redress_domain::ids::ComplaintId;
use redress_domain::model::{ComplaintKind, PauseReason};
use redress_domain::repeat::{RepeatProbe, detect};
use redress_domain::sla::ClockKind;
use redress_local::{DashboardQuery, HeaderCounts, LocalStore, StoreError};

/// The fixture, at "now" = minute 50 (first-response clocks: warning at 45
/// minutes, due at 60; emotion-driven progress cadence: due at 30):
///
/// | n  | what                                        | next due (min)    | at 50     |
/// |----|---------------------------------------------|-------------------|-----------|
/// | 1  | 王建國, received 0                          | 60 first response | at risk   |
/// | 2  | Alice Smith, received 30; overlay: assigned | 90                | ok        |
/// | 3  | emotion-driven, received 0                  | 30 progress       | breached  |
/// | 4  | severity 3, billing/chen, received 10       | 70                | ok        |
/// | 5  | closed                                      | -                 | -         |
/// | 6  | awaiting approval, received -120            | -60               | breached  |
/// | 7  | resolved at 20, callback due at 20          | 20 + 24 h         | ok        |
/// | 8  | informed update at 5                        | 5 + 24 h progress | ok        |
/// | 11 | received -30                                | 30 first response | breached  |
fn fixture() -> (tempfile::TempDir, LocalStore) {
    let (dir, store) = store();
    let mut h = Spec::new(8).record();
    progress(&mut h, 8, at(5));
    let complaints: Vec<Complaint> = vec![
        Spec::new(1).name("王建國").phone("139 1234 5678").record(),
        Spec::new(2).name("Alice Smith").received(30).record(),
        Spec::new(3).kind(ComplaintKind::EmotionDriven).record(),
        assigned(&Spec::new(4).severity(3).received(10), "billing", "chen"),
        closed(&Spec::new(5)),
        awaiting_approval(&Spec::new(6).received(-120)),
        resolved(&Spec::new(7), at(20)),
        h,
        Spec::new(11).received(-30).record(),
    ];
    mirror(&store, &complaints);
    // A local, unconfirmed assignment of complaint 2.
    let b = assigned(
        &Spec::new(2).name("Alice Smith").received(30),
        "billing",
        "wu",
    );
    store
        .write(|tx| {
            let seq = tx.enqueue(&entry("complaint.assign"))?;
            tx.stage_complaint(&b, &Rules::default(), seq)
        })
        .unwrap();
    (dir, store)
}

fn query() -> DashboardQuery {
    DashboardQuery {
        now: at(50),
        ..DashboardQuery::default()
    }
}

fn ids(store: &LocalStore, q: &DashboardQuery) -> Vec<u128> {
    store
        .read(|r| r.dashboard(q))
        .unwrap()
        .iter()
        .map(|row| row.id.0.as_u128())
        .collect()
}

#[test]
fn open_complaints_soonest_due_first_then_oldest() {
    let (_dir, store) = fixture();
    assert_eq!(ids(&store, &query()), [6, 11, 3, 1, 4, 2, 8, 7]);
}

#[test]
fn rows_come_from_the_projected_columns() {
    let (_dir, store) = fixture();
    let rows = store.read(|r| r.dashboard(&query())).unwrap();
    let row = |n: u128| rows.iter().find(|r| r.id == cid(n)).unwrap();

    let a = row(1);
    assert_eq!(a.number, "TS-2026-000001");
    assert_eq!(a.customer_name, "王建國");
    assert_eq!(a.customer_phone, "+8613912345678");
    assert_eq!(a.kind, ComplaintKind::DemandDriven);
    assert_eq!(a.severity, 2);
    assert_eq!(a.state, ComplaintState::Recorded);
    assert_eq!(a.category.as_str(), "broadband.dropout");
    assert_eq!(a.next_due_at, Some(at(60)));
    assert_eq!(a.next_due_kind, Some(ClockKind::FirstResponse));
    assert_eq!(a.next_warn_at, Some(at(45)));
    assert_eq!(a.received_at, at(0));
    assert_eq!((a.owner.clone(), a.department.clone()), (None, None));
    assert!(!a.pending && !a.escalated && !a.public_exposure);
    assert_eq!(a.repeat_ordinal, None);

    let c = row(3);
    assert_eq!(c.next_due_kind, Some(ClockKind::ProgressUpdate));
    assert_eq!(c.next_due_at, Some(at(30)));
    assert_eq!(
        c.next_warn_at,
        Some(at(22) + jiff::SignedDuration::from_secs(30))
    );

    let b = row(2);
    assert!(b.pending, "the overlay row is shown, flagged");
    assert_eq!(b.owner.as_ref().map(|u| u.as_str()), Some("wu"));
    assert_eq!(b.state, ComplaintState::Assigned);
}

#[test]
fn the_dashboard_never_parses_the_json() {
    let (_dir, store) = fixture();
    rusqlite::Connection::open(store.path())
        .unwrap()
        .execute(
            "UPDATE complaints SET data = 'not json' WHERE id = ?1",
            [cid(1).to_string()],
        )
        .unwrap();
    assert_eq!(ids(&store, &query()).len(), 8);
    store.read(|r| r.header_counts(at(50))).unwrap();
    let err = store.read(|r| r.complaint(cid(1))).unwrap_err();
    assert_eq!(err.code(), "invalid_data");
    assert!(err.to_string().contains(&cid(1).to_string()), "{err}");
}

#[test]
fn filters_by_state_closed_only_on_request() {
    let (_dir, store) = fixture();
    let q = |states: &[&str]| DashboardQuery {
        states: states.iter().map(|s| s.to_string()).collect(),
        ..query()
    };
    assert_eq!(ids(&store, &q(&["awaiting_approval"])), [6]);
    assert_eq!(ids(&store, &q(&["closed"])), [5]);
    assert_eq!(ids(&store, &q(&["recorded"])), [11, 3, 1, 8]);
    // Nothing due sorts last.
    assert_eq!(ids(&store, &q(&["closed", "resolved"])), [7, 5]);
    assert_eq!(ids(&store, &q(&["no_such_state"])), Vec::<u128>::new());
}

#[test]
fn filters_by_owner_department_severity_and_kind() {
    let (_dir, store) = fixture();
    let owner = DashboardQuery {
        owner: Some("chen".into()),
        ..query()
    };
    assert_eq!(ids(&store, &owner), [4]);
    let dept = DashboardQuery {
        department: Some("billing".into()),
        ..query()
    };
    assert_eq!(
        ids(&store, &dept),
        [4, 2],
        "the overlay's department counts"
    );
    let dept = DashboardQuery {
        department: Some("field_service".into()),
        ..query()
    };
    assert_eq!(ids(&store, &dept), [6, 7]);
    let severity = DashboardQuery {
        severities: vec![3, 4],
        ..query()
    };
    assert_eq!(ids(&store, &severity), [4]);
    let kind = DashboardQuery {
        kinds: vec!["emotion_driven".into()],
        ..query()
    };
    assert_eq!(ids(&store, &kind), [3]);
    let both = DashboardQuery {
        kinds: vec!["emotion_driven".into(), "demand_driven".into()],
        department: Some("billing".into()),
        owner: Some("wu".into()),
        ..query()
    };
    assert_eq!(ids(&store, &both), [2]);
}

#[test]
fn breached_only_at_now() {
    let (_dir, store) = fixture();
    let q = DashboardQuery {
        breached_only: true,
        ..query()
    };
    assert_eq!(ids(&store, &q), [6, 11, 3]);
    let later = DashboardQuery {
        now: at(61),
        ..q.clone()
    };
    assert_eq!(ids(&store, &later), [6, 11, 3, 1]);
    let billing = DashboardQuery {
        department: Some("billing".into()),
        ..q
    };
    assert!(ids(&store, &billing).is_empty());
}

#[test]
fn search_matches_part_of_the_number_name_substring_or_phone_digits() {
    let (_dir, store) = fixture();
    let search = |term: &str| {
        ids(
            &store,
            &DashboardQuery {
                search: Some(term.into()),
                ..query()
            },
        )
    };
    assert_eq!(search("TS-2026-000011"), [11]);
    assert_eq!(
        search("ts-2026-00000"),
        [6, 3, 1, 4, 2, 8, 7],
        "prefix, any case"
    );
    assert_eq!(search("2026-000011"), [11], "any part of the number");
    assert_eq!(search("11"), [11], "what an agent says: the last digits");
    assert_eq!(search("00000"), search("ts-2026-00000"));
    assert_eq!(search("建國"), [1]);
    assert_eq!(search("smith"), [2]);
    assert_eq!(search("  Alice "), [2], "trimmed");
    assert_eq!(search("1234 5678"), [1], "phone digits, spacing ignored");
    assert_eq!(search("+86 139-1234"), [1]);
    assert_eq!(
        search("%"),
        Vec::<u128>::new(),
        "LIKE wildcards are literal"
    );
    assert_eq!(search("_"), Vec::<u128>::new());
    assert_eq!(search(""), ids(&store, &query()), "blank: no filter");
    let closed = DashboardQuery {
        search: Some("TS-2026-000005".into()),
        ..query()
    };
    assert!(ids(&store, &closed).is_empty(), "closed ones stay hidden");
}

#[test]
fn limit_keeps_the_most_urgent() {
    let (_dir, store) = fixture();
    let q = DashboardQuery {
        limit: Some(2),
        ..query()
    };
    assert_eq!(ids(&store, &q), [6, 11]);
}

#[test]
fn header_counts_at_an_instant() {
    let (_dir, store) = fixture();
    assert_eq!(
        store.read(|r| r.header_counts(at(50))).unwrap(),
        HeaderCounts {
            open: 8,
            at_risk: 1,
            breached: 3,
            approvals_waiting: 1,
            callbacks_due_24h: 1,
            reminders: 0,
        }
    );
    // At its due instant complaint 1 is still at risk (with 4, warned at 55);
    // a millisecond later it is breached.
    let due = store.read(|r| r.header_counts(at(60))).unwrap();
    assert_eq!((due.at_risk, due.breached), (2, 3));
    let after = at(60) + jiff::SignedDuration::from_millis(1);
    let late = store.read(|r| r.header_counts(after)).unwrap();
    assert_eq!((late.at_risk, late.breached), (1, 4));
    let hours = store.read(|r| r.header_counts(at(200))).unwrap();
    assert_eq!((hours.at_risk, hours.breached), (0, 6));
    // The callback due at minute 20 is within 24 hours of a day earlier too.
    let before = store.read(|r| r.header_counts(at(20 - 24 * 60))).unwrap();
    assert_eq!(before.callbacks_due_24h, 1);
    let too_early = store.read(|r| r.header_counts(at(19 - 24 * 60))).unwrap();
    assert_eq!(too_early.callbacks_due_24h, 0);
}

#[test]
fn approvals_callbacks_and_open_complaints() {
    let (_dir, store) = fixture();
    let pending = store.read(|r| r.with_pending_approvals()).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].complaint.id, cid(6));
    assert_eq!(pending[0].complaint.pending_approvals().count(), 1);

    let due = store.read(|r| r.callbacks_due_before(at(21))).unwrap();
    assert_eq!(
        due.iter().map(|s| s.complaint.id).collect::<Vec<_>>(),
        [cid(7)]
    );
    assert!(
        store
            .read(|r| r.callbacks_due_before(at(20)))
            .unwrap()
            .is_empty()
    );

    let open = store.read(|r| r.open_complaints()).unwrap();
    let mut open_ids: Vec<u128> = open.iter().map(|c| c.id.0.as_u128()).collect();
    open_ids.sort_unstable();
    assert_eq!(open_ids, [1, 2, 3, 4, 6, 7, 8, 11]);
    let b = open.iter().find(|c| c.id == cid(2)).unwrap();
    assert_eq!(b.state, ComplaintState::Assigned, "the overlay's version");
}

#[test]
fn paused_clocks_have_no_due_or_warning_instant() {
    let (_dir, store) = store();
    let mut c = Spec::new(12).record();
    let first_response = clock_id(c.id, ClockKind::FirstResponse);
    run(
        &mut c,
        Command::PauseClock {
            clock_id: first_response,
            reason: PauseReason::WaitingOnCustomer,
            note: String::new(),
        },
        &agent(),
        at(10),
    );
    mirror(&store, &[c]);
    let row = store.read(|r| r.dashboard(&query())).unwrap().remove(0);
    // The progress cadence (24 h, warning at 75%) is next.
    assert_eq!(row.next_due_kind, Some(ClockKind::ProgressUpdate));
    assert_eq!(row.next_due_at, Some(at(24 * 60)));
    assert_eq!(row.next_warn_at, Some(at(18 * 60)));
}

#[test]
fn a_breached_clock_paused_stays_due_and_counted_as_breached() {
    let (_dir, store) = store();
    let mut c = Spec::new(13).record();
    let first_response = clock_id(c.id, ClockKind::FirstResponse);
    let deadline = c.clock_by_id(first_response).unwrap().due_at.unwrap();
    let late = deadline + jiff::SignedDuration::from_mins(30);
    run(
        &mut c,
        Command::PauseClock {
            clock_id: first_response,
            reason: PauseReason::WaitingOnCustomer,
            note: "customer asked to call back tomorrow".into(),
        },
        &agent(),
        late,
    );
    mirror(&store, &[c]);
    let row = store.read(|r| r.dashboard(&query())).unwrap().remove(0);
    assert_eq!(row.next_due_kind, Some(ClockKind::FirstResponse));
    assert_eq!(row.next_due_at, Some(deadline));
    let later = late + jiff::SignedDuration::from_hours(2);
    let counts = store.read(|r| r.header_counts(later)).unwrap();
    assert_eq!(counts.breached, 1, "pausing does not hide the breach");
}

#[test]
fn repeat_probes_feed_repeat_detection() {
    let (_dir, store) = store();
    let first = Spec::new(21)
        .phone("138 0013 8000")
        .received(-3000)
        .record();
    let mut other = Spec::new(22).phone("138 0013 8000").received(-2000);
    other.category = "billing.overcharge".into();
    let stranger = Spec::new(23).phone("137 0000 0000").record();
    mirror(&store, &[first.clone(), other.record(), stranger]);
    let key = RepeatProbe::customer_key(&first.customer);
    let probes = store.read(|r| r.repeat_probes(&key)).unwrap();
    assert_eq!(
        probes.iter().map(|p| p.complaint).collect::<Vec<_>>(),
        [cid(21), cid(22)],
        "every category, oldest first"
    );
    assert_eq!(probes[0], RepeatProbe::of(&first));

    let again = Spec::new(24).phone("138 0013 8000").record();
    let link = detect(&RepeatProbe::of(&again), &probes, &Rules::default().repeats).unwrap();
    assert_eq!((link.ordinal, link.linked.clone()), (2, vec![cid(21)]));
    let none: Vec<RepeatProbe> = store.read(|r| r.repeat_probes("tel:+10000")).unwrap();
    assert!(none.is_empty());
}

#[test]
fn a_missing_complaint_is_none() {
    let (_dir, store) = store();
    let missing: Result<_, StoreError> =
        store.read(|r| r.complaint(ComplaintId(uuid::Uuid::nil())));
    assert_eq!(missing.unwrap(), None);
    assert_eq!(store.read(|r| r.complaint_by_number("TS-1")).unwrap(), None);
    assert_eq!(
        store.read(|r| r.header_counts(at(0))).unwrap(),
        HeaderCounts::default()
    );
}

#[test]
fn recent_decisions_newest_first_from_mirror_and_overlay() {
    let (_dir, store) = store();
    // Complaint 7's approval is decided at its minute 3; 17's a day later.
    let early = resolved(&Spec::new(7), at(20));
    let late = resolved(&Spec::new(17).received(24 * 60), at(24 * 60 + 20));
    let waiting = awaiting_approval(&Spec::new(6));
    mirror(&store, &[early, waiting]);
    store
        .write(|tx| {
            let seq = tx.enqueue(&entry("complaint.decide_approval"))?;
            tx.stage_complaint(&late, &Rules::default(), seq)
        })
        .unwrap();
    let ids = |since| -> Vec<u128> {
        store
            .read(|r| r.decided_since(since, 10))
            .unwrap()
            .iter()
            .map(|s| s.complaint.id.0.as_u128())
            .collect()
    };
    assert_eq!(
        ids(at(0)),
        [17, 7],
        "newest decision first; pending ones never"
    );
    assert_eq!(ids(at(4)), [17], "decided before `since`");
    assert_eq!(ids(at(24 * 60 + 4)), Vec::<u128>::new());
    let one = store.read(|r| r.decided_since(at(0), 1)).unwrap();
    assert_eq!(one.len(), 1, "the limit holds");
    assert!(one[0].pending, "the overlay's unconfirmed decision");
}

#[test]
fn at_risk_and_unassigned_filters_agree_with_the_counts_and_the_team_view() {
    let (_dir, store) = fixture();
    let (mut seen_at_risk, mut seen_unassigned) = (false, false);
    for minute in [0, 10, 20, 40, 90, 600, 3000] {
        let now = at(minute);
        let counts = store.read(|r| r.header_counts(now)).unwrap();
        let q = DashboardQuery { now, ..query() };
        let at_risk = store
            .read(|r| {
                r.dashboard(&DashboardQuery {
                    at_risk_only: true,
                    ..q.clone()
                })
            })
            .unwrap();
        assert_eq!(at_risk.len() as u32, counts.at_risk, "minute {minute}");
        for row in &at_risk {
            assert!(row.next_warn_at.is_some_and(|w| w <= now), "{}", row.number);
            assert!(row.next_due_at.is_some_and(|d| d >= now), "{}", row.number);
        }
        let unassigned = store
            .read(|r| {
                r.dashboard(&DashboardQuery {
                    unassigned_only: true,
                    ..q.clone()
                })
            })
            .unwrap();
        assert!(unassigned.iter().all(|r| r.owner.is_none()));
        seen_at_risk |= !at_risk.is_empty();
        seen_unassigned |= !unassigned.is_empty();

        let team = store
            .read(|r| r.workload(now, now + jiff::SignedDuration::from_hours(8)))
            .unwrap();
        let sum = |f: fn(&redress_local::Workload) -> u32| team.iter().map(f).sum::<u32>();
        assert_eq!(sum(|w| w.open), counts.open, "minute {minute}");
        assert_eq!(sum(|w| w.at_risk), counts.at_risk);
        assert_eq!(sum(|w| w.breached), counts.breached);
        let queue = team
            .iter()
            .find(|w| w.owner.is_none())
            .map_or(0, |w| w.open);
        assert_eq!(queue as usize, unassigned.len(), "the unassigned queue");
        if let Some(first) = team.first() {
            if queue > 0 {
                assert!(first.owner.is_none(), "the unassigned queue comes first");
            }
        }
    }
    assert!(
        seen_at_risk && seen_unassigned,
        "the fixture exercises both"
    );
    let (people, departments) = store.read(|r| r.people_and_departments()).unwrap();
    let people: Vec<&str> = people.iter().map(|p| p.as_str()).collect();
    let departments: Vec<&str> = departments.iter().map(|d| d.as_str()).collect();
    assert_eq!(people, ["chen", "li", "wu"]);
    assert_eq!(departments, ["billing", "field_service"]);
}

#[test]
fn closed_rows_say_when_and_how_they_ended_and_open_rows_do_not() {
    let (_dir, store) = fixture();
    let rows = store
        .read(|r| {
            r.dashboard(&DashboardQuery {
                states: vec!["closed".into()],
                ..query()
            })
        })
        .unwrap();
    assert_eq!(rows.len(), 1);
    let expected = closed(&Spec::new(5)).closure().unwrap();
    assert_eq!(rows[0].closed_at, Some(expected.at));
    assert_eq!(
        rows[0].closure,
        Some(redress_domain::complaint::ClosureOutcome::Invalid)
    );
    let open = store.read(|r| r.dashboard(&query())).unwrap();
    assert!(
        open.iter()
            .all(|r| r.closed_at.is_none() && r.closure.is_none())
    );
}
