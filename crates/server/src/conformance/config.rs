//! The configuration conformance suite: versions of the site configuration,
//! the rules pushes are decided with, and the audit chain, which every
//! [`ConfigStore`] implementation must pass (feature `conformance`).
//!
//! A backend provides a factory returning a fresh, empty store and whatever
//! keeps its database alive, as for the accounts suite, and invokes
//! [`config_conformance_tests!`](crate::config_conformance_tests). The
//! tampering case needs raw access to the database, so each backend calls
//! [`an_edited_audit_entry_is_found`] itself with a function that edits a
//! row behind the store's back.

use super::{Client, assert_applied, complaint_id, now, record};
use crate::config::{ConfigStore, NewConfig, verify_audit};
use crate::{ServerStore, StoreError};
use jiff::{SignedDuration, Timestamp};
use redress_domain::ids::UserId;
use redress_domain::model::Role;
use redress_domain::rules::RulesDocument;
use redress_domain::sla::{ClockKind, ClockTarget, SlaPolicy};
use redress_protocol::rules_digest;

/// Generates one `#[test]` per configuration conformance case from a
/// factory (a path to a `fn() -> (G, S)` where `S` is a [`ServerStore`] and
/// [`ConfigStore`] and `G` keeps its database alive).
#[macro_export]
macro_rules! config_conformance_tests {
    ($open:path) => {
        $crate::config_conformance_tests!(@cases $open;
            versions_are_numbered_checked_and_conflicts_refused,
            the_version_in_force_follows_effective_from,
            pushes_decide_with_the_version_in_force_and_old_clocks_keep_their_targets,
        );
    };
    (@cases $open:path; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                $crate::conformance::config::$case($open);
            }
        )*
    };
}

fn admin() -> UserId {
    UserId::new("admin.li")
}

/// The default rules with every complaint resolved within `hours`.
pub fn resolution_in(hours: i64) -> RulesDocument {
    let mut document = RulesDocument::default();
    document.sla.policies.push(SlaPolicy {
        name: format!("resolution in {hours} h"),
        when: Default::default(),
        first_response: None,
        progress_cadence: None,
        resolution: Some(ClockTarget::round_the_clock(hours * 3600)),
        approval: None,
        callback: None,
        warn_at_permille: None,
    });
    document
}

fn put(
    store: &impl ConfigStore,
    document: &RulesDocument,
    base: Option<i64>,
    at: Timestamp,
) -> Result<redress_protocol::admin::ConfigVersion, StoreError> {
    store.put_config(
        &NewConfig {
            document,
            base_version: base,
            effective_from: None,
            note: "",
            author: &admin(),
            device: None,
        },
        at,
    )
}

pub fn versions_are_numbered_checked_and_conflicts_refused<G, S: ConfigStore>(
    open: fn() -> (G, S),
) {
    let (_guard, store) = open();
    assert_eq!(store.config_in_force(now()).expect("read"), None);
    assert!(store.config_versions().expect("read").is_empty());

    let first = put(&store, &resolution_in(24), Some(0), now()).expect("the first version");
    assert_eq!(first.version, 1);
    assert_eq!(first.author, admin());
    assert_eq!(first.digest, rules_digest(&resolution_in(24)));
    assert_eq!(first.effective_from, first.created_at);

    // A second edit that started from version 1 goes in ...
    let second = put(&store, &resolution_in(12), Some(1), now()).expect("the second version");
    assert_eq!(second.version, 2);
    // ... a third that also started from 1 is stale.
    match put(&store, &resolution_in(6), Some(1), now()) {
        Err(StoreError::ConfigConflict {
            base: 1,
            current: 2,
        }) => {}
        other => panic!("a stale base is a conflict, not {other:?}"),
    }
    // A document that does not check out is refused whole.
    let mut broken = resolution_in(6);
    broken.sla.policies[0].resolution = Some(ClockTarget {
        seconds: 3600,
        calendar: redress_domain::ids::CalendarId::new("no-such-calendar"),
    });
    match put(&store, &broken, Some(2), now()) {
        Err(StoreError::InvalidConfig(message)) => {
            assert!(message.contains("no-such-calendar"), "{message}");
        }
        other => panic!("a broken document is refused, not {other:?}"),
    }
    // Without a base, whatever is current is replaced.
    assert_eq!(
        put(&store, &resolution_in(6), None, now())
            .expect("put")
            .version,
        3
    );

    let versions = store.config_versions().expect("read");
    let numbers: Vec<i64> = versions.iter().map(|v| v.version).collect();
    assert_eq!(
        numbers,
        [3, 2, 1],
        "newest first, nothing of the refused ones"
    );
    let (read, document) = store.config_document(2).expect("read").expect("version 2");
    assert_eq!(read, second);
    assert_eq!(document, resolution_in(12));
    assert_eq!(store.config_in_force(now()).expect("read"), Some(3));

    // Each stored version has its audit entry, chained.
    let audit = store.audit_page(0, 100).expect("audit");
    assert_eq!(audit.len(), 3);
    assert!(
        audit
            .iter()
            .all(|e| e.action == "config.put" && e.actor == admin())
    );
    assert_eq!(audit[0].before, serde_json::Value::Null);
    assert_eq!(audit[1].before["version"], 1);
    assert_eq!(audit[1].after["version"], 2);
    assert_eq!(audit[2].prev_hash, audit[1].hash);
    let report = verify_audit(&store).expect("verify");
    assert!(report.holds(), "{:?}", report.problems);
    assert_eq!((report.entries, report.versions), (3, 3));
}

