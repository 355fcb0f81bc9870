//! The mutating half of the port: what setup needs to build the alert chain, and the
//! alarm reset an acknowledgement may ask for. Kept
//! apart from `Cloud`, so that read-only use never holds a handle that can change
//! the account.

use super::CloudError;
use crate::cloud::queue_policy::Sender;
use crate::cloud::types::{Comparison, MetricId, Statistic, TreatMissing};
use async_trait::async_trait;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailSpec {
    pub name: String,
    pub bucket: String,
    pub log_group_arn: String,
    pub role_arn: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MetricFilterSpec {
    pub name: String,
    pub log_group: String,
    pub pattern: String,
    pub metric: MetricId,
    pub value: f64,
    pub default_value: f64,
}

impl MetricFilterSpec {
    /// The error of a put refused because `self.name` is taken by a filter that emits
    /// something else.
    pub fn name_taken(&self) -> CloudError {
        CloudError::new(
            "PutMetricFilter",
            super::ErrorKind::InvalidInput,
            format!(
                "a metric filter named {} on {} exists and counts something else: not \
                 replaced (run setup again to plan another name)",
                self.name, self.log_group
            ),
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlarmSpec {
    pub name: String,
    pub metric: MetricId,
    pub statistic: Statistic,
    pub period: Duration,
    pub threshold: f64,
    pub comparison: Comparison,
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: u32,
    pub treat_missing: TreatMissing,
    pub topic_arn: String,
}

/// What setup changes on a trail of ours that exists and delivers where it should:
/// logging back on, and management reads recorded (its other selectors kept).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrailFix {
    pub start_logging: bool,
    /// What its selectors record now, in words, when they miss management reads.
    pub record_reads: Option<String>,
}

/// What setup changes on a metric filter that exists and emits the chain's metric,
/// under whatever name it has: only what the doctor found wrong, each as (before,
/// after). PutMetricFilter replaces a filter whole, so it is read and written back
/// with everything else it has (its name, pattern when right, other transformations,
/// unit, dimensions) kept.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricFilterFix {
    /// Its own name, kept.
    pub name: String,
    pub log_group: String,
    /// The transformation changed: the one emitting this metric.
    pub metric: MetricId,
    /// When it misses a read, counts other events, or is not valid.
    pub pattern: Option<(String, String)>,
    /// As CloudWatch Logs keeps it ("2", "$.count").
    pub value: Option<(String, String)>,
    pub default_value: Option<(Option<f64>, f64)>,
}

// Default values are never NaN (JSON has none), so equality is total here.
impl Eq for MetricFilterFix {}

impl MetricFilterFix {
    pub fn is_empty(&self) -> bool {
        self.pattern.is_none() && self.value.is_none() && self.default_value.is_none()
    }
}

/// What setup changes on an alarm that exists: only the settings the doctor found
/// wrong, each as (before, after). Everything else the alarm has (its other actions,
/// OK and insufficient-data actions, description, period, datapoints, missing-data
/// treatment, tags) is kept as it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlarmFix {
    pub metric: Option<(MetricId, MetricId)>,
    pub statistic: Option<(Statistic, Statistic)>,
    pub threshold: Option<((Comparison, f64), (Comparison, f64))>,
    pub enable_actions: bool,
    /// The alarm actions it has now, all kept.
    pub kept_actions: Vec<String>,
    /// Whether the chain's topic is added to them (it is not among them yet).
    pub add_topic: bool,
}

// Thresholds are never NaN (CloudWatch refuses one), so equality is total here.
impl Eq for AlarmFix {}

impl AlarmFix {
    pub fn is_empty(&self) -> bool {
        self.metric.is_none()
            && self.statistic.is_none()
            && self.threshold.is_none()
            && !self.enable_actions
            && !self.add_topic
    }
}

/// Every call is idempotent: creating what exists leaves it as it is (or brings it to
/// the spec, for `put_*`).
#[async_trait]
pub trait ChainAdmin: Send + Sync + 'static {
    async fn create_secret(&self, name: &str) -> Result<(), CloudError>;
    /// The S3 bucket the trail writes to, with a policy that lets CloudTrail write.
    async fn ensure_trail_bucket(&self, bucket: &str) -> Result<(), CloudError>;
    /// The role CloudTrail assumes to write to the log group, created if missing; on a
    /// role that exists, only what it lacks is added (CloudTrail's trust statement, the
    /// delivery statement in setup's inline policy), everything else kept. Returns its ARN.
    async fn ensure_logs_role(&self, role: &str, log_group_arn: &str)
    -> Result<String, CloudError>;
    /// Creates the log group if missing; returns its ARN.
    async fn ensure_log_group(&self, name: &str, retention_days: i32)
    -> Result<String, CloudError>;
    /// Creates or updates the trail, records management events (Read and Write), logging on.
    async fn put_trail(&self, spec: &TrailSpec) -> Result<(), CloudError>;
    /// Changes on the existing trail `name` only what `fix` says.
    async fn fix_trail(&self, name: &str, fix: &TrailFix) -> Result<(), CloudError>;
    /// Creates the filter `spec.name`, or brings one of that name that emits
    /// `spec.metric` to the spec. A filter of that name that emits anything else is
    /// someone's: it is never replaced (PutMetricFilter would), the call fails instead.
    async fn put_metric_filter(&self, spec: &MetricFilterSpec) -> Result<(), CloudError>;
    /// Changes on the existing filter `fix.name` only what `fix` says (the after
    /// values); keeps its name and everything else it has.
    async fn update_metric_filter(&self, fix: &MetricFilterFix) -> Result<(), CloudError>;
    /// Creates the topic if missing; returns its ARN.
    async fn ensure_topic(&self, name: &str) -> Result<String, CloudError>;
    async fn subscribe_email(&self, topic_arn: &str, email: &str) -> Result<(), CloudError>;
    async fn put_alarm(&self, spec: &AlarmSpec) -> Result<(), CloudError>;
    /// Changes on the existing alarm `name` only what `fix` says (the after values),
    /// adding `topic_arn` to its actions when `fix.add_topic`; keeps everything else.
    async fn update_alarm(
        &self,
        name: &str,
        fix: &AlarmFix,
        topic_arn: Option<&str>,
    ) -> Result<(), CloudError>;
    /// Creates the EventBridge rule `name` on the default bus, or brings the one of that
    /// name to `pattern` and `state` (its targets and tags kept). Returns its ARN.
    async fn put_fast_path_rule(
        &self,
        name: &str,
        pattern: &str,
        state: &str,
    ) -> Result<String, CloudError>;
    /// Creates the queue if missing and gives its policy the statement that lets `sender`
    /// send, every other statement kept. Returns the queue's ARN.
    async fn ensure_queue(&self, name: &str, sender: &Sender) -> Result<String, CloudError>;
    /// Subscribes the queue to the topic (SNS's envelope kept: not raw delivery).
    async fn subscribe_queue(&self, topic_arn: &str, queue_arn: &str) -> Result<(), CloudError>;
    /// Adds to the bucket's event notifications one that sends each object created under
    /// `AWSLogs/` to the queue, every other notification kept.
    async fn notify_queue(&self, bucket: &str, queue_arn: &str) -> Result<(), CloudError>;
    /// Adds the queue as a target of the rule (its other targets kept).
    async fn target_rule(&self, rule: &str, queue_arn: &str) -> Result<(), CloudError>;
    /// SetAlarmState to OK, with `reason` (an acknowledgement that resets the alarm).
    async fn reset_alarm(&self, alarm: &str, reason: &str) -> Result<(), CloudError>;
}
