//! What opens over the dashboard: help, an event's detail, the doctor and its findings.

use super::*;

#[tokio::test(start_paused = true)]
async fn help_overlay_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::Char('?'));
    assert_screen!("help_overlay_80x24", screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn event_detail_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_screen!("event_detail_80x24", screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn doctor_overlay_on_the_average_trap_80x24() {
    let (mut app, view) = app_after(Scenario::AverageTrap, 3).await;
    let command = app.on_key(KeyEvent::from(KeyCode::Char('d')));
    assert_eq!(
        command,
        Some(secretwatch::engine::Job::Doctor { every_scope: true })
    );
    let report = doctor_report(Scenario::AverageTrap).await;
    let alarm = report
        .findings
        .iter()
        .position(|f| f.link == secretwatch::chain::ChainLink::Alarm)
        .expect("an alarm finding");
    app.on_update(Update::Chain(report));
    // It opens on the first link that is not ok: the alarm on Average.
    assert_eq!(
        app.mode,
        secretwatch::ui::app::Mode::Doctor {
            selected: alarm,
            open: false
        }
    );
    assert_screen!(
        "doctor_overlay_on_the_average_trap_80x24",
        screen(&mut app, &view, 80, 24)
    );
}

#[tokio::test(start_paused = true)]
async fn doctor_finding_in_full_on_enter_80x24() {
    let (mut app, view) = app_after(Scenario::AverageTrap, 3).await;
    app.on_key(KeyEvent::from(KeyCode::Char('d')));
    let report = doctor_report(Scenario::AverageTrap).await;
    let alarm = report
        .findings
        .iter()
        .position(|f| f.link == secretwatch::chain::ChainLink::Alarm)
        .expect("an alarm finding");
    app.on_update(Update::Chain(report));
    // Selected already: the doctor opens on the first link that is not ok.
    key(&mut app, KeyCode::Enter);
    let shown = screen(&mut app, &view, 80, 24);
    let text = format!("{shown}");
    assert!(text.contains("evidence"), "{text}");
    assert!(text.contains("Average"), "{text}");
    assert_screen!("doctor_finding_in_full_on_enter_80x24", shown);
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.mode,
        secretwatch::ui::app::Mode::Doctor {
            selected: alarm,
            open: false
        }
    );
}

/// On a terminal too short for every key, the help keeps its frame and says there is more.
#[tokio::test(start_paused = true)]
async fn help_on_a_short_terminal_keeps_its_frame_80x16() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::Char('?'));
    assert_screen!(
        "help_on_a_short_terminal_keeps_its_frame_80x16",
        screen(&mut app, &view, 80, 16)
    );
}
