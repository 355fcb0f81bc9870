//! STS: who the credentials belong to.

use super::errors::from_sdk;
use crate::cloud::CloudError;
use aws_sdk_sts::Client;

/// (account, caller ARN)
pub async fn caller(client: &Client) -> Result<(String, String), CloudError> {
    let out = client
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| from_sdk("GetCallerIdentity", e))?;
    Ok((
        out.account().unwrap_or_default().to_string(),
        out.arn().unwrap_or_default().to_string(),
    ))
}
