//! Every kind of fault the embedded account can inject, on every source the dashboard polls.

use super::*;
use secretwatch::cloud::sim::{FaultKind, FaultRule};

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
