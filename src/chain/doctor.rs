//! The doctor: reads every link of the chain from the account and judges each by
//! its meaning, with the evidence and the fix.

use super::doctor_home::{self, Home, Homes};
use super::pattern_trial::test_pattern;
use super::rules::{self, PatternTest};
use super::{ChainLink, Finding, LinkState, Sources};
use crate::cloud::links::MetricFilterInfo;
use crate::cloud::names::ChainNames;
use crate::cloud::scope::Scope;
use crate::cloud::{Cloud, CloudError, ErrorKind};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// The metric filter judged, as read, for setup to fix in place.
    #[serde(skip)]
    pub filter: Option<FilterSeen>,
    /// The log group whose filters were judged: the one the trail delivers to, else the
    /// chain's. A new filter goes there.
    #[serde(skip)]
    pub log_group: String,
    /// Where the log group, filter, alarm and topic live when not in this scope: the scope
    /// of the log group another account's organization trail delivers to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_in: Option<Scope>,
}

/// The filter emitting the chain's metric, and how its pattern fared (Err: why it
/// could not be tested, an invalid pattern).
#[derive(Debug, Clone)]
pub struct FilterSeen {
    pub filter: MetricFilterInfo,
    pub test: Result<PatternTest, String>,
    /// The other filters on the group that emit the metric too, by name: each counts
    /// every access again.
    pub also: Vec<String>,
}

impl Report {
    /// Every link ok; the noise and the alarm queue's findings are advice, not links.
    pub fn healthy(&self) -> bool {
        self.links().all(|f| f.state == LinkState::Ok)
    }

    fn links(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.link.is_advice())
    }

    /// 0 healthy, 1 findings, 2 nothing could be checked.
    pub fn exit_code(&self) -> u8 {
        if self.healthy() {
            0
        } else if self.links().all(|f| f.state == LinkState::Unknown) {
            2
        } else {
            1
        }
    }
}

