//! The engine: one poller per source, each on its own interval and never with
//! two fetches in flight, and a worker for the jobs keys ask for. Both
//! only send messages; the app loop owns the store.

mod alarm_queue;
mod alarms;
mod backfill;
mod backoff;
mod budget;
mod doctor_job;
mod fast_path;
mod journal_watch;
mod poll;
mod scopes;
mod sources;
mod tracer;
mod trail_files;
mod worker;

pub use budget::RateBudget;
pub use scopes::UNFOCUSED;
pub use tracer::carries;
pub use worker::Job;

use crate::access::AccessEvent;
use crate::clock::Clock;
use crate::cloud::names::ChainNames;
use crate::cloud::types::{
    Alarm, AlarmTransition, Identity, MetricPoint, Notification, TestAccess,
};
use crate::cloud::{Cloud, CloudError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How far back alarm history and the inbox are read: what is older never comes again.
pub const LOOKBACK: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The places the dashboard reads from, each with its own health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Events,
    Metric,
    Alarms,
    Inbox,
    /// The EventBridge rule's queue, where the account has one. Last: where the status bar
    /// is narrow it gives way first, as LookupEvents still finds what it would have shown.
    #[serde(rename = "eventbridge")]
    FastPath,
    /// The trail's log files, through the queue notified of each.
    #[serde(rename = "trail-files")]
    TrailFiles,
    /// The alarm's messages, on the queue of secretwatch's own subscribed to its topic.
    #[serde(rename = "alarm-queue")]
    AlarmQueue,
}

impl Source {
    pub const ALL: [Source; 7] = [
        Source::Events,
        Source::Metric,
        Source::Alarms,
        Source::Inbox,
        Source::FastPath,
        Source::TrailFiles,
        Source::AlarmQueue,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Source::Events => "events",
            Source::FastPath => "eventbridge",
            Source::TrailFiles => "trail-files",
            Source::AlarmQueue => "alarm-queue",
            Source::Metric => "metric",
            Source::Alarms => "alarm",
            Source::Inbox => "inbox",
        }
    }
}

/// How one fetch of a source ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    Ok,
    Throttled {
        retry_at: DateTime<Utc>,
    },
    Failed {
        error: CloudError,
        retry_at: DateTime<Utc>,
    },
    /// The backend cannot provide this source at all; polling stops.
    Unsupported(String),
}

/// Everything the engine tells the app loop.
#[derive(Debug, Clone)]
pub enum Update {
    Identity(Identity),
    /// Who we are could not be learned (yet): the dashboard is not connected.
    IdentityFailed(CloudError),
    Accesses(Vec<AccessEvent>),
    /// A message that is not a CloudTrail record (named by its id, and why): skipped, and
    /// deleted from its queue.
    Unreadable {
        source: Source,
        id: String,
        why: String,
    },
    /// A backfill's progress: `done` files read of the `total` found.
    Backfill {
        source: Source,
        done: usize,
        total: usize,
    },
    /// A watched secret could not be resolved, and what is shown instead.
    SecretUnresolved(crate::watched::WatchedSecret),
    /// The secrets the accesses are narrowed to, as the user gave them (`--secret`).
    Watching(Vec<String>),
    Metric(Vec<MetricPoint>),
    Alarm {
        alarm: Option<Alarm>,
        history: Vec<AlarmTransition>,
    },
    Notifications(Vec<Notification>),
    Polled {
        source: Source,
        at: DateTime<Utc>,
        every: Duration,
        attempt: Attempt,
    },
    /// The test access answered; a trace follows it at this pace.
    TestFired {
        access: TestAccess,
        pace: crate::trace::Pace,
    },
    /// A trace's link seen by the tracer: `at` by the service's clock where it says.
    TraceSeen {
        marker: String,
        link: crate::trace::Link,
        at: DateTime<Utc>,
        detail: String,
    },
    /// A trace's link that cannot be observed here, and why.
    TraceUnobserved {
        marker: String,
        link: crate::trace::Link,
        why: String,
    },
    /// Messages from the queue on the alarm's topic.
    AlarmMessages(Vec<crate::cloud::alarm_message::AlarmMessage>),
    TestFailed {
        marker: String,
        error: String,
    },
    /// The doctor's verdict on every link of the chain.
    Chain(crate::chain::doctor::Report),
    /// Another scope's chain, examined where it lives (sent inside `InScope`).
    ScopeChain(crate::chain::scopes::ScopeReport),
    /// The setup plan, each step shown with its resources.
    SetupPlanned {
        steps: Vec<crate::chain::setup::Step>,
        shown: Vec<String>,
        notes: Vec<String>,
    },
    /// One step applied (error: why it failed).
    SetupStep {
        shown: String,
        error: Option<String>,
    },
    SetupFinished {
        ok: bool,
    },
    /// Setup cannot run here, and why.
    SetupUnavailable(String),
    /// An acknowledgement is on disk (and the alarm reset's outcome, if asked for).
    Acknowledged(crate::ack::act::Acknowledged),
    /// An acknowledgement could not be saved, and why.
    AckFailed(String),
    /// The accesses shown were written to `path`: how many, or why not.
    Exported {
        path: std::path::PathBuf,
        written: Result<usize, String>,
    },
    /// Lines found in the journal: saved by this run or by another secretwatch (a second
    /// terminal's `secretwatch ack`), known ones included.
    AcksInJournal(Vec<crate::ack::Ack>),
    /// What another scope's pollers found (its index among `Engine::start_scopes`'
    /// others, from 1); the first scope's updates come bare.
    InScope {
        scope: usize,
        update: Box<Update>,
    },
    /// Which scope this is, as it was opened (its account "" until STS says).
    Opened(crate::cloud::scope::Scope),
}

