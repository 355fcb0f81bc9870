//! Every kind of fault the embedded account can inject, on every source the dashboard polls.

use super::*;
use secretwatch::clock::Clock;
use secretwatch::cloud::sim::{FaultKind, FaultRule};
use secretwatch::engine::Source;
use secretwatch::store::Health;
use std::collections::BTreeMap;

/// The call each source makes first: a failing source names it.
fn first_operation(source: Source) -> &'static str {
    match source {
        Source::Events => "LookupEvents",
        Source::FastPath | Source::TrailFiles | Source::AlarmQueue => "ReceiveMessage",
        Source::Metric => "GetMetricData",
        Source::Alarms => "DescribeAlarms",
        Source::Inbox => "ListNotifications",
    }
}

/// Runs the engine like `run_engine`, and reads every source's health each simulated
/// second, as the status bar would show it.
async fn run_watching(
    engine: &mut Engine,
    clock: Clock,
    store: &mut Store,
    for_secs: u64,
) -> (Vec<Change>, BTreeMap<Source, Vec<Health>>) {
    let start = tokio::time::Instant::now();
    let mut changes = Vec::new();
    let mut seen: BTreeMap<Source, Vec<Health>> = BTreeMap::new();
    for second in 1..=for_secs {
        let tick = start + Duration::from_secs(second);
        loop {
            tokio::select! {
                update = engine.updates.recv() => match update {
                    Some(u) => changes.extend(store.apply(u, clock.now())),
                    None => return (changes, seen),
                },
                () = tokio::time::sleep_until(tick) => break,
            }
        }
        for source in Source::ALL {
            let health = store.health.health(source, clock.now());
            seen.entry(source).or_default().push(health);
        }
    }
    (changes, seen)
}

fn failing_with(health: &Health, source: Source, words: &str, hint: Option<&str>) -> bool {
    match health {
        Health::Failing {
            why, hint: given, ..
        } => {
            why.contains(first_operation(source))
                && why.contains(words)
                && hint.is_none_or(|h| given.as_deref().is_some_and(|g| g.contains(h)))
        }
        _ => false,
    }
}

