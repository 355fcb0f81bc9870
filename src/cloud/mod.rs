//! The port: what secretwatch asks of an AWS account, in the domain's words.
//! Two adapters implement it: `sim` (the embedded account) and `aws` (aws-sdk).

pub mod admin;
pub mod alarm_message;
pub mod aws;
pub mod delivery;
pub mod fast_path;
pub mod links;
pub mod logs_role;
pub mod names;
pub mod operations;
pub mod policy_doc;
pub mod queue_policy;
pub mod scope;
pub mod secret_ref;
pub mod sim;
pub mod types;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use links::{
    LogGroupInfo, MetricFilterInfo, QueueInfo, RoleInfo, RuleInfo, SecretInfo, TopicInfo, TrailInfo,
};
use std::fmt;
use std::time::Duration;
use types::{
    Alarm, AlarmTransition, EventPage, EventQuery, Feed, Identity, MetricPoint, MetricQuery,
    Notification, QueueMessage, TestAccess,
};

#[async_trait]
pub trait Cloud: Send + Sync + 'static {
    /// Who we are: account, region, caller.
    async fn identity(&self) -> Result<Identity, CloudError>;
    /// The account's regions and whether each is on (the Account API's ListRegions).
    async fn regions(&self) -> Result<Vec<types::RegionState>, CloudError>;
    /// The accounts of the organization (Organizations' ListAccounts, from its management
    /// account or a delegated administrator).
    async fn organization_accounts(&self) -> Result<Vec<types::OrgAccount>, CloudError>;
    /// One page of CloudTrail event history (LookupEvents), newest first.
    async fn lookup_events(&self, query: &EventQuery) -> Result<EventPage, CloudError>;
    /// The statistic per period over the window, oldest first; periods without data are absent.
    async fn metric_series(&self, query: &MetricQuery) -> Result<Vec<MetricPoint>, CloudError>;
    /// The alarm, or None when it does not exist.
    async fn describe_alarm(&self, name: &str) -> Result<Option<Alarm>, CloudError>;
    /// State changes since `since`, newest first.
    async fn alarm_history(
        &self,
        name: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<AlarmTransition>, CloudError>;
    /// Reads the secret once (GetSecretValue) with `marker` in the user agent; returns only
    /// metadata. The value is dropped inside the adapter.
    async fn fire_test_access(&self, secret: &str, marker: &str) -> Result<TestAccess, CloudError>;
    // The alert chain, link by link: what the doctor reads.

    /// The secret (DescribeSecret), None when it does not exist.
    async fn describe_secret(&self, id: &str) -> Result<Option<SecretInfo>, CloudError>;
    /// The trails of this region (and multi-region ones), with status and selectors.
    async fn trails(&self) -> Result<Vec<TrailInfo>, CloudError>;
    async fn log_group(&self, name: &str) -> Result<Option<LogGroupInfo>, CloudError>;
    async fn metric_filters(&self, log_group: &str) -> Result<Vec<MetricFilterInfo>, CloudError>;
    /// Indices of `events` (JSON log messages) that `pattern` matches (TestMetricFilter).
    async fn test_metric_filter(
        &self,
        pattern: &str,
        events: &[String],
    ) -> Result<Vec<usize>, CloudError>;
    /// The topic with its policy and subscriptions, None when it does not exist.
    async fn topic(&self, arn: &str) -> Result<Option<TopicInfo>, CloudError>;
    /// The IAM role with its trust and inline policies, None when it does not exist.
    /// Setup's plan reads it; the dashboard and the doctor do not.
    async fn role(&self, name: &str) -> Result<Option<RoleInfo>, CloudError>;

    /// The EventBridge rule of that name on the default bus with its targets, None when
    /// it does not exist.
    async fn event_rule(&self, name: &str) -> Result<Option<RuleInfo>, CloudError>;
    /// Whether `event` (JSON, as EventBridge delivers it) matches `pattern`
    /// (TestEventPattern).
    async fn test_event_pattern(&self, pattern: &str, event: &str) -> Result<bool, CloudError>;
    /// The queue of that name with its policy, None when it does not exist.
    async fn queue(&self, name: &str) -> Result<Option<QueueInfo>, CloudError>;
    /// The queues the bucket's event notifications send each object created to.
    async fn bucket_queues(&self, bucket: &str) -> Result<Vec<String>, CloudError>;

    /// Up to `max` messages from the queue of `feed` (the fast path's, fed by an
    /// EventBridge rule with the account's Secrets Manager reads; or the one notified of
    /// each trail log file), waiting up to `wait` for the first (a long poll). A message
    /// received and not deleted comes back later (at least once). `Unsupported` where that
    /// queue is not set up.
    async fn receive(
        &self,
        feed: Feed,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<QueueMessage>, CloudError>;
    /// Deletes messages received from `feed`'s queue, by their receipt handles.
    async fn delete_received(&self, feed: Feed, receipts: &[String]) -> Result<(), CloudError>;
    /// The records of the log group `group` ingested since `since` that hold `text`
    /// (FilterLogEvents with the text as a quoted term): how a trace sees its read reach
    /// the log group.
    async fn log_records(
        &self,
        group: &str,
        text: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<types::LogRecord>, CloudError>;
    /// Live Tail on the log group `group` for `text` (a quoted term), up to `wait`: the
    /// records holding it that the first update with any brings; empty when none came in
    /// time or there is no such group. `Unsupported` where the endpoint has no Live Tail.
    async fn live_tail(
        &self,
        _group: &str,
        _text: &str,
        _wait: Duration,
    ) -> Result<Vec<types::LogRecord>, CloudError> {
        Err(CloudError::new(
            "StartLiveTail",
            ErrorKind::Unsupported,
            "no Live Tail here",
        ))
    }
    /// The keys of the objects in `bucket` under `prefix` (ListObjectsV2), as listed.
    async fn list_log_files(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, CloudError>;
    /// The folders right under `prefix` (ListObjectsV2 with the delimiter `/`), each as a
    /// prefix ending in `/`.
    async fn list_folders(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, CloudError>;
    /// A trail log file's bytes as stored (GetObject), at most `max` of them: a larger
    /// object is refused (`InvalidInput`) unread.
    async fn log_file(&self, bucket: &str, key: &str, max: u64) -> Result<Vec<u8>, CloudError>;

    /// Messages delivered to subscribers since `since`. Only an account that can see its
    /// subscribers' inboxes (the embedded one) supports this.
    async fn notifications(&self, _since: DateTime<Utc>) -> Result<Vec<Notification>, CloudError> {
        Err(CloudError::new(
            "ListNotifications",
            ErrorKind::Unsupported,
            "subscriber inboxes are only visible in the embedded account",
        ))
    }
}

/// What went wrong, sorted by what the caller should do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Slow down and retry later.
    Throttled,
    /// The thing asked for does not exist.
    NotFound,
    AccessDenied,
    /// The endpoint does not implement the operation.
    Unsupported,
    /// No answer: connection refused or reset, timeout, outage.
    Unreachable,
    /// The service answered with an error (5xx or an unexpected code).
    Service,
    Credentials,
    InvalidInput,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CloudError {
    pub operation: &'static str,
    pub kind: ErrorKind,
    pub message: String,
}

/// The operation of an error found before any call (no region, no such profile): its
/// message says it all, with no operation or kind in front.
pub const CONFIGURATION: &str = "configuration";

impl CloudError {
    pub fn new(operation: &'static str, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            operation,
            kind,
            message: message.into(),
        }
    }

    pub fn is_throttle(&self) -> bool {
        self.kind == ErrorKind::Throttled
    }

    /// One line: the operation, the kind, and the first line of the message, cut short.
    pub fn short(&self) -> String {
        let first = self.message.lines().next().unwrap_or_default();
        let first = first.trim_end_matches(" Attempted:");
        let cut: String = first.chars().take(120).collect();
        let more = if cut.len() < first.len() { "…" } else { "" };
        if self.operation == CONFIGURATION {
            return format!("{cut}{more}");
        }
        format!("{} {}: {cut}{more}", self.operation, self.kind_text())
    }

    fn kind_text(&self) -> &'static str {
        match self.kind {
            ErrorKind::Throttled => "throttled",
            ErrorKind::NotFound => "not found",
            ErrorKind::AccessDenied => "access denied",
            ErrorKind::Unsupported => "not supported",
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::Service => "service error",
            ErrorKind::Credentials => "no valid credentials",
            ErrorKind::InvalidInput => "invalid input",
        }
    }

    /// What the person at the keyboard can do about it.
    pub fn hint(&self) -> Option<String> {
        match self.kind {
            ErrorKind::Credentials => Some(
                "run `aws sso login` (SSO) or `aws configure`, or pick a profile with --profile"
                    .into(),
            ),
            ErrorKind::AccessDenied => Some(match operations::iam_actions(self.operation) {
                Some(actions) => format!(
                    "the caller may not call {}: grant {}",
                    self.operation,
                    actions.join(" and ")
                ),
                None => format!("the caller may not call {}", self.operation),
            }),
            ErrorKind::Unreachable => {
                Some("check the network, the region and --endpoint-url / AWS_ENDPOINT_URL".into())
            }
            ErrorKind::Throttled => Some("secretwatch backs off and tries again".into()),
            _ => None,
        }
    }
}

/// A backend that could not be set up: every call reports why, so the dashboard
/// still opens and says so in each pane.
pub struct Disconnected {
    pub error: CloudError,
}

#[async_trait]
impl Cloud for Disconnected {
    async fn identity(&self) -> Result<Identity, CloudError> {
        Err(self.error.clone())
    }
    async fn regions(&self) -> Result<Vec<types::RegionState>, CloudError> {
        Err(self.error.clone())
    }
    async fn organization_accounts(&self) -> Result<Vec<types::OrgAccount>, CloudError> {
        Err(self.error.clone())
    }
    async fn lookup_events(&self, _: &EventQuery) -> Result<EventPage, CloudError> {
        Err(self.error.clone())
    }
    async fn metric_series(&self, _: &MetricQuery) -> Result<Vec<MetricPoint>, CloudError> {
        Err(self.error.clone())
    }
    async fn describe_alarm(&self, _: &str) -> Result<Option<Alarm>, CloudError> {
        Err(self.error.clone())
    }
    async fn alarm_history(
        &self,
        _: &str,
        _: DateTime<Utc>,
    ) -> Result<Vec<AlarmTransition>, CloudError> {
        Err(self.error.clone())
    }
    async fn fire_test_access(&self, _: &str, _: &str) -> Result<TestAccess, CloudError> {
        Err(self.error.clone())
    }
    async fn describe_secret(&self, _: &str) -> Result<Option<SecretInfo>, CloudError> {
        Err(self.error.clone())
    }
    async fn trails(&self) -> Result<Vec<TrailInfo>, CloudError> {
        Err(self.error.clone())
    }
    async fn log_group(&self, _: &str) -> Result<Option<LogGroupInfo>, CloudError> {
        Err(self.error.clone())
    }
    async fn metric_filters(&self, _: &str) -> Result<Vec<MetricFilterInfo>, CloudError> {
        Err(self.error.clone())
    }
    async fn test_metric_filter(&self, _: &str, _: &[String]) -> Result<Vec<usize>, CloudError> {
        Err(self.error.clone())
    }
    async fn topic(&self, _: &str) -> Result<Option<TopicInfo>, CloudError> {
        Err(self.error.clone())
    }
    async fn role(&self, _: &str) -> Result<Option<RoleInfo>, CloudError> {
        Err(self.error.clone())
    }
    async fn event_rule(&self, _: &str) -> Result<Option<RuleInfo>, CloudError> {
        Err(self.error.clone())
    }
    async fn test_event_pattern(&self, _: &str, _: &str) -> Result<bool, CloudError> {
        Err(self.error.clone())
    }
    async fn queue(&self, _: &str) -> Result<Option<QueueInfo>, CloudError> {
        Err(self.error.clone())
    }
    async fn bucket_queues(&self, _: &str) -> Result<Vec<String>, CloudError> {
        Err(self.error.clone())
    }
    // Not the connection's error: a backend that could not be set up has no queues, and
    // the events source already says why it cannot see.
    async fn receive(
        &self,
        feed: Feed,
        _: usize,
        _: Duration,
    ) -> Result<Vec<QueueMessage>, CloudError> {
        Err(not_set_up(feed, "not connected"))
    }
    async fn delete_received(&self, feed: Feed, _: &[String]) -> Result<(), CloudError> {
        Err(not_set_up(feed, "not connected"))
    }
    async fn log_file(&self, _: &str, _: &str, _: u64) -> Result<Vec<u8>, CloudError> {
        Err(self.error.clone())
    }
    async fn list_log_files(&self, _: &str, _: &str) -> Result<Vec<String>, CloudError> {
        Err(self.error.clone())
    }
    async fn log_records(
        &self,
        _: &str,
        _: &str,
        _: DateTime<Utc>,
    ) -> Result<Vec<types::LogRecord>, CloudError> {
        Err(self.error.clone())
    }
    async fn list_folders(&self, _: &str, _: &str) -> Result<Vec<String>, CloudError> {
        Err(self.error.clone())
    }
}

/// What an account without `feed`'s queue answers: nothing to poll, and no failure.
pub fn not_set_up(feed: Feed, why: &str) -> CloudError {
    let what = match feed {
        Feed::FastPath => "fast path",
        Feed::TrailFiles => "trail-file queue",
        Feed::AlarmMessages => "queue on the alarm's topic",
    };
    CloudError::new(
        "ReceiveMessage",
        ErrorKind::Unsupported,
        format!("no {what} set up: {why}"),
    )
}

impl fmt::Display for CloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.operation == CONFIGURATION {
            return f.write_str(&self.message);
        }
        write!(
            f,
            "{} {}: {}",
            self.operation,
            self.kind_text(),
            self.message
        )
    }
}
