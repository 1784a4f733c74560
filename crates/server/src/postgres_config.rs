//! [`ConfigStore`] on the PostgreSQL server store (tables from migration
//! 0005 under `migrations/postgres`).

use crate::config::{ConfigLedger, ConfigStore, VersionRow};
use crate::error::StoreError;
use crate::postgres::PgStore;
use ::postgres::{Row, Transaction};
use jiff::Timestamp;
use redress_domain::ids::UserId;
use redress_protocol::DeviceId;
use redress_protocol::admin::{AuditEntry, ConfigVersion};
use serde_json::Value;
use uuid::Uuid;

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The advisory lock every writer of versions and audit entries takes, so
/// two server processes on one database number and chain them one after
/// the other.
const CONFIG_LOCK: i64 = 0x5245_4452_4553_5303;

const VERSION_COLUMNS: &str =
    "version, digest, author, device_id, created_at, effective_from, note";

fn read_version(row: &Row) -> Result<ConfigVersion> {
    Ok(ConfigVersion {
        version: row.try_get(0)?,
        digest: row.try_get(1)?,
        author: UserId::new(row.try_get::<_, String>(2)?),
        device: row.try_get::<_, Option<Uuid>>(3)?.map(DeviceId),
        created_at: row.try_get(4)?,
        effective_from: row.try_get(5)?,
        note: row.try_get(6)?,
    })
}

fn json(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(StoreError::corrupt)
}

struct Tx<'a, 'b>(&'a mut Transaction<'b>);

impl ConfigLedger for Tx<'_, '_> {
    fn latest_version(&mut self) -> Result<i64> {
        Ok(self
            .0
            .query_one("SELECT coalesce(max(version), 0) FROM config_versions", &[])?
            .try_get(0)?)
    }

    fn insert_version(&mut self, row: &VersionRow) -> Result<()> {
        let v = &row.version;
        self.0.execute(
            "INSERT INTO config_versions (version, document, digest, author, device_id,
                                          created_at, effective_from, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &v.version,
                &row.document,
                &v.digest,
                &v.author.as_str(),
                &v.device.map(|d| d.0),
                &v.created_at,
                &v.effective_from,
                &v.note,
            ],
        )?;
        Ok(())
    }

    fn last_audit(&mut self) -> Result<Option<(i64, String)>> {
        self.0
            .query_opt(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                &[],
            )?
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .transpose()
    }

    fn insert_audit(&mut self, e: &AuditEntry) -> Result<()> {
        self.0.execute(
            "INSERT INTO audit_log (seq, at, actor, device_id, action, subject, before,
                                    after, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                &e.seq,
                &e.at.to_string(),
                &e.actor.as_str(),
                &e.device.map(|d| d.0),
                &e.action,
                &e.subject,
                &e.before.to_string(),
                &e.after.to_string(),
                &e.prev_hash,
                &e.hash,
            ],
        )?;
        Ok(())
    }
}

impl ConfigStore for PgStore {
    fn config_tx(
        &self,
        f: &mut dyn FnMut(&mut dyn ConfigLedger) -> Result<Value>,
    ) -> Result<Value> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CONFIG_LOCK])?;
        let value = f(&mut Tx(&mut tx))?;
        tx.commit()?;
        Ok(value)
    }

    fn config_versions(&self) -> Result<Vec<ConfigVersion>> {
        let mut conn = self.conn()?;
        conn.query(
            &format!("SELECT {VERSION_COLUMNS} FROM config_versions ORDER BY version DESC"),
            &[],
        )?
        .iter()
        .map(read_version)
        .collect()
    }

    fn config_row(&self, version: i64) -> Result<Option<VersionRow>> {
        let mut conn = self.conn()?;
        conn.query_opt(
            &format!("SELECT {VERSION_COLUMNS}, document FROM config_versions WHERE version = $1"),
            &[&version],
        )?
        .map(|row| {
            Ok(VersionRow {
                version: read_version(&row)?,
                document: row.try_get(7)?,
            })
        })
        .transpose()
    }

    fn config_in_force(&self, now: Timestamp) -> Result<Option<i64>> {
        let mut conn = self.conn()?;
        Ok(conn
            .query_one(
                "SELECT max(version) FROM config_versions WHERE effective_from <= $1",
                &[&now],
            )?
            .try_get(0)?)
    }

    fn audit_page(&self, after: i64, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut conn = self.conn()?;
        conn.query(
            "SELECT seq, at, actor, device_id, action, subject, before, after, prev_hash, hash
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&after, &i64::from(limit)],
        )?
        .iter()
        .map(|r| {
            Ok(AuditEntry {
                seq: r.try_get(0)?,
                at: r
                    .try_get::<_, String>(1)?
                    .parse()
                    .map_err(StoreError::corrupt)?,
                actor: UserId::new(r.try_get::<_, String>(2)?),
                device: r.try_get::<_, Option<Uuid>>(3)?.map(DeviceId),
                action: r.try_get(4)?,
                subject: r.try_get(5)?,
                before: json(&r.try_get::<_, String>(6)?)?,
                after: json(&r.try_get::<_, String>(7)?)?,
                prev_hash: r.try_get(8)?,
                hash: r.try_get(9)?,
            })
        })
        .collect()
    }
}
