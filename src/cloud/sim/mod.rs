//! The embedded simulated account: the default backend, needing no AWS.

mod actors;
mod admin;
mod alarm_queue;
mod alarms;
mod config;
mod evaluator;
mod events_rule;
mod fast_path;
mod faults;
mod history;
mod iam;
mod inspect;
mod logs;
mod metrics;
mod queue;
mod record;
mod regions;
#[cfg(test)]
mod retention_tests;
mod scenario;
mod sns;
mod test_access;
mod trail;
mod trail_files;
mod world;

pub use actors::{Actor, demo_cast, secret_reader};
pub use config::SimConfig;
pub use faults::{FaultKind, FaultRule};
pub use iam::Role;
pub use record::CallSpec;
pub use regions::{LOGISTICS, PAYMENTS, SANDBOX, organization};
pub use scenario::Scenario;
pub use sns::{Subscription, Topic};
pub use trail::{ReadWriteType, Trail};
pub use world::{ACCOUNT, REGION, Timings, World};

use crate::clock::Clock;
use crate::cloud::links::{
    LogGroupInfo, MetricFilterInfo, QueueInfo, RoleInfo, RuleInfo, SecretInfo, TopicInfo, TrailInfo,
};
use crate::cloud::types::{
    Alarm, AlarmTransition, Backend, EventPage, EventQuery, Feed, Identity, MetricPoint,
    MetricQuery, Notification, QueueMessage, TestAccess,
};
use crate::cloud::{Cloud, CloudError, ErrorKind};
use async_trait::async_trait;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use faults::Faults;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// LookupEvents' documented limit: 2 requests per second per account and region.
const LOOKUP_TPS: usize = 2;
const CALL_LOG_CAP: usize = 200_000;
const CALLER: &str = "demo-analyst";

