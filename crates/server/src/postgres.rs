//! [`ServerStore`] on PostgreSQL, for a server with several instances (or
//! just a bigger database than a file).
//!
//! The push rules are those of [`crate::settle`], as on SQLite. What differs
//! is how the database keeps them safe with more than one writer:
//!
//! - Each mutation is one `READ COMMITTED` transaction that first takes a
//!   transaction-level advisory lock ([`PUSH_LOCK`]). Only one transaction
//!   at a time, in any server process, can write change seqs, so commit
//!   order is seq order and a puller never sees seq 11 before seq 10 has
//!   committed. Every statement after the lock sees all that committed
//!   before it (which `REPEATABLE READ`, whose snapshot would date from
//!   before the wait, would not).
//! - The device's row is read `FOR UPDATE`.
//! - Reads that must agree with themselves (pull, snapshot pages) run in
//!   one `REPEATABLE READ READ ONLY` transaction.
//! - Migrations run in one transaction under another advisory lock, so two
//!   servers starting at once do not both apply them.
//!
//! Connections come from a small pool of synchronous clients; callers in
//! async code use `spawn_blocking`, as for SQLite.

mod ledger;
mod notify;
mod pool;

pub use self::notify::PgNotifier;

use self::ledger::Pg;
use self::pool::{Conn, Pool};
use crate::error::StoreError;
use crate::settle::{
    ChangeRow, IntakeStep, Ledger, Page, Push, Step, StoreOptions, StoredMutation, page_limit,
    to_i64, to_u64, unstorable,
};
use crate::store::{
    IntakeRequest, IntakeSettled, MAX_PULL_LIMIT, ServerStore, SnapshotPage, StoredComplaint,
};
use ::postgres::{Client, Config, GenericClient, IsolationLevel, Row, Transaction};
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::complaint::Complaint;
use redress_domain::ids::{ComplaintId, UserId};
use redress_domain::model::Actor;
use redress_protocol::{
    DeviceId, MutationResult, PullResponse, PushRequest, PushResponse, state_digest,
};
use serde_json::Value;
use std::time::Duration;
use uuid::Uuid;

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The migrations, in order; the n-th (1-based) brings the schema to
/// version n, as on SQLite. Released files are never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/postgres/0001_init.sql"),
    include_str!("../migrations/postgres/0002_accounts.sql"),
    include_str!("../migrations/postgres/0003_user_kind.sql"),
    include_str!("../migrations/postgres/0004_lean_change_log.sql"),
    include_str!("../migrations/postgres/0005_site_config.sql"),
];

/// The advisory lock every transaction that may write change seqs takes
/// first (`pg_advisory_xact_lock`). The key is arbitrary but fixed: every
/// server on the database must use the same one.
pub const PUSH_LOCK: i64 = 0x5245_4452_4553_5301;

/// The advisory lock migrations run under.
const MIGRATE_LOCK: i64 = 0x5245_4452_4553_5302;

/// How many connections one store opens at most.
pub const DEFAULT_POOL_SIZE: usize = 8;

/// How long a caller waits for a connection when all are busy.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether `db` names a PostgreSQL database (`postgres://` or
/// `postgresql://`) rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// Parses a `postgres://` URL (or a `key=value` connection string).
pub(crate) fn parse_config(url: &str) -> Result<Config> {
    url.parse()
        .map_err(|e| StoreError::Open(format!("not a PostgreSQL connection URL: {e}")))
}

