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
use redress_app::{App, Quiet, Settings, SystemClock};
use redress_domain::Rules;
use redress_domain::ids::UserId;
use redress_local::LocalStore;
use redress_local::keys;
use redress_protocol::DeviceId;
use redress_sync::{
    EpochCheck, HttpTransport, RulesUpdate, ServerEndpoint, SyncEngine, refresh_rules, stored_rules,
};
use serde::{Deserialize, Serialize};
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

/// The server a data directory works with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerLink {
    /// As given to `login` (the API root is derived from it).
    pub url: String,
    pub user: UserId,
    /// The session token; `None` after `logout`.
    #[serde(default)]
    pub token: Option<String>,
    /// The certificates of `login --ca-file` (PEM), trusted besides the
    /// system's roots by every later `sync`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_pem: Option<String>,
    /// `login --insecure-http`: plain HTTP to a host that is not loopback.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_http: bool,
}

impl ServerLink {
    /// The data directory's server, if it ever signed in.
    pub fn load(store: &LocalStore) -> Result<Option<ServerLink>, CliError> {
        Ok(store.read(|r| r.get_setting::<ServerLink>(&keys::SERVER_LINK))?)
    }

    /// The server with the trust settings `login` was given.
    pub fn endpoint(&self) -> Result<ServerEndpoint, CliError> {
        Ok(ServerEndpoint::parse(
            &self.url,
            self.ca_pem.clone(),
            self.insecure_http,
        )?)
    }

    fn save(&self, store: &LocalStore) -> Result<(), CliError> {
        store.write(|tx| tx.set_setting(&keys::SERVER_LINK, self))?;
        Ok(())
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
    let linked = ServerLink::load(&store)?.is_some();
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

    let store = LocalStore::open_dir(dir)?;
    let device = DeviceId(store.read(|r| r.sync_state())?.device_id);
    let session =
        redress_sync::login_to(&endpoint, &args.user, password, device, &args.device_name)?;
    ServerLink {
        url: url.clone(),
        user: session.user.clone(),
        token: Some(session.token.clone()),
        ca_pem: endpoint.ca_pem().map(str::to_owned),
        insecure_http: endpoint.insecure_http(),
    }
    .save(&store)?;
    update_rules(
        &HttpTransport::for_endpoint(&endpoint, &session.token, device),
        &store,
    )?;
    drop(store);

    // Local prechecks (who may decide what) follow the server's account.
    let app = open_app(dir)?;
    let old = app.settings()?;
    let display_name = if old.user == session.user {
        old.display_name.clone()
    } else {
        session.user.as_str().to_owned()
    };
    app.set_settings(&Settings {
        user: session.user.clone(),
        display_name,
        role: session.role,
        approval_limit_minor: session.approval_limit_minor,
        ..old
    })?;
    Ok(format!(
        "signed in to {url} as {} ({}) on device {device}",
        session.user,
        role_name(session.role)
    ))
}

pub fn logout(dir: &Path) -> Result<String, CliError> {
    let store = LocalStore::open_dir(dir)?;
    let Some(mut link) = ServerLink::load(&store)? else {
        return Err(CliError::NotSignedIn(
            "this data directory has never signed in".to_owned(),
        ));
    };
    let Some(token) = link.token.take() else {
        return Ok("already signed out".to_owned());
    };
    let device = DeviceId(store.read(|r| r.sync_state())?.device_id);
    // Forget the token first: it is useless here even if the server
    // cannot be told.
    link.save(&store)?;
    redress_sync::logout_from(&link.endpoint()?, &token, device)?;
    Ok(format!("signed out of {}", link.url))
}

/// Pushes every pending change and pulls the server's until caught up.
pub fn sync(dir: &Path) -> Result<String, CliError> {
    let store = LocalStore::open_dir(dir)?;
    let link = ServerLink::load(&store)?.ok_or_else(|| {
        CliError::NotSignedIn("no server: run `redressctl login` first".to_owned())
    })?;
    let token = link.token.as_deref().ok_or_else(|| {
        CliError::NotSignedIn(format!(
            "signed out of {}: run `redressctl login` again",
            link.url
        ))
    })?;
    let device = DeviceId(store.read(|r| r.sync_state())?.device_id);
    let transport = HttpTransport::for_endpoint(&link.endpoint()?, token, device);
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
