//! End to end: the built binary in a real terminal (tmux), driven by keys as a
//! person would, checked by what is on screen. Each test owns a private tmux
//! server (`-L`), so tests run in parallel and kill only their own server.

#[path = "../common/mod.rs"]
mod common;
mod filter;
mod keys;
mod trace;

use common::tmux::*;
use std::thread::sleep;
use std::time::{Duration, Instant};

#[test]
fn dashboard_fills_at_80x24() {
    let tmux = Tmux::demo("fills", 80, 24);
    let mut screen = tmux.wait_for_dashboard();
    check(timeline_rows(&screen).len() >= 5, "5 access rows", &screen);
    // At 80 columns the principal gets the room (the client is in the detail view): the
    // roles show whole.
    let whole = [
        "role/billing-service/",
        "role/ci-runner/gha-7731 ",
        "user/alice ",
    ];
    let labelled = whole.iter().any(|c| row_with(&screen, &[c]));
    check(labelled, "a whole principal in a row", &screen);
    let status = screen.lines().last().expect("a status bar");
    assert_shows(status, &["DEMO", "123456789012"]);
    // The denied CI job reads every 8 to 22 minutes: page down to it if it is not on the first page.
    for _ in 0..6 {
        if row_with(&screen, &["AccessDenied"]) {
            return;
        }
        let rows = timeline_rows(&screen);
        tmux.keys(&["NPage"]);
        screen = tmux.wait_for("a page down", |s| timeline_rows(s) != rows);
    }
    panic!("no AccessDenied row in six pages:\n{screen}");
}

#[test]
fn test_access_shows_pending_then_confirmed() {
    let tmux = Tmux::demo("test-access", 80, 24);
    tmux.wait_for_dashboard();
    tmux.keys(&["t"]);
    let first = tmux.wait_for("the test access row", |s| {
        s.contains("test access") || s.contains("test ✓")
    });
    let pending = first.contains("⧗ pending") || first.contains("⧗ calling");
    check(pending, "the test access to show as pending first", &first);
    // The demo's fast path delivers within 1 to 90 s, and drops one read in twenty, which
    // the reconciler finds once the history has settled (68 s) at its next sweep (30 s).
    let bound = Duration::from_secs(180);
    let done = tmux.wait_for_within(bound, "CloudTrail to deliver the test access", |s| {
        row_with(s, &["TopSecretInfo", "test ✓"])
    });
    check(!done.contains("test access ·"), "no pending row", &done);
}