/// The PostgreSQL server store.
#[derive(Debug)]
pub struct PgStore {
    pool: Pool,
    options: StoreOptions,
    /// Read once when connecting: callers may ask for it on an async
    /// thread, where the synchronous client must not run.
    epoch: Uuid,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/db`),
    /// applies pending migrations, and numbers complaints by the UTC year.
    pub fn connect(url: &str, rules: Rules) -> Result<PgStore> {
        PgStore::connect_with(parse_config(url)?, StoreOptions::new(rules))
    }

    /// Connects with a parsed configuration (for instance with
    /// `options("-c search_path=...")` to keep the tables in a schema of
    /// their own) and applies pending migrations.
    pub fn connect_with(config: Config, options: StoreOptions) -> Result<PgStore> {
        PgStore::connect_pooled(config, options, DEFAULT_POOL_SIZE)
    }

    /// Like [`PgStore::connect_with`], opening at most `max_connections`.
    pub fn connect_pooled(
        config: Config,
        options: StoreOptions,
        max_connections: usize,
    ) -> Result<PgStore> {
        let pool = Pool::new(config, max_connections, ACQUIRE_TIMEOUT);
        let open_err =
            |e: StoreError| StoreError::Open(format!("{}: {e}", pool::describe(pool.config())));
        // The first connection is opened directly, so an unreachable or
        // refusing server is an open error at once (the pool would keep
        // trying until its acquire timeout).
        let mut client = pool::connect(pool.config()).map_err(|e| open_err(e.into()))?;
        let epoch = migrate(&mut client).map_err(|e| match e {
            StoreError::Postgres(_) => open_err(e),
            other => other,
        })?;
        // Closing a synchronous client must not happen on an async worker
        // (see the pool's Drop).
        let _ = std::thread::spawn(move || drop(client)).join();
        Ok(PgStore {
            pool,
            options,
            epoch,
        })
    }

    /// Gives the database a new epoch and returns it: its lineage changed
    /// (after `pg_restore`). Servers running on it keep the epoch they read
    /// at start until restarted.
    pub fn renew_epoch(&self) -> Result<Uuid> {
        let epoch = Uuid::now_v7();
        let mut conn = self.conn()?;
        conn.execute(
            "UPDATE meta SET value = $1 WHERE key = 'epoch'",
            &[&epoch.to_string()],
        )?;
        Ok(epoch)
    }

    /// The schema version of the database (the number of migrations applied).
    pub fn schema_version(&self) -> Result<i64> {
        let mut conn = self.pool.get()?;
        let version: i32 = conn
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )?
            .get(0);
        Ok(i64::from(version))
    }

    /// Where the store is (`postgresql://host:port/db`), without user or
    /// password.
    pub fn describe(&self) -> String {
        pool::describe(self.pool.config())
    }

    /// The connection settings, e.g. for a [`PgNotifier`] on the same database.
    pub fn config(&self) -> &Config {
        self.pool.config()
    }

    pub(crate) fn conn(&self) -> Result<Conn> {
        self.pool.get()
    }
}

/// Brings the schema up to date in one transaction under the migration
/// lock, and gives a new database its epoch; returns the epoch.
fn migrate(client: &mut ::postgres::Client) -> Result<Uuid> {
    let mut tx = client.transaction()?;
    // No "already exists, skipping" notices in the server's log.
    tx.batch_execute("SET LOCAL client_min_messages = warning")?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    integer PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )?;
    let found: i32 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )?
        .get(0);
    let known = MIGRATIONS.len() as i32;
    if found > known {
        return Err(StoreError::Open(format!(
            "the database has schema version {found}; this build knows up to {known}"
        )));
    }
    for (version, sql) in (1..).zip(MIGRATIONS) {
        if version <= found {
            continue;
        }
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&version],
        )?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING",
        &[&Uuid::now_v7().to_string()],
    )?;
    let epoch: String = tx
        .query_one("SELECT value FROM meta WHERE key = 'epoch'", &[])?
        .try_get(0)?;
    tx.commit()?;
    epoch.parse().map_err(StoreError::corrupt)
}

/// Starts a transaction that takes the push lock: from here on this
/// transaction is the only one allocating change seqs.
fn write_transaction(conn: &mut Client) -> Result<Transaction<'_>> {
    let mut tx = conn
        .build_transaction()
        .isolation_level(IsolationLevel::ReadCommitted)
        .start()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PUSH_LOCK])?;
    Ok(tx)
}

