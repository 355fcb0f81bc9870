//! The state the panes draw. One owner (the app loop) applies engine updates
//! and learns what changed, which headless mode prints.

mod breach;
mod chains;
mod health;
mod interner;
mod lookup;
mod noise;
mod quiet;
mod readers;
mod scopes;
mod test_runs;
mod timeline;
mod traces;

pub use breach::{Breach, BreachSummary, firings};
pub use chains::{ChainShown, Verdicts};
pub use health::{Health, HealthBoard};
pub use lookup::Lookup;
pub use readers::{Reader, ReaderOrder};
pub use scopes::{ScopeFilter, ScopeView};
pub use timeline::{RAW_KEPT, Timeline};

use crate::access::AccessEvent;
use crate::cloud::types::{Alarm, AlarmTransition, Identity, MetricPoint, Notification};
use crate::engine::Update;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Transitions and notifications the alarm pane keeps (it shows the newest few and a count).
const ALARM_HISTORY_KEPT: usize = 200;
const INBOX_KEPT: usize = 200;
/// What the engine can still send again: it re-reads the last `engine::LOOKBACK` of alarm
/// history and inbox, plus an hour for a slow answer. Older ones are forgotten and ignored,
/// so a dashboard open for days remembers a day of them, not all it ever saw.
const REMEMBERED: TimeDelta = crate::engine::LOOKBACK
    .checked_add(&TimeDelta::hours(1))
    .expect("a day and an hour");

/// A test access from the key press to its CloudTrail event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestRun {
    pub marker: String,
    pub requested_at: DateTime<Utc>,
    #[serde(flatten)]
    pub stage: TestStage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum TestStage {
    /// Asked for; the call is on its way.
    Requested,
    /// The read succeeded; waiting for CloudTrail to deliver its event.
    Pending {
        secret_arn: String,
        version_id: String,
    },
    Confirmed {
        event_id: String,
        delivered_after_secs: i64,
    },
    Failed {
        error: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupStage {
    Planning,
    Confirm,
    Applying,
    Finished { ok: bool },
    Unavailable(String),
}

/// Setup as the dialog shows it: the plan, then each step's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupView {
    pub stage: SetupStage,
    pub steps: Vec<crate::chain::setup::Step>,
    pub shown: Vec<String>,
    pub notes: Vec<String>,
    /// Applied steps: what, and the error if it failed.
    pub done: Vec<(String, Option<String>)>,
}

impl SetupView {
    pub fn planning() -> Self {
        Self {
            stage: SetupStage::Planning,
            steps: Vec::new(),
            shown: Vec::new(),
            notes: Vec::new(),
            done: Vec::new(),
        }
    }
}

impl TestRun {
    /// Whether `event` is this test access: its user agent carries `app/<marker>` as a whole
    /// token, so that `app/<prefix>-1` is not found inside `app/<prefix>-10`.
    pub fn marks(&self, event: &AccessEvent) -> bool {
        crate::engine::carries(&event.user_agent, &self.marker)
    }
}

/// What an update changed, as headless mode reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Access(AccessEvent),
    MetricPoint(MetricPoint),
    AlarmTransition(AlarmTransition),
    Notification(Notification),
    TestAccess(TestRun),
    /// A trace moved: a link seen, late, or where the chain stopped.
    Trace(crate::trace::Trace),
    Acknowledged(crate::ack::Ack),
}

