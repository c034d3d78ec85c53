//! Abuse limits that need no database: token buckets keyed by client address or account (for
//! login and refresh), and a bound on password hashing running at once.
//!
//! A bucket holds up to `burst` tokens and refills at `per_minute`; each attempt takes one, and
//! an empty bucket says how long until the next token (the `Retry-After` of a 429).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets keyed by `K`; idle buckets are forgotten once full again.
pub struct Limiter<K> {
    rate: Rate,
    buckets: Mutex<HashMap<K, Bucket>>,
}

/// Buckets kept before full (idle) ones are swept out.
const SWEEP_AT: usize = 10_000;

impl<K: Hash + Eq + Clone> Limiter<K> {
    pub fn new(rate: Rate) -> Limiter<K> {
        Limiter { rate, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes a token for `key` at `now`; when none is left, how long until one is.
    pub fn check(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let per_sec = f64::from(self.rate.per_minute) / 60.0;
        let burst = f64::from(self.rate.burst);
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= SWEEP_AT {
            buckets.retain(|_, b| b.tokens + per_sec * now.saturating_duration_since(b.at).as_secs_f64() < burst);
        }
        let b = buckets.entry(key.clone()).or_insert(Bucket { tokens: burst, at: now });
        b.tokens = (b.tokens + per_sec * now.saturating_duration_since(b.at).as_secs_f64()).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else if per_sec > 0.0 {
            Err(Duration::from_secs_f64((1.0 - b.tokens) / per_sec))
        } else {
            Err(Duration::from_secs(3600))
        }
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
        let limiter = Limiter::new(Rate::new(5, 10));
        let t0 = Instant::now();
        for _ in 0..5 {
            assert_eq!(limiter.check(&"127.0.0.1", t0), Ok(()));
        }
        let wait = limiter.check(&"127.0.0.1", t0).unwrap_err();
        assert!(wait > Duration::from_secs(5) && wait <= Duration::from_secs(6), "{wait:?}");
        assert_eq!(limiter.check(&"127.0.0.2", t0), Ok(()), "another address is not held up");
        assert_eq!(limiter.check(&"127.0.0.1", t0 + Duration::from_secs(6)), Ok(()), "one token came back");
        assert!(limiter.check(&"127.0.0.1", t0 + Duration::from_secs(6)).is_err());
    }
}
