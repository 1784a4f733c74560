//! Calendar arithmetic against instants worked out by hand.
//!
//! Transition facts used below (from the tz database):
//! - Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z); 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z).
//! - America/Sao_Paulo: 2018-11-04 00:00 -03 -> 01:00 -02 (03:00Z); 2018-02-18 00:00 -02 -> 2018-02-17 23:00 -03 (02:00Z).
//! - Australia/Sydney: 2026-04-05 03:00 +11 -> 02:00 +10 (04-04 16:00Z); 2026-10-04 02:00 +10 -> 03:00 +11 (10-03 16:00Z).
//! - Asia/Tehran: 2021-03-22 00:00 +03:30 -> 01:00 +04:30 (03-21 20:30Z); 2021-09-22 00:00 +04:30 -> 2021-09-21 23:00 +03:30 (19:30Z).
#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use redress_domain::calendar::{Calendar, CalendarError, CalendarSpec, Interval};

fn cal(json: &str) -> Calendar {
    let spec: CalendarSpec = serde_json::from_str(json).unwrap();
    Calendar::from_spec(&spec).unwrap()
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn pause(a: &str, b: &str) -> Interval {
    Interval::new(t(a), t(b))
}

/// (start, seconds, expected due instant)
type AddCase<'a> = (&'a str, i64, &'a str);

fn check_add(cal: &Calendar, pauses: &[Interval], cases: &[AddCase]) {
    for &(start, secs, want) in cases {
        let got = cal.add(t(start), secs, pauses).unwrap();
        assert_eq!(
            got,
            t(want),
            "add({start}, {secs}s): got {got}, want {want}"
        );
    }
}

fn check_sub(cal: &Calendar, pauses: &[Interval], cases: &[AddCase]) {
    for &(start, secs, want) in cases {
        let got = cal.sub(t(start), secs, pauses).unwrap();
        assert_eq!(
            got,
            t(want),
            "sub({start}, {secs}s): got {got}, want {want}"
        );
    }
}

fn check_between(cal: &Calendar, pauses: &[Interval], cases: &[(&str, &str, i64)]) {
    for &(start, end, want) in cases {
        let got = cal.working_seconds(t(start), t(end), pauses);
        assert_eq!(got, want, "working_seconds({start}, {end})");
    }
}

/// Shanghai office: split shifts on weekdays, Saturday mornings, two October
/// holidays, a working Sunday, a holiday with an override, a closed Tuesday.
fn office() -> Calendar {
    let day = r#"[["09:00", "12:00"], ["13:00", "18:00"]]"#;
    cal(&format!(
        r#"{{
        "timezone": "Asia/Shanghai",
        "holidays": ["2026-10-01", "2026-10-02"],
        "hours": {{"mon": {day}, "tue": {day}, "wed": {day}, "thu": {day}, "fri": {day},
                   "sat": [["10:00", "16:00"]]}},
        "overrides": {{"2026-09-27": [["09:00", "18:00"]], "2026-10-02": [["10:00", "12:00"]],
                      "2026-12-01": []}}
    }}"#
    ))
}

#[test]
fn split_shifts() {
    let c = office();
    check_add(
        &c,
        &[],
        &[
            // Used up exactly at the end of the morning window: ends there.
            (
                "2026-11-23T09:00:00+08:00",
                3 * 3600,
                "2026-11-23T12:00:00+08:00",
            ),
            (
                "2026-11-23T09:00:00+08:00",
                3 * 3600 + 1,
                "2026-11-23T13:00:01+08:00",
            ),
            (
                "2026-11-23T11:00:00+08:00",
                2 * 3600,
                "2026-11-23T14:00:00+08:00",
            ),
            // Friday evening into Saturday, Saturday into Monday.
            (
                "2026-11-27T17:00:00+08:00",
                2 * 3600,
                "2026-11-28T11:00:00+08:00",
            ),
            (
                "2026-11-28T15:00:00+08:00",
                2 * 3600,
                "2026-11-30T10:00:00+08:00",
            ),
            // From Sunday (closed): Monday 09:00 + 30 min.
            (
                "2026-11-29T12:00:00+08:00",
                1800,
                "2026-11-30T09:30:00+08:00",
            ),
        ],
    );
    check_sub(
        &c,
        &[],
        &[
            (
                "2026-11-23T14:00:00+08:00",
                2 * 3600,
                "2026-11-23T11:00:00+08:00",
            ),
            (
                "2026-11-30T10:00:00+08:00",
                2 * 3600,
                "2026-11-28T15:00:00+08:00",
            ),
            // Exactly the afternoon window: lands on its start.
            (
                "2026-11-23T18:00:00+08:00",
                5 * 3600,
                "2026-11-23T13:00:00+08:00",
            ),
        ],
    );
    check_between(
        &c,
        &[],
        &[
            (
                "2026-11-23T00:00:00+08:00",
                "2026-11-24T00:00:00+08:00",
                8 * 3600,
            ),
            (
                "2026-11-23T11:30:00+08:00",
                "2026-11-23T13:30:00+08:00",
                3600,
            ),
            ("2026-11-23T12:00:00+08:00", "2026-11-23T13:00:00+08:00", 0),
            // A whole week: 5 x 8h + 6h.
            (
                "2026-11-23T00:00:00+08:00",
                "2026-11-30T00:00:00+08:00",
                46 * 3600,
            ),
        ],
    );
}

