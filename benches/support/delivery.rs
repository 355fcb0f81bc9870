//! Delivery to screen over the embedded account, on simulated time: test accesses one
//! after another, each measured from the instant the embedded CloudTrail delivers its
//! event to the instant the store shows it confirmed. The dashboard draws on that update
//! (no tick in between), so this is the latency to the screen less one frame.

use chrono::TimeDelta;
use secretwatch::cloud::sim::{Scenario, SimCloud, SimConfig};
use secretwatch::engine::{Engine, EngineConfig, Job};
use secretwatch::store::{Change, Store, TestStage};
use std::sync::Arc;
use std::time::Duration;

pub fn report(accesses: usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("runtime");
    let (gaps, poll) = runtime.block_on(measure(accesses));
    let mut sorted = gaps.clone();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted.get(i).copied().unwrap_or(f64::NAN)
    };
    let over = sorted.iter().filter(|g| **g > poll.as_secs_f64()).count();
    println!(
        "delivery to screen, embedded account (simulated time, {} test accesses): median \
         {:.1} s, p90 {:.1} s, max {:.1} s; {over} over one events poll ({} s)",
        gaps.len(),
        at(0.5),
        at(0.9),
        at(1.0),
        poll.as_secs()
    );
}

async fn measure(accesses: usize) -> (Vec<f64>, Duration) {
    let mut config = SimConfig::demo(1, Scenario::Healthy);
    config.actors.clear();
    config.noise = false;
    let clock = secretwatch::clock::Clock::starting_at(super::start());
    let sim = Arc::new(SimCloud::new(config.clone(), clock));
    let mut engine_config = EngineConfig::demo(&config.names, config.seed);
    // LookupEvents' delivery to the screen: the fast path (faster, best effort) is apart.
    engine_config
        .sources
        .retain(|s| *s != secretwatch::engine::Source::FastPath);
    let poll = engine_config.events_every;
    let mut engine = Engine::start(sim.clone(), clock, engine_config);
    let mut store = Store::default();
    let mut gaps = Vec::new();
    for i in 0..accesses {
        let marker = format!("secretwatch-test-bench-{i}");
        store.request_test(marker.clone(), clock.now());
        engine
            .jobs
            .send(Job::TestAccess { marker })
            .expect("the engine runs");
        'confirmed: loop {
            let update = engine.updates.recv().await.expect("the engine runs");
            for change in store.apply(update, clock.now()) {
                if let Change::TestAccess(run) = change
                    && let TestStage::Confirmed { event_id, .. } = &run.stage
                {
                    let delivered = sim.delivered_at(event_id).expect("a delivered event");
                    let gap = clock.now() - delivered;
                    assert!(gap >= TimeDelta::zero(), "shown before it was delivered");
                    gaps.push(gap.as_seconds_f64());
                    break 'confirmed;
                }
            }
        }
        // 7 s apart: a different phase of the 3 s poll each time.
        tokio::time::sleep(Duration::from_secs(7)).await;
    }
    (gaps, poll)
}