struct Inner {
    world: World,
    faults: Faults,
    calls: VecDeque<(&'static str, DateTime<Utc>)>,
    rng: SmallRng,
    latency: (Duration, Duration),
}

/// Cheap to clone; every clone sees the same account.
#[derive(Clone)]
pub struct SimCloud {
    clock: Clock,
    inner: Arc<Mutex<Inner>>,
}

impl SimCloud {
    pub fn new(config: SimConfig, clock: Clock) -> Self {
        let now = clock.now();
        // The story starts on a whole minute, so that a seed tells the same story whenever
        // it runs: metric periods and alarm evaluations fall at the same points of it.
        let start = (now - TimeDelta::from_std(config.prehistory).unwrap_or_default())
            .duration_trunc(TimeDelta::minutes(1))
            .unwrap_or(now);
        let mut world = World::new(config.seed, config.timings, start);
        world.account = config.account.clone();
        world.region = config.region.clone();
        world.alarm_queue_name = config.names.alarm_queue.clone();
        scenario::build(&mut world, config.scenario, &config.names);
        for trail in world.trails.iter_mut().filter(|t| t.shadow_of.is_none()) {
            trail.organization = config.organization_trail;
        }
        let actors = config.actors.into_iter();
        let actors = actors.map(|a| a.in_account(&config.account)).collect();
        world.start_actors(actors, config.noise);
        world.advance_to(now);
        let inner = Inner {
            world,
            faults: Faults::new(config.seed),
            calls: VecDeque::new(),
            rng: SmallRng::seed_from_u64(config.seed.rotate_left(17)),
            latency: config.call_latency,
        };
        Self {
            clock,
            inner: Arc::new(Mutex::new(inner)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn inject(&self, rule: FaultRule) {
        self.lock().faults.add(rule);
    }

    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// When each call of `operation` reached the account (throttled ones included).
    pub fn calls(&self, operation: &str) -> Vec<DateTime<Utc>> {
        let inner = self.lock();
        inner
            .calls
            .iter()
            .filter(|(op, _)| *op == operation)
            .map(|(_, t)| *t)
            .collect()
    }

    /// Ids of every `event_name` event that happened up to now (delivered or not):
    /// the ground truth that tests compare the timeline with.
    pub fn recorded_event_ids(&self, event_name: &str) -> Vec<String> {
        let mut inner = self.lock();
        let now = self.clock.now();
        inner.world.advance_to(now);
        let far = EventQuery {
            lookup: crate::cloud::types::LookupAttribute::EventName(event_name.into()),
            start: DateTime::<Utc>::MIN_UTC,
            end: now,
            next_token: None,
        };
        inner.world.history.ids_matching(&far)
    }

    /// When the embedded CloudTrail delivered (or will deliver) the event with this id to
    /// event history: what the benchmarks measure delivery-to-screen latency from.
    pub fn delivered_at(&self, event_id: &str) -> Option<DateTime<Utc>> {
        self.with_world(|w| w.history.delivered_at(event_id))
    }

    /// Runs `f` on the world as it is now (tests and the demo's own controls).
    pub fn with_world<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        let mut inner = self.lock();
        inner.world.advance_to(self.clock.now());
        f(&mut inner.world)
    }

    /// Every API call goes through here: it is logged, meets its faults and latency, and
    /// then sees the world advanced to the moment it is answered.
    async fn call<T>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&mut World) -> Result<T, CloudError>,
    ) -> Result<T, CloudError> {
        let encounter = {
            let mut inner = self.lock();
            let now = self.clock.now();
            let recent = inner
                .calls
                .iter()
                .rev()
                .take_while(|(_, t)| now - *t < TimeDelta::seconds(1))
                .filter(|(op, _)| *op == operation)
                .count();
            if inner.calls.len() >= CALL_LOG_CAP {
                inner.calls.pop_front();
            }
            inner.calls.push_back((operation, now));
            if operation == "LookupEvents" && recent >= LOOKUP_TPS {
                return Err(CloudError::new(
                    operation,
                    ErrorKind::Throttled,
                    "ThrottlingException: Rate exceeded",
                ));
            }
            let mut encounter = inner.faults.encounter(operation, now);
            let (lo, hi) = inner.latency;
            let jitter = inner
                .rng
                .random_range(lo.as_micros()..=hi.as_micros().max(lo.as_micros()));
            encounter.delay += Duration::from_micros(jitter as u64);
            encounter
        };
        tokio::time::sleep(encounter.delay).await;
        if let Some(error) = encounter.error {
            return Err(error);
        }
        let mut inner = self.lock();
        inner.world.advance_to(self.clock.now());
        f(&mut inner.world)
    }
}

#[async_trait]
impl Cloud for SimCloud {
    async fn identity(&self) -> Result<Identity, CloudError> {
        self.call("GetCallerIdentity", |w| {
            Ok(Identity {
                account: w.account.clone(),
                region: w.region.clone(),
                principal: w.iam_arn(&format!("user/{CALLER}")),
                backend: Backend::Demo,
            })
        })
        .await
    }

    async fn regions(&self) -> Result<Vec<crate::cloud::types::RegionState>, CloudError> {
        self.call("ListRegions", |_| Ok(regions::default_regions()))
            .await
    }

    async fn organization_accounts(
        &self,
    ) -> Result<Vec<crate::cloud::types::OrgAccount>, CloudError> {
        self.call("ListAccounts", |_| Ok(regions::organization()))
            .await
    }

    async fn lookup_events(&self, query: &EventQuery) -> Result<EventPage, CloudError> {
        self.call("LookupEvents", |w| w.history.lookup(query, w.now))
            .await
    }

    async fn metric_series(&self, q: &MetricQuery) -> Result<Vec<MetricPoint>, CloudError> {
        let period = q.period.as_secs() as i64;
        if period < 60 || period % 60 != 0 {
            return Err(CloudError::new(
                "GetMetricData",
                ErrorKind::InvalidInput,
                "the period must be a multiple of 60 seconds for standard-resolution metrics",
            ));
        }
        self.call("GetMetricData", |w| {
            Ok(w.metrics
                .series(&q.metric, q.statistic, period, q.start, q.end))
        })
        .await
    }

    async fn describe_alarm(&self, name: &str) -> Result<Option<Alarm>, CloudError> {
        self.call("DescribeAlarms", |w| {
            Ok(w.alarms.iter().find(|a| a.name == name).cloned())
        })
        .await
    }

