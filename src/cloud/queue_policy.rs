//! The policy of a queue of secretwatch's own: an AWS service delivers to a queue only what
//! the queue's policy lets it send on behalf of the resource that sends (a delivery refused
//! fails silently: an EventBridge rule counts it in FailedInvocations, SNS and S3 drop it).
//! Setup's statement lets the one service send on behalf of that one resource
//! (`aws:SourceArn`), nobody else; every other statement of the policy is kept.

use crate::cloud::policy_doc::{
    glob, has_action, names_resource, principals, statements, strings, with_statement,
};
use serde_json::{Value, json};

/// Who sends to the queue: a service on behalf of one resource of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub service: &'static str,
    /// The resource's ARN: the rule, the topic, the bucket.
    pub arn: String,
    /// The id of setup's statement for it.
    pub sid: &'static str,
}

impl Sender {
    /// An EventBridge rule (the fast path).
    pub fn rule(arn: &str) -> Self {
        Self {
            service: "events.amazonaws.com",
            arn: arn.to_string(),
            sid: "SecretwatchFastPathRule",
        }
    }

    /// An SNS topic (the trail's, notifying each log file).
    pub fn topic(arn: &str) -> Self {
        Self {
            service: "sns.amazonaws.com",
            arn: arn.to_string(),
            sid: "SecretwatchTrailTopic",
        }
    }

    /// An S3 bucket's event notifications (the trail's bucket, where it has no topic).
    pub fn bucket(partition: &str, bucket: &str) -> Self {
        Self {
            service: "s3.amazonaws.com",
            arn: format!("arn:{partition}:s3:::{bucket}"),
            sid: "SecretwatchTrailBucket",
        }
    }
}

/// Setup's statement: the sender, and only it, may send to the queue.
pub fn statement(queue_arn: &str, sender: &Sender) -> Value {
    json!({
        "Sid": sender.sid,
        "Effect": "Allow",
        "Principal": { "Service": sender.service },
        "Action": "sqs:SendMessage",
        "Resource": queue_arn,
        "Condition": { "ArnEquals": { "aws:SourceArn": sender.arn } }
    })
}

/// What the policy lets the sender's service do with the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sending {
    /// Allowed, on condition of the sender's ARN.
    OnlyTheSender,
    /// Allowed with no condition on the source: any rule, topic or bucket, of any account.
    AnySender,
    /// Not allowed (no policy, no statement for the service, or one denying it).
    Refused,
}

/// Whether `policy` (the queue's, JSON) lets `sender` send to `queue_arn`.
pub fn sending(policy: Option<&str>, queue_arn: &str, sender: &Sender) -> Sending {
    let Some(doc) = policy.and_then(|p| serde_json::from_str::<Value>(p).ok()) else {
        return Sending::Refused;
    };
    let for_service = |s: &Value| {
        principals(s)
            .iter()
            .any(|p| *p == sender.service || *p == "*")
            && (s.get("Resource").is_none() || names_resource(s, queue_arn))
    };
    let about_it = |s: &Value| source_arns(s).is_none_or(|arns| matches(&arns, &sender.arn));
    let list: Vec<&Value> = statements(&doc)
        .into_iter()
        .filter(|s| for_service(s))
        .collect();
    if list
        .iter()
        .any(|s| has_action(s, "Deny", "sqs:SendMessage") && about_it(s))
    {
        return Sending::Refused;
    }
    let mut best = Sending::Refused;
    for s in list
        .iter()
        .filter(|s| has_action(s, "Allow", "sqs:SendMessage"))
    {
        match source_arns(s) {
            None => best = Sending::AnySender,
            Some(arns) if matches(&arns, &sender.arn) => return Sending::OnlyTheSender,
            Some(_) => {}
        }
    }
    best
}

