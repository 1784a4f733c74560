//! [`ServerStore`] on SQLite: one connection behind a mutex (SQLite has a
//! single writer anyway), WAL, `synchronous=FULL` so an acknowledged commit
//! survives power loss, and `BEGIN IMMEDIATE` per mutation so commit order is
//! seq order.

use crate::error::{StoreError, db};
use crate::store::{MAX_PULL_LIMIT, ServerStore, SnapshotPage, StoredComplaint};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use redress_domain::complaint::{Command, Complaint};
use redress_domain::ids::{CategoryCode, ComplaintId, UserId};
use redress_domain::model::Actor;
use redress_domain::phone::normalize_phone;
use redress_domain::repeat::RepeatProbe;
use redress_domain::{DomainError, Rules};
use redress_protocol::{
    Change, ChangeCause, ChangeOp, ComplaintDraft, DeviceId, Mutation, MutationEnvelope,
    MutationResult, Outcome, PullResponse, PushRequest, PushResponse, Rejection, codes, entity,
    state_digest,
};
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use uuid::Uuid;

/// The migrations, in order; the n-th (1-based) brings the schema to version n.
/// Released files are never edited: a change is a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_accounts.sql"),
    include_str!("../migrations/0003_user_kind.sql"),
];

/// How long a statement waits for another connection's lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A device clock further off than this marks its mutations' times suspect.
const CLOCK_SUSPECT: SignedDuration = SignedDuration::from_mins(5);

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What the store decides under.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// The authoritative policy bundle every mutation is decided under.
    pub rules: Rules,
    /// The site's time zone; it decides the year in complaint numbers.
    pub time_zone: TimeZone,
}

impl StoreOptions {
    /// `rules`, numbering complaints by the UTC year.
    pub fn new(rules: Rules) -> StoreOptions {
        StoreOptions {
            rules,
            time_zone: TimeZone::UTC,
        }
    }
}

