//! The complaint lifecycle: every transition (legal and illegal), the closed
//! loop, remedies and approvals, callbacks, clocks, atomicity and repeats.
#![allow(clippy::unwrap_used)]

use redress_domain::complaint::{
    Alert, ApprovalState, Closure, ClosureOutcome, Command, Complaint, ComplaintDraft,
    ComplaintState, NewComplaint, RemedyState, Step, StepOffer, Target, Tier, TimelineEvent,
    approval_clock_id, approval_id, clock_id,
};
use redress_domain::ids::{
    AttemptId, CategoryCode, ComplaintId, DeptId, RemedyId, UpdateId, UserId,
};
use redress_domain::model::{
    Actor, CallbackOutcome, Channel, ComplaintKind, Customer, DemandClass, InvalidReason, Money,
    PauseReason, RemedyKind, Role, RootCause, Severity, Subject, SubjectKind,
};
use redress_domain::repeat::{RepeatProbe, detect};
use redress_domain::sla::{ClockKind, ClockOutcome, ClockStatus};
use redress_domain::{DomainError, ErrorCode, Rules, Timestamp};
use uuid::Uuid;

// ---------------------------------------------------------------- fixtures

const T0: &str = "2026-11-02T01:00:00Z";

fn at(minutes: i64) -> Timestamp {
    T0.parse::<Timestamp>().unwrap() + jiff::SignedDuration::from_mins(minutes)
}

fn li() -> Actor {
    Actor::new("li", Role::Agent)
}
fn chen() -> Actor {
    Actor::new("chen", Role::Agent)
}
fn zhang() -> Actor {
    Actor::new("zhang", Role::Supervisor)
}
fn wang() -> Actor {
    Actor::new("wang", Role::Manager)
}

fn rid(n: u128) -> RemedyId {
    RemedyId(Uuid::from_u128(0x5e00 + n))
}
fn uid(n: u128) -> UpdateId {
    UpdateId(Uuid::from_u128(0xa000 + n))
}
fn aid(n: u128) -> AttemptId {
    AttemptId(Uuid::from_u128(0xca11 + n))
}

fn new_complaint(n: u128) -> NewComplaint {
    NewComplaint {
        id: ComplaintId(Uuid::from_u128(n)),
        number: format!("TS-2026-{n:06}"),
        draft: ComplaintDraft {
            customer: Customer {
                name: "王先生".into(),
                phone: "138-0013 8000".into(),
                customer_id: None,
            },
            channel: Channel::Phone,
            subject: Subject {
                kind: SubjectKind::BusinessLine,
                reference: "home broadband".into(),
            },
            category: CategoryCode::new("broadband.dropout"),
            demand: "fee waiver for the month".into(),
            description: "line drops every evening; third call".into(),
            kind: ComplaintKind::DemandDriven,
            demand_class: DemandClass::ImmediateFix,
            severity: Severity::MEDIUM,
            public_exposure: false,
            received_at: Some(at(0)),
        },
    }
}

fn record(n: u128) -> Complaint {
    Complaint::record(new_complaint(n), &[], &li(), at(1), &Rules::default())
        .unwrap()
        .complaint
}

fn run(c: &mut Complaint, cmd: Command, actor: &Actor, minute: i64) -> Vec<Alert> {
    let action = cmd.action();
    c.execute(&cmd, actor, at(minute), &Rules::default())
        .unwrap_or_else(|e| panic!("{action} in {}: {e}", c.state))
}

fn err(c: &mut Complaint, cmd: Command, actor: &Actor, minute: i64) -> DomainError {
    let before = c.clone();
    let e = c
        .execute(&cmd, actor, at(minute), &Rules::default())
        .unwrap_err();
    assert_eq!(
        *c,
        before,
        "a failed {} changed the complaint",
        cmd.action()
    );
    e
}

fn code(c: &mut Complaint, cmd: Command, actor: &Actor, minute: i64) -> &'static str {
    err(c, cmd, actor, minute).code().as_str()
}

fn judge_valid() -> Command {
    Command::Judge {
        valid: true,
        reason: None,
        note: String::new(),
    }
}
fn assign() -> Command {
    Command::Assign {
        department: DeptId::new("field_service"),
        owner: Some(UserId::new("li")),
    }
}
fn root_cause() -> Command {
    Command::SetRootCause {
        categories: vec![RootCause::System, RootCause::Process, RootCause::System],
        note: "modem firmware".into(),
    }
}
fn progress(n: u128, informed: bool) -> Command {
    Command::AddProgress {
        update_id: uid(n),
        text: "engineer booked".into(),
        customer_informed: informed,
    }
}
fn propose(n: u128, kind: RemedyKind, amount: i64) -> Command {
    Command::ProposeRemedy {
        remedy_id: rid(n),
        kind,
        amount: Money::new(amount, "CNY"),
        tier: None,
        note: String::new(),
    }
}
fn revise(n: u128, expected: u32, amount: i64) -> Command {
    Command::ReviseRemedy {
        remedy_id: rid(n),
        expected_revision: expected,
        amount_minor: amount,
        note: "less".into(),
    }
}
fn decide(remedy: u128, revision: u32, approve: bool) -> Command {
    Command::DecideApproval {
        approval_id: approval_id(rid(remedy), revision),
        remedy_revision: revision,
        approve,
        reason: "三次斷線，符合費用減免政策".into(),
    }
}
fn implement(n: u128) -> Command {
    Command::MarkImplemented {
        remedy_id: rid(n),
        note: "credited".into(),
    }
}
fn resolve() -> Command {
    Command::Resolve {
        note: "told the customer".into(),
    }
}
fn callback(n: u128, outcome: CallbackOutcome) -> Command {
    Command::RecordCallback {
        attempt_id: aid(n),
        outcome,
        note: String::new(),
    }
}
/// "Not satisfied" with a score of 2 and the customer's reason.
fn unhappy(n: u128) -> Command {
    Command::RecordCallback {
        attempt_id: aid(n),
        outcome: CallbackOutcome::NotSatisfied { score: Some(2) },
        note: "still drops every evening".into(),
    }
}
fn review() -> Command {
    Command::Review {
        lessons: "firmware rollout lacked a check".into(),
        actions: vec!["add a check".into(), " ".into()],
    }
}
fn close() -> Command {
    Command::Close {
        note: String::new(),
    }
}
fn reopen() -> Command {
    Command::Reopen {
        reason: "customer called again".into(),
    }
}

/// A complaint driven along the happy path (remedy 1 = a ¥200 fee waiver that
/// needs a supervisor) until it reaches `target`; `Invalid` is judged invalid.
fn complaint_in(target: ComplaintState) -> Complaint {
    use ComplaintState as S;
    let mut c = record(1);
    if target == S::Invalid {
        run(
            &mut c,
            Command::Judge {
                valid: false,
                reason: Some(InvalidReason::Misunderstanding),
                note: "free period explained".into(),
            },
            &li(),
            5,
        );
        return c;
    }
    let steps: Vec<(Command, Actor)> = vec![
        (judge_valid(), li()),
        (assign(), zhang()),
        (root_cause(), li()),
        (propose(1, RemedyKind::FeeWaiver, 20_000), li()),
        (decide(1, 1, true), zhang()),
        (implement(1), li()),
        (resolve(), li()),
        (
            callback(1, CallbackOutcome::Satisfied { score: 4 }),
            zhang(),
        ),
        (review(), zhang()),
        (close(), zhang()),
    ];
    let mut minute = 10;
    for (cmd, actor) in steps {
        if c.state == target {
            break;
        }
        run(&mut c, cmd, &actor, minute);
        minute += 10;
    }
    assert_eq!(c.state, target);
    c
}

// ---------------------------------------------------------------- the transition table

/// One sample of every command; `revise`, `decide` and `implement` refer to
/// remedy 1 of [`complaint_in`].
fn samples(c: &Complaint) -> Vec<Command> {
    let resolution = c.clock(ClockKind::Resolution).unwrap().id;
    vec![
        judge_valid(),
        assign(),
        root_cause(),
        progress(99, false),
        propose(9, RemedyKind::FeeWaiver, 1_000),
        revise(1, 1, 15_000),
        decide(1, 1, true),
        implement(1),
        resolve(),
        callback(99, CallbackOutcome::Satisfied { score: 5 }),
        review(),
        close(),
        reopen(),
        Command::PauseClock {
            clock_id: resolution,
            reason: PauseReason::WaitingOnCustomer,
            note: String::new(),
        },
        Command::ResumeClock {
            clock_id: resolution,
        },
    ]
}

