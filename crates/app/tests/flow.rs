//! The closed loop through the application services, on a real SQLite file.
#![allow(clippy::unwrap_used)]

mod support;

use redress_app::AppError;
use redress_domain::ErrorCode;
use redress_domain::complaint::ComplaintDraft;
use redress_domain::complaint::{Command, ComplaintState};
use redress_domain::ids::{AttemptId, CategoryCode, DeptId, RemedyId, UpdateId, UserId};
use redress_domain::model::{
    CallbackOutcome, Channel, ComplaintKind, Customer, DemandClass, Money, RemedyKind, Role,
    RootCause, Severity, Subject, SubjectKind,
};
use redress_local::DashboardQuery;
use redress_protocol::Mutation;
use support::{TestClock, open};
use uuid::Uuid;

pub fn broadband(phone: &str) -> ComplaintDraft {
    ComplaintDraft {
        customer: Customer {
            name: "王先生".into(),
            phone: phone.into(),
            customer_id: None,
        },
        channel: Channel::Phone,
        subject: Subject {
            kind: SubjectKind::Product,
            reference: "家庭宽带 200M".into(),
        },
        category: CategoryCode::new("broadband.dropout"),
        demand: "减免本月宽带费".into(),
        description: "宽带第三次掉线，已经来电三次".into(),
        kind: ComplaintKind::EmotionDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
        received_at: None,
    }
}

fn id() -> Uuid {
    Uuid::now_v7()
}

