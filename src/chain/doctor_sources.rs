//! The doctor's look at the event sources that need setting up (not links of the alert
//! chain, the dashboard's own): the fast path's rule and queue, and the trail-file queue
//! with what tells it of each file.

use super::doctor::unknown;
use super::rules::arrivals::Arrivals;
use super::rules::{self, Announcer, TrailFilesSeen};
use super::{ChainLink, Finding};
use crate::cloud::links::TrailInfo;
use crate::cloud::names::ChainNames;
use crate::cloud::policy_doc::partition;
use crate::cloud::{Cloud, delivery};
use chrono::{DateTime, Utc};

/// The fast path's rule, its pattern tried on a sample read, and its queue.
pub(super) async fn fast_path(
    cloud: &dyn Cloud,
    names: &ChainNames,
    now: DateTime<Utc>,
) -> Finding {
    let rule = match cloud.event_rule(&names.fast_path_rule).await {
        Ok(rule) => rule,
        Err(e) => return unknown(ChainLink::FastPath, &e),
    };
    let queue = match cloud.queue(&names.fast_path_queue).await {
        Ok(queue) => queue,
        Err(e) => return unknown(ChainLink::FastPath, &e),
    };
    let (pattern, changes) = match rule.as_ref().and_then(|r| r.event_pattern.as_deref()) {
        None => (Ok(false), true),
        Some(pattern) => {
            let (account, region) = rule.as_ref().map(|r| arn_place(&r.arn)).unwrap_or_default();
            pattern_fit(cloud, pattern, &account, &region).await
        }
    };
    let arrivals = match (&rule, &queue) {
        (Some(rule), Some(queue)) => arrivals(cloud, &queue.name, Some(&rule.name), now).await,
        _ => Ok(Arrivals::default()),
    };
    let seen = rules::FastPathSeen {
        rule: rule.as_ref(),
        pattern,
        changes,
        queue: queue.as_ref(),
        arrivals,
    };
    rules::fast_path(&seen, names)
}

/// How a rule's pattern fares (TestEventPattern) against a sample read (Err: why it could
/// not be tested) and, when it matches that, a sample change of the secret (false: a rule
/// set up before the changes were shown, which matches the reads only; true when untested).
/// The doctor's judgement and setup's plan both rest on it.
pub(super) async fn pattern_fit(
    cloud: &dyn Cloud,
    pattern: &str,
    account: &str,
    region: &str,
) -> (Result<bool, String>, bool) {
    use crate::cloud::fast_path::{sample_change, sample_read};
    let reads = cloud
        .test_event_pattern(pattern, &sample_read(account, region))
        .await
        .map_err(|e| e.short());
    let changes = reads != Ok(true)
        || cloud
            .test_event_pattern(pattern, &sample_change(account, region))
            .await
            .unwrap_or(true);
    (reads, changes)
}

/// An ARN's account and region.
fn arn_place(arn: &str) -> (String, String) {
    let parts: Vec<&str> = arn.split(':').collect();
    let part = |i: usize| parts.get(i).copied().unwrap_or_default().to_string();
    (part(4), part(3))
}

/// The trail-file queue, and the trail's topic or bucket events that tell it of each file.
pub(super) async fn trail_files(
    cloud: &dyn Cloud,
    names: &ChainNames,
    trail: Option<&TrailInfo>,
    now: DateTime<Utc>,
) -> Finding {
    let queue = match cloud.queue(&names.trail_file_queue).await {
        Ok(queue) => queue,
        Err(e) => return unknown(ChainLink::TrailFiles, &e),
    };
    let topic = match trail.and_then(|t| t.sns_topic.as_deref()) {
        Some(arn) => match cloud.topic(arn).await {
            Ok(topic) => Some((arn, topic)),
            Err(e) => return unknown(ChainLink::TrailFiles, &e),
        },
        None => None,
    };
    let bucket = match (trail, &topic) {
        (Some(t), None) => Some((
            t.bucket.as_str(),
            cloud.bucket_queues(&t.bucket).await.map_err(|e| e.short()),
        )),
        _ => None,
    };
    let announcer = match (&topic, &bucket) {
        (Some((arn, info)), _) => Some(Announcer::Topic(arn, info.as_ref())),
        (None, Some((name, queues))) => Some(Announcer::Bucket(
            name,
            queues.as_ref().map(Vec::as_slice).map_err(Clone::clone),
        )),
        (None, None) => None,
    };
    let arrivals = match &queue {
        Some(queue) => arrivals(cloud, &queue.name, None, now).await,
        None => Ok(Arrivals::default()),
    };
    let seen = TrailFilesSeen {
        trail,
        queue: queue.as_ref(),
        announcer,
        partition: partition(trail.map_or("", |t| t.arn.as_str())),
        arrivals,
    };
    rules::trail_files(&seen, names)
}

/// What CloudWatch counted lately of the messages `queue` received and, for a rule sending
/// to it, of the rule's failed deliveries.
async fn arrivals(
    cloud: &dyn Cloud,
    queue: &str,
    rule: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Arrivals, String> {
    let sent = delivery::recent_sum(cloud, delivery::messages_sent(queue), now)
        .await
        .map_err(|e| e.short())?;
    let failed = match rule {
        Some(rule) => delivery::recent_sum(cloud, delivery::failed_invocations(rule), now)
            .await
            .map_err(|e| e.short())?,
        None => None,
    };
    Ok(Arrivals { sent, failed })
}
