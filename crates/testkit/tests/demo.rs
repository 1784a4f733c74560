//! Demo data: every state, the five examples, the clock mix at `now`,
//! determinism, and that every complaint is a legal, serialisable one.
#![allow(clippy::unwrap_used)]

use jiff::{SignedDuration, Timestamp};
use redress_domain::Rules;
use redress_domain::complaint::{ApprovalState, Complaint, ComplaintState, RemedyState};
use redress_domain::model::{
    Channel, ComplaintKind, InvalidReason, RemedyKind, Role, RootCause, Severity,
};
use redress_domain::sla::{ClockKind, ClockStatus, SlaClock};
use redress_testkit::demo::examples;
use redress_testkit::{DemoOptions, demo_complaints};
use std::collections::BTreeSet;

fn now() -> Timestamp {
    // A Wednesday, 14:30 in Shanghai.
    "2026-03-04T06:30:00Z".parse().unwrap()
}

fn demo(count: usize, seed: u64) -> Vec<Complaint> {
    demo_complaints(&DemoOptions::new(count, seed, now()), &Rules::default())
        .unwrap_or_else(|e| panic!("demo data refused by the rulebook: {e} ({})", e.code()))
}

fn find(all: &[Complaint], id: redress_domain::ids::ComplaintId) -> &Complaint {
    all.iter().find(|c| c.id == id).unwrap()
}

fn status(clock: &SlaClock, rules: &Rules) -> ClockStatus {
    clock.status(now(), rules.calendar(&clock.calendar).unwrap())
}

#[test]
fn every_state_appears_for_300() {
    let all = demo(300, 1);
    assert_eq!(all.len(), 307);
    let seen: BTreeSet<ComplaintState> = all.iter().map(|c| c.state).collect();
    for state in ComplaintState::ALL {
        assert!(seen.contains(&state), "no complaint is {state}");
    }
    let open = all.iter().filter(|c| c.state.is_open()).count();
    // 30 generated (10% of 300) plus four open examples.
    assert_eq!(open, 34);
    let departments: BTreeSet<&str> = all
        .iter()
        .filter_map(|c| c.department.as_ref().map(|d| d.as_str()))
        .collect();
    for d in [
        "logistics",
        "quality",
        "billing",
        "network_operations",
        "field_service",
        "customer_care",
    ] {
        assert!(departments.contains(d), "no complaint assigned to {d}");
    }
    let kinds: BTreeSet<RemedyKind> = all
        .iter()
        .flat_map(|c| c.remedies.iter().map(|r| r.kind))
        .collect();
    assert!(kinds.len() >= 7, "{kinds:?}");
    let channels: BTreeSet<Channel> = all.iter().map(|c| c.channel).collect();
    assert_eq!(channels.len(), Channel::ALL.len());
    assert!(
        all.iter().any(|c| c.reopen_count > 0),
        "no reopened complaint"
    );
    assert!(
        all.iter()
            .filter(|c| c.id != examples::BROADBAND_REPEAT)
            .any(|c| c.repeat.as_ref().is_some_and(|r| r.ordinal >= 2)),
        "no generated repeat"
    );
}

#[test]
fn the_five_examples_are_there_as_described() {
    let rules = Rules::default();
    let all = demo(50, 2);

    let card = find(&all, examples::LOST_CARD);
    assert_eq!(card.category.as_str(), "banking.card_replacement");
    assert_eq!(card.kind, ComplaintKind::DemandDriven);
    let causes = &card.root_cause.as_ref().unwrap().categories;
    assert_eq!(causes, &vec![RootCause::Process, RootCause::System]);

    let first = find(&all, examples::BROADBAND_FIRST);
    let second = find(&all, examples::BROADBAND_SECOND);
    let third = find(&all, examples::BROADBAND_REPEAT);
    assert_eq!(first.state, ComplaintState::Closed);
    assert_eq!(second.state, ComplaintState::Closed);
    assert_eq!(second.repeat.as_ref().map(|r| r.ordinal), Some(2));
    let link = third.repeat.as_ref().unwrap();
    assert_eq!(link.ordinal, 3);
    assert!(link.escalated);
    assert_eq!(link.linked, vec![first.id, second.id]);
    assert_eq!(third.severity, Severity::HIGH, "raised from medium");
    assert_eq!(third.kind, ComplaintKind::EmotionDriven);
    assert_eq!(third.category.as_str(), "broadband.dropout");
    assert_eq!(third.state, ComplaintState::AwaitingApproval);
    let pending: Vec<_> = third.pending_approvals().collect();
    assert_eq!(pending.len(), 1);
    let agent_limit = rules
        .authority
        .grant_limit(Role::Agent, RemedyKind::FeeWaiver);
    assert!(pending[0].amount.amount_minor > agent_limit);
    assert_eq!(pending[0].required_role, Role::Supervisor);
    assert_eq!(
        third.remedies[0].kind,
        RemedyKind::FeeWaiver,
        "a fee waiver"
    );

    let tone = find(&all, examples::RING_BACK_TONE);
    assert_eq!(tone.category.as_str(), "telecom.value_added_billing");
    assert_eq!(tone.state, ComplaintState::Closed);
    let validity = tone.validity.as_ref().unwrap();
    assert!(!validity.valid);
    assert_eq!(validity.reason, Some(InvalidReason::Misunderstanding));

    let tour = find(&all, examples::PACKAGE_TOUR);
    assert_eq!(tour.category.as_str(), "travel.package_tour");
    assert!(tour.public_exposure);
    assert_eq!(tour.channel, Channel::SocialMedia);
    assert_eq!(tour.kind, ComplaintKind::Compound);
    let tour_pending: Vec<_> = tour.pending_approvals().collect();
    assert_eq!(tour_pending.len(), 1);
    assert_eq!(tour_pending[0].required_role, Role::Manager);

    let part = find(&all, examples::WRONG_SPARE_PART);
    assert_eq!(part.category.as_str(), "logistics.wrong_item");
    assert_eq!(part.department.as_ref().unwrap().as_str(), "logistics");
    assert_eq!(part.remedies[0].kind, RemedyKind::Replacement);
    assert_eq!(part.remedies[0].state, RemedyState::Implemented);
    assert!(
        part.approvals
            .iter()
            .any(|a| a.state == ApprovalState::Approved)
    );
}

