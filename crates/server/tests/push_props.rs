//! Arbitrary push bodies against the real server over HTTP: whatever
//! arrives (valid mutations with one field bent, unknown fields, wrong
//! types, control characters, extreme numbers and times, other users'
//! authors, colliding ids and seqs, or no JSON at all), the answer is never
//! a 5xx, and the database never holds a change without a recorded outcome.

mod support;

use jiff::Timestamp;
use proptest::prelude::*;
use redress_domain::complaint::Command;
use redress_domain::ids::{RemedyId, UpdateId};
use redress_domain::model::{Money, RemedyKind};
use redress_protocol::{Mutation, PushRequest};
use serde_json::{Value, json};
use std::sync::OnceLock;
use support::{Client, TestServer, complaint_id, record};
use uuid::Uuid;

/// The seq placeholder: the device's next seq, then one more per mutation.
const NEXT: &str = "<next>";

/// One server and one signed-in desk for every case (cases accumulate
/// state, which is the point: later bodies meet earlier complaints).
struct Fixture {
    server: TestServer,
    /// The desk, and its next expected seq as the server last said.
    ann: std::sync::Mutex<(Client, u64)>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let server = TestServer::start();
        let mut ann = server.person("ann", 1);
        // A few real complaints for the bodies to refer to.
        let device = ann.device.expect("a device");
        let reply = ann.push(device, (1..=3).map(|n| record(complaint_id(n))).collect());
        assert_eq!(reply.status, 200, "{}", reply.body);
        Fixture {
            server,
            ann: std::sync::Mutex::new((ann, 4)),
        }
    })
}

/// Real mutations, serialised: the shapes the bodies are bent from.
fn templates() -> Vec<Value> {
    let id = complaint_id(1);
    let mutations = [
        record(complaint_id(9)),
        Mutation::Execute {
            complaint_id: id,
            command: Command::AddProgress {
                update_id: UpdateId(Uuid::from_u128(7)),
                text: "called the customer".into(),
                customer_informed: true,
            },
        },
        Mutation::Execute {
            complaint_id: id,
            command: Command::Judge {
                valid: true,
                reason: None,
                note: String::new(),
            },
        },
        Mutation::Execute {
            complaint_id: id,
            command: Command::ProposeRemedy {
                remedy_id: RemedyId(Uuid::from_u128(8)),
                kind: RemedyKind::Refund,
                amount: Money::new(5_000, "CNY"),
                tier: None,
                note: String::new(),
            },
        },
        Mutation::Execute {
            complaint_id: id,
            command: Command::Close {
                note: String::new(),
            },
        },
    ];
    mutations
        .iter()
        .map(|m| serde_json::to_value(m).expect("a mutation"))
        .collect()
}

/// A value to put where a field was.
fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!(u64::MAX)),
        Just(json!(-1)),
        Just(json!(1e308)),
        "\\PC{0,12}".prop_map(Value::from),
        Just(Value::from("\u{0}\u{1b}[2J\u{202e}")),
        Just(Value::from("x".repeat(12_000))),
        Just(Value::from("1970-01-01T00:00:00Z")),
        Just(Value::from("9999-12-31T23:59:59Z")),
        Just(Value::from(Uuid::nil().to_string())),
        Just(json!([])),
        Just(json!({ "unknown": 1 })),
    ]
}

/// A change to a template: which leaf (by index), and what to do there.
#[derive(Debug, Clone)]
enum Bend {
    Replace(usize, Value),
    Remove(usize),
    AddField(usize, String, Value),
}

fn bend() -> impl Strategy<Value = Bend> {
    prop_oneof![
        (any::<usize>(), odd_value()).prop_map(|(i, v)| Bend::Replace(i, v)),
        any::<usize>().prop_map(Bend::Remove),
        (any::<usize>(), "[a-z_]{1,8}", odd_value()).prop_map(|(i, k, v)| Bend::AddField(i, k, v)),
    ]
}

/// The objects of `v`, depth first, as paths of keys.
fn object_paths(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    if let Value::Object(map) = v {
        out.push(path.clone());
        for (k, child) in map {
            path.push(k.clone());
            object_paths(child, path, out);
            path.pop();
        }
    }
}

fn at<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(v, |v, k| &mut v[k.as_str()])
}

fn apply(mut v: Value, bends: &[Bend]) -> Value {
    for b in bends {
        let mut paths = Vec::new();
        object_paths(&v, &mut Vec::new(), &mut paths);
        let pick = |i: usize| paths[i % paths.len()].clone();
        match b {
            Bend::Replace(i, new) | Bend::AddField(i, _, new) if paths.is_empty() => {
                let _ = (i, new);
            }
            Bend::Replace(i, new) => {
                let path = pick(*i);
                if let Value::Object(map) = at(&mut v, &path) {
                    let keys: Vec<String> = map.keys().cloned().collect();
                    if let Some(k) = keys.get(*i % keys.len().max(1)) {
                        map.insert(k.clone(), new.clone());
                    }
                }
            }
            Bend::Remove(i) => {
                if paths.is_empty() {
                    continue;
                }
                let path = pick(*i);
                if let Value::Object(map) = at(&mut v, &path) {
                    let keys: Vec<String> = map.keys().cloned().collect();
                    if let Some(k) = keys.get(*i % keys.len().max(1)) {
                        map.remove(k);
                    }
                }
            }
            Bend::AddField(i, key, new) => {
                let path = pick(*i);
                if let Value::Object(map) = at(&mut v, &path) {
                    map.insert(key.clone(), new.clone());
                }
            }
        }
    }
    v
}

