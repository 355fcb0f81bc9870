//! Each pane says which is true: nothing happened, it cannot see, or the thing does not exist.
//! "No credentials" must never read like "nobody read anything".

use super::*;
use secretwatch::cloud::types::Feed;
use secretwatch::cloud::{CloudError, ErrorKind};

/// A dashboard that has never had an answer: every source fails with `error`.
fn never_answered(error: &CloudError) -> (App, ViewConfig) {
    let clock = secretwatch::clock::Clock::system();
    let mut app = App::new(clock, "secretwatch-test-snap".into());
    app.on_update(Update::IdentityFailed(error.clone()));
    let at = clock.now();
    for source in Source::ALL {
        // Where nothing connects there is no fast path either: not a failure.
        let attempt = match source {
            Source::FastPath => Attempt::Unsupported(
                secretwatch::cloud::not_set_up(Feed::FastPath, "not connected").to_string(),
            ),
            _ => Attempt::Failed {
                error: error.clone(),
                retry_at: at + chrono::TimeDelta::seconds(30),
            },
        };
        app.on_update(Update::Polled {
            source,
            at,
            every: Duration::from_secs(15),
            attempt,
        });
    }
    let names = secretwatch::cloud::names::ChainNames::default();
    let view = ViewConfig {
        metric_name: names.metric_name.clone(),
        period: names.alarm_period,
        alarm_name: names.alarm.clone(),
    };
    (app, view)
}

#[tokio::test(start_paused = true)]
async fn without_credentials_every_pane_says_it_cannot_see() {
    let error = CloudError::new(
        "GetCallerIdentity",
        ErrorKind::Credentials,
        "no credentials in the environment, profiles or instance metadata",
    );
    let (mut app, view) = never_answered(&error);
    let shown = screen(&mut app, &view, 100, 30);
    let text = shown.to_string();
    for says in [
        "cannot see the accesses",
        "cannot see the alarm",
        "cannot see the metric",
    ] {
        assert!(text.contains(says), "missing `{says}`:\n{text}");
    }
    for never in [
        "nothing read",
        "waiting for the first answer",
        "no datapoints",
    ] {
        assert!(!text.contains(never), "says `{never}`:\n{text}");
    }
    assert_screen!("never_answered_100x30", shown);

    // `a` says why there is nothing to acknowledge: the alarm could not be read.
    key(&mut app, KeyCode::Char('a'));
    let flash = app.flash.as_ref().map(|(t, _)| t.as_str()).unwrap_or("");
    assert!(flash.contains("not readable"), "{flash}");
}

#[tokio::test(start_paused = true)]
async fn answered_with_nothing_says_nothing_happened() {
    let mut config = SimConfig::demo(42, Scenario::Healthy);
    config.actors.clear();
    config.noise = false;
    let (mut app, view) = app_after_with(config, 3).await;
    let text = screen(&mut app, &view, 100, 30).to_string();
    assert!(
        text.contains("nothing read: CloudTrail's history has no access to any secret"),
        "{text}"
    );
    assert!(!text.contains("cannot see"), "{text}");
}

/// The bare account has no metric filter: the metric pane says nothing can be counted, not
/// that nothing was; the alarm pane and `a` say the alarm does not exist.
#[tokio::test(start_paused = true)]
async fn a_missing_filter_and_alarm_read_as_missing() {
    let (mut app, view) = app_after(Scenario::Bare, 3).await;
    let report = doctor_report(Scenario::Bare).await;
    app.on_update(Update::Chain(report));
    let text = screen(&mut app, &view, 160, 48).to_string();
    assert!(
        text.contains("no metric filter counts reads into this metric"),
        "{text}"
    );
    assert!(!text.contains("no datapoints"), "{text}");
    let narrow = screen(&mut app, &view, 80, 24).to_string();
    assert!(
        narrow.contains("no metric filter: reads not counted"),
        "{narrow}"
    );
    assert!(
        text.contains("does not exist in this account and region"),
        "{text}"
    );
    key(&mut app, KeyCode::Char('a'));
    let flash = app.flash.as_ref().map(|(t, _)| t.as_str()).unwrap_or("");
    assert!(flash.starts_with("no alarm to acknowledge"), "{flash}");
}