#[test]
fn a_complaint_goes_round_the_closed_loop_and_reopens_on_an_unhappy_callback() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    h.act_as("agent.li", Role::Agent);

    let cid = h.app.record_complaint(broadband("138-0013-8000")).unwrap();
    let dash = h.app.dashboard(DashboardQuery::default()).unwrap();
    assert_eq!(dash.lines.len(), 1);
    let lines = dash.lines.lines();
    let row = &lines[0];
    assert_eq!(row.id, cid);
    assert!(row.number.starts_with("TS-2026-"), "{}", row.number);
    // Emotion-driven: the next thing due is the 30-minute progress update,
    // sent to the console as epoch milliseconds.
    let due: jiff::Timestamp = "2026-11-23T01:30:00Z".parse().unwrap();
    assert_eq!(row.due_ms, Some(due.as_millisecond()));
    assert_eq!(
        row.due_kind,
        Some(redress_domain::sla::ClockKind::ProgressUpdate)
    );
    let full = &h.app.dashboard_rows(DashboardQuery::default()).unwrap()[0];
    assert_eq!(full.customer_phone, "+8613800138000");
    assert_eq!(full.next_due_at, Some(due));
    assert_eq!(dash.counts.open, 1);

    let run = |c: Command| h.app.execute(cid, &c).unwrap();
    run(Command::AddProgress {
        update_id: UpdateId(id()),
        text: "已致歉，工程师今天下午上门".into(),
        customer_informed: true,
    });
    run(Command::Judge {
        valid: true,
        reason: None,
        note: String::new(),
    });
    run(Command::Assign {
        department: DeptId::new("network_operations"),
        owner: Some(UserId::new("agent.li")),
    });
    run(Command::SetRootCause {
        categories: vec![RootCause::System],
        note: "光猫固件缺陷".into(),
    });
    let remedy = RemedyId(id());
    run(Command::ProposeRemedy {
        remedy_id: remedy,
        kind: RemedyKind::FeeWaiver,
        amount: Money::new(30_000, "CNY"),
        tier: None,
        note: "减免当月月租".into(),
    });

    // ¥300 is above an agent's ¥50: it waits for a supervisor.
    let queue = h.app.approvals().unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].blocked, Some(ErrorCode::SelfApprovalForbidden));
    assert_eq!(queue[0].approval.required_role, Role::Supervisor);

    h.act_as("mgr.wang", Role::Manager);
    let queue = h.app.approvals().unwrap();
    assert_eq!(queue[0].blocked, None);
    let approval = queue[0].approval.clone();
    run(Command::DecideApproval {
        approval_id: approval.id,
        remedy_revision: approval.remedy_revision,
        approve: true,
        reason: "三次断线，符合减免政策".into(),
    });
    assert!(h.app.approvals().unwrap().is_empty());

    // A second decision is refused with a stable code and changes nothing.
    let before = h.app.complaint(cid).unwrap().complaint;
    let err: AppError = h
        .app
        .execute(
            cid,
            &Command::DecideApproval {
                approval_id: approval.id,
                remedy_revision: approval.remedy_revision,
                approve: false,
                reason: "no".into(),
            },
        )
        .unwrap_err();
    assert_eq!(err.code, "approval_already_decided");
    assert_eq!(h.app.complaint(cid).unwrap().complaint, before);

    run(Command::MarkImplemented {
        remedy_id: remedy,
        note: String::new(),
    });
    run(Command::Resolve {
        note: "已减免并告知客户".into(),
    });
    let callbacks = h.app.callbacks().unwrap();
    assert_eq!(callbacks.len(), 1);
    assert_eq!(callbacks[0].complaint_id, cid);
    assert_eq!(
        callbacks[0].customer_phone, "138 0013 8000",
        "as the agent dials it"
    );
    assert_eq!(h.app.complaint(cid).unwrap().phone_display, "138 0013 8000");
    assert_eq!(
        callbacks[0].due_at,
        Some("2026-11-24T01:00:00Z".parse().unwrap())
    );
    assert!(!callbacks[0].overdue);

    run(Command::RecordCallback {
        attempt_id: AttemptId(id()),
        outcome: CallbackOutcome::NotSatisfied { score: Some(2) },
        note: "客户说昨晚又断了".into(),
    });
    let view = h.app.complaint(cid).unwrap();
    assert_eq!(view.complaint.state, ComplaintState::Analysed);
    assert_eq!(view.complaint.reopen_count, 1);
    assert!(h.app.callbacks().unwrap().is_empty());
    // Every step is on the timeline with who did it.
    let actors: std::collections::BTreeSet<_> = view
        .complaint
        .timeline
        .iter()
        .map(|e| e.actor.as_str().to_owned())
        .collect();
    assert!(
        actors.contains("agent.li") && actors.contains("mgr.wang"),
        "{actors:?}"
    );
    // The store logged one intent per action for the server.
    assert!(!view.pending, "standalone changes are settled at once");
}

/// What the outbox keeps is the wire intent the server will be sent: it names
/// the complaint and reads back as the very command that ran.
#[test]
fn the_outbox_holds_each_intent_in_the_wire_format() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    h.act_as("agent.li", Role::Agent);
    let cid = h.app.record_complaint(broadband("138-0013-8000")).unwrap();
    let judge = Command::Judge {
        valid: true,
        reason: None,
        note: "billing error confirmed".into(),
    };
    h.app.execute(cid, &judge).unwrap();

    let store = redress_local::LocalStore::open_dir(dir.path()).unwrap();
    let (first, second) = store
        .read(|r| Ok::<_, redress_local::StoreError>((r.outbox_row(1)?, r.outbox_row(2)?)))
        .unwrap();
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.author.as_str(), "agent.li");
    assert_eq!(first.name, "complaint.record");
    match Mutation::from_wire(&first.name, first.args.clone()).unwrap() {
        Mutation::Record {
            complaint_id,
            complaint,
        } => {
            assert_eq!(complaint_id, cid);
            assert_eq!(complaint.customer.name, "王先生");
            assert_eq!(
                complaint.received_at,
                Some("2026-11-23T01:00:00Z".parse().unwrap()),
                "the time received is fixed in the intent"
            );
        }
        other => panic!("not a record: {other:?}"),
    }
    assert_eq!(second.name, "complaint.judge");
    assert_eq!(
        Mutation::from_wire(&second.name, second.args.clone()).unwrap(),
        Mutation::Execute {
            complaint_id: cid,
            command: judge
        }
    );
    assert_eq!(
        second.args["complaint_id"],
        serde_json::json!(cid.to_string())
    );
}

