//! Test accesses: pending at once, confirmed by their own CloudTrail event.

use super::*;
use secretwatch::engine::Job;
use secretwatch::store::TestStage;

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

/// What the dashboard does on `t`: the run shows at once, the worker fires it.
fn fire(engine: &Engine, store: &mut Store, clock: secretwatch::clock::Clock, marker: &str) {
    store.request_test(marker.to_string(), clock.now());
    engine
        .jobs
        .send(Job::TestAccess {
            marker: marker.to_string(),
        })
        .expect("worker alive");
}

fn stage<'a>(store: &'a Store, marker: &str) -> &'a TestStage {
    &store
        .tests
        .iter()
        .find(|t| t.marker == marker)
        .expect("the run is listed")
        .stage
}

/// A dashboard's markers are `<prefix>-1`, `<prefix>-2`, …: `app/<prefix>-10` begins with
/// `app/<prefix>-1`, and the first run, failed and still open, must not take the tenth's event.
#[tokio::test(start_paused = true)]
async fn ten_test_accesses_the_first_failing_are_each_confirmed_by_their_own_event() {
    use secretwatch::cloud::sim::{FaultKind, FaultRule};
    let mut config = SimConfig::demo(6, Scenario::Healthy);
    config.actors.clear();
    config.noise = false;
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    run_engine(&mut engine, clock, &mut store, 10).await;
    let marker = |i: usize| format!("secretwatch-test-4242-{i}");

    let now = clock.now();
    sim.inject(FaultRule::always(
        Some("GetSecretValue"),
        FaultKind::ServerError,
        now,
        now + TimeDelta::hours(1),
    ));
    fire(&engine, &mut store, clock, &marker(1));
    run_engine(&mut engine, clock, &mut store, 5).await;
    assert!(
        matches!(stage(&store, &marker(1)), TestStage::Failed { .. }),
        "{:?}",
        stage(&store, &marker(1))
    );
    sim.clear_faults();
    for i in 2..=10 {
        fire(&engine, &mut store, clock, &marker(i));
        run_engine(&mut engine, clock, &mut store, 2).await;
    }
    run_engine(&mut engine, clock, &mut store, 120).await;

    assert!(
        matches!(stage(&store, &marker(1)), TestStage::Failed { .. }),
        "the failed first run was confirmed: {:?}",
        stage(&store, &marker(1))
    );
    let mut confirmed_by = HashSet::new();
    for i in 2..=10 {
        let TestStage::Confirmed { event_id, .. } = stage(&store, &marker(i)) else {
            panic!(
                "{} not confirmed: {:?}",
                marker(i),
                stage(&store, &marker(i))
            );
        };
        let event = store
            .timeline
            .newest_first()
            .find(|e| &*e.event_id == event_id.as_str())
            .expect("the confirming event is in the timeline");
        let own = format!("app/{}", marker(i));
        assert!(
            event.user_agent.split_whitespace().any(|t| t == own),
            "{} confirmed by an event of {:?}",
            marker(i),
            event.user_agent
        );
        assert_eq!(
            store.test_of(event).map(|t| t.marker.as_str()),
            Some(marker(i).as_str())
        );
        confirmed_by.insert(event_id.clone());
    }
    assert_eq!(confirmed_by.len(), 9, "two runs share an event");
    assert_eq!(store.open_tests().count(), 1, "only the failed run is open");
}
