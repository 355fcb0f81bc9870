//! Setup: the plan of what is missing or wrong, named resource by resource, derived
//! from the doctor's findings, then applied step by step. Idempotent: on a healthy
//! chain the plan is empty.

use super::doctor::{self, Report};
use super::filter_plan::{doubled_note, new_filter};
use super::fixes::{alarm_fix, filter_fix, trail_fix};
use super::{ChainLink, LinkState, Sources};
use crate::cloud::Cloud;
use crate::cloud::admin::{AlarmFix, MetricFilterFix, TrailFix};
use crate::cloud::links::TrailInfo;
use crate::cloud::logs_role::{self, RoleFix};
use crate::cloud::names::ChainNames;
use crate::cloud::queue_policy::Sender;
use chrono::{DateTime, Utc};

pub(super) const RETENTION_DAYS: i32 = 90;
pub const LOGS_ROLE: &str = logs_role::ROLE;

/// One thing setup does, in words that say whether it creates, updates or keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Secret,
    TrailBucket {
        bucket: String,
    },
    /// The role CloudTrail assumes to write to the log group, missing: created.
    LogsRole,
    /// The role exists but lacks CloudTrail's trust or the delivery permissions: those
    /// are added, its other statements and policies kept.
    UpdateLogsRole(RoleFix),
    /// The role exists with what CloudTrail needs: only its ARN is used.
    KeepLogsRole,
    /// The role could not be read (why): created if missing, else given only what it lacks.
    CheckLogsRole {
        why: String,
    },
    /// The role another scope of this account creates or updates earlier in the same plan
    /// (IAM is global): given what this region's log group needs, the rest kept.
    SharedLogsRole {
        /// The scope whose step comes first.
        first: String,
    },
    LogGroup,
    /// The log group exists: only its ARN is needed; its retention is left alone.
    KeepLogGroup,
    /// A new trail, or ours given its delivery to the log group.
    Trail {
        bucket: String,
        exists: bool,
    },
    /// Ours, delivering where it should: logging or selectors fixed, nothing else.
    UpdateTrail(TrailFix),
    /// A new filter: none on the group emits the metric. Named `names.metric_filter`
    /// unless a filter there has that name: then the first free of
    /// `NAME-secretwatch`, `NAME-secretwatch-2`, …; `kept` are the names passed over,
    /// whose filters count something else and are left as they are.
    MetricFilter {
        name: String,
        /// The group the trail delivers to, where the filter counts.
        log_group: String,
        kept: Vec<String>,
    },
    /// The filter that emits the metric, under its own name, changed only where wrong.
    UpdateMetricFilter(MetricFilterFix),
    Topic,
    /// The topic exists: its policy and subscriptions are left alone.
    KeepTopic,
    Subscribe {
        email: String,
    },
    /// A new alarm.
    Alarm,
    /// An alarm that exists, changed only where the doctor found it wrong.
    UpdateAlarm(AlarmFix),
    /// The fast path's EventBridge rule, created (`state` None) or ours brought to the
    /// pattern of reads and the state that receives them (`state`: what it has now); its
    /// targets and tags kept.
    FastPathRule {
        state: Option<String>,
    },
    /// The fast path's queue, created if missing; its policy given the statement that
    /// lets the rule `rule_arn` send, every other statement kept.
    FastPathQueue {
        exists: bool,
        rule_arn: String,
    },
    /// The queue added to the rule's targets, its other targets kept.
    FastPathTarget {
        queue_arn: String,
    },
    /// The trail-file queue, created if missing; its policy given the statement that lets
    /// `sender` (the trail's topic, or its bucket) send, every other statement kept.
    TrailFileQueue {
        exists: bool,
        sender: Sender,
    },
    /// The queue of secretwatch's own on the alarm's topic: created if missing, its policy
    /// given the statement letting the topic send, subscribed to it. `topic`: the alarm's
    /// own; None: the chain's, which this plan creates or keeps.
    AlarmQueue {
        topic: Option<String>,
    },
    /// The trail-file queue subscribed to the trail's topic.
    SubscribeQueue {
        topic: String,
        queue_arn: String,
    },
    /// A notification of each object created under `AWSLogs/` in the trail's bucket, sent
    /// to the trail-file queue; the bucket's other notifications kept.
    NotifyQueue {
        bucket: String,
        queue_arn: String,
    },
}

pub use super::apply::apply;
pub use super::filter_plan::leave_out_expected;
pub use super::plan_text::Shown;

#[derive(Debug, Clone)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// What setup cannot do, and who can.
    pub notes: Vec<String>,
    /// The doctor's findings the plan rests on.
    pub report: Report,
}

pub fn bucket_name(account: &str, region: &str) -> String {
    format!("secretwatch-trail-{account}-{region}")
}

