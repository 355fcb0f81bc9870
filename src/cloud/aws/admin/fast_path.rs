//! Setup's calls for the fast path's rule: the EventBridge rule (PutRule), and its queue
//! as its target (PutTargets, other targets kept). The queue itself is `queues`'.

use super::super::errors::from_sdk;
use crate::cloud::fast_path::{RULE_DESCRIPTION, TARGET_ID};
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_eventbridge::types::{RuleState, Target};

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
