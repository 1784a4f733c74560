//! The conformance suite every [`ServerStore`] implementation must pass
//! (feature `conformance`).
//!
//! A backend provides a *database factory*: each call creates a fresh, empty
//! database and returns an [`Open`] that opens it, as often as asked (to
//! simulate a server restart on the same database). Stores must be opened with
//! [`rules()`] and number complaints by the UTC year. Then either call
//! [`run_all`] or, for one `#[test]` per case, invoke
//! [`conformance_tests!`](crate::conformance_tests) in a test file:
//!
//! ```text
//! fn new_database() -> redress_server::conformance::Open { /* ... */ }
//! redress_server::conformance_tests!(new_database);
//! ```
//!
//! The users and sessions of an [`AccountStore`](crate::AccountStore) have a
//! suite of their own in [`accounts`].

pub mod accounts;
pub mod config;

use crate::{ServerStore, StoreError};
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::complaint::{ApprovalState, Command, ComplaintState, approval_id};
use redress_domain::ids::{CategoryCode, ComplaintId, DeptId, RemedyId, UserId};
use redress_domain::model::{
    Actor, Channel, ComplaintKind, Customer, DemandClass, Money, RemedyKind, Role, RootCause,
    Severity, Subject, SubjectKind,
};
use redress_protocol::ErrorCode;
use redress_protocol::{
    Change, ChangeOp, ComplaintDraft, DeviceId, Mutation, MutationEnvelope, MutationResult,
    Outcome, PushRequest, PushResponse, entity,
};
use uuid::Uuid;

/// Opens (or reopens) one database.
pub type Open = Box<dyn Fn() -> Box<dyn ServerStore>>;

/// The rules every store under test must be opened with.
pub fn rules() -> Rules {
    Rules::default()
}

/// Generates one `#[test]` per conformance case from a database factory
/// (a path to a `fn() -> Open`).
#[macro_export]
macro_rules! conformance_tests {
    ($new_database:path) => {
        $crate::conformance_tests!(@cases $new_database;
            record_and_execute_apply,
            record_reruns_repeat_detection,
            replay_returns_the_stored_result,
            a_reused_seq_with_another_mutation_is_a_fork,
            a_renumbered_mutation_is_not_applied_twice,
            a_mutation_repeated_within_one_batch_is_settled_once,
            a_replay_with_other_arguments_is_refused,
            another_users_mutation_id_is_refused,
            a_gap_stops_the_batch,
            rejections_are_recorded_once_and_consume_the_seq,
            first_decision_wins,
            concurrent_decisions_settle_one_winner,
            author_mismatch_is_rejected,
            unknown_and_mismatched_devices_are_refused,
            intake_is_keyed_by_integration_and_reference,
            pull_pages_in_seq_order,
            snapshot_pages_cover_every_complaint_once,
            equal_histories_have_equal_digests,
            a_crash_between_mutations_loses_nothing,
        );
    };
    (@cases $new_database:path; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                $crate::conformance::$case(&$new_database);
            }
        )*
    };
}

/// Runs every case in turn.
pub fn run_all(new_database: &dyn Fn() -> Open) {
    record_and_execute_apply(new_database);
    record_reruns_repeat_detection(new_database);
    replay_returns_the_stored_result(new_database);
    a_reused_seq_with_another_mutation_is_a_fork(new_database);
    a_renumbered_mutation_is_not_applied_twice(new_database);
    a_mutation_repeated_within_one_batch_is_settled_once(new_database);
    a_replay_with_other_arguments_is_refused(new_database);
    another_users_mutation_id_is_refused(new_database);
    a_gap_stops_the_batch(new_database);
    rejections_are_recorded_once_and_consume_the_seq(new_database);
    first_decision_wins(new_database);
    concurrent_decisions_settle_one_winner(new_database);
    author_mismatch_is_rejected(new_database);
    unknown_and_mismatched_devices_are_refused(new_database);
    intake_is_keyed_by_integration_and_reference(new_database);
    pull_pages_in_seq_order(new_database);
    snapshot_pages_cover_every_complaint_once(new_database);
    equal_histories_have_equal_digests(new_database);
    a_crash_between_mutations_loses_nothing(new_database);
}

// ---- fixture ---------------------------------------------------------------

pub(crate) fn now() -> Timestamp {
    "2026-03-02T02:00:00Z".parse().expect("a valid timestamp")
}

pub(crate) fn complaint_id(n: u128) -> ComplaintId {
    ComplaintId(Uuid::from_u128(0xC0_0000 + n))
}

fn remedy_id(n: u128) -> RemedyId {
    RemedyId(Uuid::from_u128(0xE0_0000 + n))
}

/// One signed-in user on one device, numbering its own mutations.
pub(crate) struct Client {
    device: DeviceId,
    actor: Actor,
    next_seq: u64,
}

impl Client {
    pub(crate) fn new(store: &dyn ServerStore, n: u128, user: &str, role: Role) -> Client {
        let device = DeviceId(Uuid::from_u128(n << 64));
        let actor = Actor::new(user, role);
        store
            .register_device(device, &actor.user, &format!("{user}'s desktop"), now())
            .expect("register the device");
        Client {
            device,
            actor,
            next_seq: 1,
        }
    }

    /// The next envelope of this device (deterministic ids).
    fn envelope(&mut self, mutation: Mutation) -> MutationEnvelope {
        let client_seq = self.next_seq;
        self.next_seq += 1;
        MutationEnvelope {
            client_seq,
            mutation_id: Uuid::from_u128(self.device.0.as_u128() + u128::from(client_seq)),
            author_user_id: self.actor.user.clone(),
            occurred_at_device: now(),
            base_seq: 0,
            mutation,
        }
    }

    fn request(&self, mutations: Vec<MutationEnvelope>) -> PushRequest {
        PushRequest {
            device_id: self.device,
            sent_at_device: now(),
            mutations,
        }
    }

    fn push_envelopes(
        &self,
        store: &dyn ServerStore,
        mutations: Vec<MutationEnvelope>,
    ) -> PushResponse {
        store
            .push(self.device, &self.actor, &self.request(mutations), now())
            .expect("push")
    }

