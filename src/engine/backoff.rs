//! Exponential backoff with jitter, so that many clients that were throttled
//! together do not come back together.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;

pub struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
    rng: SmallRng,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration, seed: u64) -> Self {
        Self {
            base,
            cap,
            attempt: 0,
            rng: SmallRng::seed_from_u64(seed),
        }
    }

    /// The next wait: base × 2^attempt, capped, scaled by a random factor in [0.5, 1].
    pub fn next_delay(&mut self) -> Duration {
        let factor = 2u32.saturating_pow(self.attempt.min(20));
        self.attempt = self.attempt.saturating_add(1);
        let ceiling = self.base.saturating_mul(factor).min(self.cap);
        ceiling.mul_f64(self.rng.random_range(0.5..=1.0))
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_with_jitter_up_to_the_cap_and_resets() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(30), 7);
        let delays: Vec<Duration> = (0..8).map(|_| b.next_delay()).collect();
        for (i, d) in delays.iter().enumerate() {
            let ceiling = Duration::from_secs(1 << i).min(Duration::from_secs(30));
            assert!(*d <= ceiling && *d >= ceiling / 2, "attempt {i}: {d:?}");
        }
        b.reset();
        assert!(b.next_delay() <= Duration::from_secs(1));
    }
}
