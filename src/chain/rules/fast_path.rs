//! The fast path (not a link of the alert chain, the dashboard's own source): an
//! EventBridge rule in the state that receives read-only calls, whose pattern matches a
//! read, sending to secretwatch's queue, whose policy lets it.

use super::arrivals::{Arrivals, counted, judged};
use super::by_setup;
use crate::chain::{ChainLink as L, Finding, LinkState as S};
use crate::cloud::fast_path::RULE_STATE;
use crate::cloud::links::{QueueInfo, RuleInfo};
use crate::cloud::names::ChainNames;
use crate::cloud::queue_policy::{Sender, Sending, sending};

/// What the doctor read of the fast path: the rule, how its pattern fared against a
/// sample read (Err: why it could not be tested) and a sample change of the secret, and the
/// queue.
pub struct FastPathSeen<'a> {
    pub rule: Option<&'a RuleInfo>,
    pub pattern: Result<bool, String>,
    /// False when the pattern leaves out the secret's changes (a rule set up before they
    /// were shown); true when it matches them or could not be tested.
    pub changes: bool,
    pub queue: Option<&'a QueueInfo>,
    /// What arrived at the queue lately (Err: why it could not be read).
    pub arrivals: Result<Arrivals, String>,
}

pub fn fast_path(seen: &FastPathSeen, names: &ChainNames) -> Finding {
    let finding = sending_reads(seen, names);
    if finding.state != S::Ok || seen.changes {
        return finding;
    }
    Finding {
        state: S::Warning,
        summary: format!(
            "{}; but its pattern leaves out the secret's changes (policy, value, replicas): \
             they come by CloudTrail's history, minutes later",
            finding.summary
        ),
        ..finding
    }
    .fix(by_setup(
        "set the pattern of Secrets Manager reads and changes",
    ))
}

