//! Random command sequences by random actors against one complaint; the
//! invariants are checked after every step.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use redress_domain::ErrorCode;
use redress_domain::complaint::{
    ApprovalState, Command, Complaint, ComplaintDraft, ComplaintState, NewComplaint, RemedyState,
    StepOffer, Target, Tier, approval_id,
};
use redress_domain::ids::{
    AttemptId, CategoryCode, ClockId, ComplaintId, DeptId, RemedyId, UpdateId, UserId,
};
use redress_domain::model::{
    Actor, CallbackOutcome, Channel, ComplaintKind, Customer, DemandClass, InvalidReason, Money,
    PauseReason, RemedyKind, Role, RootCause, Severity, Subject, SubjectKind,
};
use redress_domain::{Rules, Timestamp};
use uuid::Uuid;

fn t0() -> Timestamp {
    "2026-11-02T01:00:00Z".parse().unwrap()
}

fn actors() -> Vec<Actor> {
    let mut trusted = Actor::new("zhou", Role::Supervisor);
    trusted.approval_limit_minor = Some(100_000);
    vec![
        Actor::new("li", Role::Agent),
        Actor::new("chen", Role::Agent),
        Actor::new("zhang", Role::Supervisor),
        trusted,
        Actor::new("wang", Role::Manager),
        Actor::new("zhao", Role::Manager),
        Actor::new("root", Role::Admin),
    ]
}

fn recorded(kind: ComplaintKind) -> Complaint {
    let new = NewComplaint {
        id: ComplaintId(Uuid::from_u128(1)),
        number: "TS-2026-000001".into(),
        draft: ComplaintDraft {
            customer: Customer {
                name: "王先生".into(),
                phone: "+86 138 0013 8000".into(),
                customer_id: None,
            },
            channel: Channel::Phone,
            subject: Subject {
                kind: SubjectKind::Order,
                reference: "A-1".into(),
            },
            category: CategoryCode::new("logistics.wrong_part"),
            demand: "replacement".into(),
            description: "wrong spare part".into(),
            kind,
            demand_class: DemandClass::ImmediateFix,
            severity: Severity::MEDIUM,
            public_exposure: false,
            received_at: Some(t0()),
        },
    };
    Complaint::record(
        new,
        &[],
        &Actor::new("li", Role::Agent),
        t0(),
        &Rules::default(),
    )
    .unwrap()
    .complaint
}

const AMOUNTS: [i64; 8] = [0, 3_000, 5_000, 20_000, 50_001, 120_000, 600_000, 6_000_000];
const KINDS: [RemedyKind; 4] = [
    RemedyKind::FeeWaiver,
    RemedyKind::Refund,
    RemedyKind::Voucher,
    RemedyKind::ApologyOnly,
];

