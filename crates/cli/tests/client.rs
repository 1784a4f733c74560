//! The built `redressctl` as a headless client of a real server started in
//! this test process (127.0.0.1, port 0), on two data directories.
#![allow(clippy::unwrap_used)]

use redress_domain::model::Role;
use redress_local::LocalStore;
use redress_server::ServerStore;
use redress_server::http::HttpConfig;
use redress_server::testing::{PASSWORD, TestCertificates, TestServer};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// A fresh store with `amy` (an agent, who may grant little and approve
/// nothing) and `sue` (a supervisor), served on a free port.
fn start_server(dir: &Path) -> TestServer {
    TestServer::start_at(
        &dir.join("server.sqlite3"),
        &[("amy", Role::Agent, None), ("sue", Role::Supervisor, None)],
    )
}

fn digest(server: &TestServer) -> String {
    server.store().digest().unwrap()
}

/// What a run printed and how it ended.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Standard output of a successful run, trimmed.
    fn ok(self) -> String {
        assert_eq!(self.code, 0, "{self:?}");
        self.stdout.trim().to_owned()
    }
}

/// Runs `redressctl --data-dir <dir> <args>`, with `stdin` as its input.
fn ctl_in(dir: &Path, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redressctl"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("REDRESS_DATA_DIR")
        .env_remove("REDRESS_CA_FILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn ctl(dir: &Path, args: &[&str]) -> Run {
    ctl_in(dir, args, "")
}

fn login(dir: &Path, server: &TestServer, user: &str) -> Run {
    login_with(dir, server, user, &[])
}

fn login_with(dir: &Path, server: &TestServer, user: &str, extra: &[&str]) -> Run {
    let url = server.url();
    let mut args = vec![
        "login",
        "--server",
        &url,
        "--user",
        user,
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    ctl_in(dir, &args, &format!("{PASSWORD}\n"))
}

fn pending(dir: &Path) -> usize {
    let store = LocalStore::open_dir(dir).unwrap();
    store.read(|r| r.outbox_pending()).unwrap().len()
}

fn complaint(dir: &Path, id: &str) -> Value {
    serde_json::from_str(&ctl(dir, &["complaint", "show", id]).ok()).unwrap()
}

/// An agent's complaint worked up to a refund above the agent's limit.
fn work_up_to_a_big_refund(dir: &Path) -> String {
    let id = ctl(dir, &["complaint", "add", "--customer", "Wang Fang"]).ok();
    ctl(dir, &["complaint", "judge", &id, "--valid"]).ok();
    ctl(
        dir,
        &["complaint", "assign", &id, "--department", "billing"],
    )
    .ok();
    ctl(dir, &["complaint", "root-cause", &id, "--cause", "system"]).ok();
    ctl(
        dir,
        &[
            "progress",
            "add",
            &id,
            "--text",
            "Called back, looking into it",
            "--customer-informed",
        ],
    )
    .ok();
    ctl(
        dir,
        &[
            "remedy", "propose", &id, "--kind", "refund", "--amount", "300.00",
        ],
    )
    .ok();
    id
}

#[test]
fn an_agent_and_a_supervisor_agree_with_the_server() {
    let tmp = tempfile::tempdir().unwrap();
    let server = start_server(tmp.path());
    let agent = tmp.path().join("agent");
    let supervisor = tmp.path().join("supervisor");

    let line = login(&agent, &server, "amy").ok();
    assert!(line.contains("amy (agent)"), "{line}");
    let id = work_up_to_a_big_refund(&agent);
    // The refund waits for someone above the agent; nothing has left yet.
    let view = complaint(&agent, &id);
    assert_eq!(view["complaint"]["state"], "awaiting_approval", "{view}");
    assert_eq!(view["pending"], true);
    assert_eq!(pending(&agent), 6);
    let summary = ctl(&agent, &["sync"]).ok();
    assert!(summary.contains("applied 6"), "{summary}");
    assert_eq!(pending(&agent), 0);
    assert_eq!(complaint(&agent, &id)["pending"], false);

    login(&supervisor, &server, "sue").ok();
    ctl(&supervisor, &["sync"]).ok();
    let listed: Value =
        serde_json::from_str(&ctl(&supervisor, &["complaint", "list", "--json"]).ok()).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["id"], id.as_str());
    // The agent may not decide; the supervisor may.
    let refused = ctl(&agent, &["approval", "decide", &id, "--approve"]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(refused.stderr.starts_with("error["), "{refused:?}");
    ctl(
        &supervisor,
        &["approval", "decide", &id, "--approve", "--reason", "fair"],
    )
    .ok();
    ctl(&supervisor, &["sync"]).ok();
    ctl(&agent, &["sync"]).ok();

    let view = complaint(&agent, &id);
    assert_eq!(view["complaint"]["state"], "remedy_agreed", "{view}");
    let a = ctl(&agent, &["state", "digest"]).ok();
    let s = ctl(&supervisor, &["state", "digest"]).ok();
    assert_eq!(a, s);
    assert_eq!(a, digest(&server));
}

#[test]
fn a_wrong_password_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let server = start_server(tmp.path());
    let dir = tmp.path().join("desk");
    let run = ctl_in(
        &dir,
        &[
            "login",
            "--server",
            &server.url(),
            "--user",
            "amy",
            "--password-stdin",
        ],
        "not the password\n",
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with("error[invalid_credentials]: "),
        "{run:?}"
    );
    assert_eq!(run.stderr.trim().lines().count(), 1, "{run:?}");
    // Not signed in, so nothing to sync with.
    let run = ctl(&dir, &["sync"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.starts_with("error[not_signed_in]"), "{run:?}");
}

/// The console's rule on which data directories may join a server holds for
/// `redressctl login` too, and a refused login links nothing.
#[test]
fn login_refuses_standalone_history_and_another_server() {
    let tmp = tempfile::tempdir().unwrap();
    let server = start_server(tmp.path());
    let other = TestServer::start_at(
        &tmp.path().join("other.sqlite3"),
        &[("amy", Role::Agent, None)],
    );

    let standalone = tmp.path().join("standalone");
    ctl(
        &standalone,
        &["complaint", "add", "--customer", "Wang Fang"],
    )
    .ok();
    let run = login(&standalone, &server, "amy");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with("error[standalone_history]: "),
        "{run:?}"
    );
    let store = LocalStore::open_dir(&standalone).unwrap();
    let link: Option<Value> = store
        .read(|r| r.get_setting(&redress_local::keys::SERVER_LINK))
        .unwrap();
    assert_eq!(link, None, "a refused login links nothing");
    drop(store);

    let linked = tmp.path().join("linked");
    login(&linked, &server, "amy").ok();
    let run = login(&linked, &other, "amy");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with("error[linked_elsewhere]: "),
        "{run:?}"
    );
    // Signing in again to its own server is fine.
    login(&linked, &server, "amy").ok();
}

