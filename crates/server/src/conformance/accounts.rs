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
use crate::{NewIntegration, NewSession, NewUser, StoreError, TokenHash, UserKind};
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
            passwords_change_users_come_back_and_sessions_are_listed_revoked_and_purged,
            an_integration_is_added_whole_or_not_at_all,
            users_are_listed_and_change_role,
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

fn session_of(user: &str, token: &str, device: DeviceId, created_at: Timestamp) -> NewSession {
    NewSession {
        token_hash: TokenHash::of(token),
        user: UserId::new(user),
        device,
        created_at,
        expires_at: created_at + SignedDuration::from_hours(24),
    }
}

/// A new password ends every session of the person (not of others) and is
/// refused for integrations; a disabled user comes back with `enable`;
/// live sessions are listed (oldest first, with their device) and revoked
/// per user or by listed id; ended ones are purged after the cut-off only.
pub fn passwords_change_users_come_back_and_sessions_are_listed_revoked_and_purged<
    G,
    S: Backend,
>(
    open: impl Fn() -> (G, S),
) {
    let (_guard, store) = open();
    let ann = UserId::new("ann");
    let amy = UserId::new("amy");
    for name in ["ann", "amy"] {
        store
            .add_user(&user(name, Role::Agent, None), now())
            .expect("add");
    }
    let desk = DeviceId(Uuid::from_u128(1));
    let laptop = DeviceId(Uuid::from_u128(2));
    let amys = DeviceId(Uuid::from_u128(3));
    store
        .register_device(desk, &ann, "front desk", now())
        .expect("register");
    store
        .register_device(laptop, &ann, "laptop", now())
        .expect("register");
    store
        .register_device(amys, &amy, "amy's", now())
        .expect("register");
    let hour = SignedDuration::from_hours(1);
    store
        .create_session(&session_of("ann", "t1", desk, now()))
        .expect("create");
    store
        .create_session(&session_of("ann", "t2", laptop, now() + hour))
        .expect("create");
    store
        .create_session(&session_of("amy", "t3", amys, now()))
        .expect("create");

    let at = now() + hour + hour;
    let listed = store.list_sessions(Some(&ann), at).expect("list");
    assert_eq!(
        listed
            .iter()
            .map(|s| (s.device, s.device_name.as_str()))
            .collect::<Vec<_>>(),
        [(desk, "front desk"), (laptop, "laptop")]
    );
    assert_eq!(listed[0].user, ann);
    assert_eq!(listed[0].kind, UserKind::Person);
    assert_eq!(listed[0].id.len(), 16);
    assert_eq!(store.list_sessions(None, at).expect("list all").len(), 3);
    assert!(
        store
            .list_sessions(None, now() + SignedDuration::from_hours(30))
            .expect("list later")
            .is_empty(),
        "expired sessions are not live"
    );

    // Revoke one by (a prefix of) its listed id, then the rest.
    let laptop_id = listed[1].id.clone();
    assert_eq!(
        store
            .revoke_sessions(&ann, Some(&laptop_id[..6]), at)
            .expect("revoke"),
        1
    );
    assert!(
        !store
            .find_session(&TokenHash::of("t2"))
            .expect("find")
            .expect("kept")
            .is_active(at)
    );
    assert!(
        store
            .find_session(&TokenHash::of("t1"))
            .expect("find")
            .expect("kept")
            .is_active(at)
    );
    assert_eq!(store.revoke_sessions(&ann, None, at).expect("revoke"), 1);
    assert_eq!(store.revoke_sessions(&ann, None, at).expect("revoke"), 0);

    // A new password ends the person's sessions, only theirs.
    store
        .create_session(&session_of("ann", "t4", desk, at))
        .expect("create");
    store
        .set_password(&ann, "$argon2id$new", at)
        .expect("passwd");
    let found = store.find_user(&ann).expect("find").expect("ann");
    assert_eq!(found.password_hash, "$argon2id$new");
    assert!(
        !store
            .find_session(&TokenHash::of("t4"))
            .expect("find")
            .expect("kept")
            .is_active(at)
    );
    assert!(
        store
            .find_session(&TokenHash::of("t3"))
            .expect("find")
            .expect("kept")
            .is_active(at)
    );
    assert!(matches!(
        store.set_password(&UserId::new("nobody"), "x", at),
        Err(StoreError::UnknownUser(_))
    ));

    // Disabled and enabled again.
    store.disable_user(&amy, at).expect("disable");
    assert!(store.find_user(&amy).expect("find").expect("amy").disabled);
    store.enable_user(&amy).expect("enable");
    assert!(!store.find_user(&amy).expect("find").expect("amy").disabled);
    assert!(
        !store
            .find_session(&TokenHash::of("t3"))
            .expect("find")
            .expect("kept")
            .is_active(at),
        "sessions ended by the disable stay ended"
    );
    assert!(matches!(
        store.enable_user(&UserId::new("nobody")),
        Err(StoreError::UnknownUser(_))
    ));

    // Purge: everything ended before the cut-off goes, nothing else.
    store
        .create_session(&session_of("amy", "t5", amys, at))
        .expect("create");
    assert_eq!(store.purge_sessions(at - hour).expect("purge"), 0);
    assert_eq!(store.purge_sessions(at + hour).expect("purge"), 4);
    for gone in ["t1", "t2", "t3", "t4"] {
        assert!(
            store
                .find_session(&TokenHash::of(gone))
                .expect("find")
                .is_none(),
            "{gone}"
        );
    }
    assert!(
        store
            .find_session(&TokenHash::of("t5"))
            .expect("find")
            .is_some(),
        "live"
    );
}

