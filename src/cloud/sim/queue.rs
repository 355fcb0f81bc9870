//! The embedded account's SQS queues of secretwatch's own (the fast path's, the one notified
//! of trail log files): at least once, as SQS delivers. A message received and not deleted
//! comes back after the visibility timeout with a new receipt; a long poll waits on the
//! tokio clock until a message is visible or the wait is over.

use super::SimCloud;
use super::world::{World, to_delta};
use crate::cloud::delivery;
use crate::cloud::links::QueueInfo;
use crate::cloud::queue_policy::{self, Sender};
use crate::cloud::types::{Feed, QueueMessage};
use crate::cloud::{CloudError, ErrorKind, not_set_up};
use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;

/// SQS: at most 10 messages per receive, and a long poll waits at most 20 seconds.
const MAX_BATCH: usize = 10;
const MAX_WAIT: Duration = Duration::from_secs(20);
/// How often a long poll looks at the queue again while it waits.
const LOOK_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub struct Queue {
    pub name: String,
    /// The queue's policy (JSON): who may send to it.
    pub policy: Option<String>,
    messages: Vec<Queued>,
    /// What its sender never delivered (event time, event id): the fast path's dropped
    /// reads, what tests check the reconciler against.
    dropped: Vec<(DateTime<Utc>, String)>,
    receipts: u64,
    /// Receives of a message that had been received before.
    redeliveries: u64,
}

#[derive(Debug)]
struct Queued {
    id: String,
    body: String,
    sent_at: DateTime<Utc>,
    visible_at: DateTime<Utc>,
    receipt: Option<String>,
}

impl Queue {
    pub fn new(name: &str, policy: Option<String>) -> Self {
        Self {
            name: name.to_string(),
            policy,
            ..Self::default()
        }
    }

    /// Messages visible now, not in flight (ApproximateNumberOfMessages).
    pub(super) fn waiting(&self, now: DateTime<Utc>) -> usize {
        self.messages.iter().filter(|m| m.visible_at <= now).count()
    }

    /// Event ids of what the sender dropped.
    pub(super) fn dropped(&self) -> Vec<String> {
        self.dropped.iter().map(|(_, id)| id.clone()).collect()
    }

    /// Messages in the queue, received or not (SQS's ApproximateNumberOfMessages plus
    /// ...NotVisible).
    pub(super) fn len(&self) -> usize {
        self.messages.len()
    }

    /// A message from any sender, sent now and visible from `visible_at`.
    pub(super) fn send(
        &mut self,
        id: String,
        body: String,
        now: DateTime<Utc>,
        visible_at: DateTime<Utc>,
    ) {
        self.messages.push(Queued {
            id,
            body,
            sent_at: now,
            visible_at,
            receipt: None,
        });
    }

    /// What the sender dropped: never on the queue.
    pub(super) fn drop_one(&mut self, at: DateTime<Utc>, id: &str) {
        self.dropped.push((at, id.to_string()));
    }

    /// How many receives were of a message received before.
    pub(super) fn redeliveries(&self) -> u64 {
        self.redeliveries
    }

    /// Forgets what is older than `cut`, as the queue's retention period does.
    pub(super) fn prune(&mut self, cut: DateTime<Utc>) {
        self.messages.retain(|m| m.sent_at >= cut);
        self.dropped.retain(|(t, _)| *t >= cut);
    }

    pub(super) fn receive(
        &mut self,
        max: usize,
        now: DateTime<Utc>,
        hide: TimeDelta,
    ) -> Vec<QueueMessage> {
        let mut visible: Vec<&mut Queued> = self
            .messages
            .iter_mut()
            .filter(|m| m.visible_at <= now)
            .collect();
        visible.sort_by_key(|m| m.visible_at);
        let mut out = Vec::new();
        for m in visible.into_iter().take(max) {
            if m.receipt.is_some() {
                self.redeliveries += 1;
            }
            self.receipts += 1;
            let receipt = format!("{}#{}", m.id, self.receipts);
            m.receipt = Some(receipt.clone());
            m.visible_at = now + hide;
            out.push(QueueMessage {
                id: m.id.clone(),
                receipt,
                body: m.body.clone(),
            });
        }
        out
    }

    /// A handle from an earlier receive of a message that came back since deletes nothing.
    pub(super) fn delete(&mut self, receipts: &[String]) {
        self.messages
            .retain(|m| !m.receipt.as_ref().is_some_and(|r| receipts.contains(r)));
    }

    pub(super) fn next_visible(&self) -> Option<DateTime<Utc>> {
        self.messages.iter().map(|m| m.visible_at).min()
    }
}

impl World {
    pub fn sqs_arn(&self, name: &str) -> String {
        crate::cloud::fast_path::queue_arn("aws", &self.region, &self.account, name)
    }

