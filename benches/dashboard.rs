//! In-process figures for BENCHMARKS.md: one changing frame of the whole dashboard (every
//! pane full) with 1k, 10k and 100k accesses in the timeline (its capacity), the ingest rate of CloudTrail events (parse and merge),
//! a keystroke of the filter line over 100k accesses, and one refresh cycle over the
//! embedded account. With `--bench`, it first prints
//! the resident memory each timeline size costs, and the CPU one refresh cycle costs
//! in-process against ministack beside the AWS CLI's `lookup-events` against the same
//! server (the local AWS stack must be installed: `scripts/aws-stack`), and the latency
//! from CloudTrail's delivery to the screen over the embedded account.
//!
//!     cargo bench --bench dashboard

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretwatch::access::parse_access_event;
use secretwatch::clock::Clock;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::names::ChainNames;
use secretwatch::cloud::sim::{Scenario, SimCloud, SimConfig};
use secretwatch::cloud::types::{EventQuery, LookupAttribute, MetricQuery, Statistic, TrailRecord};
use secretwatch::engine::Update;
use secretwatch::query::Query;
use secretwatch::store::{Store, Timeline};
use secretwatch::ui::app::App;
use secretwatch::ui::{ViewConfig, draw};
use std::hint::black_box;
use std::time::Duration;

#[path = "support/against_ministack.rs"]
mod against_ministack;
#[path = "support/delivery.rs"]
mod delivery;
#[path = "support/records.rs"]
mod records;

use records::{record, start};

/// Timeline sizes up to its capacity (`store::Timeline`'s default, 100 000).
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn timeline(n: usize) -> Timeline {
    let mut t = Timeline::with_capacity(n);
    for i in 0..n {
        t.insert(parse_access_event(&record(i)));
    }
    t
}

fn view(names: &ChainNames) -> ViewConfig {
    ViewConfig {
        metric_name: names.metric().name,
        period: names.alarm_period,
        alarm_name: names.alarm.clone(),
    }
}

/// What fills the panes beside the timeline after an hour of the demo, as the engine
/// hands it to the store: the metric's last hour, the alarm with its history, the inbox.
fn panes_after_an_hour() -> (ChainNames, Vec<Update>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let clock = Clock::starting_at(start());
        let config = SimConfig::demo(1, Scenario::Healthy);
        let names = config.names.clone();
        let sim = SimCloud::new(config, clock);
        tokio::time::advance(Duration::from_secs(3600)).await;
        let now = clock.now();
        let points = sim
            .metric_series(&MetricQuery {
                metric: names.metric(),
                statistic: Statistic::Sum,
                period: names.alarm_period,
                start: now - TimeDelta::hours(1),
                end: now,
            })
            .await
            .expect("metric");
        let alarm = sim.describe_alarm(&names.alarm).await.expect("alarm");
        let since = now - TimeDelta::hours(1);
        let history = sim
            .alarm_history(&names.alarm, since)
            .await
            .expect("history");
        let notes = sim.notifications(since).await.expect("inbox");
        let updates = vec![
            Update::Metric(points),
            Update::Alarm { alarm, history },
            Update::Notifications(notes),
        ];
        (names, updates)
    })
}

