//! IAM: the role CloudTrail assumes to write to the log group. Read as it is (setup's
//! plan reads it too, so the reading lives here beside the writing), and given only
//! what it lacks: its other trust statements, its other inline policies and the other
//! statements of setup's own inline policy are kept.

use super::super::errors::from_sdk;
use crate::cloud::links::RoleInfo;
use crate::cloud::logs_role::{self, INLINE_POLICY};
use crate::cloud::{CloudError, ErrorKind};
use aws_sdk_iam::Client;
use serde_json::Value;

/// The role with its trust and inline policies, None when it does not exist.
pub async fn role(client: &Client, name: &str) -> Result<Option<RoleInfo>, CloudError> {
    let out = match client.get_role().role_name(name).send().await {
        Ok(out) => out,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(from_sdk("GetRole", e)),
    };
    let Some(role) = out.role() else {
        return Err(CloudError::new(
            "GetRole",
            ErrorKind::Service,
            format!("GetRole answered without role {name}"),
        ));
    };
    let trust = document(
        "GetRole",
        role.assume_role_policy_document().unwrap_or("{}"),
    )?;
    let mut names = Vec::new();
    let mut marker = None;
    loop {
        let page = client
            .list_role_policies()
            .role_name(name)
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| from_sdk("ListRolePolicies", e))?;
        names.extend(page.policy_names().iter().cloned());
        marker = page
            .marker()
            .map(str::to_string)
            .filter(|_| page.is_truncated());
        if marker.is_none() {
            break;
        }
    }
    let mut inline = Vec::new();
    for policy in names {
        let out = client
            .get_role_policy()
            .role_name(name)
            .policy_name(&policy)
            .send()
            .await
            .map_err(|e| from_sdk("GetRolePolicy", e))?;
        inline.push((policy, document("GetRolePolicy", out.policy_document())?));
    }
    Ok(Some(RoleInfo {
        name: name.to_string(),
        arn: role.arn().to_string(),
        trust,
        inline,
    }))
}

/// IAM answers policy documents URL-encoded (RFC 3986); some servers answer them plain.
fn document(operation: &'static str, text: &str) -> Result<Value, CloudError> {
    serde_json::from_str(text)
        .or_else(|_| serde_json::from_str(&percent_decode(text)))
        .map_err(|e| {
            CloudError::new(
                operation,
                ErrorKind::Service,
                format!("a policy document that is not JSON: {e}"),
            )
        })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Creates the role if missing, trusted by CloudTrail and allowed to deliver to the
/// log group. On a role that exists, adds CloudTrail's trust statement and the
/// delivery statement only when they are missing, keeping everything else; a role that
/// lacks nothing is not written to. Returns the role's ARN.
pub async fn ensure_role(
    client: &Client,
    name: &str,
    log_group_arn: &str,
) -> Result<String, CloudError> {
    let Some(existing) = role(client, name).await? else {
        let out = client
            .create_role()
            .role_name(name)
            .assume_role_policy_document(logs_role::cloudtrail_trust().to_string())
            .description("Lets CloudTrail deliver events to CloudWatch Logs (secretwatch setup)")
            .send()
            .await
            .map_err(|e| from_sdk("CreateRole", e))?;
        put_inline(client, name, &logs_role::logs_delivery(log_group_arn)).await?;
        return out.role().map(|r| r.arn().to_string()).ok_or_else(|| {
            CloudError::new(
                "CreateRole",
                ErrorKind::Service,
                format!("the answer for role {name} has no ARN"),
            )
        });
    };
    if let Some(trust) = logs_role::merged_trust(&existing.trust) {
        client
            .update_assume_role_policy()
            .role_name(name)
            .policy_document(trust.to_string())
            .send()
            .await
            .map_err(|e| from_sdk("UpdateAssumeRolePolicy", e))?;
    }
    if let Some(policy) = logs_role::merged_inline(&existing, log_group_arn) {
        put_inline(client, name, &policy).await?;
    }
    Ok(existing.arn)
}

async fn put_inline(client: &Client, role: &str, policy: &Value) -> Result<(), CloudError> {
    client
        .put_role_policy()
        .role_name(role)
        .policy_name(INLINE_POLICY)
        .policy_document(policy.to_string())
        .send()
        .await
        .map_err(|e| from_sdk("PutRolePolicy", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_read_plain_or_url_encoded() {
        let plain = r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#;
        let encoded = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
        let a = document("GetRole", plain).expect("plain JSON");
        assert_eq!(document("GetRole", encoded).expect("encoded JSON"), a);
        assert!(document("GetRole", "%7Bnot json").is_err());
    }
}
