//! The panes and the whole screen, drawn into ratatui's TestBackend from a store
//! filled by the embedded account at a fixed clock, and compared with insta snapshots.
//! One test binary (each binary links the aws-sdk), one module per screen or pane.

#[path = "../common/mod.rs"]
mod common;

/// Asserts an insta snapshot kept as `tests/snapshots/ui_snapshots__<name>.snap`, the name it
/// had when these tests were one file, whichever module asserts it.
macro_rules! assert_screen {
    ($name:expr, $value:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!(format!("ui_snapshots__{}", $name), $value));
    }};
}

mod acknowledgement;
mod changes;
mod dashboard;
mod filter;
mod first_seen;
mod noise;
mod overlays;
mod panes;
mod reach;
mod redraw;
mod scopes;
mod silence;
mod status_bar;
mod trace;

use common::*;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretwatch::access::parse_access_event;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::sim::{Scenario, SimConfig};
use secretwatch::cloud::types::Feed;
use secretwatch::cloud::types::{
    EventQuery, LookupAttribute, MetricQuery, SECRETS_SOURCE, Statistic, is_shown,
};
use secretwatch::engine::{Attempt, Source, Update};
use secretwatch::ui::app::App;
use secretwatch::ui::{ViewConfig, draw};
use std::time::Duration;

/// An app whose store holds what each source answered after `minutes` of the demo.
async fn app_after(scenario: Scenario, minutes: u64) -> (App, ViewConfig) {
    app_after_with(SimConfig::demo(42, scenario), minutes).await
}

/// An app whose store holds what each source of this embedded account answered after
/// `minutes`.
async fn app_after_with(config: SimConfig, minutes: u64) -> (App, ViewConfig) {
    app_after_reading(config, minutes, false).await
}

/// As `app_after_with`; with `changes`, the secret's changes are in the timeline too (the
/// other snapshots hold the reads alone, as they were drawn before changes were shown).
async fn app_after_reading(
    mut config: SimConfig,
    minutes: u64,
    changes: bool,
) -> (App, ViewConfig) {
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let names = config.names.clone();
    let (sim, clock) = sim(config);
    tokio::time::advance(Duration::from_secs(minutes * 60)).await;
    let mut app = App::new(clock, "secretwatch-test-snap".into());
    let now = clock.now();
    let lookup = if changes {
        LookupAttribute::EventSource(SECRETS_SOURCE.into())
    } else {
        LookupAttribute::EventName("GetSecretValue".into())
    };
    let mut query = EventQuery {
        lookup,
        start: now - chrono::TimeDelta::hours(1),
        end: now,
        next_token: None,
    };
    let mut events = Vec::new();
    loop {
        let page = sim.lookup_events(&query).await.expect("lookup");
        if changes {
            // By the service the pages are more: within LookupEvents' 2 a second.
            tokio::time::advance(Duration::from_millis(600)).await;
        }
        let shown = page
            .records
            .iter()
            .filter(|r| is_shown(&r.event_source, &r.event_name));
        events.extend(shown.map(parse_access_event));
        match page.next_token {
            Some(t) => query.next_token = Some(t),
            None => break,
        }
    }
    let metric = sim
        .metric_series(&MetricQuery {
            metric: names.metric(),
            statistic: Statistic::Sum,
            period: names.alarm_period,
            start: now - chrono::TimeDelta::hours(1),
            end: now,
        })
        .await
        .expect("metric");
    let alarm = sim.describe_alarm(&names.alarm).await.expect("alarm");
    let history = sim
        .alarm_history(&names.alarm, now - chrono::TimeDelta::hours(1))
        .await
        .expect("history");
    let inbox = sim
        .notifications(now - chrono::TimeDelta::hours(1))
        .await
        .expect("inbox");
    let identity = sim.identity().await.expect("identity");
    app.on_update(Update::Identity(identity));
    app.on_update(Update::Accesses(events));
    app.on_update(Update::Metric(metric));
    app.on_update(Update::Alarm { alarm, history });
    app.on_update(Update::Notifications(inbox));
    // Each queue answers as this account has it or not (the bare one has neither).
    let mut queues = Vec::new();
    for (source, feed) in [
        (Source::FastPath, Feed::FastPath),
        (Source::TrailFiles, Feed::TrailFiles),
    ] {
        let attempt = match sim.receive(feed, 1, Duration::ZERO).await {
            Ok(_) => Attempt::Ok,
            Err(error) => Attempt::Unsupported(error.to_string()),
        };
        queues.push((source, attempt));
    }
    for source in Source::ALL {
        let attempt = queues
            .iter()
            .find(|(s, _)| *s == source)
            .map_or(Attempt::Ok, |(_, a)| a.clone());
        app.on_update(Update::Polled {
            source,
            at: clock.now(),
            every: Duration::from_secs(5),
            attempt,
        });
    }
    let view = ViewConfig {
        metric_name: names.metric_name.clone(),
        period: names.alarm_period,
        alarm_name: names.alarm.clone(),
    };
    (app, view)
}

/// What the doctor finds in a fresh embedded account of `scenario`, on the snapshots' seed.
async fn doctor_report(scenario: Scenario) -> secretwatch::chain::doctor::Report {
    let mut config = SimConfig::demo(42, scenario);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let names = config.names.clone();
    let (sim, clock) = sim(config);
    let sources = Default::default();
    secretwatch::chain::doctor::examine(sim.as_ref(), &names, &sources, &[], clock.now()).await
}

fn screen(app: &mut App, view: &ViewConfig, width: u16, height: u16) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| {
            draw(f, app, view);
        })
        .expect("draw");
    terminal.backend().clone()
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
}

/// The events source failing (connection refused) and the metric throttled, each retrying
/// after the given time.
fn events_failing_metric_throttled(
    app: &mut App,
    events_retry_in: chrono::TimeDelta,
    metric_retry_in: chrono::TimeDelta,
) {
    let at = app.clock.now();
    let error = secretwatch::cloud::CloudError::new(
        "LookupEvents",
        secretwatch::cloud::ErrorKind::Unreachable,
        "connection refused",
    );
    app.on_update(Update::Polled {
        source: Source::Events,
        at,
        every: Duration::from_secs(5),
        attempt: Attempt::Failed {
            error,
            retry_at: at + events_retry_in,
        },
    });
    app.on_update(Update::Polled {
        source: Source::Metric,
        at,
        every: Duration::from_secs(5),
        attempt: Attempt::Throttled {
            retry_at: at + metric_retry_in,
        },
    });
}

/// The demo's alarm, put in `state` since `ago`.
fn alarm_in(app: &mut App, state: secretwatch::cloud::types::AlarmState, ago: chrono::TimeDelta) {
    let mut alarm = app.store.alarm.found().cloned().expect("the demo's alarm");
    alarm.state = state;
    alarm.state_since = app.clock.now() - ago;
    app.on_update(Update::Alarm {
        alarm: Some(alarm),
        history: Vec::new(),
    });
}
