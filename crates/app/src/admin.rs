//! The site configuration as an admin edits it, from the console and from
//! `redressctl`: on a console signed in to a server through the server's
//! admin endpoints (versions, `config_conflict`, the audit log live there);
//! on a standalone console in its own store, with the same checks. Only an
//! admin may read it for editing or change it (`forbidden_role`).
//!
//! The screens edit the parts they know (catalogs, SLA policies) and leave
//! the rest of the document as it was in the version the edit started
//! from; the whole document moves as TOML (export, import, `redressctl
//! admin config`).

use crate::error::{AppError, AppResult};
use crate::service::App;
use crate::session::TokenVault;
use jiff::Timestamp;
use redress_domain::ErrorCode;
use redress_domain::RulesDocument;
use redress_domain::authority::AuthorityMatrix;
use redress_domain::calendar::CalendarSpec;
use redress_domain::catalog::Catalogs;
use redress_domain::model::Role;
use redress_domain::rules::{CallbackPolicy, NotificationPolicy, RepeatPolicy};
use redress_domain::sla::SlaPolicy;
use redress_protocol::admin::{AUDIT_CSV_HEADER, AuditEntry, ConfigPut, MAX_AUDIT_PAGE};
use redress_sync::HttpTransport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the configuration an admin edits lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ConfigHome {
    /// The shared server's, versioned.
    Server,
    /// This console's own (standalone), one document without versions.
    Local,
}

/// What the configuration screen edits.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AdminConfig {
    pub home: ConfigHome,
    /// The version this was read at: the base of the next save (`None`
    /// standalone; 0 on a server that holds no version yet).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub version: Option<i64>,
    pub catalogs: Catalogs,
    pub policies: Vec<SlaPolicy>,
    pub authority: AuthorityMatrix,
    pub notifications: NotificationPolicy,
    pub callbacks: CallbackPolicy,
    pub repeats: RepeatPolicy,
    /// The business calendars by id, as written.
    pub calendar_specs: BTreeMap<String, CalendarSpec>,
    /// The calendar ids a target may be measured on (`24x7` first).
    pub calendars: Vec<String>,
    /// The whole document as TOML, for export.
    pub toml: String,
}

/// An edit of the configuration screen.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ConfigEdit {
    /// [`AdminConfig::version`] as read.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub base_version: Option<i64>,
    pub catalogs: Catalogs,
    pub policies: Vec<SlaPolicy>,
    pub authority: AuthorityMatrix,
    pub notifications: NotificationPolicy,
    pub callbacks: CallbackPolicy,
    pub repeats: RepeatPolicy,
    pub calendars: BTreeMap<String, CalendarSpec>,
    #[serde(default)]
    pub note: String,
    /// From when the new version decides; now when left out (on a
    /// standalone console, always now).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub effective_from: Option<Timestamp>,
}

/// One version in the list of versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct VersionLine {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub version: i64,
    pub author: String,
    pub created_at: Timestamp,
    pub effective_from: Timestamp,
    pub note: String,
    pub in_force: bool,
}

/// One line of a diff between two versions' TOML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DiffLine {
    pub change: DiffChange,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DiffChange {
    Same,
    Added,
    Removed,
}

/// One audit entry as the audit view lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuditLine {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: i64,
    pub at: Timestamp,
    pub actor: String,
    pub device: Option<String>,
    pub action: String,
    pub subject: String,
    /// Compact JSON.
    pub before: String,
    pub after: String,
}

/// The document as TOML, without the empty tables and lists that stand for
/// defaults (reading it back fills them in again), so an admin adds a first
/// calendar or policy without meeting a `policies = []` already there.
pub fn config_toml(doc: &RulesDocument) -> AppResult<String> {
    let failed = |e: &dyn std::fmt::Display| {
        AppError::new(
            ErrorCode::InvalidRules,
            format!("the configuration cannot be written as TOML: {e}"),
        )
    };
    let mut value = toml::Value::try_from(doc).map_err(|e| failed(&e))?;
    prune(&mut value);
    toml::to_string(&value).map_err(|e| failed(&e))
}

/// Drops empty tables and arrays inside `value`, innermost first.
fn prune(value: &mut toml::Value) {
    match value {
        toml::Value::Table(table) => {
            for (_, v) in table.iter_mut() {
                prune(v);
            }
            table.retain(|_, v| match v {
                toml::Value::Table(t) => !t.is_empty(),
                toml::Value::Array(a) => !a.is_empty(),
                _ => true,
            });
        }
        toml::Value::Array(items) => items.iter_mut().for_each(prune),
        _ => {}
    }
}

