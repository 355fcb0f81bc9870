//! The EventBridge fast path beside LookupEvents: each access once, whichever source saw
//! it first; what the fast path drops found by the reconciler; redeliveries and malformed
//! messages harmless.

use super::*;
use chrono::{DateTime, Utc};
use secretwatch::access::{AccessEvent, SeenBy};
use secretwatch::cloud::Cloud;
use secretwatch::cloud::sim::{FaultKind, FaultRule};
use secretwatch::engine::{Source, Update};
use secretwatch::store::Health;
use std::collections::HashMap;

/// Busy readers, CloudTrail's event history 2 to 15 minutes late (as on AWS), the fast path
/// 1 to 90 s after each call with its share dropped.
fn with_fast_path(seed: u64) -> SimConfig {
    let mut config = SimConfig::demo(seed, Scenario::Healthy);
    config.timings.delivery_lag = (Duration::from_secs(120), Duration::from_secs(15 * 60));
    config.actors = vec![busy_reader("ann", (2, 6)), busy_reader("ben", (3, 7))];
    config.noise = false;
    config.prehistory = Duration::ZERO;
    config
}

/// Like `run_engine`, also counting the events source's polls.
async fn run_counting(
    engine: &mut Engine,
    clock: secretwatch::clock::Clock,
    store: &mut Store,
    for_secs: u64,
) -> (Vec<Change>, usize) {
    let until = tokio::time::Instant::now() + Duration::from_secs(for_secs);
    let (mut changes, mut polls) = (Vec::new(), 0);
    loop {
        tokio::select! {
            update = engine.updates.recv() => match update {
                Some(u) => {
                    polls += usize::from(matches!(u, Update::Polled { source: Source::Events, .. }));
                    changes.extend(store.apply(u, clock.now()));
                }
                None => break,
            },
            () = tokio::time::sleep_until(until) => break,
        }
    }
    (changes, polls)
}

fn accesses(changes: &[Change]) -> HashMap<String, AccessEvent> {
    let mut out = HashMap::new();
    for change in changes {
        if let Change::Access(e) = change {
            let again = out.insert(e.event_id.to_string(), e.clone());
            assert!(again.is_none(), "{} reported twice", e.event_id);
        }
    }
    out
}

#[tokio::test(start_paused = true)]
async fn an_hour_of_accesses_shows_each_once_dropped_ones_by_lookup_the_rest_earlier_by_eventbridge()
 {
    let config = with_fast_path(5);
    let (sim, clock) = sim(config.clone());
    // The fast path and its reconciler alone: the trail's files are `trail_files.rs`'s.
    let mut only_two = engine_config(&config);
    only_two.sources.retain(|s| *s != Source::TrailFiles);
    let mut engine = Engine::start(sim.clone(), clock, only_two);
    let mut store = Store::default();
    let (mut changes, polls) = run_counting(&mut engine, clock, &mut store, 3600).await;
    sim.with_world(|w| w.stop_actors());
    changes.extend(
        run_counting(&mut engine, clock, &mut store, 20 * 60)
            .await
            .0,
    );

    let truth: HashSet<String> = sim
        .recorded_event_ids("GetSecretValue")
        .into_iter()
        .collect();
    let shown = accesses(&changes);
    assert!(truth.len() > 1000, "only {} reads", truth.len());
    assert_same(&shown.keys().cloned().collect(), &truth);
    assert_eq!(store.timeline.len(), truth.len());

    let dropped: HashSet<String> = sim.fast_path_dropped().into_iter().collect();
    assert!(
        dropped.len() * 40 > truth.len() && dropped.len() * 10 < truth.len(),
        "about 5% dropped: {} of {}",
        dropped.len(),
        truth.len()
    );
    for (id, e) in &shown {
        let delivered = sim.delivered_at(id).expect("in event history");
        if dropped.contains(id) {
            // Found by the reconciler, or first in the trail's log files.
            assert_ne!(
                e.seen_by,
                SeenBy::EventBridge,
                "{id} was never on the queue"
            );
            continue;
        }
        assert_eq!(e.seen_by, SeenBy::EventBridge, "{id} was on the queue");
        let received: DateTime<Utc> = e.received_at.expect("received");
        assert!(
            received < delivered,
            "{id} by EventBridge at {received}, not before event history had it at {delivered}"
        );
    }
    // LookupEvents reconciles at its lower rate (every 30 s, not every 3 s), and within
    // its budget.
    assert!(
        (60..=140).contains(&polls),
        "{polls} events polls in the hour"
    );
    assert!(max_calls_in_any_second(&sim.calls("LookupEvents")) <= 2);
}

#[tokio::test(start_paused = true)]
async fn a_message_delivered_again_shows_once() {
    let config = with_fast_path(6);
    let (sim, clock) = sim(config.clone());
    let now = clock.now();
    // Ten minutes in which no delete succeeds: every message comes back after the
    // visibility timeout, and is read again.
    sim.inject(FaultRule::always(
        Some("DeleteMessageBatch"),
        FaultKind::ServerError,
        now,
        now + TimeDelta::minutes(10),
    ));
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    let changes = run_to_quiet(&sim, &mut engine, clock, &mut store, 20 * 60).await;

    let (queued, redelivered) = sim.fast_path_queue().expect("a fast path");
    assert!(redelivered > 10, "only {redelivered} redeliveries");
    assert_eq!(queued, 0, "deleted once deletes work again");
    let shown = accesses(&changes);
    let truth: HashSet<String> = sim
        .recorded_event_ids("GetSecretValue")
        .into_iter()
        .collect();
    assert_same(&shown.keys().cloned().collect(), &truth);
    let by_eventbridge = shown
        .values()
        .filter(|e| e.seen_by == SeenBy::EventBridge)
        .count();
    assert!(
        by_eventbridge * 2 > truth.len(),
        "{by_eventbridge} of {}",
        truth.len()
    );
}

