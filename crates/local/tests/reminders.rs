//! The reminder log (fire once, inbox, acknowledge, snooze) and settings.
#![allow(clippy::unwrap_used)]

mod common;

use common::{at, cid, store};
use redress_domain::ids::{ClockId, UserId};
use redress_domain::planner::{Reminder, ReminderKey, ReminderKind, ReminderResolution, Threshold};
use redress_domain::sla::ClockKind;
use redress_local::{LocalStore, StoreError, keys};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

fn reminder(n: u128, threshold: Threshold, minute: i64) -> Reminder {
    Reminder {
        key: ReminderKey {
            clock: ClockId(Uuid::from_u128(0xc10c_0000 + n)),
            threshold,
            cycle: 1,
            step: 0,
        },
        kind: match threshold {
            Threshold::Warn(_) => ReminderKind::SlaWarning,
            Threshold::Breach => ReminderKind::SlaBreach,
            Threshold::Due => ReminderKind::ProgressDue,
        },
        complaint: cid(n),
        clock_kind: ClockKind::FirstResponse,
        at: at(minute),
        due_at: at(60),
        owner: Some(UserId::new("li")),
        required_role: None,
        approval: None,
    }
}

fn record(store: &LocalStore, r: &Reminder, fired_minute: i64, title: &str) -> bool {
    store
        .write(|tx| tx.record_reminder(r, at(fired_minute), title, "body"))
        .unwrap()
}

fn unacked(store: &LocalStore) -> u32 {
    store.read(|r| r.unacked_reminders()).unwrap()
}

#[test]
fn a_reminder_is_logged_once_even_across_restarts() {
    let (dir, store) = store();
    let warn = reminder(1, Threshold::Warn(750), 45);
    assert!(record(&store, &warn, 45, "TS-2026-000001 is at 75%"));
    assert!(!record(&store, &warn, 46, "again"));
    drop(store);
    let store = LocalStore::open_dir(dir.path()).unwrap();
    assert!(!record(&store, &warn, 90, "after a restart"));
    // Another threshold of the same clock is another reminder, and it
    // replaces the earlier one about the same cause (the clock's cycle).
    let breach = reminder(1, Threshold::Breach, 60);
    assert!(record(&store, &breach, 60, "due"));

    let inbox = store.read(|r| r.reminder_inbox(10)).unwrap();
    assert_eq!(
        inbox.iter().map(|r| r.key).collect::<Vec<_>>(),
        [breach.key]
    );
    assert_eq!(
        inbox[0].reminder.as_ref(),
        Some(&breach),
        "kept to render later"
    );
    let history = store.read(|r| r.reminder_history(10)).unwrap();
    let first = history.iter().find(|r| r.key == warn.key).unwrap();
    assert_eq!(
        (first.resolution, first.resolved_at),
        (Some(ReminderResolution::Superseded), Some(at(60)))
    );
    // Resolving again keeps the first resolution.
    assert!(
        !store
            .write(|tx| tx.resolve_reminder(&warn.key, at(99), ReminderResolution::Done))
            .unwrap()
    );
    assert_eq!(unacked(&store), 1);
    assert_eq!(
        first.title, "TS-2026-000001 is at 75%",
        "the first one is kept"
    );
    assert_eq!(first.fired_at, at(45));
    assert_eq!(first.kind, ReminderKind::SlaWarning);
    assert_eq!(first.complaint_id, cid(1));
    assert_eq!((first.at, first.due_at), (at(45), at(60)));
    assert_eq!(first.body, "body");
    assert_eq!((first.acked_at, first.snoozed_until), (None, None));
}

#[test]
fn the_inbox_is_newest_first_and_limited() {
    let (_dir, store) = store();
    for (n, minute) in [(1, 10), (2, 30), (3, 20)] {
        assert!(record(
            &store,
            &reminder(n, Threshold::Breach, minute),
            minute,
            "t"
        ));
    }
    let inbox = store.read(|r| r.reminder_inbox(10)).unwrap();
    let order: Vec<_> = inbox.iter().map(|r| r.complaint_id).collect();
    assert_eq!(order, [cid(2), cid(3), cid(1)]);
    assert_eq!(store.read(|r| r.reminder_inbox(1)).unwrap().len(), 1);
    assert_eq!(unacked(&store), 3);
}