/// One access arrives and the frame that shows it is drawn: every pane full, the
/// timeline at `n` (the newest access pushes the oldest out), ages read off the clock.
fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame_160x48_changing");
    group.sample_size(30);
    let (names, panes) = panes_after_an_hour();
    for n in SIZES {
        let mut app = App::new(Clock::starting_at(start()), "bench".into());
        app.store.timeline = timeline(n);
        for update in panes.iter().cloned() {
            app.on_update(update);
        }
        let view = view(&names);
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
        let mut next = n;
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter_batched(
                || {
                    next += 1;
                    parse_access_event(&record(next))
                },
                |access| {
                    app.on_update(Update::Accesses(vec![access]));
                    terminal
                        .draw(|f| {
                            draw(f, &app, &view);
                        })
                        .expect("draw");
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn ingest(c: &mut Criterion) {
    let records: Vec<TrailRecord> = (0..10_000).map(record).collect();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function("parse_and_merge_10k", |b| {
        b.iter(|| {
            let mut t = Timeline::default();
            for r in &records {
                t.insert(parse_access_event(r));
            }
            black_box(t.len())
        })
    });
    group.finish();
}

/// One keystroke in the filter line over a full timeline (100 000 accesses): the expression
/// read again and the matches counted for the title (the page drawn is the frame's).
fn filter(c: &mut Criterion) {
    let mut group = c.benchmark_group("filter_keystroke_100k");
    let mut store = Store::default();
    store.timeline = timeline(100_000);
    let now = start() + TimeDelta::hours(1);
    for expr in [
        "alice",
        "type:human !outcome:denied",
        "principal:bob ip:203.0.113.0/25",
        "client:sdk since:30m !billing",
        "since:90d",
    ] {
        group.bench_with_input(BenchmarkId::from_parameter(expr), expr, |b, expr| {
            b.iter(|| {
                store.query = Query::parse(expr, now).expect("a good expression");
                black_box(store.shown_len())
            })
        });
    }
    group.finish();
}

/// What the dashboard reads each refresh: a LookupEvents page (parsed and merged), the
/// metric's last hour, the alarm and its history. Returns how many records came.
async fn refresh_cycle(cloud: &dyn Cloud, names: &ChainNames, now: DateTime<Utc>) -> usize {
    let mut store = Store::default();
    let page = cloud
        .lookup_events(&EventQuery {
            lookup: LookupAttribute::EventName("GetSecretValue".into()),
            start: now - TimeDelta::minutes(20),
            end: now,
            next_token: None,
        })
        .await
        .unwrap_or_else(|e| panic!("events: {e}"));
    for r in &page.records {
        store.timeline.insert(parse_access_event(r));
    }
    let points = cloud
        .metric_series(&MetricQuery {
            metric: names.metric(),
            statistic: Statistic::Sum,
            period: names.alarm_period,
            start: now - TimeDelta::hours(1),
            end: now,
        })
        .await
        .unwrap_or_else(|e| panic!("metric: {e}"));
    let alarm = cloud
        .describe_alarm(&names.alarm)
        .await
        .unwrap_or_else(|e| panic!("alarm: {e}"));
    let history = cloud
        .alarm_history(&names.alarm, now - TimeDelta::hours(1))
        .await
        .unwrap_or_else(|e| panic!("history: {e}"));
    black_box((points.len(), alarm, history.len()));
    page.records.len()
}

fn refresh(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("runtime");
    let mut config = SimConfig::demo(1, Scenario::Healthy);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let names = config.names.clone();
    let (sim, clock) = runtime.block_on(async {
        let clock = Clock::starting_at(start());
        let sim = SimCloud::new(config, clock);
        // An hour of the demo's traffic in the account.
        tokio::time::advance(Duration::from_secs(3600)).await;
        (sim, clock)
    });
    c.bench_function("refresh_cycle_embedded", |b| {
        b.iter(|| {
            runtime.block_on(async {
                // The embedded account keeps LookupEvents' 2 calls a second, as AWS does:
                // simulated time moves on between cycles (the world's step is counted too).
                tokio::time::advance(Duration::from_millis(600)).await;
                black_box(refresh_cycle(&sim, &names, clock.now()).await)
            })
        })
    });
}

/// Resident memory of the process, from /proc.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resident memory with each timeline size, before criterion allocates anything.
fn memory() {
    let base = rss_kib().unwrap_or_default();
    for n in SIZES {
        let t = timeline(n);
        let with = rss_kib().unwrap_or_default();
        println!(
            "memory: timeline of {n} events: resident {:.1} MiB ({:.1} MiB above the empty process)",
            with as f64 / 1024.0,
            with.saturating_sub(base) as f64 / 1024.0
        );
        drop(black_box(t));
    }
}

criterion_group!(benches, frame, ingest, filter, refresh);

fn main() {
    // `cargo test --benches` runs each benchmark once, and the ministack cycle twice;
    // the memory report and the full ministack run are for `cargo bench`.
    // Named benchmarks (`cargo bench --bench dashboard -- filter`): those alone.
    let named = std::env::args().skip(1).any(|a| !a.starts_with('-'));
    match (named, std::env::args().any(|a| a == "--bench")) {
        (true, _) => {}
        (false, true) => {
            memory();
            against_ministack::report(200, 5);
            delivery::report(100);
        }
        (false, false) => {
            against_ministack::report(2, 1);
            delivery::report(3);
        }
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
