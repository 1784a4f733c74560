//! Read-model queries. Everything about complaints reads the `v_complaints`
//! view, so local changes not confirmed yet are always seen (and flagged).

use crate::columns::{complaint_from_json, from_wire, ms, opt_ts, ts, uuid};
use crate::error::{Result, StoreError};
use crate::keys::SettingKey;
use crate::types::{
    DashboardQuery, DashboardRow, HeaderCounts, OutboxRow, OutboxState, ReminderRow,
    StoredComplaint, SyncState, Workload,
};
use jiff::{SignedDuration, Timestamp};
use redress_domain::complaint::{ClosureOutcome, Complaint};
use redress_domain::ids::{CategoryCode, ComplaintId, DeptId, UserId};
use redress_domain::repeat::RepeatProbe;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use serde::de::DeserializeOwned;

/// Read access to the store, inside a [`LocalStore::read`] snapshot or a
/// write transaction ([`WriteTx::reader`]).
///
/// [`LocalStore::read`]: crate::LocalStore::read
/// [`WriteTx::reader`]: crate::WriteTx::reader
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    conn: &'a Connection,
}

/// Columns for a [`StoredComplaint`].
const STORED: &str = "id, data, pending";

/// Columns for a [`DashboardRow`], in [`dashboard_row`] order.
const DASHBOARD: &str = "id, number, customer_name, customer_phone, kind, severity, channel, \
     owner, department, state, category, repeat_ordinal, escalated, public_exposure, \
     next_due_at, next_due_kind, next_warn_at, pending, received_at, closed_at, closure, \
     closure_score";

/// Dashboard order: soonest due first (nothing due last), the latest closed
/// first, then oldest.
const DASHBOARD_ORDER: &str =
    "ORDER BY next_due_at ASC NULLS LAST, closed_at DESC, received_at ASC, id ASC";

pub(crate) const REMINDER: &str = "key, complaint_id, kind, at, due_at, fired_at, title, body, acked_at, \
     snoozed_until, resolved_at, resolution, reminder";

const OUTBOX: &str = "client_seq, mutation_id, author_user_id, name, args, occurred_at_device, \
     base_seq, state, result, created_at, acked_at";

