//! The console's link to a shared server, as the application sees it: which
//! server the data directory is linked to, whether it may join one, what is
//! still waiting to be sent, and the intents the server refused (the
//! sync-issues inbox).
//!
//! Talking to the server (signing in, the sync loop) is `session.rs`; this
//! module keeps what that work leaves behind in the local store, so the
//! desktop, `redressctl` and the tests read the same thing.

use crate::error::{AppError, AppResult};
use crate::ports::Changed;
use crate::service::App;
use crate::settings::Settings;
use jiff::Timestamp;
use redress_domain::ErrorCode;
use redress_domain::RulesDocument;
use redress_domain::ids::{ComplaintId, UserId};
use redress_domain::model::Role;
use redress_local::OutboxRow;
use redress_local::keys::{self, SettingKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The server a data directory works with, kept in the local store's
/// settings under `keys::SERVER_LINK` (the key `redressctl login` uses too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerLink {
    /// The server's address as the user typed it.
    pub url: String,
    pub user: UserId,
    /// The session token when it is kept here (no OS keychain); `None` when
    /// signed out or when the keychain holds it.
    #[serde(default)]
    pub token: Option<String>,
    /// The token is in the OS keychain, not in `token`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keychain: bool,
    /// Certificates trusted besides the system's roots (PEM, read from the
    /// trusted certificate file at sign-in), for every later connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_pem: Option<String>,
    /// Plain HTTP to a host that is not loopback was explicitly allowed at
    /// sign-in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_http: bool,
}

impl ServerLink {
    /// A session token is stored (here or in the keychain).
    pub fn signed_in(&self) -> bool {
        self.token.is_some() || self.keychain
    }

    /// Where the token is kept, while signed in.
    pub fn token_store(&self) -> Option<TokenStore> {
        if self.keychain {
            Some(TokenStore::Keychain)
        } else if self.token.is_some() {
            Some(TokenStore::LocalSettings)
        } else {
            None
        }
    }
}

/// Where the session token is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum TokenStore {
    /// The OS keychain (Secret Service on Linux).
    Keychain,
    /// The local store's settings, in plain text (no keychain available).
    LocalSettings,
}

/// What the sync loop is doing, as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncStatus {
    /// No server: every change is final at once.
    Standalone,
    /// Linked to a server but signed out: changes wait in the outbox.
    SignedOut,
    /// The server refused the session (expired, revoked, protocol): the
    /// loop has stopped until the user signs in again.
    NeedsSignIn {
        code: ErrorCode,
        message: String,
    },
    Syncing,
    Online,
    /// The server cannot be reached; the loop tries again in `retry_in_s`.
    Offline {
        retry_in_s: u64,
        reason: String,
    },
}

/// The sync status indicator's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncOverview {
    pub status: SyncStatus,
    pub server_url: Option<String>,
    pub user: Option<UserId>,
    /// Local changes not yet sent to (or answered by) the server.
    pub pending: u32,
    /// Refused intents not dismissed yet.
    pub issues: u32,
    /// Where the token is kept while signed in.
    pub token_store: Option<TokenStore>,
}

/// One intent the server refused, for the sync-issues inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncIssue {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub client_seq: i64,
    pub complaint_id: Option<ComplaintId>,
    /// The complaint's number as this desktop shows it now, if it has it.
    pub number: Option<String>,
    /// The mutation name (`approval.decide`, ...).
    pub mutation: String,
    /// The stable rejection code the UI translates.
    pub code: ErrorCode,
    /// The server's English message (for logs and support).
    pub message: String,
    /// Who won, when someone else's change came first (`decided_by`).
    pub decided_by: Option<String>,
    /// The winning decision (`approve` / `reject`), when there was one.
    pub decision: Option<String>,
    pub occurred_at: Timestamp,
    pub answered_at: Option<Timestamp>,
}

impl App {
    /// The data directory's server, if it was ever linked to one.
    pub fn server_link(&self) -> AppResult<Option<ServerLink>> {
        Ok(self
            .store
            .read(|r| r.get_setting::<ServerLink>(&keys::SERVER_LINK))?)
    }

    /// The device id this store signs in with.
    pub fn device_id(&self) -> AppResult<uuid::Uuid> {
        Ok(self.store.read(|r| r.sync_state())?.device_id)
    }

