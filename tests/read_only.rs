//! `--read-only` is enforced at the port: every request secretwatch makes goes
//! through microburst, which logs it, and none of them may change the account,
//! whatever is asked for (setup, an acknowledgement configured to reset the alarm,
//! the dashboard's keys).

mod common;

use common::microburst::Microburst;
use common::ministack::{Ministack, secretwatch};
use common::tmux::Tmux;
use secretwatch::cloud::operations::{OPERATIONS, Use};
use serde_json::json;
use std::path::PathBuf;
use std::process::Command;

/// Operations that change the account: what setup and the alarm reset call, but
/// not their reads.
fn mutating(op: &str) -> bool {
    let reads = ["HeadBucket", "GetRole"];
    OPERATIONS
        .iter()
        .any(|o| o.name == op && o.used_by == Use::Setup && !reads.contains(&op))
}

struct Rig {
    /// Kept alive behind the proxy.
    _server: Ministack,
    proxy: Microburst,
    dir: PathBuf,
}

impl Rig {
    fn new() -> Rig {
        let server = Ministack::start();
        server.create_secret("TopSecretInfo", "v");
        server.put_alarm("Sum", "300", None);
        server.set_alarm_state("ALARM", "for the read-only test");
        let proxy = Microburst::start(&server);
        // A rule that matches every request and does nothing to it: the log counts them.
        proxy.rules(json!([{ "service": "*", "latency": 0 }]));
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("read-only");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("config.toml"), "[ack]\nset_alarm_ok = true\n").expect("config");
        Rig {
            _server: server,
            proxy,
            dir,
        }
    }

    fn secretwatch(&self, args: &[&str]) -> Command {
        let mut c = secretwatch(true);
        c.env("SECRETWATCH_STATE_DIR", self.dir.join("state"))
            .args([
                "--endpoint-url",
                &self.proxy.endpoint(),
                "--region",
                "us-east-1",
            ])
            .args(["--config", &self.dir.join("config.toml").to_string_lossy()])
            .args(args);
        c
    }

    fn operations(&self) -> Vec<String> {
        self.proxy
            .fired()
            .iter()
            .filter_map(|f| f["operation"].as_str().map(String::from))
            .collect()
    }
}

#[test]
fn read_only_sends_no_call_that_changes_the_account() {
    let rig = Rig::new();
    for args in [
        &[
            "--read-only",
            "setup",
            "--yes",
            "--email",
            "sec@example.com",
        ][..],
        &["--read-only", "ack", "--note", "seen"],
        &["--read-only", "test-access"],
        &["--read-only", "doctor"],
        &["--read-only", "status", "--json"],
    ] {
        let out = rig.secretwatch(args).output().expect("run");
        assert!(out.status.code().is_some(), "{args:?} did not exit");
    }
    // The dashboard, with every key that would change something.
    let state = format!("SECRETWATCH_STATE_DIR={}", rig.dir.join("state").display());
    let config = rig.dir.join("config.toml").display().to_string();
    let tmux = Tmux::against(
        "read-only-aws",
        (120, 30),
        &rig.proxy.endpoint(),
        &[&state],
        &["--read-only", "--config", &config],
    );
    tmux.wait_for("the dashboard connected", |s| s.contains("events ✓"));
    tmux.keys(&["s"]);
    tmux.wait_for("the refusal", |s| s.contains("setup is disabled"));
    tmux.keys(&["y", "t", "d"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for("the chain checked", |s| s.contains("✓ secret"));
    drop(tmux);

    let seen = rig.operations();
    for expected in [
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
    let changes: Vec<&String> = seen.iter().filter(|o| mutating(o)).collect();
    assert!(
        changes.is_empty(),
        "--read-only changed the account: {changes:?}"
    );
    // The acknowledgement itself is local, and was saved.
    let journal = std::fs::read_to_string(rig.dir.join("state/acks.jsonl")).expect("journal");
    assert_eq!(journal.lines().count(), 1);

    // The same counting sees a change when one is allowed: it can tell.
    rig.proxy.clear_fired();
    let out = rig
        .secretwatch(&["ack", "--note", "reset it"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(rig.operations().iter().any(|o| o == "SetAlarmState"));
}
