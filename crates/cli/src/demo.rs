//! `redressctl demo seed`: fills an empty data directory with demo complaints.

use crate::error::CliError;
use clap::Subcommand;
use jiff::Timestamp;
use redress_domain::RulesDocument;
use redress_local::{LocalStore, keys};
use redress_testkit::demo::catalog::demo_catalogs;
use redress_testkit::demo::{DemoOptions, demo_complaints};
use std::path::{Path, PathBuf};

/// The desktop app's identifier; its data directory is named after it.
pub const APP_IDENTIFIER: &str = "com.redress.console";

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Seeds the example complaints of the domain brief plus N generated ones
    /// in every state, timed so that reminders fall due within a minute.
    Seed {
        /// Generated complaints besides the seven examples.
        #[arg(long, default_value_t = 300)]
        count: usize,
        /// The same seed gives the same data.
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Gives a standalone demo directory the demo's site configuration (its
    /// catalogs) when it has none, for demo data seeded before catalogs.
    Site,
}

/// `--data-dir`, else `REDRESS_DATA_DIR`, else the desktop app's data
/// directory (`$XDG_DATA_HOME/<identifier>`, `~/.local/share/<identifier>`).
pub fn data_dir(flag: Option<PathBuf>) -> Result<PathBuf, CliError> {
    if let Some(dir) = flag.or_else(redress_local::data_dir_from_env) {
        return Ok(dir);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))
        .ok_or(CliError::NoDataDir)?;
    Ok(base.join(APP_IDENTIFIER))
}

pub fn run(cmd: DemoCommand, dir: &Path) -> Result<String, CliError> {
    match cmd {
        DemoCommand::Seed { count, seed } => seed_store(dir, count, seed, Timestamp::now()),
        DemoCommand::Site => demo_site(dir),
    }
}

/// The demo as a standalone site: its catalogs name every department,
/// category and person of the demo data in both languages.
fn demo_site_config() -> RulesDocument {
    RulesDocument {
        catalogs: demo_catalogs(),
        ..RulesDocument::default()
    }
}

fn demo_site(dir: &Path) -> Result<String, CliError> {
    let store = LocalStore::open_dir(dir)?;
    let linked = store.read(|r| r.get_setting::<serde_json::Value>(&keys::SERVER_LINK))?;
    let own = store.read(|r| r.get_setting::<RulesDocument>(&keys::LOCAL_RULES))?;
    if linked.is_some() || own.is_some() {
        return Ok(format!("{} keeps its site configuration", dir.display()));
    }
    store.write(|tx| tx.set_setting(&keys::LOCAL_RULES, &demo_site_config()))?;
    Ok(format!(
        "demo site configuration stored in {}",
        dir.display()
    ))
}

fn seed_store(dir: &Path, count: usize, seed: u64, now: Timestamp) -> Result<String, CliError> {
    let store = LocalStore::open_dir(dir)?;
    let existing = store.read(|r| r.complaint_count())?;
    if existing > 0 {
        return Err(CliError::StoreNotEmpty {
            path: dir.display().to_string(),
            count: existing,
        });
    }
    // The demo is a standalone site of its own: its catalogs name every
    // department and category in both languages, and the rulebook records
    // the demo complaints under them.
    let site = demo_site_config();
    let rules = site.to_rules()?;
    let complaints = demo_complaints(&DemoOptions::new(count, seed, now), &rules)?;
    store.write(|tx| {
        tx.set_setting(&keys::LOCAL_RULES, &site)?;
        for c in &complaints {
            tx.put_mirror(c, &rules, 1, 0)?;
        }
        Ok::<_, CliError>(())
    })?;
    let open = complaints
        .iter()
        .filter(|c| c.state != redress_domain::complaint::ComplaintState::Closed)
        .count();
    Ok(format!(
        "seeded {} complaints ({open} open) into {}",
        complaints.len(),
        dir.display()
    ))
}
