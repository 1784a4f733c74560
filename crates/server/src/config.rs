//! Versions of the site configuration and the audit log.
//!
//! Every change of the site configuration makes a new, numbered version
//! (the whole rules document, its author, device, time and an optional
//! effective-from instant), stored together with its audit entry in one
//! transaction. The version in force at an instant is the highest-numbered
//! one whose `effective_from` is not after it; before the first version the
//! store decides with the rules it was opened with. The audit log is
//! append-only and hash-chained ([`AuditEntry::chain_hash`]);
//! [`verify_audit`] walks it.
//!
//! The rules here live once: [`ConfigStore`]'s provided methods validate,
//! number and audit, and each backend only supplies a transaction
//! ([`ConfigLedger`]) and its reads.

use crate::error::StoreError;
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::ids::UserId;
use redress_domain::rules::RulesDocument;
use redress_domain::text;
use redress_protocol::admin::{AUDIT_GENESIS, AuditEntry, ConfigVersion};
use redress_protocol::{DeviceId, rules_digest};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex, PoisonError};

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The author of a version made from the document the server was started
/// with (`redress-server serve --rules FILE`).
pub const RULES_FILE_AUTHOR: &str = "rules-file";

/// The actor of a change made on the server's own command line.
pub const SERVER_ADMIN: &str = "server-admin";

/// A new version to store.
#[derive(Debug, Clone)]
pub struct NewConfig<'a> {
    pub document: &'a RulesDocument,
    /// The version the edit started from; another one made since is a
    /// [`StoreError::ConfigConflict`]. `None` replaces whatever is current.
    pub base_version: Option<i64>,
    /// From when it decides; `None` (or a past instant) is now.
    pub effective_from: Option<Timestamp>,
    pub note: &'a str,
    pub author: &'a UserId,
    pub device: Option<DeviceId>,
}

/// A new audit entry; the store numbers and chains it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAudit {
    pub actor: UserId,
    pub device: Option<DeviceId>,
    pub action: String,
    pub subject: String,
    pub before: Value,
    pub after: Value,
}

/// A version's row as a backend writes it.
#[derive(Debug, Clone)]
pub struct VersionRow {
    pub version: ConfigVersion,
    /// The document as JSON.
    pub document: String,
}

/// The operations on configuration inside one transaction, which the
/// backend has made the only writer of versions and audit entries.
pub trait ConfigLedger {
    /// The highest version stored (0 before the first).
    fn latest_version(&mut self) -> Result<i64>;
    fn insert_version(&mut self, row: &VersionRow) -> Result<()>;
    /// The seq and hash of the last audit entry.
    fn last_audit(&mut self) -> Result<Option<(i64, String)>>;
    fn insert_audit(&mut self, entry: &AuditEntry) -> Result<()>;
}

/// Where the site configuration's versions and the audit log are kept.
pub trait ConfigStore: Send + Sync {
    /// Runs `f` in one transaction that no other writer of versions or
    /// audit entries runs beside (on PostgreSQL, across processes too); it
    /// commits when `f` succeeds.
    fn config_tx(&self, f: &mut dyn FnMut(&mut dyn ConfigLedger) -> Result<Value>)
    -> Result<Value>;

    /// Every version, newest first.
    fn config_versions(&self) -> Result<Vec<ConfigVersion>>;

    /// One version and its document (JSON).
    fn config_row(&self, version: i64) -> Result<Option<VersionRow>>;

    /// The version in force at `now`: the highest-numbered one whose
    /// `effective_from` is not after it.
    fn config_in_force(&self, now: Timestamp) -> Result<Option<i64>>;

    /// Audit entries with `seq > after`, ascending, at most `limit`.
    fn audit_page(&self, after: i64, limit: u32) -> Result<Vec<AuditEntry>>;

