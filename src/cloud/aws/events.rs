//! EventBridge: the fast path's rule as DescribeRule and ListTargetsByRule describe it, and
//! its pattern tried with TestEventPattern.

use super::errors::from_sdk;
use crate::cloud::links::RuleInfo;
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_eventbridge::Client;

/// The rule on the default bus with its targets' ARNs; None when it does not exist.
pub async fn rule(client: &Client, name: &str) -> Result<Option<RuleInfo>, CloudError> {
    let out = match client.describe_rule().name(name).send().await {
        Ok(out) => out,
        Err(e) => {
            let error = from_sdk("DescribeRule", e);
            return match error.kind {
                ErrorKind::NotFound => Ok(None),
                _ => Err(error),
            };
        }
    };
    let mut targets = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_targets_by_rule()
            .rule(name)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk("ListTargetsByRule", e))?;
        targets.extend(page.targets().iter().map(|t| t.arn().to_string()));
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(Some(RuleInfo {
        name: out.name().unwrap_or(name).to_string(),
        arn: out.arn().unwrap_or_default().to_string(),
        state: out
            .state()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        event_pattern: out.event_pattern().map(str::to_string),
        targets,
    }))
}

pub async fn test_pattern(client: &Client, pattern: &str, event: &str) -> Result<bool, CloudError> {
    let out = client
        .test_event_pattern()
        .event_pattern(pattern)
        .event(event)
        .send()
        .await
        .map_err(|e| from_sdk("TestEventPattern", e))?;
    Ok(out.result())
}
