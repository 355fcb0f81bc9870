//! The Account API: the regions of the account and whether each is on.

use super::errors::from_sdk;
use crate::cloud::CloudError;
use crate::cloud::types::RegionState;
use aws_sdk_account::Client;

/// Every region with its opt-in status (ListRegions, all pages).
pub async fn regions(client: &Client) -> Result<Vec<RegionState>, CloudError> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_regions()
            .max_results(50)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk("ListRegions", e))?;
        out.extend(page.regions().iter().map(|r| {
            RegionState {
                name: r.region_name().unwrap_or_default().to_string(),
                opt_status: r
                    .region_opt_status()
                    .map_or("UNKNOWN", |s| s.as_str())
                    .to_string(),
            }
        }));
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(out);
        }
    }
}
