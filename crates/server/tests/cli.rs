//! The `redress-server` binary: administration commands, input errors and a
//! serve that stops on SIGTERM.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_redress-server"));
    command
        .env_remove("REDRESS_DB")
        .env_remove("REDRESS_LISTEN");
    command
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the binary");
    // A command refused early exits without reading: ignore a broken pipe.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    child.wait_with_output().expect("wait for the binary")
}

/// Exit status 2 and exactly one line `error[code]: ...` on stderr.
fn assert_input_error(output: &Output, code: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with(&format!("error[{code}]: ")), "{stderr}");
}

fn db_arg(path: &Path) -> String {
    path.to_str().expect("a UTF-8 path").to_owned()
}

#[test]
fn migrate_and_manage_users() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));

    let output = run(&["migrate", "--db", &db], "");
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("schema version 3"));

    let add = [
        "user",
        "add",
        "sam",
        "--role",
        "supervisor",
        "--approval-limit",
        "10000",
        "--password-stdin",
        "--db",
        &db,
    ];
    let output = run(&add, "a long password\n");
    assert!(output.status.success(), "{output:?}");
    assert_input_error(&run(&add, "a long password\n"), "user_exists");

    // The same through the environment.
    let output = bin()
        .args(["user", "disable", "sam"])
        .env("REDRESS_DB", &db)
        .output()
        .expect("run");
    assert!(output.status.success(), "{output:?}");

    let store = redress_server::SqliteStore::open(&db, redress_domain::Rules::default())
        .expect("open the database");
    let sam =
        redress_server::AccountStore::find_user(&store, &redress_domain::ids::UserId::new("sam"))
            .expect("find")
            .expect("sam exists");
    assert_eq!(sam.approval_limit_minor, Some(10_000));
    assert!(sam.disabled);
    assert!(sam.password_hash.starts_with("$argon2id$"));
    assert!(redress_server::auth::verify_password(
        &sam.password_hash,
        "a long password"
    ));
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));
    let add = |extra: &[&str], stdin: &str| {
        let mut args = vec!["user", "add", "ann", "--db", &db];
        args.extend_from_slice(extra);
        run(&args, stdin)
    };
    assert_input_error(
        &add(
            &["--role", "chief", "--password-stdin"],
            "a long password\n",
        ),
        "invalid_role",
    );
    assert_input_error(
        &add(
            &[
                "--role",
                "agent",
                "--approval-limit",
                "5.5",
                "--password-stdin",
            ],
            "a long password\n",
        ),
        "invalid_amount",
    );
    assert_input_error(&add(&["--role", "agent"], ""), "password_required");
    assert_input_error(
        &add(&["--role", "agent", "--password-stdin"], "short\n"),
        "weak_password",
    );
    assert_input_error(
        &run(&["user", "disable", "nobody", "--db", &db], ""),
        "unknown_user",
    );
    assert_input_error(&run(&["serve"], ""), "usage");
    assert_input_error(&run(&["frobnicate"], ""), "usage");
    assert_input_error(
        &run(&["serve", "--db", &db, "--listen", "not an address"], ""),
        "invalid_address",
    );
}

#[cfg(unix)]
#[test]
fn serve_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));
    let mut child = bin()
        .args(["serve", "--db", &db, "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server");
    let mut log = BufReader::new(child.stderr.take().expect("stderr"));
    // The log line announcing the bound address.
    let addr = loop {
        let mut line = String::new();
        assert!(
            log.read_line(&mut line).expect("read the log") > 0,
            "no serving line"
        );
        if let Some(rest) = line.split("local=").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .expect("an address")
                .to_owned();
        }
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let health: serde_json::Value = agent
        .get(format!("http://{addr}/api/v1/health"))
        .call()
        .expect("health")
        .body_mut()
        .read_json()
        .expect("JSON");
    assert_eq!(health["status"], "ok");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("send SIGTERM");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("poll the server") {
            break exit;
        }
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("the server did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
}
