//! A real server on 127.0.0.1 (port 0) in the test process, and a blocking
//! client, for the test files that do not live in `http.rs`.
#![allow(dead_code, reason = "each test file uses a part")]

pub mod cli;

use jiff::Timestamp;
use redress_domain::ids::{CategoryCode, ComplaintId, UserId};
use redress_domain::model::{
    Channel, ComplaintKind, Customer, DemandClass, Role, Severity, Subject, SubjectKind,
};
use redress_protocol::{ComplaintDraft, DeviceId, Mutation, MutationEnvelope, PushRequest};
use redress_server::testing;
use redress_server::{AccountStore, SqliteStore, TokenHash, auth, integration};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

pub use redress_server::testing::PASSWORD;

pub struct TestServer {
    pub base: String,
    pub store: Arc<SqliteStore>,
    server: testing::TestServer,
}

impl TestServer {
    /// People: ann and amy (agents), sue (supervisor).
    pub fn start() -> TestServer {
        TestServer::wrap(testing::TestServer::start(&[
            ("ann", Role::Agent, None),
            ("amy", Role::Agent, None),
            ("sue", Role::Supervisor, None),
        ]))
    }

    /// A server with these people on it.
    pub fn with_people(people: &[(&str, Role, Option<i64>)]) -> TestServer {
        TestServer::wrap(testing::TestServer::start(people))
    }

    /// [`TestServer::start`] deciding with the site's `rules`.
    pub fn start_with_rules(rules: redress_domain::RulesDocument) -> TestServer {
        TestServer::wrap(testing::TestServer::start_with_rules(
            rules,
            &[
                ("ann", Role::Agent, None),
                ("amy", Role::Agent, None),
                ("sue", Role::Supervisor, None),
            ],
        ))
    }

    /// The server's database file.
    pub fn path(&self) -> &std::path::Path {
        self.server.path()
    }

    /// A second server process, as it were, over the same database file.
    pub fn beside(&self) -> TestServer {
        TestServer::wrap(self.server.beside())
    }

    fn wrap(server: testing::TestServer) -> TestServer {
        TestServer {
            base: server.base_url(),
            store: server.store().clone(),
            server,
        }
    }

    fn client(&self) -> Client {
        Client {
            agent: agent(Duration::from_secs(30)),
            base: self.base.clone(),
            token: None,
            protocol: None,
            device: None,
            user: String::new(),
            next_seq: 1,
        }
    }

    /// A person's client on device `device`, signed in.
    pub fn person(&self, user: &str, device: u128) -> Client {
        let mut client = self.client();
        client.protocol = Some("1".to_owned());
        let device = DeviceId(Uuid::from_u128(device));
        client.device = Some(device);
        let reply = client.post(
            "/auth/login",
            &json!({ "username": user, "password": PASSWORD,
                     "device_id": device, "device_name": "desk" }),
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        client.token = Some(reply.body["token"].as_str().expect("a token").to_owned());
        client.user = user.to_owned();
        client
    }

    /// Adds integration `name` as `redress-server integration add` does and
    /// returns a client with its token, sending neither `Redress-Protocol`
    /// nor `Redress-Device`.
    pub fn integration(&self, name: &str) -> Client {
        let (token, hash) = auth::new_token().expect("a token");
        integration::add_integration(
            self.store.as_ref(),
            &UserId::new(name),
            hash,
            Timestamp::now(),
        )
        .expect("add the integration");
        let mut client = self.client();
        client.token = Some(token);
        client.user = name.to_owned();
        client
    }

    /// `client`, talking to this server instead.
    pub fn redirect(&self, client: &Client) -> Client {
        let mut other = self.client();
        other.token.clone_from(&client.token);
        other.protocol.clone_from(&client.protocol);
        other.device = client.device;
        other.user.clone_from(&client.user);
        other
    }

    /// The device a token's session is bound to.
    pub fn device_of(&self, client: &Client) -> DeviceId {
        let token = client.token.as_deref().expect("a token");
        self.store
            .find_session(&TokenHash::of(token))
            .expect("read the session")
            .expect("a session")
            .device
    }
}

/// A reply: status, JSON body (null when empty) and headers.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: ureq::http::HeaderMap,
}

