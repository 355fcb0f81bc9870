//! The trail-file source (not a link of the alert chain, the dashboard's own source): a
//! queue of secretwatch's told of each log file the trail writes, through the trail's SNS
//! topic where it has one, else through its bucket's event notifications, with a policy
//! that lets that sender send.

use super::arrivals::{Arrivals, judged};
use super::by_setup;
use crate::chain::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::links::{QueueInfo, TopicInfo, TrailInfo};
use crate::cloud::names::ChainNames;
use crate::cloud::queue_policy::{Sender, Sending, sending};

/// How the trail's files are announced, and what the doctor read of it.
pub enum Announcer<'a> {
    /// The trail's topic (None: it does not exist).
    Topic(&'a str, Option<&'a TopicInfo>),
    /// The trail's bucket: the queues its events go to (Err: could not be read).
    Bucket(&'a str, Result<&'a [String], String>),
}

pub struct TrailFilesSeen<'a> {
    pub trail: Option<&'a TrailInfo>,
    pub queue: Option<&'a QueueInfo>,
    pub announcer: Option<Announcer<'a>>,
    /// The partition, for the bucket's ARN.
    pub partition: &'a str,
    /// What arrived at the queue lately (Err: why it could not be read).
    pub arrivals: Result<Arrivals, String>,
}

