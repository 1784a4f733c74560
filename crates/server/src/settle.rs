//! How a push is settled (sync design §7.2), independent of the database:
//! replay, fork and gap detection, the rulebook's decision, complaint
//! numbering, repeat detection, rejections, clock correction and the rows
//! to write. Every backend runs these rules through [`Ledger`], its
//! operations inside one mutation's transaction, so there is one copy of
//! them.

use crate::config::{ConfigCache, ConfigStore};
use crate::error::StoreError;
use crate::store::{IntakeRequest, IntakeSettled, MAX_PAGE_BYTES, MAX_PULL_LIMIT, StoredComplaint};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use redress_domain::complaint::{Command, Complaint, NewComplaint};
use redress_domain::ids::{ComplaintId, UpdateId, UserId};
use redress_domain::model::Actor;
use redress_domain::repeat::RepeatProbe;
use redress_domain::{DomainError, Rules};
use redress_protocol::ErrorCode;
use redress_protocol::{
    Change, ChangeCause, ChangeOp, ComplaintDraft, DeviceId, Mutation, MutationEnvelope,
    MutationResult, Outcome, PushRequest, PushResponse, Rejection, entity,
};
use serde_json::{Value, json};
use std::sync::Arc;
use uuid::Uuid;

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A device clock further off than this marks its mutations' times suspect.
pub(crate) const CLOCK_SUSPECT: SignedDuration = SignedDuration::from_mins(5);

/// What the store decides under.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// The policy bundle mutations are decided under until the database
    /// holds a version of the site configuration ([`crate::config`]).
    pub rules: Arc<Rules>,
    /// The version in force last loaded from the database.
    pub config: Arc<ConfigCache>,
    /// The site's time zone; it decides the year in complaint numbers.
    pub time_zone: TimeZone,
    /// About the most bytes of JSON in one pull or snapshot page
    /// ([`MAX_PAGE_BYTES`] unless a test wants small pages).
    pub page_bytes: usize,
}

impl StoreOptions {
    /// The rules to decide with at `now`: the stored version in force, or
    /// before the first version the rules the store was opened with.
    pub fn rules_at(
        &self,
        store: &(impl ConfigStore + ?Sized),
        now: Timestamp,
    ) -> Result<Arc<Rules>> {
        Ok(match self.config.in_force(store, now)? {
            Some(site) => Arc::clone(&site.rules),
            None => Arc::clone(&self.rules),
        })
    }

    /// `rules`, numbering complaints by the UTC year.
    pub fn new(rules: Rules) -> StoreOptions {
        StoreOptions {
            rules: Arc::new(rules),
            config: Arc::default(),
            time_zone: TimeZone::UTC,
            page_bytes: MAX_PAGE_BYTES,
        }
    }
}