impl<'a> Reader<'a> {
    pub(crate) fn new(conn: &'a Connection) -> Reader<'a> {
        Reader { conn }
    }

    /// One complaint by id, overlay over mirror.
    pub fn complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>> {
        let sql = format!("SELECT {STORED} FROM v_complaints WHERE id = ?1");
        self.stored_one(&sql, [id.to_string()])
    }

    /// One complaint by its human-facing number (`TS-2026-000123`).
    pub fn complaint_by_number(&self, number: &str) -> Result<Option<StoredComplaint>> {
        let sql = format!("SELECT {STORED} FROM v_complaints WHERE number = ?1 LIMIT 1");
        self.stored_one(&sql, [number.trim()])
    }

    /// The dashboard list, from the projected columns only (no JSON parsing).
    /// Sorted by `next_due_at` (nothing due last), then `received_at`.
    pub fn dashboard(&self, q: &DashboardQuery) -> Result<Vec<DashboardRow>> {
        let mut filters: Vec<String> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if q.states.is_empty() {
            filters.push("open = 1".into());
        } else {
            filters.push(format!("state IN ({})", marks(q.states.len())));
            args.extend(q.states.iter().map(|s| Value::Text(s.clone())));
        }
        if let Some(owner) = &q.owner {
            filters.push("owner = ?".into());
            args.push(Value::Text(owner.clone()));
        }
        if let Some(department) = &q.department {
            filters.push("department = ?".into());
            args.push(Value::Text(department.clone()));
        }
        if !q.severities.is_empty() {
            filters.push(format!("severity IN ({})", marks(q.severities.len())));
            args.extend(q.severities.iter().map(|s| Value::Integer(i64::from(*s))));
        }
        if !q.kinds.is_empty() {
            filters.push(format!("kind IN ({})", marks(q.kinds.len())));
            args.extend(q.kinds.iter().map(|k| Value::Text(k.clone())));
        }
        if q.breached_only {
            filters.push("next_due_at < ?".into());
            args.push(Value::Integer(ms(q.now)));
        }
        if q.at_risk_only {
            // The header's definition, so the tile and the list agree.
            filters.push("(next_warn_at <= ? AND next_due_at >= ?)".into());
            args.push(Value::Integer(ms(q.now)));
            args.push(Value::Integer(ms(q.now)));
        }
        if q.unassigned_only {
            filters.push("owner IS NULL".into());
        }
        if let Some(term) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let like = escape_like(term);
            let mut any = vec![
                "number LIKE ? ESCAPE '\\'".to_owned(),
                "customer_name LIKE ? ESCAPE '\\'".to_owned(),
            ];
            // Anywhere in the number: agents say "285", not "TS-2026-000285".
            args.push(Value::Text(format!("%{like}%")));
            args.push(Value::Text(format!("%{like}%")));
            let digits: String = term.chars().filter(char::is_ascii_digit).collect();
            if digits.len() >= 3 {
                any.push("instr(customer_phone, ?) > 0".into());
                args.push(Value::Text(digits));
            }
            filters.push(format!("({})", any.join(" OR ")));
        }
        let mut sql = format!(
            "SELECT {DASHBOARD} FROM v_complaints WHERE {} {DASHBOARD_ORDER}",
            filters.join(" AND ")
        );
        if let Some(limit) = q.limit {
            sql.push_str(" LIMIT ?");
            args.push(Value::Integer(i64::from(limit)));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(args))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(dashboard_row(row)?);
        }
        Ok(out)
    }

    /// The header's counters over open complaints at `now`.
    pub fn header_counts(&self, now: Timestamp) -> Result<HeaderCounts> {
        let day = now
            .saturating_add(SignedDuration::from_hours(24))
            .unwrap_or(Timestamp::MAX);
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*),
                    coalesce(sum(next_warn_at <= ?1 AND next_due_at >= ?1), 0),
                    coalesce(sum(next_due_at < ?1), 0),
                    coalesce(sum(pending_approvals), 0),
                    coalesce(sum(callback_next_at <= ?2), 0)
               FROM v_complaints WHERE open = 1",
        )?;
        let counts = stmt.query_row(params![ms(now), ms(day)], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
        })?;
        let [
            open,
            at_risk,
            breached,
            approvals_waiting,
            callbacks_due_24h,
        ] = counts.map(|n: i64| u32::try_from(n).unwrap_or(u32::MAX));
        Ok(HeaderCounts {
            open,
            at_risk,
            breached,
            approvals_waiting,
            callbacks_due_24h,
            reminders: self.unacked_reminders()?,
        })
    }

    /// Open complaints per owner at `now` (the unassigned queue first, then
    /// the busiest owner); `day_end` bounds "due today".
    pub fn workload(&self, now: Timestamp, day_end: Timestamp) -> Result<Vec<Workload>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT owner, count(*),
                    coalesce(sum(next_warn_at <= ?1 AND next_due_at >= ?1), 0),
                    coalesce(sum(next_due_at < ?1), 0),
                    coalesce(sum(next_due_at >= ?1 AND next_due_at < ?2), 0)
               FROM v_complaints WHERE open = 1
              GROUP BY owner
              ORDER BY owner IS NOT NULL, count(*) DESC, owner",
        )?;
        let mut rows = stmt.query(params![ms(now), ms(day_end)])?;
        let mut out = Vec::new();
        let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        while let Some(row) = rows.next()? {
            out.push(Workload {
                owner: row.get::<_, Option<String>>(0)?.map(UserId::new),
                open: n(row.get(1)?),
                at_risk: n(row.get(2)?),
                breached: n(row.get(3)?),
                due_today: n(row.get(4)?),
            });
        }
        Ok(out)
    }

    /// Every owner and every department named on a stored complaint, sorted.
    pub fn people_and_departments(&self) -> Result<(Vec<UserId>, Vec<DeptId>)> {
        let distinct = |sql: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(row.get(0)?);
            }
            Ok(out)
        };
        let people = distinct(
            "SELECT DISTINCT owner FROM v_complaints WHERE owner IS NOT NULL ORDER BY owner",
        )?;
        let departments = distinct(
            "SELECT DISTINCT department FROM v_complaints WHERE department IS NOT NULL \
             ORDER BY department",
        )?;
        Ok((
            people.into_iter().map(UserId::new).collect(),
            departments.into_iter().map(DeptId::new).collect(),
        ))
    }

    /// Complaints with at least one approval request waiting, oldest first.
    pub fn with_pending_approvals(&self) -> Result<Vec<StoredComplaint>> {
        let sql = format!(
            "SELECT {STORED} FROM v_complaints WHERE pending_approvals > 0 \
             ORDER BY received_at, id"
        );
        self.stored_all(&sql, [])
    }

    /// Complaints with an approval decided at or after `since`, most recently
    /// decided first, at most `limit` of them (the approval queue's
    /// "decided" tab; the caller picks the decisions out of each).
    pub fn decided_since(&self, since: Timestamp, limit: u32) -> Result<Vec<StoredComplaint>> {
        let sql = format!(
            "SELECT {STORED} FROM v_complaints WHERE last_decided_at >= ?1 \
             ORDER BY last_decided_at DESC, id LIMIT ?2"
        );
        self.stored_all(&sql, params![ms(since), limit])
    }

    /// Complaints whose outstanding follow-up call is due before `t`,
    /// soonest first.
    pub fn callbacks_due_before(&self, t: Timestamp) -> Result<Vec<StoredComplaint>> {
        let sql = format!(
            "SELECT {STORED} FROM v_complaints \
             WHERE callback_next_at IS NOT NULL AND callback_next_at < ?1 \
             ORDER BY callback_next_at, id"
        );
        self.stored_all(&sql, [ms(t)])
    }

    /// Every open complaint (the SLA watcher indexes them at start-up).
    pub fn open_complaints(&self) -> Result<Vec<Complaint>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, data FROM v_complaints WHERE open = 1")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let data: String = row.get(1)?;
            out.push(complaint_from_json(&id, &data)?);
        }
        Ok(out)
    }

    /// The complaints of one customer, recognised by its customer key (see
    /// [`RepeatProbe::customer_key`]; `id:` with a customer id) or by its
    /// stored (E.164) phone, that are open or were received at or after
    /// `since`, newest first, at most `limit` (the intake form's "this
    /// customer's complaints").
    pub fn customer_complaints(
        &self,
        key: Option<&str>,
        phone: Option<&str>,
        since: Timestamp,
        limit: u32,
    ) -> Result<Vec<StoredComplaint>> {
        if key.is_none() && phone.is_none() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {STORED} FROM v_complaints \
              WHERE (customer_key = ?1 OR customer_phone = ?2) \
                AND (open = 1 OR received_at >= ?3) \
              ORDER BY received_at DESC, id LIMIT ?4"
        );
        self.stored_all(&sql, params![key, phone, ms(since), limit])
    }

    /// Repeat-detection probes of every complaint of one customer (any
    /// category; [`redress_domain::repeat::detect`] filters).
    pub fn repeat_probes(&self, customer_key: &str) -> Result<Vec<RepeatProbe>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, customer_key, category, received_at FROM v_complaints
              WHERE customer_key = ?1 ORDER BY received_at, id",
        )?;
        let mut rows = stmt.query([customer_key])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(RepeatProbe {
                complaint: ComplaintId(uuid(&row.get::<_, String>(0)?)?),
                customer_key: row.get(1)?,
                category: CategoryCode::new(row.get::<_, String>(2)?),
                received_at: ts(row.get(3)?)?,
            });
        }
        Ok(out)
    }

    /// Intents not answered yet, in the order they were made.
    pub fn outbox_pending(&self) -> Result<Vec<OutboxRow>> {
        self.outbox_rows("WHERE state = 'pending' ORDER BY client_seq")
    }

    /// Intents the server refused, newest first (the sync-issues inbox).
    pub fn outbox_rejected(&self) -> Result<Vec<OutboxRow>> {
        self.outbox_rows("WHERE state = 'rejected' ORDER BY client_seq DESC")
    }

    /// Outbox rows selected and ordered by `clause` (a constant of ours).
    fn outbox_rows(&self, clause: &str) -> Result<Vec<OutboxRow>> {
        let sql = format!("SELECT {OUTBOX} FROM outbox {clause}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(outbox_row(row)?);
        }
        Ok(out)
    }

    /// One outbox row by its client sequence.
    pub fn outbox_row(&self, client_seq: i64) -> Result<Option<OutboxRow>> {
        let sql = format!("SELECT {OUTBOX} FROM outbox WHERE client_seq = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([client_seq])?;
        rows.next()?.map(outbox_row).transpose()
    }

    /// One complaint as the server last said it was (mirror only, without
    /// local changes); `None` when the server has not confirmed it yet.
    pub fn mirror_complaint(&self, id: ComplaintId) -> Result<Option<Complaint>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM complaints WHERE id = ?1")?;
        let mut rows = stmt.query([id.to_string()])?;
        match rows.next()? {
            Some(row) => {
                let data: String = row.get(0)?;
                Ok(Some(serde_json::from_str(&data)?))
            }
            None => Ok(None),
        }
    }

    /// Every complaint of the mirror (the server's state as last pulled),
    /// without local changes, in id order.
    pub fn mirror_complaints(&self) -> Result<Vec<Complaint>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM complaints ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let data: String = row.get(0)?;
            out.push(serde_json::from_str(&data)?);
        }
        Ok(out)
    }

    /// The ids of complaints with local changes staged over the mirror.
    pub fn overlay_ids(&self) -> Result<Vec<ComplaintId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM complaint_overlay ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let id = id
                .parse()
                .map_err(|_| StoreError::InvalidData(format!("overlay id {id}")))?;
            out.push(ComplaintId(id));
        }
        Ok(out)
    }

    /// The reminder inbox: reminders whose cause still needs somebody,
    /// newest first.
    pub fn reminder_inbox(&self, limit: u32) -> Result<Vec<ReminderRow>> {
        let sql = format!(
            "SELECT {REMINDER} FROM reminder_log WHERE resolved_at IS NULL
              ORDER BY fired_at DESC, key DESC LIMIT ?1"
        );
        self.reminder_rows(&sql, limit)
    }

    /// Reminders that resolved on their own, most recently resolved first.
    pub fn reminder_history(&self, limit: u32) -> Result<Vec<ReminderRow>> {
        let sql = format!(
            "SELECT {REMINDER} FROM reminder_log WHERE resolved_at IS NOT NULL
              ORDER BY resolved_at DESC, key DESC LIMIT ?1"
        );
        self.reminder_rows(&sql, limit)
    }

    /// The complaints with at least one open reminder.
    pub fn complaints_with_open_reminders(&self) -> Result<Vec<ComplaintId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT complaint_id FROM reminder_log WHERE resolved_at IS NULL",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(ComplaintId(uuid(&row.get::<_, String>(0)?)?));
        }
        Ok(out)
    }

    fn reminder_rows(&self, sql: &str, limit: u32) -> Result<Vec<ReminderRow>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query([limit])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(reminder_row(row)?);
        }
        Ok(out)
    }

    /// One logged reminder by key.
    pub fn reminder(&self, key: &str) -> Result<Option<ReminderRow>> {
        let sql = format!("SELECT {REMINDER} FROM reminder_log WHERE key = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([key])?;
        rows.next()?.map(reminder_row).transpose()
    }

    /// How many complaints the store holds, open or closed.
    pub fn complaint_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM v_complaints", [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// Reminders neither acknowledged nor snoozed (the bell's badge).
    pub fn unacked_reminders(&self) -> Result<u32> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM reminder_log
              WHERE acked_at IS NULL AND snoozed_until IS NULL AND resolved_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// A setting, `None` when it was never set.
    pub fn get_setting<T: DeserializeOwned>(&self, key: &SettingKey) -> Result<Option<T>> {
        let value: Option<String> = self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key.as_str()], |r| r.get(0))
            .optional()?;
        value
            .map(|v| {
                serde_json::from_str(&v)
                    .map_err(|e| StoreError::invalid(format!("setting {key:?}: {e}")))
            })
            .transpose()
    }

    /// The sync bookkeeping (device id, cursor, ...).
    pub fn sync_state(&self) -> Result<SyncState> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT device_id, cursor_seq, server_epoch, clock_offset_ms, last_pull_at,
                    last_push_at, last_error, local_number_seq
               FROM sync_state WHERE id = 1",
        )?;
        let mut rows = stmt.query([])?;
        let row = rows
            .next()?
            .ok_or_else(|| StoreError::not_found("sync_state", 1))?;
        Ok(SyncState {
            device_id: uuid(&row.get::<_, String>(0)?)?,
            cursor_seq: row.get(1)?,
            server_epoch: row.get(2)?,
            clock_offset_ms: row.get(3)?,
            last_pull_at: opt_ts(row.get(4)?)?,
            last_push_at: opt_ts(row.get(5)?)?,
            last_error: row.get(6)?,
            local_number_seq: row.get(7)?,
        })
    }

    fn stored_one<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
    ) -> Result<Option<StoredComplaint>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params)?;
        rows.next()?.map(stored).transpose()
    }

    fn stored_all<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
    ) -> Result<Vec<StoredComplaint>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(stored(row)?);
        }
        Ok(out)
    }
}

