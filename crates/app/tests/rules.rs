//! The rules an app decides with can change while it runs (the server's
//! rules arrived or changed), and a server-linked store starts with the
//! server's rules it stored.
#![allow(clippy::unwrap_used)]

mod support;

use jiff::Timestamp;
use redress_app::{App, ServerLink};
use redress_domain::Rules;
use redress_domain::complaint::Command;
use redress_domain::complaint::ComplaintDraft;
use redress_domain::ids::{CalendarId, CategoryCode, ComplaintId, DeptId, UserId};
use redress_domain::model::{
    Channel, ComplaintKind, Customer, DemandClass, PauseReason, Role, Severity, Subject,
    SubjectKind,
};
use redress_domain::planner::ReminderKind;
use redress_domain::rules::RulesDocument;
use redress_domain::sla::ClockKind;
use redress_local::LocalStore;
use std::sync::Arc;
use support::{TestClock, open, open_with_rules};

/// A site whose office (Shanghai time) opens on Mondays at `opens`, with
/// every clock on office hours; first response within one office hour.
fn office(opens: &str) -> RulesDocument {
    serde_json::from_value(serde_json::json!({
        "calendars": {
            "office": {
                "timezone": "Asia/Shanghai",
                "hours": { "mon": [[opens, "18:00"]] }
            }
        },
        "sla": { "policies": [{
            "name": "office hours",
            "first_response": { "seconds": 3600, "calendar": "office" },
            "progress_cadence": { "seconds": 1800, "calendar": "office" },
            "resolution": { "seconds": 28800, "calendar": "office" }
        }]}
    }))
    .unwrap()
}

fn rules(opens: &str) -> Rules {
    office(opens).to_rules().unwrap()
}

fn input() -> ComplaintDraft {
    ComplaintDraft {
        customer: Customer {
            name: "客户".into(),
            phone: "13900000001".into(),
            customer_id: None,
        },
        channel: Channel::Phone,
        subject: Subject {
            kind: SubjectKind::Order,
            reference: "SO-1".into(),
        },
        category: CategoryCode::new("logistics.late"),
        demand: "尽快送达".into(),
        description: "包裹延误一周".into(),
        kind: ComplaintKind::EmotionDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
        received_at: None,
    }
}

/// When the first-response clock of `id` warns, as the screen shows it.
fn first_response_warning(app: &App, id: ComplaintId) -> Timestamp {
    let view = app.complaint(id).unwrap();
    let clock = view
        .clocks
        .iter()
        .find(|c| c.clock.kind == ClockKind::FirstResponse)
        .unwrap();
    assert_eq!(clock.clock.calendar, CalendarId::new("office"));
    clock.warn_at.unwrap()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn new_rules_time_business_clocks_and_move_the_watcher() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 09:00 in Shanghai.
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open(dir.path(), clock.clone());
    h.act_as("sup", Role::Supervisor);

    // The server's rules arrive: an office opening at 13:00.
    h.app.set_rules(Arc::new(rules("13:00"))).unwrap();
    assert!(
        h.events.0.lock().unwrap().iter().any(|c| c.all),
        "the screens are told to refresh"
    );
    let id = h.app.record_complaint(input()).unwrap();
    // One office hour from 13:00 (the built-in rules: 10:00, round the
    // clock), warned at 75%.
    let view = h.app.complaint(id).unwrap();
    let first = view
        .clocks
        .iter()
        .find(|c| c.clock.kind == ClockKind::FirstResponse)
        .unwrap();
    assert_eq!(first.clock.due_at, Some(ts("2026-11-23T06:00:00Z")));
    assert_eq!(
        first_response_warning(&h.app, id),
        ts("2026-11-23T05:45:00Z")
    );

    // Nothing falls due in the morning under these rules.
    clock.advance_mins(50);
    assert_eq!(h.app.tick().unwrap().notified, 0);
    assert!(h.app.reminders(50).unwrap().is_empty());

    // The office now opens at 09:00: the watcher re-plans, and the
    // first-response warning moves to 09:45 and is shown at once.
    h.events.0.lock().unwrap().clear();
    h.app.set_rules(Arc::new(rules("09:00"))).unwrap();
    assert!(h.events.0.lock().unwrap().iter().any(|c| c.all));
    assert_eq!(
        first_response_warning(&h.app, id),
        ts("2026-11-23T01:45:00Z")
    );
    h.app.tick().unwrap();
    let inbox = h.app.reminders(50).unwrap();
    assert!(
        inbox
            .iter()
            .any(|r| r.row.kind == ReminderKind::SlaWarning
                && r.row.at == ts("2026-11-23T01:45:00Z")),
        "{inbox:?}"
    );
    assert!(!h.toasts.take().is_empty());
}

