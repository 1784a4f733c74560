//! [`AccountStore`] on the PostgreSQL server store (tables from migrations
//! 0002 and 0003 under `migrations/postgres`).

use crate::accounts::{
    AccountStore, NewIntegration, NewSession, NewUser, Session, SessionInfo, TokenHash, User,
    UserKind, parse_role, role_name,
};
use crate::error::StoreError;
use crate::postgres::PgStore;
use ::postgres::{GenericClient, Row};
use jiff::Timestamp;
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_protocol::DeviceId;
use uuid::Uuid;

type Result<T, E = StoreError> = std::result::Result<T, E>;

const USER_COLUMNS: &str =
    "u.name, u.role, u.approval_limit_minor, u.password_hash, u.disabled, u.created_at, u.kind";

/// Reads the seven user columns starting at column `at`.
fn read_user(row: &Row, at: usize) -> Result<User> {
    let role: String = row.try_get(at + 1)?;
    let kind: String = row.try_get(at + 6)?;
    Ok(User {
        name: UserId::new(row.try_get::<_, String>(at)?),
        kind: UserKind::parse(&kind)
            .ok_or_else(|| StoreError::corrupt(format!("unknown user kind {kind}")))?,
        role: parse_role(&role)
            .ok_or_else(|| StoreError::corrupt(format!("unknown role {role}")))?,
        approval_limit_minor: row.try_get(at + 2)?,
        password_hash: row.try_get(at + 3)?,
        disabled: row.try_get(at + 4)?,
        created_at: row.try_get(at + 5)?,
    })
}

fn user_exists(client: &mut impl GenericClient, name: &UserId) -> Result<bool> {
    Ok(client
        .query_opt("SELECT 1 FROM users WHERE name = $1", &[&name.as_str()])?
        .is_some())
}

