//! A scope: one account in one region. Everything CloudTrail, CloudWatch and the alert
//! chain give is per scope; so are the dashboard's pollers, budgets and health.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Scope {
    /// The 12-digit account id ("" until the account is known).
    pub account: String,
    pub region: String,
}

impl Scope {
    pub fn new(account: impl Into<String>, region: impl Into<String>) -> Self {
        Self {
            account: account.into(),
            region: region.into(),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.account.as_str() {
            "" => f.write_str(&self.region),
            account => write!(f, "{account}/{}", self.region),
        }
    }
}

/// A region's name as AWS writes them (lowercase letters, digits and dashes).
pub fn plausible_region(text: &str) -> bool {
    let label = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    !text.is_empty()
        && text.len() <= 50
        && text.chars().all(label)
        && !text.starts_with('-')
        && !text.ends_with('-')
}
