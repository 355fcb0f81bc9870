//! The status bar at every width from 80 columns: "? help" always shows whole, and the
//! other parts give way in order (the other hints, fresh sources, the alarm's name,
//! countdowns) before anything that needs attention is cut.

use super::*;
use ratatui::layout::Rect;
use secretwatch::cloud::types::AlarmState;
use secretwatch::cloud::{CloudError, ErrorKind};
use secretwatch::ui::now::Now;
use secretwatch::ui::panes;

type Flash = (String, chrono::DateTime<chrono::Utc>);

/// The bar alone, `width` columns wide, as one line of text.
fn bar(app: &App, flash: Option<&Flash>, width: u16) -> String {
    let now = Now::new(app.clock.now());
    let mut t = Terminal::new(TestBackend::new(width, 1)).expect("terminal");
    t.draw(|f| panes::status::draw(f, Rect::new(0, 0, width, 1), &app.store, flash, &now))
        .expect("draw");
    let line: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    line.trim_end().to_string()
}

/// The demo at 3 minutes, its alarm firing for 42 s and not acknowledged (09:02:18).
async fn firing() -> App {
    let (mut app, _) = app_after(Scenario::Healthy, 3).await;
    alarm_in(&mut app, AlarmState::Alarm, chrono::TimeDelta::seconds(42));
    app
}

/// The bar's busiest states.
const STATES: [&str; 4] = ["firing", "failing", "flash", "disconnected"];

/// One of [`STATES`], with what must stay readable in it at every width. Built just before
/// it is drawn: each app's clock moves with the paused tokio time the next one advances.
async fn state(name: &str) -> (App, Option<Flash>, Vec<&'static str>) {
    let alarm = "ALARM";
    match name {
        "firing" => (firing().await, None, vec![alarm, "since 09:02:18 · a"]),
        "failing" => {
            let mut app = firing().await;
            events_failing_metric_throttled(
                &mut app,
                chrono::TimeDelta::seconds(8),
                chrono::TimeDelta::seconds(4),
            );
            (app, None, vec![alarm, "events ✗", "metric throttled"])
        }
        "flash" => {
            let app = firing().await;
            let flash = (
                "test access fired: waiting for CloudTrail to deliver its event".to_string(),
                app.clock.now() + chrono::TimeDelta::seconds(5),
            );
            (app, Some(flash), vec![alarm, "│ test access"])
        }
        _ => {
            let (_, clock) = sim(SimConfig::demo(42, Scenario::Healthy));
            let mut app = App::new(clock, "secretwatch-test-snap".into());
            app.on_update(Update::IdentityFailed(CloudError::new(
                "GetCallerIdentity",
                ErrorKind::Credentials,
                "the SSO session has expired",
            )));
            (app, None, vec![" NOT CONNECTED · run"])
        }
    }
}

#[tokio::test(start_paused = true)]
async fn help_shows_whole_at_every_width_from_80_columns() {
    for name in STATES {
        let (app, flash, kept) = state(name).await;
        // Narrower than 80 columns "? help" may go, but nothing panics.
        for width in 1..80 {
            bar(&app, flash.as_ref(), width);
        }
        for width in 80..=220 {
            let line = bar(&app, flash.as_ref(), width);
            assert!(line.contains("? help"), "{name} at {width}: {line:?}");
            for words in &kept {
                assert!(
                    line.contains(words),
                    "{name} at {width}: {words:?} in {line:?}"
                );
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_bar_at_80_120_and_140_columns() {
    let mut shown = String::new();
    for name in STATES {
        let (app, flash, _) = state(name).await;
        for width in [80, 120, 140] {
            shown += &format!("{name} {width}:\n{}\n", bar(&app, flash.as_ref(), width));
        }
    }
    assert_screen!("status_bar_80_120_140", shown);
}

/// Messages or files a source could not read are counted beside it while there is room: a
/// fresh source that skipped some does not read as one that skipped none.
#[tokio::test(start_paused = true)]
async fn a_fresh_source_that_skipped_unreadable_input_says_how_many() {
    let (mut app, _) = app_after(Scenario::Healthy, 3).await;
    assert!(
        bar(&app, None, 200).contains("trail-files ✓ "),
        "{}",
        bar(&app, None, 200)
    );
    assert!(!bar(&app, None, 200).contains("unreadable"));
    for id in ["m-1", "m-2"] {
        app.on_update(secretwatch::engine::Update::Unreadable {
            source: Source::TrailFiles,
            id: id.into(),
            why: "not a gzip file".into(),
        });
    }
    assert!(
        bar(&app, None, 200).contains("trail-files ✓ 2 unreadable"),
        "{}",
        bar(&app, None, 200)
    );
}
