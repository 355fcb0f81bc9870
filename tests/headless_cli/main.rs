//! `secretwatch demo --headless`, run as a script would: the built binary, JSON lines out.

mod filter;
#[path = "../common/readme.rs"]
mod readme;
#[path = "../common/readme_checks.rs"]
mod readme_checks;
mod scopes;
mod trace;

use serde_json::Value;
use std::process::Command;

pub fn headless(args: &[&str]) -> Vec<Value> {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("headless-logs");
    let out = Command::new(env!("CARGO_BIN_EXE_secretwatch"))
        .args(["demo", "--headless", "--json", "--fast"])
        .args(args)
        .env("SECRETWATCH_LOG_DIR", dir)
        .output()
        .expect("run secretwatch");
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

pub fn of_kind<'a>(lines: &'a [Value], kind: &str) -> Vec<&'a Value> {
    lines.iter().filter(|v| v["kind"] == kind).collect()
}

#[test]
fn a_150_second_demo_reports_accesses_metric_alarm_and_mail() {
    let lines = headless(&["--duration", "150", "--seed", "1"]);
    let accesses = of_kind(&lines, "access");
    assert!(!accesses.is_empty());
    for a in &accesses {
        for field in [
            "event_id",
            "time",
            "secret",
            "principal",
            "principal_type",
            "source_ip",
            "client",
            "user_agent",
            "outcome",
            "region",
        ] {
            assert!(a.get(field).is_some(), "access without {field}: {a}");
        }
    }
    assert!(accesses.iter().any(|a| a["client"] == "cli"));
    assert!(accesses.iter().any(|a| a["error_code"] == "AccessDenied"));
    assert!(!of_kind(&lines, "metric_point").is_empty());
    let to_alarm = of_kind(&lines, "alarm_transition")
        .into_iter()
        .filter(|t| t["to"] == "ALARM")
        .count();
    assert!(to_alarm >= 1, "no transition to ALARM");
    assert!(
        !of_kind(&lines, "notification").is_empty(),
        "no notification delivered"
    );
}

/// Two runs of one seed, started whenever: the same accesses, at the same second of the
/// minute, in the same order (oldest first, away from the moving edge of "now").
#[test]
fn the_same_seed_tells_the_same_story() {
    let story = |lines: &[Value]| -> Vec<String> {
        let mut accesses: Vec<&Value> = of_kind(lines, "access");
        accesses.sort_by_key(|a| a["time"].as_str().unwrap_or_default().to_string());
        accesses
            .iter()
            .take(15)
            .map(|a| {
                let time = a["time"].as_str().unwrap_or_default();
                let second = time.get(17..19).unwrap_or_default();
                format!("{} {} :{second}", a["principal"], a["source_ip"])
            })
            .collect()
    };
    let a = headless(&["--duration", "60", "--seed", "9"]);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let b = headless(&["--duration", "60", "--seed", "9"]);
    assert_eq!(story(&a).len(), 15);
    assert_eq!(story(&a), story(&b));
}

#[test]
fn the_average_trap_sees_accesses_but_never_alarms() {
    let lines = headless(&[
        "--duration",
        "600",
        "--seed",
        "1",
        "--scenario",
        "average-trap",
    ]);
    assert!(!of_kind(&lines, "access").is_empty());
    assert!(
        of_kind(&lines, "alarm_transition")
            .iter()
            .all(|t| t["to"] != "ALARM")
    );
    assert!(of_kind(&lines, "notification").is_empty());
}

#[test]
fn flags_that_need_headless_are_refused_with_exit_code_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_secretwatch"))
        .args(["demo", "--json"])
        .output()
        .expect("run secretwatch");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--headless"));
}

/// The exact command, on the wall clock: 150 real seconds.
#[test]
fn the_documented_150_second_run_on_the_wall_clock() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("headless-logs");
    let out = Command::new(env!("CARGO_BIN_EXE_secretwatch"))
        .args([
            "demo",
            "--headless",
            "--duration",
            "150",
            "--json",
            "--seed",
            "1",
        ])
        .env("SECRETWATCH_LOG_DIR", dir)
        .output()
        .expect("run secretwatch");
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(!of_kind(&lines, "access").is_empty());
    assert!(!of_kind(&lines, "metric_point").is_empty());
    assert!(
        of_kind(&lines, "alarm_transition")
            .iter()
            .any(|t| t["to"] == "ALARM")
    );
    assert!(!of_kind(&lines, "notification").is_empty());
}