    async fn alarm_history(
        &self,
        name: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<AlarmTransition>, CloudError> {
        self.call("DescribeAlarmHistory", |w| {
            // Oldest first, so the walk stops at `since` rather than at the beginning.
            Ok(w.alarm_history
                .iter()
                .rev()
                .take_while(|t| t.time >= since)
                .filter(|t| t.alarm == name)
                .cloned()
                .collect())
        })
        .await
    }

    async fn fire_test_access(&self, secret: &str, marker: &str) -> Result<TestAccess, CloudError> {
        self.call("GetSecretValue", |w| w.test_access(secret, marker))
            .await
    }

    async fn describe_secret(&self, id: &str) -> Result<Option<SecretInfo>, CloudError> {
        self.call("DescribeSecret", |w| Ok(inspect::secret(w, id)))
            .await
    }

    async fn trails(&self) -> Result<Vec<TrailInfo>, CloudError> {
        self.call("DescribeTrails", |w| Ok(inspect::trails(w)))
            .await
    }

    async fn log_group(&self, name: &str) -> Result<Option<LogGroupInfo>, CloudError> {
        self.call("DescribeLogGroups", |w| Ok(inspect::log_group(w, name)))
            .await
    }

    async fn metric_filters(&self, log_group: &str) -> Result<Vec<MetricFilterInfo>, CloudError> {
        self.call("DescribeMetricFilters", |w| {
            Ok(inspect::metric_filters(w, log_group))
        })
        .await
    }

    async fn test_metric_filter(
        &self,
        pattern: &str,
        events: &[String],
    ) -> Result<Vec<usize>, CloudError> {
        self.call("TestMetricFilter", |_| {
            inspect::test_metric_filter(pattern, events)
        })
        .await
    }

    async fn topic(&self, arn: &str) -> Result<Option<TopicInfo>, CloudError> {
        self.call("GetTopicAttributes", |w| Ok(inspect::topic(w, arn)))
            .await
    }

    async fn role(&self, name: &str) -> Result<Option<RoleInfo>, CloudError> {
        self.call("GetRole", |w| {
            Ok(w.roles.iter().find(|r| r.name == name).map(Role::info))
        })
        .await
    }

    async fn event_rule(&self, name: &str) -> Result<Option<RuleInfo>, CloudError> {
        self.call("DescribeRule", |w| Ok(w.rule_info(name))).await
    }

    async fn test_event_pattern(&self, pattern: &str, event: &str) -> Result<bool, CloudError> {
        self.call("TestEventPattern", |_| {
            crate::cloud::fast_path::event_pattern::matches(pattern, event)
                .map_err(|why| CloudError::new("TestEventPattern", ErrorKind::InvalidInput, why))
        })
        .await
    }

    async fn queue(&self, name: &str) -> Result<Option<QueueInfo>, CloudError> {
        self.call("GetQueueAttributes", |w| Ok(w.queue_info(name)))
            .await
    }

    async fn bucket_queues(&self, bucket: &str) -> Result<Vec<String>, CloudError> {
        self.call("GetBucketNotificationConfiguration", |w| {
            Ok(w.trail_files.notified_queues(bucket))
        })
        .await
    }

    async fn receive(
        &self,
        feed: Feed,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<QueueMessage>, CloudError> {
        self.receive_messages(feed, max, wait).await
    }

    async fn delete_received(&self, feed: Feed, receipts: &[String]) -> Result<(), CloudError> {
        self.delete_messages(feed, receipts).await
    }

    async fn log_records(
        &self,
        group: &str,
        text: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<crate::cloud::types::LogRecord>, CloudError> {
        self.call("FilterLogEvents", |w| {
            Ok(w.logs.records_holding(group, text, since))
        })
        .await
    }

    async fn list_log_files(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, CloudError> {
        self.call("ListObjectsV2", |w| {
            Ok(w.trail_files.keys_under(bucket, prefix))
        })
        .await
    }

    async fn list_folders(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, CloudError> {
        self.call("ListObjectsV2", |w| {
            Ok(w.trail_files.folders(bucket, prefix))
        })
        .await
    }

    async fn log_file(&self, bucket: &str, key: &str, max: u64) -> Result<Vec<u8>, CloudError> {
        self.call("GetObject", |w| w.trail_files.object(bucket, key, max))
            .await
    }

    async fn notifications(&self, since: DateTime<Utc>) -> Result<Vec<Notification>, CloudError> {
        self.call("ListNotifications", |w| Ok(w.sns.inbox_since(since)))
            .await
    }
}
