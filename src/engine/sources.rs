//! What each source fetches. Access events re-read an overlap window each
//! time and never move their coverage forward past a failed sweep, so late
//! and out-of-order deliveries are never lost.

use super::poll::Fetch;
use super::{EngineConfig, RateBudget, Source, Update};
use crate::access::{AccessEvent, parse_access_event};
use crate::clock::Clock;
use crate::cloud::types::{
    EventQuery, LookupAttribute, MetricQuery, SECRETS_SOURCE, Statistic, is_shown,
};
use crate::cloud::{Cloud, CloudError};
use crate::watched::Watch;
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

#[derive(Clone)]
pub struct Context {
    pub cloud: Arc<dyn Cloud>,
    /// What can change the account; None in read-only use.
    pub admin: Option<Arc<dyn crate::cloud::admin::ChainAdmin>>,
    pub clock: Clock,
    pub config: Arc<EngineConfig>,
    pub budget: Arc<RateBudget>,
    /// The fast path's last receive succeeded: the events source only reconciles.
    pub fast_path_up: Arc<AtomicBool>,
    /// Whether the trail-file source's last receive succeeded.
    pub trail_files_up: Arc<AtomicBool>,
}

impl Context {
    /// One scope's: its own LookupEvents budget and queue states.
    pub fn new(
        cloud: Arc<dyn Cloud>,
        admin: Option<Arc<dyn crate::cloud::admin::ChainAdmin>>,
        clock: Clock,
        config: Arc<EngineConfig>,
    ) -> Self {
        Self {
            budget: Arc::new(RateBudget::new(config.lookups_per_second)),
            cloud,
            admin,
            clock,
            config,
            fast_path_up: Arc::default(),
            trail_files_up: Arc::default(),
        }
    }
}

pub fn interval(source: Source, config: &EngineConfig) -> Duration {
    match source {
        Source::Events => config.events_every,
        Source::FastPath | Source::TrailFiles | Source::AlarmQueue => config.fast_path_wait,
        Source::Metric => config.metric_every,
        Source::Alarms => config.alarms_every,
        Source::Inbox => config.inbox_every,
    }
}

pub fn fetcher(source: Source, ctx: Context) -> Box<dyn Fetch> {
    match source {
        Source::Events => Box::new(Events {
            ctx,
            covered_until: None,
            settled_until: None,
            watch: None,
            seen: HashMap::new(),
        }),
        Source::FastPath => Box::new(super::fast_path::FastPath::new(ctx)),
        Source::AlarmQueue => Box::new(super::alarm_queue::AlarmQueue::new(ctx)),
        Source::TrailFiles => Box::new(super::trail_files::TrailFiles::new(ctx)),
        Source::Metric => Box::new(MetricSeries { ctx }),
        Source::Alarms => Box::new(super::alarms::Alarms::new(ctx)),
        Source::Inbox => Box::new(Inbox { ctx, since: None }),
    }
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::days(90))
}

struct Events {
    ctx: Context,
    /// End of the last sweep that read every page.
    covered_until: Option<DateTime<Utc>>,
    /// While a queue delivers: the end of the history reconciled, each event read once, once
    /// it has settled (older than the overlap, past which CloudTrail delivers nothing late).
    settled_until: Option<DateTime<Utc>>,
    /// The watched secrets, resolved once before the first sweep.
    watch: Option<Watch>,
    /// The event ids already read, with their time: each sweep re-reads the overlap, and
    /// what it has seen is neither parsed nor sent again. Forgotten once before the sweep.
    seen: HashMap<String, DateTime<Utc>>,
}

impl Events {
    fn queues_up(&self) -> bool {
        self.ctx.fast_path_up.load(Ordering::Relaxed)
            || self.ctx.trail_files_up.load(Ordering::Relaxed)
    }

    async fn watch(&mut self, out: &UnboundedSender<Update>) -> Result<Watch, CloudError> {
        if let Some(watch) = &self.watch {
            return Ok(watch.clone());
        }
        let watch = Watch::resolve(self.ctx.cloud.as_ref(), &self.ctx.config.secrets).await?;
        for secret in watch.unresolved() {
            let _ = out.send(Update::SecretUnresolved(secret.clone()));
        }
        if !self.ctx.config.secrets.is_empty() {
            let _ = out.send(Update::Watching(self.ctx.config.secrets.clone()));
        }
        self.watch = Some(watch.clone());
        Ok(watch)
    }
}