/// An HTTP agent that hands back error statuses as replies.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// Sends a GET, or a POST or PUT of JSON `body`, to `url` with `headers`.
pub fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, String)],
    body: Option<Vec<u8>>,
) -> Reply {
    let response = if method == "GET" {
        let mut request = agent.get(url);
        for (name, value) in headers {
            request = request.header(*name, value.as_str());
        }
        request.call()
    } else {
        let mut request = if method == "PUT" {
            agent.put(url)
        } else {
            agent.post(url)
        };
        for (name, value) in headers {
            request = request.header(*name, value.as_str());
        }
        request = request.header("Content-Type", "application/json");
        request.send(body.unwrap_or_default())
    };
    let mut response = response.expect("an HTTP response");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response
        .body_mut()
        .read_to_string()
        .expect("a readable body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    Reply {
        status,
        body,
        headers,
    }
}

pub struct Client {
    agent: ureq::Agent,
    base: String,
    pub token: Option<String>,
    /// The `Redress-Protocol` header to send, if any.
    pub protocol: Option<String>,
    /// The `Redress-Device` header to send, if any.
    pub device: Option<DeviceId>,
    pub user: String,
    pub next_seq: u64,
}

impl Client {
    pub fn send(&self, method: &str, path: &str, body: Option<Vec<u8>>) -> Reply {
        let url = format!("{}{path}", self.base);
        let mut headers: Vec<(&str, String)> = Vec::new();
        if let Some(p) = &self.protocol {
            headers.push(("Redress-Protocol", p.clone()));
        }
        if let Some(t) = &self.token {
            headers.push(("Authorization", format!("Bearer {t}")));
        }
        if let Some(d) = &self.device {
            headers.push(("Redress-Device", d.to_string()));
        }
        send(&self.agent, method, &url, &headers, body)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &Value) -> Reply {
        self.send("POST", path, Some(body.to_string().into_bytes()))
    }

    pub fn put(&self, path: &str, body: &Value) -> Reply {
        self.send("PUT", path, Some(body.to_string().into_bytes()))
    }

    /// The server's base URL (ending in `/api/v1`).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The next envelopes of this client's device, authored by its user.
    pub fn envelopes(&mut self, mutations: Vec<Mutation>) -> Vec<MutationEnvelope> {
        envelopes(&mut self.next_seq, &self.user, mutations)
    }

    /// Pushes `mutations` as the next of this client's device.
    pub fn push(&mut self, device: DeviceId, mutations: Vec<Mutation>) -> Reply {
        let envelopes = self.envelopes(mutations);
        let body = serde_json::to_value(PushRequest {
            device_id: device,
            sent_at_device: Timestamp::now(),
            mutations: envelopes,
        })
        .expect("a push body");
        self.post("/sync/push", &body)
    }
}

/// Envelopes for `mutations` authored by `user`, numbered from `next_seq` on
/// (which they advance).
pub fn envelopes(
    next_seq: &mut u64,
    user: &str,
    mutations: Vec<Mutation>,
) -> Vec<MutationEnvelope> {
    mutations
        .into_iter()
        .map(|mutation| {
            let client_seq = *next_seq;
            *next_seq += 1;
            MutationEnvelope {
                client_seq,
                mutation_id: Uuid::now_v7(),
                author_user_id: UserId::new(user),
                occurred_at_device: Timestamp::now(),
                base_seq: 0,
                mutation,
            }
        })
        .collect()
}

pub fn complaint_id(n: u128) -> ComplaintId {
    ComplaintId(Uuid::from_u128(0xC0_0000 + n))
}

pub fn draft(customer: &str) -> ComplaintDraft {
    ComplaintDraft {
        customer: Customer {
            name: customer.into(),
            phone: "138 0013 8000".into(),
            customer_id: None,
        },
        channel: Channel::Phone,
        subject: Subject {
            kind: SubjectKind::BusinessLine,
            reference: "broadband".into(),
        },
        category: CategoryCode::new("broadband.dropout"),
        demand: "a stable line".into(),
        description: "the line drops every evening".into(),
        kind: ComplaintKind::DemandDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
        received_at: Some(Timestamp::now() - jiff::SignedDuration::from_hours(1)),
    }
}

pub fn record(id: ComplaintId) -> Mutation {
    Mutation::Record {
        complaint_id: id,
        complaint: draft("Wang Fang"),
    }
}

pub fn assert_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.body["code"], code, "{}", reply.body);
    assert!(
        reply.body["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "a message: {}",
        reply.body
    );
}
