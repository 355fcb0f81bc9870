//! The engine over the embedded account on paused time: late and out-of-order
//! delivery, throttling, outages; exact counts.

mod common;

use chrono::TimeDelta;
use common::*;
use secretwatch::cloud::sim::{FaultKind, FaultRule, Scenario, SimCloud, SimConfig};
use secretwatch::cloud::types::AlarmState;
use secretwatch::engine::{Engine, Job};
use secretwatch::store::{Change, Lookup, Store, TestStage};
use std::collections::HashSet;
use std::time::Duration;

/// Busy traffic with CloudTrail delivering 0 to 15 minutes late, in any order.
fn laggy(seed: u64) -> SimConfig {
    let mut config = SimConfig::demo(seed, Scenario::Healthy);
    config.timings.delivery_lag = (Duration::ZERO, Duration::from_secs(15 * 60));
    config.actors = vec![busy_reader("ann", (2, 6)), busy_reader("ben", (3, 7))];
    config.noise = false;
    config.prehistory = Duration::ZERO;
    config
}

fn max_calls_in_any_second(calls: &[chrono::DateTime<chrono::Utc>]) -> usize {
    let mut sorted = calls.to_vec();
    sorted.sort();
    let mut best = 0;
    let mut lo = 0;
    for hi in 0..sorted.len() {
        while sorted[hi] - sorted[lo] >= TimeDelta::seconds(1) {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

fn access_ids(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Access(e) => Some(e.event_id.to_string()),
            _ => None,
        })
        .collect()
}

fn assert_same(emitted: &HashSet<String>, truth: &HashSet<String>) {
    let lost: Vec<&String> = truth.difference(emitted).take(5).collect();
    let invented: Vec<&String> = emitted.difference(truth).take(5).collect();
    assert!(
        lost.is_empty() && invented.is_empty(),
        "{} events in truth, {} emitted; lost e.g. {lost:?}; invented e.g. {invented:?}",
        truth.len(),
        emitted.len()
    );
}

/// Every GetSecretValue the account recorded was reported exactly once, and
/// LookupEvents never went over 2 calls in a second.
fn every_access_once_within_budget(sim: &SimCloud, changes: &[Change]) {
    let truth: HashSet<String> = sim
        .recorded_event_ids("GetSecretValue")
        .into_iter()
        .collect();
    let emitted = access_ids(changes);
    let emitted_set: HashSet<String> = emitted.iter().cloned().collect();
    assert_eq!(
        emitted.len(),
        emitted_set.len(),
        "an event was reported twice"
    );
    assert_same(&emitted_set, &truth);
    assert!(max_calls_in_any_second(&sim.calls("LookupEvents")) <= 2);
}

/// Stops the traffic after `traffic_secs`, then lets every late event arrive.
async fn run_to_quiet(
    sim: &SimCloud,
    engine: &mut Engine,
    clock: secretwatch::clock::Clock,
    store: &mut Store,
    traffic_secs: u64,
) -> Vec<Change> {
    let mut changes = run_engine(engine, clock, store, traffic_secs).await;
    sim.with_world(|w| w.stop_actors());
    changes.extend(run_engine(engine, clock, store, 20 * 60).await);
    changes
}

#[tokio::test(start_paused = true)]
async fn late_and_out_of_order_events_all_arrive_exactly_once() {
    let config = laggy(7);
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    let changes = run_to_quiet(&sim, &mut engine, clock, &mut store, 2 * 3600).await;

    let truth: HashSet<String> = sim
        .recorded_event_ids("GetSecretValue")
        .into_iter()
        .collect();
    let emitted = access_ids(&changes);
    let emitted_set: HashSet<String> = emitted.iter().cloned().collect();
    assert!(truth.len() > 2000, "only {} events generated", truth.len());
    assert_eq!(
        emitted.len(),
        emitted_set.len(),
        "an event was reported twice"
    );
    assert_same(&emitted_set, &truth);
    assert_eq!(store.timeline.len(), truth.len());

    let lookups = sim.calls("LookupEvents");
    assert!(
        lookups.len() > 100,
        "engine barely polled: {}",
        lookups.len()
    );
    assert!(
        max_calls_in_any_second(&lookups) <= 2,
        "LookupEvents over 2 TPS"
    );
}

#[tokio::test(start_paused = true)]
async fn throttling_and_an_outage_lose_nothing_and_show_in_health() {
    let config = laggy(11);
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    let mut changes = run_engine(&mut engine, clock, &mut store, 600).await;

    // Ten minutes of throttling on LookupEvents, then a 30-minute outage of everything.
    let now = clock.now();
    let throttled_until = now + TimeDelta::minutes(10);
    let outage_until = throttled_until + TimeDelta::minutes(30);
    sim.inject(FaultRule::always(
        Some("LookupEvents"),
        FaultKind::Throttle,
        now,
        throttled_until,
    ));
    sim.inject(FaultRule::always(
        None,
        FaultKind::Outage,
        throttled_until,
        outage_until,
    ));
    changes.extend(run_engine(&mut engine, clock, &mut store, 300).await);
    let health = store
        .health
        .health(secretwatch::engine::Source::Events, clock.now());
    assert!(
        matches!(health, secretwatch::store::Health::Throttled { .. }),
        "{health:?}"
    );
    changes.extend(run_engine(&mut engine, clock, &mut store, 25 * 60).await);
    let health = store
        .health
        .health(secretwatch::engine::Source::Alarms, clock.now());
    assert!(
        matches!(health, secretwatch::store::Health::Failing { .. }),
        "{health:?}"
    );
    changes.extend(run_to_quiet(&sim, &mut engine, clock, &mut store, 20 * 60).await);
    let health = store
        .health
        .health(secretwatch::engine::Source::Events, clock.now());
    assert!(
        matches!(health, secretwatch::store::Health::Fresh { .. }),
        "{health:?}"
    );

    every_access_once_within_budget(&sim, &changes);
}

async fn run_scenario(scenario: Scenario, seed: u64) -> (Store, Vec<Change>) {
    let mut config = SimConfig::demo(seed, scenario);
    config.prehistory = Duration::ZERO;
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim, clock, engine_config(&config));
    let mut store = Store::default();
    let changes = run_engine(&mut engine, clock, &mut store, 30 * 60).await;
    (store, changes)
}

