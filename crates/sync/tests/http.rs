//! The HTTP transport against a real server on 127.0.0.1 (port 0), in this
//! test process: sign-in, pull and push, and how refusals come back.
#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_protocol::{DeviceId, PushRequest};
use redress_server::http::{self, AppState, HttpConfig, Shutdown};
use redress_server::{AccountStore, BroadcastHub, NewUser, SqliteStore, UserKind, auth};
use redress_sync::{HttpTransport, Transport, TransportError, login, logout};
use std::sync::Arc;
use uuid::Uuid;

const PASSWORD: &str = "a long enough secret";

/// Serves a fresh store with one supervisor, `sue`, until dropped.
struct Server {
    url: String,
    shutdown: Shutdown,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store =
        Arc::new(SqliteStore::open(dir.path().join("server.sqlite3"), Rules::default()).unwrap());
    let user = NewUser {
        kind: UserKind::Person,
        name: UserId::new("sue"),
        role: Role::Supervisor,
        approval_limit_minor: Some(20_000),
        password_hash: auth::hash_password(PASSWORD).unwrap(),
    };
    store.add_user(&user, Timestamp::now()).unwrap();
    let shutdown = Shutdown::new();
    let state = AppState::new(
        store,
        Arc::new(BroadcastHub::new()),
        HttpConfig::default(),
        shutdown.clone(),
    )
    .unwrap();
    let (addr, _thread) = http::serve_in_background("127.0.0.1:0", state).unwrap();
    Server {
        url: format!("http://{addr}"),
        shutdown,
        _dir: dir,
    }
}

fn refused_code<T: std::fmt::Debug>(r: Result<T, TransportError>) -> String {
    match r {
        Err(TransportError::Refused { code, .. }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_session_pulls_and_pushes_and_refusals_carry_the_servers_code() {
    let s = server();
    let device = DeviceId(Uuid::now_v7());

    let wrong = login(&s.url, "sue", "guess", device, "desk");
    assert_eq!(refused_code(wrong), "invalid_credentials");

    let session = login(&s.url, "sue", PASSWORD, device, "desk").unwrap();
    assert_eq!(session.user, UserId::new("sue"));
    assert_eq!(session.role, Role::Supervisor);
    assert_eq!(session.approval_limit_minor, Some(20_000));
    assert_eq!(session.device_id, device);

    // The API root may be given with or without `/api/v1`.
    let t = HttpTransport::new(&format!("{}/api/v1/", s.url), &session.token, device);
    let page = t.pull(0, 10).unwrap();
    assert!(page.changes.is_empty());
    let answer = t
        .push(&PushRequest {
            device_id: device,
            sent_at_device: Timestamp::now(),
            mutations: Vec::new(),
        })
        .unwrap();
    assert!(answer.results.is_empty());

    let other_device = HttpTransport::new(&s.url, &session.token, DeviceId(Uuid::now_v7()));
    assert_eq!(refused_code(other_device.pull(0, 10)), "device_mismatch");
    let bad_token = HttpTransport::new(&s.url, "not-a-token", device);
    assert_eq!(refused_code(bad_token.pull(0, 10)), "unauthorized");
    assert_eq!(refused_code(t.pull(-1, 10)), "malformed_request");

    logout(&s.url, &session.token, device).unwrap();
    assert_eq!(refused_code(t.pull(0, 10)), "unauthorized");
}
