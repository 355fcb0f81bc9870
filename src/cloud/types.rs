//! The port's own vocabulary. No SDK type appears here or beyond `cloud::aws`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::time::Duration;

/// Which account the dashboard is looking at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub account: String,
    pub region: String,
    pub principal: String,
    pub backend: Backend,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Demo,
    Aws,
}

/// LookupEvents takes exactly one lookup attribute per call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupAttribute {
    EventName(String),
    EventSource(String),
    ResourceName(String),
    Username(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventQuery {
    pub lookup: LookupAttribute,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub next_token: Option<String>,
}

/// The calls that read a secret's value: what the timeline shows, and what the fast
/// path's rule matches.
pub const READS: [&str; 2] = ["GetSecretValue", "BatchGetSecretValue"];

/// The calls that change a secret, its value or who may read it: the timeline shows them
/// beside the reads, and the fast path's rule matches them too.
pub const CHANGES: [&str; 15] = [
    "CreateSecret",
    "PutSecretValue",
    "UpdateSecret",
    "UpdateSecretVersionStage",
    "RotateSecret",
    "CancelRotateSecret",
    "DeleteSecret",
    "RestoreSecret",
    "PutResourcePolicy",
    "DeleteResourcePolicy",
    "ReplicateSecretToRegions",
    "RemoveRegionsFromReplication",
    "StopReplicationToReplica",
    "TagResource",
    "UntagResource",
];

/// Where Secrets Manager's calls come from in CloudTrail.
pub const SECRETS_SOURCE: &str = "secretsmanager.amazonaws.com";

/// Whether a record is one the timeline shows: a Secrets Manager read or change.
pub fn is_shown(event_source: &str, event_name: &str) -> bool {
    event_source == SECRETS_SOURCE && (READS.contains(&event_name) || CHANGES.contains(&event_name))
}

/// One record as event history returns it: a few indexed fields plus the full
/// CloudTrail event as a JSON string, which is untrusted input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailRecord {
    pub event_id: String,
    pub event_time: DateTime<Utc>,
    pub event_name: String,
    pub event_source: String,
    pub cloudtrail_event: String,
}

/// One message from the fast path's queue (SQS): its body is untrusted text, an EventBridge
/// envelope when all is well; the receipt handle is what deletes it.
/// The queues of secretwatch's own that the dashboard reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feed {
    /// The fast path: an EventBridge rule sends each read, in its envelope.
    FastPath,
    /// The trail's log files: a notification per file the trail writes to its bucket.
    TrailFiles,
    /// The alarm's messages: the queue of secretwatch's own subscribed to its topic, where a
    /// trace sees the notification arrive.
    AlarmMessages,
}

/// A record of the trail's log group that holds a marker (FilterLogEvents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    /// When CloudWatch Logs took it in.
    pub ingested_at: DateTime<Utc>,
    pub event_id: Option<String>,
    /// The record's user agent, where it could be read: a marker is a whole token of it.
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueMessage {
    pub id: String,
    pub receipt: String,
    pub body: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventPage {
    pub records: Vec<TrailRecord>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Statistic {
    Sum,
    Average,
    SampleCount,
    Minimum,
    Maximum,
}

impl Statistic {
    pub fn as_str(self) -> &'static str {
        match self {
            Statistic::Sum => "Sum",
            Statistic::Average => "Average",
            Statistic::SampleCount => "SampleCount",
            Statistic::Minimum => "Minimum",
            Statistic::Maximum => "Maximum",
        }
    }
}

/// A region of the account and its opt-in status as the Account API says it
/// (`ENABLED_BY_DEFAULT`, `ENABLED`, `ENABLING`, `DISABLING`, `DISABLED`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionState {
    pub name: String,
    pub opt_status: String,
}

impl RegionState {
    /// Whether calls can be made there.
    pub fn enabled(&self) -> bool {
        matches!(self.opt_status.as_str(), "ENABLED" | "ENABLED_BY_DEFAULT")
    }
}

/// An account of the organization, as ListAccounts says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgAccount {
    pub id: String,
    pub name: String,
    /// Not suspended or leaving.
    pub active: bool,
}