    /// Checks `new.document` whole, refuses a stale base version, and
    /// stores the next version with its `config.put` audit entry (before:
    /// the version it replaced; after: the new one), all or nothing.
    fn put_config(&self, new: &NewConfig<'_>, now: Timestamp) -> Result<ConfigVersion> {
        new.document
            .to_rules()
            .map_err(|e| StoreError::InvalidConfig(e.to_string()))?;
        text::check("note", new.note, text::SHORT_TEXT)
            .map_err(|e| StoreError::InvalidConfig(e.to_string()))?;
        let document =
            serde_json::to_string(new.document).map_err(|e| StoreError::corrupt(e.to_string()))?;
        let digest = rules_digest(new.document);
        // Whole microseconds: what a PostgreSQL timestamp keeps.
        let now = whole_micros(now);
        let effective_from = new
            .effective_from
            .map(whole_micros)
            .filter(|at| *at > now)
            .unwrap_or(now);
        let value = self.config_tx(&mut |ledger| {
            let latest = ledger.latest_version()?;
            if let Some(base) = new.base_version
                && base != latest
            {
                return Err(StoreError::ConfigConflict {
                    base,
                    current: latest,
                });
            }
            let version = ConfigVersion {
                version: latest + 1,
                digest: digest.clone(),
                author: new.author.clone(),
                device: new.device,
                created_at: now,
                effective_from,
                note: new.note.to_owned(),
            };
            ledger.insert_version(&VersionRow {
                version: version.clone(),
                document: document.clone(),
            })?;
            let before = if latest == 0 {
                Value::Null
            } else {
                json!({ "version": latest })
            };
            append_in(
                ledger,
                &NewAudit {
                    actor: new.author.clone(),
                    device: new.device,
                    action: "config.put".into(),
                    subject: "config".into(),
                    before,
                    after: version_summary(&version),
                },
                now,
            )?;
            serde_json::to_value(&version).map_err(|e| StoreError::corrupt(e.to_string()))
        })?;
        serde_json::from_value(value).map_err(StoreError::corrupt)
    }

    /// Appends one audit entry, chained to the last.
    fn append_audit(&self, entry: &NewAudit, now: Timestamp) -> Result<AuditEntry> {
        let value = self.config_tx(&mut |ledger| {
            let e = append_in(ledger, entry, now)?;
            serde_json::to_value(&e).map_err(|e| StoreError::corrupt(e.to_string()))
        })?;
        serde_json::from_value(value).map_err(StoreError::corrupt)
    }

    /// One version with its document, parsed.
    fn config_document(&self, version: i64) -> Result<Option<(ConfigVersion, RulesDocument)>> {
        let Some(row) = self.config_row(version)? else {
            return Ok(None);
        };
        let document: RulesDocument =
            serde_json::from_str(&row.document).map_err(StoreError::corrupt)?;
        Ok(Some((row.version, document)))
    }
}

/// What an audit entry says about a version: enough to find it and to
/// tell whether its stored document is the one that was audited.
fn version_summary(v: &ConfigVersion) -> Value {
    json!({
        "version": v.version,
        "digest": v.digest,
        "effective_from": v.effective_from,
        "note": v.note,
    })
}

/// `at` without its nanoseconds beyond the microsecond, so it reads back
/// exactly from a PostgreSQL timestamp as well as from text.
fn whole_micros(at: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(at.as_microsecond()).unwrap_or(at)
}

fn append_in(
    ledger: &mut dyn ConfigLedger,
    entry: &NewAudit,
    now: Timestamp,
) -> Result<AuditEntry> {
    let (seq, prev_hash) = ledger
        .last_audit()?
        .map_or((1, AUDIT_GENESIS.to_owned()), |(seq, hash)| (seq + 1, hash));
    let mut e = AuditEntry {
        seq,
        at: whole_micros(now),
        actor: entry.actor.clone(),
        device: entry.device,
        action: entry.action.clone(),
        subject: entry.subject.clone(),
        before: entry.before.clone(),
        after: entry.after.clone(),
        prev_hash,
        hash: String::new(),
    };
    e.hash = e.chain_hash();
    ledger.insert_audit(&e)?;
    Ok(e)
}

