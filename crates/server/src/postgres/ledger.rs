//! The settle rules' operations ([`Ledger`]) on a PostgreSQL transaction,
//! written behind: a push settles its whole batch in memory against what
//! it read, and [`Pg::flush`] writes the batch's rows in a few statements
//! (one per table, rows passed as arrays to `unnest`) before the commit.
//!
//! Why: the synchronous client pays a round trip per statement, and a
//! mutation took about seven of them (its device's seq read and written,
//! its id looked up, its complaint read and written, its change and its
//! log row inserted). Now a batch of a hundred costs about ten round trips
//! whatever its size. What is read is read once and kept: the device's
//! seq (the push holds its row lock and the push advisory lock), each
//! complaint, the batch's mutation ids (one `= ANY` look-up). Change seqs
//! are handed out here from the log's maximum (every writer holds the push
//! lock, so nobody else hands them out meanwhile) and the sequence is moved
//! past them at the flush.
//!
//! Reads that the buffer affects look at it first: a complaint written
//! earlier in the batch, a mutation id settled earlier in the batch (a
//! replay within one request), the complaints of a customer key, the
//! recorder of a complaint. A database error (a data error in a row) shows
//! at the flush, for the whole batch: the caller then settles the batch
//! again one mutation per transaction, flushing each, which pins the error
//! on its mutation.

use super::pool::Statements;
use super::{parse_result, stored_complaint, stored_mutation};
use crate::error::StoreError;
use crate::settle::{
    ComplaintRow, IntakeIds, IntakeKey, Ledger, LogEntry, NewChange, SettledAt, StoredMutation,
    op_name, to_i64, to_u64,
};
use crate::store::StoredComplaint;
use ::postgres::types::ToSql;
use ::postgres::{GenericClient, Row, Statement};
use jiff::Timestamp;
use redress_domain::ids::{CategoryCode, ComplaintId, UpdateId, UserId};
use redress_domain::repeat::RepeatProbe;
use redress_protocol::DeviceId;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A mutation-log row waiting for the flush.
struct LogRow {
    device: Uuid,
    client_seq: i64,
    mutation_id: Uuid,
    author: String,
    actor: String,
    name: String,
    args: Value,
    complaint_id: Uuid,
    base_seq: i64,
    status: String,
    code: Option<String>,
    first_change_seq: Option<i64>,
    last_change_seq: Option<i64>,
    result: Value,
    occurred_at_device: Timestamp,
    occurred_at: Timestamp,
    clock_suspect: bool,
    received_at: Timestamp,
}

impl LogRow {
    fn stored(&self) -> Result<StoredMutation> {
        Ok(StoredMutation {
            mutation_id: self.mutation_id,
            name: self.name.clone(),
            author: UserId::new(self.author.clone()),
            args: self.args.clone(),
            result: parse_result(self.result.clone())?,
        })
    }
}

/// A change-log row waiting for the flush, with the seq it was given.
struct ChangeBuf {
    seq: i64,
    entity: String,
    entity_id: Uuid,
    op: &'static str,
    version: i64,
    data: Option<Value>,
    mutation_id: Uuid,
    device_id: Uuid,
    client_seq: i64,
    actor: String,
    applied_at: Timestamp,
}

/// A complaint as the batch left it.
struct ComplaintBuf {
    stored: StoredComplaint,
    data: Value,
    customer_key: String,
    /// The recording mutation, for a complaint new in this batch (inserted
    /// at the flush; the others are updated).
    created_by: Option<Uuid>,
}

/// A complaint as read or written in this transaction.
enum Known {
    /// Not in the database (and not written yet).
    Absent,
    /// Read, unchanged so far.
    Read(Box<StoredComplaint>),
    /// Written by the batch.
    Written(Box<ComplaintBuf>),
}

