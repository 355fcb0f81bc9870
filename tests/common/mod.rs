//! Shared fixtures: the embedded account on paused tokio time.
#![allow(dead_code)]

pub mod microburst;
pub mod ministack;
pub mod readme;
pub mod tmux;

use chrono::{DateTime, TimeZone, Utc};
use secretwatch::clock::Clock;
use secretwatch::cloud::sim::{Actor, Scenario, SimCloud, SimConfig, Timings, secret_reader};
use secretwatch::engine::{Engine, EngineConfig};
use secretwatch::store::{Change, Store};
use std::sync::Arc;
use std::time::Duration;

pub fn fixed_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .expect("valid date")
}

/// A CLI user who calls GetSecretValue every `every` seconds (uniformly drawn).
pub fn busy_reader(name: &str, every: (u64, u64)) -> Actor {
    secret_reader(
        name,
        "IAMUser",
        "192.0.2.44",
        "aws-cli/2.22.4 Python/3.12.6 Linux/6.1",
        every,
    )
}

pub fn sim(config: SimConfig) -> (Arc<SimCloud>, Clock) {
    let clock = Clock::starting_at(fixed_start());
    (Arc::new(SimCloud::new(config, clock)), clock)
}

pub fn demo_config(seed: u64, scenario: Scenario) -> SimConfig {
    SimConfig::demo(seed, scenario)
}

pub fn quiet_timings() -> Timings {
    Timings::demo()
}

/// Runs the engine for `for_secs` simulated seconds, applying every update to a store
/// as the app loop does. Returns the store and every change in order.
pub async fn run_engine(
    engine: &mut Engine,
    clock: Clock,
    store: &mut Store,
    for_secs: u64,
) -> Vec<Change> {
    let until = tokio::time::Instant::now() + Duration::from_secs(for_secs);
    let mut changes = Vec::new();
    loop {
        tokio::select! {
            update = engine.updates.recv() => match update {
                Some(u) => changes.extend(store.apply(u, clock.now())),
                None => break,
            },
            () = tokio::time::sleep_until(until) => break,
        }
    }
    changes
}

pub fn engine_config(sim: &SimConfig) -> EngineConfig {
    EngineConfig::for_account(sim)
}
