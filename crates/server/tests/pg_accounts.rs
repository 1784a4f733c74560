//! Users and sessions in the PostgreSQL store: the accounts conformance suite
//! (as in `sqlite_accounts.rs`), plus the user kind. Needs
//! REDRESS_TEST_PG_URL: run through `scripts/with-postgres.sh`.

mod pg_support;

use jiff::{SignedDuration, Timestamp};
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_protocol::DeviceId;
use redress_server::conformance::accounts::user;
use redress_server::{
    AccountStore, NewSession, NewUser, PgStore, ServerStore, StoreOptions, TokenHash, UserKind,
};
use std::sync::Arc;
use uuid::Uuid;

fn now() -> Timestamp {
    "2026-03-02T02:00:00Z".parse().expect("a timestamp")
}

fn open() -> (Arc<pg_support::Schema>, PgStore) {
    let schema = pg_support::Schema::new();
    let store = PgStore::connect_with(schema.config(), StoreOptions::new(Default::default()))
        .expect("open");
    (schema, store)
}

redress_server::account_conformance_tests!(open);

#[test]
fn kinds_limits_and_times_round_trip() {
    let (_schema, store) = open();
    let crm = NewUser {
        kind: UserKind::Integration,
        ..user("crm", Role::Agent, None)
    };
    store.add_user(&crm, now()).expect("add");
    store
        .add_user(&user("max", Role::Manager, Some(0)), now())
        .expect("add");
    let found = store
        .find_user(&UserId::new("crm"))
        .expect("find")
        .expect("crm exists");
    assert_eq!(found.kind, UserKind::Integration);
    assert_eq!(found.approval_limit_minor, None);
    assert_eq!(found.created_at, now());
    assert_eq!(found.password_hash, crm.password_hash);
    let max = store
        .find_user(&UserId::new("max"))
        .expect("find")
        .expect("max exists");
    assert_eq!(max.kind, UserKind::Person);
    assert_eq!(max.role, Role::Manager);
    assert_eq!(max.approval_limit_minor, Some(0));

    // A device can be registered by only one user, even when two try at once.
    let device = DeviceId(Uuid::from_u128(7));
    let winners = std::thread::scope(|scope| {
        let tries: Vec<_> = ["crm", "max"]
            .into_iter()
            .map(|name| {
                let store = &store;
                scope.spawn(move || {
                    store
                        .register_device(device, &UserId::new(name), "desk", now())
                        .is_ok()
                })
            })
            .collect();
        tries
            .into_iter()
            .map(|t| t.join().expect("no panic"))
            .filter(|won| *won)
            .count()
    });
    assert_eq!(winners, 1);

    // The token hash is stored as 32 bytes and found again by them only.
    let owner = ["crm", "max"]
        .into_iter()
        .find(|name| {
            store
                .register_device(device, &UserId::new(*name), "desk", now())
                .is_ok()
        })
        .expect("one owner");
    let session = NewSession {
        token_hash: TokenHash::of("t"),
        user: UserId::new(owner),
        device,
        created_at: now(),
        expires_at: now() + SignedDuration::from_hours(1),
    };
    store.create_session(&session).expect("create");
    assert!(
        store.create_session(&session).is_err(),
        "a second session with the same token hash is refused by the key"
    );
    let found = store
        .find_session(&session.token_hash)
        .expect("find")
        .expect("stored");
    assert_eq!(found.token_hash, session.token_hash);
    assert_eq!(found.expires_at, session.expires_at);
    assert_eq!(found.revoked_at, None);
}
