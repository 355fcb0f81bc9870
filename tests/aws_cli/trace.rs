//! `test-access --trace` against ministack, end to end. What is real there: the read,
//! CloudTrail's event history (LookupEvents, the marker in the user agent), the alarm's
//! evaluation of the metric, its transition, and SNS delivering the alarm's message to the
//! queue setup subscribed to the topic. What ministack does not do, the test does, as AWS
//! would: its trail delivers nothing to CloudWatch Logs and its filters emit nothing, so when
//! the read is made the test puts the CloudTrail record (with the read's marker) into the
//! trail's log group, and once that is seen, the datapoint the filter would emit.

use super::*;
use common::ministack::{finding, text};
use std::io::{BufRead, BufReader};
use std::process::Stdio;

fn config(name: &str) -> String {
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    // Quick polls; CloudTrail's bound at 5 minutes (the least overlap), not AWS's 15.
    std::fs::write(
        &path,
        "[poll]\nevents_secs = 2\nmetric_secs = 2\nalarms_secs = 2\noverlap_mins = 5\n\
         [names]\nalarm_period_secs = 60\n",
    )
    .expect("config");
    path.display().to_string()
}

#[test]
fn a_trace_on_ministack_follows_the_read_to_the_alarms_message_on_the_queue() {
    let server = with_secret();
    let config = config("trace.toml");
    let state = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("trace-state");
    let _ = std::fs::remove_dir_all(&state);
    let setup = server.run(&[
        "--config",
        &config,
        "setup",
        "--yes",
        "--email",
        "s@example.com",
    ]);
    assert!(setup.status.success(), "{}", text(&setup));
    let doctor = server.run(&["--config", &config, "doctor", "--json"]);
    let doctor: Value = serde_json::from_slice(&doctor.stdout).expect("JSON");
    let findings = doctor["findings"].as_array().expect("findings");
    // The doctor says whether the alarm's queue is there.
    let queue = finding(findings, "alarm_queue");
    assert_eq!(queue["state"], "ok", "{queue}");

    let mut child = server
        .command()
        .args(["--config", &config, "test-access", "--trace", "--json"])
        .env("SECRETWATCH_STATE_DIR", &state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("trace");
    let marker = format!("secretwatch-trace-cli-{}", child.id());
    let out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut lines = Vec::new();
    for line in out.lines() {
        let line: Value = serde_json::from_str(&line.expect("a line")).expect("JSON");
        match line["link"].as_str() {
            Some("fired") if line["kind"] == "link" => server.deliver_trail_record(&marker),
            Some("log_group") if line["kind"] == "link" => server.put_access_datapoint("1"),
            _ => {}
        }
        lines.push(line);
    }
    let status = child.wait().expect("exit");
    let trace = lines.last().expect("the trace");
    assert_eq!(status.code(), Some(0), "{trace:#}");
    assert_eq!(trace["outcome"]["state"], "complete");
    let seen: Vec<&str> = trace["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter_map(|l| l["link"].as_str())
        .collect();
    assert_eq!(
        seen,
        [
            "fired",
            "history",
            "log_group",
            "metric",
            "alarm",
            "notification"
        ],
        "every link but EventBridge (ministack sends no CloudTrail event to a rule)"
    );
    let note = &trace["links"][5];
    assert!(
        note["detail"]
            .as_str()
            .is_some_and(|d| d.contains("SecretIsAccessed-alarm")
                && d.contains("secretwatch-alarm-messages")),
        "{note}"
    );
    assert!(!format!("{trace}").contains(VALUE), "the value never shows");
    let kept = std::fs::read_to_string(state.join("traces.jsonl")).expect("kept");
    assert_eq!(kept.lines().count(), 1);
}
