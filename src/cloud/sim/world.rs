//! The embedded account's state and its clockwork: everything that happens is
//! an item on one agenda, processed in time order, so a seed gives the same
//! story however often the world is looked at.

use super::actors::{Actor, NOISE, noise_caller};
use super::history::History;
use super::logs::Logs;
use super::metrics::{Metrics, RESOLUTION_SECS};
use super::sns::{Delivery, Sns};
use super::trail::Trail;
use crate::cloud::types::{Alarm, AlarmTransition};
use chrono::{DateTime, TimeDelta, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::time::Duration;
use zeroize::Zeroizing;

pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";

/// How long things take in this account. The demo compresses AWS's minutes into seconds.
#[derive(Debug, Clone)]
pub struct Timings {
    /// CloudTrail: from the call to its appearance in event history.
    pub delivery_lag: (Duration, Duration),
    /// CloudTrail to CloudWatch Logs, after the event is recorded.
    pub logs_lag: (Duration, Duration),
    /// How long after a period ends its alarms evaluate it, so that late datapoints count.
    pub evaluation_delay: Duration,
    pub sns_lag: (Duration, Duration),
    /// EventBridge: from a read to its envelope on the fast path's queue. Best effort: most
    /// arrive within seconds, a few near the top of the range (drawn skewed to the bottom).
    pub fast_path_lag: (Duration, Duration),
    /// The share of reads (0 to 1) the fast path never delivers.
    pub fast_path_drop: f64,
    /// The share of trail file notifications (0 to 1) that arrive minutes late.
    pub trail_file_late: f64,
    /// How long a received message stays hidden; not deleted by then, it comes back.
    pub visibility_timeout: Duration,
    /// How long event history, alarm history and the inbox keep what they hold. AWS keeps
    /// 90 days of event history and 30 of alarm history; the demo keeps one day, so that a
    /// demo left running for days stays at the size of one day (about 14 000 events).
    pub retention: Duration,
}

impl Timings {
    pub fn demo() -> Self {
        Self {
            delivery_lag: (Duration::from_secs(2), Duration::from_secs(8)),
            logs_lag: (Duration::from_secs(1), Duration::from_secs(4)),
            evaluation_delay: Duration::from_secs(20),
            sns_lag: (Duration::from_secs(2), Duration::from_secs(6)),
            fast_path_lag: (Duration::from_secs(1), Duration::from_secs(90)),
            fast_path_drop: 0.05,
            trail_file_late: 0.1,
            visibility_timeout: Duration::from_secs(30),
            retention: Duration::from_secs(24 * 3600),
        }
    }
}

pub struct Secret {
    pub name: String,
    pub arn: String,
    pub version_id: String,
    /// Only ever held here; GetSecretValue hands out metadata, never this.
    pub value: Zeroizing<String>,
}

pub(super) enum Due {
    Read(usize),
    Noise,
    LogDelivery {
        trail: usize,
        group: String,
        event: serde_json::Value,
    },
    Evaluate,
    Notify(Delivery),
    /// The subscriber clicks the link in the confirmation email.
    Confirm {
        topic: String,
        endpoint: String,
    },
    Housekeeping,
    /// Every trail writes its log file.
    TrailFiles,
}

pub struct World {
    /// The scope this world is: its account and region.
    pub account: String,
    pub region: String,
    pub now: DateTime<Utc>,
    pub timings: Timings,
    pub secrets: Vec<Secret>,
    pub history: History,
    pub trails: Vec<Trail>,
    pub logs: Logs,
    pub metrics: Metrics,
    pub alarms: Vec<Alarm>,
    pub alarm_history: Vec<AlarmTransition>,
    /// Per alarm, the end (epoch seconds) of the newest period it was evaluated through.
    pub(super) evaluated_through: HashMap<String, i64>,
    pub sns: Sns,
    /// EventBridge rules on the default bus.
    pub rules: Vec<super::events_rule::Rule>,
    /// The fast path's queue, when the account has it.
    pub fast_path: Option<super::queue::Queue>,
    /// The queue of secretwatch's own on the alarm's topic, when the account has it, and
    /// the name it has (or will have: setup creates it by this name).
    pub alarm_queue: Option<super::queue::Queue>,
    pub alarm_queue_name: String,
    /// The trails' log files in their buckets, and the queue notified of each.
    pub trail_files: super::trail_files::TrailFiles,
    /// S3 buckets (with a CloudTrail bucket policy) and IAM roles for CloudTrail's logs.
    pub buckets: Vec<String>,
    pub roles: Vec<super::iam::Role>,
    /// How long a new email subscriber takes to confirm; None: never.
    pub confirm_after: Option<Duration>,
    pub(super) rng: SmallRng,
    /// The scripted changes' own randomness (see `change_secret`).
    pub(super) script_rng: SmallRng,
    /// SNS's own randomness, so that alarm notifications do not change the traffic:
    /// two scenarios on one seed see the same accesses.
    pub(super) sns_rng: SmallRng,
    /// The fast path's own randomness, for the same reason.
    pub(super) fast_path_rng: SmallRng,
    readers: Vec<Actor>,
    noise: Option<Actor>,
    agenda: BinaryHeap<Reverse<(DateTime<Utc>, u64)>>,
    due: HashMap<u64, Due>,
    seq: u64,
}

impl World {
    pub fn new(seed: u64, timings: Timings, start: DateTime<Utc>) -> Self {
        let mut world = Self {
            account: ACCOUNT.into(),
            region: REGION.into(),
            now: start,
            timings,
            secrets: Vec::new(),
            history: History::default(),
            trails: Vec::new(),
            logs: Logs::default(),
            metrics: Metrics::default(),
            alarms: Vec::new(),
            alarm_history: Vec::new(),
            evaluated_through: HashMap::new(),
            sns: Sns::default(),
            rules: Vec::new(),
            fast_path: None,
            alarm_queue: None,
            alarm_queue_name: crate::cloud::names::ChainNames::default().alarm_queue,
            trail_files: super::trail_files::TrailFiles::new(seed),
            buckets: Vec::new(),
            roles: Vec::new(),
            confirm_after: Some(Duration::from_secs(30)),
            rng: SmallRng::seed_from_u64(seed),
            script_rng: SmallRng::seed_from_u64(seed.rotate_left(8) ^ 0xc4a6),
            sns_rng: SmallRng::seed_from_u64(seed.rotate_left(32)),
            fast_path_rng: SmallRng::seed_from_u64(seed.rotate_left(48) ^ 0xfa57),
            readers: Vec::new(),
            noise: None,
            agenda: BinaryHeap::new(),
            due: HashMap::new(),
            seq: 0,
        };
        // Periods are whole minutes: the evaluator wakes the delay after each minute ends.
        let delay = to_delta(world.timings.evaluation_delay);
        world.schedule(
            align_up(start - delay, RESOLUTION_SECS) + delay,
            Due::Evaluate,
        );
        world.schedule(start + TimeDelta::hours(1), Due::Housekeeping);
        world.schedule(start + to_delta(super::trail_files::EVERY), Due::TrailFiles);
        world
    }

    /// An ARN of this account and region.
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:aws:{service}:{}:{}:{resource}",
            self.region, self.account
        )
    }

    /// An IAM ARN (global: no region) of this account.
    pub fn iam_arn(&self, resource: &str) -> String {
        format!("arn:aws:iam::{}:{resource}", self.account)
    }

    pub fn add_secret(&mut self, name: &str) {
        let suffix = self.random_token(6);
        let secret = Secret {
            name: name.to_string(),
            arn: self.arn("secretsmanager", &format!("secret:{name}-{suffix}")),
            version_id: self.random_uuid(),
            value: Zeroizing::new(self.random_token(32)),
        };
        self.secrets.push(secret);
    }

    /// Starts the demo's traffic: secret readers plus background noise when `noise`.
    pub fn start_actors(&mut self, readers: Vec<Actor>, noise: bool) {
        for (i, actor) in readers.iter().enumerate() {
            let first = match actor.once_after {
                Some(after) => self.now + to_delta(after),
                None => self.now + self.draw(actor.every),
            };
            self.schedule(first, Due::Read(i));
        }
        self.readers = readers;
        if noise {
            self.noise = Some(noise_caller());
            self.schedule(self.now, Due::Noise);
        }
    }

    /// Another secret reader, from now on: a newcomer.
    pub fn add_reader(&mut self, actor: Actor) {
        let first = self.now + self.draw(actor.every);
        self.schedule(first, Due::Read(self.readers.len()));
        self.readers.push(actor);
    }

    /// A new email subscription: pending until the subscriber confirms.
    pub fn subscribe_email(&mut self, topic: &str, endpoint: &str) {
        let Some(t) = self.sns.topic_mut(topic) else {
            return;
        };
        if t.subscriptions.iter().any(|s| s.endpoint == endpoint) {
            return;
        }
        t.subscriptions.push(super::sns::Subscription {
            endpoint: endpoint.to_string(),
            confirmed: false,
        });
        if let Some(after) = self.confirm_after {
            let at = self.now + to_delta(after);
            let (topic, endpoint) = (topic.to_string(), endpoint.to_string());
            self.schedule(at, Due::Confirm { topic, endpoint });
        }
    }

    /// Stops all traffic; what was already called still travels the chain.
    pub fn stop_actors(&mut self) {
        self.readers.clear();
        self.noise = None;
    }

    /// Processes everything due up to `now`, in time order.
    pub fn advance_to(&mut self, now: DateTime<Utc>) {
        while let Some(Reverse((at, seq))) = self.agenda.peek().copied() {
            if at > now {
                break;
            }
            self.agenda.pop();
            self.now = self.now.max(at);
            if let Some(due) = self.due.remove(&seq) {
                self.handle(due);
            }
        }
        self.now = self.now.max(now);
    }

    /// By name, ARN or partial ARN, as Secrets Manager finds it.
    pub fn secret(&self, id: &str) -> Option<&Secret> {
        let named = |s: &&Secret| crate::cloud::secret_ref::names(&s.name, &s.arn, id);
        self.secrets.iter().find(named)
    }

    fn handle(&mut self, due: Due) {
        let now = self.now;
        match due {
            Due::Read(i) => {
                let Some(actor) = self.readers.get(i).cloned() else {
                    return;
                };
                let id = match (actor.by_arn, self.secrets.first()) {
                    (true, Some(s)) => s.arn.clone(),
                    (_, Some(s)) => s.name.clone(),
                    (_, None) => "TopSecretInfo".to_string(),
                };
                if actor.once_after.is_some() {
                    self.change_secret(&id, actor.call);
                    return;
                }
                // The outcome is in the record; the actor does not care.
                let _ = self.get_secret_value(&id, actor.call.clone());
                let next = now + self.draw(actor.every);
                self.schedule(next, Due::Read(i));
            }
            Due::Noise => {
                let Some(mut call) = self.noise.clone() else {
                    return;
                };
                let (name, source, read_only) = NOISE[self.rng.random_range(0..NOISE.len())];
                call.call.event_name = name.into();
                call.call.event_source = source.into();
                call.call.read_only = read_only;
                self.record_call(&call.call, now);
                let next = now + self.draw(call.every);
                self.schedule(next, Due::Noise);
            }
            Due::LogDelivery {
                trail,
                group,
                event,
            } => {
                if let Some(t) = self.trails.get_mut(trail) {
                    t.latest_logs_delivery = Some(now);
                }
                let time = event
                    .get("eventTime")
                    .and_then(|t| t.as_str())
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map_or(now, |t| t.with_timezone(&Utc));
                for (metric, value) in self.logs.ingest(&group, &event, now) {
                    self.metrics.put(&metric, time, value);
                }
            }
            Due::Evaluate => {
                for delivery in self.evaluate_alarms() {
                    let at = now + draw(&mut self.sns_rng, self.timings.sns_lag);
                    self.schedule(at, Due::Notify(delivery));
                }
                self.schedule(now + TimeDelta::seconds(RESOLUTION_SECS), Due::Evaluate);
            }
            Due::Notify(delivery) if delivery.to_queue() => self.deliver_to_queue(delivery),
            Due::Notify(delivery) => self.sns.deliver(delivery, now),
            Due::Confirm { topic, endpoint } => {
                if let Some(t) = self.sns.topic_mut(&topic) {
                    for s in t
                        .subscriptions
                        .iter_mut()
                        .filter(|s| s.endpoint == endpoint)
                    {
                        s.confirmed = true;
                    }
                }
            }
            Due::TrailFiles => self.write_trail_files(),
            Due::Housekeeping => {
                let cut = now - to_delta(self.timings.retention);
                self.history.prune(cut);
                self.metrics.prune(now - TimeDelta::days(2));
                // Transitions are pushed as they happen, so the oldest come first.
                let old = self.alarm_history.partition_point(|t| t.time < cut);
                self.alarm_history.drain(..old);
                self.sns.prune(cut);
                self.logs.prune(cut);
                if let Some(queue) = &mut self.fast_path {
                    queue.prune(cut);
                }
                self.trail_files.prune(cut);
                self.schedule(now + TimeDelta::hours(1), Due::Housekeeping);
            }
        }
    }

    pub(super) fn schedule(&mut self, at: DateTime<Utc>, due: Due) {
        self.seq += 1;
        self.agenda.push(Reverse((at, self.seq)));
        self.due.insert(self.seq, due);
    }

    pub(super) fn draw(&mut self, range: (Duration, Duration)) -> TimeDelta {
        draw(&mut self.rng, range)
    }

    pub fn random_uuid(&mut self) -> String {
        uuid(&mut self.rng)
    }

    fn random_token(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| CHARS[self.rng.random_range(0..CHARS.len())] as char)
            .collect()
    }
}

fn draw(rng: &mut SmallRng, (lo, hi): (Duration, Duration)) -> TimeDelta {
    let lo = lo.as_millis() as i64;
    let hi = (hi.as_millis() as i64).max(lo);
    TimeDelta::milliseconds(rng.random_range(lo..=hi))
}

pub(super) fn to_delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::days(365))
}

fn align_up(t: DateTime<Utc>, step: i64) -> DateTime<Utc> {
    let secs = t.timestamp();
    let up = (secs + step - 1).div_euclid(step) * step;
    DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(up)
}

/// A version-4-shaped UUID drawn from `rng`.
pub(super) fn uuid(rng: &mut SmallRng) -> String {
    let h = format!("{:032x}", rng.random::<u128>());
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}
