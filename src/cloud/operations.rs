//! Every AWS operation behind the port, the IAM actions it needs, and whether watching
//! needs it or only setup (and the alarm reset) does. An access-denied error names
//! the actions to grant from here; the policies in `assets/iam` are checked against
//! this table, and the table against the AWS adapter's code.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// The dashboard, the headless commands and the doctor: reads (and the test read).
    Watch,
    /// `setup` and the alarm reset of an acknowledgement: what changes the account.
    Setup,
}

pub struct Operation {
    pub name: &'static str,
    pub actions: &'static [&'static str],
    pub used_by: Use,
}

const fn op(name: &'static str, actions: &'static [&'static str], used_by: Use) -> Operation {
    Operation {
        name,
        actions,
        used_by,
    }
}

pub const OPERATIONS: &[Operation] = &[
    op("GetCallerIdentity", &["sts:GetCallerIdentity"], Use::Watch),
    op("ListRegions", &["account:ListRegions"], Use::Watch),
    op("ListAccounts", &["organizations:ListAccounts"], Use::Watch),
    op("LookupEvents", &["cloudtrail:LookupEvents"], Use::Watch),
    op("DescribeTrails", &["cloudtrail:DescribeTrails"], Use::Watch),
    op("GetTrailStatus", &["cloudtrail:GetTrailStatus"], Use::Watch),
    op(
        "GetEventSelectors",
        &["cloudtrail:GetEventSelectors"],
        Use::Watch,
    ),
    op("GetMetricData", &["cloudwatch:GetMetricData"], Use::Watch),
    op("DescribeAlarms", &["cloudwatch:DescribeAlarms"], Use::Watch),
    op(
        "DescribeAlarmHistory",
        &["cloudwatch:DescribeAlarmHistory"],
        Use::Watch,
    ),
    op("DescribeLogGroups", &["logs:DescribeLogGroups"], Use::Watch),
    op(
        "DescribeMetricFilters",
        &["logs:DescribeMetricFilters"],
        Use::Watch,
    ),
    op("TestMetricFilter", &["logs:TestMetricFilter"], Use::Watch),
    op("FilterLogEvents", &["logs:FilterLogEvents"], Use::Watch),
    op("StartLiveTail", &["logs:StartLiveTail"], Use::Watch),
    op(
        "GetSecretValue",
        &["secretsmanager:GetSecretValue"],
        Use::Watch,
    ),
    op(
        "DescribeSecret",
        &["secretsmanager:DescribeSecret"],
        Use::Watch,
    ),
    op(
        "GetTopicAttributes",
        &["sns:GetTopicAttributes"],
        Use::Watch,
    ),
    op(
        "ListSubscriptionsByTopic",
        &["sns:ListSubscriptionsByTopic"],
        Use::Watch,
    ),
    // The fast path's queue is secretwatch's own: deleting what it handled changes nothing
    // of the account's, so watching (and --read-only) may.
    op("GetQueueUrl", &["sqs:GetQueueUrl"], Use::Watch),
    op(
        "GetQueueAttributes",
        &["sqs:GetQueueAttributes"],
        Use::Watch,
    ),
    op("DescribeRule", &["events:DescribeRule"], Use::Watch),
    op(
        "ListTargetsByRule",
        &["events:ListTargetsByRule"],
        Use::Watch,
    ),
    op("TestEventPattern", &["events:TestEventPattern"], Use::Watch),
    // The trail's log files, named by the notifications on the trail-file queue.
    op("GetObject", &["s3:GetObject"], Use::Watch),
    // Backfill lists the trail's files of the window by their date prefixes.
    op("ListObjectsV2", &["s3:ListBucket"], Use::Watch),
    op(
        "GetBucketNotificationConfiguration",
        &["s3:GetBucketNotification"],
        Use::Watch,
    ),
    op("ReceiveMessage", &["sqs:ReceiveMessage"], Use::Watch),
    op("DeleteMessageBatch", &["sqs:DeleteMessage"], Use::Watch),
    op("CreateSecret", &["secretsmanager:CreateSecret"], Use::Setup),
    op("HeadBucket", &["s3:ListBucket"], Use::Setup),
    op("CreateBucket", &["s3:CreateBucket"], Use::Setup),
    op("PutBucketPolicy", &["s3:PutBucketPolicy"], Use::Setup),
    // Setup's plan reads the logs role too (create, update or keep), even on a dry run.
    op("GetRole", &["iam:GetRole"], Use::Setup),
    op("ListRolePolicies", &["iam:ListRolePolicies"], Use::Setup),
    op("GetRolePolicy", &["iam:GetRolePolicy"], Use::Setup),
    op("CreateRole", &["iam:CreateRole"], Use::Setup),
    op(
        "UpdateAssumeRolePolicy",
        &["iam:UpdateAssumeRolePolicy"],
        Use::Setup,
    ),
    op("PutRolePolicy", &["iam:PutRolePolicy"], Use::Setup),
    op("CreateLogGroup", &["logs:CreateLogGroup"], Use::Setup),
    op(
        "PutRetentionPolicy",
        &["logs:PutRetentionPolicy"],
        Use::Setup,
    ),
    op("PutMetricFilter", &["logs:PutMetricFilter"], Use::Setup),
    // Giving the trail its logs role passes the role to CloudTrail.
    op(
        "CreateTrail",
        &["cloudtrail:CreateTrail", "iam:PassRole"],
        Use::Setup,
    ),
    op(
        "UpdateTrail",
        &["cloudtrail:UpdateTrail", "iam:PassRole"],
        Use::Setup,
    ),
    op(
        "PutEventSelectors",
        &["cloudtrail:PutEventSelectors"],
        Use::Setup,
    ),
    op("StartLogging", &["cloudtrail:StartLogging"], Use::Setup),
    op("CreateTopic", &["sns:CreateTopic"], Use::Setup),
    op("Subscribe", &["sns:Subscribe"], Use::Setup),
    op("PutMetricAlarm", &["cloudwatch:PutMetricAlarm"], Use::Setup),
    op("SetAlarmState", &["cloudwatch:SetAlarmState"], Use::Setup),
    op("PutRule", &["events:PutRule"], Use::Setup),
    op(
        "PutBucketNotificationConfiguration",
        &["s3:PutBucketNotification"],
        Use::Setup,
    ),
    op("PutTargets", &["events:PutTargets"], Use::Setup),
    op("CreateQueue", &["sqs:CreateQueue"], Use::Setup),
    op(
        "SetQueueAttributes",
        &["sqs:SetQueueAttributes"],
        Use::Setup,
    ),
];

/// The IAM actions `operation` needs, if it is one secretwatch calls.
pub fn iam_actions(operation: &str) -> Option<&'static [&'static str]> {
    OPERATIONS
        .iter()
        .find(|o| o.name == operation)
        .map(|o| o.actions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    /// Operation names as the code spells them: `from_sdk("X"` and `OPERATION: &str = "X"`.
    fn called_in(dir: &Path, found: &mut BTreeSet<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("source dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                called_in(&path, found);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            for marker in ["from_sdk(\"", "OPERATION: &str = \""] {
                for piece in text.split(marker).skip(1) {
                    let name = piece.split('"').next().unwrap_or_default();
                    found.insert((name.to_string(), path.display().to_string()));
                }
            }
        }
    }

    fn policy_actions(file: &str) -> BTreeSet<String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/iam")
            .join(file);
        let text = std::fs::read_to_string(&path).expect("policy file");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("policy JSON");
        let mut actions = BTreeSet::new();
        for statement in doc["Statement"].as_array().expect("statements") {
            assert_eq!(statement["Effect"], "Allow", "{file}: {statement}");
            match &statement["Action"] {
                serde_json::Value::String(a) => {
                    actions.insert(a.clone());
                }
                serde_json::Value::Array(list) => {
                    actions.extend(list.iter().filter_map(|a| a.as_str().map(String::from)))
                }
                other => panic!("{file}: Action {other}"),
            }
        }
        assert!(
            actions.iter().all(|a| !a.contains('*')),
            "{file}: no wildcards"
        );
        actions
    }

    fn actions_for(uses: &[Use]) -> BTreeSet<String> {
        OPERATIONS
            .iter()
            .filter(|o| uses.contains(&o.used_by))
            .flat_map(|o| o.actions.iter().map(|a| a.to_string()))
            .collect()
    }

    #[test]
    fn the_table_names_every_operation_the_code_calls_and_no_other() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cloud/aws");
        let mut found = BTreeSet::new();
        called_in(&dir, &mut found);
        let in_code: BTreeSet<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        let in_table: BTreeSet<&str> = OPERATIONS.iter().map(|o| o.name).collect();
        assert_eq!(in_code, in_table);
        // What changes the account lives in the admin half of the adapter only, which
        // `--read-only` never builds.
        for (name, file) in &found {
            let op = OPERATIONS
                .iter()
                .find(|o| o.name == name)
                .expect("in table");
            if op.used_by == Use::Setup {
                assert!(file.contains("/admin/"), "{name} in {file}: outside admin");
            }
        }
    }

    #[test]
    fn the_policies_list_exactly_the_actions_the_code_calls() {
        assert_eq!(
            policy_actions("monitor-policy.json"),
            actions_for(&[Use::Watch])
        );
        assert_eq!(
            policy_actions("setup-policy.json"),
            actions_for(&[Use::Watch, Use::Setup])
        );
    }
}