fn stored(row: &Row<'_>) -> Result<StoredComplaint> {
    let id: String = row.get(0)?;
    let data: String = row.get(1)?;
    Ok(StoredComplaint {
        complaint: complaint_from_json(&id, &data)?,
        pending: row.get(2)?,
    })
}

fn dashboard_row(r: &Row<'_>) -> Result<DashboardRow> {
    let text = |i: usize| r.get::<_, String>(i);
    let opt_text = |i: usize| r.get::<_, Option<String>>(i);
    // Borrowed, for values parsed rather than kept.
    let str_at = |i: usize| -> Result<&str> { Ok(r.get_ref(i)?.as_str()?) };
    let opt_str_at = |i: usize| -> Result<Option<&str>> { Ok(r.get_ref(i)?.as_str_or_null()?) };
    Ok(DashboardRow {
        id: ComplaintId(uuid(str_at(0)?)?),
        number: text(1)?,
        customer_name: text(2)?,
        customer_phone: text(3)?,
        kind: from_wire(str_at(4)?)?,
        severity: r.get(5)?,
        channel: from_wire(str_at(6)?)?,
        owner: opt_text(7)?.map(UserId),
        department: opt_text(8)?.map(DeptId),
        state: from_wire(str_at(9)?)?,
        category: CategoryCode(text(10)?),
        repeat_ordinal: r.get(11)?,
        escalated: r.get(12)?,
        public_exposure: r.get(13)?,
        next_due_at: opt_ts(r.get(14)?)?,
        next_due_kind: opt_str_at(15)?.map(from_wire).transpose()?,
        next_warn_at: opt_ts(r.get(16)?)?,
        pending: r.get(17)?,
        received_at: ts(r.get(18)?)?,
        closed_at: opt_ts(r.get(19)?)?,
        closure: match opt_str_at(20)? {
            Some(name) => Some(ClosureOutcome::from_parts(name, r.get(21)?).ok_or_else(|| {
                StoreError::invalid(format!(
                    "closure {name:?} with score {:?}",
                    r.get::<_, Option<u8>>(21)
                ))
            })?),
            None => None,
        },
    })
}

