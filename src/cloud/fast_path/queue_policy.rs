//! The fast path queue's policy: EventBridge delivers only what the queue's policy lets the
//! rule send (a rule whose target refuses it fails silently, counted only in the rule's
//! FailedInvocations). Setup's statement lets `events.amazonaws.com` send on behalf of that
//! one rule (`aws:SourceArn`), nobody else.

use crate::cloud::policy_doc::{
    glob, has_action, names_resource, principals, statements, with_statement,
};
use serde_json::{Value, json};

pub const SERVICE: &str = "events.amazonaws.com";
/// The id of setup's statement in the queue's policy.
pub const SID: &str = "SecretwatchFastPathRule";

/// Setup's statement: the rule, and only it, may send to the queue.
pub fn statement(queue_arn: &str, rule_arn: &str) -> Value {
    json!({
        "Sid": SID,
        "Effect": "Allow",
        "Principal": { "Service": SERVICE },
        "Action": "sqs:SendMessage",
        "Resource": queue_arn,
        "Condition": { "ArnEquals": { "aws:SourceArn": rule_arn } }
    })
}

/// What the policy lets EventBridge do with the queue on the rule's behalf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sending {
    /// Allowed, on condition of the rule's ARN.
    OnlyTheRule,
    /// Allowed with no condition on the source: any rule, of any account, may send.
    AnyRule,
    /// Not allowed (no policy, no statement for EventBridge, or one denying it).
    Refused,
}

/// Whether `policy` (the queue's, JSON) lets the rule `rule_arn` send to `queue_arn`.
pub fn sending(policy: Option<&str>, queue_arn: &str, rule_arn: &str) -> Sending {
    let Some(doc) = policy.and_then(|p| serde_json::from_str::<Value>(p).ok()) else {
        return Sending::Refused;
    };
    let for_events = |s: &Value| {
        principals(s).iter().any(|p| *p == SERVICE || *p == "*")
            && (s.get("Resource").is_none() || names_resource(s, queue_arn))
    };
    let about_the_rule = |s: &Value| source_arns(s).is_none_or(|arns| matches(&arns, rule_arn));
    let list: Vec<&Value> = statements(&doc)
        .into_iter()
        .filter(|s| for_events(s))
        .collect();
    if list
        .iter()
        .any(|s| has_action(s, "Deny", "sqs:SendMessage") && about_the_rule(s))
    {
        return Sending::Refused;
    }
    let mut best = Sending::Refused;
    for s in list
        .iter()
        .filter(|s| has_action(s, "Allow", "sqs:SendMessage"))
    {
        match source_arns(s) {
            None => best = Sending::AnyRule,
            Some(arns) if matches(&arns, rule_arn) => return Sending::OnlyTheRule,
            Some(_) => {}
        }
    }
    best
}

/// The policy with setup's statement added, every other statement kept; None when the
/// rule may already send.
pub fn merged(policy: Option<&str>, queue_arn: &str, rule_arn: &str) -> Option<String> {
    if sending(policy, queue_arn, rule_arn) != Sending::Refused {
        return None;
    }
    let doc = policy.and_then(|p| serde_json::from_str::<Value>(p).ok());
    Some(with_statement(doc.as_ref(), statement(queue_arn, rule_arn)).to_string())
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
                arns.extend(
                    crate::cloud::policy_doc::strings(value)
                        .into_iter()
                        .map(str::to_string),
                );
            }
        }
    }
    found.then_some(arns)
}

fn matches(arns: &[String], rule_arn: &str) -> bool {
    arns.iter().any(|a| glob(a.as_bytes(), rule_arn.as_bytes()))
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
    fn setups_statement_lets_only_the_rule_send() {
        let policy = doc(json!([statement(QUEUE, RULE)]));
        assert_eq!(sending(Some(&policy), QUEUE, RULE), Sending::OnlyTheRule);
        let other = RULE.replace("secretwatch-secret-reads", "someone-elses");
        assert_eq!(sending(Some(&policy), QUEUE, &other), Sending::Refused);
        assert_eq!(merged(Some(&policy), QUEUE, RULE), None);
    }

    #[test]
    fn no_policy_or_a_deny_refuses_and_an_unconditioned_allow_lets_any_rule() {
        assert_eq!(sending(None, QUEUE, RULE), Sending::Refused);
        assert_eq!(sending(Some("not json"), QUEUE, RULE), Sending::Refused);
        let open = doc(json!({ "Effect": "Allow", "Principal": "*", "Action": "sqs:*" }));
        assert_eq!(sending(Some(&open), QUEUE, RULE), Sending::AnyRule);
        let denied = doc(json!([
            statement(QUEUE, RULE),
            { "Effect": "Deny", "Principal": { "Service": SERVICE }, "Action": "sqs:SendMessage", "Resource": QUEUE }
        ]));
        assert_eq!(sending(Some(&denied), QUEUE, RULE), Sending::Refused);
    }

    #[test]
    fn the_merged_policy_keeps_every_other_statement() {
        let theirs = json!({ "Sid": "Audit", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::1:root" }, "Action": "sqs:*", "Resource": QUEUE });
        let policy = doc(json!([theirs.clone()]));
        let merged = merged(Some(&policy), QUEUE, RULE).expect("ours added");
        let merged_doc: Value = serde_json::from_str(&merged).expect("JSON");
        assert_eq!(merged_doc["Statement"][0], theirs);
        assert_eq!(merged_doc["Statement"][1]["Sid"], SID);
        assert_eq!(sending(Some(&merged), QUEUE, RULE), Sending::OnlyTheRule);
    }
}
