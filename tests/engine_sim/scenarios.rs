//! The demo's scenarios through the engine: the Average trap, a bare account, a denied API.

use super::*;
use secretwatch::cloud::sim::{FaultKind, FaultRule};
use secretwatch::store::Lookup;

async fn run_scenario(scenario: Scenario, seed: u64) -> (Store, Vec<Change>) {
    let mut config = SimConfig::demo(seed, scenario);
    config.prehistory = Duration::ZERO;
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim, clock, engine_config(&config));
    let mut store = Store::default();
    let changes = run_engine(&mut engine, clock, &mut store, 30 * 60).await;
    (store, changes)
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
