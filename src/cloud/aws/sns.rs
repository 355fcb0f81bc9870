//! SNS: the topic's policy and who is subscribed.

use super::errors::from_sdk;
use crate::cloud::links::{SubscriptionInfo, TopicInfo};
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_sns::Client;

pub async fn topic(client: &Client, arn: &str) -> Result<Option<TopicInfo>, CloudError> {
    let attributes = match client.get_topic_attributes().topic_arn(arn).send().await {
        Ok(out) => out,
        Err(e) => {
            let error = from_sdk("GetTopicAttributes", e);
            return match error.kind {
                ErrorKind::NotFound => Ok(None),
                _ => Err(error),
            };
        }
    };
    let policy = attributes
        .attributes()
        .and_then(|a| a.get("Policy"))
        .cloned();
    let mut subscriptions = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .list_subscriptions_by_topic()
            .topic_arn(arn)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk("ListSubscriptionsByTopic", e))?;
        subscriptions.extend(out.subscriptions().iter().map(|s| SubscriptionInfo {
            protocol: s.protocol().unwrap_or_default().to_string(),
            endpoint: s.endpoint().unwrap_or_default().to_string(),
            confirmed: s.subscription_arn().is_some_and(|a| a.starts_with("arn:")),
        }));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(Some(TopicInfo {
        arn: arn.to_string(),
        policy,
        subscriptions,
    }))
}
