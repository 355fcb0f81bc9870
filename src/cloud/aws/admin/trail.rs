//! CloudTrail: the trail, brought to the spec whether it exists or not.

use super::super::errors::from_sdk;
use crate::cloud::CloudError;
use crate::cloud::admin::{TrailFix, TrailSpec};
use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
use std::time::Duration;

/// A role or bucket policy made a moment ago may not be visible to CloudTrail yet
/// (IAM is eventually consistent); these errors are retried for a while.
const PROPAGATION_ERRORS: [&str; 2] = [
    "InvalidCloudWatchLogsRoleArnException",
    "InsufficientS3BucketPolicyException",
];
const PROPAGATION_TRIES: u32 = 8;
const PROPAGATION_WAIT: Duration = Duration::from_secs(5);

pub async fn put_trail(client: &Client, spec: &TrailSpec) -> Result<(), CloudError> {
    let mut tries = 0;
    loop {
        tries += 1;
        match create_or_update(client, spec).await {
            Err(e)
                if tries < PROPAGATION_TRIES
                    && PROPAGATION_ERRORS.iter().any(|c| e.message.starts_with(c)) =>
            {
                tracing::info!(error = %e, tries, "waiting for IAM to propagate");
                tokio::time::sleep(PROPAGATION_WAIT).await;
            }
            other => break other?,
        }
    }
    record_management_reads(client, &spec.name).await?;
    start_logging(client, &spec.name).await
}

pub async fn fix_trail(client: &Client, name: &str, fix: &TrailFix) -> Result<(), CloudError> {
    if fix.record_reads.is_some() {
        record_management_reads(client, name).await?;
    }
    if fix.start_logging {
        start_logging(client, name).await?;
    }
    Ok(())
}

async fn start_logging(client: &Client, name: &str) -> Result<(), CloudError> {
    client
        .start_logging()
        .name(name)
        .send()
        .await
        .map_err(|e| from_sdk("StartLogging", e))?;
    Ok(())
}

/// PutEventSelectors replaces them all, so the trail's own are read and kept: a
/// management-only selector is widened to Read and Write, or one is added beside the
/// data-event selectors. Selectors that already record reads, no selectors (every
/// management event) and advanced selectors are left as they are.
async fn record_management_reads(client: &Client, name: &str) -> Result<(), CloudError> {
    let out = client
        .get_event_selectors()
        .trail_name(name)
        .send()
        .await
        .map_err(|e| from_sdk("GetEventSelectors", e))?;
    let mut selectors = out.event_selectors().to_vec();
    let reads = |s: &EventSelector| {
        s.include_management_events() == Some(true)
            && matches!(
                s.read_write_type(),
                None | Some(ReadWriteType::All | ReadWriteType::ReadOnly)
            )
    };
    if selectors.is_empty()
        || !out.advanced_event_selectors().is_empty()
        || selectors.iter().any(reads)
    {
        return Ok(());
    }
    let widened = |s: Option<&EventSelector>| {
        EventSelector::builder()
            .read_write_type(ReadWriteType::All)
            .include_management_events(true)
            .set_exclude_management_event_sources(
                s.map(|s| s.exclude_management_event_sources().to_vec()),
            )
            .build()
    };
    match selectors.iter().position(|s| s.data_resources().is_empty()) {
        Some(i) => selectors[i] = widened(selectors.get(i)),
        None => selectors.push(widened(None)),
    }
    client
        .put_event_selectors()
        .trail_name(name)
        .set_event_selectors(Some(selectors))
        .send()
        .await
        .map_err(|e| from_sdk("PutEventSelectors", e))?;
    Ok(())
}

async fn create_or_update(client: &Client, spec: &TrailSpec) -> Result<(), CloudError> {
    let found = client
        .describe_trails()
        .trail_name_list(&spec.name)
        .include_shadow_trails(false)
        .send()
        .await
        .map_err(|e| from_sdk("DescribeTrails", e))?;
    let exists = found
        .trail_list()
        .iter()
        .any(|t| t.name() == Some(spec.name.as_str()));
    if !exists {
        client
            .create_trail()
            .name(&spec.name)
            .s3_bucket_name(&spec.bucket)
            .cloud_watch_logs_log_group_arn(&spec.log_group_arn)
            .cloud_watch_logs_role_arn(&spec.role_arn)
            .send()
            .await
            .map_err(|e| from_sdk("CreateTrail", e))?;
    }
    // UpdateTrail also on a new trail: some AWS-compatible servers drop the log group
    // on CreateTrail, and on an existing trail it is what brings it to the spec.
    client
        .update_trail()
        .name(&spec.name)
        .s3_bucket_name(&spec.bucket)
        .cloud_watch_logs_log_group_arn(&spec.log_group_arn)
        .cloud_watch_logs_role_arn(&spec.role_arn)
        .send()
        .await
        .map_err(|e| from_sdk("UpdateTrail", e))?;
    Ok(())
}