fn alarms_to(changes: &[Change], state: AlarmState) -> usize {
    changes
        .iter()
        .filter(|c| matches!(c, Change::AlarmTransition(t) if t.to == state))
        .count()
}

fn notifications(changes: &[Change]) -> usize {
    changes
        .iter()
        .filter(|c| matches!(c, Change::Notification(_)))
        .count()
}

#[tokio::test(start_paused = true)]
async fn the_average_trap_never_fires_where_sum_does_on_the_same_seed() {
    let (healthy, healthy_changes) = run_scenario(Scenario::Healthy, 3).await;
    let (trap, trap_changes) = run_scenario(Scenario::AverageTrap, 3).await;
    // Same seed, same traffic.
    assert_eq!(healthy.timeline.len(), trap.timeline.len());
    assert!(
        trap.timeline.len() >= 5,
        "too few accesses: {}",
        trap.timeline.len()
    );
    assert!(alarms_to(&healthy_changes, AlarmState::Alarm) >= 1);
    assert!(notifications(&healthy_changes) >= 1);
    assert_eq!(alarms_to(&trap_changes, AlarmState::Alarm), 0);
    assert_eq!(notifications(&trap_changes), 0);
    let alarm = trap.alarm.found().cloned().expect("the trap alarm exists");
    assert_eq!(alarm.state, AlarmState::Ok);
}