/// The SQLite server store.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    options: StoreOptions,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, numbering complaints
    /// by the UTC year.
    pub fn open(path: impl AsRef<Path>, rules: Rules) -> Result<SqliteStore> {
        SqliteStore::open_with(path, StoreOptions::new(rules))
    }

    /// Opens (creating if needed) the database at `path` and applies pending
    /// migrations.
    pub fn open_with(path: impl AsRef<Path>, options: StoreOptions) -> Result<SqliteStore> {
        let path = path.as_ref();
        let open_err = |e: rusqlite::Error| StoreError::Open(format!("{}: {e}", path.display()));
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Open(format!(
                "{}: cannot switch to WAL (journal mode is {mode})",
                path.display()
            )));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(open_err)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            options,
        })
    }

    /// The schema version of the open database (the number of migrations
    /// applied).
    pub fn schema_version(&self) -> Result<i64> {
        self.lock()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction open
        // (it rolls back on drop), so the connection is still usable.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Settles one new mutation (the next in the device's sequence) inside
    /// `tx`: decides it, writes its effects or its rejection, logs it and
    /// advances the device.
    fn settle(
        &self,
        tx: &Transaction<'_>,
        device: DeviceId,
        actor: &Actor,
        m: &MutationEnvelope,
        clock: &DeviceClock,
        now: Timestamp,
    ) -> Result<MutationResult> {
        let complaint_id = m.mutation.complaint_id();
        let cause = ChangeCause {
            mutation_id: m.mutation_id,
            device_id: device,
            client_seq: m.client_seq,
            actor: actor.user.clone(),
        };
        let decided = if m.author_user_id != actor.user {
            Err(Rejection::new(
                codes::AUTHOR_MISMATCH,
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
                } => self.record(tx, *complaint_id, complaint, actor, now)?,
                Mutation::Execute {
                    complaint_id,
                    command,
                } => self.execute(tx, *complaint_id, command, actor, now)?,
            }
        };
        let outcome = match decided {
            Ok(write) => {
                let seq = write_complaint(tx, &write, &cause, now)?;
                Outcome::Applied {
                    first_change_seq: seq,
                    last_change_seq: seq,
                }
            }
            Err(rejection) => {
                let data = json!({
                    "complaint_id": complaint_id,
                    "name": m.mutation.name(),
                    "code": rejection.code,
                    "message": rejection.message,
                    "details": rejection.details,
                    "author_user_id": m.author_user_id,
                    "base_seq": m.base_seq,
                });
                let seq = append_change(
                    tx,
                    entity::MUTATION_REJECTION,
                    m.mutation_id,
                    ChangeOp::Rejection,
                    1,
                    &data,
                    &cause,
                    now,
                )?;
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
        log_mutation(tx, device, actor, m, &result, clock, now)?;
        set_last_seq(tx, device, m.client_seq)?;
        Ok(result)
    }

    /// `complaint.record`: the server numbers the complaint and re-runs
    /// repeat detection against its own earlier complaints of the customer.
    fn record(
        &self,
        tx: &Transaction<'_>,
        id: ComplaintId,
        draft: &ComplaintDraft,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Result<ComplaintWrite, Rejection>> {
        if load_complaint(tx, id)?.is_some() {
            return Ok(Err(Rejection::new(
                codes::COMPLAINT_EXISTS,
                format!("complaint {id} already exists"),
                json!({ "complaint_id": id }),
            )));
        }
        let rules = &self.options.rules;
        let mut customer = draft.customer.clone();
        if let Some(phone) = normalize_phone(&customer.phone, rules.default_calling_code.as_deref())
        {
            customer.phone = phone;
        }
        let prior = repeat_probes(tx, &RepeatProbe::customer_key(&customer))?;
        let year = now.to_zoned(self.options.time_zone.clone()).year();
        let ordinal = next_number(tx, year)?;
        let number = format!("TS-{year}-{ordinal:06}");
        let new = draft.clone().into_new(id, number);
        match Complaint::record(new, &prior, actor, now, rules) {
            Ok(recorded) => {
                tx.execute(
                    "INSERT INTO number_counters (year, last) VALUES (?1, ?2)
                     ON CONFLICT (year) DO UPDATE SET last = excluded.last",
                    params![i64::from(year), ordinal],
                )
                .map_err(db)?;
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
        tx: &Transaction<'_>,
        id: ComplaintId,
        command: &Command,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Result<ComplaintWrite, Rejection>> {
        let Some(stored) = load_complaint(tx, id)? else {
            return Ok(Err(Rejection::from_domain(&DomainError::NotFound {
                entity: "complaint",
                id: id.to_string(),
            })));
        };
        let mut complaint = stored.complaint;
        match complaint.execute(command, actor, now, &self.options.rules) {
            Ok(_alerts) => Ok(Ok(ComplaintWrite {
                complaint,
                version: stored.version + 1,
                new: false,
            })),
            Err(e) => Ok(Err(explain(&e, &complaint, command))),
        }
    }
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

/// The device's clock offset, measured once per push.
struct DeviceClock {
    offset: SignedDuration,
}

impl DeviceClock {
    fn measure(sent_at_device: Timestamp, now: Timestamp) -> DeviceClock {
        DeviceClock {
            offset: now.duration_since(sent_at_device),
        }
    }

    /// The device time moved onto the server's clock, and whether it is suspect.
    fn correct(&self, at_device: Timestamp, now: Timestamp) -> (Timestamp, bool) {
        let corrected = at_device.checked_add(self.offset).unwrap_or(at_device);
        let suspect = self.offset.abs() > CLOCK_SUSPECT || corrected > now;
        (corrected, suspect)
    }
}

impl ServerStore for SqliteStore {
    fn register_device(
        &self,
        device: DeviceId,
        user: &UserId,
        name: &str,
        now: Timestamp,
    ) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let owner: Option<String> = tx
            .query_row(
                "SELECT user_id FROM devices WHERE id = ?1",
                [device.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        match owner {
            Some(owner) if owner != user.as_str() => {
                return Err(StoreError::DeviceTaken { device });
            }
            Some(_) => {
                tx.execute(
                    "UPDATE devices SET name = ?2, last_seen_at = ?3 WHERE id = ?1",
                    params![device.to_string(), name, now.to_string()],
                )
                .map_err(db)?;
            }
            None => {
                tx.execute(
                    "INSERT INTO devices (id, user_id, name, registered_at, last_seen_at)
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                    params![device.to_string(), user.as_str(), name, now.to_string()],
                )
                .map_err(db)?;
                tx.execute(
                    "INSERT INTO device_state (device_id, last_client_seq) VALUES (?1, 0)",
                    [device.to_string()],
                )
                .map_err(db)?;
            }
        }
        tx.commit().map_err(db)
    }

    fn push(
        &self,
        device: DeviceId,
        actor: &Actor,
        request: &PushRequest,
        now: Timestamp,
    ) -> Result<PushResponse> {
        if request.device_id != device {
            return Err(StoreError::DeviceMismatch {
                session: device,
                body: request.device_id,
            });
        }
        let clock = DeviceClock::measure(request.sent_at_device, now);
        let mut conn = self.lock();
        let mut results = Vec::with_capacity(request.mutations.len());
        for m in &request.mutations {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            let last = last_seq(&tx, device)?;
            if m.client_seq <= last {
                // Already settled: a retry after a lost response or a crash.
                let (stored_id, mut result) = stored_result(&tx, device, m.client_seq)?
                    .ok_or_else(|| {
                        StoreError::corrupt(format!(
                            "device {device} settled {last} but has no result for {}",
                            m.client_seq
                        ))
                    })?;
                drop(tx);
                if stored_id != m.mutation_id {
                    return Err(StoreError::DeviceForked {
                        device,
                        client_seq: m.client_seq,
                        stored: stored_id,
                        pushed: m.mutation_id,
                    });
                }
                result.replayed = true;
                results.push(result);
                continue;
            }
            if m.client_seq != last + 1 {
                // A gap: the client resends from next_expected_seq.
                break;
            }
            if let Some(mut result) = result_by_mutation_id(&tx, m.mutation_id)? {
                // Settled before under another (device, seq), e.g. renumbered
                // after the device re-registered: consume the new seq, keep
                // the one decision.
                tx.execute(
                    "INSERT INTO mutation_alias (device_id, client_seq, mutation_id)
                     VALUES (?1, ?2, ?3)",
                    params![
                        device.to_string(),
                        to_i64(m.client_seq)?,
                        m.mutation_id.to_string()
                    ],
                )
                .map_err(db)?;
                set_last_seq(&tx, device, m.client_seq)?;
                tx.commit().map_err(db)?;
                result.client_seq = m.client_seq;
                result.replayed = true;
                results.push(result);
                continue;
            }
            let result = self.settle(&tx, device, actor, m, &clock, now)?;
            tx.commit().map_err(db)?;
            results.push(result);
        }
        let device_last_seq = last_seq(&conn, device)?;
        Ok(PushResponse {
            results,
            device_last_seq,
            next_expected_seq: device_last_seq + 1,
            server_time: now,
        })
    }

    fn pull(
        &self,
        device: DeviceId,
        after: i64,
        limit: u32,
        now: Timestamp,
    ) -> Result<PullResponse> {
        let limit = limit.clamp(1, MAX_PULL_LIMIT);
        let mut conn = self.lock();
        // One read transaction, so the page, the high water and the device's
        // position agree with each other.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(db)?;
        let device_last_seq = last_seq(&tx, device)?;
        let high_water: i64 = tx
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM change_log", [], |r| {
                r.get(0)
            })
            .map_err(db)?;
        let mut stmt = tx
            .prepare(
                "SELECT seq, entity, entity_id, op, version, data,
                        mutation_id, device_id, client_seq, actor_user_id
                 FROM change_log WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![after, i64::from(limit) + 1], read_change_row)
            .map_err(db)?;
        let mut changes = Vec::new();
        for row in rows {
            changes.push(row.map_err(db)?.into_change()?);
        }
        let has_more = changes.len() > limit as usize;
        changes.truncate(limit as usize);
        Ok(PullResponse {
            changes,
            high_water,
            has_more,
            device_last_seq,
            server_time: now,
        })
    }

    fn results(
        &self,
        device: DeviceId,
        from_client_seq: u64,
        limit: u32,
    ) -> Result<Vec<MutationResult>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare(
                "SELECT client_seq, mutation_id, result FROM (
                     SELECT client_seq, mutation_id, result FROM mutation_log
                     WHERE device_id = ?1 AND client_seq >= ?2
                     UNION ALL
                     SELECT a.client_seq, l.mutation_id, l.result
                     FROM mutation_alias a JOIN mutation_log l USING (mutation_id)
                     WHERE a.device_id = ?1 AND a.client_seq >= ?2)
                 ORDER BY client_seq LIMIT ?3",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(
                params![
                    device.to_string(),
                    to_i64(from_client_seq)?,
                    i64::from(limit.min(MAX_PULL_LIMIT))
                ],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(2)?)),
            )
            .map_err(db)?;
        let mut results = Vec::new();
        for row in rows {
            let (client_seq, json) = row.map_err(db)?;
            let mut result: MutationResult =
                serde_json::from_str(&json).map_err(StoreError::corrupt)?;
            result.client_seq = u64::try_from(client_seq).map_err(StoreError::corrupt)?;
            results.push(result);
        }
        Ok(results)
    }

    fn snapshot_page(&self, after: Option<ComplaintId>, limit: u32) -> Result<SnapshotPage> {
        let limit = limit.clamp(1, MAX_PULL_LIMIT);
        let mut conn = self.lock();
        // One read transaction: the page and the high water agree.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(db)?;
        let as_of_seq: i64 = tx
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM change_log", [], |r| {
                r.get(0)
            })
            .map_err(db)?;
        let mut stmt = tx
            .prepare(
                "SELECT data, version, last_seq FROM complaints
                 WHERE id > ?1 ORDER BY id LIMIT ?2",
            )
            .map_err(db)?;
        // Ids are stored as lower-case hyphenated text, whose order is the
        // UUIDs' byte order; the empty string is below every id.
        let after = after.map(|id| id.to_string()).unwrap_or_default();
        let rows = stmt
            .query_map(params![after, i64::from(limit) + 1], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .map_err(db)?;
        let mut complaints = Vec::new();
        for row in rows {
            let (json, version, last_seq) = row.map_err(db)?;
            complaints.push(StoredComplaint {
                complaint: serde_json::from_str(&json).map_err(StoreError::corrupt)?,
                version,
                last_seq,
            });
        }
        let has_more = complaints.len() > limit as usize;
        complaints.truncate(limit as usize);
        Ok(SnapshotPage {
            as_of_seq,
            complaints,
            has_more,
        })
    }

    fn complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>> {
        load_complaint(&self.lock(), id)
    }

    fn digest(&self) -> Result<String> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare("SELECT data FROM complaints ORDER BY id")
            .map_err(db)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(db)?;
        let mut complaints = Vec::new();
        for row in rows {
            let json = row.map_err(db)?;
            complaints.push(serde_json::from_str(&json).map_err(StoreError::corrupt)?);
        }
        state_digest(&complaints).map_err(StoreError::corrupt)
    }

    fn epoch(&self) -> Result<Uuid> {
        let conn = self.lock();
        let text: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'epoch'", [], |r| {
                r.get(0)
            })
            .map_err(db)?;
        text.parse().map_err(StoreError::corrupt)
    }
}