impl AccountStore for PgStore {
    fn add_user(&self, user: &NewUser, now: Timestamp) -> Result<()> {
        user.validate()?;
        let mut conn = self.conn()?;
        let added = conn.execute(
            "INSERT INTO users (name, role, approval_limit_minor, password_hash, disabled,
                                created_at, kind)
             VALUES ($1, $2, $3, $4, false, $5, $6)
             ON CONFLICT (name) DO NOTHING",
            &[
                &user.name.as_str(),
                &role_name(user.role),
                &user.approval_limit_minor,
                &user.password_hash,
                &now,
                &user.kind.name(),
            ],
        )?;
        if added == 0 {
            return Err(StoreError::UserExists(user.name.clone()));
        }
        Ok(())
    }

    fn disable_user(&self, name: &UserId, now: Timestamp) -> Result<()> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        let changed = tx.execute(
            "UPDATE users SET disabled = true, disabled_at = COALESCE(disabled_at, $2)
             WHERE name = $1",
            &[&name.as_str(), &now],
        )?;
        if changed == 0 {
            return Err(StoreError::UnknownUser(name.clone()));
        }
        tx.execute(
            "UPDATE sessions SET revoked_at = $2 WHERE user_name = $1 AND revoked_at IS NULL",
            &[&name.as_str(), &now],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn find_user(&self, name: &UserId) -> Result<Option<User>> {
        let mut conn = self.conn()?;
        let row = conn.query_opt(
            &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = $1"),
            &[&name.as_str()],
        )?;
        row.map(|row| read_user(&row, 0)).transpose()
    }

    fn create_session(&self, session: &NewSession) -> Result<()> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        if !user_exists(&mut tx, &session.user)? {
            return Err(StoreError::UnknownUser(session.user.clone()));
        }
        // FOR SHARE: the device cannot change hands before the commit.
        let owner = tx.query_opt(
            "SELECT user_id FROM devices WHERE id = $1 FOR SHARE",
            &[&session.device.0],
        )?;
        match owner {
            None => return Err(StoreError::UnknownDevice(session.device)),
            Some(row) if row.try_get::<_, &str>(0)? != session.user.as_str() => {
                return Err(StoreError::DeviceTaken {
                    device: session.device,
                });
            }
            Some(_) => {}
        }
        tx.execute(
            "INSERT INTO sessions (token_hash, user_name, device_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &&session.token_hash.0[..],
                &session.user.as_str(),
                &session.device.0,
                &session.created_at,
                &session.expires_at,
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn find_session(&self, token_hash: &TokenHash) -> Result<Option<Session>> {
        let mut conn = self.conn()?;
        let row = conn.query_opt(
            &format!(
                "SELECT s.device_id, s.created_at, s.expires_at, s.revoked_at, {USER_COLUMNS}
                 FROM sessions s JOIN users u ON u.name = s.user_name
                 WHERE s.token_hash = $1"
            ),
            &[&&token_hash.0[..]],
        )?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(Session {
            token_hash: *token_hash,
            device: DeviceId(row.try_get::<_, Uuid>(0)?),
            created_at: row.try_get(1)?,
            expires_at: row.try_get(2)?,
            revoked_at: row.try_get(3)?,
            user: read_user(&row, 4)?,
        }))
    }

    fn extend_session(&self, token_hash: &TokenHash, expires_at: Timestamp) -> Result<bool> {
        let mut conn = self.conn()?;
        let changed = conn.execute(
            "UPDATE sessions SET expires_at = $2
             WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at < $2",
            &[&&token_hash.0[..], &expires_at],
        )?;
        Ok(changed > 0)
    }

    fn revoke_session(&self, token_hash: &TokenHash, now: Timestamp) -> Result<bool> {
        let mut conn = self.conn()?;
        let changed = conn.execute(
            "UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
            &[&&token_hash.0[..], &now],
        )?;
        Ok(changed > 0)
    }

    fn add_integration(&self, new: &NewIntegration, now: Timestamp) -> Result<()> {
        new.user.validate()?;
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        let user = &new.user;
        let added = tx.execute(
            "INSERT INTO users (name, role, approval_limit_minor, password_hash, disabled,
                                created_at, kind)
             VALUES ($1, $2, $3, $4, false, $5, $6)
             ON CONFLICT (name) DO NOTHING",
            &[
                &user.name.as_str(),
                &role_name(user.role),
                &user.approval_limit_minor,
                &user.password_hash,
                &now,
                &user.kind.name(),
            ],
        )?;
        if added == 0 {
            return Err(StoreError::UserExists(user.name.clone()));
        }
        let s = &new.session;
        tx.execute(
            "INSERT INTO devices (id, user_id, name, registered_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $4)",
            &[&s.device.0, &s.user.as_str(), &new.device_name, &now],
        )?;
        tx.execute(
            "INSERT INTO device_state (device_id, last_client_seq) VALUES ($1, 0)",
            &[&s.device.0],
        )?;
        tx.execute(
            "INSERT INTO sessions (token_hash, user_name, device_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &&s.token_hash.0[..],
                &s.user.as_str(),
                &s.device.0,
                &s.created_at,
                &s.expires_at,
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn set_password(&self, name: &UserId, password_hash: &str, now: Timestamp) -> Result<()> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        let kind = tx.query_opt(
            "SELECT kind FROM users WHERE name = $1 FOR UPDATE",
            &[&name.as_str()],
        )?;
        let kind: Option<String> = kind.map(|row| row.try_get(0)).transpose()?;
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
            "UPDATE users SET password_hash = $2 WHERE name = $1",
            &[&name.as_str(), &password_hash],
        )?;
        tx.execute(
            "UPDATE sessions SET revoked_at = $2 WHERE user_name = $1 AND revoked_at IS NULL",
            &[&name.as_str(), &now],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn enable_user(&self, name: &UserId) -> Result<()> {
        let mut conn = self.conn()?;
        let changed = conn.execute(
            "UPDATE users SET disabled = false, disabled_at = NULL WHERE name = $1",
            &[&name.as_str()],
        )?;
        if changed == 0 {
            return Err(StoreError::UnknownUser(name.clone()));
        }
        Ok(())
    }

    fn list_users(&self) -> Result<Vec<User>> {
        let mut conn = self.conn()?;
        conn.query(
            &format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"),
            &[],
        )?
        .iter()
        .map(|row| read_user(row, 0))
        .collect()
    }

    fn set_role(&self, name: &UserId, role: Role, approval_limit_minor: Option<i64>) -> Result<()> {
        if approval_limit_minor.is_some_and(|l| l < 0) {
            return Err(StoreError::InvalidUser(
                "an approval limit is not negative".to_owned(),
            ));
        }
        let mut conn = self.conn()?;
        let kind: Option<String> = conn
            .query_opt("SELECT kind FROM users WHERE name = $1", &[&name.as_str()])?
            .map(|r| r.try_get(0))
            .transpose()?;
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
            "UPDATE users SET role = $2, approval_limit_minor = $3 WHERE name = $1",
            &[&name.as_str(), &role_name(role), &approval_limit_minor],
        )?;
        Ok(())
    }

    fn list_sessions(&self, user: Option<&UserId>, now: Timestamp) -> Result<Vec<SessionInfo>> {
        let mut conn = self.conn()?;
        let rows = conn.query(
            "SELECT s.token_hash, s.user_name, u.kind, s.device_id, COALESCE(d.name, ''),
                    s.created_at, s.expires_at
               FROM sessions s JOIN users u ON u.name = s.user_name
               LEFT JOIN devices d ON d.id = s.device_id
              WHERE ($1::text IS NULL OR s.user_name = $1)
                AND s.revoked_at IS NULL AND s.expires_at > $2
              ORDER BY s.created_at",
            &[&user.map(UserId::as_str), &now],
        )?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get(2)?;
                Ok(SessionInfo {
                    id: SessionInfo::id_of(row.try_get::<_, &[u8]>(0)?),
                    user: UserId::new(row.try_get::<_, String>(1)?),
                    kind: UserKind::parse(&kind)
                        .ok_or_else(|| StoreError::corrupt(format!("unknown user kind {kind}")))?,
                    device: DeviceId(row.try_get::<_, Uuid>(3)?),
                    device_name: row.try_get(4)?,
                    created_at: row.try_get(5)?,
                    expires_at: row.try_get(6)?,
                })
            })
            .collect()
    }

    fn revoke_sessions(&self, user: &UserId, id: Option<&str>, now: Timestamp) -> Result<usize> {
        let mut conn = self.conn()?;
        // The listed id is the hex of the hash's first bytes.
        let changed = conn.execute(
            "UPDATE sessions SET revoked_at = $3
              WHERE user_name = $1 AND revoked_at IS NULL AND expires_at > $3
                AND ($2::text IS NULL OR encode(token_hash, 'hex') LIKE $2 || '%')",
            &[&user.as_str(), &id, &now],
        )?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    fn purge_sessions(&self, before: Timestamp) -> Result<usize> {
        let mut conn = self.conn()?;
        let purged = conn.execute(
            "DELETE FROM sessions WHERE COALESCE(revoked_at, expires_at) < $1",
            &[&before],
        )?;
        Ok(usize::try_from(purged).unwrap_or(usize::MAX))
    }
}
