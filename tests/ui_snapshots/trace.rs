//! The trace panel: a test access mid-way (seen as far as the log group, waiting for the
//! metric), complete (every link to the alarm's message, each with its latency), and
//! stopped (where, why, the doctor's finding and fix), at 80x24 and 160x48.

use super::*;
use chrono::TimeDelta;
use secretwatch::cloud::alarm_message::AlarmMessage;
use secretwatch::cloud::types::{
    AlarmState, AlarmTransition, MetricPoint, Notification, TestAccess,
};
use secretwatch::engine::EngineConfig;
use secretwatch::trace::Link;

/// A quiet account (nobody reads; the alarm OK), `t` pressed, the read answered.
async fn fired() -> (App, ViewConfig) {
    let mut config = SimConfig::demo(42, Scenario::Healthy);
    config.actors.clear();
    config.noise = false;
    let pace = EngineConfig::for_account(&config).trace_pace();
    let (mut app, view) = app_after_with(config, 3).await;
    key(&mut app, KeyCode::Char('t'));
    let marker = app.store.tests.last().expect("requested").marker.clone();
    let access = TestAccess {
        secret_arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:TopSecretInfo-Ab12Cd"
            .into(),
        version_id: "0f6c4d5e-8a9b-4c1d-9e2f-3a4b5c6d7e8f".into(),
        fired_at: app.clock.now(),
        marker,
    };
    app.on_update(Update::TestFired { access, pace });
    (app, view)
}

fn marker(app: &App) -> String {
    app.store.traces.last().expect("a trace").marker.clone()
}

async fn seen(app: &mut App, link: Link, after: u64, detail: &str) {
    tokio::time::advance(Duration::from_secs(after)).await;
    let at = app.clock.now();
    app.on_update(Update::TraceSeen {
        marker: marker(app),
        link,
        at,
        detail: detail.into(),
    });
}

/// Seen as far as the log group; 4 s into the wait for the metric.
async fn mid() -> (App, ViewConfig) {
    let (mut app, view) = fired().await;
    let event = "7bcea1c0-4c12-439a-a378-c31d0f3b13f0";
    seen(
        &mut app,
        Link::History,
        6,
        &format!("LookupEvents: event {event}"),
    )
    .await;
    seen(
        &mut app,
        Link::LogGroup,
        2,
        &format!("FilterLogEvents: record of event {event} in secretwatch/cloudtrail"),
    )
    .await;
    tokio::time::advance(Duration::from_secs(4)).await;
    (app, view)
}

/// The read's period (a minute) has the read in the metric.
fn the_period_rises(app: &mut App) {
    let fired_at = app.store.traces.last().expect("a trace").fired_at;
    let period = fired_at
        .duration_trunc(TimeDelta::minutes(1))
        .expect("a minute");
    app.on_update(Update::Metric(vec![MetricPoint {
        time: period,
        value: 1.0,
    }]));
}

/// The metric rises, the alarm fires, its message arrives on the queue.
async fn complete() -> (App, ViewConfig) {
    let (mut app, view) = mid().await;
    the_period_rises(&mut app);
    tokio::time::advance(Duration::from_secs(40)).await;
    let mut alarm = app.store.alarm.found().cloned().expect("the alarm");
    let transition = AlarmTransition {
        alarm: alarm.name.clone(),
        time: app.clock.now(),
        from: alarm.state,
        to: AlarmState::Alarm,
        reason: "Threshold Crossed".into(),
    };
    alarm.state = AlarmState::Alarm;
    alarm.state_since = transition.time;
    app.on_update(Update::Alarm {
        alarm: Some(alarm.clone()),
        history: vec![transition],
    });
    tokio::time::advance(Duration::from_secs(4)).await;
    app.on_update(Update::AlarmMessages(vec![AlarmMessage {
        notification: Notification {
            id: "m-1".into(),
            time: app.clock.now(),
            topic: "arn:aws:sns:us-east-1:123456789012:SecurityAlarms".into(),
            endpoint: "secretwatch-alarm-messages".into(),
            subject: format!("ALARM: \"{}\" in us-east-1", alarm.name),
        },
        alarm: Some(alarm.name.clone()),
        new_state: Some("ALARM".into()),
    }]));
    (app, view)
}

use chrono::DurationRound;

#[tokio::test(start_paused = true)]
async fn mid_trace_80x24() {
    let (mut app, view) = mid().await;
    let shown = screen(&mut app, &view, 80, 24);
    let text = format!("{shown}");
    assert!(text.contains("waiting for the metric"), "{text}");
    assert_screen!("trace_mid_80x24", shown);
}

#[tokio::test(start_paused = true)]
async fn mid_trace_160x48() {
    let (mut app, view) = mid().await;
    assert_screen!("trace_mid_160x48", screen(&mut app, &view, 160, 48));
}

#[tokio::test(start_paused = true)]
async fn complete_80x24() {
    let (mut app, view) = complete().await;
    let trace = app.store.traces.last().expect("a trace");
    assert!(!trace.is_running(), "{trace:#?}");
    let shown = screen(&mut app, &view, 80, 24);
    assert!(format!("{shown}").contains("complete: the alarm's message arrived"));
    assert_screen!("trace_complete_80x24", shown);
}

#[tokio::test(start_paused = true)]
async fn complete_160x48() {
    let (mut app, view) = complete().await;
    assert_screen!("trace_complete_160x48", screen(&mut app, &view, 160, 48));
}

/// The Average trap: the metric rose, no transition came; where it stopped, the doctor's
/// finding and its fix.
#[tokio::test(start_paused = true)]
async fn stopped_at_the_alarm_with_the_doctors_fix_80x24() {
    let (mut app, view) = mid().await;
    app.on_update(Update::Chain(doctor_report(Scenario::AverageTrap).await));
    let mut alarm = app.store.alarm.found().cloned().expect("the alarm");
    alarm.statistic = secretwatch::cloud::types::Statistic::Average;
    app.on_update(Update::Alarm {
        alarm: Some(alarm),
        history: Vec::new(),
    });
    the_period_rises(&mut app);
    tokio::time::advance(Duration::from_secs(200)).await;
    app.on_update(Update::Polled {
        source: Source::Alarms,
        at: app.clock.now(),
        every: Duration::from_secs(5),
        attempt: Attempt::Ok,
    });
    let trace = app.store.traces.last().expect("a trace");
    assert_eq!(trace.stopped_at(), Some(Link::Alarm), "{trace:#?}");
    let shown = screen(&mut app, &view, 80, 24);
    let text = format!("{shown}");
    assert!(text.contains("doctor: alarm"), "{text}");
    assert_screen!("trace_stopped_80x24", shown);
}
