//! Properties of calendar arithmetic over random split-shift calendars in
//! several zones (most with daylight saving), near real transitions, with
//! random pauses.
#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use proptest::prelude::*;
use redress_domain::calendar::{Calendar, CalendarSpec, Interval, WindowSpec};

const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "Asia/Tehran",
    "America/New_York",
    "Asia/Shanghai",
    "UTC",
];

/// Instants (seconds) near daylight-saving transitions in the zones above.
const ANCHORS: &[i64] = &[
    1_774_746_000, // 2026-03-29T01:00Z Berlin forward
    1_792_890_000, // 2026-10-25T01:00Z Berlin back
    1_541_300_400, // 2018-11-04T03:00Z Sao Paulo forward
    1_518_919_200, // 2018-02-18T02:00Z Sao Paulo back
    1_775_318_400, // 2026-04-04T16:00Z Sydney back
    1_790_956_800, // 2026-10-03T16:00Z Sydney forward
    1_616_358_600, // 2021-03-21T20:30Z Tehran forward
    1_632_252_600, // 2021-09-21T19:30Z Tehran back
];

fn hms(second: u32) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        second / 3600,
        second / 60 % 60,
        second % 60
    )
}

/// Up to three disjoint windows in a day (boundaries on 15-minute steps, so
/// that 24:00 and daylight-saving gaps come up often).
fn day() -> impl Strategy<Value = Option<Vec<WindowSpec>>> {
    prop::collection::btree_set(0u32..=96, 0..7).prop_map(|set| {
        let bounds: Vec<u32> = set.into_iter().map(|q| q * 900).collect();
        let windows: Vec<WindowSpec> = bounds
            .chunks_exact(2)
            .map(|w| [hms(w[0]), hms(w[1])])
            .collect();
        (!windows.is_empty()).then_some(windows)
    })
}

fn calendar() -> impl Strategy<Value = Calendar> {
    let weekdays = prop::collection::vec(day(), 7);
    let exceptions = prop::collection::vec((0i64..40, any::<bool>(), day()), 0..4);
    (0..ZONES.len() + 1, weekdays, exceptions, 0..ANCHORS.len()).prop_map(
        |(zone, mut days, exceptions, anchor)| {
            let Some(&zone) = ZONES.get(zone) else {
                return Calendar::AlwaysOn;
            };
            // Keep at least one working weekday so searches end quickly.
            days[0].get_or_insert_with(|| vec![["09:00".into(), "17:00".into()]]);
            let mut spec = CalendarSpec {
                timezone: zone.into(),
                ..CalendarSpec::default()
            };
            let h = &mut spec.hours;
            for (slot, windows) in [
                &mut h.mon, &mut h.tue, &mut h.wed, &mut h.thu, &mut h.fri, &mut h.sat, &mut h.sun,
            ]
            .into_iter()
            .zip(days)
            {
                *slot = windows;
            }
            let base = Timestamp::from_second(ANCHORS[anchor]).unwrap();
            for (offset, holiday, windows) in exceptions {
                let date = base
                    .checked_add(jiff::SignedDuration::from_hours((offset - 20) * 24))
                    .unwrap()
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .date()
                    .to_string();
                if holiday {
                    spec.holidays.push(date);
                } else {
                    spec.overrides.insert(date, windows.unwrap_or_default());
                }
            }
            Calendar::from_spec(&spec).unwrap()
        },
    )
}

/// A start instant within a few days of a transition, sometimes with a
/// fractional second.
fn start() -> impl Strategy<Value = Timestamp> {
    (
        0..ANCHORS.len(),
        -4 * 86_400i64..4 * 86_400,
        prop_oneof![Just(0i32), 0..1_000_000_000i32],
    )
        .prop_map(|(a, off, nanos)| Timestamp::new(ANCHORS[a] + off, nanos).unwrap())
}

fn pauses(start: Timestamp) -> impl Strategy<Value = Vec<Interval>> {
    prop::collection::vec((-2 * 86_400i64..10 * 86_400, 0i64..3 * 86_400), 0..4).prop_map(
        move |spans| {
            spans
                .into_iter()
                .map(|(off, len)| {
                    let s = start
                        .checked_add(jiff::SignedDuration::from_secs(off))
                        .unwrap();
                    let e = s.checked_add(jiff::SignedDuration::from_secs(len)).unwrap();
                    Interval::new(s, e)
                })
                .collect()
        },
    )
}

