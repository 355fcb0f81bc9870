//! A shared budget for a rate-limited API: callers are spaced so that the
//! account's limit is never approached, whoever asks.

use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

pub struct RateBudget {
    spacing: Duration,
    next_free: Mutex<Option<Instant>>,
}

impl RateBudget {
    /// `per_second` calls per second at most, evenly spaced.
    pub fn new(per_second: f64) -> Self {
        let per_second = if per_second.is_finite() && per_second > 0.0 {
            per_second
        } else {
            1.0
        };
        Self {
            spacing: Duration::from_secs_f64(1.0 / per_second),
            next_free: Mutex::new(None),
        }
    }

    /// Waits for this caller's slot.
    pub async fn acquire(&self) {
        let slot = {
            let mut next = self
                .next_free
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.spacing);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn callers_are_spaced_evenly() {
        let budget = RateBudget::new(2.0);
        let start = Instant::now();
        let mut at = Vec::new();
        for _ in 0..5 {
            budget.acquire().await;
            at.push(start.elapsed().as_millis());
        }
        assert_eq!(at, vec![0, 500, 1000, 1500, 2000]);
    }
}
