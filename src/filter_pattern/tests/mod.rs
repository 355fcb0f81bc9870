//! Split as the module is: evaluation, parsing, errors, display. The helpers here are
//! shared by all four.

use super::{FilterPattern, PatternError};
use serde_json::{Value as Json, json};

mod display;
mod errors;
mod eval;
mod parser;

const SECRET_READS: &str =
    r#"{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }"#;

fn p(text: &str) -> FilterPattern {
    FilterPattern::parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
}

fn m(text: &str, event: &Json) -> bool {
    p(text).matches(event)
}

fn err(text: &str) -> PatternError {
    match FilterPattern::parse(text) {
        Ok(pattern) => panic!("{text:?} should be rejected, parsed as {pattern:?}"),
        Err(e) => e,
    }
}

fn msg(text: &str) -> String {
    err(text).to_string()
}

/// One case per line: `+ <comparison>` must match `event`, `- <comparison>` must not.
/// Each comparison is wrapped in `{ }` before parsing.
fn table(event: &Json, cases: &str) {
    for line in cases.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (sign, cmp) = line.split_at(1);
        let text = format!("{{ {cmp} }}");
        assert_eq!(m(&text, event), sign == "+", "{text}");
    }
}

fn cloudtrail(event_name: &str) -> Json {
    json!({
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "AssumedRole",
            "sessionContext": { "sessionIssuer": { "userName": "app" } }
        },
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": event_name,
        "awsRegion": "eu-west-1",
        "requestParameters": { "secretId": "prod/db/password" },
        "responseElements": null,
        "resources": [{ "ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:prod/db" }],
        "readOnly": true,
        "latencyMs": 42,
        "score": -1.5
    })
}