#[test]
fn acknowledging_keeps_the_first_time_and_unknown_keys_are_not_found() {
    let (_dir, store) = store();
    let r = reminder(1, Threshold::Breach, 60);
    record(&store, &r, 60, "due");
    store.write(|tx| tx.ack_reminder(&r.key, at(61))).unwrap();
    store.write(|tx| tx.ack_reminder(&r.key, at(70))).unwrap();
    let row = store
        .read(|rd| rd.reminder(&r.key.to_string()))
        .unwrap()
        .unwrap();
    assert_eq!(row.acked_at, Some(at(61)));
    assert_eq!(unacked(&store), 0);

    let unknown = reminder(9, Threshold::Breach, 60).key;
    let err = store
        .write(|tx| tx.ack_reminder(&unknown, at(61)))
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = store
        .write(|tx| tx.snooze_reminder(&unknown, at(61)))
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn a_snoozed_reminder_comes_back_when_its_time_comes() {
    let (_dir, store) = store();
    let a = reminder(1, Threshold::Warn(750), 45);
    let b = reminder(2, Threshold::Breach, 60);
    record(&store, &a, 45, "a");
    record(&store, &b, 60, "b");
    store.write(|tx| tx.ack_reminder(&b.key, at(61))).unwrap();
    assert_eq!(unacked(&store), 1);

    // Snoozing takes it out of the count, even an acknowledged one.
    store
        .write(|tx| tx.snooze_reminder(&a.key, at(75)))
        .unwrap();
    store
        .write(|tx| tx.snooze_reminder(&b.key, at(90)))
        .unwrap();
    assert_eq!(unacked(&store), 0);
    let row = store
        .read(|r| r.reminder(&a.key.to_string()))
        .unwrap()
        .unwrap();
    assert_eq!(row.snoozed_until, Some(at(75)));

    assert!(
        store
            .write(|tx| tx.take_snoozed_due(at(74)))
            .unwrap()
            .is_empty()
    );
    let back = store.write(|tx| tx.take_snoozed_due(at(75))).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].key, a.key);
    assert_eq!(back[0].snoozed_until, None);
    assert_eq!(back[0].title, "a");
    assert_eq!(unacked(&store), 1);
    assert!(
        store
            .write(|tx| tx.take_snoozed_due(at(75)))
            .unwrap()
            .is_empty()
    );

    let later = store.write(|tx| tx.take_snoozed_due(at(500))).unwrap();
    assert_eq!(later.iter().map(|r| r.key).collect::<Vec<_>>(), [b.key]);
    assert_eq!(
        later[0].acked_at, None,
        "a snoozed reminder comes back unread"
    );
    assert_eq!(unacked(&store), 2);

    // Acknowledging a snoozed reminder ends the snooze.
    store
        .write(|tx| tx.snooze_reminder(&a.key, at(600)))
        .unwrap();
    store.write(|tx| tx.ack_reminder(&a.key, at(510))).unwrap();
    assert!(
        store
            .write(|tx| tx.take_snoozed_due(at(700)))
            .unwrap()
            .is_empty()
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Notifications {
    sound: bool,
    quiet_hours: Option<(String, String)>,
    kinds: Vec<String>,
}

#[test]
fn settings_round_trip_as_json() {
    let (dir, store) = store();
    let prefs = Notifications {
        sound: true,
        quiet_hours: Some(("22:00".into(), "07:00".into())),
        kinds: vec!["sla_breach".into()],
    };
    store
        .write(|tx| {
            tx.set_setting(&keys::CONSOLE, &prefs)?;
            tx.set_setting(&keys::SERVER_EPOCH, "zh-CN")
        })
        .unwrap();
    drop(store);
    let store = LocalStore::open_dir(dir.path()).unwrap();
    let got: Option<Notifications> = store.read(|r| r.get_setting(&keys::CONSOLE)).unwrap();
    assert_eq!(got, Some(prefs));
    let lang: Option<String> = store.read(|r| r.get_setting(&keys::SERVER_EPOCH)).unwrap();
    assert_eq!(lang.as_deref(), Some("zh-CN"));

    store
        .write(|tx| tx.set_setting(&keys::SERVER_EPOCH, "en"))
        .unwrap();
    let lang: Option<String> = store.read(|r| r.get_setting(&keys::SERVER_EPOCH)).unwrap();
    assert_eq!(lang.as_deref(), Some("en"), "overwritten");

    let missing: Option<bool> = store.read(|r| r.get_setting(&keys::ROLE_CHANGES)).unwrap();
    assert_eq!(missing, None);
    let wrong: Result<Option<bool>, StoreError> =
        store.read(|r| r.get_setting(&keys::SERVER_EPOCH));
    assert_eq!(wrong.unwrap_err().code(), "invalid_data");

    assert!(
        store
            .write(|tx| tx.remove_setting(&keys::SERVER_EPOCH))
            .unwrap()
    );
    assert!(
        !store
            .write(|tx| tx.remove_setting(&keys::SERVER_EPOCH))
            .unwrap()
    );
    let gone: Option<String> = store.read(|r| r.get_setting(&keys::SERVER_EPOCH)).unwrap();
    assert_eq!(gone, None);
}
