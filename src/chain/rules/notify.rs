//! Notify: the alarm's topic exists, may publish, and someone confirmed a subscription.

use crate::chain::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::links::TopicInfo;
use crate::cloud::policy_doc::{has_action, statements};

/// `own_queue` is secretwatch's queue on the topic (`names.alarm_queue`): not a subscriber
/// anyone reads, so it never counts as one.
pub fn notify(topic_arn: Option<&str>, topic: Option<&TopicInfo>, own_queue: &str) -> Finding {
    let Some(arn) = topic_arn else {
        return Finding::new(L::Notify, S::Broken, "no SNS topic to notify").fix(
            "create topic SecurityAlarms and subscribe an email address: `s` then `y` with \
                 setup.email in the config, or `secretwatch setup --email ADDR`",
        );
    };
    let Some(t) = topic else {
        return Finding::new(L::Notify, S::Broken, format!("topic {arn} does not exist"))
            .evidence("GetTopicAttributes: NotFound")
            .fix("create the topic, or point the alarm at one that exists");
    };
    if let Some(policy) = &t.policy
        && denies_publish(policy)
    {
        return Finding::new(L::Notify, S::Broken, "the topic policy denies publishing")
            .evidence(format!("GetTopicAttributes Policy: {policy}"))
            .fix("allow SNS:Publish for cloudwatch.amazonaws.com (or the account)");
    }
    let ours = |endpoint: &str| {
        endpoint.contains(":sqs:") && endpoint.rsplit(':').next() == Some(own_queue)
    };
    let subscribers = t.subscriptions.iter().filter(|s| !ours(&s.endpoint));
    let confirmed: Vec<&str> = subscribers
        .clone()
        .filter(|s| s.confirmed)
        .map(|s| s.endpoint.as_str())
        .collect();
    let pending: Vec<&str> = subscribers
        .filter(|s| !s.confirmed)
        .map(|s| s.endpoint.as_str())
        .collect();
    let evidence = format!(
        "ListSubscriptionsByTopic: {} confirmed, {} pending",
        confirmed.len(),
        pending.len()
    );
    match (confirmed.is_empty(), pending.is_empty()) {
        (false, _) => Finding::new(
            L::Notify,
            S::Ok,
            format!("notifies {}", confirmed.join(", ")),
        )
        .evidence(evidence),
        (true, false) => Finding::new(
            L::Notify,
            S::Warning,
            format!(
                "PendingConfirmation: {} has not confirmed the subscription",
                pending.join(", ")
            ),
        )
        .evidence(evidence)
        .fix("open the confirmation email from AWS Notifications and click the link"),
        (true, true) => Finding::new(L::Notify, S::Broken, "nobody is subscribed to the topic")
            .evidence(evidence)
            .fix(
                "subscribe an email address: `s` then `y` with setup.email in the config, or \
                 `secretwatch setup --email ADDR`",
            ),
    }
}

fn denies_publish(policy: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else {
        return false;
    };
    statements(&doc)
        .iter()
        .any(|s| has_action(s, "Deny", "SNS:Publish"))
}