fn link(app: &App) {
    app.complete_sign_in(
        &ServerLink {
            url: "http://redress.example:8080".into(),
            user: UserId::new("sup"),
            token: Some("t".into()),
            keychain: false,
            ca_pem: None,
            insecure_http: false,
        },
        Role::Supervisor,
        None,
    )
    .unwrap();
}

fn store_rules(dir: &std::path::Path, doc: &RulesDocument) {
    let store = LocalStore::open_dir(dir).unwrap();
    store
        .write(|tx| tx.set_setting(&redress_local::keys::SERVER_RULES, doc))
        .unwrap();
}

#[test]
fn a_linked_store_starts_with_the_server_rules_it_stored() {
    let clock = TestClock::at("2026-11-23T01:00:00Z");

    // Standalone: the built-in rules, whatever is stored.
    let alone = tempfile::tempdir().unwrap();
    store_rules(alone.path(), &office("13:00"));
    let h = open(alone.path(), clock.clone());
    assert!(!h.app.load_server_rules().unwrap());
    assert!(h.app.rules().calendars.is_empty());
    drop(h);

    // A linked store with a complaint timed on the server's office calendar.
    let dir = tempfile::tempdir().unwrap();
    let h = open_with_rules(dir.path(), clock.clone(), rules("13:00"));
    link(&h.app);
    let id = h.app.record_complaint(input()).unwrap();
    drop(h);
    store_rules(dir.path(), &office("13:00"));

    // Opened with the built-in rules, it cannot time that clock...
    let h = open(dir.path(), clock.clone());
    assert!(h.app.complaint(id).is_err());
    // ...until it takes the stored server rules.
    assert!(h.app.load_server_rules().unwrap());
    assert_eq!(
        first_response_warning(&h.app, id),
        ts("2026-11-23T05:45:00Z")
    );

    // A stored document that does not check out is reported; the rules
    // the app had stay.
    let mut bad = office("09:00");
    bad.sla.policies[0].resolution.as_mut().unwrap().calendar = CalendarId::new("shop");
    store_rules(dir.path(), &bad);
    let err = h.app.load_server_rules().unwrap_err();
    assert_eq!(err.code, "invalid_rules");
    assert!(err.message.contains("no calendar shop"), "{}", err.message);
    assert_eq!(
        first_response_warning(&h.app, id),
        ts("2026-11-23T05:45:00Z")
    );
}

#[test]
fn a_clock_outside_working_hours_says_when_it_resumes() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 09:00 in Shanghai; the office opens at 13:00.
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open_with_rules(dir.path(), clock.clone(), rules("13:00"));
    h.act_as("sup", Role::Supervisor);
    let id = h.app.record_complaint(input()).unwrap();
    let first = |app: &App| {
        app.complaint(id)
            .unwrap()
            .clocks
            .into_iter()
            .find(|c| c.clock.kind == ClockKind::FirstResponse)
            .unwrap()
    };
    let view = first(&h.app);
    assert_eq!(view.resumes_at, Some(ts("2026-11-23T05:00:00Z")));
    assert_eq!(view.pause_note_required, [PauseReason::Other]);
    // 13:30: counting, nothing to explain.
    clock.advance_mins(270);
    assert_eq!(first(&h.app).resumes_at, None);
    // 14:30, past the one-hour deadline: every pause needs a note.
    clock.advance_mins(60);
    assert_eq!(first(&h.app).pause_note_required, PauseReason::ALL);
    // 18:30: the office closed; it opens again next Monday.
    clock.advance_mins(240);
    assert_eq!(first(&h.app).resumes_at, Some(ts("2026-11-30T05:00:00Z")));
}