/// A configuration document from TOML; `invalid_rules` with the line and
/// column when it is not one.
pub fn parse_config_toml(text: &str) -> AppResult<RulesDocument> {
    toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let before = text.get(..at).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        AppError::new(
            ErrorCode::InvalidRules,
            format!("line {line}: {}", e.message().trim()),
        )
    })
}

/// The lines of `old` and `new` in order, each kept, added or removed.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| DiffLine {
            change: match c.tag() {
                similar::ChangeTag::Equal => DiffChange::Same,
                similar::ChangeTag::Insert => DiffChange::Added,
                similar::ChangeTag::Delete => DiffChange::Removed,
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

impl App {
    /// Refuses anyone but an admin.
    fn admin_only(&self) -> AppResult<()> {
        let role = self.settings()?.role;
        if role != Role::Admin {
            return Err(AppError::new(
                ErrorCode::ForbiddenRole,
                "only an admin may read or change the site configuration and the audit log",
            ));
        }
        Ok(())
    }

    /// The server's admin client, or `None` standalone.
    fn admin_server(&self, vault: &dyn TokenVault) -> AppResult<Option<HttpTransport>> {
        if self.server_link()?.is_none() {
            return Ok(None);
        }
        self.server_transport(vault).map(Some)
    }

    /// A document and the version it is (`None` standalone): version
    /// `version`, or the one in force.
    pub fn admin_document(
        &self,
        vault: &dyn TokenVault,
        version: Option<i64>,
    ) -> AppResult<(Option<VersionLine>, RulesDocument)> {
        self.admin_only()?;
        match self.admin_server(vault)? {
            Some(http) => {
                let answer = http.admin_config(version)?;
                let v = answer.version;
                Ok((
                    Some(VersionLine {
                        version: v.version,
                        author: v.author.to_string(),
                        created_at: v.created_at,
                        effective_from: v.effective_from,
                        note: v.note,
                        in_force: answer.in_force,
                    }),
                    answer.document,
                ))
            }
            None if version.is_some() => Err(AppError::new(
                ErrorCode::NotSignedIn,
                "a standalone console keeps one configuration without versions",
            )),
            None => Ok((None, self.site_config()?)),
        }
    }

    /// What the configuration screen edits: the version in force.
    pub fn admin_config(&self, vault: &dyn TokenVault) -> AppResult<AdminConfig> {
        let (version, doc) = self.admin_document(vault, None)?;
        let mut calendars = vec!["24x7".to_owned()];
        calendars.extend(doc.calendars.keys().cloned());
        Ok(AdminConfig {
            home: if version.is_some() {
                ConfigHome::Server
            } else {
                ConfigHome::Local
            },
            version: version.map(|v| v.version),
            catalogs: doc.catalogs.clone(),
            policies: doc.sla.policies.clone(),
            authority: doc.authority.clone(),
            notifications: doc.notifications.clone(),
            callbacks: doc.callbacks.clone(),
            repeats: doc.repeats.clone(),
            calendar_specs: doc.calendars.clone(),
            calendars,
            toml: config_toml(&doc)?,
        })
    }

    /// Stores `doc` as the next version (on a server: with `base_version`
    /// for optimistic concurrency, `config_conflict` when stale), or as
    /// this standalone console's configuration. Either way the console
    /// decides with it at once; returns the new version number (`None`
    /// standalone).
    pub fn admin_put(
        &self,
        vault: &dyn TokenVault,
        doc: RulesDocument,
        base_version: Option<i64>,
        effective_from: Option<Timestamp>,
        note: &str,
    ) -> AppResult<Option<i64>> {
        self.admin_only()?;
        // Checked here first: the same codes and messages with or without
        // a server, and nothing sent that cannot be stored.
        doc.to_rules()?;
        match self.admin_server(vault)? {
            Some(http) => {
                let version = http.put_admin_config(&ConfigPut {
                    base_version,
                    effective_from,
                    note: note.to_owned(),
                    document: doc,
                })?;
                // This console follows at once, without waiting for its
                // event stream's announcement.
                self.refresh_server_rules(&http)?;
                Ok(Some(version.version))
            }
            None => {
                self.put_site_config(&doc)?;
                Ok(None)
            }
        }
    }

    /// Applies the configuration screen's edit to the version it started
    /// from and stores the result.
    pub fn admin_save(&self, vault: &dyn TokenVault, edit: ConfigEdit) -> AppResult<Option<i64>> {
        let base = edit.base_version.filter(|v| *v > 0);
        let (_, mut doc) = self.admin_document(vault, base)?;
        doc.catalogs = edit.catalogs;
        doc.sla.policies = edit.policies;
        doc.authority = edit.authority;
        doc.notifications = edit.notifications;
        doc.calendars = edit.calendars;
        doc.callbacks = edit.callbacks;
        doc.repeats = edit.repeats;
        self.admin_put(
            vault,
            doc,
            edit.base_version,
            edit.effective_from,
            &edit.note,
        )
    }

    /// Imports a whole configuration from TOML (as exported).
    pub fn admin_import(
        &self,
        vault: &dyn TokenVault,
        toml: &str,
        base_version: Option<i64>,
        note: &str,
    ) -> AppResult<Option<i64>> {
        let doc = parse_config_toml(toml)?;
        self.admin_put(vault, doc, base_version, None, note)
    }

    /// The server's versions, newest first (empty standalone).
    pub fn admin_versions(&self, vault: &dyn TokenVault) -> AppResult<Vec<VersionLine>> {
        self.admin_only()?;
        let Some(http) = self.admin_server(vault)? else {
            return Ok(Vec::new());
        };
        let answer = http.admin_config_versions()?;
        Ok(answer
            .versions
            .into_iter()
            .map(|v| VersionLine {
                in_force: answer.in_force == Some(v.version),
                version: v.version,
                author: v.author.to_string(),
                created_at: v.created_at,
                effective_from: v.effective_from,
                note: v.note,
            })
            .collect())
    }

    /// What changed from version `from` to version `to`, line by line of
    /// their TOML.
    pub fn admin_diff(
        &self,
        vault: &dyn TokenVault,
        from: i64,
        to: i64,
    ) -> AppResult<Vec<DiffLine>> {
        let (_, old) = self.admin_document(vault, Some(from))?;
        let (_, new) = self.admin_document(vault, Some(to))?;
        Ok(diff_lines(&config_toml(&old)?, &config_toml(&new)?))
    }

    /// The server's whole audit log, oldest first (empty standalone).
    pub fn admin_audit_entries(&self, vault: &dyn TokenVault) -> AppResult<Vec<AuditEntry>> {
        self.admin_only()?;
        let Some(http) = self.admin_server(vault)? else {
            return Ok(Vec::new());
        };
        let mut entries: Vec<AuditEntry> = Vec::new();
        loop {
            let after = entries.last().map_or(0, |e| e.seq);
            let page = http.admin_audit(after, MAX_AUDIT_PAGE)?;
            entries.extend(page.entries);
            if !page.has_more {
                return Ok(entries);
            }
        }
    }

    /// The audit log as the audit view lists it, newest first.
    pub fn admin_audit(&self, vault: &dyn TokenVault) -> AppResult<Vec<AuditLine>> {
        let mut lines: Vec<AuditLine> = self
            .admin_audit_entries(vault)?
            .into_iter()
            .map(|e| AuditLine {
                seq: e.seq,
                at: e.at,
                actor: e.actor.to_string(),
                device: e.device.map(|d| d.to_string()),
                action: e.action,
                subject: e.subject,
                before: e.before.to_string(),
                after: e.after.to_string(),
            })
            .collect();
        lines.reverse();
        Ok(lines)
    }

    /// The audit log as CSV with a header row, oldest first.
    pub fn admin_audit_csv(&self, vault: &dyn TokenVault) -> AppResult<String> {
        audit_csv(&self.admin_audit_entries(vault)?)
    }
}

/// `entries` as CSV with a header row.
pub fn audit_csv(entries: &[AuditEntry]) -> AppResult<String> {
    let failed = |e: &dyn std::fmt::Display| AppError::internal(format!("CSV: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(AUDIT_CSV_HEADER).map_err(|e| failed(&e))?;
    for e in entries {
        out.write_record(e.csv_record()).map_err(|e| failed(&e))?;
    }
    let bytes = out.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|e| failed(&e))
}

/// What an iCalendar file says about days off and make-up working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct IcalDays {
    /// Whole days off (`YYYY-MM-DD`), ascending.
    pub holidays: Vec<String>,
    /// Whole days worked although the weekday is off (调休, 补班), ascending.
    pub working_days: Vec<String>,
    /// Events that are not whole days, and so say nothing about one.
    pub skipped: u32,
}

/// The most text an iCalendar import takes, and the most days it yields.
pub const MAX_ICAL_BYTES: usize = 1 << 20;
const MAX_ICAL_DAYS: usize = 5_000;

/// Whether an event's summary marks a make-up working day rather than a
/// day off: `补班`, `上班`, `调休上班` (Chinese holiday feeds) or "working
/// day" / "workday".
fn is_working_day(summary: &str) -> bool {
    let lower = summary.to_lowercase();
    summary.contains('班') || lower.contains("working day") || lower.contains("workday")
}

/// Reads whole-day events of an iCalendar file (RFC 5545) as holidays and
/// make-up working days: each day from `DTSTART` up to (not including)
/// `DTEND`, one day when there is no end. Events with a time of day are
/// counted in `skipped`.
pub fn ical_days(text: &str) -> AppResult<IcalDays> {
    let invalid = |message: String| AppError::new(ErrorCode::ValidationFailed, message);
    if text.len() > MAX_ICAL_BYTES {
        return Err(invalid(format!(
            "an iCalendar file to import has at most {} KiB",
            MAX_ICAL_BYTES >> 10
        )));
    }
    let unfolded = icalendar::parser::unfold(text);
    let calendar = icalendar::parser::read_calendar(&unfolded).map_err(|e| {
        invalid(format!(
            "not an iCalendar file: {}",
            e.lines().next().unwrap_or("")
        ))
    })?;
    let mut holidays = std::collections::BTreeSet::new();
    let mut working = std::collections::BTreeSet::new();
    let mut skipped = 0u32;
    let day = |value: &str| -> Option<jiff::civil::Date> {
        let v = value.trim();
        if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        format!("{}-{}-{}", &v[..4], &v[4..6], &v[6..]).parse().ok()
    };
    let events = calendar
        .components
        .iter()
        .flat_map(|c| std::iter::once(c).chain(c.components.iter()))
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"));
    for event in events {
        let prop = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
                .map(|p| p.val.as_str().to_owned())
        };
        let Some(start) = prop("DTSTART").as_deref().and_then(day) else {
            skipped += 1;
            continue;
        };
        let end = prop("DTEND")
            .as_deref()
            .and_then(day)
            .filter(|e| *e > start)
            .unwrap_or_else(|| start.tomorrow().unwrap_or(start));
        let work = is_working_day(&prop("SUMMARY").unwrap_or_default());
        let mut d = start;
        while d < end {
            if work {
                working.insert(d.to_string());
            } else {
                holidays.insert(d.to_string());
            }
            if holidays.len() + working.len() > MAX_ICAL_DAYS {
                return Err(invalid(format!(
                    "an iCalendar import yields at most {MAX_ICAL_DAYS} days"
                )));
            }
            let Ok(next) = d.tomorrow() else { break };
            d = next;
        }
    }
    Ok(IcalDays {
        holidays: holidays.into_iter().collect(),
        working_days: working.into_iter().collect(),
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_round_trips_without_empty_defaults() {
        let doc = RulesDocument::default();
        let text = config_toml(&doc).expect("TOML");
        assert_eq!(text.trim(), "default_calling_code = \"86\"");
        assert_eq!(parse_config_toml(&text).expect("parse"), doc);
        let e = parse_config_toml("default_calling_code = \"86\"\nsurprise = 1\n")
            .expect_err("an unknown key");
        assert_eq!(e.code, ErrorCode::InvalidRules);
        assert!(e.message.starts_with("line 2"), "{}", e.message);
    }

    #[test]
    fn an_ical_feed_gives_days_off_and_make_up_working_days() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261004\r\nSUMMARY:国庆节\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:2\r\nDTSTART;VALUE=DATE:20260927\r\nSUMMARY:国庆节补班\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:3\r\nDTSTART:20261010T090000Z\r\nDTEND:20261010T100000Z\r\nSUMMARY:Meeting\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:4\r\nDTSTART;VALUE=DATE:20261225\r\nSUMMARY:Christmas\r\n Day\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
        let days = ical_days(ics).expect("an iCalendar file");
        assert_eq!(
            days.holidays,
            ["2026-10-01", "2026-10-02", "2026-10-03", "2026-12-25"]
        );
        assert_eq!(days.working_days, ["2026-09-27"]);
        assert_eq!(days.skipped, 1);
        let e = ical_days("not a calendar").expect_err("refused");
        assert_eq!(e.code, ErrorCode::ValidationFailed);
        let e = ical_days(&"x".repeat(MAX_ICAL_BYTES + 1)).expect_err("too long");
        assert!(e.message.contains("KiB"), "{}", e.message);
    }

    #[test]
    fn a_diff_marks_added_and_removed_lines() {
        let lines = diff_lines("a\nb\nc\n", "a\nc\nd\n");
        let got: Vec<(DiffChange, &str)> =
            lines.iter().map(|l| (l.change, l.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (DiffChange::Same, "a"),
                (DiffChange::Removed, "b"),
                (DiffChange::Same, "c"),
                (DiffChange::Added, "d"),
            ]
        );
    }
}

/// One account as the People tab lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AccountLine {
    pub name: String,
    /// `person` or `integration`.
    pub kind: String,
    pub role: Role,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub approval_limit_minor: Option<i64>,
    pub disabled: bool,
    pub created_at: Timestamp,
    pub sessions: u32,
}

