//! The HTTP transport against a real server on 127.0.0.1 (port 0), in this
//! test process: sign-in, pull and push, and how refusals come back.
#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_protocol::{DeviceId, PushRequest};
use redress_server::testing::{PASSWORD, TestServer};
use redress_sync::{HttpTransport, Transport, TransportError, login, logout};
use uuid::Uuid;

/// Serves a fresh store with one supervisor, `sue`, until dropped.
fn server() -> TestServer {
    TestServer::start(&[("sue", Role::Supervisor, Some(20_000))])
}

fn refused_code<T: std::fmt::Debug>(r: Result<T, TransportError>) -> redress_protocol::ErrorCode {
    match r {
        Err(TransportError::Refused { code, .. }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_session_pulls_and_pushes_and_refusals_carry_the_servers_code() {
    let s = server();
    let device = DeviceId(Uuid::now_v7());

    let wrong = login(&s.url(), "sue", "guess", device, "desk");
    assert_eq!(refused_code(wrong), "invalid_credentials");

    let session = login(&s.url(), "sue", PASSWORD, device, "desk").unwrap();
    assert_eq!(session.user, UserId::new("sue"));
    assert_eq!(session.role, Role::Supervisor);
    assert_eq!(session.approval_limit_minor, Some(20_000));
    assert_eq!(session.device_id, device);

    // The API root may be given with or without `/api/v1`.
    let t = HttpTransport::new(&format!("{}/api/v1/", s.url()), &session.token, device);
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

    let other_device = HttpTransport::new(&s.url(), &session.token, DeviceId(Uuid::now_v7()));
    assert_eq!(refused_code(other_device.pull(0, 10)), "device_mismatch");
    let bad_token = HttpTransport::new(&s.url(), "not-a-token", device);
    assert_eq!(refused_code(bad_token.pull(0, 10)), "unauthorized");
    assert_eq!(refused_code(t.pull(-1, 10)), "malformed_request");

    logout(&s.url(), &session.token, device).unwrap();
    assert_eq!(refused_code(t.pull(0, 10)), "unauthorized");
}
