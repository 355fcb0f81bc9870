//! The queue of secretwatch's own on the alarm's topic: where a trace sees the alarm's
//! message arrive, the proof `notify`'s static check cannot give. Not a link of the chain
//! (the chain notifies people without it): the doctor says whether it is there, setup
//! creates it and subscribes it, and neither the strip nor the exit code counts it.

use super::doctor::unknown;
use super::setup::Step;
use super::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::Cloud;
use crate::cloud::names::ChainNames;
use crate::cloud::queue_policy::{self, Sender, Sending};
use crate::cloud::types::Alarm;

const FIX: &str = "`s` then `y`, or `secretwatch setup`: it creates the queue and subscribes it \
                   to the alarm's topic";

/// The alarm's SNS topics: the queue hears the alarm through any of them.
pub fn alarm_topics(alarm: Option<&Alarm>) -> Vec<&str> {
    alarm
        .iter()
        .flat_map(|a| a.alarm_actions.iter())
        .map(String::as_str)
        .filter(|a| a.starts_with("arn:") && a.contains(":sns:"))
        .collect()
}

pub async fn finding(cloud: &dyn Cloud, names: &ChainNames, alarm: Option<&Alarm>) -> Finding {
    let name = &names.alarm_queue;
    let topics = alarm_topics(alarm);
    if topics.is_empty() {
        return Finding::new(
            L::AlarmQueue,
            S::Warning,
            "the alarm notifies no topic: a trace cannot see its message",
        )
        .fix("give the alarm a topic first (the notify link's fix)");
    }
    let queue = match cloud.queue(name).await {
        Ok(Some(queue)) => queue,
        Ok(None) => {
            return Finding::new(
                L::AlarmQueue,
                S::Warning,
                format!("no queue {name} on the alarm's topic: a trace stops at the alarm"),
            )
            .evidence("GetQueueUrl: NotFound")
            .fix(FIX);
        }
        Err(e) => return unknown(L::AlarmQueue, &e),
    };
    let mut heard = Vec::new();
    for topic in &topics {
        let subscribed = match cloud.topic(topic).await {
            Ok(t) => t.is_some_and(|t| t.subscriptions.iter().any(|s| s.endpoint == queue.arn)),
            Err(e) => return unknown(L::AlarmQueue, &e),
        };
        let lets =
            queue_policy::sending(queue.policy.as_deref(), &queue.arn, &Sender::topic(topic));
        if subscribed && lets != Sending::Refused {
            heard.push(*topic);
        }
    }
    let evidence = format!(
        "ListSubscriptionsByTopic and the queue's policy: {} of the alarm's {} topic(s) send \
         to it",
        heard.len(),
        topics.len()
    );
    match heard.first() {
        Some(topic) => Finding::new(
            L::AlarmQueue,
            S::Ok,
            format!("topic {topic} sends to queue {name}: a trace sees the message arrive"),
        )
        .evidence(evidence),
        None => Finding::new(
            L::AlarmQueue,
            S::Warning,
            format!("no topic of the alarm sends to queue {name}: a trace stops at the alarm"),
        )
        .evidence(evidence)
        .fix(FIX),
    }
}

/// Setup's step, where the doctor found the queue missing or deaf or the plan makes a new
/// topic: on the chain's topic where the plan gives it to the alarm (new or kept), else on
/// the alarm's own first topic.
pub(super) async fn steps(
    cloud: &dyn Cloud,
    names: &ChainNames,
    report: &super::doctor::Report,
    steps: &[Step],
) -> Vec<Step> {
    let finding = report.findings.iter().find(|f| f.link == L::AlarmQueue);
    let needs = finding.is_some_and(|f| matches!(f.state, S::Warning | S::Broken));
    let new_topic = steps.contains(&Step::Topic);
    if !needs && !new_topic {
        return Vec::new();
    }
    if new_topic || steps.contains(&Step::KeepTopic) {
        return vec![Step::AlarmQueue { topic: None }];
    }
    match cloud.describe_alarm(&names.alarm).await {
        Ok(alarm) => alarm_topics(alarm.as_ref())
            .first()
            .map(|t| Step::AlarmQueue {
                topic: Some(t.to_string()),
            })
            .into_iter()
            .collect(),
        Err(_) => Vec::new(),
    }
}