#[test]
fn help_and_detail_open_and_close() {
    let tmux = Tmux::demo("overlays", 80, 24);
    tmux.wait_for_dashboard();
    tmux.keys(&["?"]);
    let help = tmux.wait_for("the help", |s| s.contains("fire a test GetSecretValue"));
    assert_shows(&help, &[" Keys ", "the selected event in full", "quit"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for("the help to close", |s| !s.contains(" Keys "));

    tmux.keys(&["Enter"]);
    // Long values wrap, so the JSON starts below the first screen of the summary.
    tmux.wait_for("the detail view", |s| {
        s.contains(" Event ") && s.contains("user agent")
    });
    // Scroll down the JSON a line at a time, as a reader would, until both fields were seen.
    let fields = [
        r#""eventName": "GetSecretValue""#,
        r#""eventSource": "secretsmanager"#,
    ];
    let (mut seen, start) = ([false; 2], Instant::now());
    while seen != [true; 2] {
        let screen = tmux.screen();
        for (seen, field) in seen.iter_mut().zip(fields) {
            *seen |= screen.contains(field);
        }
        let open = start.elapsed() < DEADLINE && screen.contains(" Event ");
        check(open, "the detail view to show the event's fields", &screen);
        tmux.keys(&["j"]);
        sleep(Duration::from_millis(100));
    }
    tmux.keys(&["Escape"]);
    tmux.wait_for("the detail view to close", |s| {
        !s.contains(" Event ") && !s.contains("eventSource") && s.contains("TopSecretInfo")
    });
}

#[test]
fn quit_restores_the_terminal() {
    let name = "quit";
    let script = r#""$0" demo --seed 1; echo EXITED-$?; sleep 30"#;
    let tmux = Tmux::start(name, 80, 24, &["sh", "-c", script, BIN]);
    tmux.wait_for_dashboard();
    let alternate = tmux.pane_var("#{alternate_on}");
    assert_eq!(alternate, "1", "the dashboard uses the alternate screen");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("the program to exit", |s| s.contains("EXITED-"));
    assert_shows(&screen, &["EXITED-0"]);
    let dashboard_left = screen.contains(['┌', '│', '└']) || screen.contains("Accesses");
    check(!dashboard_left, "the dashboard gone", &screen);
    let restored = tmux.pane_var("alternate #{alternate_on}, cursor #{cursor_flag}");
    assert_eq!(restored, "alternate 0, cursor 1", "terminal not restored");
    // Out of raw mode, the terminal echoes what is typed again.
    tmux.keys(&["-l", "typed-after-quit"]);
    tmux.wait_for("typing to echo", |s| s.contains("typed-after-quit"));
    let log = format!("{}/secretwatch.log", log_dir(name));
    assert!(std::path::Path::new(&log).exists(), "no log at {log}");
}

#[test]
fn wide_terminal_shows_user_agents_and_more_rows() {
    let (wide, narrow) = (Tmux::demo("wide", 160, 48), Tmux::demo("narrow", 80, 24));
    let (big, small) = (wide.wait_for_dashboard(), narrow.wait_for_dashboard());
    let header = big.lines().nth(1).expect("a header line");
    check(header.contains("user agent"), "a user agent column", &big);
    check(
        !small.contains("user agent"),
        "no user agent at 80x24",
        &small,
    );
    let agents = row_with(&big, &["aws-sdk-java/"]) || row_with(&big, &["aws-cli/"]);
    check(agents, "user agents in the rows", &big);
    let (b, s) = (timeline_rows(&big).len(), timeline_rows(&small).len());
    assert!(b > s, "{b} rows at 160x48, {s} at 80x24:\n{big}\n{small}");
}

#[test]
fn the_doctor_names_the_average_trap_and_its_fix() {
    let tmux = Tmux::start(
        "doctor",
        100,
        30,
        &[BIN, "demo", "--seed", "2", "--scenario", "average-trap"],
    );
    tmux.wait_for("the chain strip to show the broken alarm", |s| {
        s.contains(" Chain ") && s.contains("✗ alarm") && s.contains("✓ notify")
    });
    tmux.keys(&["d"]);
    tmux.keys(&["j", "j", "j", "j"]);
    tmux.wait_for("the doctor's finding with its fix", |s| {
        s.contains(" Doctor ")
            && s.contains("statistic Average")
            && s.contains("fix: use the statistic Sum")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the doctor to close", |s| !s.contains(" Doctor "));
}

#[test]
fn setup_from_the_dashboard_builds_the_missing_chain() {
    let tmux = Tmux::start(
        "setup",
        100,
        30,
        &[BIN, "demo", "--seed", "3", "--scenario", "bare"],
    );
    tmux.wait_for("the bare chain", |s| {
        s.contains("✗ trail") && s.contains("✗ alarm")
    });
    tmux.keys(&["s"]);
    tmux.wait_for("the plan", |s| {
        s.contains("Setup · plan") && s.contains("create log group secretwatch/cloudtrail")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("every step applied", |s| {
        s.contains("Setup · done") && s.contains("✓ create alarm SecretIsAccessed-alarm")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the chain built", |s| {
        s.contains("✓ trail") && s.contains("✓ alarm")
    });
}

#[test]
fn read_only_refuses_setup_and_says_why() {
    let tmux = Tmux::start(
        "read-only",
        100,
        30,
        &[
            BIN,
            "--read-only",
            "demo",
            "--seed",
            "3",
            "--scenario",
            "bare",
        ],
    );
    tmux.wait_for_dashboard_bare();
    tmux.keys(&["s"]);
    tmux.wait_for("the refusal", |s| {
        s.contains("read-only (--read-only): setup is disabled")
    });
}

/// Runs the demo under `sh` in tmux, ends it with `end`, and checks that the terminal
/// came back (main screen, cursor shown, echo on), the exit code, and the log's reason.
fn ends_and_restores(
    name: &str,
    env: &[&str],
    end: Option<&dyn Fn(&Tmux)>,
    code: &str,
    logged: &str,
) -> String {
    let script = r#""$0" demo --seed 1; echo EXITED-$?; sleep 30"#;
    let mut command = vec!["env"];
    command.extend_from_slice(env);
    command.extend(["sh", "-c", script, BIN]);
    let tmux = Tmux::start(name, 80, 24, &command);
    // Without `end`, the program ends by itself (it panics after its first draw).
    if let Some(end) = end {
        tmux.wait_for_dashboard();
        end(&tmux);
    }
    let screen = tmux.wait_for("the program to exit", |s| s.contains("EXITED-"));
    assert_shows(&screen, &[&format!("EXITED-{code}")]);
    let restored = tmux.pane_var("alternate #{alternate_on}, cursor #{cursor_flag}");
    assert_eq!(restored, "alternate 0, cursor 1", "terminal not restored");
    tmux.keys(&["-l", "typed-after-exit"]);
    tmux.wait_for("typing to echo", |s| s.contains("typed-after-exit"));
    let log =
        std::fs::read_to_string(format!("{}/secretwatch.log", log_dir(name))).expect("a log file");
    assert!(
        log.contains(logged),
        "the log does not say {logged:?}:\n{log}"
    );
    screen
}

/// Sends `signal` to the secretwatch process running under the pane's shell.
fn signal(tmux: &Tmux, signal: &str) {
    let shell = tmux.pane_var("#{pane_pid}");
    let out = std::process::Command::new("pkill")
        .args([&format!("-{signal}"), "-P", &shell])
        .output()
        .expect("pkill");
    assert!(out.status.success(), "no child of {shell} to signal");
}

#[test]
fn sigterm_sighup_and_sigint_restore_the_terminal_and_are_logged() {
    for (sig, code) in [("TERM", "143"), ("HUP", "129"), ("INT", "130")] {
        let name = format!("signal-{sig}");
        let logged = format!("Signal(\"SIG{sig}\")");
        let _ = ends_and_restores(&name, &[], Some(&|t| signal(t, sig)), code, &logged);
    }
}

#[test]
fn a_panic_restores_the_terminal_and_is_logged() {
    let screen = ends_and_restores(
        "panic",
        &["SECRETWATCH_TEST_PANIC=1", "RUST_BACKTRACE=0"],
        None,
        "101",
        "panicking on purpose",
    );
    // The report reaches the restored terminal, not the alternate screen.
    assert_shows(&screen, &["panicking on purpose"]);
}

#[test]
fn a_config_planted_in_the_callers_home_does_not_reach_the_binary() {
    // The developer's environment, as tmux is started from it: a config the binary would
    // refuse (an unknown key) wherever it looks for one, a journal directory, a profile.
    let planted = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("planted-home");
    let _ = std::fs::remove_dir_all(&planted);
    for dir in [".config/secretwatch", "xdg-config/secretwatch", ".aws"] {
        std::fs::create_dir_all(planted.join(dir)).expect("planted dir");
    }
    for file in [
        ".config/secretwatch/config.toml",
        "xdg-config/secretwatch/config.toml",
    ] {
        std::fs::write(planted.join(file), "planted = true\n").expect("planted config");
    }
    std::fs::write(planted.join(".aws/config"), "[profile planted]\n").expect("aws config");
    let at = |p: &str| planted.join(p).display().to_string();
    let outer = [
        ("HOME", at("")),
        ("XDG_CONFIG_HOME", at("xdg-config")),
        ("XDG_STATE_HOME", at("xdg-state")),
        ("SECRETWATCH_STATE_DIR", at("state")),
        ("AWS_CONFIG_FILE", at(".aws/config")),
        ("AWS_PROFILE", "planted".to_string()),
    ];
    let name = "own-home";
    let script = r#""$0" --version; "$0" demo --seed 1; echo EXITED-$?; sleep 30"#;
    let tmux = Tmux::start_from(name, (120, 30), &["sh", "-c", script, BIN], &outer);
    // The planted config would have stopped the dashboard with an error naming its key.
    tmux.wait_for_dashboard();
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("the program to exit", |s| s.contains("EXITED-"));
    assert_shows(&screen, &["EXITED-0"]);
    // Where it looked, as `--version` says: the test's own home, nothing planted.
    let own = own_home(name).display().to_string();
    for line in ["config:  ", "journal: "] {
        let shown = screen
            .lines()
            .find(|l| l.starts_with(line))
            .unwrap_or_else(|| panic!("no {line:?} line:\n{screen}"));
        check(
            shown.contains(&own),
            &format!("{line} under {own}"),
            &screen,
        );
    }
    let planted = planted.display().to_string();
    check(
        !screen.contains(&planted),
        &format!("nothing under {planted}"),
        &screen,
    );
}

/// Two regions in one timeline with a scope column; `S` picks eu-west-1 and the timeline
/// narrows to its accesses (`d` then shows its chain), then `S` and "all scopes" widen it
/// again.
#[test]
fn the_scope_picker_narrows_and_widens_the_timeline() {
    let regions = ["demo", "--seed", "1", "--regions", "us-east-1,eu-west-1"];
    let tmux = Tmux::start("scopes", 100, 30, &[&[BIN][..], &regions[..]].concat());
    tmux.wait_for("accesses of both regions", |s| {
        row_with(s, &["us-east-1"]) && row_with(s, &["eu-west-1"])
    });
    tmux.keys(&["S"]);
    let picker = tmux.wait_for("the picker", |s| s.contains(" Scopes "));
    assert_shows(&picker, &["all scopes", "us-east-1", "eu-west-1"]);
    tmux.keys(&["Down", "Down", "Enter"]);
    let narrowed = tmux.wait_for("the narrowed timeline", |s| {
        !s.contains(" Scopes ") && s.contains("in 123456789012/eu-west-1")
    });
    let rows = timeline_rows(&narrowed);
    check(
        !rows.is_empty() && rows.iter().all(|r| r.contains("eu-west-1")),
        "only eu-west-1's accesses",
        &narrowed,
    );
    // `d` examines both scopes' chains; narrowed to eu-west-1, its chain is the one shown.
    tmux.keys(&["d"]);
    let doctor = tmux.wait_for("eu-west-1's chain and both verdicts", |s| {
        s.contains("Doctor · 123456789012 eu-west-1 · ") && s.contains("scopes: 2 working")
    });
    assert_shows(&doctor, &["Chain in 123456789012 eu-west-1 ✓ secret"]);
    tmux.keys(&["Escape"]);
    tmux.keys(&["S"]);
    tmux.wait_for("the picker again", |s| s.contains(" Scopes "));
    tmux.keys(&["g", "Enter"]);
    tmux.wait_for("the timeline widened", |s| {
        !s.contains("in 123456789012/eu-west-1")
            && row_with(s, &["us-east-1"])
            && row_with(s, &["eu-west-1"])
    });
}

/// Setup across scopes at a terminal: one plan grouped by scope and numbered as one, one
/// question for every scope, then each scope's steps applied in turn.
#[test]
fn setup_across_scopes_asks_once_for_every_scope() {
    let tmux = Tmux::start(
        "setup-scopes",
        160,
        60,
        &[
            BIN,
            "--demo",
            "--scenario",
            "bare",
            "--regions",
            "us-east-1,eu-west-1",
            "setup",
            "--email",
            "sec@example.com",
        ],
    );
    let asked = tmux.wait_for("the question", |s| s.contains("[y/N]"));
    assert_shows(
        &asked,
        &[
            "setup would, in 123456789012 us-east-1:",
            "setup would, in 123456789012 eu-west-1:",
            "IAM is global: its step in us-east-1 comes first",
            "apply these 24 steps in 2 scopes? [y/N]",
        ],
    );
    tmux.keys(&["y", "Enter"]);
    let done = tmux.wait_for("every step of both scopes", |s| s.contains("[24/24] done"));
    check(
        done.matches("[y/N]").count() == 1,
        "asked once for both scopes",
        &done,
    );
    check(!done.contains("FAILED"), "every step done", &done);
}
