//! `redressctl admin`: the site configuration (its catalogs, calendars and
//! policies, as TOML in the format of the server's rules file) and the
//! audit log.
//!
//! On a directory signed in to a server these go to the server's admin
//! endpoints as the signed-in user (an admin; anyone else is refused with
//! `forbidden_role`): versions, optimistic concurrency (`--base-version`,
//! `config_conflict`) and the audit log live there. A standalone directory
//! keeps one configuration of its own, without versions.

use crate::client::open_app;
use crate::error::CliError;
use clap::Subcommand;
use jiff::Timestamp;
use redress_app::{App, NoVault};
use redress_domain::RulesDocument;
use redress_protocol::admin::{AuditEntry, ConfigPut, MAX_AUDIT_PAGE};
use redress_sync::HttpTransport;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// The site configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The server's audit log of configuration and account changes, oldest
    /// first.
    Audit {
        /// One JSON object per line instead of one line of text per entry.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// CSV with a header row.
        #[arg(long)]
        csv: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Prints the site configuration in force (or version N) as TOML.
    Get {
        /// A version of the server's configuration.
        #[arg(long, value_name = "N")]
        version: Option<i64>,
    },
    /// Checks FILE (TOML) and makes it the site configuration; nothing
    /// changes when it does not check out. Prints the new version.
    Put {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The version the edit started from: when another was stored
        /// since, nothing is stored (`config_conflict`).
        #[arg(long, value_name = "N")]
        base_version: Option<i64>,
        /// From when the new version decides (RFC 3339); now when left out.
        #[arg(long, value_name = "INSTANT")]
        effective_from: Option<String>,
        /// Why, in a line.
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// Lists the server's configuration versions, newest first.
    Versions,
}

fn needs_server(flag: &str) -> CliError {
    CliError::BadInput {
        code: "not_signed_in",
        message: format!(
            "{flag} needs a data directory signed in to a server; a standalone directory keeps \
             one configuration without versions"
        ),
    }
}

/// The server's admin client when the directory is signed in to one.
fn server(app: &App) -> Result<Option<HttpTransport>, CliError> {
    if app.server_link()?.is_none() {
        return Ok(None);
    }
    Ok(Some(app.server_transport(&NoVault)?))
}

/// The document as TOML, without the empty tables and lists that stand for
/// defaults (reading it back fills them in again), so an admin adds a first
/// calendar or policy without meeting a `policies = []` already there.
fn to_toml(doc: &RulesDocument) -> Result<String, CliError> {
    let failed = |e: &dyn std::fmt::Display| CliError::BadInput {
        code: "invalid_rules",
        message: format!("the configuration cannot be written as TOML: {e}"),
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
            table.retain(|_, v| !is_empty(v));
        }
        toml::Value::Array(items) => items.iter_mut().for_each(prune),
        _ => {}
    }
}

