//! `test-access`, `status` and `doctor` against ministack, and the headless commands
//! over the embedded account.

use super::*;

#[test]
fn test_access_prints_metadata_and_its_event_follows_never_the_value() {
    let server = with_secret();
    let out = server.run(&["test-access", "--json"]);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!printed.contains(VALUE), "the value was printed");
    let access = &json_lines(&out)[0];
    assert!(
        access["secret_arn"]
            .as_str()
            .is_some_and(|a| a.contains(":secret:TopSecretInfo-"))
    );
    assert!(access["version_id"].as_str().is_some_and(|v| !v.is_empty()));
    let marker = access["marker"].as_str().expect("a marker");
    let events = json_lines(&server.run(&["events", "--json"]));
    let ours = events
        .iter()
        .find(|e| {
            e["user_agent"]
                .as_str()
                .is_some_and(|ua| ua.contains(&format!("app/{marker}")))
        })
        .expect("the test access in event history");
    assert_eq!(ours["client"], "sdk-rust");
}

#[test]
fn status_json_reports_the_alarm_and_every_source() {
    let server = with_secret();
    server.put_alarm("Sum", "300", None);
    server.set_alarm_state("ALARM", "set by the test");
    let status = &json_lines(&server.run(&["status", "--json"]))[0];
    assert_eq!(status["backend"], "aws");
    assert_eq!(status["region"], "us-east-1");
    assert_eq!(status["alarm"]["state"], "ALARM");
    assert_eq!(status["alarm"]["statistic"], "Sum");
    for source in ["events", "metric", "alarm"] {
        assert_eq!(status["sources"][source]["health"], "fresh", "{status}");
    }
}

#[test]
fn demo_flag_runs_the_headless_commands_over_the_embedded_account() {
    let events = json_lines(
        &secretwatch(false)
            .args(["--demo", "events", "--json"])
            .output()
            .expect("run"),
    );
    assert!(events.iter().any(|e| e["client"] == "cli"));
    let access = &json_lines(
        &secretwatch(false)
            .args(["--demo", "test-access", "--json"])
            .output()
            .expect("run"),
    )[0];
    assert!(
        access["secret_arn"]
            .as_str()
            .is_some_and(|a| a.contains(":secret:TopSecretInfo-"))
    );
    let status = &json_lines(
        &secretwatch(false)
            .args(["--demo", "status", "--json"])
            .output()
            .expect("run"),
    )[0];
    assert_eq!(status["backend"], "demo");
    assert_eq!(status["alarm"]["name"], "SecretIsAccessed-alarm");
}

#[test]
fn doctor_exit_codes_say_healthy_findings_or_could_not_check() {
    let healthy = secretwatch(false)
        .args(["--demo", "doctor", "--json"])
        .output()
        .expect("run");
    assert_eq!(
        healthy.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&healthy.stdout)
    );
    let report: Value = serde_json::from_slice(&healthy.stdout).expect("JSON");
    let findings = report["findings"].as_array().expect("findings");
    // Every link ok; the demo's alarm fires on every read: the noise advice warns, and
    // does not change the exit code.
    assert!(
        findings
            .iter()
            .all(|f| f["state"] == "ok" || f["link"] == "noise"),
        "{report:#}"
    );
    let noise = findings
        .iter()
        .find(|f| f["link"] == "noise")
        .expect("noise");
    assert_eq!(noise["state"], "warning", "{noise:#}");

    let server = Ministack::start();
    let empty = server.run(&["doctor", "--json"]);
    assert_eq!(empty.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&empty.stdout).expect("JSON");
    let trail = report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["link"] == "trail"))
        .expect("a trail finding");
    assert_eq!(trail["state"], "broken");
    assert!(
        trail["fix"]
            .as_str()
            .is_some_and(|f| f.contains("secretwatch-trail"))
    );

    let unreachable = secretwatch(true)
        .args([
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--region",
            "us-east-1",
            "doctor",
            "--json",
        ])
        .output()
        .expect("run");
    assert_eq!(unreachable.status.code(), Some(2));
}

#[test]
fn a_reader_that_goes_away_ends_a_command_quietly_not_with_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = secretwatch(false)
        .args(["--demo", "doctor"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Close the reading end before the doctor has anything to say.
    drop(child.stdout.take());
    let status = child.wait().expect("exits");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(141), "{stderr}");
}