/// A backend's operations inside the transaction of one mutation. The
/// backend has already made that transaction the only writer of change seqs
/// (SQLite `BEGIN IMMEDIATE`, PostgreSQL an advisory lock) before any of
/// these run.
pub(crate) trait Ledger {
    /// The highest client seq the device has settled (locking the device's
    /// row where the database has row locks); [`StoreError::UnknownDevice`]
    /// when it never registered.
    fn last_client_seq(&mut self, device: DeviceId) -> Result<u64>;
    fn set_last_client_seq(&mut self, device: DeviceId, client_seq: u64) -> Result<()>;
    /// What was settled under `(device, client_seq)`, directly or through an
    /// alias.
    fn stored_result(
        &mut self,
        device: DeviceId,
        client_seq: u64,
    ) -> Result<Option<StoredMutation>>;
    /// Where a mutation id was settled, under any device and seq.
    fn settled_mutation(&mut self, mutation_id: Uuid) -> Result<Option<SettledAt>>;
    /// Records that `(device, client_seq)` carried an already settled mutation.
    fn add_alias(&mut self, device: DeviceId, client_seq: u64, mutation_id: Uuid) -> Result<()>;
    fn load_complaint(&mut self, id: ComplaintId) -> Result<Option<StoredComplaint>>;
    /// The complaints recorded for a customer key, for repeat detection.
    fn repeat_probes(&mut self, customer_key: &str) -> Result<Vec<RepeatProbe>>;
    /// The last complaint ordinal given out in `year`.
    fn last_number(&mut self, year: i16) -> Result<Option<i64>>;
    fn set_last_number(&mut self, year: i16, last: i64) -> Result<()>;
    /// Appends a change and returns its seq.
    fn append_change(&mut self, change: &NewChange<'_>) -> Result<i64>;
    fn insert_complaint(&mut self, row: &ComplaintRow<'_>) -> Result<()>;
    fn update_complaint(&mut self, row: &ComplaintRow<'_>) -> Result<()>;
    fn log_mutation(&mut self, entry: &LogEntry<'_>) -> Result<()>;
    /// What an intake key was settled as, if it was.
    fn intake_key(&mut self, key: &IntakeKey<'_>) -> Result<Option<IntakeIds>>;
    fn insert_intake_key(&mut self, key: &IntakeKey<'_>, ids: &IntakeIds) -> Result<()>;
    /// The user whose mutation recorded a complaint, if it exists.
    fn recorded_by(&mut self, id: ComplaintId) -> Result<Option<UserId>>;
}

/// The idempotency key of an intake request.
pub(crate) struct IntakeKey<'a> {
    /// The integration's user name.
    pub integration: &'a UserId,
    /// `record` or `progress`.
    pub kind: &'static str,
    /// The complaint a progress key is scoped to; `None` for a record.
    pub complaint: Option<ComplaintId>,
    pub external_ref: &'a str,
}

/// The ids an intake key was settled under.
pub(crate) struct IntakeIds {
    pub mutation_id: Uuid,
    pub complaint_id: ComplaintId,
    pub update_id: Option<UpdateId>,
}

/// A settled mutation as the log holds it: enough to tell a true replay
/// from a different mutation sent under the same id.
pub(crate) struct StoredMutation {
    pub mutation_id: Uuid,
    pub name: String,
    pub author: UserId,
    pub args: Value,
    pub result: MutationResult,
}

impl StoredMutation {
    /// Whether `m` is the mutation that was settled (same name, author and
    /// arguments), not merely one with the same id.
    fn matches(&self, m: &MutationEnvelope) -> Result<bool> {
        let unstorable = matches!(
            &self.result.outcome,
            Outcome::Rejected { code, .. } if *code == ErrorCode::UnstorableData
        );
        Ok(self.name == m.mutation.name()
            && self.author == m.author_user_id
            && (unstorable || self.args == m.mutation.args().map_err(StoreError::corrupt)?))
    }
}

/// Who pushed a settled mutation id, and its result.
pub(crate) struct SettledAt {
    /// The user whose device settled it.
    pub pusher: UserId,
    pub stored: StoredMutation,
}

/// A change-log row to append.
pub(crate) struct NewChange<'a> {
    pub entity: &'a str,
    pub entity_id: Uuid,
    pub op: ChangeOp,
    pub version: i64,
    /// What everyone pulls about the change; `None` for a complaint upsert,
    /// whose state is the complaint's own row (pull joins it), so a change
    /// costs a few hundred bytes however large the complaint grows.
    pub data: Option<&'a Value>,
    pub cause: &'a ChangeCause,
    pub applied_at: Timestamp,
}

/// A complaint row to insert or update.
pub(crate) struct ComplaintRow<'a> {
    pub complaint: &'a Complaint,
    /// The complaint as JSON.
    pub data: &'a Value,
    pub customer_key: String,
    pub version: i64,
    pub last_seq: i64,
    /// The mutation that recorded it (used on insert).
    pub created_by: Uuid,
}

/// A mutation-log row.
pub(crate) struct LogEntry<'a> {
    pub device: DeviceId,
    pub envelope: &'a MutationEnvelope,
    pub actor: &'a UserId,
    pub args: Value,
    pub status: &'static str,
    pub code: Option<&'a str>,
    pub first_change_seq: Option<i64>,
    pub last_change_seq: Option<i64>,
    pub result: &'a MutationResult,
    pub occurred_at: Timestamp,
    pub clock_suspect: bool,
    pub received_at: Timestamp,
}

/// What one mutation's transaction came to.
pub(crate) enum Step {
    /// Something was written: commit, then report the result.
    Commit(MutationResult),
    /// Already settled; nothing was written: roll back and report it.
    Replay(MutationResult),
    /// Not the device's next seq: roll back and stop the batch.
    Gap,
}

/// What an intake request's transaction came to.
pub(crate) enum IntakeStep {
    /// Something was written: commit, then answer.
    Commit(IntakeSettled),
    /// The key was settled before; nothing was written: roll back, answer.
    Replay(IntakeSettled),
}

/// The rejection of a mutation whose effects the database refused as data.
/// The detail goes to the log only: it may hold driver and SQL text.
pub(crate) fn unstorable(e: &StoreError) -> Rejection {
    tracing::warn!(error = ?e.to_string(), "the database refused a mutation's data");
    Rejection::new(
        ErrorCode::UnstorableData,
        "the server's database refused this mutation's data; it was not applied",
        json!({}),
    )
}

/// One push request being settled, mutation by mutation.
pub(crate) struct Push<'a> {
    options: &'a StoreOptions,
    rules: Arc<Rules>,
    device: DeviceId,
    actor: &'a Actor,
    clock: DeviceClock,
    now: Timestamp,
}

impl<'a> Push<'a> {
    /// Refuses a body for another device than the session's, and measures
    /// the device's clock.
    pub fn new(
        options: &'a StoreOptions,
        rules: Arc<Rules>,
        device: DeviceId,
        actor: &'a Actor,
        request: &PushRequest,
        now: Timestamp,
    ) -> Result<Push<'a>> {
        if request.device_id != device {
            return Err(StoreError::DeviceMismatch {
                session: device,
                body: request.device_id,
            });
        }
        Ok(Push {
            options,
            rules,
            device,
            actor,
            clock: DeviceClock::measure(request.sent_at_device, now),
            now,
        })
    }

