//! S3: the bucket the trail writes to, and the policy that lets CloudTrail write.

use super::super::errors::from_sdk;
use crate::cloud::CloudError;
use aws_sdk_s3::Client;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};

pub async fn ensure_bucket(
    client: &Client,
    bucket: &str,
    region: &str,
    policy: &str,
) -> Result<(), CloudError> {
    let exists = match client.head_bucket().bucket(bucket).send().await {
        Ok(_) => true,
        Err(e) => {
            // Missing, or not ours: CreateBucket tells which, in words a person can act on.
            tracing::debug!(error = %from_sdk("HeadBucket", e), "no bucket of ours yet");
            false
        }
    };
    if !exists {
        let mut create = client.create_bucket().bucket(bucket);
        // us-east-1 is the one region that refuses a location constraint naming it.
        if region != "us-east-1" {
            create = create.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(region))
                    .build(),
            );
        }
        match create.send().await {
            Ok(_) => {}
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_bucket_already_owned_by_you()) => {}
            Err(e) => {
                let mut error = from_sdk("CreateBucket", e);
                if error.message.contains("BucketAlreadyExists") {
                    error.message = format!(
                        "{}; bucket names are global and {bucket} belongs to another account",
                        error.message
                    );
                }
                return Err(error);
            }
        }
    }
    client
        .put_bucket_policy()
        .bucket(bucket)
        .policy(policy)
        .send()
        .await
        .map_err(|e| from_sdk("PutBucketPolicy", e))?;
    Ok(())
}
