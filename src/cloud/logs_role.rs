//! The role CloudTrail assumes to deliver a trail's events to CloudWatch Logs: what its
//! trust and permissions must allow, judged on the policy documents, and what setup
//! adds when they do not, keeping every statement and policy the role has. Pure, so
//! the plan and both adapters judge alike.

use crate::cloud::links::RoleInfo;
use crate::cloud::policy_doc::{glob, has_action, principals, statements, strings, with_statement};
use serde_json::{Value, json};

/// The role's name, as setup creates it.
pub const ROLE: &str = "secretwatch-cloudtrail-to-logs";
/// The inline policy setup writes on the role (and adds to, when it exists).
pub const INLINE_POLICY: &str = "secretwatch-cloudtrail-to-logs";
pub const SERVICE: &str = "cloudtrail.amazonaws.com";
/// What CloudTrail does with the log group, both needed.
pub const ACTIONS: [&str; 2] = ["logs:CreateLogStream", "logs:PutLogEvents"];

/// What the role lacks for CloudTrail to write to the log group, each as what it has
/// now; empty when it lacks nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleFix {
    /// Who its trust policy lets assume it, when CloudTrail is not among them.
    pub trust: Option<Vec<String>>,
    /// Which of [`ACTIONS`] its inline policies allow on the group's streams, when not both.
    pub permissions: Option<Vec<String>>,
    /// Its inline policies, all kept.
    pub kept_policies: Vec<String>,
}

impl RoleFix {
    pub fn is_empty(&self) -> bool {
        self.trust.is_none() && self.permissions.is_none()
    }
}

fn trust_statement() -> Value {
    json!({
        "Effect": "Allow",
        "Principal": { "Service": SERVICE },
        "Action": "sts:AssumeRole"
    })
}

fn delivery_statement(log_group_arn: &str) -> Value {
    json!({
        "Effect": "Allow",
        "Action": ACTIONS,
        "Resource": format!("{}:log-stream:*", group_of(log_group_arn))
    })
}

/// Who may assume the logs role: CloudTrail, nobody else.
pub fn cloudtrail_trust() -> Value {
    json!({ "Version": "2012-10-17", "Statement": [trust_statement()] })
}

/// What the role may do: create streams in, and write to, that one log group.
pub fn logs_delivery(log_group_arn: &str) -> Value {
    json!({ "Version": "2012-10-17", "Statement": [delivery_statement(log_group_arn)] })
}

/// `...:log-group:NAME:*` → `...:log-group:NAME`.
fn group_of(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

fn allows(statement: &Value, action: &str) -> bool {
    has_action(statement, "Allow", action)
}

/// Who the trust policy lets assume the role (`*` for anyone), in its own words.
pub fn trusted(trust: &Value) -> Vec<String> {
    let mut who = Vec::new();
    for s in statements(trust)
        .into_iter()
        .filter(|s| allows(s, "sts:AssumeRole"))
    {
        who.extend(principals(s).into_iter().map(str::to_string));
    }
    who
}

pub fn trusts_cloudtrail(trust: &Value) -> bool {
    trusted(trust).iter().any(|p| p == SERVICE || p == "*")
}

/// The stream CloudTrail writes to in the group, named as CloudTrail names it
/// (`ACCOUNT_CloudTrail_REGION`), to test resources against.
fn stream_arn(log_group_arn: &str) -> String {
    let group = group_of(log_group_arn);
    let parts: Vec<&str> = group.split(':').collect();
    let (region, account) = (
        parts.get(3).copied().unwrap_or_default(),
        parts.get(4).copied().unwrap_or_default(),
    );
    format!("{group}:log-stream:{account}_CloudTrail_{region}")
}

/// Which of [`ACTIONS`] the documents allow on the group's streams.
pub fn allowed<'a>(docs: impl IntoIterator<Item = &'a Value>, log_group_arn: &str) -> Vec<String> {
    let stream = stream_arn(log_group_arn);
    let statements: Vec<&Value> = docs.into_iter().flat_map(statements).collect();
    ACTIONS
        .iter()
        .filter(|action| {
            statements.iter().any(|s| {
                allows(s, action)
                    && strings(&s["Resource"])
                        .iter()
                        .any(|r| glob(r.as_bytes(), stream.as_bytes()))
            })
        })
        .map(|a| a.to_string())
        .collect()
}

