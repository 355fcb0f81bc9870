//! The store stays the same size however long the dashboard is open.

use super::*;
use crate::cloud::types::AlarmState;
use chrono::TimeZone;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .expect("valid")
}

fn transition(i: i64) -> AlarmTransition {
    let (from, to) = if i % 2 == 0 {
        (AlarmState::Ok, AlarmState::Alarm)
    } else {
        (AlarmState::Alarm, AlarmState::Ok)
    };
    AlarmTransition {
        alarm: "SecretIsAccessed-alarm".into(),
        time: start() + TimeDelta::minutes(10 * i),
        from,
        to,
        reason: format!("transition {i}"),
    }
}

fn note(i: i64) -> Notification {
    Notification {
        id: format!("msg-{i:06}"),
        time: start() + TimeDelta::minutes(10 * i),
        topic: "arn:aws:sns:us-east-1:123456789012:SecurityAlarms".into(),
        endpoint: "security@example.com".into(),
        subject: "ALARM".into(),
    }
}

/// Three days of polls every five minutes, each re-reading the last day as the engine
/// does, with a transition every ten minutes: each reported once, and a day remembered.
#[test]
fn alarm_history_is_reported_once_and_remembered_for_a_day() {
    let mut store = Store::default();
    let mut reported = 0;
    let all: Vec<AlarmTransition> = (0..3 * 144).map(transition).collect();
    for poll in 0..3 * 288 {
        let now = start() + TimeDelta::minutes(5 * poll);
        let history: Vec<AlarmTransition> = all
            .iter()
            .rev()
            .filter(|t| t.time <= now && t.time >= now - crate::engine::LOOKBACK)
            .cloned()
            .collect();
        let update = Update::Alarm {
            alarm: None,
            history,
        };
        reported += store
            .apply(update, now)
            .iter()
            .filter(|c| matches!(c, Change::AlarmTransition(_)))
            .count();
    }
    let last = start() + TimeDelta::minutes(5 * (3 * 288 - 1));
    let happened = all.iter().filter(|t| t.time <= last).count();
    assert_eq!(reported, happened, "every transition once");
    // 25 hours of one every ten minutes.
    assert!(
        store.seen_transitions.len() <= 151,
        "remembers {} transitions after three days",
        store.seen_transitions.len()
    );
    assert!(store.alarm_history.len() <= ALARM_HISTORY_KEPT);
    assert_eq!(store.alarm_history[0].time, last - TimeDelta::minutes(5));
}

#[test]
fn a_transition_older_than_what_the_engine_reads_is_not_news() {
    let mut store = Store::default();
    let now = start() + TimeDelta::days(3);
    let known = Update::Alarm {
        alarm: None,
        history: Vec::new(),
    };
    store.apply(known, now);
    let update = Update::Alarm {
        alarm: None,
        history: vec![transition(0)],
    };
    assert!(!store.changes_screen(&update, now));
    assert!(store.apply(update, now).is_empty());
}

#[test]
fn the_inbox_keeps_its_newest_and_counts_them_all() {
    let mut store = Store::default();
    let mut reported = 0;
    for poll in 0..3 * 144 {
        let now = start() + TimeDelta::minutes(10 * poll);
        // The engine re-reads from the newest seen, inclusive: one repeat each time.
        let notes = (poll.max(1) - 1..=poll).map(note).collect();
        reported += store.apply(Update::Notifications(notes), now).len();
    }
    assert_eq!(reported, 3 * 144, "each once");
    assert_eq!(store.delivered, reported);
    assert!(store.inbox.len() <= 2 * INBOX_KEPT);
    assert_eq!(
        store.inbox.last().map(|n| n.id.as_str()),
        Some("msg-000431")
    );
    assert!(
        store.seen_notifications.len() <= 151,
        "remembers {} notifications after three days",
        store.seen_notifications.len()
    );
}

/// Another scope's polls that find it fresh again draw nothing; its first poll, a failure
/// and a new access do.
#[test]
fn another_scopes_quiet_polls_draw_nothing() {
    use crate::engine::{Attempt, Source};
    let mut store = Store::default();
    let now = start();
    let polled = |attempt: Attempt| Update::InScope {
        scope: 1,
        update: Box::new(Update::Polled {
            source: Source::Events,
            at: now,
            every: std::time::Duration::from_secs(15),
            attempt,
        }),
    };
    let opened = Update::InScope {
        scope: 1,
        update: Box::new(Update::Opened(crate::cloud::scope::Scope::new(
            "",
            "eu-west-1",
        ))),
    };
    store.apply(opened, now);
    assert!(store.changes_screen(&polled(Attempt::Ok), now));
    store.apply(polled(Attempt::Ok), now);
    assert!(!store.changes_screen(&polled(Attempt::Ok), now));
    let refused = Attempt::Failed {
        error: crate::cloud::CloudError::new(
            "LookupEvents",
            crate::cloud::ErrorKind::AccessDenied,
            "denied",
        ),
        retry_at: now,
    };
    assert!(store.changes_screen(&polled(refused), now));
    assert_eq!(store.others[&1].region(), Some("eu-west-1"));
}

#[test]
fn a_scope_is_an_account_a_region_or_both_and_nothing_else() {
    let parsed = |t: &str| ScopeFilter::parse(t).map(|f| f.label());
    assert_eq!(parsed("eu-west-1").as_deref(), Ok("eu-west-1"));
    assert_eq!(parsed("123456789012").as_deref(), Ok("123456789012"));
    assert_eq!(
        parsed("123456789012/eu-west-1").as_deref(),
        Ok("123456789012/eu-west-1")
    );
    for bad in [
        "",
        "12345",
        "eu-west-1/123456789012",
        "a/b/c",
        "EU-WEST-1",
        "x\u{1b}[2J",
    ] {
        let error = ScopeFilter::parse(bad).expect_err(bad);
        assert!(error.contains("a scope is an account id"), "{error}");
        assert!(!error.contains('\u{1b}'), "{error}");
    }
}
