//! Pokes across server processes through PostgreSQL LISTEN/NOTIFY. Needs
//! REDRESS_TEST_PG_URL: run through `scripts/with-postgres.sh`.

mod pg_support;

use jiff::Timestamp;
use redress_domain::complaint::Command;
use redress_domain::ids::ComplaintId;
use redress_domain::model::{Actor, Role};
use redress_protocol::{DeviceId, Mutation, MutationEnvelope, PushRequest};
use redress_server::{ChangeNotifier, PgNotifier, ServerStore};
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

fn now() -> Timestamp {
    "2026-03-02T02:00:00Z".parse().expect("a timestamp")
}

/// Waits for a poke of `seq` or higher; the pokes seen on the way.
fn wait_for(receiver: &mut broadcast::Receiver<i64>, seq: i64) -> Vec<i64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let mut heard = Vec::new();
        loop {
            match tokio::time::timeout(Duration::from_secs(10), receiver.recv()).await {
                Ok(Ok(poke)) => {
                    heard.push(poke);
                    if poke >= seq {
                        return heard;
                    }
                }
                Ok(Err(broadcast::error::RecvError::Lagged(_))) => {}
                Ok(Err(e)) => panic!("the notifier closed: {e}"),
                Err(_) => panic!("no poke of {seq} within 10 s; heard {heard:?}"),
            }
        }
    })
}

/// Pushes one mutation (a rejected command, which still writes a change)
/// and returns the highest seq written, as the HTTP handler does.
fn push_one(store: &dyn ServerStore, device: DeviceId, actor: &Actor, client_seq: u64) -> i64 {
    let request = PushRequest {
        device_id: device,
        sent_at_device: now(),
        mutations: vec![MutationEnvelope {
            client_seq,
            mutation_id: Uuid::now_v7(),
            author_user_id: actor.user.clone(),
            occurred_at_device: now(),
            base_seq: 0,
            mutation: Mutation::Execute {
                complaint_id: ComplaintId(Uuid::from_u128(1)),
                command: Command::Resolve {
                    note: String::new(),
                },
            },
        }],
    };
    let response = store.push(device, actor, &request, now()).expect("push");
    match &response.results[0].outcome {
        redress_protocol::Outcome::Rejected {
            rejection_change_seq,
            ..
        } => *rejection_change_seq,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// Two server processes on one database: a push through the first pokes
/// the event streams of the second (and of the first).
#[test]
fn a_push_through_one_server_pokes_the_other() {
    let schema = pg_support::Schema::new();
    let (store_a, store_b) = (schema.store(), schema.store());
    let notifier_a = PgNotifier::start(store_a.store.config().clone()).expect("notifier a");
    let notifier_b = PgNotifier::start(store_b.store.config().clone()).expect("notifier b");
    let mut on_a = notifier_a.subscribe();
    let mut on_b = notifier_b.subscribe();
    let actor = Actor::new("ann", Role::Agent);
    let device = DeviceId(Uuid::from_u128(1 << 64));
    store_a
        .register_device(device, &actor.user, "desk", now())
        .expect("register");

    let seq = push_one(&store_a, device, &actor, 1);
    notifier_a.poke(seq);
    assert!(wait_for(&mut on_b, seq).contains(&seq), "b heard the seq");
    assert!(wait_for(&mut on_a, seq).contains(&seq), "a heard it too");

    // And the other way round.
    let seq = push_one(&store_b, device, &actor, 2);
    notifier_b.poke(seq);
    assert!(wait_for(&mut on_a, seq).contains(&seq));
}

/// A listener whose connection is cut reconnects by itself, pokes the high
/// water it may have missed, and hears later pokes again.
#[test]
fn a_listener_reconnects_after_losing_its_connection() {
    let schema = pg_support::Schema::new();
    let store = schema.store();
    // A channel of its own, so other tests' pokes cannot stand in for ours.
    let channel = format!("redress_test_{}", Uuid::now_v7().simple());
    let speaker = PgNotifier::start_on(store.store.config().clone(), &channel).expect("speaker");
    let listener = PgNotifier::start_on(store.store.config().clone(), &channel).expect("listener");
    let mut heard = listener.subscribe();
    let actor = Actor::new("ann", Role::Agent);
    let device = DeviceId(Uuid::from_u128(1 << 64));
    store
        .register_device(device, &actor.user, "desk", now())
        .expect("register");

    let first = push_one(&store, device, &actor, 1);
    speaker.poke(first);
    assert!(wait_for(&mut heard, first).contains(&first));

    // A change nobody announces (as when a poke is sent while the listener
    // is away), then the listener's connection is cut.
    let missed = push_one(&store, device, &actor, 2);
    let pid = listener.listener_backend_pid().expect("connected");
    let mut admin = schema.client();
    let cut: bool = admin
        .query_one("SELECT pg_terminate_backend($1)", &[&pid])
        .expect("terminate")
        .get(0);
    assert!(cut);
    // Back, the listener pokes the high water it reads.
    assert!(wait_for(&mut heard, missed).contains(&missed));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let new_pid = loop {
        match listener.listener_backend_pid() {
            Some(new) if new != pid => break new,
            _ if std::time::Instant::now() > deadline => panic!("the listener did not reconnect"),
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    assert_ne!(new_pid, pid);

    let later = push_one(&store, device, &actor, 3);
    speaker.poke(later);
    assert!(wait_for(&mut heard, later).contains(&later));
}

/// A bad channel name is refused before anything is sent.
#[test]
fn channel_names_are_identifiers() {
    let config = pg_support::Schema::new().config();
    for bad in ["", "Upper", "1st", "two words", "semi;colon"] {
        assert!(
            PgNotifier::start_on(config.clone(), bad).is_err(),
            "{bad:?}"
        );
    }
}
