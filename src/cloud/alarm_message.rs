//! The alarm's message as SNS delivers it to a queue: an SNS envelope (not raw delivery)
//! whose `Message` is CloudWatch's alarm JSON. Read from untrusted text: a body that is no
//! such envelope is refused with why, never a panic.

use super::types::Notification;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

/// The envelope SNS wraps a message in for an SQS subscriber.
pub fn envelope(
    message_id: &str,
    topic_arn: &str,
    subject: &str,
    message: &str,
    at: DateTime<Utc>,
) -> String {
    json!({
        "Type": "Notification",
        "MessageId": message_id,
        "TopicArn": topic_arn,
        "Subject": subject,
        "Message": message,
        "Timestamp": at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "SignatureVersion": "1",
    })
    .to_string()
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Envelope {
    #[serde(rename = "Type")]
    kind: String,
    message_id: String,
    topic_arn: String,
    #[serde(default)]
    subject: Option<String>,
    message: String,
    timestamp: DateTime<Utc>,
}

/// An alarm's message as read from the queue: who sent it, and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmMessage {
    pub notification: Notification,
    /// The alarm's name and the state it moved to, from the message's JSON (None when the
    /// message is not CloudWatch's).
    pub alarm: Option<String>,
    pub new_state: Option<String>,
}

/// Reads one queue message's body, delivered to `queue`.
pub fn read(body: &str, queue: &str) -> Result<AlarmMessage, String> {
    let envelope: Envelope =
        serde_json::from_str(body).map_err(|e| format!("not an SNS envelope: {e}"))?;
    if envelope.kind != "Notification" {
        return Err(format!(
            "an SNS {} message, not a notification",
            crate::text::sanitize::sanitize_line(&envelope.kind, 40)
        ));
    }
    let inner: Option<serde_json::Value> = serde_json::from_str(&envelope.message).ok();
    let field = |name: &str| {
        inner
            .as_ref()
            .and_then(|m| m.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    Ok(AlarmMessage {
        alarm: field("AlarmName"),
        new_state: field("NewStateValue"),
        notification: Notification {
            id: envelope.message_id,
            time: envelope.timestamp,
            topic: envelope.topic_arn,
            endpoint: queue.to_string(),
            subject: envelope.subject.unwrap_or_default(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_reads_back_and_anything_else_is_refused_with_why() {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let message = json!({"AlarmName": "a", "NewStateValue": "ALARM"}).to_string();
        let body = envelope(
            "m-1",
            "arn:aws:sns:us-east-1:1:t",
            "ALARM: \"a\"",
            &message,
            at,
        );
        let read = read(&body, "q").expect("an envelope");
        assert_eq!(read.alarm.as_deref(), Some("a"));
        assert_eq!(read.new_state.as_deref(), Some("ALARM"));
        assert_eq!(read.notification.endpoint, "q");
        assert_eq!(read.notification.time, at);
        for hostile in ["", "[]", "{\"Type\":\"Notification\"}", "\u{1b}[2J"] {
            assert!(super::read(hostile, "q").is_err(), "{hostile:?}");
        }
        let confirm = body.replace("\"Notification\"", "\"SubscriptionConfirmation\"");
        assert!(
            super::read(&confirm, "q")
                .expect_err("refused")
                .contains("SubscriptionConfirmation")
        );
        let text = envelope("m-2", "arn:t", "hello", "not json", at);
        assert_eq!(super::read(&text, "q").map(|m| m.alarm), Ok(None));
    }
}