    /// Pushes `mutations` as this device's next ones.
    fn push(&mut self, store: &dyn ServerStore, mutations: Vec<Mutation>) -> PushResponse {
        let envelopes = mutations.into_iter().map(|m| self.envelope(m)).collect();
        self.push_envelopes(store, envelopes)
    }

    /// Pushes one mutation and returns its result.
    pub(crate) fn push_one(
        &mut self,
        store: &dyn ServerStore,
        mutation: Mutation,
    ) -> MutationResult {
        let mut response = self.push(store, vec![mutation]);
        assert_eq!(response.results.len(), 1, "one result per mutation");
        response.results.remove(0)
    }
}

/// A broadband complaint from Wang Fang on `phone`.
pub fn draft(phone: &str, category: &str, received_at: &str) -> ComplaintDraft {
    ComplaintDraft {
        customer: Customer {
            name: "Wang Fang".into(),
            phone: phone.into(),
            customer_id: None,
        },
        channel: Channel::Phone,
        subject: Subject {
            kind: SubjectKind::BusinessLine,
            reference: "broadband".into(),
        },
        category: CategoryCode::new(category),
        demand: "a stable line".into(),
        description: "the line drops every evening".into(),
        kind: ComplaintKind::DemandDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
        received_at: Some(received_at.parse().expect("a valid timestamp")),
    }
}

pub(crate) fn record(id: ComplaintId) -> Mutation {
    Mutation::Record {
        complaint_id: id,
        complaint: draft("138 0013 8000", "broadband.dropout", "2026-03-02T01:00:00Z"),
    }
}

/// Executes `command` on complaint `id`.
pub fn exec(id: ComplaintId, command: Command) -> Mutation {
    Mutation::Execute {
        complaint_id: id,
        command,
    }
}

/// Judge, assign and analyse: the steps that lead to remedies.
pub fn to_analysed(id: ComplaintId) -> Vec<Mutation> {
    vec![
        exec(
            id,
            Command::Judge {
                valid: true,
                reason: None,
                note: String::new(),
            },
        ),
        exec(
            id,
            Command::Assign {
                department: DeptId::new("network"),
                owner: None,
            },
        ),
        exec(
            id,
            Command::SetRootCause {
                categories: vec![RootCause::System],
                note: "faulty port".into(),
            },
        ),
    ]
}

/// Proposes fee waiver `remedy` of `amount_minor` CNY.
pub fn propose(id: ComplaintId, remedy: RemedyId, amount_minor: i64) -> Mutation {
    exec(
        id,
        Command::ProposeRemedy {
            remedy_id: remedy,
            kind: RemedyKind::FeeWaiver,
            amount: Money::new(amount_minor, "CNY"),
            tier: None,
            note: String::new(),
        },
    )
}

/// Decides the first approval of `remedy` (revision 1).
pub fn decide(id: ComplaintId, remedy: RemedyId, approve: bool) -> Mutation {
    exec(
        id,
        Command::DecideApproval {
            approval_id: approval_id(remedy, 1),
            remedy_revision: 1,
            approve,
            reason: if approve { String::new() } else { "no".into() },
        },
    )
}

/// Every change in the log, as `device` pulls them page by page.
pub fn all_changes(store: &dyn ServerStore, device: DeviceId) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut after = 0;
    loop {
        let page = store.pull(device, after, 1000, now()).expect("pull");
        after = page.changes.last().map_or(after, |c| c.seq);
        changes.extend(page.changes);
        if !page.has_more {
            return changes;
        }
    }
}

fn state(store: &dyn ServerStore, id: ComplaintId) -> ComplaintState {
    store
        .complaint(id)
        .expect("read the complaint")
        .expect("the complaint exists")
        .complaint
        .state
}

fn assert_rejected(result: &MutationResult, code: ErrorCode) -> i64 {
    match &result.outcome {
        Outcome::Rejected {
            code: got,
            rejection_change_seq,
            ..
        } => {
            assert_eq!(*got, code, "rejection code");
            *rejection_change_seq
        }
        Outcome::Applied { .. } => panic!("expected {code}, got applied: {result:?}"),
    }
}

pub(crate) fn assert_applied(result: &MutationResult) -> i64 {
    match &result.outcome {
        Outcome::Applied {
            first_change_seq,
            last_change_seq,
        } => {
            assert!(first_change_seq <= last_change_seq);
            *last_change_seq
        }
        Outcome::Rejected { code, message, .. } => {
            panic!("expected applied, got {code}: {message}")
        }
    }
}

// ---- cases -----------------------------------------------------------------

/// A record and the commands after it are applied, numbered by the server,
/// and appear as upsert changes in order.
pub fn record_and_execute_apply(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let id = complaint_id(1);
    let mut batch = vec![record(id)];
    batch.extend(to_analysed(id));
    let response = ann.push(store, batch);
    assert_eq!(response.results.len(), 4);
    assert_eq!(response.device_last_seq, 4);
    assert_eq!(response.next_expected_seq, 5);
    assert_eq!(response.server_time, now());
    let mut seqs = Vec::new();
    for (i, result) in response.results.iter().enumerate() {
        assert_eq!(result.client_seq, i as u64 + 1);
        assert!(!result.replayed);
        seqs.push(assert_applied(result));
    }
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "seqs ascend: {seqs:?}"
    );

    let stored = store.complaint(id).expect("read").expect("exists");
    assert_eq!(stored.complaint.number, "TS-2026-000001");
    assert_eq!(stored.complaint.state, ComplaintState::Analysed);
    assert_eq!(stored.complaint.customer.phone, "+8613800138000");
    assert_eq!(stored.complaint.recorded_at, now());
    assert_eq!(stored.version, 4);
    assert_eq!(Some(stored.last_seq), seqs.last().copied());

    // Four changes in the log; a pull from the start answers the latest.
    let page = store.pull(ann.device, 0, 100, now()).expect("pull");
    assert_eq!(page.high_water, seqs[3], "one change per mutation");
    let changes = page.changes;
    assert_eq!(changes.len(), 1);
    for change in &changes {
        assert_eq!(change.seq, seqs[3]);
        assert_eq!(change.entity, entity::COMPLAINT);
        assert_eq!(change.id, id.0);
        assert_eq!(change.op, ChangeOp::Upsert);
        assert_eq!(change.version, 4);
        let cause = change.cause.as_ref().expect("a cause");
        assert_eq!(cause.device_id, ann.device);
        assert_eq!(cause.client_seq, 4);
        assert_eq!(cause.actor, ann.actor.user);
    }
    // From the middle of the history, too.
    let later = store.pull(ann.device, seqs[1], 100, now()).expect("pull");
    assert_eq!(later.changes, changes);
    let last = changes.last().expect("changes");
    assert_eq!(last.data["state"], "analysed");

    // The next complaint gets the next number.
    assert_applied(&ann.push_one(store, record(complaint_id(2))));
    let second = store
        .complaint(complaint_id(2))
        .expect("read")
        .expect("exists");
    assert_eq!(second.complaint.number, "TS-2026-000002");

    // A record under a taken id, and a command on an unknown complaint, are
    // rejected.
    assert_rejected(&ann.push_one(store, record(id)), ErrorCode::ComplaintExists);
    let missing = exec(
        complaint_id(99),
        Command::Resolve {
            note: String::new(),
        },
    );
    assert_rejected(&ann.push_one(store, missing), ErrorCode::NotFound);
    // A rejected record does not use up a number.
    assert_applied(&ann.push_one(store, record(complaint_id(3))));
    let third = store
        .complaint(complaint_id(3))
        .expect("read")
        .expect("exists");
    assert_eq!(third.complaint.number, "TS-2026-000003");
}

