//! The real account, through the aws-sdk crates. SDK types stay in this module:
//! each service file converts at the edge.

mod account;
pub mod admin;
mod cloudtrail;
mod cloudwatch;
pub mod errors;
mod events;
mod live_tail;
mod logs;
mod organizations;
mod s3;
mod sdk_config;
mod secretsmanager;
mod sns;
pub(crate) mod sqs;
mod sts;
mod time;

pub use sdk_config::{loader, shared_http_client};

use crate::cloud::links::{
    LogGroupInfo, MetricFilterInfo, QueueInfo, RoleInfo, RuleInfo, SecretInfo, TopicInfo, TrailInfo,
};
use crate::cloud::types::{
    Alarm, AlarmTransition, Backend, EventPage, EventQuery, Feed, Identity, MetricPoint,
    MetricQuery, QueueMessage, TestAccess,
};
use crate::cloud::{Cloud, CloudError, ErrorKind};
use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_config::timeout::TimeoutConfig;
use chrono::{DateTime, Utc};
use std::sync::OnceLock;
use std::time::Duration;

/// Where to look, as the AWS CLI takes it: a profile, a region, an endpoint. Unset
/// fields follow the default chain (environment, config files, SSO, instance metadata).
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// A role to assume with the profile's credentials (another account of the
    /// organization): its session is renewed by the SDK before it expires.
    pub role_arn: Option<String>,
    /// The HTTP client to share (its connection pool and TLS roots): every scope's SDK
    /// clients use the focused scope's, instead of one each.
    pub http_client: Option<aws_smithy_runtime_api::client::http::SharedHttpClient>,
}

impl Target {
    /// The same in `region`.
    pub fn in_region(self, region: &str) -> Self {
        Self {
            region: Some(region.to_string()),
            ..self
        }
    }
}

pub struct AwsCloud {
    config: SdkConfig,
    cloudtrail: aws_sdk_cloudtrail::Client,
    cloudwatch: aws_sdk_cloudwatch::Client,
    events: OnceLock<aws_sdk_eventbridge::Client>,
    iam: OnceLock<aws_sdk_iam::Client>,
    logs: OnceLock<aws_sdk_cloudwatchlogs::Client>,
    secrets: OnceLock<aws_sdk_secretsmanager::Client>,
    sns: OnceLock<aws_sdk_sns::Client>,
    sqs: aws_sdk_sqs::Client,
    sts: aws_sdk_sts::Client,
    s3: OnceLock<aws_sdk_s3::Client>,
    /// The queues of secretwatch's own, by name, and their URLs once found.
    fast_path: FeedQueue,
    trail_files: FeedQueue,
    /// The queue on the alarm's topic, where a trace sees the notification arrive.
    alarm_messages: FeedQueue,
}

/// A queue the dashboard reads, found by name once it exists.
struct FeedQueue {
    name: String,
    url: tokio::sync::OnceCell<String>,
}

impl FeedQueue {
    fn named(name: &str) -> Self {
        Self {
            name: name.to_string(),
            url: tokio::sync::OnceCell::new(),
        }
    }
}

impl AwsCloud {
    /// Resolves configuration (no network call yet). Fails only when no region can be found.
    pub async fn connect(target: &Target) -> Result<Self, CloudError> {
        if let Some(profile) = &target.profile {
            defined(profile).await?;
        }
        let mut config = loader(target).load().await;
        if let Some(role) = &target.role_arn {
            let session = aws_config::sts::AssumeRoleProvider::builder(role)
                .session_name("secretwatch")
                .configure(&config)
                .build()
                .await;
            config = loader(target).credentials_provider(session).load().await;
        }
        Self::from_config(config).map_err(|mut error| {
            if let Some(profile) = &target.profile {
                error.message = format!(
                    "{}; profile {profile} gave none: is it defined in ~/.aws/config (or \
                     AWS_CONFIG_FILE)?",
                    error.message
                );
            }
            error
        })
    }

    pub fn from_config(config: SdkConfig) -> Result<Self, CloudError> {
        if config.region().is_none() {
            return Err(CloudError::new(
                crate::cloud::CONFIGURATION,
                ErrorKind::InvalidInput,
                "no AWS region: pass --region, set AWS_REGION, or set a region in the profile",
            ));
        }
        let defaults = crate::cloud::names::ChainNames::default();
        Ok(Self {
            cloudtrail: aws_sdk_cloudtrail::Client::new(&config),
            cloudwatch: aws_sdk_cloudwatch::Client::new(&config),
            events: OnceLock::new(),
            iam: OnceLock::new(),
            logs: OnceLock::new(),
            secrets: OnceLock::new(),
            sns: OnceLock::new(),
            // A long poll waits up to 20 s for its answer: more than the other calls'
            // attempt timeout.
            sqs: aws_sdk_sqs::Client::from_conf(
                aws_sdk_sqs::config::Builder::from(&config)
                    .timeout_config(
                        TimeoutConfig::builder()
                            .connect_timeout(Duration::from_secs(5))
                            .operation_attempt_timeout(Duration::from_secs(30))
                            .build(),
                    )
                    .build(),
            ),
            sts: aws_sdk_sts::Client::new(&config),
            s3: OnceLock::new(),
            fast_path: FeedQueue::named(&defaults.fast_path_queue),
            trail_files: FeedQueue::named(&defaults.trail_file_queue),
            alarm_messages: FeedQueue::named(&defaults.alarm_queue),
            config,
        })
    }

