//! The trace panel in a real terminal: `t` on a quiet demo (the alarm OK, nobody else
//! reading) follows the read to the alarm's message, link by link; `T` shows it again once
//! closed, and it is kept in the state directory.

use super::common::tmux::*;
use std::time::Duration;

#[test]
fn t_traces_the_read_to_the_alarms_message_and_t_shows_it_again() {
    let tmux = Tmux::start("trace", 100, 30, &[BIN, "demo", "--quiet", "--seed", "3"]);
    // Quiet: nothing to fill the timeline; the chain checked is the sign it is up.
    tmux.wait_for("the dashboard", |s| {
        s.contains("DEMO") && s.contains("Chain ✓ secret")
    });
    tmux.keys(&["t"]);
    tmux.wait_for("the trace panel", |s| {
        s.contains(" Trace ") && s.contains("✓ fired")
    });
    // The demo's CloudTrail delivers in seconds, its alarm evaluates a minute's period 20 s
    // after it ends, SNS takes up to 6 s, and the queue is long-polled: within three minutes.
    let done = tmux.wait_for_within(Duration::from_secs(180), "the trace to complete", |s| {
        s.contains("complete: the alarm's message arrived")
    });
    assert_shows(
        &done,
        &[
            "✓ CloudTrail history",
            "✓ log group",
            "✓ metric",
            "✓ alarm",
            "✓ notification",
        ],
    );
    tmux.keys(&["Escape"]);
    tmux.wait_for("the panel closed", |s| !s.contains(" Trace "));
    tmux.keys(&["T"]);
    tmux.wait_for("the trace again, on T", |s| {
        s.contains(" Trace 1 of 1 ") && s.contains("complete: ")
    });
    let kept = own_home("trace").join("state/secretwatch/traces-demo.jsonl");
    let kept = std::fs::read_to_string(&kept).expect("the trace kept");
    assert_eq!(kept.lines().count(), 1, "{kept}");
}
