//! CloudTrail: event history (LookupEvents).

use super::errors::from_sdk;
use super::time::{from_smithy, to_smithy};
use crate::cloud::links::{Selectors, TrailInfo};
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

/// Every trail this region sees (its own and multi-region ones), with its logging
/// status and event selectors.
pub async fn trails(client: &Client) -> Result<Vec<TrailInfo>, CloudError> {
    let out = client
        .describe_trails()
        .include_shadow_trails(true)
        .send()
        .await
        .map_err(|e| from_sdk("DescribeTrails", e))?;
    let mut trails = Vec::new();
    for t in out.trail_list() {
        let arn = t.trail_arn().unwrap_or_default().to_string();
        let name = t.name().unwrap_or_default().to_string();
        let id = if arn.is_empty() {
            name.clone()
        } else {
            arn.clone()
        };
        let status = client
            .get_trail_status()
            .name(&id)
            .send()
            .await
            .map_err(|e| from_sdk("GetTrailStatus", e))?;
        let selectors = client
            .get_event_selectors()
            .trail_name(&id)
            .send()
            .await
            .map_err(|e| from_sdk("GetEventSelectors", e))?;
        trails.push(TrailInfo {
            name,
            arn,
            home_region: t.home_region().unwrap_or_default().to_string(),
            multi_region: t.is_multi_region_trail().unwrap_or(false),
            bucket: t.s3_bucket_name().unwrap_or_default().to_string(),
            is_logging: status.is_logging().unwrap_or(false),
            selectors: selectors_of(&selectors),
            log_group_arn: t.cloud_watch_logs_log_group_arn().map(str::to_string),
            logs_role_arn: t.cloud_watch_logs_role_arn().map(str::to_string),
            latest_logs_delivery: status
                .latest_cloud_watch_logs_delivery_time()
                .and_then(from_smithy),
            latest_logs_delivery_error: status
                .latest_cloud_watch_logs_delivery_error()
                .filter(|e| !e.is_empty())
                .map(str::to_string),
            sns_topic: t.sns_topic_arn().map(str::to_string),
            key_prefix: t
                .s3_key_prefix()
                .filter(|p| !p.is_empty())
                .map(str::to_string),
            organization: t.is_organization_trail().unwrap_or(false),
        });
    }
    Ok(trails)
}

fn selectors_of(
    out: &aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput,
) -> Selectors {
    if let Some(first) = out.event_selectors().first() {
        return Selectors::Basic {
            read_write: first
                .read_write_type()
                .map_or("All", |r| r.as_str())
                .to_string(),
            include_management_events: first.include_management_events().unwrap_or(true),
        };
    }
    let advanced = out.advanced_event_selectors();
    if advanced.is_empty() {
        return Selectors::Default;
    }
    let summary = advanced
        .iter()
        .map(|a| a.name().unwrap_or("unnamed").to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Selectors::Advanced { summary }
}
