//! [`ServerStore`] on SQLite: one writing connection behind a mutex (SQLite
//! has a single writer anyway) and a pool of read-only connections (r2d2),
//! so sessions, pulls, rules and results never wait behind a push; WAL, so
//! readers see the last commit while a push writes; `synchronous=FULL` so an
//! acknowledged commit survives power loss; and one `BEGIN IMMEDIATE`
//! transaction per push with a savepoint per mutation (group commit: one
//! flush for the batch, one outcome per mutation), so commit order is seq
//! order. The rules of a push live in [`crate::settle`]; this file is
//! the SQL under them.

use crate::error::{StoreError, db};
use crate::settle::{
    ChangeRow, ComplaintRow, IntakeIds, IntakeKey, IntakeStep, Ledger, LogEntry, NewChange, Page,
    Push, SettledAt, Step, StoreOptions, StoredMutation, op_name, page_limit, to_i64, to_u64,
    unstorable,
};
use crate::store::{
    IntakeRequest, IntakeSettled, MAX_PULL_LIMIT, ServerStore, SnapshotPage, StoredComplaint,
};
use jiff::Timestamp;
use r2d2_sqlite::SqliteConnectionManager;
use redress_domain::Rules;
use redress_domain::ids::{CategoryCode, ComplaintId, UpdateId, UserId};
use redress_domain::model::Actor;
use redress_domain::repeat::RepeatProbe;
use redress_protocol::{
    DeviceId, MutationResult, PullResponse, PushRequest, PushResponse, state_digest,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde_json::Value;
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
    include_str!("../migrations/0004_lean_change_log.sql"),
    include_str!("../migrations/0005_site_config.sql"),
];

/// The pull feed (see [`ServerStore::pull`]): each complaint changed after
/// the cursor once, at its latest state, with the cause of its last change,
/// merged in seq order with the changes that are not complaint states.
/// Both halves are read in seq order from an index, so SQLite merges them.
const PULL: &str = "
    SELECT l.seq, l.entity, l.entity_id, l.op, l.version, c.data,
           l.mutation_id, l.device_id, l.client_seq, l.actor_user_id
    FROM complaints c JOIN change_log l ON l.seq = c.last_seq
    WHERE c.last_seq > ?1
    UNION ALL
    SELECT seq, entity, entity_id, op, version, data,
           mutation_id, device_id, client_seq, actor_user_id
    FROM change_log WHERE seq > ?1 AND op <> 'upsert'
    ORDER BY 1 LIMIT ?2";

/// How long a statement waits for another connection's lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Read-only connections kept open beside the writer.
const READERS: u32 = 4;

/// How long a read waits for a free reader.
const READER_WAIT: Duration = Duration::from_secs(10);

/// A pooled read-only connection.
pub(crate) type Reader = r2d2::PooledConnection<SqliteConnectionManager>;