#[test]
fn zero_durations() {
    let c = office();
    check_add(
        &c,
        &[],
        &[
            ("2026-11-23T10:00:00+08:00", 0, "2026-11-23T10:00:00+08:00"),
            ("2026-11-23T12:30:00+08:00", 0, "2026-11-23T13:00:00+08:00"),
            // The end of a window is outside it (half-open).
            ("2026-11-23T12:00:00+08:00", 0, "2026-11-23T13:00:00+08:00"),
            ("2026-11-23T07:00:00+08:00", 0, "2026-11-23T09:00:00+08:00"),
            ("2026-11-28T20:00:00+08:00", 0, "2026-11-30T09:00:00+08:00"),
        ],
    );
    check_sub(
        &c,
        &[],
        &[
            ("2026-11-23T13:30:00+08:00", 0, "2026-11-23T13:30:00+08:00"),
            ("2026-11-23T12:30:00+08:00", 0, "2026-11-23T12:00:00+08:00"),
            // Backward, "inside" means working time just before the instant: a
            // window's start is outside, so zero backward goes to the previous end.
            ("2026-11-23T13:00:00+08:00", 0, "2026-11-23T12:00:00+08:00"),
            ("2026-11-30T08:00:00+08:00", 0, "2026-11-28T16:00:00+08:00"),
        ],
    );
}

#[test]
fn holidays_and_overrides() {
    let c = office();
    check_add(
        &c,
        &[],
        &[
            // Thu 10-01 is a holiday; Fri 10-02 is a holiday with an override 10-12 (the override wins).
            (
                "2026-09-30T17:00:00+08:00",
                2 * 3600,
                "2026-10-02T11:00:00+08:00",
            ),
            (
                "2026-09-30T17:00:00+08:00",
                4 * 3600,
                "2026-10-03T11:00:00+08:00",
            ),
            // Sunday 09-27 works 09:00-18:00 by override.
            (
                "2026-09-26T15:00:00+08:00",
                2 * 3600,
                "2026-09-27T10:00:00+08:00",
            ),
            // Tuesday 12-01 is closed by an empty override.
            (
                "2026-11-30T17:00:00+08:00",
                2 * 3600,
                "2026-12-02T10:00:00+08:00",
            ),
        ],
    );
    check_sub(
        &c,
        &[],
        &[(
            "2026-10-03T11:00:00+08:00",
            4 * 3600,
            "2026-09-30T17:00:00+08:00",
        )],
    );
    check_between(
        &c,
        &[],
        // Mon-Wed 3 x 8h, Thu holiday, Fri override 2h, Sat 6h, Sun closed.
        &[(
            "2026-09-28T00:00:00+08:00",
            "2026-10-05T00:00:00+08:00",
            32 * 3600,
        )],
    );
}

#[test]
fn windows_ending_at_24_00() {
    let c = cal(r#"{"timezone": "Asia/Shanghai",
            "hours": {"mon": [["18:00", "24:00"]], "tue": [["00:00", "02:00"]], "wed": [["20:00", "24:00:00"]]}}"#);
    check_add(
        &c,
        &[],
        &[
            (
                "2026-11-23T23:00:00+08:00",
                3600,
                "2026-11-24T00:00:00+08:00",
            ),
            (
                "2026-11-23T23:00:00+08:00",
                3601,
                "2026-11-24T00:00:01+08:00",
            ),
            (
                "2026-11-23T23:00:00+08:00",
                3 * 3600,
                "2026-11-24T02:00:00+08:00",
            ),
            (
                "2026-11-24T02:00:00+08:00",
                3600,
                "2026-11-25T21:00:00+08:00",
            ),
            (
                "2026-11-25T22:00:00+08:00",
                2 * 3600,
                "2026-11-26T00:00:00+08:00",
            ),
        ],
    );
    check_sub(
        &c,
        &[],
        &[(
            "2026-11-24T01:00:00+08:00",
            2 * 3600,
            "2026-11-23T23:00:00+08:00",
        )],
    );
    check_between(
        &c,
        &[],
        &[(
            "2026-11-23T18:00:00+08:00",
            "2026-11-24T02:00:00+08:00",
            8 * 3600,
        )],
    );
}

