//! IAM: the role CloudTrail assumes to write to the log group.

use super::super::errors::from_sdk;
use crate::cloud::CloudError;
use aws_sdk_iam::Client;

/// The inline policy's name on the role.
const POLICY: &str = "secretwatch-cloudtrail-to-logs";

/// Creates the role if missing, then sets its trust and its inline policy, so that a
/// role that drifted is brought back. Returns the role's ARN.
pub async fn ensure_role(
    client: &Client,
    role: &str,
    trust: &str,
    permissions: &str,
) -> Result<String, CloudError> {
    let arn = match client.get_role().role_name(role).send().await {
        Ok(out) => {
            client
                .update_assume_role_policy()
                .role_name(role)
                .policy_document(trust)
                .send()
                .await
                .map_err(|e| from_sdk("UpdateAssumeRolePolicy", e))?;
            out.role().map(|r| r.arn().to_string())
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            let out = client
                .create_role()
                .role_name(role)
                .assume_role_policy_document(trust)
                .description(
                    "Lets CloudTrail deliver events to CloudWatch Logs (secretwatch setup)",
                )
                .send()
                .await
                .map_err(|e| from_sdk("CreateRole", e))?;
            out.role().map(|r| r.arn().to_string())
        }
        Err(e) => return Err(from_sdk("GetRole", e)),
    };
    client
        .put_role_policy()
        .role_name(role)
        .policy_name(POLICY)
        .policy_document(permissions)
        .send()
        .await
        .map_err(|e| from_sdk("PutRolePolicy", e))?;
    arn.ok_or_else(|| {
        CloudError::new(
            "GetRole",
            crate::cloud::ErrorKind::Service,
            format!("the answer for role {role} has no ARN"),
        )
    })
}
