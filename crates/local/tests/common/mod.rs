//! Fixtures shared by the store tests: a store in a temp dir, and complaints
//! built with the real domain API (`Complaint::record` / `execute`).
#![allow(dead_code, clippy::unwrap_used)]

use jiff::{SignedDuration, Timestamp};
use redress_domain::Rules;
use redress_domain::complaint::{
    Command, Complaint, ComplaintDraft, ComplaintState, NewComplaint, approval_id,
};
use redress_domain::ids::{CategoryCode, ComplaintId, DeptId, RemedyId, UpdateId, UserId};
use redress_domain::model::{
    Actor, Channel, ComplaintKind, Customer, DemandClass, InvalidReason, Money, RemedyKind, Role,
    RootCause, Severity, Subject, SubjectKind,
};
use redress_local::{LocalStore, OutboxEntry};
use uuid::Uuid;

/// A Monday morning, 09:00 in Shanghai.
pub const T0: &str = "2026-11-02T01:00:00Z";

pub fn t0() -> Timestamp {
    T0.parse().unwrap()
}

pub fn at(minutes: i64) -> Timestamp {
    t0() + SignedDuration::from_mins(minutes)
}

pub fn store() -> (tempfile::TempDir, LocalStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalStore::open_dir(dir.path()).unwrap();
    (dir, store)
}

pub fn agent() -> Actor {
    Actor::new("li", Role::Agent)
}

pub fn supervisor() -> Actor {
    Actor::new("zhang", Role::Supervisor)
}

pub fn cid(n: u128) -> ComplaintId {
    ComplaintId(Uuid::from_u128(n))
}

/// What a test wants to vary about a new complaint.
#[derive(Debug, Clone)]
pub struct Spec {
    pub n: u128,
    pub name: String,
    pub phone: String,
    pub kind: ComplaintKind,
    pub severity: Severity,
    pub channel: Channel,
    pub category: String,
    pub received_minute: i64,
}

impl Spec {
    pub fn new(n: u128) -> Spec {
        Spec {
            n,
            name: format!("Customer {n}"),
            phone: format!("1380013{:04}", n % 10_000),
            kind: ComplaintKind::DemandDriven,
            severity: Severity::MEDIUM,
            channel: Channel::Phone,
            category: "broadband.dropout".into(),
            received_minute: 0,
        }
    }

    pub fn name(mut self, name: &str) -> Spec {
        self.name = name.into();
        self
    }

    pub fn phone(mut self, phone: &str) -> Spec {
        self.phone = phone.into();
        self
    }

    pub fn kind(mut self, kind: ComplaintKind) -> Spec {
        self.kind = kind;
        self
    }

    pub fn severity(mut self, level: u8) -> Spec {
        self.severity = Severity::new(level).unwrap();
        self
    }

    pub fn received(mut self, minute: i64) -> Spec {
        self.received_minute = minute;
        self
    }

    /// Recorded (state `recorded`) at its reception.
    pub fn record(&self) -> Complaint {
        let new = NewComplaint {
            id: cid(self.n),
            number: format!("TS-2026-{:06}", self.n),
            draft: ComplaintDraft {
                customer: Customer {
                    name: self.name.clone(),
                    phone: self.phone.clone(),
                    customer_id: None,
                },
                channel: self.channel,
                subject: Subject {
                    kind: SubjectKind::BusinessLine,
                    reference: "home broadband".into(),
                },
                category: CategoryCode::new(&self.category),
                demand: "fix the line".into(),
                description: "the line drops every evening".into(),
                kind: self.kind,
                demand_class: DemandClass::ImmediateFix,
                severity: self.severity,
                public_exposure: false,
                received_at: Some(at(self.received_minute)),
            },
        };
        Complaint::record(
            new,
            &[],
            &agent(),
            at(self.received_minute),
            &Rules::default(),
        )
        .unwrap()
        .complaint
    }
}

pub fn run(c: &mut Complaint, cmd: Command, actor: &Actor, at: Timestamp) {
    let action = cmd.action();
    c.execute(&cmd, actor, at, &Rules::default())
        .unwrap_or_else(|e| panic!("{action} in {}: {e}", c.state));
}

