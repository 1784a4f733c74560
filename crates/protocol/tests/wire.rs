//! The JSON form of mutations, envelopes and messages.

use jiff::Timestamp;
use redress_domain::complaint::{Command, Tier};
use redress_domain::ids::{
    ApprovalId, AttemptId, CategoryCode, ClockId, ComplaintId, DeptId, RemedyId, UpdateId, UserId,
};
use redress_domain::model::{
    CallbackOutcome, Channel, ComplaintKind, Customer, DemandClass, InvalidReason, Money,
    PauseReason, RemedyKind, RootCause, Severity, Subject, SubjectKind,
};
use redress_protocol::{
    ComplaintDraft, ErrorCode, Mutation, MutationEnvelope, MutationResult, Outcome, PushRequest,
    RECORD, command_tag, mutation_name,
};
use serde_json::{Value, json};
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn at(s: &str) -> Timestamp {
    s.parse().expect("a valid timestamp")
}

/// One example of every command.
fn every_command() -> Vec<Command> {
    vec![
        Command::Judge {
            valid: false,
            reason: Some(InvalidReason::OutsidePolicy),
            note: "outside the contract".into(),
        },
        Command::Assign {
            department: DeptId::new("billing"),
            owner: Some(UserId::new("zhao")),
        },
        Command::SetRootCause {
            categories: vec![RootCause::System, RootCause::Process],
            note: "billing run".into(),
        },
        Command::AddProgress {
            update_id: UpdateId(id(11)),
            text: "called back".into(),
            customer_informed: true,
        },
        Command::ProposeRemedy {
            remedy_id: RemedyId(id(12)),
            kind: RemedyKind::FeeWaiver,
            amount: Money::new(20_000, "CNY"),
            tier: Some(Tier {
                extra_minor: 5_000,
                extra_kind: RemedyKind::Voucher,
                condition: "keeps the contract".into(),
            }),
            note: String::new(),
        },
        Command::ReviseRemedy {
            remedy_id: RemedyId(id(12)),
            expected_revision: 2,
            amount_minor: 15_000,
            note: "lower".into(),
        },
        Command::DecideApproval {
            approval_id: ApprovalId(id(13)),
            remedy_revision: 1,
            approve: false,
            reason: "too much".into(),
        },
        Command::MarkImplemented {
            remedy_id: RemedyId(id(12)),
            note: "credited".into(),
        },
        Command::Resolve {
            note: "told the customer".into(),
        },
        Command::RecordCallback {
            attempt_id: AttemptId(id(14)),
            outcome: CallbackOutcome::Satisfied { score: 5 },
            note: String::new(),
        },
        Command::RecordCallback {
            attempt_id: AttemptId(id(15)),
            outcome: CallbackOutcome::Unreachable,
            note: String::new(),
        },
        Command::Review {
            lessons: "check the billing run".into(),
            actions: vec!["alert on failed runs".into()],
        },
        Command::Close {
            note: String::new(),
        },
        Command::Reopen {
            reason: "not fixed".into(),
        },
        Command::PauseClock {
            clock_id: ClockId(id(16)),
            reason: PauseReason::WaitingOnCustomer,
            note: String::new(),
        },
        Command::ResumeClock {
            clock_id: ClockId(id(16)),
        },
    ]
}

fn draft() -> ComplaintDraft {
    ComplaintDraft {
        customer: Customer {
            name: "Wang Fang".into(),
            phone: "138 0013 8000".into(),
            customer_id: None,
        },
        channel: Channel::Phone,
        subject: Subject {
            kind: SubjectKind::BusinessLine,
            reference: "broadband".into(),
        },
        category: CategoryCode::new("broadband.dropout"),
        demand: "fix the line".into(),
        description: "drops every evening".into(),
        kind: ComplaintKind::Compound,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
        received_at: Some(at("2026-03-02T01:00:00Z")),
    }
}

#[test]
fn every_command_round_trips_under_its_wire_name() {
    let expected_names = [
        "complaint.judge",
        "complaint.assign",
        "complaint.set_root_cause",
        "progress.add",
        "remedy.propose",
        "remedy.revise",
        "approval.decide",
        "remedy.mark_implemented",
        "complaint.resolve",
        "callback.record",
        "callback.record",
        "complaint.review",
        "complaint.close",
        "complaint.reopen",
        "sla.pause",
        "sla.resume",
    ];
    let commands = every_command();
    assert_eq!(commands.len(), expected_names.len());
    for (command, name) in commands.into_iter().zip(expected_names) {
        assert_eq!(mutation_name(&command), name);
        assert_eq!(command_tag(name), Some(command.action()));
        let mutation = Mutation::Execute {
            complaint_id: ComplaintId(id(1)),
            command: command.clone(),
        };
        let json = serde_json::to_value(&mutation).expect("serialises");
        assert_eq!(json["name"], name);
        assert_eq!(json["args"]["complaint_id"], id(1).to_string());
        // The command's own args sit next to complaint_id, unchanged.
        let own = serde_json::to_value(&command).expect("serialises");
        for (key, value) in own["args"].as_object().expect("args object") {
            assert_eq!(&json["args"][key], value, "{name}: {key}");
        }
        let back: Mutation = serde_json::from_value(json).expect("parses");
        assert_eq!(back, mutation);
    }
}

