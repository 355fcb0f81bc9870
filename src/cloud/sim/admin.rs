//! The embedded account building its own chain, as setup asks it to.

use super::SimCloud;
use super::iam::Role;
use super::logs::{LogGroup, MetricFilter};
use super::sns::{Topic, default_policy};
use super::trail::{ReadWriteType, Trail};
use crate::cloud::admin::{
    AlarmFix, AlarmSpec, ChainAdmin, MetricFilterFix, MetricFilterSpec, TrailFix, TrailSpec,
};
use crate::cloud::queue_policy::Sender;
use crate::cloud::types::{Alarm, AlarmState};
use crate::cloud::{CloudError, ErrorKind};
use crate::filter_pattern::FilterPattern;
use async_trait::async_trait;

#[async_trait]
impl ChainAdmin for SimCloud {
    async fn create_secret(&self, name: &str) -> Result<(), CloudError> {
        self.call("CreateSecret", |w| {
            if w.secret(name).is_none() {
                w.add_secret(name);
            }
            Ok(())
        })
        .await
    }

    async fn ensure_trail_bucket(&self, bucket: &str) -> Result<(), CloudError> {
        self.call("CreateBucket", |w| {
            if !w.buckets.iter().any(|b| b == bucket) {
                w.buckets.push(bucket.to_string());
            }
            Ok(())
        })
        .await
    }

    async fn ensure_logs_role(
        &self,
        role: &str,
        log_group_arn: &str,
    ) -> Result<String, CloudError> {
        self.call("CreateRole", |w| {
            match w.roles.iter_mut().find(|r| r.name == role) {
                Some(existing) => existing.complete(log_group_arn),
                None => {
                    let role = Role::for_delivery(&w.account, role, log_group_arn);
                    w.roles.push(role);
                }
            }
            Ok(w.iam_arn(&format!("role/{role}")))
        })
        .await
    }

    async fn ensure_log_group(
        &self,
        name: &str,
        retention_days: i32,
    ) -> Result<String, CloudError> {
        self.call("CreateLogGroup", |w| {
            if !w.logs.groups.iter().any(|g| g.name == name) {
                w.logs.groups.push(LogGroup {
                    name: name.to_string(),
                    retention_days: Some(retention_days),
                });
            }
            Ok(super::inspect::log_group_arn(w, name))
        })
        .await
    }

    async fn put_trail(&self, spec: &TrailSpec) -> Result<(), CloudError> {
        self.call("CreateTrail", |w| {
            if !w.buckets.contains(&spec.bucket) {
                return Err(CloudError::new(
                    "CreateTrail",
                    ErrorKind::InvalidInput,
                    format!("S3BucketDoesNotExistException: {}", spec.bucket),
                ));
            }
            let group =
                crate::cloud::links::log_group_name(&spec.log_group_arn).map(str::to_string);
            let role = spec.role_arn.rsplit('/').next().unwrap_or_default();
            let role_ok = w
                .roles
                .iter()
                .any(|r| r.name == role && r.delivers_to(&spec.log_group_arn));
            let trail = Trail {
                name: spec.name.clone(),
                bucket: spec.bucket.clone(),
                logging: true,
                read_write: ReadWriteType::All,
                include_management_events: true,
                log_group: group,
                logs_role_ok: role_ok,
                sns_topic: None,
                organization: false,
                latest_logs_delivery: None,
                shadow_of: None,
            };
            match w.trails.iter_mut().find(|t| t.name == spec.name) {
                Some(existing) => {
                    let sns_topic = existing.sns_topic.take();
                    let delivered = existing.latest_logs_delivery;
                    *existing = Trail {
                        sns_topic,
                        latest_logs_delivery: delivered,
                        ..trail
                    };
                }
                None => w.trails.push(trail),
            }
            Ok(())
        })
        .await
    }

    async fn fix_trail(&self, name: &str, fix: &TrailFix) -> Result<(), CloudError> {
        self.call("UpdateTrail", |w| {
            let Some(t) = w.trails.iter_mut().find(|t| t.name == name) else {
                return Err(CloudError::new(
                    "UpdateTrail",
                    ErrorKind::NotFound,
                    format!("TrailNotFoundException: {name}"),
                ));
            };
            t.logging |= fix.start_logging;
            if fix.record_reads.is_some() {
                t.read_write = ReadWriteType::All;
                t.include_management_events = true;
            }
            Ok(())
        })
        .await
    }

    async fn put_metric_filter(&self, spec: &MetricFilterSpec) -> Result<(), CloudError> {
        self.call("PutMetricFilter", |w| {
            let pattern = FilterPattern::parse(&spec.pattern).map_err(|e| {
                CloudError::new("PutMetricFilter", ErrorKind::InvalidInput, e.to_string())
            })?;
            let filter = MetricFilter {
                name: spec.name.clone(),
                log_group: spec.log_group.clone(),
                pattern_text: spec.pattern.clone(),
                pattern,
                metric: spec.metric.clone(),
                value: spec.value,
                default_value: Some(spec.default_value),
            };
            let same = |f: &MetricFilter| f.name == spec.name && f.log_group == spec.log_group;
            if w.logs
                .filters
                .iter()
                .any(|f| same(f) && f.metric != spec.metric)
            {
                return Err(spec.name_taken());
            }
            w.logs.filters.retain(|f| !same(f));
            w.logs.filters.push(filter);
            Ok(())
        })
        .await
    }

