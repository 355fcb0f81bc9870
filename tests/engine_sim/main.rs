//! The engine over the embedded account on paused time: late and out-of-order
//! delivery, throttling, outages, every kind of fault on every source, test accesses, the
//! EventBridge fast path and the trail's log files beside LookupEvents; exact counts. One test binary (each links
//! the aws-sdk), a module per theme.

#[path = "../common/mod.rs"]
mod common;
mod delivery;
mod fast_path;
mod faults;
mod first_seen;
mod scenarios;
mod scope_chains;
mod scopes;
mod test_access;
mod trace;
mod trail_files;

use chrono::TimeDelta;
use common::*;
use secretwatch::cloud::sim::{Scenario, SimCloud, SimConfig};
use secretwatch::cloud::types::AlarmState;
use secretwatch::engine::Engine;
use secretwatch::store::{Change, Store};
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