/// One mutation of a body: a bent template under an envelope whose seq,
/// id, author and time may be odd too.
fn envelope() -> impl Strategy<Value = Value> {
    let seq = prop_oneof![
        // Usually the device's next seq (filled in when sent).
        6 => Just(Value::from(NEXT)),
        1 => (1u64..40).prop_map(Value::from),
        1 => Just(json!(0)),
        1 => Just(json!(u64::MAX)),
        1 => Just(json!(-3)),
        1 => Just(json!("7")),
    ];
    let id = prop_oneof![
        6 => any::<u128>().prop_map(|n| Value::from(Uuid::from_u128(n).to_string())),
        // A few ids over and over: replays, forks, mismatches.
        2 => (0u128..6).prop_map(|n| Value::from(Uuid::from_u128(0xAB00 + n).to_string())),
        1 => Just(Value::from("not-a-uuid")),
    ];
    let author = prop_oneof![
        4 => Just(Value::from("ann")),
        1 => Just(Value::from("sue")),
        1 => Just(Value::from("ann\nforged line")),
    ];
    let time = prop_oneof![
        4 => Just(Value::from(Timestamp::now().to_string())),
        1 => Just(Value::from("1970-01-01T00:00:00Z")),
        1 => Just(Value::from("yesterday")),
    ];
    (
        0..templates().len(),
        prop_oneof![
            2 => Just(Vec::new()),
            3 => prop::collection::vec(bend(), 1..3),
        ],
        seq,
        id,
        author,
        time,
    )
        .prop_map(|(t, bends, seq, id, author, time)| {
            let mutation = apply(templates()[t].clone(), &bends);
            let mut e = json!({
                "client_seq": seq,
                "mutation_id": id,
                "author_user_id": author,
                "occurred_at_device": time,
                "base_seq": 0,
            });
            if let (Value::Object(e), Value::Object(m)) = (&mut e, mutation) {
                e.extend(m);
            }
            e
        })
}

/// A whole body: usually a push request, sometimes anything at all.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => (prop::collection::vec(envelope(), 0..5), prop::bool::weighted(0.9))
            .prop_map(|(mutations, own_device)| {
                let device = if own_device {
                    Uuid::from_u128(1)
                } else {
                    Uuid::from_u128(99)
                };
                json!({
                    "device_id": device,
                    "sent_at_device": Timestamp::now(),
                    "mutations": mutations,
                })
                .to_string()
                .into_bytes()
            }),
        1 => odd_value().prop_map(|v| v.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}

/// Puts the device's next seqs where a body asks for them.
fn fill_seqs(body: Vec<u8>, next: u64) -> Vec<u8> {
    let Ok(mut v) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    if let Some(mutations) = v.get_mut("mutations").and_then(Value::as_array_mut) {
        let mut seq = next;
        for m in mutations {
            if m["client_seq"] == NEXT {
                m["client_seq"] = Value::from(seq);
                seq += 1;
            }
        }
    }
    v.to_string().into_bytes()
}

/// Every change has a logged cause, and every logged outcome's change is
/// there.
fn check_the_log(server: &TestServer) {
    let conn = rusqlite::Connection::open_with_flags(
        server.path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open the server's file");
    let orphans: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM change_log c
             WHERE NOT EXISTS (SELECT 1 FROM mutation_log l WHERE l.mutation_id = c.mutation_id)",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(orphans, 0, "changes without a recorded outcome");
    let missing: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM mutation_log l
             WHERE NOT EXISTS (SELECT 1 FROM change_log c WHERE c.seq = l.first_change_seq)",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(missing, 0, "outcomes without their change");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // Shrinking replays against a server whose state moved on; the
        // first failure is what to read.
        max_shrink_iters: 0,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_push_bodies_never_fail_the_server(body in body()) {
        let fixture = fixture();
        let mut guard = fixture.ann.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (ann, next) = &mut *guard;
        let body = fill_seqs(body, *next);
        let reply = ann.send("POST", "/sync/push", Some(body.clone()));
        if let Some(expected) = reply.body["next_expected_seq"].as_u64() {
            *next = expected;
        }
        prop_assert!(
            reply.status < 500,
            "{} for {}: {}",
            reply.status,
            String::from_utf8_lossy(&body),
            reply.body
        );
        if reply.status == 200 {
            let request: PushRequest = serde_json::from_slice(&body).expect("it was accepted");
            let results = reply.body["results"].as_array().expect("results");
            prop_assert!(results.len() <= request.mutations.len());
        }
        check_the_log(&fixture.server);
    }
}