#[async_trait]
impl Fetch for Events {
    async fn fetch(&mut self, out: &UnboundedSender<Update>) -> Result<(), CloudError> {
        let watch = self.watch(out).await?;
        let cfg = &self.ctx.config;
        let now = self.ctx.clock.now();
        let (overlap, settle) = (delta(cfg.overlap), delta(cfg.settle));
        // While a queue delivers, LookupEvents only reconciles: it reads each stretch of
        // history once, when it has settled (`settle` after it), instead of the whole overlap
        // every sweep (at ten reads a second that is 240 calls a sweep, the account's whole
        // budget).
        let (start, end) = match (self.queues_up(), self.covered_until) {
            (true, Some(covered)) => {
                let from = *self.settled_until.get_or_insert(covered - overlap);
                let to = now - settle;
                if to <= from {
                    return Ok(());
                }
                (from, to)
            }
            (_, covered) => {
                // Back from reconciling: on from what was settled.
                let from = match (self.settled_until.take(), covered) {
                    (Some(settled), _) => settled,
                    (None, Some(covered)) => covered - overlap,
                    (None, None) => now - delta(cfg.backfill),
                };
                (from, now)
            }
        };
        // One lookup by the service gives both the reads and the secret's changes (one
        // attribute a call: by name it would take a call per name, most of them empty).
        let mut query = EventQuery {
            lookup: LookupAttribute::EventSource(SECRETS_SOURCE.into()),
            start,
            end,
            next_token: None,
        };
        self.seen.retain(|_, time| *time >= start);
        loop {
            self.ctx.budget.acquire().await;
            let page = self.ctx.cloud.lookup_events(&query).await?;
            // Each page as it comes: the newest page is first, and at one LookupEvents a
            // second a whole sweep can take seconds. A record without an id is always sent;
            // the store drops repeats.
            let seen = &mut self.seen;
            let events: Vec<AccessEvent> = page
                .records
                .iter()
                .filter(|r| is_shown(&r.event_source, &r.event_name))
                .filter(|r| {
                    r.event_id.is_empty() || seen.insert(r.event_id.clone(), r.event_time).is_none()
                })
                .map(parse_access_event)
                .filter(|e| watch.shows(&e.secret))
                .collect();
            if !events.is_empty() {
                let _ = out.send(Update::Accesses(events));
            }
            match page.next_token {
                Some(token) => query.next_token = Some(token),
                None => break,
            }
        }
        if self.settled_until.is_some() {
            self.settled_until = Some(end);
        } else {
            self.covered_until = Some(end);
        }
        Ok(())
    }

    /// While the fast path or the trail's files deliver, LookupEvents only reconciles: at
    /// its lower rate.
    fn every(&self, configured: Duration) -> Duration {
        if self.queues_up() {
            self.ctx.config.reconcile_every
        } else {
            configured
        }
    }
}

struct MetricSeries {
    ctx: Context,
}

#[async_trait]
impl Fetch for MetricSeries {
    async fn fetch(&mut self, out: &UnboundedSender<Update>) -> Result<(), CloudError> {
        let cfg = &self.ctx.config;
        let end = self.ctx.clock.now();
        let query = MetricQuery {
            metric: cfg.names.metric(),
            statistic: Statistic::Sum,
            period: cfg.names.alarm_period,
            start: end
                - delta(
                    cfg.names
                        .alarm_period
                        .checked_mul(cfg.metric_periods)
                        .unwrap_or(Duration::from_secs(15 * 86_400)),
                ),
            end,
        };
        let points = self.ctx.cloud.metric_series(&query).await?;
        // A closed channel means the engine is stopping; the poller sees it.
        let _ = out.send(Update::Metric(points));
        Ok(())
    }
}

struct Inbox {
    ctx: Context,
    since: Option<DateTime<Utc>>,
}

