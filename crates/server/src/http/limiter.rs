//! In-memory brakes on password guessing, checked before any password is
//! hashed:
//!
//! - **per account**, whatever the address: after `account_failures` failed
//!   sign-ins for one user name, every further attempt waits a delay that
//!   doubles with each failure (from `backoff`, at most
//!   [`MAX_ACCOUNT_BACKOFF`]). Counting by name alone means a guesser behind
//!   many addresses gets no more tries, and a proxy that puts every user
//!   behind one address does not lock everyone out; the owner of the
//!   account waits seconds, not hours, and a success clears the count.
//!   An account quiet for `window` beyond its current delay is forgotten.
//! - **per address**, whatever the name: at most `address_failures` failed
//!   sign-ins from one address within `window`, which stops spraying one
//!   password over many user names.
//!
//! User names reach the limiter only after they passed the user-name limit,
//! so the tables hold short keys; both are swept of stale entries when they
//! grow.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Entries kept before stale ones are swept from a table.
const SWEEP_ABOVE: usize = 10_000;
/// The longest an account's delay grows.
pub const MAX_ACCOUNT_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// How the brakes are set (from [`super::HttpConfig`]).
#[derive(Debug, Clone, Copy)]
pub struct LoginBrakes {
    /// Failures per user name before its delays start.
    pub account_failures: u32,
    /// The first delay; each further failure doubles it.
    pub backoff: Duration,
    /// Failures per client address within `window`.
    pub address_failures: usize,
    pub window: Duration,
}

/// One account's failures.
#[derive(Debug, Clone, Copy)]
struct Account {
    failures: u32,
    last: Instant,
}

#[derive(Debug)]
pub struct LoginLimiter {
    brakes: LoginBrakes,
    accounts: Mutex<HashMap<String, Account>>,
    addresses: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

fn lock<K, V>(m: &Mutex<HashMap<K, V>>) -> std::sync::MutexGuard<'_, HashMap<K, V>> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn sweep<K: Eq + Hash, V>(table: &mut HashMap<K, V>, keep: impl FnMut(&K, &mut V) -> bool) {
    if table.len() > SWEEP_ABOVE {
        table.retain(keep);
    }
}

impl LoginLimiter {
    pub fn new(brakes: LoginBrakes) -> LoginLimiter {
        LoginLimiter {
            brakes,
            accounts: Mutex::new(HashMap::new()),
            addresses: Mutex::new(HashMap::new()),
        }
    }

    /// The delay an account with `failures` failures owes after its last.
    fn delay(&self, failures: u32) -> Duration {
        let Some(extra) = failures
            .checked_sub(self.brakes.account_failures)
            .map(|n| n.min(30))
        else {
            return Duration::ZERO;
        };
        self.brakes
            .backoff
            .saturating_mul(1 << extra)
            .min(MAX_ACCOUNT_BACKOFF)
    }

    /// Whether the account's record is stale at `now`.
    fn forgotten(&self, a: &Account, now: Instant) -> bool {
        now.duration_since(a.last) >= self.delay(a.failures) + self.brakes.window
    }