#[test]
fn bad_input_gets_a_stable_code_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    let mut bad = broadband("not a phone");
    bad.demand = String::new();
    let err = h.app.record_complaint(bad).unwrap_err();
    assert_eq!(err.code, "validation_failed");
    let fields: Vec<_> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert!(
        fields.contains(&"customer.phone") || fields.iter().any(|f| f.contains("phone")),
        "{fields:?}"
    );
    assert!(
        h.app
            .dashboard(DashboardQuery::default())
            .unwrap()
            .lines
            .is_empty()
    );

    let missing = redress_domain::ids::ComplaintId(id());
    let err = h
        .app
        .execute(
            missing,
            &Command::Resolve {
                note: String::new(),
            },
        )
        .unwrap_err();
    assert_eq!(err.code, "not_found");

    let cid = h.app.record_complaint(broadband("13800138000")).unwrap();
    let err = h
        .app
        .execute(
            cid,
            &Command::Resolve {
                note: String::new(),
            },
        )
        .unwrap_err();
    assert_eq!(err.code, "invalid_transition");
    assert_eq!(
        h.app.snooze_reminder("nonsense", 10).unwrap_err().code,
        "validation_failed"
    );
}

#[test]
fn repeat_complaints_link_and_the_third_escalates_with_an_alert() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-20T01:00:00Z"));
    let first = h.app.record_complaint(broadband("13800138000")).unwrap();
    h.clock.advance_mins(60 * 24);
    let second = h
        .app
        .record_complaint(broadband("+86 138 0013 8000"))
        .unwrap();
    h.clock.advance_mins(60 * 24);
    h.toasts.take();
    let third = h.app.record_complaint(broadband("138 0013 8000")).unwrap();

    let view = h.app.complaint(third).unwrap();
    let link = view.complaint.repeat.clone().unwrap();
    assert_eq!(link.ordinal, 3);
    assert!(link.escalated);
    assert_eq!(view.complaint.severity, Severity::HIGH);
    let linked: Vec<_> = view.linked.iter().map(|l| l.id).collect();
    assert_eq!(linked, vec![first, second]);
    let toasts = h.toasts.take();
    assert_eq!(toasts.len(), 1, "{toasts:?}");
    assert_eq!(toasts[0].complaint(), Some(third));
    assert!(toasts[0].title.contains("重复投诉"), "{}", toasts[0].title);
}

#[test]
fn changes_emit_one_batched_event_naming_the_complaint() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    h.events.0.lock().unwrap().clear();
    let cid = h.app.record_complaint(broadband("13800138000")).unwrap();
    let events = h.events.0.lock().unwrap().clone();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].complaints, vec![cid]);
}

