//! Starting points of the embedded account.

use super::logs::{LogGroup, MetricFilter};
use super::sns::{Subscription, Topic};
use super::trail::{ReadWriteType, Trail};
use super::world::World;
use crate::cloud::names::{ACCESS_PATTERN, ChainNames};
use crate::cloud::queue_policy::Sender;
use crate::cloud::types::{Alarm, AlarmState, Comparison, Statistic, TreatMissing};
use crate::filter_pattern::FilterPattern;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// The whole chain in place, alarm on Sum: accesses reach the inbox.
    Healthy,
    /// The whole chain, but the alarm uses Average: it never fires.
    AverageTrap,
    /// Only the secret exists.
    Bare,
    /// A member account of an organization (456789012345): no chain of its own, but the
    /// organization's trail of the management account (123456789012), delivering to its
    /// log group there.
    OrganizationMember,
}

pub fn build(world: &mut World, scenario: Scenario, names: &ChainNames) {
    world.add_secret(&names.secret);
    if scenario == Scenario::Bare {
        return;
    }
    if scenario == Scenario::OrganizationMember {
        world.build_fast_path(names);
        world.trails.push(organization_trail(names));
        return;
    }
    // The EventBridge rule (all management events, reads included) and its queue.
    world.build_fast_path(names);
    let bucket = format!("{}-logs", names.trail);
    world.buckets.push(bucket.clone());
    // The queue notified of each log file the trail writes, by the bucket's events.
    let queue = world.ensure_queue(&names.trail_file_queue, &Sender::bucket("aws", &bucket));
    world.trail_files.notify(&bucket, &queue);
    world.trails.push(chain_trail(names));
    world.roles.push(super::iam::Role::for_delivery(
        &world.account,
        crate::cloud::logs_role::ROLE,
        &super::inspect::log_group_arn(world, &names.log_group),
    ));
    world.logs.groups.push(LogGroup {
        name: names.log_group.clone(),
        retention_days: Some(90),
    });
    if let Ok(pattern) = FilterPattern::parse(ACCESS_PATTERN) {
        world.logs.filters.push(MetricFilter {
            name: names.metric_filter.clone(),
            log_group: names.log_group.clone(),
            pattern_text: ACCESS_PATTERN.to_string(),
            pattern,
            metric: names.metric(),
            value: 1.0,
            default_value: Some(0.0),
        });
    }
    let topic_arn = world.arn("sns", &names.topic);
    world.sns.topics.push(Topic {
        arn: topic_arn.clone(),
        policy: Some(super::sns::default_policy(&topic_arn)),
        subscriptions: vec![Subscription {
            endpoint: names.email.clone(),
            confirmed: true,
        }],
    });
    // The queue of secretwatch's own on the topic, where a trace sees the message arrive.
    let alarm_queue = world.ensure_queue(&names.alarm_queue, &Sender::topic(&topic_arn));
    let _ = world.subscribe_queue(&topic_arn, &alarm_queue);
    let statistic = match scenario {
        Scenario::AverageTrap => Statistic::Average,
        _ => Statistic::Sum,
    };
    world.alarms.push(Alarm {
        name: names.alarm.clone(),
        state: AlarmState::InsufficientData,
        reason: "Unchecked: Initial alarm creation".into(),
        state_since: world.now,
        metric: names.metric(),
        statistic,
        period: names.alarm_period,
        threshold: 1.0,
        comparison: Comparison::GreaterThanOrEqualToThreshold,
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        treat_missing: TreatMissing::NotBreaching,
        actions_enabled: true,
        alarm_actions: vec![topic_arn],
    });
}

/// The chain's trail: logging every management event into the chain's log group.
fn chain_trail(names: &ChainNames) -> Trail {
    Trail {
        name: names.trail.clone(),
        bucket: format!("{}-logs", names.trail),
        logging: true,
        read_write: ReadWriteType::All,
        include_management_events: true,
        log_group: Some(names.log_group.clone()),
        logs_role_ok: true,
        sns_topic: None,
        organization: false,
        latest_logs_delivery: None,
        shadow_of: None,
    }
}

/// The management account's organization trail as a member sees it: the chain's trail,
/// delivering to the chain's log group in the management account.
fn organization_trail(names: &ChainNames) -> Trail {
    Trail {
        organization: true,
        shadow_of: Some(super::world::ACCOUNT.into()),
        ..chain_trail(names)
    }
}