    /// `Err(wait)` when `user` or `ip` has to wait before trying again.
    pub fn check(&self, user: &str, ip: IpAddr) -> Result<(), Duration> {
        let now = Instant::now();
        {
            let mut accounts = lock(&self.accounts);
            if let Some(a) = accounts.get(user).copied() {
                if self.forgotten(&a, now) {
                    accounts.remove(user);
                } else {
                    let until = a.last + self.delay(a.failures);
                    if until > now {
                        return Err(until - now);
                    }
                }
            }
        }
        let mut addresses = lock(&self.addresses);
        let Some(times) = addresses.get_mut(&ip) else {
            return Ok(());
        };
        let window = self.brakes.window;
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            times.pop_front();
        }
        if times.is_empty() {
            addresses.remove(&ip);
            return Ok(());
        }
        if times.len() >= self.brakes.address_failures {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(window.saturating_sub(now.duration_since(oldest)));
        }
        Ok(())
    }

    /// Counts a failed sign-in against both the account and the address.
    pub fn fail(&self, user: &str, ip: IpAddr) {
        let now = Instant::now();
        {
            let mut accounts = lock(&self.accounts);
            sweep(&mut accounts, |_, a| !self.forgotten(a, now));
            let failures = match accounts.get(user) {
                Some(a) if !self.forgotten(a, now) => a.failures.saturating_add(1),
                _ => 1,
            };
            accounts.insert(
                user.to_owned(),
                Account {
                    failures,
                    last: now,
                },
            );
        }
        let mut addresses = lock(&self.addresses);
        let window = self.brakes.window;
        sweep(&mut addresses, |_, times| {
            times
                .back()
                .is_some_and(|t| now.duration_since(*t) < window)
        });
        let times = addresses.entry(ip).or_default();
        times.push_back(now);
        while times.len() > self.brakes.address_failures {
            times.pop_front();
        }
    }

    /// Forgets the account's failures after a successful sign-in (the
    /// address keeps its count: a success does not excuse a spray).
    pub fn succeed(&self, user: &str) {
        lock(&self.accounts).remove(user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn brakes(window: Duration) -> LoginBrakes {
        LoginBrakes {
            account_failures: 2,
            backoff: Duration::from_secs(10),
            address_failures: 5,
            window,
        }
    }

    fn ip(n: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, n))
    }

    #[test]
    fn an_account_is_braked_from_every_address_and_success_clears_it() {
        let limiter = LoginLimiter::new(brakes(Duration::from_secs(60)));
        limiter.fail("ann", ip(1));
        assert!(limiter.check("ann", ip(1)).is_ok());
        limiter.fail("ann", ip(2));
        let wait = limiter.check("ann", ip(3)).expect_err("braked everywhere");
        assert!(wait <= Duration::from_secs(10) && wait > Duration::from_secs(9));
        assert!(limiter.check("bob", ip(1)).is_ok(), "other accounts go on");
        limiter.succeed("ann");
        assert!(limiter.check("ann", ip(1)).is_ok());
    }

    #[test]
    fn each_further_failure_doubles_the_delay_up_to_the_cap() {
        let limiter = LoginLimiter::new(brakes(Duration::from_secs(60)));
        assert_eq!(limiter.delay(1), Duration::ZERO);
        assert_eq!(limiter.delay(2), Duration::from_secs(10));
        assert_eq!(limiter.delay(3), Duration::from_secs(20));
        assert_eq!(limiter.delay(5), Duration::from_secs(80));
        assert_eq!(limiter.delay(40), MAX_ACCOUNT_BACKOFF);
        assert_eq!(limiter.delay(u32::MAX), MAX_ACCOUNT_BACKOFF);
    }

    #[test]
    fn spraying_many_names_from_one_address_is_braked() {
        let limiter = LoginLimiter::new(brakes(Duration::from_secs(60)));
        for n in 0..5 {
            assert!(limiter.check(&format!("user{n}"), ip(1)).is_ok());
            limiter.fail(&format!("user{n}"), ip(1));
        }
        assert!(limiter.check("user99", ip(1)).is_err(), "the address");
        assert!(limiter.check("user99", ip(2)).is_ok(), "another address");
        limiter.succeed("user99");
        assert!(limiter.check("user99", ip(1)).is_err(), "still the address");
    }

    #[test]
    fn failures_leave_the_window() {
        let limiter = LoginLimiter::new(LoginBrakes {
            account_failures: 1,
            backoff: Duration::from_millis(5),
            address_failures: 1,
            window: Duration::from_millis(20),
        });
        limiter.fail("ann", ip(1));
        assert!(limiter.check("ann", ip(2)).is_err());
        assert!(limiter.check("bob", ip(1)).is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert!(limiter.check("ann", ip(2)).is_ok());
        assert!(limiter.check("bob", ip(1)).is_ok());
    }
}