#[tokio::test(start_paused = true)]
async fn every_kind_of_fault_on_every_source_shows_its_reason_and_loses_nothing() {
    let config = laggy(23);
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    let mut changes = run_engine(&mut engine, clock, &mut store, 300).await;
    type Shows = Box<dyn Fn(Source, &[Health]) -> bool>;
    let seen_any = |f: fn(Source, &Health) -> bool| -> Shows {
        Box::new(move |source, seen| seen.iter().any(|h| f(source, h)))
    };
    // A partial fault must show, and so must a success after one of its hits. A sweep of
    // access events is many pages and a hit on any fails it, so that source stays failing
    // (the pages read before each hit still reach the store: checked below).
    let partly = |f: fn(Source, &Health) -> bool| -> Shows {
        Box::new(move |source, seen| {
            seen.iter().position(|h| f(source, h)).is_some_and(|hit| {
                source == Source::Events
                    || seen[hit..]
                        .iter()
                        .any(|h| matches!(h, Health::Fresh { .. }))
            })
        })
    };
    let server_error = |s, h: &Health| failing_with(h, s, "InternalFailure", None);
    let throttled = |_, h: &Health| matches!(h, Health::Throttled { .. });
    // Five minutes of each on every API, one after the other: (kind, chance a call is hit,
    // what every source must show while it lasts).
    let faults: Vec<(FaultKind, f64, &str, Shows)> = vec![
        (FaultKind::Throttle, 1.0, "throttled", seen_any(throttled)),
        (FaultKind::ServerError, 1.0, "5xx", seen_any(server_error)),
        (
            FaultKind::Timeout(Duration::from_secs(20)),
            1.0,
            "timeout",
            seen_any(|s, h| failing_with(h, s, "timed out", Some("check the network"))),
        ),
        (
            FaultKind::Outage,
            1.0,
            "outage",
            seen_any(|s, h| failing_with(h, s, "connection refused", Some("check the network"))),
        ),
        (
            FaultKind::Latency(Duration::from_secs(90)),
            1.0,
            "latency",
            // Every call succeeds, 90 s late: the data is stale, and nothing failed.
            Box::new(|_, seen: &[Health]| {
                seen.iter().any(|h| matches!(h, Health::Stale { .. }))
                    && !seen
                        .iter()
                        .any(|h| matches!(h, Health::Failing { .. } | Health::Throttled { .. }))
            }),
        ),
        (
            FaultKind::ExpiredCredentials,
            1.0,
            "expired credentials",
            seen_any(|s, h| failing_with(h, s, "ExpiredToken", Some("aws sso login"))),
        ),
        (
            FaultKind::AccessDenied,
            1.0,
            "access denied",
            seen_any(|s, h| failing_with(h, s, "access denied", Some("may not call"))),
        ),
        // A third of the calls, not half: a fetch of two calls (the alarm and its history)
        // then succeeds one time in two, and a success after a hit shows within the five
        // minutes whatever the draws (at half, one time in four, and ten backed-off
        // attempts all failed one run in twenty).
        (
            FaultKind::Throttle,
            0.3,
            "a third throttled",
            partly(throttled),
        ),
        (
            FaultKind::ServerError,
            0.3,
            "a third 5xx",
            partly(server_error),
        ),
    ];
    for (kind, probability, name, shows) in &faults {
        let now = clock.now();
        let mut rule = FaultRule::always(None, *kind, now, now + TimeDelta::minutes(5));
        rule.probability = *probability;
        sim.inject(rule);
        let (more, seen) = run_watching(&mut engine, clock, &mut store, 5 * 60).await;
        let accesses = access_ids(&more).len();
        changes.extend(more);
        if *probability < 1.0 {
            assert!(accesses > 0, "no access reached the store under {name}");
        }
        for source in Source::ALL {
            let seen = &seen[&source];
            assert!(
                shows(source, seen),
                "{source:?} under {name}: saw {:?}",
                seen.iter().step_by(30).collect::<Vec<_>>()
            );
        }
        // Calls still in flight finish, and the sources recover, before the next fault.
        changes.extend(run_engine(&mut engine, clock, &mut store, 3 * 60).await);
    }
    changes.extend(run_to_quiet(&sim, &mut engine, clock, &mut store, 20 * 60).await);
    for source in Source::ALL {
        let health = store.health.health(source, clock.now());
        assert!(
            matches!(health, Health::Fresh { .. }),
            "{source:?}: {health:?}"
        );
    }

    // Nothing lost, nothing twice: accesses, alarm transitions and delivered notifications.
    every_access_once_within_budget(&sim, &changes);
    let (transitions, inbox) = sim.with_world(|w| {
        let t: HashSet<_> = w.alarm_history.iter().cloned().collect();
        let n: HashSet<_> = w
            .sns
            .inbox_since(chrono::DateTime::<chrono::Utc>::MIN_UTC)
            .into_iter()
            .map(|n| n.id)
            .collect();
        (t, n)
    });
    assert!(
        !transitions.is_empty() && !inbox.is_empty(),
        "the alarm never fired"
    );
    let reported: Vec<_> = changes
        .iter()
        .filter_map(|c| match c {
            Change::AlarmTransition(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        reported.len(),
        transitions.len(),
        "a transition lost or twice"
    );
    assert_eq!(reported.into_iter().collect::<HashSet<_>>(), transitions);
    let delivered: Vec<_> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Notification(n) => Some(n.id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(delivered.len(), inbox.len(), "a notification lost or twice");
    assert_eq!(delivered.into_iter().collect::<HashSet<_>>(), inbox);
    assert!(!store.metric.is_empty());
}