#[test]
fn a_decider_sees_the_complaint_the_note_who_can_decide_and_earlier_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    h.act_as("agent.li", Role::Agent);
    let cid = h.app.record_complaint(broadband("138-0013-8000")).unwrap();
    let run = |c: Command| h.app.execute(cid, &c).unwrap();
    run(Command::Judge {
        valid: true,
        reason: None,
        note: String::new(),
    });
    run(Command::Assign {
        department: DeptId::new("network_operations"),
        owner: Some(UserId::new("agent.li")),
    });
    run(Command::SetRootCause {
        categories: vec![RootCause::System],
        note: "光猫固件缺陷".into(),
    });
    run(Command::ProposeRemedy {
        remedy_id: RemedyId(id()),
        kind: RemedyKind::FeeWaiver,
        amount: Money::new(30_000, "CNY"),
        tier: None,
        note: "减免当月月租".into(),
    });
    clock.advance_mins(5);
    h.act_as("sup.zhang", Role::Supervisor);
    let first = h.app.approvals().unwrap()[0].approval.clone();
    run(Command::DecideApproval {
        approval_id: first.id,
        remedy_revision: first.remedy_revision,
        approve: false,
        reason: "先核实断线记录".into(),
    });

    clock.advance_mins(5);
    h.act_as("agent.li", Role::Agent);
    run(Command::ProposeRemedy {
        remedy_id: RemedyId(id()),
        kind: RemedyKind::Refund,
        amount: Money::new(300_000, "CNY"),
        tier: None,
        note: "三次上门未修好，退还三个月费用".into(),
    });

    // ¥3,000 is beyond a supervisor: the item says who can decide it.
    h.act_as("sup.zhang", Role::Supervisor);
    let queue = h.app.approvals().unwrap();
    assert_eq!(queue.len(), 1);
    let item = &queue[0];
    assert_eq!(item.blocked, Some(ErrorCode::AuthorityLimitExceeded));
    assert_eq!(item.deciders, [Role::Manager, Role::Admin]);
    assert_eq!(item.remedy.note, "三次上门未修好，退还三个月费用");
    assert_eq!(item.brief.demand, "减免本月宽带费");
    assert_eq!(item.brief.category, CategoryCode::new("broadband.dropout"));
    assert_eq!(item.brief.kind, ComplaintKind::EmotionDriven);
    assert_eq!(item.brief.severity, Severity::MEDIUM);
    let (warn, due) = (item.warn_at.unwrap(), item.due_at.unwrap());
    assert!(
        item.approval.requested_at < warn && warn < due,
        "{warn} {due}"
    );
    assert_eq!(item.earlier.len(), 1, "the rejected first request");
    assert_eq!(item.earlier[0].id, first.id);
    assert_eq!(item.earlier[0].reason.as_deref(), Some("先核实断线记录"));
    assert_eq!(item.earlier[0].decided_by, Some(UserId::new("sup.zhang")));

    h.act_as("mgr.wang", Role::Manager);
    let second = h.app.approvals().unwrap()[0].clone();
    assert_eq!(second.blocked, None);
    clock.advance_mins(5);
    run(Command::DecideApproval {
        approval_id: second.approval.id,
        remedy_revision: second.approval.remedy_revision,
        approve: true,
        reason: String::new(),
    });

    let decided = h.app.decided_approvals(7, 50).unwrap();
    let summary: Vec<_> = decided
        .iter()
        .map(|d| {
            (
                d.approval.id,
                d.approval.decided_by.clone().unwrap(),
                d.note.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                second.approval.id,
                UserId::new("mgr.wang"),
                "三次上门未修好，退还三个月费用"
            ),
            (first.id, UserId::new("sup.zhang"), "减免当月月租"),
        ],
        "newest decision first"
    );
    assert_eq!(h.app.decided_approvals(7, 1).unwrap().len(), 1);
    clock.advance_mins(7 * 24 * 60);
    assert_eq!(
        h.app.decided_approvals(7, 50).unwrap().len(),
        1,
        "the first decision is more than seven days old now"
    );
}

