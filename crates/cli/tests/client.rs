//! The built `redressctl` as a headless client of a real server started in
//! this test process (127.0.0.1, port 0), on two data directories.
#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_local::LocalStore;
use redress_server::http::{self, AppState, HttpConfig, Shutdown};
use redress_server::{
    AccountStore, BroadcastHub, NewUser, ServerStore, SqliteStore, UserKind, auth,
};
use serde_json::Value;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const PASSWORD: &str = "open sesame, twice";

/// A server on its own runtime thread.
struct TestServer {
    url: String,
    addr: SocketAddr,
    store: Arc<SqliteStore>,
    shutdown: Shutdown,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// A fresh store with `amy` (an agent, who may grant little and approve
    /// nothing) and `sue` (a supervisor).
    fn start(dir: &Path) -> TestServer {
        let store =
            Arc::new(SqliteStore::open(dir.join("server.sqlite3"), Rules::default()).unwrap());
        let hash = auth::hash_password(PASSWORD).unwrap();
        for (name, role) in [("amy", Role::Agent), ("sue", Role::Supervisor)] {
            let user = NewUser {
                kind: UserKind::Person,
                name: UserId::new(name),
                role,
                approval_limit_minor: None,
                password_hash: hash.clone(),
            };
            store.add_user(&user, Timestamp::now()).unwrap();
        }
        TestServer::serve(store, "127.0.0.1:0")
    }

    /// Serves `store` on `addr`.
    fn serve(store: Arc<SqliteStore>, addr: &str) -> TestServer {
        let shutdown = Shutdown::new();
        let state = AppState::new(
            store.clone(),
            Arc::new(BroadcastHub::new()),
            HttpConfig::default(),
            shutdown.clone(),
        )
        .unwrap();
        let (addr, thread) = http::serve_in_background(addr, state).unwrap();
        TestServer {
            url: format!("http://{addr}"),
            addr,
            store,
            shutdown,
            thread: Some(thread),
        }
    }

    /// Stops the server and waits (bounded) until it has.
    fn stop(&mut self) {
        let started = Instant::now();
        self.shutdown.trigger();
        if let Some(thread) = self.thread.take() {
            while !thread.is_finished() {
                assert!(started.elapsed() < Duration::from_secs(10), "no stop");
                std::thread::sleep(Duration::from_millis(10));
            }
            thread.join().unwrap().unwrap();
        }
    }

    /// The same store served again on the same address.
    fn restart(&mut self) {
        self.stop();
        *self = TestServer::serve(self.store.clone(), &self.addr.to_string());
    }

    fn digest(&self) -> String {
        self.store.digest().unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
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
    ctl_in(
        dir,
        &[
            "login",
            "--server",
            &server.url,
            "--user",
            user,
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    )
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
    let server = TestServer::start(tmp.path());
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
    assert_eq!(a, server.digest());
}

#[test]
fn a_wrong_password_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let server = TestServer::start(tmp.path());
    let dir = tmp.path().join("desk");
    let run = ctl_in(
        &dir,
        &[
            "login",
            "--server",
            &server.url,
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

#[test]
fn a_stopped_server_keeps_the_work_pending_until_it_is_back() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = TestServer::start(tmp.path());
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
    assert_eq!(ctl(&dir, &["state", "digest"]).ok(), server.digest());
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
