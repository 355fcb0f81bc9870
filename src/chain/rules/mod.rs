//! One rule per link: pure judgements over what the account described.

use super::{ChainLink, Finding, LinkState};
pub use crate::cloud::links::log_group_name;
use crate::cloud::links::{
    LogGroupInfo, MetricFilterInfo, SecretInfo, Selectors, TopicInfo, TrailInfo,
};
use crate::cloud::names::ChainNames;
use crate::cloud::types::{Alarm, Comparison, Statistic};
use chrono::{DateTime, TimeDelta, Utc};

use ChainLink as L;
use LinkState as S;

pub fn secret(name: &str, found: Option<&SecretInfo>) -> Finding {
    match found {
        Some(s) => Finding::new(L::Secret, S::Ok, format!("secret {} exists", s.name))
            .evidence(format!("DescribeSecret: {}", s.arn)),
        None => Finding::new(L::Secret, S::Broken, format!("no secret named {name} here"))
            .evidence("DescribeSecret: ResourceNotFoundException")
            .fix(format!(
                "check the region and the name (--secret, names.secret), or create {name}"
            )),
    }
}

fn records_reads(t: &TrailInfo) -> Result<(), String> {
    match &t.selectors {
        Selectors::Default => Ok(()),
        Selectors::Basic {
            read_write,
            include_management_events,
        } => {
            if !include_management_events {
                Err("its event selector excludes management events".into())
            } else if read_write == "WriteOnly" {
                Err("its event selector records WriteOnly events; GetSecretValue is a read".into())
            } else {
                Ok(())
            }
        }
        Selectors::Advanced { summary } => Err(format!("advanced selectors ({summary})")),
    }
}

/// The trail that carries accesses to the logs: the named one if it exists, else the
/// best candidate (logging, reads in, delivering to a log group).
pub fn pick_trail<'a>(trails: &'a [TrailInfo], preferred: &str) -> Option<&'a TrailInfo> {
    let score = |t: &TrailInfo| {
        (t.name == preferred) as u8 * 8
            + t.is_logging as u8 * 4
            + records_reads(t).is_ok() as u8 * 2
            + t.log_group_arn.is_some() as u8
    };
    trails.iter().max_by_key(|t| score(t))
}

pub fn trail(chosen: Option<&TrailInfo>, names: &ChainNames) -> Finding {
    let Some(t) = chosen else {
        return Finding::new(L::Trail, S::Broken, "no trail in this region")
            .evidence("DescribeTrails: empty list")
            .fix(format!(
                "create trail {} logging management events (Read and Write)",
                names.trail
            ));
    };
    let evidence = format!(
        "DescribeTrails/GetTrailStatus/GetEventSelectors: {} logging={} selectors={:?}",
        t.name, t.is_logging, t.selectors
    );
    if !t.is_logging {
        return Finding::new(
            L::Trail,
            S::Broken,
            format!("trail {} is not logging", t.name),
        )
        .evidence(evidence)
        .fix(format!("aws cloudtrail start-logging --name {}", t.name));
    }
    match records_reads(t) {
        Ok(()) => Finding::new(
            L::Trail,
            S::Ok,
            format!("trail {} logs management events including reads", t.name),
        )
        .evidence(evidence),
        Err(why) if matches!(t.selectors, Selectors::Advanced { .. }) => {
            Finding::new(L::Trail, S::Unknown, format!("trail {} uses {why}", t.name))
                .evidence(evidence)
                .fix("check that they select management events with readOnly true")
        }
        Err(why) => Finding::new(L::Trail, S::Broken, format!("trail {}: {why}", t.name))
            .evidence(evidence)
            .fix(format!(
                "aws cloudtrail put-event-selectors --trail-name {} --event-selectors \
                 '[{{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}}]'",
                t.name
            )),
    }
}