impl From<redress_protocol::admin::Account> for AccountLine {
    fn from(a: redress_protocol::admin::Account) -> AccountLine {
        AccountLine {
            name: a.name.to_string(),
            kind: a.kind,
            role: a.role,
            approval_limit_minor: a.approval_limit_minor,
            disabled: a.disabled,
            created_at: a.created_at,
            sessions: a.sessions,
        }
    }
}

/// A person to add from the People tab.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AccountInput {
    pub name: String,
    pub role: Role,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub approval_limit_minor: Option<i64>,
    pub password: String,
}

impl std::fmt::Debug for AccountInput {
    // The password stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountInput")
            .field("name", &self.name)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// A change of an account from the People tab.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AccountEdit {
    pub role: Role,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub approval_limit_minor: Option<i64>,
    pub disabled: bool,
}

/// One live session of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SessionLine {
    pub id: String,
    pub device_name: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

impl App {
    /// The server's client for account administration; accounts live on
    /// the server, so a standalone console has none (`not_signed_in`).
    fn accounts_server(&self, vault: &dyn TokenVault) -> AppResult<HttpTransport> {
        self.admin_only()?;
        self.admin_server(vault)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NotSignedIn,
                "accounts live on the server; a standalone console has none",
            )
        })
    }

    /// Every account on the server.
    pub fn admin_accounts(&self, vault: &dyn TokenVault) -> AppResult<Vec<AccountLine>> {
        Ok(self
            .accounts_server(vault)?
            .admin_users()?
            .into_iter()
            .map(AccountLine::from)
            .collect())
    }

    /// Adds a person who may sign in.
    pub fn admin_add_account(
        &self,
        vault: &dyn TokenVault,
        input: AccountInput,
    ) -> AppResult<AccountLine> {
        let http = self.accounts_server(vault)?;
        let added = http.admin_add_user(&redress_protocol::admin::NewAccount {
            name: redress_domain::ids::UserId::new(input.name.trim()),
            role: input.role,
            approval_limit_minor: input.approval_limit_minor,
            password: input.password,
        })?;
        Ok(added.into())
    }

    /// Sets an account's role, personal limit and whether it is disabled.
    pub fn admin_edit_account(
        &self,
        vault: &dyn TokenVault,
        name: &str,
        edit: AccountEdit,
    ) -> AppResult<AccountLine> {
        let http = self.accounts_server(vault)?;
        let changed = http.admin_update_user(
            name,
            &redress_protocol::admin::AccountChange {
                role: edit.role,
                approval_limit_minor: edit.approval_limit_minor,
                disabled: edit.disabled,
            },
        )?;
        Ok(changed.into())
    }

    /// Gives a person a new password; every session of theirs ends.
    pub fn admin_reset_password(
        &self,
        vault: &dyn TokenVault,
        name: &str,
        password: String,
    ) -> AppResult<()> {
        self.accounts_server(vault)?
            .admin_reset_password(name, &redress_protocol::admin::PasswordReset { password })?;
        Ok(())
    }

    /// An account's live sessions.
    pub fn admin_sessions(
        &self,
        vault: &dyn TokenVault,
        name: &str,
    ) -> AppResult<Vec<SessionLine>> {
        Ok(self
            .accounts_server(vault)?
            .admin_user_sessions(name)?
            .into_iter()
            .map(|s| SessionLine {
                id: s.id,
                device_name: s.device_name,
                created_at: s.created_at,
                expires_at: s.expires_at,
            })
            .collect())
    }

    /// Ends an account's sessions (only `id` when given); how many ended.
    pub fn admin_revoke_sessions(
        &self,
        vault: &dyn TokenVault,
        name: &str,
        id: Option<String>,
    ) -> AppResult<u32> {
        Ok(self
            .accounts_server(vault)?
            .admin_revoke_sessions(name, &redress_protocol::admin::RevokeSessions { id })?
            .revoked)
    }
}
