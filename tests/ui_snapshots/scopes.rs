//! Several scopes: one timeline with a scope column, and every other scope in the status
//! bar (healthy, firing, failing).

use super::*;
use secretwatch::cloud::CloudError;

/// Another scope (its index, its region and whether its alarm fires, the seed of its embedded
/// account) as it answered after three minutes, its updates as another scope's.
async fn other_scope(app: &mut App, scope: usize, (region, firing): (&str, bool), seed: u64) {
    let minutes = 3;
    let mut config = SimConfig::demo(seed, Scenario::Healthy);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    config.region = region.into();
    let clock = app.clock;
    let sim = secretwatch::cloud::sim::SimCloud::new(config, clock);
    let now = clock.now();
    let query = EventQuery {
        lookup: LookupAttribute::EventName("GetSecretValue".into()),
        start: now - chrono::TimeDelta::minutes(minutes as i64),
        end: now,
        next_token: None,
    };
    let page = sim.lookup_events(&query).await.expect("lookup");
    let events = page.records.iter().map(parse_access_event).collect();
    let mut scoped = |update| {
        app.on_update(Update::InScope {
            scope,
            update: Box::new(update),
        });
    };
    scoped(Update::Identity(sim.identity().await.expect("identity")));
    let mut alarm = sim
        .describe_alarm("SecretIsAccessed-alarm")
        .await
        .expect("alarm");
    if let Some(a) = alarm.as_mut() {
        a.state = if firing {
            secretwatch::cloud::types::AlarmState::Alarm
        } else {
            secretwatch::cloud::types::AlarmState::Ok
        };
    }
    scoped(Update::Alarm {
        alarm,
        history: Vec::new(),
    });
    scoped(Update::Accesses(events));
    for source in [Source::Events, Source::Alarms] {
        scoped(Update::Polled {
            source,
            at: now,
            every: Duration::from_secs(5),
            attempt: Attempt::Ok,
        });
    }
}

/// Three scopes: us-east-1 focused, eu-west-1 healthy and quiet, ap-southeast-2 firing and
/// whose LookupEvents is refused.
async fn three_scopes() -> (App, ViewConfig) {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    other_scope(&mut app, 1, ("eu-west-1", false), 43).await;
    other_scope(&mut app, 2, ("ap-southeast-2", true), 44).await;
    let at = app.clock.now();
    app.on_update(Update::InScope {
        scope: 2,
        update: Box::new(Update::Polled {
            source: Source::Events,
            at,
            every: Duration::from_secs(5),
            attempt: Attempt::Failed {
                error: CloudError::new(
                    "LookupEvents",
                    secretwatch::cloud::ErrorKind::AccessDenied,
                    "AccessDeniedException",
                ),
                retry_at: at + chrono::TimeDelta::seconds(30),
            },
        }),
    });
    (app, view)
}

#[tokio::test(start_paused = true)]
async fn scopes_80x24() {
    let (mut app, view) = three_scopes().await;
    assert_screen!("scopes_80x24", screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn scopes_160x48() {
    let (mut app, view) = three_scopes().await;
    assert_screen!("scopes_160x48", screen(&mut app, &view, 160, 48));
}

#[tokio::test(start_paused = true)]
async fn scope_picker_80x24() {
    let (mut app, view) = three_scopes().await;
    key(&mut app, KeyCode::Char('S'));
    key(&mut app, KeyCode::Down);
    assert_screen!("scope_picker_80x24", screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn narrowed_to_a_scope_160x48() {
    let (mut app, view) = three_scopes().await;
    for code in [
        KeyCode::Char('S'),
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Enter,
    ] {
        key(&mut app, code);
    }
    assert_screen!(
        "narrowed_to_a_scope_160x48",
        screen(&mut app, &view, 160, 48)
    );
}

/// Past a handful of scopes, the healthy ones are counted in one word and the failing one
/// is still named.
#[tokio::test(start_paused = true)]
async fn many_scopes_in_the_status_bar_160x48() {
    let (mut app, view) = three_scopes().await;
    for (i, region) in ["us-west-2", "eu-central-1", "sa-east-1", "ca-central-1"]
        .into_iter()
        .enumerate()
    {
        other_scope(&mut app, 3 + i, (region, false), 50 + i as u64).await;
    }
    let shown = screen(&mut app, &view, 160, 48);
    let bar = format!("{:?}", shown.buffer());
    assert!(bar.contains("5 other scopes ✓"), "{bar}");
    assert!(bar.contains("ap-southeast-2"), "{bar}");
    assert_screen!("many_scopes_in_the_status_bar_160x48", shown);
}

/// Another scope's chain as the doctor found it in an embedded account of `scenario`.
async fn scope_chain(scenario: Scenario, region: &str) -> Update {
    let report = doctor_report(scenario).await;
    Update::ScopeChain(secretwatch::chain::scopes::ScopeReport {
        account: "123456789012".into(),
        region: region.into(),
        verdict: secretwatch::chain::scopes::Verdict::of(&report.findings),
        findings: report.findings,
        chain_in: None,
    })
}

/// `d` over three scopes: the focused chain, then every scope's verdict (eu-west-1's
/// working, ap-southeast-2's alarm on Average) in the doctor's panel and in the picker; the
/// timeline narrowed to the broken scope shows its chain.
#[tokio::test(start_paused = true)]
async fn doctor_over_scopes() {
    let (mut app, view) = three_scopes().await;
    key(&mut app, KeyCode::Char('d'));
    app.on_update(Update::Chain(doctor_report(Scenario::Healthy).await));
    app.on_update(Update::InScope {
        scope: 1,
        update: Box::new(scope_chain(Scenario::Healthy, "eu-west-1").await),
    });
    let checking = screen(&mut app, &view, 80, 24);
    let text = format!("{:?}", checking.buffer());
    assert!(text.contains("scopes: 2 working · 1 checking…"), "{text}");
    app.on_update(Update::InScope {
        scope: 2,
        update: Box::new(scope_chain(Scenario::AverageTrap, "ap-southeast-2").await),
    });
    assert_screen!("doctor_over_scopes_80x24", screen(&mut app, &view, 80, 24));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('S'));
    assert_screen!(
        "scope_picker_with_chains_160x48",
        screen(&mut app, &view, 160, 48)
    );
    for code in [KeyCode::Down, KeyCode::Down, KeyCode::Down, KeyCode::Enter] {
        key(&mut app, code);
    }
    key(&mut app, KeyCode::Char('d'));
    app.on_update(Update::InScope {
        scope: 2,
        update: Box::new(scope_chain(Scenario::AverageTrap, "ap-southeast-2").await),
    });
    assert_screen!(
        "doctor_of_a_narrowed_scope_160x48",
        screen(&mut app, &view, 160, 48)
    );
}
