use super::*;

#[test]
fn secret_read_pattern_matches_get_secret_value_only() {
    let pattern = p(SECRET_READS);
    assert!(pattern.matches(&cloudtrail("GetSecretValue")));
    assert!(!pattern.matches(&cloudtrail("DescribeSecret")));
    let mut other_service = cloudtrail("GetSecretValue");
    other_service["eventSource"] = json!("ssm.amazonaws.com");
    assert!(!pattern.matches(&other_service));
    assert!(!pattern.matches(&json!({})));
    assert!(!pattern.matches(&json!("GetSecretValue")));
}

#[test]
fn wildcards() {
    let cases = r#"
        + $.eventName = "Get*"
        + $.eventName = "*Value"
        + $.eventName = "*Secret*"
        + $.eventName = "Get*Value"
        + $.eventName = "G*t*V*e"
        + $.eventName = "*"
        + $.eventName = "**"
        + $.eventName = "GetSecretValue*"
        + $.eventName = "*GetSecretValue"
        - $.eventName = "Describe*"
        - $.eventName = "*Secret"
        - $.eventName = "GetSecretValue?"
        - $.eventName = "GetS*tS*Value"
        - $.eventName = "getsecretvalue"
        - $.eventName = "GetSecretValueX*"
        - $.latencyMs = "*"
        - $.responseElements = "*"
    "#;
    table(&cloudtrail("GetSecretValue"), cases);
    // Prefix and suffix must not overlap: "ab*ba" needs at least 4 characters.
    table(&json!({"a": "aba"}), r#"- $.a = "ab*ba""#);
    table(&json!({"a": "abba"}), r#"+ $.a = "ab*ba""#);
    table(&json!({"a": ""}), "+ $.a = \"*\" \n + $.a = \"\"");
    table(&json!({"a": "x"}), r#"- $.a = """#);
}

#[test]
fn not_equal() {
    let cases = r#"
        + $.eventName != "GetSecretValue"
        - $.eventName != "Describe*"
        - $.nope != "GetSecretValue"
        - $.latencyMs != "x"
        - $.responseElements != "x"
        + $.latencyMs != 41
        - $.latencyMs != 42
        - $.nope != 42
        - $.eventVersion != 42
    "#;
    // A missing field, or one of the wrong type, never matches, even for `!=`.
    table(&cloudtrail("DescribeSecret"), cases);
}

#[test]
fn numbers() {
    let cases = r#"
        + $.latencyMs = 42
        + $.latencyMs = 42.0
        + $.latencyMs = 42.
        + $.latencyMs = 4.2e1
        + $.latencyMs = 4200E-2
        + $.latencyMs = 0.42e+2
        - $.latencyMs = 43
        + $.latencyMs < 43
        - $.latencyMs < 42
        + $.latencyMs <= 42
        + $.latencyMs > 41.5
        - $.latencyMs > 42
        + $.latencyMs >= 42
        - $.latencyMs >= 1e3
        + $.score = -1.5
        + $.score < -1
        - $.score > -.5
        + $.score<=-1.5
        - $.eventVersion = 1.08
        - $.eventVersion < 2
        + $.eventVersion = "1.08"
        - $.latencyMs = "42"
        - $.readOnly = 1
        - $.nope > 0
    "#;
    // A string field never matches a number, nor a number field a string.
    table(&cloudtrail("GetSecretValue"), cases);
    table(&json!({"big": u64::MAX}), "+ $.big = 18446744073709551615");
}

#[test]
fn nested_selectors_and_array_index() {
    let cases = r#"
        + $.requestParameters.secretId = "prod/*"
        + $.userIdentity.sessionContext.sessionIssuer.userName = "app"
        + $.resources[0].ARN = "*:secret:prod/db"
        - $.resources[1].ARN = "*"
        - $.resources.ARN = "*"
        - $.eventName[0] = "*"
    "#;
    table(&cloudtrail("GetSecretValue"), cases);
    let grid = json!({"m": [[1, 2], [3, 4]], "under_score-dash": {"x9": "y"}});
    table(
        &grid,
        "+ $.m[1][0] = 3 \n + $.under_score-dash.x9 = y \n - $.m[0][2] = 3",
    );
}

#[test]
fn missing_fields_never_match() {
    let cases = r#"
        - $.missing = "*"
        - $.missing != "x"
        - $.missing = 1
        - $.missing != 1
        - $.missing < 1
        - $.eventName.deeper = "*"
        - $.userIdentity = "*"
        - $.responseElements = "*"
        - $.responseElements.x != "y"
    "#;
    table(&cloudtrail("GetSecretValue"), cases);
}

/// The checks after a selector, `%regex%` values, and text patterns, as CloudWatch Logs
/// documents them: what people write, which the evaluator used to refuse.
#[test]
fn checks_regexes_and_text_patterns() {
    let denied = json!({
        "eventName": "GetSecretValue", "errorCode": "AccessDenied", "readOnly": true,
        "requestParameters": null
    });
    table(
        &denied,
        r#"
        + $.requestParameters IS NULL
        - $.errorCode IS NULL
        + $.missing NOT EXISTS
        - $.errorCode NOT EXISTS
        + $.readOnly IS TRUE
        - $.readOnly IS FALSE
        + $.eventName = %Get\w+Value%
        - $.eventName = %^Put%
        + $.eventName != %^Put%
        + $.errorCode is null || $.errorCode = "AccessDenied"
    "#,
    );
    let text = denied.to_string();
    for (pattern, expected) in [
        ("GetSecretValue", true),
        ("\"GetSecretValue\"", true),
        ("GetSecretValue AccessDenied", true),
        ("GetSecretValue PutSecretValue", false),
        ("?PutSecretValue ?GetSecretValue", true),
        ("?PutSecretValue ?DeleteSecret", false),
        ("GetSecretValue -AccessDenied", false),
        ("%Get[A-Z][a-z]+Value%", true),
        ("getsecretvalue", false),
    ] {
        assert_eq!(p(pattern).matches_text(&text), expected, "{pattern}");
        assert_eq!(p(pattern).matches(&denied), expected, "{pattern} over JSON");
    }
}
