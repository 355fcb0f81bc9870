//! Setup's steps applied in order, each reported, stopping at the first failure; what an
//! earlier step built (a log group's ARN, the role, the topic) is handed to the later ones.

use super::setup::{LOGS_ROLE, RETENTION_DAYS, Step};
use crate::cloud::CloudError;
use crate::cloud::admin::{AlarmSpec, ChainAdmin, MetricFilterSpec, TrailSpec};
use crate::cloud::fast_path::RULE_STATE;
use crate::cloud::names::{ACCESS_PATTERN, ChainNames};
use crate::cloud::queue_policy::Sender;
use crate::cloud::types::{Comparison, Statistic, TreatMissing};

/// What earlier steps learned that later ones need.
#[derive(Default)]
struct Built {
    log_group_arn: Option<String>,
    role_arn: Option<String>,
    topic_arn: Option<String>,
    rule_arn: Option<String>,
    queue_arn: Option<String>,
    trail_queue_arn: Option<String>,
}

/// Applies the steps in order, reporting each; stops at the first failure.
pub async fn apply(
    admin: &dyn ChainAdmin,
    names: &ChainNames,
    steps: &[Step],
    mut progress: impl FnMut(usize, &Step, &Result<(), CloudError>),
) -> Result<(), CloudError> {
    let mut built = Built::default();
    for (i, step) in steps.iter().enumerate() {
        let result = run(admin, names, step, &mut built).await;
        progress(i, step, &result);
        result?;
    }
    Ok(())
}

async fn run(
    admin: &dyn ChainAdmin,
    n: &ChainNames,
    step: &Step,
    built: &mut Built,
) -> Result<(), CloudError> {
    match step {
        Step::Secret => admin.create_secret(&n.secret).await,
        Step::TrailBucket { bucket } => admin.ensure_trail_bucket(bucket).await,
        Step::LogsRole
        | Step::UpdateLogsRole(_)
        | Step::KeepLogsRole
        | Step::CheckLogsRole { .. }
        | Step::SharedLogsRole { .. } => {
            let group = log_group_arn(admin, n, built).await?;
            built.role_arn = Some(admin.ensure_logs_role(LOGS_ROLE, &group).await?);
            Ok(())
        }
        Step::LogGroup | Step::KeepLogGroup => log_group_arn(admin, n, built).await.map(drop),
        Step::UpdateTrail(fix) => admin.fix_trail(&n.trail, fix).await,
        Step::Trail { bucket, .. } => {
            let log_group_arn = log_group_arn(admin, n, built).await?;
            let role_arn = match &built.role_arn {
                Some(arn) => arn.clone(),
                None => admin.ensure_logs_role(LOGS_ROLE, &log_group_arn).await?,
            };
            let spec = TrailSpec {
                name: n.trail.clone(),
                bucket: bucket.clone(),
                log_group_arn,
                role_arn,
            };
            admin.put_trail(&spec).await
        }
        Step::MetricFilter {
            name, log_group, ..
        } => {
            let spec = MetricFilterSpec {
                name: name.clone(),
                log_group: log_group.clone(),
                pattern: ACCESS_PATTERN.to_string(),
                metric: n.metric(),
                value: 1.0,
                default_value: 0.0,
            };
            admin.put_metric_filter(&spec).await
        }
        Step::UpdateMetricFilter(fix) => admin.update_metric_filter(fix).await,
        Step::Topic | Step::KeepTopic => topic_arn(admin, n, built).await.map(drop),
        Step::Subscribe { email } => {
            let topic = topic_arn(admin, n, built).await?;
            admin.subscribe_email(&topic, email).await
        }
        Step::Alarm => {
            let topic_arn = topic_arn(admin, n, built).await?;
            let spec = AlarmSpec {
                name: n.alarm.clone(),
                metric: n.metric(),
                statistic: Statistic::Sum,
                period: n.alarm_period,
                threshold: 1.0,
                comparison: Comparison::GreaterThanOrEqualToThreshold,
                evaluation_periods: 1,
                datapoints_to_alarm: 1,
                treat_missing: TreatMissing::NotBreaching,
                topic_arn,
            };
            admin.put_alarm(&spec).await
        }
        Step::FastPathRule { .. } => {
            let pattern = crate::cloud::fast_path::event_pattern();
            let arn = admin
                .put_fast_path_rule(&n.fast_path_rule, &pattern, RULE_STATE)
                .await?;
            built.rule_arn = Some(arn);
            Ok(())
        }
        Step::FastPathQueue { rule_arn, .. } => {
            let rule_arn = built.rule_arn.as_ref().unwrap_or(rule_arn);
            let arn = admin
                .ensure_queue(&n.fast_path_queue, &Sender::rule(rule_arn))
                .await?;
            built.queue_arn = Some(arn);
            Ok(())
        }
        Step::FastPathTarget { queue_arn } => {
            let queue_arn = built.queue_arn.as_ref().unwrap_or(queue_arn);
            admin.target_rule(&n.fast_path_rule, queue_arn).await
        }
        Step::TrailFileQueue { sender, .. } => {
            let arn = admin.ensure_queue(&n.trail_file_queue, sender).await?;
            built.trail_queue_arn = Some(arn);
            Ok(())
        }
        Step::AlarmQueue { topic } => {
            let topic = match topic {
                Some(topic) => topic.clone(),
                None => topic_arn(admin, n, built).await?,
            };
            let sender = Sender::topic(&topic);
            let queue = admin.ensure_queue(&n.alarm_queue, &sender).await?;
            admin.subscribe_queue(&topic, &queue).await
        }
        Step::SubscribeQueue { topic, queue_arn } => {
            let queue_arn = built.trail_queue_arn.as_ref().unwrap_or(queue_arn);
            admin.subscribe_queue(topic, queue_arn).await
        }
        Step::NotifyQueue { bucket, queue_arn } => {
            let queue_arn = built.trail_queue_arn.as_ref().unwrap_or(queue_arn);
            admin.notify_queue(bucket, queue_arn).await
        }
        Step::UpdateAlarm(fix) => {
            let topic = if fix.add_topic {
                Some(topic_arn(admin, n, built).await?)
            } else {
                None
            };
            admin.update_alarm(&n.alarm, fix, topic.as_deref()).await
        }
    }
}

async fn log_group_arn(
    admin: &dyn ChainAdmin,
    n: &ChainNames,
    built: &mut Built,
) -> Result<String, CloudError> {
    if let Some(arn) = &built.log_group_arn {
        return Ok(arn.clone());
    }
    let arn = admin.ensure_log_group(&n.log_group, RETENTION_DAYS).await?;
    built.log_group_arn = Some(arn.clone());
    Ok(arn)
}

async fn topic_arn(
    admin: &dyn ChainAdmin,
    n: &ChainNames,
    built: &mut Built,
) -> Result<String, CloudError> {
    if let Some(arn) = &built.topic_arn {
        return Ok(arn.clone());
    }
    let arn = admin.ensure_topic(&n.topic).await?;
    built.topic_arn = Some(arn.clone());
    Ok(arn)
}
