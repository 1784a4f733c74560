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
use redress_app::NoVault;
use redress_app::admin::{audit_csv, config_toml, parse_config_toml};
use redress_domain::RulesDocument;
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

pub fn run(cmd: AdminCommand, dir: &Path) -> Result<String, CliError> {
    let app = open_app(dir)?;
    let linked = app.server_link()?.is_some();
    match cmd {
        AdminCommand::Config(ConfigCommand::Get { version }) => {
            if !linked {
                if version.is_some() {
                    return Err(needs_server("--version"));
                }
                return Ok(config_toml(&app.site_config()?)?);
            }
            let (v, doc) = app.admin_document(&NoVault, version)?;
            let mut text = String::new();
            if let Some(v) = v {
                let state = if v.in_force {
                    "in force"
                } else {
                    "not in force"
                };
                text = format!(
                    "# configuration version {} by {} at {}, effective from {}, {state}\n",
                    v.version, v.author, v.created_at, v.effective_from
                );
            }
            text.push_str(&config_toml(&doc)?);
            Ok(text)
        }
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
            if linked {
                let version = app.admin_put(&NoVault, doc, base_version, effective_from, &note)?;
                return Ok(format!(
                    "stored configuration version {}",
                    version.unwrap_or_default()
                ));
            }
            if base_version.is_some() {
                return Err(needs_server("--base-version"));
            }
            if effective_from.is_some() {
                return Err(needs_server("--effective-from"));
            }
            // Whoever can write the data directory configures it: no role
            // check here (the console asks for an admin).
            app.put_site_config(&doc)?;
            let c = app.catalogs();
            Ok(format!(
                "site configuration stored: {} departments, {} categories in {} groups",
                c.departments.len(),
                c.leaf_categories().count(),
                c.categories.len()
            ))
        }
        AdminCommand::Config(ConfigCommand::Versions) => {
            if !linked {
                return Err(needs_server("config versions"));
            }
            let lines: Vec<String> = app
                .admin_versions(&NoVault)?
                .iter()
                .map(|v| {
                    let mark = if v.in_force { "*" } else { " " };
                    format!(
                        "{mark} {} {} by {} effective {} {:?}",
                        v.version, v.created_at, v.author, v.effective_from, v.note
                    )
                })
                .collect();
            Ok(lines.join("\n"))
        }
        AdminCommand::Audit { json, csv } => {
            if !linked {
                return Err(needs_server("admin audit"));
            }
            let entries = app.admin_audit_entries(&NoVault)?;
            if csv {
                return Ok(audit_csv(&entries)?.trim_end().to_owned());
            }
            let lines: Vec<String> = entries
                .iter()
                .map(|e| {
                    if json {
                        serde_json::to_string(e).unwrap_or_default()
                    } else {
                        // Subjects come from users: quoted.
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

fn read(file: &Path) -> Result<RulesDocument, CliError> {
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| CliError::Unreadable {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    parse_config_toml(&text).map_err(|e| CliError::BadInput {
        code: "invalid_rules",
        message: format!("{shown}: {}", e.message),
    })
}