pub fn delivery(
    trail: Option<&TrailInfo>,
    group: Option<&LogGroupInfo>,
    now: DateTime<Utc>,
) -> Finding {
    let Some(t) = trail else {
        return Finding::new(
            L::Delivery,
            S::Broken,
            "no trail, so nothing reaches the logs",
        );
    };
    let Some(arn) = &t.log_group_arn else {
        return Finding::new(
            L::Delivery,
            S::Broken,
            format!("trail {} does not deliver to CloudWatch Logs", t.name),
        )
        .evidence("DescribeTrails: no CloudWatchLogsLogGroupArn")
        .fix("give the trail a log group and a role CloudTrail can assume to write to it");
    };
    let name = log_group_name(arn).unwrap_or(arn);
    if group.is_none() {
        return Finding::new(
            L::Delivery,
            S::Broken,
            format!("log group {name} does not exist"),
        )
        .evidence(format!("DescribeLogGroups: no {name}"))
        .fix(format!("aws logs create-log-group --log-group-name {name}"));
    }
    if t.logs_role_arn.is_none() {
        return Finding::new(L::Delivery, S::Broken, format!("trail {} has no role for the logs", t.name))
            .evidence("DescribeTrails: no CloudWatchLogsRoleArn")
            .fix("a role trusted by cloudtrail.amazonaws.com with logs:CreateLogStream and logs:PutLogEvents");
    }
    if let Some(error) = &t.latest_logs_delivery_error {
        return Finding::new(L::Delivery, S::Broken, format!("delivery to {name} fails"))
            .evidence(format!(
                "GetTrailStatus: LatestCloudWatchLogsDeliveryError {error}"
            ))
            .fix(
                "check the role's trust policy and its logs:PutLogEvents permission on the group",
            );
    }
    match t.latest_logs_delivery {
        None => Finding::new(L::Delivery, S::Unknown, format!("no delivery to {name} recorded yet"))
            .evidence("GetTrailStatus: no LatestCloudWatchLogsDeliveryTime")
            .fix("a new trail delivers within minutes; if this stays, the endpoint may not deliver to logs"),
        Some(at) if now - at > TimeDelta::hours(1) => Finding::new(
            L::Delivery,
            S::Warning,
            format!("last delivery to {name} was {} minutes ago", (now - at).num_minutes()),
        )
        .evidence(format!("GetTrailStatus: LatestCloudWatchLogsDeliveryTime {at}")),
        Some(at) => Finding::new(L::Delivery, S::Ok, format!("trail {} delivers to {name}", t.name))
            .evidence(format!("GetTrailStatus: LatestCloudWatchLogsDeliveryTime {at}")),
    }
}

/// How the filter's pattern fared against a synthetic GetSecretValue event and a
/// synthetic unrelated event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternTest {
    pub matches_access: bool,
    pub matches_other: bool,
    /// "TestMetricFilter", or why the local evaluator was used.
    pub how: String,
}