/// The server links repeats from its own complaints, whatever the desktop
/// believed, and escalates the third.
pub fn record_reruns_repeat_detection(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let mut sam = Client::new(store, 2, "sam", Role::Supervisor);
    let first = Mutation::Record {
        complaint_id: complaint_id(1),
        complaint: draft("13800138000", "broadband.dropout", "2026-02-20T01:00:00Z"),
    };
    // Another device, the phone written differently: still the same customer.
    let second = Mutation::Record {
        complaint_id: complaint_id(2),
        complaint: draft(
            "+86 138-0013-8000",
            "broadband.dropout",
            "2026-02-25T01:00:00Z",
        ),
    };
    let third = Mutation::Record {
        complaint_id: complaint_id(3),
        complaint: draft("138 0013 8000", "broadband.dropout", "2026-03-02T01:00:00Z"),
    };
    let other = Mutation::Record {
        complaint_id: complaint_id(4),
        complaint: draft(
            "138 0013 8000",
            "billing.overcharge",
            "2026-03-02T01:00:00Z",
        ),
    };
    assert_applied(&ann.push_one(store, first));
    assert_applied(&sam.push_one(store, second));
    assert_applied(&ann.push_one(store, third));
    assert_applied(&ann.push_one(store, other));

    let read = |n| {
        store
            .complaint(complaint_id(n))
            .expect("read")
            .expect("exists")
            .complaint
    };
    assert_eq!(read(1).repeat, None);
    let second = read(2).repeat.expect("the second is a repeat");
    assert_eq!((second.ordinal, second.escalated), (2, false));
    let third = read(3);
    let link = third.repeat.clone().expect("the third is a repeat");
    assert_eq!(link.ordinal, 3);
    assert!(link.escalated);
    assert_eq!(link.linked, vec![complaint_id(1), complaint_id(2)]);
    assert_eq!(third.severity, Severity::HIGH, "escalated one step");
    assert_eq!(read(4).repeat, None, "another category is not a repeat");
}

/// Pushing settled mutations again returns their stored results, marked
/// replayed, and changes nothing.
pub fn replay_returns_the_stored_result(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let id = complaint_id(1);
    let batch: Vec<MutationEnvelope> = [
        record(id),
        exec(
            id,
            Command::Resolve {
                note: String::new(),
            },
        ),
    ]
    .into_iter()
    .map(|m| ann.envelope(m))
    .collect();
    let first = ann.push_envelopes(store, batch.clone());
    assert_applied(&first.results[0]);
    assert_rejected(&first.results[1], ErrorCode::InvalidTransition);
    let digest = store.digest().expect("digest");
    let changes = all_changes(store, ann.device);

    let again = ann.push_envelopes(store, batch.clone());
    assert_eq!(again.results.len(), 2);
    for (original, replayed) in first.results.iter().zip(&again.results) {
        assert!(replayed.replayed);
        let mut unmarked = replayed.clone();
        unmarked.replayed = false;
        assert_eq!(&unmarked, original);
    }
    assert_eq!(again.device_last_seq, 2);
    assert_eq!(store.digest().expect("digest"), digest);
    assert_eq!(all_changes(store, ann.device), changes);
    assert_eq!(
        store.complaint(id).expect("read").expect("exists").version,
        1
    );

    // A replay followed by new work: the new work is applied.
    let mut mixed = batch;
    mixed.push(ann.envelope(to_analysed(id).remove(0)));
    let response = ann.push_envelopes(store, mixed);
    assert_eq!(response.results.len(), 3);
    assert!(response.results[0].replayed && response.results[1].replayed);
    assert!(!response.results[2].replayed);
    assert_applied(&response.results[2]);
    assert_eq!(response.device_last_seq, 3);

    // The stored results can be fetched on their own, too.
    let stored = store.results(ann.device, 1, 100).expect("results");
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[0], first.results[0]);
    assert_eq!(stored[1], first.results[1]);
}

/// A settled seq pushed with another mutation id means the device's
/// database was cloned or restored.
pub fn a_reused_seq_with_another_mutation_is_a_fork(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    assert_applied(&ann.push_one(store, record(complaint_id(1))));
    let mut forked = ann.envelope(record(complaint_id(2)));
    forked.client_seq = 1;
    let err = store
        .push(ann.device, &ann.actor, &ann.request(vec![forked]), now())
        .expect_err("forked");
    assert_eq!(err.code(), ErrorCode::DeviceForked);
    assert!(matches!(
        err,
        StoreError::DeviceForked { client_seq: 1, .. }
    ));
    assert!(store.complaint(complaint_id(2)).expect("read").is_none());
}

