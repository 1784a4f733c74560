//! The `redress-server` binary and its accounts: what its log says about
//! sign-ins, and the user and session commands.

mod support;

use serde_json::json;
use std::time::Duration;
use support::cli::{bin, db_arg, serve_logged, terminate};
use support::{agent, send};

/// The log lines that arrive (each within 10 s of the last) up to and
/// including the first one matching `until`.
fn log_until(log: &std::sync::mpsc::Receiver<String>, until: impl Fn(&str) -> bool) -> Vec<String> {
    let mut lines = Vec::new();
    loop {
        let line = log
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no matching log line in {lines:?}"));
        let done = until(&line);
        lines.push(line);
        if done {
            return lines;
        }
    }
}

#[cfg(unix)]
#[test]
fn a_user_name_with_a_newline_does_not_forge_a_log_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));
    let mut command = bin();
    command.args(["serve", "--db", &db, "--listen", "127.0.0.1:0"]);
    let (mut child, addr, log) = serve_logged(command);
    let forged = "INFO redress_server::http::session: signed in user=admin";
    let name = format!("mallory\n{forged}");
    let reply = send(
        &agent(Duration::from_secs(10)),
        "POST",
        &format!("http://{addr}/api/v1/auth/login"),
        &[("Redress-Protocol", "1".to_owned())],
        Some(
            json!({ "username": name, "password": "guess guess",
                    "device_id": uuid::Uuid::from_u128(1), "device_name": "desk\nINFO forged" })
            .to_string()
            .into_bytes(),
        ),
    );
    assert!(
        [400, 401].contains(&reply.status),
        "refused: {}",
        reply.body
    );
    // The request line comes after the handler's own line.
    let lines = log_until(&log, |l| l.contains("request") && l.contains("auth/login"));
    let refusal = lines
        .iter()
        .find(|l| l.contains("sign-in"))
        .unwrap_or_else(|| panic!("the refusal is logged: {lines:?}"));
    assert!(refusal.contains(r"mallory\nINFO"), "escaped: {refusal}");
    for line in &lines {
        assert!(
            !line.contains("forged") || line.contains(r"\nINFO"),
            "a raw newline from the request in {lines:?}"
        );
        assert!(!line.starts_with("INFO redress_server"), "{line}");
    }
    let exit = terminate(&mut child);
    assert!(exit.success(), "{exit:?}");
}