/// Brings the schema up to date in one transaction, and gives a new
/// database its epoch.
fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    let found: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db)?;
    let known = MIGRATIONS.len() as i64;
    if found > known {
        return Err(StoreError::Open(format!(
            "the database has schema version {found}; this build knows up to {known}"
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        if (index as i64) < found {
            continue;
        }
        tx.execute_batch(sql).map_err(db)?;
    }
    if found < known {
        // PRAGMA takes no bound parameters; the value is our own constant.
        tx.execute_batch(&format!("PRAGMA user_version = {known}"))
            .map_err(db)?;
    }
    tx.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', ?1)",
        [Uuid::now_v7().to_string()],
    )
    .map_err(db)?;
    tx.commit().map_err(db)
}

pub(crate) fn to_i64(n: u64) -> Result<i64> {
    i64::try_from(n)
        .map_err(|_| StoreError::corrupt(format!("{n} does not fit a database integer")))
}

fn last_seq(conn: &Connection, device: DeviceId) -> Result<u64> {
    let last: Option<i64> = conn
        .query_row(
            "SELECT last_client_seq FROM device_state WHERE device_id = ?1",
            [device.to_string()],
            |r| r.get(0),
        )
        .optional()
        .map_err(db)?;
    let last = last.ok_or(StoreError::UnknownDevice(device))?;
    u64::try_from(last).map_err(StoreError::corrupt)
}

fn set_last_seq(tx: &Transaction<'_>, device: DeviceId, client_seq: u64) -> Result<()> {
    tx.execute(
        "UPDATE device_state SET last_client_seq = ?2 WHERE device_id = ?1",
        params![device.to_string(), to_i64(client_seq)?],
    )
    .map_err(db)?;
    Ok(())
}

/// The stored result of `(device, client_seq)`, with the mutation id it was
/// settled for.
fn stored_result(
    conn: &Connection,
    device: DeviceId,
    client_seq: u64,
) -> Result<Option<(Uuid, MutationResult)>> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT mutation_id, result FROM mutation_log
             WHERE device_id = ?1 AND client_seq = ?2
             UNION ALL
             SELECT l.mutation_id, l.result
             FROM mutation_alias a JOIN mutation_log l USING (mutation_id)
             WHERE a.device_id = ?1 AND a.client_seq = ?2",
            params![device.to_string(), to_i64(client_seq)?],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(db)?;
    let Some((id, json)) = row else {
        return Ok(None);
    };
    let id: Uuid = id.parse().map_err(StoreError::corrupt)?;
    let mut result: MutationResult = serde_json::from_str(&json).map_err(StoreError::corrupt)?;
    result.client_seq = client_seq;
    Ok(Some((id, result)))
}

