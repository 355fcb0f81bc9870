//! CloudTrail records as the embedded account writes them: the same fields
//! and shapes as real GetSecretValue (and other management) events.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

/// Who called what, from where: everything a CloudTrail record needs.
#[derive(Debug, Clone)]
pub struct CallSpec {
    pub event_name: String,
    pub event_source: String,
    pub read_only: bool,
    pub principal_arn: String,
    pub principal_type: String,
    pub username: String,
    pub source_ip: String,
    pub user_agent: String,
    pub from_console: bool,
    /// `requestParameters.secretId`, as the caller passed it.
    pub secret_id: Option<String>,
    /// The secret's ARN when it resolved.
    pub secret_arn: Option<String>,
    pub error: Option<(String, String)>,
}

pub struct RecordIds<'a> {
    pub event_id: &'a str,
    pub request_id: &'a str,
    pub account: &'a str,
    pub region: &'a str,
}

pub fn cloudtrail_event(spec: &CallSpec, ids: &RecordIds<'_>, time: DateTime<Utc>) -> Value {
    let stamp = time.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut identity = json!({
        "type": spec.principal_type,
        "principalId": key_like("AIDA", ids.event_id),
        "arn": spec.principal_arn,
        "accountId": ids.account,
        "accessKeyId": key_like("ASIA", ids.request_id),
    });
    if spec.principal_type == "IAMUser" {
        identity["userName"] = json!(spec.username);
    }
    identity["sessionContext"] = json!({
        "attributes": { "creationDate": stamp, "mfaAuthenticated": if spec.from_console { "true" } else { "false" } }
    });
    let mut event = json!({
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": stamp,
        "eventSource": spec.event_source,
        "eventName": spec.event_name,
        "awsRegion": ids.region,
        "sourceIPAddress": spec.source_ip,
        "userAgent": spec.user_agent,
        "requestParameters": spec.secret_id.as_ref().map(|id| json!({ "secretId": id })),
        "responseElements": Value::Null,
        "requestID": ids.request_id,
        "eventID": ids.event_id,
        "readOnly": spec.read_only,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": ids.account,
        "eventCategory": "Management",
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": format!("{}.{}.amazonaws.com", spec.event_source.split('.').next().unwrap_or("aws"), ids.region),
        },
    });
    if let Some(arn) = &spec.secret_arn {
        event["resources"] = json!([{
            "accountId": ids.account,
            "type": "AWS::SecretsManager::Secret",
            "ARN": arn,
        }]);
    }
    if let Some((code, message)) = &spec.error {
        event["errorCode"] = json!(code);
        event["errorMessage"] = json!(message);
    }
    if spec.from_console {
        event["sessionCredentialFromConsole"] = json!("true");
    }
    event
}

/// An IAM-style identifier (`AIDA…`, `ASIA…`) derived from a random id.
fn key_like(prefix: &str, seed: &str) -> String {
    let body: String = seed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    format!("{prefix}{}", body.to_uppercase())
}
