//! The names of the chain's resources in the account, and the pattern that counts an
//! access: what the doctor checks, setup creates, the engine polls and the config names.

use crate::cloud::types::MetricId;
use std::time::Duration;

/// Names of the chain's resources (DESIGN.md's defaults).
#[derive(Debug, Clone)]
pub struct ChainNames {
    pub secret: String,
    pub trail: String,
    pub log_group: String,
    pub metric_filter: String,
    pub metric: MetricId,
    pub alarm: String,
    pub topic: String,
    pub email: String,
    pub alarm_period: Duration,
}

impl Default for ChainNames {
    fn default() -> Self {
        Self {
            secret: "TopSecretInfo".into(),
            trail: "secretwatch-trail".into(),
            log_group: "secretwatch/cloudtrail".into(),
            metric_filter: "SecretIsAccessed".into(),
            metric: MetricId {
                namespace: "SecurityMetrics".into(),
                name: "SecretIsAccessed".into(),
            },
            alarm: "SecretIsAccessed-alarm".into(),
            topic: "SecurityAlarms".into(),
            email: "security-team@example.com".into(),
            alarm_period: Duration::from_secs(60),
        }
    }
}

pub const ACCESS_PATTERN: &str =
    r#"{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }"#;
