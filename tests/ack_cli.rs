//! `secretwatch ack` against ministack, as a script would use it: nothing to
//! acknowledge, acknowledged and saved, already acknowledged, the alarm reset when
//! configured, and `--read-only` leaving the alarm alone.

mod common;

use common::ministack::{Ministack, text};
use common::readme;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

struct Case {
    server: Ministack,
    state: PathBuf,
}

impl Case {
    fn new(name: &str) -> Case {
        let state = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("ack-cli-{name}"));
        let _ = std::fs::remove_dir_all(&state);
        let server = Ministack::start();
        server.put_alarm("Sum", "300", None);
        Case { server, state }
    }

    fn run(&self, args: &[&str]) -> Output {
        self.server
            .command()
            .env("SECRETWATCH_STATE_DIR", &self.state)
            .args(args)
            .output()
            .expect("run")
    }

    fn config(&self, text: &str) -> String {
        std::fs::create_dir_all(&self.state).expect("state dir");
        let path = self.state.join("config.toml");
        std::fs::write(&path, text).expect("config");
        path.to_string_lossy().into_owned()
    }

    fn alarm(&self) -> Value {
        let out = self.server.aws(&["cloudwatch", "describe-alarms"]);
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        v["MetricAlarms"][0].clone()
    }
}

#[test]
fn ack_saves_once_per_episode_and_status_reports_it() {
    let case = Case::new("episode");
    let quiet = case.run(&["ack"]);
    assert_eq!(quiet.status.code(), Some(1), "{}", text(&quiet));
    assert!(text(&quiet).contains("nothing to acknowledge"));

    case.server.set_alarm_state("ALARM", "fired for the test");
    let status = case.run(&["status", "--json"]);
    let report: Value = serde_json::from_slice(&status.stdout).expect("JSON");
    assert_eq!(report["acknowledgement"]["state"], "unacknowledged");
    assert_eq!(
        report["acknowledgement"]["episode"]["alarm"],
        "SecretIsAccessed-alarm"
    );

    let out = case.run(&["ack", "--json", "--note", "looking"]);
    assert!(out.status.success(), "{}", text(&out));
    let saved: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(saved["ack"]["by"], "arn:aws:iam::000000000000:root");
    assert_eq!(saved["ack"]["note"], "looking");
    assert_eq!(saved["ack"]["account"], "000000000000");
    assert_eq!(saved["reset"], Value::Null);
    readme::assert_same_shape(&readme::json_example("ack"), &saved, "ack");
    let journal = std::fs::read_to_string(case.state.join("acks.jsonl")).expect("journal");
    assert_eq!(journal.lines().count(), 1);

    let again = case.run(&["ack"]);
    assert!(again.status.success());
    assert!(text(&again).contains("already acknowledged by arn:aws:iam::000000000000:root"));
    let status = case.run(&["status", "--json"]);
    let report: Value = serde_json::from_slice(&status.stdout).expect("JSON");
    assert_eq!(report["acknowledgement"]["state"], "acknowledged");
    assert_eq!(report["acknowledgement"]["ack"]["note"], "looking");
    // The alarm itself is untouched unless configured.
    assert_eq!(case.alarm()["StateValue"], "ALARM");
}

#[test]
fn set_alarm_ok_resets_the_alarm_naming_who_but_not_under_read_only() {
    let case = Case::new("reset");
    let config = case.config("[ack]\nset_alarm_ok = true\n");
    case.server.set_alarm_state("ALARM", "fired for the test");
    let read_only = case.run(&["--config", &config, "--read-only", "ack", "--note", "seen"]);
    assert!(read_only.status.success(), "{}", text(&read_only));
    assert!(text(&read_only).contains("alarm not reset: read-only"));
    assert_eq!(case.alarm()["StateValue"], "ALARM");

    let out = case.run(&["--config", &config, "ack", "--note", "false positive"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("alarm set to OK"), "{}", text(&out));
    let alarm = case.alarm();
    assert_eq!(alarm["StateValue"], "OK");
    let reason = alarm["StateReason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("acknowledged by arn:aws:iam::000000000000:root")
            && reason.contains("false positive"),
        "{reason}"
    );
}

#[test]
fn a_note_with_control_characters_is_refused_naming_the_flag() {
    let case = Case::new("note");
    let out = case.run(&["ack", "--note", "line one\nline two"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--note"), "{}", text(&out));
}
