//! The SLA watcher: due reminders become notifications once, across restarts;
//! bursts collapse into one summary; snoozed reminders come back.
#![allow(clippy::unwrap_used)]

mod support;

use redress_domain::complaint::ComplaintDraft;
use redress_domain::complaint::{Command, clock_id};
use redress_domain::ids::CategoryCode;
use redress_domain::ids::UpdateId;
use redress_domain::model::{
    Channel, ComplaintKind, Customer, DemandClass, Role, Severity, Subject, SubjectKind,
};
use redress_domain::planner::{ReminderKind, ReminderResolution};
use redress_domain::sla::ClockKind;
use support::{TestClock, open};

fn upset(n: u32) -> ComplaintDraft {
    ComplaintDraft {
        customer: Customer {
            name: format!("客户{n}"),
            phone: format!("1390000{n:04}"),
            customer_id: None,
        },
        channel: Channel::Phone,
        subject: Subject {
            kind: SubjectKind::Order,
            reference: format!("SO-{n}"),
        },
        category: CategoryCode::new(format!("logistics.late.{n}")),
        demand: "尽快送达".into(),
        description: "包裹延误一周".into(),
        kind: ComplaintKind::EmotionDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
        received_at: None,
    }
}

#[test]
fn a_due_progress_update_notifies_once_even_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    let cid = h.app.record_complaint(upset(1)).unwrap();

    // Nothing is due yet; the watcher plans to wake at the 75% warning
    // (22.5 minutes into the 30-minute progress cadence) or sooner.
    let r = h.app.tick().unwrap();
    assert_eq!(r.notified, 0);
    assert!(h.toasts.take().is_empty());
    assert_eq!(
        r.next_wake,
        "2026-11-23T01:00:30Z".parse().unwrap(),
        "capped at 30 s"
    );

    clock.advance_mins(30);
    let r = h.app.tick().unwrap();
    let toasts = h.toasts.take();
    let titles: Vec<_> = toasts.iter().map(|t| t.title.clone()).collect();
    assert!(
        titles.iter().any(|t| t.contains("需要同步进度")),
        "{titles:?}"
    );
    assert!(toasts.iter().all(|t| t.complaint() == Some(cid)));
    assert!(
        toasts
            .iter()
            .all(|t| t.urgency == redress_domain::planner::Urgency::Normal),
        "a progress update falling due is normal, not critical"
    );
    assert_eq!(r.notified, toasts.len());

    // Same instant again: nothing new.
    assert_eq!(h.app.tick().unwrap().notified, 0);
    assert!(h.toasts.take().is_empty());

    // A restart re-plans from the store; the reminder log stops a repeat.
    drop(h);
    let h = open(dir.path(), clock.clone());
    assert_eq!(h.app.tick().unwrap().notified, 0);
    assert!(h.toasts.take().is_empty());
    let inbox = h.app.reminders(50).unwrap();
    assert!(
        inbox
            .iter()
            .any(|r| r.row.kind == ReminderKind::ProgressDue)
    );
}

#[test]
fn a_burst_becomes_one_summary_and_the_inbox_keeps_every_reminder() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    for n in 0..7 {
        h.app.record_complaint(upset(n)).unwrap();
    }
    h.toasts.take();
    clock.advance_mins(31);
    h.app.tick().unwrap();
    let toasts = h.toasts.take();
    assert_eq!(toasts.len(), 1, "{toasts:?}");
    assert_eq!(toasts[0].opens, redress_app::Opens::Reminders);
    assert!(toasts[0].title.contains("条提醒"), "{}", toasts[0].title);
    let inbox = h.app.reminders(100).unwrap();
    let due: Vec<_> = inbox
        .iter()
        .filter(|r| r.row.kind == ReminderKind::ProgressDue)
        .collect();
    assert_eq!(due.len(), 7);
}

#[test]
fn snoozed_reminders_come_back_and_acknowledged_ones_stay_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    h.speak(redress_app::Language::En);
    h.app.record_complaint(upset(1)).unwrap();
    clock.advance_mins(30);
    h.app.tick().unwrap();
    h.toasts.take();
    let inbox = h.app.reminders(10).unwrap();
    let due = inbox
        .iter()
        .find(|r| r.row.kind == ReminderKind::ProgressDue)
        .unwrap()
        .clone();
    assert!(
        due.row.title.contains("progress update due"),
        "{}",
        due.row.title
    );
    h.app.snooze_reminder(&due.row.key.to_string(), 10).unwrap();

    clock.advance_mins(9);
    h.app.tick().unwrap();
    assert!(h.toasts.take().iter().all(|t| t.title != due.row.title));
    clock.advance_mins(1);
    h.app.tick().unwrap();
    let back = h.toasts.take();
    assert!(back.iter().any(|t| t.title == due.row.title), "{back:?}");

    h.app.ack_reminder(&due.row.key.to_string()).unwrap();
    let acked = h.app.reminders(10).unwrap();
    let row = acked.iter().find(|r| r.row.key == due.row.key).unwrap();
    assert!(row.row.acked_at.is_some());
}

