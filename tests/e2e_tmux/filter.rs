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

/// `p` lists who reads what, people and services told apart; `o` orders by reads; Enter on
/// one shows its accesses alone.
#[test]
fn the_principals_view_lists_readers_and_enter_shows_one() {
    let tmux = Tmux::start("principals", 160, 40, &[BIN, "demo", "--seed", "1"]);
    tmux.wait_for("accesses of people and of the service", |s| {
        row_with(s, &["user/"]) && row_with(s, &["sdk-"])
    });
    tmux.keys(&["p"]);
    let listed = tmux.wait_for("the principals", |s| s.contains(" Principals · "));
    assert_shows(
        &listed,
        &["by last seen", "human", "service", "role/billing-service"],
    );
    tmux.keys(&["o"]);
    let by_reads = tmux.wait_for("ordered by reads", |s| s.contains("· by reads ·"));
    // The service reads most: it heads the list.
    let first = by_reads
        .lines()
        .find(|l| l.contains("service") || l.contains("human"))
        .unwrap_or_default()
        .to_string();
    check(
        first.contains("role/billing-service"),
        "the busiest reader first",
        &by_reads,
    );
    tmux.keys(&["Enter"]);
    let one = tmux.wait_for("its accesses alone", |s| {
        !s.contains(" Principals · ") && s.contains("/principal:")
    });
    let rows = timeline_rows(&one);
    check(
        !rows.is_empty() && rows.iter().all(|r| r.contains("role/billing-service")),
        "only the billing service's reads",
        &one,
    );
}
