//! Setup's part for the trail-file source: the queue with the statement that lets its
//! sender send, then the sender: a subscription to the trail's topic where it has one, else
//! a notification on the trail's bucket (the bucket's other notifications kept). Each only
//! where the doctor found it missing or wrong.

use super::doctor::Report;
use super::rules::pick_trail;
use super::setup::Step;
use super::{ChainLink, LinkState};
use crate::cloud::Cloud;
use crate::cloud::fast_path::queue_arn;
use crate::cloud::names::ChainNames;
use crate::cloud::policy_doc::partition;
use crate::cloud::queue_policy::{self, Sender};

/// The trail-file source's steps; `planned` are the chain's steps before them (a trail
/// setup creates is the one whose files are read).
pub(super) async fn steps(
    cloud: &dyn Cloud,
    names: &ChainNames,
    report: &Report,
    planned: &[Step],
    notes: &mut Vec<String>,
) -> Vec<Step> {
    let needs = report.findings.iter().any(|f| {
        f.link == ChainLink::TrailFiles && matches!(f.state, LinkState::Broken | LinkState::Warning)
    });
    if !needs {
        return Vec::new();
    }
    let (trails, queue, id) = match (
        cloud.trails().await,
        cloud.queue(&names.trail_file_queue).await,
        cloud.identity().await,
    ) {
        (Ok(trails), Ok(queue), Ok(id)) => (trails, queue, id),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            notes.push(format!("the trail-file queue left alone: {e}"));
            return Vec::new();
        }
    };
    let partition = partition(&id.principal);
    // The trail whose files are read: the one setup creates or repoints, else the one found.
    let new_bucket = planned.iter().find_map(|s| match s {
        Step::Trail { bucket, .. } => Some(bucket.clone()),
        _ => None,
    });
    let found = pick_trail(&trails, &names.trail);
    let (bucket, topic) = match (new_bucket, found) {
        (Some(bucket), found) => (bucket, found.and_then(|t| t.sns_topic.clone())),
        (None, Some(t)) => (t.bucket.clone(), t.sns_topic.clone()),
        (None, None) => {
            notes.push("no trail: the trail-file queue waits for one".into());
            return Vec::new();
        }
    };
    let sender = match &topic {
        Some(arn) => Sender::topic(arn),
        None => Sender::bucket(partition, &bucket),
    };
    let arn = queue.as_ref().map_or_else(
        || queue_arn(partition, &id.region, &id.account, &names.trail_file_queue),
        |q| q.arn.clone(),
    );
    let mut steps = Vec::new();
    let policy = queue.as_ref().and_then(|q| q.policy.as_deref());
    if queue.is_none() || queue_policy::merged(policy, &arn, &sender).is_some() {
        steps.push(Step::TrailFileQueue {
            exists: queue.is_some(),
            sender: sender.clone(),
        });
    }
    match topic {
        Some(topic) => {
            let subscribed = match cloud.topic(&topic).await {
                Ok(Some(t)) => t.subscriptions.iter().any(|s| s.endpoint == arn),
                _ => false,
            };
            if !subscribed {
                steps.push(Step::SubscribeQueue {
                    topic,
                    queue_arn: arn,
                });
            }
        }
        None => {
            let notified = cloud
                .bucket_queues(&bucket)
                .await
                .is_ok_and(|queues| queues.contains(&arn));
            if !notified {
                steps.push(Step::NotifyQueue {
                    bucket,
                    queue_arn: arn,
                });
            }
        }
    }
    steps
}