#[test]
fn record_round_trips_and_matches_the_documented_shape() {
    let mutation = Mutation::Record {
        complaint_id: ComplaintId(id(1)),
        complaint: draft(),
    };
    let json = serde_json::to_value(&mutation).expect("serialises");
    assert_eq!(json["name"], RECORD);
    assert_eq!(json["args"]["complaint_id"], id(1).to_string());
    assert_eq!(json["args"]["customer"]["name"], "Wang Fang");
    assert_eq!(json["args"]["severity"], 2);
    let back: Mutation = serde_json::from_value(json).expect("parses");
    assert_eq!(back, mutation);
    assert_eq!(back.complaint_id(), ComplaintId(id(1)));
}

#[test]
fn decide_reads_from_hand_written_json() {
    let json = json!({
        "name": "approval.decide",
        "args": {
            "complaint_id": id(1),
            "approval_id": id(2),
            "remedy_revision": 3,
            "approve": true
        }
    });
    let mutation: Mutation = serde_json::from_value(json).expect("parses");
    assert_eq!(
        mutation,
        Mutation::Execute {
            complaint_id: ComplaintId(id(1)),
            command: Command::DecideApproval {
                approval_id: ApprovalId(id(2)),
                remedy_revision: 3,
                approve: true,
                reason: String::new(),
            },
        }
    );
}

#[test]
fn unknown_names_and_bad_args_are_told_apart() {
    let unknown = Mutation::from_wire("approval.escalate", json!({ "complaint_id": id(1) }))
        .expect_err("unknown name");
    assert_eq!(unknown.code(), ErrorCode::UnsupportedMutation);
    // The rulebook's own tags are not wire names.
    let tag = Mutation::from_wire("decide_approval", json!({ "complaint_id": id(1) }))
        .expect_err("tag is not a wire name");
    assert_eq!(tag.code(), ErrorCode::UnsupportedMutation);
    let missing = Mutation::from_wire("complaint.close", json!({})).expect_err("no complaint id");
    assert_eq!(missing.code(), ErrorCode::MalformedRequest);
    let bad = Mutation::from_wire(
        "approval.decide",
        json!({ "complaint_id": id(1), "approval_id": "nope" }),
    )
    .expect_err("bad args");
    assert_eq!(bad.code(), ErrorCode::MalformedRequest);
    let extra = Mutation::from_wire(RECORD, json!({ "complaint_id": id(1), "surprise": 1 }))
        .expect_err("unknown draft field");
    assert_eq!(extra.code(), ErrorCode::MalformedRequest);
    let via_serde = serde_json::from_value::<Mutation>(json!({ "name": "x.y", "args": {} }))
        .expect_err("unknown name");
    assert!(via_serde.to_string().contains("unsupported mutation"));
}

fn envelope(seq: u64) -> MutationEnvelope {
    MutationEnvelope {
        client_seq: seq,
        mutation_id: id(100 + u128::from(seq)),
        author_user_id: UserId::new("li"),
        occurred_at_device: at("2026-03-02T01:41:07Z"),
        base_seq: 10_198,
        mutation: Mutation::Execute {
            complaint_id: ComplaintId(id(1)),
            command: Command::Close {
                note: String::new(),
            },
        },
    }
}

#[test]
fn the_envelope_is_flat_and_strict() {
    let json = serde_json::to_value(envelope(42)).expect("serialises");
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "args",
            "author_user_id",
            "base_seq",
            "client_seq",
            "mutation_id",
            "name",
            "occurred_at_device"
        ]
    );
    assert_eq!(json["name"], "complaint.close");
    let back: MutationEnvelope = serde_json::from_value(json.clone()).expect("parses");
    assert_eq!(back, envelope(42));

    let mut extra = json;
    extra["colour"] = Value::from("blue");
    assert!(serde_json::from_value::<MutationEnvelope>(extra).is_err());
}