#[tokio::test(start_paused = true)]
async fn a_malformed_message_is_skipped_deleted_and_counted() {
    let mut config = with_fast_path(7);
    config.actors.clear();
    config.timings.fast_path_drop = 0.0;
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    run_engine(&mut engine, clock, &mut store, 30).await;
    sim.send_fast_path_message("bad-1", "{\"detail-type\": \"AWS API Call via Cloud");
    sim.send_fast_path_message("bad-2", r#"{"detail-type":"Scheduled Event","detail":{}}"#);
    let read = sim
        .fire_test_access(&config.names.secret, "secretwatch-test-fast")
        .await
        .expect("a read");
    let changes = run_engine(&mut engine, clock, &mut store, 120).await;

    assert_eq!(store.unreadable.get(&Source::FastPath), Some(&2));
    assert_eq!(sim.fast_path_queue(), Some((0, 0)), "every message deleted");
    let shown = accesses(&changes);
    let access = shown.values().next().expect("the read shows");
    assert_eq!(shown.len(), 1);
    assert_eq!(access.seen_by, SeenBy::EventBridge);
    assert!(
        access
            .received_at
            .is_some_and(|at| at < read.fired_at + TimeDelta::seconds(95))
    );
    let health = store.health.health(Source::FastPath, clock.now());
    assert!(matches!(health, Health::Fresh { .. }), "{health:?}");
}

/// Without the rule the source says it is not set up, LookupEvents keeps its full rate, and
/// the queue is looked for once a minute: once setup builds the fast path (here, in the
/// middle of the session), reads arrive through it.
#[tokio::test(start_paused = true)]
async fn without_the_rule_lookup_keeps_its_rate_and_once_setup_builds_it_reads_arrive_by_eventbridge()
 {
    let mut config = SimConfig::demo(9, Scenario::Bare);
    config.prehistory = Duration::ZERO;
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    let (changes, polls) = run_counting(&mut engine, clock, &mut store, 300).await;

    match store.health.health(Source::FastPath, clock.now()) {
        Health::Unavailable { why } => assert!(why.contains("no fast path set up"), "{why}"),
        other => panic!("{other:?}"),
    }
    // Three queues (the fast path's, the trail files' and the alarm's), each looked for
    // once a minute.
    let asked = sim.calls("ReceiveMessage").len();
    assert!(
        (15..=18).contains(&asked),
        "looked for once a minute: {asked}"
    );
    assert!(polls >= 90, "events polled every 3 s: {polls} polls");
    assert!(
        accesses(&changes)
            .values()
            .all(|e| e.seen_by == SeenBy::Lookup)
    );

    let names = secretwatch::cloud::names::ChainNames::default();
    let plan = secretwatch::chain::setup::plan(
        sim.as_ref(),
        &names,
        &Default::default(),
        "b",
        None,
        clock.now(),
    )
    .await;
    secretwatch::chain::setup::apply(sim.as_ref(), &names, &plan.steps, |_, _, _| {})
        .await
        .expect("setup applies");
    let (changes, _) = run_counting(&mut engine, clock, &mut store, 600).await;
    let health = store.health.health(Source::FastPath, clock.now());
    assert!(matches!(health, Health::Fresh { .. }), "{health:?}");
    assert!(
        accesses(&changes)
            .values()
            .any(|e| e.seen_by == SeenBy::EventBridge),
        "no read came by the fast path once it was set up"
    );
}

/// The demo's changes of the secret (a rotation, a policy for another account, a replica in
/// a new region) travel the fast path too: each shows once, by EventBridge unless the queue
/// dropped it, the policy and the replica flagged; who only changed the secret is no reader.
#[tokio::test(start_paused = true)]
async fn the_secrets_changes_come_by_the_fast_path_and_the_exfiltration_setup_is_flagged() {
    let mut config = with_fast_path(8);
    let scripted = secretwatch::cloud::sim::demo_cast()
        .into_iter()
        .filter(|a| a.once_after.is_some());
    config.actors.extend(scripted);
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    let changes = run_to_quiet(&sim, &mut engine, clock, &mut store, 3600).await;
    let shown = accesses(&changes);
    let dropped: HashSet<String> = sim.fast_path_dropped().into_iter().collect();
    let mut made = Vec::new();
    for name in [
        "RotateSecret",
        "PutSecretValue",
        "PutResourcePolicy",
        "ReplicateSecretToRegions",
    ] {
        let ids = sim.recorded_event_ids(name);
        assert_eq!(ids.len(), 1, "{name}");
        let e = shown
            .get(&ids[0])
            .unwrap_or_else(|| panic!("{name} not shown"));
        let change = e
            .change
            .as_ref()
            .unwrap_or_else(|| panic!("{name} is a change"));
        if !dropped.contains(&ids[0]) {
            assert_eq!(e.seen_by, SeenBy::EventBridge, "{name}");
        }
        made.push((name, change.flagged()));
    }
    assert_eq!(
        made,
        [
            ("RotateSecret", false),
            ("PutSecretValue", false),
            ("PutResourcePolicy", true),
            ("ReplicateSecretToRegions", true)
        ]
    );
    let readers = store.readers(secretwatch::store::ReaderOrder::LastSeen);
    assert!(
        readers.iter().all(|r| !r.principal.contains("rotation-fn")),
        "the rotation function only changed the secret"
    );
}