    /// An intake request of an integration's `device`, sent now.
    pub fn intake(
        options: &'a StoreOptions,
        rules: Arc<Rules>,
        device: DeviceId,
        actor: &'a Actor,
        now: Timestamp,
    ) -> Push<'a> {
        Push {
            options,
            rules,
            device,
            actor,
            clock: DeviceClock::measure(now, now),
            now,
        }
    }

    /// Settles an intake request inside the backend's transaction (see
    /// [`crate::ServerStore::intake`]).
    pub fn intake_step(
        &self,
        ledger: &mut impl Ledger,
        request: &IntakeRequest,
    ) -> Result<IntakeStep> {
        let (kind, complaint, external_ref) = match request {
            IntakeRequest::Record { external_ref, .. } => ("record", None, external_ref),
            IntakeRequest::Progress {
                complaint_id,
                external_ref,
                ..
            } => ("progress", Some(*complaint_id), external_ref),
        };
        let key = IntakeKey {
            integration: &self.actor.user,
            kind,
            complaint,
            external_ref,
        };
        if let Some(ids) = ledger.intake_key(&key)? {
            let settled = ledger.settled_mutation(ids.mutation_id)?.ok_or_else(|| {
                StoreError::corrupt(format!(
                    "intake key of mutation {} has no log",
                    ids.mutation_id
                ))
            })?;
            let mut result = settled.stored.result;
            result.replayed = true;
            return Ok(IntakeStep::Replay(IntakeSettled {
                complaint_id: ids.complaint_id,
                update_id: ids.update_id,
                result,
            }));
        }
        // Fresh random ids (UUIDv7: time-ordered, 74 random bits): nobody
        // can know them before the answer.
        let (mutation, update_id) = match request {
            IntakeRequest::Record { draft, .. } => (
                Mutation::Record {
                    complaint_id: ComplaintId(Uuid::now_v7()),
                    complaint: draft.clone(),
                },
                None,
            ),
            IntakeRequest::Progress {
                complaint_id,
                text,
                customer_informed,
                ..
            } => {
                if ledger.recorded_by(*complaint_id)?.as_ref() != Some(&self.actor.user) {
                    return Err(StoreError::NotIntegrationsComplaint(*complaint_id));
                }
                let update_id = UpdateId(Uuid::now_v7());
                let command = Command::AddProgress {
                    update_id,
                    text: text.clone(),
                    customer_informed: *customer_informed,
                };
                (
                    Mutation::Execute {
                        complaint_id: *complaint_id,
                        command,
                    },
                    Some(update_id),
                )
            }
        };
        let ids = IntakeIds {
            mutation_id: Uuid::now_v7(),
            complaint_id: mutation.complaint_id(),
            update_id,
        };
        let envelope = MutationEnvelope {
            client_seq: ledger.last_client_seq(self.device)? + 1,
            mutation_id: ids.mutation_id,
            author_user_id: self.actor.user.clone(),
            occurred_at_device: self.now,
            base_seq: 0,
            mutation,
        };
        let result = self.settle(ledger, &envelope)?;
        ledger.insert_intake_key(&key, &ids)?;
        Ok(IntakeStep::Commit(IntakeSettled {
            complaint_id: ids.complaint_id,
            update_id: ids.update_id,
            result,
        }))
    }

    /// The response once the batch is done.
    pub fn response(&self, results: Vec<MutationResult>, device_last_seq: u64) -> PushResponse {
        PushResponse {
            results,
            device_last_seq,
            next_expected_seq: device_last_seq + 1,
            server_time: self.now,
        }
    }

    /// Settles `m` inside the backend's transaction.
    ///
    /// Idempotency is scoped to the client and bound to its user: a stored
    /// result is answered to the device that settled it, or to another
    /// device of the same user (a desktop that re-registered after a fork
    /// pushes its outbox again under a new device id). A mutation id that
    /// another user's device settled is refused
    /// ([`StoreError::MutationIdTaken`]) and never answered from that log,
    /// so nobody can pre-empt or read someone else's outcome by sending its
    /// id first. A settled id that arrives with other arguments is refused
    /// too ([`StoreError::ReplayMismatch`]).
    pub fn step(&self, ledger: &mut impl Ledger, m: &MutationEnvelope) -> Result<Step> {
        let device = self.device;
        if m.client_seq == 0 {
            return Err(StoreError::InvalidSeq);
        }
        let last = ledger.last_client_seq(device)?;
        if m.client_seq <= last {
            // Already settled: a retry after a lost response or a crash.
            let stored = ledger.stored_result(device, m.client_seq)?.ok_or_else(|| {
                StoreError::corrupt(format!(
                    "device {device} settled {last} but has no result for {}",
                    m.client_seq
                ))
            })?;
            if stored.mutation_id != m.mutation_id {
                return Err(StoreError::DeviceForked {
                    device,
                    client_seq: m.client_seq,
                    stored: stored.mutation_id,
                    pushed: m.mutation_id,
                });
            }
            if !stored.matches(m)? {
                return Err(replay_mismatch(device, m, stored));
            }
            let mut result = stored.result;
            result.client_seq = m.client_seq;
            result.replayed = true;
            return Ok(Step::Replay(result));
        }
        if m.client_seq != last + 1 {
            // A gap: the client resends from next_expected_seq.
            return Ok(Step::Gap);
        }
        if let Some(settled) = ledger.settled_mutation(m.mutation_id)? {
            if settled.pusher != self.actor.user {
                return Err(StoreError::MutationIdTaken {
                    device,
                    client_seq: m.client_seq,
                    mutation_id: m.mutation_id,
                });
            }
            if !settled.stored.matches(m)? {
                return Err(replay_mismatch(device, m, settled.stored));
            }
            // Settled before by this user under another (device, seq), e.g.
            // renumbered after the device re-registered: consume the new
            // seq, keep the one decision.
            ledger.add_alias(device, m.client_seq, m.mutation_id)?;
            ledger.set_last_client_seq(device, m.client_seq)?;
            let mut result = settled.stored.result;
            result.client_seq = m.client_seq;
            result.replayed = true;
            return Ok(Step::Commit(result));
        }
        self.settle(ledger, m).map(Step::Commit)
    }

    /// Settles one new mutation (the next in the device's sequence): decides
    /// it, writes its effects or its rejection, logs it and advances the
    /// device.
    fn settle(&self, ledger: &mut impl Ledger, m: &MutationEnvelope) -> Result<MutationResult> {
        let actor = self.actor;
        let cause = self.cause(m);
        let decided = if m.author_user_id != actor.user {
            Err(Rejection::new(
                ErrorCode::AuthorMismatch,
                format!(
                    "the mutation names {} as its author, but {} pushed it",
                    m.author_user_id, actor.user
                ),
                json!({ "author_user_id": m.author_user_id, "actor": actor.user }),
            ))
        } else {
            match &m.mutation {
                Mutation::Record {
                    complaint_id,
                    complaint,
                } => self.record(ledger, *complaint_id, complaint)?,
                Mutation::Execute {
                    complaint_id,
                    command,
                } => self.execute(ledger, *complaint_id, command)?,
            }
        };
        self.write_outcome(ledger, m, &cause, decided)
    }

    /// Settles `m`, the device's next mutation, as rejected with `rejection`
    /// without deciding it: for a mutation whose effects the database
    /// refused as data (a permanent failure, which a retry would only
    /// repeat). [`Step::Gap`] when `m` is no longer the next one.
    pub fn refuse(
        &self,
        ledger: &mut impl Ledger,
        m: &MutationEnvelope,
        rejection: Rejection,
    ) -> Result<Step> {
        if m.client_seq != ledger.last_client_seq(self.device)? + 1 {
            return Ok(Step::Gap);
        }
        self.write_outcome(ledger, m, &self.cause(m), Err(rejection))
            .map(Step::Commit)
    }

    /// What `m`'s changes name as their cause.
    fn cause(&self, m: &MutationEnvelope) -> ChangeCause {
        ChangeCause {
            mutation_id: m.mutation_id,
            device_id: self.device,
            client_seq: m.client_seq,
            actor: self.actor.user.clone(),
        }
    }

    /// Writes a decided mutation: its effects or its rejection, its log
    /// row, and the device's new position.
    fn write_outcome(
        &self,
        ledger: &mut impl Ledger,
        m: &MutationEnvelope,
        cause: &ChangeCause,
        decided: Result<ComplaintWrite, Rejection>,
    ) -> Result<MutationResult> {
        let actor = self.actor;
        let now = self.now;
        let outcome = match decided {
            Ok(write) => {
                let seq = write_complaint(ledger, &write, cause, now)?;
                Outcome::Applied {
                    first_change_seq: seq,
                    last_change_seq: seq,
                }
            }
            Err(rejection) => {
                let data = rejection_data(m, &rejection);
                let seq = ledger.append_change(&NewChange {
                    entity: entity::MUTATION_REJECTION,
                    entity_id: m.mutation_id,
                    op: ChangeOp::Rejection,
                    version: 1,
                    data: Some(&data),
                    cause,
                    applied_at: now,
                })?;
                Outcome::Rejected {
                    code: rejection.code,
                    message: rejection.message,
                    details: rejection.details,
                    rejection_change_seq: seq,
                }
            }
        };
        let result = MutationResult {
            client_seq: m.client_seq,
            mutation_id: m.mutation_id,
            outcome,
            replayed: false,
        };
        let (status, code, first, last) = match &result.outcome {
            Outcome::Applied {
                first_change_seq,
                last_change_seq,
            } => ("applied", None, *first_change_seq, *last_change_seq),
            Outcome::Rejected {
                code,
                rejection_change_seq,
                ..
            } => (
                "rejected",
                Some(code.as_str()),
                *rejection_change_seq,
                *rejection_change_seq,
            ),
        };
        let (occurred_at, clock_suspect) = self.clock.correct(m.occurred_at_device, now);
        // The database refused the arguments themselves (PostgreSQL's
        // jsonb takes no NUL character): the log keeps a marker instead,
        // and a replay is recognised by name and author (`matches`).
        let args = if code == Some(ErrorCode::UnstorableData.as_str()) {
            json!({ "unstorable": true })
        } else {
            m.mutation.args().map_err(StoreError::corrupt)?
        };
        ledger.log_mutation(&LogEntry {
            device: self.device,
            envelope: m,
            actor: &actor.user,
            args,
            status,
            code,
            first_change_seq: Some(first),
            last_change_seq: Some(last),
            result: &result,
            occurred_at,
            clock_suspect,
            received_at: now,
        })?;
        ledger.set_last_client_seq(self.device, m.client_seq)?;
        Ok(result)
    }

    /// `complaint.record`: the server numbers the complaint and re-runs
    /// repeat detection against its own earlier complaints of the customer.
    fn record(
        &self,
        ledger: &mut impl Ledger,
        id: ComplaintId,
        draft: &ComplaintDraft,
    ) -> Result<Result<ComplaintWrite, Rejection>> {
        if ledger.load_complaint(id)?.is_some() {
            return Ok(Err(Rejection::new(
                ErrorCode::ComplaintExists,
                format!("complaint {id} already exists"),
                json!({ "complaint_id": id }),
            )));
        }
        let rules = &*self.rules;
        let prior = ledger.repeat_probes(&draft.customer_key(rules))?;
        let year = self.now.to_zoned(self.options.time_zone.clone()).year();
        // Not taken until the complaint is recorded, so a rejected record
        // leaves no hole in the numbers.
        let ordinal = ledger.last_number(year)?.unwrap_or(0) + 1;
        let new = NewComplaint {
            id,
            number: complaint_number(year, ordinal),
            draft: draft.clone(),
        };
        match Complaint::record(new, &prior, self.actor, self.now, rules) {
            Ok(recorded) => {
                ledger.set_last_number(year, ordinal)?;
                Ok(Ok(ComplaintWrite {
                    complaint: recorded.complaint,
                    version: 1,
                    new: true,
                }))
            }
            Err(e) => Ok(Err(Rejection::from_domain(&e))),
        }
    }

    /// Any closed-loop command on an existing complaint.
    fn execute(
        &self,
        ledger: &mut impl Ledger,
        id: ComplaintId,
        command: &Command,
    ) -> Result<Result<ComplaintWrite, Rejection>> {
        let Some(stored) = ledger.load_complaint(id)? else {
            return Ok(Err(Rejection::from_domain(&DomainError::NotFound {
                entity: "complaint",
                id: id.to_string(),
            })));
        };
        let mut complaint = stored.complaint;
        match complaint.execute(command, self.actor, self.now, &self.rules) {
            Ok(_alerts) => Ok(Ok(ComplaintWrite {
                complaint,
                version: stored.version + 1,
                new: false,
            })),
            Err(e) => Ok(Err(explain(&e, &complaint, command))),
        }
    }
}

