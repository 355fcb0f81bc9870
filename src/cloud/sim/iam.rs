//! IAM in the embedded account: the roles CloudTrail assumes to deliver to the logs,
//! with their trust and inline policy documents.

use crate::cloud::links::RoleInfo;
use crate::cloud::logs_role;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// The account it is in.
    pub account: String,
    pub name: String,
    pub trust: Value,
    /// Inline policies: name and document.
    pub inline: Vec<(String, Value)>,
}

impl Role {
    /// A role as setup creates it: trusted by CloudTrail, delivering to one group.
    pub fn for_delivery(account: &str, name: &str, log_group_arn: &str) -> Self {
        Self {
            account: account.to_string(),
            name: name.to_string(),
            trust: logs_role::cloudtrail_trust(),
            inline: vec![(
                logs_role::INLINE_POLICY.to_string(),
                logs_role::logs_delivery(log_group_arn),
            )],
        }
    }

    pub fn info(&self) -> RoleInfo {
        RoleInfo {
            name: self.name.clone(),
            arn: format!("arn:aws:iam::{}:role/{}", self.account, self.name),
            trust: self.trust.clone(),
            inline: self.inline.clone(),
        }
    }

    /// Adds what it lacks for CloudTrail to deliver to the group, keeping the rest.
    pub fn complete(&mut self, log_group_arn: &str) {
        let info = self.info();
        if let Some(trust) = logs_role::merged_trust(&self.trust) {
            self.trust = trust;
        }
        if let Some(policy) = logs_role::merged_inline(&info, log_group_arn) {
            match self
                .inline
                .iter_mut()
                .find(|(name, _)| name == logs_role::INLINE_POLICY)
            {
                Some((_, doc)) => *doc = policy,
                None => self
                    .inline
                    .push((logs_role::INLINE_POLICY.to_string(), policy)),
            }
        }
    }

    /// Whether CloudTrail can assume it and write to the group.
    pub fn delivers_to(&self, log_group_arn: &str) -> bool {
        logs_role::fix(&self.info(), log_group_arn).is_empty()
    }
}