#[test]
fn push_bodies_report_the_first_unsupported_mutation() {
    let mut second = serde_json::to_value(envelope(2)).expect("serialises");
    second["name"] = Value::from("complaint.escalate");
    let body = json!({
        "device_id": id(9),
        "sent_at_device": "2026-03-02T01:42:00Z",
        "mutations": [envelope(1), second],
    });
    let bytes = serde_json::to_vec(&body).expect("serialises");
    let err = PushRequest::from_json(&bytes).expect_err("unsupported");
    assert_eq!(err.code, ErrorCode::UnsupportedMutation);
    assert_eq!(err.index, Some(1));

    let good = json!({
        "device_id": id(9),
        "sent_at_device": "2026-03-02T01:42:00Z",
        "mutations": [envelope(1), envelope(2)],
    });
    let request =
        PushRequest::from_json(&serde_json::to_vec(&good).expect("serialises")).expect("parses");
    assert_eq!(request.mutations, vec![envelope(1), envelope(2)]);
    assert_eq!(
        serde_json::to_value(&request).expect("serialises"),
        good,
        "push requests round-trip"
    );

    let err = PushRequest::from_json(b"{\"device_id\": 1}").expect_err("malformed");
    assert_eq!(err.code, ErrorCode::MalformedRequest);
}

#[test]
fn results_have_the_documented_shape() {
    let applied = MutationResult {
        client_seq: 42,
        mutation_id: id(7),
        outcome: Outcome::Applied {
            first_change_seq: 10_233,
            last_change_seq: 10_233,
        },
        replayed: false,
    };
    assert_eq!(
        serde_json::to_value(&applied).expect("serialises"),
        json!({ "client_seq": 42, "mutation_id": id(7), "status": "applied",
                "first_change_seq": 10_233, "last_change_seq": 10_233 })
    );
    let rejected = MutationResult {
        client_seq: 43,
        mutation_id: id(8),
        outcome: Outcome::Rejected {
            code: ErrorCode::ApprovalAlreadyDecided,
            message: "already decided".into(),
            details: json!({ "decided_by": "wang" }),
            rejection_change_seq: 10_235,
        },
        replayed: true,
    };
    let json = serde_json::to_value(&rejected).expect("serialises");
    assert_eq!(json["status"], "rejected");
    assert_eq!(json["replayed"], true);
    assert_eq!(json["details"]["decided_by"], "wang");
    let back: MutationResult = serde_json::from_value(json).expect("parses");
    assert_eq!(back, rejected);
    assert_eq!(
        back.rejection_code(),
        Some(ErrorCode::ApprovalAlreadyDecided)
    );
}

/// `{name, args}` of a mutation, for editing.
fn wire_of(mutation: &Mutation) -> (String, Value) {
    let json = serde_json::to_value(mutation).expect("serialises");
    (
        json["name"].as_str().expect("name").to_owned(),
        json["args"].clone(),
    )
}

#[test]
fn unknown_fields_are_refused_all_the_way_down() {
    let refused = |name: &str, args: Value, what: &str| {
        let e = Mutation::from_wire(name, args).expect_err(what);
        assert_eq!(e.code(), ErrorCode::MalformedRequest, "{what}: {e}");
        e.to_string()
    };
    // Every command: one unknown field next to its own refuses it.
    for command in every_command() {
        let mutation = Mutation::Execute {
            complaint_id: ComplaintId(id(1)),
            command,
        };
        let (name, mut args) = wire_of(&mutation);
        assert_eq!(Mutation::from_wire(&name, args.clone()), Ok(mutation));
        args["surprise"] = json!(1);
        let message = refused(&name, args, &name);
        assert!(message.contains("surprise"), "{message}");
    }
    // Nested in a command: the amount and the tier of a remedy.
    let propose = Mutation::Execute {
        complaint_id: ComplaintId(id(1)),
        command: every_command().swap_remove(4),
    };
    let (name, args) = wire_of(&propose);
    let mut in_amount = args.clone();
    in_amount["amount"]["rate"] = json!(7);
    assert!(refused(&name, in_amount, "amount").contains("rate"));
    let mut in_tier = args;
    in_tier["tier"]["bonus"] = json!(true);
    assert!(refused(&name, in_tier, "tier").contains("bonus"));
    // The flattened callback outcome: a score on an unreachable attempt.
    let unreachable = json!({
        "complaint_id": id(1), "attempt_id": id(2), "outcome": "unreachable",
        "score": 3, "note": ""
    });
    refused("callback.record", unreachable, "score without satisfied");
    // Nested in a new complaint: customer and subject.
    let record = Mutation::Record {
        complaint_id: ComplaintId(id(1)),
        complaint: draft(),
    };
    let (name, args) = wire_of(&record);
    assert_eq!(Mutation::from_wire(&name, args.clone()), Ok(record));
    let mut in_customer = args.clone();
    in_customer["customer"]["vip"] = json!(true);
    refused(&name, in_customer, "customer");
    let mut in_subject = args;
    in_subject["subject"]["sku"] = json!("X");
    refused(&name, in_subject, "subject");
}