/// The refusal of `m`, whose id was settled as `stored` with other
/// arguments.
fn replay_mismatch(device: DeviceId, m: &MutationEnvelope, stored: StoredMutation) -> StoreError {
    StoreError::ReplayMismatch {
        device,
        client_seq: m.client_seq,
        mutation_id: m.mutation_id,
        stored: Box::new(stored.result),
    }
}

/// The server's number for the `ordinal`-th complaint of `year`.
pub(crate) fn complaint_number(year: i16, ordinal: i64) -> String {
    format!("TS-{year}-{ordinal:06}")
}

/// What everyone pulls about a rejected mutation.
fn rejection_data(m: &MutationEnvelope, rejection: &Rejection) -> Value {
    json!({
        "complaint_id": m.mutation.complaint_id(),
        "name": m.mutation.name(),
        "code": rejection.code,
        "message": rejection.message,
        "details": rejection.details,
        "author_user_id": m.author_user_id,
        "base_seq": m.base_seq,
    })
}

/// The rulebook's rejection, with what the server additionally knows: for a
/// lost approval race, when the winner decided and whether both wanted the
/// same outcome (sync design §9).
fn explain(e: &DomainError, complaint: &Complaint, command: &Command) -> Rejection {
    let mut rejection = Rejection::from_domain(e);
    if let (
        DomainError::ApprovalAlreadyDecided { approved, .. },
        Command::DecideApproval {
            approval_id,
            approve,
            ..
        },
        Value::Object(details),
    ) = (e, command, &mut rejection.details)
    {
        if let Some(at) = complaint.approval(*approval_id).and_then(|a| a.decided_at) {
            details.insert("decided_at".to_owned(), Value::from(at.to_string()));
        }
        details.insert("same_outcome".to_owned(), Value::from(approve == approved));
    }
    rejection
}