pub(crate) fn reminder_row(r: &Row<'_>) -> Result<ReminderRow> {
    let key: String = r.get(0)?;
    Ok(ReminderRow {
        key: key
            .parse()
            .map_err(|e| StoreError::invalid(format!("reminder key: {e}")))?,
        complaint_id: ComplaintId(uuid(&r.get::<_, String>(1)?)?),
        kind: from_wire(&r.get::<_, String>(2)?)?,
        at: ts(r.get(3)?)?,
        due_at: ts(r.get(4)?)?,
        fired_at: ts(r.get(5)?)?,
        title: r.get(6)?,
        body: r.get(7)?,
        acked_at: opt_ts(r.get(8)?)?,
        snoozed_until: opt_ts(r.get(9)?)?,
        resolved_at: opt_ts(r.get(10)?)?,
        resolution: r
            .get::<_, Option<String>>(11)?
            .map(|s| from_wire(&s))
            .transpose()?,
        reminder: r
            .get::<_, Option<String>>(12)?
            .map(|s| serde_json::from_str(&s))
            .transpose()?,
    })
}

fn outbox_row(r: &Row<'_>) -> Result<OutboxRow> {
    let state: String = r.get(7)?;
    let json = |s: String| -> Result<serde_json::Value> { Ok(serde_json::from_str(&s)?) };
    Ok(OutboxRow {
        client_seq: r.get(0)?,
        mutation_id: uuid(&r.get::<_, String>(1)?)?,
        author: UserId(r.get(2)?),
        name: r.get(3)?,
        args: json(r.get(4)?)?,
        occurred_at_device: ts(r.get(5)?)?,
        base_seq: r.get(6)?,
        state: OutboxState::parse(&state)
            .ok_or_else(|| StoreError::invalid(format!("outbox state {state:?}")))?,
        result: r.get::<_, Option<String>>(8)?.map(json).transpose()?,
        created_at: ts(r.get(9)?)?,
        acked_at: opt_ts(r.get(10)?)?,
    })
}

/// `?, ?, ?` for an `IN` list.
fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Escapes `%`, `_` and the escape character itself for `LIKE ... ESCAPE '\'`.
fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for ch in term.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
