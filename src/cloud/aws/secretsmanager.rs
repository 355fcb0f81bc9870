//! Secrets Manager: the test access. The value is taken out of the answer into a
//! zeroizing buffer and dropped before anything else happens.

use super::errors::from_sdk;
use crate::cloud::types::TestAccess;
use crate::cloud::{CloudError, ErrorKind};
use aws_config::AppName;
use aws_config::SdkConfig;
use chrono::Utc;
use zeroize::Zeroizing;

const OPERATION: &str = "GetSecretValue";

pub async fn test_access(
    config: &SdkConfig,
    secret: &str,
    marker: &str,
) -> Result<TestAccess, CloudError> {
    // The marker rides in the user agent (`app/<marker>`), which CloudTrail records.
    let app = AppName::new(marker.to_string())
        .map_err(|e| CloudError::new(OPERATION, ErrorKind::InvalidInput, e.to_string()))?;
    let conf = aws_sdk_secretsmanager::config::Builder::from(config)
        .app_name(app)
        .build();
    let client = aws_sdk_secretsmanager::Client::from_conf(conf);
    let fired_at = Utc::now();
    let mut out = client
        .get_secret_value()
        .secret_id(secret)
        .send()
        .await
        .map_err(|e| from_sdk(OPERATION, e))?;
    drop(out.secret_string.take().map(Zeroizing::new));
    drop(
        out.secret_binary
            .take()
            .map(|b| Zeroizing::new(b.into_inner())),
    );
    Ok(TestAccess {
        secret_arn: out.arn().unwrap_or_default().to_string(),
        version_id: out.version_id().unwrap_or_default().to_string(),
        fired_at,
        marker: marker.to_string(),
    })
}

pub async fn describe_secret(
    client: &aws_sdk_secretsmanager::Client,
    id: &str,
) -> Result<Option<crate::cloud::links::SecretInfo>, CloudError> {
    match client.describe_secret().secret_id(id).send().await {
        Ok(out) => Ok(Some(crate::cloud::links::SecretInfo {
            name: out.name().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
        })),
        Err(e) => {
            let error = from_sdk("DescribeSecret", e);
            match error.kind {
                ErrorKind::NotFound => Ok(None),
                _ => Err(error),
            }
        }
    }
}
