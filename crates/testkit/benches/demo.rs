//! Generating demo data at call-center scale: `redressctl demo seed` and the
//! local store's benchmark fixture both build 50,000 complaints through the
//! real rulebook.
//!
//! `cargo bench -p redress-testkit --bench demo`; figures in
//! docs/performance.md ("Demo data").
#![allow(clippy::unwrap_used)]

use divan::{Bencher, black_box};
use jiff::Timestamp;
use redress_domain::Rules;
use redress_testkit::{DemoOptions, demo_complaints};

fn main() {
    divan::main();
}

/// A Wednesday, 14:30 in Shanghai.
const NOW: i64 = 1_772_605_800; // 2026-03-04T06:30:00Z

#[divan::bench(args = [5_000, 50_000], sample_count = 3, sample_size = 1)]
fn generate(bencher: Bencher<'_, '_>, count: usize) {
    let rules = Rules::default();
    let now = Timestamp::from_second(NOW).unwrap();
    bencher.bench_local(|| {
        let all = demo_complaints(&DemoOptions::new(count, 6, now), &rules).unwrap();
        black_box(all.len())
    });
}