    async fn update_metric_filter(&self, fix: &MetricFilterFix) -> Result<(), CloudError> {
        self.call("PutMetricFilter", |w| {
            let Some(f) = w
                .logs
                .filters
                .iter_mut()
                .find(|f| f.name == fix.name && f.log_group == fix.log_group)
            else {
                return Err(CloudError::new(
                    "PutMetricFilter",
                    ErrorKind::NotFound,
                    format!("metric filter {} no longer exists", fix.name),
                ));
            };
            if let Some((_, after)) = &fix.pattern {
                f.pattern = FilterPattern::parse(after).map_err(|e| {
                    CloudError::new("PutMetricFilter", ErrorKind::InvalidInput, e.to_string())
                })?;
                f.pattern_text = after.clone();
            }
            if let Some((_, after)) = &fix.value {
                f.value = after.parse().map_err(|_| {
                    CloudError::new(
                        "PutMetricFilter",
                        ErrorKind::InvalidInput,
                        format!("the embedded account takes numeric values only: {after}"),
                    )
                })?;
            }
            if let Some((_, after)) = fix.default_value {
                f.default_value = Some(after);
            }
            Ok(())
        })
        .await
    }

    async fn ensure_topic(&self, name: &str) -> Result<String, CloudError> {
        self.call("CreateTopic", |w| {
            let arn = w.arn("sns", name);
            if w.sns.topic_mut(&arn).is_none() {
                w.sns.topics.push(Topic {
                    arn: arn.clone(),
                    policy: Some(default_policy(&arn)),
                    subscriptions: Vec::new(),
                });
            }
            Ok(arn)
        })
        .await
    }

    async fn subscribe_email(&self, topic_arn: &str, email: &str) -> Result<(), CloudError> {
        self.call("Subscribe", |w| {
            w.subscribe_email(topic_arn, email);
            Ok(())
        })
        .await
    }

    async fn put_alarm(&self, spec: &AlarmSpec) -> Result<(), CloudError> {
        self.call("PutMetricAlarm", |w| {
            let now = w.now;
            let alarm = Alarm {
                name: spec.name.clone(),
                state: AlarmState::InsufficientData,
                reason: "Unchecked: Initial alarm creation".into(),
                state_since: now,
                metric: spec.metric.clone(),
                statistic: spec.statistic,
                period: spec.period,
                threshold: spec.threshold,
                comparison: spec.comparison,
                evaluation_periods: spec.evaluation_periods,
                datapoints_to_alarm: spec.datapoints_to_alarm,
                treat_missing: spec.treat_missing,
                actions_enabled: true,
                alarm_actions: vec![spec.topic_arn.clone()],
            };
            // PutMetricAlarm on an existing alarm updates it and keeps its state.
            match w.alarms.iter_mut().find(|a| a.name == spec.name) {
                Some(existing) => {
                    *existing = Alarm {
                        state: existing.state,
                        reason: existing.reason.clone(),
                        state_since: existing.state_since,
                        ..alarm
                    }
                }
                None => w.alarms.push(alarm),
            }
            Ok(())
        })
        .await
    }

    async fn update_alarm(
        &self,
        name: &str,
        fix: &AlarmFix,
        topic_arn: Option<&str>,
    ) -> Result<(), CloudError> {
        self.call("PutMetricAlarm", |w| {
            let Some(a) = w.alarms.iter_mut().find(|a| a.name == name) else {
                return Err(CloudError::new(
                    "PutMetricAlarm",
                    ErrorKind::NotFound,
                    format!("alarm {name} no longer exists"),
                ));
            };
            if let Some((_, metric)) = &fix.metric {
                a.metric = metric.clone();
            }
            if let Some((_, statistic)) = fix.statistic {
                a.statistic = statistic;
            }
            if let Some((_, (comparison, threshold))) = fix.threshold {
                a.comparison = comparison;
                a.threshold = threshold;
            }
            a.actions_enabled |= fix.enable_actions;
            if let Some(topic) = topic_arn.filter(|_| fix.add_topic)
                && !a.alarm_actions.iter().any(|x| x == topic)
            {
                a.alarm_actions.push(topic.to_string());
            }
            Ok(())
        })
        .await
    }

    async fn put_fast_path_rule(
        &self,
        name: &str,
        pattern: &str,
        state: &str,
    ) -> Result<String, CloudError> {
        self.call("PutRule", |w| Ok(w.put_rule(name, pattern, state)))
            .await
    }

    async fn ensure_queue(&self, name: &str, sender: &Sender) -> Result<String, CloudError> {
        self.call("CreateQueue", |w| Ok(w.ensure_queue(name, sender)))
            .await
    }

    async fn subscribe_queue(&self, topic_arn: &str, queue_arn: &str) -> Result<(), CloudError> {
        self.call("Subscribe", |w| w.subscribe_queue(topic_arn, queue_arn))
            .await
    }

    async fn notify_queue(&self, bucket: &str, queue_arn: &str) -> Result<(), CloudError> {
        self.call("PutBucketNotificationConfiguration", |w| {
            w.trail_files.notify(bucket, queue_arn);
            Ok(())
        })
        .await
    }

    async fn target_rule(&self, rule: &str, queue_arn: &str) -> Result<(), CloudError> {
        self.call("PutTargets", |w| w.add_target(rule, queue_arn))
            .await
    }

    async fn reset_alarm(&self, alarm: &str, reason: &str) -> Result<(), CloudError> {
        self.call("SetAlarmState", |w| {
            let now = w.now;
            let Some(found) = w.alarms.iter_mut().find(|a| a.name == alarm) else {
                return Err(CloudError::new(
                    "SetAlarmState",
                    ErrorKind::NotFound,
                    format!("ResourceNotFound: alarm {alarm} does not exist"),
                ));
            };
            let verdict = super::alarms::Verdict {
                state: AlarmState::Ok,
                reason: reason.to_string(),
            };
            if let Some(t) = super::alarms::apply(found, verdict, now) {
                w.alarm_history.push(t);
            }
            Ok(())
        })
        .await
    }
}
