//! The mutating half of the port against the real account: what `secretwatch setup`
//! calls. Built only when the account may be changed (never under `--read-only`), so
//! a read-only run holds no handle that could.

mod alarm;
mod fast_path;
pub(super) mod iam;
mod logs;
pub mod policies;
mod queues;
mod s3;
mod trail;

use super::errors::from_sdk;
use crate::cloud::admin::{
    AlarmFix, AlarmSpec, ChainAdmin, MetricFilterFix, MetricFilterSpec, TrailFix, TrailSpec,
};
use crate::cloud::queue_policy::Sender;
use crate::cloud::{CloudError, ErrorKind};
use async_trait::async_trait;
use aws_config::SdkConfig;
use rand::Rng;
use tokio::sync::OnceCell;
use zeroize::Zeroizing;

pub struct AwsAdmin {
    region: String,
    cloudtrail: aws_sdk_cloudtrail::Client,
    cloudwatch: aws_sdk_cloudwatch::Client,
    events: aws_sdk_eventbridge::Client,
    iam: aws_sdk_iam::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    s3: aws_sdk_s3::Client,
    secrets: aws_sdk_secretsmanager::Client,
    sns: aws_sdk_sns::Client,
    sqs: aws_sdk_sqs::Client,
    sts: aws_sdk_sts::Client,
    /// (account, partition), asked of STS once.
    caller: OnceCell<(String, String)>,
}

impl AwsAdmin {
    pub fn new(config: &SdkConfig) -> Self {
        // A custom endpoint (a local server) has no per-bucket host names.
        let s3 = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(config.endpoint_url().is_some())
            .build();
        Self {
            region: config.region().map(|r| r.to_string()).unwrap_or_default(),
            cloudtrail: aws_sdk_cloudtrail::Client::new(config),
            cloudwatch: aws_sdk_cloudwatch::Client::new(config),
            events: aws_sdk_eventbridge::Client::new(config),
            iam: aws_sdk_iam::Client::new(config),
            logs: aws_sdk_cloudwatchlogs::Client::new(config),
            s3: aws_sdk_s3::Client::from_conf(s3),
            secrets: aws_sdk_secretsmanager::Client::new(config),
            sns: aws_sdk_sns::Client::new(config),
            sqs: aws_sdk_sqs::Client::new(config),
            sts: aws_sdk_sts::Client::new(config),
            caller: OnceCell::new(),
        }
    }

    async fn caller(&self) -> Result<&(String, String), CloudError> {
        self.caller
            .get_or_try_init(|| async {
                let (account, arn) = super::sts::caller(&self.sts).await?;
                Ok((account, policies::partition(&arn).to_string()))
            })
            .await
    }
}

#[async_trait]
impl ChainAdmin for AwsAdmin {
    async fn create_secret(&self, name: &str) -> Result<(), CloudError> {
        // A value nobody sees: it exists so that reads of it can be watched.
        let value: Zeroizing<String> = Zeroizing::new(
            rand::rng()
                .sample_iter(rand::distr::Alphanumeric)
                .take(40)
                .map(char::from)
                .collect(),
        );
        match self
            .secrets
            .create_secret()
            .name(name)
            .description("Watched by secretwatch (created by secretwatch setup)")
            .secret_string(value.as_str())
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_exists_exception()) =>
            {
                Ok(())
            }
            Err(e) => Err(from_sdk("CreateSecret", e)),
        }
    }

    async fn ensure_trail_bucket(&self, bucket: &str) -> Result<(), CloudError> {
        let (account, partition) = self.caller().await?;
        let policy = policies::trail_bucket(partition, bucket, account).to_string();
        s3::ensure_bucket(&self.s3, bucket, &self.region, &policy).await
    }

    async fn ensure_logs_role(
        &self,
        role: &str,
        log_group_arn: &str,
    ) -> Result<String, CloudError> {
        iam::ensure_role(&self.iam, role, log_group_arn).await
    }

    async fn ensure_log_group(
        &self,
        name: &str,
        retention_days: i32,
    ) -> Result<String, CloudError> {
        logs::ensure_log_group(&self.logs, name, retention_days).await
    }

    async fn put_trail(&self, spec: &TrailSpec) -> Result<(), CloudError> {
        trail::put_trail(&self.cloudtrail, spec).await
    }

    async fn fix_trail(&self, name: &str, fix: &TrailFix) -> Result<(), CloudError> {
        trail::fix_trail(&self.cloudtrail, name, fix).await
    }

    async fn put_metric_filter(&self, spec: &MetricFilterSpec) -> Result<(), CloudError> {
        logs::put_metric_filter(&self.logs, spec).await
    }

    async fn update_metric_filter(&self, fix: &MetricFilterFix) -> Result<(), CloudError> {
        logs::update_metric_filter(&self.logs, fix).await
    }

    async fn ensure_topic(&self, name: &str) -> Result<String, CloudError> {
        // CreateTopic is idempotent: for an existing topic it answers its ARN.
        let out = self
            .sns
            .create_topic()
            .name(name)
            .send()
            .await
            .map_err(|e| from_sdk("CreateTopic", e))?;
        out.topic_arn().map(str::to_string).ok_or_else(|| {
            CloudError::new(
                "CreateTopic",
                ErrorKind::Service,
                format!("the answer for topic {name} has no ARN"),
            )
        })
    }

    async fn subscribe_email(&self, topic_arn: &str, email: &str) -> Result<(), CloudError> {
        self.sns
            .subscribe()
            .topic_arn(topic_arn)
            .protocol("email")
            .endpoint(email)
            .send()
            .await
            .map_err(|e| from_sdk("Subscribe", e))?;
        Ok(())
    }

    async fn put_alarm(&self, spec: &AlarmSpec) -> Result<(), CloudError> {
        alarm::put_alarm(&self.cloudwatch, spec).await
    }

    async fn update_alarm(
        &self,
        name: &str,
        fix: &AlarmFix,
        topic_arn: Option<&str>,
    ) -> Result<(), CloudError> {
        alarm::update_alarm(&self.cloudwatch, name, fix, topic_arn).await
    }

    async fn reset_alarm(&self, alarm: &str, reason: &str) -> Result<(), CloudError> {
        alarm::reset(&self.cloudwatch, alarm, reason).await
    }

    async fn put_fast_path_rule(
        &self,
        name: &str,
        pattern: &str,
        state: &str,
    ) -> Result<String, CloudError> {
        fast_path::put_rule(&self.events, name, pattern, state).await
    }

    async fn ensure_queue(&self, name: &str, sender: &Sender) -> Result<String, CloudError> {
        queues::ensure_queue(&self.sqs, name, sender).await
    }

    async fn subscribe_queue(&self, topic_arn: &str, queue_arn: &str) -> Result<(), CloudError> {
        queues::subscribe(&self.sns, topic_arn, queue_arn).await
    }

    async fn notify_queue(&self, bucket: &str, queue_arn: &str) -> Result<(), CloudError> {
        queues::notify(&self.s3, bucket, queue_arn).await
    }

    async fn target_rule(&self, rule: &str, queue_arn: &str) -> Result<(), CloudError> {
        fast_path::target(&self.events, rule, queue_arn).await
    }
}
