//! The administration side of the contract: versions of the site
//! configuration (`/admin/config`) and the audit log (`/admin/audit`).
//! Only admins reach these endpoints; the server writes the bodies and
//! `redressctl` and the console read them with these same types.

use crate::DeviceId;
use crate::rules::{canonical_json, sha256_hex};
use jiff::Timestamp;
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_domain::rules::RulesDocument;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The most audit entries one `GET /admin/audit` returns.
pub const MAX_AUDIT_PAGE: u32 = 1000;

/// The `prev_hash` of the first audit entry.
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One version of the site configuration, without its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfigVersion {
    /// 1 for the first version, one more for each.
    pub version: i64,
    /// [`crate::rules_digest`] of the document.
    pub digest: String,
    /// Who made it: a user, or `rules-file` for a document the server was
    /// started with.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub author: UserId,
    /// The device it was made from, when made over the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceId>,
    pub created_at: Timestamp,
    /// From when it decides; a version with a later number supersedes it
    /// once that one is in force too.
    pub effective_from: Timestamp,
    /// Why, in the author's words: one line of at most 500 characters
    /// (`redress_domain::text::SHORT_TEXT`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// `GET /admin/config`: one version and its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfigResponse {
    pub version: ConfigVersion,
    /// Whether this is the version the server decides with now.
    pub in_force: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub document: RulesDocument,
}

/// `GET /admin/config/versions`: every version, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfigVersions {
    /// The version in force now (none before the first one).
    pub in_force: Option<i64>,
    pub versions: Vec<ConfigVersion>,
}

/// The body of `PUT /admin/config`: a whole new document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfigPut {
    /// The version the edit started from; when another version was made
    /// since, the server answers `409 config_conflict` and stores nothing.
    /// Leave it out to replace whatever is current.
    #[serde(default)]
    pub base_version: Option<i64>,
    /// From when the new version decides (now when left out or past).
    #[serde(default)]
    pub effective_from: Option<Timestamp>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub document: RulesDocument,
}

/// One entry of the append-only audit log: a change of configuration or
/// accounts, with what it was before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// 1 for the first entry, one more for each.
    pub seq: i64,
    pub at: Timestamp,
    /// Who: a user name, or `server-admin` for the operator's command line.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub actor: UserId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceId>,
    /// What: `config.put`, `user.add`, `user.disable`, ...
    pub action: String,
    /// What it was done to: `config`, a user name, ...
    pub subject: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub before: Value,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub after: Value,
    /// The previous entry's `hash` ([`AUDIT_GENESIS`] for the first).
    pub prev_hash: String,
    /// [`AuditEntry::chain_hash`] of this entry.
    pub hash: String,
}

/// The columns of the audit log as CSV ([`AuditEntry::csv_record`]), the
/// same from `redress-server audit export` and the console.
pub const AUDIT_CSV_HEADER: [&str; 10] = [
    "seq",
    "at",
    "actor",
    "device",
    "action",
    "subject",
    "before",
    "after",
    "prev_hash",
    "hash",
];

impl AuditEntry {
    /// The entry as one CSV row under [`AUDIT_CSV_HEADER`]; `before` and
    /// `after` as compact JSON.
    pub fn csv_record(&self) -> [String; 10] {
        [
            self.seq.to_string(),
            self.at.to_string(),
            self.actor.to_string(),
            self.device.map(|d| d.to_string()).unwrap_or_default(),
            self.action.clone(),
            self.subject.clone(),
            self.before.to_string(),
            self.after.to_string(),
            self.prev_hash.clone(),
            self.hash.clone(),
        ]
    }

    /// The SHA-256 over the canonical JSON of every field but `hash`: an
    /// entry edited after the fact, or one removed or inserted, no longer
    /// matches the hashes that follow it.
    pub fn chain_hash(&self) -> String {
        let body = json!({
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "device": self.device,
            "action": self.action,
            "subject": self.subject,
            "before": self.before,
            "after": self.after,
            "prev_hash": self.prev_hash,
        });
        sha256_hex(canonical_json(&body).as_bytes())
    }
}

/// `GET /admin/audit`: entries after a seq, ascending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Whether entries after the last one remain.
    pub has_more: bool,
}

/// One account as `GET /admin/users` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub name: UserId,
    /// `person` or `integration`.
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "supervisor"))]
    pub role: Role,
    /// Overrides the role's approval limit when set (minor units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_limit_minor: Option<i64>,
    pub disabled: bool,
    pub created_at: Timestamp,
    /// Sessions live now.
    pub sessions: u32,
}

/// The body of `POST /admin/users`: a person who may sign in.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// One line, at most 64 characters, no spaces.
    #[cfg_attr(feature = "openapi", schema(value_type = String, max_length = 64))]
    pub name: UserId,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "agent"))]
    pub role: Role,
    #[serde(default)]
    pub approval_limit_minor: Option<i64>,
    /// 8 characters to 1024 bytes.
    pub password: String,
}

impl std::fmt::Debug for NewAccount {
    // The password stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("approval_limit_minor", &self.approval_limit_minor)
            .finish_non_exhaustive()
    }
}

/// The body of `PUT /admin/users/{name}`: what an account is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountChange {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "manager"))]
    pub role: Role,
    #[serde(default)]
    pub approval_limit_minor: Option<i64>,
    /// Disabling revokes every session at once.
    pub disabled: bool,
}

/// The body of `POST /admin/users/{name}/password`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// 8 characters to 1024 bytes; every session of the account ends.
    pub password: String,
}

impl std::fmt::Debug for PasswordReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordReset { .. }")
    }
}

/// One live session of an account (the token is never kept; `id` is the
/// start of its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSession {
    pub id: String,
    pub device: DeviceId,
    pub device_name: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// The body of `POST /admin/users/{name}/sessions/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeSessions {
    /// Only the session whose id starts with this; every session when left
    /// out.
    #[serde(default)]
    pub id: Option<String>,
}

/// How many sessions a revocation ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionsRevoked {
    pub revoked: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> AuditEntry {
        let mut e = AuditEntry {
            seq: 1,
            at: "2026-12-07T08:00:00Z".parse().expect("a time"),
            actor: UserId::new("admin.li"),
            device: None,
            action: "config.put".into(),
            subject: "config".into(),
            before: Value::Null,
            after: json!({"version": 1}),
            prev_hash: AUDIT_GENESIS.into(),
            hash: String::new(),
        };
        e.hash = e.chain_hash();
        e
    }

    #[test]
    fn the_chain_hash_covers_every_field() {
        let e = entry();
        assert_eq!(e.hash.len(), 64);
        let mut edited = e.clone();
        edited.after = json!({"version": 2});
        assert_ne!(edited.chain_hash(), e.hash);
        let mut edited = e.clone();
        edited.actor = UserId::new("admin.wang");
        assert_ne!(edited.chain_hash(), e.hash);
        let mut edited = e.clone();
        edited.prev_hash = "1".repeat(64);
        assert_ne!(edited.chain_hash(), e.hash);
        // The stored hash itself is not part of what is hashed.
        let mut rehashed = e.clone();
        rehashed.hash = "x".into();
        assert_eq!(rehashed.chain_hash(), e.hash);
    }
}
