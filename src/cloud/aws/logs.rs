//! CloudWatch Logs: the log group, its metric filters, and the records holding a trace's
//! marker.

use super::errors::from_sdk;
use crate::cloud::links::{LogGroupInfo, MetricFilterInfo, MetricTransformation};
use crate::cloud::types::LogRecord;
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_cloudwatchlogs::Client;
use chrono::{DateTime, Utc};

pub async fn log_group(client: &Client, name: &str) -> Result<Option<LogGroupInfo>, CloudError> {
    let out = client
        .describe_log_groups()
        .log_group_name_prefix(name)
        .send()
        .await
        .map_err(|e| from_sdk("DescribeLogGroups", e))?;
    Ok(out
        .log_groups()
        .iter()
        .find(|g| g.log_group_name() == Some(name))
        .map(|g| LogGroupInfo {
            name: name.to_string(),
            arn: g.arn().unwrap_or_default().to_string(),
            retention_days: g.retention_in_days(),
        }))
}

pub async fn metric_filters(
    client: &Client,
    group: &str,
) -> Result<Vec<MetricFilterInfo>, CloudError> {
    let mut filters = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .describe_metric_filters()
            .log_group_name(group)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk("DescribeMetricFilters", e))?;
        filters.extend(out.metric_filters().iter().map(|f| {
            MetricFilterInfo {
                name: f.filter_name().unwrap_or_default().to_string(),
                log_group: f.log_group_name().unwrap_or(group).to_string(),
                pattern: f.filter_pattern().unwrap_or_default().to_string(),
                transformations: f
                    .metric_transformations()
                    .iter()
                    .map(|t| MetricTransformation {
                        namespace: t.metric_namespace().to_string(),
                        name: t.metric_name().to_string(),
                        value: t.metric_value().to_string(),
                        default_value: t.default_value(),
                    })
                    .collect(),
            }
        }));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(filters);
        }
    }
}

pub async fn test_metric_filter(
    client: &Client,
    pattern: &str,
    events: &[String],
) -> Result<Vec<usize>, CloudError> {
    if events.is_empty() {
        return Err(CloudError::new(
            "TestMetricFilter",
            ErrorKind::InvalidInput,
            "at least one log event is needed",
        ));
    }
    let out = client
        .test_metric_filter()
        .filter_pattern(pattern)
        .set_log_event_messages(Some(events.to_vec()))
        .send()
        .await
        .map_err(|e| from_sdk("TestMetricFilter", e))?;
    // Matches name the message; map them back to the positions given.
    Ok(out
        .matches()
        .iter()
        .filter_map(|m| {
            events
                .iter()
                .position(|e| Some(e.as_str()) == m.event_message())
        })
        .collect())
}

/// How many pages of FilterLogEvents one look reads at most: a marker is in one record, and
/// a group with many records since `since` is read again at the next look.
const MAX_PAGES: usize = 5;

/// FilterLogEvents on `group` since `since` with `text` as a quoted term: the records
/// holding it. A quote inside `text` is refused (it would end the term).
pub async fn log_records(
    client: &Client,
    group: &str,
    text: &str,
    since: DateTime<Utc>,
) -> Result<Vec<LogRecord>, CloudError> {
    if text.contains('"') {
        return Err(CloudError::new(
            "FilterLogEvents",
            ErrorKind::InvalidInput,
            "a marker with a quote cannot be a quoted term",
        ));
    }
    let mut records = Vec::new();
    let mut token = None;
    for _ in 0..MAX_PAGES {
        let out = client
            .filter_log_events()
            .log_group_name(group)
            .start_time(since.timestamp_millis())
            .filter_pattern(format!("\"{text}\""))
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk("FilterLogEvents", e))?;
        records.extend(out.events().iter().filter_map(|e| {
            let ingested = e.ingestion_time().or(e.timestamp())?;
            let record = e.message().and_then(|m| serde_json::from_str(m).ok());
            let field = |name: &str| {
                let value: &serde_json::Value = record.as_ref()?;
                value.get(name)?.as_str().map(str::to_string)
            };
            Some(LogRecord {
                ingested_at: DateTime::from_timestamp_millis(ingested)?,
                event_id: field("eventID"),
                user_agent: field("userAgent"),
            })
        }));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(records)
}