/// A CloudWatch metric: its namespace, name and dimensions (a metric with other
/// dimensions, or none, is another metric).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct MetricId {
    pub namespace: String,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Dimension>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Dimension {
    pub name: String,
    pub value: String,
}

impl MetricId {
    /// A metric without dimensions, as a metric filter emits by default.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            name: name.into(),
            dimensions: Vec::new(),
        }
    }

    /// The same with one more dimension; kept sorted, as CloudWatch compares them.
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.dimensions.push(Dimension {
            name: name.into(),
            value: value.into(),
        });
        self.dimensions.sort();
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MetricQuery {
    pub metric: MetricId,
    pub statistic: Statistic,
    pub period: Duration,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// One aggregated datapoint: the statistic over the period starting at `time`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MetricPoint {
    pub time: DateTime<Utc>,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlarmState {
    Ok,
    Alarm,
    InsufficientData,
}

impl AlarmState {
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmState::Ok => "OK",
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparison {
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
}

impl Comparison {
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => value >= threshold,
            Comparison::GreaterThanThreshold => value > threshold,
            Comparison::LessThanThreshold => value < threshold,
            Comparison::LessThanOrEqualToThreshold => value <= threshold,
        }
    }

    /// The name AWS gives it, as in PutMetricAlarm's ComparisonOperator.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            Comparison::GreaterThanThreshold => "GreaterThanThreshold",
            Comparison::LessThanThreshold => "LessThanThreshold",
            Comparison::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::GreaterThanOrEqualToThreshold => ">=",
            Comparison::GreaterThanThreshold => ">",
            Comparison::LessThanThreshold => "<",
            Comparison::LessThanOrEqualToThreshold => "<=",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TreatMissing {
    Breaching,
    NotBreaching,
    Ignore,
    Missing,
}

impl TreatMissing {
    /// The name AWS gives it, as in PutMetricAlarm's TreatMissingData.
    pub fn as_str(self) -> &'static str {
        match self {
            TreatMissing::Breaching => "breaching",
            TreatMissing::NotBreaching => "notBreaching",
            TreatMissing::Ignore => "ignore",
            TreatMissing::Missing => "missing",
        }
    }
}

/// An alarm as DescribeAlarms shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alarm {
    pub name: String,
    pub state: AlarmState,
    pub reason: String,
    pub state_since: DateTime<Utc>,
    pub metric: MetricId,
    pub statistic: Statistic,
    #[serde(with = "secs")]
    pub period: Duration,
    pub threshold: f64,
    pub comparison: Comparison,
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: u32,
    pub treat_missing: TreatMissing,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
}

#[cfg(test)]
impl Alarm {
    /// The chain's alarm as setup makes it (Sum ≥ 1 over 60 s, 1 of 1), for tests to change.
    pub fn sample() -> Alarm {
        Alarm {
            name: "SecretIsAccessed-alarm".into(),
            state: AlarmState::Ok,
            reason: String::new(),
            state_since: DateTime::<Utc>::UNIX_EPOCH,
            metric: MetricId::new("SecurityMetrics", "SecretIsAccessed"),
            statistic: Statistic::Sum,
            period: Duration::from_secs(60),
            threshold: 1.0,
            comparison: Comparison::GreaterThanOrEqualToThreshold,
            evaluation_periods: 1,
            datapoints_to_alarm: 1,
            treat_missing: TreatMissing::NotBreaching,
            actions_enabled: true,
            alarm_actions: Vec::new(),
        }
    }
}

/// One state change from the alarm's history.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct AlarmTransition {
    pub alarm: String,
    pub time: DateTime<Utc>,
    pub from: AlarmState,
    pub to: AlarmState,
    pub reason: String,
}

/// What a test access returns: metadata only; the value never leaves the adapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestAccess {
    pub secret_arn: String,
    pub version_id: String,
    pub fired_at: DateTime<Utc>,
    /// Marker carried in the user agent so the matching CloudTrail event can be recognised.
    pub marker: String,
}

/// A message that reached a subscriber (the embedded account's inbox).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Notification {
    pub id: String,
    pub time: DateTime<Utc>,
    pub topic: String,
    pub endpoint: String,
    pub subject: String,
}

mod secs {
    use serde::Serializer;
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_secs())
    }
}