/// A complaint state to store.
struct ComplaintWrite {
    complaint: Complaint,
    version: i64,
    new: bool,
}

/// Stores a complaint state and its upsert change; returns the change's seq.
fn write_complaint(
    ledger: &mut impl Ledger,
    write: &ComplaintWrite,
    cause: &ChangeCause,
    now: Timestamp,
) -> Result<i64> {
    let c = &write.complaint;
    let data = serde_json::to_value(c).map_err(StoreError::corrupt)?;
    let seq = ledger.append_change(&NewChange {
        entity: entity::COMPLAINT,
        entity_id: c.id.0,
        op: ChangeOp::Upsert,
        version: write.version,
        data: None,
        cause,
        applied_at: now,
    })?;
    let row = ComplaintRow {
        complaint: c,
        data: &data,
        customer_key: RepeatProbe::customer_key(&c.customer),
        version: write.version,
        last_seq: seq,
        created_by: cause.mutation_id,
    };
    if write.new {
        ledger.insert_complaint(&row)?;
    } else {
        ledger.update_complaint(&row)?;
    }
    Ok(seq)
}

/// The device's clock offset, measured once per push.
pub(crate) struct DeviceClock {
    offset: SignedDuration,
}

impl DeviceClock {
    pub fn measure(sent_at_device: Timestamp, now: Timestamp) -> DeviceClock {
        DeviceClock {
            offset: now.duration_since(sent_at_device),
        }
    }

