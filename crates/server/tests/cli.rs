//! The `redress-server` binary: administration commands, input errors and a
//! serve that stops on SIGTERM.

mod support;

use std::time::Duration;
use support::cli::{assert_input_error, bin, db_arg, run, serve, serve_db, terminate};

#[test]
fn migrate_and_manage_users() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));

    let output = run(&["migrate", "--db", &db], "");
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("schema version 5"));

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

/// A site's rules: an office calendar and resolution measured on it.
const RULES: &str = r#"default_calling_code = "86"

[calendars.office]
timezone = "Asia/Shanghai"
hours.mon = [["09:00", "18:00"]]

[[sla.policies]]
name = "resolution in office hours"
resolution = { seconds = 28800, calendar = "office" }
"#;

#[test]
fn serve_refuses_bad_rules_and_time_zones() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));
    let serve_with = |rules: &str| {
        let path = dir.path().join("rules.toml");
        std::fs::write(&path, rules).expect("write the rules");
        run(&["serve", "--db", &db, "--rules", &db_arg(&path)], "")
    };
    let stderr =
        |output: &std::process::Output| String::from_utf8_lossy(&output.stderr).into_owned();

    let missing = dir.path().join("no-such-rules.toml");
    let output = run(&["serve", "--db", &db, "--rules", &db_arg(&missing)], "");
    assert_input_error(&output, "unreadable_file");
    assert!(
        stderr(&output).contains("no-such-rules.toml"),
        "{}",
        stderr(&output)
    );

    // A TOML syntax error, with its line and column.
    let output = serve_with("default_calling_code = \"86\"\n[calendars.office\n");
    assert_input_error(&output, "invalid_rules");
    assert!(
        stderr(&output).contains("rules.toml:2:"),
        "{}",
        stderr(&output)
    );

    // A key the document does not have (a typo of `calendars`).
    let output = serve_with(&RULES.replace("[calendars.office]", "[calendar.office]"));
    assert_input_error(&output, "invalid_rules");
    assert!(
        stderr(&output).contains("rules.toml:3:2"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("calendar"), "{}", stderr(&output));

    // A policy on a calendar the document does not define.
    let output = serve_with(&RULES.replace("calendar = \"office\"", "calendar = \"shop\""));
    assert_input_error(&output, "validation_failed");
    assert!(
        stderr(&output).contains("sla.policies[0].resolution.calendar"),
        "{}",
        stderr(&output)
    );

    // A calendar in a time zone that does not exist.
    let output = serve_with(&RULES.replace("Asia/Shanghai", "Mars/Olympus_Mons"));
    assert_input_error(&output, "unknown_time_zone");

    // The site's time zone, by flag and through the environment.
    assert_input_error(
        &run(
            &["serve", "--db", &db, "--time-zone", "Mars/Olympus_Mons"],
            "",
        ),
        "unknown_time_zone",
    );
    let output = bin()
        .args(["serve", "--db", &db])
        .env("REDRESS_TIME_ZONE", "Nowhere/Special")
        .output()
        .expect("run");
    assert_input_error(&output, "unknown_time_zone");

    // Nothing was served: the database was not even created.
    assert!(!dir.path().join("server.sqlite3").exists());
}

#[cfg(unix)]
#[test]
fn serve_logs_the_rules_in_force() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));
    let rules = dir.path().join("site-rules.toml");
    std::fs::write(&rules, RULES).expect("write the rules");
    let mut command = bin();
    command
        .args(["serve", "--db", &db, "--listen", "127.0.0.1:0"])
        .env("REDRESS_RULES", &rules)
        .env("REDRESS_TIME_ZONE", "Asia/Shanghai");
    let logged = std::sync::Mutex::new(Vec::new());
    let (mut child, addr) = serve(command, |line| {
        logged.lock().expect("the log").push(line.to_owned());
    });
    let logged = logged.into_inner().expect("the log");
    let line = logged
        .iter()
        .find(|l| l.contains("rules in force"))
        .unwrap_or_else(|| panic!("no rules line in {logged:?}"));
    assert!(line.contains("site-rules.toml"), "{line}");
    assert!(line.contains("\"office\""), "{line}");
    assert!(line.contains("policies=1"), "{line}");
    assert!(line.contains("time_zone=Asia/Shanghai"), "{line}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let meta: serde_json::Value = agent
        .get(format!("http://{addr}/api/v1/meta"))
        .call()
        .expect("meta")
        .body_mut()
        .read_json()
        .expect("JSON");
    let document: redress_domain::RulesDocument = toml::from_str(RULES).expect("the rules");
    assert_eq!(
        meta["rules_digest"],
        redress_protocol::rules_digest(&document).as_str()
    );
    let exit = terminate(&mut child);
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn serve_refuses_plain_http_off_loopback_and_unusable_certificates() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));
    // Refused before anything is bound or opened.
    assert_input_error(
        &run(&["serve", "--db", &db, "--listen", "0.0.0.0:0"], ""),
        "insecure_transport",
    );
    assert!(!dir.path().join("server.sqlite3").exists());
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "not a certificate").expect("write");
    let junk = db_arg(&junk);
    assert_input_error(
        &run(
            &[
                "serve",
                "--db",
                &db,
                "--listen",
                "0.0.0.0:0",
                "--tls-cert",
                &junk,
                "--tls-key",
                &junk,
            ],
            "",
        ),
        "invalid_tls",
    );
    // The one without the other is a usage error.
    assert_input_error(
        &run(&["serve", "--db", &db, "--tls-cert", &junk], ""),
        "usage",
    );
}

