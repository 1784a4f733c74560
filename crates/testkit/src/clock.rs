//! A fake clock for tests: it only moves when told to.
//!
//! Clones share the same instant, so a test can hand one clone to the code
//! under test and move time with another. Crates with their own `Clock` trait
//! implement it for [`FakeClock`].

use jiff::{SignedDuration, Timestamp};
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Debug, Clone)]
pub struct FakeClock {
    now: Arc<Mutex<Timestamp>>,
}

impl FakeClock {
    pub fn new(at: Timestamp) -> FakeClock {
        FakeClock {
            now: Arc::new(Mutex::new(at)),
        }
    }

    /// The current fake instant.
    pub fn now(&self) -> Timestamp {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Jumps to `at` (backwards too).
    pub fn set(&self, at: Timestamp) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }

    /// Moves time by `by` (negative goes back), saturating at the ends of
    /// time; returns the new instant.
    pub fn advance(&self, by: SignedDuration) -> Timestamp {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        let fallback = if by.is_negative() {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        };
        *now = now.saturating_add(by).unwrap_or(fallback);
        *now
    }

    /// Moves time by `secs` seconds; returns the new instant.
    pub fn advance_secs(&self, secs: i64) -> Timestamp {
        self.advance(SignedDuration::from_secs(secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_instant() {
        let t0 = Timestamp::from_second(1_800_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
        let clock = FakeClock::new(t0);
        let other = clock.clone();
        assert_eq!(other.advance_secs(90), clock.now());
        assert_eq!(clock.now().as_second(), 1_800_000_090);
        clock.advance(SignedDuration::from_mins(-2));
        assert_eq!(other.now().as_second(), 1_799_999_970);
        other.set(t0);
        assert_eq!(clock.now(), t0);
        assert_eq!(clock.advance(SignedDuration::MAX), Timestamp::MAX);
    }
}
