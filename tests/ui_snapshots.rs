//! The panes and the whole screen, drawn into ratatui's TestBackend from a store
//! filled by the embedded account at a fixed clock, and compared with insta snapshots.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretwatch::access::parse_access_event;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::sim::{Scenario, SimConfig};
use secretwatch::cloud::types::{EventQuery, LookupAttribute, MetricQuery, Statistic, TrailRecord};
use secretwatch::engine::{Attempt, Source, Update};
use secretwatch::ui::app::App;
use secretwatch::ui::{ViewConfig, draw};
use std::time::Duration;

/// An app whose store holds what each source answered after `minutes` of the demo.
async fn app_after(scenario: Scenario, minutes: u64) -> (App, ViewConfig) {
    let mut config = SimConfig::demo(42, scenario);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let names = config.names.clone();
    let (sim, clock) = sim(config);
    tokio::time::advance(Duration::from_secs(minutes * 60)).await;
    let mut app = App::new(clock, "secretwatch-test-snap".into());
    let now = clock.now();
    let mut query = EventQuery {
        lookup: LookupAttribute::EventName("GetSecretValue".into()),
        start: now - chrono::TimeDelta::hours(1),
        end: now,
        next_token: None,
    };
    let mut events = Vec::new();
    loop {
        let page = sim.lookup_events(&query).await.expect("lookup");
        events.extend(page.records.iter().map(parse_access_event));
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
    for source in Source::ALL {
        app.on_update(Update::Polled {
            source,
            at: clock.now(),
            every: Duration::from_secs(5),
            attempt: Attempt::Ok,
        });
    }
    let view = ViewConfig {
        metric_name: names.metric_name.clone(),
        period: names.alarm_period,
        alarm_name: names.alarm.clone(),
    };
    (app, view)
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

#[tokio::test(start_paused = true)]
async fn dashboard_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    insta::assert_snapshot!(screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn dashboard_160x48() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    insta::assert_snapshot!(screen(&mut app, &view, 160, 48));
}

#[tokio::test(start_paused = true)]
async fn help_overlay_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn event_detail_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn test_access_pending_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::Char('t'));
    insta::assert_snapshot!(screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn bare_account_160x48() {
    let (mut app, view) = app_after(Scenario::Bare, 3).await;
    insta::assert_snapshot!(screen(&mut app, &view, 160, 48));
}

#[tokio::test(start_paused = true)]
async fn average_trap_and_failing_sources_80x24() {
    let (mut app, view) = app_after(Scenario::AverageTrap, 3).await;
    events_failing_metric_throttled(
        &mut app,
        chrono::TimeDelta::seconds(8),
        chrono::TimeDelta::seconds(4),
    );
    insta::assert_snapshot!(screen(&mut app, &view, 80, 24));
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

#[tokio::test(start_paused = true)]
async fn hostile_event_fields_render_as_visible_text() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    let raw = serde_json::json!({
        "eventName": "GetSecretValue",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/\u{1b}[2J\u{1b}]0;pwned\u{7}mallory"},
        "sourceIPAddress": "10.0.0.1\u{202e}evil",
        "userAgent": "aws-cli/2 \u{1b}]52;c;SGVsbG8=\u{7}",
        "requestParameters": {"secretId": "Top\u{200b}Secret\r\nInfo"},
        "errorCode": "\u{1b}[31mAccessDenied"
    });
    let record = TrailRecord {
        event_id: "hostile-1".into(),
        event_time: app.clock.now(),
        event_name: "GetSecretValue".into(),
        event_source: "secretsmanager.amazonaws.com".into(),
        cloudtrail_event: raw.to_string(),
    };
    app.on_update(Update::Accesses(vec![parse_access_event(&record)]));
    let backend = screen(&mut app, &view, 80, 24);
    let text = backend.to_string();
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'));
    insta::assert_snapshot!(backend);
}

/// Each pane alone, at the size it gets in an 80x24 screen and in a 160x48 one.
#[tokio::test(start_paused = true)]
async fn each_pane_alone() {
    use ratatui::layout::Rect;
    use secretwatch::ui::panes;
    let (app, view) = app_after(Scenario::Healthy, 3).await;
    let now = &secretwatch::ui::now::Now::new(app.clock.now());
    let store = &app.store;
    for (width, height, lower) in [(80u16, 24u16, 9u16), (160, 48, 16)] {
        let mut t = Terminal::new(TestBackend::new(width, height - lower - 1)).expect("t");
        t.draw(|f| {
            panes::timeline::draw(f, f.area(), store, 0, now);
        })
        .expect("draw");
        insta::assert_snapshot!(format!("timeline_{width}x{height}"), t.backend());

        let metric_width = width * 55 / 100;
        let mut t = Terminal::new(TestBackend::new(metric_width, lower)).expect("t");
        t.draw(|f| {
            let metric = panes::metric::MetricView {
                name: &view.metric_name,
                period: view.period,
                threshold: Some(1.0),
                points: &store.metric,
                now,
            };
            panes::metric::draw(f, f.area(), store, metric);
        })
        .expect("draw");
        insta::assert_snapshot!(format!("metric_{width}x{height}"), t.backend());

        let mut t = Terminal::new(TestBackend::new(width - metric_width, lower)).expect("t");
        t.draw(|f| panes::alarm::draw(f, f.area(), store, &view.alarm_name, now))
            .expect("draw");
        insta::assert_snapshot!(format!("alarm_{width}x{height}"), t.backend());

        let mut t = Terminal::new(TestBackend::new(width, 1)).expect("t");
        t.draw(|f| panes::status::draw(f, Rect::new(0, 0, width, 1), store, None, now))
            .expect("draw");
        insta::assert_snapshot!(format!("status_{width}x{height}"), t.backend());
    }
}

#[tokio::test(start_paused = true)]
async fn doctor_overlay_on_the_average_trap_80x24() {
    let mut config = SimConfig::demo(42, Scenario::AverageTrap);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let names = config.names.clone();
    let (sim, clock) = sim(config);
    let (mut app, view) = app_after(Scenario::AverageTrap, 3).await;
    let command = app.on_key(KeyEvent::from(KeyCode::Char('d')));
    assert_eq!(command, Some(secretwatch::engine::Job::Doctor));
    let report = secretwatch::chain::doctor::examine(sim.as_ref(), &names, clock.now()).await;
    app.on_update(Update::Chain(report));
    for _ in 0..4 {
        key(&mut app, KeyCode::Down);
    }
    insta::assert_snapshot!(screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn doctor_finding_in_full_on_enter_80x24() {
    let mut config = SimConfig::demo(42, Scenario::AverageTrap);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let names = config.names.clone();
    let (sim, clock) = sim(config);
    let (mut app, view) = app_after(Scenario::AverageTrap, 3).await;
    app.on_key(KeyEvent::from(KeyCode::Char('d')));
    let report = secretwatch::chain::doctor::examine(sim.as_ref(), &names, clock.now()).await;
    let alarm = report
        .findings
        .iter()
        .position(|f| f.link == secretwatch::chain::ChainLink::Alarm)
        .expect("an alarm finding");
    app.on_update(Update::Chain(report));
    for _ in 0..alarm {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    let shown = screen(&mut app, &view, 80, 24);
    let text = format!("{shown}");
    assert!(text.contains("evidence"), "{text}");
    assert!(text.contains("Average"), "{text}");
    insta::assert_snapshot!(shown);
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.mode,
        secretwatch::ui::app::Mode::Doctor {
            selected: alarm,
            open: false
        }
    );
}

#[tokio::test(start_paused = true)]
async fn an_unacknowledged_alarm_stands_out_until_acknowledged_100x30() {
    use secretwatch::ack::act::Acknowledged;
    use secretwatch::ack::{Ack, AckState, Episode};
    use secretwatch::cloud::types::AlarmState;
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    let mut alarm = app.store.alarm.found().cloned().expect("the demo's alarm");
    alarm.state = AlarmState::Alarm;
    alarm.state_since = app.clock.now() - chrono::TimeDelta::seconds(42);
    alarm.reason = "Threshold Crossed: 1 datapoint [2.0] >= 1.0".into();
    app.on_update(Update::Alarm {
        alarm: Some(alarm.clone()),
        history: Vec::new(),
    });
    assert!(app.take_bell(), "a new unacknowledged episode rings");
    insta::assert_snapshot!(
        "alarm_unacknowledged_100x30",
        screen(&mut app, &view, 100, 30)
    );

    let Some(AckState::Unacknowledged { episode }) = app.store.ack_state() else {
        panic!("not unacknowledged: {:?}", app.store.ack_state());
    };
    app.on_key(KeyEvent::from(KeyCode::Char('a')));
    for c in "on it".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    insta::assert_snapshot!("ack_dialog_100x30", screen(&mut app, &view, 100, 30));
    let command = app.on_key(KeyEvent::from(KeyCode::Enter));
    assert_eq!(
        command,
        Some(secretwatch::engine::Job::Acknowledge {
            episode: episode.clone(),
            note: Some("on it".into())
        })
    );
    let scope = app.store.scope().expect("scope");
    app.on_update(Update::Acknowledged(Acknowledged {
        ack: Ack {
            scope,
            episode: Episode::of(&alarm).expect("firing"),
            by: "arn:aws:iam::123456789012:user/alice".into(),
            at: app.clock.now(),
            note: Some("on it".into()),
        },
        reset: None,
    }));
    insta::assert_snapshot!(
        "alarm_acknowledged_100x30",
        screen(&mut app, &view, 100, 30)
    );
    app.on_key(KeyEvent::from(KeyCode::Char('A')));
    insta::assert_snapshot!("ack_history_100x30", screen(&mut app, &view, 100, 30));
}

/// The screen names the next instant it will read differently, and the terminal loop
/// sleeps until then instead of redrawing every second. The promise checked here: drawn
/// again at any instant before that one, with nothing else happening, the screen is the
/// same, cell for cell. Followed through several changes in a row, so that ages rolling
/// over, countdowns, sources turning stale and messages expiring are all crossed.
async fn still_until_each_named_change(
    app: &mut App,
    view: &ViewConfig,
    steps: usize,
) -> Vec<Duration> {
    let mut gaps = Vec::new();
    for _ in 0..steps {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        let mut named = None;
        terminal.draw(|f| named = draw(f, app, view)).expect("draw");
        let first = terminal.backend().buffer().clone();
        let start = app.clock.now();
        let gap = match named {
            Some(at) => (at - start).to_std().expect("the change is in the future"),
            // Nothing shown depends on the clock: a day later it must read the same.
            None => Duration::from_secs(86_400) + Duration::from_nanos(1),
        };
        let mut elapsed = Duration::ZERO;
        let probes = [
            Duration::from_millis(1),
            gap / 2,
            gap - Duration::from_nanos(1),
        ];
        for probe in probes {
            if probe <= elapsed || probe >= gap {
                continue;
            }
            tokio::time::advance(probe - elapsed).await;
            elapsed = probe;
            terminal
                .draw(|f| {
                    draw(f, app, view);
                })
                .expect("draw");
            assert_eq!(
                terminal.backend().buffer(),
                &first,
                "the screen changed {probe:?} after {start}, before the {gap:?} it named"
            );
        }
        gaps.push(gap);
        if named.is_none() {
            break;
        }
        tokio::time::advance(gap - elapsed).await;
    }
    gaps
}

#[tokio::test(start_paused = true)]
async fn the_screen_is_still_until_the_change_it_names() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    // Healthy and idle: every source just polled, the alarm OK for ten minutes. Nothing
    // counts seconds, so the first change is a source turning stale if no poll comes
    // (three 5-second intervals), not the old once-a-second tick.
    alarm_in(
        &mut app,
        secretwatch::cloud::types::AlarmState::Ok,
        chrono::TimeDelta::minutes(10),
    );
    let idle = still_until_each_named_change(&mut app, &view, 8).await;
    assert!(
        idle[0] > Duration::from_secs(15),
        "an idle screen changes before its sources could turn stale: {idle:?}"
    );

    // A test access waiting for CloudTrail, a message for a key press.
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Char('a'));
    still_until_each_named_change(&mut app, &view, 8).await;

    // Sources failing and throttled, with their countdowns.
    events_failing_metric_throttled(
        &mut app,
        chrono::TimeDelta::milliseconds(8_300),
        chrono::TimeDelta::milliseconds(4_700),
    );
    let busy = still_until_each_named_change(&mut app, &view, 12).await;
    assert!(
        busy.iter().all(|gap| *gap <= Duration::from_secs(1)),
        "countdowns move every second: {busy:?}"
    );

    // A firing alarm nobody acknowledged, then the acknowledgement dialog over it.
    alarm_in(
        &mut app,
        secretwatch::cloud::types::AlarmState::Alarm,
        chrono::TimeDelta::seconds(55),
    );
    still_until_each_named_change(&mut app, &view, 8).await;
    key(&mut app, KeyCode::Char('a'));
    still_until_each_named_change(&mut app, &view, 8).await;
}

/// An update the app calls quiet (a poll that found nothing new) skips its frame. The
/// promise checked here, over ten minutes of the demo's traffic, alarm and mail: drawn
/// before and after a quiet update, the screen is the same, cell for cell. And most
/// polls are quiet, or the skipping would be for nothing.
#[tokio::test(start_paused = true)]
async fn updates_called_quiet_leave_the_screen_as_it_was() {
    use secretwatch::engine::Engine;
    let mut config = SimConfig::demo(7, Scenario::Healthy);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let names = config.names.clone();
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim, clock, engine_config(&config));
    let mut app = App::new(clock, "secretwatch-test-quiet".into());
    let view = ViewConfig {
        metric_name: names.metric_name.clone(),
        period: names.alarm_period,
        alarm_name: names.alarm.clone(),
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).expect("terminal");
    let until = tokio::time::Instant::now() + Duration::from_secs(600);
    let (mut quiet, mut shown) = (0, 0);
    loop {
        let update = tokio::select! {
            update = engine.updates.recv() => update.expect("the engine runs"),
            () = tokio::time::sleep_until(until) => break,
        };
        terminal
            .draw(|f| {
                draw(f, &mut app, &view);
            })
            .expect("draw");
        let before = terminal.backend().buffer().clone();
        let what = format!("{update:?}");
        if app.on_update(update) {
            shown += 1;
            continue;
        }
        quiet += 1;
        terminal
            .draw(|f| {
                draw(f, &mut app, &view);
            })
            .expect("draw");
        assert_eq!(
            terminal.backend().buffer(),
            &before,
            "a quiet update changed the screen: {what}"
        );
    }
    assert!(
        quiet > shown,
        "most polls find nothing new, yet only {quiet} of {} updates were quiet",
        quiet + shown
    );
}