/// Starts a read-only transaction on one snapshot.
fn read_transaction(conn: &mut Client) -> Result<Transaction<'_>> {
    Ok(conn
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?)
}

fn high_water(client: &mut impl GenericClient) -> Result<i64> {
    Ok(client
        .query_one("SELECT COALESCE(MAX(seq), 0) FROM change_log", &[])?
        .get(0))
}

/// The device's last settled seq, without locking.
fn device_last_seq(client: &mut impl GenericClient, device: DeviceId) -> Result<u64> {
    let row = client.query_opt(
        "SELECT last_client_seq FROM device_state WHERE device_id = $1",
        &[&device.0],
    )?;
    to_u64(row.ok_or(StoreError::UnknownDevice(device))?.get(0))
}

fn parse_result(json: Value) -> Result<MutationResult> {
    serde_json::from_value(json).map_err(StoreError::corrupt)
}

/// A mutation-log row read as `mutation_id, name, author_user_id, args,
/// result` from column `at` on.
fn stored_mutation(row: &Row, at: usize) -> Result<StoredMutation> {
    Ok(StoredMutation {
        mutation_id: row.try_get(at)?,
        name: row.try_get(at + 1)?,
        author: UserId::new(row.try_get::<_, String>(at + 2)?),
        args: row.try_get(at + 3)?,
        result: parse_result(row.try_get(at + 4)?)?,
    })
}

fn parse_complaint(json: Value) -> Result<Complaint> {
    serde_json::from_value(json).map_err(StoreError::corrupt)
}

fn stored_complaint(row: &Row) -> Result<StoredComplaint> {
    Ok(StoredComplaint {
        complaint: parse_complaint(row.try_get(0)?)?,
        version: row.try_get(1)?,
        last_seq: row.try_get(2)?,
    })
}