/// The note of a member account whose chain lives in `home`, the organization trail's
/// delivery account, ending with what to do (`then`).
pub fn chain_lives_in(home: &crate::cloud::scope::Scope, then: &str) -> String {
    format!(
        "this account's log group, metric filter, alarm and topic live in account {} ({}), \
         where the organization trail delivers: {then}",
        home.account, home.region
    )
}

pub async fn plan(
    cloud: &dyn Cloud,
    names: &ChainNames,
    sources: &Sources,
    bucket: &str,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Plan {
    // Setup looks at the test secret only: a watched secret is never created.
    let report = doctor::examine(cloud, names, sources, &[], now).await;
    let finding = |link| report.findings.iter().find(|f| f.link == link);
    // Unknown links are not touched: setup changes only what it knows is wrong. Links that
    // live in another account (an organization trail's) are set up there, not here.
    let needs = |link| {
        (report.chain_in.is_none() || !CHAIN_ELSEWHERE.contains(&link))
            && finding(link)
                .is_some_and(|f| matches!(f.state, LinkState::Broken | LinkState::Warning))
    };
    let mut steps = Vec::new();
    let mut notes = Vec::new();
    if let Some(home) = &report.chain_in {
        let there = format!(
            "set them up there, {}",
            super::doctor_home::setup_there(home)
        );
        notes.push(chain_lives_in(home, &there));
    }
    if needs(ChainLink::Secret) {
        steps.push(Step::Secret);
    }
    let (ours, organization) = trails_seen(cloud, &names.trail).await;
    let fix = ours.as_ref().map(trail_fix).unwrap_or_default();
    if needs(ChainLink::Delivery) || (needs(ChainLink::Trail) && ours.is_none()) {
        // A trail of ours that exists keeps writing where it writes; a new one gets a
        // bucket of its own.
        let group = log_group_step(cloud, names).await;
        match ours.filter(|t| !t.bucket.is_empty()) {
            Some(existing) => {
                steps.push(logs_role_step(cloud, names).await);
                steps.push(group);
                steps.push(Step::Trail {
                    bucket: existing.bucket,
                    exists: true,
                });
            }
            None => {
                steps.push(Step::TrailBucket {
                    bucket: bucket.to_string(),
                });
                steps.push(logs_role_step(cloud, names).await);
                steps.push(group);
                steps.push(Step::Trail {
                    bucket: bucket.to_string(),
                    exists: false,
                });
            }
        }
    } else if needs(ChainLink::Trail) && fix != TrailFix::default() {
        // Only logging or the selectors are wrong: its delivery is left as it is.
        steps.push(Step::UpdateTrail(fix));
    }
    if needs(ChainLink::MetricFilter) {
        match &report.filter {
            // A filter emits the metric, maybe under another name: fixed where it is,
            // never doubled by a second one counting the same accesses. Several that
            // emit it already are said; none is deleted.
            Some(seen) => {
                let fix = filter_fix(seen, names);
                if !fix.is_empty() {
                    steps.push(Step::UpdateMetricFilter(fix));
                }
                if !seen.also.is_empty() {
                    notes.push(doubled_note(seen, names));
                }
            }
            None => {
                // The filter goes where the trail delivers: the chain's group when setup
                // points the trail there, else the group the doctor found it delivering to.
                let repointed = steps.iter().any(|s| matches!(s, Step::Trail { .. }));
                let group = if repointed || report.log_group.is_empty() {
                    names.log_group.clone()
                } else {
                    report.log_group.clone()
                };
                match new_filter(cloud, names, &group).await {
                    Ok(step) => {
                        let has_group =
                            steps.contains(&Step::LogGroup) || steps.contains(&Step::KeepLogGroup);
                        if group == names.log_group && !has_group {
                            steps.push(log_group_step(cloud, names).await);
                        }
                        steps.push(step);
                    }
                    Err(why) => notes.push(why),
                }
            }
        }
    }
    let topic = topic_arn_of(cloud, names).await;
    let alarm_step = if needs(ChainLink::Alarm) {
        match cloud.describe_alarm(&names.alarm).await {
            Ok(Some(existing)) => Some(alarm_fix(
                &existing,
                names,
                topic.as_ref().map(|t| t.0.as_str()),
            ))
            .filter(|fix| !fix.is_empty())
            .map(Step::UpdateAlarm),
            Ok(None) => Some(Step::Alarm),
            Err(e) => {
                notes.push(format!("alarm {} left alone: {e}", names.alarm));
                None
            }
        }
    } else {
        None
    };
    let alarm_needs_topic = match &alarm_step {
        Some(Step::UpdateAlarm(fix)) => fix.add_topic,
        Some(_) => true,
        None => false,
    };
    let notify = finding(ChainLink::Notify);
    let pending = notify.is_some_and(|f| f.state == LinkState::Warning);
    let unsubscribed = notify.is_some_and(|f| f.state == LinkState::Broken);
    if alarm_needs_topic || unsubscribed {
        steps.push(match topic {
            Some((_, true)) => Step::KeepTopic,
            _ => Step::Topic,
        });
    }
    if unsubscribed {
        match email {
            Some(email) => steps.push(Step::Subscribe {
                email: email.to_string(),
            }),
            None if steps.contains(&Step::Topic) => notes.push(format!(
                "the new topic {} will have no subscriber: add `--email ADDR` to be emailed",
                names.topic
            )),
            None => notes.push(format!(
                "nobody is subscribed to {}: run `secretwatch setup --email ADDR`",
                names.topic
            )),
        }
    }
    if pending {
        notes.push(
            "a subscriber has not confirmed: only they can, with the link in AWS's email".into(),
        );
    }
    steps.extend(alarm_step);
    steps.extend(super::alarm_queue::steps(cloud, names, &report, &steps).await);
    let new_trail = steps
        .iter()
        .any(|s| matches!(s, Step::Trail { exists: false, .. }));
    if let Some(t) = organization.filter(|_| new_trail) {
        notes.push(super::doctor_home::second_copy_cost(&t));
    }
    steps.extend(super::fast_path_plan::steps(cloud, names, &report, &mut notes).await);
    let files = super::trail_files_plan::steps(cloud, names, &report, &steps, &mut notes).await;
    steps.extend(files);
    Plan {
        steps,
        notes,
        report,
    }
}

/// The chain's topic ARN (in the caller's account and region) and whether it exists.
async fn topic_arn_of(cloud: &dyn Cloud, names: &ChainNames) -> Option<(String, bool)> {
    let id = cloud.identity().await.ok()?;
    let arn = format!("arn:aws:sns:{}:{}:{}", id.region, id.account, names.topic);
    let exists = matches!(cloud.topic(&arn).await, Ok(Some(_)));
    Some((arn, exists))
}

async fn log_group_step(cloud: &dyn Cloud, names: &ChainNames) -> Step {
    match cloud.log_group(&names.log_group).await {
        Ok(Some(_)) => Step::KeepLogGroup,
        _ => Step::LogGroup,
    }
}

/// Whether the logs role exists and lacks anything CloudTrail needs (read-only).
async fn logs_role_step(cloud: &dyn Cloud, names: &ChainNames) -> Step {
    let role = match cloud.role(LOGS_ROLE).await {
        Ok(None) => return Step::LogsRole,
        Ok(Some(role)) => role,
        Err(e) => return Step::CheckLogsRole { why: e.short() },
    };
    let Some(group) = log_group_arn_of(cloud, names).await else {
        return Step::CheckLogsRole {
            why: format!("the ARN of log group {} is not known", names.log_group),
        };
    };
    let fix = logs_role::fix(&role, &group);
    if fix.is_empty() {
        Step::KeepLogsRole
    } else {
        Step::UpdateLogsRole(fix)
    }
}

/// The chain's log group's ARN: as listed, or as it will be once created.
async fn log_group_arn_of(cloud: &dyn Cloud, names: &ChainNames) -> Option<String> {
    if let Ok(Some(group)) = cloud.log_group(&names.log_group).await
        && !group.arn.is_empty()
    {
        return Some(group.arn);
    }
    let id = cloud.identity().await.ok()?;
    let partition = id
        .principal
        .split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws");
    Some(format!(
        "arn:{partition}:logs:{}:{}:log-group:{}:*",
        id.region, id.account, names.log_group
    ))
}

/// The links that live with the log group: another account's when an organization trail
/// of that account carries this one's events.
const CHAIN_ELSEWHERE: [ChainLink; 5] = [
    ChainLink::Trail,
    ChainLink::Delivery,
    ChainLink::MetricFilter,
    ChainLink::Alarm,
    ChainLink::Notify,
];

/// The trail of this account named `trail`, if it exists, and another account's
/// organization trail seen here, if any (never ours: this account cannot change it).
async fn trails_seen(cloud: &dyn Cloud, trail: &str) -> (Option<TrailInfo>, Option<TrailInfo>) {
    let Ok(trails) = cloud.trails().await else {
        return (None, None);
    };
    let mut foreign = None;
    for t in trails.iter().filter(|t| t.organization) {
        if let Some(f) = super::doctor_home::foreign_trail(cloud, Some(t)).await {
            foreign = Some(f.clone());
        }
    }
    let ours = trails
        .into_iter()
        .find(|t| t.name == trail && foreign.as_ref().is_none_or(|f| f.arn != t.arn));
    (ours, foreign)
}
