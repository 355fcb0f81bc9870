//! `events`: the accesses as JSON lines, from the flag's or the environment's endpoint,
//! and followed as they arrive.

use super::*;

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
            "region",
            "account",
            "principal_account",
            "cross_account",
            "seen_by",
            "received_at",
            "first_seen"
        ]
    );
    // The state directory outlives this server: whether the CLI's read is new to the
    // baseline depends on the runs before.
    assert!(e["first_seen"].is_array(), "{e}");
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
    assert_eq!(e["cross_account"], false);
    assert_eq!(e["seen_by"], "lookup");
    assert!(e["received_at"].is_string(), "{e}");
    assert_eq!(e["account"], e["principal_account"]);
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
    use std::sync::mpsc;
    let server = with_secret();
    // The first access, before following starts: the backfill prints it.
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let before = json_lines(&server.run(&["events", "--json"]));
    assert_eq!(before.len(), 1, "{before:?}");
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("follow.toml");
    std::fs::write(&config, "[poll]\nevents_secs = 1\n").expect("write config");
    let mut child = server
        .command()
        .args(["--config", config.to_str().expect("utf-8")])
        .args(["events", "--follow", "--json"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run secretwatch");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.expect("readable")).is_err() {
                break;
            }
        }
    });
    // A bound on waiting for a line, not a timing assertion.
    let next = |what: &str| -> Value {
        let line = lines
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("no line for {what}: {e}"));
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    };
    let first = next("the access made before");
    assert_eq!(first["event_id"], before[0]["event_id"], "{first}");

    // The second access exists only once the first line was read: only following shows it.
    let access = &json_lines(&server.run(&["test-access", "--json"]))[0];
    let marker = access["marker"].as_str().expect("a marker");
    let second = next("the access made while following");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        second["user_agent"]
            .as_str()
            .is_some_and(|ua| ua.contains(&format!("app/{marker}"))),
        "the second line is not the access marked {marker}: {second}"
    );
    assert_ne!(second["event_id"], first["event_id"]);
}