#[test]
fn touching_windows_merge() {
    let spec: CalendarSpec = serde_json::from_str(
        r#"{"timezone": "UTC", "hours": {"mon": [["12:00", "13:00"], ["09:00", "12:00"]]}}"#,
    )
    .unwrap();
    let business = redress_domain::calendar::BusinessCalendar::from_spec(&spec).unwrap();
    let windows = business.weekday_windows(jiff::civil::Weekday::Monday);
    assert_eq!(windows.len(), 1);
    assert_eq!(
        (windows[0].start_second(), windows[0].end_second()),
        (9 * 3600, 13 * 3600)
    );
    let c = Calendar::from_spec(&spec).unwrap();
    check_add(
        &c,
        &[],
        &[("2026-11-23T09:00:00Z", 4 * 3600, "2026-11-23T13:00:00Z")],
    );
}

#[test]
fn always_on() {
    let c = Calendar::AlwaysOn;
    assert_eq!(c.time_zone(), jiff::tz::TimeZone::UTC);
    check_add(
        &c,
        &[],
        &[
            ("2026-01-01T00:00:00Z", 90_000, "2026-01-02T01:00:00Z"),
            ("2026-01-01T00:00:00.5Z", 1, "2026-01-01T00:00:01.5Z"),
            ("2026-01-01T00:00:00Z", 0, "2026-01-01T00:00:00Z"),
        ],
    );
    // Overlapping pauses count once: 01:00-03:00 is paused.
    let pauses = [
        pause("2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"),
        pause("2026-01-01T01:30:00Z", "2026-01-01T03:00:00Z"),
    ];
    check_add(
        &c,
        &pauses,
        &[
            ("2026-01-01T00:00:00Z", 7200, "2026-01-01T04:00:00Z"),
            ("2026-01-01T00:00:00Z", 3600, "2026-01-01T01:00:00Z"),
            ("2026-01-01T01:15:00Z", 0, "2026-01-01T03:00:00Z"),
        ],
    );
    check_sub(
        &c,
        &pauses,
        &[
            ("2026-01-01T04:00:00Z", 7200, "2026-01-01T00:00:00Z"),
            ("2026-01-01T01:15:00Z", 0, "2026-01-01T01:00:00Z"),
        ],
    );
    check_between(
        &c,
        &pauses,
        &[
            ("2026-01-01T00:00:00Z", "2026-01-01T04:00:00Z", 7200),
            ("2026-01-01T00:00:00Z", "2026-01-01T00:00:01.999Z", 1),
            ("2026-01-01T04:00:00Z", "2026-01-01T00:00:00Z", 0),
        ],
    );
}

#[test]
fn pauses_on_business_hours() {
    let c = office();
    // A pause outside working hours changes nothing.
    let lunch = [pause(
        "2026-11-23T12:00:00+08:00",
        "2026-11-23T13:00:00+08:00",
    )];
    check_add(
        &c,
        &lunch,
        &[(
            "2026-11-23T11:00:00+08:00",
            2 * 3600,
            "2026-11-23T14:00:00+08:00",
        )],
    );
    // A pause spanning days: Monday 17:00 to Tuesday 10:00.
    let overnight = [pause(
        "2026-11-23T17:00:00+08:00",
        "2026-11-24T10:00:00+08:00",
    )];
    check_add(
        &c,
        &overnight,
        &[
            (
                "2026-11-23T16:00:00+08:00",
                3 * 3600,
                "2026-11-24T12:00:00+08:00",
            ),
            // Zero from inside a pause: the pause's end.
            ("2026-11-23T17:30:00+08:00", 0, "2026-11-24T10:00:00+08:00"),
        ],
    );
    check_sub(
        &c,
        &overnight,
        &[(
            "2026-11-24T12:00:00+08:00",
            3 * 3600,
            "2026-11-23T16:00:00+08:00",
        )],
    );
    // Overlapping pauses: 10:00-11:30 paused in all.
    let overlapping = [
        pause("2026-11-23T10:30:00+08:00", "2026-11-23T11:30:00+08:00"),
        pause("2026-11-23T10:00:00+08:00", "2026-11-23T11:00:00+08:00"),
    ];
    check_add(
        &c,
        &overlapping,
        &[(
            "2026-11-23T09:00:00+08:00",
            3 * 3600,
            "2026-11-23T14:30:00+08:00",
        )],
    );
    check_between(
        &c,
        &overlapping,
        &[(
            "2026-11-23T09:00:00+08:00",
            "2026-11-23T18:00:00+08:00",
            6 * 3600 + 1800,
        )],
    );
    // A pause whose end is not after its start is ignored.
    let reversed = [pause(
        "2026-11-23T11:00:00+08:00",
        "2026-11-23T10:00:00+08:00",
    )];
    check_add(
        &c,
        &reversed,
        &[(
            "2026-11-23T09:00:00+08:00",
            3 * 3600,
            "2026-11-23T12:00:00+08:00",
        )],
    );
}

