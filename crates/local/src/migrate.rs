//! Numbered schema migrations, guarded by `PRAGMA user_version`.
//!
//! Migration `N` lives in `migrations/000N_<name>.sql` and brings the schema
//! from version `N - 1` to `N`. All pending migrations run in one
//! `BEGIN IMMEDIATE` transaction together with the `user_version` update, so a
//! crash leaves the old schema or the new one, never a mix. Files are never
//! edited once released: a change is a new file.

use crate::error::Result;
use rusqlite::Connection;

/// The migrations, in order; the n-th (1-based) brings the schema to version n.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    (
        "0002_reminder_causes",
        include_str!("../migrations/0002_reminder_causes.sql"),
    ),
    (
        "0003_decisions",
        include_str!("../migrations/0003_decisions.sql"),
    ),
    (
        "0004_closure",
        include_str!("../migrations/0004_closure.sql"),
    ),
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies the migrations after `from` inside the caller's transaction and
/// sets `user_version`. Returns how many ran.
pub(crate) fn apply(conn: &Connection, from: i64) -> Result<usize> {
    let mut ran = 0;
    for (index, (_name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= from {
            continue;
        }
        conn.execute_batch(sql)?;
        ran += 1;
    }
    if ran > 0 {
        // PRAGMA takes no bound parameters; the value is our own constant.
        conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
    }
    Ok(ran)
}