impl ServerStore for PgStore {
    fn register_device(
        &self,
        device: DeviceId,
        user: &UserId,
        name: &str,
        now: Timestamp,
    ) -> Result<()> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        // Inserting first (and waiting on a concurrent insert of the same
        // id) leaves no window between looking and writing.
        let inserted = tx.execute(
            "INSERT INTO devices (id, user_id, name, registered_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $4)
             ON CONFLICT (id) DO NOTHING",
            &[&device.0, &user.as_str(), &name, &now],
        )?;
        if inserted == 1 {
            tx.execute(
                "INSERT INTO device_state (device_id, last_client_seq) VALUES ($1, 0)",
                &[&device.0],
            )?;
        } else {
            let owner: String = tx
                .query_one(
                    "SELECT user_id FROM devices WHERE id = $1 FOR UPDATE",
                    &[&device.0],
                )?
                .get(0);
            if owner != user.as_str() {
                return Err(StoreError::DeviceTaken { device });
            }
            tx.execute(
                "UPDATE devices SET name = $2, last_seen_at = $3 WHERE id = $1",
                &[&device.0, &name, &now],
            )?;
        }
        tx.commit()?;
        Ok(())
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
        let mut conn = self.conn()?;
        // Group commit: the batch in one transaction, holding the push lock
        // to its end. No savepoints: past 64 subtransactions PostgreSQL's
        // snapshots slow down for everyone. If any mutation fails, the
        // whole batch rolls back and is settled again one transaction per
        // mutation, which keeps those before the failure settled.
        {
            let (client, statements) = conn.parts();
            let mut tx = write_transaction(client)?;
            let mut results = Vec::with_capacity(request.mutations.len());
            let mut pg = Pg::new(&mut tx, statements);
            let ids: Vec<Uuid> = request.mutations.iter().map(|m| m.mutation_id).collect();
            let mut failed = pg.prefetch_settled(&ids).is_err();
            for m in &request.mutations {
                if failed {
                    break;
                }
                match push.step(&mut pg, m) {
                    Ok(Step::Commit(result) | Step::Replay(result)) => results.push(result),
                    Ok(Step::Gap) => break,
                    Err(_) => failed = true,
                }
            }
            // The batch's rows are written here: a data error in any of
            // them shows now, and the batch is settled again below.
            failed = failed || pg.flush().is_err();
            drop(pg);
            if !failed {
                let device_last_seq = device_last_seq(&mut tx, device)?;
                tx.commit()?;
                return Ok(push.response(results, device_last_seq));
            }
            // Dropping the transaction rolls it back.
        }
        let mut results = Vec::with_capacity(request.mutations.len());
        for m in &request.mutations {
            let (client, statements) = conn.parts();
            let mut tx = write_transaction(client)?;
            let mut pg = Pg::new(&mut tx, statements);
            let settled = push
                .step(&mut pg, m)
                .and_then(|step| pg.flush().map(|()| step));
            drop(pg);
            let step = match settled {
                Err(e) if e.is_data_error() => {
                    tx.rollback()?;
                    let (client, statements) = conn.parts();
                    tx = write_transaction(client)?;
                    let mut pg = Pg::new(&mut tx, statements);
                    let step = push.refuse(&mut pg, m, unstorable(&e))?;
                    pg.flush()?;
                    step
                }
                other => other?,
            };
            match step {
                Step::Commit(result) => {
                    tx.commit()?;
                    results.push(result);
                }
                Step::Replay(result) => {
                    tx.rollback()?;
                    results.push(result);
                }
                Step::Gap => {
                    tx.rollback()?;
                    break;
                }
            }
        }
        let device_last_seq = device_last_seq(&mut **conn, device)?;
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
        let mut conn = self.conn()?;
        let (client, statements) = conn.parts();
        let mut tx = write_transaction(client)?;
        let mut pg = Pg::new(&mut tx, statements);
        let step = push.intake_step(&mut pg, request)?;
        pg.flush()?;
        drop(pg);
        match step {
            IntakeStep::Commit(settled) => {
                tx.commit()?;
                Ok(settled)
            }
            IntakeStep::Replay(settled) => {
                tx.rollback()?;
                Ok(settled)
            }
        }
    }

    fn pull(
        &self,
        device: DeviceId,
        after: i64,
        limit: u32,
        now: Timestamp,
    ) -> Result<PullResponse> {
        let mut conn = self.conn()?;
        // One snapshot, so the page, the high water and the device's
        // position agree with each other.
        let mut tx = read_transaction(&mut conn)?;
        let device_last_seq = device_last_seq(&mut tx, device)?;
        let high_water = high_water(&mut tx)?;
        let rows = read_page(
            &mut tx,
            PULL,
            &[&after, &(i64::from(page_limit(limit)) + 1)],
            Page::new(limit, &self.options),
            5,
        )?;
        tx.commit()?;
        let changes = rows
            .0
            .iter()
            .map(|row| change_row(row)?.into_change())
            .collect::<Result<Vec<_>>>()?;
        Ok(PullResponse {
            changes,
            high_water,
            has_more: rows.1,
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
        let mut conn = self.conn()?;
        let rows = conn.query(
            "SELECT client_seq, result FROM (
                 SELECT client_seq, result FROM mutation_log
                 WHERE device_id = $1 AND client_seq >= $2
                 UNION ALL
                 SELECT a.client_seq, l.result
                 FROM mutation_alias a JOIN mutation_log l USING (mutation_id)
                 WHERE a.device_id = $1 AND a.client_seq >= $2) AS settled
             ORDER BY client_seq LIMIT $3",
            &[
                &device.0,
                &to_i64(from_client_seq)?,
                &i64::from(limit.min(MAX_PULL_LIMIT)),
            ],
        )?;
        let mut results = Vec::with_capacity(rows.len());
        for row in rows {
            let mut result = parse_result(row.try_get(1)?)?;
            result.client_seq = to_u64(row.try_get(0)?)?;
            results.push(result);
        }
        Ok(results)
    }

    fn snapshot_page(&self, after: Option<ComplaintId>, limit: u32) -> Result<SnapshotPage> {
        let mut conn = self.conn()?;
        // One snapshot: the page and the high water agree.
        let mut tx = read_transaction(&mut conn)?;
        let as_of_seq = high_water(&mut tx)?;
        // uuid order is byte order, the same as SQLite's order of the
        // lower-case text form.
        let (rows, has_more) = read_page(
            &mut tx,
            "SELECT data::text, version, last_seq FROM complaints
             WHERE $1::uuid IS NULL OR id > $1
             ORDER BY id LIMIT $2",
            &[&after.map(|id| id.0), &(i64::from(page_limit(limit)) + 1)],
            Page::new(limit, &self.options),
            0,
        )?;
        tx.commit()?;
        let complaints = rows
            .iter()
            .map(|row| {
                Ok(StoredComplaint {
                    complaint: serde_json::from_str(row.try_get(0)?)
                        .map_err(StoreError::corrupt)?,
                    version: row.try_get(1)?,
                    last_seq: row.try_get(2)?,
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
        let mut conn = self.conn()?;
        let (client, statements) = conn.parts();
        Pg::new(client, statements).load_complaint(id)
    }

    fn digest(&self) -> Result<String> {
        let mut conn = self.conn()?;
        let rows = conn.query("SELECT data FROM complaints ORDER BY id", &[])?;
        let complaints = rows
            .iter()
            .map(|row| parse_complaint(row.try_get(0)?))
            .collect::<Result<Vec<_>>>()?;
        state_digest(&complaints).map_err(StoreError::corrupt)
    }

    fn epoch(&self) -> Result<Uuid> {
        Ok(self.epoch)
    }
}

/// The pull feed (see [`ServerStore::pull`]): each complaint changed after
/// the cursor once, at its latest state, with the cause of its last change,
/// merged in seq order with the changes that are not complaint states.
/// JSON is read as text, so a page can be cut by its size before parsing.
const PULL: &str = "
    SELECT l.seq, l.entity, l.entity_id, l.op, l.version, c.data::text,
           l.mutation_id, l.device_id, l.client_seq, l.actor_user_id
    FROM complaints c JOIN change_log l ON l.seq = c.last_seq
    WHERE c.last_seq > $1
    UNION ALL
    SELECT seq, entity, entity_id, op, version, data::text,
           mutation_id, device_id, client_seq, actor_user_id
    FROM change_log WHERE seq > $1 AND op <> 'upsert'
    ORDER BY 1 LIMIT $2";

/// Rows fetched from a portal at a time while a page fills, so a page of
/// large complaints never holds more than this many beyond its budget.
const PAGE_FETCH: i32 = 8;

/// Reads `query`'s rows through a portal into a [`Page`] until it is full,
/// sizing each by the text in column `json_column`; the rows and whether
/// more remain.
fn read_page(
    tx: &mut Transaction<'_>,
    query: &str,
    params: &[&(dyn ::postgres::types::ToSql + Sync)],
    mut page: Page<Row>,
    json_column: usize,
) -> Result<(Vec<Row>, bool)> {
    let portal = tx.bind(query, params)?;
    'fill: loop {
        let rows = tx.query_portal(&portal, PAGE_FETCH)?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let bytes = row
                .try_get::<_, Option<&str>>(json_column)?
                .map_or(0, str::len);
            if !page.offer(row, bytes) {
                break 'fill;
            }
        }
    }
    Ok(page.finish())
}

fn change_row(row: &Row) -> Result<ChangeRow> {
    Ok(ChangeRow {
        seq: row.try_get(0)?,
        entity: row.try_get(1)?,
        entity_id: row.try_get(2)?,
        op: row.try_get(3)?,
        version: row.try_get(4)?,
        data: row
            .try_get::<_, Option<&str>>(5)?
            .map(|json| serde_json::from_str(json).map_err(StoreError::corrupt))
            .transpose()?,
        mutation_id: row.try_get(6)?,
        device_id: row.try_get(7)?,
        client_seq: row.try_get(8)?,
        actor: row.try_get(9)?,
    })
}
