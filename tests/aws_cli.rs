//! The headless commands against ministack, run as a script would: the built binary,
//! the AWS CLI as the foreign client, JSON on stdout, exit codes.

mod common;

use common::ministack::{Ministack, secretwatch};
use serde_json::Value;
use std::process::Output;

const VALUE: &str = "correct-horse-battery-staple";

fn json_lines(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn with_secret() -> Ministack {
    let server = Ministack::start();
    server.create_secret("TopSecretInfo", VALUE);
    server
}

#[test]
fn events_json_has_the_documented_fields_and_knows_the_aws_cli() {
    let server = with_secret();
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let events = json_lines(&server.run(&["events", "--json", "--since", "15m"]));
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    let fields: Vec<&str> = e
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        [
            "event_id",
            "time",
            "event_name",
            "secret",
            "principal",
            "principal_type",
            "source_ip",
            "client",
            "user_agent",
            "outcome",
            "error_code",
            "region"
        ]
    );
    assert_eq!(e["client"], "cli");
    assert!(
        e["user_agent"]
            .as_str()
            .is_some_and(|ua| ua.starts_with("aws-cli/"))
    );
    assert_eq!(e["secret"], "TopSecretInfo");
    assert_eq!(e["outcome"], "success");
    assert_eq!(e["error_code"], Value::Null);
    assert_eq!(e["region"], "us-east-1");
}

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
fn without_credentials_headless_commands_exit_2_and_say_what_to_do() {
    let server = Ministack::start();
    for command in [&["events"][..], &["status", "--json"], &["test-access"]] {
        let out = secretwatch(false)
            .args([
                "--endpoint-url",
                &server.endpoint(),
                "--region",
                "us-east-1",
            ])
            .args(command)
            .output()
            .expect("run secretwatch");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stderr.contains("no valid credentials"), "{stderr}");
        assert!(stderr.contains("aws sso login"), "{stderr}");
    }
}

#[test]
fn without_a_region_the_error_names_the_flag() {
    let out = secretwatch(true)
        .args(["events"])
        .output()
        .expect("run secretwatch");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--region"));
}

#[test]
fn a_bad_config_file_is_refused_with_file_line_and_key() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("bad-config.toml");
    std::fs::write(&path, "[poll]\nevents_secs = 5\nevent_secs = 9\n").expect("write config");
    let out = secretwatch(true)
        .args([
            "--config",
            path.to_str().expect("utf-8 path"),
            "--demo",
            "status",
        ])
        .output()
        .expect("run secretwatch");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad-config.toml:3:"), "{stderr}");
    assert!(stderr.contains("event_secs"), "{stderr}");
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
fn aws_endpoint_url_in_the_environment_works_like_the_flag() {
    let server = with_secret();
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let out = secretwatch(true)
        .env("AWS_ENDPOINT_URL", server.endpoint())
        .env("AWS_REGION", "us-east-1")
        .args(["events", "--json"])
        .output()
        .expect("run secretwatch");
    assert_eq!(json_lines(&out).len(), 1);
}

#[test]
fn events_follow_prints_new_accesses_as_they_arrive() {
    use std::io::{BufRead, BufReader};
    let server = with_secret();
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("follow.toml");
    std::fs::write(&config, "[poll]\nevents_secs = 1\n").expect("write config");
    let mut child = secretwatch(true)
        .args([
            "--endpoint-url",
            &server.endpoint(),
            "--region",
            "us-east-1",
        ])
        .args([
            "--config",
            config.to_str().expect("utf-8"),
            "events",
            "--follow",
            "--json",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run secretwatch");
    // Nothing yet; the access happens while it follows.
    std::thread::sleep(std::time::Duration::from_secs(2));
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let stdout = child.stdout.take().expect("piped stdout");
    let line = BufReader::new(stdout)
        .lines()
        .next()
        .expect("a line")
        .expect("readable");
    let _ = child.kill();
    let _ = child.wait();
    let event: Value = serde_json::from_str(&line).expect("JSON");
    assert_eq!(event["client"], "cli");
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
    assert!(
        report["findings"]
            .as_array()
            .is_some_and(|f| f.iter().all(|f| f["state"] == "ok"))
    );

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
fn profile_picks_credentials_and_region_as_the_aws_cli_does() {
    let server = with_secret();
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("profiles");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("config"),
        "[profile watcher]\nregion = us-east-1\n",
    )
    .expect("config");
    std::fs::write(
        dir.join("credentials"),
        "[watcher]\naws_access_key_id = test\naws_secret_access_key = test\n",
    )
    .expect("credentials");
    let with_profile = |profile: &str| {
        secretwatch(false)
            .env("AWS_CONFIG_FILE", dir.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
            .args([
                "--endpoint-url",
                &server.endpoint(),
                "--profile",
                profile,
                "events",
                "--json",
            ])
            .output()
            .expect("run secretwatch")
    };
    assert_eq!(json_lines(&with_profile("watcher")).len(), 1);
    let missing = with_profile("nobody");
    assert_eq!(missing.status.code(), Some(2));
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
