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

/// The average trap once the doctor has looked: the chain strip says the alarm link is broken,
/// so the status bar must not say `alarm ✓` for its poll, and the metric pane names the
/// statistic the alarm fires on beside the Sum it draws.
#[tokio::test(start_paused = true)]
async fn average_trap_chain_and_polls_read_apart_80x24() {
    let (mut app, view) = app_after(Scenario::AverageTrap, 3).await;
    let report = doctor_report(Scenario::AverageTrap).await;
    app.on_update(Update::Chain(report));
    let shown = screen(&mut app, &view, 80, 24);
    let text = shown.to_string();
    let lines: Vec<&str> = text.lines().collect();
    let (chain, status) = (lines[lines.len() - 2], lines[lines.len() - 1]);
    assert!(chain.contains("✗ alarm"), "{chain}");
    // Where the alarm's poll shows, the bar says it is a poll.
    let polls = status.find("polls:").unwrap_or(usize::MAX);
    assert!(
        status.find("alarm ✓").is_none_or(|at| polls < at),
        "{status}"
    );
    let metric_title = lines[13];
    assert!(metric_title.contains("Sum/60s"), "{metric_title}");
    assert!(metric_title.contains("alarm Average ≥ 1"), "{metric_title}");
    assert_screen!("average_trap_chain_and_polls_80x24", shown);
}

/// A role of another account reading the secret shows that account, marked, at 80 columns:
/// it must not read like a local reader.
#[tokio::test(start_paused = true)]
async fn a_reader_from_another_account_shows_its_account() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    let raw = serde_json::json!({
        "eventName": "GetSecretValue",
        "userIdentity": {"type": "AssumedRole", "accountId": "444455556666",
            "arn": "arn:aws:sts::444455556666:assumed-role/billing/i-0ab"},
        "recipientAccountId": "123456789012",
        "sourceIPAddress": "203.0.113.9",
        "userAgent": "aws-cli/2.15.30",
        "requestParameters": {"secretId": "TopSecretInfo"},
    });
    let record = TrailRecord {
        event_id: "cross-1".into(),
        event_time: app.clock.now(),
        event_name: "GetSecretValue".into(),
        event_source: "secretsmanager.amazonaws.com".into(),
        cloudtrail_event: raw.to_string(),
    };
    app.on_update(Update::Accesses(vec![parse_access_event(&record)]));
    let text = screen(&mut app, &view, 80, 24).to_string();
    let row = text
        .lines()
        .find(|l| l.contains("203.0.113.9"))
        .unwrap_or_else(|| panic!("the access is not shown:\n{text}"));
    assert!(row.contains("@444455556666 role/billing"), "{row}");
    // The local readers of the demo show no account.
    assert!(!text.lines().any(|l| l.contains("@123456789012")), "{text}");
}
