//! CloudTrail: event history (LookupEvents).

use super::errors::from_sdk;
use super::time::{from_smithy, to_smithy};
use crate::cloud::types::{EventPage, EventQuery, LookupAttribute, TrailRecord};
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::{LookupAttribute as SdkAttribute, LookupAttributeKey};

const OPERATION: &str = "LookupEvents";

pub async fn lookup_events(client: &Client, q: &EventQuery) -> Result<EventPage, CloudError> {
    let (key, value) = match &q.lookup {
        LookupAttribute::EventName(v) => (LookupAttributeKey::EventName, v),
        LookupAttribute::EventSource(v) => (LookupAttributeKey::EventSource, v),
        LookupAttribute::ResourceName(v) => (LookupAttributeKey::ResourceName, v),
        LookupAttribute::Username(v) => (LookupAttributeKey::Username, v),
    };
    let attribute = SdkAttribute::builder()
        .attribute_key(key)
        .attribute_value(value)
        .build()
        .map_err(|e| CloudError::new(OPERATION, ErrorKind::InvalidInput, e.to_string()))?;
    let out = client
        .lookup_events()
        .lookup_attributes(attribute)
        .start_time(to_smithy(q.start))
        .end_time(to_smithy(q.end))
        .max_results(50)
        .set_next_token(q.next_token.clone())
        .send()
        .await
        .map_err(|e| from_sdk(OPERATION, e))?;
    let records = out
        .events()
        .iter()
        .map(|e| TrailRecord {
            event_id: e.event_id().unwrap_or_default().to_string(),
            event_time: e.event_time().and_then(from_smithy).unwrap_or(q.end),
            event_name: e.event_name().unwrap_or_default().to_string(),
            event_source: e.event_source().unwrap_or_default().to_string(),
            cloudtrail_event: e.cloud_trail_event().unwrap_or_default().to_string(),
        })
        .collect();
    Ok(EventPage {
        records,
        next_token: out.next_token().map(str::to_string),
    })
}