#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub events_every: Duration,
    /// Each poll re-reads this much already-seen history, because CloudTrail
    /// delivers late and out of order.
    pub overlap: Duration,
    /// How far back the first poll reads.
    pub backfill: Duration,
    /// The events poll's interval while the fast path delivers: LookupEvents then only
    /// reconciles (what the fast path dropped), at a lower rate.
    pub reconcile_every: Duration,
    /// How late CloudTrail's history may still deliver an event: while reconciling, each
    /// stretch of history is read once, this long after its end. On AWS, the overlap.
    pub settle: Duration,
    /// How long one receive from the fast path's queue waits for a message (a long poll;
    /// SQS allows up to 20 s), and how many it takes at once (up to 10).
    pub fast_path_wait: Duration,
    pub fast_path_batch: usize,
    /// How long a queue source rests after a receive that did not fill its batch (a long
    /// poll has waited already), and how long until it looks again for a queue that does
    /// not exist.
    pub queue_rest: Duration,
    pub queue_look_again: Duration,
    /// How often an alarm in ALARM is read: a firing scope is read at the focused rate
    /// even while unfocused.
    pub alarms_firing_every: Duration,
    /// Whether the alarm's history is read (an unfocused scope shows its state alone).
    pub alarm_history: bool,
    pub metric_every: Duration,
    pub alarms_every: Duration,
    pub inbox_every: Duration,
    /// LookupEvents calls per second, shared by everything that looks up events
    /// (AWS allows 2).
    pub lookups_per_second: f64,
    /// The chain's resources: the metric and alarm polled, what the doctor checks.
    pub names: ChainNames,
    /// How many periods the sparkline shows.
    pub metric_periods: u32,
    /// Secrets whose accesses are shown, as the user gave them (name, ARN or partial
    /// ARN; see `watched`); empty: all.
    pub secrets: Vec<String>,
    /// The secret a test access reads.
    pub test_secret: String,
    /// The sources to poll; a headless command polls only what it prints.
    pub sources: Vec<Source>,
    /// The event sources on (`[sources]`): what the doctor checks and setup sets up.
    pub event_sources: crate::chain::Sources,
    /// Whom setup subscribes to the topic when nobody is.
    pub setup_email: Option<String>,
    /// Where acknowledgements are saved; None when there is nowhere (they are refused).
    pub journal: Option<crate::ack::journal::Journal>,
    /// An acknowledgement also sets the alarm to OK.
    pub ack_sets_alarm_ok: bool,
    pub seed: u64,
}

impl EngineConfig {
    /// Intervals for the embedded account, whose CloudTrail delivers in seconds.
    pub fn demo(names: &ChainNames, seed: u64) -> Self {
        Self {
            events_every: Duration::from_secs(3),
            overlap: Duration::from_secs(20 * 60),
            backfill: Duration::from_secs(3600),
            reconcile_every: Duration::from_secs(30),
            settle: Duration::from_secs(20 * 60),
            fast_path_wait: Duration::from_secs(20),
            fast_path_batch: 10,
            queue_rest: Duration::from_secs(1),
            queue_look_again: Duration::from_secs(60),
            alarms_firing_every: Duration::from_secs(5),
            alarm_history: true,
            metric_every: Duration::from_secs(10),
            alarms_every: Duration::from_secs(5),
            inbox_every: Duration::from_secs(5),
            lookups_per_second: 1.0,
            names: names.clone(),
            metric_periods: 60,
            secrets: Vec::new(),
            test_secret: names.secret.clone(),
            sources: Source::ALL.to_vec(),
            event_sources: crate::chain::Sources::default(),
            // The embedded account's security team, who confirm within a minute.
            setup_email: Some(names.email.clone()),
            journal: None,
            ack_sets_alarm_ok: false,
            seed,
        }
    }
}