#[test]
fn a_stopped_server_keeps_the_work_pending_until_it_is_back() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = start_server(tmp.path());
    let dir = tmp.path().join("desk");
    login(&dir, &server, "amy").ok();
    let id = ctl(&dir, &["complaint", "add"]).ok();
    ctl(&dir, &["progress", "add", &id, "--text", "noted"]).ok();

    server.stop();
    let run = ctl(&dir, &["sync"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with("error[server_unreachable]"),
        "{run:?}"
    );
    assert_eq!(pending(&dir), 2);

    server.restart();
    let summary = ctl(&dir, &["sync"]).ok();
    assert!(summary.contains("applied 2"), "{summary}");
    assert_eq!(pending(&dir), 0);
    assert_eq!(ctl(&dir, &["state", "digest"]).ok(), digest(&server));
}

#[test]
fn a_restored_server_is_sent_again_what_it_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = start_server(tmp.path());
    let dir = tmp.path().join("desk");
    login(&dir, &server, "amy").ok();
    let kept = ctl(&dir, &["complaint", "add"]).ok();
    ctl(&dir, &["sync"]).ok();
    let file = tmp.path().join("backup.sqlite3");
    redress_server::backup::backup(server.path(), &file).unwrap();
    let lost = ctl(&dir, &["complaint", "add"]).ok();
    ctl(&dir, &["progress", "add", &kept, "--text", "noted"]).ok();
    assert!(ctl(&dir, &["sync"]).ok().contains("applied 2"));

    server.stop();
    redress_server::backup::restore(&file, server.path()).unwrap();
    server.restart();
    let summary = ctl(&dir, &["sync"]).ok();
    assert!(
        summary.starts_with(
            "the server was restored from a backup: started over, 2 changes sent again; \
             pushed 2 (applied 2"
        ),
        "{summary}"
    );
    assert_eq!(pending(&dir), 0);
    assert_eq!(ctl(&dir, &["state", "digest"]).ok(), digest(&server));
    let lost: redress_domain::ids::ComplaintId =
        serde_json::from_value(Value::String(lost)).unwrap();
    assert!(server.store().complaint(lost).unwrap().is_some());
    // Once is enough: the next sync is an ordinary one.
    assert!(ctl(&dir, &["sync"]).ok().starts_with("pushed 0"));
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("desk");
    let id = ctl(&dir, &["complaint", "add"]).ok();
    for args in [
        vec![
            "remedy", "propose", &id, "--kind", "refund", "--amount", "3,00",
        ],
        vec!["remedy", "propose", &id, "--kind", "cash", "--amount", "3"],
        vec!["progress", "add", "not-an-id", "--text", "x"],
        vec!["complaint", "add", "--severity", "9"],
        vec!["callback", "record", &id, "--outcome", "satisfied"],
    ] {
        let run = ctl(&dir, &args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.starts_with("error["), "{run:?}");
        assert_eq!(run.stderr.trim().lines().count(), 1, "{run:?}");
    }
    let run = ctl(
        &dir,
        &["login", "--server", "http://127.0.0.1:1", "--user", "amy"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with("error[password_required]"),
        "{run:?}"
    );
}