    /// CreateQueue, then the policy statement that lets `sender` send (others kept). The
    /// embedded account keeps three queues of secretwatch's: the fast path's, which
    /// EventBridge sends to, the trail files', which SNS or S3 sends to, and the alarm's
    /// (by its name), which the alarm's topic sends to.
    pub(super) fn ensure_queue(&mut self, name: &str, sender: &Sender) -> String {
        let arn = self.sqs_arn(name);
        let slot = if name == self.alarm_queue_name {
            &mut self.alarm_queue
        } else if sender.service == Sender::rule("").service {
            &mut self.fast_path
        } else {
            &mut self.trail_files.queue
        };
        match slot {
            Some(q) if q.name == name => {
                if let Some(policy) = queue_policy::merged(q.policy.as_deref(), &arn, sender) {
                    q.policy = Some(policy);
                }
            }
            _ => *slot = Some(Queue::new(name, queue_policy::merged(None, &arn, sender))),
        }
        arn
    }

    /// GetQueueUrl and GetQueueAttributes: either queue of secretwatch's, by name.
    pub(super) fn queue_info(&self, name: &str) -> Option<QueueInfo> {
        let q = [
            self.fast_path.as_ref(),
            self.trail_files.queue.as_ref(),
            self.alarm_queue.as_ref(),
        ]
        .into_iter()
        .flatten()
        .find(|q| q.name == name)?;
        Some(QueueInfo {
            name: q.name.clone(),
            arn: self.sqs_arn(&q.name),
            policy: q.policy.clone(),
            waiting: Some(q.waiting(self.now) as u64),
        })
    }

    pub(super) fn queue_of(&mut self, feed: Feed) -> Result<&mut Queue, CloudError> {
        let (queue, why) = match feed {
            Feed::FastPath => (
                self.fast_path.as_mut(),
                "the account has no EventBridge rule and queue",
            ),
            Feed::TrailFiles => (
                self.trail_files.queue.as_mut(),
                "no queue is notified of the trail's log files",
            ),
            Feed::AlarmMessages => (
                self.alarm_queue.as_mut(),
                "no queue of secretwatch's own is subscribed to the alarm's topic",
            ),
        };
        queue.ok_or_else(|| not_set_up(feed, why))
    }

    /// A message on a queue of secretwatch's from any sender (SendMessage), sent now and
    /// visible from `visible_at`, counted in the queue's NumberOfMessagesSent.
    pub(super) fn enqueue(
        &mut self,
        feed: Feed,
        id: String,
        body: String,
        visible_at: DateTime<Utc>,
    ) {
        let now = self.now;
        let Ok(queue) = self.queue_of(feed) else {
            return;
        };
        queue.send(id, body, now, visible_at);
        let metric = delivery::messages_sent(&queue.name);
        self.metrics.put(&metric, now, 1.0);
    }

    fn take_from(&mut self, feed: Feed, max: usize) -> Result<Vec<QueueMessage>, CloudError> {
        let (now, hide) = (self.now, to_delta(self.timings.visibility_timeout));
        Ok(self.queue_of(feed)?.receive(max, now, hide))
    }
}

impl SimCloud {
    /// ReceiveMessage with a long poll: one call (its faults and latency met once), then
    /// a look at the queue every second, on the tokio clock, until a message is there or
    /// the wait is over.
    pub(super) async fn receive_messages(
        &self,
        feed: Feed,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<QueueMessage>, CloudError> {
        if !(1..=MAX_BATCH).contains(&max) || wait > MAX_WAIT {
            return Err(CloudError::new(
                "ReceiveMessage",
                ErrorKind::InvalidInput,
                "InvalidParameterValue: 1 to 10 messages, waiting at most 20 seconds",
            ));
        }
        let deadline = tokio::time::Instant::now() + wait;
        let mut got = self
            .call("ReceiveMessage", |w| w.take_from(feed, max))
            .await?;
        while got.is_empty() {
            let now = tokio::time::Instant::now();
            if now >= deadline {
                break;
            }
            let next = self.with_world(|w| w.queue_of(feed).ok().and_then(|q| q.next_visible()));
            let until_next = match next {
                Some(t) => (t - self.clock.now()).to_std().unwrap_or_default(),
                None => LOOK_EVERY,
            };
            let pause = LOOK_EVERY.min(until_next).min(deadline - now);
            tokio::time::sleep(pause.max(Duration::from_millis(1))).await;
            got = self.with_world(|w| w.take_from(feed, max))?;
        }
        Ok(got)
    }

    pub(super) async fn delete_messages(
        &self,
        feed: Feed,
        receipts: &[String],
    ) -> Result<(), CloudError> {
        self.call("DeleteMessageBatch", |w| {
            w.queue_of(feed)?.delete(receipts);
            Ok(())
        })
        .await
    }
}