/// `secretwatch --demo ARGS`, with no user config or state; stdout.
pub fn over_the_demo(args: &[&str]) -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-json");
    let out = Command::new(env!("CARGO_BIN_EXE_secretwatch"))
        .arg("--demo")
        .args(args)
        .env("SECRETWATCH_LOG_DIR", dir.join("log"))
        .env("SECRETWATCH_STATE_DIR", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .output()
        .expect("run secretwatch");
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// The README's JSON examples have the fields the program prints, no more and no fewer.
#[test]
fn json_output_is_as_the_readme_documents() {
    let events = over_the_demo(&["events", "--json", "--since", "1h"]);
    let first = events
        .lines()
        .next()
        .expect("an access in the demo's last hour");
    let access: Value = serde_json::from_str(first).expect("JSON");
    readme::assert_same_shape(&readme::json_example("access"), &access, "events");

    // The acknowledgement and each source's health are tagged variants whose other fields
    // follow the state the demo happens to be in; the README names every variant.
    let variant = |v: &mut Value, tag: &str| {
        let state = v[tag].clone();
        *v = serde_json::json!({ tag: state });
        state
    };
    let mut status: Value = serde_json::from_str(&over_the_demo(&[
        "status",
        "--json",
        "--regions",
        "us-east-1,eu-west-1",
    ]))
    .expect("JSON");
    let mut documented = readme::json_example("status");
    for v in [&mut status, &mut documented] {
        let state = variant(&mut v["acknowledgement"], "state");
        assert!(
            ["quiet", "unacknowledged", "acknowledged"].contains(&state.as_str().unwrap_or("")),
            "acknowledgement {state}"
        );
        let root = v.as_object_mut().expect("an object");
        let mut sources: Vec<&mut Value> = Vec::new();
        for (key, value) in root.iter_mut() {
            match key.as_str() {
                "sources" => sources.push(value),
                "scopes" => {
                    let scoped = value.as_array_mut().expect("scopes");
                    sources.extend(scoped.iter_mut().map(|s| &mut s["sources"]));
                }
                _ => {}
            }
        }
        let healths = sources
            .into_iter()
            .flat_map(|s| s.as_object_mut().expect("sources").values_mut());
        for health in healths {
            let state = variant(health, "health");
            assert!(
                [
                    "fresh",
                    "stale",
                    "throttled",
                    "failing",
                    "starting",
                    "unavailable"
                ]
                .contains(&state.as_str().unwrap_or("")),
                "health {state}"
            );
        }
    }
    readme::assert_same_shape(&documented, &status, "status");

    let doctor: Value =
        serde_json::from_str(&over_the_demo(&["doctor", "--json", "--organization"]))
            .expect("JSON");
    readme::assert_same_shape(&readme::json_example("doctor"), &doctor, "doctor");

    // Each change in headless mode is an access with its kind, like the line above.
    let lines = headless(&["--duration", "120", "--seed", "3"]);
    let change = of_kind(&lines, "access")[0].clone();
    let mut documented = readme::json_example("access");
    let mut with_kind = serde_json::Map::new();
    with_kind.insert("kind".into(), "access".into());
    with_kind.extend(documented.as_object().cloned().unwrap_or_default());
    documented = Value::Object(with_kind);
    readme::assert_same_shape(&documented, &change, "headless access");
}

/// `status` without `--json` is for a person: lines, not JSON.
#[test]
fn status_prints_lines_a_person_reads() {
    let text = over_the_demo(&["status"]);
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "JSON:\n{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with(
            "account   123456789012 in us-east-1 (the embedded demo account), as arn:aws:iam::"
        ),
        "{text}"
    );
    assert!(
        lines[1].starts_with("alarm     SecretIsAccessed-alarm is ")
            && lines[1].contains(" since 20")
            && lines[1].ends_with(" UTC"),
        "{text}"
    );
    assert!(lines[2].starts_with("ack       "), "{text}");
    assert!(
        lines[3].starts_with("accesses  ") && lines[3].ends_with(" seen"),
        "{text}"
    );
    assert_eq!(lines[4], "sources", "{text}");
    // The random demo may be throttling or failing a source; each reads as words.
    let states = [
        "fresh, read at 20",
        "stale since 20",
        "throttled, retrying at 20",
        "failing since 20",
        "not read yet",
        "unavailable: ",
    ];
    for (line, source) in lines[5..8].iter().zip(["events", "metric", "alarm"]) {
        let state = line.strip_prefix(&format!("  {source:<8}"));
        assert!(
            state.is_some_and(|s| states.iter().any(|w| s.starts_with(w))),
            "{text}"
        );
    }
    assert!(
        lines[8].starts_with("budget    LookupEvents at most 1 call/s in each scope"),
        "{text}"
    );
    assert_eq!(lines.len(), 9, "{text}");
    assert!(!text.contains('{'), "{text}");
}