#[test]
fn every_command_in_every_state() {
    use ComplaintState as S;
    // Columns: judge assign root progress propose revise decide implement
    // resolve callback review close reopen pause resume. "=" is success without
    // a state change, a state name is success into it, anything else an error code.
    const IT: &str = "invalid_transition";
    const CC: &str = "complaint_closed";
    const NF: &str = "not_found";
    const AD: &str = "approval_already_decided";
    #[rustfmt::skip]
    let table: [(S, [&str; 15]); 12] = [
        (S::Recorded,         ["validated", IT, IT, "=", IT, IT, NF, IT, IT, IT, IT, IT, IT, "=", IT]),
        (S::Validated,        [IT, "assigned", IT, "=", IT, IT, NF, IT, IT, IT, IT, IT, IT, "=", IT]),
        (S::Invalid,          [IT, IT, IT, "=", IT, IT, NF, IT, IT, IT, IT, "closed", IT, "=", IT]),
        (S::Assigned,         [IT, "=", "analysed", "=", IT, IT, NF, IT, IT, IT, IT, IT, IT, "=", IT]),
        (S::Analysed,         [IT, "=", "=", "=", "remedy_agreed", NF, NF, IT, IT, IT, IT, IT, IT, "=", IT]),
        (S::AwaitingApproval, [IT, "=", "=", "=", "=", "remedy_agreed", "remedy_agreed", IT, IT, IT, IT, IT, IT, "=", IT]),
        (S::RemedyAgreed,     [IT, "=", "=", "=", "=", IT, AD, "implemented", IT, IT, IT, IT, IT, "=", IT]),
        (S::Implemented,      [IT, "=", "=", "=", IT, IT, AD, IT, "resolved", IT, IT, IT, IT, "=", IT]),
        (S::Resolved,         [IT, "=", "=", "=", IT, IT, AD, IT, IT, "followed_up", IT, IT, "analysed", IT, IT]),
        (S::FollowedUp,       [IT, "=", "=", "=", IT, IT, AD, IT, IT, IT, "reviewed", IT, "analysed", IT, IT]),
        (S::Reviewed,         [IT, "=", "=", "=", IT, IT, AD, IT, IT, IT, IT, "closed", "analysed", IT, IT]),
        (S::Closed,           [CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, "analysed", CC, CC]),
    ];
    assert_eq!(table.len(), ComplaintState::ALL.len());
    for (state, row) in table {
        let start = complaint_in(state);
        for (cmd, want) in samples(&start).into_iter().zip(row) {
            let mut c = start.clone();
            let label = format!("{} in {}", cmd.action(), state);
            let before = c.clone();
            // A manager may do everything, and did not request remedy 1.
            match c.execute(&cmd, &wang(), at(500), &Rules::default()) {
                Ok(_) => {
                    let got = if c.state == state {
                        "="
                    } else {
                        c.state.as_str()
                    };
                    assert_eq!(got, want, "{label}");
                    assert!(
                        c.timeline.len() > before.timeline.len(),
                        "{label}: no timeline entry"
                    );
                    let last = c.timeline.last().unwrap();
                    assert_eq!(
                        (last.at, &last.actor),
                        (at(500), &UserId::new("wang")),
                        "{label}"
                    );
                }
                Err(e) => {
                    assert_eq!(e.code(), want, "{label}: {e}");
                    assert_eq!(c, before, "{label}: a failed command changed the complaint");
                }
            }
        }
    }
}

#[test]
fn invalid_transition_names_the_state_and_action() {
    let mut c = record(1);
    assert_eq!(
        err(&mut c, resolve(), &li(), 5),
        DomainError::InvalidTransition {
            from: "recorded",
            action: "resolve"
        }
    );
}

#[test]
fn review_close_and_reopening_a_closed_complaint_need_a_supervisor() {
    let mut c = complaint_in(ComplaintState::FollowedUp);
    assert_eq!(code(&mut c, review(), &li(), 500), "forbidden_role");
    run(&mut c, review(), &zhang(), 500);
    assert_eq!(code(&mut c, close(), &li(), 510), "forbidden_role");
    run(&mut c, close(), &zhang(), 510);
    assert_eq!(code(&mut c, reopen(), &li(), 520), "forbidden_role");
    run(&mut c, reopen(), &zhang(), 520);
    // Reopening a resolved complaint is anybody's call.
    let mut r = complaint_in(ComplaintState::Resolved);
    run(&mut r, reopen(), &chen(), 500);
    assert_eq!(r.state, ComplaintState::Analysed);
}

// ---------------------------------------------------------------- the closed loop

#[test]
fn full_closed_loop() {
    let rules = Rules::default();
    let recorded = Complaint::record(new_complaint(1), &[], &li(), at(1), &rules).unwrap();
    assert!(recorded.alerts.is_empty());
    let mut c = recorded.complaint;
    assert_eq!(c.state, ComplaintState::Recorded);
    assert_eq!(c.recorded_by, UserId::new("li"));
    assert_eq!(c.clocks.len(), 3);

    run(&mut c, judge_valid(), &li(), 5);
    run(&mut c, progress(1, true), &li(), 20);
    run(&mut c, assign(), &zhang(), 30);
    assert_eq!(
        (c.department.clone(), c.owner.clone()),
        (Some(DeptId::new("field_service")), Some(UserId::new("li")))
    );
    run(&mut c, root_cause(), &li(), 40);
    let rc = c.root_cause.clone().unwrap();
    assert_eq!(rc.categories, vec![RootCause::Process, RootCause::System]);

    let alerts = run(&mut c, propose(1, RemedyKind::FeeWaiver, 20_000), &li(), 50);
    assert_eq!(c.state, ComplaintState::AwaitingApproval);
    let a1 = approval_id(rid(1), 1);
    assert_eq!(
        alerts,
        vec![Alert::ApprovalRequested {
            complaint: c.id,
            approval: a1,
            required_role: Role::Supervisor
        }]
    );
    let alerts = run(&mut c, decide(1, 1, true), &zhang(), 60);
    assert_eq!(
        alerts,
        vec![Alert::ApprovalDecided {
            complaint: c.id,
            approval: a1,
            approved: true,
            requested_by: UserId::new("li")
        }]
    );
    assert_eq!(c.state, ComplaintState::RemedyAgreed);
    run(&mut c, implement(1), &li(), 70);
    assert_eq!(c.state, ComplaintState::Implemented);
    let alerts = run(&mut c, resolve(), &li(), 80);
    assert_eq!(c.state, ComplaintState::Resolved);
    assert_eq!(
        alerts,
        vec![Alert::CallbackScheduled {
            complaint: c.id,
            at: at(80)
        }]
    );
    run(
        &mut c,
        callback(1, CallbackOutcome::Satisfied { score: 5 }),
        &zhang(),
        600,
    );
    assert_eq!(c.state, ComplaintState::FollowedUp);
    run(&mut c, review(), &zhang(), 700);
    assert_eq!(
        c.review.clone().unwrap().actions,
        vec!["add a check".to_owned()]
    );
    assert_eq!(c.closure(), None, "open complaints have no closure");
    run(&mut c, close(), &zhang(), 710);
    assert_eq!(c.state, ComplaintState::Closed);
    assert_eq!(
        c.closure(),
        Some(Closure {
            at: at(710),
            outcome: ClosureOutcome::Satisfied { score: 5 }
        }),
        "closed when, and how the follow-up call ended"
    );

    assert!(
        c.clocks.iter().all(|k| !k.is_running()),
        "closing stops every clock"
    );
    assert_eq!(c.next_due(), None);
    assert!(!c.watch().open);
    let states: Vec<(ComplaintState, ComplaintState)> = c
        .timeline
        .iter()
        .filter_map(|e| match e.event {
            TimelineEvent::StateChanged { from, to } => Some((from, to)),
            _ => None,
        })
        .collect();
    use ComplaintState as S;
    assert_eq!(
        states,
        vec![
            (S::Recorded, S::Validated),
            (S::Validated, S::Assigned),
            (S::Assigned, S::Analysed),
            (S::Analysed, S::AwaitingApproval),
            (S::AwaitingApproval, S::RemedyAgreed),
            (S::RemedyAgreed, S::Implemented),
            (S::Implemented, S::Resolved),
            (S::Resolved, S::FollowedUp),
            (S::FollowedUp, S::Reviewed),
            (S::Reviewed, S::Closed),
        ]
    );
    // Every clock of the loop ended in time.
    let outcome = |kind| c.clock(kind).unwrap().history.last().unwrap().outcome;
    for kind in [
        ClockKind::FirstResponse,
        ClockKind::Resolution,
        ClockKind::Callback,
    ] {
        assert_eq!(outcome(kind), ClockOutcome::Met, "{kind:?}");
    }
    assert_eq!(
        c.clock_by_id(approval_clock_id(a1)).unwrap().history[0].outcome,
        ClockOutcome::Met
    );
}

#[test]
fn an_invalid_complaint_is_closed_politely_and_may_be_reopened_for_judging() {
    let mut c = record(1);
    let no_reason = Command::Judge {
        valid: false,
        reason: None,
        note: String::new(),
    };
    assert_eq!(code(&mut c, no_reason, &li(), 5), "validation_failed");
    let reason_when_valid = Command::Judge {
        valid: true,
        reason: Some(InvalidReason::Other),
        note: String::new(),
    };
    assert_eq!(
        code(&mut c, reason_when_valid, &li(), 5),
        "validation_failed"
    );
    let mut c = complaint_in(ComplaintState::Invalid);
    let v = c.validity.clone().unwrap();
    assert_eq!(
        (v.valid, v.reason),
        (false, Some(InvalidReason::Misunderstanding))
    );
    // The customer is still answered: progress updates are allowed.
    run(&mut c, progress(1, true), &li(), 10);
    assert_eq!(code(&mut c, assign(), &zhang(), 15), "invalid_transition");
    assert_eq!(code(&mut c, close(), &li(), 20), "forbidden_role");
    run(&mut c, close(), &zhang(), 20);
    assert_eq!(c.state, ComplaintState::Closed);
    assert_eq!(
        c.closure().map(|k| (k.at, k.outcome)),
        Some((at(20), ClosureOutcome::Invalid))
    );
    run(&mut c, reopen(), &zhang(), 30);
    assert_eq!(c.closure(), None);
    assert_eq!(c.state, ComplaintState::Recorded);
    assert_eq!(c.validity, None);
    assert_eq!(c.reopen_count, 1);
    run(&mut c, judge_valid(), &zhang(), 40);
    assert_eq!(c.state, ComplaintState::Validated);
}

