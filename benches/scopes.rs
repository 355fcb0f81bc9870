//! What watching many scopes costs in requests, and in what AWS bills for them.
//!
//!     cargo bench --bench scopes            # 1, 17 and 170 scopes, a simulated hour each
//!
//! Each scope is its own embedded account (one reader every few minutes, the chain whole),
//! the engine at its AWS settings (`FileConfig::default()`: a sweep every 15 s, the metric
//! every 60 s, the alarm every 30 s), the first scope focused and the others at the
//! unfocused cadence (`EngineConfig::unfocused`), on paused time. Every call the engine
//! makes is counted per operation by the embedded accounts; the monthly bill multiplies
//! those counts (an hour's, times 730) by AWS's list prices in us-east-1:
//! CloudWatch GetMetricData $0.01 per 1 000 metrics requested; SQS $0.40 per million requests
//! (ReceiveMessage, DeleteMessageBatch, and GetQueueUrl while a queue is looked for, which the
//! embedded account counts as ReceiveMessage); CloudTrail LookupEvents, CloudWatch
//! DescribeAlarms and DescribeAlarmHistory (not among CloudWatch's billed requests) and STS
//! free. AWS's free tier (1 million SQS requests a month per payer) is left out: the figures
//! are the most it costs.
//! Two cases: the chain alone (no queues of secretwatch's), and the fast path set up in
//! every scope (a queue long-polled in each).
//!
//! `cargo test --benches` runs a short version, to keep it building and running.

use secretwatch::clock::Clock;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::scope::Scope;
use secretwatch::cloud::sim::{Scenario, SimCloud, SimConfig, secret_reader};
use secretwatch::engine::Engine;
use secretwatch::store::Store;
use std::sync::Arc;
use std::time::Duration;

/// Operations and their price per request, in dollars.
const PRICES: [(&str, f64); 6] = [
    ("GetMetricData", 0.01 / 1000.0),
    ("DescribeAlarms", 0.0),
    ("DescribeAlarmHistory", 0.0),
    ("ReceiveMessage", 0.40 / 1_000_000.0),
    ("DeleteMessageBatch", 0.40 / 1_000_000.0),
    ("LookupEvents", 0.0),
];
const HOURS_A_MONTH: f64 = 730.0;

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (sizes, minutes): (&[usize], u64) = if bench {
        (&[1, 17, 170], 60)
    } else {
        (&[1, 3], 10)
    };
    println!(
        "scopes: a simulated {minutes} minutes at the AWS cadences; requests an hour, and the monthly bill at list prices\n"
    );
    println!(
        "| scopes | queues | requests/h, focused scope | requests/h, each other scope | billed requests/month | bill/month |"
    );
    println!("| ---: | --- | --- | --- | ---: | ---: |");
    for &n in sizes {
        for queues in [false, true] {
            let run = one_run(n, queues, minutes);
            println!(
                "| {n} | {} | {} | {} | {:.0} | ${:.2} |",
                if queues { "fast path in each" } else { "none" },
                run.focused,
                run.other,
                run.billed_a_month,
                run.bill_a_month
            );
        }
    }
}

struct Run {
    focused: String,
    other: String,
    billed_a_month: f64,
    bill_a_month: f64,
}

fn account(i: usize) -> SimConfig {
    let mut config = SimConfig::demo(100 + i as u64, Scenario::Healthy);
    config.actors = vec![secret_reader(
        "app",
        "AssumedRole",
        "10.0.0.1",
        "aws-sdk-java/2.25.10",
        (1800, 5400),
    )];
    config.noise = false;
    config.prehistory = Duration::ZERO;
    config.call_latency = (Duration::from_millis(20), Duration::from_millis(80));
    config.region = format!("region-{i}");
    config
}

/// Requests an hour of each priced operation, as "LookupEvents 240 · …".
fn per_hour(sims: &[Arc<SimCloud>], minutes: u64) -> (String, f64, f64) {
    let mut words = Vec::new();
    let (mut billed, mut cost) = (0.0, 0.0);
    for (op, price) in PRICES {
        let calls: usize = sims.iter().map(|s| s.calls(op).len()).sum();
        let hourly = calls as f64 * 60.0 / minutes as f64 / sims.len().max(1) as f64;
        if hourly > 0.0 {
            words.push(format!("{op} {hourly:.0}"));
        }
        if price > 0.0 {
            billed += hourly * sims.len() as f64;
            cost += hourly * sims.len() as f64 * price;
        }
    }
    (words.join(" · "), billed, cost)
}

fn one_run(n: usize, queues: bool, minutes: u64) -> Run {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let clock = Clock::system();
        let sims: Vec<Arc<SimCloud>> = (0..n)
            .map(|i| Arc::new(SimCloud::new(account(i), clock)))
            .collect();
        if !queues {
            for sim in &sims {
                sim.with_world(|w| {
                    w.fast_path = None;
                    w.rules.clear();
                    w.trail_files.queue = None;
                });
            }
        }
        let mut config = secretwatch::config::FileConfig::default().engine(&[], 7);
        config.names = SimConfig::demo(1, Scenario::Healthy).names;
        let others: Vec<(Scope, Arc<dyn Cloud>)> = sims[1..]
            .iter()
            .map(|s| (Scope::new("", "other"), s.clone() as Arc<dyn Cloud>))
            .collect();
        let mut engine = Engine::start_scopes(sims[0].clone(), None, others, clock, config);
        let mut store = Store::default();
        let until = tokio::time::Instant::now() + Duration::from_secs(minutes * 60);
        loop {
            tokio::select! {
                update = engine.updates.recv() => match update {
                    Some(u) => { store.apply(u, clock.now()); }
                    None => break,
                },
                () = tokio::time::sleep_until(until) => break,
            }
        }
        let (focused, f_billed, f_cost) = per_hour(&sims[..1], minutes);
        let (other, o_billed, o_cost) = per_hour(&sims[1..], minutes);
        Run {
            focused,
            other: if n > 1 { other } else { "-".into() },
            billed_a_month: (f_billed + o_billed) * HOURS_A_MONTH,
            bill_a_month: (f_cost + o_cost) * HOURS_A_MONTH,
        }
    })
}
