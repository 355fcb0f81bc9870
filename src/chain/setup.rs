//! Setup: the plan of what is missing or wrong, named resource by resource, derived
//! from the doctor's findings, then applied step by step. Idempotent: on a healthy
//! chain the plan is empty.

use super::doctor::{self, Report};
use super::{ChainLink, LinkState};
use crate::cloud::admin::{AlarmSpec, ChainAdmin, MetricFilterSpec, TrailSpec};
use crate::cloud::names::{ACCESS_PATTERN, ChainNames};
use crate::cloud::types::{Comparison, Statistic, TreatMissing};
use crate::cloud::{Cloud, CloudError};
use chrono::{DateTime, Utc};
use std::fmt;

const RETENTION_DAYS: i32 = 90;
pub const LOGS_ROLE: &str = "secretwatch-cloudtrail-to-logs";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Secret,
    TrailBucket { bucket: String },
    LogsRole,
    LogGroup,
    Trail { bucket: String },
    MetricFilter,
    Topic,
    Subscribe { email: String },
    Alarm,
}

/// A step with the names it acts on, for showing before and during apply.
pub struct Shown<'a>(pub &'a Step, pub &'a ChainNames);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.1;
        match self.0 {
            Step::Secret => write!(f, "create secret {} (with a random value)", n.secret),
            Step::TrailBucket { bucket } => write!(
                f,
                "create S3 bucket {bucket} with a bucket policy letting cloudtrail.amazonaws.com write"
            ),
            Step::LogsRole => write!(
                f,
                "create IAM role {LOGS_ROLE} (trusted by cloudtrail.amazonaws.com; \
                 logs:CreateLogStream, logs:PutLogEvents on {})",
                n.log_group
            ),
            Step::LogGroup => write!(
                f,
                "create log group {} (retention {RETENTION_DAYS} days)",
                n.log_group
            ),
            Step::Trail { bucket } => write!(
                f,
                "create or update trail {} into {bucket}: management events Read and Write, \
                 delivered to {} through {LOGS_ROLE}, logging on",
                n.trail, n.log_group
            ),
            Step::MetricFilter => write!(
                f,
                "put metric filter {} on {}: {ACCESS_PATTERN} → {}/{} value 1, default 0",
                n.metric_filter, n.log_group, n.metric_namespace, n.metric_name
            ),
            Step::Topic => write!(f, "create SNS topic {}", n.topic),
            Step::Subscribe { email } => write!(
                f,
                "subscribe {email} to {} (PendingConfirmation until the link in AWS's email is clicked)",
                n.topic
            ),
            Step::Alarm => write!(
                f,
                "put alarm {}: Sum of {}/{} >= 1 per {} s, 1 of 1, missing data notBreaching, action {}",
                n.alarm,
                n.metric_namespace,
                n.metric_name,
                n.alarm_period.as_secs(),
                n.topic
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// What setup cannot do, and who can.
    pub notes: Vec<String>,
    /// The doctor's findings the plan rests on.
    pub report: Report,
}

pub fn bucket_name(account: &str, region: &str) -> String {
    format!("secretwatch-trail-{account}-{region}")
}

pub async fn plan(
    cloud: &dyn Cloud,
    names: &ChainNames,
    bucket: &str,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Plan {
    let report = doctor::examine(cloud, names, now).await;
    let finding = |link| report.findings.iter().find(|f| f.link == link);
    // Unknown links are not touched: setup changes only what it knows is wrong.
    let needs = |link| {
        finding(link).is_some_and(|f| matches!(f.state, LinkState::Broken | LinkState::Warning))
    };
    let mut steps = Vec::new();
    let mut notes = Vec::new();
    if needs(ChainLink::Secret) {
        steps.push(Step::Secret);
    }
    if needs(ChainLink::Trail) || needs(ChainLink::Delivery) {
        // A trail of ours that exists keeps writing where it writes; a new one gets a
        // bucket of its own.
        match existing_bucket(cloud, &names.trail).await {
            Some(existing) => {
                steps.push(Step::LogsRole);
                steps.push(Step::LogGroup);
                steps.push(Step::Trail { bucket: existing });
            }
            None => {
                steps.push(Step::TrailBucket {
                    bucket: bucket.to_string(),
                });
                steps.push(Step::LogsRole);
                steps.push(Step::LogGroup);
                steps.push(Step::Trail {
                    bucket: bucket.to_string(),
                });
            }
        }
    }
    if needs(ChainLink::MetricFilter) {
        if !steps.contains(&Step::LogGroup) {
            steps.push(Step::LogGroup);
        }
        steps.push(Step::MetricFilter);
    }
    let alarm = needs(ChainLink::Alarm);
    let notify = finding(ChainLink::Notify);
    let pending = notify.is_some_and(|f| f.state == LinkState::Warning);
    let unsubscribed = notify.is_some_and(|f| f.state == LinkState::Broken);
    if alarm || unsubscribed {
        steps.push(Step::Topic);
    }
    if unsubscribed {
        match email {
            Some(email) => steps.push(Step::Subscribe {
                email: email.to_string(),
            }),
            None => notes.push(format!(
                "nobody is subscribed to {}: run `secretwatch setup --email ADDR`",
                names.topic
            )),
        }
    }
    if pending {
        notes.push(
            "a subscriber has not confirmed: only they can, with the link in AWS's email".into(),
        );
    }
    if alarm {
        steps.push(Step::Alarm);
    }
    Plan {
        steps,
        notes,
        report,
    }
}

/// The bucket of the trail named `trail`, if it exists.
async fn existing_bucket(cloud: &dyn Cloud, trail: &str) -> Option<String> {
    let trails = cloud.trails().await.ok()?;
    trails
        .into_iter()
        .find(|t| t.name == trail && !t.bucket.is_empty())
        .map(|t| t.bucket)
}

/// What earlier steps learned that later ones need.
#[derive(Default)]
struct Built {
    log_group_arn: Option<String>,
    role_arn: Option<String>,
    topic_arn: Option<String>,
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
        Step::LogsRole => {
            let group = log_group_arn(admin, n, built).await?;
            built.role_arn = Some(admin.ensure_logs_role(LOGS_ROLE, &group).await?);
            Ok(())
        }
        Step::LogGroup => log_group_arn(admin, n, built).await.map(drop),
        Step::Trail { bucket } => {
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
        Step::MetricFilter => {
            let spec = MetricFilterSpec {
                name: n.metric_filter.clone(),
                log_group: n.log_group.clone(),
                pattern: ACCESS_PATTERN.to_string(),
                metric: n.metric(),
                value: 1.0,
                default_value: 0.0,
            };
            admin.put_metric_filter(&spec).await
        }
        Step::Topic => topic_arn(admin, n, built).await.map(drop),
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
