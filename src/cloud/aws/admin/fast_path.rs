//! Setup's calls for the fast path: the EventBridge rule (PutRule), its queue (CreateQueue,
//! SetQueueAttributes with the policy statement added, every other kept), and the queue as
//! the rule's target (PutTargets, other targets kept).

use super::super::errors::from_sdk;
use crate::cloud::fast_path::{RULE_DESCRIPTION, TARGET_ID, queue_policy};
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_eventbridge::types::{RuleState, Target};
use aws_sdk_sqs::types::QueueAttributeName;

pub async fn put_rule(
    client: &aws_sdk_eventbridge::Client,
    name: &str,
    pattern: &str,
    state: &str,
) -> Result<String, CloudError> {
    let out = client
        .put_rule()
        .name(name)
        .event_pattern(pattern)
        .state(RuleState::from(state))
        .description(RULE_DESCRIPTION)
        .send()
        .await
        .map_err(|e| from_sdk("PutRule", e))?;
    out.rule_arn().map(str::to_string).ok_or_else(|| {
        CloudError::new(
            "PutRule",
            ErrorKind::Service,
            format!("the answer for rule {name} has no ARN"),
        )
    })
}

/// CreateQueue is idempotent for a queue of the same attributes; none are set at creation
/// (the policy is set after, merged with what the queue has), so an existing queue keeps its
/// own.
pub async fn ensure_queue(
    client: &aws_sdk_sqs::Client,
    name: &str,
    rule_arn: &str,
) -> Result<String, CloudError> {
    let url = match client.get_queue_url().queue_name(name).send().await {
        Ok(out) => out.queue_url().unwrap_or_default().to_string(),
        Err(e) => {
            let error = from_sdk("GetQueueUrl", e);
            if error.kind != ErrorKind::NotFound {
                return Err(error);
            }
            let out = client
                .create_queue()
                .queue_name(name)
                .send()
                .await
                .map_err(|e| from_sdk("CreateQueue", e))?;
            out.queue_url().unwrap_or_default().to_string()
        }
    };
    let out = client
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::QueueArn)
        .attribute_names(QueueAttributeName::Policy)
        .send()
        .await
        .map_err(|e| from_sdk("GetQueueAttributes", e))?;
    let attribute = |n: QueueAttributeName| {
        out.attributes()
            .and_then(|a| a.get(&n))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let arn = attribute(QueueAttributeName::QueueArn).ok_or_else(|| {
        CloudError::new(
            "GetQueueAttributes",
            ErrorKind::Service,
            format!("queue {name} answered no QueueArn"),
        )
    })?;
    let policy = attribute(QueueAttributeName::Policy);
    if let Some(merged) = queue_policy::merged(policy.as_deref(), &arn, rule_arn) {
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

pub async fn target(
    client: &aws_sdk_eventbridge::Client,
    rule: &str,
    queue_arn: &str,
) -> Result<(), CloudError> {
    let target = Target::builder()
        .id(TARGET_ID)
        .arn(queue_arn)
        .build()
        .map_err(|e| CloudError::new("PutTargets", ErrorKind::InvalidInput, e.to_string()))?;
    let out = client
        .put_targets()
        .rule(rule)
        .targets(target)
        .send()
        .await
        .map_err(|e| from_sdk("PutTargets", e))?;
    match out.failed_entries().first() {
        Some(failed) => Err(CloudError::new(
            "PutTargets",
            ErrorKind::Service,
            format!(
                "{}: {}",
                failed.error_code().unwrap_or("failed"),
                failed.error_message().unwrap_or_default()
            ),
        )),
        None => Ok(()),
    }
}