#[test]
fn a_signed_in_data_dir_decides_with_the_server_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let doc: redress_domain::rules::RulesDocument = serde_json::from_value(serde_json::json!({
        "calendars": {
            "office": { "timezone": "Asia/Shanghai", "hours": { "mon": [["09:00", "18:00"]] } }
        },
        "sla": { "policies": [{
            "name": "office resolution",
            "resolution": { "seconds": 28800, "calendar": "office" }
        }]}
    }))
    .unwrap();
    let server = TestServer::start_with_rules(doc.clone(), &[("amy", Role::Agent, None)]);
    let dir = tmp.path().join("agent");

    // `login` stores the server's rules and their digest.
    login(&dir, &server, "amy").ok();
    let store = LocalStore::open_dir(&dir).unwrap();
    let stored = store
        .read(|r| {
            Ok::<_, redress_local::StoreError>((
                r.get_setting::<redress_domain::rules::RulesDocument>(
                    &redress_local::keys::SERVER_RULES,
                )?,
                r.get_setting::<String>(&redress_local::keys::SERVER_RULES_DIGEST)?,
            ))
        })
        .unwrap();
    drop(store);
    assert_eq!(
        stored,
        (
            Some(doc.clone()),
            Some(redress_protocol::rules_digest(&doc))
        )
    );

    // Commands decide with them: the resolution clock runs on office hours,
    // which the built-in rules do not know.
    let id = ctl(&dir, &["complaint", "add", "--customer", "Wang Fang"]).ok();
    let view = complaint(&dir, &id);
    let clocks = view["clocks"].as_array().unwrap();
    assert!(
        clocks.iter().any(|c| c["clock"]["calendar"] == "office"),
        "{view}"
    );
    // The server agrees; the rules did not change since `login`.
    let line = ctl(&dir, &["sync"]).ok();
    assert!(
        line.contains("rejected 0") && line.ends_with("pending 0"),
        "{line}"
    );
}