fn case() -> impl Strategy<Value = (Calendar, Timestamp, Vec<Interval>)> {
    (calendar(), start()).prop_flat_map(|(cal, s)| (Just(cal), Just(s), pauses(s)))
}

/// Durations from zero to about two weeks, mostly small.
fn duration() -> impl Strategy<Value = i64> {
    prop_oneof![0i64..4 * 3600, 0i64..14 * 86_400]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn due_instants_never_decrease((cal, s, p) in case(), a in duration(), b in duration()) {
        let (a, b) = (a.min(b), a.max(b));
        let (da, db) = (cal.add(s, a, &p).unwrap(), cal.add(s, b, &p).unwrap());
        prop_assert!(da <= db, "add({s}, {a}) = {da} > add({s}, {b}) = {db}");
        let (ba, bb) = (cal.sub(s, a, &p).unwrap(), cal.sub(s, b, &p).unwrap());
        prop_assert!(ba >= bb, "sub({s}, {a}) = {ba} < sub({s}, {b}) = {bb}");
    }

    #[test]
    fn add_then_between_round_trips((cal, s, p) in case(), d in duration()) {
        let due = cal.add(s, d, &p).unwrap();
        prop_assert_eq!(cal.working_seconds(s, due, &p), d, "due {}", due);
    }

    #[test]
    fn sub_then_between_round_trips((cal, s, p) in case(), d in duration()) {
        let from = cal.sub(s, d, &p).unwrap();
        prop_assert_eq!(cal.working_seconds(from, s, &p), d, "from {}", from);
    }

    #[test]
    fn zero_durations_stay_on_their_side((cal, s, p) in case()) {
        prop_assert!(cal.add(s, 0, &p).unwrap() >= s);
        prop_assert!(cal.sub(s, 0, &p).unwrap() <= s);
        // The next working instant really starts working time.
        let next = cal.add(s, 0, &p).unwrap();
        prop_assert_eq!(cal.add(next, 0, &p).unwrap(), next);
    }

    #[test]
    fn between_is_additive((cal, s, p) in case(), a in 0i64..10 * 86_400, b in 0i64..10 * 86_400) {
        let s = Timestamp::from_second(s.as_second()).unwrap();
        let (a, b) = (a.min(b), a.max(b));
        let m = s.checked_add(jiff::SignedDuration::from_secs(a)).unwrap();
        let e = s.checked_add(jiff::SignedDuration::from_secs(b)).unwrap();
        let whole = cal.working_seconds(s, e, &p);
        let parts = cal.working_seconds(s, m, &p) + cal.working_seconds(m, e, &p);
        // Pauses may have fractional ends: each part is floored on its own.
        prop_assert!(whole == parts || whole == parts + 1, "{} vs {}", whole, parts);
        prop_assert!(whole <= b);
    }
}

fn round_the_clock(zone: &str) -> Calendar {
    let all = Some(vec![["00:00".to_string(), "24:00".to_string()]]);
    let mut spec = CalendarSpec {
        timezone: zone.into(),
        ..CalendarSpec::default()
    };
    let h = &mut spec.hours;
    for slot in [
        &mut h.mon, &mut h.tue, &mut h.wed, &mut h.thu, &mut h.fri, &mut h.sat, &mut h.sun,
    ] {
        *slot = all.clone();
    }
    Calendar::from_spec(&spec).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Open 00:00-24:00 every day is round the clock, whatever the zone does.
    #[test]
    fn open_all_day_is_always_on(zone in 0..ZONES.len(), s in start(), d in duration(), back in any::<bool>()) {
        let cal = round_the_clock(ZONES[zone]);
        let always = Calendar::AlwaysOn;
        if back {
            prop_assert_eq!(cal.sub(s, d, &[]).unwrap(), always.sub(s, d, &[]).unwrap());
        } else {
            prop_assert_eq!(cal.add(s, d, &[]).unwrap(), always.add(s, d, &[]).unwrap());
        }
        let e = always.add(s, d, &[]).unwrap();
        prop_assert_eq!(cal.working_seconds(s, e, &[]), d);
    }
}