/// The fast path judged on the reads alone.
fn sending_reads(seen: &FastPathSeen, names: &ChainNames) -> Finding {
    let (rule_name, queue_name) = (&names.fast_path_rule, &names.fast_path_queue);
    let Some(rule) = seen.rule else {
        return match seen.queue {
            None => Finding::new(
                L::FastPath,
                S::Warning,
                "not set up: reads reach the dashboard only through CloudTrail's event history, \
                 about 5 minutes late (up to 15)",
            )
            .evidence(format!(
                "DescribeRule: no rule {rule_name}; GetQueueUrl: no queue {queue_name}"
            ))
            .fix(by_setup(format!(
                "create rule {rule_name} and queue {queue_name}"
            ))),
            Some(_) => Finding::new(
                L::FastPath,
                S::Broken,
                format!("queue {queue_name} exists but no rule {rule_name} feeds it"),
            )
            .evidence(format!("DescribeRule: no rule {rule_name}"))
            .fix(by_setup(format!("create rule {rule_name}"))),
        };
    };
    let state_evidence = format!("DescribeRule: {rule_name} State {}", rule.state);
    if rule.state == "ENABLED" {
        return Finding::new(
            L::FastPath,
            S::Broken,
            format!(
                "rule {rule_name} is ENABLED: it receives only writes, never read-only calls \
                 such as GetSecretValue"
            ),
        )
        .evidence(state_evidence)
        .fix(by_setup(format!("set its state to {RULE_STATE}")));
    }
    if rule.state != RULE_STATE {
        return Finding::new(
            L::FastPath,
            S::Broken,
            format!("rule {rule_name} is {}: it sends nothing", rule.state),
        )
        .evidence(state_evidence)
        .fix(by_setup(format!("set its state to {RULE_STATE}")));
    }
    let pattern = rule.event_pattern.as_deref().unwrap_or("none");
    match &seen.pattern {
        Ok(true) => {}
        Ok(false) => {
            return Finding::new(
                L::FastPath,
                S::Broken,
                format!("rule {rule_name}'s pattern does not match a GetSecretValue read"),
            )
            .evidence(format!("TestEventPattern: {pattern}"))
            .fix(by_setup("set the pattern of Secrets Manager reads"));
        }
        Err(why) => {
            return Finding::new(
                L::FastPath,
                S::Unknown,
                format!("could not test rule {rule_name}'s pattern: {why}"),
            )
            .evidence(format!("EventPattern {pattern}"));
        }
    }
    let Some(queue) = seen.queue else {
        return Finding::new(
            L::FastPath,
            S::Broken,
            format!("rule {rule_name} has no queue {queue_name} to send to"),
        )
        .evidence(format!("GetQueueUrl: no queue {queue_name}"))
        .fix(by_setup(format!("create queue {queue_name}")));
    };
    if !rule.targets.contains(&queue.arn) {
        let targets = if rule.targets.is_empty() {
            "none".to_string()
        } else {
            rule.targets.join(", ")
        };
        return Finding::new(
            L::FastPath,
            S::Broken,
            format!("rule {rule_name} does not send to queue {queue_name}"),
        )
        .evidence(format!("ListTargetsByRule: {targets}"))
        .fix(by_setup(format!("add queue {queue_name} as its target")));
    }
    let waiting = queue
        .waiting
        .map(|n| format!("; {n} message(s) waiting"))
        .unwrap_or_default();
    let evidence = format!(
        "{state_evidence}; ListTargetsByRule: {}; GetQueueAttributes: Policy{waiting}",
        queue.arn
    );
    match sending(
        queue.policy.as_deref(),
        &queue.arn,
        &Sender::rule(&rule.arn),
    ) {
        Sending::Refused => counted(
            Finding::new(
                L::FastPath,
                S::Broken,
                format!(
                    "queue {queue_name}'s policy does not let rule {rule_name} send: every \
                     delivery fails, counted only in the rule's FailedInvocations"
                ),
            )
            .evidence(evidence)
            .fix(by_setup("add the statement that lets the rule send")),
            &seen.arrivals,
        ),
        Sending::AnySender => judged(
            Finding::new(
                L::FastPath,
                S::Warning,
                format!(
                    "queue {queue_name}'s policy lets any sender in, not only rule {rule_name}: \
                     a read could be forged onto it"
                ),
            )
            .evidence(evidence)
            .fix(format!(
                "condition the queue policy's statement on aws:SourceArn {}",
                rule.arn
            )),
            queue_name,
            &seen.arrivals,
        ),
        Sending::OnlyTheSender => judged(
            Finding::new(
                L::FastPath,
                S::Ok,
                format!("rule {rule_name} sends every read to queue {queue_name} within seconds"),
            )
            .evidence(evidence),
            queue_name,
            &seen.arrivals,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::fast_path::{event_pattern, queue_arn, rule_arn};
    use crate::cloud::queue_policy;

    fn names() -> ChainNames {
        ChainNames::default()
    }

    fn rule(state: &str, targets: Vec<String>) -> RuleInfo {
        let n = names();
        RuleInfo {
            name: n.fast_path_rule.clone(),
            arn: rule_arn("aws", "eu-west-1", "1", &n.fast_path_rule),
            state: state.into(),
            event_pattern: Some(event_pattern()),
            targets,
        }
    }

    fn queue(policy: Option<String>) -> QueueInfo {
        let n = names();
        QueueInfo {
            name: n.fast_path_queue.clone(),
            arn: queue_arn("aws", "eu-west-1", "1", &n.fast_path_queue),
            policy,
            waiting: Some(0),
        }
    }

    fn judged(
        rule: Option<&RuleInfo>,
        pattern: Result<bool, String>,
        queue: Option<&QueueInfo>,
    ) -> Finding {
        fast_path(
            &FastPathSeen {
                rule,
                pattern,
                changes: true,
                queue,
                arrivals: Ok(Arrivals::default()),
            },
            &names(),
        )
    }

    #[test]
    fn as_setup_builds_it_the_fast_path_is_ok_and_absent_it_is_a_warning_with_the_fix() {
        let q0 = queue(None);
        let r = rule(RULE_STATE, vec![q0.arn.clone()]);
        let q = queue(queue_policy::merged(None, &q0.arn, &Sender::rule(&r.arn)));
        assert_eq!(judged(Some(&r), Ok(true), Some(&q)).state, S::Ok);
        let none = judged(None, Ok(false), None);
        assert_eq!(none.state, S::Warning);
        assert!(none.summary.contains("about 5 minutes late"), "{none:?}");
        assert!(
            none.fix
                .as_deref()
                .is_some_and(|f| f.contains("secretwatch setup"))
        );
    }

    #[test]
    fn plain_enabled_disabled_a_pattern_that_misses_and_no_target_are_each_named() {
        let q = queue(None);
        let enabled = judged(
            Some(&rule("ENABLED", vec![q.arn.clone()])),
            Ok(true),
            Some(&q),
        );
        assert_eq!(enabled.state, S::Broken);
        assert!(
            enabled.summary.contains("never read-only calls"),
            "{enabled:?}"
        );
        let disabled = judged(Some(&rule("DISABLED", vec![])), Ok(true), Some(&q));
        assert!(disabled.summary.contains("DISABLED"), "{disabled:?}");
        let misses = judged(Some(&rule(RULE_STATE, vec![])), Ok(false), Some(&q));
        assert!(misses.summary.contains("does not match"), "{misses:?}");
        let untested = judged(Some(&rule(RULE_STATE, vec![])), Err("no".into()), Some(&q));
        assert_eq!(untested.state, S::Unknown);
        let elsewhere = judged(
            Some(&rule(
                RULE_STATE,
                vec!["arn:aws:sqs:eu-west-1:1:other".into()],
            )),
            Ok(true),
            Some(&q),
        );
        assert!(
            elsewhere.summary.contains("does not send to queue"),
            "{elsewhere:?}"
        );
        assert!(elsewhere.evidence.contains(":other"), "{elsewhere:?}");
        let no_queue = judged(Some(&rule(RULE_STATE, vec![])), Ok(true), None);
        assert!(no_queue.summary.contains("has no queue"), "{no_queue:?}");
    }

    #[test]
    fn a_queue_policy_that_refuses_is_broken_and_one_open_to_all_a_warning() {
        let q = queue(None);
        let r = rule(RULE_STATE, vec![q.arn.clone()]);
        let refused = judged(Some(&r), Ok(true), Some(&q));
        assert_eq!(refused.state, S::Broken);
        assert!(refused.summary.contains("FailedInvocations"), "{refused:?}");
        let open = queue(Some(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage"}]}"#
                .into(),
        ));
        let any = judged(Some(&r), Ok(true), Some(&open));
        assert_eq!(any.state, S::Warning);
        assert!(
            any.fix
                .as_deref()
                .is_some_and(|f| f.contains("aws:SourceArn"))
        );
    }
}
