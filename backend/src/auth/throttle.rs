//! Throttles that slow down password guessing, sign-up floods and mail bombing.
//!
//! Each throttle is a GCRA limiter from `governor`, keyed by a keyed hash of the e-mail or the
//! client address: eight bytes per key whatever the attacker sends, and keys nobody can
//! aim at one bucket. The number of keys is capped, so a flood of distinct addresses cannot
//! grow memory without bound: past the cap, idle keys are dropped, and if every key is still
//! busy the request is refused.
//!
//! Kept in memory: each instance counts its own attempts, so N instances allow N times the
//! budget, which still turns an online guessing attack from millions of tries into dozens.

use std::hash::BuildHasher;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::ApiError;

/// Keys one throttle remembers at most (about 100 bytes each).
pub const MAX_KEYS: usize = 100_000;

pub struct Throttle {
    limiter: DefaultKeyedRateLimiter<u64>,
    hasher: std::collections::hash_map::RandomState,
    max_keys: usize,
}

impl Throttle {
    /// Allows `count` attempts at once, then one more every `per / count`.
    pub fn new(count: u32, per: Duration) -> Self {
        Self::with_capacity(count, per, MAX_KEYS)
    }

    pub fn with_capacity(count: u32, per: Duration, max_keys: usize) -> Self {
        let count = NonZeroU32::new(count).expect("a throttle allows at least one attempt");
        let quota = Quota::with_period(per / count.get())
            .expect("a throttle's period is not zero")
            .allow_burst(count);
        Self {
            limiter: DefaultKeyedRateLimiter::dashmap(quota),
            hasher: Default::default(),
            max_keys,
        }
    }

    /// [`Throttle::hit`] as the API answers it: 429 with `Retry-After`.
    pub fn check(&self, key: &str) -> Result<(), ApiError> {
        self.hit(key)
            .map_err(|retry_after| ApiError::TooManyRequests { retry_after })
    }

    /// Counts one attempt for `key`; `Err(seconds to wait)` when its budget is spent.
    pub fn hit(&self, key: &str) -> Result<(), u64> {
        if self.limiter.len() >= self.max_keys {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
            if self.limiter.len() >= self.max_keys {
                return Err(60);
            }
        }
        let hashed = self.hasher.hash_one(key);
        self.limiter.check_key(&hashed).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.limiter.clock().now());
            wait.as_secs().max(1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attempt_after_the_budget_is_refused_until_a_slot_frees() {
        let throttle = Throttle::new(2, Duration::from_millis(100));
        assert!(throttle.hit("a").is_ok());
        assert!(throttle.hit("a").is_ok());
        assert_eq!(throttle.hit("a"), Err(1));
        assert!(throttle.hit("b").is_ok(), "another key has its own budget");
        std::thread::sleep(Duration::from_millis(60));
        assert!(throttle.hit("a").is_ok());
    }

    #[test]
    fn memory_stays_bounded_under_a_flood_of_keys() {
        let throttle = Throttle::with_capacity(5, Duration::from_secs(3600), 100);
        let refused = (0..1_000)
            .filter(|n| throttle.hit(&format!("flood-{n}")).is_err())
            .count();
        assert!(throttle.limiter.len() <= 100);
        assert_eq!(
            refused, 900,
            "keys beyond the cap are refused while all are busy"
        );
    }

    #[test]
    fn idle_keys_make_room_for_new_ones() {
        let throttle = Throttle::with_capacity(1, Duration::from_millis(20), 10);
        for n in 0..10 {
            throttle.hit(&format!("old-{n}")).unwrap();
        }
        std::thread::sleep(Duration::from_millis(40));
        assert!(throttle.hit("new").is_ok());
        assert!(throttle.limiter.len() <= 10);
    }
}
