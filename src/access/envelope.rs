//! An EventBridge "AWS API Call via CloudTrail" event, as a queue delivers it: the envelope
//! around one CloudTrail record (its `detail`). Untrusted: a bad message is an error that
//! names what is wrong, never a panic.

use crate::cloud::types::TrailRecord;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The largest message body SQS delivers (256 KiB), with room for its own escaping.
pub const MAX_ENVELOPE_BYTES: usize = 512 * 1024;

/// Why a message is not a CloudTrail record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("the message is {0} bytes, more than an EventBridge event can be")]
    TooLarge(usize),
    #[error("the message is not JSON: {0}")]
    NotJson(String),
    #[error("the event is `{0}`, not \"AWS API Call via CloudTrail\"")]
    NotAnApiCall(String),
    #[error("the event has no CloudTrail record in `detail`")]
    NoDetail,
    #[error("the CloudTrail record has no eventTime")]
    NoTime,
}

/// The CloudTrail record inside an EventBridge envelope, as LookupEvents would give it, so
/// that the same parser reads both.
pub fn record_from_envelope(body: &str) -> Result<TrailRecord, EnvelopeError> {
    if body.len() > MAX_ENVELOPE_BYTES {
        return Err(EnvelopeError::TooLarge(body.len()));
    }
    let envelope: Value =
        serde_json::from_str(body).map_err(|e| EnvelopeError::NotJson(e.to_string()))?;
    let kind = envelope
        .get("detail-type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if kind != "AWS API Call via CloudTrail" {
        return Err(EnvelopeError::NotAnApiCall(
            kind.chars().take(100).collect(),
        ));
    }
    let detail = envelope
        .get("detail")
        .filter(|d| d.is_object())
        .ok_or(EnvelopeError::NoDetail)?;
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let event_time = [text(detail, "eventTime"), text(&envelope, "time")]
        .iter()
        .find_map(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or(EnvelopeError::NoTime)?;
    Ok(TrailRecord {
        event_id: text(detail, "eventID"),
        event_time,
        event_name: text(detail, "eventName"),
        event_source: text(detail, "eventSource"),
        cloudtrail_event: detail.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::parse_access_event;

    /// A record as CloudTrail writes it, in the envelope EventBridge puts around it.
    fn envelope(detail: &str) -> String {
        format!(
            r#"{{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"AWS API Call via CloudTrail","source":"aws.secretsmanager","account":"111122223333","time":"2026-12-01T09:00:07Z","region":"eu-west-1","resources":[],"detail":{detail}}}"#
        )
    }

    const DETAIL: &str = r#"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/app/i-0ab","accountId":"111122223333"},"eventTime":"2026-12-01T09:00:05Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"eu-west-1","sourceIPAddress":"10.0.1.2","userAgent":"aws-sdk-go-v2/1.21.0","requestParameters":{"secretId":"prod-db"},"eventID":"c1d2","readOnly":true,"recipientAccountId":"111122223333"}"#;

    #[test]
    fn the_detail_reads_as_a_lookup_record_would() {
        let record = record_from_envelope(&envelope(DETAIL)).expect("a record");
        assert_eq!(record.event_id, "c1d2");
        assert_eq!(record.event_name, "GetSecretValue");
        assert_eq!(record.event_source, "secretsmanager.amazonaws.com");
        assert_eq!(record.event_time.to_rfc3339(), "2026-12-01T09:00:05+00:00");
        let e = parse_access_event(&record);
        assert_eq!(&*e.secret, "prod-db");
        assert_eq!(e.principal_shown(), "role/app/i-0ab");
        assert_eq!(&*e.source_ip, "10.0.1.2");
    }

    #[test]
    fn what_is_not_an_api_call_record_is_named() {
        assert!(matches!(
            record_from_envelope("not json"),
            Err(EnvelopeError::NotJson(_))
        ));
        let scheduled = envelope(DETAIL).replace("AWS API Call via CloudTrail", "Scheduled Event");
        assert_eq!(
            record_from_envelope(&scheduled),
            Err(EnvelopeError::NotAnApiCall("Scheduled Event".into()))
        );
        assert_eq!(
            record_from_envelope(&envelope("\"text\"")),
            Err(EnvelopeError::NoDetail)
        );
        let no_time =
            envelope(&DETAIL.replace("\"eventTime\"", "\"other\"")).replace("\"time\"", "\"when\"");
        assert_eq!(record_from_envelope(&no_time), Err(EnvelopeError::NoTime));
        let huge = " ".repeat(MAX_ENVELOPE_BYTES + 1);
        assert!(matches!(
            record_from_envelope(&huge),
            Err(EnvelopeError::TooLarge(_))
        ));
    }
}
