//! The embedded account describing its chain, in the shapes the real APIs answer
//! with (DescribeSecret, DescribeTrails + GetTrailStatus + GetEventSelectors,
//! DescribeLogGroups, DescribeMetricFilters, TestMetricFilter, GetTopicAttributes).

use super::trail::ReadWriteType;
use super::world::World;
use crate::cloud::links::{
    LogGroupInfo, MetricFilterInfo, MetricTransformation, SecretInfo, Selectors, SubscriptionInfo,
    TopicInfo, TrailInfo,
};
use crate::cloud::{CloudError, ErrorKind};
use crate::filter_pattern::FilterPattern;

pub fn secret(w: &World, id: &str) -> Option<SecretInfo> {
    w.secret(id).map(|s| SecretInfo {
        name: s.name.clone(),
        arn: s.arn.clone(),
    })
}

pub fn log_group_arn(w: &World, name: &str) -> String {
    w.arn("logs", &format!("log-group:{name}:*"))
}

pub fn trails(w: &World) -> Vec<TrailInfo> {
    w.trails
        .iter()
        .map(|t| TrailInfo {
            key_prefix: None,
            organization: t.organization,
            name: t.name.clone(),
            arn: w.arn("cloudtrail", &format!("trail/{}", t.name)),
            home_region: w.region.clone(),
            multi_region: false,
            bucket: t.bucket.clone(),
            is_logging: t.logging,
            selectors: Selectors::Basic {
                read_write: match t.read_write {
                    ReadWriteType::ReadOnly => "ReadOnly",
                    ReadWriteType::WriteOnly => "WriteOnly",
                    ReadWriteType::All => "All",
                }
                .into(),
                include_management_events: t.include_management_events,
            },
            log_group_arn: t.log_group.as_deref().map(|g| log_group_arn(w, g)),
            logs_role_arn: t
                .log_group
                .as_ref()
                .map(|_| w.iam_arn(&format!("role/{}", crate::cloud::logs_role::ROLE))),
            latest_logs_delivery: t.latest_logs_delivery,
            latest_logs_delivery_error: match (&t.log_group, t.logs_role_ok) {
                (Some(g), _) if !w.logs.groups.iter().any(|x| &x.name == g) => {
                    Some("ResourceNotFoundException: the log group does not exist".into())
                }
                (Some(_), false) => Some(
                    "AccessDeniedException: CloudTrail cannot assume the role to write logs".into(),
                ),
                _ => None,
            },
            sns_topic: t.sns_topic.clone(),
        })
        .collect()
}

pub fn log_group(w: &World, name: &str) -> Option<LogGroupInfo> {
    w.logs
        .groups
        .iter()
        .find(|g| g.name == name)
        .map(|g| LogGroupInfo {
            name: g.name.clone(),
            arn: log_group_arn(w, &g.name),
            retention_days: g.retention_days,
        })
}

pub fn metric_filters(w: &World, group: &str) -> Vec<MetricFilterInfo> {
    w.logs
        .filters
        .iter()
        .filter(|f| f.log_group == group)
        .map(|f| MetricFilterInfo {
            name: f.name.clone(),
            log_group: f.log_group.clone(),
            pattern: f.pattern_text.clone(),
            transformations: vec![MetricTransformation {
                namespace: f.metric.namespace.clone(),
                name: f.metric.name.clone(),
                value: f.value.to_string(),
                default_value: f.default_value,
            }],
        })
        .collect()
}

/// Indices of the events the pattern matches, as TestMetricFilter reports them.
pub fn test_metric_filter(pattern: &str, events: &[String]) -> Result<Vec<usize>, CloudError> {
    let pattern = FilterPattern::parse(pattern).map_err(|e| {
        CloudError::new(
            "TestMetricFilter",
            ErrorKind::InvalidInput,
            format!("InvalidParameterException: {e}"),
        )
    })?;
    Ok(events
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            serde_json::from_str::<serde_json::Value>(e).is_ok_and(|v| pattern.matches(&v))
        })
        .map(|(i, _)| i)
        .collect())
}

pub fn topic(w: &World, arn: &str) -> Option<TopicInfo> {
    w.sns
        .topics
        .iter()
        .find(|t| t.arn == arn)
        .map(|t| TopicInfo {
            arn: t.arn.clone(),
            policy: t.policy.clone(),
            subscriptions: t
                .subscriptions
                .iter()
                .map(|s| SubscriptionInfo {
                    protocol: s.protocol().into(),
                    endpoint: s.endpoint.clone(),
                    confirmed: s.confirmed,
                })
                .collect(),
        })
}
