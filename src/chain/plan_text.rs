//! Setup's steps in words: each says whether it creates, updates (and what, before ->
//! after) or keeps, the same before and while it is applied.

use super::setup::{LOGS_ROLE, RETENTION_DAYS, Step};
use crate::cloud::admin::{AlarmFix, MetricFilterFix};
use crate::cloud::fast_path::RULE_STATE;
use crate::cloud::logs_role::{ACTIONS, INLINE_POLICY, RoleFix, SERVICE};
use crate::cloud::names::{ACCESS_PATTERN, ChainNames};
use std::fmt;

/// A step with the names it acts on, for showing before and during apply.
pub struct Shown<'a>(pub &'a Step, pub &'a ChainNames);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.1;
        match self.0 {
            Step::Secret => write!(f, "create secret {} (with a random value)", n.secret),
            Step::TrailBucket { bucket } => write!(
                f,
                "create S3 bucket {bucket} with a bucket policy letting cloudtrail.amazonaws.com write"
            ),
            Step::LogsRole => write!(
                f,
                "create IAM role {LOGS_ROLE} (trusted by {SERVICE}; {} on {})",
                ACTIONS.join(", "),
                n.log_group
            ),
            Step::UpdateLogsRole(fix) => {
                write!(f, "update IAM role {LOGS_ROLE}: ")?;
                role_changes(f, fix, &n.log_group)
            }
            Step::KeepLogsRole => write!(
                f,
                "keep IAM role {LOGS_ROLE} (exists with the trust and permissions CloudTrail needs)"
            ),
            Step::CheckLogsRole { why } => write!(
                f,
                "create IAM role {LOGS_ROLE} if missing, or add only what CloudTrail lacks, \
                 keeping its other statements and policies (it could not be read: {why})"
            ),
            Step::SharedLogsRole { first } => write!(
                f,
                "give IAM role {LOGS_ROLE} (IAM is global: its step in {first} comes first) what \
                 CloudTrail needs to write to this region's log group, keeping the rest"
            ),
            Step::LogGroup => write!(
                f,
                "create log group {} (retention {RETENTION_DAYS} days)",
                n.log_group
            ),
            Step::KeepLogGroup => write!(
                f,
                "keep log group {} (exists; its retention is left as it is)",
                n.log_group
            ),
            Step::Trail {
                bucket,
                exists: false,
            } => write!(
                f,
                "create trail {} into {bucket}: management events Read and Write, \
                 delivered to {} through {LOGS_ROLE}, logging on",
                n.trail, n.log_group
            ),
            Step::Trail { exists: true, .. } => write!(
                f,
                "update trail {}: delivered to {} through {LOGS_ROLE}, logging on, \
                 management reads recorded (its bucket and other selectors kept)",
                n.trail, n.log_group
            ),
            Step::UpdateTrail(fix) => {
                let mut parts = Vec::new();
                if fix.start_logging {
                    parts.push("logging off -> on".to_string());
                }
                if let Some(before) = &fix.record_reads {
                    parts.push(format!(
                        "{before} -> management events read and write (its other selectors kept)"
                    ));
                }
                write!(f, "update trail {}: {}", n.trail, parts.join("; "))
            }
            Step::MetricFilter {
                name,
                log_group,
                kept,
            } => {
                write!(
                    f,
                    "create metric filter {name} on {log_group}: {ACCESS_PATTERN} → {}/{} value 1, default 0",
                    n.metric_namespace, n.metric_name
                )?;
                match kept.as_slice() {
                    [] => Ok(()),
                    [one] => write!(
                        f,
                        " (a filter named {one} exists and counts something else: kept)"
                    ),
                    many => write!(
                        f,
                        " (filters named {} exist and count something else: kept)",
                        many.join(", ")
                    ),
                }
            }
            Step::UpdateMetricFilter(fix) => filter_changes(f, fix),
            Step::FastPathRule { state: None } => write!(
                f,
                "create EventBridge rule {} on the default bus: Secrets Manager reads as \
                 CloudTrail records them, state {RULE_STATE} (plain ENABLED never receives reads)",
                n.fast_path_rule
            ),
            Step::FastPathRule {
                state: Some(before),
            } => write!(
                f,
                "update EventBridge rule {}: state {before} -> {RULE_STATE}, pattern of \
                 Secrets Manager reads (its targets and tags kept)",
                n.fast_path_rule
            ),
            Step::FastPathQueue { exists, .. } => write!(
                f,
                "{} SQS queue {}: a policy statement letting only rule {} send \
                 (events.amazonaws.com on condition of aws:SourceArn{})",
                if *exists { "update" } else { "create" },
                n.fast_path_queue,
                n.fast_path_rule,
                if *exists {
                    "; its other statements kept"
                } else {
                    ""
                }
            ),
            Step::TrailFileQueue { exists, sender } => write!(
                f,
                "{} SQS queue {}: a policy statement letting only {} send ({} on condition \
                 of aws:SourceArn{})",
                if *exists { "update" } else { "create" },
                n.trail_file_queue,
                sender.arn,
                sender.service,
                if *exists {
                    "; its other statements kept"
                } else {
                    ""
                }
            ),
            Step::AlarmQueue { topic } => write!(
                f,
                "create SQS queue {} (if missing) letting topic {} send, and subscribe it to the \
                 topic: where a trace sees the alarm's message arrive",
                n.alarm_queue,
                topic
                    .as_deref()
                    .map_or(n.topic.as_str(), |t| t.rsplit(':').next().unwrap_or(t))
            ),
            Step::SubscribeQueue { topic, .. } => write!(
                f,
                "subscribe queue {} to the trail's topic {topic} (one message per log file)",
                n.trail_file_queue
            ),
            Step::NotifyQueue { bucket, .. } => write!(
                f,
                "tell queue {} of each log file in bucket {bucket} (an event notification of \
                 objects created under AWSLogs/; its other notifications kept)",
                n.trail_file_queue
            ),
            Step::FastPathTarget { .. } => write!(
                f,
                "send rule {}'s events to queue {} (its other targets kept)",
                n.fast_path_rule, n.fast_path_queue
            ),
            Step::Topic => write!(f, "create SNS topic {}", n.topic),
            Step::KeepTopic => write!(
                f,
                "keep SNS topic {} (exists; its policy and subscriptions are left as they are)",
                n.topic
            ),
            Step::Subscribe { email } => write!(
                f,
                "subscribe {email} to {} (PendingConfirmation until the link in AWS's email is clicked)",
                n.topic
            ),
            Step::Alarm => write!(
                f,
                "create alarm {}: Sum of {}/{} >= 1 per {} s, 1 of 1, missing data notBreaching, action {}",
                n.alarm,
                n.metric_namespace,
                n.metric_name,
                n.alarm_period.as_secs(),
                n.topic
            ),
            Step::UpdateAlarm(fix) => {
                write!(f, "update alarm {}: ", n.alarm)?;
                alarm_changes(f, fix, &n.topic)?;
                write!(f, "; every other setting kept")
            }
        }
    }
}

