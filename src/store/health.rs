//! The health of every source, derived from its last attempts and the clock.

use crate::engine::{Attempt, Source};
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum Health {
    /// Not polled yet.
    Starting,
    Fresh {
        at: DateTime<Utc>,
    },
    /// No successful poll for longer than expected.
    Stale {
        since: DateTime<Utc>,
    },
    Throttled {
        retry_at: DateTime<Utc>,
    },
    Failing {
        why: String,
        since: DateTime<Utc>,
        retry_at: DateTime<Utc>,
        hint: Option<String>,
        /// The last good data is older than the source's interval allows.
        stale_since: Option<DateTime<Utc>>,
    },
    Unavailable {
        why: String,
    },
}

#[derive(Debug, Clone, Default)]
struct SourceState {
    last_ok: Option<DateTime<Utc>>,
    first_failure: Option<DateTime<Utc>>,
    last: Option<Attempt>,
    every: Duration,
}

#[derive(Debug, Clone, Default)]
pub struct HealthBoard {
    sources: BTreeMap<Source, SourceState>,
}

impl HealthBoard {
    pub fn record(&mut self, source: Source, at: DateTime<Utc>, every: Duration, attempt: Attempt) {
        let s = self.sources.entry(source).or_default();
        s.every = every;
        match attempt {
            Attempt::Ok => {
                s.last_ok = Some(at);
                s.first_failure = None;
            }
            _ => {
                s.first_failure.get_or_insert(at);
            }
        }
        s.last = Some(attempt);
    }

    pub fn last_ok(&self, source: Source) -> Option<DateTime<Utc>> {
        self.sources.get(&source).and_then(|s| s.last_ok)
    }

    /// When a source that has data will count as stale, if nothing new comes: the
    /// instant [`Self::health`] turns from fresh to stale (or a failure gains its
    /// "stale since").
    pub fn turns_stale_at(&self, source: Source) -> Option<DateTime<Utc>> {
        let s = self.sources.get(&source)?;
        Some(s.last_ok? + grace(s.every) + TimeDelta::nanoseconds(1))
    }

    /// Why the source's last look failed (throttled included); None when it did not.
    pub fn failure(&self, source: Source) -> Option<String> {
        match &self.sources.get(&source)?.last {
            Some(Attempt::Failed { error, .. }) => Some(error.to_string()),
            Some(Attempt::Throttled { .. }) => Some(format!("{} throttled", source.label())),
            _ => None,
        }
    }

    pub fn health(&self, source: Source, now: DateTime<Utc>) -> Health {
        let Some(s) = self.sources.get(&source) else {
            return Health::Starting;
        };
        let grace = grace(s.every);
        match &s.last {
            None => Health::Starting,
            Some(Attempt::Unsupported(why)) => Health::Unavailable { why: why.clone() },
            Some(Attempt::Throttled { retry_at }) => Health::Throttled {
                retry_at: *retry_at,
            },
            Some(Attempt::Failed { error, retry_at }) => Health::Failing {
                why: error.short(),
                hint: error.hint(),
                stale_since: s.last_ok.filter(|at| now - *at > grace),
                since: s.first_failure.unwrap_or(now),
                retry_at: *retry_at,
            },
            Some(Attempt::Ok) => match s.last_ok {
                Some(at) if now - at > grace => Health::Stale { since: at },
                Some(at) => Health::Fresh { at },
                None => Health::Starting,
            },
        }
    }
}

/// Late by more than three intervals (and at least ten seconds): stale.
fn grace(every: Duration) -> TimeDelta {
    TimeDelta::from_std(every * 3)
        .unwrap_or_default()
        .max(TimeDelta::seconds(10))
}
