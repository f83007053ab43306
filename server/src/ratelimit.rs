//! Keyed token buckets for the per-ticket and per-client issuance limits.
//!
//! Keys are salted SHA-256 digests (the salt is random per process), so even the in-memory
//! table holds no ticket ids or addresses in clear. A full bucket is equivalent to no bucket,
//! so sweeping drops full ones and the table stays small; if it still reaches its cap, new
//! keys are refused (failing closed under a flood of distinct keys rather than growing
//! without bound).

use std::collections::HashMap;
use std::sync::Mutex;

use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::RateLimit;

/// Most keys tracked at once per limiter.
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: u64,
}

pub(crate) struct KeyedLimiter {
    limit: RateLimit,
    salt: [u8; 32],
    buckets: Mutex<HashMap<[u8; 32], Bucket>>,
}

impl KeyedLimiter {
    pub fn new(limit: RateLimit) -> Self {
        let mut salt = [0u8; 32];
        OsRng.fill_bytes(&mut salt);
        KeyedLimiter {
            limit,
            salt,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn digest(&self, key: &[u8]) -> [u8; 32] {
        Sha256::new()
            .chain_update(self.salt)
            .chain_update(key)
            .finalize()
            .into()
    }

    fn refill(&self, bucket: &mut Bucket, now: u64) {
        let elapsed = now.saturating_sub(bucket.updated) as f64;
        let rate = f64::from(self.limit.per_minute) / 60.0;
        bucket.tokens = (bucket.tokens + elapsed * rate).min(f64::from(self.limit.burst));
        bucket.updated = bucket.updated.max(now);
    }

    /// Takes one token for `key` at `now` (Unix seconds); `false` if the bucket is empty.
    pub fn check(&self, key: &[u8], now: u64) -> bool {
        let id = self.digest(key);
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if !buckets.contains_key(&id) && buckets.len() >= MAX_KEYS {
            self.sweep_locked(&mut buckets, now);
            if buckets.len() >= MAX_KEYS {
                return false;
            }
        }
        let bucket = buckets.entry(id).or_insert(Bucket {
            tokens: f64::from(self.limit.burst),
            updated: now,
        });
        self.refill(bucket, now);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Drops buckets that have refilled completely.
    pub fn sweep(&self, now: u64) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        self.sweep_locked(&mut buckets, now);
    }

    fn sweep_locked(&self, buckets: &mut HashMap<[u8; 32], Bucket>, now: u64) {
        let burst = f64::from(self.limit.burst);
        buckets.retain(|_, b| {
            self.refill(b, now);
            b.tokens < burst
        });
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill_per_key() {
        let l = KeyedLimiter::new(RateLimit {
            burst: 2,
            per_minute: 60,
        });
        assert!(l.check(b"a", 100));
        assert!(l.check(b"a", 100));
        assert!(!l.check(b"a", 100));
        // Another key has its own bucket.
        assert!(l.check(b"b", 100));
        // One token per second.
        assert!(l.check(b"a", 101));
        assert!(!l.check(b"a", 101));
        // Full buckets are swept ("b" has refilled by now), partial ones kept ("a").
        l.sweep(101);
        assert_eq!(l.len(), 1);
        assert!(
            !l.check(b"a", 101),
            "sweeping does not reset a partial bucket"
        );
        l.sweep(1_000);
        assert_eq!(l.len(), 0);
    }
}
