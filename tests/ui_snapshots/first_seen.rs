//! First seen in the timeline: the accesses of the last hour taken in by an app whose
//! baseline was made twenty minutes ago (what came before it taught it), and a newcomer
//! a minute ago; `new:any` keeps what is first seen.

use super::*;
use secretwatch::access::AccessEvent;
use secretwatch::baseline::Baseline;

async fn with_a_newcomer() -> (App, ViewConfig) {
    let (seen, view) = app_after(Scenario::Healthy, 3).await;
    let now = seen.clock.now();
    let mut events: Vec<AccessEvent> = seen.store.timeline.newest_first().cloned().collect();
    let mut mallory = events[0].clone();
    mallory.event_id = "newcomer-1".into();
    mallory.time = now - chrono::TimeDelta::minutes(1);
    mallory.principal = "arn:aws:iam::123456789012:user/mallory".into();
    mallory.principal_type = "IAMUser".into();
    mallory.source_ip = "198.51.100.9".into();
    events.push(mallory);
    let mut app = App::new(seen.clock, "secretwatch-test-snap".into());
    let twenty = chrono::TimeDelta::minutes(20);
    app.store.baseline = Baseline::open(None, now - twenty, now - twenty * 3);
    if let Some(id) = seen.store.identity.clone() {
        app.on_update(Update::Identity(id));
    }
    app.on_update(Update::Accesses(events));
    (app, view)
}

#[tokio::test(start_paused = true)]
async fn a_newcomer_is_marked_160x48() {
    let (mut app, view) = with_a_newcomer().await;
    let shown = screen(&mut app, &view, 160, 48);
    let text = format!("{:?}", shown.buffer());
    assert!(text.contains("ok · new principal"), "{text}");
    assert_screen!("first_seen_160x48", shown);
}

#[tokio::test(start_paused = true)]
async fn new_any_keeps_what_is_first_seen_80x24() {
    let (mut app, view) = with_a_newcomer().await;
    for c in "/new:any".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let kept: Vec<String> = app.store.shown().map(|e| e.principal.to_string()).collect();
    assert!(kept.iter().any(|p| p.ends_with("user/mallory")), "{kept:?}");
    assert_screen!("first_seen_filtered_80x24", screen(&mut app, &view, 80, 24));
}
