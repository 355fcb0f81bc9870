//! The whole dashboard: healthy, bare, failing, a test access pending, hostile input.

use super::*;
use secretwatch::cloud::types::TrailRecord;

#[tokio::test(start_paused = true)]
async fn dashboard_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    assert_screen!("dashboard_80x24", screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn dashboard_160x48() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    assert_screen!("dashboard_160x48", screen(&mut app, &view, 160, 48));
}

#[tokio::test(start_paused = true)]
async fn test_access_pending_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::Char('t'));
    assert_screen!("access_pending_80x24", screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn bare_account_160x48() {
    let (mut app, view) = app_after(Scenario::Bare, 3).await;
    assert_screen!("bare_account_160x48", screen(&mut app, &view, 160, 48));
}

#[tokio::test(start_paused = true)]
async fn average_trap_and_failing_sources_80x24() {
    let (mut app, view) = app_after(Scenario::AverageTrap, 3).await;
    events_failing_metric_throttled(
        &mut app,
        chrono::TimeDelta::seconds(8),
        chrono::TimeDelta::seconds(4),
    );
    assert_screen!(
        "average_trap_and_failing_sources_80x24",
        screen(&mut app, &view, 80, 24)
    );
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
    assert_screen!("hostile_event_fields_render_as_visible_text", backend);
}
