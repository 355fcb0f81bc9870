//! The filter line in a real terminal: `/` and an expression narrow the timeline as it is
//! typed, a mistake is named in the line, Esc widens it again.

use super::common::tmux::*;

#[test]
fn the_filter_line_narrows_names_a_mistake_and_esc_widens() {
    let tmux = Tmux::start("filter", 120, 30, &[BIN, "demo", "--seed", "1"]);
    tmux.wait_for("accesses of people and of the service", |s| {
        row_with(s, &["user/"]) && row_with(s, &["sdk-"])
    });
    tmux.keys(&["/"]);
    tmux.keys(&["-l", "type:human ip:10.0/8"]);
    let wrong = tmux.wait_for("the mistake named", |s| s.contains("✗ `10.0/8`"));
    let rows = timeline_rows(&wrong);
    check(
        !rows.is_empty()
            && rows
                .iter()
                .all(|r| r.contains("user/") && !r.contains("sdk-")),
        "the words before the mistake apply: people only",
        &wrong,
    );
    tmux.keys(&["BSpace"; 6]);
    tmux.keys(&["-l", "203.0.113.0/24"]);
    tmux.keys(&["Enter"]);
    let kept = tmux.wait_for("the filter kept", |s| {
        s.contains(" of ") && s.contains("· /type:human ip:203.0.113.0/24 ·")
    });
    let rows = timeline_rows(&kept);
    check(
        !rows.is_empty() && rows.iter().all(|r| r.contains("203.0.113.")),
        "only reads from 203.0.113.0/24",
        &kept,
    );
    tmux.keys(&["Escape"]);
    tmux.wait_for("the timeline widened", |s| {
        !s.contains("/type:human") && row_with(s, &["sdk-"])
    });
}
