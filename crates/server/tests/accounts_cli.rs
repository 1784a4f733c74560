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
    let login = |name: &str, device_name: &str| {
        send(
            &agent(Duration::from_secs(10)),
            "POST",
            &format!("http://{addr}/api/v1/auth/login"),
            &[("Redress-Protocol", "1".to_owned())],
            Some(
                json!({ "username": name, "password": "guess guess",
                        "device_id": uuid::Uuid::from_u128(1), "device_name": device_name })
                .to_string()
                .into_bytes(),
            ),
        )
    };
    // Control characters never get as far as a log line: refused first.
    let forged = "INFO redress_server::http::session: signed in user=admin";
    let reply = login(&format!("mallory\n{forged}"), "desk");
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.body["code"], "invalid_text");
    let reply = login("mallory", "desk\nINFO forged");
    assert_eq!(reply.body["code"], "invalid_text");
    // What does reach the log is a quoted, escaped field.
    let reply = login(r#"mal"lory user="admin"#, "desk");
    assert_eq!(reply.status, 401, "{}", reply.body);
    let lines = log_until(&log, |l| l.contains("failed sign-in"));
    let refusal = lines.last().expect("the refusal");
    assert!(
        refusal.contains(r#"user="mal\"lory user=\"admin""#),
        "escaped: {refusal}"
    );
    for line in &lines {
        assert!(!line.contains("forged"), "{line}");
        assert!(
            !line.starts_with("INFO redress_server::http::session"),
            "{line}"
        );
    }
    let exit = terminate(&mut child);
    assert!(exit.success(), "{exit:?}");
}

/// `user passwd` ends the person's sessions and the new password works;
/// `session list` shows live sessions (device names escaped) and `session
/// revoke` ends them; `user enable` undoes `user disable`.
#[test]
fn passwords_sessions_and_enabling_are_managed_from_the_command_line() {
    use redress_server::{AccountStore, SqliteStore};
    use support::cli::{assert_input_error, run};
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("server.sqlite3");
    let db = db_arg(&path);
    let ok = |args: &[&str], stdin: &str| {
        let out = run(args, stdin);
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    ok(&["migrate", "--db", &db], "");
    ok(
        &[
            "user",
            "add",
            "ann",
            "--role",
            "agent",
            "--password-stdin",
            "--db",
            &db,
        ],
        "first password\n",
    );
    let (mut child, addr) = support::cli::serve_db(&db);
    let login = |password: &str, device: u128| {
        send(
            &agent(Duration::from_secs(10)),
            "POST",
            &format!("http://{addr}/api/v1/auth/login"),
            &[("Redress-Protocol", "1".to_owned())],
            Some(
                json!({ "username": "ann", "password": password,
                        "device_id": uuid::Uuid::from_u128(device),
                        "device_name": format!("ann's \"desk\" {device}") })
                .to_string()
                .into_bytes(),
            ),
        )
    };
    assert_eq!(login("first password", 1).status, 200);
    assert_eq!(login("first password", 2).status, 200);

    let listed = ok(&["session", "list", "--db", &db], "");
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(lines[0].contains(r#" ann person device "#), "{listed}");
    assert!(
        lines[0].contains(r#""ann's \"desk\" 1""#),
        "escaped: {listed}"
    );
    let id = lines[1].split(' ').next().expect("an id");
    assert_eq!(
        ok(
            &["session", "revoke", "ann", "--id", &id[..8], "--db", &db],
            ""
        )
        .trim(),
        "revoked 1 sessions of ann"
    );
    assert_eq!(
        ok(&["session", "list", "--user", "ann", "--db", &db], "")
            .lines()
            .count(),
        1
    );
    assert_input_error(
        &run(
            &["session", "revoke", "ann", "--id", "not hex", "--db", &db],
            "",
        ),
        "invalid_session_id",
    );

    ok(
        &["user", "passwd", "ann", "--password-stdin", "--db", &db],
        "second password\n",
    );
    assert!(
        ok(&["session", "list", "--db", &db], "").is_empty(),
        "all ended"
    );
    assert_eq!(login("first password", 3).status, 401);
    assert_eq!(login("second password", 3).status, 200);
    assert_input_error(
        &run(
            &["user", "passwd", "nobody", "--password-stdin", "--db", &db],
            "a password\n",
        ),
        "unknown_user",
    );

    ok(&["user", "disable", "ann", "--db", &db], "");
    assert_eq!(login("second password", 3).status, 403);
    ok(&["user", "enable", "ann", "--db", &db], "");
    assert_eq!(login("second password", 3).status, 200);
    let exit = terminate(&mut child);
    assert!(exit.success(), "{exit:?}");
    let store = SqliteStore::open(&path, redress_domain::Rules::default()).expect("open");
    assert_eq!(
        store
            .list_sessions(None, jiff::Timestamp::now())
            .expect("list")
            .len(),
        1
    );
}