fn result_by_mutation_id(conn: &Connection, id: Uuid) -> Result<Option<MutationResult>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT result FROM mutation_log WHERE mutation_id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()
        .map_err(db)?;
    json.map(|json| serde_json::from_str(&json).map_err(StoreError::corrupt))
        .transpose()
}

fn load_complaint(conn: &Connection, id: ComplaintId) -> Result<Option<StoredComplaint>> {
    let row: Option<(String, i64, i64)> = conn
        .query_row(
            "SELECT data, version, last_seq FROM complaints WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(db)?;
    row.map(|(json, version, last_seq)| {
        Ok(StoredComplaint {
            complaint: serde_json::from_str(&json).map_err(StoreError::corrupt)?,
            version,
            last_seq,
        })
    })
    .transpose()
}

/// The customer's earlier complaints, for repeat detection.
fn repeat_probes(conn: &Connection, customer_key: &str) -> Result<Vec<RepeatProbe>> {
    let mut stmt = conn
        .prepare("SELECT id, category, received_at FROM complaints WHERE customer_key = ?1")
        .map_err(db)?;
    let rows = stmt
        .query_map([customer_key], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(db)?;
    let mut probes = Vec::new();
    for row in rows {
        let (id, category, received_at) = row.map_err(db)?;
        probes.push(RepeatProbe {
            complaint: ComplaintId(id.parse().map_err(StoreError::corrupt)?),
            customer_key: customer_key.to_owned(),
            category: CategoryCode::new(category),
            received_at: received_at.parse().map_err(StoreError::corrupt)?,
        });
    }
    Ok(probes)
}

/// The next complaint ordinal of `year` (not yet taken; the caller stores it
/// once the complaint is recorded, so a rejected record leaves no hole).
fn next_number(conn: &Connection, year: i16) -> Result<i64> {
    let last: Option<i64> = conn
        .query_row(
            "SELECT last FROM number_counters WHERE year = ?1",
            [i64::from(year)],
            |r| r.get(0),
        )
        .optional()
        .map_err(db)?;
    Ok(last.unwrap_or(0) + 1)
}

/// Stores a complaint state and its upsert change; returns the change's seq.
fn write_complaint(
    tx: &Transaction<'_>,
    write: &ComplaintWrite,
    cause: &ChangeCause,
    now: Timestamp,
) -> Result<i64> {
    let c = &write.complaint;
    let data = serde_json::to_value(c).map_err(StoreError::corrupt)?;
    let seq = append_change(
        tx,
        entity::COMPLAINT,
        c.id.0,
        ChangeOp::Upsert,
        write.version,
        &data,
        cause,
        now,
    )?;
    let json = data.to_string();
    if write.new {
        tx.execute(
            "INSERT INTO complaints (id, number, customer_key, category, received_at,
                                     version, last_seq, created_by_mutation, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                c.id.to_string(),
                c.number,
                RepeatProbe::customer_key(&c.customer),
                c.category.as_str(),
                c.received_at.to_string(),
                write.version,
                seq,
                cause.mutation_id.to_string(),
                json
            ],
        )
        .map_err(db)?;
    } else {
        tx.execute(
            "UPDATE complaints SET version = ?2, last_seq = ?3, data = ?4, customer_key = ?5,
                                   category = ?6, received_at = ?7
             WHERE id = ?1",
            params![
                c.id.to_string(),
                write.version,
                seq,
                json,
                RepeatProbe::customer_key(&c.customer),
                c.category.as_str(),
                c.received_at.to_string()
            ],
        )
        .map_err(db)?;
    }
    Ok(seq)
}

#[allow(clippy::too_many_arguments)]
fn append_change(
    tx: &Transaction<'_>,
    entity: &str,
    id: Uuid,
    op: ChangeOp,
    version: i64,
    data: &Value,
    cause: &ChangeCause,
    now: Timestamp,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO change_log (entity, entity_id, op, version, data, mutation_id,
                                 device_id, client_seq, actor_user_id, applied_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            entity,
            id.to_string(),
            op_name(op),
            version,
            data.to_string(),
            cause.mutation_id.to_string(),
            cause.device_id.to_string(),
            to_i64(cause.client_seq)?,
            cause.actor.as_str(),
            now.to_string()
        ],
    )
    .map_err(db)?;
    Ok(tx.last_insert_rowid())
}

