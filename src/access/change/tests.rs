//! Changes read from hostile and real-shaped request parameters.

use super::*;
use serde_json::json;

const OURS: &str = "111122223333";

fn put_policy(policy: &str) -> Value {
    json!({ "requestParameters": { "secretId": "prod", "resourcePolicy": policy } })
}

fn flags(record: &Value) -> Vec<Flag> {
    change_of("PutResourcePolicy", record, OURS, true)
        .map(|c| c.flags)
        .unwrap_or_default()
}

#[test]
fn a_policy_for_another_account_or_anyone_is_flagged_and_ours_is_not() {
    let ours = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}}"#;
    assert!(flags(&put_policy(ours)).is_empty());
    let theirs = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/app","444455556666"]},"Action":"*"},{"Effect":"Deny","Principal":"*","Action":"*"}]}"#;
    assert_eq!(
        flags(&put_policy(theirs)),
        vec![Flag::OutsideAccount {
            grantee: "444455556666".into()
        }]
    );
    let anyone = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}},{"Effect":"Allow","NotPrincipal":{"AWS":"x"},"Action":"*"}]}"#;
    assert_eq!(
        flags(&put_policy(anyone)),
        vec![
            Flag::Public { conditions: true },
            Flag::Public { conditions: false }
        ]
    );
}

#[test]
fn a_refused_call_changed_nothing_and_flags_nothing() {
    let theirs = r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*"}}"#;
    let change = change_of("PutResourcePolicy", &put_policy(theirs), OURS, false);
    assert_eq!(change.map(|c| c.flags), Some(vec![]));
}

#[test]
fn replication_names_each_new_region_whichever_case_the_server_records() {
    let aws = json!({"requestParameters": {"secretId": "prod", "addReplicaRegions": [{"region": "ap-south-1"}, {"region": "eu-central-1", "kmsKeyId": "k"}]}});
    let wire = json!({"requestParameters": {"SecretId": "prod", "AddReplicaRegions": [{"Region": "ap-south-1"}]}});
    let regions = |r: &Value| {
        change_of("ReplicateSecretToRegions", r, OURS, true)
            .map(|c| c.flags)
            .unwrap_or_default()
    };
    assert_eq!(regions(&aws).len(), 2);
    assert_eq!(
        regions(&wire),
        vec![Flag::NewRegion {
            region: "ap-south-1".into()
        }]
    );
}

#[test]
fn values_are_never_kept_only_the_names_of_what_was_set() {
    let record = json!({"requestParameters": {"secretId": "prod", "secretString": "hunter2", "kmsKeyId": "alias/x", "tags": [{"key": "team", "value": "s3cr3t"}]}});
    for name in [
        "UpdateSecret",
        "PutSecretValue",
        "TagResource",
        "RotateSecret",
    ] {
        let change = change_of(name, &record, OURS, true).expect("a change");
        let text = format!("{change:?}");
        assert!(
            !text.contains("hunter2") && !text.contains("s3cr3t"),
            "{name}: {text}"
        );
    }
    let update = change_of("UpdateSecret", &record, OURS, true).expect("a change");
    assert!(update.detail.contains("secretString") && update.detail.contains("kmsKeyId"));
}

#[test]
fn hostile_input_is_a_change_without_flags_never_a_panic() {
    let hostile = [
        json!(null),
        json!({"requestParameters": 7}),
        json!({"requestParameters": {"resourcePolicy": "{not json"}}),
        json!({"requestParameters": {"resourcePolicy": {"Statement": "x"}}}),
        json!({"requestParameters": {"resourcePolicy": {"Statement": [{"Effect": 1, "Principal": [1]}]}}}),
        json!({"requestParameters": {"addReplicaRegions": "everywhere", "tags": {"a": 1}}}),
    ];
    for record in &hostile {
        for name in crate::cloud::types::CHANGES {
            let change =
                change_of(name, record, OURS, true).expect("every change name is a change");
            assert!(change.flags.is_empty(), "{name} {record}");
        }
    }
    assert!(change_of("GetSecretValue", &hostile[0], OURS, true).is_none());
    let many: Vec<Value> = (0..100)
        .map(|i| json!({"Effect": "Allow", "Principal": {"AWS": format!("{:012}", i)}}))
        .collect();
    let policy = json!({ "Statement": many }).to_string();
    assert_eq!(flags(&put_policy(&policy)).len(), MAX_FLAGS);
}
