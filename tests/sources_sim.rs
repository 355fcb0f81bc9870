//! The event sources' resources over the embedded account. The fast path's rule and queue:
//! the doctor judges them as EventBridge and SQS behave (the classic mistake, a rule left
//! ENABLED, never receives a read; a queue whose policy refuses the rule receives nothing),
//! and setup builds or fixes only what is wrong, after which reads reach the queue again.
//! The trail-file queue: setup builds it and what tells it of each file (the bucket's events,
//! or the trail's topic), after which the trail's next file is announced on it. Both say
//! whether messages actually arrive, from the counts CloudWatch keeps of them.

mod common;

use common::*;
use secretwatch::chain::doctor::examine;
use secretwatch::chain::setup::{Step, apply, plan};
use secretwatch::chain::{ChainLink, Finding, LinkState, Sources};
use secretwatch::cloud::Cloud;
use secretwatch::cloud::names::ChainNames;
use secretwatch::cloud::sim::{Scenario, SimCloud, SimConfig};
use secretwatch::cloud::types::Feed;
use std::sync::Arc;
use std::time::Duration;

fn quiet(scenario: Scenario) -> (Arc<SimCloud>, secretwatch::clock::Clock) {
    let mut c = SimConfig::demo(4, scenario);
    c.call_latency = (Duration::ZERO, Duration::ZERO);
    c.actors.clear();
    c.noise = false;
    c.prehistory = Duration::ZERO;
    c.timings.fast_path_drop = 0.0;
    sim(c)
}

async fn fast_path_finding(sim: &SimCloud, clock: secretwatch::clock::Clock) -> Finding {
    finding(sim, clock, &Sources::default(), ChainLink::FastPath).await
}

/// The doctor's finding on `link`, with `sources` on.
async fn finding(
    sim: &SimCloud,
    clock: secretwatch::clock::Clock,
    sources: &Sources,
    link: ChainLink,
) -> Finding {
    let names = ChainNames::default();
    let report = examine(sim, &names, sources, &[], clock.now()).await;
    let found = report.findings.into_iter().find(|f| f.link == link);
    found.unwrap_or_else(|| panic!("no {link:?} finding"))
}

/// A test read, then 2 minutes (the fast path's lag is at most 90 s): whether its envelope
/// reached the queue. What is received is deleted, so it cannot answer for a later read.
async fn a_read_reaches_the_queue(sim: &SimCloud) -> bool {
    sim.fire_test_access("TopSecretInfo", "secretwatch-test-fp")
        .await
        .expect("read");
    tokio::time::advance(Duration::from_secs(120)).await;
    let got = sim
        .receive(Feed::FastPath, 10, Duration::ZERO)
        .await
        .unwrap_or_default();
    let receipts: Vec<String> = got.iter().map(|m| m.receipt.clone()).collect();
    if !receipts.is_empty() {
        sim.delete_received(Feed::FastPath, &receipts)
            .await
            .expect("delete");
    }
    got.iter().any(|m| m.body.contains("GetSecretValue"))
}

async fn setup(sim: &SimCloud, clock: secretwatch::clock::Clock) -> Vec<Step> {
    let names = ChainNames::default();
    let p = plan(sim, &names, &Default::default(), "b", None, clock.now()).await;
    apply(sim, &names, &p.steps, |_, _, _| {})
        .await
        .expect("setup applies");
    p.steps
}

