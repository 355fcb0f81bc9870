//! Where new trail log files are, from the message that announced them on a queue:
//! CloudTrail's own notification (`{"s3Bucket": …, "s3ObjectKey": […]}`), delivered by SNS
//! in its envelope (`{"Type": "Notification", "Message": "<that JSON, as a string>"}`) or
//! raw; or S3's event notification (`{"Records": [{"s3": {"bucket": {"name"}, "object":
//! {"key"}}}]}`, keys URL-encoded), whose test event names no file. Only CloudTrail log
//! files are kept (`AWSLogs/…/CloudTrail/…json.gz`): digest files and anything else written
//! to the bucket are not. Untrusted: a bad message is an error naming what is wrong.

use serde_json::Value;

/// The largest message body SQS delivers (256 KiB), with room for its own escaping.
pub const MAX_NOTIFICATION_BYTES: usize = 512 * 1024;

/// A log file in a bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LogFileRef {
    pub bucket: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    #[error("the message is {0} bytes, more than a notification can be")]
    TooLarge(usize),
    #[error("the message is not JSON: {0}")]
    NotJson(String),
    #[error("the message names no bucket and key of a CloudTrail notification or S3 event")]
    NotANotification,
}

/// The CloudTrail log files a message announces (none for S3's test event or a file that
/// is not a log file).
pub fn log_files(body: &str) -> Result<Vec<LogFileRef>, NotificationError> {
    if body.len() > MAX_NOTIFICATION_BYTES {
        return Err(NotificationError::TooLarge(body.len()));
    }
    let message: Value =
        serde_json::from_str(body).map_err(|e| NotificationError::NotJson(e.to_string()))?;
    // SNS's envelope around the notification, unless raw delivery is on.
    let message = match (message.get("Type"), message.get("Message")) {
        (Some(Value::String(kind)), Some(Value::String(inner))) if kind == "Notification" => {
            serde_json::from_str(inner).map_err(|e| NotificationError::NotJson(e.to_string()))?
        }
        _ => message,
    };
    let files = if let Some(bucket) = message.get("s3Bucket").and_then(Value::as_str) {
        let keys = message
            .get("s3ObjectKey")
            .and_then(Value::as_array)
            .ok_or(NotificationError::NotANotification)?;
        keys.iter()
            .filter_map(Value::as_str)
            .map(|key| LogFileRef {
                bucket: bucket.to_string(),
                key: key.to_string(),
            })
            .collect()
    } else if let Some(records) = message.get("Records").and_then(Value::as_array) {
        records.iter().filter_map(s3_event).collect()
    } else if message.get("Event").and_then(Value::as_str) == Some("s3:TestEvent") {
        Vec::new()
    } else {
        return Err(NotificationError::NotANotification);
    };
    Ok(files.into_iter().filter(|f| is_log_file(&f.key)).collect())
}

/// One record of an S3 event notification: an object created, by bucket and decoded key.
fn s3_event(record: &Value) -> Option<LogFileRef> {
    let name = record.get("eventName").and_then(Value::as_str)?;
    if !name.starts_with("ObjectCreated:") {
        return None;
    }
    let s3 = record.get("s3")?;
    let bucket = s3.get("bucket")?.get("name")?.as_str()?;
    let key = s3.get("object")?.get("key")?.as_str()?;
    // S3 encodes keys in its events as in a form: spaces as `+`, the rest as `%XX`.
    let key = key.replace('+', " ");
    let key = percent_encoding::percent_decode_str(&key)
        .decode_utf8()
        .ok()?
        .into_owned();
    Some(LogFileRef {
        bucket: bucket.to_string(),
        key,
    })
}

/// `[prefix/]AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/…json.gz`.
pub fn is_log_file(key: &str) -> bool {
    key.ends_with(".json.gz") && key.contains("AWSLogs/") && key.contains("/CloudTrail/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str = "AWSLogs/123456789012/CloudTrail/eu-west-1/2026/12/02/123456789012_CloudTrail_eu-west-1_20261202T1005Z_abc.json.gz";

    #[test]
    fn cloudtrails_notification_through_sns_and_raw_names_its_files() {
        let inner = json!({ "s3Bucket": "trail-bucket", "s3ObjectKey": [KEY] }).to_string();
        let wrapped =
            json!({ "Type": "Notification", "MessageId": "m", "Message": inner }).to_string();
        let want = vec![LogFileRef {
            bucket: "trail-bucket".into(),
            key: KEY.into(),
        }];
        assert_eq!(log_files(&wrapped), Ok(want.clone()));
        assert_eq!(log_files(&inner), Ok(want));
    }

    #[test]
    fn an_s3_event_is_decoded_and_digests_and_test_events_name_no_file() {
        let encoded = KEY.replace("CloudTrail_eu", "CloudTrail%5Feu");
        let event = json!({ "Records": [
            { "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
              "s3": { "bucket": { "name": "b" }, "object": { "key": encoded } } },
            { "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
              "s3": { "bucket": { "name": "b" }, "object": { "key": "AWSLogs/1/CloudTrail-Digest/eu-west-1/x.json.gz" } } },
            { "eventSource": "aws:s3", "eventName": "ObjectRemoved:Delete",
              "s3": { "bucket": { "name": "b" }, "object": { "key": KEY } } }
        ]})
        .to_string();
        let files = log_files(&event).expect("an S3 event");
        assert_eq!(
            files,
            vec![LogFileRef {
                bucket: "b".into(),
                key: KEY.into()
            }]
        );
        let test = json!({ "Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b" });
        assert_eq!(log_files(&test.to_string()), Ok(vec![]));
    }

    #[test]
    fn anything_else_is_an_error_that_says_what() {
        assert!(matches!(
            log_files("nope"),
            Err(NotificationError::NotJson(_))
        ));
        assert_eq!(log_files("{}"), Err(NotificationError::NotANotification));
        assert_eq!(
            log_files(r#"{"s3Bucket":"b","s3ObjectKey":"not a list"}"#),
            Err(NotificationError::NotANotification)
        );
        let wrapped = json!({ "Type": "Notification", "Message": "not json" }).to_string();
        assert!(matches!(
            log_files(&wrapped),
            Err(NotificationError::NotJson(_))
        ));
        let huge = "x".repeat(MAX_NOTIFICATION_BYTES + 1);
        assert_eq!(
            log_files(&huge),
            Err(NotificationError::TooLarge(huge.len()))
        );
    }
}
