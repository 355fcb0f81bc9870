//! Late and out-of-order delivery, throttling and an outage: nothing lost, nothing twice.

use super::*;
use secretwatch::cloud::sim::{FaultKind, FaultRule};

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