/// What the batch wrote and has not flushed, and what it read once.
#[derive(Default)]
struct Pending {
    /// The device's settled seq, and whether the batch moved it.
    device_seq: Option<(DeviceId, u64, bool)>,
    /// The next change seq to hand out.
    next_seq: Option<i64>,
    changes: Vec<ChangeBuf>,
    complaints: HashMap<ComplaintId, Known>,
    /// Written complaints, in the order first written.
    written: Vec<ComplaintId>,
    logs: Vec<LogRow>,
    /// Index into `logs` by mutation id and by (device, seq).
    log_by_id: HashMap<Uuid, usize>,
    log_by_seq: HashMap<(Uuid, i64), usize>,
    /// Mutation ids looked up at once for the batch, with what the database
    /// holds for them; an id in `prefetched` and absent here is not there.
    prefetched: HashSet<Uuid>,
    settled: HashMap<Uuid, (String, StoredMutation)>,
    aliases: Vec<(Uuid, i64, Uuid)>,
    intake_keys: Vec<(String, &'static str, String, String, IntakeIds)>,
}

/// The [`Ledger`] on a PostgreSQL transaction (or a connection, for reads),
/// with the connection's prepared statements and the batch's buffer.
pub(super) struct Pg<'a, C> {
    client: &'a mut C,
    statements: &'a mut Statements,
    pending: Pending,
}