/// Judged valid and assigned to `department` / `owner`, a minute after reception.
pub fn assigned(spec: &Spec, department: &str, owner: &str) -> Complaint {
    let mut c = spec.record();
    let t = c.received_at + SignedDuration::from_mins(1);
    run(
        &mut c,
        Command::Judge {
            valid: true,
            reason: None,
            note: String::new(),
        },
        &agent(),
        t,
    );
    run(
        &mut c,
        Command::Assign {
            department: DeptId::new(department),
            owner: Some(UserId::new(owner)),
        },
        &supervisor(),
        t,
    );
    c
}

/// Analysed with a ¥200 fee waiver waiting for a supervisor's approval.
pub fn awaiting_approval(spec: &Spec) -> Complaint {
    let mut c = assigned(spec, "field_service", "li");
    let t = c.received_at + SignedDuration::from_mins(2);
    run(
        &mut c,
        Command::SetRootCause {
            categories: vec![RootCause::System],
            note: "firmware".into(),
        },
        &agent(),
        t,
    );
    run(
        &mut c,
        Command::ProposeRemedy {
            remedy_id: RemedyId(Uuid::from_u128(spec.n << 8 | 1)),
            kind: RemedyKind::FeeWaiver,
            amount: Money::new(20_000, "CNY"),
            tier: None,
            note: String::new(),
        },
        &agent(),
        t,
    );
    assert_eq!(c.state, ComplaintState::AwaitingApproval);
    c
}

/// Resolved at `resolved_at`: the follow-up call is due then.
pub fn resolved(spec: &Spec, resolved_at: Timestamp) -> Complaint {
    let mut c = awaiting_approval(spec);
    let remedy = RemedyId(Uuid::from_u128(spec.n << 8 | 1));
    let t = c.received_at + SignedDuration::from_mins(3);
    run(
        &mut c,
        Command::DecideApproval {
            approval_id: approval_id(remedy, 1),
            remedy_revision: 1,
            approve: true,
            reason: String::new(),
        },
        &supervisor(),
        t,
    );
    run(
        &mut c,
        Command::MarkImplemented {
            remedy_id: remedy,
            note: String::new(),
        },
        &agent(),
        t,
    );
    run(
        &mut c,
        Command::Resolve {
            note: String::new(),
        },
        &agent(),
        resolved_at,
    );
    assert_eq!(c.state, ComplaintState::Resolved);
    c
}

/// Judged invalid and closed.
pub fn closed(spec: &Spec) -> Complaint {
    let mut c = spec.record();
    let t = c.received_at + SignedDuration::from_mins(1);
    run(
        &mut c,
        Command::Judge {
            valid: false,
            reason: Some(InvalidReason::Misunderstanding),
            note: "explained".into(),
        },
        &agent(),
        t,
    );
    run(
        &mut c,
        Command::Close {
            note: String::new(),
        },
        &supervisor(),
        t,
    );
    assert_eq!(c.state, ComplaintState::Closed);
    c
}

/// An informed progress update at `at` (stops the first-response clock and
/// restarts the progress cadence).
pub fn progress(c: &mut Complaint, n: u128, at: Timestamp) {
    run(
        c,
        Command::AddProgress {
            update_id: UpdateId(Uuid::from_u128(n)),
            text: "engineer booked".into(),
            customer_informed: true,
        },
        &agent(),
        at,
    );
}

pub fn entry(name: &str) -> OutboxEntry {
    OutboxEntry {
        mutation_id: OutboxEntry::new_mutation_id(),
        author: UserId::new("li"),
        name: name.into(),
        args: serde_json::json!({ "note": "x" }),
        occurred_at_device: t0(),
        base_seq: 0,
    }
}

/// Puts complaints into the mirror, version 1.
pub fn mirror(store: &LocalStore, complaints: &[Complaint]) {
    store
        .write(|tx| {
            for c in complaints {
                tx.put_mirror(c, &Rules::default(), 1, 1)?;
            }
            Ok::<_, redress_local::StoreError>(())
        })
        .unwrap();
}