// ---------------------------------------------------------------- reopening

#[test]
fn reopen_from_every_reopenable_state_restarts_the_resolution_and_progress_clocks() {
    for state in [
        ComplaintState::Resolved,
        ComplaintState::FollowedUp,
        ComplaintState::Reviewed,
        ComplaintState::Closed,
    ] {
        let mut c = complaint_in(state);
        let cycles = |c: &Complaint, kind| c.clock(kind).unwrap().cycle;
        let (res, prog) = (
            cycles(&c, ClockKind::Resolution),
            cycles(&c, ClockKind::ProgressUpdate),
        );
        let empty = Command::Reopen { reason: " ".into() };
        assert_eq!(code(&mut c, empty, &zhang(), 900), "validation_failed");
        let alerts = run(&mut c, reopen(), &zhang(), 900);
        assert_eq!(alerts, vec![Alert::Reopened { complaint: c.id }], "{state}");
        assert_eq!(c.state, ComplaintState::Analysed, "{state}");
        assert_eq!(c.reopen_count, 1);
        for (kind, before) in [
            (ClockKind::Resolution, res),
            (ClockKind::ProgressUpdate, prog),
        ] {
            let clock = c.clock(kind).unwrap();
            assert!(clock.is_running(), "{state}: {kind:?}");
            assert_eq!(
                (clock.cycle, clock.started_at),
                (before + 1, at(900)),
                "{state}: {kind:?}"
            );
        }
        assert!(!c.clock(ClockKind::Callback).unwrap().is_running());
        assert_eq!(c.callback.clone().unwrap().next_attempt_at, None);
        assert_eq!(c.watch().callback, None);
        assert!(matches!(
            c.timeline.iter().rev().find(|e| matches!(e.event, TimelineEvent::Reopened { .. })).unwrap().event,
            TimelineEvent::Reopened { from, .. } if from == state
        ));
    }
}

#[test]
fn a_reopened_complaint_needs_a_new_remedy_in_the_new_round() {
    let mut c = complaint_in(ComplaintState::Resolved);
    run(&mut c, reopen(), &li(), 500);
    // The first round's implemented remedy does not count any more.
    assert_eq!(code(&mut c, resolve(), &li(), 505), "invalid_transition");
    run(&mut c, propose(2, RemedyKind::Voucher, 200_000), &li(), 510);
    assert_eq!(c.state, ComplaintState::AwaitingApproval);
    run(&mut c, decide(2, 1, false), &wang(), 520);
    assert_eq!(
        c.state,
        ComplaintState::Analysed,
        "all of this round's remedies rejected"
    );
    run(&mut c, revise(2, 1, 4_000), &li(), 530);
    assert_eq!(c.remedy(rid(2)).unwrap().state, RemedyState::Approved);
    assert_eq!(c.state, ComplaintState::RemedyAgreed);
    run(&mut c, implement(2), &li(), 540);
    run(&mut c, resolve(), &li(), 550);
    let cb = c.callback.clone().unwrap();
    assert_eq!(
        (cb.round, cb.attempts.len(), cb.next_attempt_at),
        (1, 0, Some(at(550)))
    );
    assert_eq!(c.clock(ClockKind::Callback).unwrap().cycle, 2);
}

// ---------------------------------------------------------------- remedies and approvals

fn analysed() -> Complaint {
    complaint_in(ComplaintState::Analysed)
}

#[test]
fn small_remedies_are_auto_approved_for_the_proposer() {
    let mut c = analysed();
    let alerts = run(&mut c, propose(1, RemedyKind::FeeWaiver, 5_000), &li(), 100);
    assert!(alerts.is_empty());
    let r = c.remedy(rid(1)).unwrap();
    assert_eq!(
        (r.state, r.auto_approved, r.approved_by.clone(), r.revision),
        (RemedyState::Approved, true, Some(UserId::new("li")), 1)
    );
    assert!(c.approvals.is_empty());
    assert_eq!(c.state, ComplaintState::RemedyAgreed);
    // An apology costs nothing and is within anybody's authority.
    run(&mut c, propose(2, RemedyKind::ApologyOnly, 0), &chen(), 110);
    assert_eq!(
        c.remedy(rid(2)).unwrap().approved_by,
        Some(UserId::new("chen"))
    );
}

#[test]
fn routing_goes_to_the_lowest_role_whose_limit_covers_the_amount() {
    let cases = [
        (li(), 5_001, Some(Role::Supervisor)),
        (li(), 50_000, Some(Role::Supervisor)),
        (li(), 50_001, Some(Role::Manager)),
        (zhang(), 50_000, None),
        (zhang(), 50_001, Some(Role::Manager)),
        (wang(), 500_001, Some(Role::Admin)),
    ];
    for (actor, amount, want) in cases {
        let mut c = analysed();
        run(&mut c, propose(1, RemedyKind::Refund, amount), &actor, 100);
        let got = c.approvals.first().map(|a| a.required_role);
        assert_eq!(got, want, "{} proposing {amount}", actor.user);
    }
    let mut c = analysed();
    run(&mut c, propose(1, RemedyKind::Refund, 50_001), &li(), 100);
    assert_eq!(
        code(&mut c, decide(1, 1, true), &zhang(), 110),
        "authority_limit_exceeded"
    );
    assert_eq!(
        code(&mut c, decide(1, 1, true), &chen(), 110),
        "authority_limit_exceeded"
    );
    let mut trusted = zhang();
    trusted.approval_limit_minor = Some(100_000);
    run(&mut c, decide(1, 1, true), &trusted, 110);
    assert_eq!(c.approvals[0].decided_by, Some(UserId::new("zhang")));
}

#[test]
fn tiered_remedies_are_routed_and_approved_by_their_total() {
    let mut c = analysed();
    let tiered = |extra: i64, extra_kind, condition: &str| Command::ProposeRemedy {
        remedy_id: rid(1),
        kind: RemedyKind::FeeWaiver,
        amount: Money::new(3_000, "CNY"),
        tier: Some(Tier {
            extra_minor: extra,
            extra_kind,
            condition: condition.into(),
        }),
        note: "base waiver, voucher if the customer stays".into(),
    };
    assert_eq!(
        code(&mut c, tiered(0, RemedyKind::Voucher, "stays"), &li(), 100),
        "validation_failed"
    );
    assert_eq!(
        code(
            &mut c,
            tiered(100, RemedyKind::ApologyOnly, "stays"),
            &li(),
            100
        ),
        "validation_failed"
    );
    assert_eq!(
        code(&mut c, tiered(100, RemedyKind::Voucher, " "), &li(), 100),
        "validation_failed"
    );
    // Base 3,000 is within the agent's 5,000, but with the extra it is not.
    run(
        &mut c,
        tiered(4_000, RemedyKind::Voucher, "stays 12 months"),
        &li(),
        100,
    );
    let a = &c.approvals[0];
    assert_eq!(
        (a.amount.amount_minor, a.required_role),
        (7_000, Role::Supervisor)
    );
    assert_eq!(c.remedy(rid(1)).unwrap().total_minor(), 7_000);
    // A revision changes the base; the tier stays.
    run(&mut c, revise(1, 1, 1_000), &li(), 110);
    let r = c.remedy(rid(1)).unwrap();
    assert_eq!((r.revision, r.total_minor()), (2, 5_000));
    assert_eq!(
        r.state,
        RemedyState::Approved,
        "5,000 is within the agent's grant"
    );
    assert_eq!(c.approvals.len(), 1);
    assert_eq!(c.approvals[0].state, ApprovalState::Superseded);
    assert_eq!(c.state, ComplaintState::RemedyAgreed);
}

#[test]
fn remedy_amounts_are_validated() {
    let mut c = analysed();
    assert_eq!(
        code(&mut c, propose(1, RemedyKind::Refund, -1), &li(), 100),
        "validation_failed"
    );
    assert_eq!(
        code(&mut c, propose(1, RemedyKind::ApologyOnly, 1), &li(), 100),
        "validation_failed"
    );
    let usd = Command::ProposeRemedy {
        remedy_id: rid(1),
        kind: RemedyKind::Refund,
        amount: Money::new(100, "USD"),
        tier: None,
        note: String::new(),
    };
    assert_eq!(code(&mut c, usd, &li(), 100), "validation_failed");
    assert_eq!(
        code(
            &mut c,
            propose(1, RemedyKind::Refund, 5_000_001),
            &li(),
            100
        ),
        "authority_limit_exceeded"
    );
    run(&mut c, propose(1, RemedyKind::Refund, 100), &li(), 100);
    assert_eq!(
        code(&mut c, propose(1, RemedyKind::Refund, 100), &li(), 100),
        "validation_failed"
    );
}

