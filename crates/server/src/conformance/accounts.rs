//! The accounts conformance suite: users and sessions, which every
//! [`AccountStore`](crate::AccountStore) implementation must pass (feature
//! `conformance`).
//!
//! A backend provides a factory returning a fresh, empty store and whatever
//! keeps its database alive (a temporary directory, a PostgreSQL schema),
//! dropped after the store. Invoke
//! [`account_conformance_tests!`](crate::account_conformance_tests) in a test
//! file for one `#[test]` per case:
//!
//! ```text
//! fn open() -> (tempfile::TempDir, redress_server::SqliteStore) { /* ... */ }
//! redress_server::account_conformance_tests!(open);
//! ```

use crate::http::Backend;
use crate::{NewSession, NewUser, StoreError, TokenHash, UserKind};
use jiff::{SignedDuration, Timestamp};
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_protocol::DeviceId;
use uuid::Uuid;

/// Generates one `#[test]` per accounts conformance case from a factory (a
/// path to a `fn() -> (G, S)` where `S` is a [`Backend`] and `G` keeps its
/// database alive).
#[macro_export]
macro_rules! account_conformance_tests {
    ($open:path) => {
        $crate::account_conformance_tests!(@cases $open;
            users_are_added_found_and_disabled,
            sessions_expire_are_revoked_and_follow_their_user,
        );
    };
    (@cases $open:path; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                $crate::conformance::accounts::$case($open);
            }
        )*
    };
}

fn now() -> Timestamp {
    "2026-03-02T02:00:00Z".parse().expect("a timestamp")
}

/// A person to add; the store does not look inside the hash.
pub fn user(name: &str, role: Role, limit: Option<i64>) -> NewUser {
    NewUser {
        kind: UserKind::Person,
        name: UserId::new(name),
        role,
        approval_limit_minor: limit,
        // The store does not look inside the hash.
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
    }
}

/// Users are added, found by name and disabled; bad names, taken names and
/// negative limits are refused.
pub fn users_are_added_found_and_disabled<G, S: Backend>(open: impl Fn() -> (G, S)) {
    let (_guard, store) = open();
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

/// Sessions need a device registered to their user, expire, slide later
/// only, are revoked, and are revoked with their user.
pub fn sessions_expire_are_revoked_and_follow_their_user<G, S: Backend>(open: impl Fn() -> (G, S)) {
    let (_guard, store) = open();
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