    /// The device time moved onto the server's clock, and whether it is suspect.
    pub fn correct(&self, at_device: Timestamp, now: Timestamp) -> (Timestamp, bool) {
        let corrected = at_device.checked_add(self.offset).unwrap_or(at_device);
        let suspect = self.offset.abs() > CLOCK_SUSPECT || corrected > now;
        (corrected, suspect)
    }
}

/// A seq or count as a database integer.
pub(crate) fn to_i64(n: u64) -> Result<i64> {
    i64::try_from(n)
        .map_err(|_| StoreError::corrupt(format!("{n} does not fit a database integer")))
}

/// A stored client seq.
pub(crate) fn to_u64(n: i64) -> Result<u64> {
    u64::try_from(n).map_err(StoreError::corrupt)
}

/// A change op as stored.
pub(crate) fn op_name(op: ChangeOp) -> &'static str {
    match op {
        ChangeOp::Upsert => "upsert",
        ChangeOp::Delete => "delete",
        ChangeOp::Rejection => "rejection",
    }
}

/// The change op of a stored name.
pub(crate) fn parse_op(name: &str) -> Result<ChangeOp> {
    match name {
        "upsert" => Ok(ChangeOp::Upsert),
        "delete" => Ok(ChangeOp::Delete),
        "rejection" => Ok(ChangeOp::Rejection),
        other => Err(StoreError::corrupt(format!("unknown change op {other}"))),
    }
}

