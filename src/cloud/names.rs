//! The names of the chain's resources in the account, and the pattern that counts an
//! access: what the doctor checks, setup creates, the engine polls and the config names
//! (its `[names]` table deserializes into [`ChainNames`]).

use crate::cloud::types::MetricId;
use serde::{Deserialize, Deserializer};
use std::time::Duration;

/// Names of the chain's resources. `Default` is the embedded account's (a 60 s alarm);
/// [`ChainNames::on_aws`] is the config's default (300 s, as the classic setup has it).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default = "ChainNames::on_aws")]
pub struct ChainNames {
    pub secret: String,
    pub trail: String,
    pub log_group: String,
    pub metric_filter: String,
    pub metric_namespace: String,
    pub metric_name: String,
    pub alarm: String,
    pub topic: String,
    /// The queue of secretwatch's own that an EventBridge rule feeds with the reads: the
    /// fast path.
    pub fast_path_queue: String,
    /// The EventBridge rule that feeds it.
    pub fast_path_rule: String,
    /// The queue of secretwatch's own notified of each log file the trail writes.
    pub trail_file_queue: String,
    /// The queue of secretwatch's own subscribed to the alarm's topic: where a trace sees
    /// the notification arrive.
    pub alarm_queue: String,
    /// Who the embedded account's topic notifies; setup's address is `setup.email`.
    #[serde(skip)]
    pub email: String,
    #[serde(rename = "alarm_period_secs", deserialize_with = "seconds")]
    pub alarm_period: Duration,
}

impl Default for ChainNames {
    fn default() -> Self {
        Self {
            secret: "TopSecretInfo".into(),
            trail: "secretwatch-trail".into(),
            log_group: "secretwatch/cloudtrail".into(),
            metric_filter: "SecretIsAccessed".into(),
            metric_namespace: "SecurityMetrics".into(),
            metric_name: "SecretIsAccessed".into(),
            alarm: "SecretIsAccessed-alarm".into(),
            topic: "SecurityAlarms".into(),
            fast_path_queue: "secretwatch-access-events".into(),
            fast_path_rule: "secretwatch-secret-reads".into(),
            trail_file_queue: "secretwatch-trail-files".into(),
            alarm_queue: "secretwatch-alarm-messages".into(),
            email: "security-team@example.com".into(),
            alarm_period: Duration::from_secs(60),
        }
    }
}

impl ChainNames {
    /// The defaults on AWS: the same names, with the alarm's period at 300 s.
    pub fn on_aws() -> Self {
        Self {
            alarm_period: Duration::from_secs(300),
            ..Self::default()
        }
    }

    /// The metric the filter emits and the alarm watches.
    pub fn metric(&self) -> MetricId {
        MetricId::new(self.metric_namespace.clone(), self.metric_name.clone())
    }
}

fn seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    u64::deserialize(deserializer).map(Duration::from_secs)
}

pub const ACCESS_PATTERN: &str =
    r#"{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }"#;