impl<'a, C: GenericClient> Pg<'a, C> {
    pub(super) fn new(client: &'a mut C, statements: &'a mut Statements) -> Pg<'a, C> {
        Pg {
            client,
            statements,
            pending: Pending::default(),
        }
    }

    /// `sql` prepared on this connection, once.
    fn prepared(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    fn query(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        let statement = self.prepared(sql)?;
        Ok(self.client.query(&statement, params)?)
    }

    fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>> {
        let statement = self.prepared(sql)?;
        Ok(self.client.query_opt(&statement, params)?)
    }

    fn query_one(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Row> {
        let statement = self.prepared(sql)?;
        Ok(self.client.query_one(&statement, params)?)
    }

    fn execute(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let statement = self.prepared(sql)?;
        Ok(self.client.execute(&statement, params)?)
    }

    /// Looks up where the batch's mutation ids were settled, in one
    /// statement, so that [`Ledger::settled_mutation`] needs none.
    pub(super) fn prefetch_settled(&mut self, ids: &[Uuid]) -> Result<()> {
        let rows = self.query(
            "SELECT mutation_id, name, author_user_id, args, result, actor_user_id
             FROM mutation_log WHERE mutation_id = ANY($1)",
            &[&ids],
        )?;
        for row in rows {
            let stored = stored_mutation(&row, 0)?;
            let pusher: String = row.try_get(5)?;
            self.pending
                .settled
                .insert(stored.mutation_id, (pusher, stored));
        }
        self.pending.prefetched.extend(ids.iter().copied());
        Ok(())
    }

    /// Writes everything the batch settled, in foreign-key order. The
    /// buffer is empty afterwards; what was read stays known.
    pub(super) fn flush(&mut self) -> Result<()> {
        self.flush_logs()?;
        for (device, seq, mutation_id) in std::mem::take(&mut self.pending.aliases) {
            self.execute(
                "INSERT INTO mutation_alias (device_id, client_seq, mutation_id)
                 VALUES ($1, $2, $3)",
                &[&device, &seq, &mutation_id],
            )?;
        }
        for (integration, kind, scope, external_ref, ids) in
            std::mem::take(&mut self.pending.intake_keys)
        {
            self.execute(
                "INSERT INTO intake_keys (integration, kind, complaint_scope, external_ref,
                                          mutation_id, complaint_id, update_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &integration,
                    &kind,
                    &scope,
                    &external_ref,
                    &ids.mutation_id,
                    &ids.complaint_id.0,
                    &ids.update_id.map(|id| id.0),
                ],
            )?;
        }
        self.flush_changes()?;
        self.flush_complaints()?;
        if let Some((device, seq, true)) = self.pending.device_seq {
            self.execute(
                "UPDATE device_state SET last_client_seq = $2 WHERE device_id = $1",
                &[&device.0, &to_i64(seq)?],
            )?;
            self.pending.device_seq = Some((device, seq, false));
        }
        Ok(())
    }

    fn flush_logs(&mut self) -> Result<()> {
        let logs = std::mem::take(&mut self.pending.logs);
        self.pending.log_by_id.clear();
        self.pending.log_by_seq.clear();
        if logs.is_empty() {
            return Ok(());
        }
        let col = |f: fn(&LogRow) -> Uuid| logs.iter().map(f).collect::<Vec<_>>();
        let (devices, mutation_ids, complaint_ids) = (
            col(|l| l.device),
            col(|l| l.mutation_id),
            col(|l| l.complaint_id),
        );
        let client_seqs: Vec<i64> = logs.iter().map(|l| l.client_seq).collect();
        let base_seqs: Vec<i64> = logs.iter().map(|l| l.base_seq).collect();
        let authors: Vec<&str> = logs.iter().map(|l| l.author.as_str()).collect();
        let actors: Vec<&str> = logs.iter().map(|l| l.actor.as_str()).collect();
        let names: Vec<&str> = logs.iter().map(|l| l.name.as_str()).collect();
        let statuses: Vec<&str> = logs.iter().map(|l| l.status.as_str()).collect();
        let codes: Vec<Option<&str>> = logs.iter().map(|l| l.code.as_deref()).collect();
        let args: Vec<&Value> = logs.iter().map(|l| &l.args).collect();
        let results: Vec<&Value> = logs.iter().map(|l| &l.result).collect();
        let firsts: Vec<Option<i64>> = logs.iter().map(|l| l.first_change_seq).collect();
        let lasts: Vec<Option<i64>> = logs.iter().map(|l| l.last_change_seq).collect();
        let at_device: Vec<Timestamp> = logs.iter().map(|l| l.occurred_at_device).collect();
        let occurred: Vec<Timestamp> = logs.iter().map(|l| l.occurred_at).collect();
        let suspect: Vec<bool> = logs.iter().map(|l| l.clock_suspect).collect();
        let received: Vec<Timestamp> = logs.iter().map(|l| l.received_at).collect();
        self.execute(
            "INSERT INTO mutation_log (device_id, client_seq, mutation_id, author_user_id,
                 actor_user_id, name, args, complaint_id, base_seq, status, code,
                 first_change_seq, last_change_seq, result, occurred_at_device, occurred_at,
                 clock_suspect, received_at)
             SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::text[],
                 $5::text[], $6::text[], $7::jsonb[], $8::uuid[], $9::bigint[], $10::text[],
                 $11::text[], $12::bigint[], $13::bigint[], $14::jsonb[], $15::timestamptz[],
                 $16::timestamptz[], $17::boolean[], $18::timestamptz[])",
            &[
                &devices,
                &client_seqs,
                &mutation_ids,
                &authors,
                &actors,
                &names,
                &args,
                &complaint_ids,
                &base_seqs,
                &statuses,
                &codes,
                &firsts,
                &lasts,
                &results,
                &at_device,
                &occurred,
                &suspect,
                &received,
            ],
        )?;
        // Settled now, in the database: later look-ups in this
        // transaction find them there.
        for l in &logs {
            self.pending.prefetched.remove(&l.mutation_id);
        }
        Ok(())
    }

    fn flush_changes(&mut self) -> Result<()> {
        let changes = std::mem::take(&mut self.pending.changes);
        let Some(last) = changes.last().map(|c| c.seq) else {
            return Ok(());
        };
        let seqs: Vec<i64> = changes.iter().map(|c| c.seq).collect();
        let entities: Vec<&str> = changes.iter().map(|c| c.entity.as_str()).collect();
        let entity_ids: Vec<Uuid> = changes.iter().map(|c| c.entity_id).collect();
        let ops: Vec<&str> = changes.iter().map(|c| c.op).collect();
        let versions: Vec<i64> = changes.iter().map(|c| c.version).collect();
        let data: Vec<Option<&Value>> = changes.iter().map(|c| c.data.as_ref()).collect();
        let mutation_ids: Vec<Uuid> = changes.iter().map(|c| c.mutation_id).collect();
        let devices: Vec<Uuid> = changes.iter().map(|c| c.device_id).collect();
        let client_seqs: Vec<i64> = changes.iter().map(|c| c.client_seq).collect();
        let actors: Vec<&str> = changes.iter().map(|c| c.actor.as_str()).collect();
        let applied: Vec<Timestamp> = changes.iter().map(|c| c.applied_at).collect();
        self.execute(
            "INSERT INTO change_log (seq, entity, entity_id, op, version, data, mutation_id,
                                     device_id, client_seq, actor_user_id, applied_at)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::text[],
                 $5::bigint[], $6::jsonb[], $7::uuid[], $8::uuid[], $9::bigint[], $10::text[],
                 $11::timestamptz[])",
            &[
                &seqs,
                &entities,
                &entity_ids,
                &ops,
                &versions,
                &data,
                &mutation_ids,
                &devices,
                &client_seqs,
                &actors,
                &applied,
            ],
        )?;
        // The seqs were given out here: the column's sequence moves past
        // them, for any writer that lets it choose.
        self.query_one(
            "SELECT setval(pg_get_serial_sequence('change_log', 'seq'), $1)",
            &[&last],
        )?;
        Ok(())
    }

    fn flush_complaints(&mut self) -> Result<()> {
        let written = std::mem::take(&mut self.pending.written);
        let mut inserts = Vec::new();
        let mut updates = Vec::new();
        for id in written {
            // Written complaints become known as read, at their new state.
            let Some(Known::Written(buf)) = self.pending.complaints.remove(&id) else {
                continue;
            };
            let buf = *buf;
            if buf.created_by.is_some() {
                inserts.push(buf);
            } else {
                updates.push(buf);
            }
        }
        if !inserts.is_empty() {
            let ids: Vec<Uuid> = inserts.iter().map(|b| b.stored.complaint.id.0).collect();
            let numbers: Vec<&str> = inserts
                .iter()
                .map(|b| b.stored.complaint.number.as_str())
                .collect();
            let keys: Vec<&str> = inserts.iter().map(|b| b.customer_key.as_str()).collect();
            let categories: Vec<&str> = inserts
                .iter()
                .map(|b| b.stored.complaint.category.as_str())
                .collect();
            let received: Vec<Timestamp> = inserts
                .iter()
                .map(|b| b.stored.complaint.received_at)
                .collect();
            let versions: Vec<i64> = inserts.iter().map(|b| b.stored.version).collect();
            let last_seqs: Vec<i64> = inserts.iter().map(|b| b.stored.last_seq).collect();
            let created: Vec<Option<Uuid>> = inserts.iter().map(|b| b.created_by).collect();
            let data: Vec<&Value> = inserts.iter().map(|b| &b.data).collect();
            self.execute(
                "INSERT INTO complaints (id, number, customer_key, category, received_at,
                                         version, last_seq, created_by_mutation, data)
                 SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[],
                     $5::timestamptz[], $6::bigint[], $7::bigint[], $8::uuid[], $9::jsonb[])",
                &[
                    &ids,
                    &numbers,
                    &keys,
                    &categories,
                    &received,
                    &versions,
                    &last_seqs,
                    &created,
                    &data,
                ],
            )?;
        }
        if !updates.is_empty() {
            let ids: Vec<Uuid> = updates.iter().map(|b| b.stored.complaint.id.0).collect();
            let versions: Vec<i64> = updates.iter().map(|b| b.stored.version).collect();
            let last_seqs: Vec<i64> = updates.iter().map(|b| b.stored.last_seq).collect();
            let data: Vec<&Value> = updates.iter().map(|b| &b.data).collect();
            let keys: Vec<&str> = updates.iter().map(|b| b.customer_key.as_str()).collect();
            let categories: Vec<&str> = updates
                .iter()
                .map(|b| b.stored.complaint.category.as_str())
                .collect();
            let received: Vec<Timestamp> = updates
                .iter()
                .map(|b| b.stored.complaint.received_at)
                .collect();
            self.execute(
                "UPDATE complaints c SET version = u.version, last_seq = u.last_seq,
                        data = u.data, customer_key = u.customer_key, category = u.category,
                        received_at = u.received_at
                 FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::jsonb[], $5::text[],
                             $6::text[], $7::timestamptz[])
                      AS u(id, version, last_seq, data, customer_key, category, received_at)
                 WHERE c.id = u.id",
                &[
                    &ids,
                    &versions,
                    &last_seqs,
                    &data,
                    &keys,
                    &categories,
                    &received,
                ],
            )?;
        }
        for buf in inserts.into_iter().chain(updates) {
            let id = buf.stored.complaint.id;
            self.pending
                .complaints
                .insert(id, Known::Read(Box::new(buf.stored)));
        }
        Ok(())
    }

    /// Keeps a written complaint for the flush (and for reads before it).
    fn write_complaint(&mut self, row: &ComplaintRow<'_>, created_by: Option<Uuid>) {
        let id = row.complaint.id;
        // A complaint inserted earlier in the batch stays an insert.
        let created_by = match self.pending.complaints.get(&id) {
            Some(Known::Written(buf)) => buf.created_by.or(created_by),
            _ => {
                self.pending.written.push(id);
                created_by
            }
        };
        let buf = ComplaintBuf {
            stored: StoredComplaint {
                complaint: row.complaint.clone(),
                version: row.version,
                last_seq: row.last_seq,
            },
            data: row.data.clone(),
            customer_key: row.customer_key.clone(),
            created_by,
        };
        self.pending
            .complaints
            .insert(id, Known::Written(Box::new(buf)));
    }
}

