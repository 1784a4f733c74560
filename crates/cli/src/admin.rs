//! `redressctl admin`: the site configuration of a standalone data
//! directory (its catalogs, calendars and policies), as TOML in the format
//! of the server's rules file. A directory linked to a server follows the
//! server's configuration and refuses a local one.

use crate::client::open_app;
use crate::error::CliError;
use clap::Subcommand;
use redress_domain::RulesDocument;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// The site configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Prints the site configuration in force as TOML.
    Get,
    /// Checks FILE (TOML) and makes it the site configuration; nothing
    /// changes when it does not check out.
    Put {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

pub fn run(cmd: AdminCommand, dir: &Path) -> Result<String, CliError> {
    match cmd {
        AdminCommand::Config(ConfigCommand::Get) => {
            let doc = open_app(dir)?.site_config()?;
            toml::to_string(&doc).map_err(|e| CliError::BadInput {
                code: "invalid_rules",
                message: format!("the configuration cannot be written as TOML: {e}"),
            })
        }
        AdminCommand::Config(ConfigCommand::Put { file }) => {
            let doc = read(&file)?;
            let app = open_app(dir)?;
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
