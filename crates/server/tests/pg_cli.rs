//! The `redress-server` binary on PostgreSQL: `--db postgres://...` (or
//! REDRESS_DB) migrates, manages users, and serves; two server processes on
//! one database poke each other's event streams. Needs REDRESS_TEST_PG_URL:
//! run through `scripts/with-postgres.sh`.

mod pg_support;
mod support;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::Child;
use std::time::Duration;
use support::cli::{bin, run, serve, terminate};
use uuid::Uuid;

/// The test server's URL with the tables in `schema`.
fn url_in(schema: &str) -> String {
    let base = pg_support::base_url();
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options=-c%20search_path%3D{schema}")
}

fn password_of(url: &str) -> Option<String> {
    let config: postgres::Config = url.parse().expect("a URL");
    config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

/// A `serve` process and the address it announced.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(url: &str) -> Server {
        let mut command = bin();
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("REDRESS_DB", url);
        let password = password_of(url);
        let (child, addr) = serve(command, |line| {
            if let Some(password) = &password {
                assert!(
                    !line.contains(password),
                    "the log shows the password: {line}"
                );
            }
        });
        Server { child, addr }
    }

    fn stop(mut self) {
        let exit = terminate(&mut self.child);
        assert!(exit.success(), "{exit:?}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(15)))
        .http_status_as_error(false)
        .build()
        .into()
}

/// Signs `user` in on `server` from `device`; the token.
fn login(server: &Server, user: &str, device: Uuid) -> String {
    let mut response = agent()
        .post(format!("http://{}/api/v1/auth/login", server.addr))
        .header("Redress-Protocol", "1")
        .send_json(json!({
            "username": user,
            "password": "correct horse",
            "device_id": device,
            "device_name": "desk",
        }))
        .expect("login");
    let body: Value = response.body_mut().read_json().expect("JSON");
    assert_eq!(response.status().as_u16(), 200, "{body}");
    body["token"].as_str().expect("a token").to_owned()
}

/// The next `poke` event's high water on an event stream.
fn next_poke(lines: &mut impl BufRead) -> i64 {
    let mut event = String::new();
    loop {
        let mut line = String::new();
        assert!(
            lines.read_line(&mut line).expect("read the stream") > 0,
            "the stream ended before a poke"
        );
        let line = line.trim_end();
        if let Some(name) = line.strip_prefix("event:") {
            event = name.trim().to_owned();
        } else if let Some(data) = line.strip_prefix("data:") {
            if event == "poke" {
                let data: Value = serde_json::from_str(data.trim()).expect("JSON data");
                return data["high_water"].as_i64().expect("a high water");
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn two_servers_on_one_database() {
    let schema = pg_support::Schema::new();
    let url = url_in(schema.name());

    let output = run(&["migrate", "--db", &url], "");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("schema version 5"), "{stdout}");
    assert!(stdout.contains("postgresql://"), "{stdout}");
    if let Some(password) = password_of(&url) {
        assert!(!stdout.contains(&password), "{stdout}");
    }
    for (name, role) in [("ann", "agent"), ("sue", "supervisor"), ("max", "agent")] {
        let output = run(
            &[
                "user",
                "add",
                name,
                "--role",
                role,
                "--password-stdin",
                "--db",
                &url,
            ],
            "correct horse\n",
        );
        assert!(output.status.success(), "{output:?}");
    }
    let output = run(&["user", "disable", "max", "--db", &url], "");
    assert!(output.status.success(), "{output:?}");
    let output = run(
        &[
            "user",
            "add",
            "ann",
            "--role",
            "agent",
            "--password-stdin",
            "--db",
            &url,
        ],
        "correct horse\n",
    );
    assert_eq!(output.status.code(), Some(2), "a taken name is bad input");

    let a = Server::start(&url);
    let b = Server::start(&url);
    let ann_device = Uuid::from_u128(1 << 64);
    let sue_device = Uuid::from_u128(2 << 64);
    let ann = login(&a, "ann", ann_device);
    let sue = login(&b, "sue", sue_device);

    // Sue watches server B.
    let events = agent()
        .get(format!("http://{}/api/v1/sync/events", b.addr))
        .header("Redress-Protocol", "1")
        .header("Authorization", format!("Bearer {sue}"))
        .header("Redress-Device", sue_device.to_string())
        .call()
        .expect("open the event stream");
    assert_eq!(events.status().as_u16(), 200);
    let mut events = BufReader::new(events.into_body().into_reader());

    // Ann pushes through server A: a command on a complaint nobody has, which
    // is rejected and so still writes one change.
    let mut response = agent()
        .post(format!("http://{}/api/v1/sync/push", a.addr))
        .header("Redress-Protocol", "1")
        .header("Authorization", format!("Bearer {ann}"))
        .header("Redress-Device", ann_device.to_string())
        .send_json(json!({
            "device_id": ann_device,
            "sent_at_device": jiff::Timestamp::now(),
            "mutations": [{
                "client_seq": 1,
                "mutation_id": Uuid::now_v7(),
                "author_user_id": "ann",
                "occurred_at_device": jiff::Timestamp::now(),
                "base_seq": 0,
                "name": "complaint.resolve",
                "args": {"complaint_id": Uuid::from_u128(9), "note": ""},
            }],
        }))
        .expect("push");
    let body: Value = response.body_mut().read_json().expect("JSON");
    assert_eq!(response.status().as_u16(), 200, "{body}");
    let seq = body["results"][0]["rejection_change_seq"]
        .as_i64()
        .unwrap_or_else(|| panic!("a rejection seq in {body}"));

    assert_eq!(next_poke(&mut events), seq, "server B poked its stream");
    drop(events);
    a.stop();
    b.stop();
}
