//! The doctor: reads every link of the chain from the account and judges each by
//! its meaning, with the evidence and the fix.

use super::rules::{self, PatternTest};
use super::{ChainLink, Finding, LinkState};
use crate::cloud::names::ChainNames;
use crate::cloud::{Cloud, CloudError, ErrorKind};
use crate::filter_pattern::FilterPattern;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn healthy(&self) -> bool {
        self.findings.iter().all(|f| f.state == LinkState::Ok)
    }

    /// 0 healthy, 1 findings, 2 nothing could be checked.
    pub fn exit_code(&self) -> u8 {
        if self.healthy() {
            0
        } else if self.findings.iter().all(|f| f.state == LinkState::Unknown) {
            2
        } else {
            1
        }
    }
}

fn unknown(link: ChainLink, error: &CloudError) -> Finding {
    let finding = Finding::new(
        link,
        LinkState::Unknown,
        format!("could not check: {}", error.short()),
    )
    .evidence(error.to_string());
    match error.hint() {
        Some(hint) => finding.fix(hint),
        None => finding,
    }
}

/// A GetSecretValue record for the watched secret and an unrelated one: what a
/// correct filter must match and must not.
fn synthetic_events(secret: &str) -> [String; 2] {
    let access = json!({
        "eventVersion": "1.09",
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue",
        "readOnly": true,
        "requestParameters": { "secretId": secret },
        "userIdentity": { "type": "IAMUser", "arn": "arn:aws:iam::000000000000:user/doctor" }
    });
    let other = json!({
        "eventVersion": "1.09",
        "eventSource": "ec2.amazonaws.com",
        "eventName": "DescribeInstances",
        "readOnly": true,
        "userIdentity": { "type": "IAMUser", "arn": "arn:aws:iam::000000000000:user/doctor" }
    });
    [access.to_string(), other.to_string()]
}

async fn test_pattern(
    cloud: &dyn Cloud,
    pattern: &str,
    secret: &str,
) -> Result<Result<PatternTest, String>, Finding> {
    let events = synthetic_events(secret);
    match cloud.test_metric_filter(pattern, &events).await {
        Ok(matched) => Ok(Ok(PatternTest {
            matches_access: matched.contains(&0),
            matches_other: matched.contains(&1),
            how: "TestMetricFilter".into(),
        })),
        Err(e) if e.kind == ErrorKind::InvalidInput => Ok(Err(format!("the pattern is invalid: {}", e.message))),
        Err(e) if e.kind == ErrorKind::Unsupported => match FilterPattern::parse(pattern) {
            Ok(p) => {
                let matches = |text: &str| {
                    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| p.matches(&v))
                };
                Ok(Ok(PatternTest {
                    matches_access: matches(&events[0]),
                    matches_other: matches(&events[1]),
                    how: "the local evaluator (this endpoint does not support TestMetricFilter)".into(),
                }))
            }
            Err(parse) => Err(Finding::new(
                ChainLink::MetricFilter,
                LinkState::Unknown,
                "TestMetricFilter is not supported here and the local evaluator cannot read the pattern",
            )
            .evidence(parse.to_string())),
        },
        Err(e) => Err(unknown(ChainLink::MetricFilter, &e)),
    }
}

pub async fn examine(cloud: &dyn Cloud, names: &ChainNames, now: DateTime<Utc>) -> Report {
    let mut findings = Vec::new();

    findings.push(match cloud.describe_secret(&names.secret).await {
        Ok(found) => rules::secret(&names.secret, found.as_ref()),
        Err(e) => unknown(ChainLink::Secret, &e),
    });

    let trails = match cloud.trails().await {
        Ok(trails) => Some(trails),
        Err(e) => {
            findings.push(unknown(ChainLink::Trail, &e));
            findings.push(unknown(ChainLink::Delivery, &e));
            None
        }
    };
    let chosen = trails
        .as_deref()
        .and_then(|t| rules::pick_trail(t, &names.trail));
    let group_name = chosen
        .and_then(|t| t.log_group_arn.as_deref())
        .and_then(rules::log_group_name)
        .unwrap_or(&names.log_group)
        .to_string();
    if let Some(trails) = &trails {
        findings.push(rules::trail(chosen, names));
        findings.push(match cloud.log_group(&group_name).await {
            Ok(group) => rules::delivery(chosen, group.as_ref(), now),
            Err(e) => unknown(ChainLink::Delivery, &e),
        });
        findings.extend(rules::trail_notifications(trails));
    }

    findings.push(match cloud.metric_filters(&group_name).await {
        Ok(filters) => {
            let filter = filters.iter().find(|f| {
                f.transformations
                    .iter()
                    .any(|t| t.namespace == names.metric_namespace && t.name == names.metric_name)
            });
            match filter {
                Some(f) => match test_pattern(cloud, &f.pattern, &names.secret).await {
                    Ok(test) => rules::metric_filter(&group_name, Some(f), test, names),
                    Err(finding) => finding,
                },
                None => rules::metric_filter(&group_name, None, Err(String::new()), names),
            }
        }
        Err(e) if e.kind == ErrorKind::NotFound => {
            rules::metric_filter(&group_name, None, Err(String::new()), names)
        }
        Err(e) => unknown(ChainLink::MetricFilter, &e),
    });

    match cloud.describe_alarm(&names.alarm).await {
        Ok(alarm) => {
            findings.push(rules::alarm(alarm.as_ref(), names));
            // The topic is the one the alarm notifies.
            let topic_arn = alarm.as_ref().and_then(|a| {
                a.alarm_actions
                    .iter()
                    .find(|x| x.starts_with("arn:aws:sns:"))
                    .cloned()
            });
            findings.push(match &topic_arn {
                Some(arn) => match cloud.topic(arn).await {
                    Ok(topic) => rules::notify(Some(arn), topic.as_ref()),
                    Err(e) => unknown(ChainLink::Notify, &e),
                },
                None => rules::notify(None, None),
            });
        }
        Err(e) => {
            findings.push(unknown(ChainLink::Alarm, &e));
            findings.push(unknown(ChainLink::Notify, &e));
        }
    }
    findings.sort_by_key(|f| f.link as u8);
    Report { findings }
}