impl EngineConfig {
    /// How a trace is paced under these settings.
    pub fn trace_pace(&self) -> crate::trace::Pace {
        tracer::pace(self)
    }

    /// The cadence of a scope that is not focused: its accesses four times less often, its
    /// alarm's state twenty times less often (at the focused rate while it fires), a queue
    /// read every two minutes and a missing one looked for every quarter hour. Across 170 scopes that keeps the requests, and the bill
    /// of those AWS charges for, gentle (BENCHMARKS.md, "Scopes").
    pub fn unfocused(&self) -> Self {
        let mut c = self.clone();
        c.events_every *= 4;
        c.reconcile_every = c.reconcile_every.max(c.events_every);
        c.alarms_firing_every = self.alarms_every;
        c.alarm_history = false;
        c.alarms_every *= 20;
        c.queue_rest = c.queue_rest.max(Duration::from_secs(100));
        c.queue_look_again = c.queue_look_again.max(Duration::from_secs(15 * 60));
        c
    }

    /// The demo's settings over this embedded account, reconciling as soon as its event
    /// history has settled (its latest delivery, and a minute).
    pub fn for_account(sim: &crate::cloud::sim::SimConfig) -> Self {
        let mut config = Self::demo(&sim.names, sim.seed);
        config.settle = sim.timings.delivery_lag.1 + Duration::from_secs(60);
        config
    }
}

/// The running engine; dropping it stops every task.
pub struct Engine {
    pub updates: mpsc::UnboundedReceiver<Update>,
    pub jobs: mpsc::UnboundedSender<Job>,
    tasks: Vec<JoinHandle<()>>,
}

impl Engine {
    pub fn start(cloud: Arc<dyn Cloud>, clock: Clock, config: EngineConfig) -> Self {
        Self::start_with_admin(cloud, None, clock, config)
    }

    /// With `admin`, the worker can also apply setup.
    pub fn start_with_admin(
        cloud: Arc<dyn Cloud>,
        admin: Option<Arc<dyn crate::cloud::admin::ChainAdmin>>,
        clock: Clock,
        config: EngineConfig,
    ) -> Self {
        Self::start_scopes(cloud, admin, Vec::new(), clock, config)
    }

    /// Over several scopes: the first (`cloud`, with `admin`) with every source and the
    /// worker; each of `others` with its own pollers and LookupEvents budget, and only the
    /// sources an unfocused scope needs (accesses and alarm state), its updates sent as
    /// `Update::InScope`.
    pub fn start_scopes(
        cloud: Arc<dyn Cloud>,
        admin: Option<Arc<dyn crate::cloud::admin::ChainAdmin>>,
        others: Vec<(crate::cloud::scope::Scope, Arc<dyn Cloud>)>,
        clock: Clock,
        config: EngineConfig,
    ) -> Self {
        let (tx, updates) = mpsc::unbounded_channel();
        let (jobs, job_rx) = mpsc::unbounded_channel();
        let config = Arc::new(config);
        let ctx = sources::Context::new(cloud, admin, clock, config.clone());
        let mut tasks = scopes::pollers(&ctx, &ctx.config.sources, &tx);
        let unfocused = Arc::new(config.unfocused());
        let doctor = doctor_job::Doctor::new(&ctx, &others);
        for (i, (scope, other)) in others.into_iter().enumerate() {
            let ctx = sources::Context::new(other, None, clock, unfocused.clone());
            let _ = tx.send(Update::InScope {
                scope: i + 1,
                update: Box::new(Update::Opened(scope)),
            });
            tasks.extend(scopes::other_scope(ctx, i + 1, &tx));
        }
        // The journal is looked at on the alarm's cadence, where acknowledgements matter.
        if let Some(journal) = ctx.config.journal.clone()
            && ctx.config.sources.contains(&Source::Alarms)
        {
            let every = ctx.config.alarms_every;
            tasks.push(tokio::spawn(journal_watch::run(journal, every, tx.clone())));
        }
        tasks.push(tokio::spawn(worker::run(ctx, doctor, job_rx, tx)));
        Self {
            updates,
            jobs,
            tasks,
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
