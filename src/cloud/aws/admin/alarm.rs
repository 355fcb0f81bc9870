//! CloudWatch: the alarm on the metric, with the topic as its action; its reset.

use super::super::errors::from_sdk;
use crate::cloud::admin::AlarmSpec;
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{ComparisonOperator, StateValue, Statistic};

/// PutMetricAlarm creates the alarm or replaces its definition (its state is kept).
pub async fn put_alarm(client: &Client, spec: &AlarmSpec) -> Result<(), CloudError> {
    let seconds = |what: &str, n: u64| {
        i32::try_from(n).map_err(|_| {
            CloudError::new(
                "PutMetricAlarm",
                ErrorKind::InvalidInput,
                format!("{what} {n} is out of range"),
            )
        })
    };
    client
        .put_metric_alarm()
        .alarm_name(&spec.name)
        .alarm_description("A read of the watched secret (secretwatch setup)")
        .namespace(&spec.metric.namespace)
        .metric_name(&spec.metric.name)
        .statistic(Statistic::from(spec.statistic.as_str()))
        .period(seconds("period", spec.period.as_secs())?)
        .threshold(spec.threshold)
        .comparison_operator(ComparisonOperator::from(spec.comparison.as_str()))
        .evaluation_periods(seconds(
            "evaluation periods",
            spec.evaluation_periods.into(),
        )?)
        .datapoints_to_alarm(seconds("datapoints", spec.datapoints_to_alarm.into())?)
        .treat_missing_data(spec.treat_missing.as_str())
        .actions_enabled(true)
        .alarm_actions(&spec.topic_arn)
        .send()
        .await
        .map_err(|e| from_sdk("PutMetricAlarm", e))?;
    Ok(())
}

/// SetAlarmState to OK. CloudWatch evaluates again at the next period: if the metric
/// still breaches, the alarm returns to ALARM (a new episode).
pub async fn reset(client: &Client, alarm: &str, reason: &str) -> Result<(), CloudError> {
    // StateReason is at most 1023 characters.
    let reason: String = reason.chars().take(1023).collect();
    client
        .set_alarm_state()
        .alarm_name(alarm)
        .state_value(StateValue::Ok)
        .state_reason(reason)
        .send()
        .await
        .map_err(|e| from_sdk("SetAlarmState", e))?;
    Ok(())
}