pub fn trail_files(seen: &TrailFilesSeen, names: &ChainNames) -> Finding {
    let queue_name = &names.trail_file_queue;
    let (Some(trail), Some(announcer)) = (seen.trail, &seen.announcer) else {
        return Finding::new(
            L::TrailFiles,
            S::Broken,
            "no trail writes log files here: there is nothing to read",
        )
        .evidence("DescribeTrails: no trail")
        .fix("set up the trail first (see the trail finding)");
    };
    let via = match announcer {
        Announcer::Topic(topic, _) => format!("trail {}'s topic {topic}", trail.name),
        Announcer::Bucket(bucket, _) => format!("bucket {bucket}'s event notifications"),
    };
    let Some(queue) = seen.queue else {
        return Finding::new(
            L::TrailFiles,
            S::Warning,
            format!(
                "not set up: trail {}'s log files are not read (for any volume, and every \
                 account and region an organization trail covers)",
                trail.name
            ),
        )
        .evidence(format!("GetQueueUrl: no queue {queue_name}"))
        .fix(by_setup(format!(
            "create queue {queue_name}, told of each file by {via}"
        )));
    };
    let sender = match announcer {
        Announcer::Topic(topic, None) => {
            return Finding::new(
                L::TrailFiles,
                S::Broken,
                format!("trail {}'s topic {topic} does not exist", trail.name),
            )
            .evidence(format!("GetTopicAttributes: no topic {topic}"))
            .fix("give the trail a topic that exists, or remove it to use the bucket's events");
        }
        Announcer::Topic(topic, Some(info)) => {
            let subscribed = info
                .subscriptions
                .iter()
                .any(|s| s.protocol == "sqs" && s.endpoint == queue.arn);
            if !subscribed {
                return Finding::new(
                    L::TrailFiles,
                    S::Broken,
                    format!("queue {queue_name} is not subscribed to {via}"),
                )
                .evidence(format!(
                    "ListSubscriptionsByTopic {topic}: no sqs {}",
                    queue.arn
                ))
                .fix(by_setup("subscribe the queue to the topic"));
            }
            Sender::topic(topic)
        }
        Announcer::Bucket(_, Err(why)) => {
            return Finding::new(
                L::TrailFiles,
                S::Unknown,
                format!("could not read {via}: {why}"),
            );
        }
        Announcer::Bucket(bucket, Ok(queues)) => {
            if !queues.contains(&queue.arn) {
                return Finding::new(
                    L::TrailFiles,
                    S::Broken,
                    format!("{via} do not tell queue {queue_name} of new files"),
                )
                .evidence(format!(
                    "GetBucketNotificationConfiguration {bucket}: queues {}",
                    if queues.is_empty() {
                        "none".into()
                    } else {
                        queues.join(", ")
                    }
                ))
                .fix(by_setup(
                    "add a notification of objects created under AWSLogs/ to the queue",
                ));
            }
            Sender::bucket(seen.partition, bucket)
        }
    };
    let waiting = queue
        .waiting
        .map(|n| format!("; {n} message(s) waiting"))
        .unwrap_or_default();
    let evidence = format!(
        "{via} -> {}; GetQueueAttributes: Policy{waiting}",
        queue.arn
    );
    match sending(queue.policy.as_deref(), &queue.arn, &sender) {
        Sending::Refused => Finding::new(
            L::TrailFiles,
            S::Broken,
            format!(
                "queue {queue_name}'s policy does not let {} send: every notice is dropped",
                sender.service
            ),
        )
        .evidence(evidence)
        .fix(by_setup("add the statement that lets it send")),
        Sending::AnySender => judged(
            Finding::new(
                L::TrailFiles,
                S::Warning,
                format!("queue {queue_name}'s policy lets any sender in: a notice could be forged"),
            )
            .evidence(evidence)
            .fix(format!(
                "condition the statement on aws:SourceArn {}",
                sender.arn
            )),
            queue_name,
            &seen.arrivals,
        ),
        Sending::OnlyTheSender => judged(
            Finding::new(
                L::TrailFiles,
                S::Ok,
                format!("queue {queue_name} is told of each log file by {via}"),
            )
            .evidence(evidence),
            queue_name,
            &seen.arrivals,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::links::{Selectors, SubscriptionInfo};
    use crate::cloud::queue_policy::merged;

    const QUEUE: &str = "arn:aws:sqs:eu-west-1:1:secretwatch-trail-files";
    const TOPIC: &str = "arn:aws:sns:eu-west-1:1:trail-files";

    fn trail() -> TrailInfo {
        TrailInfo {
            key_prefix: None,
            organization: false,
            name: "org-trail".into(),
            arn: "arn:aws:cloudtrail:eu-west-1:1:trail/org-trail".into(),
            home_region: "eu-west-1".into(),
            multi_region: true,
            bucket: "trail-logs".into(),
            is_logging: true,
            selectors: Selectors::Default,
            log_group_arn: None,
            logs_role_arn: None,
            latest_logs_delivery: None,
            latest_logs_delivery_error: None,
            sns_topic: None,
        }
    }

    fn queue(sender: Option<&Sender>) -> QueueInfo {
        QueueInfo {
            name: "secretwatch-trail-files".into(),
            arn: QUEUE.into(),
            policy: sender.and_then(|s| merged(None, QUEUE, s)),
            waiting: Some(2),
        }
    }

    fn seen_by(queue: Option<&QueueInfo>, announcer: Announcer) -> Finding {
        let t = trail();
        let seen = TrailFilesSeen {
            trail: Some(&t),
            queue,
            announcer: Some(announcer),
            partition: "aws",
            arrivals: Ok(Arrivals::default()),
        };
        trail_files(&seen, &ChainNames::default())
    }

    #[test]
    fn through_the_buckets_events_with_the_policy_it_is_ok_and_without_a_queue_a_warning() {
        let q = queue(Some(&Sender::bucket("aws", "trail-logs")));
        let notified = [QUEUE.to_string()];
        let ok = seen_by(Some(&q), Announcer::Bucket("trail-logs", Ok(&notified)));
        assert_eq!(ok.state, S::Ok, "{ok:?}");
        assert!(ok.evidence.contains("2 message(s) waiting"), "{ok:?}");
        let none = seen_by(None, Announcer::Bucket("trail-logs", Ok(&notified)));
        assert_eq!(none.state, S::Warning);
        assert!(
            none.fix
                .as_deref()
                .is_some_and(|f| f.contains("bucket trail-logs"))
        );
        let elsewhere = seen_by(Some(&q), Announcer::Bucket("trail-logs", Ok(&[])));
        assert_eq!(elsewhere.state, S::Broken);
        assert!(elsewhere.summary.contains("do not tell"), "{elsewhere:?}");
        let unread = seen_by(
            Some(&q),
            Announcer::Bucket("trail-logs", Err("denied".into())),
        );
        assert_eq!(unread.state, S::Unknown);
    }

    #[test]
    fn through_the_topic_the_subscription_and_the_policy_for_the_topic_are_needed() {
        let subscribed = TopicInfo {
            arn: TOPIC.into(),
            policy: None,
            subscriptions: vec![SubscriptionInfo {
                protocol: "sqs".into(),
                endpoint: QUEUE.into(),
                confirmed: true,
            }],
        };
        let for_topic = queue(Some(&Sender::topic(TOPIC)));
        let ok = seen_by(Some(&for_topic), Announcer::Topic(TOPIC, Some(&subscribed)));
        assert_eq!(ok.state, S::Ok, "{ok:?}");
        // The policy lets the bucket send, not the topic: SNS's notices are dropped.
        let for_bucket = queue(Some(&Sender::bucket("aws", "trail-logs")));
        let refused = seen_by(
            Some(&for_bucket),
            Announcer::Topic(TOPIC, Some(&subscribed)),
        );
        assert_eq!(refused.state, S::Broken);
        assert!(refused.summary.contains("sns.amazonaws.com"), "{refused:?}");
        let alone = TopicInfo {
            subscriptions: vec![],
            ..subscribed
        };
        let unsubscribed = seen_by(Some(&for_topic), Announcer::Topic(TOPIC, Some(&alone)));
        assert!(
            unsubscribed.summary.contains("not subscribed"),
            "{unsubscribed:?}"
        );
        let missing = seen_by(Some(&for_topic), Announcer::Topic(TOPIC, None));
        assert!(missing.summary.contains("does not exist"), "{missing:?}");
    }
}
