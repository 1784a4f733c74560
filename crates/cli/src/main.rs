//! `redressctl`: the Redress command-line client and admin tool.
//!
//! Exit status: 0 on success, 2 on bad input (including clap's usage errors),
//! 1 when valid input cannot produce an answer. Errors print one line to
//! stderr: `error[<code>]: <message>`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod admin;
mod client;
mod demo;
mod error;
mod sla;
mod state;
mod work;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// clap's usage error as one line: its first line, plus the hint to `--help`.
fn usage_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or("bad usage");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    format!("error[usage]: {first} (see --help)")
}

use crate::error::CliError;

#[derive(Debug, Parser)]
#[command(
    name = "redressctl",
    version,
    about = "Redress command-line client and admin tool"
)]
struct Cli {
    /// The console's data directory (default: $REDRESS_DATA_DIR, else the
    /// desktop app's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// SLA clock arithmetic on business calendars.
    #[command(subcommand)]
    Sla(sla::SlaCommand),
    /// Demo data for trying the console.
    #[command(subcommand)]
    Demo(demo::DemoCommand),
    /// The data directory's synced state.
    #[command(subcommand)]
    State(state::StateCommand),
    /// Signs this data directory in to a shared server.
    Login(client::LoginArgs),
    /// Ends this data directory's server session.
    Logout,
    /// Pushes pending changes to the server and pulls everyone else's.
    Sync,
    /// Records, lists and works on complaints.
    #[command(subcommand)]
    Complaint(work::ComplaintCommand),
    /// Progress updates.
    #[command(subcommand)]
    Progress(work::ProgressCommand),
    /// Remedies.
    #[command(subcommand)]
    Remedy(work::RemedyCommand),
    /// Approval requests.
    #[command(subcommand)]
    Approval(work::ApprovalCommand),
    /// Follow-up calls.
    #[command(subcommand)]
    Callback(work::CallbackCommand),
    /// Administration: the site configuration.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
}

fn run(cli: Cli) -> Result<String, CliError> {
    match cli.command {
        Command::Sla(cmd) => sla::run(cmd),
        Command::Demo(cmd) => demo::run(cmd, &demo::data_dir(cli.data_dir)?),
        Command::State(cmd) => state::run(cmd, &demo::data_dir(cli.data_dir)?),
        Command::Login(args) => client::login(args, &demo::data_dir(cli.data_dir)?),
        Command::Logout => client::logout(&demo::data_dir(cli.data_dir)?),
        Command::Sync => client::sync(&demo::data_dir(cli.data_dir)?),
        Command::Admin(cmd) => admin::run(cmd, &demo::data_dir(cli.data_dir)?),
        Command::Complaint(cmd) => work::complaint(cmd, &demo::data_dir(cli.data_dir)?),
        Command::Progress(cmd) => work::progress(cmd, &demo::data_dir(cli.data_dir)?),
        Command::Remedy(cmd) => work::remedy(cmd, &demo::data_dir(cli.data_dir)?),
        Command::Approval(cmd) => work::approval(cmd, &demo::data_dir(cli.data_dir)?),
        Command::Callback(cmd) => work::callback(cmd, &demo::data_dir(cli.data_dir)?),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version: print as clap formats them.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{}", usage_line(&e));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", e.line());
            ExitCode::from(e.exit_code())
        }
    }
}