/// A command in terms of "the n-th existing thing", resolved against the
/// complaint when it is run, so most steps hit real remedies and approvals.
#[derive(Debug, Clone)]
enum Op {
    /// `odd`: a reason with "valid", or none with "not valid" (both refused).
    Judge {
        valid: bool,
        odd: bool,
    },
    Assign {
        dept: u8,
        owner: Option<u8>,
    },
    RootCause {
        categories: Vec<RootCause>,
    },
    Progress {
        id: u8,
        informed: bool,
        blank: bool,
    },
    Propose {
        id: u8,
        kind: usize,
        amount: usize,
        tier: Option<usize>,
    },
    Revise {
        pick: usize,
        stale: bool,
        amount: usize,
    },
    Decide {
        pick: usize,
        stale: bool,
        approve: bool,
        blank: bool,
    },
    Implement {
        pick: usize,
    },
    Resolve,
    Callback {
        id: u8,
        outcome: u8,
    },
    Review {
        blank: bool,
    },
    Close,
    Reopen {
        blank: bool,
    },
    Pause {
        pick: usize,
    },
    Resume {
        pick: usize,
    },
    /// The next step of the closed loop for the current state, so that random
    /// sequences reach the later states often.
    Advance {
        choice: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let root = prop::sample::select(vec![
        RootCause::Process,
        RootCause::People,
        RootCause::System,
        RootCause::KnowledgeBase,
    ]);
    prop_oneof![
        2 => (prop::bool::weighted(0.8), prop::bool::weighted(0.1)).prop_map(|(valid, odd)| Op::Judge { valid, odd }),
        2 => (0u8..3, prop::option::of(0u8..3)).prop_map(|(dept, owner)| Op::Assign { dept, owner }),
        2 => prop::collection::vec(root, 0..3).prop_map(|categories| Op::RootCause { categories }),
        2 => (0u8..6, any::<bool>(), prop::bool::weighted(0.1))
            .prop_map(|(id, informed, blank)| Op::Progress { id, informed, blank }),
        4 => (0u8..4, 0..KINDS.len(), 0..AMOUNTS.len(), prop::option::weighted(0.2, 0..AMOUNTS.len()))
            .prop_map(|(id, kind, amount, tier)| Op::Propose { id, kind, amount, tier }),
        2 => (any::<usize>(), prop::bool::weighted(0.2), 0..AMOUNTS.len())
            .prop_map(|(pick, stale, amount)| Op::Revise { pick, stale, amount }),
        5 => (any::<usize>(), prop::bool::weighted(0.15), prop::bool::weighted(0.7), prop::bool::weighted(0.1))
            .prop_map(|(pick, stale, approve, blank)| Op::Decide { pick, stale, approve, blank }),
        3 => any::<usize>().prop_map(|pick| Op::Implement { pick }),
        2 => Just(Op::Resolve),
        3 => (0u8..5, 0u8..9).prop_map(|(id, outcome)| Op::Callback { id, outcome }),
        2 => prop::bool::weighted(0.1).prop_map(|blank| Op::Review { blank }),
        2 => Just(Op::Close),
        1 => prop::bool::weighted(0.1).prop_map(|blank| Op::Reopen { blank }),
        1 => any::<usize>().prop_map(|pick| Op::Pause { pick }),
        1 => any::<usize>().prop_map(|pick| Op::Resume { pick }),
        16 => any::<usize>().prop_map(|choice| Op::Advance { choice }),
    ]
}

fn nth<T>(items: &[T], pick: usize) -> Option<&T> {
    (!items.is_empty()).then(|| &items[pick % items.len()])
}

fn text(blank: bool) -> String {
    if blank { " ".into() } else { "text".into() }
}

fn command(op: &Op, c: &Complaint) -> Command {
    let remedy = |n: u8| RemedyId(Uuid::from_u128(0x5e00 + u128::from(n)));
    let clock = |pick: usize| nth(&c.clocks, pick).map_or(ClockId(Uuid::nil()), |k| k.id);
    match op.clone() {
        Op::Judge { valid, odd } => Command::Judge {
            valid,
            reason: (valid == odd).then_some(InvalidReason::OutsidePolicy),
            note: String::new(),
        },
        Op::Assign { dept, owner } => Command::Assign {
            department: DeptId::new(format!("dept{dept}")),
            owner: owner.map(|o| UserId::new(format!("owner{o}"))),
        },
        Op::RootCause { categories } => Command::SetRootCause {
            categories,
            note: String::new(),
        },
        Op::Progress {
            id,
            informed,
            blank,
        } => Command::AddProgress {
            update_id: UpdateId(Uuid::from_u128(0xa000 + u128::from(id))),
            text: text(blank),
            customer_informed: informed,
        },
        Op::Propose {
            id,
            kind,
            amount,
            tier,
        } => Command::ProposeRemedy {
            remedy_id: remedy(id),
            kind: KINDS[kind],
            amount: Money::new(AMOUNTS[amount], "CNY"),
            tier: tier.map(|t| Tier {
                extra_minor: AMOUNTS[t],
                extra_kind: RemedyKind::Voucher,
                condition: "stays".into(),
            }),
            note: String::new(),
        },
        Op::Revise {
            pick,
            stale,
            amount,
        } => {
            let (remedy_id, revision) =
                nth(&c.remedies, pick).map_or((remedy(9), 1), |r| (r.id, r.revision));
            Command::ReviseRemedy {
                remedy_id,
                expected_revision: if stale {
                    revision.saturating_sub(1)
                } else {
                    revision
                },
                amount_minor: AMOUNTS[amount],
                note: String::new(),
            }
        }
        Op::Decide {
            pick,
            stale,
            approve,
            blank,
        } => {
            let (approval, revision) =
                nth(&c.approvals, pick).map_or((approval_id(remedy(9), 1), 1), |a| {
                    let current = c.remedy(a.remedy_id).map_or(1, |r| r.revision);
                    (a.id, if stale { a.remedy_revision } else { current })
                });
            Command::DecideApproval {
                approval_id: approval,
                remedy_revision: revision,
                approve,
                reason: text(blank),
            }
        }
        Op::Implement { pick } => Command::MarkImplemented {
            remedy_id: nth(&c.remedies, pick).map_or(remedy(9), |r| r.id),
            note: String::new(),
        },
        Op::Resolve => Command::Resolve {
            note: String::new(),
        },
        Op::Callback { id, outcome } => Command::RecordCallback {
            attempt_id: AttemptId(Uuid::from_u128(0xca11 + u128::from(id))),
            outcome: match outcome {
                0..=2 => CallbackOutcome::Unreachable,
                3 => CallbackOutcome::NotSatisfied { score: Some(2) },
                score => CallbackOutcome::Satisfied { score: score - 3 },
            },
            // "Not satisfied" needs the customer's reason.
            note: if outcome == 3 {
                "still broken".into()
            } else {
                String::new()
            },
        },
        Op::Review { blank } => Command::Review {
            lessons: text(blank),
            actions: vec![],
        },
        Op::Close => Command::Close {
            note: String::new(),
        },
        Op::Reopen { blank } => Command::Reopen {
            reason: text(blank),
        },
        Op::Pause { pick } => Command::PauseClock {
            clock_id: clock(pick),
            reason: PauseReason::WaitingOnCustomer,
            note: "customer is sending documents".to_owned(),
        },
        Op::Resume { pick } => Command::ResumeClock {
            clock_id: clock(pick),
        },
        Op::Advance { choice } => advance(c, choice),
    }
}

fn advance(c: &Complaint, choice: usize) -> Command {
    use ComplaintState as S;
    let op = match c.state {
        S::Recorded => Op::Judge {
            valid: choice % 6 != 0,
            odd: false,
        },
        S::Validated => Op::Assign {
            dept: 0,
            owner: Some(1),
        },
        S::Assigned => Op::RootCause {
            categories: vec![RootCause::Process],
        },
        S::Analysed => Op::Propose {
            id: u8::try_from(c.remedies.len() % 4).unwrap(),
            kind: choice % 3,
            amount: choice % 6,
            tier: (choice % 5 == 0).then_some(1),
        },
        S::AwaitingApproval => {
            let pending = c
                .approvals
                .iter()
                .position(|a| a.state == ApprovalState::Pending);
            Op::Decide {
                pick: pending.unwrap_or(0),
                stale: false,
                approve: choice % 4 != 0,
                blank: false,
            }
        }
        S::RemedyAgreed => Op::Implement {
            pick: c
                .remedies
                .iter()
                .position(|r| r.state == RemedyState::Approved)
                .unwrap_or(0),
        },
        S::Implemented => Op::Resolve,
        S::Resolved => Op::Callback {
            id: u8::try_from(choice % 5).unwrap(),
            outcome: [0, 3, 7, 8][choice % 4],
        },
        S::FollowedUp => Op::Review { blank: false },
        S::Reviewed | S::Invalid => Op::Close,
        S::Closed => Op::Reopen { blank: false },
    };
    command(&op, c)
}

fn check_invariants(c: &Complaint) -> Result<(), TestCaseError> {
    let pending: Vec<_> = c
        .approvals
        .iter()
        .filter(|a| a.state == ApprovalState::Pending)
        .collect();
    prop_assert_eq!(
        c.state == ComplaintState::AwaitingApproval,
        !pending.is_empty(),
        "awaiting_approval iff an approval is pending ({})",
        c.state
    );
    for a in &c.approvals {
        let decided = matches!(a.state, ApprovalState::Approved | ApprovalState::Rejected);
        prop_assert_eq!(decided, a.decided_by.is_some());
        prop_assert_eq!(decided, a.decided_at.is_some());
        prop_assert!(
            a.decided_by.as_ref() != Some(&a.requested_by),
            "self-approval"
        );
        let clock = c.clocks.iter().find(|k| k.approval == Some(a.id));
        prop_assert!(clock.is_some(), "every approval has a clock");
        prop_assert_eq!(
            clock.unwrap().is_running(),
            a.state == ApprovalState::Pending
        );
    }
    for a in c.approvals.iter().filter(|a| a.decided_by.is_some()) {
        let remedy = c.remedy(a.remedy_id).unwrap();
        prop_assert!(
            a.decided_by.as_ref() != Some(&remedy.proposed_by),
            "the proposer decided"
        );
    }
    for r in &c.remedies {
        let mine: Vec<_> = pending.iter().filter(|a| a.remedy_id == r.id).collect();
        if r.state == RemedyState::PendingApproval {
            prop_assert_eq!(
                mine.len(),
                1,
                "a pending remedy has exactly one pending approval"
            );
            prop_assert_eq!(mine[0].remedy_revision, r.revision);
            prop_assert_eq!(mine[0].amount.amount_minor, r.total_minor());
        } else {
            prop_assert!(mine.is_empty());
        }
        prop_assert_eq!(
            matches!(r.state, RemedyState::Approved | RemedyState::Implemented),
            r.approved_by.is_some()
        );
        prop_assert!(r.total_minor() >= 0);
    }
    if c.state == ComplaintState::Closed {
        prop_assert!(
            c.clocks.iter().all(|k| !k.is_running()),
            "closed complaints have no running clock"
        );
    }
    prop_assert_eq!(
        c.state == ComplaintState::Resolved,
        c.outstanding_callback().is_some()
    );
    let valid = c.validity.as_ref().map(|v| v.valid);
    match c.state {
        ComplaintState::Recorded => prop_assert_eq!(valid, None),
        ComplaintState::Invalid => prop_assert_eq!(valid, Some(false)),
        ComplaintState::Closed => prop_assert!(valid.is_some()),
        _ => prop_assert_eq!(valid, Some(true)),
    }
    let mut ids: Vec<ClockId> = c.clocks.iter().map(|k| k.id).collect();
    ids.sort();
    ids.dedup();
    prop_assert_eq!(ids.len(), c.clocks.len(), "clock ids are unique");
    Ok(())
}

/// What one step may change: approvals and timeline entries are append-only,
/// a decision is never changed once made.
fn check_step(
    before: &Complaint,
    after: &Complaint,
    actor: &Actor,
    now: Timestamp,
) -> Result<(), TestCaseError> {
    prop_assert!(after.approvals.len() >= before.approvals.len());
    for (old, new) in before.approvals.iter().zip(&after.approvals) {
        prop_assert_eq!(old.id, new.id);
        if old.state != ApprovalState::Pending {
            prop_assert_eq!(old, new, "a decided or superseded approval never changes");
        }
    }
    prop_assert!(after.reopen_count >= before.reopen_count);
    prop_assert!(
        after.timeline.len() > before.timeline.len(),
        "every success is on the timeline"
    );
    prop_assert_eq!(
        &after.timeline[..before.timeline.len()],
        &before.timeline[..]
    );
    for e in &after.timeline[before.timeline.len()..] {
        prop_assert_eq!((&e.actor, e.at), (&actor.user, now));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every step keeps the invariants, and the steps the rulebook offered
    /// before it are the ones `execute` accepts: an accepted command was
    /// offered, and an offered one is refused only for its arguments; never
    /// one the screen would hide or show wrongly.
    #[test]
    fn random_command_sequences_keep_the_invariants(
        kind in prop::sample::select(vec![ComplaintKind::EmotionDriven, ComplaintKind::DemandDriven]),
        steps in prop::collection::vec((op(), 0..7usize, 0i64..600), 1..60),
    ) {
        let rules = Rules::default();
        let people = actors();
        let mut c = recorded(kind);
        let mut now = t0();
        for (op, who, minutes) in steps {
            now += jiff::SignedDuration::from_mins(minutes);
            let actor = &people[who];
            let cmd = command(&op, &c);
            let offers = c.offers(actor, now, &rules);
            let before = c.clone();
            let outcome = c.execute(&cmd, actor, now, &rules).map(|_| ()).map_err(|e| e.code());
            match outcome {
                Ok(()) => {
                    prop_assert!(
                        before.state != ComplaintState::Closed || matches!(cmd, Command::Reopen { .. }),
                        "a closed complaint accepted {}", cmd.action()
                    );
                    check_step(&before, &c, actor, now)?;
                }
                Err(code) => {
                    prop_assert_eq!(&c, &before, "a failed {} changed the complaint", cmd.action());
                    if before.state == ComplaintState::Closed && !matches!(cmd, Command::Reopen { .. }) {
                        prop_assert_eq!(code, "complaint_closed");
                    }
                }
            }
            check_offers(&before, &offers, &cmd, actor, outcome)?;
            check_invariants(&c)?;
        }
        let json = serde_json::to_string(&c).unwrap();
        let back: Complaint = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, c);
    }
}

/// What `cmd` acts on, as the offers name it.
fn target_of(cmd: &Command) -> Target {
    match cmd {
        Command::ReviseRemedy { remedy_id, .. } | Command::MarkImplemented { remedy_id, .. } => {
            Target::Remedy(*remedy_id)
        }
        Command::DecideApproval { approval_id, .. } => Target::Approval(*approval_id),
        Command::PauseClock { clock_id, .. } | Command::ResumeClock { clock_id } => {
            Target::Clock(*clock_id)
        }
        _ => Target::Complaint,
    }
}

/// Refusals of the arguments a user gives (blank text, a stale revision,
/// an amount nobody may grant), which an offer cannot foresee.
fn refused_for_its_arguments(cmd: &Command, code: ErrorCode) -> bool {
    match code {
        ErrorCode::ValidationFailed | ErrorCode::RemedyChangedSinceViewed => true,
        ErrorCode::AuthorityLimitExceeded => matches!(
            cmd,
            Command::ProposeRemedy { .. } | Command::ReviseRemedy { .. }
        ),
        _ => false,
    }
}

fn check_offers(
    c: &Complaint,
    offers: &[StepOffer],
    cmd: &Command,
    actor: &Actor,
    outcome: Result<(), ErrorCode>,
) -> Result<(), TestCaseError> {
    let step = cmd.step();
    let target = target_of(cmd);
    let offer = offers.iter().find(|o| o.step == step && o.target == target);
    let allowed = offer.is_some_and(|o| o.allowed);
    match outcome {
        Ok(()) => prop_assert!(
            allowed,
            "{} on {:?} was accepted in {} by {:?} but not offered: {:?}",
            step.as_str(),
            target,
            c.state,
            actor.role,
            offer
        ),
        Err(code) => prop_assert!(
            !allowed || refused_for_its_arguments(cmd, code),
            "{} on {:?} was offered in {} to {:?} but refused: {}",
            step.as_str(),
            target,
            c.state,
            actor.role,
            code
        ),
    }
    prop_assert!(
        offers.iter().filter(|o| o.main).count() <= 1,
        "one main step"
    );
    for o in offers {
        prop_assert!(!o.main || o.allowed, "the main step is allowed");
        prop_assert_eq!(o.allowed, o.refusal.is_none());
        if let Some(role) = o.needs_role {
            prop_assert!(!o.allowed && role > actor.role, "{:?}", o);
        }
    }
    Ok(())
}
