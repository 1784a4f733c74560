//! `redress-server`: runs the shared server and administers its database.
//!
//! Bad input exits with status 2 and a runtime failure with status 1, either
//! way with one line `error[code]: message` on standard error.

use clap::{Args, Parser, Subcommand};
use jiff::Timestamp;
use redress_domain::ids::UserId;
use redress_domain::{Rules, RulesDocument};
use redress_protocol::ErrorCode;
use redress_server::config::{
    ConfigStore, NewAudit, NewConfig, RULES_FILE_AUTHOR, SERVER_ADMIN, verify_audit,
};
use redress_server::http::{self, AppState, HttpConfig, Shutdown};
use redress_server::{
    AccountStore, AnyStore, NewUser, StoreError, StoreOptions, UserKind, auth, parse_role,
    role_name,
};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(
    name = "redress-server",
    version,
    about = "The shared Redress sync server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API until SIGTERM or Ctrl-C.
    Serve {
        #[command(flatten)]
        db: Db,
        /// The address to listen on.
        #[arg(long, env = "REDRESS_LISTEN", default_value = "127.0.0.1:8470")]
        listen: String,
        /// The site's rules (business calendars, SLA policies, calling code)
        /// as a TOML file; without it the built-in rules.
        #[arg(long, env = "REDRESS_RULES", value_name = "FILE")]
        rules: Option<PathBuf>,
        /// The site's IANA time zone; it decides the year in complaint
        /// numbers.
        #[arg(
            long,
            env = "REDRESS_TIME_ZONE",
            value_name = "ZONE",
            default_value = "UTC"
        )]
        time_zone: String,
        #[command(flatten)]
        transport: Transport,
    },
    /// Create the database or bring its schema up to date, then exit.
    Migrate {
        #[command(flatten)]
        db: Db,
    },
    /// Manage the users who may sign in.
    #[command(subcommand)]
    User(UserCommand),
    /// List and revoke sessions (sign-ins).
    #[command(subcommand)]
    Session(SessionCommand),
    /// Manage the systems that feed complaints in through the intake API.
    #[command(subcommand)]
    Integration(IntegrationCommand),
    /// Write a consistent copy of a SQLite database into a new file; the
    /// server may keep serving meanwhile. (PostgreSQL: pg_dump, see the
    /// docs.)
    Backup {
        #[command(flatten)]
        db: Db,
        /// The backup file to write; it must not exist.
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Put a backup in place of a SQLite database (stop the server first)
    /// under a new epoch, so desktops start over from it.
    Restore {
        /// The backup file.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[command(flatten)]
        db: Db,
    },
    /// Give a database a new epoch (after pg_restore; stop the servers
    /// first).
    NewEpoch {
        #[command(flatten)]
        db: Db,
    },
    /// Check or export the audit log of configuration and account changes.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Print the OpenAPI document of the HTTP API (JSON) and exit.
    Openapi,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the hash chain, and every configuration version against the
    /// digest its audit entry recorded; exit status 1 when anything does
    /// not hold.
    Verify {
        #[command(flatten)]
        db: Db,
    },
    /// Print the whole audit log as CSV on standard output.
    Export {
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        name: String,
        /// agent, supervisor, manager or admin.
        #[arg(long)]
        role: String,
        /// A personal approval limit in minor currency units (50000 is 500.00),
        /// overriding the role's.
        #[arg(long, value_name = "AMOUNT")]
        approval_limit: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: Db,
    },
    /// Disable a user and revoke their sessions.
    Disable {
        name: String,
        #[command(flatten)]
        db: Db,
    },
    /// Enable a disabled user again; they sign in anew.
    Enable {
        name: String,
        #[command(flatten)]
        db: Db,
    },
    /// Set a person's password and end all their sessions.
    Passwd {
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Debug, Subcommand)]
enum SessionCommand {
    /// List the live sessions, oldest first: id, user, kind, device, since,
    /// until.
    List {
        /// Only this user's.
        #[arg(long)]
        user: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// Revoke a user's live sessions: all of them, or the one whose listed
    /// id starts with `--id`.
    Revoke {
        user: String,
        #[arg(long)]
        id: Option<String>,
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Debug, Subcommand)]
enum IntegrationCommand {
    /// Add an integration (a CRM, an IVR, a web form) and print its token
    /// on standard output, this once.
    Add {
        name: String,
        #[command(flatten)]
        db: Db,
    },
    /// Revoke an integration: disable it and end its token.
    Revoke {
        name: String,
        #[command(flatten)]
        db: Db,
    },
}

/// TLS and the connection limits of `serve`.
#[derive(Debug, Args)]
struct Transport {
    /// The server's certificate chain (PEM, its own certificate first);
    /// with --tls-key, the server speaks HTTPS only.
    #[arg(
        long,
        env = "REDRESS_TLS_CERT",
        value_name = "PEM",
        requires = "tls_key"
    )]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(
        long,
        env = "REDRESS_TLS_KEY",
        value_name = "PEM",
        requires = "tls_cert"
    )]
    tls_key: Option<PathBuf>,
    /// Serve plain HTTP on an address other than loopback (behind a
    /// TLS-terminating proxy on the same host or network, say). Passwords
    /// and session tokens then cross the network unencrypted.
    #[arg(long, env = "REDRESS_INSECURE_HTTP")]
    insecure_http: bool,
    /// Seconds a client has for the TLS handshake and each request's headers.
    #[arg(long, env = "REDRESS_HEADER_TIMEOUT", value_name = "SECONDS")]
    header_timeout: Option<u64>,
    /// Seconds a request's body may take to arrive.
    #[arg(long, env = "REDRESS_BODY_TIMEOUT", value_name = "SECONDS")]
    body_timeout: Option<u64>,
    /// Seconds a connection without a request in flight stays open.
    #[arg(long, env = "REDRESS_IDLE_TIMEOUT", value_name = "SECONDS")]
    idle_timeout: Option<u64>,
    /// The most connections open at once.
    #[arg(long, env = "REDRESS_MAX_CONNECTIONS", value_name = "N")]
    max_connections: Option<usize>,
    /// The most event streams one session may have open at once.
    #[arg(long, env = "REDRESS_STREAMS_PER_SESSION", value_name = "N")]
    streams_per_session: Option<usize>,
}