#[test]
fn agents_are_reminded_of_their_own_complaints_only_and_kinds_can_be_muted() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    h.app.record_complaint(upset(1)).unwrap();
    h.act_as("agent.chen", Role::Agent);
    clock.advance_mins(30);
    h.app.tick().unwrap();
    assert!(h.toasts.take().is_empty(), "not the agent's complaint");

    let dir2 = tempfile::tempdir().unwrap();
    let h2 = open(dir2.path(), clock.clone());
    let mut s = h2.settings();
    s.notify.progress_due = false;
    s.notify.sla_warning = false;
    s.notify.sla_breach = false;
    h2.app.set_settings(&s).unwrap();
    h2.app.record_complaint(upset(2)).unwrap();
    clock.advance_mins(31);
    h2.app.tick().unwrap();
    assert!(h2.toasts.take().is_empty(), "muted kinds");
    assert!(
        !h2.app.reminders(10).unwrap().is_empty(),
        "still in the inbox"
    );
}

fn kinds(items: &[redress_app::ReminderItem]) -> Vec<ReminderKind> {
    items.iter().map(|r| r.row.kind).collect()
}

#[test]
fn a_reminder_clears_when_its_cause_is_dealt_with_and_stays_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    let cid = h.app.record_complaint(upset(1)).unwrap();
    // 23 minutes: the progress cadence's 75% warning.
    clock.advance_mins(23);
    h.app.tick().unwrap();
    let warned = h.app.reminders(50).unwrap();
    assert!(
        kinds(&warned).contains(&ReminderKind::SlaWarning),
        "{warned:?}"
    );
    // 31 minutes: the update is due; it replaces the warning about the same
    // progress cycle (one open reminder per cause).
    clock.advance_mins(8);
    h.app.tick().unwrap();
    let inbox = h.app.reminders(50).unwrap();
    let progress: Vec<_> = inbox
        .iter()
        .filter(|r| {
            r.row.kind == ReminderKind::ProgressDue || r.row.kind == ReminderKind::SlaWarning
        })
        .filter(|r| r.row.key.clock == clock_id(cid, ClockKind::ProgressUpdate))
        .collect();
    assert_eq!(progress.len(), 1, "{inbox:?}");
    assert_eq!(progress[0].row.kind, ReminderKind::ProgressDue);
    assert_eq!(
        progress[0].number,
        h.app.complaint(cid).unwrap().complaint.number
    );
    let history = h.app.reminder_history(50).unwrap();
    assert!(
        history
            .iter()
            .any(|r| r.row.kind == ReminderKind::SlaWarning
                && r.row.resolution == Some(ReminderResolution::Superseded))
    );
    let before = h.app.counts().unwrap().reminders;

    // The customer is told about progress: the progress reminder resolves.
    h.app
        .execute(
            cid,
            &Command::AddProgress {
                update_id: UpdateId(uuid::Uuid::from_u128(7)),
                text: "已联系物流加急".into(),
                customer_informed: true,
            },
        )
        .unwrap();
    let inbox = h.app.reminders(50).unwrap();
    assert!(
        inbox.iter().all(
            |r| r.row.key.clock != clock_id(cid, ClockKind::ProgressUpdate)
                || r.row.key.cycle > progress[0].row.key.cycle
        ),
        "{inbox:?}"
    );
    assert!(h.app.counts().unwrap().reminders < before);
    let done = h.app.reminder_history(50).unwrap();
    let cleared = done
        .iter()
        .find(|r| r.row.key == progress[0].row.key)
        .unwrap();
    assert_eq!(cleared.row.resolution, Some(ReminderResolution::Done));
    assert!(cleared.row.resolved_at.is_some());

    // After a restart it is still history, not new.
    drop(h);
    let h = open(dir.path(), clock.clone());
    h.app.tick().unwrap();
    assert!(
        h.app
            .reminders(50)
            .unwrap()
            .iter()
            .all(|r| r.row.key != progress[0].row.key)
    );
}

#[test]
fn reminders_read_in_the_language_of_the_moment() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    h.app.record_complaint(upset(1)).unwrap();
    clock.advance_mins(31);
    h.app.tick().unwrap();
    let zh = h.app.reminders(50).unwrap();
    assert!(
        zh.iter().any(|r| r.row.title.contains("需要同步进度")),
        "{zh:?}"
    );
    h.speak(redress_app::Language::En);
    let en = h.app.reminders(50).unwrap();
    assert!(
        en.iter()
            .any(|r| r.row.title.contains("progress update due")),
        "{en:?}"
    );
    assert!(en.iter().all(|r| !r.row.title.contains("需要")), "{en:?}");
}

#[test]
fn bulk_acknowledge_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    for n in 0..3 {
        h.app.record_complaint(upset(n)).unwrap();
    }
    clock.advance_mins(31);
    h.app.tick().unwrap();
    let keys: Vec<String> = h
        .app
        .reminders(50)
        .unwrap()
        .iter()
        .map(|r| r.row.key.to_string())
        .collect();
    assert!(keys.len() >= 3);
    let mut bad = keys.clone();
    bad.push("not-a-key".into());
    assert!(h.app.ack_reminders(&bad).is_err());
    assert_eq!(h.app.counts().unwrap().reminders as usize, keys.len());
    h.app.ack_reminders(&keys).unwrap();
    assert_eq!(h.app.counts().unwrap().reminders, 0);
}

