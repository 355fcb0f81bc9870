//! Redrawing only when the screen would read differently: still until the change it
//! names, and quiet updates leave it as it was.

use super::*;

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
                draw(f, &app, &view);
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
                draw(f, &app, &view);
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