    /// Whether this store may sign in to `url`. A store that worked
    /// standalone has complaints with local numbers and settled intents no
    /// server knows, so it cannot join one as it is (`standalone_history`);
    /// a store linked to one server does not switch to another
    /// (`linked_elsewhere`). Either way a fresh data directory can.
    pub fn check_can_join(&self, url: &str) -> AppResult<()> {
        let url = url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(AppError::new(
                ErrorCode::BadServerUrl,
                format!("{url:?}: expected an http:// or https:// address"),
            ));
        }
        match self.server_link()? {
            Some(link) if same_server(&link.url, url) => Ok(()),
            Some(link) => Err(AppError::new(
                ErrorCode::LinkedElsewhere,
                format!("this data directory belongs to {}", link.url),
            )),
            None => {
                let complaints = self.store.read(|r| r.complaint_count())?;
                if complaints > 0 {
                    Err(AppError::new(
                        ErrorCode::StandaloneHistory,
                        format!(
                            "this data directory holds {complaints} complaints recorded without a \
                             server; sign in from a fresh data directory"
                        ),
                    ))
                } else {
                    Ok(())
                }
            }
        }
    }

    /// Makes a standalone console ready to join a server without losing
    /// anything: the whole store is copied to
    /// `<data dir>/archive/<UTC time>/redress.db` (a data directory of its
    /// own, which `redressctl --data-dir` and the console open as they are),
    /// then its complaints, local changes and reminders are forgotten here;
    /// settings stay. Refused once linked to a server. Returns the archive's
    /// directory.
    pub fn archive_standalone_history(&self) -> AppResult<std::path::PathBuf> {
        if self.server_link()?.is_some() {
            return Err(AppError::new(
                ErrorCode::LinkedElsewhere,
                "this data directory is linked to a server; its history is the server's",
            ));
        }
        let data_dir = self
            .store
            .path()
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        let stamp = self.now().strftime("%Y%m%dT%H%M%S%.3fZ").to_string();
        let dir = data_dir.join("archive").join(stamp);
        std::fs::create_dir_all(&dir)
            .map_err(|e| AppError::internal(format!("cannot create the archive folder: {e}")))?;
        self.store.archive_to(&dir.join(redress_local::DB_FILE))?;
        self.store.write(|tx| tx.forget_standalone_history())?;
        // The SLA watcher must not keep clocks of complaints no longer here.
        self.replan_everything()?;
        Ok(dir)
    }

    /// Records a successful sign-in: links the store to the server (the
    /// token in `link`, or in the keychain when `link.keychain`), takes the
    /// server's account as the acting user (so local prechecks judge with
    /// the server's role), and switches to server sync.
    pub fn complete_sign_in(
        &self,
        link: &ServerLink,
        role: Role,
        approval_limit_minor: Option<i64>,
    ) -> AppResult<()> {
        self.check_can_join(&link.url)?;
        let old = self.settings()?;
        let display_name = if old.user == link.user {
            old.display_name.clone()
        } else {
            link.user.as_str().to_owned()
        };
        let settings = Settings {
            user: link.user.clone(),
            display_name,
            role,
            approval_limit_minor,
            ..old
        };
        self.store.write(|tx| {
            tx.set_setting(&keys::SERVER_LINK, link)?;
            tx.set_setting(&keys::CONSOLE, &settings)
        })?;
        self.set_server_sync(true);
        self.events.changed(&Changed {
            complaints: Vec::new(),
            all: true,
            reminders: false,
            settings: true,
        });
        Ok(())
    }

    /// Forgets the session token kept in the settings (signing out, see
    /// [`App::sign_out`], also deletes a keychain copy and revokes the
    /// session). The store stays linked and in server sync: pending changes
    /// are kept and go out at the next sign-in. Returns the link as it was,
    /// `None` when there was none.
    pub fn forget_session(&self) -> AppResult<Option<ServerLink>> {
        let Some(old) = self.server_link()? else {
            return Ok(None);
        };
        let kept = ServerLink {
            token: None,
            keychain: false,
            ..old.clone()
        };
        self.store
            .write(|tx| tx.set_setting(&keys::SERVER_LINK, &kept))?;
        self.events.changed(&Changed {
            complaints: Vec::new(),
            all: false,
            reminders: false,
            settings: true,
        });
        Ok(Some(old))
    }

    /// Local changes the server has not answered yet.
    pub fn pending_count(&self) -> AppResult<u32> {
        let n = self.store.read(|r| r.outbox_pending())?.len();
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The status indicator's data; `live` is what the sync loop reports
    /// while it runs.
    pub fn sync_overview(&self, live: Option<SyncStatus>) -> AppResult<SyncOverview> {
        let link = self.server_link()?;
        let status = match &link {
            None => SyncStatus::Standalone,
            Some(l) if !l.signed_in() => SyncStatus::SignedOut,
            Some(_) => live.unwrap_or(SyncStatus::Syncing),
        };
        Ok(SyncOverview {
            status,
            server_url: link.as_ref().map(|l| l.url.clone()),
            user: link.as_ref().map(|l| l.user.clone()),
            pending: self.pending_count()?,
            issues: u32::try_from(self.sync_issues()?.len()).unwrap_or(u32::MAX),
            token_store: link.as_ref().and_then(ServerLink::token_store),
        })
    }

    /// Intents the server refused and the user has not dismissed, newest
    /// first.
    pub fn sync_issues(&self) -> AppResult<Vec<SyncIssue>> {
        let (rows, dismissed, numbers) = self.store.read(|r| {
            let rows = r.outbox_rejected()?;
            let dismissed = r
                .get_setting::<BTreeSet<i64>>(&keys::SYNC_ISSUES_DISMISSED)?
                .unwrap_or_default();
            let mut numbers = Vec::new();
            for row in &rows {
                let number = match complaint_of(row) {
                    Some(id) => r.complaint(id)?.map(|c| c.complaint.number),
                    None => None,
                };
                numbers.push(number);
            }
            Ok::<_, AppError>((rows, dismissed, numbers))
        })?;
        Ok(rows
            .iter()
            .zip(numbers)
            .filter(|(row, _)| !dismissed.contains(&row.client_seq))
            .map(|(row, number)| issue(row, number))
            .collect())
    }

    /// The sync loop wrote the server's state of `changed` into the store
    /// (and, with `rejected`, recorded refusals): the SLA watcher re-reads
    /// those complaints and the screens refresh.
    pub fn synced(&self, changed: &[ComplaintId], rejected: bool) -> AppResult<()> {
        let stored = self.store.read(|r| {
            let mut out = Vec::with_capacity(changed.len());
            for id in changed {
                if let Some(c) = r.complaint(*id)? {
                    out.push(c.complaint);
                }
            }
            Ok::<_, AppError>(out)
        })?;
        let mut w = self.watch_state();
        for c in &stored {
            w.planner.upsert(c.watch(), &self.rules());
        }
        drop(w);
        // Another desktop (or the server) may have dealt with a cause.
        self.resolve_reminders(&stored)?;
        self.wake.notify_one();
        self.events.changed(&Changed {
            complaints: if rejected {
                Vec::new()
            } else {
                changed.to_vec()
            },
            // A refusal drops the local change of a complaint the server
            // did not change: every screen looks again.
            all: rejected,
            reminders: false,
            settings: false,
        });
        Ok(())
    }

    /// At launch: a store linked to a server decides with the server's rules
    /// stored at its last sync ([`keys::SERVER_RULES`]); a standalone store,
    /// or a linked one with none stored yet, keeps the rules it was opened
    /// with. `Ok(true)` when the stored rules were taken. A stored document
    /// that does not check out is an `invalid_rules` error, and the rules
    /// stay as they were.
    pub fn load_server_rules(&self) -> AppResult<bool> {
        if self.server_link()?.is_none() {
            return Ok(false);
        }
        self.take_stored_rules(&keys::SERVER_RULES, "the stored server rules")
    }

    /// A standalone store decides with its own site configuration
    /// ([`keys::LOCAL_RULES`]) when it has one. `Ok(true)` when it was
    /// taken; a document that does not check out is an `invalid_rules`
    /// error and the rules stay as they were.
    pub fn load_local_rules(&self) -> AppResult<bool> {
        self.take_stored_rules(&keys::LOCAL_RULES, "this console's site configuration")
    }

    /// Decides with the rules document stored under `key`, if there is one
    /// and it checks out (`what` names it in the error).
    fn take_stored_rules(&self, key: &SettingKey, what: &str) -> AppResult<bool> {
        let Some(doc) = self.store.read(|r| r.get_setting::<RulesDocument>(key))? else {
            return Ok(false);
        };
        let rules = doc.to_rules().map_err(|e| {
            AppError::new(
                ErrorCode::InvalidRules,
                format!("{what} cannot be used: {e}"),
            )
        })?;
        self.set_rules(Arc::new(rules))?;
        Ok(true)
    }

    /// The site configuration in force as a document: the server's (as
    /// stored at the last sync) on a linked store, this console's own on a
    /// standalone one, the built-in one when neither is stored.
    pub fn site_config(&self) -> AppResult<RulesDocument> {
        let key = if self.server_link()?.is_some() {
            &keys::SERVER_RULES
        } else {
            &keys::LOCAL_RULES
        };
        Ok(self
            .store
            .read(|r| r.get_setting::<RulesDocument>(key))?
            .unwrap_or_default())
    }

    /// Makes `doc` a standalone console's site configuration, once it
    /// checks out (the rules in force stay otherwise): every screen and the
    /// SLA watcher follow it at once. A store linked to a server follows
    /// the server's configuration (`linked_elsewhere`).
    pub fn put_site_config(&self, doc: &RulesDocument) -> AppResult<()> {
        if let Some(link) = self.server_link()? {
            return Err(AppError::new(
                ErrorCode::LinkedElsewhere,
                format!(
                    "this data directory follows the configuration of {}",
                    link.url
                ),
            ));
        }
        let rules = doc.to_rules()?;
        self.store
            .write(|tx| tx.set_setting(&keys::LOCAL_RULES, doc))?;
        self.set_rules(Arc::new(rules))
    }

    /// Hides one refused intent from the inbox (the outbox row is kept).
    pub fn dismiss_sync_issue(&self, client_seq: i64) -> AppResult<()> {
        self.store.write(|tx| {
            let row = tx
                .reader()
                .outbox_row(client_seq)?
                .filter(|r| r.state == redress_local::OutboxState::Rejected)
                .ok_or_else(|| AppError::not_found("sync issue", client_seq))?;
            let mut dismissed = tx
                .reader()
                .get_setting::<BTreeSet<i64>>(&keys::SYNC_ISSUES_DISMISSED)?
                .unwrap_or_default();
            dismissed.insert(row.client_seq);
            tx.set_setting(&keys::SYNC_ISSUES_DISMISSED, &dismissed)?;
            Ok::<_, AppError>(())
        })?;
        self.events.changed(&Changed {
            complaints: Vec::new(),
            all: false,
            reminders: false,
            settings: true,
        });
        Ok(())
    }
}