#[test]
fn nobody_approves_their_own_request() {
    let mut c = analysed();
    run(
        &mut c,
        propose(1, RemedyKind::CompensationPayment, 60_000),
        &zhang(),
        100,
    );
    assert_eq!(c.approvals[0].required_role, Role::Manager);
    let mut boss = zhang();
    boss.approval_limit_minor = Some(1_000_000);
    assert_eq!(
        code(&mut c, decide(1, 1, true), &boss, 110),
        "self_approval_forbidden"
    );
    run(&mut c, decide(1, 1, true), &wang(), 120);

    // Nor a revision of a remedy they proposed.
    let mut c = analysed();
    run(
        &mut c,
        propose(1, RemedyKind::Refund, 600_000),
        &wang(),
        100,
    );
    run(&mut c, revise(1, 1, 60_000), &li(), 110);
    let a2 = c.approval(approval_id(rid(1), 2)).unwrap();
    assert_eq!(
        (a2.requested_by.as_str(), a2.required_role),
        ("li", Role::Manager)
    );
    assert_eq!(
        code(&mut c, decide(1, 2, true), &wang(), 120),
        "self_approval_forbidden"
    );
    run(
        &mut c,
        decide(1, 2, true),
        &Actor::new("zhao", Role::Manager),
        120,
    );
}

#[test]
fn the_first_decision_wins() {
    let mut c = analysed();
    run(
        &mut c,
        propose(1, RemedyKind::FeeWaiver, 20_000),
        &li(),
        100,
    );
    assert_eq!(
        code(
            &mut c,
            Command::DecideApproval {
                approval_id: approval_id(rid(1), 1),
                remedy_revision: 1,
                approve: false,
                reason: "  ".into()
            },
            &zhang(),
            105
        ),
        "validation_failed",
        "a rejection needs a reason"
    );
    run(&mut c, decide(1, 1, false), &zhang(), 110);
    assert_eq!(c.state, ComplaintState::Analysed);
    assert_eq!(c.remedy(rid(1)).unwrap().state, RemedyState::Rejected);
    assert_eq!(
        err(&mut c, decide(1, 1, true), &wang(), 111),
        DomainError::ApprovalAlreadyDecided {
            decided_by: UserId::new("zhang"),
            approved: false
        }
    );
    let unknown = Command::DecideApproval {
        approval_id: approval_id(rid(7), 1),
        remedy_revision: 1,
        approve: true,
        reason: String::new(),
    };
    assert_eq!(code(&mut c, unknown, &wang(), 112), "not_found");
}

#[test]
fn decisions_on_a_revision_nobody_saw_are_refused() {
    let mut c = analysed();
    run(
        &mut c,
        propose(1, RemedyKind::FeeWaiver, 20_000),
        &li(),
        100,
    );
    run(&mut c, revise(1, 1, 30_000), &li(), 110);
    let (a1, a2) = (approval_id(rid(1), 1), approval_id(rid(1), 2));
    assert_eq!(c.approval(a1).unwrap().state, ApprovalState::Superseded);
    assert_eq!(c.approval(a2).unwrap().state, ApprovalState::Pending);
    assert!(!c.clock_by_id(approval_clock_id(a1)).unwrap().is_running());
    assert!(c.clock_by_id(approval_clock_id(a2)).unwrap().is_running());
    assert_eq!(
        err(&mut c, decide(1, 1, true), &zhang(), 120),
        DomainError::RemedyChangedSinceViewed {
            expected: 1,
            actual: 2
        }
    );
    let stale = Command::DecideApproval {
        approval_id: a2,
        remedy_revision: 1,
        approve: true,
        reason: String::new(),
    };
    assert_eq!(
        code(&mut c, stale, &zhang(), 120),
        "remedy_changed_since_viewed"
    );
    assert_eq!(
        code(&mut c, revise(1, 1, 25_000), &li(), 120),
        "remedy_changed_since_viewed"
    );
    run(&mut c, decide(1, 2, true), &zhang(), 130);
    assert_eq!(c.state, ComplaintState::RemedyAgreed);
    // Approved remedies cannot be revised any more.
    assert_eq!(
        code(&mut c, revise(1, 2, 1_000), &li(), 140),
        "invalid_transition"
    );
}

#[test]
fn implementing_needs_an_approved_remedy_and_all_of_them() {
    let mut c = analysed();
    run(
        &mut c,
        propose(1, RemedyKind::Replacement, 3_000),
        &li(),
        100,
    );
    run(&mut c, propose(2, RemedyKind::Refund, 20_000), &li(), 101);
    assert_eq!(c.state, ComplaintState::AwaitingApproval);
    assert_eq!(code(&mut c, implement(2), &li(), 102), "invalid_transition");
    assert_eq!(code(&mut c, implement(3), &li(), 102), "not_found");
    // The approved replacement may be shipped while the refund waits.
    run(&mut c, implement(1), &li(), 103);
    assert_eq!(c.state, ComplaintState::AwaitingApproval);
    run(&mut c, decide(2, 1, true), &zhang(), 104);
    assert_eq!(c.state, ComplaintState::RemedyAgreed);
    run(&mut c, implement(2), &li(), 105);
    assert_eq!(c.state, ComplaintState::Implemented);
    let r = c.remedy(rid(2)).unwrap();
    assert_eq!(
        (r.implemented_by.clone(), r.implemented_at),
        (Some(UserId::new("li")), Some(at(105)))
    );

    // Rejecting the only other remedy after one was carried out: implemented.
    let mut c = analysed();
    run(
        &mut c,
        propose(1, RemedyKind::Replacement, 3_000),
        &li(),
        100,
    );
    run(&mut c, propose(2, RemedyKind::Refund, 20_000), &li(), 101);
    run(&mut c, implement(1), &li(), 103);
    run(&mut c, decide(2, 1, false), &zhang(), 104);
    assert_eq!(c.state, ComplaintState::Implemented);
}

// ---------------------------------------------------------------- callbacks

#[test]
fn unreachable_callbacks_retry_then_give_up() {
    let mut c = complaint_in(ComplaintState::Resolved);
    let resolved_at = c.callback.clone().unwrap().resolved_at;
    assert_eq!(
        c.watch().callback.map(|w| (w.attempt, w.next_attempt_at)),
        Some((1, resolved_at))
    );
    let alerts = run(
        &mut c,
        callback(1, CallbackOutcome::Unreachable),
        &zhang(),
        200,
    );
    assert_eq!(
        alerts,
        vec![Alert::CallbackScheduled {
            complaint: c.id,
            at: at(320)
        }]
    );
    assert_eq!(c.state, ComplaintState::Resolved);
    assert!(c.clock(ClockKind::Callback).unwrap().is_running());
    assert_eq!(
        c.watch().callback.map(|w| (w.attempt, w.next_attempt_at)),
        Some((2, at(320)))
    );
    assert_eq!(
        code(
            &mut c,
            callback(1, CallbackOutcome::Unreachable),
            &zhang(),
            320
        ),
        "validation_failed"
    );
    run(
        &mut c,
        callback(2, CallbackOutcome::Unreachable),
        &zhang(),
        320,
    );
    assert_eq!(c.state, ComplaintState::Resolved);
    let alerts = run(
        &mut c,
        callback(3, CallbackOutcome::Unreachable),
        &zhang(),
        440,
    );
    assert!(alerts.is_empty());
    assert_eq!(c.state, ComplaintState::FollowedUp);
    let cb = c.callback.clone().unwrap();
    assert_eq!(
        (cb.attempts.len(), cb.outcome, cb.next_attempt_at),
        (3, Some(CallbackOutcome::Unreachable), None)
    );
    assert!(!c.clock(ClockKind::Callback).unwrap().is_running());
    assert_eq!(c.watch().callback, None);
}

#[test]
fn a_dissatisfied_customer_reopens_the_complaint() {
    let mut c = complaint_in(ComplaintState::Resolved);
    let alerts = run(&mut c, unhappy(1), &li(), 300);
    assert_eq!(alerts, vec![Alert::Reopened { complaint: c.id }]);
    assert_eq!((c.state, c.reopen_count), (ComplaintState::Analysed, 1));
    assert_eq!(
        c.callback.clone().unwrap().outcome,
        Some(CallbackOutcome::NotSatisfied { score: Some(2) })
    );
    let res = c.clock(ClockKind::Resolution).unwrap();
    assert_eq!(
        (res.cycle, res.started_at, res.due_at),
        (2, at(300), Some(at(300 + 48 * 60)))
    );
    let prog = c.clock(ClockKind::ProgressUpdate).unwrap();
    assert_eq!(
        (prog.started_at, prog.due_at),
        (at(300), Some(at(300 + 24 * 60)))
    );
    assert!(!c.clock(ClockKind::Callback).unwrap().is_running());
}