pub fn metric_filter(
    group: &str,
    filter: Option<&MetricFilterInfo>,
    test: Result<PatternTest, String>,
    names: &ChainNames,
) -> Finding {
    let metric = format!("{}/{}", names.metric_namespace, names.metric_name);
    let Some(f) = filter else {
        return Finding::new(
            L::MetricFilter,
            S::Broken,
            format!("no filter on {group} emits {metric}"),
        )
        .evidence(format!("DescribeMetricFilters {group}"))
        .fix(format!(
            "put metric filter {} on {group}: {}, value 1, default 0",
            names.metric_filter,
            crate::cloud::names::ACCESS_PATTERN
        ));
    };
    let evidence = format!("DescribeMetricFilters: {} pattern {}", f.name, f.pattern);
    let test = match test {
        Ok(t) => t,
        Err(why) => {
            return Finding::new(
                L::MetricFilter,
                S::Broken,
                format!("filter {}: {why}", f.name),
            )
            .evidence(evidence);
        }
    };
    let evidence = format!("{evidence}; tested with {}", test.how);
    if !test.matches_access {
        return Finding::new(
            L::MetricFilter,
            S::Broken,
            format!("filter {} does not match a GetSecretValue event", f.name),
        )
        .evidence(evidence)
        .fix(format!(
            "use the pattern {}",
            crate::cloud::names::ACCESS_PATTERN
        ));
    }
    let t = f
        .transformations
        .iter()
        .find(|t| t.namespace == names.metric_namespace && t.name == names.metric_name);
    let value_ok = t.is_some_and(|t| t.value == "1");
    let default_zero = t.is_some_and(|t| t.default_value == Some(0.0));
    if test.matches_other || !value_ok || !default_zero {
        let mut why = Vec::new();
        if test.matches_other {
            why.push("it also counts events that are not accesses");
        }
        if !value_ok {
            why.push("its value is not 1");
        }
        if !default_zero {
            why.push("it has no default value 0");
        }
        return Finding::new(
            L::MetricFilter,
            S::Warning,
            format!("filter {}: {}", f.name, why.join("; ")),
        )
        .evidence(evidence)
        .fix("value 1 on a GetSecretValue match, default value 0");
    }
    Finding::new(
        L::MetricFilter,
        S::Ok,
        format!("filter {} counts accesses into {metric}", f.name),
    )
    .evidence(evidence)
}

pub fn alarm(found: Option<&Alarm>, names: &ChainNames) -> Finding {
    let Some(a) = found else {
        return Finding::new(L::Alarm, S::Broken, format!("no alarm named {}", names.alarm))
            .evidence("DescribeAlarms: none")
            .fix(format!(
                "alarm {} on {}/{}: Sum >= 1 per period, 1 of 1, missing data notBreaching, action the SNS topic",
                names.alarm, names.metric_namespace, names.metric_name
            ));
    };
    let evidence = format!(
        "DescribeAlarms: {} {} {} {} over {}s, actions {}",
        a.metric.name,
        a.statistic.as_str(),
        a.comparison.symbol(),
        a.threshold,
        a.period.as_secs(),
        if a.actions_enabled {
            "enabled"
        } else {
            "disabled"
        }
    );
    let broken = |summary: String, fix: &str| {
        Finding::new(L::Alarm, S::Broken, summary)
            .evidence(evidence.clone())
            .fix(fix.to_string())
    };
    if a.metric != names.metric() {
        return broken(
            format!(
                "alarm watches {}/{}, not {}/{}",
                a.metric.namespace, a.metric.name, names.metric_namespace, names.metric_name
            ),
            "point the alarm at the metric the filter emits",
        );
    }
    match a.statistic {
        Statistic::Average => return broken(
            "statistic Average: every other CloudTrail event adds a 0, so one access averages far below 1 and the alarm never fires".into(),
            "use the statistic Sum",
        ),
        Statistic::Minimum => return broken(
            "statistic Minimum: any other event in the period makes it 0, so it never fires".into(),
            "use the statistic Sum",
        ),
        Statistic::SampleCount => return broken(
            "statistic SampleCount counts every CloudTrail event, accesses or not: it fires on anything".into(),
            "use the statistic Sum",
        ),
        Statistic::Sum | Statistic::Maximum => {}
    }
    let one_access_crosses = a.comparison.holds(1.0, a.threshold)
        && matches!(
            a.comparison,
            Comparison::GreaterThanOrEqualToThreshold | Comparison::GreaterThanThreshold
        );
    if !one_access_crosses {
        return Finding::new(
            L::Alarm,
            S::Warning,
            format!(
                "one access does not cross {} {}",
                a.comparison.symbol(),
                a.threshold
            ),
        )
        .evidence(evidence)
        .fix("threshold 1 with GreaterThanOrEqualToThreshold");
    }
    if !a.actions_enabled {
        return broken(
            "the alarm's actions are disabled".into(),
            &format!(
                "aws cloudwatch enable-alarm-actions --alarm-names {}",
                a.name
            ),
        );
    }
    if !a
        .alarm_actions
        .iter()
        .any(|x| x.starts_with("arn:aws:sns:"))
    {
        return broken(
            "the alarm has no SNS action: nobody is told".into(),
            "add the SNS topic as the alarm action",
        );
    }
    Finding::new(
        L::Alarm,
        S::Ok,
        format!("alarm {} fires on one access", a.name),
    )
    .evidence(evidence)
}