/// A settled seq and mutation id pushed again with other arguments is not
/// answered as a replay: it is refused and nothing changes, also when the
/// same mutation id comes back under a new seq.
pub fn a_replay_with_other_arguments_is_refused(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let id = complaint_id(1);
    let settled = ann.envelope(record(id));
    assert_applied(&ann.push_envelopes(store, vec![settled.clone()]).results[0]);
    let digest = store.digest().expect("digest");
    let changes = all_changes(store, ann.device);

    let mut altered = settled.clone();
    altered.mutation = Mutation::Record {
        complaint_id: id,
        complaint: draft("139 0000 0000", "billing.other", "2026-03-02T01:00:00Z"),
    };
    let err = store
        .push(
            ann.device,
            &ann.actor,
            &ann.request(vec![altered.clone()]),
            now(),
        )
        .expect_err("another mutation under a settled seq and id");
    assert_eq!(err.code(), ErrorCode::ReplayMismatch);

    // The same id under the next seq, with other arguments: refused too,
    // and the seq is not consumed.
    altered.client_seq = 2;
    let err = store
        .push(ann.device, &ann.actor, &ann.request(vec![altered]), now())
        .expect_err("another mutation under a settled id");
    assert_eq!(err.code(), ErrorCode::ReplayMismatch);
    assert_eq!(store.digest().expect("digest"), digest);
    assert_eq!(all_changes(store, ann.device), changes);
    assert_eq!(store.results(ann.device, 1, 10).expect("results").len(), 1);

    // The true replay is still answered.
    let again = ann.push_envelopes(store, vec![settled]);
    assert!(again.results[0].replayed);
    assert_eq!(again.device_last_seq, 1);
}

/// A mutation id that another user's device settled is refused, never
/// answered from that device's log, and takes nothing from either device.
pub fn another_users_mutation_id_is_refused(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let mut bob = Client::new(store, 2, "bob", Role::Agent);
    let ann_record = ann.envelope(record(complaint_id(1)));
    assert_applied(&ann.push_envelopes(store, vec![ann_record.clone()]).results[0]);

    let mut stolen = bob.envelope(record(complaint_id(1)));
    stolen.mutation_id = ann_record.mutation_id;
    let err = store
        .push(bob.device, &bob.actor, &bob.request(vec![stolen]), now())
        .expect_err("another user's mutation id");
    assert_eq!(err.code(), ErrorCode::MutationIdTaken);
    assert!(
        store
            .results(bob.device, 1, 10)
            .expect("results")
            .is_empty()
    );

    // Bob's own next mutation still takes seq 1.
    bob.next_seq = 1;
    let own = bob.push_one(store, record(complaint_id(2)));
    assert_applied(&own);
    assert_eq!(own.client_seq, 1);
}

/// After a fork the desktop re-registers under a new device id and pushes its
/// pending mutations again with new seqs but the same mutation ids; ones the
/// server already settled are not applied twice.
pub fn a_renumbered_mutation_is_not_applied_twice(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut old = Client::new(store, 1, "ann", Role::Agent);
    let settled = old.envelope(record(complaint_id(1)));
    let original = old.push_envelopes(store, vec![settled.clone()]);
    let mut new = Client::new(store, 2, "ann", Role::Agent);
    let mut renumbered = settled;
    renumbered.client_seq = 1;
    let pending = new.envelope(to_analysed(complaint_id(1)).remove(0));
    let mut second = pending;
    second.client_seq = 2;
    let response = new.push_envelopes(store, vec![renumbered, second]);
    assert_eq!(response.results.len(), 2);
    assert!(response.results[0].replayed);
    assert_eq!(response.results[0].client_seq, 1);
    assert_eq!(response.results[0].outcome, original.results[0].outcome);
    assert_applied(&response.results[1]);
    assert_eq!(response.device_last_seq, 2);
    let stored = store
        .complaint(complaint_id(1))
        .expect("read")
        .expect("exists");
    assert_eq!(stored.version, 2, "recorded once, judged once");
    let page = store.pull(new.device, 0, 100, now()).expect("pull");
    assert_eq!(page.high_water, 2, "one change per applied mutation");
    // Replaying under the new numbering works as well.
    let replay = store.results(new.device, 1, 10).expect("results");
    assert_eq!(replay.len(), 2);
    assert_eq!(replay[0].client_seq, 1);
}

/// One request that carries the same mutation twice, under two seqs
/// (a client bug, or a renumbering in the same batch): the second is
/// answered from the first, within the batch, and applied once.
pub fn a_mutation_repeated_within_one_batch_is_settled_once(new_database: &dyn Fn() -> Open) {
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let first = ann.envelope(record(complaint_id(1)));
    let mut again = first.clone();
    again.client_seq = 2;
    let mut judged = ann.envelope(to_analysed(complaint_id(1)).remove(0));
    judged.client_seq = 3;
    let response = ann.push_envelopes(store, vec![first, again, judged]);
    assert_eq!(response.results.len(), 3);
    assert_applied(&response.results[0]);
    assert!(response.results[1].replayed);
    assert_eq!(response.results[1].outcome, response.results[0].outcome);
    assert_applied(&response.results[2]);
    assert_eq!(response.device_last_seq, 3);
    let stored = store
        .complaint(complaint_id(1))
        .expect("read")
        .expect("exists");
    assert_eq!(stored.version, 2, "recorded once, judged once");
    let results = store.results(ann.device, 1, 10).expect("results");
    assert_eq!(
        results.iter().map(|r| r.client_seq).collect::<Vec<_>>(),
        [1, 2, 3]
    );
}

/// A gap in the device's numbering stops the batch there.
pub fn a_gap_stops_the_batch(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let id = complaint_id(1);
    let first = ann.envelope(record(id));
    let mut steps = to_analysed(id).into_iter();
    let second = ann.envelope(steps.next().expect("judge"));
    let third = ann.envelope(steps.next().expect("assign"));
    // seq 2 is missing from the batch.
    let response = ann.push_envelopes(store, vec![first, third.clone()]);
    assert_eq!(response.results.len(), 1);
    assert_eq!(response.device_last_seq, 1);
    assert_eq!(response.next_expected_seq, 2);
    assert_eq!(state(store, id), ComplaintState::Recorded);
    // Starting past the gap does nothing at all.
    let response = ann.push_envelopes(store, vec![third.clone()]);
    assert!(response.results.is_empty());
    assert_eq!(response.next_expected_seq, 2);
    // Resending from next_expected_seq goes through.
    let response = ann.push_envelopes(store, vec![second, third]);
    assert_eq!(response.results.len(), 2);
    assert_eq!(response.device_last_seq, 3);
    assert_eq!(state(store, id), ComplaintState::Assigned);
}

