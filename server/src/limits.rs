//! Abuse limits that need no database: rate limits keyed by client address or account (for
//! login and refresh), and a bound on password hashing running at once.
//!
//! The keyed limits are governor's (GCRA, the token bucket's equivalent without a timer per
//! key): up to `burst` attempts at once, and the allowance comes back at `per_minute`; an
//! attempt over it says how long until the next one is allowed (the `Retry-After` of a 429).

use std::hash::Hash;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

/// How many attempts a key may make at once, and how fast the allowance comes back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub burst: u32,
    pub per_minute: u32,
}

impl Rate {
    pub const fn new(burst: u32, per_minute: u32) -> Rate {
        Rate { burst, per_minute }
    }

    fn quota(self) -> Quota {
        let one = NonZeroU32::MIN;
        Quota::per_minute(NonZeroU32::new(self.per_minute).unwrap_or(one))
            .allow_burst(NonZeroU32::new(self.burst).unwrap_or(one))
    }
}

/// Keys kept before those indistinguishable from fresh ones are swept out.
const SWEEP_AT: usize = 10_000;

/// Rate limits keyed by `K`, on the wall clock (tests give theirs).
pub struct Limiter<K: Hash + Eq + Clone, C: Clock = DefaultClock> {
    limiter: RateLimiter<K, DefaultKeyedStateStore<K>, C, NoOpMiddleware<C::Instant>>,
    clock: C,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    pub fn new(rate: Rate) -> Limiter<K> {
        Limiter::with_clock(rate, DefaultClock::default())
    }
}

impl<K: Hash + Eq + Clone, C: Clock + Clone> Limiter<K, C> {
    pub fn with_clock(rate: Rate, clock: C) -> Limiter<K, C> {
        Limiter { limiter: RateLimiter::new(rate.quota(), DefaultKeyedStateStore::default(), clock.clone()), clock }
    }

    /// Counts an attempt of `key`; over the limit, how long until the next one is allowed.
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        if self.limiter.len() >= SWEEP_AT {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(key).map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

/// The abuse limits a server runs with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Logins and refreshes from one client address.
    pub auth_per_address: Rate,
    /// Logins to one account, from anywhere (on top of the stored failure back-off).
    pub login_per_account: Rate,
    /// Password hashes computed at once: no more than the cores, so that a flood of logins
    /// queues instead of starving everything else.
    pub concurrent_hashing: usize,
    /// Time a client has to send a request's headers.
    pub header_timeout: Duration,
    /// Time any request but a long-poll may take.
    pub request_timeout: Duration,
    /// Open connections from one client address.
    pub connections_per_address: usize,
    /// 委员工作室 public pages, per client address: pages shown, messages left, answers
    /// looked up (a wrong code costs an attempt like a right one).
    pub studio_pages_per_address: Rate,
    pub studio_posts_per_address: Rate,
    pub studio_lookups_per_address: Rate,
    /// Leading zero bits of the SHA-256 a message's proof of work must reach: about 2^bits
    /// hashes, well under a second in a phone's browser, a cost per message for a bot.
    pub studio_work_bits: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            auth_per_address: Rate::new(5, 10),
            login_per_account: Rate::new(5, 5),
            concurrent_hashing: std::thread::available_parallelism().map_or(2, |n| n.get()),
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            connections_per_address: 512,
            studio_pages_per_address: Rate::new(60, 60),
            studio_posts_per_address: Rate::new(3, 1),
            studio_lookups_per_address: Rate::new(10, 5),
            studio_work_bits: 16,
        }
    }
}

impl Limits {
    /// For tests and benchmarks that log in many devices from one address: the same timeouts
    /// and hashing bound, but rates and connection counts no test reaches.
    pub fn relaxed() -> Limits {
        Limits {
            auth_per_address: Rate::new(100_000, 100_000),
            login_per_account: Rate::new(100_000, 100_000),
            connections_per_address: 1_000_000,
            ..Limits::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_waits_for_the_refill_and_keys_are_apart() {
        let clock = governor::clock::FakeRelativeClock::default();
        let limiter = Limiter::with_clock(Rate::new(5, 10), clock.clone());
        for _ in 0..5 {
            assert_eq!(limiter.check(&"127.0.0.1"), Ok(()));
        }
        let wait = limiter.check(&"127.0.0.1").unwrap_err();
        assert!(wait > Duration::from_secs(5) && wait <= Duration::from_secs(6), "{wait:?}");
        assert_eq!(limiter.check(&"127.0.0.2"), Ok(()), "another address is not held up");
        clock.advance(Duration::from_secs(6));
        assert_eq!(limiter.check(&"127.0.0.1"), Ok(()), "one attempt came back");
        assert!(limiter.check(&"127.0.0.1").is_err());
    }
}
