//! Organizations: the accounts of the organization the caller can list (its management
//! account, or a delegated administrator).

use super::errors::from_sdk;
use crate::cloud::CloudError;
use crate::cloud::types::OrgAccount;
use aws_sdk_organizations::Client;

/// Every account of the organization (ListAccounts, all pages).
pub async fn accounts(client: &Client) -> Result<Vec<OrgAccount>, CloudError> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_accounts()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk("ListAccounts", e))?;
        out.extend(page.accounts().iter().map(|a| OrgAccount {
            id: a.id().unwrap_or_default().to_string(),
            name: a.name().unwrap_or_default().to_string(),
            active: a.status().is_none_or(|s| s.as_str() == "ACTIVE"),
        }));
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(out);
        }
    }
}
