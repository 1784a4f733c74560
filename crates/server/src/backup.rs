//! Backups of a SQLite server database, restores, and new epochs.
//!
//! - [`backup`] writes a consistent copy of a database while a server is
//!   serving it: `VACUUM INTO` reads one snapshot (WAL lets the server go on
//!   writing meanwhile) and writes it compacted into a new file. It was
//!   chosen over the page-by-page backup API because one statement gives
//!   one snapshot without restarts under a busy writer, and the copy comes
//!   out compact.
//! - [`restore`] puts a backup in place of a database that no server has
//!   open, and gives it a new epoch: desktops then know their state came
//!   from another lineage of the database (sync design §12).
//! - [`new_epoch`] gives any database (SQLite or PostgreSQL, after a
//!   `pg_restore`) a new epoch.

use crate::error::StoreError;
use crate::open::AnyStore;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// What went wrong, with a stable code.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The backup target exists already; a backup never overwrites.
    #[error("{0} exists already; back up into a new file")]
    TargetExists(PathBuf),
    /// The file is not a Redress server database.
    #[error("{path} is not a Redress server database: {reason}")]
    NotADatabase { path: PathBuf, reason: String },
    /// A server (or another program) has the database open.
    #[error("{0} is in use; stop the server before restoring")]
    InUse(PathBuf),
    /// The operation needs a SQLite file.
    #[error("{0}")]
    NotSqlite(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl BackupError {
    /// The stable code the command line prints.
    pub fn code(&self) -> &'static str {
        match self {
            BackupError::TargetExists(_) => "target_exists",
            BackupError::NotADatabase { .. } => "not_a_database",
            BackupError::InUse(_) => "database_in_use",
            BackupError::NotSqlite(_) => "not_sqlite",
            BackupError::Store(e) => e.code().as_str(),
            BackupError::Sqlite { .. } | BackupError::Io { .. } => "backup_failed",
        }
    }

    /// A mistake in what was asked, rather than a failure on the way.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            BackupError::TargetExists(_)
                | BackupError::NotADatabase { .. }
                | BackupError::InUse(_)
                | BackupError::NotSqlite(_)
        )
    }
}

fn sqlite_err(path: &Path) -> impl Fn(rusqlite::Error) -> BackupError + '_ {
    move |source| BackupError::Sqlite {
        path: path.to_owned(),
        source,
    }
}

/// The epoch of a Redress database file, checking that it is one.
fn epoch_of(conn: &Connection, path: &Path) -> Result<Uuid, BackupError> {
    let not = |reason: String| BackupError::NotADatabase {
        path: path.to_owned(),
        reason,
    };
    let epoch: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'epoch'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| not(e.to_string()))?;
    epoch
        .ok_or_else(|| not("it has no epoch".to_owned()))?
        .parse()
        .map_err(|e: uuid::Error| not(e.to_string()))
}

/// Writes a consistent copy of the SQLite database at `db` into `to`,
/// which must not exist; returns the copy's epoch (the database's).
pub fn backup(db: &Path, to: &Path) -> Result<Uuid, BackupError> {
    if to.exists() {
        return Err(BackupError::TargetExists(to.to_owned()));
    }
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite_err(db))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(sqlite_err(db))?;
    let epoch = epoch_of(&conn, db)?;
    let target = to
        .to_str()
        .ok_or_else(|| BackupError::NotSqlite(format!("{} is not a UTF-8 path", to.display())))?;
    conn.execute("VACUUM INTO ?1", [target])
        .map_err(sqlite_err(db))?;
    // VACUUM INTO does not flush what it wrote: a backup is not done until
    // it is on the disk.
    sync_file(to)?;
    Ok(epoch)
}

/// Flushes a file, and the directory that names it, to the disk.
fn sync_file(path: &Path) -> Result<(), BackupError> {
    let io = |source| BackupError::Io {
        path: path.to_owned(),
        source,
    };
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io)?;
    }
    Ok(())
}

/// Replaces the SQLite database at `db` with the backup `from`, under a
/// new epoch, which it returns. Refuses while anything has `db` open.
pub fn restore(from: &Path, db: &Path) -> Result<Uuid, BackupError> {
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(sqlite_err(from))?;
    epoch_of(&source, from)?;
    if db.exists() {
        ensure_unused(db)?;
    }
    // Copy beside the target, give the copy its new epoch, then move it
    // into place in one rename, so a failure leaves the old file intact.
    let staging = db.with_extension("restoring");
    let _ = std::fs::remove_file(&staging);
    let target = staging.to_str().ok_or_else(|| {
        BackupError::NotSqlite(format!("{} is not a UTF-8 path", staging.display()))
    })?;
    source
        .execute("VACUUM INTO ?1", [target])
        .map_err(sqlite_err(from))?;
    drop(source);
    let epoch = Uuid::now_v7();
    {
        let copy = Connection::open(&staging).map_err(sqlite_err(&staging))?;
        copy.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'epoch'",
            [epoch.to_string()],
        )
        .map_err(sqlite_err(&staging))?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", db.display()));
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(BackupError::Io { path: side, source }),
        }
    }
    sync_file(&staging)?;
    std::fs::rename(&staging, db).map_err(|source| BackupError::Io {
        path: db.to_owned(),
        source,
    })?;
    sync_file(db)?;
    Ok(epoch)
}

/// Fails with [`BackupError::InUse`] when another connection has `db`
/// open: an exclusive lock on a WAL database needs every other connection
/// gone.
fn ensure_unused(db: &Path) -> Result<(), BackupError> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(sqlite_err(db))?;
    // Answer at once rather than wait for the other connections to go.
    conn.busy_timeout(std::time::Duration::ZERO)
        .map_err(sqlite_err(db))?;
    let locked = conn
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .and_then(|()| conn.query_row("SELECT COUNT(*) FROM meta", [], |r| r.get::<_, i64>(0)));
    match locked {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            Err(BackupError::InUse(db.to_owned()))
        }
        Err(e) => Err(sqlite_err(db)(e)),
    }
}

/// Gives the database at `db` (a SQLite file or a PostgreSQL URL) a new
/// epoch, e.g. after `pg_restore`; returns it. Stop the servers first:
/// a running PostgreSQL server reads the epoch once, at start.
pub fn new_epoch(db: &Path) -> Result<Uuid, BackupError> {
    let store = AnyStore::open(db, redress_domain::Rules::default())?;
    Ok(store.renew_epoch()?)
}
