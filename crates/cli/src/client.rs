//! The headless client's link to the shared server: `login`, `logout` and
//! `sync`, and the way every data-changing command opens the console's
//! services on a data directory. The work itself is the console's own
//! (`redress_app::App::sign_in`, `sign_out`, `sync_now`); this module reads
//! the arguments and prints the outcome.
//!
//! `redressctl` uses no keychain ([`NoVault`]): the session token of a
//! directory it signed in sits in the local store's settings in plain text,
//! readable by whoever can read the data directory; the desktop keeps it in
//! the OS keychain instead.
//!
//! A signed-in directory also keeps the server's rules (calendars, SLA
//! policies, calling code), fetched by `login` and refreshed by every `sync`
//! when their digest changed, and every command on a linked directory
//! decides with them, like the console.

use crate::error::CliError;
use clap::Args;
use redress_app::{App, NoVault, Quiet, RulesRefresh, SignIn, SignOut, SystemClock};
use redress_domain::Rules;
use redress_domain::model::Role;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The server's address, e.g. https://redress.example:8470. Plain
    /// http:// only to this machine unless --insecure-http.
    #[arg(long, value_name = "URL")]
    server: String,
    /// Trust the certificates in this PEM file (a private CA) besides the
    /// system's roots; kept for later syncs.
    #[arg(long, env = "REDRESS_CA_FILE", value_name = "PEM")]
    ca_file: Option<std::path::PathBuf>,
    /// Allow plain http:// to a host that is not loopback: the password and
    /// the session token then cross the network unencrypted.
    #[arg(long)]
    insecure_http: bool,
    /// The user name on the server.
    #[arg(long, value_name = "NAME")]
    user: String,
    /// Read the password from the first line of standard input (the only
    /// way to pass it, so it stays out of the process list and history).
    #[arg(long)]
    password_stdin: bool,
    /// How the server lists this installation.
    #[arg(long, value_name = "NAME", default_value = "redressctl")]
    device_name: String,
}

/// The console's services on `dir`: with the server's sync and its stored
/// rules when the directory has signed in (changes stay pending until
/// `sync`), standalone otherwise (changes are final at once).
pub fn open_app(dir: &Path) -> Result<App, CliError> {
    let app = App::open(
        dir,
        Arc::new(Rules::default()),
        Arc::new(SystemClock),
        Arc::new(Quiet),
        Arc::new(Quiet),
    )?;
    app.follow_link()?;
    Ok(app)
}

/// What to tell the user about the server's rules, if anything (a document
/// that does not check out was reported on stderr already).
fn rules_note(r: &RulesRefresh) -> Option<String> {
    match r {
        RulesRefresh::Changed { digest } => Some(format!("server rules {digest} stored")),
        RulesRefresh::Unchanged | RulesRefresh::Invalid { .. } => None,
    }
}

/// The password on the first line of standard input, when `--password-stdin`
/// says it is there (the only way to pass one, so it stays out of the
/// process list and the shell's history).
pub fn password_from_stdin(password_stdin: bool) -> Result<String, CliError> {
    if !password_stdin {
        return Err(CliError::BadInput {
            code: "password_required",
            message: "pass --password-stdin and the password on standard input".to_owned(),
        });
    }
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| CliError::BadInput {
            code: "password_required",
            message: format!("cannot read the password from standard input: {e}"),
        })?;
    let password = password.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(CliError::BadInput {
            code: "password_required",
            message: "the password on standard input is empty".to_owned(),
        });
    }
    Ok(password.to_owned())
}

pub fn login(args: LoginArgs, dir: &Path) -> Result<String, CliError> {
    let password = password_from_stdin(args.password_stdin)?;
    let password = password.as_str();
    let app = open_app(dir)?;
    let done = app.sign_in(
        &NoVault,
        &SignIn {
            url: &args.server,
            user: &args.user,
            password,
            ca_file: args.ca_file.as_deref(),
            insecure_http: args.insecure_http,
            device_name: &args.device_name,
        },
    )?;
    Ok(format!(
        "signed in to {} as {} ({}) on device {}",
        done.url,
        done.user,
        role_name(done.role),
        done.device
    ))
}

pub fn logout(dir: &Path) -> Result<String, CliError> {
    match open_app(dir)?.sign_out(&NoVault)? {
        SignOut::NeverLinked => Err(CliError::NotSignedIn(
            "this data directory has never signed in".to_owned(),
        )),
        SignOut::AlreadySignedOut { .. } => Ok("already signed out".to_owned()),
        // The token is forgotten here either way; a session the server
        // could not be told about is reported.
        SignOut::SignedOut { url, revoked } => {
            revoked?;
            Ok(format!("signed out of {url}"))
        }
    }
}

/// Pushes every pending change and pulls the server's until caught up.
pub fn sync(dir: &Path) -> Result<String, CliError> {
    let r = open_app(dir)?.sync_now(&NoVault)?;
    let restart_note = r.started_over.map_or_else(String::new, |requeued| {
        format!(
            "the server was restored from a backup: started over, {requeued} changes sent again; "
        )
    });
    let rules_note = rules_note(&r.rules).map_or_else(String::new, |n| format!(", {n}"));
    Ok(format!(
        "{restart_note}pushed {} (applied {}, rejected {}, replayed {}), pulled {} changes, cursor {}, pending {}{rules_note}",
        r.pushed.applied + r.pushed.rejected,
        r.pushed.applied,
        r.pushed.rejected,
        r.pushed.replayed,
        r.pulled.changes,
        r.pulled.cursor,
        r.pending,
    ))
}

fn role_name(role: Role) -> &'static str {
    role.as_str()
}
