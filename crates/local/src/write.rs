//! Writes, inside one `BEGIN IMMEDIATE` transaction ([`LocalStore::write`]).
//!
//! [`LocalStore::write`]: crate::LocalStore::write

use crate::columns::{PROJECTED, Projection, ms};
use crate::error::{Result, StoreError};
use crate::keys::SettingKey;
use crate::read::{REMINDER, Reader, reminder_row};
use crate::types::{OutboxEntry, OutboxState, ReminderRow};
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::complaint::Complaint;
use redress_domain::ids::ComplaintId;
use redress_domain::planner::{Reminder, ReminderKey, ReminderResolution};
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};
use serde::Serialize;
use std::sync::LazyLock;

/// The result stored on an outbox row settled locally (standalone mode).
const LOCAL_APPLIED: &str = r#"{"status":"applied","local":true}"#;

/// Mirror upsert: the projection plus version, last_seq and updated_at.
static PUT_MIRROR: LazyLock<String> = LazyLock::new(|| {
    let cols = PROJECTED.join(", ");
    let n = PROJECTED.len();
    let values: Vec<String> = (1..=n + 3).map(|i| format!("?{i}")).collect();
    let updates: Vec<String> = PROJECTED
        .iter()
        .skip(1)
        .chain(&["version", "last_seq", "updated_at"])
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO complaints ({cols}, version, last_seq, updated_at) VALUES ({}) \
         ON CONFLICT (id) DO UPDATE SET {}",
        values.join(", "),
        updates.join(", ")
    )
});

/// Overlay upsert: the projection plus client_seq and updated_at; version and
/// last_seq are those of the mirror row it was staged on (0 for a new one).
static STAGE: LazyLock<String> = LazyLock::new(|| {
    let cols = PROJECTED.join(", ");
    let n = PROJECTED.len();
    let values: Vec<String> = (1..=n + 2).map(|i| format!("?{i}")).collect();
    let updates: Vec<String> = PROJECTED
        .iter()
        .skip(1)
        .chain(&["client_seq", "updated_at", "version", "last_seq"])
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO complaint_overlay ({cols}, client_seq, updated_at, version, last_seq) \
         VALUES ({}, \
                 coalesce((SELECT version FROM complaints WHERE id = ?1), 0), \
                 coalesce((SELECT last_seq FROM complaints WHERE id = ?1), 0)) \
         ON CONFLICT (id) DO UPDATE SET {}",
        values.join(", "),
        updates.join(", ")
    )
});

/// Standalone settle: the overlay row becomes the mirror row, one version up.
static SETTLE: LazyLock<String> = LazyLock::new(|| {
    let cols = PROJECTED.join(", ");
    let updates: Vec<String> = PROJECTED
        .iter()
        .skip(1)
        .chain(&["last_seq", "updated_at"])
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO complaints ({cols}, version, last_seq, updated_at) \
         SELECT {cols}, version + 1, ?2, ?3 FROM complaint_overlay WHERE id = ?1 AND client_seq <= ?2 \
         ON CONFLICT (id) DO UPDATE SET version = complaints.version + 1, {}",
        updates.join(", ")
    )
});

/// A write transaction. Dropped without [`LocalStore::write`] committing it
/// (the closure returned `Err` or panicked), it rolls back.
///
/// [`LocalStore::write`]: crate::LocalStore::write
#[derive(Debug)]
pub struct WriteTx<'conn> {
    tx: Transaction<'conn>,
}

impl<'conn> WriteTx<'conn> {
    pub(crate) fn new(tx: Transaction<'conn>) -> WriteTx<'conn> {
        WriteTx { tx }
    }

    pub(crate) fn into_inner(self) -> Transaction<'conn> {
        self.tx
    }

