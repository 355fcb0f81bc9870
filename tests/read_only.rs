//! `--read-only` is enforced at the port: every request secretwatch makes goes
//! through microburst, which logs it, and none of them may change the account,
//! whatever is asked for: setup, an acknowledgement configured to reset the alarm, a
//! test access, from the command line and from every mode of the dashboard. The same
//! count sees the alarm reset when `--read-only` is off, so it can tell.

mod common;

use common::microburst::Microburst;
use common::ministack::{Ministack, secretwatch};
use common::tmux::Tmux;
use secretwatch::cloud::operations::{OPERATIONS, Use};
use serde_json::json;
use std::path::PathBuf;
use std::process::Output;

/// Operations that change the account: what setup and the alarm reset call, but
/// not their reads.
fn mutating(op: &str) -> bool {
    let reads = ["HeadBucket", "GetRole", "ListRolePolicies", "GetRolePolicy"];
    OPERATIONS
        .iter()
        .any(|o| o.name == op && o.used_by == Use::Setup && !reads.contains(&op))
}

/// The operations in `seen` that change the account, in order.
fn changes(seen: &[String]) -> Vec<&str> {
    seen.iter()
        .map(String::as_str)
        .filter(|o| mutating(o))
        .collect()
}

struct Rig {
    server: Ministack,
    proxy: Microburst,
    dir: PathBuf,
}

impl Rig {
    fn new() -> Rig {
        let server = Ministack::start();
        server.create_secret("TopSecretInfo", "v");
        server.put_alarm("Sum", "300", None);
        let proxy = Microburst::start(&server);
        // A rule that matches every request and does nothing to it: the log counts them.
        proxy.rules(json!([{ "service": "*", "latency": 0 }]));
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("read-only");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        // Short polls so that the dashboard sees each new ALARM episode at once.
        let config = "[ack]\nset_alarm_ok = true\n[poll]\nalarms_secs = 1\nevents_secs = 2\n";
        std::fs::write(dir.join("config.toml"), config).expect("config");
        Rig { server, proxy, dir }
    }

    /// A new ALARM episode: each can be acknowledged once.
    fn raise_alarm(&self, why: &str) {
        self.server.set_alarm_state("OK", "between episodes");
        self.server.set_alarm_state("ALARM", why);
    }

    /// The command line through the proxy, with acknowledgements saved under `state`.
    fn run(&self, state: &str, args: &[&str]) -> Output {
        let out = secretwatch(true)
            .env("SECRETWATCH_STATE_DIR", self.dir.join(state))
            .args([
                "--endpoint-url",
                &self.proxy.endpoint(),
                "--region",
                "us-east-1",
            ])
            .args(["--config", &self.dir.join("config.toml").to_string_lossy()])
            .args(args)
            .output()
            .expect("run");
        assert!(out.status.code().is_some(), "{args:?} did not exit");
        out
    }

    /// The dashboard through the proxy in tmux, acknowledgements saved under `state`.
    fn dashboard(&self, state: &str, flags: &[&str]) -> Tmux {
        let state_dir = format!("SECRETWATCH_STATE_DIR={}", self.dir.join(state).display());
        let config = self.dir.join("config.toml").display().to_string();
        let mut args = flags.to_vec();
        args.extend(["--config", &config]);
        let tmux = Tmux::against(
            &format!("read-only-{state}"),
            (160, 32),
            &self.proxy.endpoint(),
            &[&state_dir],
            &args,
        );
        tmux.wait_for("the dashboard connected", |s| s.contains("events ✓"));
        tmux
    }

    fn journal_lines(&self, state: &str) -> usize {
        let path = self.dir.join(state).join("acks.jsonl");
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .lines()
            .count()
    }