#[test]
fn client_seq_starts_at_one() {
    let mut json = serde_json::to_value(envelope(1)).expect("serialises");
    assert!(serde_json::from_value::<MutationEnvelope>(json.clone()).is_ok());
    json["client_seq"] = json!(0);
    let e = serde_json::from_value::<MutationEnvelope>(json.clone()).expect_err("seq 0");
    assert!(e.to_string().contains("client_seq starts at 1"), "{e}");
    // In a push body it is a malformed request, naming the mutation.
    let body = json!({
        "device_id": id(9),
        "sent_at_device": "2026-03-02T01:42:00Z",
        "mutations": [json],
    });
    let err = PushRequest::from_json(&serde_json::to_vec(&body).expect("serialises"))
        .expect_err("seq 0 in a push");
    assert_eq!(err.code, ErrorCode::MalformedRequest);
    assert_eq!(err.index, Some(0));
}

#[test]
fn an_over_long_author_is_refused_at_parse_time() {
    let mut json = serde_json::to_value(envelope(1)).expect("serialises");
    json["author_user_id"] = json!("l".repeat(65));
    let e = serde_json::from_value::<MutationEnvelope>(json).expect_err("long author");
    assert!(e.to_string().contains("author_user_id"), "{e}");
}

#[test]
fn rulebook_text_refusals_carry_their_field_and_limit() {
    let e = redress_domain::text::check("note", &"x".repeat(4_001), redress_domain::text::NOTE)
        .expect_err("too long");
    let rejection = redress_protocol::Rejection::from_domain(&e);
    assert_eq!(rejection.code, "text_too_long");
    assert_eq!(
        rejection.details,
        json!({ "field": "note", "limit": 4_000, "length": 4_001 })
    );
}

#[test]
fn intake_bodies_check_their_text() {
    use redress_protocol::intake::{IntakeComplaint, IntakeProgress};
    let body = |description: &str| -> IntakeComplaint {
        serde_json::from_value(json!({
            "external_ref": "crm-1",
            "customer": { "name": "Wang", "phone": "138 0013 8000" },
            "channel": "phone",
            "subject": { "kind": "order", "reference": "A-1" },
            "category": "broadband.dropout",
            "demand": "fix",
            "description": description,
            "kind": "compound",
            "demand_class": "immediate_fix",
            "severity": 2,
            "received_at": "2026-03-02T01:00:00Z"
        }))
        .expect("an intake body")
    };
    assert_eq!(body("two\nlines").check_text(), Ok(()));
    assert_eq!(
        body("bell\u{7}").check_text().map_err(|e| e.code()),
        Err(ErrorCode::InvalidText)
    );
    let progress = IntakeProgress {
        external_ref: "r".repeat(201),
        text: "ok".into(),
        customer_informed: false,
    };
    assert_eq!(
        progress.check_text().map_err(|e| e.code()),
        Err(ErrorCode::TextTooLong)
    );
    let nested = json!({
        "external_ref": "crm-1",
        "customer": { "name": "Wang", "phone": "138", "vip": true },
    });
    assert!(serde_json::from_value::<IntakeComplaint>(nested).is_err());
}

/// An intake body is the caller's `external_ref` next to exactly the fields
/// of `complaint.record`, all at the top level: it reads back as the same
/// draft the sync wire carries, and refuses what is not one.
#[test]
fn an_intake_body_is_a_draft_with_its_reference() {
    use redress_protocol::intake::IntakeComplaint;
    let draft = json!({
        "customer": { "name": "Wang", "phone": "138 0013 8000" },
        "channel": "phone",
        "subject": { "kind": "order", "reference": "A-1" },
        "category": "broadband.dropout",
        "demand": "fix",
        "description": "drops",
        "kind": "compound",
        "demand_class": "immediate_fix",
        "severity": 2,
        "public_exposure": false
    });
    let with = |extra: Value| {
        let mut body = draft.clone();
        for (k, v) in extra.as_object().expect("as written") {
            body[k] = v.clone();
        }
        body
    };
    let intake: IntakeComplaint =
        serde_json::from_value(with(json!({ "external_ref": "crm-1" }))).expect("as written");
    assert_eq!(intake.external_ref, "crm-1");
    assert_eq!(intake.draft.received_at, None, "received when recorded");
    assert_eq!(
        intake.draft,
        serde_json::from_value::<ComplaintDraft>(draft.clone()).expect("as written")
    );
    // Written back flat, the same body.
    assert_eq!(
        serde_json::to_value(&intake).expect("as written"),
        with(json!({ "external_ref": "crm-1" }))
    );
    let refused = |body: Value| {
        serde_json::from_value::<IntakeComplaint>(body)
            .expect_err("refused")
            .to_string()
    };
    assert!(refused(draft.clone()).contains("external_ref"));
    assert!(refused(with(json!({ "external_ref": 7 }))).contains("external_ref"));
    assert!(
        refused(with(json!({ "external_ref": "crm-1", "vip": true }))).contains("vip"),
        "unknown fields are refused"
    );
}
