//! What each link of the alert chain looks like, as the account describes it: the
//! evidence the doctor reasons over. Own types; adapters convert at their edge.

use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretInfo {
    pub name: String,
    pub arn: String,
}

/// Which management events a trail records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Selectors {
    /// Basic event selectors: the read/write type and whether management events are in.
    Basic {
        read_write: String,
        include_management_events: bool,
    },
    /// Advanced event selectors, summarised (the doctor cannot judge them yet).
    Advanced { summary: String },
    /// The trail has no selector: it records every management event.
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrailInfo {
    pub name: String,
    pub arn: String,
    pub home_region: String,
    pub multi_region: bool,
    /// The S3 bucket its log files go to, under `key_prefix/` when it has one.
    pub bucket: String,
    pub key_prefix: Option<String>,
    /// An organization trail: its files sit under `AWSLogs/o-ORGID/ACCOUNT/`.
    pub organization: bool,
    pub is_logging: bool,
    pub selectors: Selectors,
    pub log_group_arn: Option<String>,
    pub logs_role_arn: Option<String>,
    pub latest_logs_delivery: Option<DateTime<Utc>>,
    pub latest_logs_delivery_error: Option<String>,
    /// The trail's own SNS notification (one message per log file delivered).
    pub sns_topic: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogGroupInfo {
    pub name: String,
    pub arn: String,
    pub retention_days: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricTransformation {
    pub namespace: String,
    pub name: String,
    /// As CloudWatch Logs keeps it: "1", or a selector like "$.bytes".
    pub value: String,
    pub default_value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricFilterInfo {
    pub name: String,
    pub log_group: String,
    pub pattern: String,
    pub transformations: Vec<MetricTransformation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubscriptionInfo {
    pub protocol: String,
    pub endpoint: String,
    /// False while the subscriber has not confirmed (SubscriptionArn "PendingConfirmation").
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicInfo {
    pub arn: String,
    /// The topic's access policy (JSON), when it has one.
    pub policy: Option<String>,
    pub subscriptions: Vec<SubscriptionInfo>,
}

/// An IAM role as setup reads it before touching it: its trust policy and its inline
/// policies, as documents (decoded from IAM's URL encoding).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleInfo {
    pub name: String,
    pub arn: String,
    pub trust: serde_json::Value,
    /// Inline policies: name and document.
    pub inline: Vec<(String, serde_json::Value)>,
}

/// An EventBridge rule on the default bus, with the ARNs of its targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub name: String,
    pub arn: String,
    /// `ENABLED`, `DISABLED`, `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`, as read.
    pub state: String,
    pub event_pattern: Option<String>,
    pub targets: Vec<String>,
}

/// An SQS queue with what the doctor judges: its policy, and how many messages wait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueInfo {
    pub name: String,
    pub arn: String,
    pub policy: Option<String>,
    /// ApproximateNumberOfMessages: waiting, not yet received.
    pub waiting: Option<u64>,
}

/// `arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*` → NAME.
pub fn log_group_name(arn: &str) -> Option<&str> {
    let rest = arn.split_once(":log-group:")?.1;
    Some(rest.strip_suffix(":*").unwrap_or(rest))
}

/// The scope an ARN belongs to: `arn:PARTITION:SERVICE:REGION:ACCOUNT:…` → (ACCOUNT,
/// REGION); None when either is missing (IAM's ARNs have no region).
pub fn arn_scope(arn: &str) -> Option<crate::cloud::scope::Scope> {
    let mut parts = arn.split(':');
    if parts.next() != Some("arn") {
        return None;
    }
    let (region, account) = (parts.nth(2)?, parts.next()?);
    if region.is_empty() || account.is_empty() {
        return None;
    }
    Some(crate::cloud::scope::Scope::new(account, region))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_scope_reads_account_and_region() {
        let scope = arn_scope("arn:aws:logs:eu-west-1:123456789012:log-group:g:*").expect("an ARN");
        assert_eq!(
            (scope.account.as_str(), scope.region.as_str()),
            ("123456789012", "eu-west-1")
        );
        assert_eq!(arn_scope("arn:aws:iam::123456789012:role/r"), None);
        assert_eq!(arn_scope("not an arn"), None);
        assert_eq!(arn_scope("arn:aws"), None);
    }
}
