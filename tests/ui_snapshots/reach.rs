//! Nothing a user needs is out of reach: columns as wide as what they hold, long values
//! wrapped in the detail view, a failed test's reason whole, the detail view's ends, and
//! a key that does nothing saying so.

use super::*;
use secretwatch::cloud::types::TrailRecord;
use secretwatch::ui::app::Mode;

const MARKER: &str = "secretwatch-test-snap-7";

/// The demo at 3 minutes plus the newest access: a cross-service role reading a secret
/// with a long name, with a user agent that ends in a test marker.
async fn with_long_values() -> (App, ViewConfig) {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    let raw = serde_json::json!({
        "eventName": "GetSecretValue",
        "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::123456789012:assumed-role/billing-reconciler/i-0a1b2c"},
        "sourceIPAddress": "10.0.12.34",
        "userAgent": format!("aws-sdk-java/2.25.10 Linux/5.10.218 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE {MARKER}"),
        "requestParameters": {"secretId": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db-password-AbCdEf"},
        "responseElements": null,
        "eventVersion": "1.09",
        "awsRegion": "us-east-1",
        "readOnly": true,
        "managementEvent": true,
        "eventCategory": "Management",
        "recipientAccountId": "123456789012",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": "secretsmanager.us-east-1.amazonaws.com"},
    });
    let record = TrailRecord {
        event_id: "long-1".into(),
        event_time: app.clock.now(),
        event_name: "GetSecretValue".into(),
        event_source: "secretsmanager.amazonaws.com".into(),
        cloudtrail_event: raw.to_string(),
    };
    app.on_update(Update::Accesses(vec![parse_access_event(&record)]));
    (app, view)
}

/// The text of columns `x0..x1`, row after row, with spaces gone: a wrapped value reads whole.
fn joined(backend: &TestBackend, x0: u16, x1: u16) -> String {
    let buffer = backend.buffer();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in x0..x1 {
            text += buffer[(x, y)].symbol();
        }
    }
    text.chars().filter(|c| *c != ' ').collect()
}

#[tokio::test(start_paused = true)]
async fn principal_and_secret_columns_show_whole_at_80_120_and_160_columns() {
    let demo = [
        "role/billing-service/i-0a1b2c3d4e5f67890 ",
        "role/ci-runner/gha-7731 ",
        "TopSecretInfo ",
    ];
    // 80 columns hold the roles whole, if not the longest session name.
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    let text = screen(&mut app, &view, 80, 24).to_string();
    for whole in [
        "role/billing-service/i-",
        "role/ci-runner/gha-7731 ",
        "TopSecretInfo ",
    ] {
        assert!(text.contains(whole), "{whole:?} at 80x24:\n{text}");
    }
    let (mut app, view) = with_long_values().await;
    let mut shown = String::new();
    for (width, height) in [(120, 30), (160, 48)] {
        let backend = screen(&mut app, &view, width, height);
        let text = backend.to_string();
        for whole in demo
            .iter()
            .chain(&["prod-db-password ", "role/billing-reconciler/i-0a1b2c "])
        {
            assert!(
                text.contains(whole),
                "{whole:?} at {width}x{height}:\n{text}"
            );
        }
        if width == 120 {
            shown = text;
        }
    }
    assert_screen!("timeline_columns_120x30", shown);
}

#[tokio::test(start_paused = true)]
async fn a_failed_test_access_shows_its_reason_whole() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::Char('t'));
    let marker = app.store.tests.last().expect("a test").marker.clone();
    let error = "GetSecretValue AccessDenied: User: arn:aws:iam::123456789012:user/alice is not \
                 authorized to perform: secretsmanager:GetSecretValue on resource: TopSecretInfo \
                 because no identity-based policy allows it";
    app.on_update(Update::TestFailed {
        marker,
        error: error.into(),
    });
    let backend = screen(&mut app, &view, 80, 24);
    let want: String = error.chars().filter(|c| *c != ' ').collect();
    assert!(joined(&backend, 1, 79).contains(&want), "{backend}");
    assert!(
        backend
            .to_string()
            .contains("✗ test access failed: GetSecretValue")
    );
}

#[tokio::test(start_paused = true)]
async fn the_detail_view_wraps_the_user_agent_to_its_test_marker() {
    let (mut app, view) = with_long_values().await;
    key(&mut app, KeyCode::Enter);
    let backend = screen(&mut app, &view, 80, 24);
    let ua_end = format!("exec-env/AWS_ECS_FARGATE{MARKER}");
    // 80x24: the view is inset 4 columns, its text starts inside its border.
    assert!(joined(&backend, 5, 75).contains(&ua_end), "{backend}");
    assert_screen!("event_detail_wrapped_80x24", backend);
}

#[tokio::test(start_paused = true)]
async fn the_detail_view_pages_by_its_height_and_stops_at_its_end() {
    let (mut app, view) = with_long_values().await;
    app.resize(80, 24);
    key(&mut app, KeyCode::Enter);
    let scroll = |app: &App| match app.mode {
        Mode::Detail { scroll, .. } => scroll,
        _ => panic!("not in the detail view: {:?}", app.mode),
    };
    key(&mut app, KeyCode::Char('G'));
    let end = scroll(&app);
    // 80x24: the view is inset to 19 rows, 17 inside its borders; the event is longer.
    assert!(end > 17, "{end}");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::PageDown);
    assert_eq!(scroll(&app), 17);
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::PageDown);
    assert_eq!(scroll(&app), end, "scrolled past the end");
    let text = screen(&mut app, &view, 80, 24).to_string();
    // The JSON's closing brace is on the view's last row, not above empty rows.
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[19].contains("│}  "), "{text}");
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(scroll(&app), 0);
    key(&mut app, KeyCode::End);
    assert_eq!(scroll(&app), end);
}

#[tokio::test(start_paused = true)]
async fn the_timeline_title_names_the_watched_secrets() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    app.on_update(Update::Watching(vec![
        "TopSecretInfo".into(),
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db-password-AbCdEf".into(),
    ]));
    let text = screen(&mut app, &view, 120, 30).to_string();
    let title = text.lines().next().expect("a title");
    assert!(
        title.contains(" Accesses to TopSecretInfo, prod-db-password · 32 · newest first"),
        "{title}"
    );
}

#[tokio::test(start_paused = true)]
async fn end_selects_the_oldest_access() {
    let (mut app, _) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::End);
    assert_eq!(app.selected, app.store.timeline.len() - 1);
}

#[tokio::test(start_paused = true)]
async fn a_key_that_does_nothing_says_so_beside_help() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::Char('z'));
    let text = screen(&mut app, &view, 80, 24).to_string();
    let bar = text.lines().last().expect("a status bar");
    assert!(bar.contains("unknown key z"), "{bar}");
    assert!(bar.contains("? help"), "{bar}");
}
