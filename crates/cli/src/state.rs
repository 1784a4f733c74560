//! `redressctl state digest`: a fingerprint of the synced state.

use crate::error::CliError;
use clap::Subcommand;
use redress_local::{LocalStore, StoreError};
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Prints a stable hash of the confirmed state (the mirror, without local
    /// changes not yet synced). Every replica that has caught up with the
    /// server prints the server's digest.
    Digest,
}

pub fn run(cmd: StateCommand, dir: &Path) -> Result<String, CliError> {
    match cmd {
        StateCommand::Digest => {
            let store = LocalStore::open_dir(dir)?;
            let mirror = store.read(|r| r.mirror_complaints())?;
            redress_protocol::state_digest(&mirror)
                .map_err(|e| StoreError::InvalidData(e.to_string()).into())
        }
    }
}