#[test]
fn satisfied_scores_three_to_five_unhappy_one_to_two_with_a_reason() {
    let mut c = complaint_in(ComplaintState::Resolved);
    // `err` also checks that a refused callback changes nothing.
    let refused = |c: &mut Complaint, outcome: CallbackOutcome, note: &str, field: &str| {
        let cmd = Command::RecordCallback {
            attempt_id: aid(1),
            outcome,
            note: note.into(),
        };
        let e = err(c, cmd, &li(), 300);
        assert_eq!(e.code(), "validation_failed", "{outcome:?}");
        assert!(e.to_string().contains(field), "{outcome:?}: {e}");
    };
    for score in [0, 1, 2, 6] {
        refused(&mut c, CallbackOutcome::Satisfied { score }, "", "score");
    }
    for score in [None, Some(0), Some(3), Some(5)] {
        refused(
            &mut c,
            CallbackOutcome::NotSatisfied { score },
            "why",
            "score",
        );
    }
    for note in ["", "  \n "] {
        refused(
            &mut c,
            CallbackOutcome::NotSatisfied { score: Some(1) },
            note,
            "note",
        );
    }
    for score in CallbackOutcome::SATISFIED_SCORES {
        let mut ok = complaint_in(ComplaintState::Resolved);
        run(
            &mut ok,
            callback(1, CallbackOutcome::Satisfied { score }),
            &li(),
            300,
        );
        assert_eq!(ok.state, ComplaintState::FollowedUp);
    }
    run(&mut c, unhappy(1), &li(), 300);
    assert_eq!(c.state, ComplaintState::Analysed);

    let mut early = complaint_in(ComplaintState::Implemented);
    assert_eq!(
        code(
            &mut early,
            callback(1, CallbackOutcome::Satisfied { score: 5 }),
            &li(),
            300
        ),
        "invalid_transition"
    );
}

#[test]
fn attempts_recorded_before_scores_were_asked_still_read() {
    let old: CallbackOutcome = serde_json::from_str(r#"{"outcome":"not_satisfied"}"#).unwrap();
    assert_eq!(old, CallbackOutcome::NotSatisfied { score: None });
    assert_eq!(old.score(), None);
    let low: CallbackOutcome =
        serde_json::from_str(r#"{"outcome":"satisfied","score":1}"#).unwrap();
    assert_eq!(low.score(), Some(1));
    let json = serde_json::to_value(CallbackOutcome::NotSatisfied { score: Some(2) }).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"outcome": "not_satisfied", "score": 2})
    );
}

// ---------------------------------------------------------------- clocks

#[test]
fn first_response_is_met_or_breached_by_the_first_informed_update() {
    let mut c = record(1);
    run(&mut c, progress(1, false), &li(), 30);
    assert!(
        c.clock(ClockKind::FirstResponse).unwrap().is_running(),
        "internal notes do not count"
    );
    run(&mut c, progress(2, true), &li(), 59);
    let fr = c.clock(ClockKind::FirstResponse).unwrap();
    assert_eq!(fr.stopped.map(|s| s.outcome), Some(ClockOutcome::Met));

    let mut late = record(2);
    run(&mut late, progress(1, true), &li(), 61);
    let fr = late.clock(ClockKind::FirstResponse).unwrap();
    assert_eq!(
        fr.stopped.map(|s| (s.at, s.outcome)),
        Some((at(61), ClockOutcome::Breached))
    );
    assert!(late.timeline.iter().any(|e| matches!(
        e.event,
        TimelineEvent::ClockCycleEnded {
            kind: ClockKind::FirstResponse,
            outcome: ClockOutcome::Breached,
            ..
        }
    )));
}

#[test]
fn informed_updates_restart_the_progress_cadence() {
    let mut n = new_complaint(1);
    n.draft.kind = ComplaintKind::EmotionDriven;
    let mut c = Complaint::record(n, &[], &li(), at(1), &Rules::default())
        .unwrap()
        .complaint;
    assert_eq!(
        c.clock(ClockKind::ProgressUpdate).unwrap().due_at,
        Some(at(30))
    );
    assert_eq!(c.next_due(), Some((ClockKind::ProgressUpdate, at(30))));
    run(&mut c, progress(1, true), &li(), 20);
    let p = c.clock(ClockKind::ProgressUpdate).unwrap();
    assert_eq!((p.cycle, p.due_at), (2, Some(at(50))));
    assert_eq!(p.history[0].outcome, ClockOutcome::Met);
    run(&mut c, progress(2, false), &li(), 45);
    assert_eq!(
        c.clock(ClockKind::ProgressUpdate).unwrap().due_at,
        Some(at(50))
    );
    run(&mut c, progress(3, true), &li(), 55);
    let p = c.clock(ClockKind::ProgressUpdate).unwrap();
    assert_eq!((p.cycle, p.due_at), (3, Some(at(85))));
    assert_eq!(
        p.history[1].outcome,
        ClockOutcome::Breached,
        "a missed update is a breach"
    );
    assert_eq!(
        code(&mut c, progress(3, true), &li(), 56),
        "validation_failed",
        "update ids are unique"
    );
    assert_eq!(
        code(
            &mut c,
            Command::AddProgress {
                update_id: uid(9),
                text: "".into(),
                customer_informed: true
            },
            &li(),
            56
        ),
        "validation_failed"
    );
}

#[test]
fn resolving_stops_the_handling_clocks_and_starts_the_callback_clock() {
    let mut c = complaint_in(ComplaintState::Implemented);
    run(&mut c, resolve(), &li(), 2_000);
    for kind in [
        ClockKind::FirstResponse,
        ClockKind::ProgressUpdate,
        ClockKind::Resolution,
    ] {
        assert!(!c.clock(kind).unwrap().is_running(), "{kind:?}");
    }
    // Resolution (48 h for severity 2) was met, the daily progress update was not.
    assert_eq!(
        c.clock(ClockKind::Resolution)
            .unwrap()
            .stopped
            .map(|s| s.outcome),
        Some(ClockOutcome::Met)
    );
    assert_eq!(
        c.clock(ClockKind::ProgressUpdate)
            .unwrap()
            .stopped
            .map(|s| s.outcome),
        Some(ClockOutcome::Breached)
    );
    let cb = c.clock(ClockKind::Callback).unwrap();
    assert_eq!(
        (cb.id, cb.started_at, cb.due_at),
        (
            clock_id(c.id, ClockKind::Callback),
            at(2_000),
            Some(at(2_000 + 24 * 60))
        )
    );
    assert_eq!(
        c.next_due(),
        Some((ClockKind::Callback, at(2_000 + 24 * 60)))
    );
}

#[test]
fn pausing_a_clock_moves_its_due_instant() {
    let mut c = record(1);
    let id = clock_id(c.id, ClockKind::Resolution);
    assert_eq!(c.clock_by_id(id).unwrap().due_at, Some(at(48 * 60)));
    let pause = Command::PauseClock {
        clock_id: id,
        reason: PauseReason::WaitingOnCustomer,
        note: String::new(),
    };
    run(&mut c, pause.clone(), &li(), 60);
    assert_eq!(c.clock_by_id(id).unwrap().due_at, None);
    assert_eq!(code(&mut c, pause, &li(), 61), "invalid_transition");
    run(&mut c, Command::ResumeClock { clock_id: id }, &li(), 180);
    assert_eq!(c.clock_by_id(id).unwrap().due_at, Some(at(48 * 60 + 120)));
    assert_eq!(
        code(&mut c, Command::ResumeClock { clock_id: id }, &li(), 181),
        "invalid_transition"
    );
    let unknown = Command::ResumeClock {
        clock_id: approval_clock_id(approval_id(rid(1), 1)),
    };
    assert_eq!(code(&mut c, unknown, &li(), 181), "not_found");
    assert!(matches!(
        c.timeline[c.timeline.len() - 1].event,
        TimelineEvent::ClockResumed { .. }
    ));
}

#[test]
fn every_pause_has_its_reason_and_other_needs_a_note() {
    let mut c = record(1);
    let id = clock_id(c.id, ClockKind::Resolution);
    let pause = |reason, note: &str| Command::PauseClock {
        clock_id: id,
        reason,
        note: note.to_owned(),
    };
    let e = err(&mut c, pause(PauseReason::Other, "  "), &li(), 60);
    assert_eq!(e.code(), "validation_failed");
    assert_eq!(e.field_errors()[0].field, "note");
    run(
        &mut c,
        pause(PauseReason::Other, " customer travels "),
        &li(),
        60,
    );
    let clock = c.clock_by_id(id).unwrap();
    let p = clock.pauses.last().unwrap();
    assert_eq!(
        (p.note.as_str(), p.by.as_str(), p.start),
        ("customer travels", "li", at(60))
    );
    assert!(matches!(
        &c.timeline[c.timeline.len() - 1].event,
        TimelineEvent::ClockPaused { note, breached_at: None, .. } if note == "customer travels"
    ));
}