#[async_trait]
impl Fetch for Inbox {
    async fn fetch(&mut self, out: &UnboundedSender<Update>) -> Result<(), CloudError> {
        let since = self
            .since
            .unwrap_or_else(|| self.ctx.clock.now() - super::LOOKBACK);
        let notes = self.ctx.cloud.notifications(since).await?;
        // Re-read from the newest seen (inclusive); the store drops repeats by id.
        if let Some(newest) = notes.iter().map(|n| n.time).max() {
            self.since = Some(newest);
        } else if self.since.is_none() {
            self.since = Some(since);
        }
        // A closed channel means the engine is stopping; the poller sees it.
        let _ = out.send(Update::Notifications(notes));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::sim::{Scenario, SimCloud, SimConfig};
    use crate::engine::Source;
    use chrono::TimeZone;

    /// A sweep every minute for an hour of the demo, each re-reading its 20-minute overlap:
    /// every access is sent once, and none is missed (a lookup of the whole hour at the end
    /// finds no other).
    #[tokio::test(start_paused = true)]
    async fn each_access_is_sent_once_though_every_sweep_rereads_the_overlap() {
        let start = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).single();
        let clock = Clock::starting_at(start.expect("valid"));
        let config = SimConfig::demo(1, Scenario::Healthy);
        let mut engine = EngineConfig::demo(&config.names, 1);
        engine.backfill = Duration::from_secs(600);
        let cloud = Arc::new(SimCloud::new(config, clock));
        let ctx = Context {
            cloud: cloud.clone(),
            admin: None,
            clock,
            config: Arc::new(engine),
            budget: Arc::new(RateBudget::new(1000.0)),
            fast_path_up: Arc::default(),
            trail_files_up: Arc::default(),
        };
        let first = clock.now() - TimeDelta::seconds(600);
        let mut events = fetcher(Source::Events, ctx);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut sent: Vec<String> = Vec::new();
        for _ in 0..60 {
            events.fetch(&tx).await.expect("the events source answers");
            while let Ok(update) = rx.try_recv() {
                if let Update::Accesses(batch) = update {
                    sent.extend(batch.iter().map(|e| e.event_id.to_string()));
                }
            }
            tokio::time::advance(Duration::from_secs(60)).await;
        }
        let mut unique = sent.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), sent.len(), "an access was sent twice");
        let mut query = EventQuery {
            lookup: LookupAttribute::EventName("GetSecretValue".into()),
            start: first,
            end: clock.now() - TimeDelta::seconds(60),
            next_token: None,
        };
        let mut all = Vec::new();
        loop {
            let page = cloud.lookup_events(&query).await.expect("lookup");
            all.extend(page.records.iter().map(|r| r.event_id.clone()));
            match page.next_token {
                Some(token) => query.next_token = Some(token),
                None => break,
            }
        }
        all.sort();
        assert!(all.len() > 20, "the demo's apps read: {}", all.len());
        let missed: Vec<&String> = all
            .iter()
            .filter(|id| unique.binary_search(id).is_err())
            .collect();
        assert!(missed.is_empty(), "missed {missed:?}");
    }

    /// Every five minutes for an hour of the demo, whose alarm changes state often: each
    /// poll asks only from the newest transition it saw, not the whole lookback again.
    #[tokio::test(start_paused = true)]
    async fn alarm_history_is_read_from_the_newest_transition_seen() {
        let start = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).single();
        let clock = Clock::starting_at(start.expect("valid"));
        let config = SimConfig::demo(1, Scenario::Healthy);
        let engine = EngineConfig::demo(&config.names, 1);
        let ctx = Context {
            cloud: Arc::new(SimCloud::new(config, clock)),
            admin: None,
            clock,
            config: Arc::new(engine),
            budget: Arc::new(RateBudget::new(1.0)),
            fast_path_up: Arc::default(),
            trail_files_up: Arc::default(),
        };
        let mut alarms = fetcher(Source::Alarms, ctx);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut newest: Option<DateTime<Utc>> = None;
        let mut read = 0;
        for _ in 0..12 {
            alarms.fetch(&tx).await.expect("the alarm source answers");
            let Some(Update::Alarm { history, .. }) = rx.recv().await else {
                panic!("an alarm update");
            };
            if let Some(seen) = newest {
                assert!(
                    history.iter().all(|t| t.time >= seen),
                    "re-read history from before {seen}"
                );
            }
            read += history.len();
            newest = history.iter().map(|t| t.time).max().or(newest);
            tokio::time::advance(Duration::from_secs(300)).await;
        }
        assert!(
            read > 12,
            "the demo's alarm changed state: {read} transitions read"
        );
    }
}