/// Two spellings of one server address (`http://h:1`, `http://h:1/`, with or
/// without `/api/v1`).
fn same_server(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> &str {
        let s = s.trim().trim_end_matches('/');
        s.strip_suffix("/api/v1").unwrap_or(s)
    }
    norm(a).eq_ignore_ascii_case(norm(b))
}

fn complaint_of(row: &OutboxRow) -> Option<ComplaintId> {
    row.args
        .get("complaint_id")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

fn issue(row: &OutboxRow, number: Option<String>) -> SyncIssue {
    let result = row.result.clone().unwrap_or_default();
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    let details = &result["details"];
    SyncIssue {
        client_seq: row.client_seq,
        complaint_id: complaint_of(row),
        number,
        mutation: row.name.clone(),
        code: result["code"]
            .as_str()
            .map_or(ErrorCode::Unknown, ErrorCode::from_wire),
        message: text(&result["message"]).unwrap_or_default(),
        decided_by: text(&details["decided_by"]),
        decision: text(&details["decision"]),
        occurred_at: row.occurred_at_device,
        answered_at: row.acked_at,
    }
}

#[cfg(test)]
mod tests {
    use super::same_server;

    #[test]
    fn one_server_under_several_spellings() {
        assert!(same_server("http://h:1", "http://h:1/"));
        assert!(same_server("http://h:1/api/v1/", " http://H:1"));
        assert!(!same_server("http://h:1", "http://h:2"));
    }
}
