//! A firing alarm nobody took on, the acknowledgement dialog, and the history after.

use super::*;

#[tokio::test(start_paused = true)]
async fn an_unacknowledged_alarm_stands_out_until_acknowledged_100x30() {
    use secretwatch::ack::act::Acknowledged;
    use secretwatch::ack::{Ack, AckState, Episode};
    use secretwatch::cloud::types::AlarmState;
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    let mut alarm = app.store.alarm.found().cloned().expect("the demo's alarm");
    alarm.state = AlarmState::Alarm;
    alarm.state_since = app.clock.now() - chrono::TimeDelta::seconds(42);
    alarm.reason = "Threshold Crossed: 1 datapoint [2.0] >= 1.0".into();
    app.on_update(Update::Alarm {
        alarm: Some(alarm.clone()),
        history: Vec::new(),
    });
    assert!(app.take_bell(), "a new unacknowledged episode rings");
    assert_screen!(
        "alarm_unacknowledged_100x30",
        screen(&mut app, &view, 100, 30)
    );

    let Some(AckState::Unacknowledged { episode }) = app.store.ack_state() else {
        panic!("not unacknowledged: {:?}", app.store.ack_state());
    };
    app.on_key(KeyEvent::from(KeyCode::Char('a')));
    for c in "on it".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    assert_screen!("ack_dialog_100x30", screen(&mut app, &view, 100, 30));
    let command = app.on_key(KeyEvent::from(KeyCode::Enter));
    assert_eq!(
        command,
        Some(secretwatch::engine::Job::Acknowledge {
            episode: episode.clone(),
            note: Some("on it".into())
        })
    );
    let scope = app.store.scope().expect("scope");
    app.on_update(Update::Acknowledged(Acknowledged {
        ack: Ack {
            scope,
            episode: Episode::of(&alarm).expect("firing"),
            by: "arn:aws:iam::123456789012:user/alice".into(),
            at: app.clock.now(),
            note: Some("on it".into()),
        },
        reset: None,
    }));
    assert_screen!(
        "alarm_acknowledged_100x30",
        screen(&mut app, &view, 100, 30)
    );
    app.on_key(KeyEvent::from(KeyCode::Char('A')));
    assert_screen!("ack_history_100x30", screen(&mut app, &view, 100, 30));
}
