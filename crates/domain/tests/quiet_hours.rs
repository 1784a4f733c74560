//! Quiet hours: a reminder that falls due outside its recipient's working
//! calendar waits for the next working instant, measured in the calendar's
//! own time zone (so across a daylight-saving change too), unless its
//! complaint is critical or publicly exposed.
#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use redress_domain::catalog::Person;
use redress_domain::{ErrorCode, RulesDocument};

/// New York office hours Monday to Friday 09:00-17:00, the site's quiet
/// calendar, and a night shift (22:00 to 06:00 every day) for one person.
const SITE: &str = r#"
[calendars.office]
timezone = "America/New_York"
hours.mon = [["09:00", "17:00"]]
hours.tue = [["09:00", "17:00"]]
hours.wed = [["09:00", "17:00"]]
hours.thu = [["09:00", "17:00"]]
hours.fri = [["09:00", "17:00"]]

[calendars.night]
timezone = "America/New_York"
hours.mon = [["00:00", "06:00"], ["22:00", "24:00"]]
hours.tue = [["00:00", "06:00"], ["22:00", "24:00"]]
hours.wed = [["00:00", "06:00"], ["22:00", "24:00"]]
hours.thu = [["00:00", "06:00"], ["22:00", "24:00"]]
hours.fri = [["00:00", "06:00"], ["22:00", "24:00"]]
hours.sat = [["00:00", "06:00"], ["22:00", "24:00"]]
hours.sun = [["00:00", "06:00"], ["22:00", "24:00"]]

[notifications]
quiet_calendar = "office"

[[catalogs.people]]
user = "sup.night"
name = "Night supervisor"
calendar = "night"
"#;

fn rules() -> redress_domain::Rules {
    toml::from_str::<RulesDocument>(SITE)
        .unwrap()
        .to_rules()
        .unwrap()
}

/// A New York wall-clock time as an instant.
fn ny(local: &str) -> Timestamp {
    format!("{local}[America/New_York]")
        .parse::<jiff::Zoned>()
        .unwrap()
        .timestamp()
}

#[test]
fn a_reminder_due_in_working_time_is_shown_at_once() {
    let r = rules();
    let due = ny("2026-03-10T10:15:00");
    assert_eq!(r.deliver_at("sup.day", due, false), due);
}

#[test]
fn a_weekend_reminder_waits_for_monday_morning_across_the_spring_change() {
    let r = rules();
    // Saturday 22:00 EST; the clocks go forward on Sunday 8 March.
    let due = ny("2026-03-07T22:00:00");
    let shown = r.deliver_at("sup.day", due, false);
    assert_eq!(shown, ny("2026-03-09T09:00:00"));
    // 09:00 EDT is 13:00 UTC, not the 14:00 UTC it was before the change.
    assert_eq!(shown, "2026-03-09T13:00:00Z".parse::<Timestamp>().unwrap());
}

#[test]
fn an_evening_reminder_waits_over_the_autumn_change() {
    let r = rules();
    // Friday 17:30 EDT; the clocks go back on Sunday 1 November.
    let shown = r.deliver_at("sup.day", ny("2026-10-30T17:30:00"), false);
    assert_eq!(shown, "2026-11-02T14:00:00Z".parse::<Timestamp>().unwrap());
    // The end of a working day is already outside it.
    let shown = r.deliver_at("sup.day", ny("2026-10-29T17:00:00"), false);
    assert_eq!(shown, ny("2026-10-30T09:00:00"));
}

#[test]
fn critical_and_public_complaints_are_never_held() {
    let r = rules();
    let due = ny("2026-03-07T22:00:00");
    assert_eq!(r.deliver_at("sup.day", due, true), due);
}

#[test]
fn a_persons_own_calendar_takes_the_sites_place() {
    let r = rules();
    // 23:00 on a Tuesday: the night shift works, the office does not.
    let due = ny("2026-03-10T23:00:00");
    assert_eq!(r.deliver_at("sup.night", due, false), due);
    assert_eq!(
        r.deliver_at("sup.day", due, false),
        ny("2026-03-11T09:00:00")
    );
    // 10:00 the night shift sleeps until 22:00.
    let due = ny("2026-03-10T10:00:00");
    assert_eq!(
        r.deliver_at("sup.night", due, false),
        ny("2026-03-10T22:00:00")
    );
}

#[test]
fn without_a_quiet_calendar_nothing_waits() {
    let r = RulesDocument::default().to_rules().unwrap();
    let due = ny("2026-03-07T22:00:00");
    assert_eq!(r.deliver_at("sup.day", due, false), due);
}

#[test]
fn a_quiet_calendar_that_does_not_exist_is_refused() {
    let mut doc: RulesDocument = toml::from_str(SITE).unwrap();
    doc.notifications.quiet_calendar = Some("weekdays".into());
    doc.catalogs.people.push(Person {
        user: "agent.wu".into(),
        name: "Wu".into(),
        calendar: Some("late".into()),
    });
    let e = doc.to_rules().unwrap_err();
    assert_eq!(e.code(), ErrorCode::ValidationFailed);
    let text = e.to_string();
    assert!(text.contains("notifications.quiet_calendar"), "{text}");
    assert!(text.contains("catalogs.people[1].calendar"), "{text}");
}
