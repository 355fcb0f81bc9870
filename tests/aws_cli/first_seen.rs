//! First seen under kill -9, on the real binary and adapter: a read marked new was on disk
//! before its line was printed, so a follower killed right after it, started again, keeps
//! that read's mark and marks nothing that was seen before.

use super::*;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

#[test]
fn a_mark_printed_survives_kill_9_and_nothing_seen_is_new_again() {
    let server = with_secret();
    let state = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("first-seen-kill-9");
    let _ = std::fs::remove_dir_all(&state);
    let config = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("first-seen-kill.toml");
    std::fs::write(&config, "[poll]\nevents_secs = 1\n").expect("write config");
    let secretwatch = |args: &[&str]| {
        let mut c = server.command();
        c.env("SECRETWATCH_STATE_DIR", &state)
            .args(["--config", config.to_str().expect("utf-8")])
            .args(args);
        c
    };
    // Before the first start: the AWS CLI reads. The baseline learns it, marks nothing.
    server.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        "TopSecretInfo",
    ]);
    let mut follower = secretwatch(&["events", "--follow", "--json", "--filter", "kind:read"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("follows");
    let mut lines = BufReader::new(follower.stdout.take().expect("piped")).lines();
    let mut next = || -> Value {
        let line = lines.next().expect("a line").expect("text");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    };
    let learned = next();
    assert_eq!(learned["first_seen"], serde_json::json!([]), "{learned}");
    // A read with another kind of client (the SDK's), while following: marked, then killed.
    let fired = json_lines(
        &secretwatch(&["test-access", "--json"])
            .output()
            .expect("runs"),
    );
    let marker = fired[0]["marker"].as_str().expect("a marker").to_string();
    let marked = loop {
        let line = next();
        if line["user_agent"]
            .as_str()
            .is_some_and(|ua| ua.contains(&marker))
        {
            break line;
        }
    };
    follower.kill().expect("SIGKILL");
    let _ = follower.wait();
    assert_eq!(
        marked["first_seen"],
        serde_json::json!(["client"]),
        "{marked}"
    );

    // Started again: the same reads, the mark where it was, nothing new.
    let again = json_lines(
        &secretwatch(&["events", "--json", "--filter", "kind:read"])
            .output()
            .expect("runs"),
    );
    let by_id = |id: &Value| again.iter().find(|e| e["event_id"] == *id).cloned();
    let kept = by_id(&marked["event_id"]).expect("the marked read");
    assert_eq!(kept["first_seen"], serde_json::json!(["client"]), "{kept}");
    let old = by_id(&learned["event_id"]).expect("the learned read");
    assert_eq!(old["first_seen"], serde_json::json!([]), "{old}");
    // Another SDK read: that client is known now.
    secretwatch(&["test-access"]).output().expect("runs");
    let after = json_lines(
        &secretwatch(&["events", "--json", "--filter", "kind:read"])
            .output()
            .expect("runs"),
    );
    assert_eq!(
        after.len(),
        again.len() + 1,
        "the second SDK read is listed"
    );
    let newly: Vec<&Value> = after
        .iter()
        .filter(|e| e["first_seen"] != serde_json::json!([]) && e["event_id"] != marked["event_id"])
        .collect();
    assert!(newly.is_empty(), "marked again: {newly:?}");
}
