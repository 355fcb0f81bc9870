//! Soak: a dashboard left open for days over the embedded account, on paused time. Per
//! simulated day it prints the resident memory, the CPU spent, and how much each bounded
//! collection holds, then compares the last day with the first (and with the second, once
//! the account's one-day retention is full).
//!
//!     cargo bench --bench soak                 # 7 simulated days
//!     SOAK_DAYS=2 cargo bench --bench soak     # shorter
//!
//! Two runs at once, each in a child process of its own so that its resident memory and
//! CPU are its own:
//! - `account`: the embedded account (the demo's traffic, seed 1) and the engine polling it
//!   at the demo's intervals; every update is dropped;
//! - `dashboard`: the same, with the dashboard's `App` applying every update and drawing a
//!   160×48 frame (into a `TestBackend`) whenever the screen would change, its timeline full
//!   from the start (100 000 accesses older than the run, as after months of use).
//!
//! The account's story is seeded, so both runs see the same account: the difference in
//! resident memory is the store's (and the app's). `cargo test --benches` runs two
//! simulated hours of each, to keep it building and running.

#[path = "support/records.rs"]
mod records;

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretwatch::access::parse_access_event;
use secretwatch::clock::Clock;
use secretwatch::cloud::sim::{Scenario, SimCloud, SimConfig};
use secretwatch::engine::{Engine, EngineConfig};
use secretwatch::store::Timeline;
use secretwatch::ui::app::App;
use secretwatch::ui::{ViewConfig, draw};
use serde_json::{Value, json};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

const TIMELINE_FULL: usize = 100_000;
/// /proc reports CPU in USER_HZ ticks, 100 a second on Linux.
const TICK_MS: u64 = 10;

fn main() {
    match std::env::var("SOAK_PART").as_deref() {
        Ok(part @ ("account" | "dashboard")) => child(part),
        _ => parent(),
    }
}

