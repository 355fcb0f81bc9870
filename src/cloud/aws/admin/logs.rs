//! CloudWatch Logs: the log group CloudTrail delivers to, and the metric filter on it.

use super::super::errors::from_sdk;
use crate::cloud::admin::MetricFilterSpec;
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::MetricTransformation;

/// Creates the group with `retention_days` if missing (an existing group keeps the
/// retention its owner chose). Returns its ARN in the `...:log-group:NAME:*` form
/// CloudTrail asks for.
pub async fn ensure_log_group(
    client: &Client,
    name: &str,
    retention_days: i32,
) -> Result<String, CloudError> {
    match client.create_log_group().log_group_name(name).send().await {
        Ok(_) => {
            client
                .put_retention_policy()
                .log_group_name(name)
                .retention_in_days(retention_days)
                .send()
                .await
                .map_err(|e| from_sdk("PutRetentionPolicy", e))?;
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_already_exists_exception()) => {}
        Err(e) => return Err(from_sdk("CreateLogGroup", e)),
    }
    let group = super::super::logs::log_group(client, name)
        .await?
        .filter(|g| !g.arn.is_empty())
        .ok_or_else(|| {
            CloudError::new(
                "DescribeLogGroups",
                ErrorKind::Service,
                format!("log group {name} was created but is not listed with its ARN"),
            )
        })?;
    Ok(if group.arn.ends_with(":*") {
        group.arn
    } else {
        format!("{}:*", group.arn)
    })
}

pub async fn put_metric_filter(client: &Client, spec: &MetricFilterSpec) -> Result<(), CloudError> {
    let transformation = MetricTransformation::builder()
        .metric_namespace(&spec.metric.namespace)
        .metric_name(&spec.metric.name)
        .metric_value(spec.value.to_string())
        .default_value(spec.default_value)
        .build()
        .map_err(|e| CloudError::new("PutMetricFilter", ErrorKind::InvalidInput, e.to_string()))?;
    client
        .put_metric_filter()
        .log_group_name(&spec.log_group)
        .filter_name(&spec.name)
        .filter_pattern(&spec.pattern)
        .metric_transformations(transformation)
        .send()
        .await
        .map_err(|e| from_sdk("PutMetricFilter", e))?;
    Ok(())
}