    /// Reads inside this transaction (they see its own writes).
    pub fn reader(&self) -> Reader<'_> {
        Reader::new(&self.tx)
    }

    /// Stages the complaint as local commands left it (overlay upsert), made
    /// by outbox row `client_seq`. Reads show it, `pending`, until the server
    /// confirms or rejects it.
    pub fn stage_complaint(&mut self, c: &Complaint, rules: &Rules, client_seq: i64) -> Result<()> {
        let p = Projection::of(c, rules)?;
        let now = ms(Timestamp::now());
        let mut stmt = self.tx.prepare_cached(&STAGE)?;
        let extra: [&dyn rusqlite::ToSql; 2] = [&client_seq, &now];
        stmt.execute(params_from_iter(p.params().into_iter().chain(extra)))?;
        Ok(())
    }

    /// Writes the authoritative state of a complaint (mirror upsert): a sync
    /// pull, in server order, or a standalone settle. The overlay is not
    /// touched.
    pub fn put_mirror(
        &mut self,
        c: &Complaint,
        rules: &Rules,
        version: i64,
        last_seq: i64,
    ) -> Result<()> {
        let p = Projection::of(c, rules)?;
        let now = ms(Timestamp::now());
        let mut stmt = self.tx.prepare_cached(&PUT_MIRROR)?;
        let extra: [&dyn rusqlite::ToSql; 3] = [&version, &last_seq, &now];
        stmt.execute(params_from_iter(p.params().into_iter().chain(extra)))?;
        Ok(())
    }

    /// Drops the overlay row of a complaint; `false` when there was none.
    pub fn clear_overlay(&mut self, id: ComplaintId) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached("DELETE FROM complaint_overlay WHERE id = ?1")?
            .execute([id.to_string()])?;
        Ok(n > 0)
    }

    /// Appends an intent to the outbox and returns its `client_seq`. A
    /// repeated `mutation_id` is refused (`invalid_data`).
    pub fn enqueue(&mut self, e: &OutboxEntry) -> Result<i64> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO outbox (mutation_id, author_user_id, name, args, occurred_at_device,
                                 base_seq, state, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)",
        )?;
        stmt.execute(params![
            e.mutation_id.to_string(),
            e.author.as_str(),
            e.name,
            serde_json::to_string(&e.args)?,
            ms(e.occurred_at_device),
            e.base_seq,
            ms(Timestamp::now()),
        ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Records the answer to an intent. `acked_at` is set when it leaves
    /// `pending`.
    pub fn mark_outbox(
        &mut self,
        client_seq: i64,
        state: OutboxState,
        result: &serde_json::Value,
    ) -> Result<()> {
        let acked = (state != OutboxState::Pending).then(|| ms(Timestamp::now()));
        let n = self
            .tx
            .prepare_cached(
                "UPDATE outbox SET state = ?2, result = ?3, acked_at = ?4 WHERE client_seq = ?1",
            )?
            .execute(params![
                client_seq,
                state.as_str(),
                serde_json::to_string(result)?,
                acked
            ])?;
        if n == 0 {
            return Err(StoreError::not_found("outbox row", client_seq));
        }
        Ok(())
    }

    /// Standalone mode (no server): the change made by outbox row
    /// `client_seq` is final. The overlay row becomes the mirror row (one
    /// version up) unless a later local change was staged on top of it (that
    /// one's settle moves it), and the outbox row is marked applied with
    /// `{"status":"applied","local":true}`.
    pub fn settle_local(&mut self, client_seq: i64, complaint_id: ComplaintId) -> Result<()> {
        let id = complaint_id.to_string();
        let moved = self.tx.prepare_cached(&SETTLE)?.execute(params![
            id,
            client_seq,
            ms(Timestamp::now())
        ])?;
        if moved > 0 {
            self.tx
                .prepare_cached("DELETE FROM complaint_overlay WHERE id = ?1")?
                .execute([&id])?;
        }
        let applied: serde_json::Value = serde_json::from_str(LOCAL_APPLIED)?;
        self.mark_outbox(client_seq, OutboxState::Applied, &applied)
    }

    /// Puts answered intents after `after_seq` back to `pending`, answer
    /// and acknowledgement cleared, keeping their seqs and mutation ids: the
    /// server they were settled on lost them (restored from a backup), so
    /// they are pushed again. Returns how many rows changed.
    pub fn requeue_outbox_after(&mut self, after_seq: i64) -> Result<usize> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE outbox SET state = 'pending', result = NULL, acked_at = NULL
                  WHERE client_seq > ?1 AND state <> 'pending'",
            )?
            .execute([after_seq])?;
        Ok(n)
    }

    /// Forgets everything a standalone console recorded (complaints, local
    /// changes, reminders) and its local numbering, keeping the settings and
    /// the device id: the store is then as fresh as a new one and may join a
    /// server. The caller archives the store first. Returns how many
    /// complaints were forgotten.
    pub fn forget_standalone_history(&mut self) -> Result<usize> {
        // Whatever refers to a complaint or an intent goes first.
        self.tx.execute("DELETE FROM reminder_log", [])?;
        self.tx.execute("DELETE FROM complaint_overlay", [])?;
        self.tx.execute("DELETE FROM outbox", [])?;
        let complaints = self.tx.execute("DELETE FROM complaints", [])?;
        self.tx.execute(
            "UPDATE sync_state SET cursor_seq = 0, local_number_seq = 0, last_pull_at = NULL, \
             last_push_at = NULL, last_error = NULL WHERE id = 1",
            [],
        )?;
        Ok(complaints)
    }

    /// Forgets the mirror so the next pull rebuilds it from cursor 0 (the
    /// server's sequence started over). The complaints in `keep`, each with
    /// the outbox row that last touches it, stay visible as overlay rows
    /// (an overlay row already there wins) until the server confirms them
    /// again. Returns how many mirror rows were dropped.
    pub fn restart_mirror(&mut self, keep: &[(ComplaintId, i64)]) -> Result<usize> {
        let cols = PROJECTED.join(", ");
        let copy = format!(
            "INSERT INTO complaint_overlay ({cols}, version, last_seq, updated_at, client_seq) \
             SELECT {cols}, version, last_seq, ?2, ?3 FROM complaints WHERE id = ?1 \
             ON CONFLICT (id) DO NOTHING"
        );
        let now = ms(Timestamp::now());
        for (id, client_seq) in keep {
            self.tx
                .prepare(&copy)?
                .execute(params![id.to_string(), now, client_seq])?;
        }
        let dropped = self.tx.execute("DELETE FROM complaints", [])?;
        self.tx.execute(
            "UPDATE sync_state SET cursor_seq = 0, last_pull_at = NULL WHERE id = 1",
            [],
        )?;
        Ok(dropped)
    }

    /// Gives this desktop a new device id (its database was copied or
    /// restored and the server saw the same seqs from another copy). The
    /// next sign-in registers it.
    pub fn set_device_id(&mut self, device_id: uuid::Uuid) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE sync_state SET device_id = ?1 WHERE id = 1")?
            .execute([device_id.to_string()])?;
        Ok(())
    }

    /// Records a finished pull: the new cursor (the last server sequence
    /// applied to the mirror) and when it happened.
    pub fn set_sync_cursor(&mut self, cursor_seq: i64, at: Timestamp) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE sync_state SET cursor_seq = ?1, last_pull_at = ?2 WHERE id = 1",
            )?
            .execute(params![cursor_seq, ms(at)])?;
        Ok(())
    }

    /// Records a push that reached the server, or (with `error`) one that did
    /// not.
    pub fn note_push(&mut self, at: Timestamp, error: Option<&str>) -> Result<()> {
        match error {
            Some(e) => self
                .tx
                .prepare_cached("UPDATE sync_state SET last_error = ?1 WHERE id = 1")?
                .execute([e])?,
            None => self
                .tx
                .prepare_cached(
                    "UPDATE sync_state SET last_push_at = ?1, last_error = NULL WHERE id = 1",
                )?
                .execute([ms(at)])?,
        };
        Ok(())
    }

    /// The next standalone complaint number, `TS-<year>-<6 digits>`, from the
    /// device's counter; numbers already present are skipped.
    pub fn next_local_number(&mut self, year: i16) -> Result<String> {
        loop {
            let seq: i64 = self.tx.query_row(
                "UPDATE sync_state SET local_number_seq = local_number_seq + 1 WHERE id = 1
                 RETURNING local_number_seq",
                [],
                |r| r.get(0),
            )?;
            let number = format!("TS-{year:04}-{seq:06}");
            let taken = self
                .tx
                .prepare_cached("SELECT 1 FROM v_complaints WHERE number = ?1")?
                .query_row([&number], |_| Ok(()))
                .optional()?
                .is_some();
            if !taken {
                return Ok(number);
            }
        }
    }

    /// Logs a reminder as shown at `fired_at`. Returns `false`, changing
    /// nothing, when its key was logged before: a reminder fires once. A
    /// new one supersedes the open reminders about the same cause (one open
    /// reminder per cause). `title` and `body` are the text as first shown;
    /// screens render it again from the reminder in their language.
    pub fn record_reminder(
        &mut self,
        r: &Reminder,
        fired_at: Timestamp,
        title: &str,
        body: &str,
    ) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached(
                "INSERT INTO reminder_log (key, complaint_id, kind, at, due_at, fired_at, title, body,
                                           reminder)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (key) DO NOTHING",
            )?
            .execute(params![
                r.key.to_string(),
                r.complaint.to_string(),
                r.kind.as_str(),
                ms(r.at),
                ms(r.due_at),
                ms(fired_at),
                title,
                body,
                serde_json::to_string(r)?,
            ])?;
        if n == 0 {
            return Ok(false);
        }
        for other in self.open_reminder_keys(r.complaint)? {
            if other != r.key && other.same_cause(&r.key) {
                self.resolve_reminder(&other, fired_at, ReminderResolution::Superseded)?;
            }
        }
        Ok(true)
    }

    /// The keys of a complaint's open (unresolved) reminders.
    pub fn open_reminder_keys(&mut self, complaint: ComplaintId) -> Result<Vec<ReminderKey>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT key FROM reminder_log WHERE complaint_id = ?1 AND resolved_at IS NULL",
        )?;
        let mut rows = stmt.query([complaint.to_string()])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let key: String = row.get(0)?;
            out.push(
                key.parse()
                    .map_err(|e| StoreError::invalid(format!("reminder key: {e}")))?,
            );
        }
        Ok(out)
    }

    /// Moves an open reminder to history: its cause no longer needs anybody.
    /// A snooze ends with it. Resolving twice keeps the first resolution.
    pub fn resolve_reminder(
        &mut self,
        key: &ReminderKey,
        at: Timestamp,
        how: ReminderResolution,
    ) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE reminder_log SET resolved_at = ?2, resolution = ?3, snoozed_until = NULL
                  WHERE key = ?1 AND resolved_at IS NULL",
            )?
            .execute(params![key.to_string(), ms(at), how.as_str()])?;
        Ok(n > 0)
    }

    /// Acknowledges a reminder (the first acknowledgement's time is kept) and
    /// ends a snooze.
    pub fn ack_reminder(&mut self, key: &ReminderKey, at: Timestamp) -> Result<()> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE reminder_log SET acked_at = coalesce(acked_at, ?2), snoozed_until = NULL
                  WHERE key = ?1",
            )?
            .execute(params![key.to_string(), ms(at)])?;
        if n == 0 {
            return Err(StoreError::not_found("reminder", key));
        }
        Ok(())
    }

    /// Snoozes a reminder until `until`: it leaves the unacknowledged count
    /// and comes back, unacknowledged, through [`WriteTx::take_snoozed_due`].
    pub fn snooze_reminder(&mut self, key: &ReminderKey, until: Timestamp) -> Result<()> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE reminder_log SET snoozed_until = ?2, acked_at = NULL WHERE key = ?1",
            )?
            .execute(params![key.to_string(), ms(until)])?;
        if n == 0 {
            return Err(StoreError::not_found("reminder", key));
        }
        Ok(())
    }

    /// The snoozed reminders whose time came by `now`, un-snoozed (to show
    /// again), in the order they were first shown.
    pub fn take_snoozed_due(&mut self, now: Timestamp) -> Result<Vec<ReminderRow>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "UPDATE reminder_log SET snoozed_until = NULL
                  WHERE snoozed_until IS NOT NULL AND snoozed_until <= ?1
                    AND resolved_at IS NULL
                 RETURNING {REMINDER}"
        ))?;
        let mut rows = stmt.query([ms(now)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(reminder_row(row)?);
        }
        out.sort_by_key(|r| (r.fired_at, r.key));
        Ok(out)
    }

    /// Stores a setting as JSON.
    pub fn set_setting<T: Serialize + ?Sized>(
        &mut self,
        key: &SettingKey,
        value: &T,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key.as_str(), serde_json::to_string(value)?])?;
        Ok(())
    }

    /// Removes a setting; `false` when it was not set.
    pub fn remove_setting(&mut self, key: &SettingKey) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached("DELETE FROM settings WHERE key = ?1")?
            .execute([key.as_str()])?;
        Ok(n > 0)
    }
}