#[test]
fn a_tls_server_is_trusted_through_the_ca_file_for_a_full_sync() {
    let tmp = tempfile::tempdir().unwrap();
    let certs = TestCertificates::generate();
    let server = TestServer::start_with(
        certs.config(HttpConfig::default()),
        &[("amy", Role::Agent, None), ("sue", Role::Supervisor, None)],
    );
    assert!(server.url().starts_with("https://"), "{}", server.url());
    let ca_file = tmp.path().join("ca.pem");
    std::fs::write(&ca_file, &certs.ca_pem).unwrap();
    let ca = ca_file.to_str().unwrap();
    let agent = tmp.path().join("agent");
    let supervisor = tmp.path().join("supervisor");

    // The system's roots do not know the test CA: refused, and waiting
    // will not help.
    let untrusted = login(&agent, &server, "amy");
    assert_eq!(untrusted.code, 1, "{untrusted:?}");
    assert!(
        untrusted.stderr.starts_with("error[tls_failed]"),
        "{untrusted:?}"
    );
    // A file that is no certificate is bad input.
    let bogus = tmp.path().join("bogus.pem");
    std::fs::write(&bogus, "not a certificate").unwrap();
    let run = login_with(
        &agent,
        &server,
        "amy",
        &["--ca-file", bogus.to_str().unwrap()],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.starts_with("error[invalid_ca_file]"), "{run:?}");

    login_with(&agent, &server, "amy", &["--ca-file", ca]).ok();
    let id = work_up_to_a_big_refund(&agent);
    // `sync` trusts the CA file given at `login`.
    let summary = ctl(&agent, &["sync"]).ok();
    assert!(summary.contains("applied 6"), "{summary}");
    assert_eq!(pending(&agent), 0);

    // The environment variable works like the flag.
    let run = Command::new(env!("CARGO_BIN_EXE_redressctl"))
        .arg("--data-dir")
        .arg(&supervisor)
        .args([
            "login",
            "--server",
            &server.url(),
            "--user",
            "sue",
            "--password-stdin",
        ])
        .env_remove("REDRESS_DATA_DIR")
        .env("REDRESS_CA_FILE", ca)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{PASSWORD}\n").as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    ctl(&supervisor, &["sync"]).ok();
    assert_eq!(
        complaint(&supervisor, &id)["complaint"]["state"],
        "awaiting_approval"
    );
    let a = ctl(&agent, &["state", "digest"]).ok();
    let s = ctl(&supervisor, &["state", "digest"]).ok();
    assert_eq!(a, s);
    assert_eq!(a, digest(&server));
    ctl(&agent, &["logout"]).ok();
}

#[test]
fn plain_http_to_another_host_is_refused_before_connecting() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("desk");
    // Nothing listens there (and this machine reaches only loopback): a
    // connection attempt would end as server_unreachable, not as this.
    for server in ["http://10.255.255.1:8470", "http://redress.example:8470"] {
        let run = ctl_in(
            &dir,
            &[
                "login",
                "--server",
                server,
                "--user",
                "amy",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.starts_with("error[insecure_transport]"),
            "{run:?}"
        );
    }
    // The explicit switch lets the address through (to a connection
    // attempt, which fails here: nothing listens on a closed port).
    let run = ctl_in(
        &dir,
        &[
            "login",
            "--server",
            "http://127.0.0.1:1",
            "--user",
            "amy",
            "--password-stdin",
            "--insecure-http",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(
        run.stderr.starts_with("error[server_unreachable]"),
        "{run:?}"
    );
}

/// `redressctl admin` on a signed-in directory goes to the server: an admin
/// reads the configuration as TOML, stores a new version from it with the
/// base version it read, a stale base is refused with `config_conflict`,
/// the other desktop decides with the new version after its next sync, and
/// the audit log lists the change; a supervisor is refused.
#[test]
fn an_admin_edits_the_server_configuration_and_the_audit_log_shows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let server = TestServer::start_at(
        &tmp.path().join("server.sqlite3"),
        &[("ada", Role::Admin, None), ("sue", Role::Supervisor, None)],
    );
    let admin = tmp.path().join("admin");
    let desk = tmp.path().join("desk");
    login(&admin, &server, "ada").ok();
    login(&desk, &server, "sue").ok();

    // Version 0: the rules the server was started with.
    let current = ctl(&admin, &["admin", "config", "get"]).ok();
    assert!(
        current.starts_with("# configuration version 0 "),
        "{current}"
    );

    let file = tmp.path().join("site.toml");
    std::fs::write(
        &file,
        format!(
            "{current}\n[[sla.policies]]\nname = \"resolution in 12 h\"\n\
             resolution = {{ seconds = 43200, calendar = \"24x7\" }}\n"
        ),
    )
    .unwrap();
    let stored = ctl(
        &admin,
        &[
            "admin",
            "config",
            "put",
            file.to_str().unwrap(),
            "--base-version",
            "0",
            "--note",
            "faster resolution",
        ],
    )
    .ok();
    assert!(stored == "stored configuration version 1", "{stored}");
    // The same edit again, from the same stale base.
    let stale = ctl(
        &admin,
        &[
            "admin",
            "config",
            "put",
            file.to_str().unwrap(),
            "--base-version",
            "0",
        ],
    );
    assert_eq!(stale.code, 1, "{stale:?}");
    assert!(
        stale.stderr.starts_with("error[config_conflict]: "),
        "{stale:?}"
    );

    let versions = ctl(&admin, &["admin", "config", "versions"]).ok();
    assert!(
        versions.starts_with("* 1 ") && versions.contains("\"faster resolution\""),
        "{versions}"
    );
    let got = ctl(&admin, &["admin", "config", "get", "--version", "1"]).ok();
    assert!(got.contains("resolution in 12 h"), "{got}");

    // The supervisor's directory takes the new rules at its next sync and
    // decides a new complaint's resolution target with them.
    let line = ctl(&desk, &["sync"]).ok();
    assert!(line.contains("rules"), "{line}");
    let id = ctl(&desk, &["complaint", "add", "--customer", "Wang Fang"]).ok();
    let view = complaint(&desk, &id);
    let clocks = view["clocks"].as_array().unwrap();
    assert!(
        clocks
            .iter()
            .any(|c| c["clock"]["kind"] == "resolution" && c["clock"]["target_secs"] == 43200),
        "{view}"
    );

    let audit = ctl(&admin, &["admin", "audit", "--json"]).ok();
    let entries: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["actor"], "ada");
    assert_eq!(entries[0]["action"], "config.put");
    assert_eq!(entries[0]["after"]["version"], 1);
    let csv = ctl(&admin, &["admin", "audit", "--csv"]).ok();
    assert!(csv.starts_with("seq,at,actor,"), "{csv}");
    assert_eq!(csv.lines().count(), 2, "{csv}");

    // Not an admin: refused, nothing stored.
    let refused = ctl(&desk, &["admin", "config", "put", file.to_str().unwrap()]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.starts_with("error[forbidden_role]: "),
        "{refused:?}"
    );
    let refused = ctl(&desk, &["admin", "audit"]);
    assert!(
        refused.stderr.starts_with("error[forbidden_role]: "),
        "{refused:?}"
    );
    assert!(
        ctl(&admin, &["admin", "config", "versions"])
            .ok()
            .lines()
            .count()
            == 1
    );
}