fn log_mutation(
    tx: &Transaction<'_>,
    device: DeviceId,
    actor: &Actor,
    m: &MutationEnvelope,
    result: &MutationResult,
    clock: &DeviceClock,
    now: Timestamp,
) -> Result<()> {
    let (status, code, first, last) = match &result.outcome {
        Outcome::Applied {
            first_change_seq,
            last_change_seq,
        } => (
            "applied",
            None,
            Some(*first_change_seq),
            Some(*last_change_seq),
        ),
        Outcome::Rejected {
            code,
            rejection_change_seq,
            ..
        } => (
            "rejected",
            Some(code.as_str()),
            Some(*rejection_change_seq),
            Some(*rejection_change_seq),
        ),
    };
    let args = m.mutation.args().map_err(StoreError::corrupt)?;
    let stored = serde_json::to_string(result).map_err(StoreError::corrupt)?;
    let (occurred_at, suspect) = clock.correct(m.occurred_at_device, now);
    tx.execute(
        "INSERT INTO mutation_log (device_id, client_seq, mutation_id, author_user_id,
             actor_user_id, name, args, complaint_id, base_seq, status, code,
             first_change_seq, last_change_seq, result, occurred_at_device, occurred_at,
             clock_suspect, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            device.to_string(),
            to_i64(m.client_seq)?,
            m.mutation_id.to_string(),
            m.author_user_id.as_str(),
            actor.user.as_str(),
            m.mutation.name(),
            args.to_string(),
            m.mutation.complaint_id().to_string(),
            m.base_seq,
            status,
            code,
            first,
            last,
            stored,
            m.occurred_at_device.to_string(),
            occurred_at.to_string(),
            suspect,
            now.to_string()
        ],
    )
    .map_err(db)?;
    Ok(())
}