/// `events --secret` with a name that does not exist: a typo is not "nobody read it". It is
/// named, with exit 1; a secret that exists and was not read prints nothing and exits 0.
#[test]
fn events_of_a_secret_that_does_not_exist_fail_and_say_so() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("events-typo");
    let run = |secret: &str| {
        Command::new(env!("CARGO_BIN_EXE_secretwatch"))
            .args(["--demo", "events", "--since", "1h", "--secret", secret])
            .env("SECRETWATCH_LOG_DIR", dir.join("log"))
            .env("SECRETWATCH_STATE_DIR", dir.join("state"))
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .output()
            .expect("run secretwatch")
    };
    let typo = run("TopSecretInfp");
    let stderr = String::from_utf8_lossy(&typo.stderr);
    assert_eq!(typo.status.code(), Some(1), "{stderr}");
    assert!(typo.stdout.is_empty());
    assert!(
        stderr.contains("no secret TopSecretInfp in this account and region"),
        "{stderr}"
    );
    let real = run("TopSecretInfo");
    assert_eq!(
        real.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&real.stderr)
    );
}

/// `events` as text: a header naming the columns and the order, the accesses oldest first,
/// and a window given as RFC 3339 times as well as durations (`--until` too).
#[test]
fn events_text_has_a_header_and_takes_rfc_3339_windows() {
    let text = over_the_demo(&["events", "--since", "1h"]);
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.first().copied().unwrap_or_default();
    assert!(
        header.starts_with("time (UTC, oldest first)  secret"),
        "{text}"
    );
    // The columns line up: each value starts where its header does.
    for name in ["secret", "principal", "source ip", "client", "result"] {
        let at = header
            .find(name)
            .unwrap_or_else(|| panic!("{name}: {header}"));
        for row in &lines[1..] {
            let before: String = row.chars().take(at).collect();
            let cell = row.chars().nth(at);
            assert!(
                before.ends_with("  ") && cell.is_some_and(|c| c != ' '),
                "{name} not aligned:\n{header}\n{row}"
            );
        }
    }
    let times: Vec<chrono::DateTime<chrono::Utc>> = lines[1..]
        .iter()
        .map(|l| l[..20].parse().unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(times.len() > 2, "{text}");
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "not oldest first:\n{text}"
    );

    // A window of 40 minutes ending 10 minutes ago, by RFC 3339 times (each run is another
    // random demo, whose apps read every few minutes).
    let now = chrono::Utc::now();
    let (from, until) = (
        now - chrono::TimeDelta::minutes(50),
        now - chrono::TimeDelta::minutes(10),
    );
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let half = over_the_demo(&["events", "--since", &fmt(from), "--until", &fmt(until)]);
    let shown: Vec<chrono::DateTime<chrono::Utc>> = half
        .lines()
        .skip(1)
        .map(|l| l[..20].parse().unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(!shown.is_empty(), "{half}");
    // Times print to the second: the bounds are compared at that precision.
    let second = chrono::TimeDelta::seconds(1);
    assert!(
        shown.iter().all(|t| *t >= from - second && *t <= until),
        "{half}"
    );
}