/// Refusals by the rulebook are permanent outcomes: recorded once, seq
/// consumed, visible to everyone as a rejection change; the queue moves on.
pub fn rejections_are_recorded_once_and_consume_the_seq(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let mut sam = Client::new(store, 2, "sam", Role::Supervisor);
    let id = complaint_id(1);
    let mut setup = vec![record(id)];
    setup.extend(to_analysed(id));
    setup.push(propose(id, remedy_id(1), 20_000)); // ¥200: a supervisor decides
    setup.push(propose(id, remedy_id(2), 80_000)); // ¥800: a manager decides
    for result in ann.push(store, setup).results {
        assert_applied(&result);
    }
    let before = store.complaint(id).expect("read").expect("exists");
    let digest = store.digest().expect("digest");

    let self_approval = ann.envelope(decide(id, remedy_id(1), true));
    let over_limit = sam.envelope(decide(id, remedy_id(2), true));
    let wrong_state = ann.envelope(exec(
        id,
        Command::Resolve {
            note: String::new(),
        },
    ));
    let ann_response = ann.push_envelopes(store, vec![self_approval.clone(), wrong_state]);
    let sam_response = sam.push_envelopes(store, vec![over_limit.clone()]);
    let self_seq = assert_rejected(&ann_response.results[0], ErrorCode::SelfApprovalForbidden);
    let state_seq = assert_rejected(&ann_response.results[1], ErrorCode::InvalidTransition);
    let limit_seq = assert_rejected(&sam_response.results[0], ErrorCode::AuthorityLimitExceeded);
    assert_eq!(ann_response.device_last_seq, 8, "rejections consume seqs");
    assert_eq!(sam_response.device_last_seq, 1);
    if let Outcome::Rejected { details, .. } = &ann_response.results[1].outcome {
        assert_eq!(details["from"], "awaiting_approval");
        assert_eq!(details["action"], "resolve");
    }

    // Nothing changed, and each rejection is one change.
    assert_eq!(store.complaint(id).expect("read").expect("exists"), before);
    assert_eq!(store.digest().expect("digest"), digest);
    let changes = all_changes(store, sam.device);
    let rejections: Vec<&Change> = changes
        .iter()
        .filter(|c| c.op == ChangeOp::Rejection)
        .collect();
    assert_eq!(rejections.len(), 3);
    for (change, seq, envelope) in [
        (rejections[0], self_seq, &self_approval),
        (rejections[2], limit_seq, &over_limit),
    ] {
        assert_eq!(change.seq, seq);
        assert_eq!(change.entity, entity::MUTATION_REJECTION);
        assert_eq!(change.id, envelope.mutation_id);
        assert_eq!(change.data["complaint_id"], id.0.to_string());
        assert_eq!(change.data["name"], "approval.decide");
    }
    assert_eq!(rejections[1].seq, state_seq);

    // Replaying a rejection returns it again without another change.
    let replay = ann.push_envelopes(store, vec![self_approval]);
    assert!(replay.results[0].replayed);
    assert_eq!(
        assert_rejected(&replay.results[0], ErrorCode::SelfApprovalForbidden),
        self_seq
    );
    assert_eq!(all_changes(store, ann.device).len(), changes.len());

    // The queue moves on: the next mutation is applied.
    assert_applied(&sam.push_one(store, decide(id, remedy_id(1), true)));
}

/// Two supervisors decide one approval: the first committed wins, the
/// second is told who decided.
pub fn first_decision_wins(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let mut sam = Client::new(store, 2, "sam", Role::Supervisor);
    let mut sue = Client::new(store, 3, "sue", Role::Supervisor);
    let id = complaint_id(1);
    let mut setup = vec![record(id)];
    setup.extend(to_analysed(id));
    setup.push(propose(id, remedy_id(1), 20_000));
    ann.push(store, setup);
    assert_eq!(state(store, id), ComplaintState::AwaitingApproval);

    let won = sam.push_one(store, decide(id, remedy_id(1), true));
    let won_seq = assert_applied(&won);
    let lost = sue.push_one(store, decide(id, remedy_id(1), true));
    let lost_seq = assert_rejected(&lost, ErrorCode::ApprovalAlreadyDecided);
    assert!(lost_seq > won_seq);
    if let Outcome::Rejected { details, .. } = &lost.outcome {
        assert_eq!(details["decided_by"], "sam");
        assert_eq!(details["decision"], "approve");
        assert_eq!(details["same_outcome"], true);
    }
    let complaint = store
        .complaint(id)
        .expect("read")
        .expect("exists")
        .complaint;
    let approval = complaint
        .approval(approval_id(remedy_id(1), 1))
        .expect("the approval");
    assert_eq!(approval.state, ApprovalState::Approved);
    assert_eq!(approval.decided_by, Some(UserId::new("sam")));
    // A contrary late decision is refused the same way.
    let contrary = sue.push_one(store, decide(id, remedy_id(1), false));
    assert_rejected(&contrary, ErrorCode::ApprovalAlreadyDecided);
    if let Outcome::Rejected { details, .. } = &contrary.outcome {
        assert_eq!(details["same_outcome"], false);
    }
}

/// Two decisions pushed at the same time from two threads: exactly one is
/// applied.
pub fn concurrent_decisions_settle_one_winner(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let mut sam = Client::new(store, 2, "sam", Role::Supervisor);
    let mut sue = Client::new(store, 3, "sue", Role::Supervisor);
    let id = complaint_id(1);
    let mut setup = vec![record(id)];
    setup.extend(to_analysed(id));
    setup.push(propose(id, remedy_id(1), 20_000));
    ann.push(store, setup);
    let sam_decision = sam.envelope(decide(id, remedy_id(1), true));
    let sue_decision = sue.envelope(decide(id, remedy_id(1), false));
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| sam.push_envelopes(store, vec![sam_decision]));
        let b = scope.spawn(|| sue.push_envelopes(store, vec![sue_decision]));
        (a.join().expect("sam's push"), b.join().expect("sue's push"))
    });
    let results = [&a.results[0], &b.results[0]];
    let applied = results.iter().filter(|r| r.is_applied()).count();
    assert_eq!(applied, 1, "exactly one decision wins: {results:?}");
    let loser = results.iter().find(|r| !r.is_applied()).expect("one loser");
    assert_eq!(
        loser.rejection_code(),
        Some(ErrorCode::ApprovalAlreadyDecided)
    );
}

