//! Slows down guessing: after a few failures from one source (an address, an account),
//! that source is answered only after a wait that doubles with each further failure, up
//! to a ceiling. A success clears it. Pure: the clock is passed in. Used for agents'
//! SIP REGISTERs, carriers' digest answers and sign-ins.

use std::collections::HashMap;
use std::hash::Hash;

/// Failures allowed before waits begin: a person or a phone with a mistyped password
/// retries a few times on its own.
pub const FREE_FAILURES: u32 = 5;

pub struct Throttle<K> {
    failures: HashMap<K, (u32, i64)>,
    max_wait_ms: i64,
}

impl<K: Hash + Eq> Throttle<K> {
    /// Waits grow from a second to `max_wait_ms`.
    pub fn new(max_wait_ms: i64) -> Throttle<K> {
        Throttle { failures: HashMap::new(), max_wait_ms }
    }

    /// How long `from` must still wait before it is heard again (0: now).
    pub fn wait_ms(&self, from: &K, now_ms: i64) -> i64 {
        match self.failures.get(from) {
            Some(&(n, last)) if n >= FREE_FAILURES => {
                let wait = (1000i64 << (n - FREE_FAILURES).min(20)).min(self.max_wait_ms);
                (last + wait - now_ms).max(0)
            }
            _ => 0,
        }
    }

    pub fn failed(&mut self, from: K, now_ms: i64) {
        let entry = self.failures.entry(from).or_insert((0, now_ms));
        *entry = (entry.0.saturating_add(1), now_ms);
        // Forget sources that have been quiet for long, so the table does not grow.
        if self.failures.len() > 10_000 {
            let max = self.max_wait_ms;
            self.failures.retain(|_, (_, last)| now_ms - *last < max);
        }
    }

    pub fn succeeded(&mut self, from: &K) {
        self.failures.remove(from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::IpAddr;

    const MAX_WAIT_MS: i64 = 5 * 60 * 1000;

    #[test]
    fn a_few_failures_are_free_then_waits_double() {
        let ip: IpAddr = "198.51.100.7".parse().unwrap();
        let mut t = Throttle::new(MAX_WAIT_MS);
        for _ in 0..FREE_FAILURES - 1 {
            t.failed(ip, 0);
            assert_eq!(t.wait_ms(&ip, 0), 0);
        }
        t.failed(ip, 0);
        assert_eq!(t.wait_ms(&ip, 0), 1000);
        t.failed(ip, 0);
        assert_eq!(t.wait_ms(&ip, 0), 2000);
        assert_eq!(t.wait_ms(&ip, 1500), 500);
        assert_eq!(t.wait_ms(&"198.51.100.8".parse().unwrap(), 0), 0);
        t.succeeded(&ip);
        assert_eq!(t.wait_ms(&ip, 0), 0);
    }

    proptest! {
        #[test]
        fn the_wait_is_never_past_five_minutes(n in 0u32..200, now in 0i64..1_000_000) {
            let ip: IpAddr = "198.51.100.7".parse().unwrap();
            let mut t = Throttle::new(MAX_WAIT_MS);
            for _ in 0..n { t.failed(ip, now); }
            prop_assert!(t.wait_ms(&ip, now) <= MAX_WAIT_MS);
        }
    }
}
