//! Users and sessions in the PostgreSQL store (the same cases as
//! `sqlite_accounts.rs`, plus the user kind). Needs REDRESS_TEST_PG_URL: run
//! through `scripts/with-postgres.sh`.

mod pg_support;

use jiff::{SignedDuration, Timestamp};
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_protocol::DeviceId;
use redress_server::{
    AccountStore, NewSession, NewUser, PgStore, ServerStore, StoreError, StoreOptions, TokenHash,
    UserKind,
};
use std::sync::Arc;
use uuid::Uuid;

fn now() -> Timestamp {
    "2026-03-02T02:00:00Z".parse().expect("a timestamp")
}

fn user(name: &str, role: Role, limit: Option<i64>) -> NewUser {
    NewUser {
        kind: UserKind::Person,
        name: UserId::new(name),
        role,
        approval_limit_minor: limit,
        // The store does not look inside the hash.
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
    }
}

fn open() -> (Arc<pg_support::Schema>, PgStore) {
    let schema = pg_support::Schema::new();
    let store = PgStore::connect_with(schema.config(), StoreOptions::new(Default::default()))
        .expect("open");
    (schema, store)
}

#[test]
fn users_are_added_found_and_disabled() {
    let (_dir, store) = open();
    store
        .add_user(&user("sam", Role::Supervisor, Some(10_000)), now())
        .expect("add");
    let sam = store
        .find_user(&UserId::new("sam"))
        .expect("find")
        .expect("sam exists");
    assert_eq!(sam.role, Role::Supervisor);
    assert_eq!(sam.approval_limit_minor, Some(10_000));
    assert!(!sam.disabled);
    let actor = sam.actor();
    assert_eq!(actor.user, UserId::new("sam"));
    assert_eq!(actor.approval_limit_minor, Some(10_000));
    assert!(
        store
            .find_user(&UserId::new("nobody"))
            .expect("find")
            .is_none()
    );

    assert!(matches!(
        store.add_user(&user("sam", Role::Agent, None), now()),
        Err(StoreError::UserExists(_))
    ));
    for bad in ["", "two words", &"x".repeat(65)] {
        assert!(
            matches!(
                store.add_user(&user(bad, Role::Agent, None), now()),
                Err(StoreError::InvalidUser(_))
            ),
            "{bad:?}"
        );
    }
    assert!(matches!(
        store.add_user(&user("neg", Role::Agent, Some(-1)), now()),
        Err(StoreError::InvalidUser(_))
    ));

    store
        .disable_user(&UserId::new("sam"), now())
        .expect("disable");
    assert!(
        store
            .find_user(&UserId::new("sam"))
            .expect("find")
            .expect("sam")
            .disabled
    );
    assert!(matches!(
        store.disable_user(&UserId::new("nobody"), now()),
        Err(StoreError::UnknownUser(_))
    ));
}

#[test]
fn sessions_expire_are_revoked_and_follow_their_user() {
    let (_dir, store) = open();
    store
        .add_user(&user("ann", Role::Agent, None), now())
        .expect("add");
    store
        .add_user(&user("amy", Role::Agent, None), now())
        .expect("add");
    let device = DeviceId(Uuid::from_u128(1));
    let hash = TokenHash::of("a token");
    let session = NewSession {
        token_hash: hash,
        user: UserId::new("ann"),
        device,
        created_at: now(),
        expires_at: now() + SignedDuration::from_hours(24),
    };
    // The device must be registered to the user first.
    assert!(matches!(
        store.create_session(&session),
        Err(StoreError::UnknownDevice(_))
    ));
    store
        .register_device(device, &UserId::new("ann"), "desk", now())
        .expect("register");
    store.create_session(&session).expect("create");
    let amy_on_anns_device = NewSession {
        token_hash: TokenHash::of("another token"),
        user: UserId::new("amy"),
        ..session.clone()
    };
    assert!(matches!(
        store.create_session(&amy_on_anns_device),
        Err(StoreError::DeviceTaken { .. })
    ));

    let found = store
        .find_session(&hash)
        .expect("find")
        .expect("the session");
    assert_eq!(found.user.name, UserId::new("ann"));
    assert_eq!(found.device, device);
    assert!(found.is_active(now()));
    assert!(
        !found.is_active(now() + SignedDuration::from_hours(24)),
        "expired"
    );
    assert!(
        store
            .find_session(&TokenHash::of("a tokem"))
            .expect("find")
            .is_none()
    );

    // Sliding expiry moves the end later, never earlier.
    let later = now() + SignedDuration::from_hours(48);
    assert!(store.extend_session(&hash, later).expect("extend"));
    assert!(
        !store
            .extend_session(&hash, now() + SignedDuration::from_hours(30))
            .expect("not earlier")
    );
    let extended = store
        .find_session(&hash)
        .expect("find")
        .expect("the session");
    assert_eq!(extended.expires_at, later);

    assert!(store.revoke_session(&hash, now()).expect("revoke"));
    assert!(!store.revoke_session(&hash, now()).expect("revoke again"));
    assert!(
        !store
            .extend_session(&hash, later + SignedDuration::from_hours(1))
            .expect("a revoked session stays as it was")
    );
    let revoked = store
        .find_session(&hash)
        .expect("find")
        .expect("still stored");
    assert_eq!(revoked.revoked_at, Some(now()));
    assert!(!revoked.is_active(now()));

    // Disabling a user revokes their other sessions too.
    let second = NewSession {
        token_hash: TokenHash::of("a second token"),
        ..session
    };
    store.create_session(&second).expect("create");
    store
        .disable_user(&UserId::new("ann"), now())
        .expect("disable");
    let after = store
        .find_session(&second.token_hash)
        .expect("find")
        .expect("stored");
    assert!(after.revoked_at.is_some());
    assert!(after.user.disabled);
    assert!(!after.is_active(now()));
}

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
