//! [`AccountStore`] on the SQLite server store (tables from migrations 0002
//! and 0003).

use crate::accounts::{
    AccountStore, NewSession, NewUser, Session, TokenHash, User, UserKind, parse_role, role_name,
};
use crate::error::{StoreError, db};
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::ids::UserId;
use redress_protocol::DeviceId;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

type Result<T, E = StoreError> = std::result::Result<T, E>;

const USER_COLUMNS: &str =
    "u.name, u.role, u.approval_limit_minor, u.password_hash, u.disabled, u.created_at, u.kind";

/// A users row as read, before its text columns are parsed.
struct UserRow {
    name: String,
    role: String,
    approval_limit_minor: Option<i64>,
    password_hash: String,
    disabled: bool,
    created_at: String,
    kind: String,
}

impl UserRow {
    /// Reads the seven user columns starting at column `at`.
    fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<UserRow> {
        Ok(UserRow {
            name: r.get(at)?,
            role: r.get(at + 1)?,
            approval_limit_minor: r.get(at + 2)?,
            password_hash: r.get(at + 3)?,
            disabled: r.get(at + 4)?,
            created_at: r.get(at + 5)?,
            kind: r.get(at + 6)?,
        })
    }

    fn into_user(self) -> Result<User> {
        Ok(User {
            role: parse_role(&self.role)
                .ok_or_else(|| StoreError::corrupt(format!("unknown role {}", self.role)))?,
            name: UserId::new(self.name),
            kind: UserKind::parse(&self.kind)
                .ok_or_else(|| StoreError::corrupt(format!("unknown user kind {}", self.kind)))?,
            approval_limit_minor: self.approval_limit_minor,
            password_hash: self.password_hash,
            disabled: self.disabled,
            created_at: parse_time(&self.created_at)?,
        })
    }
}

fn parse_time(text: &str) -> Result<Timestamp> {
    text.parse().map_err(StoreError::corrupt)
}

fn user_exists(conn: &Connection, name: &UserId) -> Result<bool> {
    conn.query_row(
        "SELECT 1 FROM users WHERE name = ?1",
        [name.as_str()],
        |_| Ok(()),
    )
    .optional()
    .map(|found| found.is_some())
    .map_err(db)
}

impl AccountStore for SqliteStore {
    fn add_user(&self, user: &NewUser, now: Timestamp) -> Result<()> {
        user.validate()?;
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        if user_exists(&tx, &user.name)? {
            return Err(StoreError::UserExists(user.name.clone()));
        }
        tx.execute(
            "INSERT INTO users (name, role, approval_limit_minor, password_hash, disabled,
                                created_at, kind)
             VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)",
            params![
                user.name.as_str(),
                role_name(user.role),
                user.approval_limit_minor,
                user.password_hash,
                now.to_string(),
                user.kind.name()
            ],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    fn disable_user(&self, name: &UserId, now: Timestamp) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let changed = tx
            .execute(
                "UPDATE users SET disabled = 1, disabled_at = COALESCE(disabled_at, ?2)
                 WHERE name = ?1",
                params![name.as_str(), now.to_string()],
            )
            .map_err(db)?;
        if changed == 0 {
            return Err(StoreError::UnknownUser(name.clone()));
        }
        tx.execute(
            "UPDATE sessions SET revoked_at = ?2 WHERE user_name = ?1 AND revoked_at IS NULL",
            params![name.as_str(), now.to_string()],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    fn find_user(&self, name: &UserId) -> Result<Option<User>> {
        let conn = self.read()?;
        let row = conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = ?1"),
                [name.as_str()],
                |r| UserRow::read(r, 0),
            )
            .optional()
            .map_err(db)?;
        row.map(UserRow::into_user).transpose()
    }

    fn create_session(&self, session: &NewSession) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        if !user_exists(&tx, &session.user)? {
            return Err(StoreError::UnknownUser(session.user.clone()));
        }
        let owner: Option<String> = tx
            .query_row(
                "SELECT user_id FROM devices WHERE id = ?1",
                [session.device.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        match owner {
            None => return Err(StoreError::UnknownDevice(session.device)),
            Some(owner) if owner != session.user.as_str() => {
                return Err(StoreError::DeviceTaken {
                    device: session.device,
                });
            }
            Some(_) => {}
        }
        tx.execute(
            "INSERT INTO sessions (token_hash, user_name, device_id, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                &session.token_hash.0[..],
                session.user.as_str(),
                session.device.to_string(),
                session.created_at.to_string(),
                session.expires_at.to_string()
            ],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    fn find_session(&self, token_hash: &TokenHash) -> Result<Option<Session>> {
        let conn = self.read()?;
        let row = conn
            .query_row(
                &format!(
                    "SELECT s.device_id, s.created_at, s.expires_at, s.revoked_at, {USER_COLUMNS}
                     FROM sessions s JOIN users u ON u.name = s.user_name
                     WHERE s.token_hash = ?1"
                ),
                [&token_hash.0[..]],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        UserRow::read(r, 4)?,
                    ))
                },
            )
            .optional()
            .map_err(db)?;
        let Some((device, created_at, expires_at, revoked_at, user)) = row else {
            return Ok(None);
        };
        Ok(Some(Session {
            token_hash: *token_hash,
            user: user.into_user()?,
            device: DeviceId(device.parse().map_err(StoreError::corrupt)?),
            created_at: parse_time(&created_at)?,
            expires_at: parse_time(&expires_at)?,
            revoked_at: revoked_at.as_deref().map(parse_time).transpose()?,
        }))
    }

    fn extend_session(&self, token_hash: &TokenHash, expires_at: Timestamp) -> Result<bool> {
        let conn = self.lock();
        // Timestamps are stored as RFC 3339 text in UTC with varying
        // fractional digits, so they are compared as times, not as text.
        let current: Option<String> = conn
            .query_row(
                "SELECT expires_at FROM sessions WHERE token_hash = ?1 AND revoked_at IS NULL",
                [&token_hash.0[..]],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        let Some(current) = current else {
            return Ok(false);
        };
        if parse_time(&current)? >= expires_at {
            return Ok(false);
        }
        let changed = conn
            .execute(
                "UPDATE sessions SET expires_at = ?2 WHERE token_hash = ?1 AND expires_at = ?3",
                params![&token_hash.0[..], expires_at.to_string(), current],
            )
            .map_err(db)?;
        Ok(changed > 0)
    }

    fn revoke_session(&self, token_hash: &TokenHash, now: Timestamp) -> Result<bool> {
        let conn = self.lock();
        let changed = conn
            .execute(
                "UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL",
                params![&token_hash.0[..], now.to_string()],
            )
            .map_err(db)?;
        Ok(changed > 0)
    }
}
