//! The alarm's messages in the embedded account: CloudWatch's JSON for a transition, and
//! its delivery to the queue of secretwatch's own subscribed to the topic, as SNS makes it
//! (in an envelope, only where the queue's policy lets the topic send).

use super::sns::Delivery;
use super::world::World;
use crate::cloud::alarm_message::envelope;
use crate::cloud::queue_policy::{self, Sender, Sending};
use crate::cloud::types::{Alarm, AlarmTransition, Feed};

/// CloudWatch's message for a transition, the fields a reader looks at.
pub fn alarm_message(alarm: &Alarm, t: &AlarmTransition, region: &str) -> String {
    serde_json::json!({
        "AlarmName": alarm.name,
        "NewStateValue": t.to,
        "OldStateValue": t.from,
        "NewStateReason": t.reason,
        "StateChangeTime": t.time.format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string(),
        "Region": region,
    })
    .to_string()
}

impl World {
    /// A delivery to a queue: on the alarm queue, when that is the queue and its policy
    /// lets the topic send; else it is lost, as SQS refuses it.
    pub(super) fn deliver_to_queue(&mut self, delivery: Delivery) {
        let Some(queue) = &self.alarm_queue else {
            return;
        };
        let arn = self.sqs_arn(&queue.name);
        let sender = Sender::topic(&delivery.topic);
        if delivery.endpoint != arn
            || queue_policy::sending(queue.policy.as_deref(), &arn, &sender) == Sending::Refused
        {
            return;
        }
        // SNS's own randomness: an alarm's message does not change the traffic.
        let id = super::world::uuid(&mut self.sns_rng);
        let body = envelope(
            &id,
            &delivery.topic,
            &delivery.subject,
            &delivery.message,
            self.now,
        );
        self.enqueue(Feed::AlarmMessages, id, body, self.now);
    }
}