#[derive(Debug, Default)]
pub struct Store {
    pub identity: Option<Identity>,
    /// Why the account could not be reached, until it can.
    pub identity_error: Option<crate::cloud::CloudError>,
    pub timeline: Timeline,
    pub metric: Vec<MetricPoint>,
    /// The watched alarm, as the alarm source last answered.
    pub alarm: Lookup<Alarm>,
    /// Newest first.
    pub alarm_history: Vec<AlarmTransition>,
    /// Oldest first: the newest `INBOX_KEPT` of them.
    pub inbox: Vec<Notification>,
    /// How many notifications arrived in all, kept or not.
    pub delivered: usize,
    pub tests: Vec<TestRun>,
    /// This run's traces, oldest first; the past ones are in the book.
    pub traces: Vec<crate::trace::Trace>,
    pub trace_book: crate::trace::book::TraceBook,
    /// The alarm's messages read from the queue on its topic, oldest first (the newest few
    /// hundred): where a trace finds its notification.
    pub alarm_messages: Vec<crate::cloud::alarm_message::AlarmMessage>,
    pub health: HealthBoard,
    /// The doctor's last verdict, and whether a check is running.
    pub chain: Option<crate::chain::doctor::Report>,
    pub chain_checking: bool,
    /// The setup dialog's state, while it is open.
    pub setup: Option<SetupView>,
    /// Every acknowledgement known: the journal's, then this run's.
    pub acks: crate::ack::AckBook,
    /// Watched secrets that could not be resolved, each with why.
    pub unresolved_secrets: Vec<crate::watched::WatchedSecret>,
    /// The secrets the timeline is narrowed to, as given; empty: every secret.
    pub watching: Vec<String>,
    /// Per source, the messages or files that could not be read: skipped (and deleted).
    pub unreadable: std::collections::BTreeMap<crate::engine::Source, usize>,
    /// Per source, a backfill's progress: files read, of files found.
    pub backfill: std::collections::BTreeMap<crate::engine::Source, (usize, usize)>,
    /// The scope the timeline is narrowed to; None: every scope.
    pub narrowed: Option<ScopeFilter>,
    /// The filter expression the timeline shows the matches of; empty: every access.
    pub query: crate::query::Query,
    /// The other scopes the engine polls, by their index (from 1).
    pub others: std::collections::BTreeMap<usize, ScopeView>,
    /// Who has read each secret: what in an access is first seen.
    pub baseline: crate::baseline::Baseline,
    /// The principals marked as expected readers, for the noise finding's proposal.
    pub expected: crate::expected::Expected,
    seen_transitions: HashSet<AlarmTransition>,
    /// Notification ids, with their time (to forget them).
    seen_notifications: HashMap<String, DateTime<Utc>>,
}

impl Store {
    /// Applies one engine update received at `now`; returns what changed, the traces it
    /// moved included.
    pub fn apply(&mut self, update: Update, now: DateTime<Utc>) -> Vec<Change> {
        let mut changes = self.apply_update(update, now);
        changes.extend(self.advance_traces(now));
        changes
    }