    /// Every operation that reached the server since the log was last cleared, with a
    /// check that the log missed none of the requests that reached the proxy.
    fn operations(&self) -> Vec<String> {
        let fired = self.proxy.fired();
        assert_eq!(
            fired.len() as u64,
            self.proxy.requests_since_cleared(),
            "a request reached the proxy that its log did not count"
        );
        let named = fired
            .iter()
            .map(|f| f["operation"].as_str().map(String::from));
        named
            .collect::<Option<Vec<String>>>()
            .unwrap_or_else(|| panic!("a request microburst could not name: {fired:?}"))
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Acknowledges the firing alarm from the dashboard, in whatever mode it is in, and
/// waits until the screen shows every one of `done`.
fn acknowledge(tmux: &Tmux, note: &str, done: &[&str]) {
    tmux.keys(&["a"]);
    tmux.wait_for("the note dialog", |s| s.contains("note (optional)"));
    tmux.keys(&["-l", note]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the acknowledgement on screen", |s| {
        done.iter().all(|d| s.contains(d))
    });
}

#[test]
fn read_only_sends_no_call_that_changes_the_account() {
    let rig = Rig::new();
    rig.raise_alarm("for the read-only command line");

    // The command line: what could change something, and the reads around it.
    let setup = rig.run(
        "cli",
        &["--read-only", "setup", "--yes", "--email", "a@example.com"],
    );
    assert_eq!(setup.status.code(), Some(2), "{}", text(&setup));
    assert!(
        text(&setup).contains("--read-only: setup changes nothing"),
        "{}",
        text(&setup)
    );
    let ack = rig.run("cli", &["--read-only", "ack", "--note", "seen"]);
    assert!(ack.status.success(), "{}", text(&ack));
    assert!(
        text(&ack).contains("alarm not reset: read-only"),
        "{}",
        text(&ack)
    );
    assert_eq!(rig.journal_lines("cli"), 1);
    let access = rig.run("cli", &["--read-only", "test-access"]);
    assert!(access.status.success(), "{}", text(&access));
    for args in [
        &["--read-only", "doctor"][..],
        &["--read-only", "status", "--json"],
    ] {
        rig.run("cli", args);
    }

    // The dashboard: in every mode, every key that could change something; and one
    // acknowledgement per mode, each of a new ALARM episode so that `a` acts.
    let tmux = rig.dashboard("dashboard", &["--read-only"]);
    // (mode, keys into it, what it shows, whether `s` acts there)
    let modes: [(&str, &[&str], &str, bool); 5] = [
        ("dashboard", &[], " Accesses ", true),
        ("help", &["?"], " Keys ", true),
        ("detail", &["Enter"], "eventVersion", true),
        ("doctor", &["d"], " Doctor ", true),
        (
            "acknowledgements",
            &["A"],
            "Acknowledgements · newest first",
            false,
        ),
    ];
    for (mode, enter, shows, setup_acts) in modes {
        let why = format!("for the read-only {mode}");
        rig.raise_alarm(&why);
        // The new episode itself, by its reason: the one before (raised a second earlier,
        // never acknowledged here) also reads UNACKNOWLEDGED, and `a` on it would take that.
        tmux.wait_for("the new episode, unacknowledged", |s| {
            s.contains("UNACKNOWLEDGED · a to acknowledge") && s.contains(&why)
        });
        tmux.keys(enter);
        tmux.wait_for(mode, |s| s.contains(shows));
        tmux.keys(&["s"]);
        if setup_acts {
            tmux.wait_for("the refusal", |s| s.contains("setup is disabled"));
        }
        tmux.keys(&["y", "t"]);
        let note = format!("read-only {mode}");
        let refused = "alarm not reset: read-only";
        acknowledge(&tmux, &note, &["✓ acknowledged by", &note, refused]);
        tmux.keys(&["Escape"]);
    }
    drop(tmux);
    assert_eq!(rig.journal_lines("dashboard"), modes.len());

    let seen = rig.operations();
    for expected in [
        "GetCallerIdentity",
        "LookupEvents",
        "DescribeAlarms",
        "GetSecretValue",
        "DescribeTrails",
    ] {
        assert!(
            seen.iter().any(|o| o == expected),
            "{expected} never seen: {seen:?}"
        );
    }
    assert_eq!(
        changes(&seen),
        Vec::<&str>::new(),
        "--read-only changed the account"
    );

    // The same count sees the reset when it is allowed, from both places: it can tell.
    rig.proxy.clear_fired();
    rig.raise_alarm("for the writable command line");
    let out = rig.run("writable-cli", &["ack", "--note", "reset it"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("alarm set to OK"), "{}", text(&out));
    assert_eq!(changes(&rig.operations()), ["SetAlarmState"]);

    rig.proxy.clear_fired();
    rig.raise_alarm("for the writable dashboard");
    let tmux = rig.dashboard("writable-dashboard", &[]);
    tmux.wait_for("the episode, unacknowledged", |s| {
        s.contains("UNACKNOWLEDGED · a to acknowledge")
    });
    // The alarm is OK again, with the reason our SetAlarmState gave it.
    acknowledge(&tmux, "reset", &["OK  since", "with secretwatch: reset"]);
    drop(tmux);
    assert_eq!(changes(&rig.operations()), ["SetAlarmState"]);
}