/// The page size a pull or snapshot actually uses.
pub(crate) fn page_limit(limit: u32) -> u32 {
    limit.clamp(1, MAX_PULL_LIMIT)
}

/// What a page costs beside its items' JSON, per item (seq, ids, cause).
const ITEM_OVERHEAD: usize = 256;

/// A pull or snapshot page being filled from rows read in order with
/// `LIMIT limit + 1`: it takes at most `limit` items and, beyond the
/// first, only while their JSON stays within the store's page budget
/// ([`StoreOptions::page_bytes`]), so a page
/// is bounded however large complaints grow and always moves the reader on.
pub(crate) struct Page<T> {
    items: Vec<T>,
    limit: usize,
    bytes: usize,
    budget: usize,
    has_more: bool,
}

impl<T> Page<T> {
    pub fn new(limit: u32, options: &StoreOptions) -> Page<T> {
        Page {
            items: Vec::new(),
            limit: page_limit(limit) as usize,
            bytes: 0,
            budget: options.page_bytes,
            has_more: false,
        }
    }

    /// Adds an item whose JSON is about `json_bytes` long; `false` when the
    /// page is full, the item left for the next page (stop reading then).
    pub fn offer(&mut self, item: T, json_bytes: usize) -> bool {
        let size = json_bytes.saturating_add(ITEM_OVERHEAD);
        let over = self.bytes.saturating_add(size) > self.budget;
        if self.items.len() >= self.limit || (over && !self.items.is_empty()) {
            self.has_more = true;
            return false;
        }
        self.bytes = self.bytes.saturating_add(size);
        self.items.push(item);
        true
    }

