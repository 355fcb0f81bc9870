//! The demo behaves as AWS does: in the embedded account the service reads its secret by
//! ARN and the people by name, and watching the secret by its name, its ARN or its partial
//! ARN shows every one of those reads; a secret that does not exist is said so.

mod common;

use common::*;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::sim::{Scenario, SimCloud};
use secretwatch::engine::Engine;
use secretwatch::store::{Change, Store};
use std::collections::BTreeSet;

const SEED: u64 = 11;

/// Every access shown while watching `given` for an hour of traffic and until the late
/// deliveries are in, with the account that made them and the store.
async fn watch(given: &str) -> (Vec<Change>, std::sync::Arc<SimCloud>, Store) {
    let config = demo_config(SEED, Scenario::Healthy);
    let mut engine_config = engine_config(&config);
    engine_config.secrets = vec![given.to_string()];
    let (sim, clock) = sim(config);
    let mut engine = Engine::start(sim.clone(), clock, engine_config);
    let mut store = Store::default();
    let mut changes = run_engine(&mut engine, clock, &mut store, 3600).await;
    sim.with_world(|w| w.stop_actors());
    changes.extend(run_engine(&mut engine, clock, &mut store, 20 * 60).await);
    (changes, sim, store)
}

/// The reads shown (id, secret as passed), and the ids of the secret's changes shown.
fn accesses(changes: &[Change]) -> (Vec<(String, String)>, BTreeSet<String>) {
    let mut reads = Vec::new();
    let mut changed = BTreeSet::new();
    for c in changes {
        match c {
            Change::Access(e) if e.is_read() => {
                reads.push((e.event_id.to_string(), e.secret.to_string()));
            }
            Change::Access(e) => {
                changed.insert(e.event_id.to_string());
            }
            _ => {}
        }
    }
    (reads, changed)
}

#[tokio::test(start_paused = true)]
async fn watched_by_name_arn_or_partial_arn_every_read_shows() {
    let (probe, _) = sim(demo_config(SEED, Scenario::Healthy));
    let secret = probe
        .describe_secret("TopSecretInfo")
        .await
        .expect("DescribeSecret")
        .expect("the demo's secret");
    let partial = secret
        .arn
        .rsplit_once('-')
        .map(|(p, _)| p.to_string())
        .expect("an ARN with its suffix");
    for given in [secret.name.clone(), secret.arn.clone(), partial] {
        let (changes, sim, store) = watch(&given).await;
        let (shown, changed) = accesses(&changes);
        let ids: BTreeSet<String> = shown.iter().map(|(id, _)| id.clone()).collect();
        let truth: BTreeSet<String> = sim
            .recorded_event_ids("GetSecretValue")
            .into_iter()
            .collect();
        assert_eq!(ids, truth, "watching {given}");
        // The demo's changes (made by the secret's name) show whichever form is watched.
        let changes_made: BTreeSet<String> = [
            "RotateSecret",
            "PutSecretValue",
            "PutResourcePolicy",
            "ReplicateSecretToRegions",
        ]
        .into_iter()
        .flat_map(|name| sim.recorded_event_ids(name))
        .collect();
        assert_eq!(changes_made.len(), 4, "the demo makes four changes");
        assert_eq!(changed, changes_made, "watching {given}");
        let forms: BTreeSet<&str> = shown.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            forms,
            BTreeSet::from([secret.name.as_str(), secret.arn.as_str()]),
            "watching {given}: the reads name it both ways"
        );
        assert!(store.unresolved_secrets.is_empty(), "{given}");
        assert_eq!(
            store.watching,
            std::slice::from_ref(&given),
            "the timeline says what it watches"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_secret_the_account_does_not_have_is_said_so() {
    let (changes, sim, store) = watch("NoSuchSecret").await;
    assert!(!sim.recorded_event_ids("GetSecretValue").is_empty());
    let (reads, changed) = accesses(&changes);
    assert!(reads.is_empty() && changed.is_empty());
    let warnings: Vec<String> = store
        .unresolved_secrets
        .iter()
        .filter_map(|s| s.warning())
        .collect();
    assert_eq!(
        warnings,
        [
            "no secret NoSuchSecret in this account and region (DescribeSecret): check the name \
             and the region; only reads that name it exactly so are shown"
        ]
    );
}
