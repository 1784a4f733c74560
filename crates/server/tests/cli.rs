//! The `redress-server` binary: administration commands, input errors and a
//! serve that stops on SIGTERM.

mod support;

use std::time::Duration;
use support::cli::{assert_input_error, bin, db_arg, run, serve_db, terminate};

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
    let (mut child, addr) = serve_db(&db);
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

    let exit = terminate(&mut child);
    assert!(exit.success(), "{exit:?}");
}
