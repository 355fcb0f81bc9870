//! Turning an untrusted CloudTrail record into an [`AccessEvent`].

use serde_json::Value;

use super::{AccessEvent, ClientKind, Outcome};
use crate::cloud::types::TrailRecord;

/// Longest string kept from any single field, in bytes.
const MAX_FIELD_BYTES: usize = 4096;
/// Longest raw event kept for the detail view: CloudTrail's own limit for one event.
const MAX_RAW_BYTES: usize = 256 * 1024;

/// Never fails and never panics: every field of the record is untrusted. Missing or malformed
/// fields become "" (or the value from the indexed record fields), the raw JSON is kept verbatim
/// up to CloudTrail's own size limit for an event.
pub fn parse_access_event(record: &TrailRecord) -> AccessEvent {
    // serde_json bounds nesting depth, so hostile input yields Err, not a stack overflow.
    let json: Value = serde_json::from_str(&record.cloudtrail_event).unwrap_or(Value::Null);
    let field = |path: &[&str]| text(at(&json, path));
    let identity = |key: &str| field(&["userIdentity", key]);

    let event_id = first_non_empty([cap(&record.event_id), field(&["eventID"])]);
    let event_name = first_non_empty([cap(&record.event_name), field(&["eventName"])]);
    // CloudTrail writes `secretId`; some AWS-compatible servers keep the wire name `SecretId`.
    let secret = first_non_empty([
        field(&["requestParameters", "secretId"]),
        field(&["requestParameters", "SecretId"]),
        // CreateSecret names the secret it makes.
        field(&["requestParameters", "name"]),
        field(&["requestParameters", "Name"]),
        first_arn(&json),
    ]);
    let principal = first_non_empty([
        identity("arn"),
        identity("principalId"),
        identity("invokedBy"),
        identity("type"),
    ]);
    let user_agent = field(&["userAgent"]);
    let from_console = [
        &[
            "userIdentity",
            "sessionContext",
            "attributes",
            "sessionCredentialFromConsole",
        ][..],
        &["sessionCredentialFromConsole"][..],
    ]
    .iter()
    .any(|path| field(path).trim().eq_ignore_ascii_case("true"));
    let error_code = field(&["errorCode"]);
    let outcome = if error_code.trim().is_empty() {
        Outcome::Success
    } else {
        Outcome::Error(error_code.into())
    };

    let account = field(&["recipientAccountId"]);
    let change =
        super::change::change_of(&event_name, &json, &account, outcome == Outcome::Success)
            .map(std::sync::Arc::new);
    AccessEvent {
        event_id: event_id.into(),
        time: record.event_time,
        event_name: event_name.into(),
        secret: secret.into(),
        principal: principal.into(),
        principal_type: identity("type").into(),
        source_ip: field(&["sourceIPAddress"]).into(),
        client: ClientKind::classify(&user_agent, from_console),
        user_agent: user_agent.into(),
        outcome,
        region: field(&["awsRegion"]).into(),
        account: account.into(),
        principal_account: first_non_empty([identity("accountId"), arn_account(&identity("arn"))])
            .into(),
        seen_by: super::SeenBy::Lookup,
        received_at: None,
        raw: Some(cut(&record.cloudtrail_event, MAX_RAW_BYTES).into()),
        first_seen: Default::default(),
        change,
    }
}

/// The value at `path` through nested objects; `None` when any step is missing or not an object.
fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter()
        .try_fold(value, |v, key| v.as_object()?.get(*key))
}

/// Scalars as text (capped); null, objects, arrays and absent values as "".
fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => cap(s),
        Some(Value::Number(n)) => cap(&n.to_string()),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The account field of an ARN (`arn:aws:iam::ACCOUNT:…`), or "".
fn arn_account(arn: &str) -> String {
    arn.split(':')
        .nth(4)
        .filter(|_| arn.starts_with("arn:"))
        .unwrap_or_default()
        .to_string()
}

