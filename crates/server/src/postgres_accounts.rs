//! [`AccountStore`] on the PostgreSQL server store (tables from migrations
//! 0002 and 0003 under `migrations/postgres`).

use crate::accounts::{
    AccountStore, NewSession, NewUser, Session, TokenHash, User, UserKind, parse_role, role_name,
};
use crate::error::StoreError;
use crate::postgres::PgStore;
use ::postgres::{GenericClient, Row};
use jiff::Timestamp;
use redress_domain::ids::UserId;
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
}