    fn apply_update(&mut self, update: Update, now: DateTime<Utc>) -> Vec<Change> {
        match update {
            Update::Identity(id) => {
                self.identity = Some(id);
                self.identity_error = None;
                Vec::new()
            }
            Update::IdentityFailed(error) => {
                self.identity_error = Some(error);
                Vec::new()
            }
            Update::Accesses(events) => {
                let mut changes = Vec::new();
                for mut event in events {
                    event.received_at.get_or_insert(now);
                    changes.extend(self.confirm_test(&event, now));
                    changes.extend(self.trace_sighting(&event, now));
                    for (was, dim) in self.baseline.observe(&mut event) {
                        self.timeline.unmark(&was, dim);
                    }
                    if self.timeline.insert(event.clone()) {
                        changes.push(Change::Access(event));
                    }
                }
                // On disk before it shows: a crash never loses who was first seen.
                self.baseline.flush();
                changes
            }
            Update::Unreadable { source, .. } => {
                *self.unreadable.entry(source).or_default() += 1;
                Vec::new()
            }
            Update::Backfill {
                source,
                done,
                total,
            } => {
                self.backfill.insert(source, (done, total));
                Vec::new()
            }
            Update::Watching(secrets) => {
                self.watching = secrets;
                Vec::new()
            }
            Update::SecretUnresolved(secret) => {
                if !self.unresolved_secrets.contains(&secret) {
                    self.unresolved_secrets.push(secret);
                }
                Vec::new()
            }
            Update::Metric(points) => {
                let changes = points
                    .iter()
                    .filter(|p| !self.metric.contains(p))
                    .map(|p| Change::MetricPoint(*p))
                    .collect();
                self.metric = points;
                changes
            }
            Update::Alarm { alarm, history } => {
                self.alarm = Lookup::answered(alarm);
                let cut = now - REMEMBERED;
                self.seen_transitions.retain(|t| t.time >= cut);
                let mut changes = Vec::new();
                for t in history.into_iter().rev() {
                    if t.time >= cut && self.seen_transitions.insert(t.clone()) {
                        changes.push(Change::AlarmTransition(t.clone()));
                        self.alarm_history.insert(0, t);
                    }
                }
                self.alarm_history
                    .sort_by_key(|t| std::cmp::Reverse(t.time));
                self.alarm_history.truncate(ALARM_HISTORY_KEPT);
                changes
            }
            Update::Notifications(notes) => {
                let cut = now - REMEMBERED;
                self.seen_notifications.retain(|_, time| *time >= cut);
                let mut changes = Vec::new();
                for n in notes {
                    if n.time >= cut && !self.seen_notifications.contains_key(&n.id) {
                        self.seen_notifications.insert(n.id.clone(), n.time);
                        self.delivered += 1;
                        self.inbox.push(n.clone());
                        changes.push(Change::Notification(n));
                    }
                }
                // Amortised: the oldest go in one move once twice as many are held.
                if self.inbox.len() > 2 * INBOX_KEPT {
                    self.inbox.drain(..self.inbox.len() - INBOX_KEPT);
                }
                changes
            }
            Update::Polled {
                source,
                at,
                every,
                attempt,
            } => {
                self.health.record(source, at, every, attempt);
                Vec::new()
            }
            Update::TestFired { access, pace } => {
                let mut changes = self.set_stage(
                    &access.marker,
                    TestStage::Pending {
                        secret_arn: access.secret_arn.clone(),
                        version_id: access.version_id.clone(),
                    },
                );
                changes.extend(self.start_trace(&access, pace));
                changes
            }
            trace @ (Update::TraceSeen { .. }
            | Update::TraceUnobserved { .. }
            | Update::AlarmMessages(_)) => self.apply_trace(trace),
            Update::TestFailed { marker, error } => {
                self.set_stage(&marker, TestStage::Failed { error })
            }
            Update::SetupPlanned {
                steps,
                shown,
                notes,
            } => {
                if let Some(view) = &mut self.setup {
                    view.stage = SetupStage::Confirm;
                    view.steps = steps;
                    view.shown = shown;
                    view.notes = notes;
                }
                Vec::new()
            }
            Update::SetupStep { shown, error } => {
                if let Some(view) = &mut self.setup {
                    view.done.push((shown, error));
                }
                Vec::new()
            }
            Update::SetupFinished { ok } => {
                if let Some(view) = &mut self.setup {
                    view.stage = SetupStage::Finished { ok };
                }
                self.chain_checking = true;
                Vec::new()
            }
            Update::SetupUnavailable(why) => {
                if let Some(view) = &mut self.setup {
                    view.stage = SetupStage::Unavailable(why);
                }
                Vec::new()
            }
            Update::Chain(report) => {
                self.chain = Some(report);
                self.chain_checking = false;
                self.refresh_noise(now);
                self.refresh_trace_findings();
                self.refresh_latency();
                Vec::new()
            }
            Update::Acknowledged(done) => {
                self.acks.push(done.ack.clone());
                vec![Change::Acknowledged(done.ack)]
            }
            Update::AckFailed(_) | Update::Exported { .. } => Vec::new(),
            Update::InScope { scope, update } => self.apply_in_scope(scope, *update, now),
            // Another scope's: it comes inside `InScope`.
            Update::Opened(_) | Update::ScopeChain(_) => Vec::new(),
            Update::AcksInJournal(acks) => {
                for ack in acks {
                    self.acks.push(ack);
                }
                Vec::new()
            }
        }
    }

    /// Whether the scopes watched span more than one account.
    pub fn many_accounts(&self) -> bool {
        let focused = self.identity.as_ref().map(|i| i.account.as_str());
        self.others
            .values()
            .filter_map(ScopeView::account)
            .any(|a| Some(a) != focused)
    }

    /// The account and region the dashboard watches, once known.
    pub fn scope(&self) -> Option<crate::ack::Scope> {
        self.identity.as_ref().map(|i| crate::ack::Scope {
            account: i.account.clone(),
            region: i.region.clone(),
        })
    }

    /// Where the watched alarm stands: None until both it and the account are known.
    pub fn ack_state(&self) -> Option<crate::ack::AckState> {
        let alarm = self.alarm.found()?;
        Some(self.acks.state(&self.scope()?, alarm))
    }

    /// A key press asked for a test access: it shows at once, before any network call.
    pub fn request_test(&mut self, marker: String, at: DateTime<Utc>) -> Change {
        let run = TestRun {
            marker,
            requested_at: at,
            stage: TestStage::Requested,
        };
        self.tests.push(run.clone());
        Change::TestAccess(run)
    }

    /// Test accesses not yet seen in CloudTrail, newest first.
    pub fn open_tests(&self) -> impl Iterator<Item = &TestRun> {
        self.tests.iter().rev().filter(|t| {
            matches!(
                t.stage,
                TestStage::Requested | TestStage::Pending { .. } | TestStage::Failed { .. }
            )
        })
    }

    /// The test run whose event this is, if any.
    pub fn test_of(&self, event: &AccessEvent) -> Option<&TestRun> {
        self.tests.iter().find(|t| t.marks(event))
    }
}

#[cfg(test)]
mod tests;