/// The first non-empty `resources[].ARN`, or "".
fn first_arn(json: &Value) -> String {
    at(json, &["resources"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| text(at(r, &["ARN"])))
        .find(|arn| !arn.is_empty())
        .unwrap_or_default()
}

fn first_non_empty<const N: usize>(candidates: [String; N]) -> String {
    candidates
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_default()
}

/// At most [`MAX_FIELD_BYTES`] bytes of `s`, cut on a char boundary.
fn cap(s: &str) -> String {
    cut(s, MAX_FIELD_BYTES)
}

/// At most `max` bytes of `s`, cut on a char boundary.
fn cut(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone, Utc};

    fn when() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 5)
            .single()
            .unwrap_or_default()
    }

    fn record(id: &str, name: &str, json: &str) -> TrailRecord {
        TrailRecord {
            event_id: id.into(),
            event_time: when(),
            event_name: name.into(),
            event_source: "secretsmanager.amazonaws.com".into(),
            cloudtrail_event: json.into(),
        }
    }

    fn parse(json: &str) -> AccessEvent {
        parse_access_event(&record("", "", json))
    }

    const CLI_EVENT: &str = r#"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE123","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE","userName":"alice"},"eventTime":"2024-03-01T12:00:05Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/secretsmanager.get-secret-value","requestParameters":{"secretId":"prod/db/password"},"responseElements":null,"requestID":"5f0e-11","eventID":"a1b2c3d4-0000-1111-2222-333344445555","readOnly":true,"resources":[{"accountId":"111122223333","type":"AWS::SecretsManager::Secret","ARN":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db/password-AbCdEf"}],"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","clientProvidedHostHeader":"secretsmanager.eu-west-1.amazonaws.com"}}"#;

    #[test]
    fn full_cli_event() {
        let e = parse_access_event(&record("indexed-id", "GetSecretValue", CLI_EVENT));
        assert_eq!(&*e.event_id, "indexed-id");
        assert_eq!(e.time, when());
        assert_eq!(&*e.event_name, "GetSecretValue");
        assert_eq!(&*e.secret, "prod/db/password");
        assert_eq!(&*e.principal, "arn:aws:iam::111122223333:user/alice");
        assert_eq!(&*e.principal_type, "IAMUser");
        assert_eq!(&*e.source_ip, "203.0.113.7");
        assert!(e.user_agent.starts_with("aws-cli/2.15.30"));
        assert_eq!(e.client, ClientKind::Cli);
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(&*e.region, "eu-west-1");
        assert_eq!(e.raw.as_deref(), Some(CLI_EVENT));
        // Indexed fields empty: fall back to the JSON.
        let e = parse(CLI_EVENT);
        assert_eq!(&*e.event_id, "a1b2c3d4-0000-1111-2222-333344445555");
        assert_eq!(&*e.event_name, "GetSecretValue");
    }

    /// A role of another account reads the secret: the caller's account is not the one the
    /// call landed in, and the principal as shown names it first.
    #[test]
    fn a_reader_from_another_account_is_marked_with_its_account() {
        let local = parse(CLI_EVENT);
        assert_eq!(&*local.account, "111122223333");
        assert_eq!(&*local.principal_account, "111122223333");
        assert_eq!(local.other_account(), None);
        assert_eq!(local.principal_shown(), "user/alice");

        let json = r#"{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::444455556666:assumed-role/billing/i-0ab"},"recipientAccountId":"111122223333","eventName":"GetSecretValue","requestParameters":{"secretId":"prod-db-password"}}"#;
        let e = parse(json);
        assert_eq!(&*e.principal_account, "444455556666", "from the ARN");
        assert_eq!(e.other_account(), Some("444455556666"));
        assert_eq!(e.principal_shown(), "@444455556666 role/billing/i-0ab");
        let out = serde_json::to_value(&e).expect("JSON");
        assert_eq!(out["cross_account"], true);
        assert_eq!(out["principal_account"], "444455556666");
        assert_eq!(out["account"], "111122223333");

        // An AWS service has no account; a record without recipientAccountId cannot tell.
        let service = parse(
            r#"{"userIdentity":{"type":"AWSService","invokedBy":"lambda.amazonaws.com"},"recipientAccountId":"111122223333"}"#,
        );
        assert_eq!(service.other_account(), None);
        let unknown = parse(
            r#"{"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::444455556666:user/x"}}"#,
        );
        assert_eq!(unknown.other_account(), None);
    }

    #[test]
    fn assumed_role_sdk_with_resources_only() {
        let json = r#"{"userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:i-0abc","arn":"arn:aws:sts::111122223333:assumed-role/app-role/i-0abc","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/app-role"},"attributes":{"creationDate":"2024-03-01T11:00:00Z","mfaAuthenticated":"false"}}},"eventName":"GetSecretValue","awsRegion":"us-east-1","sourceIPAddress":"10.0.1.23","userAgent":"aws-sdk-go-v2/1.21.0 os/linux lang/go#1.21 md/GOOS#linux","requestParameters":{"versionStage":"AWSCURRENT"},"resources":[{"type":"x"},{"ARN":"arn:aws:secretsmanager:us-east-1:111122223333:secret:api-key-Xy12Zz"}]}"#;
        let e = parse(json);
        assert_eq!(
            &*e.principal,
            "arn:aws:sts::111122223333:assumed-role/app-role/i-0abc"
        );
        assert_eq!(&*e.principal_type, "AssumedRole");
        assert_eq!(e.client, ClientKind::Sdk { language: "go" });
        assert_eq!(
            &*e.secret,
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:api-key-Xy12Zz"
        );
    }

    #[test]
    fn access_denied() {
        let json = r#"{"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/mallory"},"eventName":"GetSecretValue","errorCode":"AccessDenied","errorMessage":"User: arn:aws:iam::111122223333:user/mallory is not authorized to perform: secretsmanager:GetSecretValue","requestParameters":{"secretId":"prod/db/password"},"userAgent":"Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux lang/python#3.12.1"}"#;
        let e = parse(json);
        assert_eq!(e.outcome, Outcome::Error("AccessDenied".into()));
        assert_eq!(e.client, ClientKind::Sdk { language: "python" });
        assert_eq!(parse(r#"{"errorCode":""}"#).outcome, Outcome::Success);
        assert_eq!(parse(r#"{"errorCode":null}"#).outcome, Outcome::Success);
    }

    #[test]
    fn console_flags() {
        let nested = r#"{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/Admin/bob","sessionContext":{"attributes":{"sessionCredentialFromConsole":"true"}}},"userAgent":"AWS Internal"}"#;
        assert_eq!(parse(nested).client, ClientKind::Console);
        let top = r#"{"userIdentity":{"type":"IAMUser"},"sessionCredentialFromConsole":"true","userAgent":""}"#;
        assert_eq!(parse(top).client, ClientKind::Console);
        let off = r#"{"sessionCredentialFromConsole":"false","userAgent":"AWS Internal"}"#;
        assert_eq!(parse(off).client, ClientKind::AwsService);
    }

    #[test]
    fn malformed_json_never_panics() {
        let deep = "[".repeat(100_000);
        let inputs = [
            "{not json",
            "",
            "null",
            "[]",
            "\"str\"",
            "42",
            "{\"userIdentity\":{\"arn\":\"ar",
            &deep,
        ];
        for input in inputs {
            let e = parse_access_event(&record("id-1", "GetSecretValue", input));
            assert_eq!(&*e.event_id, "id-1");
            assert_eq!(&*e.event_name, "GetSecretValue");
            assert_eq!(e.time, when());
            assert_eq!(&*e.secret, "");
            assert_eq!(&*e.principal, "");
            assert_eq!(e.client, ClientKind::Other);
            assert_eq!(e.outcome, Outcome::Success);
            assert_eq!(e.raw.as_deref(), Some(input));
        }
    }

    #[test]
    fn wrong_types_and_missing_identity() {
        let json = r#"{"userIdentity":"root","requestParameters":{"secretId":12345},"sourceIPAddress":true,"awsRegion":["eu"],"userAgent":{"x":1},"errorCode":403,"eventID":7.5,"resources":"nope"}"#;
        let e = parse(json);
        assert_eq!(&*e.secret, "12345");
        assert_eq!(&*e.source_ip, "true");
        assert_eq!(&*e.region, "");
        assert_eq!(&*e.user_agent, "");
        assert_eq!(e.outcome, Outcome::Error("403".into()));
        assert_eq!(&*e.event_id, "7.5");
        assert_eq!((&*e.principal, &*e.principal_type), ("", ""));
        // Principal fallbacks.
        let svc =
            parse(r#"{"userIdentity":{"type":"AWSService","invokedBy":"lambda.amazonaws.com"}}"#);
        assert_eq!(&*svc.principal, "lambda.amazonaws.com");
        let pid = parse(r#"{"userIdentity":{"type":"Unknown","arn":"","principalId":"AIDA1"}}"#);
        assert_eq!(&*pid.principal, "AIDA1");
        assert_eq!(
            &*parse(r#"{"userIdentity":{"type":"Root"}}"#).principal,
            "Root"
        );
        assert_eq!(&*parse(r#"{"resources":[{"ARN":{}}, 3, null]}"#).secret, "");
    }

    #[test]
    fn huge_fields_are_capped_on_char_boundary() {
        let big = format!("a{}", "é".repeat(10_000));
        let json = format!(r#"{{"userAgent":"{big}","requestParameters":{{"secretId":"{big}"}}}}"#);
        let e = parse_access_event(&record(&big, "", &json));
        for s in [&e.user_agent, &e.secret, &e.event_id] {
            assert!(s.len() <= MAX_FIELD_BYTES && s.len() > MAX_FIELD_BYTES - 4);
            assert!(big.starts_with(&**s));
        }
        assert_eq!(e.raw.as_deref(), Some(json.as_str()));
        assert_eq!(cap("short"), "short");
        let absurd = format!(r#"{{"userAgent":"{}"}}"#, "é".repeat(MAX_RAW_BYTES));
        let e = parse(&absurd);
        let raw = e.raw.as_deref().unwrap_or_default();
        assert!(raw.len() <= MAX_RAW_BYTES && absurd.starts_with(raw));
    }

    #[test]
    fn control_characters_kept_verbatim() {
        let json = r#"{"userAgent":"evil\u001b[2J\u0007\u202e","requestParameters":{"secretId":"a\nb\u0000"}}"#;
        let e = parse(json);
        assert_eq!(&*e.user_agent, "evil\u{1b}[2J\u{7}\u{202e}");
        assert_eq!(&*e.secret, "a\nb\u{0}");
    }
}
