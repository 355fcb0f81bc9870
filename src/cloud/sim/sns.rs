//! SNS: topics, email subscriptions that only receive once confirmed, and the
//! inbox where delivered messages land.

use crate::cloud::types::Notification;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone)]
pub struct Subscription {
    /// An email address, or a queue's ARN.
    pub endpoint: String,
    pub confirmed: bool,
}

impl Subscription {
    pub fn protocol(&self) -> &'static str {
        if self.endpoint.starts_with("arn:") && self.endpoint.contains(":sqs:") {
            "sqs"
        } else {
            "email"
        }
    }
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

/// A message on its way from a topic to one subscriber (an email address, or a queue's
/// ARN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub topic: String,
    pub endpoint: String,
    pub subject: String,
    /// The message itself (an alarm's JSON).
    pub message: String,
}

impl Delivery {
    pub fn to_queue(&self) -> bool {
        self.endpoint.starts_with("arn:") && self.endpoint.contains(":sqs:")
    }
}

/// Whether the topic's `policy` lets CloudWatch alarms of `account` publish, as SNS
/// decides: a Deny of SNS:Publish wins; else an Allow of it to anyone (under the owner
/// condition), to `cloudwatch.amazonaws.com`, or to the account. No policy: the owner's.
pub fn may_publish(policy: Option<&str>, account: &str) -> bool {
    use crate::cloud::policy_doc::{has_action, principals, statements};
    let Some(policy) = policy else {
        return true;
    };
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else {
        return false;
    };
    let statements = statements(&doc);
    if statements
        .iter()
        .any(|s| has_action(s, "Deny", "SNS:Publish"))
    {
        return false;
    }
    let root = format!(":{account}:root");
    statements.iter().any(|s| {
        has_action(s, "Allow", "SNS:Publish")
            && principals(s).iter().any(|p| {
                *p == "*" || *p == "cloudwatch.amazonaws.com" || *p == account || p.ends_with(&root)
            })
    })
}

#[derive(Debug, Default)]
pub struct Sns {
    pub topics: Vec<Topic>,
    /// Oldest first: messages are delivered as time goes on.
    inbox: Vec<Notification>,
    /// Messages delivered so far, pruned or not: ids stay unique.
    delivered: usize,
}

impl Sns {
    pub fn topic_mut(&mut self, arn: &str) -> Option<&mut Topic> {
        self.topics.iter_mut().find(|t| t.arn == arn)
    }

    /// An alarm of `account` publishing: refused (nothing delivered, as CloudWatch's
    /// publish fails) where the topic's policy does not let it; else it fans out to
    /// confirmed subscriptions only; a pending one gets nothing, exactly the trap of an
    /// unconfirmed email.
    pub fn publish(
        &self,
        topic_arn: &str,
        subject: &str,
        message: &str,
        account: &str,
    ) -> Vec<Delivery> {
        let Some(topic) = self.topics.iter().find(|t| t.arn == topic_arn) else {
            return Vec::new();
        };
        if !may_publish(topic.policy.as_deref(), account) {
            return Vec::new();
        }
        topic
            .subscriptions
            .iter()
            .filter(|s| s.confirmed)
            .map(|s| Delivery {
                topic: topic.arn.clone(),
                endpoint: s.endpoint.clone(),
                subject: subject.to_string(),
                message: message.to_string(),
            })
            .collect()
    }

    pub fn deliver(&mut self, delivery: Delivery, at: DateTime<Utc>) {
        self.delivered += 1;
        let id = format!("msg-{:06}", self.delivered);
        self.inbox.push(Notification {
            id,
            time: at,
            topic: delivery.topic,
            endpoint: delivery.endpoint,
            subject: delivery.subject,
        });
    }

    pub fn inbox_since(&self, since: DateTime<Utc>) -> Vec<Notification> {
        let from = self.inbox.partition_point(|n| n.time < since);
        self.inbox[from..].to_vec()
    }

    /// Forgets messages delivered before `cut`, as retention does.
    pub fn prune(&mut self, cut: DateTime<Utc>) {
        let old = self.inbox.partition_point(|n| n.time < cut);
        self.inbox.drain(..old);
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
        let out = sns.publish("arn:t", "ALARM", "{}", "1");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].endpoint, "ok@example.com");
        assert!(sns.publish("arn:missing", "ALARM", "{}", "1").is_empty());
        sns.deliver(out[0].clone(), DateTime::<Utc>::UNIX_EPOCH);
        assert_eq!(sns.inbox_since(DateTime::<Utc>::UNIX_EPOCH).len(), 1);
    }

    #[test]
    fn pruning_keeps_the_newest_and_ids_stay_unique() {
        let mut sns = Sns::default();
        let at = |secs| DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::seconds(secs);
        let delivery = Delivery {
            topic: "arn:t".into(),
            endpoint: "ok@example.com".into(),
            subject: "ALARM".into(),
            message: "{}".into(),
        };
        for secs in 0..10 {
            sns.deliver(delivery.clone(), at(secs * 60));
        }
        sns.prune(at(300));
        let kept = sns.inbox_since(at(0));
        assert_eq!(kept.len(), 5, "only the messages from the cut on are kept");
        assert_eq!(kept[0].time, at(300));
        sns.deliver(delivery, at(900));
        let ids: Vec<String> = sns.inbox_since(at(0)).into_iter().map(|n| n.id).collect();
        assert_eq!(ids.last().map(String::as_str), Some("msg-000011"));
        assert_eq!(
            sns.inbox_since(at(540)).len(),
            2,
            "from `since` on, inclusive"
        );
    }
}
