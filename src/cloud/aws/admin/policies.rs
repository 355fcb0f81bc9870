//! The policy documents setup writes: what CloudTrail may do with the bucket, what the
//! role lets it do with the log group. Pure functions, so they are tested as text.

use serde_json::{Value, json};

/// `arn:PARTITION:...` → PARTITION (aws, aws-cn, aws-us-gov); `aws` when unsure.
pub fn partition(caller_arn: &str) -> &str {
    match caller_arn.split(':').nth(1) {
        Some(p) if !p.is_empty() => p,
        _ => "aws",
    }
}

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

/// Who may assume the logs role: CloudTrail, nobody else.
pub fn cloudtrail_trust() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "cloudtrail.amazonaws.com" },
            "Action": "sts:AssumeRole"
        }]
    })
}

/// What the role may do: create streams in, and write to, that one log group.
pub fn logs_delivery(log_group_arn: &str) -> Value {
    let group = log_group_arn.strip_suffix(":*").unwrap_or(log_group_arn);
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": format!("{group}:log-stream:*")
        }]
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

    #[test]
    fn the_role_may_write_only_to_streams_of_its_log_group() {
        let p = logs_delivery("arn:aws:logs:eu-west-1:1:log-group:secretwatch/cloudtrail:*");
        assert_eq!(
            p["Statement"][0]["Resource"],
            "arn:aws:logs:eu-west-1:1:log-group:secretwatch/cloudtrail:log-stream:*"
        );
        let bare = logs_delivery("arn:aws:logs:eu-west-1:1:log-group:g");
        assert_eq!(
            bare["Statement"][0]["Resource"],
            "arn:aws:logs:eu-west-1:1:log-group:g:log-stream:*"
        );
        assert_eq!(
            cloudtrail_trust()["Statement"][0]["Principal"]["Service"],
            "cloudtrail.amazonaws.com"
        );
    }
}
