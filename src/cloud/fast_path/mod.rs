//! The fast path's resources as secretwatch sets them up and the doctor judges them: an
//! EventBridge rule on the default bus matching Secrets Manager reads as CloudTrail records
//! them, in the one state that receives read-only calls, with a queue of secretwatch's own
//! as its target, whose policy lets only that rule send. Pure, so the plan, the doctor and
//! both adapters agree.

pub mod event_pattern;

use serde_json::json;

/// The only state in which a rule receives read-only management events such as
/// GetSecretValue. Plain `ENABLED` receives only writes: the classic mistake.
pub const RULE_STATE: &str = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
/// The id of the rule's target that is the queue.
pub const TARGET_ID: &str = "secretwatch-fast-path";
/// What a rule of secretwatch's says it is for.
pub const RULE_DESCRIPTION: &str =
    "secretwatch: Secrets Manager reads, as CloudTrail records them, to secretwatch's queue";

/// The rule's event pattern: the reads and changes the dashboard shows, as EventBridge
/// delivers them.
pub fn event_pattern() -> String {
    json!({
        "source": ["aws.secretsmanager"],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {
            "eventSource": ["secretsmanager.amazonaws.com"],
            "eventName": super::types::READS.iter().chain(&super::types::CHANGES).collect::<Vec<_>>(),
        }
    })
    .to_string()
}

/// A GetSecretValue as EventBridge delivers it, to test a rule's pattern against.
pub fn sample_read(account: &str, region: &str) -> String {
    json!({
        "version": "0",
        "id": "00000000-0000-0000-0000-000000000000",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.secretsmanager",
        "account": account,
        "time": "2026-01-01T00:00:00Z",
        "region": region,
        "resources": [],
        "detail": {
            "eventVersion": "1.09",
            "eventSource": "secretsmanager.amazonaws.com",
            "eventName": "GetSecretValue",
            "awsRegion": region,
            "readOnly": true,
            "managementEvent": true,
            "eventCategory": "Management",
            "userIdentity": { "type": "IAMUser", "arn": format!("arn:aws:iam::{account}:user/doctor") },
            "requestParameters": { "secretId": "doctor-sample" },
        }
    })
    .to_string()
}

/// A change of the secret (a resource policy put) as EventBridge delivers it: a rule of
/// secretwatch's matches it too.
pub fn sample_change(account: &str, region: &str) -> String {
    sample_read(account, region)
        .replace("\"GetSecretValue\"", "\"PutResourcePolicy\"")
        .replace("\"readOnly\":true", "\"readOnly\":false")
}

/// A rule's ARN on the default bus.
pub fn rule_arn(partition: &str, region: &str, account: &str, name: &str) -> String {
    format!("arn:{partition}:events:{region}:{account}:rule/{name}")
}

pub fn queue_arn(partition: &str, region: &str, account: &str, name: &str) -> String {
    format!("arn:{partition}:sqs:{region}:{account}:{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_matches_reads_and_changes_and_not_other_calls() {
        let read = sample_read("111122223333", "eu-west-1");
        assert_eq!(event_pattern::matches(&event_pattern(), &read), Ok(true));
        let write = sample_change("111122223333", "eu-west-1");
        assert_eq!(event_pattern::matches(&event_pattern(), &write), Ok(true));
        let old = r#"{"source":["aws.secretsmanager"],"detail":{"eventName":["GetSecretValue","BatchGetSecretValue"]}}"#;
        assert_eq!(event_pattern::matches(old, &write), Ok(false));
        let other = read.replace("\"GetSecretValue\"", "\"DescribeSecret\"");
        assert_eq!(event_pattern::matches(&event_pattern(), &other), Ok(false));
    }

    #[test]
    fn arns_are_named_as_aws_names_them() {
        assert_eq!(
            rule_arn("aws", "eu-west-1", "1", "r"),
            "arn:aws:events:eu-west-1:1:rule/r"
        );
        assert_eq!(
            queue_arn("aws-cn", "cn-north-1", "1", "q"),
            "arn:aws-cn:sqs:cn-north-1:1:q"
        );
    }
}