    /// The queues the dashboard reads, by the config's names (`names.fast_path_queue`,
    /// `names.trail_file_queue`).
    pub fn with_queues(mut self, names: &crate::cloud::names::ChainNames) -> Self {
        self.fast_path = FeedQueue::named(&names.fast_path_queue);
        self.trail_files = FeedQueue::named(&names.trail_file_queue);
        self.alarm_messages = FeedQueue::named(&names.alarm_queue);
        self
    }

    async fn feed_url(&self, feed: Feed) -> Result<&str, CloudError> {
        let queue = match feed {
            Feed::FastPath => &self.fast_path,
            Feed::TrailFiles => &self.trail_files,
            Feed::AlarmMessages => &self.alarm_messages,
        };
        queue
            .url
            .get_or_try_init(|| sqs::feed_url(&self.sqs, feed, &queue.name))
            .await
            .map(String::as_str)
    }

    // The clients only the doctor, setup and the trail-file source call, built on first
    // use: an unfocused scope never builds most of them.
    fn events(&self) -> &aws_sdk_eventbridge::Client {
        self.events
            .get_or_init(|| aws_sdk_eventbridge::Client::new(&self.config))
    }

    fn iam(&self) -> &aws_sdk_iam::Client {
        self.iam
            .get_or_init(|| aws_sdk_iam::Client::new(&self.config))
    }

    fn logs(&self) -> &aws_sdk_cloudwatchlogs::Client {
        self.logs
            .get_or_init(|| aws_sdk_cloudwatchlogs::Client::new(&self.config))
    }

    fn secrets(&self) -> &aws_sdk_secretsmanager::Client {
        self.secrets
            .get_or_init(|| aws_sdk_secretsmanager::Client::new(&self.config))
    }

    fn sns(&self) -> &aws_sdk_sns::Client {
        self.sns
            .get_or_init(|| aws_sdk_sns::Client::new(&self.config))
    }

    fn s3(&self) -> &aws_sdk_s3::Client {
        // A custom endpoint (a local server) has no per-bucket host names.
        self.s3.get_or_init(|| {
            aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(&self.config)
                    .force_path_style(self.config.endpoint_url().is_some())
                    .build(),
            )
        })
    }

    /// The handle that can change the account, on the same configuration.
    pub fn admin(&self) -> admin::AwsAdmin {
        admin::AwsAdmin::new(&self.config)
    }

    /// The HTTP client its SDK clients use, for other scopes to share.
    pub fn http_client(&self) -> Option<aws_smithy_runtime_api::client::http::SharedHttpClient> {
        self.config.http_client()
    }

    pub fn region(&self) -> String {
        self.config
            .region()
            .map(|r| r.to_string())
            .unwrap_or_default()
    }
}

/// Whether the profile is in the config or credentials file, as the SDK reads them: the SDK
/// itself would fall through to instance metadata and report that instead.
async fn defined(profile: &str) -> Result<(), CloudError> {
    use aws_runtime::env_config::file::EnvConfigFiles;
    use aws_types::os_shim_internal::{Env, Fs};
    let files =
        aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
            .await
            .map_err(|e| {
                CloudError::new(
                    crate::cloud::CONFIGURATION,
                    ErrorKind::InvalidInput,
                    format!("the AWS config files cannot be read: {e}"),
                )
            })?;
    if files.get_profile(profile).is_some() {
        return Ok(());
    }
    let known: Vec<&str> = files.profiles().collect();
    Err(CloudError::new(
        crate::cloud::CONFIGURATION,
        ErrorKind::InvalidInput,
        format!(
            "profile {profile} gave none: is it defined in ~/.aws/config (or AWS_CONFIG_FILE)? \
             Defined: {}",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ),
    ))
}

#[async_trait]
impl Cloud for AwsCloud {
    async fn identity(&self) -> Result<Identity, CloudError> {
        let (account, principal) = sts::caller(&self.sts).await?;
        Ok(Identity {
            account,
            region: self.region(),
            principal,
            backend: Backend::Aws,
        })
    }