/// `redressctl admin user` manages the server's accounts as the signed-in
/// admin: a person added signs in with the password given, a role change
/// and a disabling take effect, sessions are listed and ended, and every
/// change is audited under the admin's name.
#[test]
fn an_admin_manages_accounts_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let server = TestServer::start_at(
        &tmp.path().join("server.sqlite3"),
        &[("ada", Role::Admin, None)],
    );
    let admin = tmp.path().join("admin");
    login(&admin, &server, "ada").ok();

    let added = ctl_in(
        &admin,
        &[
            "admin",
            "user",
            "add",
            "wu",
            "--role",
            "agent",
            "--approval-limit",
            "2000",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    )
    .ok();
    assert_eq!(added, "added wu person agent limit 2000 active sessions 0");
    let bad = ctl(
        &admin,
        &[
            "admin",
            "user",
            "add",
            "zhao",
            "--role",
            "boss",
            "--password-stdin",
        ],
    );
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.starts_with("error[invalid_role]: "), "{bad:?}");

    let desk = tmp.path().join("desk");
    login(&desk, &server, "wu").ok();
    let sessions = ctl(&admin, &["admin", "user", "sessions", "wu"]).ok();
    assert_eq!(sessions.lines().count(), 1, "{sessions}");
    assert!(sessions.contains("\"redressctl\""), "{sessions}");

    let set = ctl(
        &admin,
        &["admin", "user", "set", "wu", "--role", "supervisor"],
    )
    .ok();
    assert_eq!(set, "wu person supervisor limit - active sessions 1");
    let list = ctl(&admin, &["admin", "user", "list"]).ok();
    assert_eq!(
        list,
        "ada person admin limit - active sessions 1\nwu person supervisor limit - active sessions 1"
    );
    let ended = ctl(&admin, &["admin", "user", "revoke", "wu"]).ok();
    assert_eq!(ended, "ended 1 sessions of wu");
    let refused = ctl(&desk, &["sync"]);
    assert_ne!(refused.code, 0, "wu's session ended: {refused:?}");
    assert!(
        ctl(&admin, &["admin", "user", "disable", "wu"])
            .ok()
            .contains("disabled")
    );
    assert!(
        ctl(&admin, &["admin", "user", "enable", "wu"])
            .ok()
            .contains("active")
    );
    let unknown = ctl(&admin, &["admin", "user", "disable", "nobody"]);
    assert!(
        unknown.stderr.starts_with("error[unknown_user]: "),
        "{unknown:?}"
    );

    let audit = ctl(&admin, &["admin", "audit", "--json"]).ok();
    let actions: Vec<String> = audit
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["actor"] == "ada")
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        actions,
        [
            "user.add",
            "user.update",
            "session.revoke",
            "user.update",
            "user.update"
        ]
    );
}
