//! The trace on paused time: a test access followed through every link of the embedded
//! account's chain with the latencies its timings set, and, where a link is broken, stopped
//! there with the doctor's finding.

use super::*;
use secretwatch::engine::Job;
use secretwatch::trace::{Link, Outcome, Trace};

/// The chain alone (no readers, no noise): what moves is the test access.
fn quiet(scenario: Scenario) -> SimConfig {
    let mut config = SimConfig::demo(11, scenario);
    config.actors.clear();
    config.noise = false;
    config
}

/// Starts the engine, lets the doctor look, fires one test access and follows it for
/// `secs`; returns the trace as the store holds it.
async fn traced(config: SimConfig, secs: u64, tamper: impl FnOnce(&SimCloud)) -> (Trace, Store) {
    let (sim, clock) = sim(config.clone());
    tamper(&sim);
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    engine
        .jobs
        .send(Job::Doctor { every_scope: false })
        .expect("worker alive");
    run_engine(&mut engine, clock, &mut store, 30).await;
    store.request_test("secretwatch-test-trace-1".into(), clock.now());
    engine
        .jobs
        .send(Job::TestAccess {
            marker: "secretwatch-test-trace-1".into(),
        })
        .expect("worker alive");
    run_engine(&mut engine, clock, &mut store, secs).await;
    let trace = store.traces.last().cloned().expect("a trace");
    (trace, store)
}

fn after(trace: &Trace, link: Link) -> i64 {
    trace
        .seen(link)
        .unwrap_or_else(|| panic!("{} not seen: {trace:#?}", link.label()))
        .after_secs
}

#[tokio::test(start_paused = true)]
async fn a_healthy_chain_is_traced_to_the_notification_with_the_simulations_latencies() {
    let config = quiet(Scenario::Healthy);
    let timings = config.timings.clone();
    let (trace, store) = traced(config, 300, |_| {}).await;
    assert_eq!(trace.outcome, Outcome::Complete, "{trace:#?}");
    let secs = |d: Duration| d.as_secs() as i64;
    // CloudTrail's history and log group: its delivery lag (plus the logs' own), found by
    // the tracer within one of its looks (3 s).
    let history = after(&trace, Link::History);
    assert!(history <= secs(timings.delivery_lag.1) + 3, "{history}");
    let logs = after(&trace, Link::LogGroup);
    let (lo, hi) = (
        secs(timings.delivery_lag.0 + timings.logs_lag.0),
        secs(timings.delivery_lag.1 + timings.logs_lag.1) + 1,
    );
    assert!(
        (lo..=hi).contains(&logs),
        "log group +{logs} s, not in {lo}..={hi}"
    );
    // EventBridge: within the fast path's lag, read by a long poll.
    assert!(after(&trace, Link::EventBridge) <= secs(timings.fast_path_lag.1) + 1);
    // The metric: seen at the metric source's next poll (every 10 s).
    assert!(after(&trace, Link::Metric) <= 10 + 1);
    // The alarm: the period ends within 60 s, evaluated 20 s later.
    let alarm = (trace.seen(Link::Alarm).expect("alarm").at - trace.fired_at).num_seconds();
    assert!((20..=80).contains(&alarm), "alarm {alarm} s after the read");
    // The notification: SNS's lag after the transition.
    let note = after(&trace, Link::Notification);
    let (lo, hi) = (secs(timings.sns_lag.0), secs(timings.sns_lag.1) + 1);
    assert!((lo..=hi).contains(&note), "notification +{note} s");
    assert!(
        trace.late.is_empty() && trace.unobserved.is_empty(),
        "{trace:#?}"
    );
    // Kept among the past traces, and the medians say it.
    let medians = secretwatch::trace::medians::medians(&store.trace_book.past).expect("kept");
    assert_eq!((medians.traces, medians.complete), (1, 1));
    assert_eq!(medians.to_notification, Some(trace.elapsed_secs()));
}

#[tokio::test(start_paused = true)]
async fn the_average_trap_stops_the_trace_at_the_alarm_with_the_doctors_finding() {
    // The trap needs the trail's other events: each emits the filter's default 0 into the
    // period, and the Average of 1 and the zeros stays below 1.
    let mut config = quiet(Scenario::AverageTrap);
    config.noise = true;
    let (trace, _) = traced(config, 600, |_| {}).await;
    let Outcome::Stopped {
        link,
        why,
        finding,
        fix,
    } = &trace.outcome
    else {
        panic!("not stopped: {trace:#?}");
    };
    assert_eq!(*link, Link::Alarm);
    assert!(
        trace.seen(Link::Metric).is_some(),
        "the metric rose: {trace:#?}"
    );
    assert!(why.contains("Average"), "{why}");
    let finding = finding.as_deref().expect("the doctor's finding");
    assert!(
        finding.starts_with("alarm:") && finding.contains("Average"),
        "{finding}"
    );
    assert!(fix.as_deref().is_some_and(|f| f.contains("Sum")), "{fix:?}");
}

#[tokio::test(start_paused = true)]
async fn a_trail_without_logs_stops_the_trace_at_the_log_group() {
    let (trace, _) = traced(quiet(Scenario::Healthy), 600, |sim| {
        sim.with_world(|w| w.trails[0].log_group = None);
    })
    .await;
    assert_eq!(trace.stopped_at(), Some(Link::LogGroup), "{trace:#?}");
    assert!(
        trace.seen(Link::History).is_some(),
        "CloudTrail still records it"
    );
    let Outcome::Stopped { why, finding, .. } = &trace.outcome else {
        unreachable!()
    };
    assert!(why.contains("event history has it"), "{why}");
    assert!(
        finding.as_deref().is_some_and(|f| f.starts_with("trail")),
        "{finding:?}"
    );
}

/// A topic whose policy lets only another account publish: no statement denies anything,
/// so the doctor's notify link passes; only the trace finds that nothing arrives.
#[tokio::test(start_paused = true)]
async fn a_topic_that_does_not_let_cloudwatch_publish_stops_the_trace_at_the_notification() {
    let (trace, store) = traced(quiet(Scenario::Healthy), 600, |sim| {
        sim.with_world(|w| {
            let topic = &mut w.sns.topics[0];
            topic.policy = Some(
                serde_json::json!({"Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                    "Action": "SNS:Publish",
                    "Resource": topic.arn,
                }]})
                .to_string(),
            );
        });
    })
    .await;
    assert_eq!(trace.stopped_at(), Some(Link::Notification), "{trace:#?}");
    assert!(trace.seen(Link::Alarm).is_some());
    let notify = store
        .chain
        .as_ref()
        .and_then(|r| {
            r.findings
                .iter()
                .find(|f| f.link == secretwatch::chain::ChainLink::Notify)
        })
        .expect("the doctor looked");
    assert_eq!(
        notify.state,
        secretwatch::chain::LinkState::Ok,
        "the static check passes: {notify:?}"
    );
}
