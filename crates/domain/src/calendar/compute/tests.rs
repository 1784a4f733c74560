//! The week-skipping fast path must agree with the plain day-by-day walk.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::calendar::{CalendarSpec, WindowSpec};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn hm(s: u64) -> String {
    format!("{:02}:{:02}", s / 60, s % 60)
}

fn random_calendar(rng: &mut Lcg) -> BusinessCalendar {
    let zones = [
        "Europe/Berlin",
        "America/Sao_Paulo",
        "Australia/Sydney",
        "Asia/Tehran",
        "Asia/Shanghai",
        "UTC",
    ];
    let mut spec = CalendarSpec {
        timezone: zones[rng.next(zones.len() as u64) as usize].into(),
        ..CalendarSpec::default()
    };
    let mut day = || -> Option<Vec<WindowSpec>> {
        let mut t = rng.next(600);
        let mut windows = Vec::new();
        while t < 1440 && rng.next(4) != 0 {
            let end = (t + 1 + rng.next(480)).min(1440);
            windows.push([hm(t), hm(end)]);
            t = end + rng.next(180);
        }
        (!windows.is_empty()).then_some(windows)
    };
    let hours = &mut spec.hours;
    for slot in [
        &mut hours.mon,
        &mut hours.tue,
        &mut hours.wed,
        &mut hours.thu,
        &mut hours.fri,
        &mut hours.sat,
        &mut hours.sun,
    ] {
        *slot = day();
    }
    for _ in 0..rng.next(4) {
        let date = format!(
            "20{:02}-{:02}-{:02}",
            18 + rng.next(10),
            1 + rng.next(12),
            1 + rng.next(28)
        );
        spec.holidays.push(date);
    }
    BusinessCalendar::from_spec(&spec).unwrap()
}

#[test]
fn week_skipping_agrees_with_day_by_day() {
    let mut rng = Lcg(7);
    let base = Timestamp::from_second(1_514_764_800)
        .unwrap()
        .as_nanosecond(); // 2018-01-01
    for _ in 0..150 {
        let cal = random_calendar(&mut rng);
        let start = base
            + i128::from(rng.next(8 * 365 * 86_400)) * NANOS_PER_SEC
            + i128::from(rng.next(1000));
        let need = i128::from(rng.next(400 * 86_400)) * NANOS_PER_SEC;
        let mut pauses = Vec::new();
        for _ in 0..rng.next(3) {
            let s = start + i128::from(rng.next(600 * 86_400)) * NANOS_PER_SEC;
            pauses.push((s, s + i128::from(rng.next(20 * 86_400)) * NANOS_PER_SEC));
        }
        pauses.sort_unstable();
        let pauses = crate::calendar::pauses::normalize_pauses(
            &pauses
                .iter()
                .map(|&(s, e)| crate::calendar::Interval::new(ts(s).unwrap(), ts(e).unwrap()))
                .collect::<Vec<_>>(),
        );
        let fast = add_business(&cal, start, need, &pauses, true);
        let slow = add_business(&cal, start, need, &pauses, false);
        assert_eq!(fast, slow, "add {cal:?}");
        let fast = sub_business(&cal, start, need, &pauses, true);
        let slow = sub_business(&cal, start, need, &pauses, false);
        assert_eq!(fast, slow, "sub {cal:?}");
        let end = start + need * 3;
        let fast = between_business(&cal, start, end, &pauses, true);
        let slow = between_business(&cal, start, end, &pauses, false);
        assert_eq!(fast, slow, "between {cal:?}");
    }
}
