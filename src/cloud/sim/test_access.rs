//! The test access in the embedded account: a read by the analyst at the keyboard, with
//! the marker in its user agent; only its metadata comes back.

use super::world::World;
use super::{CALLER, CallSpec};
use crate::cloud::types::TestAccess;
use crate::cloud::{CloudError, ErrorKind};

impl World {
    pub(super) fn test_access(
        &mut self,
        secret: &str,
        marker: &str,
    ) -> Result<TestAccess, CloudError> {
        let caller = CallSpec {
            event_name: "GetSecretValue".into(),
            event_source: "secretsmanager.amazonaws.com".into(),
            read_only: true,
            principal_arn: self.iam_arn(&format!("user/{CALLER}")),
            principal_type: "IAMUser".into(),
            username: CALLER.into(),
            source_ip: "198.51.100.7".into(),
            user_agent: format!("aws-sdk-rust/1.8.0 os/linux lang/rust#1.95.0 app/{marker}"),
            from_console: false,
            secret_id: None,
            secret_arn: None,
            params: serde_json::Value::Null,
            error: None,
        };
        match self.get_secret_value(secret, caller) {
            Ok((secret_arn, version_id)) => Ok(TestAccess {
                secret_arn,
                version_id,
                fired_at: self.now,
                marker: marker.to_string(),
            }),
            Err(code) if code == "ResourceNotFoundException" => Err(CloudError::new(
                "GetSecretValue",
                ErrorKind::NotFound,
                format!("{code}: no secret named {secret}"),
            )),
            Err(code) => Err(CloudError::new("GetSecretValue", ErrorKind::Service, code)),
        }
    }
}
