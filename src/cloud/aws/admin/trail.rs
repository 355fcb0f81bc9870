//! CloudTrail: the trail, brought to the spec whether it exists or not.

use super::super::errors::from_sdk;
use crate::cloud::CloudError;
use crate::cloud::admin::TrailSpec;
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
    client
        .put_event_selectors()
        .trail_name(&spec.name)
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::All)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .map_err(|e| from_sdk("PutEventSelectors", e))?;
    client
        .start_logging()
        .name(&spec.name)
        .send()
        .await
        .map_err(|e| from_sdk("StartLogging", e))?;
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
