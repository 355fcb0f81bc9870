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

/// The alarm's first SNS topic, where the queue belongs.
pub fn alarm_topic(alarm: Option<&Alarm>) -> Option<&str> {
    alarm?
        .alarm_actions
        .iter()
        .map(String::as_str)
        .find(|a| a.starts_with("arn:") && a.contains(":sns:"))
}

pub async fn finding(cloud: &dyn Cloud, names: &ChainNames, alarm: Option<&Alarm>) -> Finding {
    let name = &names.alarm_queue;
    let Some(topic) = alarm_topic(alarm) else {
        return Finding::new(
            L::AlarmQueue,
            S::Warning,
            "the alarm notifies no topic: a trace cannot see its message",
        )
        .fix("give the alarm a topic first (the notify link's fix)");
    };
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
    let subscribed = match cloud.topic(topic).await {
        Ok(t) => t.is_some_and(|t| t.subscriptions.iter().any(|s| s.endpoint == queue.arn)),
        Err(e) => return unknown(L::AlarmQueue, &e),
    };
    let policy = queue.policy.as_deref();
    let lets = queue_policy::sending(policy, &queue.arn, &Sender::topic(topic));
    let evidence = format!(
        "ListSubscriptionsByTopic: queue {}subscribed; queue policy: {}",
        if subscribed { "" } else { "not " },
        if lets == Sending::Refused {
            "the topic may not send"
        } else {
            "the topic may send"
        }
    );
    if !subscribed || lets == Sending::Refused {
        return Finding::new(
            L::AlarmQueue,
            S::Warning,
            format!("queue {name} does not hear from topic {topic}: a trace stops at the alarm"),
        )
        .evidence(evidence)
        .fix(FIX);
    }
    Finding::new(
        L::AlarmQueue,
        S::Ok,
        format!("topic {topic} sends to queue {name}: a trace sees the message arrive"),
    )
    .evidence(evidence)
}

/// Setup's step: where the doctor found the queue missing or deaf, or the plan makes the
/// chain's topic new.
pub(super) fn steps(report: &super::doctor::Report, steps: &[Step]) -> Vec<Step> {
    let finding = report.findings.iter().find(|f| f.link == L::AlarmQueue);
    let new_topic = steps.contains(&Step::Topic);
    let needs = finding.is_some_and(|f| matches!(f.state, S::Warning | S::Broken));
    if new_topic || needs {
        vec![Step::AlarmQueue]
    } else {
        Vec::new()
    }
}
