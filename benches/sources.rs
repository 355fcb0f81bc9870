//! The event sources at volume, and the log-file parser beside Python's.
//!
//!     cargo bench --bench sources            # both parts (about 3 minutes)
//!     SOURCES_PART=volume cargo bench --bench sources
//!     SOURCES_PART=parse cargo bench --bench sources
//!
//! `volume`: the embedded account with AWS's lags (event history 2 to 15 minutes late, the
//! fast path 1 to 90 s with 5% dropped, a log file every five minutes announced 5 to 60 s
//! later, one in ten 5 to 15 minutes late) and the engine at its AWS settings (a sweep every
//! 15 s, LookupEvents at 1 call a second, 50 events a page, reconciling every 2 minutes
//! while a queue delivers), on paused time, at 0.1, 1, 10 and 100 reads a second, with
//! LookupEvents alone and with all three sources. Per run: the share of the reads shown by
//! the end, the latency from each call to the dashboard (median and 99th percentile), the
//! LookupEvents calls an hour, and which source showed each read first. The lags are the
//! simulation's model of AWS's; the calls, the budget and what the engine does with them
//! are the engine's own.
//!
//! `parse`: one CloudTrail log file of 20 000 records (a tenth of them GetSecretValue, the
//! rest other calls), gzipped, read by secretwatch's reader (streaming, the reads kept) and by
//! Python's `gzip` + `json.loads` + a filter, side by side in one run, best of 10 each.
//!
//! `cargo test --benches` runs a short version of each, to keep them building and running.

#[path = "support/records.rs"]
mod records;

use secretwatch::access::SeenBy;
use secretwatch::access::log_file::{MAX_LOG_FILE_BYTES, shown_in_log_file};
use secretwatch::clock::Clock;
use secretwatch::cloud::sim::{Actor, Scenario, SimCloud, SimConfig, secret_reader};
use secretwatch::engine::{Engine, Source};
use secretwatch::store::{Change, Store};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let part = std::env::var("SOURCES_PART").unwrap_or_default();
    if part.is_empty() || part == "volume" {
        volume(bench);
    }
    if part.is_empty() || part == "parse" {
        parse(bench);
    }
}

// ---- volume ----

/// After the readers stop, how long the run goes on: past event history's latest (15
/// minutes), so that "shown" says what was lost, not what was late.
const DRAIN_MINUTES: u64 = 20;

/// `per_second` reads a second from readers that each read once a second (or, below one a
/// second, one reader every 1/rate seconds on average).
fn readers(per_second: f64) -> Vec<Actor> {
    let reader = |i: usize, every: (u64, u64)| {
        secret_reader(
            &format!("app-{i}"),
            "AssumedRole",
            "10.0.0.7",
            "aws-sdk-java/2.25.11 Linux/6.1",
            every,
        )
    };
    if per_second < 1.0 {
        let mean = (1.0 / per_second).round() as u64;
        vec![reader(0, (mean / 2, mean + mean / 2))]
    } else {
        (0..per_second.round() as usize)
            .map(|i| reader(i, (1, 1)))
            .collect()
    }
}

struct Run {
    rate: f64,
    sources: &'static str,
    shown: usize,
    truth: usize,
    latency: Vec<f64>,
    lookups_per_hour: f64,
    first: HashMap<SeenBy, usize>,
}

fn volume(bench: bool) {
    let minutes: u64 = if bench { 30 } else { 4 };
    let rates: &[f64] = if bench {
        &[0.1, 1.0, 10.0, 100.0]
    } else {
        &[1.0]
    };
    println!(
        "event sources: reads for {minutes} simulated minutes, then {DRAIN_MINUTES} more for what is late; latency = call to dashboard\n"
    );
    println!(
        "| reads/s | sources | shown | latency median | latency p99 | LookupEvents calls/h | first seen by |"
    );
    println!("| ---: | --- | ---: | ---: | ---: | ---: | --- |");
    for &rate in rates {
        for sources in ["lookup", "all three"] {
            let run = one_run(rate, sources, minutes);
            let pct = |n: usize| 100.0 * n as f64 / run.truth.max(1) as f64;
            let mut first: Vec<String> = run
                .first
                .iter()
                .map(|(by, n)| format!("{} {:.0}%", label(*by), pct(*n)))
                .collect();
            first.sort();
            println!(
                "| {} | {} | {:.1}% of {} | {} | {} | {:.0} | {} |",
                run.rate,
                run.sources,
                pct(run.shown),
                run.truth,
                quantile(&run.latency, 0.5),
                quantile(&run.latency, 0.99),
                run.lookups_per_hour,
                first.join(", ")
            );
        }
    }
    println!();
}

fn label(by: SeenBy) -> &'static str {
    match by {
        SeenBy::Lookup => "lookup",
        SeenBy::EventBridge => "eventbridge",
        SeenBy::TrailFile => "trail-file",
    }
}

