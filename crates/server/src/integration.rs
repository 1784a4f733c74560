//! Integration accounts: systems (a CRM, an IVR, a web form) that feed
//! complaints in through the intake API with a long-lived token.
//!
//! An integration is a user of kind [`UserKind::Integration`] with the
//! agent role, a password hash that matches no password (it never signs
//! in), one device of its own and one session whose token is handed out
//! once when the integration is added. Revoking it disables the user, which
//! ends the session.

use crate::accounts::{AccountStore, NewIntegration, NewSession, NewUser, TokenHash, UserKind};
use crate::error::StoreError;
use jiff::{SignedDuration, Timestamp};
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_protocol::DeviceId;
use uuid::Uuid;

/// How long an integration's token lasts: about ten years. Revoke it to
/// end it sooner.
pub const INTEGRATION_TOKEN_TTL: SignedDuration = SignedDuration::from_hours(3653 * 24);

/// Not a PHC string, so no password ever verifies against it.
const NO_PASSWORD: &str = "!integration";

/// What was created for a new integration (the token itself stays with the
/// caller, who shows it once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddedIntegration {
    /// The integration's own device; its requests are numbered on it.
    pub device: DeviceId,
    pub expires_at: Timestamp,
}

/// Adds integration `name`: the user (agent role, no usable password), a
/// device registered to it, and a session for `token_hash` lasting
/// [`INTEGRATION_TOKEN_TTL`], in one transaction (all or nothing). A taken
/// name is [`StoreError::UserExists`].
pub fn add_integration<S: AccountStore + ?Sized>(
    store: &S,
    name: &UserId,
    token_hash: TokenHash,
    now: Timestamp,
) -> Result<AddedIntegration, StoreError> {
    let expires_at = now
        .checked_add(INTEGRATION_TOKEN_TTL)
        .map_err(|e| StoreError::InvalidUser(format!("no expiry time: {e}")))?;
    let device = DeviceId(Uuid::now_v7());
    store.add_integration(
        &NewIntegration {
            user: NewUser {
                name: name.clone(),
                kind: UserKind::Integration,
                role: Role::Agent,
                approval_limit_minor: None,
                password_hash: NO_PASSWORD.to_owned(),
            },
            device_name: format!("integration {name}"),
            session: NewSession {
                token_hash,
                user: name.clone(),
                device,
                created_at: now,
                expires_at,
            },
        },
        now,
    )?;
    Ok(AddedIntegration { device, expires_at })
}

/// Revokes integration `name`: disables the user, which ends its session.
/// A person is refused ([`StoreError::InvalidUser`]; use disable for them)
/// and an unknown name is [`StoreError::UnknownUser`].
pub fn revoke_integration<S: AccountStore + ?Sized>(
    store: &S,
    name: &UserId,
    now: Timestamp,
) -> Result<(), StoreError> {
    let user = store
        .find_user(name)?
        .ok_or_else(|| StoreError::UnknownUser(name.clone()))?;
    if user.kind != UserKind::Integration {
        return Err(StoreError::InvalidUser(format!(
            "{name} is a person, not an integration; use `user disable`"
        )));
    }
    store.disable_user(name, now)
}
