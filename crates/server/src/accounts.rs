//! Users, devices' sessions and the storage seam for them.
//!
//! Kept apart from [`ServerStore`](crate::ServerStore) so that the sync
//! algorithm and the sign-in bookkeeping can be reasoned about (and later
//! implemented on PostgreSQL) one at a time. Like the sync store, every method
//! is synchronous and async callers run it on a blocking thread.

use crate::error::StoreError;
use jiff::Timestamp;
use redress_domain::ids::UserId;
use redress_domain::model::{Actor, Role};
use redress_protocol::DeviceId;
use sha2::{Digest, Sha256};
use std::fmt;

/// The longest password accepted, in bytes: longer ones are refused
/// before any hashing (argon2 would take them, slowly).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// The shortest password a new or reset one may be, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Refuses a password shorter than [`MIN_PASSWORD_CHARS`] or longer than
/// [`MAX_PASSWORD_BYTES`], before it is hashed.
pub fn check_password(password: &str) -> Result<(), StoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::InvalidUser(format!(
            "a password has at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(StoreError::InvalidUser(format!(
            "a password has at most {MAX_PASSWORD_BYTES} bytes"
        )));
    }
    Ok(())
}

/// Whether an account is a person at a desktop or a system feeding
/// complaints in through the intake API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserKind {
    /// Signs in with a password from a console or `redressctl`.
    Person,
    /// A CRM, IVR or web form with a long-lived token; it has no password
    /// and uses only the intake endpoints.
    Integration,
}

impl UserKind {
    /// The kind's name as stored (`person`, `integration`).
    pub fn name(self) -> &'static str {
        match self {
            UserKind::Person => "person",
            UserKind::Integration => "integration",
        }
    }

    /// The kind of a stored name.
    pub fn parse(name: &str) -> Option<UserKind> {
        [UserKind::Person, UserKind::Integration]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

/// Someone who may sign in, as the server holds them.
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    /// The user's name, which is also the id mutations carry.
    pub name: UserId,
    pub kind: UserKind,
    pub role: Role,
    /// Overrides the role's approval limit when set (minor units).
    pub approval_limit_minor: Option<i64>,
    /// An argon2id hash in PHC string form.
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: Timestamp,
}

impl User {
    /// Whom the rulebook sees when this user pushes: role and limit from the
    /// server's table, never from the request.
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.name.clone(),
            role: self.role,
            approval_limit_minor: self.approval_limit_minor,
        }
    }
}

impl fmt::Debug for User {
    // The hash stays out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("role", &self.role)
            .field("approval_limit_minor", &self.approval_limit_minor)
            .field("disabled", &self.disabled)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// A user to add.
#[derive(Clone)]
pub struct NewUser {
    pub name: UserId,
    pub kind: UserKind,
    pub role: Role,
    pub approval_limit_minor: Option<i64>,
    /// Already hashed (see [`crate::auth::hash_password`]).
    pub password_hash: String,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("role", &self.role)
            .field("approval_limit_minor", &self.approval_limit_minor)
            .finish_non_exhaustive()
    }
}

impl NewUser {
    /// Refuses names that would be awkward as ids (empty, too long, spaces or
    /// control characters) and negative limits.
    pub fn validate(&self) -> Result<(), StoreError> {
        let name = self.name.as_str();
        let limit = redress_domain::text::USER_NAME;
        let fits = redress_domain::text::check("username", name, limit).is_ok();
        if !fits || name.is_empty() || name.chars().any(char::is_whitespace) {
            let limit = limit.max_chars;
            return Err(StoreError::InvalidUser(format!(
                "a user name has 1 to {limit} characters, without spaces or control characters"
            )));
        }
        if self.approval_limit_minor.is_some_and(|limit| limit < 0) {
            return Err(StoreError::InvalidUser(
                "an approval limit is not negative".to_owned(),
            ));
        }
        Ok(())
    }
}

/// The SHA-256 of a bearer token: all the server keeps of it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// The hash of a token as the client presents it.
    pub fn of(token: &str) -> TokenHash {
        TokenHash(Sha256::digest(token.as_bytes()).into())
    }
}

impl fmt::Debug for TokenHash {
    // A short prefix is enough to tell sessions apart in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "TokenHash({:02x}{:02x}{:02x}{:02x}…)",
            self.0[0], self.0[1], self.0[2], self.0[3]
        )
    }
}

