//! The embedded account's regions, as the Account API's ListRegions answers: four on (the
//! demo's `--regions all`), two opt-in regions left off.

use crate::cloud::types::RegionState;

pub fn default_regions() -> Vec<RegionState> {
    [
        ("us-east-1", "ENABLED_BY_DEFAULT"),
        ("us-east-2", "ENABLED_BY_DEFAULT"),
        ("eu-west-1", "ENABLED_BY_DEFAULT"),
        ("ap-southeast-2", "ENABLED_BY_DEFAULT"),
        ("af-south-1", "DISABLED"),
        ("me-south-1", "DISABLED"),
    ]
    .into_iter()
    .map(|(name, status)| RegionState {
        name: name.into(),
        opt_status: status.into(),
    })
    .collect()
}
