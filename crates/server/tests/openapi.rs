//! The OpenAPI document: the committed `openapi.json` matches the code,
//! describes every route the router has, and is what the server serves.
//!
//! After changing the API, rewrite the committed file with
//! `REDRESS_UPDATE_OPENAPI=1 cargo test -p redress-server --test openapi`.

use redress_domain::Rules;
use redress_server::http::{self, AppState, HttpConfig, Shutdown};
use redress_server::{BroadcastHub, SqliteStore};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Every route of [`http::router`], by method and full path. A route added
/// to the router belongs here and in the document.
const ROUTES: [(&str, &str); 23] = [
    ("get", "/api/v1/health"),
    ("get", "/api/v1/meta"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/sync/push"),
    ("get", "/api/v1/sync/pull"),
    ("get", "/api/v1/sync/events"),
    ("get", "/api/v1/sync/results"),
    ("get", "/api/v1/sync/bootstrap"),
    ("get", "/api/v1/rules"),
    ("post", "/api/v1/intake/complaints"),
    ("post", "/api/v1/intake/complaints/{id}/progress"),
    ("get", "/api/v1/admin/config"),
    ("put", "/api/v1/admin/config"),
    ("get", "/api/v1/admin/config/versions"),
    ("get", "/api/v1/admin/audit"),
    ("get", "/api/v1/admin/users"),
    ("post", "/api/v1/admin/users"),
    ("put", "/api/v1/admin/users/{name}"),
    ("post", "/api/v1/admin/users/{name}/password"),
    ("get", "/api/v1/admin/users/{name}/sessions"),
    ("post", "/api/v1/admin/users/{name}/sessions/revoke"),
];

const UPDATE: &str = "REDRESS_UPDATE_OPENAPI";

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.json")
}

/// The committed file, with line endings as the code writes them.
fn committed() -> String {
    std::fs::read_to_string(committed_path())
        .unwrap_or_default()
        .replace("\r\n", "\n")
}

#[test]
fn the_committed_document_matches_the_code() {
    let fresh = redress_server::openapi_json();
    if std::env::var_os(UPDATE).is_some() {
        std::fs::write(committed_path(), &fresh).expect("write openapi.json");
        return;
    }
    let committed = committed();
    if committed != fresh {
        let line = committed
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(fresh.lines().count()));
        panic!(
            "crates/server/openapi.json differs from the API the code describes \
             (first at line {}). Run `{UPDATE}=1 cargo test -p redress-server --test openapi` \
             to rewrite it, review the diff and commit it.",
            line + 1
        );
    }
}

#[test]
fn the_document_describes_every_route_and_nothing_else() {
    let document: serde_json::Value =
        serde_json::from_str(&redress_server::openapi_json()).expect("the document is JSON");
    let paths = document["paths"].as_object().expect("paths");
    for (method, path) in ROUTES {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is not in the OpenAPI document"
        );
    }
    let described: usize = paths
        .values()
        .map(|p| p.as_object().map_or(0, |m| m.len()))
        .sum();
    assert_eq!(
        described,
        ROUTES.len(),
        "the document describes operations the route list does not have"
    );
}

/// Every listed route exists on a real server (no `404`/`405` fallback),
/// and `openapi.json` serves the committed document without a session or
/// protocol header.
#[test]
fn the_server_has_every_route_and_serves_the_committed_document() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = SqliteStore::open(dir.path().join("server.sqlite3"), Rules::default())
        .expect("open the store");
    let shutdown = Shutdown::new();
    let state = AppState::new(
        Arc::new(store),
        Arc::new(BroadcastHub::new()),
        HttpConfig::default(),
        shutdown.clone(),
    )
    .expect("server state");
    let (addr, thread) =
        http::serve_in_background("127.0.0.1:0", state).expect("the server starts");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();

    for (method, path) in ROUTES {
        // Path parameters get a well-formed value.
        let path = path
            .replace("{id}", "00000000-0000-0000-0000-000000000000")
            .replace("{name}", "ann");
        let url = format!("http://{addr}{path}");
        let response = match method {
            "get" => agent.get(&url).call(),
            "put" => agent.put(&url).send(""),
            _ => agent.post(&url).send(""),
        }
        .expect("an HTTP response");
        let status = response.status().as_u16();
        assert!(
            status != 404 && status != 405,
            "{method} {path} is not a route of the server ({status})"
        );
    }

    let mut response = agent
        .get(format!("http://{addr}/api/v1/openapi.json"))
        .call()
        .expect("an HTTP response");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let served = response
        .body_mut()
        .read_to_string()
        .expect("a readable body");
    // While the update runs, the file may be half written.
    let expected = if std::env::var_os(UPDATE).is_some() {
        redress_server::openapi_json()
    } else {
        committed()
    };
    assert!(
        served == expected,
        "GET /api/v1/openapi.json differs from crates/server/openapi.json; \
         run `{UPDATE}=1 cargo test -p redress-server --test openapi`"
    );

    shutdown.trigger();
    thread
        .join()
        .expect("the server thread")
        .expect("the server ends cleanly");
}

#[test]
fn the_openapi_command_prints_the_document() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_redress-server"))
        .arg("openapi")
        .output()
        .expect("run the binary");
    assert!(output.status.success(), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stdout) == redress_server::openapi_json(),
        "`redress-server openapi` prints another document than the library builds"
    );
}