/// The server never trusts the envelope's author.
pub fn author_mismatch_is_rejected(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let mut forged = ann.envelope(record(complaint_id(1)));
    forged.author_user_id = UserId::new("max");
    let response = ann.push_envelopes(store, vec![forged.clone()]);
    let seq = assert_rejected(&response.results[0], ErrorCode::AuthorMismatch);
    assert_eq!(response.device_last_seq, 1);
    assert!(store.complaint(complaint_id(1)).expect("read").is_none());
    let changes = all_changes(store, ann.device);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].seq, seq);
    assert_eq!(changes[0].op, ChangeOp::Rejection);
    assert_eq!(changes[0].id, forged.mutation_id);
    assert_eq!(changes[0].data["author_user_id"], "max");
}

/// Pushes and pulls need a registered device, and the body's device must be
/// the session's.
pub fn unknown_and_mismatched_devices_are_refused(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let stranger = DeviceId(Uuid::from_u128(0xBAD));
    let request = PushRequest {
        device_id: stranger,
        sent_at_device: now(),
        mutations: vec![ann.envelope(record(complaint_id(1)))],
    };
    let err = store
        .push(stranger, &ann.actor, &request, now())
        .expect_err("unknown device");
    assert_eq!(err.code(), ErrorCode::UnknownDevice);
    let err = store
        .pull(stranger, 0, 10, now())
        .expect_err("unknown device");
    assert_eq!(err.code(), ErrorCode::UnknownDevice);
    let err = store
        .push(ann.device, &ann.actor, &request, now())
        .expect_err("mismatch");
    assert_eq!(err.code(), ErrorCode::DeviceMismatch);
    // A device belongs to the user who registered it.
    let err = store
        .register_device(ann.device, &UserId::new("max"), "max's", now())
        .expect_err("taken");
    assert!(matches!(err, StoreError::DeviceTaken { .. }));
    // Registering again as the owner is fine.
    store
        .register_device(ann.device, &ann.actor.user, "renamed", now())
        .expect("re-register");
}

/// Intake requests are settled by (integration, kind, complaint,
/// reference): a retry gets the stored outcome whatever its body, another
/// integration's same reference is another complaint, racing retries of one
/// reference settle once, and progress goes only to the integration's own
/// complaints.
pub fn intake_is_keyed_by_integration_and_reference(new_database: &dyn Fn() -> Open) {
    use crate::store::{IntakeRequest, IntakeSettled};
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let crm = Client::new(store, 1, "crm", Role::Agent);
    let ivr = Client::new(store, 2, "ivr", Role::Agent);
    let intake = |client: &Client, request: &IntakeRequest| -> IntakeSettled {
        store
            .intake(client.device, &client.actor, request, now())
            .expect("intake")
    };
    let record = |reference: &str, phone: &str| IntakeRequest::Record {
        external_ref: reference.to_owned(),
        draft: draft(phone, "broadband.dropout", "2026-03-02T01:00:00Z"),
    };
    // Racing retries of one reference: one complaint.
    let raced: Vec<IntakeSettled> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..6)
            .map(|_| scope.spawn(|| intake(&crm, &record("crm-1", "138 0013 8000"))))
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("no panic"))
            .collect()
    });
    let first = raced
        .iter()
        .find(|s| !s.result.replayed)
        .expect("one settled it")
        .clone();
    assert_eq!(raced.iter().filter(|s| !s.result.replayed).count(), 1);
    assert_applied(&first.result);
    assert_eq!(first.result.client_seq, 1);
    for s in &raced {
        assert_eq!(s.complaint_id, first.complaint_id);
        assert_eq!(s.result.mutation_id, first.result.mutation_id);
        assert_eq!(s.result.outcome, first.result.outcome);
    }
    // The same reference with another body: the stored outcome.
    let other_body = intake(&crm, &record("crm-1", "139 0000 0000"));
    assert!(other_body.result.replayed);
    assert_eq!(other_body.complaint_id, first.complaint_id);
    // Another integration, the same reference: another complaint.
    let theirs = intake(&ivr, &record("crm-1", "138 0013 8000"));
    assert!(!theirs.result.replayed);
    assert_ne!(theirs.complaint_id, first.complaint_id);
    assert_ne!(theirs.result.mutation_id, first.result.mutation_id);

    let progress = |id: ComplaintId, reference: &str, text: &str| IntakeRequest::Progress {
        complaint_id: id,
        external_ref: reference.to_owned(),
        text: text.to_owned(),
        customer_informed: true,
    };
    let note = intake(
        &crm,
        &progress(first.complaint_id, "n-1", "technician booked"),
    );
    assert_applied(&note.result);
    let update = note.update_id.expect("an update id");
    let again = intake(&crm, &progress(first.complaint_id, "n-1", "another text"));
    assert!(again.result.replayed);
    assert_eq!(again.update_id, Some(update));
    // The same reference on another complaint is another key.
    let elsewhere = intake(&ivr, &progress(theirs.complaint_id, "n-1", "called"));
    assert!(!elsewhere.result.replayed);
    let stored = store
        .complaint(first.complaint_id)
        .expect("read")
        .expect("exists");
    assert_eq!(stored.version, 2, "recorded once, one update");
    assert_eq!(stored.complaint.progress.len(), 1);
    assert_eq!(stored.complaint.progress[0].text, "technician booked");

    // Not its own complaint, or none at all: refused, nothing written.
    let high_water = store
        .pull(crm.device, 0, 1, now())
        .expect("pull")
        .high_water;
    for id in [theirs.complaint_id, complaint_id(99)] {
        let err = store
            .intake(crm.device, &crm.actor, &progress(id, "n-2", "x"), now())
            .expect_err("not its complaint");
        assert!(
            matches!(err, StoreError::NotIntegrationsComplaint(c) if c == id),
            "{err:?}"
        );
    }
    let after = store.pull(crm.device, 0, 1, now()).expect("pull");
    assert_eq!(after.high_water, high_water, "nothing written");
    assert_eq!(
        after.device_last_seq, 2,
        "a record and an update; nothing else"
    );
}

