//! [`AccountStore`] on the SQLite server store (tables from migrations 0002
//! and 0003).

use crate::accounts::{
    AccountStore, NewIntegration, NewSession, NewUser, Session, SessionInfo, TokenHash, User,
    UserKind, parse_role, role_name,
};
use crate::error::{StoreError, db};
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::ids::UserId;
use redress_domain::model::Role;
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

fn insert_user(tx: &Connection, user: &NewUser, now: Timestamp) -> Result<()> {
    if user_exists(tx, &user.name)? {
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
    Ok(())
}

/// A session row with its times as text, for the filters SQLite cannot do
/// in SQL (timestamps are RFC 3339 text with varying fractional digits).
struct SessionRow {
    hash: Vec<u8>,
    user: String,
    kind: String,
    device: String,
    device_name: String,
    created_at: String,
    expires_at: String,
    revoked_at: Option<String>,
}

fn session_rows(conn: &Connection, user: Option<&UserId>) -> Result<Vec<SessionRow>> {
    let mut stmt = conn
        .prepare(
            "SELECT s.token_hash, s.user_name, u.kind, s.device_id, COALESCE(d.name, ''),
                    s.created_at, s.expires_at, s.revoked_at
               FROM sessions s JOIN users u ON u.name = s.user_name
               LEFT JOIN devices d ON d.id = s.device_id
              WHERE ?1 IS NULL OR s.user_name = ?1",
        )
        .map_err(db)?;
    let rows = stmt
        .query_map([user.map(UserId::as_str)], |r| {
            Ok(SessionRow {
                hash: r.get(0)?,
                user: r.get(1)?,
                kind: r.get(2)?,
                device: r.get(3)?,
                device_name: r.get(4)?,
                created_at: r.get(5)?,
                expires_at: r.get(6)?,
                revoked_at: r.get(7)?,
            })
        })
        .map_err(db)?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
}

impl SessionRow {
    fn is_live(&self, now: Timestamp) -> Result<bool> {
        Ok(self.revoked_at.is_none() && parse_time(&self.expires_at)? > now)
    }

    /// When it stopped working: revoked, or else expired (maybe later).
    fn ended_at(&self) -> Result<Timestamp> {
        parse_time(self.revoked_at.as_deref().unwrap_or(&self.expires_at))
    }

    fn info(&self) -> Result<SessionInfo> {
        Ok(SessionInfo {
            id: SessionInfo::id_of(&self.hash),
            user: UserId::new(self.user.clone()),
            kind: UserKind::parse(&self.kind)
                .ok_or_else(|| StoreError::corrupt(format!("unknown user kind {}", self.kind)))?,
            device: DeviceId(self.device.parse().map_err(StoreError::corrupt)?),
            device_name: self.device_name.clone(),
            created_at: parse_time(&self.created_at)?,
            expires_at: parse_time(&self.expires_at)?,
        })
    }
}

impl AccountStore for SqliteStore {
    fn add_user(&self, user: &NewUser, now: Timestamp) -> Result<()> {
        user.validate()?;
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        insert_user(&tx, user, now)?;
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

    fn add_integration(&self, new: &NewIntegration, now: Timestamp) -> Result<()> {
        new.user.validate()?;
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        insert_user(&tx, &new.user, now)?;
        let s = &new.session;
        let device = s.device.to_string();
        tx.execute(
            "INSERT INTO devices (id, user_id, name, registered_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![device, s.user.as_str(), new.device_name, now.to_string()],
        )
        .map_err(db)?;
        tx.execute(
            "INSERT INTO device_state (device_id, last_client_seq) VALUES (?1, 0)",
            [&device],
        )
        .map_err(db)?;
        tx.execute(
            "INSERT INTO sessions (token_hash, user_name, device_id, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                &s.token_hash.0[..],
                s.user.as_str(),
                device,
                s.created_at.to_string(),
                s.expires_at.to_string()
            ],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    fn set_password(&self, name: &UserId, password_hash: &str, now: Timestamp) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let kind: Option<String> = tx
            .query_row(
                "SELECT kind FROM users WHERE name = ?1",
                [name.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        match kind.as_deref().map(UserKind::parse) {
            None => return Err(StoreError::UnknownUser(name.clone())),
            Some(Some(UserKind::Person)) => {}
            Some(_) => {
                return Err(StoreError::InvalidUser(format!(
                    "{name} is an integration: it has a token, not a password"
                )));
            }
        }
        tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE name = ?1",
            params![name.as_str(), password_hash],
        )
        .map_err(db)?;
        tx.execute(
            "UPDATE sessions SET revoked_at = ?2 WHERE user_name = ?1 AND revoked_at IS NULL",
            params![name.as_str(), now.to_string()],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    fn enable_user(&self, name: &UserId) -> Result<()> {
        let conn = self.lock();
        let changed = conn
            .execute(
                "UPDATE users SET disabled = 0, disabled_at = NULL WHERE name = ?1",
                [name.as_str()],
            )
            .map_err(db)?;
        if changed == 0 {
            return Err(StoreError::UnknownUser(name.clone()));
        }
        Ok(())
    }

    fn list_users(&self) -> Result<Vec<User>> {
        let conn = self.read()?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"
            ))
            .map_err(db)?;
        let rows = stmt
            .query_map([], |r| UserRow::read(r, 0))
            .map_err(db)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    fn set_role(&self, name: &UserId, role: Role, approval_limit_minor: Option<i64>) -> Result<()> {
        if approval_limit_minor.is_some_and(|l| l < 0) {
            return Err(StoreError::InvalidUser(
                "an approval limit is not negative".to_owned(),
            ));
        }
        let conn = self.lock();
        let kind: Option<String> = conn
            .query_row(
                "SELECT kind FROM users WHERE name = ?1",
                [name.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        match kind.as_deref() {
            None => return Err(StoreError::UnknownUser(name.clone())),
            Some(k) if k != UserKind::Person.name() => {
                return Err(StoreError::InvalidUser(format!(
                    "{name} is an integration, which has no role to change"
                )));
            }
            Some(_) => {}
        }
        conn.execute(
            "UPDATE users SET role = ?2, approval_limit_minor = ?3 WHERE name = ?1",
            params![name.as_str(), role_name(role), approval_limit_minor],
        )
        .map_err(db)?;
        Ok(())
    }

    fn list_sessions(&self, user: Option<&UserId>, now: Timestamp) -> Result<Vec<SessionInfo>> {
        let conn = self.read()?;
        let mut out = Vec::new();
        for row in session_rows(&conn, user)? {
            if row.is_live(now)? {
                out.push(row.info()?);
            }
        }
        out.sort_by_key(|s| s.created_at);
        Ok(out)
    }

    fn revoke_sessions(&self, user: &UserId, id: Option<&str>, now: Timestamp) -> Result<usize> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let mut revoked = 0;
        for row in session_rows(&tx, Some(user))? {
            let chosen = id.is_none_or(|id| SessionInfo::id_of(&row.hash).starts_with(id));
            if chosen && row.is_live(now)? {
                revoked += tx
                    .execute(
                        "UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1",
                        params![row.hash, now.to_string()],
                    )
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)?;
        Ok(revoked)
    }

    fn purge_sessions(&self, before: Timestamp) -> Result<usize> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let mut purged = 0;
        for row in session_rows(&tx, None)? {
            if row.ended_at()? < before {
                purged += tx
                    .execute("DELETE FROM sessions WHERE token_hash = ?1", [&row.hash])
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)?;
        Ok(purged)
    }
}
