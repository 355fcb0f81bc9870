//! CloudWatch: the alarm on the metric, with the topic as its action; its reset.

use super::super::errors::from_sdk;
use crate::cloud::admin::{AlarmFix, AlarmSpec};
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

/// PutMetricAlarm replaces the whole definition, so the alarm is read first and
/// every setting it has is written back, with only the fixed ones changed. Tags are
/// not part of an update (PutMetricAlarm ignores them on an existing alarm): kept.
pub async fn update_alarm(
    client: &Client,
    name: &str,
    fix: &AlarmFix,
    topic_arn: Option<&str>,
) -> Result<(), CloudError> {
    let out = client
        .describe_alarms()
        .alarm_names(name)
        .send()
        .await
        .map_err(|e| from_sdk("DescribeAlarms", e))?;
    let Some(a) = out
        .metric_alarms()
        .iter()
        .find(|a| a.alarm_name() == Some(name))
    else {
        return Err(CloudError::new(
            "DescribeAlarms",
            ErrorKind::NotFound,
            format!("alarm {name} no longer exists"),
        ));
    };
    let mut actions = a.alarm_actions().to_vec();
    if let Some(topic) = topic_arn.filter(|_| fix.add_topic)
        && !actions.iter().any(|x| x == topic)
    {
        actions.push(topic.to_string());
    }
    let mut put = client
        .put_metric_alarm()
        .alarm_name(name)
        .set_alarm_description(a.alarm_description().map(str::to_string))
        .actions_enabled(a.actions_enabled().unwrap_or(false) || fix.enable_actions)
        .set_alarm_actions(Some(actions))
        .set_ok_actions(Some(a.ok_actions().to_vec()))
        .set_insufficient_data_actions(Some(a.insufficient_data_actions().to_vec()))
        .set_namespace(a.namespace().map(str::to_string))
        .set_metric_name(a.metric_name().map(str::to_string))
        .set_dimensions(Some(a.dimensions().to_vec()).filter(|d| !d.is_empty()))
        .set_statistic(a.statistic().cloned())
        .set_extended_statistic(a.extended_statistic().map(str::to_string))
        .set_period(a.period())
        .set_unit(a.unit().cloned())
        .set_evaluation_periods(a.evaluation_periods())
        .set_datapoints_to_alarm(a.datapoints_to_alarm())
        .set_threshold(a.threshold())
        .set_comparison_operator(a.comparison_operator().cloned())
        .set_treat_missing_data(a.treat_missing_data().map(str::to_string))
        .set_evaluate_low_sample_count_percentile(
            a.evaluate_low_sample_count_percentile().map(str::to_string),
        )
        .set_metrics(Some(a.metrics().to_vec()).filter(|m| !m.is_empty()))
        .set_threshold_metric_id(a.threshold_metric_id().map(str::to_string));
    if let Some((_, metric)) = &fix.metric {
        put = put.namespace(&metric.namespace).metric_name(&metric.name);
    }
    if let Some((_, statistic)) = fix.statistic {
        put = put
            .statistic(Statistic::from(statistic.as_str()))
            .set_extended_statistic(None);
    }
    if let Some((_, (comparison, threshold))) = fix.threshold {
        put = put
            .threshold(threshold)
            .comparison_operator(ComparisonOperator::from(comparison.as_str()));
    }
    put.send()
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