/// What `role` lacks for CloudTrail to deliver to `log_group_arn`.
pub fn fix(role: &RoleInfo, log_group_arn: &str) -> RoleFix {
    let has = allowed(role.inline.iter().map(|(_, doc)| doc), log_group_arn);
    RoleFix {
        trust: (!trusts_cloudtrail(&role.trust)).then(|| trusted(&role.trust)),
        permissions: (has.len() < ACTIONS.len()).then_some(has),
        kept_policies: role.inline.iter().map(|(name, _)| name.clone()).collect(),
    }
}

/// The trust policy with CloudTrail's statement added; None when it trusts CloudTrail.
pub fn merged_trust(trust: &Value) -> Option<Value> {
    (!trusts_cloudtrail(trust)).then(|| with_statement(Some(trust), trust_statement()))
}

/// Setup's inline policy with the delivery statement added (its other statements
/// kept); None when the role's inline policies already allow delivery.
pub fn merged_inline(role: &RoleInfo, log_group_arn: &str) -> Option<Value> {
    // Only when something is missing.
    fix(role, log_group_arn).permissions?;
    let ours = role
        .inline
        .iter()
        .find(|(name, _)| name == INLINE_POLICY)
        .map(|(_, doc)| doc);
    Some(with_statement(ours, delivery_statement(log_group_arn)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUP: &str = "arn:aws:logs:eu-west-1:1:log-group:secretwatch/cloudtrail:*";

    fn role(trust: Value, inline: Vec<(&str, Value)>) -> RoleInfo {
        RoleInfo {
            name: INLINE_POLICY.into(),
            arn: "arn:aws:iam::1:role/r".into(),
            trust,
            inline: inline
                .into_iter()
                .map(|(n, d)| (n.to_string(), d))
                .collect(),
        }
    }

    #[test]
    fn the_role_setup_writes_lacks_nothing() {
        let r = role(
            cloudtrail_trust(),
            vec![(INLINE_POLICY, logs_delivery(GROUP))],
        );
        assert!(fix(&r, GROUP).is_empty(), "{:?}", fix(&r, GROUP));
        assert_eq!(merged_trust(&r.trust), None);
        assert_eq!(merged_inline(&r, GROUP), None);
        assert_eq!(
            logs_delivery("arn:aws:logs:eu-west-1:1:log-group:g")["Statement"][0]["Resource"],
            "arn:aws:logs:eu-west-1:1:log-group:g:log-stream:*"
        );
    }

    #[test]
    fn wildcards_and_the_documented_stream_name_count_as_allowed() {
        let docs = [json!({ "Statement": {
            "Effect": "Allow",
            "Action": ["logs:Create*", "LOGS:putlogevents"],
            "Resource": "arn:aws:logs:eu-west-1:1:log-group:secretwatch/cloudtrail:log-stream:1_CloudTrail_eu-west-1*"
        }})];
        assert_eq!(allowed(&docs, GROUP).len(), 2);
        let elsewhere = [logs_delivery("arn:aws:logs:eu-west-1:1:log-group:other:*")];
        assert!(allowed(&elsewhere, GROUP).is_empty());
        let denied =
            [json!({ "Statement": [{ "Effect": "Deny", "Action": "*", "Resource": "*" }] })];
        assert!(allowed(&denied, GROUP).is_empty());
    }

    #[test]
    fn what_is_missing_is_added_and_every_other_statement_kept() {
        let ec2 = json!({ "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": { "Service": ["ec2.amazonaws.com"] }, "Action": "sts:AssumeRole"
        }]});
        let extra = json!({ "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }] });
        let r = role(
            ec2.clone(),
            vec![("audit", extra.clone()), (INLINE_POLICY, extra.clone())],
        );
        let f = fix(&r, GROUP);
        assert_eq!(f.trust, Some(vec!["ec2.amazonaws.com".to_string()]));
        assert_eq!(f.permissions, Some(vec![]));
        assert_eq!(f.kept_policies, vec!["audit", INLINE_POLICY]);
        let trust = merged_trust(&ec2).expect("CloudTrail added");
        assert_eq!(trust["Statement"][0], ec2["Statement"][0]);
        assert!(trusts_cloudtrail(&trust));
        let inline = merged_inline(&r, GROUP).expect("delivery added");
        assert_eq!(inline["Statement"][0], extra["Statement"][0]);
        assert_eq!(allowed([&inline], GROUP).len(), 2);
    }
}