pub(super) fn unknown(link: ChainLink, error: &CloudError) -> Finding {
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

/// The test secret's finding, then one for each watched secret that is another secret.
async fn secrets(cloud: &dyn Cloud, test_secret: &str, watched: &[String]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    match cloud.describe_secret(test_secret).await {
        Ok(found) => {
            findings.push(rules::secret(test_secret, found.as_ref()));
            seen.extend(found.map(|s| s.arn));
        }
        Err(e) => findings.push(unknown(ChainLink::Secret, &e)),
    }
    for given in watched.iter().filter(|w| *w != test_secret) {
        match cloud.describe_secret(given).await {
            // The same secret by another name (its ARN, say) is said once.
            Ok(Some(s)) if seen.contains(&s.arn) => {}
            Ok(found) => {
                findings.push(rules::watched_secret(given, found.as_ref()));
                seen.extend(found.map(|s| s.arn));
            }
            Err(e) => findings.push(unknown(ChainLink::Secret, &e)),
        }
    }
    findings
}

/// The alarm notifies when any of its topics delivers: judged on each, the best one says.
async fn notify(
    cloud: &dyn Cloud,
    alarm: Option<&crate::cloud::types::Alarm>,
    own_queue: &str,
) -> Finding {
    let topics: Vec<&String> = alarm
        .iter()
        .flat_map(|a| a.alarm_actions.iter())
        .filter(|x| x.starts_with("arn:aws:sns:"))
        .collect();
    let mut best: Option<Finding> = None;
    // A topic that delivers wins; one that could not be checked may deliver, so it says
    // more than one known to be broken.
    let rank = |s: LinkState| match s {
        LinkState::Ok => 0,
        LinkState::Warning => 1,
        LinkState::Unknown => 2,
        LinkState::Broken => 3,
    };
    for arn in &topics {
        let finding = match cloud.topic(arn).await {
            Ok(topic) => rules::notify(Some(arn), topic.as_ref(), own_queue),
            Err(e) => unknown(ChainLink::Notify, &e),
        };
        if best
            .as_ref()
            .is_none_or(|b| rank(finding.state) < rank(b.state))
        {
            best = Some(finding);
        }
    }
    match best {
        None => rules::notify(None, None, own_queue),
        Some(f) if topics.len() > 1 => {
            let evidence = format!(
                "{}; the alarm notifies {} topics: {}",
                f.evidence,
                topics.len(),
                topics
                    .iter()
                    .map(|t| t.rsplit(':').next().unwrap_or(t))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            f.evidence(evidence)
        }
        Some(f) => f,
    }
}

/// Every link checked: `names.secret` is the test secret, `watched` the secrets given to
/// watch (each must exist, and the filter must count a read of each); then each source
/// of `sources` that needs setting up. One scope alone: see [`examine_from`].
pub async fn examine(
    cloud: &dyn Cloud,
    names: &ChainNames,
    sources: &Sources,
    watched: &[String],
    now: DateTime<Utc>,
) -> Report {
    examine_from(cloud, &[], names, sources, watched, now).await
}

/// As [`examine`], with the other scopes watched: where another account's organization
/// trail carries this scope's events, its log group, filter, alarm and topic are examined
/// in the scope among `homes` they live in.
pub async fn examine_from(
    cloud: &dyn Cloud,
    homes: &Homes,
    names: &ChainNames,
    sources: &Sources,
    watched: &[String],
    now: DateTime<Utc>,
) -> Report {
    let mut findings = secrets(cloud, &names.secret, watched).await;
    let mut read: Vec<&str> = vec![&names.secret];
    read.extend(
        watched
            .iter()
            .map(String::as_str)
            .filter(|w| *w != names.secret),
    );

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
    let foreign = doctor_home::foreign_trail(cloud, chosen).await;
    let home = doctor_home::locate(foreign, homes);
    let group_name = chosen
        .and_then(|t| t.log_group_arn.as_deref())
        .and_then(rules::log_group_name)
        .unwrap_or(&names.log_group)
        .to_string();
    if let Some(trails) = &trails {
        findings.push(rules::trail(chosen, names));
        findings.extend(rules::trail_notifications(trails));
    }
    let mut seen = None;
    match (&home, foreign) {
        (Home::Unwatched { scope, .. }, Some(trail)) => {
            findings.extend(doctor_home::unwatched(scope, trail));
        }
        _ => {
            let chain = match &home {
                Home::There { cloud, .. } => *cloud,
                _ => cloud,
            };
            let start = findings.len();
            if trails.is_some() {
                findings.push(match foreign {
                    Some(t) if t.log_group_arn.is_none() => doctor_home::no_delivery(t),
                    _ => match chain.log_group(&group_name).await {
                        Ok(group) => rules::delivery(chosen, group.as_ref(), now),
                        Err(e) => unknown(ChainLink::Delivery, &e),
                    },
                });
            }
            let (filter, judged) = metric_filter(chain, &group_name, names, &read).await;
            findings.push(filter);
            seen = judged;
            match chain.describe_alarm(&names.alarm).await {
                Ok(alarm) => {
                    findings.push(rules::alarm(alarm.as_ref(), names));
                    findings.push(notify(chain, alarm.as_ref(), &names.alarm_queue).await);
                    let queue = super::alarm_queue::finding(chain, names, alarm.as_ref());
                    findings.push(queue.await);
                }
                Err(e) => {
                    findings.push(unknown(ChainLink::Alarm, &e));
                    findings.push(unknown(ChainLink::Notify, &e));
                }
            }
            if let Home::There { scope, trail, .. } = &home {
                doctor_home::mark_there(&mut findings[start..], scope, trail);
            }
        }
    }
    if sources.eventbridge {
        findings.push(super::doctor_sources::fast_path(cloud, names, now).await);
    }
    if sources.trail_files {
        findings.push(super::doctor_sources::trail_files(cloud, names, chosen, now).await);
    }
    findings.sort_by_key(|f| f.link as u8);
    Report {
        findings,
        filter: seen,
        log_group: group_name,
        chain_in: home.scope().cloned(),
    }
}

/// The filter on `group_name` that emits the chain's metric, judged (with what was judged).
async fn metric_filter(
    cloud: &dyn Cloud,
    group_name: &str,
    names: &ChainNames,
    read: &[&str],
) -> (Finding, Option<FilterSeen>) {
    let filters = match cloud.metric_filters(group_name).await {
        Ok(filters) => filters,
        Err(e) if e.kind == ErrorKind::NotFound => Vec::new(),
        Err(e) => return (unknown(ChainLink::MetricFilter, &e), None),
    };
    // Every filter that emits the metric counts each access once: ours is found by the
    // metric, whatever its name. The one of the configured name is judged when it is
    // among them, else the first listed; the others are named.
    let emitting: Vec<&MetricFilterInfo> = filters
        .iter()
        .filter(|f| {
            f.transformations
                .iter()
                .any(|t| t.namespace == names.metric_namespace && t.name == names.metric_name)
        })
        .collect();
    let judged = emitting
        .iter()
        .position(|f| f.name == names.metric_filter)
        .unwrap_or(0);
    let also: Vec<&MetricFilterInfo> = emitting
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != judged)
        .map(|(_, f)| *f)
        .collect();
    let Some(f) = emitting.get(judged) else {
        let finding = rules::metric_filter(group_name, None, &[], Err(String::new()), names);
        return (finding, None);
    };
    match test_pattern(cloud, &f.pattern, read).await {
        Ok(test) => {
            let finding = rules::metric_filter(group_name, Some(f), &also, test.clone(), names);
            let seen = FilterSeen {
                filter: (*f).clone(),
                test,
                also: also.iter().map(|o| o.name.clone()).collect(),
            };
            (finding, Some(seen))
        }
        Err(finding) => (finding, None),
    }
}

/// The log group the chain's trail delivers to (as the doctor picks the trail), else the
/// chain's by name: where a trace looks for its read's record.
pub async fn delivery_group(cloud: &dyn Cloud, names: &ChainNames) -> String {
    let trails = cloud.trails().await.unwrap_or_default();
    rules::pick_trail(&trails, &names.trail)
        .and_then(|t| t.log_group_arn.as_deref())
        .and_then(rules::log_group_name)
        .unwrap_or(&names.log_group)
        .to_string()
}
