//! `redressctl admin`: the site configuration (its catalogs, calendars and
//! policies, as TOML in the format of the server's rules file) and the
//! audit log.
//!
//! On a directory signed in to a server these go to the server's admin
//! endpoints as the signed-in user (an admin; anyone else is refused with
//! `forbidden_role`): versions, optimistic concurrency (`--base-version`,
//! `config_conflict`) and the audit log live there. A standalone directory
//! keeps one configuration of its own, without versions.

use crate::client::{open_app, password_from_stdin};
use crate::error::CliError;
use clap::Subcommand;
use jiff::Timestamp;
use redress_app::NoVault;
use redress_app::admin::{
    AccountEdit, AccountInput, AccountLine, audit_csv, config_toml, parse_config_toml,
};
use redress_domain::RulesDocument;
use redress_domain::model::Role;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// The site configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The server's accounts (admins only).
    #[command(subcommand)]
    User(UserCommand),
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

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Lists every account: name, kind, role, personal limit, state,
    /// live sessions.
    List,
    /// Adds a person; the password is read from standard input.
    Add {
        name: String,
        /// agent, supervisor, manager or admin.
        #[arg(long)]
        role: String,
        /// A personal approval limit in minor units (50000 is 500.00).
        #[arg(long, value_name = "MINOR")]
        approval_limit: Option<i64>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Sets a person's role and personal approval limit (none: the role's).
    Set {
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long, value_name = "MINOR")]
        approval_limit: Option<i64>,
    },
    /// Disables an account; every session of it ends.
    Disable { name: String },
    /// Enables a disabled account again.
    Enable { name: String },
    /// Sets a new password (from standard input); every session ends.
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lists an account's live sessions.
    Sessions { name: String },
    /// Ends an account's sessions (only the one whose id starts with ID).
    Revoke {
        name: String,
        #[arg(long)]
        id: Option<String>,
    },
}

fn role_of(name: &str) -> Result<Role, CliError> {
    Role::parse(name).ok_or_else(|| CliError::BadInput {
        code: "invalid_role",
        message: format!("unknown role {name:?}; use agent, supervisor, manager or admin"),
    })
}

fn account_line(a: &AccountLine) -> String {
    let limit = a
        .approval_limit_minor
        .map_or_else(|| "-".to_owned(), |l| l.to_string());
    let state = if a.disabled { "disabled" } else { "active" };
    format!(
        "{} {} {} limit {limit} {state} sessions {}",
        a.name,
        a.kind,
        a.role.as_str(),
        a.sessions
    )
}

fn user_command(app: &redress_app::App, cmd: UserCommand) -> Result<String, CliError> {
    let vault = &NoVault;
    let find = |name: &str| -> Result<AccountLine, CliError> {
        app.admin_accounts(vault)?
            .into_iter()
            .find(|a| a.name == name)
            .ok_or_else(|| CliError::BadInput {
                code: "unknown_user",
                message: format!("no account is named {name}"),
            })
    };
    match cmd {
        UserCommand::List => Ok(app
            .admin_accounts(vault)?
            .iter()
            .map(account_line)
            .collect::<Vec<_>>()
            .join("\n")),
        UserCommand::Add {
            name,
            role,
            approval_limit,
            password_stdin,
        } => {
            let role = role_of(&role)?;
            let password = password_from_stdin(password_stdin)?;
            let added = app.admin_add_account(
                vault,
                AccountInput {
                    name,
                    role,
                    approval_limit_minor: approval_limit,
                    password,
                },
            )?;
            Ok(format!("added {}", account_line(&added)))
        }
        UserCommand::Set {
            name,
            role,
            approval_limit,
        } => {
            let role = role_of(&role)?;
            let current = find(&name)?;
            let changed = app.admin_edit_account(
                vault,
                &name,
                AccountEdit {
                    role,
                    approval_limit_minor: approval_limit,
                    disabled: current.disabled,
                },
            )?;
            Ok(account_line(&changed))
        }
        UserCommand::Disable { name } => set_disabled(app, &find(&name)?, true),
        UserCommand::Enable { name } => set_disabled(app, &find(&name)?, false),
        UserCommand::Passwd {
            name,
            password_stdin,
        } => {
            let password = password_from_stdin(password_stdin)?;
            app.admin_reset_password(vault, &name, password)?;
            Ok(format!("set the password of {name}; their sessions ended"))
        }
        UserCommand::Sessions { name } => Ok(app
            .admin_sessions(vault, &name)?
            .iter()
            .map(|s| {
                // Device names come from clients: quoted.
                format!(
                    "{} {:?} since {} until {}",
                    s.id, s.device_name, s.created_at, s.expires_at
                )
            })
            .collect::<Vec<_>>()
            .join("\n")),
        UserCommand::Revoke { name, id } => {
            let n = app.admin_revoke_sessions(vault, &name, id)?;
            Ok(format!("ended {n} sessions of {name}"))
        }
    }
}

fn set_disabled(
    app: &redress_app::App,
    current: &AccountLine,
    disabled: bool,
) -> Result<String, CliError> {
    let changed = app.admin_edit_account(
        &NoVault,
        &current.name,
        AccountEdit {
            role: current.role,
            approval_limit_minor: current.approval_limit_minor,
            disabled,
        },
    )?;
    Ok(account_line(&changed))
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
        AdminCommand::User(cmd) => {
            if !linked {
                return Err(needs_server("admin user"));
            }
            user_command(&app, cmd)
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
