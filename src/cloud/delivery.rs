//! What AWS counts of deliveries to secretwatch's queues, in CloudWatch: the messages
//! each queue received (SQS's NumberOfMessagesSent) and the fast path rule's deliveries
//! that failed (EventBridge's FailedInvocations). Configuration can look right while
//! nothing arrives (a queue encrypted with a key EventBridge may not use, a topic that
//! cannot deliver); these counts are how the doctor sees that messages actually arrive.

use super::types::{MetricId, MetricQuery, Statistic};
use super::{Cloud, CloudError};
use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;

/// How far back the doctor looks.
pub const WINDOW_HOURS: i64 = 24;

/// SQS's count of the messages a queue received, from any sender.
pub fn messages_sent(queue: &str) -> MetricId {
    MetricId::new("AWS/SQS", "NumberOfMessagesSent").dimension("QueueName", queue)
}

/// EventBridge's count of a rule's deliveries its target refused or could not take (a rule
/// on the default event bus has the rule's name as its only dimension).
pub fn failed_invocations(rule: &str) -> MetricId {
    MetricId::new("AWS/Events", "FailedInvocations").dimension("RuleName", rule)
}

/// The Sum of `metric` over the last `WINDOW_HOURS` hours; None when CloudWatch has no
/// datapoint at all (SQS publishes nothing for a queue with no activity).
pub async fn recent_sum(
    cloud: &dyn Cloud,
    metric: MetricId,
    now: DateTime<Utc>,
) -> Result<Option<f64>, CloudError> {
    let query = MetricQuery {
        metric,
        statistic: Statistic::Sum,
        period: Duration::from_secs(3600),
        start: now - TimeDelta::hours(WINDOW_HOURS),
        end: now,
    };
    let points = cloud.metric_series(&query).await?;
    Ok((!points.is_empty()).then(|| points.iter().map(|p| p.value).sum()))
}