fn is_empty(value: &toml::Value) -> bool {
    match value {
        toml::Value::Table(t) => t.is_empty(),
        toml::Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

pub fn run(cmd: AdminCommand, dir: &Path) -> Result<String, CliError> {
    let app = open_app(dir)?;
    match cmd {
        AdminCommand::Config(ConfigCommand::Get { version }) => match server(&app)? {
            Some(http) => {
                let answer = http.admin_config(version).map_err(app_error)?;
                let v = &answer.version;
                let state = if answer.in_force {
                    "in force"
                } else {
                    "not in force"
                };
                Ok(format!(
                    "# configuration version {} by {} at {}, effective from {}, {state}\n{}",
                    v.version,
                    v.author,
                    v.created_at,
                    v.effective_from,
                    to_toml(&answer.document)?
                ))
            }
            None if version.is_some() => Err(needs_server("--version")),
            None => to_toml(&app.site_config()?),
        },
        AdminCommand::Config(ConfigCommand::Put {
            file,
            base_version,
            effective_from,
            note,
        }) => {
            let doc = read(&file)?;
            let effective_from = effective_from
                .map(|t| {
                    t.parse::<Timestamp>().map_err(|_| CliError::BadInstant {
                        flag: "--effective-from",
                        value: t.clone(),
                    })
                })
                .transpose()?;
            match server(&app)? {
                Some(http) => {
                    let version = http
                        .put_admin_config(&ConfigPut {
                            base_version,
                            effective_from,
                            note,
                            document: doc,
                        })
                        .map_err(app_error)?;
                    Ok(format!(
                        "stored configuration version {} (effective from {})",
                        version.version, version.effective_from
                    ))
                }
                None if base_version.is_some() => Err(needs_server("--base-version")),
                None if effective_from.is_some() => Err(needs_server("--effective-from")),
                None => {
                    app.put_site_config(&doc)?;
                    let c = app.catalogs();
                    Ok(format!(
                        "site configuration stored: {} departments, {} categories in {} groups",
                        c.departments.len(),
                        c.leaf_categories().count(),
                        c.categories.len()
                    ))
                }
            }
        }
        AdminCommand::Config(ConfigCommand::Versions) => {
            let http = server(&app)?.ok_or_else(|| needs_server("config versions"))?;
            let answer = http.admin_config_versions().map_err(app_error)?;
            let lines: Vec<String> = answer
                .versions
                .iter()
                .map(|v| {
                    let mark = if answer.in_force == Some(v.version) {
                        "*"
                    } else {
                        " "
                    };
                    format!(
                        "{mark} {} {} by {} effective {} {:?}",
                        v.version, v.created_at, v.author, v.effective_from, v.note
                    )
                })
                .collect();
            Ok(lines.join("\n"))
        }
        AdminCommand::Audit { json, csv } => {
            let http = server(&app)?.ok_or_else(|| needs_server("admin audit"))?;
            let entries = all_entries(&http)?;
            if csv {
                return audit_csv(&entries);
            }
            let lines: Vec<String> = entries
                .iter()
                .map(|e| {
                    if json {
                        serde_json::to_string(e).unwrap_or_default()
                    } else {
                        // Subjects and values come from users: quoted.
                        format!(
                            "{} {} {} {} {:?} {} -> {}",
                            e.seq, e.at, e.actor, e.action, e.subject, e.before, e.after
                        )
                    }
                })
                .collect();
            Ok(lines.join("\n"))
        }
    }
}

fn app_error(e: redress_sync::TransportError) -> CliError {
    CliError::App(e.into())
}

fn all_entries(http: &HttpTransport) -> Result<Vec<AuditEntry>, CliError> {
    let mut entries: Vec<AuditEntry> = Vec::new();
    loop {
        let after = entries.last().map_or(0, |e| e.seq);
        let page = http.admin_audit(after, MAX_AUDIT_PAGE).map_err(app_error)?;
        entries.extend(page.entries);
        if !page.has_more {
            return Ok(entries);
        }
    }
}

fn audit_csv(entries: &[AuditEntry]) -> Result<String, CliError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| CliError::BadInput {
        code: "write_failed",
        message: e.to_string(),
    };
    out.write_record([
        "seq", "at", "actor", "device", "action", "subject", "before", "after", "hash",
    ])
    .map_err(failed)?;
    for e in entries {
        out.write_record([
            e.seq.to_string(),
            e.at.to_string(),
            e.actor.to_string(),
            e.device.map(|d| d.to_string()).unwrap_or_default(),
            e.action.clone(),
            e.subject.clone(),
            e.before.to_string(),
            e.after.to_string(),
            e.hash.clone(),
        ])
        .map_err(failed)?;
    }
    let bytes = out.into_inner().map_err(|e| CliError::BadInput {
        code: "write_failed",
        message: e.to_string(),
    })?;
    Ok(String::from_utf8_lossy(&bytes).trim_end().to_owned())
}

fn read(file: &Path) -> Result<RulesDocument, CliError> {
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| CliError::Unreadable {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    toml::from_str(&text).map_err(|e| CliError::BadInput {
        code: "invalid_rules",
        message: format!("{shown}: {}", e.message().trim()),
    })
}
