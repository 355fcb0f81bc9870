//! Each pane alone, at the size it gets in a whole screen.

use super::*;

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
        assert_screen!(format!("timeline_{width}x{height}"), t.backend());

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
        assert_screen!(format!("metric_{width}x{height}"), t.backend());

        let mut t = Terminal::new(TestBackend::new(width - metric_width, lower)).expect("t");
        t.draw(|f| panes::alarm::draw(f, f.area(), store, &view.alarm_name, now))
            .expect("draw");
        assert_screen!(format!("alarm_{width}x{height}"), t.backend());

        let mut t = Terminal::new(TestBackend::new(width, 1)).expect("t");
        t.draw(|f| panes::status::draw(f, Rect::new(0, 0, width, 1), store, None, now))
            .expect("draw");
        assert_screen!(format!("status_{width}x{height}"), t.backend());
    }
}

/// The alarm pane says what a period without data counts as, in words: `missing: missing`
/// said nothing. On the setup's line where it fits, on its own line where the pane is tall
/// enough.
#[tokio::test(start_paused = true)]
async fn the_alarm_pane_says_what_missing_data_counts_as() {
    use secretwatch::cloud::types::TreatMissing;
    use secretwatch::ui::panes;
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    for (treat, words) in [
        (TreatMissing::NotBreaching, "missing data: not breaching"),
        (TreatMissing::Breaching, "missing data: breaching"),
        (TreatMissing::Ignore, "missing data: keeps the state"),
        (TreatMissing::Missing, "missing data: insufficient data"),
    ] {
        let mut alarm = app.store.alarm.found().cloned().expect("the demo's alarm");
        alarm.treat_missing = treat;
        app.on_update(Update::Alarm {
            alarm: Some(alarm),
            history: Vec::new(),
        });
        let now = &secretwatch::ui::now::Now::new(app.clock.now());
        // The pane's share of a 100x30 and a 160x48 screen.
        for (width, height) in [(45u16, 12u16), (72, 16)] {
            let mut t = Terminal::new(TestBackend::new(width, height)).expect("t");
            t.draw(|f| panes::alarm::draw(f, f.area(), &app.store, &view.alarm_name, now))
                .expect("draw");
            let shown = t.backend().to_string();
            assert!(
                shown.contains(words),
                "{treat:?} at {width}x{height}:\n{shown}"
            );
        }
    }
}

/// Why the alarm is in its state shows beside the Average warning and no action, before the
/// history: a wrapping history line used to push it off the bottom of the pane. (At 80x24,
/// 7 rows, the two warnings themselves come first.)
#[tokio::test(start_paused = true)]
async fn the_alarm_pane_always_shows_the_reason() {
    use secretwatch::cloud::types::{AlarmState, Statistic};
    use secretwatch::ui::panes;
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    let mut alarm = app.store.alarm.found().cloned().expect("the demo's alarm");
    alarm.statistic = Statistic::Average;
    alarm.actions_enabled = false;
    alarm.state = AlarmState::Alarm;
    alarm.reason = "raised by the test".into();
    app.on_update(Update::Alarm {
        alarm: Some(alarm),
        history: Vec::new(),
    });
    let now = &secretwatch::ui::now::Now::new(app.clock.now());
    for (width, height) in [(45u16, 12u16), (72, 16)] {
        let mut t = Terminal::new(TestBackend::new(width, height)).expect("t");
        t.draw(|f| panes::alarm::draw(f, f.area(), &app.store, &view.alarm_name, now))
            .expect("draw");
        let shown = t.backend().to_string();
        assert!(
            shown.contains("raised by the test"),
            "at {width}x{height}:\n{shown}"
        );
    }
}