/// The policy with setup's statement added, every other statement kept; None when the
/// sender may already send.
pub fn merged(policy: Option<&str>, queue_arn: &str, sender: &Sender) -> Option<String> {
    if sending(policy, queue_arn, sender) != Sending::Refused {
        return None;
    }
    let doc = policy.and_then(|p| serde_json::from_str::<Value>(p).ok());
    Some(with_statement(doc.as_ref(), statement(queue_arn, sender)).to_string())
}

/// The ARNs a statement's conditions on `aws:SourceArn` allow (any operator that compares
/// ARNs or strings; the key is case-insensitive), None when it has none.
fn source_arns(statement: &Value) -> Option<Vec<String>> {
    let conditions = statement.get("Condition")?.as_object()?;
    let mut arns = Vec::new();
    let mut found = false;
    for by_key in conditions.values().filter_map(Value::as_object) {
        for (key, value) in by_key {
            if key.eq_ignore_ascii_case("aws:SourceArn") {
                found = true;
                arns.extend(strings(value).into_iter().map(str::to_string));
            }
        }
    }
    found.then_some(arns)
}

fn matches(arns: &[String], arn: &str) -> bool {
    arns.iter().any(|a| glob(a.as_bytes(), arn.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUEUE: &str = "arn:aws:sqs:eu-west-1:1:secretwatch-access-events";
    const RULE: &str = "arn:aws:events:eu-west-1:1:rule/secretwatch-secret-reads";

    fn doc(statements: Value) -> String {
        json!({ "Version": "2012-10-17", "Statement": statements }).to_string()
    }

    #[test]
    fn setups_statement_lets_only_its_sender_send() {
        let rule = Sender::rule(RULE);
        let policy = doc(json!([statement(QUEUE, &rule)]));
        assert_eq!(sending(Some(&policy), QUEUE, &rule), Sending::OnlyTheSender);
        let other = Sender::rule(&RULE.replace("secretwatch-secret-reads", "someone-elses"));
        assert_eq!(sending(Some(&policy), QUEUE, &other), Sending::Refused);
        let topic = Sender::topic("arn:aws:sns:eu-west-1:1:trail-files");
        assert_eq!(
            sending(Some(&policy), QUEUE, &topic),
            Sending::Refused,
            "another service"
        );
        assert_eq!(merged(Some(&policy), QUEUE, &rule), None);
    }

    #[test]
    fn no_policy_or_a_deny_refuses_and_an_unconditioned_allow_lets_any_sender() {
        let rule = Sender::rule(RULE);
        assert_eq!(sending(None, QUEUE, &rule), Sending::Refused);
        assert_eq!(sending(Some("not json"), QUEUE, &rule), Sending::Refused);
        let open = doc(json!({ "Effect": "Allow", "Principal": "*", "Action": "sqs:*" }));
        assert_eq!(sending(Some(&open), QUEUE, &rule), Sending::AnySender);
        let denied = doc(json!([
            statement(QUEUE, &rule),
            { "Effect": "Deny", "Principal": { "Service": rule.service }, "Action": "sqs:SendMessage", "Resource": QUEUE }
        ]));
        assert_eq!(sending(Some(&denied), QUEUE, &rule), Sending::Refused);
    }

    #[test]
    fn the_merged_policy_keeps_every_other_statement() {
        let bucket = Sender::bucket("aws", "trail-logs");
        let theirs = json!({ "Sid": "Audit", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::1:root" }, "Action": "sqs:*", "Resource": QUEUE });
        let policy = doc(json!([theirs.clone()]));
        let merged = merged(Some(&policy), QUEUE, &bucket).expect("ours added");
        let merged_doc: Value = serde_json::from_str(&merged).expect("JSON");
        assert_eq!(merged_doc["Statement"][0], theirs);
        assert_eq!(merged_doc["Statement"][1]["Sid"], "SecretwatchTrailBucket");
        assert_eq!(
            merged_doc["Statement"][1]["Condition"]["ArnEquals"]["aws:SourceArn"],
            "arn:aws:s3:::trail-logs"
        );
        assert_eq!(
            sending(Some(&merged), QUEUE, &bucket),
            Sending::OnlyTheSender
        );
    }
}
