//! Cumulative authority: however an amount above a proposer's grant limit is
//! split into remedies on one complaint in one handling round, the proposer
//! never grants more than the limit without an approver.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use redress_domain::complaint::{Command, Complaint, ComplaintDraft, NewComplaint, Tier};
use redress_domain::ids::{CategoryCode, ComplaintId, DeptId, RemedyId, UserId};
use redress_domain::model::{
    Actor, Channel, ComplaintKind, Customer, DemandClass, Money, RemedyKind, Role, RootCause,
    Severity, Subject, SubjectKind,
};
use redress_domain::{Rules, Timestamp};
use uuid::Uuid;

fn t0() -> Timestamp {
    "2026-11-02T01:00:00Z".parse().unwrap()
}

/// A recorded, judged, assigned and analysed complaint: it accepts remedies.
fn analysed(rules: &Rules) -> Complaint {
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
            kind: ComplaintKind::DemandDriven,
            demand_class: DemandClass::ImmediateFix,
            severity: Severity::MEDIUM,
            public_exposure: false,
            received_at: Some(t0()),
        },
    };
    let boss = Actor::new("zhang", Role::Supervisor);
    let mut c = Complaint::record(new, &[], &boss, t0(), rules)
        .unwrap()
        .complaint;
    let steps = [
        Command::Judge {
            valid: true,
            reason: None,
            note: String::new(),
        },
        Command::Assign {
            department: DeptId::new("logistics"),
            owner: Some(UserId::new("li")),
        },
        Command::SetRootCause {
            categories: vec![RootCause::Process],
            note: String::new(),
        },
    ];
    for cmd in steps {
        c.execute(&cmd, &boss, t0(), rules).unwrap();
    }
    c
}

const KINDS: [RemedyKind; 4] = [
    RemedyKind::Refund,
    RemedyKind::Voucher,
    RemedyKind::FeeWaiver,
    RemedyKind::CompensationPayment,
];

/// One piece of a split: a kind, a base amount and maybe a tier extra.
fn piece() -> impl Strategy<Value = (usize, i64, Option<i64>)> {
    (
        0..KINDS.len(),
        0i64..=6_000,
        proptest::option::weighted(0.2, 1i64..=3_000),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_split_grants_more_than_the_limit_without_approval(
        role in prop_oneof![Just(Role::Agent), Just(Role::Supervisor)],
        pieces in proptest::collection::vec(piece(), 1..30),
        revise_every in 2usize..6,
    ) {
        let rules = Rules::default();
        let mut c = analysed(&rules);
        let proposer = Actor::new("li", role);
        let mut asked = 0i64;
        for (n, (kind, base, extra)) in pieces.iter().enumerate() {
            let kind = KINDS[*kind];
            let id = RemedyId(Uuid::from_u128(0x5e00 + n as u128));
            let cmd = Command::ProposeRemedy {
                remedy_id: id,
                kind,
                amount: Money::new(*base, "CNY"),
                tier: extra.map(|extra_minor| Tier {
                    extra_minor,
                    extra_kind: RemedyKind::Voucher,
                    condition: "stays 12 months".into(),
                }),
                note: String::new(),
            };
            c.execute(&cmd, &proposer, t0(), &rules).unwrap();
            asked += base + extra.unwrap_or(0);
            // Revising a pending piece down is one more way to split.
            if n % revise_every == 0 && c.remedy(id).unwrap().approved_by.is_none() {
                let revise = Command::ReviseRemedy {
                    remedy_id: id,
                    expected_revision: 1,
                    amount_minor: base / 2,
                    note: String::new(),
                };
                c.execute(&revise, &proposer, t0(), &rules).unwrap();
                asked -= base - base / 2;
            }
        }
        let limit = rules.authority.grant_limit(role, RemedyKind::Refund);
        let granted: i64 = c
            .remedies
            .iter()
            .filter(|r| r.auto_approved)
            .map(|r| r.total_minor())
            .sum();
        prop_assert!(granted <= limit, "granted {granted} alone, limit {limit}");
        prop_assert_eq!(granted, c.granted_alone_by(&proposer.user, None));
        if asked > limit {
            prop_assert!(
                c.remedies.iter().any(|r| !r.auto_approved),
                "{asked} asked, all of it granted alone"
            );
        }
    }
}