impl<C: GenericClient> Ledger for Pg<'_, C> {
    fn last_client_seq(&mut self, device: DeviceId) -> Result<u64> {
        if let Some((known, seq, _)) = self.pending.device_seq
            && known == device
        {
            return Ok(seq);
        }
        let row = self.query_opt(
            "SELECT last_client_seq FROM device_state WHERE device_id = $1 FOR UPDATE",
            &[&device.0],
        )?;
        let seq = to_u64(row.ok_or(StoreError::UnknownDevice(device))?.try_get(0)?)?;
        self.pending.device_seq = Some((device, seq, false));
        Ok(seq)
    }

    fn set_last_client_seq(&mut self, device: DeviceId, client_seq: u64) -> Result<()> {
        if let Some((known, _, _)) = self.pending.device_seq
            && known != device
        {
            // Another device in the same transaction (not done today):
            // write the first one's seq now.
            self.flush()?;
        }
        self.pending.device_seq = Some((device, client_seq, true));
        Ok(())
    }

    fn stored_result(
        &mut self,
        device: DeviceId,
        client_seq: u64,
    ) -> Result<Option<StoredMutation>> {
        let seq = to_i64(client_seq)?;
        if let Some(&at) = self.pending.log_by_seq.get(&(device.0, seq)) {
            return self.pending.logs[at].stored().map(Some);
        }
        let alias = self
            .pending
            .aliases
            .iter()
            .find(|(d, s, _)| *d == device.0 && *s == seq)
            .map(|&(_, _, mutation_id)| mutation_id);
        if let Some(mutation_id) = alias
            && let Some(settled) = self.settled_mutation(mutation_id)?
        {
            return Ok(Some(settled.stored));
        }
        let rows = self.query(
            "SELECT mutation_id, name, author_user_id, args, result FROM mutation_log
             WHERE device_id = $1 AND client_seq = $2
             UNION ALL
             SELECT l.mutation_id, l.name, l.author_user_id, l.args, l.result
             FROM mutation_alias a JOIN mutation_log l USING (mutation_id)
             WHERE a.device_id = $1 AND a.client_seq = $2",
            &[&device.0, &seq],
        )?;
        rows.first().map(|row| stored_mutation(row, 0)).transpose()
    }

    fn settled_mutation(&mut self, mutation_id: Uuid) -> Result<Option<SettledAt>> {
        if let Some(&at) = self.pending.log_by_id.get(&mutation_id) {
            let log = &self.pending.logs[at];
            return Ok(Some(SettledAt {
                pusher: UserId::new(log.actor.clone()),
                stored: log.stored()?,
            }));
        }
        if self.pending.prefetched.contains(&mutation_id) {
            return Ok(self
                .pending
                .settled
                .get(&mutation_id)
                .map(|(pusher, stored)| SettledAt {
                    pusher: UserId::new(pusher.clone()),
                    stored: StoredMutation {
                        mutation_id: stored.mutation_id,
                        name: stored.name.clone(),
                        author: stored.author.clone(),
                        args: stored.args.clone(),
                        result: stored.result.clone(),
                    },
                }));
        }
        let row = self.query_opt(
            "SELECT mutation_id, name, author_user_id, args, result, actor_user_id
             FROM mutation_log WHERE mutation_id = $1",
            &[&mutation_id],
        )?;
        row.map(|row| {
            Ok(SettledAt {
                pusher: UserId::new(row.try_get::<_, String>(5)?),
                stored: stored_mutation(&row, 0)?,
            })
        })
        .transpose()
    }

    fn add_alias(&mut self, device: DeviceId, client_seq: u64, mutation_id: Uuid) -> Result<()> {
        self.pending
            .aliases
            .push((device.0, to_i64(client_seq)?, mutation_id));
        Ok(())
    }

    fn load_complaint(&mut self, id: ComplaintId) -> Result<Option<StoredComplaint>> {
        match self.pending.complaints.get(&id) {
            Some(Known::Absent) => return Ok(None),
            Some(Known::Read(stored)) => return Ok(Some((**stored).clone())),
            Some(Known::Written(buf)) => return Ok(Some(buf.stored.clone())),
            None => {}
        }
        let row = self.query_opt(
            "SELECT data, version, last_seq FROM complaints WHERE id = $1",
            &[&id.0],
        )?;
        let stored = row.as_ref().map(stored_complaint).transpose()?;
        let known = match &stored {
            Some(s) => Known::Read(Box::new(s.clone())),
            None => Known::Absent,
        };
        self.pending.complaints.insert(id, known);
        Ok(stored)
    }

    fn repeat_probes(&mut self, customer_key: &str) -> Result<Vec<RepeatProbe>> {
        let rows = self.query(
            "SELECT id, category, received_at FROM complaints WHERE customer_key = $1",
            &[&customer_key],
        )?;
        let mut probes = Vec::with_capacity(rows.len());
        for row in rows {
            let id = ComplaintId(row.try_get(0)?);
            // The batch's own state of a complaint wins over the stored one.
            if matches!(self.pending.complaints.get(&id), Some(Known::Written(_))) {
                continue;
            }
            probes.push(RepeatProbe {
                complaint: id,
                customer_key: customer_key.to_owned(),
                category: CategoryCode::new(row.try_get::<_, String>(1)?),
                received_at: row.try_get(2)?,
            });
        }
        for id in &self.pending.written {
            if let Some(Known::Written(buf)) = self.pending.complaints.get(id)
                && buf.customer_key == customer_key
            {
                let c = &buf.stored.complaint;
                probes.push(RepeatProbe {
                    complaint: c.id,
                    customer_key: customer_key.to_owned(),
                    category: c.category.clone(),
                    received_at: c.received_at,
                });
            }
        }
        Ok(probes)
    }

    fn last_number(&mut self, year: i16) -> Result<Option<i64>> {
        let row = self.query_opt(
            "SELECT last FROM number_counters WHERE year = $1",
            &[&i32::from(year)],
        )?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    fn set_last_number(&mut self, year: i16, last: i64) -> Result<()> {
        self.execute(
            "INSERT INTO number_counters (year, last) VALUES ($1, $2)
             ON CONFLICT (year) DO UPDATE SET last = excluded.last",
            &[&i32::from(year), &last],
        )?;
        Ok(())
    }

    fn append_change(&mut self, change: &NewChange<'_>) -> Result<i64> {
        let seq = match self.pending.next_seq {
            Some(seq) => seq,
            None => self
                .query_one("SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log", &[])?
                .try_get(0)?,
        };
        self.pending.next_seq = Some(seq + 1);
        let cause = change.cause;
        self.pending.changes.push(ChangeBuf {
            seq,
            entity: change.entity.to_owned(),
            entity_id: change.entity_id,
            op: op_name(change.op),
            version: change.version,
            data: change.data.cloned(),
            mutation_id: cause.mutation_id,
            device_id: cause.device_id.0,
            client_seq: to_i64(cause.client_seq)?,
            actor: cause.actor.as_str().to_owned(),
            applied_at: change.applied_at,
        });
        Ok(seq)
    }

    fn insert_complaint(&mut self, row: &ComplaintRow<'_>) -> Result<()> {
        self.write_complaint(row, Some(row.created_by));
        Ok(())
    }

    fn update_complaint(&mut self, row: &ComplaintRow<'_>) -> Result<()> {
        self.write_complaint(row, None);
        Ok(())
    }

    fn log_mutation(&mut self, entry: &LogEntry<'_>) -> Result<()> {
        let m = entry.envelope;
        let row = LogRow {
            device: entry.device.0,
            client_seq: to_i64(m.client_seq)?,
            mutation_id: m.mutation_id,
            author: m.author_user_id.as_str().to_owned(),
            actor: entry.actor.as_str().to_owned(),
            name: m.mutation.name().to_owned(),
            args: entry.args.clone(),
            complaint_id: m.mutation.complaint_id().0,
            base_seq: m.base_seq,
            status: entry.status.to_owned(),
            code: entry.code.map(str::to_owned),
            first_change_seq: entry.first_change_seq,
            last_change_seq: entry.last_change_seq,
            result: serde_json::to_value(entry.result).map_err(StoreError::corrupt)?,
            occurred_at_device: m.occurred_at_device,
            occurred_at: entry.occurred_at,
            clock_suspect: entry.clock_suspect,
            received_at: entry.received_at,
        };
        let at = self.pending.logs.len();
        self.pending.log_by_id.insert(row.mutation_id, at);
        self.pending
            .log_by_seq
            .insert((row.device, row.client_seq), at);
        self.pending.logs.push(row);
        Ok(())
    }

    fn intake_key(&mut self, key: &IntakeKey<'_>) -> Result<Option<IntakeIds>> {
        let scope = key.complaint.map(|id| id.to_string()).unwrap_or_default();
        let row = self.query_opt(
            "SELECT mutation_id, complaint_id, update_id FROM intake_keys
             WHERE integration = $1 AND kind = $2 AND complaint_scope = $3
               AND external_ref = $4",
            &[
                &key.integration.as_str(),
                &key.kind,
                &scope,
                &key.external_ref,
            ],
        )?;
        row.map(|row| {
            Ok(IntakeIds {
                mutation_id: row.try_get(0)?,
                complaint_id: ComplaintId(row.try_get(1)?),
                update_id: row.try_get::<_, Option<Uuid>>(2)?.map(UpdateId),
            })
        })
        .transpose()
    }

    fn insert_intake_key(&mut self, key: &IntakeKey<'_>, ids: &IntakeIds) -> Result<()> {
        let scope = key.complaint.map(|id| id.to_string()).unwrap_or_default();
        self.pending.intake_keys.push((
            key.integration.as_str().to_owned(),
            key.kind,
            scope,
            key.external_ref.to_owned(),
            IntakeIds {
                mutation_id: ids.mutation_id,
                complaint_id: ids.complaint_id,
                update_id: ids.update_id,
            },
        ));
        Ok(())
    }

    fn recorded_by(&mut self, id: ComplaintId) -> Result<Option<UserId>> {
        if let Some(Known::Written(buf)) = self.pending.complaints.get(&id)
            && let Some(created_by) = buf.created_by
            && let Some(&at) = self.pending.log_by_id.get(&created_by)
        {
            return Ok(Some(UserId::new(self.pending.logs[at].actor.clone())));
        }
        let row = self.query_opt(
            "SELECT l.actor_user_id FROM complaints c
             JOIN mutation_log l ON l.mutation_id = c.created_by_mutation
             WHERE c.id = $1",
            &[&id.0],
        )?;
        Ok(row
            .map(|row| row.try_get::<_, String>(0))
            .transpose()?
            .map(UserId::new))
    }
}