fn alarm_changes(f: &mut fmt::Formatter<'_>, fix: &AlarmFix, topic: &str) -> fmt::Result {
    let mut parts = Vec::new();
    if let Some((before, after)) = &fix.metric {
        parts.push(format!(
            "metric {}/{} -> {}/{}",
            before.namespace, before.name, after.namespace, after.name
        ));
    }
    if let Some((before, after)) = fix.statistic {
        parts.push(format!(
            "statistic {} -> {}",
            before.as_str(),
            after.as_str()
        ));
    }
    if let Some(((c0, t0), (c1, t1))) = fix.threshold {
        parts.push(format!(
            "threshold {} {t0} -> {} {t1}",
            c0.symbol(),
            c1.symbol()
        ));
    }
    if fix.enable_actions {
        parts.push("actions disabled -> enabled".into());
    }
    let mut actions: Vec<String> = fix.kept_actions.iter().map(|a| action_name(a)).collect();
    if fix.add_topic {
        actions.push(format!("+ {topic}"));
    }
    if !actions.is_empty() {
        let label = if fix.kept_actions.is_empty() {
            "actions"
        } else {
            "actions kept"
        };
        parts.push(format!("{label}: {}", actions.join(", ")));
    }
    write!(f, "{}", parts.join("; "))
}

/// An SNS topic by its name (the ARN's last part); any other action in full.
fn action_name(arn: &str) -> String {
    match arn.strip_prefix("arn:aws:sns:") {
        Some(rest) => rest.rsplit(':').next().unwrap_or(rest).to_string(),
        None => arn.to_string(),
    }
}

fn role_changes(f: &mut fmt::Formatter<'_>, fix: &RoleFix, group: &str) -> fmt::Result {
    let listed = |items: &[String]| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    let mut parts = Vec::new();
    if let Some(who) = &fix.trust {
        let mut after = who.clone();
        after.push(SERVICE.to_string());
        parts.push(format!("trust {} -> {}", listed(who), listed(&after)));
    }
    if let Some(has) = &fix.permissions {
        parts.push(format!(
            "on {group} {} -> {} (in inline policy {INLINE_POLICY})",
            listed(has),
            ACTIONS.join(", ")
        ));
    }
    parts.push("its other statements and policies kept".into());
    write!(f, "{}", parts.join("; "))
}

fn filter_changes(f: &mut fmt::Formatter<'_>, fix: &MetricFilterFix) -> fmt::Result {
    write!(
        f,
        "update metric filter {} on {}: ",
        fix.name, fix.log_group
    )?;
    let mut parts = Vec::new();
    if let Some((before, after)) = &fix.pattern {
        let before = if before.trim().is_empty() {
            "(empty, matching every event)"
        } else {
            before
        };
        parts.push(format!("pattern {before} -> {after}"));
    }
    if let Some((before, after)) = &fix.value {
        parts.push(format!("value {before} -> {after}"));
    }
    if let Some((before, after)) = fix.default_value {
        let before = before.map_or("none".to_string(), |v| v.to_string());
        parts.push(format!("default {before} -> {after}"));
    }
    let kept = if fix.pattern.is_some() {
        "its name and every other setting kept"
    } else {
        "its name, pattern and every other setting kept"
    };
    parts.push(kept.into());
    write!(f, "{}", parts.join("; "))
}