#[tokio::test(start_paused = true)]
async fn bare_the_fast_path_is_not_set_up_and_setup_builds_rule_queue_and_target() {
    let (sim, clock) = quiet(Scenario::Bare);
    let before = fast_path_finding(&sim, clock).await;
    assert_eq!(before.state, LinkState::Warning, "{before:?}");
    assert!(before.summary.contains("not set up"), "{before:?}");

    let steps = setup(&sim, clock).await;
    let fast_path: Vec<&Step> = steps
        .iter()
        .filter(|s| {
            matches!(
                s,
                Step::FastPathRule { .. }
                    | Step::FastPathQueue { .. }
                    | Step::FastPathTarget { .. }
            )
        })
        .collect();
    assert_eq!(fast_path.len(), 3, "{steps:?}");
    assert!(matches!(fast_path[0], Step::FastPathRule { state: None }));
    assert!(matches!(
        fast_path[1],
        Step::FastPathQueue { exists: false, .. }
    ));

    let after = fast_path_finding(&sim, clock).await;
    assert_eq!(after.state, LinkState::Ok, "{after:?}");
    assert!(after.summary.contains("not proven yet"), "{after:?}");
    assert!(a_read_reaches_the_queue(&sim).await);
    // What arrived is counted (SQS's NumberOfMessagesSent), as the doctor reads it.
    let proven = fast_path_finding(&sim, clock).await;
    assert_eq!(proven.state, LinkState::Ok, "{proven:?}");
    assert!(
        proven
            .summary
            .ends_with("1 message(s) arrived in the last 24 h"),
        "{proven:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_rule_left_enabled_receives_no_read_and_setup_changes_only_its_state() {
    let (sim, clock) = quiet(Scenario::Healthy);
    assert!(
        a_read_reaches_the_queue(&sim).await,
        "healthy: reads arrive"
    );
    sim.with_world(|w| w.rules[0].state = "ENABLED".into());
    let finding = fast_path_finding(&sim, clock).await;
    assert_eq!(finding.state, LinkState::Broken, "{finding:?}");
    assert!(finding.summary.contains("is ENABLED"), "{finding:?}");
    assert!(
        !a_read_reaches_the_queue(&sim).await,
        "ENABLED never receives a read"
    );

    let steps = setup(&sim, clock).await;
    assert_eq!(
        steps,
        vec![Step::FastPathRule {
            state: Some("ENABLED".into())
        }]
    );
    assert_eq!(fast_path_finding(&sim, clock).await.state, LinkState::Ok);
    assert!(a_read_reaches_the_queue(&sim).await);
}

#[tokio::test(start_paused = true)]
async fn a_queue_policy_refusing_the_rule_drops_every_read_and_setup_adds_only_its_statement() {
    let (sim, clock) = quiet(Scenario::Healthy);
    let theirs = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Audit","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sqs:GetQueueAttributes"}]}"#;
    sim.with_world(|w| {
        if let Some(q) = w.fast_path.as_mut() {
            q.policy = Some(theirs.into());
        }
    });
    let finding = fast_path_finding(&sim, clock).await;
    assert_eq!(finding.state, LinkState::Broken, "{finding:?}");
    assert!(finding.summary.contains("does not let"), "{finding:?}");
    assert!(
        !a_read_reaches_the_queue(&sim).await,
        "refused by the policy"
    );
    // EventBridge counts each refused delivery in the rule's FailedInvocations.
    let counted = fast_path_finding(&sim, clock).await;
    assert!(
        counted.evidence.contains("FailedInvocations 1"),
        "{counted:?}"
    );

    let steps = setup(&sim, clock).await;
    assert!(
        matches!(steps.as_slice(), [Step::FastPathQueue { exists: true, .. }]),
        "{steps:?}"
    );
    let policy = sim.with_world(|w| w.fast_path.as_ref().and_then(|q| q.policy.clone()));
    let policy: serde_json::Value = serde_json::from_str(&policy.expect("a policy")).expect("JSON");
    assert_eq!(policy["Statement"][0]["Sid"], "Audit", "theirs kept");
    assert_eq!(policy["Statement"][1]["Sid"], "SecretwatchFastPathRule");
    assert!(a_read_reaches_the_queue(&sim).await);
}

fn with_trail_files() -> Sources {
    Sources {
        trail_files: true,
        ..Sources::default()
    }
}

/// Whether the next file the trail writes (within five minutes) is announced on the queue.
async fn a_file_is_announced(sim: &SimCloud) -> bool {
    tokio::time::advance(Duration::from_secs(7 * 60)).await;
    let got = sim
        .receive(Feed::TrailFiles, 10, Duration::ZERO)
        .await
        .unwrap_or_default();
    got.iter().any(|m| m.body.contains("s3ObjectKey"))
}

#[tokio::test(start_paused = true)]
async fn bare_with_trail_files_on_setup_has_the_new_trails_bucket_tell_the_queue() {
    let (sim, clock) = quiet(Scenario::Bare);
    let names = ChainNames::default();
    let sources = with_trail_files();
    let p = plan(sim.as_ref(), &names, &sources, "b", None, clock.now()).await;
    assert!(
        p.steps
            .iter()
            .any(|s| matches!(s, Step::NotifyQueue { bucket, queue_arn } if bucket == "b" && queue_arn.ends_with(":secretwatch-trail-files"))),
        "{:?}",
        p.steps
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("setup applies");
    sim.fire_test_access("TopSecretInfo", "secretwatch-test-tf")
        .await
        .expect("read");
    assert!(a_file_is_announced(&sim).await);
    let files = finding(&sim, clock, &sources, ChainLink::TrailFiles).await;
    assert_eq!(files.state, LinkState::Ok, "{files:?}");
    assert!(files.summary.contains("message(s) arrived"), "{files:?}");
    // Nothing more for the files (the new topic's subscriber is another matter: no email).
    let again = plan(sim.as_ref(), &names, &sources, "b", None, clock.now()).await;
    assert!(
        !again.steps.iter().any(|s| matches!(
            s,
            Step::TrailFileQueue { .. } | Step::NotifyQueue { .. } | Step::SubscribeQueue { .. }
        )),
        "{:?}",
        again.steps
    );
}

#[tokio::test(start_paused = true)]
async fn a_trail_with_a_topic_gets_the_queue_subscribed_and_its_policy_for_the_topic() {
    let (sim, clock) = quiet(Scenario::Healthy);
    let topic = "arn:aws:sns:us-east-1:123456789012:trail-files";
    sim.with_world(|w| {
        w.trails[0].sns_topic = Some(topic.into());
        w.sns.topics.push(secretwatch::cloud::sim::Topic {
            arn: topic.into(),
            policy: None,
            subscriptions: vec![],
        });
    });
    let names = ChainNames::default();
    let sources = with_trail_files();
    let before = finding(&sim, clock, &sources, ChainLink::TrailFiles).await;
    assert!(before.summary.contains("not subscribed"), "{before:?}");
    let p = plan(sim.as_ref(), &names, &sources, "b", None, clock.now()).await;
    assert!(
        matches!(
            p.steps.as_slice(),
            [
                Step::TrailFileQueue { exists: true, .. },
                Step::SubscribeQueue { .. }
            ]
        ),
        "{:?}",
        p.steps
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("setup applies");
    let after = finding(&sim, clock, &sources, ChainLink::TrailFiles).await;
    assert_eq!(after.state, LinkState::Ok, "{after:?}");
    let policy = sim.with_world(|w| w.trail_files.queue.as_ref().and_then(|q| q.policy.clone()));
    let policy = policy.expect("a policy");
    assert!(policy.contains(topic), "{policy}");
    assert!(
        policy.contains("s3.amazonaws.com"),
        "the bucket's statement kept: {policy}"
    );
}
