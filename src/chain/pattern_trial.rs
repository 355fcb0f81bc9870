//! The metric filter's pattern tried on synthetic records: a read of each watched secret,
//! an unrelated event, and a read by each other kind of caller. TestMetricFilter where the
//! endpoint has it, else the local evaluator (and the finding says which).

use super::doctor::unknown;
use super::rules::PatternTest;
use super::{ChainLink, Finding, LinkState};
use crate::cloud::{Cloud, ErrorKind};
use crate::filter_pattern::FilterPattern;
use serde_json::json;

/// A GetSecretValue record for each secret, then an unrelated one: what a correct filter
/// must match, and must not.
fn synthetic_events(secrets: &[&str]) -> Vec<String> {
    let doctor =
        json!({ "type": "IAMUser", "arn": "arn:aws:iam::000000000000:user/secretwatch-doctor" });
    let mut events: Vec<String> = secrets
        .iter()
        .map(|secret| {
            json!({
                "eventVersion": "1.09",
                "eventSource": "secretsmanager.amazonaws.com",
                "eventName": "GetSecretValue",
                "readOnly": true,
                "requestParameters": { "secretId": secret },
                "userIdentity": doctor,
            })
            .to_string()
        })
        .collect();
    events.push(
        json!({
            "eventVersion": "1.09",
            "eventSource": "ec2.amazonaws.com",
            "eventName": "DescribeInstances",
            "readOnly": true,
            "userIdentity": doctor,
        })
        .to_string(),
    );
    // Then a read of the first secret by each other kind of caller: a filter written for
    // IAM users (`$.userIdentity.type = "IAMUser"`) passes the reads above and misses these.
    let secret = secrets.first().copied().unwrap_or("TopSecretInfo");
    for (_, identity, error) in read_kinds() {
        let mut read = json!({
            "eventVersion": "1.09",
            "eventSource": "secretsmanager.amazonaws.com",
            "eventName": "GetSecretValue",
            "readOnly": true,
            "requestParameters": { "secretId": secret },
            "userIdentity": identity,
        });
        if let Some(code) = error {
            read["errorCode"] = json!(code);
            read["errorMessage"] =
                json!("User is not authorized to perform: secretsmanager:GetSecretValue");
        }
        events.push(read.to_string());
    }
    events
}

/// The kinds of reads a filter must count beside an IAM user's: each with its name in a
/// finding, its `userIdentity`, and the error of a refused one.
fn read_kinds() -> [(&'static str, serde_json::Value, Option<&'static str>); 4] {
    let role = "arn:aws:sts::000000000000:assumed-role/secretwatch-doctor-sample/i-0doctor";
    let sso =
        "arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_SecretwatchDoctor_0doctor/doctor";
    [
        (
            "an assumed role's",
            json!({ "type": "AssumedRole", "arn": role }),
            None,
        ),
        (
            "an Identity Center console session's",
            json!({ "type": "AssumedRole", "arn": sso,
                    "sessionContext": { "attributes": { "sessionCredentialFromConsole": "true" } } }),
            None,
        ),
        (
            "an AWS service's",
            json!({ "type": "AWSService", "invokedBy": "lambda.amazonaws.com" }),
            None,
        ),
        (
            REFUSED,
            json!({ "type": "IAMUser", "arn": "arn:aws:iam::000000000000:user/secretwatch-doctor" }),
            Some("AccessDenied"),
        ),
    ]
}

/// The name of the refused read among `read_kinds`.
pub const REFUSED: &str = "a refused (AccessDenied)";

pub(super) async fn test_pattern(
    cloud: &dyn Cloud,
    pattern: &str,
    secrets: &[&str],
) -> Result<Result<PatternTest, String>, Finding> {
    let events = synthetic_events(secrets);
    let other = secrets.len();
    let kinds = read_kinds();
    let verdict = |matches: &dyn Fn(usize) -> bool, how: String| PatternTest {
        missed: (0..other)
            .filter(|i| !matches(*i))
            .map(|i| secrets[i].to_string())
            .collect(),
        matches_other: matches(other),
        missed_kinds: (0..kinds.len())
            .filter(|k| !matches(other + 1 + k))
            .map(|k| kinds[k].0)
            .collect(),
        how,
    };
    match cloud.test_metric_filter(pattern, &events).await {
        Ok(matched) => Ok(Ok(verdict(
            &|i| matched.contains(&i),
            "TestMetricFilter".into(),
        ))),
        Err(e) if e.kind == ErrorKind::InvalidInput => Ok(Err(format!("the pattern is invalid: {}", e.message))),
        Err(e) if e.kind == ErrorKind::Unsupported => match FilterPattern::parse(pattern) {
            Ok(p) => {
                let matches = |i: usize| p.matches_text(&events[i]);
                Ok(Ok(verdict(
                    &matches,
                    "the local evaluator (this endpoint does not support TestMetricFilter)".into(),
                )))
            }
            Err(parse) => Err(Finding::new(
                ChainLink::MetricFilter,
                LinkState::Unknown,
                "TestMetricFilter is not supported here and the local evaluator cannot read the pattern",
            )
            .evidence(parse.to_string())),
        },
        Err(e) => Err(unknown(ChainLink::MetricFilter, &e)),
    }
}
