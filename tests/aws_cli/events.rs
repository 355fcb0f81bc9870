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
    // The reads: the secret's CreateSecret is a change, shown too.
    let events = json_lines(&server.run(&[
        "events",
        "--json",
        "--since",
        "15m",
        "--filter",
        "kind:read",
    ]));
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
            "first_seen",
            "change"
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
        .args(["events", "--json", "--filter", "kind:read"])
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
    let before = json_lines(&server.run(&["events", "--json", "--filter", "kind:read"]));
    assert_eq!(before.len(), 1, "{before:?}");
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("follow.toml");
    std::fs::write(&config, "[poll]\nevents_secs = 1\n").expect("write config");
    let mut child = server
        .command()
        .args(["--config", config.to_str().expect("utf-8")])
        .args(["events", "--follow", "--json", "--filter", "kind:read"])
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

/// The secret's own changes, made with the AWS CLI against the local server and read back
/// from its event history: each is an event with what it changed, and the resource policy
/// for another account and the replica in a new region are flagged. (ministack records the
/// request parameters under their wire names, `ResourcePolicy`, `AddReplicaRegions`.)
#[test]
fn the_secrets_changes_are_events_and_the_exfiltration_setup_is_flagged() {
    let server = with_secret();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"#;
    let secret = ["--secret-id", "TopSecretInfo"];
    for call in [
        &["put-resource-policy", "--resource-policy", policy][..],
        &[
            "replicate-secret-to-regions",
            "--add-replica-regions",
            "Region=eu-west-1",
        ],
        &["tag-resource", "--tags", "Key=team,Value=payments"],
        &["put-secret-value", "--secret-string", VALUE],
    ] {
        let mut args = vec!["secretsmanager"];
        args.extend(call.iter().take(1));
        args.extend(secret);
        args.extend(call.iter().skip(1));
        let out = server.aws(&args);
        assert!(
            out.status.success(),
            "{call:?}: {}",
            common::ministack::text(&out)
        );
    }
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let out = server.run(&["events", "--json", "--filter", "kind:change"]);
    assert!(
        !common::ministack::text(&out).contains(VALUE),
        "a change printed the value"
    );
    let changes = json_lines(&out);
    let by_name = |name: &str| -> &Value {
        changes
            .iter()
            .find(|e| e["event_name"] == name)
            .unwrap_or_else(|| panic!("no {name} among {changes:?}"))
    };
    let flags = |name: &str| by_name(name)["change"]["flags"].clone();
    assert_eq!(
        flags("PutResourcePolicy"),
        serde_json::json!([{"flag": "outside_account", "grantee": "arn:aws:iam::444455556666:root"}])
    );
    assert_eq!(
        flags("ReplicateSecretToRegions"),
        serde_json::json!([{"flag": "new_region", "region": "eu-west-1"}])
    );
    assert_eq!(by_name("TagResource")["change"]["detail"], "keys team");
    assert_eq!(by_name("PutSecretValue")["change"]["what"], "new value");
    assert_eq!(by_name("CreateSecret")["change"]["what"], "created");
    assert!(changes.iter().all(|e| e["event_name"] != "GetSecretValue"));
    // The reads alone, as the alarm counts them.
    let reads = json_lines(&server.run(&["events", "--json", "--filter", "kind:read"]));
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(reads[0]["change"], Value::Null);
}