    /// The items, and whether more remain after them.
    pub fn finish(self) -> (Vec<T>, bool) {
        (self.items, self.has_more)
    }
}

/// A change-log row as read, with typed columns.
pub(crate) struct ChangeRow {
    pub seq: i64,
    pub entity: String,
    pub entity_id: Uuid,
    pub op: String,
    pub version: i64,
    pub data: Option<Value>,
    pub mutation_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub client_seq: Option<i64>,
    pub actor: Option<String>,
}

impl ChangeRow {
    pub fn into_change(self) -> Result<Change> {
        let cause = match (
            self.mutation_id,
            self.device_id,
            self.client_seq,
            self.actor,
        ) {
            (Some(mutation_id), Some(device_id), Some(client_seq), Some(actor)) => {
                Some(ChangeCause {
                    mutation_id,
                    device_id: DeviceId(device_id),
                    client_seq: to_u64(client_seq)?,
                    actor: UserId::new(actor),
                })
            }
            _ => None,
        };
        Ok(Change {
            seq: self.seq,
            entity: self.entity,
            id: self.entity_id,
            op: parse_op(&self.op)?,
            version: self.version,
            data: self.data.unwrap_or(Value::Null),
            cause,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complaint_numbers_have_six_digits() {
        assert_eq!(complaint_number(2026, 1), "TS-2026-000001");
        assert_eq!(complaint_number(2026, 1_234_567), "TS-2026-1234567");
    }

    #[test]
    fn a_clock_far_off_or_in_the_future_is_suspect() {
        let now: Timestamp = "2026-03-02T02:00:00Z".parse().expect("a timestamp");
        let behind = DeviceClock::measure(now - SignedDuration::from_mins(2), now);
        let at = now - SignedDuration::from_mins(3);
        assert_eq!(
            behind.correct(at, now),
            (now - SignedDuration::from_mins(1), false)
        );
        let far = DeviceClock::measure(now - SignedDuration::from_mins(6), now);
        assert!(far.correct(at, now).1);
        let fine = DeviceClock::measure(now, now);
        assert!(fine.correct(now + SignedDuration::from_secs(1), now).1);
    }

    #[test]
    fn ops_round_trip() {
        for op in [ChangeOp::Upsert, ChangeOp::Delete, ChangeOp::Rejection] {
            assert_eq!(parse_op(op_name(op)).expect("known"), op);
        }
        assert!(parse_op("merge").is_err());
    }
}
