//! The secret's changes in the timeline, beside the reads: a rotation, then the resource
//! policy for another account and the replica in a new region, flagged; `kind:change` keeps
//! them, and the detail view of the policy says what it grants.

use super::*;

async fn with_changes() -> (App, ViewConfig) {
    app_after_reading(SimConfig::demo(42, Scenario::Healthy), 3, true).await
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Enter);
}

#[tokio::test(start_paused = true)]
async fn the_changes_read_apart_from_the_reads_160x48() {
    let (mut app, view) = with_changes().await;
    typed(&mut app, "/kind:change");
    let kept: Vec<String> = app
        .store
        .shown()
        .map(|e| e.event_name.to_string())
        .collect();
    assert_eq!(
        kept,
        [
            "ReplicateSecretToRegions",
            "PutResourcePolicy",
            "PutSecretValue",
            "RotateSecret"
        ]
    );
    let shown = screen(&mut app, &view, 160, 48);
    let text = format!("{:?}", shown.buffer());
    for words in ["⚑ replicated", "⚑ policy set", "✎ new value", "✎ rotated"] {
        assert!(text.contains(words), "{words}: {text}");
    }
    assert_screen!("changes_160x48", shown);
}

#[tokio::test(start_paused = true)]
async fn only_the_flagged_80x24() {
    let (mut app, view) = with_changes().await;
    typed(&mut app, "/kind:flagged");
    assert_eq!(app.store.shown().count(), 2);
    assert_screen!("changes_flagged_80x24", screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn the_policy_s_detail_names_the_grantee_80x24() {
    let (mut app, view) = with_changes().await;
    typed(&mut app, "/kind:flagged policy");
    key(&mut app, KeyCode::Enter);
    let shown = screen(&mut app, &view, 80, 24);
    let text = format!("{:?}", shown.buffer());
    assert!(text.contains("444455556666"), "{text}");
    assert_screen!("change_detail_80x24", shown);
}

/// The snapshots are drawn without colour, as `NO_COLOR` draws them: here every state at
/// once (the firing alarm, a refused read, the flagged changes, the chain), each with its
/// word or sign.
#[tokio::test(start_paused = true)]
async fn every_state_reads_apart_without_colour_160x48() {
    let (mut app, view) = with_changes().await;
    app.on_update(Update::Chain(doctor_report(Scenario::Healthy).await));
    key(&mut app, KeyCode::Esc);
    let shown = screen(&mut app, &view, 160, 48);
    let text = format!("{shown}");
    for sign in [
        "ALARM",
        "UNACKNOWLEDGED",
        "AccessDenied",
        "⚑ ",
        "✓ secret",
        " ok ",
    ] {
        assert!(text.contains(sign), "{sign}: {text}");
    }
    assert_screen!("every_state_without_colour_160x48", shown);
}
