//! `test-access --trace --json` over the demo, as a script reads it.

use super::*;

/// `test-access --trace --json` over the demo: a line per link as it is seen, then the
/// trace as the README documents it; 0 when the message arrived, 1 when it stopped.
#[test]
fn a_trace_prints_each_link_then_the_trace_the_readme_documents() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("trace-json");
    let out = Command::new(env!("CARGO_BIN_EXE_secretwatch"))
        .args(["--demo", "test-access", "--trace", "--json"])
        .env("SECRETWATCH_LOG_DIR", dir.join("log"))
        .env("SECRETWATCH_STATE_DIR", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .output()
        .expect("run secretwatch");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let (last, links) = lines.split_last().expect("lines");
    assert_eq!(links[0]["kind"], "link");
    assert_eq!(links[0]["link"], "fired");
    assert!(
        links
            .iter()
            .all(|l| ["link", "late"].contains(&l["kind"].as_str().unwrap_or("")))
    );
    let state = last["outcome"]["state"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let code = out.status.code();
    match state.as_str() {
        "complete" => assert_eq!(code, Some(0)),
        "stopped" => assert_eq!(code, Some(1), "{last}"),
        other => panic!("ended {other}: {last}"),
    }
    // Every link printed is in the trace; the outcome is a tagged variant the README names.
    let seen = last["links"].as_array().expect("links");
    assert_eq!(
        seen.len(),
        links.iter().filter(|l| l["kind"] == "link").count()
    );
    let mut trace = last.clone();
    let mut documented = readme::json_example("trace");
    for v in [&mut trace, &mut documented] {
        // The outcome's fields follow its state; what was late or unobservable, the run.
        v["outcome"] = serde_json::json!({ "state": "" });
        v["links"] = serde_json::json!([v["links"][0].clone()]);
        v["unobserved"] = serde_json::json!([{ "link": "", "why": "" }]);
        v["late"] = serde_json::json!([""]);
    }
    readme::assert_same_shape(&documented, &trace, "trace");
    let kept = std::fs::read_to_string(dir.join("state/traces-demo.jsonl")).expect("kept");
    let kept: Value = serde_json::from_str(kept.lines().last().expect("a line")).expect("JSON");
    assert_eq!(
        kept["marker"], last["marker"],
        "the trace printed is the one kept"
    );
}
