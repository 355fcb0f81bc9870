//! Setup's calls for the queues of secretwatch's own: the queue (CreateQueue, then
//! SetQueueAttributes with the statement that lets its sender send, every other kept), and
//! what sends to the trail-file queue: a subscription to the trail's topic (Subscribe), or
//! the bucket's event notifications (PutBucketNotificationConfiguration, the others kept).

use super::super::errors::from_sdk;
use crate::cloud::aws::sqs;
use crate::cloud::queue_policy::{self, Sender};
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_s3::types::{
    Event, FilterRule, FilterRuleName, NotificationConfiguration, NotificationConfigurationFilter,
    QueueConfiguration, S3KeyFilter,
};
use aws_sdk_sqs::types::QueueAttributeName;

/// The id of setup's notification on the trail's bucket.
const NOTIFICATION_ID: &str = "secretwatch-trail-files";

/// CreateQueue answers an existing queue's URL when its attributes are the same; none are
/// set at creation (the policy is set after, merged with what the queue has), so an
/// existing queue keeps its own. Returns the queue's ARN.
pub async fn ensure_queue(
    client: &aws_sdk_sqs::Client,
    name: &str,
    sender: &Sender,
) -> Result<String, CloudError> {
    let url = match sqs::queue_url(client, name).await? {
        Some(url) => url,
        None => client
            .create_queue()
            .queue_name(name)
            .send()
            .await
            .map_err(|e| from_sdk("CreateQueue", e))?
            .queue_url()
            .unwrap_or_default()
            .to_string(),
    };
    let queue = sqs::info_at(client, &url, name).await?;
    if queue.arn.is_empty() {
        return Err(CloudError::new(
            "GetQueueAttributes",
            ErrorKind::Service,
            format!("queue {name} answered no QueueArn"),
        ));
    }
    let (arn, policy) = (queue.arn, queue.policy);
    if let Some(merged) = queue_policy::merged(policy.as_deref(), &arn, sender) {
        client
            .set_queue_attributes()
            .queue_url(&url)
            .attributes(QueueAttributeName::Policy, merged)
            .send()
            .await
            .map_err(|e| from_sdk("SetQueueAttributes", e))?;
    }
    Ok(arn)
}

/// Subscribe is idempotent: the same topic, protocol and endpoint answer the same
/// subscription.
pub async fn subscribe(
    client: &aws_sdk_sns::Client,
    topic_arn: &str,
    queue_arn: &str,
) -> Result<(), CloudError> {
    client
        .subscribe()
        .topic_arn(topic_arn)
        .protocol("sqs")
        .endpoint(queue_arn)
        .send()
        .await
        .map_err(|e| from_sdk("Subscribe", e))?;
    Ok(())
}

/// The bucket's notifications as they are, with one more (ours, replaced if present):
/// objects created under `AWSLogs/` to the queue.
pub async fn notify(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    queue_arn: &str,
) -> Result<(), CloudError> {
    let now = client
        .get_bucket_notification_configuration()
        .bucket(bucket)
        .send()
        .await
        .map_err(|e| from_sdk("GetBucketNotificationConfiguration", e))?;
    let invalid = |e: aws_sdk_s3::error::BuildError| {
        CloudError::new(
            "PutBucketNotificationConfiguration",
            ErrorKind::InvalidInput,
            e.to_string(),
        )
    };
    let prefix = FilterRule::builder()
        .name(FilterRuleName::Prefix)
        .value("AWSLogs/")
        .build();
    let ours = QueueConfiguration::builder()
        .id(NOTIFICATION_ID)
        .queue_arn(queue_arn)
        .events(Event::from("s3:ObjectCreated:*"))
        .filter(
            NotificationConfigurationFilter::builder()
                .key(S3KeyFilter::builder().filter_rules(prefix).build())
                .build(),
        )
        .build()
        .map_err(invalid)?;
    let mut queues: Vec<QueueConfiguration> = now
        .queue_configurations()
        .iter()
        .filter(|q| q.id() != Some(NOTIFICATION_ID))
        .cloned()
        .collect();
    queues.push(ours);
    let config = NotificationConfiguration::builder()
        .set_queue_configurations(Some(queues))
        .set_topic_configurations(Some(now.topic_configurations().to_vec()))
        .set_lambda_function_configurations(Some(now.lambda_function_configurations().to_vec()))
        .set_event_bridge_configuration(now.event_bridge_configuration().cloned())
        .build();
    client
        .put_bucket_notification_configuration()
        .bucket(bucket)
        .notification_configuration(config)
        .send()
        .await
        .map_err(|e| from_sdk("PutBucketNotificationConfiguration", e))?;
    Ok(())
}