impl Transport {
    /// The HTTP config these flags ask for, refusing plain HTTP on a
    /// non-loopback `addr` unless --insecure-http says so.
    fn config(&self, addr: std::net::SocketAddr) -> Result<HttpConfig, Failure> {
        let mut config = HttpConfig::default();
        let seconds = |flag: &str, value: Option<u64>, default: std::time::Duration| match value {
            None => Ok(default),
            Some(0) => Err(Failure::input(
                "invalid_timeout",
                format!("--{flag} must be at least 1 second"),
            )),
            Some(s) => Ok(std::time::Duration::from_secs(s)),
        };
        config.header_read_timeout = seconds(
            "header-timeout",
            self.header_timeout,
            config.header_read_timeout,
        )?;
        config.body_timeout = seconds("body-timeout", self.body_timeout, config.body_timeout)?;
        config.idle_timeout = seconds("idle-timeout", self.idle_timeout, config.idle_timeout)?;
        if let Some(max) = self.max_connections {
            if max == 0 {
                return Err(Failure::input(
                    "invalid_limit",
                    "--max-connections must be at least 1",
                ));
            }
            config.max_connections = max;
        }
        if let Some(max) = self.streams_per_session {
            if max == 0 {
                return Err(Failure::input(
                    "invalid_limit",
                    "--streams-per-session must be at least 1",
                ));
            }
            config.streams_per_session = max;
        }
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => {
                config.tls = Some(
                    http::load_tls(cert, key)
                        .map_err(|e| Failure::input(e.code(), e.to_string()))?,
                );
            }
            _ if addr.ip().is_loopback() => {}
            _ if self.insecure_http => {
                tracing::warn!(
                    %addr,
                    "serving plain HTTP on a non-loopback address (--insecure-http): \
                     passwords and session tokens cross the network unencrypted"
                );
            }
            _ => {
                return Err(Failure::input(
                    ErrorCode::InsecureTransport.as_str(),
                    format!(
                        "{addr} is not a loopback address: pass --tls-cert and --tls-key to \
                         serve HTTPS, or --insecure-http to serve plain HTTP anyway"
                    ),
                ));
            }
        }
        Ok(config)
    }
}

#[derive(Debug, Args)]
struct Db {
    /// The server's SQLite database file, or a PostgreSQL URL
    /// (postgres://USER:PASSWORD@HOST:PORT/DB).
    #[arg(long = "db", env = "REDRESS_DB", value_name = "PATH|URL")]
    path: PathBuf,
}