#[test]
fn a_breached_clock_paused_stays_breached() {
    let mut c = record(1);
    let id = clock_id(c.id, ClockKind::Resolution);
    let deadline = at(48 * 60);
    let late = 48 * 60 + 415; // 6 h 55 min past the deadline
    let pause = |note: &str| Command::PauseClock {
        clock_id: id,
        reason: PauseReason::WaitingOnCustomer,
        note: note.to_owned(),
    };
    // Past the deadline, a pause must say why.
    let e = err(&mut c, pause(""), &li(), late);
    assert_eq!(
        (e.code().as_str(), e.field_errors()[0].field.as_str()),
        ("validation_failed", "note")
    );
    run(&mut c, pause("customer abroad until Monday"), &li(), late);
    let clock = c.clock_by_id(id).unwrap();
    let cal = Rules::default();
    let cal = cal.calendar(&clock.calendar).unwrap();
    assert_eq!(
        clock.status(at(late + 600), cal),
        ClockStatus::Paused {
            breached_at: Some(deadline)
        }
    );
    // The dashboard still counts and sorts it as overdue since the deadline.
    assert_eq!(clock.standing_due(), Some(deadline));
    assert!(c.next_due().is_some_and(|(_, due)| due <= deadline));
    assert!(matches!(
        &c.timeline[c.timeline.len() - 1].event,
        TimelineEvent::ClockPaused { breached_at: Some(b), .. } if *b == deadline
    ));
    // Resumed, still breached; stopped, recorded as breached.
    run(
        &mut c,
        Command::ResumeClock { clock_id: id },
        &li(),
        late + 60,
    );
    let clock = c.clock_by_id(id).unwrap();
    assert!(matches!(
        clock.status(at(late + 61), cal),
        ClockStatus::Breached { .. }
    ));
    let mut copy = clock.clone();
    assert_eq!(
        copy.stop(at(late + 62), cal).unwrap(),
        ClockOutcome::Breached
    );
}

#[test]
fn approval_clocks_time_each_request() {
    let mut c = analysed();
    run(
        &mut c,
        propose(1, RemedyKind::FeeWaiver, 20_000),
        &li(),
        100,
    );
    let a1 = approval_id(rid(1), 1);
    let clock = c.clock_by_id(approval_clock_id(a1)).unwrap();
    assert_eq!(
        (clock.kind, clock.approval, clock.due_at),
        (ClockKind::Approval, Some(a1), Some(at(100 + 240)))
    );
    let w = c.watch();
    assert_eq!(w.approvals.len(), 1);
    assert_eq!(
        (
            w.approvals[0].required_role,
            w.approvals[0].requested_by.clone(),
            w.approvals[0].requested_at
        ),
        (Role::Supervisor, UserId::new("li"), at(100))
    );
    run(&mut c, decide(1, 1, true), &zhang(), 400);
    let clock = c.clock_by_id(approval_clock_id(a1)).unwrap();
    assert_eq!(
        clock.stopped.map(|s| s.outcome),
        Some(ClockOutcome::Breached)
    );
    assert!(c.watch().approvals.is_empty());
}

// ---------------------------------------------------------------- atomicity, timeline, ids

#[test]
fn failed_commands_leave_the_complaint_unchanged() {
    // `err` asserts equality; these fail late, after parts of the work were done.
    let mut c = complaint_in(ComplaintState::AwaitingApproval);
    let reject_without_reason = Command::DecideApproval {
        approval_id: approval_id(rid(1), 1),
        remedy_revision: 1,
        approve: false,
        reason: String::new(),
    };
    err(&mut c, reject_without_reason, &zhang(), 300);
    err(&mut c, revise(1, 1, 9_000_000), &li(), 300);
    let mut r = complaint_in(ComplaintState::Resolved);
    run(
        &mut r,
        callback(1, CallbackOutcome::Unreachable),
        &li(),
        300,
    );
    err(&mut r, unhappy(1), &li(), 301);
    let mut closed = complaint_in(ComplaintState::Closed);
    for cmd in samples(&closed) {
        if !matches!(cmd, Command::Reopen { .. }) {
            assert_eq!(
                err(&mut closed, cmd, &wang(), 900).code(),
                "complaint_closed"
            );
        }
    }
}

#[test]
fn the_timeline_records_who_did_what_and_when() {
    let mut c = complaint_in(ComplaintState::Validated);
    let first = &c.timeline[0];
    assert_eq!((first.at, &first.actor), (at(1), &UserId::new("li")));
    let n = c.timeline.len();
    run(&mut c, assign(), &zhang(), 42);
    let new: Vec<_> = c.timeline[n..].to_vec();
    assert_eq!(new.len(), 2);
    assert!(
        new.iter()
            .all(|e| e.at == at(42) && e.actor == UserId::new("zhang"))
    );
    assert!(matches!(
        &new[0].event,
        TimelineEvent::Assigned {
            previous_owner: None,
            ..
        }
    ));
    run(
        &mut c,
        Command::Assign {
            department: DeptId::new("billing"),
            owner: None,
        },
        &zhang(),
        50,
    );
    assert!(matches!(
        &c.timeline.last().unwrap().event,
        TimelineEvent::Assigned { previous_owner: Some(u), previous_department: Some(d), .. }
            if u.as_str() == "li" && d.as_str() == "field_service"
    ));
    assert_eq!(c.state, ComplaintState::Assigned);
}

#[test]
fn desktop_and_server_derive_the_same_complaint() {
    let a = complaint_in(ComplaintState::FollowedUp);
    let b = complaint_in(ComplaintState::FollowedUp);
    assert_eq!(a, b);
    let json = serde_json::to_string(&a).unwrap();
    let back: Complaint = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
}

#[test]
fn commands_use_the_wire_names() {
    let cmd = callback(1, CallbackOutcome::Satisfied { score: 4 });
    let json = serde_json::to_value(&cmd).unwrap();
    assert_eq!(json["name"], "record_callback");
    assert_eq!(json["args"]["outcome"], "satisfied");
    assert_eq!(json["args"]["score"], 4);
    let back: Command = serde_json::from_value(json).unwrap();
    assert_eq!(back, cmd);
    let decide: Command = serde_json::from_str(
        r#"{"name":"decide_approval","args":{"approval_id":"0192f2aa-0000-7000-8000-000000000000","remedy_revision":3,"approve":true}}"#,
    )
    .unwrap();
    assert_eq!(decide.action(), "decide_approval");
    for state in ComplaintState::ALL {
        assert_eq!(serde_json::to_value(state).unwrap(), state.as_str());
    }
}

// ---------------------------------------------------------------- recording

#[test]
fn recording_normalises_the_phone_and_validates_every_field() {
    let c = record(1);
    assert_eq!(c.customer.phone, "+8613800138000");
    let mut bad = new_complaint(2);
    bad.draft.customer.phone = "call me".into();
    bad.draft.customer.name = " ".into();
    bad.draft.demand = String::new();
    bad.draft.received_at = Some(at(7));
    let e = Complaint::record(bad, &[], &li(), at(1), &Rules::default()).unwrap_err();
    let DomainError::ValidationFailed(fields) = e else {
        panic!("{e:?}")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        names,
        ["customer.name", "demand", "customer.phone", "received_at"]
    );
    let mut skewed = new_complaint(3);
    skewed.draft.received_at = Some(at(6));
    assert!(
        Complaint::record(skewed, &[], &li(), at(1), &Rules::default()).is_ok(),
        "5 minutes of skew are fine"
    );
}

#[test]
fn recording_starts_the_clocks_at_reception() {
    let c = record(1);
    let due = |kind| c.clock(kind).unwrap().due_at;
    assert_eq!(due(ClockKind::FirstResponse), Some(at(60)));
    assert_eq!(due(ClockKind::ProgressUpdate), Some(at(24 * 60)));
    assert_eq!(due(ClockKind::Resolution), Some(at(48 * 60)));
    assert_eq!(
        c.clock(ClockKind::Resolution).unwrap().id,
        clock_id(c.id, ClockKind::Resolution)
    );
    assert_eq!(c.next_due(), Some((ClockKind::FirstResponse, at(60))));
    assert_eq!(c.profile().severity, Severity::MEDIUM);
}

fn probe(n: u128, days_ago: i64, category: &str) -> RepeatProbe {
    RepeatProbe {
        complaint: ComplaintId(Uuid::from_u128(n)),
        customer_key: "tel:+8613800138000".into(),
        category: CategoryCode::new(category),
        received_at: at(-days_ago * 24 * 60),
    }
}

#[test]
fn repeat_complaints_are_linked_and_the_third_escalates() {
    let rules = Rules::default();
    let first = record(1);
    let p1 = RepeatProbe::of(&first);
    assert_eq!(p1.customer_key, "tel:+8613800138000");

    let mut second = new_complaint(2);
    second.draft.received_at = Some(at(10));
    let r2 = Complaint::record(second, std::slice::from_ref(&p1), &li(), at(11), &rules).unwrap();
    let link = r2.complaint.repeat.clone().unwrap();
    assert_eq!(
        (link.ordinal, link.linked.clone(), link.escalated),
        (2, vec![first.id], false)
    );
    assert_eq!(r2.complaint.severity, Severity::MEDIUM);
    assert!(r2.alerts.is_empty());

    let mut third = new_complaint(3);
    third.draft.received_at = Some(at(20));
    third.draft.customer.phone = "+86 138 0013 8000".into();
    let prior = [
        p1.clone(),
        RepeatProbe::of(&r2.complaint),
        probe(9, 31, "broadband.dropout"),
        probe(8, 2, "billing"),
    ];
    let r3 = Complaint::record(third, &prior, &li(), at(21), &rules).unwrap();
    let c3 = r3.complaint;
    assert_eq!(
        c3.repeat.clone().map(|l| (l.ordinal, l.escalated)),
        Some((3, true))
    );
    assert_eq!(c3.severity, Severity::HIGH);
    assert_eq!(
        r3.alerts,
        vec![Alert::RepeatEscalated {
            complaint: c3.id,
            ordinal: 3
        }]
    );
    // The raised severity picked the targets: 24 h instead of 48 h.
    assert_eq!(
        c3.clock(ClockKind::Resolution).unwrap().due_at,
        Some(at(20 + 24 * 60))
    );
    assert!(matches!(
        c3.timeline[0].event,
        TimelineEvent::Recorded {
            repeat_ordinal: Some(3)
        }
    ));
}