#[test]
fn the_tray_lists_breached_then_at_risk_complaints_and_each_opens_its_own() {
    use redress_app::{Opens, TRAY_SECTION_LIMIT};
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    h.speak(redress_app::Language::En);
    let quiet = h.app.tray_menu().unwrap();
    assert!(quiet.entries.is_empty(), "nothing needs anyone: {quiet:?}");
    assert_eq!(
        (quiet.show.as_str(), quiet.quit.as_str()),
        ("Show console", "Quit")
    );

    // Ten complaints whose 30-minute progress update is missed, then one
    // past its 75% warning only.
    for n in 0..10 {
        h.app.record_complaint(upset(n)).unwrap();
    }
    clock.advance_mins(8);
    let late = h.app.record_complaint(upset(10)).unwrap();
    clock.advance_mins(23);
    let menu = h.app.tray_menu().unwrap();
    let labels: Vec<&str> = menu.entries.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(menu.breached, 10);
    assert!(
        menu.status.contains("10 breached, 1 at risk"),
        "{}",
        menu.status
    );
    assert_eq!(labels[0], "Breached (10)", "{labels:?}");
    assert_eq!(menu.entries[0].opens, None, "a heading opens nothing");
    let listed = &menu.entries[1..=TRAY_SECTION_LIMIT];
    assert!(
        listed
            .iter()
            .all(|e| matches!(e.opens, Some(Opens::Complaint { .. }))
                && e.label.contains("progress update")),
        "{labels:?}"
    );
    let more = &menu.entries[TRAY_SECTION_LIMIT + 1];
    assert_eq!(more.label, "2 more: open the dashboard");
    assert_eq!(more.opens, Some(Opens::Dashboard));
    assert_eq!(menu.entries[TRAY_SECTION_LIMIT + 2].label, "At risk (1)");
    let risky = &menu.entries[TRAY_SECTION_LIMIT + 3];
    assert_eq!(risky.opens, Some(Opens::Complaint { id: late }));
    let number = h.app.complaint(late).unwrap().complaint.number;
    assert!(risky.label.starts_with(&number), "{}", risky.label);
    assert!(risky.label.contains("客户10"), "{}", risky.label);
    assert_eq!(menu.entries.len(), TRAY_SECTION_LIMIT + 4);
}

/// Quiet hours: on a weekend, outside the site's quiet calendar, a progress
/// update falling due is recorded but not shown until the next working
/// instant (Monday 09:00 in Shanghai); a critical complaint's is shown at
/// once.
#[test]
fn reminders_wait_for_working_hours_unless_the_complaint_is_critical() {
    let dir = tempfile::tempdir().unwrap();
    // Saturday 21 November 2026, 10:00 in Shanghai.
    let clock = TestClock::at("2026-11-21T02:00:00Z");
    let h = open(dir.path(), clock.clone());
    let doc: redress_domain::RulesDocument = toml::from_str(
        r#"
[calendars.office]
timezone = "Asia/Shanghai"
hours.mon = [["09:00", "18:00"]]
hours.tue = [["09:00", "18:00"]]
hours.wed = [["09:00", "18:00"]]
hours.thu = [["09:00", "18:00"]]
hours.fri = [["09:00", "18:00"]]

[notifications]
quiet_calendar = "office"
"#,
    )
    .unwrap();
    h.app.put_site_config(&doc).unwrap();
    let calm = h.app.record_complaint(upset(1)).unwrap();
    let critical = h
        .app
        .record_complaint(ComplaintDraft {
            severity: Severity::CRITICAL,
            ..upset(2)
        })
        .unwrap();
    h.toasts.take();

    clock.advance_mins(31);
    h.app.tick().unwrap();
    let toasts = h.toasts.take();
    assert!(
        toasts.iter().any(|t| t.complaint() == Some(critical)),
        "the critical complaint's reminder is shown on a Saturday: {toasts:?}"
    );
    assert!(
        toasts.iter().all(|t| t.complaint() != Some(calm)),
        "the other one waits: {toasts:?}"
    );

    // Sunday: still quiet.
    clock.advance_mins(24 * 60);
    h.app.tick().unwrap();
    assert!(h.toasts.take().iter().all(|t| t.complaint() != Some(calm)));

    // Monday 09:00 in Shanghai (01:00 UTC): what waited is shown.
    clock.advance_mins(24 * 60 - 91);
    assert_eq!(
        h.app.now(),
        "2026-11-23T01:00:00Z".parse::<jiff::Timestamp>().unwrap()
    );
    h.app.tick().unwrap();
    let toasts = h.toasts.take();
    assert!(
        toasts.iter().any(|t| t.complaint() == Some(calm)),
        "shown at the next working instant: {toasts:?}"
    );
}