fn op_name(op: ChangeOp) -> &'static str {
    match op {
        ChangeOp::Upsert => "upsert",
        ChangeOp::Delete => "delete",
        ChangeOp::Rejection => "rejection",
    }
}

/// A change-log row as read, before its text columns are parsed.
struct ChangeRow {
    seq: i64,
    entity: String,
    entity_id: String,
    op: String,
    version: i64,
    data: Option<String>,
    mutation_id: Option<String>,
    device_id: Option<String>,
    client_seq: Option<i64>,
    actor: Option<String>,
}

fn read_change_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChangeRow> {
    Ok(ChangeRow {
        seq: r.get(0)?,
        entity: r.get(1)?,
        entity_id: r.get(2)?,
        op: r.get(3)?,
        version: r.get(4)?,
        data: r.get(5)?,
        mutation_id: r.get(6)?,
        device_id: r.get(7)?,
        client_seq: r.get(8)?,
        actor: r.get(9)?,
    })
}

impl ChangeRow {
    fn into_change(self) -> Result<Change> {
        let op = match self.op.as_str() {
            "upsert" => ChangeOp::Upsert,
            "delete" => ChangeOp::Delete,
            "rejection" => ChangeOp::Rejection,
            other => return Err(StoreError::corrupt(format!("unknown change op {other}"))),
        };
        let data = match self.data {
            Some(json) => serde_json::from_str(&json).map_err(StoreError::corrupt)?,
            None => Value::Null,
        };
        let cause = match (
            self.mutation_id,
            self.device_id,
            self.client_seq,
            self.actor,
        ) {
            (Some(mutation_id), Some(device_id), Some(client_seq), Some(actor)) => {
                Some(ChangeCause {
                    mutation_id: mutation_id.parse().map_err(StoreError::corrupt)?,
                    device_id: DeviceId(device_id.parse().map_err(StoreError::corrupt)?),
                    client_seq: u64::try_from(client_seq).map_err(StoreError::corrupt)?,
                    actor: UserId::new(actor),
                })
            }
            _ => None,
        };
        Ok(Change {
            seq: self.seq,
            entity: self.entity,
            id: self.entity_id.parse().map_err(StoreError::corrupt)?,
            op,
            version: self.version,
            data,
            cause,
        })
    }
}
