//! The config's `[keys]` in a real terminal: the keys it gives drive the dashboard, and the
//! help and the hints say them. And the noise, by keys: a principal marked expected in the
//! principals view, the doctor's proposal, setup applying it.

use super::common::tmux::*;

fn config(name: &str, text: &str) -> String {
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).expect("the config");
    path.display().to_string()
}

#[test]
fn keys_from_the_config_drive_the_dashboard_and_its_help() {
    let path = config("keys.toml", "[keys]\ntest_access = \"Z\"\nhelp = \"h\"\n");
    let tmux = Tmux::start(
        "keys",
        220,
        40,
        &[BIN, "--config", &path, "demo", "--seed", "1"],
    );
    // Wide enough for every hint beside the sources' health.
    let screen = tmux.wait_for_dashboard();
    let status = screen.lines().last().unwrap_or_default().to_string();
    assert_shows(&status, &["Z test", "h help"]);
    tmux.keys(&["h"]);
    tmux.wait_for("the help, with the keys given", |s| {
        s.contains(" Keys ") && s.contains("Z  fire a test GetSecretValue")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the help closed", |s| !s.contains(" Keys "));
    tmux.keys(&["Z"]);
    tmux.wait_for("the test access traced, on Z", |s| s.contains(" Trace "));
}

#[test]
fn a_service_marked_expected_is_left_out_by_the_pattern_setup_applies() {
    let tmux = Tmux::demo("noise", 160, 48);
    tmux.wait_for_dashboard();
    // By reads: the billing service, which reads most, first.
    tmux.keys(&["p"]);
    tmux.wait_for("the principals", |s| s.contains(" Principals "));
    tmux.keys(&["o"]);
    tmux.wait_for("by reads", |s| s.contains("by reads"));
    tmux.keys(&["e"]);
    tmux.wait_for("the service marked", |s| {
        s.contains("✓ role/billing-service")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the principals closed", |s| !s.contains(" Principals "));
    tmux.keys(&["d"]);
    tmux.wait_for("the doctor's proposal", |s| {
        s.contains("noise") && s.contains("assumed-role/billing-service/*")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the doctor closed", |s| !s.contains(" Doctor "));
    tmux.setup_leaves_out_the_expected();
}
