//! Passwords and bearer tokens (sync design §11).
//!
//! Passwords are hashed with argon2id (the crate's default parameters) into
//! PHC strings. A session token is 256 random bits shown to the client once,
//! as hex; the server keeps only its SHA-256 ([`TokenHash`]). Hashing and
//! verifying are slow on purpose: async callers run them on a blocking thread.

use crate::accounts::TokenHash;
use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The operating system's random source failed, or argon2 refused its input.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AuthError(String);

fn random_bytes<const N: usize>() -> Result<[u8; N], AuthError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| AuthError(format!("no random bytes: {e}")))?;
    Ok(bytes)
}

/// An argon2id hash of `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| AuthError(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AuthError(format!("hashing the password: {e}")))
}

/// Whether `password` matches `stored` (a PHC string). A damaged hash never
/// matches.
pub fn verify_password(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends as long as a real verification, for a user name that does not
/// exist, so response times do not tell which names are taken.
pub fn verify_nobody(password: &str) {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    if let Some(hash) = DUMMY.get_or_init(|| hash_password("no such user").ok()) {
        let _ = verify_password(hash, password);
    }
}

/// A new bearer token (64 hex digits) and the hash to store.
pub fn new_token() -> Result<(String, TokenHash), AuthError> {
    let bytes = random_bytes::<32>()?;
    let mut token = String::with_capacity(64);
    for b in bytes {
        let _ = write!(token, "{b:02x}");
    }
    let hash = TokenHash::of(&token);
    Ok((token, hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_itself() {
        let hash = hash_password("correct horse").expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "correct horsf"));
        assert!(!verify_password("not a hash", "correct horse"));
        assert_ne!(
            hash,
            hash_password("correct horse").expect("hash"),
            "salted"
        );
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, hash_a) = new_token().expect("token");
        let (b, _) = new_token().expect("token");
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(TokenHash::of(&a), hash_a);
        assert_ne!(hash_a.0.to_vec(), a.as_bytes()[..32].to_vec());
    }
}
