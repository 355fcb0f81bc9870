//! CloudTrail records as the benchmarks feed them: GetSecretValue events of three
//! principals, about 1.2 KB each, 37 ms apart from a fixed start.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use secretwatch::cloud::types::TrailRecord;

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .expect("valid")
}

/// A GetSecretValue event as CloudTrail writes it (about 1.2 KB), the `i`-th of a day.
pub fn record(i: usize) -> TrailRecord {
    let principals = [
        (
            "IAMUser",
            "arn:aws:iam::123456789012:user/alice",
            "aws-cli/2.22.4 Python/3.12.6 Linux/6.1 exe/x86_64 prompt/off command/secretsmanager.get-secret-value",
        ),
        (
            "AssumedRole",
            "arn:aws:sts::123456789012:assumed-role/billing-service/i-0a1b2c3d4e5f",
            "aws-sdk-java/2.25.11 Linux/6.1 OpenJDK_64-Bit_Server_VM/21.0.2 Java/21.0.2 md/internal",
        ),
        (
            "IAMUser",
            "arn:aws:iam::123456789012:user/bob",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15",
        ),
    ];
    let (kind, arn, agent) = principals[i % principals.len()];
    let time = start() + TimeDelta::milliseconds(i as i64 * 37);
    let id = format!("{:08x}-3af6-4330-aefb-{:012x}", i, i * 7919);
    let json = format!(
        r#"{{"eventVersion":"1.09","userIdentity":{{"type":"{kind}","principalId":"AIDAEXAMPLE{i}","arn":"{arn}","accountId":"123456789012","accessKeyId":"AKIAEXAMPLE","userName":"alice"}},"eventTime":"{}","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.{}","userAgent":"{agent}","requestParameters":{{"secretId":"TopSecretInfo"}},"responseElements":null,"requestID":"5f0e-{i}","eventID":"{id}","readOnly":true,"resources":[{{"accountId":"123456789012","type":"AWS::SecretsManager::Secret","ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:TopSecretInfo-AbCdEf"}}],"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management","tlsDetails":{{"tlsVersion":"TLSv1.3","clientProvidedHostHeader":"secretsmanager.us-east-1.amazonaws.com"}}}}"#,
        time.format("%Y-%m-%dT%H:%M:%SZ"),
        i % 250,
    );
    TrailRecord {
        event_id: id,
        event_time: time,
        event_name: "GetSecretValue".into(),
        event_source: "secretsmanager.amazonaws.com".into(),
        cloudtrail_event: json,
    }
}
