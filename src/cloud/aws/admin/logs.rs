//! CloudWatch Logs: the log group CloudTrail delivers to, and the metric filter on it.

use super::super::errors::from_sdk;
use crate::cloud::admin::{MetricFilterFix, MetricFilterSpec};
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

/// PutMetricFilter replaces a filter of the same name: one that emits anything else is
/// someone's, so the name is read first and a put over such a filter refused.
pub async fn put_metric_filter(client: &Client, spec: &MetricFilterSpec) -> Result<(), CloudError> {
    match client
        .describe_metric_filters()
        .log_group_name(&spec.log_group)
        .filter_name_prefix(&spec.name)
        .send()
        .await
    {
        Ok(out) => {
            let taken = out.metric_filters().iter().any(|f| {
                f.filter_name() == Some(spec.name.as_str())
                    && !f.metric_transformations().iter().any(|t| {
                        t.metric_namespace() == spec.metric.namespace
                            && t.metric_name() == spec.metric.name
                    })
            });
            if taken {
                return Err(spec.name_taken());
            }
        }
        // No group, no filter: the put says what is wrong.
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) => {}
        Err(e) => return Err(from_sdk("DescribeMetricFilters", e)),
    }
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

/// PutMetricFilter replaces the whole filter, so it is read first and everything it
/// has is written back (name, other transformations, unit, dimensions, transformed-log
/// and field settings), with only what `fix` names changed.
pub async fn update_metric_filter(
    client: &Client,
    fix: &MetricFilterFix,
) -> Result<(), CloudError> {
    let out = client
        .describe_metric_filters()
        .log_group_name(&fix.log_group)
        .filter_name_prefix(&fix.name)
        .send()
        .await
        .map_err(|e| from_sdk("DescribeMetricFilters", e))?;
    let Some(f) = out
        .metric_filters()
        .iter()
        .find(|f| f.filter_name() == Some(fix.name.as_str()))
    else {
        return Err(CloudError::new(
            "DescribeMetricFilters",
            ErrorKind::NotFound,
            format!(
                "metric filter {} on {} no longer exists",
                fix.name, fix.log_group
            ),
        ));
    };
    let transformations = f
        .metric_transformations()
        .iter()
        .map(|t| {
            let ours =
                t.metric_namespace() == fix.metric.namespace && t.metric_name() == fix.metric.name;
            let value = match &fix.value {
                Some((_, after)) if ours => after.clone(),
                _ => t.metric_value().to_string(),
            };
            let default = match fix.default_value {
                Some((_, after)) if ours => Some(after),
                _ => t.default_value(),
            };
            MetricTransformation::builder()
                .metric_namespace(t.metric_namespace())
                .metric_name(t.metric_name())
                .metric_value(value)
                .set_default_value(default)
                .set_dimensions(t.dimensions().cloned())
                .set_unit(t.unit().cloned())
                .build()
                .map_err(|e| {
                    CloudError::new("PutMetricFilter", ErrorKind::InvalidInput, e.to_string())
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let pattern = match &fix.pattern {
        Some((_, after)) => after.clone(),
        None => f.filter_pattern().unwrap_or_default().to_string(),
    };
    let emit = f.emit_system_field_dimensions().to_vec();
    client
        .put_metric_filter()
        .log_group_name(&fix.log_group)
        .filter_name(&fix.name)
        .filter_pattern(pattern)
        .set_metric_transformations(Some(transformations))
        .set_apply_on_transformed_logs(f.apply_on_transformed_logs().then_some(true))
        .set_field_selection_criteria(f.field_selection_criteria().map(str::to_string))
        .set_emit_system_field_dimensions(Some(emit).filter(|e| !e.is_empty()))
        .send()
        .await
        .map_err(|e| from_sdk("PutMetricFilter", e))?;
    Ok(())
}