pub fn notify(topic_arn: Option<&str>, topic: Option<&TopicInfo>) -> Finding {
    let Some(arn) = topic_arn else {
        return Finding::new(L::Notify, S::Broken, "no SNS topic to notify")
            .fix("create topic SecurityAlarms and subscribe an email address");
    };
    let Some(t) = topic else {
        return Finding::new(L::Notify, S::Broken, format!("topic {arn} does not exist"))
            .evidence("GetTopicAttributes: NotFound")
            .fix("create the topic, or point the alarm at one that exists");
    };
    if let Some(policy) = &t.policy
        && denies_publish(policy)
    {
        return Finding::new(L::Notify, S::Broken, "the topic policy denies publishing")
            .evidence(format!("GetTopicAttributes Policy: {policy}"))
            .fix("allow SNS:Publish for cloudwatch.amazonaws.com (or the account)");
    }
    let confirmed: Vec<&str> = t
        .subscriptions
        .iter()
        .filter(|s| s.confirmed)
        .map(|s| s.endpoint.as_str())
        .collect();
    let pending: Vec<&str> = t
        .subscriptions
        .iter()
        .filter(|s| !s.confirmed)
        .map(|s| s.endpoint.as_str())
        .collect();
    let evidence = format!(
        "ListSubscriptionsByTopic: {} confirmed, {} pending",
        confirmed.len(),
        pending.len()
    );
    match (confirmed.is_empty(), pending.is_empty()) {
        (false, _) => Finding::new(
            L::Notify,
            S::Ok,
            format!("notifies {}", confirmed.join(", ")),
        )
        .evidence(evidence),
        (true, false) => Finding::new(
            L::Notify,
            S::Warning,
            format!(
                "PendingConfirmation: {} has not confirmed the subscription",
                pending.join(", ")
            ),
        )
        .evidence(evidence)
        .fix("open the confirmation email from AWS Notifications and click the link"),
        (true, true) => Finding::new(L::Notify, S::Broken, "nobody is subscribed to the topic")
            .evidence(evidence)
            .fix("subscribe an email address: setup --email ADDR"),
    }
}

fn denies_publish(policy: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else {
        return false;
    };
    let statements = match &doc["Statement"] {
        serde_json::Value::Array(list) => list.clone(),
        single @ serde_json::Value::Object(_) => vec![single.clone()],
        _ => Vec::new(),
    };
    statements.iter().any(|s| {
        let actions = match &s["Action"] {
            serde_json::Value::String(a) => vec![a.clone()],
            serde_json::Value::Array(list) => list
                .iter()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        s["Effect"] == "Deny"
            && actions.iter().any(|a| {
                a == "*" || a.eq_ignore_ascii_case("SNS:Publish") || a.eq_ignore_ascii_case("sns:*")
            })
    })
}

pub fn trail_notifications(trails: &[TrailInfo]) -> Option<Finding> {
    let t = trails.iter().find(|t| t.sns_topic.is_some())?;
    Some(
        Finding::new(
            L::TrailNotifications,
            S::Warning,
            format!("trail {} sends an SNS message for every log file it delivers: it works, but it is noise, not an access alert", t.name),
        )
        .evidence(format!("DescribeTrails: SnsTopicARN {}", t.sns_topic.as_deref().unwrap_or_default()))
        .fix("rely on the alarm; remove the trail's SNS topic if nobody reads those messages"),
    )
}

#[cfg(test)]
mod tests;