    async fn regions(&self) -> Result<Vec<crate::cloud::types::RegionState>, CloudError> {
        account::regions(&aws_sdk_account::Client::new(&self.config)).await
    }

    async fn organization_accounts(
        &self,
    ) -> Result<Vec<crate::cloud::types::OrgAccount>, CloudError> {
        organizations::accounts(&aws_sdk_organizations::Client::new(&self.config)).await
    }

    async fn lookup_events(&self, query: &EventQuery) -> Result<EventPage, CloudError> {
        cloudtrail::lookup_events(&self.cloudtrail, query).await
    }

    async fn metric_series(&self, query: &MetricQuery) -> Result<Vec<MetricPoint>, CloudError> {
        cloudwatch::metric_series(&self.cloudwatch, query).await
    }

    async fn describe_alarm(&self, name: &str) -> Result<Option<Alarm>, CloudError> {
        cloudwatch::describe_alarm(&self.cloudwatch, name).await
    }

    async fn alarm_history(
        &self,
        name: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<AlarmTransition>, CloudError> {
        cloudwatch::alarm_history(&self.cloudwatch, name, since).await
    }

    async fn fire_test_access(&self, secret: &str, marker: &str) -> Result<TestAccess, CloudError> {
        secretsmanager::test_access(&self.config, secret, marker).await
    }

    async fn describe_secret(&self, id: &str) -> Result<Option<SecretInfo>, CloudError> {
        secretsmanager::describe_secret(self.secrets(), id).await
    }

    async fn trails(&self) -> Result<Vec<TrailInfo>, CloudError> {
        cloudtrail::trails(&self.cloudtrail).await
    }

    async fn log_group(&self, name: &str) -> Result<Option<LogGroupInfo>, CloudError> {
        logs::log_group(self.logs(), name).await
    }

    async fn metric_filters(&self, log_group: &str) -> Result<Vec<MetricFilterInfo>, CloudError> {
        logs::metric_filters(self.logs(), log_group).await
    }

    async fn test_metric_filter(
        &self,
        pattern: &str,
        events: &[String],
    ) -> Result<Vec<usize>, CloudError> {
        logs::test_metric_filter(self.logs(), pattern, events).await
    }

    async fn topic(&self, arn: &str) -> Result<Option<TopicInfo>, CloudError> {
        sns::topic(self.sns(), arn).await
    }

    async fn role(&self, name: &str) -> Result<Option<RoleInfo>, CloudError> {
        admin::iam::role(self.iam(), name).await
    }

    async fn event_rule(&self, name: &str) -> Result<Option<RuleInfo>, CloudError> {
        events::rule(self.events(), name).await
    }

    async fn test_event_pattern(&self, pattern: &str, event: &str) -> Result<bool, CloudError> {
        events::test_pattern(self.events(), pattern, event).await
    }

    async fn queue(&self, name: &str) -> Result<Option<QueueInfo>, CloudError> {
        sqs::queue_info(&self.sqs, name).await
    }

    // The fast path (an SQS queue of our own that an EventBridge rule feeds; setup creates
    // both) and the queue notified of the trail's log files. No queue of that name: that
    // source is not set up yet, and LookupEvents alone reads the accesses.
    async fn receive(
        &self,
        feed: Feed,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<QueueMessage>, CloudError> {
        let url = self.feed_url(feed).await?;
        sqs::receive(&self.sqs, url, max, wait).await
    }

    async fn delete_received(&self, feed: Feed, receipts: &[String]) -> Result<(), CloudError> {
        let url = self.feed_url(feed).await?;
        sqs::delete(&self.sqs, url, receipts).await
    }

    async fn bucket_queues(&self, bucket: &str) -> Result<Vec<String>, CloudError> {
        s3::bucket_queues(self.s3(), bucket).await
    }

    async fn log_records(
        &self,
        group: &str,
        text: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<crate::cloud::types::LogRecord>, CloudError> {
        logs::log_records(self.logs(), group, text, since).await
    }

    async fn live_tail(
        &self,
        group: &str,
        text: &str,
        wait: Duration,
    ) -> Result<Vec<crate::cloud::types::LogRecord>, CloudError> {
        let Some(info) = logs::log_group(self.logs(), group).await? else {
            return Ok(Vec::new());
        };
        let client = live_tail::client(&self.config);
        live_tail::records(&client, &info.arn, text, wait).await
    }

    async fn list_log_files(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, CloudError> {
        s3::list(self.s3(), bucket, prefix).await
    }

    async fn list_folders(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, CloudError> {
        s3::folders(self.s3(), bucket, prefix).await
    }

    async fn log_file(&self, bucket: &str, key: &str, max: u64) -> Result<Vec<u8>, CloudError> {
        s3::object(self.s3(), bucket, key, max).await
    }
}