/// Why the command failed, with its exit status.
struct Failure {
    status: u8,
    code: &'static str,
    message: String,
}

impl Failure {
    fn input(code: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            status: 2,
            code,
            message: message.into(),
        }
    }

    fn runtime(code: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            status: 1,
            code,
            message: message.into(),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        let input = matches!(
            e,
            StoreError::UserExists(_) | StoreError::UnknownUser(_) | StoreError::InvalidUser(_)
        );
        Failure {
            status: if input { 2 } else { 1 },
            code: e.code().as_str(),
            message: e.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let text = e.to_string();
            let line = text
                .lines()
                .next()
                .unwrap_or("bad arguments")
                .trim_start_matches("error: ");
            return fail(&Failure::input("usage", line));
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail(&failure),
    }
}

fn fail(failure: &Failure) -> ExitCode {
    let message = failure.message.replace('\n', " ");
    let _ = writeln!(std::io::stderr(), "error[{}]: {message}", failure.code);
    ExitCode::from(failure.status)
}

fn say(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// The database of `db` as a SQLite file; a PostgreSQL URL is refused
/// (its backups are pg_dump's).
fn sqlite_path(db: &Db) -> Result<&Path, Failure> {
    if redress_server::is_postgres_url(&db.path.to_string_lossy()) {
        return Err(Failure::input(
            "not_sqlite",
            "backup and restore copy SQLite files; for PostgreSQL use pg_dump and pg_restore, \
             then `redress-server new-epoch` (see docs/sync-server.md)",
        ));
    }
    Ok(&db.path)
}

impl From<redress_server::backup::BackupError> for Failure {
    fn from(e: redress_server::backup::BackupError) -> Failure {
        Failure {
            status: if e.is_input() { 2 } else { 1 },
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// Records an account change made on the server's command line.
fn audit_account(
    store: &AnyStore,
    action: &str,
    user: &UserId,
    after: serde_json::Value,
) -> Result<(), Failure> {
    store.append_audit(
        &NewAudit {
            actor: UserId::new(SERVER_ADMIN),
            device: None,
            action: action.to_owned(),
            subject: user.to_string(),
            before: serde_json::Value::Null,
            after,
        },
        Timestamp::now(),
    )?;
    Ok(())
}

fn open(db: &Db) -> Result<AnyStore, Failure> {
    Ok(AnyStore::open(&db.path, Rules::default())?)
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Serve {
            db,
            listen,
            rules,
            time_zone,
            transport,
        } => serve(&db, &listen, rules.as_deref(), &time_zone, &transport),
        Command::Backup { db, to } => {
            let epoch = redress_server::backup::backup(sqlite_path(&db)?, &to)?;
            say(&format!(
                "backed up {} into {} (epoch {epoch})",
                db.path.display(),
                to.display()
            ));
            Ok(())
        }
        Command::Restore { from, db } => {
            let epoch = redress_server::backup::restore(&from, sqlite_path(&db)?)?;
            say(&format!(
                "restored {} from {}; its new epoch is {epoch}",
                db.path.display(),
                from.display()
            ));
            Ok(())
        }
        Command::NewEpoch { db } => {
            let epoch = redress_server::backup::new_epoch(&db.path)?;
            say(&format!("{} has the new epoch {epoch}", db.path.display()));
            Ok(())
        }
        Command::Migrate { db } => {
            let store = open(&db)?;
            say(&format!(
                "{} is at schema version {}",
                store.describe(),
                store.schema_version()?
            ));
            Ok(())
        }
        Command::User(UserCommand::Add {
            name,
            role,
            approval_limit,
            password_stdin,
            db,
        }) => {
            let role = parse_role(&role).ok_or_else(|| {
                Failure::input(
                    "invalid_role",
                    format!("unknown role {role:?}; use agent, supervisor, manager or admin"),
                )
            })?;
            let approval_limit_minor = approval_limit
                .map(|amount| {
                    amount
                        .trim()
                        .parse::<i64>()
                        .ok()
                        .filter(|a| *a >= 0)
                        .ok_or_else(|| {
                            Failure::input(
                                "invalid_amount",
                                format!(
                                    "approval limit {amount:?} is not a whole number of minor units"
                                ),
                            )
                        })
                })
                .transpose()?;
            if !password_stdin {
                return Err(Failure::input(
                    "password_required",
                    "pass --password-stdin and the password on standard input",
                ));
            }
            let password = read_password()?;
            let user = NewUser {
                kind: UserKind::Person,
                name: UserId::new(name),
                role,
                approval_limit_minor,
                password_hash: String::new(),
            };
            // Check the name before spending time on the hash.
            user.validate()?;
            let password_hash = auth::hash_password(&password)
                .map_err(|e| Failure::runtime("hash_failed", e.to_string()))?;
            let user = NewUser {
                password_hash,
                ..user
            };
            let store = open(&db)?;
            store.add_user(&user, Timestamp::now())?;
            audit_account(
                &store,
                "user.add",
                &user.name,
                serde_json::json!({
                    "role": role_name(user.role),
                    "approval_limit_minor": user.approval_limit_minor,
                }),
            )?;
            say(&format!("added user {}", user.name));
            Ok(())
        }
        Command::Integration(command) => integration(command),
        Command::Audit(AuditCommand::Verify { db }) => {
            let store = open(&db)?;
            let report = verify_audit(&store)?;
            for problem in &report.problems {
                eprintln!("error[audit_chain_broken]: {}", problem.escape_debug());
            }
            if !report.holds() {
                return Err(Failure::runtime(
                    "audit_chain_broken",
                    format!(
                        "the audit log of {} does not hold: {} problem(s) among {} entries",
                        store.describe(),
                        report.problems.len(),
                        report.entries
                    ),
                ));
            }
            say(&format!(
                "the audit log of {} holds: {} entries, {} configuration versions",
                store.describe(),
                report.entries,
                report.versions
            ));
            Ok(())
        }
        Command::Audit(AuditCommand::Export { db }) => {
            let store = open(&db)?;
            let mut out = csv::Writer::from_writer(std::io::stdout().lock());
            let write_err = |e: csv::Error| Failure::runtime("write_failed", e.to_string());
            out.write_record(redress_protocol::admin::AUDIT_CSV_HEADER)
                .map_err(write_err)?;
            let mut after = 0;
            loop {
                let page = store.audit_page(after, 1000)?;
                let Some(last) = page.last() else { break };
                after = last.seq;
                for e in &page {
                    out.write_record(e.csv_record()).map_err(write_err)?;
                }
            }
            out.flush()
                .map_err(|e| Failure::runtime("write_failed", e.to_string()))
        }
        Command::Openapi => std::io::stdout()
            .write_all(http::openapi_json().as_bytes())
            .map_err(|e| Failure::runtime("write_failed", e.to_string())),
        Command::User(UserCommand::Disable { name, db }) => {
            let name = UserId::new(name);
            let store = open(&db)?;
            store.disable_user(&name, Timestamp::now())?;
            audit_account(
                &store,
                "user.disable",
                &name,
                serde_json::json!({"disabled": true}),
            )?;
            say(&format!("disabled user {name} and revoked their sessions"));
            Ok(())
        }
        Command::User(UserCommand::Enable { name, db }) => {
            let name = UserId::new(name);
            let store = open(&db)?;
            store.enable_user(&name)?;
            audit_account(
                &store,
                "user.enable",
                &name,
                serde_json::json!({"disabled": false}),
            )?;
            say(&format!("enabled user {name}"));
            Ok(())
        }
        Command::User(UserCommand::Passwd {
            name,
            password_stdin,
            db,
        }) => {
            if !password_stdin {
                return Err(Failure::input(
                    "password_required",
                    "pass --password-stdin and the password on standard input",
                ));
            }
            let name = UserId::new(name);
            let store = open(&db)?;
            let password = read_password()?;
            let hash = auth::hash_password(&password)
                .map_err(|e| Failure::runtime("hash_failed", e.to_string()))?;
            store.set_password(&name, &hash, Timestamp::now())?;
            // Never the password or its hash: only that it changed.
            audit_account(
                &store,
                "user.password",
                &name,
                serde_json::json!({"password": "reset"}),
            )?;
            say(&format!(
                "set the password of {name} and revoked their sessions"
            ));
            Ok(())
        }
        Command::Session(SessionCommand::List { user, db }) => {
            let user = user.map(UserId::new);
            for s in open(&db)?.list_sessions(user.as_ref(), Timestamp::now())? {
                // Device names come from clients: quoted and escaped.
                say(&format!(
                    "{} {} {} device {} {:?} since {} until {}",
                    s.id,
                    s.user,
                    s.kind.name(),
                    s.device,
                    s.device_name,
                    s.created_at,
                    s.expires_at
                ));
            }
            Ok(())
        }
        Command::Session(SessionCommand::Revoke { user, id, db }) => {
            let user = UserId::new(user);
            let id = id.map(|id| id.trim().to_ascii_lowercase());
            if id
                .as_deref()
                .is_some_and(|id| id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit()))
            {
                return Err(Failure::input(
                    "invalid_session_id",
                    "a session id is the hex digits `session list` shows",
                ));
            }
            let n = open(&db)?.revoke_sessions(&user, id.as_deref(), Timestamp::now())?;
            say(&format!("revoked {n} sessions of {user}"));
            Ok(())
        }
    }
}

/// `integration add` and `integration revoke`.
fn integration(command: IntegrationCommand) -> Result<(), Failure> {
    use redress_server::integration::{add_integration, revoke_integration};
    match command {
        IntegrationCommand::Add { name, db } => {
            let name = UserId::new(name);
            let store = open(&db)?;
            let (token, token_hash) =
                auth::new_token().map_err(|e| Failure::runtime("token_failed", e.to_string()))?;
            let added = add_integration(&store, &name, token_hash, Timestamp::now())?;
            // The token alone on standard output, for scripts; it is not
            // stored and cannot be shown again.
            say(&token);
            let _ = writeln!(
                std::io::stderr(),
                "added integration {name} (device {}); the token above is shown only this once \
                 and lasts until {} unless revoked",
                added.device,
                added.expires_at
            );
            Ok(())
        }
        IntegrationCommand::Revoke { name, db } => {
            let name = UserId::new(name);
            revoke_integration(&open(&db)?, &name, Timestamp::now())?;
            say(&format!("revoked integration {name}"));
            Ok(())
        }
    }
}

/// The first line of standard input, without its line ending.
fn read_password() -> Result<String, Failure> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| Failure::input("password_unreadable", format!("standard input: {e}")))?;
    let password = input.lines().next().unwrap_or("").to_owned();
    if password.chars().count() < redress_server::MIN_PASSWORD_CHARS {
        return Err(Failure::input(
            "weak_password",
            format!(
                "a password has at least {} characters",
                redress_server::MIN_PASSWORD_CHARS
            ),
        ));
    }
    if password.len() > redress_server::MAX_PASSWORD_BYTES {
        return Err(Failure::input(
            "password_too_long",
            format!(
                "a password has at most {} bytes",
                redress_server::MAX_PASSWORD_BYTES
            ),
        ));
    }
    Ok(password)
}

