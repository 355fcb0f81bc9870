//! `status` over the embedded organization: a member account whose events the organization
//! trail carries has no alarm of its own, and is told where its chain lives, not "none".

use super::over_the_demo;
use serde_json::Value;

#[test]
fn status_says_where_a_members_chain_lives() {
    let text = over_the_demo(&["status", "--organization"]);
    let member = text
        .split("scope     ")
        .find(|s| s.starts_with("456789012345 in us-east-1"))
        .unwrap_or_else(|| panic!("the member logistics in:\n{text}"));
    assert!(
        member.contains(
            "  alarm   not in this account: the organization trail delivers its events to \
             account 123456789012 (us-east-1), where its chain lives"
        ),
        "{text}"
    );
    assert!(!text.contains("none in this scope"), "{text}");

    let json: Value = serde_json::from_str(&over_the_demo(&["status", "--json", "--organization"]))
        .expect("JSON");
    assert_eq!(
        json["chain_in"],
        Value::Null,
        "the management account's own"
    );
    let scopes = json["scopes"].as_array().expect("scopes");
    let chain_in = |account: &str| {
        let scope = scopes.iter().find(|s| s["account"] == account);
        scope.unwrap_or_else(|| panic!("{account} in {json}"))["chain_in"].clone()
    };
    assert_eq!(
        chain_in("456789012345"),
        serde_json::json!({"account": "123456789012", "region": "us-east-1"})
    );
    assert_eq!(
        chain_in("210987654321"),
        Value::Null,
        "payments has its own"
    );
}