#[test]
fn at_now_some_clocks_are_due_warning_breached_and_about_to_fall_due() {
    let rules = Rules::default();
    let all = demo(300, 3);
    let open = || all.iter().filter(|c| c.state.is_open());
    let running = || open().flat_map(|c| c.clocks.iter().filter(|k| k.is_running()));

    let progress_due = open()
        .filter(|c| c.kind == ComplaintKind::EmotionDriven)
        .filter_map(|c| c.clock(ClockKind::ProgressUpdate))
        .filter(|k| k.is_running() && k.due_at.is_some_and(|d| d <= now()))
        .count();
    assert!(progress_due > 0, "no emotion-driven progress update is due");

    let breached_resolution = open()
        .filter_map(|c| c.clock(ClockKind::Resolution))
        .filter(|k| matches!(status(k, &rules), ClockStatus::Breached { .. }))
        .count();
    assert!(breached_resolution > 0, "no resolution clock breached");

    let warning = running()
        .filter(|k| matches!(status(k, &rules), ClockStatus::Warning { .. }))
        .count();
    assert!(warning > 0, "no clock in warning");

    let soon = at(now(), 60);
    let due_soon = running()
        .filter(|k| k.due_at.is_some_and(|d| d > now() && d <= soon))
        .count();
    assert!(due_soon > 0, "nothing falls due within a minute");

    // The mix is a mix: most open complaints are fine.
    let breached = running()
        .filter(|k| matches!(status(k, &rules), ClockStatus::Breached { .. }))
        .count();
    assert!(breached < running().count() / 2, "{breached} breached");
}

fn at(t: Timestamp, secs: i64) -> Timestamp {
    t + SignedDuration::from_secs(secs)
}

#[test]
fn the_same_options_give_the_same_bytes() {
    let a = serde_json::to_string(&demo(120, 7)).unwrap();
    let b = serde_json::to_string(&demo(120, 7)).unwrap();
    assert_eq!(a, b);
    let c = serde_json::to_string(&demo(120, 8)).unwrap();
    assert_ne!(a, c);
}

#[test]
fn every_complaint_is_legal_numbered_in_order_and_round_trips() {
    let all = demo(300, 4);
    let mut previous: Option<Timestamp> = None;
    for (i, c) in all.iter().enumerate() {
        assert_eq!(c.number, format!("TS-2026-{:06}", i + 1));
        assert!(previous.is_none_or(|p| p <= c.received_at), "{}", c.number);
        previous = Some(c.received_at);
        assert!(c.received_at <= now());
        assert!(!c.timeline.is_empty(), "{}", c.number);
        let times: Vec<Timestamp> = c.timeline.iter().map(|e| e.at).collect();
        assert!(times.is_sorted(), "{} timeline out of order", c.number);
        assert!(
            times.iter().all(|t| *t <= now()),
            "{} acts after now",
            c.number
        );
        let age = now().duration_since(c.received_at);
        if c.state.is_open() && !examples::ALL.contains(&c.id) {
            assert!(age <= SignedDuration::from_hours(53), "{} {age}", c.number);
        } else {
            assert!(
                age <= SignedDuration::from_hours(24 * 41),
                "{} {age}",
                c.number
            );
        }
        let json = serde_json::to_string(c).unwrap();
        let back: Complaint = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, c);
    }
    let ids: BTreeSet<_> = all.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), all.len());
}

#[test]
fn open_share_is_respected() {
    let mut opts = DemoOptions::new(1_000, 5, now());
    opts.open_share = 0.2;
    let all = demo_complaints(&opts, &Rules::default()).unwrap();
    let open = all.iter().filter(|c| c.state.is_open()).count();
    assert_eq!(open, 200 + 4);
    opts.count = 0;
    assert_eq!(demo_complaints(&opts, &Rules::default()).unwrap().len(), 7);
}