/// The rules document `--rules` names, or the built-in one, with the rules
/// it describes.
fn load_rules(path: Option<&Path>) -> Result<(RulesDocument, Rules), Failure> {
    let Some(path) = path else {
        let document = RulesDocument::default();
        let rules = document
            .to_rules()
            .map_err(|e| Failure::runtime(e.code().as_str(), e.to_string()))?;
        return Ok((document, rules));
    };
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::input("unreadable_file", format!("{shown}: {e}")))?;
    let invalid = |e: &toml::de::Error| {
        let (line, column) = line_column(&text, e.span().map_or(0, |s| s.start));
        Failure::input(
            ErrorCode::InvalidRules.as_str(),
            format!("{shown}:{line}:{column}: {}", e.message().trim()),
        )
    };
    // Syntax first, so a typo is reported as one rather than as a
    // document that does not fit.
    toml::from_str::<toml::Table>(&text).map_err(|e| invalid(&e))?;
    let document: RulesDocument = toml::from_str(&text).map_err(|e| invalid(&e))?;
    let rules = document
        .to_rules()
        .map_err(|e| Failure::input(e.code().as_str(), format!("{shown}: {e}")))?;
    Ok((document, rules))
}

/// Makes the `--rules` document a new configuration version when the
/// operator changed the file since the server last adopted it (or the
/// database holds no version yet). A file that did not change leaves the
/// versions admins made since in force.
fn adopt_rules_file(store: &AnyStore, document: &RulesDocument) -> Result<(), Failure> {
    let versions = store.config_versions()?;
    let last_adopted = versions
        .iter()
        .find(|v| v.author.as_str() == RULES_FILE_AUTHOR);
    let digest = redress_protocol::rules_digest(document);
    if last_adopted.is_some_and(|v| v.digest == digest) {
        return Ok(());
    }
    store.put_config(
        &NewConfig {
            document,
            base_version: None,
            effective_from: None,
            note: "the rules file the server was started with",
            author: &UserId::new(RULES_FILE_AUTHOR),
            device: None,
        },
        Timestamp::now(),
    )?;
    Ok(())
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn serve(
    db: &Db,
    listen: &str,
    rules: Option<&Path>,
    time_zone: &str,
    transport: &Transport,
) -> Result<(), Failure> {
    let (document, checked) = load_rules(rules)?;
    let time_zone = jiff::tz::TimeZone::get(time_zone).map_err(|_| {
        Failure::input(
            "unknown_time_zone",
            format!("{time_zone:?} is not an IANA time zone such as Asia/Shanghai"),
        )
    })?;
    let zone_name = time_zone.iana_name().unwrap_or("UTC").to_owned();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let addr: std::net::SocketAddr = listen.parse().map_err(|_| {
        Failure::input(
            "invalid_address",
            format!("{listen:?} is not an address such as 127.0.0.1:8470"),
        )
    })?;
    // Before the store is opened: a refused transport touches nothing.
    let config = transport.config(addr)?;
    let tls = config.tls.is_some();
    let store = AnyStore::open_with(
        &db.path,
        StoreOptions {
            time_zone,
            ..StoreOptions::new(checked)
        },
    )?;
    if rules.is_some() {
        adopt_rules_file(&store, &document)?;
    }
    let notifier = store.notifier()?;
    let described = store.describe().to_owned();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::runtime("runtime_failed", e.to_string()))?;
    runtime.block_on(async move {
        let shutdown = Shutdown::new();
        let state = AppState::new(Arc::new(store), notifier, config, shutdown.clone())?
            .with_rules(document);
        // The store is synchronous: asked off the async threads.
        let in_force = state
            .rules_now()
            .await
            .map_err(|e| Failure::runtime(e.code.as_str(), e.message))?;
        let source = match in_force.version {
            Some(v) => format!("configuration version {v}"),
            None => "built-in".to_owned(),
        };
        let file = rules.map_or_else(|| "none".to_owned(), |p| p.display().to_string());
        let calendars: Vec<&str> = in_force
            .document
            .calendars
            .keys()
            .map(String::as_str)
            .collect();
        tracing::info!(
            rules = %source,
            rules_file = %file,
            calendars = ?calendars,
            policies = in_force.document.sla.policies.len(),
            calling_code = ?in_force.document.default_calling_code,
            digest = %in_force.digest,
            time_zone = %zone_name,
            "rules in force"
        );
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            Failure::runtime("bind_failed", format!("cannot listen on {addr}: {e}"))
        })?;
        let local = listener
            .local_addr()
            .map_err(|e| Failure::runtime("bind_failed", e.to_string()))?;
        // The handlers are in place before "serving" is logged, so a
        // SIGTERM sent as soon as the server says it serves stops it cleanly.
        #[cfg(unix)]
        let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(|e| Failure::runtime("signal_failed", e.to_string()))?;
        #[cfg(not(unix))]
        let term = ();
        tokio::spawn(stop_on_signal(shutdown, term));
        let scheme = if tls { "https" } else { "http" };
        tracing::info!(%local, %scheme, db = %described, epoch = %state.epoch(), "serving");
        http::serve(listener, state)
            .await
            .map_err(|e| Failure::runtime("serve_failed", e.to_string()))?;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Triggers `shutdown` on Ctrl-C or (on Unix) SIGTERM, whose handler
/// `term` the caller registered.
#[cfg(unix)]
async fn stop_on_signal(shutdown: Shutdown, mut term: tokio::signal::unix::Signal) {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let term = async {
        term.recv().await;
    };
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down: finishing open requests, ending event streams");
    shutdown.trigger();
}

/// Triggers `shutdown` on Ctrl-C.
#[cfg(not(unix))]
async fn stop_on_signal(shutdown: Shutdown, (): ()) {
    if tokio::signal::ctrl_c().await.is_ok() {
        tracing::info!("shutting down: finishing open requests, ending event streams");
        shutdown.trigger();
    }
}
