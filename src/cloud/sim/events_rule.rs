//! The embedded account's EventBridge rules and the fast path queue's identity and
//! policy, as DescribeRule, ListTargetsByRule and GetQueueAttributes answer, and as setup
//! changes them. A read reaches the queue only as it would on AWS: through a rule in the
//! state that receives reads, whose pattern matches it, targeting the queue, whose policy
//! lets that rule send.

use super::queue::Queue;
use super::world::World;
use crate::cloud::CloudError;
use crate::cloud::fast_path::{RULE_STATE, event_pattern, rule_arn};
use crate::cloud::links::RuleInfo;
use crate::cloud::names::ChainNames;
use crate::cloud::queue_policy::{self, Sender, Sending};

#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub state: String,
    pub pattern: Option<String>,
    pub targets: Vec<String>,
}

impl Rule {
    fn info(&self, arn: String) -> RuleInfo {
        RuleInfo {
            name: self.name.clone(),
            arn,
            state: self.state.clone(),
            event_pattern: self.pattern.clone(),
            targets: self.targets.clone(),
        }
    }
}

/// What the rules did with one event.
#[derive(Debug, Default)]
pub(super) struct Deliveries {
    /// Some rule's delivery reached the queue.
    pub delivered: bool,
    /// The rules whose delivery the queue refused.
    pub failed: Vec<String>,
}

impl World {
    /// The fast path as setup builds it: the rule in its state and pattern, the queue with
    /// the policy that lets the rule send.
    pub fn build_fast_path(&mut self, names: &ChainNames) {
        let queue = self.sqs_arn(&names.fast_path_queue);
        let rule = Rule {
            name: names.fast_path_rule.clone(),
            state: RULE_STATE.into(),
            pattern: Some(event_pattern()),
            targets: vec![queue.clone()],
        };
        let policy = queue_policy::merged(None, &queue, &Sender::rule(&self.rule_arn(&rule.name)));
        self.rules.push(rule);
        self.fast_path = Some(Queue::new(&names.fast_path_queue, policy));
    }

    pub(super) fn rule_info(&self, name: &str) -> Option<RuleInfo> {
        let rule = self.rules.iter().find(|r| r.name == name)?;
        Some(rule.info(self.rule_arn(name)))
    }

    /// Which rules send `envelope` (the JSON EventBridge would send) to the queue, and
    /// which fail to, their delivery refused by the queue's policy (FailedInvocations).
    pub(super) fn rule_deliveries(&self, envelope: &serde_json::Value) -> Deliveries {
        let mut out = Deliveries::default();
        let Some(queue) = &self.fast_path else {
            return out;
        };
        let arn = self.sqs_arn(&queue.name);
        for r in self.rules.iter().filter(|r| {
            r.state == RULE_STATE
                && r.targets.contains(&arn)
                && r.pattern.as_deref().is_some_and(|p| {
                    crate::cloud::fast_path::event_pattern::matches_value(p, envelope) == Ok(true)
                })
        }) {
            match queue_policy::sending(
                queue.policy.as_deref(),
                &arn,
                &Sender::rule(&self.rule_arn(&r.name)),
            ) {
                Sending::Refused => out.failed.push(r.name.clone()),
                _ => out.delivered = true,
            }
        }
        out
    }

    pub(super) fn put_rule(&mut self, name: &str, pattern: &str, state: &str) -> String {
        match self.rules.iter_mut().find(|r| r.name == name) {
            Some(rule) => {
                rule.pattern = Some(pattern.to_string());
                rule.state = state.to_string();
            }
            None => self.rules.push(Rule {
                name: name.to_string(),
                state: state.to_string(),
                pattern: Some(pattern.to_string()),
                targets: Vec::new(),
            }),
        }
        self.rule_arn(name)
    }

    pub(super) fn rule_arn(&self, name: &str) -> String {
        rule_arn("aws", &self.region, &self.account, name)
    }

    pub(super) fn add_target(&mut self, rule: &str, queue_arn: &str) -> Result<(), CloudError> {
        let Some(rule) = self.rules.iter_mut().find(|r| r.name == rule) else {
            return Err(CloudError::new(
                "PutTargets",
                crate::cloud::ErrorKind::NotFound,
                format!("ResourceNotFoundException: Rule {rule} does not exist."),
            ));
        };
        if !rule.targets.iter().any(|t| t == queue_arn) {
            rule.targets.push(queue_arn.to_string());
        }
        Ok(())
    }
}
