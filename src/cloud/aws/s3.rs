//! S3: a trail log file, read whole but never past a cap (the size the bucket states is
//! checked first, then the bytes as they come), and where the bucket sends its events.

use super::errors::from_sdk;
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_s3::Client;

pub async fn object(
    client: &Client,
    bucket: &str,
    key: &str,
    max: u64,
) -> Result<Vec<u8>, CloudError> {
    let too_large = |size: u64| {
        CloudError::new(
            "GetObject",
            ErrorKind::InvalidInput,
            format!("s3://{bucket}/{key} is {size} bytes or more, more than {max}: not read"),
        )
    };
    let out = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| from_sdk("GetObject", e))?;
    if let Some(size) = out.content_length().and_then(|n| u64::try_from(n).ok())
        && size > max
    {
        return Err(too_large(size));
    }
    let mut body = out.body;
    let mut bytes = Vec::new();
    while let Some(chunk) = body
        .try_next()
        .await
        .map_err(|e| CloudError::new("GetObject", ErrorKind::Unreachable, e.to_string()))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > max {
            return Err(too_large(bytes.len() as u64));
        }
    }
    Ok(bytes)
}

/// The queues the bucket's event notifications send each object created to.
pub async fn bucket_queues(client: &Client, bucket: &str) -> Result<Vec<String>, CloudError> {
    let out = client
        .get_bucket_notification_configuration()
        .bucket(bucket)
        .send()
        .await
        .map_err(|e| from_sdk("GetBucketNotificationConfiguration", e))?;
    Ok(out
        .queue_configurations()
        .iter()
        .filter(|q| {
            q.events()
                .iter()
                .any(|e| e.as_str().starts_with("s3:ObjectCreated:"))
        })
        .map(|q| q.queue_arn().to_string())
        .collect())
}

/// The keys under `prefix`, every page.
pub async fn list(client: &Client, bucket: &str, prefix: &str) -> Result<Vec<String>, CloudError> {
    listing(client, bucket, prefix, false).await
}

/// The folders right under `prefix` (the delimiter `/`), every page.
pub async fn folders(
    client: &Client,
    bucket: &str,
    prefix: &str,
) -> Result<Vec<String>, CloudError> {
    listing(client, bucket, prefix, true).await
}

/// ListObjectsV2 page by page: the keys, or with `folders` the common prefixes under the
/// delimiter `/`.
async fn listing(
    client: &Client,
    bucket: &str,
    prefix: &str,
    folders: bool,
) -> Result<Vec<String>, CloudError> {
    let mut found = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .set_delimiter(folders.then(|| "/".to_string()))
            .set_continuation_token(token)
            .send()
            .await
            .map_err(|e| from_sdk("ListObjectsV2", e))?;
        if folders {
            let prefixes = out.common_prefixes().iter().filter_map(|p| p.prefix());
            found.extend(prefixes.map(str::to_string));
        } else {
            let keys = out.contents().iter().filter_map(|o| o.key());
            found.extend(keys.map(str::to_string));
        }
        token = out.next_continuation_token().map(str::to_string);
        if token.is_none() {
            return Ok(found);
        }
    }
}