/// The version in force, ready to decide with.
#[derive(Debug)]
pub struct SiteConfig {
    pub version: ConfigVersion,
    pub document: RulesDocument,
    pub rules: Arc<Rules>,
}

/// The last version a store loaded, so a request reads one small row to
/// learn whether the version in force changed (by an edit on this server,
/// on another server process on the same database, or because a version's
/// effective-from instant passed) and parses a document only when it did.
#[derive(Debug, Default)]
pub struct ConfigCache {
    slot: Mutex<Option<Arc<SiteConfig>>>,
}

impl ConfigCache {
    /// The version in force at `now`, if any version is stored.
    pub fn in_force(
        &self,
        store: &(impl ConfigStore + ?Sized),
        now: Timestamp,
    ) -> Result<Option<Arc<SiteConfig>>> {
        let Some(number) = store.config_in_force(now)? else {
            return Ok(None);
        };
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(site) = slot.as_ref()
            && site.version.version == number
        {
            return Ok(Some(Arc::clone(site)));
        }
        let (version, document) = store
            .config_document(number)?
            .ok_or_else(|| StoreError::corrupt(format!("config version {number} vanished")))?;
        let rules = document.to_rules().map_err(|e| {
            StoreError::corrupt(format!(
                "stored config version {number} does not check: {e}"
            ))
        })?;
        let site = Arc::new(SiteConfig {
            version,
            document,
            rules: Arc::new(rules),
        });
        *slot = Some(Arc::clone(&site));
        Ok(Some(site))
    }
}

/// What [`verify_audit`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries checked.
    pub entries: i64,
    /// Configuration versions whose document was checked against the
    /// digest in their audit entry.
    pub versions: i64,
    /// What does not hold, first problem first; empty when the chain holds.
    pub problems: Vec<String>,
}

impl AuditReport {
    pub fn holds(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Walks the audit log from the first entry: every seq follows the last,
/// every `prev_hash` is the previous entry's hash and every hash is the
/// entry's own. Then every configuration version's stored document must
/// have the digest its `config.put` entry recorded, and every version must
/// have such an entry.
pub fn verify_audit(store: &(impl ConfigStore + ?Sized)) -> Result<AuditReport> {
    let mut report = AuditReport {
        entries: 0,
        versions: 0,
        problems: Vec::new(),
    };
    let mut prev = AUDIT_GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut audited = std::collections::BTreeMap::new();
    loop {
        let page = store.audit_page(expected_seq - 1, 1000)?;
        let Some(last) = page.last().map(|e| e.seq) else {
            break;
        };
        for e in &page {
            report.entries += 1;
            if e.seq != expected_seq {
                report.problems.push(format!(
                    "entry {} follows entry {}: entries are missing",
                    e.seq,
                    expected_seq - 1
                ));
            }
            if e.prev_hash != prev {
                report.problems.push(format!(
                    "entry {} does not chain to the entry before it",
                    e.seq
                ));
            }
            if e.chain_hash() != e.hash {
                report
                    .problems
                    .push(format!("entry {} was changed after it was written", e.seq));
            }
            if e.action == "config.put"
                && let (Some(v), Some(d)) =
                    (e.after["version"].as_i64(), e.after["digest"].as_str())
            {
                audited.insert(v, d.to_owned());
            }
            prev = e.hash.clone();
            expected_seq = e.seq + 1;
        }
        if page.len() < 1000 {
            break;
        }
        expected_seq = last + 1;
    }
    for version in store.config_versions()?.into_iter().rev() {
        report.versions += 1;
        let n = version.version;
        let Some(row) = store.config_row(n)? else {
            continue;
        };
        let actual = serde_json::from_str::<RulesDocument>(&row.document)
            .map(|d| rules_digest(&d))
            .unwrap_or_default();
        match audited.get(&n) {
            None => report
                .problems
                .push(format!("config version {n} has no audit entry")),
            Some(d) if *d != actual || *d != version.digest => report.problems.push(format!(
                "config version {n} was changed after it was audited"
            )),
            Some(_) => {}
        }
    }
    Ok(report)
}
