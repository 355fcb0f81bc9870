//! SNS: topics, email subscriptions that only receive once confirmed, and the
//! inbox where delivered messages land.

use crate::cloud::types::Notification;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone)]
pub struct Subscription {
    pub endpoint: String,
    pub confirmed: bool,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub arn: String,
    /// The access policy (JSON), as GetTopicAttributes shows it.
    pub policy: Option<String>,
    pub subscriptions: Vec<Subscription>,
}

/// The policy SNS gives a new topic: the owner may publish, and so may CloudWatch
/// alarms of the same account (through the owner condition).
pub fn default_policy(topic_arn: &str) -> String {
    let account = topic_arn.split(':').nth(4).unwrap_or_default();
    serde_json::json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": { "AWS": "*" },
            "Action": ["SNS:Publish", "SNS:Subscribe", "SNS:GetTopicAttributes"],
            "Resource": topic_arn,
            "Condition": { "StringEquals": { "AWS:SourceOwner": account } }
        }]
    })
    .to_string()
}

/// A message on its way from a topic to one subscriber.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub topic: String,
    pub endpoint: String,
    pub subject: String,
}

#[derive(Debug, Default)]
pub struct Sns {
    pub topics: Vec<Topic>,
    inbox: Vec<Notification>,
}

impl Sns {
    pub fn topic_mut(&mut self, arn: &str) -> Option<&mut Topic> {
        self.topics.iter_mut().find(|t| t.arn == arn)
    }

    /// Publishing fans out to confirmed subscriptions only; a pending one gets nothing,
    /// exactly the trap of an unconfirmed email.
    pub fn publish(&self, topic_arn: &str, subject: &str) -> Vec<Delivery> {
        let Some(topic) = self.topics.iter().find(|t| t.arn == topic_arn) else {
            return Vec::new();
        };
        topic
            .subscriptions
            .iter()
            .filter(|s| s.confirmed)
            .map(|s| Delivery {
                topic: topic.arn.clone(),
                endpoint: s.endpoint.clone(),
                subject: subject.to_string(),
            })
            .collect()
    }

    pub fn deliver(&mut self, delivery: Delivery, at: DateTime<Utc>) {
        let id = format!("msg-{:06}", self.inbox.len() + 1);
        self.inbox.push(Notification {
            id,
            time: at,
            topic: delivery.topic,
            endpoint: delivery.endpoint,
            subject: delivery.subject,
        });
    }

    pub fn inbox_since(&self, since: DateTime<Utc>) -> Vec<Notification> {
        self.inbox
            .iter()
            .filter(|n| n.time >= since)
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_subscriptions_receive_nothing() {
        let mut sns = Sns::default();
        sns.topics.push(Topic {
            arn: "arn:t".into(),
            policy: None,
            subscriptions: vec![
                Subscription {
                    endpoint: "pending@example.com".into(),
                    confirmed: false,
                },
                Subscription {
                    endpoint: "ok@example.com".into(),
                    confirmed: true,
                },
            ],
        });
        let out = sns.publish("arn:t", "ALARM");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].endpoint, "ok@example.com");
        assert!(sns.publish("arn:missing", "ALARM").is_empty());
        sns.deliver(out[0].clone(), DateTime::<Utc>::UNIX_EPOCH);
        assert_eq!(sns.inbox_since(DateTime::<Utc>::UNIX_EPOCH).len(), 1);
    }
}
