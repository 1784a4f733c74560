//! [`ConfigStore`] on the SQLite server store (tables from migration 0005).

use crate::config::{ConfigLedger, ConfigStore, VersionRow};
use crate::error::{StoreError, db};
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::ids::UserId;
use redress_protocol::DeviceId;
use redress_protocol::admin::{AuditEntry, ConfigVersion};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::Value;
use uuid::Uuid;

type Result<T, E = StoreError> = std::result::Result<T, E>;

const VERSION_COLUMNS: &str =
    "version, digest, author, device_id, created_at, effective_from, note";

fn time(text: &str) -> Result<Timestamp> {
    text.parse().map_err(StoreError::corrupt)
}

fn device(text: Option<String>) -> Result<Option<DeviceId>> {
    text.map(|t| {
        Uuid::parse_str(&t)
            .map(DeviceId)
            .map_err(StoreError::corrupt)
    })
    .transpose()
}

fn json(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(StoreError::corrupt)
}

/// The seven version columns, read as text.
type VersionText = (i64, String, String, Option<String>, String, String, String);

fn read_version(r: &rusqlite::Row<'_>) -> rusqlite::Result<VersionText> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn into_version(
    (version, digest, author, device_id, created_at, effective_from, note): VersionText,
) -> Result<ConfigVersion> {
    Ok(ConfigVersion {
        version,
        digest,
        author: UserId::new(author),
        device: device(device_id)?,
        created_at: time(&created_at)?,
        effective_from: time(&effective_from)?,
        note,
    })
}

struct Tx<'a>(&'a Connection);

impl ConfigLedger for Tx<'_> {
    fn latest_version(&mut self) -> Result<i64> {
        self.0
            .query_row(
                "SELECT coalesce(max(version), 0) FROM config_versions",
                [],
                |r| r.get(0),
            )
            .map_err(db)
    }

    fn insert_version(&mut self, row: &VersionRow) -> Result<()> {
        let v = &row.version;
        self.0
            .execute(
                "INSERT INTO config_versions (version, document, digest, author, device_id,
                                              created_at, effective_from, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    v.version,
                    row.document,
                    v.digest,
                    v.author.as_str(),
                    v.device.map(|d| d.0.to_string()),
                    v.created_at.to_string(),
                    v.effective_from.to_string(),
                    v.note,
                ],
            )
            .map(|_| ())
            .map_err(db)
    }

    fn last_audit(&mut self) -> Result<Option<(i64, String)>> {
        self.0
            .query_row(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(db)
    }

    fn insert_audit(&mut self, e: &AuditEntry) -> Result<()> {
        self.0
            .execute(
                "INSERT INTO audit_log (seq, at, actor, device_id, action, subject, before,
                                        after, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    e.seq,
                    e.at.to_string(),
                    e.actor.as_str(),
                    e.device.map(|d| d.0.to_string()),
                    e.action,
                    e.subject,
                    e.before.to_string(),
                    e.after.to_string(),
                    e.prev_hash,
                    e.hash,
                ],
            )
            .map(|_| ())
            .map_err(db)
    }
}

impl ConfigStore for SqliteStore {
    fn config_tx(
        &self,
        f: &mut dyn FnMut(&mut dyn ConfigLedger) -> Result<Value>,
    ) -> Result<Value> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let value = f(&mut Tx(&tx))?;
        tx.commit().map_err(db)?;
        Ok(value)
    }

    fn config_versions(&self) -> Result<Vec<ConfigVersion>> {
        let conn = self.read()?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {VERSION_COLUMNS} FROM config_versions ORDER BY version DESC"
            ))
            .map_err(db)?;
        let rows = stmt
            .query_map([], read_version)
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        rows.into_iter().map(into_version).collect()
    }

    fn config_row(&self, version: i64) -> Result<Option<VersionRow>> {
        let conn = self.read()?;
        let row = conn
            .query_row(
                &format!(
                    "SELECT {VERSION_COLUMNS}, document FROM config_versions WHERE version = ?1"
                ),
                [version],
                |r| Ok((read_version(r)?, r.get::<_, String>(7)?)),
            )
            .optional()
            .map_err(db)?;
        row.map(|(v, document)| {
            Ok(VersionRow {
                version: into_version(v)?,
                document,
            })
        })
        .transpose()
    }

    fn config_in_force(&self, now: Timestamp) -> Result<Option<i64>> {
        // Text times compare as instants only when written alike, so the
        // comparison happens here rather than in SQL; versions are few.
        let conn = self.read()?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT version, effective_from FROM config_versions ORDER BY version DESC",
            )
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let version: i64 = r.get(0).map_err(db)?;
            let from: String = r.get(1).map_err(db)?;
            if time(&from)? <= now {
                return Ok(Some(version));
            }
        }
        Ok(None)
    }

    fn audit_page(&self, after: i64, limit: u32) -> Result<Vec<AuditEntry>> {
        let conn = self.read()?;
        let mut stmt = conn
            .prepare(
                "SELECT seq, at, actor, device_id, action, subject, before, after, prev_hash, hash
                 FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )
            .map_err(db)?;
        type Row = (
            i64,
            String,
            String,
            Option<String>,
            String,
            String,
            String,
            String,
            String,
            String,
        );
        let rows = stmt
            .query_map(params![after, limit], |r| {
                Ok::<Row, _>((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            })
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        rows.into_iter()
            .map(
                |(seq, at, actor, device_id, action, subject, before, after, prev_hash, hash)| {
                    Ok(AuditEntry {
                        seq,
                        at: time(&at)?,
                        actor: UserId::new(actor),
                        device: device(device_id)?,
                        action,
                        subject,
                        before: json(&before)?,
                        after: json(&after)?,
                        prev_hash,
                        hash,
                    })
                },
            )
            .collect()
    }
}
