//! Working on complaints from the command line: the console's commands
//! through the same application services, so each one writes the overlay
//! and the outbox exactly as the console does (and waits for `sync` when the
//! data directory works with a server).

use crate::client::open_app;
use crate::error::CliError;
use clap::{ArgGroup, Args, Subcommand};
use redress_app::App;
use redress_domain::ErrorCode;
use redress_domain::complaint::Command;
use redress_domain::complaint::ComplaintDraft;
use redress_domain::ids::{
    ApprovalId, AttemptId, CategoryCode, ComplaintId, DeptId, RemedyId, UpdateId, UserId,
};
use redress_domain::model::{
    CallbackOutcome, Customer, InvalidReason, Money, RemedyKind, RootCause, Severity, Subject,
};
use redress_local::DashboardQuery;
use serde::de::DeserializeOwned;
use std::path::Path;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum ComplaintCommand {
    /// Records a new complaint and prints its id.
    Add(Box<AddArgs>),
    /// Lists complaints (the dashboard's rows; open ones unless --state).
    List {
        /// Print the rows as a JSON array.
        #[arg(long)]
        json: bool,
        /// Only these states (wire names such as `assigned`, `closed`).
        #[arg(long, value_name = "STATE")]
        state: Vec<String>,
    },
    /// Prints one complaint, with its clocks, as JSON.
    Show { id: String },
    /// Judges the complaint valid, or invalid with a reason.
    #[command(group(ArgGroup::new("verdict").required(true).args(["valid", "invalid"])))]
    Judge {
        id: String,
        #[arg(long)]
        valid: bool,
        /// Not valid, for this reason (`misunderstanding`, `outside_policy`, ...).
        #[arg(long, value_name = "REASON")]
        invalid: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Assigns the responsible department (and owner).
    Assign {
        id: String,
        #[arg(long, value_name = "DEPT")]
        department: String,
        #[arg(long, value_name = "USER")]
        owner: Option<String>,
    },
    /// Records the root cause (`process`, `system`, ...; repeatable).
    RootCause {
        id: String,
        #[arg(long = "cause", value_name = "CAUSE", required = true)]
        causes: Vec<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Records that the customer was told the outcome.
    Resolve {
        id: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Runs any command given as JSON, `{"name": "close", "args": {...}}`.
    Exec {
        id: String,
        #[arg(long = "command-json", value_name = "JSON")]
        command: String,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The customer's name.
    #[arg(long, default_value = "Walk-in customer")]
    customer: String,
    #[arg(long, default_value = "13800138000")]
    phone: String,
    #[arg(long, value_name = "ID")]
    customer_id: Option<String>,
    /// `phone`, `online_chat`, `app`, `email`, `social_media`, `letter`, `walk_in`.
    #[arg(long, default_value = "phone")]
    channel: String,
    /// What the complaint is about: `product`, `order`, `business_line`, `agent`.
    #[arg(long, default_value = "order")]
    subject_kind: String,
    /// The product name, order number, business line or agent id.
    #[arg(long, default_value = "unknown")]
    subject: String,
    #[arg(long, default_value = "billing.fee")]
    category: String,
    /// What the customer asks for.
    #[arg(long, default_value = "Refund the duplicate charge")]
    demand: String,
    #[arg(long, default_value = "Recorded with redressctl")]
    description: String,
    /// `emotion_driven`, `demand_driven` or `compound`.
    #[arg(long, default_value = "demand_driven")]
    kind: String,
    /// `immediate_fix`, `long_term_improvement` or `emotional_compensation`.
    #[arg(long, default_value = "immediate_fix")]
    demand_class: String,
    /// 1 (low) to 4 (critical).
    #[arg(long, default_value_t = 2)]
    severity: u8,
    #[arg(long)]
    public_exposure: bool,
    /// When the complaint came in (RFC 3339); now by default.
    #[arg(long, value_name = "RFC3339")]
    received_at: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ProgressCommand {
    /// Posts a progress update and prints its id.
    Add {
        id: String,
        #[arg(long)]
        text: String,
        /// The customer was told (counts for the update SLA).
        #[arg(long)]
        customer_informed: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemedyCommand {
    /// Proposes a remedy and prints its id; above the proposer's authority
    /// it waits for approval (see `approval list`).
    Propose {
        id: String,
        /// `refund`, `fee_waiver`, `voucher`, ...
        #[arg(long)]
        kind: String,
        /// In major units with at most two decimals, e.g. 300.00.
        #[arg(long)]
        amount: String,
        /// The currency; the rulebook's by default.
        #[arg(long)]
        currency: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Records that an approved remedy was carried out.
    Implement {
        id: String,
        remedy_id: String,
        #[arg(long, default_value = "")]
        note: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApprovalCommand {
    /// Lists pending approvals (with whether this user may decide them).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Approves or rejects a complaint's approval request (its only pending
    /// one when no approval id is given).
    #[command(group(ArgGroup::new("decision").required(true).args(["approve", "reject"])))]
    Decide {
        id: String,
        approval_id: Option<String>,
        #[arg(long)]
        approve: bool,
        #[arg(long)]
        reject: bool,
        /// Required to reject.
        #[arg(long, default_value = "")]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CallbackCommand {
    /// Records one follow-up call attempt.
    Record {
        id: String,
        /// `satisfied`, `not_satisfied` or `unreachable`.
        #[arg(long)]
        outcome: String,
        /// 3-5 with `satisfied`, 1-2 with `not_satisfied` (which also
        /// needs the customer's reason in `--note`).
        #[arg(long)]
        score: Option<u8>,
        #[arg(long, default_value = "")]
        note: String,
    },
}

fn bad(code: &'static str, message: impl Into<String>) -> CliError {
    CliError::BadInput {
        code,
        message: message.into(),
    }
}

/// A value of a snake_case wire enum (`phone`, `refund`, ...).
fn wire<T: DeserializeOwned>(flag: &str, value: &str) -> Result<T, CliError> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|_| bad("bad_value", format!("{flag}: unknown value {value:?}")))
}

fn uuid_arg(what: &str, value: &str) -> Result<Uuid, CliError> {
    Uuid::parse_str(value.trim())
        .map_err(|_| bad("bad_id", format!("{what} {value:?} is not an id")))
}

fn complaint_id(value: &str) -> Result<ComplaintId, CliError> {
    uuid_arg("complaint", value).map(ComplaintId)
}

/// `300`, `300.5` or `300.00` in minor units (two decimals).
pub fn parse_amount(value: &str) -> Result<i64, CliError> {
    let invalid = || {
        bad(
            "bad_amount",
            format!("--amount {value:?}: expected an amount such as 300.00"),
        )
    };
    let (whole, fraction) = value.trim().split_once('.').unwrap_or((value.trim(), ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || (value.contains('.') && fraction.is_empty())
    {
        return Err(invalid());
    }
    let whole: i64 = whole.parse().map_err(|_| invalid())?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
    whole
        .checked_mul(100)
        .and_then(|m| m.checked_add(cents))
        .ok_or_else(invalid)
}

pub fn complaint(cmd: ComplaintCommand, dir: &Path) -> Result<String, CliError> {
    let app = open_app(dir)?;
    match cmd {
        ComplaintCommand::Add(args) => add(&app, *args),
        ComplaintCommand::List { json, state } => list(&app, json, state),
        ComplaintCommand::Show { id } => {
            let view = app.complaint(complaint_id(&id)?)?;
            to_json(&view)
        }
        ComplaintCommand::Judge {
            id,
            valid,
            invalid,
            note,
        } => {
            let reason = match invalid {
                Some(r) => Some(wire::<InvalidReason>("--invalid", &r)?),
                None => None,
            };
            run(
                &app,
                &id,
                Command::Judge {
                    valid: valid && reason.is_none(),
                    reason,
                    note,
                },
            )
        }
        ComplaintCommand::Assign {
            id,
            department,
            owner,
        } => run(
            &app,
            &id,
            Command::Assign {
                department: DeptId::new(department),
                owner: owner.map(UserId::new),
            },
        ),
        ComplaintCommand::RootCause { id, causes, note } => {
            let categories = causes
                .iter()
                .map(|c| wire::<RootCause>("--cause", c))
                .collect::<Result<Vec<_>, _>>()?;
            run(&app, &id, Command::SetRootCause { categories, note })
        }
        ComplaintCommand::Resolve { id, note } => run(&app, &id, Command::Resolve { note }),
        ComplaintCommand::Exec { id, command } => {
            let command: Command = serde_json::from_str(&command)
                .map_err(|e| bad("bad_command", format!("--command-json: {e}")))?;
            run(&app, &id, command)
        }
    }
}

/// Runs `command` on complaint `id` and prints the id back.
fn run(app: &App, id: &str, command: Command) -> Result<String, CliError> {
    let id = complaint_id(id)?;
    app.execute(id, &command)?;
    Ok(id.to_string())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map_err(|e| redress_app::AppError::internal(e.to_string()).into())
}

fn add(app: &App, a: AddArgs) -> Result<String, CliError> {
    let received_at = match &a.received_at {
        Some(v) => Some(v.parse().map_err(|_| CliError::BadInstant {
            flag: "--received-at",
            value: v.clone(),
        })?),
        None => None,
    };
    let severity = Severity::new(a.severity).ok_or_else(|| {
        bad(
            "bad_value",
            format!("--severity {}: expected 1 to 4", a.severity),
        )
    })?;
    let input = ComplaintDraft {
        customer: Customer {
            name: a.customer,
            phone: a.phone,
            customer_id: a.customer_id,
        },
        channel: wire("--channel", &a.channel)?,
        subject: Subject {
            kind: wire("--subject-kind", &a.subject_kind)?,
            reference: a.subject,
        },
        category: CategoryCode::new(a.category),
        demand: a.demand,
        description: a.description,
        kind: wire("--kind", &a.kind)?,
        demand_class: wire("--demand-class", &a.demand_class)?,
        severity,
        public_exposure: a.public_exposure,
        received_at,
    };
    Ok(app.record_complaint(input)?.to_string())
}

fn list(app: &App, json: bool, states: Vec<String>) -> Result<String, CliError> {
    let rows = app.dashboard_rows(DashboardQuery {
        states,
        ..DashboardQuery::default()
    })?;
    if json {
        return to_json(&rows);
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            let state = serde_json::to_value(r.state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            format!(
                "{}  {}  {state}{}  {}",
                r.id,
                r.number,
                if r.pending { " (not synced)" } else { "" },
                r.customer_name
            )
        })
        .collect();
    Ok(lines.join("\n"))
}

pub fn progress(cmd: ProgressCommand, dir: &Path) -> Result<String, CliError> {
    let app = open_app(dir)?;
    match cmd {
        ProgressCommand::Add {
            id,
            text,
            customer_informed,
        } => {
            let update_id = UpdateId(Uuid::now_v7());
            run(
                &app,
                &id,
                Command::AddProgress {
                    update_id,
                    text,
                    customer_informed,
                },
            )?;
            Ok(update_id.to_string())
        }
    }
}

pub fn remedy(cmd: RemedyCommand, dir: &Path) -> Result<String, CliError> {
    let app = open_app(dir)?;
    match cmd {
        RemedyCommand::Propose {
            id,
            kind,
            amount,
            currency,
            note,
        } => {
            let kind: RemedyKind = wire("--kind", &kind)?;
            let amount_minor = parse_amount(&amount)?;
            let currency = currency.unwrap_or_else(|| app.rules().authority.currency.0.clone());
            let remedy_id = RemedyId(Uuid::now_v7());
            run(
                &app,
                &id,
                Command::ProposeRemedy {
                    remedy_id,
                    kind,
                    amount: Money::new(amount_minor, currency),
                    tier: None,
                    note,
                },
            )?;
            Ok(remedy_id.to_string())
        }
        RemedyCommand::Implement {
            id,
            remedy_id,
            note,
        } => {
            let remedy_id = RemedyId(uuid_arg("remedy", &remedy_id)?);
            run(&app, &id, Command::MarkImplemented { remedy_id, note })
        }
    }
}

pub fn approval(cmd: ApprovalCommand, dir: &Path) -> Result<String, CliError> {
    let app = open_app(dir)?;
    match cmd {
        ApprovalCommand::List { json } => {
            let items = app.approvals()?;
            if json {
                return to_json(&items);
            }
            Ok(items
                .iter()
                .map(|i| {
                    format!(
                        "{}  {}  {}  {} {}{}",
                        i.complaint_id,
                        i.approval.id,
                        i.number,
                        i.remedy.amount.amount_minor,
                        i.remedy.amount.currency.0,
                        i.blocked
                            .as_ref()
                            .map(|b| format!("  (blocked: {b})"))
                            .unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
        ApprovalCommand::Decide {
            id,
            approval_id: chosen,
            approve,
            reject,
            reason,
        } => {
            let cid = complaint_id(&id)?;
            let chosen = chosen
                .map(|a| uuid_arg("approval", &a).map(ApprovalId))
                .transpose()?;
            let complaint = app.complaint(cid)?.complaint;
            let pending: Vec<_> = complaint.pending_approvals().collect();
            let approval = match chosen {
                Some(a) => pending.iter().find(|p| p.id == a).copied().ok_or_else(|| {
                    bad(
                        ErrorCode::NotFound.as_str(),
                        format!("complaint {cid} has no pending approval {a}"),
                    )
                })?,
                None => match pending.as_slice() {
                    [only] => *only,
                    [] => {
                        return Err(bad(
                            ErrorCode::NotFound.as_str(),
                            format!("complaint {cid} has no pending approval"),
                        ));
                    }
                    _ => {
                        return Err(bad(
                            "ambiguous_approval",
                            format!(
                                "complaint {cid} has {} pending approvals; name one",
                                pending.len()
                            ),
                        ));
                    }
                },
            };
            let command = Command::DecideApproval {
                approval_id: approval.id,
                remedy_revision: approval.remedy_revision,
                approve: approve && !reject,
                reason,
            };
            app.execute(cid, &command)?;
            Ok(approval.id.to_string())
        }
    }
}

pub fn callback(cmd: CallbackCommand, dir: &Path) -> Result<String, CliError> {
    let app = open_app(dir)?;
    match cmd {
        CallbackCommand::Record {
            id,
            outcome,
            score,
            note,
        } => {
            let outcome = match (outcome.as_str(), score) {
                ("satisfied", Some(score)) => CallbackOutcome::Satisfied { score },
                ("not_satisfied", Some(score)) => {
                    CallbackOutcome::NotSatisfied { score: Some(score) }
                }
                ("satisfied" | "not_satisfied", None) => {
                    return Err(bad(
                        "bad_value",
                        "--outcome satisfied needs --score 3-5, not_satisfied --score 1-2",
                    ));
                }
                ("unreachable", None) => CallbackOutcome::Unreachable,
                ("unreachable", Some(_)) => {
                    return Err(bad(
                        "bad_value",
                        "--score does not go with --outcome unreachable",
                    ));
                }
                (other, _) => {
                    return Err(bad(
                        "bad_value",
                        format!(
                            "--outcome: unknown value {other:?} (satisfied, not_satisfied, unreachable)"
                        ),
                    ));
                }
            };
            let attempt_id = AttemptId(Uuid::now_v7());
            run(
                &app,
                &id,
                Command::RecordCallback {
                    attempt_id,
                    outcome,
                    note,
                },
            )?;
            Ok(attempt_id.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn amounts_are_read_in_minor_units() {
        assert_eq!(parse_amount("300.00").ok(), Some(30_000));
        assert_eq!(parse_amount("300").ok(), Some(30_000));
        assert_eq!(parse_amount("0.5").ok(), Some(50));
        assert_eq!(parse_amount("12.34").ok(), Some(1_234));
        for bad in [
            "",
            "-1",
            "1.234",
            "1.",
            ".5",
            "1,00",
            "abc",
            "99999999999999999999",
        ] {
            assert!(parse_amount(bad).is_err(), "{bad}");
        }
    }
}
