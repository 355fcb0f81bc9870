//! SQS: the fast path's queue, found by its name, long-polled, and rid of the messages the
//! dashboard handled. The queue is secretwatch's own: deleting from it changes nothing of
//! the account's, so watching (and `--read-only`) may.

use super::errors::from_sdk;
use crate::cloud::links::QueueInfo;
use crate::cloud::types::{Feed, QueueMessage};
use crate::cloud::{CloudError, ErrorKind, not_set_up};
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, QueueAttributeName};
use std::time::Duration;

/// The queue's URL; None when there is no queue of that name.
pub async fn queue_url(client: &Client, name: &str) -> Result<Option<String>, CloudError> {
    match client.get_queue_url().queue_name(name).send().await {
        Ok(out) => Ok(Some(out.queue_url().unwrap_or_default().to_string())),
        Err(e) => {
            let error = from_sdk("GetQueueUrl", e);
            match error.kind {
                ErrorKind::NotFound => Ok(None),
                _ => Err(error),
            }
        }
    }
}

/// The URL of `feed`'s queue; no queue of that name is that feed not set up, not a failure.
pub async fn feed_url(client: &Client, feed: Feed, name: &str) -> Result<String, CloudError> {
    queue_url(client, name)
        .await?
        .ok_or_else(|| not_set_up(feed, &format!("no queue {name} here")))
}

/// The queue of that name with its ARN, policy and waiting messages; None when it does not
/// exist.
pub async fn queue_info(client: &Client, name: &str) -> Result<Option<QueueInfo>, CloudError> {
    match queue_url(client, name).await? {
        Some(url) => info_at(client, &url, name).await.map(Some),
        None => Ok(None),
    }
}

/// The ARN, policy and waiting messages of the queue `name` at `url` (GetQueueAttributes).
pub async fn info_at(client: &Client, url: &str, name: &str) -> Result<QueueInfo, CloudError> {
    let out = client
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .attribute_names(QueueAttributeName::Policy)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
        .send()
        .await
        .map_err(|e| from_sdk("GetQueueAttributes", e))?;
    let attribute = |name: QueueAttributeName| {
        out.attributes()
            .and_then(|a| a.get(&name))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    Ok(QueueInfo {
        name: name.to_string(),
        arn: attribute(QueueAttributeName::QueueArn).unwrap_or_default(),
        policy: attribute(QueueAttributeName::Policy),
        waiting: attribute(QueueAttributeName::ApproximateNumberOfMessages)
            .and_then(|n| n.parse().ok()),
    })
}

/// Up to `max` messages (SQS gives at most 10), waiting up to `wait` (at most 20 s) for
/// the first.
pub async fn receive(
    client: &Client,
    url: &str,
    max: usize,
    wait: Duration,
) -> Result<Vec<QueueMessage>, CloudError> {
    let out = client
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(max.clamp(1, 10) as i32)
        .wait_time_seconds(wait.as_secs().min(20) as i32)
        .send()
        .await
        .map_err(|e| from_sdk("ReceiveMessage", e))?;
    Ok(out
        .messages()
        .iter()
        .map(|m| QueueMessage {
            id: m.message_id().unwrap_or_default().to_string(),
            receipt: m.receipt_handle().unwrap_or_default().to_string(),
            body: m.body().unwrap_or_default().to_string(),
        })
        .collect())
}

/// Deletes by receipt handle, ten to a call; any not deleted is an error naming how many
/// (they come back, and the store shows each access once).
pub async fn delete(client: &Client, url: &str, receipts: &[String]) -> Result<(), CloudError> {
    for chunk in receipts.chunks(10) {
        let entries = chunk
            .iter()
            .enumerate()
            .map(|(i, receipt)| {
                DeleteMessageBatchRequestEntry::builder()
                    .id(i.to_string())
                    .receipt_handle(receipt)
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                CloudError::new("DeleteMessageBatch", ErrorKind::InvalidInput, e.to_string())
            })?;
        let out = client
            .delete_message_batch()
            .queue_url(url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|e| from_sdk("DeleteMessageBatch", e))?;
        if let Some(first) = out.failed().first() {
            return Err(CloudError::new(
                "DeleteMessageBatch",
                ErrorKind::Service,
                format!(
                    "{} of {} not deleted: {}",
                    out.failed().len(),
                    chunk.len(),
                    first.message().unwrap_or(first.code())
                ),
            ));
        }
    }
    Ok(())
}
