//! The secret's value appears nowhere: after test accesses from the CLI and the
//! dashboard, over ministack and the embedded account, with logging at its most
//! verbose, the value is in no stdout, stderr, log file, journal or screen.

mod common;

use common::ministack::Ministack;
use common::tmux::{BIN, Tmux, log_dir, row_with};
use std::path::{Path, PathBuf};
use std::process::Output;

const VALUE: &str = "s3cr3t-Va1ue-that-must-never-show";

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("secrecy-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("dir");
    d
}

/// Every file under `root`, read as bytes.
fn files(root: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, bytes));
        }
    }
}

fn assert_nowhere(value: &str, outputs: &[(&str, Vec<u8>)], roots: &[&Path]) {
    let mut all: Vec<(PathBuf, Vec<u8>)> = outputs
        .iter()
        .map(|(what, bytes)| (PathBuf::from(what), bytes.clone()))
        .collect();
    for root in roots {
        files(root, &mut all);
    }
    assert!(
        all.iter().any(|(_, b)| !b.is_empty()),
        "nothing was captured: the test would prove nothing"
    );
    for (what, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(value),
            "the secret's value is in {}",
            what.display()
        );
    }
}

fn captured(out: &Output) -> Vec<u8> {
    [out.stdout.clone(), out.stderr.clone()].concat()
}

#[test]
fn over_ministack_the_value_is_in_no_output_log_journal_or_screen() {
    let server = Ministack::start();
    server.create_secret("TopSecretInfo", VALUE);
    server.put_alarm("Sum", "300", None);
    server.set_alarm_state("ALARM", "for the secrecy test");
    let d = dir("aws");
    let (logs, state) = (d.join("logs"), d.join("state"));
    let run = |args: &[&str]| {
        server
            .command()
            .env("SECRETWATCH_LOG_DIR", &logs)
            .env("SECRETWATCH_STATE_DIR", &state)
            .env("SECRETWATCH_LOG", "trace")
            .args(args)
            .output()
            .expect("run")
    };
    let mut outputs = Vec::new();
    for args in [
        &["test-access"][..],
        &["test-access", "--json"],
        &["events", "--json", "--since", "15m"],
        &["status", "--json"],
        &["doctor", "--json"],
        &["ack", "--note", "secrecy"],
    ] {
        let out = run(args);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(("a headless command's output", captured(&out)));
    }

    // The dashboard: test accesses from the key, until one is confirmed.
    let endpoint = server.endpoint();
    let tui_logs = format!("SECRETWATCH_LOG_DIR={}", d.join("tui-logs").display());
    let tui_state = format!("SECRETWATCH_STATE_DIR={}", state.display());
    let tmux = Tmux::against(
        "secrecy-aws",
        (120, 30),
        &endpoint,
        &["SECRETWATCH_LOG=trace", &tui_logs, &tui_state],
        &[],
    );
    tmux.wait_for("the dashboard connected", |s| s.contains("events ✓"));
    tmux.keys(&["t"]);
    tmux.keys(&["t"]);
    let screen = tmux.wait_for("a confirmed test access", |s| {
        row_with(s, &["TopSecretInfo", "test ✓"])
    });
    // The trace panel `t` opened, closed apart from the next key (Escape and a key at once
    // read as Alt and the key).
    tmux.keys(&["Escape"]);
    tmux.wait_for("the trace panel closed", |s| !s.contains(" Trace "));
    tmux.keys(&["Enter"]);
    let detail = tmux.wait_for("the event in full", |s| s.contains("eventVersion"));
    tmux.keys(&["q"]);
    outputs.push(("the dashboard", screen.into_bytes()));
    outputs.push(("the event detail", detail.into_bytes()));
    drop(tmux);
    assert_nowhere(VALUE, &outputs, &[&d, Path::new(&log_dir("secrecy-aws"))]);
}

#[test]
fn over_the_embedded_account_the_value_is_in_no_output_log_or_screen() {
    use secretwatch::cloud::sim::{Scenario, SimCloud, SimConfig};
    // The embedded account's secret, as the binary's seed makes it.
    let clock = secretwatch::clock::Clock::system();
    let sim = SimCloud::new(SimConfig::demo(7, Scenario::Healthy), clock);
    let (arn, value) = sim.with_world(|w| {
        w.secret("TopSecretInfo")
            .map(|s| (s.arn.clone(), s.value.as_str().to_owned()))
            .expect("the demo's secret")
    });
    assert!(value.len() >= 16);
    let d = dir("demo");
    let headless = common::ministack::secretwatch(false)
        .env("SECRETWATCH_LOG_DIR", d.join("logs"))
        .env("SECRETWATCH_LOG", "trace")
        .args([
            "demo",
            "--seed",
            "7",
            "--headless",
            "--json",
            "--fast",
            "--duration",
            "600",
        ])
        .output()
        .expect("run");
    assert!(headless.status.success());
    // The binary drew the same secret (its ARN's random suffix comes from the same
    // stream just before the value), so `value` is the value it holds.
    assert!(
        String::from_utf8_lossy(&headless.stdout).contains(&arn),
        "the binary's secret is not {arn}"
    );

    let tui_logs = format!("SECRETWATCH_LOG_DIR={}", d.join("tui-logs").display());
    let tmux = Tmux::start(
        "secrecy-demo",
        120,
        30,
        &[
            "env",
            "SECRETWATCH_LOG=trace",
            &tui_logs,
            BIN,
            "demo",
            "--seed",
            "7",
        ],
    );
    tmux.wait_for_dashboard();
    tmux.keys(&["t"]);
    let screen = tmux.wait_for("a confirmed test access", |s| {
        row_with(s, &["TopSecretInfo", "test ✓"])
    });
    outputs_and_check(&value, headless, screen, &d);
}

fn outputs_and_check(value: &str, headless: Output, screen: String, d: &Path) {
    let outputs = vec![
        ("the headless demo", captured(&headless)),
        ("the dashboard", screen.into_bytes()),
    ];
    assert_nowhere(value, &outputs, &[d, Path::new(&log_dir("secrecy-demo"))]);
}