#[test]
fn complaints_outside_the_window_or_about_something_else_do_not_link() {
    let rules = Rules::default();
    let new = RepeatProbe::of(&record(1));
    let prior = [
        probe(9, 31, "broadband.dropout"),
        probe(8, 2, "billing"),
        probe(7, -1, "broadband.dropout"),
    ];
    assert_eq!(detect(&new, &prior, &rules.repeats), None);
    let r = Complaint::record(new_complaint(1), &prior, &li(), at(1), &rules).unwrap();
    assert_eq!(r.complaint.repeat, None);
    let mut other = probe(6, 1, "broadband.dropout");
    other.customer_key = "tel:13900000000".into();
    assert_eq!(detect(&new, &[other], &rules.repeats), None);
    assert!(
        detect(&new, &[probe(5, 30, "broadband.dropout")], &rules.repeats).is_some(),
        "the window is inclusive"
    );
}

// ---------------------------------------------------------------- input limits

#[test]
fn authority_is_cumulative_per_proposer_complaint_and_round() {
    // Today's abuse: twenty ¥5 refunds where one ¥100 refund needs approval.
    let mut c = analysed();
    for n in 1..=20 {
        run(&mut c, propose(n, RemedyKind::Refund, 500), &li(), 100);
    }
    let auto = |c: &Complaint| {
        c.remedies
            .iter()
            .filter(|r| r.auto_approved)
            .map(|r| r.amount.amount_minor)
            .sum::<i64>()
    };
    assert_eq!(auto(&c), 5_000, "only up to li's grant limit of ¥50");
    assert_eq!(c.pending_approvals().count(), 10);
    assert_eq!(c.remedy(rid(10)).unwrap().state, RemedyState::Approved);
    assert_eq!(
        c.remedy(rid(11)).unwrap().state,
        RemedyState::PendingApproval
    );
    assert_eq!(c.state, ComplaintState::AwaitingApproval);
    // Another proposer has their own allowance; an apology costs nothing.
    run(
        &mut c,
        propose(30, RemedyKind::Voucher, 5_000),
        &chen(),
        110,
    );
    assert!(c.remedy(rid(30)).unwrap().auto_approved);
    run(&mut c, propose(31, RemedyKind::ApologyOnly, 0), &li(), 111);
    assert!(c.remedy(rid(31)).unwrap().auto_approved);
    // A revision of a pending remedy is counted the same way.
    run(&mut c, revise(11, 1, 1), &li(), 112);
    assert_eq!(
        c.remedy(rid(11)).unwrap().state,
        RemedyState::PendingApproval
    );
}

#[test]
fn a_reopen_starts_a_new_allowance() {
    let mut c = analysed();
    run(&mut c, propose(1, RemedyKind::FeeWaiver, 5_000), &li(), 100);
    run(&mut c, implement(1), &li(), 101);
    run(&mut c, resolve(), &li(), 102);
    run(&mut c, reopen(), &li(), 103);
    run(&mut c, root_cause(), &li(), 104);
    run(&mut c, propose(2, RemedyKind::FeeWaiver, 5_000), &li(), 105);
    assert!(c.remedy(rid(2)).unwrap().auto_approved);
    run(&mut c, propose(3, RemedyKind::FeeWaiver, 1), &li(), 106);
    assert_eq!(
        c.remedy(rid(3)).unwrap().state,
        RemedyState::PendingApproval
    );
}

#[test]
fn recording_refuses_over_long_and_bad_text_naming_the_field() {
    let rules = Rules::default();
    let mut long = new_complaint(2);
    long.draft.description = "很".repeat(redress_domain::text::DESCRIPTION.max_chars + 1);
    let e = Complaint::record(long, &[], &li(), at(1), &rules).unwrap_err();
    assert_eq!(
        e,
        DomainError::TextTooLong {
            field: "description".into(),
            limit: 10_000,
            length: 10_001,
        }
    );
    let mut multi = new_complaint(3);
    multi.draft.description = "line one\n\tline two".into();
    assert!(Complaint::record(multi, &[], &li(), at(1), &rules).is_ok());
    let mut bidi = new_complaint(4);
    bidi.draft.customer.name = "Wang\u{202E}gnaW".into();
    let e = Complaint::record(bidi, &[], &li(), at(1), &rules).unwrap_err();
    assert_eq!(e.code(), "invalid_text");
    assert_eq!(e.field_errors()[0].field, "customer.name");
    let mut newline = new_complaint(5);
    newline.draft.subject.reference = "order\n42".into();
    let e = Complaint::record(newline, &[], &li(), at(1), &rules).unwrap_err();
    assert_eq!(e.code(), "invalid_text");
    let mut id = new_complaint(6);
    id.draft.customer.customer_id = Some("C".repeat(65));
    let e = Complaint::record(id, &[], &li(), at(1), &rules).unwrap_err();
    assert_eq!(e.code(), "text_too_long");
}

#[test]
fn every_command_carrying_text_checks_it() {
    let long = "x".repeat(4_001);
    let bad = "ok\u{1b}[2J".to_owned();
    let mut c = analysed();
    let commands = [
        Command::AddProgress {
            update_id: uid(1),
            text: long.clone(),
            customer_informed: true,
        },
        Command::SetRootCause {
            categories: vec![RootCause::System],
            note: bad.clone(),
        },
        Command::ProposeRemedy {
            remedy_id: rid(1),
            kind: RemedyKind::Refund,
            amount: Money::new(100, "CNY"),
            tier: None,
            note: long.clone(),
        },
        Command::ProposeRemedy {
            remedy_id: rid(1),
            kind: RemedyKind::Refund,
            amount: Money::new(100, "CNY"),
            tier: Some(Tier {
                extra_minor: 100,
                extra_kind: RemedyKind::Voucher,
                condition: "x".repeat(501),
            }),
            note: String::new(),
        },
        Command::Assign {
            department: DeptId::new("d".repeat(65)),
            owner: None,
        },
        Command::Judge {
            valid: true,
            reason: None,
            note: bad.clone(),
        },
        Command::Resolve { note: long.clone() },
        Command::Reopen {
            reason: bad.clone(),
        },
        Command::Review {
            lessons: String::from("fine"),
            actions: vec!["fine".into(), bad.clone()],
        },
        Command::Close { note: long.clone() },
    ];
    for cmd in commands {
        let e = err(&mut c, cmd.clone(), &zhang(), 200);
        assert!(
            matches!(e.code().as_str(), "text_too_long" | "invalid_text"),
            "{}: {e}",
            cmd.action()
        );
        assert_eq!(cmd.check_text(), Err(e));
    }
    let e = err(
        &mut c,
        Command::Review {
            lessons: "fine".into(),
            actions: vec!["a".into(); 51],
        },
        &zhang(),
        200,
    );
    assert_eq!(e.code(), "validation_failed");
}

#[test]
fn received_at_must_be_recent() {
    let rules = Rules::default();
    let mut old = new_complaint(2);
    old.draft.received_at = Some(at(1) - jiff::SignedDuration::from_hours(30 * 24 + 1));
    let e = Complaint::record(old.clone(), &[], &li(), at(1), &rules).unwrap_err();
    assert_eq!(e.code(), "validation_failed");
    assert_eq!(e.field_errors()[0].field, "received_at");
    old.draft.received_at = Some(at(1) - jiff::SignedDuration::from_hours(30 * 24));
    assert!(Complaint::record(old.clone(), &[], &li(), at(1), &rules).is_ok());
    // The window is the site's to set.
    let mut wide = Rules::default();
    wide.received_at.max_age_days = 365;
    old.draft.received_at = Some(at(1) - jiff::SignedDuration::from_hours(200 * 24));
    assert!(Complaint::record(old, &[], &li(), at(1), &wide).is_ok());
    let mut early = new_complaint(3);
    early.draft.received_at = Some(Timestamp::UNIX_EPOCH);
    assert!(Complaint::record(early, &[], &li(), at(1), &rules).is_err());
}