/// A session to create at sign-in.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: TokenHash,
    pub user: UserId,
    pub device: DeviceId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A stored session with its user as they are now.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: TokenHash,
    pub user: User,
    pub device: DeviceId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

impl Session {
    /// Neither revoked nor expired, and the user is not disabled.
    pub fn is_active(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && now < self.expires_at && !self.user.disabled
    }
}

/// A live session as an administrator lists it (`session list`); the
/// token itself is never kept, `id` is the first 8 bytes of its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub id: String,
    pub user: UserId,
    pub kind: UserKind,
    pub device: DeviceId,
    pub device_name: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

impl SessionInfo {
    /// The short id of a token hash, as listed.
    pub fn id_of(hash: &[u8]) -> String {
        hash.iter().take(8).fold(String::new(), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        })
    }
}

/// What a new integration gets in one transaction
/// ([`AccountStore::add_integration`]).
#[derive(Debug, Clone)]
pub struct NewIntegration {
    pub user: NewUser,
    pub device_name: String,
    pub session: NewSession,
}

/// Where the server keeps its users and sessions.
pub trait AccountStore: Send + Sync {
    /// Adds a user; a taken name is refused with [`StoreError::UserExists`].
    fn add_user(&self, user: &NewUser, now: Timestamp) -> Result<(), StoreError>;

    /// Disables a user and revokes all their sessions at once.
    fn disable_user(&self, name: &UserId, now: Timestamp) -> Result<(), StoreError>;

    fn find_user(&self, name: &UserId) -> Result<Option<User>, StoreError>;

    /// Stores a session. The device must already be registered to the user
    /// ([`ServerStore::register_device`](crate::ServerStore::register_device)).
    fn create_session(&self, session: &NewSession) -> Result<(), StoreError>;

    /// The session of a token hash, whatever its state; the caller checks
    /// [`Session::is_active`].
    fn find_session(&self, token_hash: &TokenHash) -> Result<Option<Session>, StoreError>;

    /// Moves a live session's expiry to `expires_at` if that is later than
    /// its current one (sliding expiry); `false` if nothing changed.
    fn extend_session(
        &self,
        token_hash: &TokenHash,
        expires_at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Revokes a session; `false` if there was no such session or it was
    /// already revoked.
    fn revoke_session(&self, token_hash: &TokenHash, now: Timestamp) -> Result<bool, StoreError>;

    /// Adds an integration's user, its device and its session at once: all
    /// of them or, on any error, none.
    fn add_integration(&self, new: &NewIntegration, now: Timestamp) -> Result<(), StoreError>;

    /// Gives a person a new password hash and revokes all their sessions
    /// (a changed password ends every sign-in). An integration is refused
    /// ([`StoreError::InvalidUser`]), an unknown name is
    /// [`StoreError::UnknownUser`].
    fn set_password(
        &self,
        name: &UserId,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Enables a disabled user again (their old sessions stay revoked).
    fn enable_user(&self, name: &UserId) -> Result<(), StoreError>;

    /// Every account, people and integrations, by name.
    fn list_users(&self) -> Result<Vec<User>, StoreError>;

    /// Gives a person another role and personal approval limit; pushes
    /// are decided with them from the next request on. An integration is
    /// refused ([`StoreError::InvalidUser`]), an unknown name is
    /// [`StoreError::UnknownUser`], a negative limit is invalid.
    fn set_role(
        &self,
        name: &UserId,
        role: Role,
        approval_limit_minor: Option<i64>,
    ) -> Result<(), StoreError>;

    /// The sessions live at `now` (neither revoked nor expired), of `user`
    /// or of everyone, oldest first.
    fn list_sessions(
        &self,
        user: Option<&UserId>,
        now: Timestamp,
    ) -> Result<Vec<SessionInfo>, StoreError>;

    /// Revokes the live sessions of `user` (only those whose id, as
    /// listed, starts with `id` when given); returns how many.
    fn revoke_sessions(
        &self,
        user: &UserId,
        id: Option<&str>,
        now: Timestamp,
    ) -> Result<usize, StoreError>;

    /// Deletes sessions that expired or were revoked before `before`;
    /// returns how many.
    fn purge_sessions(&self, before: Timestamp) -> Result<usize, StoreError>;
}

/// The role's name as stored and shown (`supervisor`): [`Role::as_str`].
pub fn role_name(role: Role) -> &'static str {
    role.as_str()
}

/// The role of a stored or typed name: [`Role::parse`].
pub fn parse_role(name: &str) -> Option<Role> {
    Role::parse(name)
}
