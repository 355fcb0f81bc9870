//! The bucket policy setup writes: what CloudTrail may do with the bucket (the logs
//! role's documents are in `cloud::logs_role`). Pure functions, so they are tested as text.

use serde_json::{Value, json};

pub use crate::cloud::policy_doc::partition;

/// Lets CloudTrail check the bucket's ACL and write this account's logs, and only
/// on behalf of this account (aws:SourceAccount guards against the confused deputy).
pub fn trail_bucket(partition: &str, bucket: &str, account: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSCloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": { "Service": "cloudtrail.amazonaws.com" },
                "Action": "s3:GetBucketAcl",
                "Resource": format!("arn:{partition}:s3:::{bucket}"),
                "Condition": { "StringEquals": { "aws:SourceAccount": account } }
            },
            {
                "Sid": "AWSCloudTrailWrite",
                "Effect": "Allow",
                "Principal": { "Service": "cloudtrail.amazonaws.com" },
                "Action": "s3:PutObject",
                "Resource": format!("arn:{partition}:s3:::{bucket}/AWSLogs/{account}/*"),
                "Condition": { "StringEquals": {
                    "s3:x-amz-acl": "bucket-owner-full-control",
                    "aws:SourceAccount": account
                } }
            }
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partition_comes_from_the_callers_arn() {
        assert_eq!(partition("arn:aws-cn:iam::1:user/a"), "aws-cn");
        assert_eq!(partition("arn:aws:sts::1:assumed-role/r/s"), "aws");
        assert_eq!(partition(""), "aws");
    }

    #[test]
    fn the_bucket_policy_names_the_bucket_and_confines_writes_to_the_account() {
        let p = trail_bucket("aws", "b", "123456789012");
        let statements = p["Statement"].as_array().expect("statements");
        assert_eq!(statements[0]["Resource"], "arn:aws:s3:::b");
        assert_eq!(
            statements[1]["Resource"],
            "arn:aws:s3:::b/AWSLogs/123456789012/*"
        );
        for s in statements {
            assert_eq!(s["Principal"]["Service"], "cloudtrail.amazonaws.com");
            assert_eq!(
                s["Condition"]["StringEquals"]["aws:SourceAccount"],
                "123456789012"
            );
        }
    }
}