#[cfg(unix)]
#[test]
fn serve_speaks_tls_with_a_certificate() {
    use redress_server::testing::TestCertificates;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = db_arg(&dir.path().join("server.sqlite3"));
    let certs = TestCertificates::generate();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, &certs.cert_pem).expect("write");
    std::fs::write(&key, &certs.key_pem).expect("write");
    let mut command = bin();
    command
        .args(["serve", "--db", &db, "--listen", "127.0.0.1:0"])
        .env("REDRESS_TLS_CERT", &cert)
        .env("REDRESS_TLS_KEY", &key);
    let (mut child, addr) = serve(command, |_| {});
    let endpoint = redress_sync::ServerEndpoint::parse(
        &format!("https://{addr}"),
        Some(certs.ca_pem.clone()),
        false,
    )
    .expect("an endpoint");
    let transport = redress_sync::HttpTransport::for_endpoint(
        &endpoint,
        "no session",
        redress_protocol::DeviceId(uuid::Uuid::nil()),
    );
    let meta = transport.meta().expect("GET /meta over TLS");
    assert_eq!(meta.protocol_max, redress_protocol::PROTOCOL_VERSION);
    let exit = terminate(&mut child);
    assert!(exit.success(), "{exit:?}");
}

/// Account changes on the command line are audited; `audit verify` checks
/// the chain and fails on an edited entry; `audit export` writes CSV.
#[test]
fn account_changes_are_audited_and_the_chain_is_verified() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("server.sqlite3");
    let db = db_arg(&path);
    let add = [
        "user",
        "add",
        "sam",
        "--role",
        "manager",
        "--password-stdin",
        "--db",
        &db,
    ];
    assert!(run(&add, "a long password\n").status.success());
    assert!(
        run(&["user", "disable", "sam", "--db", &db], "")
            .status
            .success()
    );
    let passwd = ["user", "passwd", "sam", "--password-stdin", "--db", &db];
    assert!(run(&passwd, "another long one\n").status.success());

    let verified = run(&["audit", "verify", "--db", &db], "");
    assert!(verified.status.success(), "{verified:?}");
    assert!(
        String::from_utf8_lossy(&verified.stdout).contains("holds: 3 entries"),
        "{verified:?}"
    );

    let export = run(&["audit", "export", "--db", &db], "");
    assert!(export.status.success(), "{export:?}");
    let mut csv = csv::Reader::from_reader(export.stdout.as_slice());
    let header: Vec<String> = csv
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header[..6],
        ["seq", "at", "actor", "device", "action", "subject"]
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("a row")).collect();
    let actions: Vec<&str> = rows.iter().map(|r| &r[4]).collect();
    assert_eq!(actions, ["user.add", "user.disable", "user.password"]);
    assert!(
        rows.iter()
            .all(|r| &r[2] == "server-admin" && &r[5] == "sam")
    );
    assert!(rows[0][7].contains("\"manager\""), "{:?}", &rows[0]);
    // Neither the password nor its hash is in the log.
    let text = String::from_utf8_lossy(&export.stdout);
    assert!(!text.contains("long") && !text.contains("argon2"), "{text}");

    let conn = rusqlite::Connection::open(&path).expect("open the file");
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET after = '{\"role\":\"admin\"}' WHERE seq = 1;",
    )
    .expect("tamper");
    drop(conn);
    let broken = run(&["audit", "verify", "--db", &db], "");
    assert_eq!(broken.status.code(), Some(1), "{broken:?}");
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("error[audit_chain_broken]: entry 1 was changed"),
        "{stderr}"
    );
}