#[test]
fn intake_checks_the_phone_and_finds_the_customers_open_and_recent_complaints() {
    use redress_app::IntakeQuery;
    use redress_domain::phone::PhoneKind;
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    h.act_as("agent.li", Role::Agent);
    let q = |phone: &str, id: Option<&str>| {
        h.app
            .intake_lookup(&IntakeQuery {
                phone: phone.into(),
                customer_id: id.map(str::to_owned),
            })
            .unwrap()
    };

    // 123 is not a number anybody can call back; recording it is refused.
    let none = q("123", None);
    assert_eq!(none.phone, None);
    assert!(none.complaints.is_empty());
    let err = h.app.record_complaint(broadband("123")).unwrap_err();
    assert_eq!(err.code, "validation_failed");
    assert!(
        err.fields.iter().any(|f| f.field == "customer.phone"),
        "{:?}",
        err.fields
    );

    let first = h.app.record_complaint(broadband("138-0013-8000")).unwrap();
    let mut with_id = broadband("+86 139 1234 5678");
    with_id.customer.customer_id = Some("CIF-0042".into());
    let second = h.app.record_complaint(with_id).unwrap();

    let found = q("13800138000", None);
    let phone = found.phone.unwrap();
    assert_eq!(phone.e164, "+8613800138000");
    assert_eq!(phone.display, "138 0013 8000");
    assert_eq!(phone.kind, PhoneKind::Mobile);
    assert_eq!(
        found.complaints.iter().map(|c| c.id).collect::<Vec<_>>(),
        [first]
    );
    assert!(found.complaints[0].open);
    assert!(!found.complaints[0].by_customer_id);
    assert_eq!(found.complaints[0].demand, "减免本月宽带费");
    assert_eq!(found.window_days, 30);

    // By customer id, whatever phone is typed; and by the phone of a
    // complaint that was keyed by its customer id.
    let by_id = q("", Some(" cif-0042 "));
    assert_eq!(by_id.phone, None);
    assert_eq!(by_id.complaints.len(), 1);
    assert_eq!(by_id.complaints[0].id, second);
    assert!(by_id.complaints[0].by_customer_id);
    assert_eq!(q("139 1234 5678", None).complaints[0].id, second);
    let both = q("138 0013 8000", Some("CIF-0042"));
    let mut ids: Vec<_> = both.complaints.iter().map(|c| c.id).collect();
    ids.sort();
    let mut expected = vec![first, second];
    expected.sort();
    assert_eq!(ids, expected);

    // Closed complaints older than the repeat window drop out; open ones stay.
    h.act_as("sup.zhang", Role::Supervisor);
    h.app
        .execute(
            first,
            &Command::Judge {
                valid: false,
                reason: Some(redress_domain::model::InvalidReason::NotOurService),
                note: "not ours".into(),
            },
        )
        .unwrap();
    h.app
        .execute(
            first,
            &Command::Close {
                note: String::new(),
            },
        )
        .unwrap();
    assert_eq!(
        q("13800138000", None).complaints.len(),
        1,
        "closed, but recent"
    );
    clock.advance_mins(31 * 24 * 60);
    assert!(q("13800138000", None).complaints.is_empty());
    assert_eq!(q("", Some("CIF-0042")).complaints.len(), 1, "still open");

    // Bounded like every input.
    let long = "1".repeat(41);
    assert!(
        h.app
            .intake_lookup(&IntakeQuery {
                phone: long,
                customer_id: None
            })
            .is_err()
    );
}