#[tokio::test(start_paused = true)]
async fn a_test_access_is_pending_at_once_then_confirmed_by_cloudtrail() {
    let mut config = SimConfig::demo(5, Scenario::Healthy);
    config.actors.clear();
    config.noise = false;
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    run_engine(&mut engine, clock, &mut store, 10).await;

    store.request_test("secretwatch-test-t1".into(), clock.now());
    assert_eq!(store.open_tests().count(), 1);
    engine
        .jobs
        .send(Job::TestAccess {
            marker: "secretwatch-test-t1".into(),
        })
        .expect("worker alive");
    let mut changes = run_engine(&mut engine, clock, &mut store, 60).await;
    let stages: Vec<&TestStage> = changes
        .iter()
        .filter_map(|c| match c {
            Change::TestAccess(t) => Some(&t.stage),
            _ => None,
        })
        .collect();
    assert!(
        matches!(stages.first(), Some(TestStage::Pending { .. })),
        "{stages:?}"
    );
    assert!(
        matches!(stages.last(), Some(TestStage::Confirmed { .. })),
        "{stages:?}"
    );
    assert_eq!(store.open_tests().count(), 0);
    let event = store
        .timeline
        .newest_first()
        .next()
        .expect("the test event");
    assert!(event.user_agent.contains("app/secretwatch-test-t1"));

    // It travels on: the metric counts it and the alarm fires, and the inbox gets mail.
    changes.extend(run_engine(&mut engine, clock, &mut store, 120).await);
    assert!(
        alarms_to(&changes, AlarmState::Alarm) >= 1,
        "alarm did not fire"
    );
    assert!(notifications(&changes) >= 1, "nothing reached the inbox");
}

#[tokio::test(start_paused = true)]
async fn a_bare_account_shows_the_missing_alarm_and_still_lists_accesses() {
    let (store, changes) = run_scenario(Scenario::Bare, 9).await;
    assert_eq!(store.alarm, Lookup::Missing);
    assert!(!access_ids(&changes).is_empty());
    assert!(store.metric.is_empty());
}

#[tokio::test(start_paused = true)]
async fn access_denied_on_one_api_is_told_in_its_pane_with_the_permission_to_grant() {
    let mut config = SimConfig::demo(8, Scenario::Healthy);
    config.prehistory = Duration::ZERO;
    let (sim, clock) = sim(config.clone());
    let now = clock.now();
    sim.inject(FaultRule::always(
        Some("DescribeAlarms"),
        FaultKind::AccessDenied,
        now,
        now + TimeDelta::hours(1),
    ));
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    run_engine(&mut engine, clock, &mut store, 60).await;
    let health = store
        .health
        .health(secretwatch::engine::Source::Alarms, clock.now());
    match health {
        secretwatch::store::Health::Failing { why, hint, .. } => {
            assert!(why.contains("access denied"), "{why}");
            assert!(hint.is_some_and(|h| h.contains("grant cloudwatch:DescribeAlarms")));
        }
        other => panic!("{other:?}"),
    }
    // The other sources are unaffected.
    let events = store
        .health
        .health(secretwatch::engine::Source::Events, clock.now());
    assert!(
        matches!(events, secretwatch::store::Health::Fresh { .. }),
        "{events:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn every_kind_of_fault_on_every_api_shows_its_reason_and_loses_nothing() {
    use secretwatch::engine::Source;
    use secretwatch::store::Health;
    let config = laggy(23);
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    let mut changes = run_engine(&mut engine, clock, &mut store, 300).await;
    // Five minutes of each, one after the other, on every API.
    let kinds = [
        (FaultKind::Throttle, "throttled"),
        (FaultKind::ServerError, "InternalFailure"),
        (
            FaultKind::Timeout(std::time::Duration::from_secs(20)),
            "timed out",
        ),
        (FaultKind::ExpiredCredentials, "ExpiredToken"),
    ];
    for (kind, words) in kinds {
        let now = clock.now();
        sim.inject(FaultRule::always(
            None,
            kind,
            now,
            now + TimeDelta::minutes(5),
        ));
        changes.extend(run_engine(&mut engine, clock, &mut store, 4 * 60).await);
        for source in [Source::Events, Source::Metric, Source::Alarms] {
            let health = store.health.health(source, clock.now());
            let shows = match &health {
                Health::Throttled { .. } => words == "throttled",
                Health::Failing { why, hint, .. } => {
                    why.contains(words)
                        && (words != "ExpiredToken"
                            || hint.as_deref().is_some_and(|h| h.contains("aws sso login")))
                }
                _ => false,
            };
            assert!(shows, "{source:?} under {words}: {health:?}");
        }
        changes.extend(run_engine(&mut engine, clock, &mut store, 60).await);
    }
    changes.extend(run_to_quiet(&sim, &mut engine, clock, &mut store, 20 * 60).await);
    every_access_once_within_budget(&sim, &changes);
}
