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

/// `x` writes the accesses shown, as filtered, to a new JSON lines file named with the time
/// and the filter, where secretwatch was started; the status bar says where.
#[test]
fn x_exports_what_the_filter_shows() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-export");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a directory to export to");
    let command = [BIN, "demo", "--seed", "1"];
    let tmux = Tmux::start_in("export", (160, 30), Some(&dir), &command, &[]);
    tmux.wait_for("accesses of people", |s| row_with(s, &["user/"]));
    tmux.keys(&["/"]);
    tmux.keys(&["-l", "type:human"]);
    tmux.keys(&["Enter", "x"]);
    let said = tmux.wait_for("the export said", |s| s.contains("exported "));
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the directory")
        .filter_map(|f| f.ok().map(|f| f.path()))
        .collect();
    check(files.len() == 1, "one file", &said);
    let name = files[0]
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    check(
        name.starts_with("secretwatch-") && name.ends_with("-type_human.jsonl"),
        "named with the time and the filter",
        &name,
    );
    let text = std::fs::read_to_string(&files[0]).expect("readable");
    check(
        text.lines().count() > 0,
        "the people's reads written",
        &said,
    );
    check(
        said.contains(&format!("exported {} accesses to", text.lines().count())),
        "the count said is the count written",
        &said,
    );
    for line in text.lines() {
        let access: serde_json::Value = serde_json::from_str(line).expect("JSON");
        check(
            access["principal_type"] == "IAMUser" || access["client"] == "console",
            "people only",
            line,
        );
    }
}
