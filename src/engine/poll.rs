//! The poll loop every source shares: fetch, report, wait; back off with
//! jitter when throttled or failing. One loop per source, so a source never
//! has two fetches in flight.

use super::backoff::Backoff;
use super::{Attempt, Source, Update};
use crate::clock::Clock;
use crate::cloud::{CloudError, ErrorKind};
use async_trait::async_trait;
use chrono::TimeDelta;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

#[async_trait]
pub trait Fetch: Send {
    /// One complete fetch of the source, sending its updates to `out` as it has them (a
    /// page at a time for access events, so a new access shows after a sweep's first call).
    async fn fetch(&mut self, out: &UnboundedSender<Update>) -> Result<(), CloudError>;

    /// The interval now, given the configured one: the health of the source is judged by it.
    fn every(&self, configured: Duration) -> Duration {
        configured
    }

    /// When the source is not set up (`Unsupported`), how long until it looks again; None:
    /// it never will be in this session, and the loop ends.
    fn look_again(&self) -> Option<Duration> {
        None
    }

    /// How long to wait after a good fetch that took `took`: by default the rest of the
    /// interval, a steady cadence.
    fn pause(&self, every: Duration, took: Duration) -> Duration {
        every.saturating_sub(took)
    }
}

pub async fn run(
    source: Source,
    configured: Duration,
    clock: Clock,
    tx: UnboundedSender<Update>,
    mut fetcher: Box<dyn Fetch>,
    seed: u64,
) {
    let mut backoff = Backoff::new(
        Duration::from_secs(1),
        (configured * 4).max(Duration::from_secs(60)),
        seed,
    );
    loop {
        let started = tokio::time::Instant::now();
        let result = fetcher.fetch(&tx).await;
        if tx.is_closed() {
            return;
        }
        let every = fetcher.every(configured);
        let at = clock.now();
        let (attempt, wait) = match result {
            Ok(()) => {
                backoff.reset();
                // A steady cadence: the next fetch starts `every` after this one started,
                // however long this one took (an access shows within one interval of delivery).
                (Attempt::Ok, fetcher.pause(every, started.elapsed()))
            }
            Err(error) if error.kind == ErrorKind::Unsupported => {
                let _ = tx.send(Update::Polled {
                    source,
                    at,
                    every,
                    attempt: Attempt::Unsupported(error.to_string()),
                });
                match fetcher.look_again() {
                    Some(after) => {
                        tokio::time::sleep(after).await;
                        continue;
                    }
                    None => return,
                }
            }
            Err(error) => {
                let wait = backoff.next_delay();
                let retry_at = at + TimeDelta::from_std(wait).unwrap_or_default();
                tracing::warn!(source = source.label(), %error, ?wait, "poll failed");
                if error.is_throttle() {
                    (Attempt::Throttled { retry_at }, wait)
                } else {
                    (Attempt::Failed { error, retry_at }, wait)
                }
            }
        };
        let polled = Update::Polled {
            source,
            at,
            every,
            attempt,
        };
        if tx.send(polled).is_err() {
            return;
        }
        tokio::time::sleep(wait).await;
    }
}
