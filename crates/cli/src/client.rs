//! The headless client's link to the shared server: `login`, `logout` and
//! `sync`, and the way every data-changing command opens the console's
//! services on a data directory.
//!
//! A data directory that has signed in keeps the server's address, the user
//! and the session token in its local store under the settings key
//! `keys::SERVER_LINK`. The token sits there in plain text, readable by
//! whoever can read the data directory; the desktop is meant to keep it in
//! the OS keychain instead.
//!
//! A signed-in directory also keeps the server's rules (calendars, SLA
//! policies, calling code; `keys::SERVER_RULES`), fetched by
//! `login` and refreshed by every `sync` when their digest changed, and
//! every command on a linked directory decides with them, like the console.

use crate::error::CliError;
use clap::Args;
use jiff::Timestamp;
use redress_app::{App, Quiet, ServerLink, SystemClock};
use redress_domain::Rules;
use redress_local::LocalStore;
use redress_local::keys;
use redress_protocol::DeviceId;
use redress_sync::{
    EpochCheck, HttpTransport, RulesUpdate, ServerEndpoint, SyncEngine, refresh_rules, stored_rules,
};

use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

/// The data directory's server (the console's own [`ServerLink`]), if it
/// ever signed in.
fn load_link(store: &LocalStore) -> Result<Option<ServerLink>, CliError> {
    Ok(store.read(|r| r.get_setting::<ServerLink>(&keys::SERVER_LINK))?)
}

fn save_link(store: &LocalStore, link: &ServerLink) -> Result<(), CliError> {
    store.write(|tx| tx.set_setting(&keys::SERVER_LINK, link))?;
    Ok(())
}

/// The server with the trust settings sign-in was given.
fn endpoint_of(link: &ServerLink) -> Result<ServerEndpoint, CliError> {
    Ok(ServerEndpoint::parse(
        &link.url,
        link.ca_pem.clone(),
        link.insecure_http,
    )?)
}

/// The session token, which `redressctl` can only use when it is kept in
/// the store (a console that signed in may have put it in the OS keychain).
fn token_of(link: &ServerLink) -> Result<&str, CliError> {
    match (&link.token, link.keychain) {
        (Some(token), _) => Ok(token),
        (None, true) => Err(CliError::NotSignedIn(format!(
            "the session with {} is in the desktop's keychain: run `redressctl login` to use \
             this directory from here",
            link.url
        ))),
        (None, false) => Err(CliError::NotSignedIn(format!(
            "signed out of {}: run `redressctl login` again",
            link.url
        ))),
    }
}

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

/// The console's services on `dir`: with the server's sync when the
/// directory has signed in (changes stay pending until `sync`), standalone
/// otherwise (changes are final at once).
pub fn open_app(dir: &Path) -> Result<App, CliError> {
    let store = LocalStore::open_dir(dir)?;
    let linked = load_link(&store)?.is_some();
    drop(store);
    let app = App::open(
        dir,
        Arc::new(Rules::default()),
        Arc::new(SystemClock),
        Arc::new(Quiet),
        Arc::new(Quiet),
    )?;
    if !linked {
        return Ok(app);
    }
    // The server's rules stored at the last login or sync; a stored
    // document that does not check out is reported and the built-in rules
    // stay.
    if let Err(e) = app.load_server_rules() {
        eprintln!("warning[{}]: {}", e.code, e.message);
    }
    Ok(app.with_server_sync())
}

/// Fetches the server's rules into `store` when their digest changed; what
/// to tell the user about it, if anything.
fn update_rules(transport: &HttpTransport, store: &LocalStore) -> Result<Option<String>, CliError> {
    Ok(match refresh_rules(transport, store)? {
        RulesUpdate::Unchanged => None,
        RulesUpdate::Changed { digest, .. } => Some(format!("server rules {digest} stored")),
        RulesUpdate::Invalid { message, .. } => {
            eprintln!("warning[invalid_rules]: {message}");
            None
        }
    })
}

/// The rules the store's data decides with: the stored server rules, else
/// the built-in ones (a stored document that does not check out is
/// reported).
fn rules_of(store: &LocalStore) -> Result<Rules, CliError> {
    Ok(match stored_rules(store)? {
        Some(Ok(rules)) => rules,
        Some(Err(message)) => {
            eprintln!("warning[invalid_rules]: the stored server rules cannot be used: {message}");
            Rules::default()
        }
        None => Rules::default(),
    })
}

