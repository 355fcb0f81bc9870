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