#[test]
fn berlin_spring_forward() {
    // 2026-03-29 is a Sunday; 02:00-03:00 does not exist.
    let gap = cal(r#"{"timezone": "Europe/Berlin", "hours": {"sun": [["02:00", "04:00"]]}}"#);
    // 02:00 moves forward to 03:00 CEST: the window is one real hour.
    check_add(
        &gap,
        &[],
        &[
            ("2026-03-29T00:00:00+01:00", 0, "2026-03-29T03:00:00+02:00"),
            (
                "2026-03-29T00:00:00+01:00",
                1800,
                "2026-03-29T03:30:00+02:00",
            ),
            (
                "2026-03-29T00:00:00+01:00",
                3600,
                "2026-03-29T04:00:00+02:00",
            ),
            (
                "2026-03-29T00:00:00+01:00",
                3601,
                "2026-04-05T02:00:01+02:00",
            ),
        ],
    );
    check_between(
        &gap,
        &[],
        &[(
            "2026-03-28T00:00:00+01:00",
            "2026-03-30T00:00:00+02:00",
            3600,
        )],
    );

    // 01:00 CET to 04:00 CEST is two real hours.
    let across = cal(r#"{"timezone": "Europe/Berlin", "hours": {"sun": [["01:00", "04:00"]]}}"#);
    check_add(
        &across,
        &[],
        &[(
            "2026-03-29T00:00:00+01:00",
            5400,
            "2026-03-29T03:30:00+02:00",
        )],
    );
    check_sub(
        &across,
        &[],
        &[(
            "2026-03-29T04:00:00+02:00",
            5400,
            "2026-03-29T01:30:00+01:00",
        )],
    );

    // A window inside the gap: 02:15-02:45 becomes 03:15-03:45 CEST.
    let inside = cal(r#"{"timezone": "Europe/Berlin", "hours": {"sun": [["02:15", "02:45"]]}}"#);
    check_add(
        &inside,
        &[],
        &[("2026-03-29T00:00:00+01:00", 0, "2026-03-29T03:15:00+02:00")],
    );
    check_between(
        &inside,
        &[],
        &[(
            "2026-03-28T00:00:00+01:00",
            "2026-03-30T00:00:00+02:00",
            1800,
        )],
    );

    // 01:00-02:30 (ends at 03:30 CEST) and 03:00-04:00 overlap in real time: their union counts.
    let union = cal(
        r#"{"timezone": "Europe/Berlin", "hours": {"sun": [["01:00", "02:30"], ["03:00", "04:00"]]}}"#,
    );
    check_between(
        &union,
        &[],
        &[(
            "2026-03-28T00:00:00+01:00",
            "2026-03-30T00:00:00+02:00",
            7200,
        )],
    );
    check_add(
        &union,
        &[],
        &[(
            "2026-03-29T00:00:00+01:00",
            3600,
            "2026-03-29T03:00:00+02:00",
        )],
    );

    // Round the clock in Berlin: the day has 23 real hours.
    let all = cal(
        r#"{"timezone": "Europe/Berlin", "hours": {"mon": [["00:00", "24:00"]], "tue": [["00:00", "24:00"]],
            "wed": [["00:00", "24:00"]], "thu": [["00:00", "24:00"]], "fri": [["00:00", "24:00"]],
            "sat": [["00:00", "24:00"]], "sun": [["00:00", "24:00"]]}}"#,
    );
    check_between(
        &all,
        &[],
        &[(
            "2026-03-29T00:00:00+01:00",
            "2026-03-30T00:00:00+02:00",
            23 * 3600,
        )],
    );
    check_add(
        &all,
        &[],
        &[(
            "2026-03-28T12:00:00+01:00",
            86_400,
            "2026-03-29T13:00:00+02:00",
        )],
    );

    // Ordinary hours on either side are unaffected.
    let weekend = cal(
        r#"{"timezone": "Europe/Berlin", "hours": {"sat": [["09:00", "17:00"]], "sun": [["09:00", "17:00"]]}}"#,
    );
    check_add(
        &weekend,
        &[],
        &[(
            "2026-03-28T12:00:00+01:00",
            8 * 3600,
            "2026-03-29T12:00:00+02:00",
        )],
    );
}

#[test]
fn berlin_fall_back() {
    // 2026-10-25 is a Sunday; 02:00-03:00 happens twice.
    let c = cal(r#"{"timezone": "Europe/Berlin", "hours": {"sun": [["01:00", "04:00"]]}}"#);
    // 01:00 CEST to 04:00 CET: four real hours.
    check_between(
        &c,
        &[],
        &[(
            "2026-10-24T00:00:00+02:00",
            "2026-10-26T00:00:00+01:00",
            4 * 3600,
        )],
    );
    check_add(
        &c,
        &[],
        &[
            (
                "2026-10-25T00:00:00+02:00",
                3600,
                "2026-10-25T02:00:00+02:00",
            ),
            (
                "2026-10-25T00:00:00+02:00",
                2 * 3600,
                "2026-10-25T02:00:00+01:00",
            ),
            (
                "2026-10-25T00:00:00+02:00",
                3 * 3600,
                "2026-10-25T03:00:00+01:00",
            ),
        ],
    );
    check_sub(
        &c,
        &[],
        &[
            (
                "2026-10-25T04:00:00+01:00",
                3600,
                "2026-10-25T03:00:00+01:00",
            ),
            (
                "2026-10-25T04:00:00+01:00",
                4 * 3600,
                "2026-10-25T01:00:00+02:00",
            ),
        ],
    );
    // Ambiguous times take the earlier instant: 02:00-02:30 is the CEST half hour.
    let early = cal(r#"{"timezone": "Europe/Berlin", "hours": {"sun": [["02:00", "02:30"]]}}"#);
    check_add(
        &early,
        &[],
        &[(
            "2026-10-24T12:00:00+02:00",
            1800,
            "2026-10-25T02:30:00+02:00",
        )],
    );
    // 02:30 (earlier, CEST) to 03:00 (CET): one and a half real hours.
    let late = cal(r#"{"timezone": "Europe/Berlin", "hours": {"sun": [["02:30", "03:00"]]}}"#);
    check_between(
        &late,
        &[],
        &[(
            "2026-10-24T00:00:00+02:00",
            "2026-10-26T00:00:00+01:00",
            5400,
        )],
    );
    // Round the clock: the day has 25 real hours.
    let all = cal(r#"{"timezone": "Europe/Berlin", "hours": {"sun": [["00:00", "24:00"]]}}"#);
    check_between(
        &all,
        &[],
        &[(
            "2026-10-25T00:00:00+02:00",
            "2026-10-26T00:00:00+01:00",
            25 * 3600,
        )],
    );
}

#[test]
fn sao_paulo_spring_forward_at_midnight() {
    // 2018-11-04 (Sunday) 00:00 -03 became 01:00 -02. Saturday 22:00-24:00 ends at
    // Sunday's first instant (01:00 -02): two real hours; Sunday 00:00-02:00 is one.
    let c = cal(
        r#"{"timezone": "America/Sao_Paulo", "hours": {"sat": [["22:00", "24:00"]], "sun": [["00:00", "02:00"]]}}"#,
    );
    check_add(
        &c,
        &[],
        &[
            (
                "2018-11-03T22:00:00-03:00",
                7200,
                "2018-11-04T01:00:00-02:00",
            ),
            (
                "2018-11-03T22:00:00-03:00",
                9000,
                "2018-11-04T01:30:00-02:00",
            ),
            (
                "2018-11-03T22:00:00-03:00",
                10_800,
                "2018-11-04T02:00:00-02:00",
            ),
        ],
    );
    check_sub(
        &c,
        &[],
        &[(
            "2018-11-04T02:00:00-02:00",
            10_800,
            "2018-11-03T22:00:00-03:00",
        )],
    );
    check_between(
        &c,
        &[],
        &[(
            "2018-11-03T00:00:00-03:00",
            "2018-11-05T00:00:00-02:00",
            10_800,
        )],
    );
    let day = cal(
        r#"{"timezone": "America/Sao_Paulo", "hours": {"sat": [["09:00", "18:00"]], "sun": [["09:00", "18:00"]]}}"#,
    );
    check_add(
        &day,
        &[],
        &[(
            "2018-11-03T17:00:00-03:00",
            7200,
            "2018-11-04T10:00:00-02:00",
        )],
    );
}

#[test]
fn sao_paulo_fall_back_before_midnight() {
    // 2018-02-18 00:00 -02 became 2018-02-17 23:00 -03: Saturday 23:00-24:00 happens twice.
    let c = cal(
        r#"{"timezone": "America/Sao_Paulo", "hours": {"sat": [["22:00", "24:00"]], "sun": [["09:00", "10:00"]]}}"#,
    );
    // 22:00 -02 to 00:00 -03: three real hours.
    check_between(
        &c,
        &[],
        &[(
            "2018-02-17T00:00:00-02:00",
            "2018-02-18T09:00:00-03:00",
            10_800,
        )],
    );
    check_add(
        &c,
        &[],
        &[
            (
                "2018-02-17T12:00:00-02:00",
                3600,
                "2018-02-17T23:00:00-02:00",
            ),
            (
                "2018-02-17T12:00:00-02:00",
                7200,
                "2018-02-17T23:00:00-03:00",
            ),
            // Used up exactly at 24:00: ends there, not at Sunday's 09:00 opening.
            (
                "2018-02-17T12:00:00-02:00",
                10_800,
                "2018-02-18T00:00:00-03:00",
            ),
        ],
    );
    let late = cal(r#"{"timezone": "America/Sao_Paulo", "hours": {"sat": [["23:30", "24:00"]]}}"#);
    check_between(
        &late,
        &[],
        &[(
            "2018-02-17T00:00:00-02:00",
            "2018-02-19T00:00:00-03:00",
            5400,
        )],
    );
}

#[test]
fn sydney_both_directions() {
    let c = cal(r#"{"timezone": "Australia/Sydney", "hours": {"sun": [["00:00", "06:00"]]}}"#);
    // 2026-04-05: 00:00 +11 to 06:00 +10 is seven real hours.
    check_between(
        &c,
        &[],
        &[(
            "2026-04-04T00:00:00+11:00",
            "2026-04-06T00:00:00+10:00",
            7 * 3600,
        )],
    );
    check_add(
        &c,
        &[],
        &[
            (
                "2026-04-05T00:00:00+11:00",
                3 * 3600 - 1,
                "2026-04-05T02:59:59+11:00",
            ),
            (
                "2026-04-05T00:00:00+11:00",
                3 * 3600,
                "2026-04-05T02:00:00+10:00",
            ),
            (
                "2026-04-05T00:00:00+11:00",
                7 * 3600,
                "2026-04-05T06:00:00+10:00",
            ),
        ],
    );
    // 2026-10-04: 00:00 +10 to 06:00 +11 is five real hours.
    check_between(
        &c,
        &[],
        &[(
            "2026-10-03T00:00:00+10:00",
            "2026-10-05T00:00:00+11:00",
            5 * 3600,
        )],
    );
    check_add(
        &c,
        &[],
        &[(
            "2026-10-04T00:00:00+10:00",
            2 * 3600,
            "2026-10-04T03:00:00+11:00",
        )],
    );
    check_sub(
        &c,
        &[],
        &[(
            "2026-10-04T06:00:00+11:00",
            5 * 3600,
            "2026-10-04T00:00:00+10:00",
        )],
    );
    // A window that is exactly the gap has no real time at all.
    let gap = cal(r#"{"timezone": "Australia/Sydney", "hours": {"sun": [["02:00", "03:00"]]}}"#);
    check_between(
        &gap,
        &[],
        &[("2026-10-03T00:00:00+10:00", "2026-10-05T00:00:00+11:00", 0)],
    );
    check_add(
        &gap,
        &[],
        &[("2026-10-03T12:00:00+10:00", 0, "2026-10-11T02:00:00+11:00")],
    );
}

#[test]
fn tehran_midnight_transitions() {
    // 2021-03-22 (Monday) 00:00 +03:30 became 01:00 +04:30.
    let spring = cal(
        r#"{"timezone": "Asia/Tehran", "hours": {"sun": [["20:00", "24:00"]], "mon": [["00:00", "03:00"]]}}"#,
    );
    check_add(
        &spring,
        &[],
        &[
            (
                "2021-03-21T20:00:00+03:30",
                4 * 3600,
                "2021-03-22T01:00:00+04:30",
            ),
            (
                "2021-03-21T20:00:00+03:30",
                5 * 3600,
                "2021-03-22T02:00:00+04:30",
            ),
        ],
    );
    check_sub(
        &spring,
        &[],
        &[(
            "2021-03-22T03:00:00+04:30",
            6 * 3600,
            "2021-03-21T20:00:00+03:30",
        )],
    );
    check_between(
        &spring,
        &[],
        &[(
            "2021-03-21T00:00:00+03:30",
            "2021-03-23T00:00:00+04:30",
            6 * 3600,
        )],
    );
    // 2021-09-22 (Wednesday) 00:00 +04:30 became 2021-09-21 23:00 +03:30.
    let fall = cal(
        r#"{"timezone": "Asia/Tehran", "hours": {"tue": [["22:00", "24:00"]], "wed": [["00:00", "01:00"]]}}"#,
    );
    check_add(
        &fall,
        &[],
        &[
            (
                "2021-09-21T22:00:00+04:30",
                5400,
                "2021-09-21T23:30:00+04:30",
            ),
            (
                "2021-09-21T22:00:00+04:30",
                2 * 3600,
                "2021-09-21T23:00:00+03:30",
            ),
            (
                "2021-09-21T22:00:00+04:30",
                3 * 3600,
                "2021-09-22T00:00:00+03:30",
            ),
            (
                "2021-09-21T22:00:00+04:30",
                3 * 3600 + 1800,
                "2021-09-22T00:30:00+03:30",
            ),
        ],
    );
    check_sub(
        &fall,
        &[],
        &[(
            "2021-09-22T01:00:00+03:30",
            4 * 3600,
            "2021-09-21T22:00:00+04:30",
        )],
    );
}

#[test]
fn long_durations() {
    // Mon-Fri 09:00-17:00 (40 h a week), 520 weeks from Monday 2024-01-01.
    let hours = r#"{"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]], "wed": [["09:00", "17:00"]],
                   "thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]]}"#;
    let utc = cal(&format!(r#"{{"timezone": "UTC", "hours": {hours}}}"#));
    let berlin = cal(&format!(
        r#"{{"timezone": "Europe/Berlin", "hours": {hours}}}"#
    ));
    let ten_years = 520 * 40 * 3600;
    check_add(
        &utc,
        &[],
        &[("2024-01-01T09:00:00Z", ten_years, "2033-12-16T17:00:00Z")],
    );
    check_sub(
        &utc,
        &[],
        &[("2033-12-16T17:00:00Z", ten_years, "2024-01-01T09:00:00Z")],
    );
    check_add(
        &berlin,
        &[],
        &[
            (
                "2024-01-01T09:00:00+01:00",
                ten_years,
                "2033-12-16T17:00:00+01:00",
            ),
            (
                "2024-01-01T09:00:00+01:00",
                26 * 40 * 3600,
                "2024-06-28T17:00:00+02:00",
            ),
        ],
    );
    check_sub(
        &berlin,
        &[],
        &[(
            "2033-12-16T17:00:00+01:00",
            ten_years,
            "2024-01-01T09:00:00+01:00",
        )],
    );
    check_between(
        &berlin,
        &[],
        &[(
            "2024-01-01T00:00:00+01:00",
            "2033-12-17T00:00:00+01:00",
            ten_years,
        )],
    );
}

#[test]
fn errors() {
    let closed = cal(r#"{"timezone": "UTC"}"#);
    let start = t("2026-01-01T00:00:00Z");
    assert_eq!(
        closed.add(start, 60, &[]),
        Err(CalendarError::NoWorkingTime)
    );
    assert_eq!(closed.sub(start, 0, &[]), Err(CalendarError::NoWorkingTime));
    assert_eq!(
        closed.working_seconds(start, t("2027-01-01T00:00:00Z"), &[]),
        0
    );
    // One working day in 2026, nothing after it.
    let once = cal(r#"{"timezone": "UTC", "overrides": {"2026-01-05": [["09:00", "10:00"]]}}"#);
    check_add(
        &once,
        &[],
        &[("2026-01-01T00:00:00Z", 1800, "2026-01-05T09:30:00Z")],
    );
    assert_eq!(
        once.add(start, 7200, &[]),
        Err(CalendarError::NoWorkingTime)
    );
    assert_eq!(once.sub(start, 0, &[]), Err(CalendarError::NoWorkingTime));
    assert_eq!(
        office().add(start, -1, &[]),
        Err(CalendarError::NegativeDuration)
    );
    assert_eq!(
        Calendar::AlwaysOn.sub(start, -1, &[]),
        Err(CalendarError::NegativeDuration)
    );
    // Round the clock, paused forever.
    let forever = [Interval::new(start, Timestamp::MAX)];
    assert_eq!(
        Calendar::AlwaysOn.add(start, 0, &forever),
        Err(CalendarError::NoWorkingTime)
    );
    assert_eq!(
        Calendar::AlwaysOn.add(t("9999-12-30T21:00:00Z"), 7200, &[]),
        Err(CalendarError::OutOfRange)
    );
}

fn spec_error(json: &str) -> CalendarError {
    let spec: CalendarSpec = serde_json::from_str(json).unwrap();
    Calendar::from_spec(&spec).unwrap_err()
}

#[test]
fn spec_errors() {
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"{"timezone": "Mars/Olympus"}"#,
            "unknown_time_zone",
            r#"unknown time zone "Mars/Olympus""#,
        ),
        (
            r#"{"timezone": ""}"#,
            "unknown_time_zone",
            r#"unknown time zone """#,
        ),
        (
            r#"{"timezone": "UTC", "hours": {"mon": [["9:00", "12:00"]]}}"#,
            "bad_time",
            r#"bad time "9:00""#,
        ),
        (
            r#"{"timezone": "UTC", "hours": {"mon": [["09:00", "25:00"]]}}"#,
            "bad_time",
            r#"bad time "25:00""#,
        ),
        (
            r#"{"timezone": "UTC", "hours": {"mon": [["24:00", "24:00"]]}}"#,
            "bad_time",
            r#"bad time "24:00""#,
        ),
        (
            r#"{"timezone": "UTC", "holidays": ["2026-02-30"]}"#,
            "bad_date",
            r#"bad date "2026-02-30""#,
        ),
        (
            r#"{"timezone": "UTC", "overrides": {"tomorrow": []}}"#,
            "bad_date",
            r#"bad date "tomorrow""#,
        ),
        (
            r#"{"timezone": "UTC", "hours": {"tue": [["18:00", "09:00"]]}}"#,
            "reversed_window",
            "reversed window 18:00-09:00 on tue",
        ),
        (
            r#"{"timezone": "UTC", "overrides": {"2026-09-27": [["09:00", "09:00"]]}}"#,
            "reversed_window",
            "reversed window 09:00-09:00 on 2026-09-27",
        ),
        (
            r#"{"timezone": "UTC", "hours": {"wed": [["11:00", "13:00"], ["09:00", "12:00"]]}}"#,
            "overlapping_windows",
            "overlapping windows on wed",
        ),
    ];
    for &(json, code, message) in cases {
        let err = spec_error(json);
        assert_eq!(err.code(), code, "{json}");
        let shown = err.to_string();
        assert!(
            shown.starts_with(message),
            "{shown:?} should start with {message:?}"
        );
        assert!(!shown.contains('\n'));
    }
    for json in [
        r#"{"timezone": "UTC", "hours": {"mon": [["09:00", "12:00", "13:00"]]}}"#,
        r#"{"timezone": "UTC", "overrides": {"2026-01-01": [["09:00"]]}}"#,
        r#"{"holidays": []}"#,
    ] {
        assert!(
            serde_json::from_str::<CalendarSpec>(json).is_err(),
            "{json}"
        );
    }
    let unknown = serde_json::from_str::<CalendarSpec>(r#"{"timezone": "UTC", "hollidays": []}"#);
    assert!(unknown.is_err());
    let unknown =
        serde_json::from_str::<CalendarSpec>(r#"{"timezone": "UTC", "hours": {"monday": []}}"#);
    assert!(unknown.is_err());
}

#[test]
fn calendar_time_zone() {
    assert_eq!(office().time_zone().iana_name(), Some("Asia/Shanghai"));
}

#[test]
fn spec_round_trips_through_serde() {
    let json = r#"{"timezone": "Asia/Shanghai", "holidays": ["2026-10-01"],
        "hours": {"mon": [["09:00", "12:00"], ["13:00", "18:00"]], "sat": [["10:00", "16:00"]]},
        "overrides": {"2026-09-27": [["09:00", "18:00"]], "2026-12-01": []}}"#;
    let spec: CalendarSpec = serde_json::from_str(json).unwrap();
    assert_eq!(
        spec.hours.sat,
        Some(vec![["10:00".to_string(), "16:00".to_string()]])
    );
    assert_eq!(spec.hours.sun, None);
    assert_eq!(spec.overrides["2026-12-01"], Vec::<[String; 2]>::new());
    let again: CalendarSpec = serde_json::from_str(&serde_json::to_string(&spec).unwrap()).unwrap();
    assert_eq!(again, spec);
}

#[test]
fn a_skipped_date_has_no_working_time() {
    // Samoa skipped 2011-12-30: 2011-12-29 23:59:59 -10 was followed by 2011-12-31 00:00 +14.
    let day = r#"[["09:00", "17:00"]]"#;
    let c = cal(&format!(
        r#"{{"timezone": "Pacific/Apia", "hours": {{"mon": {day}, "tue": {day}, "wed": {day},
            "thu": {day}, "fri": {day}, "sat": {day}, "sun": {day}}}}}"#
    ));
    check_add(
        &c,
        &[],
        &[(
            "2011-12-29T16:00:00-10:00",
            7200,
            "2011-12-31T10:00:00+14:00",
        )],
    );
    check_sub(
        &c,
        &[],
        &[(
            "2011-12-31T10:00:00+14:00",
            7200,
            "2011-12-29T16:00:00-10:00",
        )],
    );
    check_between(
        &c,
        &[],
        &[(
            "2011-12-29T00:00:00-10:00",
            "2012-01-01T00:00:00+14:00",
            16 * 3600,
        )],
    );
}