/// A site with two departments (one disabled) and one category group.
fn catalogued() -> RulesDocument {
    serde_json::from_value(serde_json::json!({
        "catalogs": {
            "departments": [
                { "code": "logistics", "names": { "zh_cn": "物流部", "en": "Logistics" } },
                { "code": "couriers", "names": { "zh_cn": "快递组", "en": "Couriers" }, "enabled": false }
            ],
            "categories": [{
                "code": "logistics",
                "names": { "zh_cn": "物流配送", "en": "Delivery" },
                "categories": [
                    { "code": "logistics.late", "names": { "zh_cn": "延误", "en": "Late delivery" } }
                ]
            }],
            "people": [{ "user": "agent.new", "name": "新同事" }]
        }
    }))
    .unwrap()
}

#[test]
fn the_site_catalogs_decide_what_may_be_picked_and_name_it() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let h = open_with_rules(dir.path(), clock, catalogued().to_rules().unwrap());
    h.act_as("sup", Role::Supervisor);
    let catalogs = h.app.catalogs();
    assert_eq!(catalogs.departments[0].names.zh_cn, "物流部");
    assert_eq!(
        catalogs.categories[0].categories[0].names.en,
        "Late delivery"
    );

    // Only catalogued, enabled categories are recorded.
    let mut stray = input();
    stray.category = CategoryCode::new("logistics.lost");
    let err = h.app.record_complaint(stray).unwrap_err();
    assert_eq!(err.code, "validation_failed");
    assert_eq!(err.fields[0].field, "category");
    let id = h.app.record_complaint(input()).unwrap();

    // The team view offers the enabled departments; assigning to a
    // disabled one is refused.
    let team = h.app.team().unwrap();
    assert!(team.departments.contains(&DeptId::new("logistics")));
    // Someone the site names but who owns nothing yet can be assigned.
    assert!(team.people.contains(&UserId::new("agent.new")));
    assert!(team.people.contains(&UserId::new("sup")));
    assert!(!team.departments.contains(&DeptId::new("couriers")));
    h.app
        .execute(
            id,
            &Command::Judge {
                valid: true,
                reason: None,
                note: String::new(),
            },
        )
        .unwrap();
    let offered = |id| {
        h.app
            .complaint(id)
            .unwrap()
            .steps
            .iter()
            .any(|o| o.step == redress_domain::complaint::Step::Assign && o.allowed)
    };
    assert!(offered(id), "a validated complaint may be assigned");
    let assign = |dept: &str| Command::Assign {
        department: DeptId::new(dept),
        owner: None,
    };
    let err = h.app.execute(id, &assign("couriers")).unwrap_err();
    assert!(err.message.contains("disabled"), "{}", err.message);
    h.app.execute(id, &assign("logistics")).unwrap();
    // The complaint screen still offers (re)assigning.
    let view = h.app.complaint(id).unwrap();
    assert!(
        view.steps
            .iter()
            .any(|o| o.step == redress_domain::complaint::Step::Assign && o.allowed)
    );
}

#[test]
fn a_standalone_store_decides_with_its_own_site_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-11-23T01:00:00Z");
    let store = LocalStore::open_dir(dir.path()).unwrap();
    store
        .write(|tx| tx.set_setting(&redress_local::keys::LOCAL_RULES, &catalogued()))
        .unwrap();
    drop(store);
    let h = open(dir.path(), clock);
    assert!(
        h.app.catalogs().is_empty(),
        "opened with the built-in rules"
    );
    assert!(!h.app.follow_link().unwrap(), "not linked");
    assert_eq!(h.app.catalogs().departments.len(), 2);
}