fn quantile(values: &[f64], q: f64) -> String {
    if values.is_empty() {
        return "–".into();
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    let secs = sorted[i];
    if secs < 120.0 {
        format!("{secs:.0} s")
    } else {
        format!("{:.1} min", secs / 60.0)
    }
}

fn one_run(rate: f64, sources: &'static str, minutes: u64) -> Run {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let mut config = SimConfig::demo(7, Scenario::Healthy);
        config.timings.delivery_lag = (Duration::from_secs(120), Duration::from_secs(15 * 60));
        config.actors = readers(rate);
        config.noise = false;
        config.prehistory = Duration::ZERO;
        config.call_latency = (Duration::from_millis(20), Duration::from_millis(80));
        let start = records::start();
        let clock = Clock::starting_at(start);
        let sim = Arc::new(SimCloud::new(config.clone(), clock));
        let mut engine_config = secretwatch::config::FileConfig::default().engine(&[], 7);
        engine_config.names = config.names.clone();
        engine_config.test_secret = config.names.secret.clone();
        engine_config.sources = match sources {
            "lookup" => vec![Source::Events],
            _ => vec![Source::Events, Source::FastPath, Source::TrailFiles],
        };
        let mut engine = Engine::start(sim.clone(), clock, engine_config);
        let mut store = Store::default();
        let mut latency = Vec::new();
        let mut first: HashMap<SeenBy, usize> = HashMap::new();
        let mut shown = 0;
        let until = tokio::time::Instant::now() + Duration::from_secs(minutes * 60);
        let drain = until + Duration::from_secs(DRAIN_MINUTES * 60);
        let mut stopped = false;
        loop {
            let deadline = if stopped { drain } else { until };
            tokio::select! {
                update = engine.updates.recv() => {
                    let Some(update) = update else { break };
                    for change in store.apply(update, clock.now()) {
                        if let Change::Access(e) = change {
                            shown += 1;
                            *first.entry(e.seen_by).or_default() += 1;
                            if let Some(at) = e.received_at {
                                latency.push((at - e.time).as_seconds_f64());
                            }
                        }
                    }
                }
                () = tokio::time::sleep_until(deadline) => {
                    if stopped { break; }
                    sim.with_world(|w| w.stop_actors());
                    stopped = true;
                }
            }
        }
        let truth = sim.recorded_event_ids("GetSecretValue").len();
        let hours = (minutes + DRAIN_MINUTES) as f64 / 60.0;
        Run {
            rate,
            sources,
            shown,
            truth,
            latency,
            lookups_per_hour: sim.calls("LookupEvents").len() as f64 / hours,
            first,
        }
    })
}

// ---- parse ----

/// A log file as CloudTrail writes one on a busy account: `n` records, every tenth a
/// GetSecretValue (the benchmarks' usual read), the others the same record as another call.
fn log_file(n: usize) -> (Vec<u8>, usize) {
    let mut records = Vec::with_capacity(n);
    let mut reads = 0;
    for i in 0..n {
        let record = records::record(i).cloudtrail_event;
        if i % 10 == 0 {
            reads += 1;
            records.push(record);
        } else {
            records.push(
                record
                    .replace("\"GetSecretValue\"", "\"DescribeInstances\"")
                    .replace("secretsmanager.amazonaws.com", "ec2.amazonaws.com"),
            );
        }
    }
    let json = format!("{{\"Records\":[{}]}}", records.join(","));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(json.as_bytes()).expect("gzip");
    (gz.finish().expect("gzip"), reads)
}

fn parse(bench: bool) {
    let (n, rounds) = if bench { (20_000, 10) } else { (2_000, 2) };
    let (gz, reads) = log_file(n);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("bench-trail-file.json.gz");
    std::fs::write(&path, &gz).expect("write the file");
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        let file = shown_in_log_file(&gz, MAX_LOG_FILE_BYTES).expect("a log file");
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(file.shown.len(), reads);
        assert_eq!(file.records, n);
    }
    let python = format!(
        r#"
import gzip, json, time
data = open({path:?}, "rb").read()
best = None
for _ in range({rounds}):
    t = time.perf_counter()
    records = json.loads(gzip.decompress(data))["Records"]
    reads = [r for r in records if r.get("eventSource") == "secretsmanager.amazonaws.com"
             and r.get("eventName") in ("GetSecretValue", "BatchGetSecretValue")]
    e = time.perf_counter() - t
    best = e if best is None else min(best, e)
assert len(reads) == {reads}, len(reads)
print(best)
"#,
        path = path.display().to_string(),
    );
    let out = std::process::Command::new("python3")
        .args(["-c", &python])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let py: f64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("python's time");
    let kb = gz.len() as f64 / 1e3;
    println!("one log file: {n} records ({reads} reads), {kb:.0} kB gzipped; best of {rounds}\n");
    println!("| reader | time | records/s | ratio |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, secs) in [
        ("secretwatch (streaming, reads kept)", best),
        ("Python gzip + json.loads + filter", py),
    ] {
        println!(
            "| {name} | {:.0} ms | {:.0} | {:.2} |",
            secs * 1e3,
            n as f64 / secs,
            secs / best
        );
    }
}
