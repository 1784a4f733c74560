//! A small in-memory brake on password guessing: after too many failed
//! sign-ins for one user name from one address within a window, further
//! attempts are refused without checking the password.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Entries kept before stale ones are swept from the whole table.
const SWEEP_ABOVE: usize = 10_000;

/// Failed sign-ins per (user name, client address), in a sliding window.
#[derive(Debug)]
pub struct LoginLimiter {
    max_failures: usize,
    window: Duration,
    failures: Mutex<HashMap<(String, IpAddr), VecDeque<Instant>>>,
}

impl LoginLimiter {
    pub fn new(max_failures: usize, window: Duration) -> LoginLimiter {
        LoginLimiter {
            max_failures,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` when the key has used up its failures; `wait` is how long
    /// until the oldest of them leaves the window.
    pub fn check(&self, user: &str, ip: IpAddr) -> Result<(), Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (user.to_owned(), ip);
        let Some(times) = failures.get_mut(&key) else {
            return Ok(());
        };
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        if times.is_empty() {
            failures.remove(&key);
            return Ok(());
        }
        if times.len() >= self.max_failures {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(self.window.saturating_sub(now.duration_since(oldest)));
        }
        Ok(())
    }

    /// Counts a failed sign-in.
    pub fn fail(&self, user: &str, ip: IpAddr) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if failures.len() > SWEEP_ABOVE {
            let window = self.window;
            failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let times = failures.entry((user.to_owned(), ip)).or_default();
        times.push_back(now);
        while times.len() > self.max_failures {
            times.pop_front();
        }
    }

    /// Forgets the key's failures after a successful sign-in.
    pub fn succeed(&self, user: &str, ip: IpAddr) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&(user.to_owned(), ip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn the_limit_is_per_user_and_address_and_success_clears_it() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        let here = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let there = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        assert!(limiter.check("ann", here).is_ok());
        limiter.fail("ann", here);
        assert!(limiter.check("ann", here).is_ok());
        limiter.fail("ann", here);
        let wait = limiter.check("ann", here).expect_err("limited");
        assert!(wait <= Duration::from_secs(60) && wait > Duration::from_secs(50));
        assert!(limiter.check("ann", there).is_ok());
        assert!(limiter.check("bob", here).is_ok());
        limiter.succeed("ann", here);
        assert!(limiter.check("ann", here).is_ok());
    }

    #[test]
    fn failures_leave_the_window() {
        let limiter = LoginLimiter::new(1, Duration::from_millis(20));
        let here = IpAddr::V4(Ipv4Addr::LOCALHOST);
        limiter.fail("ann", here);
        assert!(limiter.check("ann", here).is_err());
        std::thread::sleep(Duration::from_millis(30));
        assert!(limiter.check("ann", here).is_ok());
    }
}