pub fn the_version_in_force_follows_effective_from<G, S: ConfigStore>(open: fn() -> (G, S)) {
    let (_guard, store) = open();
    put(&store, &resolution_in(24), None, now()).expect("version 1");
    let later = now() + SignedDuration::from_hours(2);
    let scheduled = store
        .put_config(
            &NewConfig {
                document: &resolution_in(8),
                base_version: Some(1),
                effective_from: Some(later),
                note: "from the new shift on",
                author: &admin(),
                device: None,
            },
            now(),
        )
        .expect("version 2");
    assert_eq!(scheduled.effective_from, later);
    assert_eq!(scheduled.note, "from the new shift on");
    assert_eq!(store.config_in_force(now()).expect("read"), Some(1));
    assert_eq!(
        store
            .config_in_force(later - SignedDuration::from_micros(1))
            .expect("read"),
        Some(1)
    );
    assert_eq!(store.config_in_force(later).expect("read"), Some(2));
    // An effective-from in the past means now.
    let past = store
        .put_config(
            &NewConfig {
                document: &resolution_in(4),
                base_version: Some(2),
                effective_from: Some(now() - SignedDuration::from_hours(1)),
                note: "",
                author: &admin(),
                device: None,
            },
            now(),
        )
        .expect("version 3");
    assert_eq!(past.effective_from, now());
    // Version 3 supersedes 2 before 2 ever came into force.
    assert_eq!(store.config_in_force(now()).expect("read"), Some(3));
    assert_eq!(store.config_in_force(later).expect("read"), Some(3));
}

fn resolution_target(store: &dyn ServerStore, n: u128) -> i64 {
    let stored = store
        .complaint(complaint_id(n))
        .expect("read")
        .expect("the complaint");
    stored
        .complaint
        .clocks
        .iter()
        .find(|c| c.kind == ClockKind::Resolution)
        .expect("a resolution clock")
        .target_secs
}

pub fn pushes_decide_with_the_version_in_force_and_old_clocks_keep_their_targets<
    G,
    S: ServerStore + ConfigStore,
>(
    open: fn() -> (G, S),
) {
    let (_guard, store) = open();
    let mut ann = Client::new(&store, 1, "ann", Role::Agent);
    // Before any version: the rules the store was opened with (48 h for a
    // medium complaint).
    assert_applied(&ann.push_one(&store, record(complaint_id(1))));
    assert_eq!(resolution_target(&store, 1), 48 * 3600);

    put(&store, &resolution_in(24), None, now()).expect("version 1");
    assert_applied(&ann.push_one(&store, record(complaint_id(2))));
    assert_eq!(resolution_target(&store, 2), 24 * 3600);
    // The complaint recorded before keeps its target.
    assert_eq!(resolution_target(&store, 1), 48 * 3600);

    // Each new version is picked up at the next push.
    put(&store, &resolution_in(12), None, now()).expect("version 2");
    assert_applied(&ann.push_one(&store, record(complaint_id(3))));
    assert_eq!(resolution_target(&store, 3), 12 * 3600);
    assert_eq!(resolution_target(&store, 2), 24 * 3600);
}

/// The chain holds, then `edit` changes a stored entry or version behind
/// the store's back (bypassing the append-only guard) and the check names
/// what was changed.
pub fn an_edited_audit_entry_is_found(store: &impl ConfigStore, edit: impl FnOnce(), finds: &str) {
    put(store, &resolution_in(24), None, now()).expect("version 1");
    put(store, &resolution_in(12), Some(1), now()).expect("version 2");
    put(store, &resolution_in(8), Some(2), now()).expect("version 3");
    let report = verify_audit(store).expect("verify");
    assert!(report.holds(), "{:?}", report.problems);
    edit();
    let report = verify_audit(store).expect("verify");
    assert!(!report.holds(), "the edit went unnoticed");
    assert!(
        report.problems.iter().any(|p| p.contains(finds)),
        "{:?} does not say {finds:?}",
        report.problems
    );
}