pub fn login(args: LoginArgs, dir: &Path) -> Result<String, CliError> {
    if !args.password_stdin {
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
    // Checked before anything is opened or connected to.
    let endpoint =
        ServerEndpoint::with_ca_file(&args.server, args.ca_file.as_deref(), args.insecure_http)?;
    let url = endpoint.url().to_owned();

    // The console's rule on which stores may join (none with standalone
    // history, none linked to another server), before connecting.
    let app = open_app(dir)?;
    app.check_can_join(&url)?;
    let store = LocalStore::open_dir(dir)?;
    let device = DeviceId(store.read(|r| r.sync_state())?.device_id);
    let session =
        redress_sync::login_to(&endpoint, &args.user, password, device, &args.device_name)?;
    // Linked, with the server's account as the acting user (local
    // prechecks follow it), the way the console records a sign-in.
    app.complete_sign_in(
        &ServerLink {
            url: url.clone(),
            user: session.user.clone(),
            token: Some(session.token.clone()),
            keychain: false,
            ca_pem: endpoint.ca_pem().map(str::to_owned),
            insecure_http: endpoint.insecure_http(),
        },
        session.role,
        session.approval_limit_minor,
    )?;
    update_rules(
        &HttpTransport::for_endpoint(&endpoint, &session.token, device),
        &store,
    )?;
    Ok(format!(
        "signed in to {url} as {} ({}) on device {device}",
        session.user,
        role_name(session.role)
    ))
}

pub fn logout(dir: &Path) -> Result<String, CliError> {
    let store = LocalStore::open_dir(dir)?;
    let Some(mut link) = load_link(&store)? else {
        return Err(CliError::NotSignedIn(
            "this data directory has never signed in".to_owned(),
        ));
    };
    let Some(token) = link.token.take() else {
        return Ok(if link.keychain {
            "the session is in the desktop's keychain: sign out from the console".to_owned()
        } else {
            "already signed out".to_owned()
        });
    };
    let device = DeviceId(store.read(|r| r.sync_state())?.device_id);
    // Forget the token first: it is useless here even if the server
    // cannot be told.
    save_link(&store, &link)?;
    redress_sync::logout_from(&endpoint_of(&link)?, &token, device)?;
    Ok(format!("signed out of {}", link.url))
}

/// Pushes every pending change and pulls the server's until caught up.
pub fn sync(dir: &Path) -> Result<String, CliError> {
    let store = LocalStore::open_dir(dir)?;
    let link = load_link(&store)?.ok_or_else(|| {
        CliError::NotSignedIn("no server: run `redressctl login` first".to_owned())
    })?;
    let token = token_of(&link)?;
    let device = DeviceId(store.read(|r| r.sync_state())?.device_id);
    let transport = HttpTransport::for_endpoint(&endpoint_of(&link)?, token, device);
    let rules_note = update_rules(&transport, &store)?;
    let rules = rules_of(&store)?;
    let engine = SyncEngine::new(store, rules, transport);
    // The server's epoch, by the engine's one rule: a restored server
    // makes this desktop start over before it syncs.
    let epoch = engine.transport().meta()?.server_epoch;
    let restart_note = match engine.check_epoch(epoch)? {
        EpochCheck::StartedOver(done) => format!(
            "the server was restored from a backup: started over, {} changes sent again; ",
            done.requeued
        ),
        EpochCheck::First | EpochCheck::Same => String::new(),
    };
    let (pushed, pulled) = engine.sync(Timestamp::now())?;
    let pending = engine.store().read(|r| r.outbox_pending())?.len();
    let rules_note = rules_note.map_or_else(String::new, |n| format!(", {n}"));
    Ok(format!(
        "{restart_note}pushed {} (applied {}, rejected {}, replayed {}), pulled {} changes, cursor {}, pending {pending}{rules_note}",
        pushed.applied + pushed.rejected,
        pushed.applied,
        pushed.rejected,
        pushed.replayed,
        pulled.changes,
        pulled.cursor
    ))
}

fn role_name(role: redress_domain::model::Role) -> String {
    serde_json::to_value(role)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{role:?}"))
}
