//! `events --filter`: the filter language on the command line.

use super::{headless, of_kind, over_the_demo};
use serde_json::Value;
use std::process::Command;

/// Every access printed holds to the expression: SDK reads that were not refused.
#[test]
fn events_print_only_what_the_filter_keeps() {
    let out = over_the_demo(&[
        "events",
        "--json",
        "--since",
        "1h",
        "--filter",
        "client:sdk !outcome:denied",
    ]);
    let kept: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert!(
        !kept.is_empty(),
        "the demo's service reads the secret with an SDK"
    );
    for access in &kept {
        let client = access["client"].as_str().unwrap_or_default();
        assert!(client.starts_with("sdk-"), "{access}");
        assert_eq!(access["outcome"], "success", "{access}");
    }
    let people = over_the_demo(&[
        "events",
        "--json",
        "--since",
        "1h",
        "--filter",
        "!type:service",
    ]);
    for access in people.lines() {
        let access: Value = serde_json::from_str(access).expect("JSON");
        // A role's read is a person's only through the console or Identity Center.
        let role = access["principal_type"] == "AssumedRole";
        let person = access["client"] == "console"
            || access["principal"]
                .as_str()
                .is_some_and(|p| p.contains(":assumed-role/AWSReservedSSO_"));
        assert!(!role || person, "{access}");
    }
}

/// A mistake stops the command with exit 2, the expression shown with the wrong part
/// underlined and why; nothing is printed on stdout.
#[test]
fn a_bad_expression_is_pointed_at_and_nothing_is_listed() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("filter-cli");
    let out = Command::new(env!("CARGO_BIN_EXE_secretwatch"))
        .args(["--demo", "events", "--filter", "type:human ip:10.0.0/8"])
        .env("SECRETWATCH_LOG_DIR", dir.join("log"))
        .env("SECRETWATCH_STATE_DIR", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .output()
        .expect("run secretwatch");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "secretwatch: --filter: not an expression secretwatch can read:",
            "  type:human ip:10.0.0/8",
            "                ^^^^^^^^ `10.0.0/8` is not an address or a network like 10.0.0.0/8 or 2001:db8::/32",
        ]
    );
}

/// Headless, the filter keeps the accesses that match and leaves every other change (the
/// metric, the alarm, the mail) printed. The story is the same seed's, with and without it.
#[test]
fn headless_takes_the_same_filter() {
    let run = ["--duration", "600", "--seed", "5"];
    let all = headless(&run);
    let kept = headless(&[&run[..], &["--filter", "!client:sdk"]].concat());
    let is_sdk = |a: &&Value| a["client"].as_str().unwrap_or_default().starts_with("sdk-");
    let accesses = of_kind(&kept, "access");
    assert!(
        !accesses.is_empty(),
        "people read the secret in ten minutes of the demo"
    );
    assert!(!accesses.iter().any(is_sdk), "no SDK read is printed");
    assert!(
        of_kind(&all, "access").iter().any(is_sdk),
        "without the filter, the service's SDK reads are printed"
    );
    for kind in ["metric_point", "alarm_transition"] {
        assert!(
            !of_kind(&kept, kind).is_empty(),
            "{kind} changes are printed with a filter"
        );
    }
}
