//! Every string that came from AWS (or from a config file) is hostile: escape
//! sequences, bidi overrides, zero-width characters, C1 controls, absurd lengths. The
//! whole dashboard, in every mode, is drawn from a store full of them, and no cell of
//! the screen may hold a character that could steer the terminal or hide text.

mod common;

use chrono::{TimeDelta, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretwatch::access::parse_access_event;
use secretwatch::ack::act::Acknowledged;
use secretwatch::ack::{Ack, Episode, Scope};
use secretwatch::chain::doctor::Report;
use secretwatch::chain::{ChainLink, Finding, LinkState};
use secretwatch::clock::Clock;
use secretwatch::cloud::types::{
    Alarm, AlarmState, AlarmTransition, Backend, Comparison, Identity, MetricId, MetricPoint,
    Notification, Statistic, TrailRecord, TreatMissing,
};
use secretwatch::cloud::{CloudError, ErrorKind};
use secretwatch::engine::{Attempt, Source, Update};
use secretwatch::ui::app::{App, Mode};
use secretwatch::ui::{ViewConfig, draw};
use std::time::Duration;

/// Terminal title, clipboard write, screen clear, CSI in one byte, bidi override,
/// zero-width and tag characters, a BOM, and a double-width run, then 10 000 more.
fn hostile(tag: &str) -> String {
    format!(
        "{tag}\x1b]0;pwned\x07\x1b]52;c;aGk=\x07\x1b[2J\u{9b}31m\u{202E}txt.exe\u{200B}\u{2066}\
         \u{E0041}\u{FEFF}\r\n\t秘密🔑{}",
        "A\u{7f}".repeat(5_000)
    )
}

fn forbidden(c: char) -> bool {
    let x = u32::from(c);
    x <= 0x1F
        || (0x7F..=0x9F).contains(&x)
        || [0x61C, 0x200E, 0x200F, 0xFEFF, 0xAD, 0x2028, 0x2029].contains(&x)
        || (0x202A..=0x202E).contains(&x)
        || (0x2066..=0x2069).contains(&x)
        || (0x200B..=0x200D).contains(&x)
        || (0x2060..=0x2064).contains(&x)
        || (0xE0000..=0xE007F).contains(&x)
}

fn hostile_event_json() -> String {
    serde_json::json!({
        "eventVersion": hostile("v"),
        "userIdentity": { "type": hostile("type"), "arn": hostile("arn") },
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue",
        "awsRegion": hostile("region"),
        "sourceIPAddress": hostile("ip"),
        "userAgent": hostile("agent"),
        "errorCode": hostile("error"),
        "requestParameters": { "secretId": hostile("secret") },
    })
    .to_string()
}

fn store_full_of_hostile_text(app: &mut App) {
    let now = app.clock.now();
    let h = hostile;
    app.on_update(Update::Identity(Identity {
        account: h("account"),
        region: h("region"),
        principal: h("principal"),
        backend: Backend::Aws,
    }));
    let records = [
        TrailRecord {
            event_id: h("id"),
            event_time: now,
            event_name: h("name"),
            event_source: h("source"),
            cloudtrail_event: hostile_event_json(),
        },
        // Malformed and truncated JSON, and an unknown shape.
        TrailRecord {
            event_id: "e2".into(),
            event_time: now,
            event_name: "GetSecretValue".into(),
            event_source: "secretsmanager.amazonaws.com".into(),
            cloudtrail_event: hostile_event_json()[..200].to_string(),
        },
        TrailRecord {
            event_id: "e3".into(),
            event_time: now,
            event_name: "GetSecretValue".into(),
            event_source: "secretsmanager.amazonaws.com".into(),
            cloudtrail_event: format!("[[[{}]]]", h("array")),
        },
    ];
    app.on_update(Update::Accesses(
        records.iter().map(parse_access_event).collect(),
    ));
    app.on_update(Update::Metric(vec![MetricPoint {
        time: now - TimeDelta::minutes(5),
        value: 3.0,
    }]));
    let alarm = Alarm {
        name: h("alarm"),
        state: AlarmState::Alarm,
        reason: h("reason"),
        state_since: now - TimeDelta::minutes(1),
        metric: MetricId::new(h("ns"), h("metric")),
        statistic: Statistic::Average,
        period: Duration::from_secs(300),
        threshold: 1.0,
        comparison: Comparison::GreaterThanOrEqualToThreshold,
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        treat_missing: TreatMissing::Missing,
        actions_enabled: true,
        alarm_actions: vec![h("action")],
    };
    app.on_update(Update::Alarm {
        alarm: Some(alarm.clone()),
        history: vec![AlarmTransition {
            alarm: h("alarm"),
            time: now,
            from: AlarmState::Ok,
            to: AlarmState::Alarm,
            reason: h("transition"),
        }],
    });
    app.on_update(Update::Notifications(vec![Notification {
        id: h("n"),
        time: now,
        topic: h("topic"),
        endpoint: h("endpoint"),
        subject: h("subject"),
    }]));
    let error = CloudError::new("LookupEvents", ErrorKind::Service, h("message"));
    let polled = [
        (
            Source::Events,
            Attempt::Failed {
                error: error.clone(),
                retry_at: now,
            },
        ),
        (Source::Metric, Attempt::Unsupported(h("unsupported"))),
        (Source::Alarms, Attempt::Throttled { retry_at: now }),
        (
            Source::Inbox,
            Attempt::Failed {
                error: CloudError::new("GetTopicAttributes", ErrorKind::AccessDenied, h("denied")),
                retry_at: now,
            },
        ),
    ];
    for (source, attempt) in polled {
        app.on_update(Update::Polled {
            source,
            at: now,
            every: Duration::from_secs(5),
            attempt,
        });
    }
    let finding = |link| Finding {
        link,
        state: LinkState::Broken,
        summary: h("summary"),
        evidence: h("evidence"),
        fix: Some(h("fix")),
    };
    app.on_update(Update::Chain(Report {
        findings: vec![finding(ChainLink::Trail), finding(ChainLink::Alarm)],
        ..Report::default()
    }));
    let scope = app.store.scope().expect("identity known");
    app.on_update(Update::Acknowledged(Acknowledged {
        ack: Ack {
            scope: Scope {
                account: scope.account,
                region: scope.region,
            },
            episode: Episode {
                alarm: h("old-alarm"),
                since: now - TimeDelta::hours(1),
            },
            by: h("by"),
            at: now,
            note: Some(h("note")),
        },
        reset: Some(Err(h("reset"))),
    }));
}

fn check_screen(app: &mut App, view: &ViewConfig, what: &str) {
    for (w, h) in [(80, 24), (160, 48), (40, 12)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        terminal
            .draw(|f| {
                draw(f, app, view);
            })
            .expect("draw");
        for cell in terminal.backend().buffer().content() {
            let symbol = cell.symbol();
            assert!(
                !symbol.chars().any(forbidden),
                "{what} at {w}x{h}: a cell holds {symbol:?}\n{}",
                terminal.backend()
            );
        }
    }
}

#[test]
fn no_mode_draws_a_control_bidi_or_invisible_character() {
    let clock = Clock::starting_at(
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
            .single()
            .expect("valid"),
    );
    let mut app = App::new(clock, "secretwatch-test".into());
    store_full_of_hostile_text(&mut app);
    let view = ViewConfig {
        metric_name: hostile("view-metric"),
        period: Duration::from_secs(300),
        alarm_name: hostile("view-alarm"),
    };
    check_screen(&mut app, &view, "the dashboard");

    let first = app.store.timeline.newest_first().next().expect("an event");
    let event = first.key();
    let modes = [
        Mode::Help,
        Mode::Detail { event, scroll: 0 },
        Mode::Doctor {
            selected: 0,
            open: false,
        },
        Mode::Doctor {
            selected: 1,
            open: true,
        },
        Mode::Acks,
        Mode::Acknowledge {
            episode: Episode {
                alarm: hostile("episode"),
                since: clock.now(),
            },
            note: hostile("typed"),
        },
    ];
    for mode in modes {
        let what = format!("{mode:?}").chars().take(40).collect::<String>();
        app.mode = mode;
        check_screen(&mut app, &view, &what);
    }
    // Setup: its plan, then its progress with a failure.
    app.mode = Mode::Dashboard;
    app.on_key(KeyEvent::from(KeyCode::Char('s')));
    app.on_update(Update::SetupPlanned {
        steps: vec![secretwatch::chain::setup::Step::Topic],
        shown: vec![hostile("step")],
        notes: vec![hostile("setup-note")],
    });
    check_screen(&mut app, &view, "the setup plan");
    app.on_update(Update::SetupStep {
        shown: hostile("applied"),
        error: Some(hostile("failed")),
    });
    app.on_update(Update::SetupFinished { ok: false });
    check_screen(&mut app, &view, "setup's progress");
    app.on_update(Update::SetupUnavailable(hostile("unavailable")));
    check_screen(&mut app, &view, "setup unavailable");

    // Flash messages and a failed acknowledgement carry hostile text too.
    app.mode = Mode::Dashboard;
    app.on_update(Update::AckFailed(hostile("ack-failed")));
    check_screen(&mut app, &view, "a failed acknowledgement");
    // Why a watched secret could not be resolved is AWS's error message.
    app.on_update(Update::SecretUnresolved(
        secretwatch::watched::WatchedSecret::Unresolved {
            given: hostile("given"),
            why: hostile("unresolved"),
            missing: false,
        },
    ));
    assert!(
        app.flash
            .as_ref()
            .is_some_and(|(t, _)| t.starts_with("secret given"))
    );
    check_screen(&mut app, &view, "a watched secret not resolved");

    // Not connected: the error is the identity's.
    let mut cold = App::new(clock, "secretwatch-test".into());
    cold.on_update(Update::IdentityFailed(CloudError::new(
        "GetCallerIdentity",
        ErrorKind::Service,
        hostile("identity"),
    )));
    check_screen(&mut cold, &view, "not connected");
}
