//! CloudWatch: the metric series, the alarm and its history.

use super::errors::from_sdk;
use super::time::{from_smithy, to_smithy};
use crate::cloud::types::{
    Alarm, AlarmState, AlarmTransition, Comparison, MetricId, MetricPoint, MetricQuery, Statistic,
    TreatMissing,
};
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{
    Dimension, HistoryItemType, Metric, MetricAlarm, MetricDataQuery, MetricStat, ScanBy,
};
use chrono::{DateTime, Utc};
use std::time::Duration;

pub async fn metric_series(
    client: &Client,
    q: &MetricQuery,
) -> Result<Vec<MetricPoint>, CloudError> {
    const OPERATION: &str = "GetMetricData";
    let query = MetricDataQuery::builder()
        .id("m0")
        .return_data(true)
        .metric_stat(
            MetricStat::builder()
                .metric(
                    Metric::builder()
                        .namespace(&q.metric.namespace)
                        .metric_name(&q.metric.name)
                        .set_dimensions(Some(
                            q.metric
                                .dimensions
                                .iter()
                                .map(|d| Dimension::builder().name(&d.name).value(&d.value).build())
                                .collect(),
                        ))
                        .build(),
                )
                .period(i32::try_from(q.period.as_secs()).unwrap_or(i32::MAX))
                .stat(q.statistic.as_str())
                .build(),
        )
        .build();
    let mut points = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .get_metric_data()
            .metric_data_queries(query.clone())
            .start_time(to_smithy(q.start))
            .end_time(to_smithy(q.end))
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, e))?;
        for result in out.metric_data_results() {
            for (t, v) in result.timestamps().iter().zip(result.values()) {
                if let Some(time) = from_smithy(t) {
                    points.push(MetricPoint { time, value: *v });
                }
            }
        }
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    points.sort_by_key(|p| p.time);
    Ok(points)
}

pub async fn describe_alarm(client: &Client, name: &str) -> Result<Option<Alarm>, CloudError> {
    const OPERATION: &str = "DescribeAlarms";
    let out = client
        .describe_alarms()
        .alarm_names(name)
        .send()
        .await
        .map_err(|e| from_sdk(OPERATION, e))?;
    match out
        .metric_alarms()
        .iter()
        .find(|a| a.alarm_name() == Some(name))
    {
        Some(a) => alarm(a).map(Some),
        None => Ok(None),
    }
}

fn alarm(a: &MetricAlarm) -> Result<Alarm, CloudError> {
    let name = a.alarm_name().unwrap_or_default().to_string();
    let unsupported = |what: &str| {
        CloudError::new(
            "DescribeAlarms",
            ErrorKind::InvalidInput,
            format!("alarm {name} uses {what}, which secretwatch does not show yet"),
        )
    };
    let statistic = match a.statistic().map(|s| s.as_str()) {
        Some("Sum") => Statistic::Sum,
        Some("Average") => Statistic::Average,
        Some("SampleCount") => Statistic::SampleCount,
        Some("Minimum") => Statistic::Minimum,
        Some("Maximum") => Statistic::Maximum,
        _ => return Err(unsupported("an extended statistic or metric math")),
    };
    let comparison = match a.comparison_operator().map(|c| c.as_str()) {
        Some("GreaterThanOrEqualToThreshold") => Comparison::GreaterThanOrEqualToThreshold,
        Some("GreaterThanThreshold") => Comparison::GreaterThanThreshold,
        Some("LessThanThreshold") => Comparison::LessThanThreshold,
        Some("LessThanOrEqualToThreshold") => Comparison::LessThanOrEqualToThreshold,
        _ => return Err(unsupported("an anomaly-detection band")),
    };
    let evaluation_periods = a.evaluation_periods().unwrap_or(1).max(1) as u32;
    Ok(Alarm {
        state: a
            .state_value()
            .map_or(AlarmState::InsufficientData, |s| state(s.as_str())),
        reason: a.state_reason().unwrap_or_default().to_string(),
        // When the state last changed; StateUpdatedTimestamp also moves on reason updates.
        state_since: a
            .state_transitioned_timestamp()
            .or(a.state_updated_timestamp())
            .and_then(from_smithy)
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        metric: a.dimensions().iter().fold(
            MetricId::new(
                a.namespace().unwrap_or_default(),
                a.metric_name().unwrap_or_default(),
            ),
            |id, d| id.dimension(d.name().unwrap_or_default(), d.value().unwrap_or_default()),
        ),
        statistic,
        period: Duration::from_secs(a.period().unwrap_or(60).max(1) as u64),
        threshold: a.threshold().unwrap_or_default(),
        comparison,
        evaluation_periods,
        datapoints_to_alarm: a
            .datapoints_to_alarm()
            .map_or(evaluation_periods, |d| d.max(1) as u32),
        treat_missing: match a.treat_missing_data() {
            Some("breaching") => TreatMissing::Breaching,
            Some("notBreaching") => TreatMissing::NotBreaching,
            Some("ignore") => TreatMissing::Ignore,
            _ => TreatMissing::Missing,
        },
        actions_enabled: a.actions_enabled().unwrap_or(false),
        alarm_actions: a.alarm_actions().to_vec(),
        name,
    })
}

fn state(value: &str) -> AlarmState {
    match value {
        "OK" => AlarmState::Ok,
        "ALARM" => AlarmState::Alarm,
        _ => AlarmState::InsufficientData,
    }
}

pub async fn alarm_history(
    client: &Client,
    name: &str,
    since: DateTime<Utc>,
) -> Result<Vec<AlarmTransition>, CloudError> {
    const OPERATION: &str = "DescribeAlarmHistory";
    let out = client
        .describe_alarm_history()
        .alarm_name(name)
        .history_item_type(HistoryItemType::StateUpdate)
        .start_date(to_smithy(since))
        .end_date(to_smithy(Utc::now() + chrono::TimeDelta::minutes(5)))
        .scan_by(ScanBy::TimestampDescending)
        .max_records(100)
        .send()
        .await
        .map_err(|e| from_sdk(OPERATION, e))?;
    Ok(out
        .alarm_history_items()
        .iter()
        .filter_map(|item| {
            // HistoryData is a JSON document; items that do not parse are skipped.
            let data: serde_json::Value = serde_json::from_str(item.history_data()?).ok()?;
            Some(AlarmTransition {
                alarm: name.to_string(),
                time: item.timestamp().and_then(from_smithy)?,
                from: state(data["oldState"]["stateValue"].as_str()?),
                to: state(data["newState"]["stateValue"].as_str()?),
                reason: data["newState"]["stateReason"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            })
        })
        .collect())
}