/// The SQLite server store.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    readers: r2d2::Pool<SqliteConnectionManager>,
    options: StoreOptions,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("readers", &self.readers.state())
            .finish_non_exhaustive()
    }
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
        // The settle rules' statements (`Sql`) are prepared once and kept:
        // parsing SQL was about 5% of a push.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Readers open the file once the writer has made it WAL, and refuse
        // to write (`query_only`; a read-only open would need the WAL's
        // shared-memory file to exist before it).
        let manager = SqliteConnectionManager::file(path)
            .with_flags(OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .with_init(|c| {
                c.busy_timeout(BUSY_TIMEOUT)?;
                c.execute_batch("PRAGMA query_only = ON;")
            });
        let readers = r2d2::Pool::builder()
            .max_size(READERS)
            .min_idle(Some(READERS))
            .connection_timeout(READER_WAIT)
            .build(manager)
            .map_err(|e| StoreError::Open(format!("{}: {e}", path.display())))?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            readers,
            options,
        })
    }

    /// Gives the database a new epoch and returns it: its lineage changed
    /// (a restore from backup).
    pub fn renew_epoch(&self) -> Result<Uuid> {
        let epoch = Uuid::now_v7();
        self.lock()
            .execute(
                "UPDATE meta SET value = ?1 WHERE key = 'epoch'",
                [epoch.to_string()],
            )
            .map_err(db)?;
        Ok(epoch)
    }

    /// A read-only connection from the pool; `store_unavailable` when none
    /// frees up in time.
    pub(crate) fn read(&self) -> Result<Reader> {
        self.readers
            .get()
            .map_err(|e| StoreError::Unavailable(format!("no SQLite reader: {e}")))
    }

    /// The schema version of the open database (the number of migrations
    /// applied).
    pub fn schema_version(&self) -> Result<i64> {
        self.read()?
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)
    }

    /// The writing connection.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction open
        // (it rolls back on drop), so the connection is still usable.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
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
        let rules = self.options.rules_at(self, now)?;
        let push = Push::new(&self.options, rules, device, actor, request, now)?;
        let mut conn = self.lock();
        // Group commit: the batch in one transaction, each mutation in a
        // savepoint of its own, so a mutation that fails leaves the ones
        // before it settled (they commit; the client retries the rest).
        let mut tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let mut results = Vec::with_capacity(request.mutations.len());
        let mut failed = None;
        for m in &request.mutations {
            let mut step = in_savepoint(&mut tx, |ledger| push.step(ledger, m))?;
            if let Err(e) = &step
                && e.is_data_error()
            {
                let rejection = unstorable(e);
                step = in_savepoint(&mut tx, |ledger| push.refuse(ledger, m, rejection))?;
            }
            match step {
                Ok(Step::Commit(result) | Step::Replay(result)) => results.push(result),
                Ok(Step::Gap) => break,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if let Some(e) = failed {
            // Keep what was settled before the failure, if the connection
            // still can; the client retries and gets those replayed.
            let _ = tx.commit();
            return Err(e);
        }
        let device_last_seq = Sql(&tx).last_client_seq(device)?;
        tx.commit().map_err(db)?;
        Ok(push.response(results, device_last_seq))
    }

    fn intake(
        &self,
        device: DeviceId,
        actor: &Actor,
        request: &IntakeRequest,
        now: Timestamp,
    ) -> Result<IntakeSettled> {
        let rules = self.options.rules_at(self, now)?;
        let push = Push::intake(&self.options, rules, device, actor, now);
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        match push.intake_step(&mut Sql(&tx), request)? {
            IntakeStep::Commit(settled) => {
                tx.commit().map_err(db)?;
                Ok(settled)
            }
            IntakeStep::Replay(settled) => Ok(settled),
        }
    }

    fn pull(
        &self,
        device: DeviceId,
        after: i64,
        limit: u32,
        now: Timestamp,
    ) -> Result<PullResponse> {
        let mut conn = self.read()?;
        // One read transaction, so the page, the high water and the device's
        // position agree with each other.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(db)?;
        let device_last_seq = Sql(&tx).last_client_seq(device)?;
        let high_water = high_water(&tx)?;
        let mut stmt = tx.prepare(PULL).map_err(db)?;
        let mut rows = stmt
            .query(params![after, i64::from(page_limit(limit)) + 1])
            .map_err(db)?;
        let mut page = Page::new(limit, &self.options);
        while let Some(row) = rows.next().map_err(db)? {
            let row = read_change_row(row).map_err(db)?;
            let bytes = row.data.as_ref().map_or(0, String::len);
            if !page.offer(row, bytes) {
                break;
            }
        }
        let (rows, has_more) = page.finish();
        let changes = rows
            .into_iter()
            .map(|row| row.parse()?.into_change())
            .collect::<Result<Vec<_>>>()?;
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
        let conn = self.read()?;
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
            result.client_seq = to_u64(client_seq)?;
            results.push(result);
        }
        Ok(results)
    }

    fn snapshot_page(&self, after: Option<ComplaintId>, limit: u32) -> Result<SnapshotPage> {
        let mut conn = self.read()?;
        // One read transaction: the page and the high water agree.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(db)?;
        let as_of_seq = high_water(&tx)?;
        let mut stmt = tx
            .prepare(
                "SELECT data, version, last_seq FROM complaints
                 WHERE id > ?1 ORDER BY id LIMIT ?2",
            )
            .map_err(db)?;
        // Ids are stored as lower-case hyphenated text, whose order is the
        // UUIDs' byte order; the empty string is below every id.
        let after = after.map(|id| id.to_string()).unwrap_or_default();
        let mut rows = stmt
            .query(params![after, i64::from(page_limit(limit)) + 1])
            .map_err(db)?;
        let mut page = Page::new(limit, &self.options);
        while let Some(row) = rows.next().map_err(db)? {
            let json: String = row.get(0).map_err(db)?;
            let (version, last_seq): (i64, i64) =
                (row.get(1).map_err(db)?, row.get(2).map_err(db)?);
            let bytes = json.len();
            if !page.offer((json, version, last_seq), bytes) {
                break;
            }
        }
        let (rows, has_more) = page.finish();
        let complaints = rows
            .into_iter()
            .map(|(json, version, last_seq)| {
                Ok(StoredComplaint {
                    complaint: serde_json::from_str(&json).map_err(StoreError::corrupt)?,
                    version,
                    last_seq,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SnapshotPage {
            as_of_seq,
            complaints,
            has_more,
        })
    }

    fn complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>> {
        let reader = self.read()?;
        Sql(&reader).load_complaint(id)
    }

    fn digest(&self) -> Result<String> {
        let conn = self.read()?;
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
        let conn = self.read()?;
        let text: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'epoch'", [], |r| {
                r.get(0)
            })
            .map_err(db)?;
        text.parse().map_err(StoreError::corrupt)
    }
}