/// Runs both parts one after the other and compares them.
fn parent() {
    let bench = std::env::args().any(|a| a == "--bench");
    let hours: u64 = match std::env::var("SOAK_DAYS") {
        Ok(days) => days.parse::<u64>().expect("SOAK_DAYS: a number of days") * 24,
        Err(_) if bench => 7 * 24,
        Err(_) => 2,
    };
    let exe = std::env::current_exe().expect("the bench's own path");
    // Side by side: both run at once, each measuring its own CPU and memory.
    let children: Vec<_> = ["account", "dashboard"]
        .into_iter()
        .map(|part| {
            let child = Command::new(&exe)
                .env("SOAK_PART", part)
                .env("SOAK_HOURS", hours.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the soak's child process starts");
            (part, child)
        })
        .collect();
    let mut runs = Vec::new();
    for (part, child) in children {
        let out = child
            .wait_with_output()
            .expect("the soak's child process ends");
        assert!(
            out.status.success(),
            "the {part} soak failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let days: Vec<Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
            .collect();
        runs.push((part, days));
    }
    report(&runs);
}

fn report(runs: &[(&str, Vec<Value>)]) {
    let num = |v: &Value, key: &str| v[key].as_f64().unwrap_or(f64::NAN);
    for (part, days) in runs {
        println!("soak, {part}:");
        for d in days {
            println!("  {d}");
        }
        let (Some(first), Some(last)) = (days.first(), days.last()) else {
            continue;
        };
        let per_hour = |d: &Value| num(d, "cpu_ms") / num(d, "hours");
        println!(
            "  CPU per simulated hour: first period {:.1} ms, last {:.1} ms, ratio {:.2}",
            per_hour(first),
            per_hour(last),
            per_hour(last) / per_hour(first)
        );
        if let Some(second) = days.get(1) {
            println!(
                "  resident memory: after the first period {:.1} MiB, the second {:.1} MiB, \
                 the last {:.1} MiB; last / second {:.2}",
                num(first, "rss_kib") / 1024.0,
                num(second, "rss_kib") / 1024.0,
                num(last, "rss_kib") / 1024.0,
                num(last, "rss_kib") / num(second, "rss_kib")
            );
        }
    }
    if let [(_, account), (_, dashboard)] = runs {
        for (a, d) in account.iter().zip(dashboard) {
            println!(
                "  hour {}: the store and app hold {:.1} MiB above the account's run",
                d["hour"],
                (num(d, "rss_kib") - num(a, "rss_kib")) / 1024.0
            );
        }
    }
}

/// One part, printing one JSON line per simulated day (or per run, when shorter).
fn child(part: &str) {
    let hours: u64 = std::env::var("SOAK_HOURS")
        .ok()
        .and_then(|h| h.parse().ok())
        .unwrap_or(2);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("runtime");
    runtime.block_on(soak(part == "dashboard", hours));
}

async fn soak(dashboard: bool, hours: u64) {
    // A day after the prefilled accesses, so that every access of the run is newer.
    let clock = Clock::starting_at(records::start() + TimeDelta::days(1));
    let config = SimConfig::demo(1, Scenario::Healthy);
    let sim = Arc::new(SimCloud::new(config.clone(), clock));
    let mut engine = Engine::start(
        sim.clone(),
        clock,
        EngineConfig::demo(&config.names, config.seed),
    );
    let mut screen = dashboard.then(|| Screen::full(clock));
    let step = hours.min(24);
    let mut cpu = cpu_ms();
    for period in 0..hours.div_ceil(step) {
        let until = tokio::time::Instant::now() + Duration::from_secs(step * 3600);
        loop {
            tokio::select! {
                update = engine.updates.recv() => {
                    let update = update.expect("the engine runs");
                    if let Some(screen) = &mut screen {
                        screen.on_update(update);
                    }
                }
                () = tokio::time::sleep_until(until) => break,
            }
        }
        let now_cpu = cpu_ms();
        let (history, alarm_history, inbox) = sim.with_world(|w| {
            (
                w.history.len(),
                w.alarm_history.len(),
                w.sns.inbox_since(DateTime::<Utc>::MIN_UTC).len(),
            )
        });
        let mut line = json!({
            "hour": (period + 1) * step,
            "hours": step,
            "cpu_ms": now_cpu - cpu,
            "rss_kib": rss_kib(),
            "account_events": history,
            "account_alarm_transitions": alarm_history,
            "account_inbox": inbox,
        });
        if let Some(screen) = &screen {
            let store = &screen.app.store;
            line["timeline"] = json!(store.timeline.len());
            line["store_alarm_history"] = json!(store.alarm_history.len());
            line["store_inbox"] = json!(store.inbox.len());
            line["frames"] = json!(screen.frames);
        }
        println!("{line}");
        cpu = now_cpu;
    }
}

/// The dashboard without a terminal: the app loop's update and draw, into a TestBackend.
struct Screen {
    app: App,
    terminal: Terminal<TestBackend>,
    view: ViewConfig,
    frames: u64,
}

impl Screen {
    fn full(clock: Clock) -> Self {
        let mut app = App::new(clock, "soak".into());
        let mut timeline = Timeline::default();
        for i in 0..TIMELINE_FULL {
            timeline.insert(parse_access_event(&records::record(i)));
        }
        assert_eq!(timeline.len(), TIMELINE_FULL, "the timeline starts full");
        app.store.timeline = timeline;
        let names = SimConfig::demo(1, Scenario::Healthy).names;
        let view = ViewConfig {
            metric_name: names.metric().name,
            period: names.alarm_period,
            alarm_name: names.alarm.clone(),
        };
        let terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
        Self {
            app,
            terminal,
            view,
            frames: 0,
        }
    }

    fn on_update(&mut self, update: secretwatch::engine::Update) {
        if self.app.on_update(update) {
            let (app, view) = (&self.app, &self.view);
            self.terminal
                .draw(|f| {
                    draw(f, app, view);
                })
                .expect("draw");
            self.frames += 1;
        }
    }
}

/// CPU time of this process so far (user and system), from /proc.
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are the 14th and 15th fields; fields[0] is the 3rd.
    let ticks: u64 =
        fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0);
    ticks * TICK_MS
}

/// Resident memory of this process, from /proc.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
