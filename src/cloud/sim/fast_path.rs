//! The embedded account's fast path: an EventBridge rule in
//! `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` matching Secrets Manager reads, with a
//! queue of secretwatch's own as its target. Each read's CloudTrail record (the very one
//! event history holds) reaches the queue in EventBridge's envelope some seconds after the
//! call, or never: delivery is best effort. The queue delivers at least once: a message
//! received and not deleted comes back after the visibility timeout.

use super::SimCloud;
use super::record::CallSpec;
use super::world::{ACCOUNT, REGION, World, to_delta, uuid};
use crate::cloud::types::QueueMessage;
use crate::cloud::{CloudError, ErrorKind, no_fast_path};
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use rand::Rng;
use serde_json::{Value, json};
use std::time::Duration;

/// SQS: at most 10 messages per receive, and a long poll waits at most 20 seconds.
const MAX_BATCH: usize = 10;
const MAX_WAIT: Duration = Duration::from_secs(20);
/// How often a long poll looks at the queue again while it waits.
const LOOK_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub struct FastPathQueue {
    messages: Vec<Queued>,
    /// The reads the rule never delivered (event time, event id): what tests check the
    /// reconciler against.
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

impl FastPathQueue {
    /// Event ids of the reads the rule dropped.
    pub(super) fn dropped(&self) -> Vec<String> {
        self.dropped.iter().map(|(_, id)| id.clone()).collect()
    }

    /// Messages in the queue, received or not (SQS's ApproximateNumberOfMessages plus
    /// ...NotVisible).
    pub(super) fn len(&self) -> usize {
        self.messages.len()
    }

    /// Forgets what is older than `cut`, as the queue's retention period does.
    pub(super) fn prune(&mut self, cut: DateTime<Utc>) {
        self.messages.retain(|m| m.sent_at >= cut);
        self.dropped.retain(|(t, _)| *t >= cut);
    }

    fn receive(&mut self, max: usize, now: DateTime<Utc>, hide: TimeDelta) -> Vec<QueueMessage> {
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
    fn delete(&mut self, receipts: &[String]) {
        self.messages
            .retain(|m| !m.receipt.as_ref().is_some_and(|r| receipts.contains(r)));
    }

    fn next_visible(&self) -> Option<DateTime<Utc>> {
        self.messages.iter().map(|m| m.visible_at).min()
    }
}

impl World {
    /// The rule's part in a call: a Secrets Manager read, while a trail logs management
    /// events (the rule's state needs one), goes to the queue after EventBridge's lag,
    /// unless it is among the share dropped. Only the fast path's own randomness is drawn.
    pub(super) fn offer_fast_path(
        &mut self,
        call: &CallSpec,
        event_id: &str,
        event: &Value,
        at: DateTime<Utc>,
    ) {
        let read = call.event_source == "secretsmanager.amazonaws.com"
            && matches!(
                call.event_name.as_str(),
                "GetSecretValue" | "BatchGetSecretValue"
            );
        let trail = self
            .trails
            .iter()
            .any(|t| t.logging && t.include_management_events);
        if self.fast_path.is_none() || !read || !trail {
            return;
        }
        let rng = &mut self.fast_path_rng;
        if rng.random_bool(self.timings.fast_path_drop.clamp(0.0, 1.0)) {
            if let Some(queue) = &mut self.fast_path {
                queue.dropped.push((at, event_id.to_string()));
            }
            return;
        }
        // Skewed to the bottom of the range, u⁶ of the way up it: over 1 to 90 s, half
        // within 2.5 s and a tenth after 48 s.
        let (lo, hi) = self.timings.fast_path_lag;
        let u: f64 = rng.random::<f64>().powi(6);
        let lag = lo + hi.saturating_sub(lo).mul_f64(u);
        let envelope_id = uuid(rng);
        let message_id = uuid(rng);
        let body = envelope(&envelope_id, &call.event_source, event, at);
        self.send_to_fast_path(message_id, body, at + to_delta(lag));
    }

    /// A message on the queue from any sender (SendMessage), visible from `visible_at`.
    pub fn send_to_fast_path(&mut self, id: String, body: String, visible_at: DateTime<Utc>) {
        let sent_at = self.now;
        if let Some(queue) = &mut self.fast_path {
            queue.messages.push(Queued {
                id,
                body,
                sent_at,
                visible_at,
                receipt: None,
            });
        }
    }

    fn queue(&mut self) -> Result<&mut FastPathQueue, CloudError> {
        self.fast_path
            .as_mut()
            .ok_or_else(|| no_fast_path("the account has no EventBridge rule and queue"))
    }

    fn take_from_queue(&mut self, max: usize) -> Result<Vec<QueueMessage>, CloudError> {
        let (now, hide) = (self.now, to_delta(self.timings.visibility_timeout));
        Ok(self.queue()?.receive(max, now, hide))
    }
}

/// The event as EventBridge delivers it: its envelope around the CloudTrail record.
fn envelope(id: &str, event_source: &str, detail: &Value, at: DateTime<Utc>) -> String {
    let service = event_source.split('.').next().unwrap_or("aws");
    json!({
        "version": "0",
        "id": id,
        "detail-type": "AWS API Call via CloudTrail",
        "source": format!("aws.{service}"),
        "account": ACCOUNT,
        "time": at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "region": REGION,
        "resources": [],
        "detail": detail,
    })
    .to_string()
}

impl SimCloud {
    /// ReceiveMessage with a long poll: one call (its faults and latency met once), then
    /// a look at the queue every second, on the tokio clock, until a message is there or
    /// the wait is over.
    pub(super) async fn receive_messages(
        &self,
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
            .call("ReceiveMessage", |w| w.take_from_queue(max))
            .await?;
        while got.is_empty() {
            let now = tokio::time::Instant::now();
            if now >= deadline {
                break;
            }
            let next = self.with_world(|w| w.fast_path.as_ref().and_then(|q| q.next_visible()));
            let until_next = match next {
                Some(t) => (t - self.clock.now()).to_std().unwrap_or_default(),
                None => LOOK_EVERY,
            };
            let pause = LOOK_EVERY.min(until_next).min(deadline - now);
            tokio::time::sleep(pause.max(Duration::from_millis(1))).await;
            got = self.with_world(|w| w.take_from_queue(max))?;
        }
        Ok(got)
    }

    pub(super) async fn delete_messages(&self, receipts: &[String]) -> Result<(), CloudError> {
        self.call("DeleteMessageBatch", |w| {
            w.queue()?.delete(receipts);
            Ok(())
        })
        .await
    }

    /// Event ids of the reads the fast path dropped: the reconciler's to find.
    pub fn fast_path_dropped(&self) -> Vec<String> {
        self.with_world(|w| w.fast_path.as_ref().map_or(Vec::new(), |q| q.dropped()))
    }

    /// How many messages are on the queue (received or not), and how many receives were of a
    /// message received before: None without a fast path.
    pub fn fast_path_queue(&self) -> Option<(usize, u64)> {
        self.with_world(|w| w.fast_path.as_ref().map(|q| (q.len(), q.redeliveries)))
    }

    /// Puts a message of any body on the fast path's queue now, as another sender could.
    pub fn send_fast_path_message(&self, id: &str, body: &str) {
        self.with_world(|w| w.send_to_fast_path(id.into(), body.into(), w.now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::cloud::Cloud;
    use crate::cloud::sim::{Scenario, SimConfig};
    use chrono::TimeZone;

    fn account(scenario: Scenario) -> SimCloud {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).single();
        let clock = Clock::starting_at(start.expect("valid"));
        let mut config = SimConfig::demo(3, scenario);
        config.prehistory = Duration::ZERO;
        SimCloud::new(config, clock)
    }

    /// A message received and not deleted comes back after the visibility timeout, with a
    /// new receipt; deleted, it does not.
    #[tokio::test(start_paused = true)]
    async fn a_message_not_deleted_comes_back_and_a_deleted_one_does_not() {
        let sim = account(Scenario::Healthy);
        sim.with_world(|w| w.stop_actors());
        sim.send_fast_path_message("m-1", "{}");
        let first = sim.receive_fast_path(10, MAX_WAIT).await.expect("receive");
        assert_eq!(first.len(), 1);
        let hidden = sim.receive_fast_path(10, Duration::ZERO).await;
        assert_eq!(hidden.expect("receive").len(), 0, "hidden while in flight");
        tokio::time::advance(Duration::from_secs(31)).await;
        let again = sim.receive_fast_path(10, Duration::ZERO).await;
        let again = again.expect("receive");
        assert_eq!(again.len(), 1, "not deleted: delivered again");
        assert_ne!(again[0].receipt, first[0].receipt);
        assert_eq!(sim.fast_path_queue(), Some((1, 1)));
        sim.delete_fast_path(&[again[0].receipt.clone()])
            .await
            .expect("delete");
        tokio::time::advance(Duration::from_secs(31)).await;
        let gone = sim.receive_fast_path(10, Duration::ZERO).await;
        assert!(gone.expect("receive").is_empty(), "deleted: never again");
    }

    /// The long poll waits on the tokio clock until a read's envelope is on the queue: the
    /// very record event history holds, 1 to 90 s after the call.
    #[tokio::test(start_paused = true)]
    async fn a_long_poll_returns_each_read_as_its_cloudtrail_record_in_an_envelope() {
        let sim = account(Scenario::Healthy);
        let mut bodies = Vec::new();
        while bodies.len() < 5 {
            let got = sim.receive_fast_path(10, MAX_WAIT).await.expect("receive");
            bodies.extend(got.into_iter().map(|m| m.body));
        }
        for body in &bodies {
            let v: Value = serde_json::from_str(body).expect("JSON");
            assert_eq!(v["detail-type"], "AWS API Call via CloudTrail");
            assert_eq!(v["source"], "aws.secretsmanager");
            assert_eq!(v["detail"]["eventName"], "GetSecretValue");
            let id = v["detail"]["eventID"].as_str().expect("an event id");
            let sent = DateTime::parse_from_rfc3339(v["time"].as_str().expect("time"));
            assert!(sent.is_ok(), "{body}");
            assert!(sim.delivered_at(id).is_some(), "event history holds {id}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn without_the_rule_there_is_no_fast_path() {
        let sim = account(Scenario::Bare);
        let err = sim.receive_fast_path(10, MAX_WAIT).await.expect_err("none");
        assert_eq!(err.kind, ErrorKind::Unsupported);
        assert!(err.message.contains("no fast path"), "{err}");
    }
}