/// An integration's user, device and session are added in one
/// transaction: a taken name leaves nothing behind, and a password cannot
/// be set on it.
pub fn an_integration_is_added_whole_or_not_at_all<G, S: Backend>(open: impl Fn() -> (G, S)) {
    let (_guard, store) = open();
    let crm = UserId::new("crm");
    let new = |token: &str, device: u128| NewIntegration {
        user: NewUser {
            kind: UserKind::Integration,
            password_hash: "!integration".to_owned(),
            ..user("crm", Role::Agent, None)
        },
        device_name: "integration crm".to_owned(),
        session: session_of("crm", token, DeviceId(Uuid::from_u128(device)), now()),
    };
    store.add_integration(&new("c1", 10), now()).expect("add");
    let session = store
        .find_session(&TokenHash::of("c1"))
        .expect("find")
        .expect("session");
    assert_eq!(session.user.kind, UserKind::Integration);
    assert_eq!(session.device, DeviceId(Uuid::from_u128(10)));
    assert!(matches!(
        store.add_integration(&new("c2", 11), now()),
        Err(StoreError::UserExists(_))
    ));
    assert!(
        store
            .find_session(&TokenHash::of("c2"))
            .expect("find")
            .is_none()
    );
    // A failure at the last step (the token is taken) undoes the first.
    let mut clash = new("c1", 12);
    clash.user.name = UserId::new("crm2");
    clash.session.user = UserId::new("crm2");
    assert!(store.add_integration(&clash, now()).is_err());
    assert!(
        store
            .find_user(&UserId::new("crm2"))
            .expect("find")
            .is_none(),
        "no user left"
    );
    // Device 11 was not registered either: a person can take it.
    store
        .add_user(&user("ann", Role::Agent, None), now())
        .expect("add");
    store
        .register_device(
            DeviceId(Uuid::from_u128(11)),
            &UserId::new("ann"),
            "desk",
            now(),
        )
        .expect("the device is free");
    assert!(matches!(
        store.set_password(&crm, "$argon2id$x", now()),
        Err(StoreError::InvalidUser(_))
    ));
}

/// Every account is listed by name; a person's role and personal limit
/// change (and show in the sessions that read the user), an integration's
/// and an unknown name's do not, and a negative limit is refused.
pub fn users_are_listed_and_change_role<G, S: Backend>(open: impl Fn() -> (G, S)) {
    let (_guard, store) = open();
    for (name, role) in [("sue", Role::Supervisor), ("ann", Role::Agent)] {
        store.add_user(&user(name, role, None), now()).expect("add");
    }
    let crm = NewUser {
        kind: UserKind::Integration,
        ..user("crm", Role::Agent, None)
    };
    store.add_user(&crm, now()).expect("add the integration");
    let names: Vec<String> = store
        .list_users()
        .expect("list")
        .iter()
        .map(|u| u.name.to_string())
        .collect();
    assert_eq!(names, ["ann", "crm", "sue"]);

    let ann = UserId::new("ann");
    store
        .set_role(&ann, Role::Manager, Some(80_000))
        .expect("promote");
    let found = store.find_user(&ann).expect("find").expect("ann");
    assert_eq!(
        (found.role, found.approval_limit_minor),
        (Role::Manager, Some(80_000))
    );
    store.set_role(&ann, Role::Agent, None).expect("back");
    let found = store.find_user(&ann).expect("find").expect("ann");
    assert_eq!(
        (found.role, found.approval_limit_minor),
        (Role::Agent, None)
    );

    assert!(matches!(
        store.set_role(&ann, Role::Agent, Some(-1)),
        Err(StoreError::InvalidUser(_))
    ));
    assert!(matches!(
        store.set_role(&UserId::new("crm"), Role::Admin, None),
        Err(StoreError::InvalidUser(_))
    ));
    assert!(matches!(
        store.set_role(&UserId::new("nobody"), Role::Admin, None),
        Err(StoreError::UnknownUser(_))
    ));
    let crm = store
        .find_user(&UserId::new("crm"))
        .expect("find")
        .expect("crm");
    assert_eq!(crm.role, Role::Agent, "the integration kept its role");
}
