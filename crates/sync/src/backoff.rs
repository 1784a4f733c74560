//! Exponential backoff with full jitter, for retrying an unreachable server.
//!
//! The n-th retry (counting from 0) waits a uniformly random time between
//! zero and `min(cap, base × 2ⁿ)` ("full jitter"): fifty desktops that lost
//! the server at the same moment come back spread out instead of together.
//! A success calls [`Backoff::reset`], so the next failure starts small again.
//!
//! The randomness is a small generator of its own (SplitMix64), seeded from
//! the standard library's per-process random hash keys, or from a fixed seed
//! ([`Backoff::with_seed`]) so tests get the same delays every run.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// The first retry waits up to this long.
pub const DEFAULT_BASE: Duration = Duration::from_millis(500);
/// No retry waits longer than this.
pub const DEFAULT_CAP: Duration = Duration::from_secs(60);

/// Retry delays of one failing activity.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
    rng: u64,
}

impl Default for Backoff {
    /// 0.5 s doubling to 60 s, randomly seeded.
    fn default() -> Self {
        Backoff::new(DEFAULT_BASE, DEFAULT_CAP)
    }
}

impl Backoff {
    /// Delays starting below `base` and doubling up to `cap`, randomly
    /// seeded.
    pub fn new(base: Duration, cap: Duration) -> Backoff {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(0x5eed);
        Backoff::with_seed(base, cap, h.finish())
    }

    /// The same as [`Backoff::new`] with a fixed seed: the same seed gives
    /// the same delays.
    pub fn with_seed(base: Duration, cap: Duration, seed: u64) -> Backoff {
        Backoff {
            base,
            cap: cap.max(base),
            attempt: 0,
            rng: seed,
        }
    }

    /// Failures since the last reset.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// The longest the next delay can be: `min(cap, base × 2^attempts)`.
    pub fn ceiling(&self) -> Duration {
        let factor = 1u32.checked_shl(self.attempt.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// Counts one more failure and returns how long to wait before the next
    /// try: uniformly random in `[0, ceiling]`.
    pub fn next_delay(&mut self) -> Duration {
        let ceiling = self.ceiling();
        self.attempt = self.attempt.saturating_add(1);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        // `r / 2^64` is uniform in [0, 1); scale it to [0, nanos].
        let r = u128::from(self.next_u64());
        let pick = (r * (u128::from(nanos) + 1)) >> 64;
        Duration::from_nanos(u64::try_from(pick).unwrap_or(nanos))
    }

    /// A success: the next failure starts from `base` again.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// SplitMix64.
    fn next_u64(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_millis(500);
    const CAP: Duration = Duration::from_secs(60);

    #[test]
    fn the_ceiling_doubles_from_base_to_the_cap() {
        let mut b = Backoff::with_seed(BASE, CAP, 1);
        let mut ceilings = Vec::new();
        for _ in 0..10 {
            ceilings.push(b.ceiling().as_millis());
            b.next_delay();
        }
        assert_eq!(
            ceilings,
            [
                500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000
            ]
        );
        for _ in 0..100 {
            b.next_delay();
        }
        assert_eq!(b.ceiling(), CAP, "no overflow after many failures");
        assert_eq!(b.attempts(), 110);
    }

    #[test]
    fn every_delay_is_within_its_ceiling_and_they_spread() {
        let mut b = Backoff::with_seed(BASE, CAP, 7);
        for _ in 0..200 {
            let ceiling = b.ceiling();
            let d = b.next_delay();
            assert!(d <= ceiling, "{d:?} above {ceiling:?}");
        }
        // Full jitter: at the cap, delays cover the range rather than sit at
        // the top.
        let delays: Vec<Duration> = (0..1000).map(|_| b.next_delay()).collect();
        let below_half = delays.iter().filter(|d| **d < CAP / 2).count();
        assert!(
            (350..650).contains(&below_half),
            "{below_half} of 1000 below half the cap"
        );
    }

    #[test]
    fn a_seed_gives_the_same_delays_and_reset_starts_over() {
        let run = |seed| {
            let mut b = Backoff::with_seed(BASE, CAP, seed);
            (0..8).map(|_| b.next_delay()).collect::<Vec<_>>()
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));

        let mut b = Backoff::with_seed(BASE, CAP, 42);
        for _ in 0..6 {
            b.next_delay();
        }
        assert!(b.ceiling() > BASE);
        b.reset();
        assert_eq!(b.attempts(), 0);
        assert_eq!(b.ceiling(), BASE);
        assert!(b.next_delay() <= BASE);
    }

    #[test]
    fn a_zero_base_never_waits() {
        let mut b = Backoff::with_seed(Duration::ZERO, Duration::ZERO, 3);
        assert_eq!(b.next_delay(), Duration::ZERO);
        assert_eq!(b.next_delay(), Duration::ZERO);
    }
}