#[test]
fn a_complaint_holds_a_bounded_number_of_progress_updates_and_entries() {
    use redress_domain::complaint::{CLOSING_HEADROOM, MAX_PROGRESS_UPDATES, MAX_TIMELINE_ENTRIES};
    let mut c = analysed();
    let limit = u128::try_from(MAX_PROGRESS_UPDATES).unwrap();
    for n in 0..limit {
        run(&mut c, progress(n, false), &li(), 100);
    }
    let e = err(&mut c, progress(limit, false), &li(), 100);
    assert_eq!(
        e,
        DomainError::ComplaintLimitReached {
            what: "progress updates",
            limit: MAX_PROGRESS_UPDATES,
        }
    );
    assert_eq!(e.code(), "complaint_limit_reached");
    // Pausing and resuming fill the timeline; at the cap only the steps
    // that close the loop still go through.
    run(&mut c, propose(1, RemedyKind::FeeWaiver, 100), &li(), 150);
    run(&mut c, implement(1), &li(), 151);
    let clock = clock_id(c.id, ClockKind::Resolution);
    let mut minute = 200;
    let pause = Command::PauseClock {
        clock_id: clock,
        reason: PauseReason::WaitingOnCustomer,
        note: String::new(),
    };
    let resume = Command::ResumeClock { clock_id: clock };
    while c.timeline.len() < MAX_TIMELINE_ENTRIES {
        let paused = c.clock(ClockKind::Resolution).unwrap().is_paused();
        let step = if paused {
            resume.clone()
        } else {
            pause.clone()
        };
        run(&mut c, step, &li(), minute);
        minute += 1;
    }
    assert_eq!(c.timeline.len(), MAX_TIMELINE_ENTRIES);
    let e = err(&mut c, assign(), &li(), minute);
    assert_eq!(
        e,
        DomainError::ComplaintLimitReached {
            what: "timeline entries",
            limit: MAX_TIMELINE_ENTRIES,
        }
    );
    run(&mut c, resolve(), &li(), minute);
    assert_eq!(c.state, ComplaintState::Resolved);
    assert!(c.timeline.len() > MAX_TIMELINE_ENTRIES);
    assert!(c.timeline.len() <= MAX_TIMELINE_ENTRIES + CLOSING_HEADROOM);
}

// ---------------------------------------------------------------- the steps offered

/// The complaint-level steps an agent is offered in each state: what they
/// may take (the main one first-marked with `*`), and what needs a higher
/// role. The transition table above is what `execute` does; this is the
/// same table seen from the screen.
#[test]
fn the_steps_an_agent_is_offered_in_every_state() {
    use ComplaintState as S;
    let table: [(S, &str, &str); 12] = [
        (S::Recorded, "*judge add_progress", ""),
        (S::Validated, "*assign add_progress", ""),
        (S::Invalid, "add_progress", "close"),
        (S::Assigned, "assign *set_root_cause add_progress", ""),
        (
            S::Analysed,
            "assign set_root_cause *propose_remedy add_progress",
            "",
        ),
        (
            S::AwaitingApproval,
            "assign set_root_cause propose_remedy add_progress",
            "",
        ),
        (
            S::RemedyAgreed,
            "assign set_root_cause propose_remedy add_progress",
            "",
        ),
        (
            S::Implemented,
            "assign set_root_cause *resolve add_progress",
            "",
        ),
        (
            S::Resolved,
            "assign set_root_cause *record_callback reopen add_progress",
            "",
        ),
        (
            S::FollowedUp,
            "assign set_root_cause reopen add_progress",
            "review",
        ),
        (
            S::Reviewed,
            "assign set_root_cause reopen add_progress",
            "close",
        ),
        (S::Closed, "", "reopen"),
    ];
    for (state, allowed, higher) in table {
        let c = complaint_in(state);
        let offers: Vec<_> = c
            .offers(&li(), at(500), &Rules::default())
            .into_iter()
            .filter(|o| o.target == Target::Complaint)
            .collect();
        let shown = |allowed: bool| {
            offers
                .iter()
                .filter(|o| o.allowed == allowed)
                .map(|o| format!("{}{}", if o.main { "*" } else { "" }, o.step.as_str()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(shown(true), allowed, "{state}: allowed");
        assert_eq!(shown(false), higher, "{state}: needs a higher role");
        for o in offers.iter().filter(|o| !o.allowed) {
            assert_eq!(o.needs_role, Some(Role::Supervisor), "{state}: {o:?}");
            assert_eq!(o.refusal, Some(ErrorCode::ForbiddenRole), "{state}: {o:?}");
        }
    }
}

/// Remedy, approval and clock steps are offered per target: the approver
/// is offered the decision the requester is refused, and a paused clock
/// offers resuming, not pausing.
#[test]
fn per_target_steps_follow_the_same_checks() {
    let c = complaint_in(ComplaintState::AwaitingApproval);
    let remedy = c.remedies[0].id;
    let approval = c.approvals[0].id;
    let find = |offers: &[StepOffer], step: Step, target: Target| {
        offers
            .iter()
            .find(|o| o.step == step && o.target == target)
            .cloned()
    };
    // li proposed remedy 1: li may revise it, never decide it.
    let mine = c.offers(&li(), at(500), &Rules::default());
    assert!(find(&mine, Step::ReviseRemedy, Target::Remedy(remedy)).is_some_and(|o| o.allowed));
    assert_eq!(
        find(&mine, Step::MarkImplemented, Target::Remedy(remedy)),
        None,
        "not approved yet"
    );
    let decide = find(&mine, Step::DecideApproval, Target::Approval(approval)).unwrap();
    assert!(!decide.allowed);
    assert_eq!(decide.refusal, Some(ErrorCode::SelfApprovalForbidden));
    assert_eq!(
        decide.needs_role, None,
        "in no role: nobody decides their own"
    );
    // zhang, a supervisor, may decide it.
    let theirs = c.offers(&zhang(), at(500), &Rules::default());
    assert!(
        find(&theirs, Step::DecideApproval, Target::Approval(approval)).is_some_and(|o| o.allowed)
    );

    let mut c = complaint_in(ComplaintState::Assigned);
    let resolution = c.clock(ClockKind::Resolution).unwrap().id;
    let offers = c.offers(&li(), at(500), &Rules::default());
    assert!(find(&offers, Step::PauseClock, Target::Clock(resolution)).is_some_and(|o| o.allowed));
    assert_eq!(
        find(&offers, Step::ResumeClock, Target::Clock(resolution)),
        None
    );
    run(
        &mut c,
        Command::PauseClock {
            clock_id: resolution,
            reason: PauseReason::WaitingOnCustomer,
            note: String::new(),
        },
        &li(),
        510,
    );
    let offers = c.offers(&li(), at(520), &Rules::default());
    assert_eq!(
        find(&offers, Step::PauseClock, Target::Clock(resolution)),
        None
    );
    assert!(find(&offers, Step::ResumeClock, Target::Clock(resolution)).is_some_and(|o| o.allowed));
}

/// Every command's wire name is its step's name.
#[test]
fn a_command_is_named_as_its_step() {
    let c = complaint_in(ComplaintState::Assigned);
    for cmd in samples(&c) {
        let json = serde_json::to_value(&cmd).unwrap();
        assert_eq!(json["name"], cmd.step().as_str());
        assert_eq!(
            serde_json::to_value(cmd.step()).unwrap(),
            cmd.step().as_str()
        );
    }
}

// ------------------------------------------------ configuration versions

/// The default rules with a policy for every complaint: resolution within
/// `resolution_hours` and approvals within `approval_hours`.
fn rules_with(resolution_hours: i64, approval_hours: i64) -> Rules {
    let mut doc = redress_domain::RulesDocument::default();
    doc.sla.policies.push(redress_domain::sla::SlaPolicy {
        name: "site".into(),
        when: Default::default(),
        first_response: None,
        progress_cadence: None,
        resolution: Some(redress_domain::sla::ClockTarget::round_the_clock(
            resolution_hours * 3600,
        )),
        approval: Some(redress_domain::sla::ClockTarget::round_the_clock(
            approval_hours * 3600,
        )),
        callback: None,
        warn_at_permille: None,
    });
    doc.to_rules().unwrap()
}

fn clock_of(c: &Complaint, kind: ClockKind) -> &redress_domain::sla::SlaClock {
    c.clocks.iter().find(|k| k.kind == kind).unwrap()
}

/// A new version of the site configuration decides what starts under it:
/// the clocks a complaint already runs keep the targets and deadlines they
/// started with, whatever rules later commands are decided under, while a
/// clock started under the new version (an approval) and a complaint
/// recorded under it follow the new targets.
#[test]
fn clocks_started_under_an_earlier_version_keep_their_targets() {
    let old = Rules::default();
    let new = rules_with(4, 1);
    let mut c = complaint_in(ComplaintState::Analysed);
    let before = clock_of(&c, ClockKind::Resolution).clone();
    assert_eq!(before.target_secs, 48 * 3600, "medium: the built-in 48 h");

    // A refund above the agent's limit, proposed under the new version.
    c.execute(
        &propose(1, RemedyKind::Refund, 20_000),
        &li(),
        at(120),
        &new,
    )
    .unwrap();
    let resolution = clock_of(&c, ClockKind::Resolution);
    assert_eq!(resolution.target_secs, before.target_secs);
    assert_eq!(resolution.due_at, before.due_at, "the deadline stands");
    let approval = clock_of(&c, ClockKind::Approval);
    assert_eq!(
        approval.target_secs, 3600,
        "the approval clock follows the new version"
    );
    assert_eq!(
        approval.due_at,
        Some(at(120) + jiff::SignedDuration::from_hours(1))
    );

    // Decided under the old rules again (a desktop that has not synced
    // yet), the clocks still do not move.
    c.execute(&decide(1, 1, true), &zhang(), at(130), &old)
        .unwrap();
    assert_eq!(clock_of(&c, ClockKind::Resolution).due_at, before.due_at);

    // A complaint recorded under the new version gets the new target.
    let fresh = Complaint::record(new_complaint(2), &[], &li(), at(1), &new)
        .unwrap()
        .complaint;
    assert_eq!(
        clock_of(&fresh, ClockKind::Resolution).target_secs,
        4 * 3600
    );
}
