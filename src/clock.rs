//! The injected clock. Wall time is derived from tokio's monotonic clock, so
//! tests on paused tokio time (and `--fast` headless runs) move it instantly.

use chrono::{DateTime, TimeDelta, Utc};
use tokio::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    wall_at_start: DateTime<Utc>,
    started: Instant,
}

impl Clock {
    /// A clock that reads `wall_at_start` now and moves with tokio time.
    /// Must be called inside a tokio runtime.
    pub fn starting_at(wall_at_start: DateTime<Utc>) -> Self {
        Self {
            wall_at_start,
            started: Instant::now(),
        }
    }

    /// The real wall clock (still moved by tokio time, so it is testable).
    pub fn system() -> Self {
        Self::starting_at(Utc::now())
    }

    pub fn now(&self) -> DateTime<Utc> {
        let elapsed = Instant::now().saturating_duration_since(self.started);
        TimeDelta::from_std(elapsed)
            .ok()
            .and_then(|d| self.wall_at_start.checked_add_signed(d))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// The tokio instant at which this clock will read `at` (now, if `at` is past).
    pub fn instant_at(&self, at: DateTime<Utc>) -> Instant {
        let ahead = (at - self.now()).to_std().unwrap_or_default();
        Instant::now() + ahead
    }
}