#[test]
fn a_supervisor_sees_the_team_and_assigns_several_complaints_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    h.act_as("sup.zhang", Role::Supervisor);
    let phones = ["138 0013 8001", "138 0013 8002", "138 0013 8003"];
    let ids: Vec<_> = phones
        .iter()
        .map(|p| h.app.record_complaint(broadband(p)).unwrap())
        .collect();
    for id in &ids {
        h.app
            .execute(
                *id,
                &Command::Judge {
                    valid: true,
                    reason: None,
                    note: String::new(),
                },
            )
            .unwrap();
    }

    let team = h.app.team().unwrap();
    assert_eq!(team.workload.len(), 1);
    assert_eq!(
        (team.workload[0].owner.as_ref(), team.workload[0].open),
        (None, 3)
    );
    assert!(
        team.people.contains(&UserId::new("sup.zhang")),
        "the current user"
    );
    assert!(team.day_end > team.now);

    // Two to agent.li; a closed complaint in the batch is refused on its own.
    let closed = h.app.record_complaint(broadband("138 0013 8009")).unwrap();
    h.app
        .execute(
            closed,
            &Command::Judge {
                valid: false,
                reason: Some(redress_domain::model::InvalidReason::Duplicate),
                note: "dup".into(),
            },
        )
        .unwrap();
    h.app
        .execute(
            closed,
            &Command::Close {
                note: String::new(),
            },
        )
        .unwrap();
    let li = UserId::new("agent.li");
    let outcome = h
        .app
        .bulk_assign(
            &[ids[0], ids[1], closed, ids[0]],
            &DeptId::new("network_operations"),
            Some(&li),
        )
        .unwrap();
    assert_eq!(outcome.done, [ids[0], ids[1]], "each once, in order");
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].id, closed);
    assert_eq!(outcome.failed[0].error.code, "complaint_closed");

    let team = h.app.team().unwrap();
    let by_owner: Vec<_> = team
        .workload
        .iter()
        .map(|w| (w.owner.clone(), w.open))
        .collect();
    assert_eq!(
        by_owner,
        [(None, 1), (Some(li.clone()), 2)],
        "unassigned first"
    );
    assert!(team.people.contains(&li));

    // Reassigning works the same way; too many at once is refused whole.
    let wu = UserId::new("agent.wu");
    let again = h
        .app
        .bulk_assign(&[ids[1]], &DeptId::new("billing"), Some(&wu))
        .unwrap();
    assert_eq!(again.done, [ids[1]]);
    assert_eq!(
        h.app.complaint(ids[1]).unwrap().complaint.owner,
        Some(wu.clone())
    );
    let many: Vec<_> = (0..501).map(|_| ids[2]).collect();
    let err = h
        .app
        .bulk_assign(&many, &DeptId::new("billing"), None)
        .unwrap_err();
    assert_eq!(err.code, "validation_failed");
    assert_eq!(h.app.complaint(ids[2]).unwrap().complaint.owner, None);

    // The dashboard's unassigned filter agrees with the queue.
    let unassigned = h
        .app
        .dashboard(DashboardQuery {
            unassigned_only: true,
            ..DashboardQuery::default()
        })
        .unwrap();
    assert_eq!(unassigned.lines.id.to_vec(), [ids[2]]);
}

#[test]
fn saved_views_are_per_user_named_and_bounded() {
    use redress_app::SavedView;
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    let view = |name: &str| SavedView {
        name: name.into(),
        view: serde_json::json!({ "filters": { "owner": "\u{0}unassigned" }, "sort": { "key": "due" } }),
    };
    h.act_as("sup.zhang", Role::Supervisor);
    assert!(h.app.saved_views().unwrap().is_empty());
    h.app
        .set_saved_views(&[view("未分配"), view("Breached billing")])
        .unwrap();
    let names = |h: &support::Harness| -> Vec<String> {
        h.app
            .saved_views()
            .unwrap()
            .into_iter()
            .map(|v| v.name)
            .collect()
    };
    assert_eq!(names(&h), ["未分配", "Breached billing"]);
    assert_eq!(h.app.saved_views().unwrap()[0].view, view("x").view);

    // Another user on the same console has their own.
    h.act_as("sup.li", Role::Supervisor);
    assert!(names(&h).is_empty());
    h.act_as("sup.zhang", Role::Supervisor);
    assert_eq!(names(&h).len(), 2);

    // Refused whole, keeping what was there: no name, a twin name, a
    // control character, too many, too big.
    let big = SavedView {
        name: "big".into(),
        view: serde_json::json!({ "search": "x".repeat(5000) }),
    };
    let many: Vec<_> = (0..31).map(|i| view(&format!("v{i}"))).collect();
    for bad in [
        vec![view("  ")],
        vec![view("a"), view(" A ")],
        vec![view("a\u{1b}[31m")],
        many,
        vec![big],
    ] {
        let err = h.app.set_saved_views(&bad).unwrap_err();
        assert!(
            ["validation_failed", "invalid_text"].contains(&err.code.as_str()),
            "{err:?}"
        );
        assert_eq!(names(&h).len(), 2);
    }
}
