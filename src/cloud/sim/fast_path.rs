//! The embedded account's fast path: an EventBridge rule in
//! `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` matching Secrets Manager reads, with a
//! queue of secretwatch's own as its target. Each read's CloudTrail record (the very one
//! event history holds) reaches the queue in EventBridge's envelope some seconds after the
//! call, or never: delivery is best effort. The queue delivers at least once: a message
//! received and not deleted comes back after the visibility timeout.

use super::SimCloud;
use super::record::CallSpec;
use super::world::{World, to_delta, uuid};
use crate::cloud::delivery;
use crate::cloud::types::{Feed, is_shown};
use chrono::{DateTime, SecondsFormat, Utc};
use rand::Rng;
use serde_json::{Value, json};

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
        let read = is_shown(&call.event_source, &call.event_name);
        let trail = self
            .trails
            .iter()
            .any(|t| t.logging && t.include_management_events);
        if !read || !trail {
            return;
        }
        // Built once: what the rules match, then, with its id, the message's body.
        let mut envelope = envelope(&call.event_source, event, at, (&self.account, &self.region));
        let deliveries = self.rule_deliveries(&envelope);
        for rule in &deliveries.failed {
            self.metrics
                .put(&delivery::failed_invocations(rule), at, 1.0);
        }
        if !deliveries.delivered {
            return;
        }
        let rng = &mut self.fast_path_rng;
        if rng.random_bool(self.timings.fast_path_drop.clamp(0.0, 1.0)) {
            if let Some(queue) = &mut self.fast_path {
                queue.drop_one(at, event_id);
            }
            return;
        }
        // Skewed to the bottom of the range, u⁶ of the way up it: over 1 to 90 s, half
        // within 2.5 s and a tenth after 48 s.
        let (lo, hi) = self.timings.fast_path_lag;
        let u: f64 = rng.random::<f64>().powi(6);
        let lag = lo + hi.saturating_sub(lo).mul_f64(u);
        envelope["id"] = Value::String(uuid(rng));
        let message_id = uuid(rng);
        self.enqueue(
            Feed::FastPath,
            message_id,
            envelope.to_string(),
            at + to_delta(lag),
        );
    }
}

/// The event as EventBridge delivers it: its envelope around the CloudTrail record (its
/// `id` left for the sender to give).
fn envelope(
    event_source: &str,
    detail: &Value,
    at: DateTime<Utc>,
    (account, region): (&str, &str),
) -> Value {
    let service = event_source.split('.').next().unwrap_or("aws");
    json!({
        "version": "0",
        "id": "",
        "detail-type": "AWS API Call via CloudTrail",
        "source": format!("aws.{service}"),
        "account": account,
        "time": at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "region": region,
        "resources": [],
        "detail": detail,
    })
}

impl SimCloud {
    /// Event ids of the reads the fast path dropped: the reconciler's to find.
    pub fn fast_path_dropped(&self) -> Vec<String> {
        self.with_world(|w| w.fast_path.as_ref().map_or(Vec::new(), |q| q.dropped()))
    }

    /// How many messages are on the queue (received or not), and how many receives were of a
    /// message received before: None without a fast path.
    pub fn fast_path_queue(&self) -> Option<(usize, u64)> {
        self.with_world(|w| w.fast_path.as_ref().map(|q| (q.len(), q.redeliveries())))
    }

    /// Puts a message of any body on the fast path's queue now, as another sender could.
    pub fn send_fast_path_message(&self, id: &str, body: &str) {
        self.with_world(|w| w.enqueue(Feed::FastPath, id.into(), body.into(), w.now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::cloud::sim::{Scenario, SimConfig};
    use crate::cloud::types::Feed;
    use crate::cloud::{Cloud, ErrorKind};
    use chrono::TimeZone;
    use std::time::Duration;

    const MAX_WAIT: Duration = Duration::from_secs(20);

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
        let first = sim
            .receive(Feed::FastPath, 10, MAX_WAIT)
            .await
            .expect("receive");
        assert_eq!(first.len(), 1);
        let hidden = sim.receive(Feed::FastPath, 10, Duration::ZERO).await;
        assert_eq!(hidden.expect("receive").len(), 0, "hidden while in flight");
        tokio::time::advance(Duration::from_secs(31)).await;
        let again = sim.receive(Feed::FastPath, 10, Duration::ZERO).await;
        let again = again.expect("receive");
        assert_eq!(again.len(), 1, "not deleted: delivered again");
        assert_ne!(again[0].receipt, first[0].receipt);
        assert_eq!(sim.fast_path_queue(), Some((1, 1)));
        sim.delete_received(Feed::FastPath, &[again[0].receipt.clone()])
            .await
            .expect("delete");
        tokio::time::advance(Duration::from_secs(31)).await;
        let gone = sim.receive(Feed::FastPath, 10, Duration::ZERO).await;
        assert!(gone.expect("receive").is_empty(), "deleted: never again");
    }

    /// The long poll waits on the tokio clock until a read's envelope is on the queue: the
    /// very record event history holds, 1 to 90 s after the call.
    #[tokio::test(start_paused = true)]
    async fn a_long_poll_returns_each_read_as_its_cloudtrail_record_in_an_envelope() {
        let sim = account(Scenario::Healthy);
        let mut bodies = Vec::new();
        while bodies.len() < 5 {
            let got = sim
                .receive(Feed::FastPath, 10, MAX_WAIT)
                .await
                .expect("receive");
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
        let err = sim
            .receive(Feed::FastPath, 10, MAX_WAIT)
            .await
            .expect_err("none");
        assert_eq!(err.kind, ErrorKind::Unsupported);
        assert!(err.message.contains("no fast path"), "{err}");
    }
}
