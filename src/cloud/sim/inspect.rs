//! The embedded account describing its chain, in the shapes the real APIs answer
//! with (DescribeSecret, DescribeTrails + GetTrailStatus + GetEventSelectors,
//! DescribeLogGroups, DescribeMetricFilters, TestMetricFilter, GetTopicAttributes).

use super::trail::ReadWriteType;
use super::world::World;
use crate::cloud::links::{
    LogGroupInfo, MetricFilterInfo, MetricTransformation, SecretInfo, Selectors, SubscriptionInfo,
    TopicInfo, TrailInfo,
};
use crate::cloud::{CloudError, ErrorKind, logs_role};
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
            arn: owned_arn(w, t, "cloudtrail", &format!("trail/{}", t.name)),
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
            log_group_arn: t
                .log_group
                .as_deref()
                .map(|g| owned_arn(w, t, "logs", &format!("log-group:{g}:*"))),
            logs_role_arn: t.log_group.as_ref().map(|_| match &t.shadow_of {
                Some(owner) => format!("arn:aws:iam::{owner}:role/{}", logs_role::ROLE),
                None => w.iam_arn(&format!("role/{}", logs_role::ROLE)),
            }),
            // The organization's trail delivers every member's events: lately, always.
            latest_logs_delivery: match t.shadow_of {
                Some(_) => Some(w.now),
                None => t.latest_logs_delivery,
            },
            latest_logs_delivery_error: match (&t.log_group, t.logs_role_ok) {
                // The owner's status: its group is not in this account.
                _ if t.shadow_of.is_some() => None,
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

/// An ARN of the trail's account: another's for a shadow of its organization trail.
fn owned_arn(w: &World, t: &super::trail::Trail, service: &str, resource: &str) -> String {
    match &t.shadow_of {
        Some(owner) => format!("arn:aws:{service}:{}:{owner}:{resource}", w.region),
        None => w.arn(service, resource),
    }
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
        .filter(|(_, e)| pattern.matches_text(e))
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