/// Pull answers, in seq order and in pages with `has_more`, the latest
/// state of each complaint changed after the cursor (once, at the seq of its
/// last change, with that change's cause) and every rejection.
pub fn pull_pages_in_seq_order(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let empty = store.pull(ann.device, 0, 10, now()).expect("pull");
    assert!(empty.changes.is_empty());
    assert!(!empty.has_more);
    assert_eq!(empty.high_water, 0);
    for n in 1..=3 {
        let id = complaint_id(n);
        let mut batch = vec![record(id)];
        batch.extend(to_analysed(id).into_iter().take(1));
        ann.push(store, batch);
    }
    // One rejection in the middle of the log, too.
    let rejected = ann.push_one(
        store,
        exec(
            complaint_id(1),
            Command::Close {
                note: String::new(),
            },
        ),
    );
    let rejection_seq = assert_rejected(&rejected, ErrorCode::InvalidTransition);
    // Seven changes, but complaint 1's first one is superseded by its second.
    let all = all_changes(store, ann.device);
    let seqs: Vec<i64> = all.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, vec![2, 4, 6, rejection_seq]);
    for (change, n) in all.iter().zip(1..=3) {
        let stored = store
            .complaint(complaint_id(n))
            .expect("read")
            .expect("exists");
        assert_eq!(change.entity, entity::COMPLAINT);
        assert_eq!(change.op, ChangeOp::Upsert);
        assert_eq!(change.id, complaint_id(n).0);
        assert_eq!(change.version, 2);
        assert_eq!(change.seq, stored.last_seq);
        let cause = change.cause.as_ref().expect("a cause");
        assert_eq!(
            cause.client_seq,
            2 * n as u64,
            "the cause of the last change"
        );
        assert_eq!(
            change.data,
            serde_json::to_value(&stored.complaint).expect("json"),
            "the complaint's current state"
        );
    }
    assert_eq!(all[3].entity, entity::MUTATION_REJECTION);
    let high_water = rejection_seq;

    let mut paged = Vec::new();
    let mut after = 0;
    let mut pages = 0;
    loop {
        let page = store.pull(ann.device, after, 3, now()).expect("pull");
        pages += 1;
        assert!(page.changes.len() <= 3);
        assert_eq!(page.high_water, high_water);
        assert_eq!(page.device_last_seq, 7);
        assert!(page.changes.iter().all(|c| c.seq > after));
        after = page.changes.last().map_or(after, |c| c.seq);
        paged.extend(page.changes);
        if !page.has_more {
            break;
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(paged, all);
    // From the middle of complaint 1's history: its latest state only.
    let tail = store.pull(ann.device, 1, 100, now()).expect("pull");
    assert_eq!(tail.changes, all);
    let tail = store
        .pull(ann.device, all[1].seq, 100, now())
        .expect("pull");
    assert_eq!(tail.changes, all[2..].to_vec());
    assert!(!tail.has_more);
    let past = store
        .pull(ann.device, high_water, 100, now())
        .expect("pull");
    assert!(past.changes.is_empty());
    // A complaint changed again moves to the end of the feed.
    ann.push(store, to_analysed(complaint_id(1))[1..2].to_vec());
    let moved = store
        .pull(ann.device, high_water, 100, now())
        .expect("pull");
    assert_eq!(moved.changes.len(), 1);
    assert_eq!(moved.changes[0].id, complaint_id(1).0);
    assert_eq!(moved.changes[0].version, 3);
    assert_eq!(moved.changes[0].seq, high_water + 1);
    let seqs: Vec<i64> = all_changes(store, ann.device)
        .iter()
        .map(|c| c.seq)
        .collect();
    assert_eq!(seqs, vec![4, 6, rejection_seq, high_water + 1]);
}

/// With a page budget of `page_bytes`, pull and snapshot pages stop at the
/// budget but always carry at least one item, so a reader gets through
/// complaints larger than a page. Run by each backend's tests on a store
/// opened with that budget (a small one, so the test stays quick).
pub fn pages_are_cut_by_size(store: &dyn ServerStore, page_bytes: usize) {
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    assert!(
        page_bytes <= 600_000,
        "a budget this test can exceed quickly"
    );
    // Complaint 1 alone is larger than a page; 2..=13 are small.
    let big = complaint_id(1);
    ann.push(store, vec![record(big)]);
    let text = "进展".repeat(1000);
    for n in 0..(page_bytes / text.len() + 1) as u128 {
        ann.push(
            store,
            vec![exec(
                big,
                Command::AddProgress {
                    update_id: redress_domain::ids::UpdateId(Uuid::from_u128(0xD0_0000 + n)),
                    text: text.clone(),
                    customer_informed: false,
                },
            )],
        );
    }
    for n in 2..=13 {
        ann.push(store, vec![record(complaint_id(n))]);
    }
    let sizes = |changes: &[Change]| -> usize {
        changes
            .iter()
            .map(|c| serde_json::to_vec(&c.data).expect("json").len())
            .sum()
    };
    let mut after = 0;
    let mut pages = Vec::new();
    loop {
        let page = store.pull(ann.device, after, 1000, now()).expect("pull");
        assert!(!page.changes.is_empty(), "every page moves the reader on");
        if page.changes.len() > 1 {
            assert!(sizes(&page.changes) <= page_bytes, "within the budget");
        }
        after = page.changes.last().map_or(after, |c| c.seq);
        pages.push(page.changes);
        if !page.has_more {
            break;
        }
    }
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert_eq!(pages[0].len(), 1, "the large complaint goes alone");
    assert_eq!(pages[0][0].id, big.0);
    assert!(sizes(&pages[0]) > page_bytes);
    let ids: Vec<Uuid> = pages.iter().flatten().map(|c| c.id).collect();
    assert_eq!(ids, (1..=13).map(|n| complaint_id(n).0).collect::<Vec<_>>());

    let mut after = None;
    let mut seen = Vec::new();
    let mut snapshots = 0;
    loop {
        let page = store.snapshot_page(after, 1000).expect("snapshot");
        assert!(
            !page.complaints.is_empty(),
            "every page moves the reader on"
        );
        snapshots += 1;
        seen.extend(page.complaints.iter().map(|c| c.complaint.id));
        after = seen.last().copied();
        if !page.has_more {
            break;
        }
    }
    assert!(snapshots >= 3, "{snapshots} snapshot pages");
    assert_eq!(seen, (1..=13).map(complaint_id).collect::<Vec<_>>());
}

/// Snapshot pages walk the complaints in id order, each page agreeing with
/// the log's high water at the time it was read; pulling after the smallest
/// `as_of_seq` of the pages brings a client level with a change made while
/// it paged.
pub fn snapshot_pages_cover_every_complaint_once(new_database: &dyn Fn() -> Open) {
    // The opener owns the database (a temporary directory): keep it.
    let open = new_database();
    let store = open();
    let store = store.as_ref();
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let empty = store.snapshot_page(None, 10).expect("snapshot");
    assert!(empty.complaints.is_empty());
    assert!(!empty.has_more);
    assert_eq!(empty.as_of_seq, 0);
    // Recorded out of id order, so the page order is the store's doing.
    for n in [4, 1, 5, 3, 2] {
        ann.push(store, vec![record(complaint_id(n))]);
    }
    let first = store.snapshot_page(None, 2).expect("snapshot");
    assert_eq!(first.as_of_seq, 5);
    assert!(first.has_more);
    let ids: Vec<_> = first.complaints.iter().map(|c| c.complaint.id).collect();
    assert_eq!(ids, vec![complaint_id(1), complaint_id(2)]);
    // Someone works on a complaint the first page already returned.
    ann.push(
        store,
        to_analysed(complaint_id(1)).into_iter().take(1).collect(),
    );
    let mut seen = ids;
    let mut after = seen.last().copied();
    let mut smallest = first.as_of_seq;
    loop {
        let page = store.snapshot_page(after, 2).expect("snapshot");
        assert!(page.complaints.len() <= 2);
        assert_eq!(page.as_of_seq, 6, "later pages see the new change");
        for c in &page.complaints {
            let stored = store
                .complaint(c.complaint.id)
                .expect("read")
                .expect("exists");
            assert_eq!(c, &stored, "a page holds the stored state");
        }
        seen.extend(page.complaints.iter().map(|c| c.complaint.id));
        after = seen.last().copied();
        smallest = smallest.min(page.as_of_seq);
        if !page.has_more {
            break;
        }
    }
    assert_eq!(seen, (1..=5).map(complaint_id).collect::<Vec<_>>());
    // The change the first page missed is exactly what the pull brings.
    let catch_up = store.pull(ann.device, smallest, 100, now()).expect("pull");
    assert_eq!(catch_up.changes.len(), 1);
    assert_eq!(catch_up.changes[0].id, complaint_id(1).0);
    assert_eq!(catch_up.changes[0].version, 2);
    let last = store
        .snapshot_page(Some(complaint_id(5)), 10)
        .expect("snapshot");
    assert!(last.complaints.is_empty());
    assert!(!last.has_more);
}

fn scripted_history(store: &dyn ServerStore, with_decision: bool) {
    let mut ann = Client::new(store, 1, "ann", Role::Agent);
    let mut sam = Client::new(store, 2, "sam", Role::Supervisor);
    let id = complaint_id(1);
    let mut batch = vec![record(id)];
    batch.extend(to_analysed(id));
    batch.push(propose(id, remedy_id(1), 20_000));
    ann.push(store, batch);
    ann.push(store, vec![record(complaint_id(2))]);
    if with_decision {
        sam.push(store, vec![decide(id, remedy_id(1), true)]);
    }
}

/// Two databases fed the same history hold the same state; another history
/// gives another digest.
pub fn equal_histories_have_equal_digests(new_database: &dyn Fn() -> Open) {
    let (first, second, third) = (new_database(), new_database(), new_database());
    let (first, second, third) = (first(), second(), third());
    let empty = first.digest().expect("digest");
    assert_eq!(empty, second.digest().expect("digest"));
    scripted_history(first.as_ref(), true);
    scripted_history(second.as_ref(), true);
    scripted_history(third.as_ref(), false);
    let digest = first.digest().expect("digest");
    assert_ne!(digest, empty);
    assert_eq!(digest, second.digest().expect("digest"));
    assert_ne!(digest, third.digest().expect("digest"));
}

/// A server that stops between two mutations of a batch keeps the first
/// (committed) and has not seen the second; the client's retry of the whole
/// batch replays the first and applies the second.
pub fn a_crash_between_mutations_loses_nothing(new_database: &dyn Fn() -> Open) {
    let open = new_database();
    let store = open();
    let mut ann = Client::new(store.as_ref(), 1, "ann", Role::Agent);
    let id = complaint_id(1);
    let first = ann.envelope(record(id));
    let second = ann.envelope(to_analysed(id).remove(0));
    let epoch = store.epoch().expect("epoch");
    // The server commits the first mutation and dies before answering.
    let _lost = ann.push_envelopes(store.as_ref(), vec![first.clone()]);
    drop(store);

    let store = open();
    let store = store.as_ref();
    assert_eq!(store.epoch().expect("epoch"), epoch, "same database");
    let committed = store.results(ann.device, 1, 10).expect("results");
    assert_eq!(committed.len(), 1);
    let response = ann.push_envelopes(store, vec![first, second]);
    assert_eq!(response.results.len(), 2);
    assert!(response.results[0].replayed);
    let mut unmarked = response.results[0].clone();
    unmarked.replayed = false;
    assert_eq!(unmarked, committed[0]);
    assert_applied(&response.results[1]);
    assert_eq!(response.device_last_seq, 2);
    let page = store.pull(ann.device, 0, 100, now()).expect("pull");
    assert_eq!(page.high_water, 2, "one change per mutation");
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.changes[0].version, 2);
    assert_eq!(state(store, id), ComplaintState::Validated);
    assert_eq!(
        store.complaint(id).expect("read").expect("exists").version,
        2
    );
}
