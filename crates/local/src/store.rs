//! Opening the store (pragmas, integrity check, migrations) and running
//! transactions on it.

use crate::error::{Result, StoreError};
use crate::migrate::{self, SCHEMA_VERSION};
use crate::read::Reader;
use crate::write::WriteTx;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use uuid::Uuid;

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "redress.sqlite3";

/// Overrides the data directory for the desktop app and `redressctl` alike.
pub const DATA_DIR_ENV: &str = "REDRESS_DATA_DIR";

/// How long a statement waits for another process's lock before `store_busy`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The data directory named by `REDRESS_DATA_DIR`, when it is set and not
/// empty. Otherwise the caller uses the OS app-data directory.
pub fn data_dir_from_env() -> Option<PathBuf> {
    std::env::var_os(DATA_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// How a store's connection is set up, from [`LocalStore::info`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreInfo {
    pub path: PathBuf,
    pub schema_version: i64,
    pub sqlite_version: String,
    pub journal_mode: String,
    pub synchronous: String,
    pub foreign_keys: bool,
    pub busy_timeout_ms: i64,
    pub page_count: i64,
    pub page_size: i64,
}

/// The desktop's SQLite store. Synchronous: one connection behind a mutex, so
/// calls from several threads take turns; async code calls it from
/// `spawn_blocking`.
#[derive(Debug)]
pub struct LocalStore {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl LocalStore {
    /// Opens (creating if needed) `redress.sqlite3` in `dir`, creating `dir`.
    pub fn open_dir(dir: impl AsRef<Path>) -> Result<LocalStore> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        LocalStore::open(dir.join(DB_FILE))
    }

    /// Opens (creating if needed) the database at `path`: checks its
    /// integrity, refuses a schema from a newer Redress, switches to WAL, and
    /// applies pending migrations. A damaged or foreign file is refused with
    /// `store_corrupt` and never written to.
    pub fn open(path: impl AsRef<Path>) -> Result<LocalStore> {
        let path = path.as_ref().to_path_buf();
        if path.is_dir() {
            return Err(StoreError::Io {
                source: std::io::Error::other("is a directory, not a database file"),
                path,
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| at_open(&path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| at_open(&path, e))?;

        // Read-only checks first, so a foreign or damaged file is never written.
        check_integrity(&conn, &path)?;
        let found = migrate::user_version(&conn).map_err(|e| at_open(&path, e))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path,
                found,
                supported: SCHEMA_VERSION,
            });
        }

        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| at_open(&path, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Io {
                source: std::io::Error::other(format!(
                    "cannot switch to WAL (journal mode stays {mode})"
                )),
                path,
            });
        }
        // NORMAL is durable across application crashes in WAL mode (a power
        // cut may lose the last commits, never consistency). The page cache
        // (64 MiB at most, filled as pages are read) keeps the dashboard's
        // rows in memory: with the default 2 MiB, 5,000 open complaints among
        // 50,000 are re-read from the OS on every refresh (docs/performance.md).
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536;",
        )
        .map_err(|e| at_open(&path, e))?;

        let mut conn = conn;
        migrate_and_init(&mut conn, &path)?;
        Ok(LocalStore {
            conn: Mutex::new(conn),
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How the connection is set up (for `redressctl` diagnostics and tests).
    pub fn info(&self) -> Result<StoreInfo> {
        let conn = self.lock();
        let pragma = |name: &str| -> Result<i64> {
            Ok(conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?)
        };
        let journal_mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let synchronous = match pragma("synchronous")? {
            0 => "off",
            1 => "normal",
            2 => "full",
            _ => "extra",
        };
        Ok(StoreInfo {
            path: self.path.clone(),
            schema_version: pragma("user_version")?,
            sqlite_version: rusqlite::version().to_owned(),
            journal_mode,
            synchronous: synchronous.to_owned(),
            foreign_keys: pragma("foreign_keys")? == 1,
            busy_timeout_ms: pragma("busy_timeout")?,
            page_count: pragma("page_count")?,
            page_size: pragma("page_size")?,
        })
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed when `f`
    /// returns `Ok`, rolled back when it returns `Err` or panics. Waits up to
    /// the busy timeout for another process's write lock (`store_busy` after).
    pub fn write<T, E>(&self, f: impl FnOnce(&mut WriteTx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let mut wtx = WriteTx::new(tx);
        let value = f(&mut wtx)?;
        wtx.into_inner().commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Writes a complete, consistent copy of the store to `file` (SQLite's
    /// `VACUUM INTO`; the file must not exist yet). The copy opens like any
    /// data directory's `redress.db`.
    pub fn archive_to(&self, file: &Path) -> Result<()> {
        let conn = self.lock();
        let target = file.to_string_lossy().into_owned();
        conn.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    }

    /// Runs `f` on one consistent snapshot (a deferred read transaction).
    pub fn read<T, E>(&self, f: impl FnOnce(&Reader<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(StoreError::from)?;
        let value = f(&Reader::new(&tx))?;
        // Nothing was written; ending the snapshot cannot lose anything.
        tx.rollback().map_err(StoreError::from)?;
        Ok(value)
    }

    /// A panic inside a closure rolls its transaction back while unwinding,
    /// so the connection behind a poisoned mutex is still consistent.
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `PRAGMA quick_check`: the file is a database and its pages and indexes are
/// well-formed. Reads only.
fn check_integrity(conn: &Connection, path: &Path) -> Result<()> {
    let mut stmt = conn
        .prepare("PRAGMA quick_check")
        .map_err(|e| at_open(path, e))?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| at_open(path, e))?;
    match problems.as_slice() {
        [ok] if ok == "ok" => Ok(()),
        _ => Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("integrity check: {}", problems.join("; ")),
        }),
    }
}

/// Migrates inside one immediate transaction (re-reading the version under
/// the lock, as another process may have migrated meanwhile) and creates the
/// sync-state row with a new device id on first open.
fn migrate_and_init(conn: &mut Connection, path: &Path) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| at_open(path, e))?;
    let found = migrate::user_version(&tx)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    migrate::apply(&tx, found)?;
    tx.execute(
        "INSERT INTO sync_state (id, device_id) VALUES (1, ?1) ON CONFLICT (id) DO NOTHING",
        [Uuid::now_v7().to_string()],
    )?;
    tx.commit().map_err(|e| at_open(path, e))?;
    Ok(())
}

/// Errors while opening: a file SQLite cannot read as a database is corrupt;
/// one it cannot open at all is an IO error.
fn at_open(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        Some(
            ErrorCode::CannotOpen
            | ErrorCode::PermissionDenied
            | ErrorCode::ReadOnly
            | ErrorCode::SystemIoFailure
            | ErrorCode::DiskFull,
        ) => StoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        },
        _ => StoreError::from(e),
    }
}
