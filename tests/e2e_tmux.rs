//! End to end: the built binary in a real terminal (tmux), driven by keys as a
//! person would, checked by what is on screen. Each test owns a private tmux
//! server (`-L`), so tests run in parallel and kill only their own server.

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_secretwatch");
/// A bound on waiting, not a performance assertion.
const DEADLINE: Duration = Duration::from_secs(60);

struct Tmux {
    socket: String,
    /// The socket file, removed with the server.
    path: String,
}

impl Tmux {
    /// A detached W×H session running `command` (executed directly, no shell),
    /// with the binary's logs under the target dir rather than $HOME.
    fn start(name: &str, width: u16, height: u16, command: &[&str]) -> Tmux {
        let installed = Command::new("tmux").arg("-V").output();
        assert!(
            installed.is_ok_and(|o| o.status.success()),
            "tmux is not installed: install tmux (e.g. `apt-get install tmux`) to run the end-to-end tests"
        );
        let mut tmux = Tmux {
            socket: format!("secretwatch-e2e-{name}-{}", std::process::id()),
            path: String::new(),
        };
        let (w, h) = (width.to_string(), height.to_string());
        let _ = std::fs::remove_dir_all(log_dir(name)); // a fresh log for each run
        let logs = format!("SECRETWATCH_LOG_DIR={}", log_dir(name));
        let mut args = vec!["-f", "/dev/null", "new-session", "-d", "-s", "e2e"];
        args.extend(["-x", &w, "-y", &h, "env", &logs]);
        args.extend(command);
        // remain-on-exit keeps the last screen (a panic, say) to print on failure.
        args.extend([";", "set-option", "-g", "remain-on-exit", "on"]);
        tmux.run(&args);
        tmux.path = tmux.pane_var("#{socket_path}");
        tmux
    }

    fn demo(name: &str, width: u16, height: u16) -> Tmux {
        Tmux::start(name, width, height, &[BIN, "demo", "--seed", "1"])
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    /// A tmux format expanded for the pane, e.g. `#{alternate_on}`.
    fn pane_var(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "e2e", format]);
        out.trim().to_string()
    }

    /// Polls the screen every 100 ms until `ready` holds on a settled screen (the same on
    /// two captures 50 ms apart, so that a capture taken mid-redraw is never judged).
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                sleep(Duration::from_millis(50));
                if self.screen() == screen {
                    return screen;
                }
            }
            if start.elapsed() > DEADLINE {
                panic!("waited {DEADLINE:?} for {what}; the last screen was:\n{screen}");
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the dashboard has its first answers from every pane's source.
    fn wait_for_dashboard(&self) -> String {
        self.wait_for("the dashboard to fill", |s| {
            s.contains(" Accesses ")
                && s.contains("TopSecretInfo")
                && s.contains("SecretIsAccessed-alarm")
                && s.contains("events ✓")
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
        let _ = std::fs::remove_file(&self.path);
    }
}

fn log_dir(name: &str) -> String {
    format!("{}/e2e-logs/{name}", env!("CARGO_TARGET_TMPDIR"))
}

/// Rows of the access timeline: lines that start `│hh:mm:ss`.
fn timeline_rows(screen: &str) -> Vec<String> {
    let rows = screen.lines().filter(|l| {
        let shape = l
            .chars()
            .take(9)
            .map(|c| if c.is_ascii_digit() { '0' } else { c });
        shape.eq("│00:00:00".chars())
    });
    rows.map(String::from).collect()
}

/// Whether one row of the timeline contains all of `texts`.
fn row_with(screen: &str, texts: &[&str]) -> bool {
    let rows = timeline_rows(screen);
    rows.iter().any(|r| texts.iter().all(|t| r.contains(t)))
}

#[track_caller]
fn check(ok: bool, what: &str, screen: &str) {
    assert!(ok, "expected {what}; the screen:\n{screen}");
}

#[track_caller]
fn assert_shows(screen: &str, texts: &[&str]) {
    let missing: Vec<&&str> = texts.iter().filter(|t| !screen.contains(**t)).collect();
    assert!(missing.is_empty(), "{missing:?} not on screen:\n{screen}");
}

#[test]
fn dashboard_fills_at_80x24() {
    let tmux = Tmux::demo("fills", 80, 24);
    let mut screen = tmux.wait_for_dashboard();
    check(timeline_rows(&screen).len() >= 5, "5 access rows", &screen);
    let clients = ["sdk-java", "cli", "console"];
    let labelled = clients.iter().any(|c| row_with(&screen, &[c]));
    check(labelled, "a client label in a row", &screen);
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
    let done = tmux.wait_for("CloudTrail to deliver the test access", |s| {
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
    tmux.wait_for("the detail view", |s| s.contains("eventVersion"));
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