/// Runs one mutation's `step` in a savepoint of `tx`, kept when the step
/// wrote something; the step's own outcome is returned as it came.
fn in_savepoint(
    tx: &mut rusqlite::Transaction<'_>,
    step: impl FnOnce(&mut Sql<'_>) -> Result<Step>,
) -> Result<Result<Step>> {
    let sp = tx.savepoint().map_err(db)?;
    let outcome = step(&mut Sql(&sp));
    if let Ok(Step::Commit(_)) = outcome {
        sp.commit().map_err(db)?;
    }
    Ok(outcome)
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

fn high_water(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM change_log", [], |r| {
        r.get(0)
    })
    .map_err(db)
}

fn parse_uuid(text: &str) -> Result<Uuid> {
    text.parse().map_err(StoreError::corrupt)
}

/// Statements the writer keeps prepared; more than `Sql` uses.
const STATEMENT_CACHE: usize = 32;

/// The settle rules' operations on one SQLite transaction (or, for reads,
/// the connection). Ids are UUID text, times RFC 3339 text, JSON text.
struct Sql<'a>(&'a Connection);

impl Ledger for Sql<'_> {
    fn last_client_seq(&mut self, device: DeviceId) -> Result<u64> {
        let last: Option<i64> = self
            .0
            .prepare_cached("SELECT last_client_seq FROM device_state WHERE device_id = ?1")
            .map_err(db)?
            .query_row([device.to_string()], |r| r.get(0))
            .optional()
            .map_err(db)?;
        to_u64(last.ok_or(StoreError::UnknownDevice(device))?)
    }

    fn set_last_client_seq(&mut self, device: DeviceId, client_seq: u64) -> Result<()> {
        self.0
            .prepare_cached("UPDATE device_state SET last_client_seq = ?2 WHERE device_id = ?1")
            .map_err(db)?
            .execute(params![device.to_string(), to_i64(client_seq)?])
            .map_err(db)?;
        Ok(())
    }

    fn stored_result(
        &mut self,
        device: DeviceId,
        client_seq: u64,
    ) -> Result<Option<StoredMutation>> {
        self.0
            .prepare_cached(
                "SELECT mutation_id, name, author_user_id, args, result FROM mutation_log
                 WHERE device_id = ?1 AND client_seq = ?2
                 UNION ALL
                 SELECT l.mutation_id, l.name, l.author_user_id, l.args, l.result
                 FROM mutation_alias a JOIN mutation_log l USING (mutation_id)
                 WHERE a.device_id = ?1 AND a.client_seq = ?2",
            )
            .map_err(db)?
            .query_row(
                params![device.to_string(), to_i64(client_seq)?],
                read_stored,
            )
            .optional()
            .map_err(db)?
            .map(SqlStored::parse)
            .transpose()
    }

    fn settled_mutation(&mut self, mutation_id: Uuid) -> Result<Option<SettledAt>> {
        let row: Option<(String, SqlStored)> = self
            .0
            .prepare_cached(
                "SELECT actor_user_id, mutation_id, name, author_user_id, args, result
                 FROM mutation_log WHERE mutation_id = ?1",
            )
            .map_err(db)?
            .query_row([mutation_id.to_string()], |r| {
                Ok((
                    r.get(0)?,
                    SqlStored {
                        mutation_id: r.get(1)?,
                        name: r.get(2)?,
                        author: r.get(3)?,
                        args: r.get(4)?,
                        result: r.get(5)?,
                    },
                ))
            })
            .optional()
            .map_err(db)?;
        row.map(|(pusher, stored)| {
            Ok(SettledAt {
                pusher: UserId::new(pusher),
                stored: stored.parse()?,
            })
        })
        .transpose()
    }

    fn add_alias(&mut self, device: DeviceId, client_seq: u64, mutation_id: Uuid) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO mutation_alias (device_id, client_seq, mutation_id)
                 VALUES (?1, ?2, ?3)",
            )
            .map_err(db)?
            .execute(params![
                device.to_string(),
                to_i64(client_seq)?,
                mutation_id.to_string()
            ])
            .map_err(db)?;
        Ok(())
    }

    fn load_complaint(&mut self, id: ComplaintId) -> Result<Option<StoredComplaint>> {
        let row: Option<(String, i64, i64)> = self
            .0
            .prepare_cached("SELECT data, version, last_seq FROM complaints WHERE id = ?1")
            .map_err(db)?
            .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
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

    fn repeat_probes(&mut self, customer_key: &str) -> Result<Vec<RepeatProbe>> {
        let mut stmt = self
            .0
            .prepare_cached(
                "SELECT id, category, received_at FROM complaints WHERE customer_key = ?1",
            )
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
                complaint: ComplaintId(parse_uuid(&id)?),
                customer_key: customer_key.to_owned(),
                category: CategoryCode::new(category),
                received_at: received_at.parse().map_err(StoreError::corrupt)?,
            });
        }
        Ok(probes)
    }

    fn last_number(&mut self, year: i16) -> Result<Option<i64>> {
        self.0
            .prepare_cached("SELECT last FROM number_counters WHERE year = ?1")
            .map_err(db)?
            .query_row([i64::from(year)], |r| r.get(0))
            .optional()
            .map_err(db)
    }

    fn set_last_number(&mut self, year: i16, last: i64) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO number_counters (year, last) VALUES (?1, ?2)
                 ON CONFLICT (year) DO UPDATE SET last = excluded.last",
            )
            .map_err(db)?
            .execute(params![i64::from(year), last])
            .map_err(db)?;
        Ok(())
    }

    fn append_change(&mut self, change: &NewChange<'_>) -> Result<i64> {
        let cause = change.cause;
        self.0
            .prepare_cached(
                "INSERT INTO change_log (entity, entity_id, op, version, data, mutation_id,
                                         device_id, client_seq, actor_user_id, applied_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .map_err(db)?
            .execute(params![
                change.entity,
                change.entity_id.to_string(),
                op_name(change.op),
                change.version,
                change.data.map(Value::to_string),
                cause.mutation_id.to_string(),
                cause.device_id.to_string(),
                to_i64(cause.client_seq)?,
                cause.actor.as_str(),
                change.applied_at.to_string()
            ])
            .map_err(db)?;
        Ok(self.0.last_insert_rowid())
    }

    fn insert_complaint(&mut self, row: &ComplaintRow<'_>) -> Result<()> {
        let c = row.complaint;
        self.0
            .prepare_cached(
                "INSERT INTO complaints (id, number, customer_key, category, received_at,
                                         version, last_seq, created_by_mutation, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .map_err(db)?
            .execute(params![
                c.id.to_string(),
                c.number,
                row.customer_key,
                c.category.as_str(),
                c.received_at.to_string(),
                row.version,
                row.last_seq,
                row.created_by.to_string(),
                row.data.to_string()
            ])
            .map_err(db)?;
        Ok(())
    }

    fn update_complaint(&mut self, row: &ComplaintRow<'_>) -> Result<()> {
        let c = row.complaint;
        self.0
            .prepare_cached(
                "UPDATE complaints SET version = ?2, last_seq = ?3, data = ?4, customer_key = ?5,
                                       category = ?6, received_at = ?7
                 WHERE id = ?1",
            )
            .map_err(db)?
            .execute(params![
                c.id.to_string(),
                row.version,
                row.last_seq,
                row.data.to_string(),
                row.customer_key,
                c.category.as_str(),
                c.received_at.to_string()
            ])
            .map_err(db)?;
        Ok(())
    }

    fn log_mutation(&mut self, entry: &LogEntry<'_>) -> Result<()> {
        let m = entry.envelope;
        let stored = serde_json::to_string(entry.result).map_err(StoreError::corrupt)?;
        self.0
            .prepare_cached(
                "INSERT INTO mutation_log (device_id, client_seq, mutation_id, author_user_id,
                     actor_user_id, name, args, complaint_id, base_seq, status, code,
                     first_change_seq, last_change_seq, result, occurred_at_device, occurred_at,
                     clock_suspect, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                         ?17, ?18)",
            )
            .map_err(db)?
            .execute(params![
                entry.device.to_string(),
                to_i64(m.client_seq)?,
                m.mutation_id.to_string(),
                m.author_user_id.as_str(),
                entry.actor.as_str(),
                m.mutation.name(),
                entry.args.to_string(),
                m.mutation.complaint_id().to_string(),
                m.base_seq,
                entry.status,
                entry.code,
                entry.first_change_seq,
                entry.last_change_seq,
                stored,
                m.occurred_at_device.to_string(),
                entry.occurred_at.to_string(),
                entry.clock_suspect,
                entry.received_at.to_string()
            ])
            .map_err(db)?;
        Ok(())
    }

    fn intake_key(&mut self, key: &IntakeKey<'_>) -> Result<Option<IntakeIds>> {
        let row = self
            .0
            .prepare_cached(
                "SELECT mutation_id, complaint_id, update_id FROM intake_keys
                 WHERE integration = ?1 AND kind = ?2 AND complaint_scope = ?3
                   AND external_ref = ?4",
            )
            .map_err(db)?
            .query_row(
                params![
                    key.integration.as_str(),
                    key.kind,
                    key.complaint.map(|id| id.to_string()).unwrap_or_default(),
                    key.external_ref
                ],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(db)?;
        row.map(|(mutation, complaint, update)| {
            Ok(IntakeIds {
                mutation_id: parse_uuid(&mutation)?,
                complaint_id: ComplaintId(parse_uuid(&complaint)?),
                update_id: update.as_deref().map(parse_uuid).transpose()?.map(UpdateId),
            })
        })
        .transpose()
    }

    fn insert_intake_key(&mut self, key: &IntakeKey<'_>, ids: &IntakeIds) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO intake_keys (integration, kind, complaint_scope, external_ref,
                                          mutation_id, complaint_id, update_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(db)?
            .execute(params![
                key.integration.as_str(),
                key.kind,
                key.complaint.map(|id| id.to_string()).unwrap_or_default(),
                key.external_ref,
                ids.mutation_id.to_string(),
                ids.complaint_id.to_string(),
                ids.update_id.map(|id| id.to_string())
            ])
            .map_err(db)?;
        Ok(())
    }

    fn recorded_by(&mut self, id: ComplaintId) -> Result<Option<UserId>> {
        let actor: Option<String> = self
            .0
            .prepare_cached(
                "SELECT l.actor_user_id FROM complaints c
                 JOIN mutation_log l ON l.mutation_id = c.created_by_mutation
                 WHERE c.id = ?1",
            )
            .map_err(db)?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()
            .map_err(db)?;
        Ok(actor.map(UserId::new))
    }
}

/// A mutation-log row as SQLite returns it, before its text is parsed.
struct SqlStored {
    mutation_id: String,
    name: String,
    author: String,
    args: String,
    result: String,
}

fn read_stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<SqlStored> {
    Ok(SqlStored {
        mutation_id: r.get(0)?,
        name: r.get(1)?,
        author: r.get(2)?,
        args: r.get(3)?,
        result: r.get(4)?,
    })
}

impl SqlStored {
    fn parse(self) -> Result<StoredMutation> {
        Ok(StoredMutation {
            mutation_id: parse_uuid(&self.mutation_id)?,
            name: self.name,
            author: UserId::new(self.author),
            args: serde_json::from_str(&self.args).map_err(StoreError::corrupt)?,
            result: serde_json::from_str(&self.result).map_err(StoreError::corrupt)?,
        })
    }
}

/// A change-log row as SQLite returns it, before its text columns are parsed.
struct SqlChangeRow {
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

fn read_change_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SqlChangeRow> {
    Ok(SqlChangeRow {
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

impl SqlChangeRow {
    fn parse(self) -> Result<ChangeRow> {
        Ok(ChangeRow {
            seq: self.seq,
            entity: self.entity,
            entity_id: parse_uuid(&self.entity_id)?,
            op: self.op,
            version: self.version,
            data: self
                .data
                .map(|json| serde_json::from_str(&json).map_err(StoreError::corrupt))
                .transpose()?,
            mutation_id: self.mutation_id.as_deref().map(parse_uuid).transpose()?,
            device_id: self.device_id.as_deref().map(parse_uuid).transpose()?,
            client_seq: self.client_seq,
            actor: self.actor,
        })
    }
}
