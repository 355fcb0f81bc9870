//! Setup's part for the fast path: the rule, the queue and its policy, and the rule's
//! target, each only where the doctor found it missing or wrong. The rule and queue are
//! secretwatch's own by name; of the queue's policy, only setup's statement is added, and
//! of the rule's targets, only the queue.

use super::doctor::Report;
use super::setup::Step;
use super::{ChainLink, LinkState};
use crate::cloud::Cloud;
use crate::cloud::fast_path::{RULE_STATE, queue_arn, rule_arn};
use crate::cloud::names::ChainNames;
use crate::cloud::policy_doc::partition;
use crate::cloud::queue_policy::{self, Sender};

/// The fast path's steps, none when the doctor found it in order or could not look.
pub(super) async fn steps(
    cloud: &dyn Cloud,
    names: &ChainNames,
    report: &Report,
    notes: &mut Vec<String>,
) -> Vec<Step> {
    let needs = report.findings.iter().any(|f| {
        f.link == ChainLink::FastPath && matches!(f.state, LinkState::Broken | LinkState::Warning)
    });
    if !needs {
        return Vec::new();
    }
    let (rule, queue, id) = match (
        cloud.event_rule(&names.fast_path_rule).await,
        cloud.queue(&names.fast_path_queue).await,
        cloud.identity().await,
    ) {
        (Ok(rule), Ok(queue), Ok(id)) => (rule, queue, id),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            notes.push(format!("the fast path left alone: {e}"));
            return Vec::new();
        }
    };
    let partition = partition(&id.principal);
    let rule_arn = rule.as_ref().map_or_else(
        || rule_arn(partition, &id.region, &id.account, &names.fast_path_rule),
        |r| r.arn.clone(),
    );
    let queue_arn = queue.as_ref().map_or_else(
        || queue_arn(partition, &id.region, &id.account, &names.fast_path_queue),
        |q| q.arn.clone(),
    );
    let mut steps = Vec::new();
    let pattern_ok = match rule.as_ref().and_then(|r| r.event_pattern.as_deref()) {
        Some(pattern) => {
            // Reads and changes; could not be tested: left as it is, as the doctor said.
            let fit = super::doctor_sources::pattern_fit(cloud, pattern, &id.account, &id.region);
            match fit.await {
                (Ok(reads), changes) => reads && changes,
                (Err(_), _) => true,
            }
        }
        None => false,
    };
    match &rule {
        None => steps.push(Step::FastPathRule { state: None }),
        Some(r) if r.state != RULE_STATE || !pattern_ok => steps.push(Step::FastPathRule {
            state: Some(r.state.clone()),
        }),
        Some(_) => {}
    }
    let policy = queue.as_ref().and_then(|q| q.policy.as_deref());
    if queue.is_none()
        || queue_policy::merged(policy, &queue_arn, &Sender::rule(&rule_arn)).is_some()
    {
        steps.push(Step::FastPathQueue {
            exists: queue.is_some(),
            rule_arn,
        });
    }
    if !rule.is_some_and(|r| r.targets.contains(&queue_arn)) {
        steps.push(Step::FastPathTarget { queue_arn });
    }
    steps
}
