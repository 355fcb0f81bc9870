//! The embedded account's regions and organization: ListRegions answers four regions on (the
//! demo's `--regions all`) and two opt-in regions left off; ListAccounts four accounts.

use crate::cloud::types::{OrgAccount, RegionState};

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

/// The embedded organization: this account (its management account), a member whose
/// secretwatch role can be assumed, one where it cannot (no such role there), and one
/// whose chain is the management account's (the organization trail).
pub fn organization() -> Vec<OrgAccount> {
    [
        (super::world::ACCOUNT, "security"),
        (PAYMENTS, "payments"),
        (SANDBOX, "sandbox"),
        (LOGISTICS, "logistics"),
    ]
    .into_iter()
    .map(|(id, name)| OrgAccount {
        id: id.into(),
        name: name.into(),
        active: true,
    })
    .collect()
}

/// The member whose role can be assumed.
pub const PAYMENTS: &str = "210987654321";
/// The member with no chain of its own: the organization trail records its events into
/// the management account's log group, where its chain lives.
pub const LOGISTICS: &str = "456789012345";
/// The member without the role: AssumeRole is refused there.
pub const SANDBOX: &str = "345678901234";
