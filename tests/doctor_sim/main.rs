//! The doctor over the embedded account: each broken link found, named, with its fix.

#[path = "../common/mod.rs"]
mod common;
mod noise;
mod organization;

use common::*;
use secretwatch::chain::doctor::{Report, examine};
use secretwatch::chain::{ChainLink, LinkState};
use secretwatch::cloud::names::ChainNames;
use secretwatch::cloud::sim::{FaultKind, FaultRule, ReadWriteType, Scenario, SimConfig};
use std::time::Duration;

async fn doctor_of(
    scenario: Scenario,
    change: impl FnOnce(&mut secretwatch::cloud::sim::World),
) -> Report {
    let mut config = SimConfig::demo(4, scenario);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let (sim, clock) = sim(config);
    sim.with_world(change);
    examine(
        sim.as_ref(),
        &ChainNames::default(),
        &Default::default(),
        &[],
        clock.now(),
    )
    .await
}

pub(crate) fn state(report: &Report, link: ChainLink) -> LinkState {
    report
        .findings
        .iter()
        .find(|f| f.link == link)
        .map(|f| f.state)
        .unwrap_or_else(|| panic!("no finding for {link:?}: {report:#?}"))
}

pub(crate) fn summary(report: &Report, link: ChainLink) -> String {
    report
        .findings
        .iter()
        .find(|f| f.link == link)
        .map(|f| f.summary.clone())
        .unwrap_or_default()
}

#[tokio::test(start_paused = true)]
async fn a_healthy_chain_is_healthy() {
    let report = doctor_of(Scenario::Healthy, |_| {}).await;
    assert!(report.healthy(), "{report:#?}");
    assert_eq!(report.exit_code(), 0);
}

#[tokio::test(start_paused = true)]
async fn the_average_trap_is_named_with_its_reason_and_fix() {
    let report = doctor_of(Scenario::AverageTrap, |_| {}).await;
    assert_eq!(state(&report, ChainLink::Alarm), LinkState::Broken);
    assert!(summary(&report, ChainLink::Alarm).contains("statistic Average"));
    let alarm = report
        .findings
        .iter()
        .find(|f| f.link == ChainLink::Alarm)
        .expect("alarm");
    assert!(
        alarm
            .fix
            .as_deref()
            .is_some_and(|f| f.starts_with("use the statistic Sum")),
        "{:?}",
        alarm.fix
    );
    assert_eq!(report.exit_code(), 1);
    // Everything else is fine.
    assert!(
        report
            .findings
            .iter()
            .filter(|f| f.link != ChainLink::Alarm)
            .all(|f| f.state == LinkState::Ok)
    );
}

#[tokio::test(start_paused = true)]
async fn a_bare_account_misses_every_link_but_the_secret() {
    let report = doctor_of(Scenario::Bare, |_| {}).await;
    assert_eq!(state(&report, ChainLink::Secret), LinkState::Ok);
    for link in [
        ChainLink::Trail,
        ChainLink::Delivery,
        ChainLink::MetricFilter,
        ChainLink::Alarm,
        ChainLink::Notify,
    ] {
        assert_eq!(state(&report, link), LinkState::Broken, "{link:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn trail_traps_write_only_selectors_and_logging_off() {
    let report = doctor_of(Scenario::Healthy, |w| {
        w.trails[0].read_write = ReadWriteType::WriteOnly
    })
    .await;
    assert_eq!(state(&report, ChainLink::Trail), LinkState::Broken);
    assert!(summary(&report, ChainLink::Trail).contains("GetSecretValue is a read"));
    let report = doctor_of(Scenario::Healthy, |w| w.trails[0].logging = false).await;
    let trail = report
        .findings
        .iter()
        .find(|f| f.link == ChainLink::Trail)
        .expect("trail");
    assert!(
        trail
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("start-logging"))
    );
}

#[tokio::test(start_paused = true)]
async fn a_pending_subscription_is_a_warning_naming_the_address() {
    let report = doctor_of(Scenario::Healthy, |w| {
        for t in &mut w.sns.topics {
            for s in &mut t.subscriptions {
                s.confirmed = false;
            }
        }
    })
    .await;
    assert_eq!(state(&report, ChainLink::Notify), LinkState::Warning);
    assert!(summary(&report, ChainLink::Notify).contains("security-team@example.com"));
}

#[tokio::test(start_paused = true)]
async fn a_filter_that_matches_nothing_is_broken() {
    let report = doctor_of(Scenario::Healthy, |w| {
        let text = r#"{ $.eventName = "GetSecretValues" }"#;
        w.logs.filters[0].pattern_text = text.into();
    })
    .await;
    assert_eq!(state(&report, ChainLink::MetricFilter), LinkState::Broken);
}

/// A filter written for IAM users passes a user's read and misses every role's: the
/// doctor tries each kind of caller and names the ones never counted.
#[tokio::test(start_paused = true)]
async fn a_filter_for_iam_users_alone_names_the_readers_it_misses() {
    let report = doctor_of(Scenario::Healthy, |w| {
        let text = r#"{ ($.eventName = "GetSecretValue") && ($.userIdentity.type = "IAMUser") }"#;
        w.logs.filters[0].pattern_text = text.into();
    })
    .await;
    assert_eq!(state(&report, ChainLink::MetricFilter), LinkState::Broken);
    assert_eq!(
        summary(&report, ChainLink::MetricFilter),
        "filter SecretIsAccessed counts an IAM user's read but not an assumed role's, \
         an Identity Center console session's, an AWS service's read: those never reach the alarm"
    );
    // The classic pattern counts every caller's read, refused ones too.
    let healthy = doctor_of(Scenario::Healthy, |_| {}).await;
    assert_eq!(state(&healthy, ChainLink::MetricFilter), LinkState::Ok);
    assert!(summary(&healthy, ChainLink::MetricFilter).contains("every caller's"));
}

/// Patterns people write that the local evaluator used to refuse ("unknown"): a term, and
/// a JSON pattern that leaves refused reads out with `NOT EXISTS`.
#[tokio::test(start_paused = true)]
async fn term_patterns_and_not_exists_are_judged_not_unknown() {
    let term = doctor_of(Scenario::Healthy, |w| {
        w.logs.filters[0].pattern_text = "GetSecretValue".into();
    })
    .await;
    assert_eq!(state(&term, ChainLink::MetricFilter), LinkState::Ok);
    let successes = doctor_of(Scenario::Healthy, |w| {
        let text = r#"{ $.eventName = "GetSecretValue" && $.errorCode NOT EXISTS }"#;
        w.logs.filters[0].pattern_text = text.into();
    })
    .await;
    assert_eq!(
        state(&successes, ChainLink::MetricFilter),
        LinkState::Warning
    );
    assert!(summary(&successes, ChainLink::MetricFilter).contains("refused reads"));
}

#[tokio::test(start_paused = true)]
async fn the_trails_own_sns_notifications_are_reported_as_noisy() {
    let report = doctor_of(Scenario::Healthy, |w| {
        w.trails[0].sns_topic = Some("arn:aws:sns:us-east-1:123456789012:trail-files".into())
    })
    .await;
    assert_eq!(
        state(&report, ChainLink::TrailNotifications),
        LinkState::Warning
    );
    assert!(summary(&report, ChainLink::TrailNotifications).contains("noise"));
}

#[tokio::test(start_paused = true)]
async fn an_api_that_fails_makes_its_links_unknown_with_the_reason() {
    let mut config = SimConfig::demo(4, Scenario::Healthy);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let (sim, clock) = sim(config);
    let now = clock.now();
    sim.inject(FaultRule::always(
        Some("DescribeTrails"),
        FaultKind::Outage,
        now,
        now + chrono::TimeDelta::hours(1),
    ));
    let report = examine(
        sim.as_ref(),
        &ChainNames::default(),
        &Default::default(),
        &[],
        clock.now(),
    )
    .await;
    assert_eq!(state(&report, ChainLink::Trail), LinkState::Unknown);
    assert!(summary(&report, ChainLink::Trail).contains("unreachable"));
    assert_eq!(state(&report, ChainLink::Alarm), LinkState::Ok);
}

/// An alarm with two topics notifies when either delivers: the doctor judges every topic, not
/// the first. The chain's topic with nobody subscribed, listed first, beside an on-call topic
/// with a confirmed pager, is a working chain.
#[tokio::test(start_paused = true)]
async fn the_alarm_notifies_through_any_of_its_topics() {
    use secretwatch::cloud::sim::{Subscription, Topic};
    let pager = "arn:aws:sns:us-east-1:123456789012:oncall-pager".to_string();
    let report = doctor_of(Scenario::Healthy, |w| {
        let ours = w.sns.topics[0].arn.clone();
        w.sns.topics[0].subscriptions.clear();
        w.sns.topics.push(Topic {
            arn: pager.clone(),
            policy: None,
            subscriptions: vec![Subscription {
                endpoint: "pager@example.com".into(),
                confirmed: true,
            }],
        });
        w.alarms[0].alarm_actions = vec![ours, pager.clone()];
    })
    .await;
    assert_eq!(
        state(&report, ChainLink::Notify),
        LinkState::Ok,
        "{report:#?}"
    );
    assert!(summary(&report, ChainLink::Notify).contains("pager@example.com"));
    let notify = report
        .findings
        .iter()
        .find(|f| f.link == ChainLink::Notify)
        .expect("notify");
    assert!(notify.evidence.contains("2 topics"), "{}", notify.evidence);

    // Neither delivers: broken.
    let report = doctor_of(Scenario::Healthy, |w| {
        let ours = w.sns.topics[0].arn.clone();
        w.sns.topics[0].subscriptions.clear();
        w.alarms[0].alarm_actions = vec![ours, pager.clone()];
    })
    .await;
    assert_eq!(state(&report, ChainLink::Notify), LinkState::Broken);
}

#[tokio::test(start_paused = true)]
async fn two_filters_emitting_the_metric_are_named_with_the_fix() {
    let report = doctor_of(Scenario::Healthy, |w| {
        let mut second = w.logs.filters[0].clone();
        second.name = "LegacyAccessCount".into();
        // Listed first: the filter of the chain's name is still the one judged.
        w.logs.filters.insert(0, second);
    })
    .await;
    let f = report
        .findings
        .iter()
        .find(|f| f.link == ChainLink::MetricFilter)
        .expect("a metric filter finding");
    assert_eq!(f.state, LinkState::Warning, "{f:#?}");
    assert_eq!(
        f.summary,
        "2 filters on secretwatch/cloudtrail emit SecurityMetrics/SecretIsAccessed \
         (SecretIsAccessed, LegacyAccessCount): each access is counted twice"
    );
    assert!(
        f.evidence
            .contains("also emitting it: LegacyAccessCount pattern "),
        "{f:#?}"
    );
    assert_eq!(
        f.fix.as_deref(),
        Some(
            "keep SecretIsAccessed and delete the other (setup deletes no filter): `aws logs \
             delete-metric-filter --log-group-name secretwatch/cloudtrail --filter-name \
             LegacyAccessCount`"
        )
    );
    assert_eq!(report.exit_code(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_missing_filter_is_fixed_by_setup_and_the_fix_says_so() {
    let report = doctor_of(Scenario::Healthy, |w| w.logs.filters.clear()).await;
    let f = report
        .findings
        .iter()
        .find(|f| f.link == ChainLink::MetricFilter)
        .expect("a metric filter finding");
    assert_eq!(f.state, LinkState::Broken, "{f:#?}");
    let fix = f.fix.as_deref().unwrap_or_default();
    assert!(
        fix.starts_with("create a metric filter on secretwatch/cloudtrail (")
            && fix.ends_with(": `s` then `y` in the dashboard, or `secretwatch setup`"),
        "{fix}"
    );
}

/// A fast-path rule set up before the secret's changes were shown matches the reads only:
/// the doctor warns that the changes come late, setup widens the pattern, and a change then
/// reaches the queue.
#[tokio::test(start_paused = true)]
async fn a_rule_for_the_reads_only_is_widened_to_the_changes() {
    let mut config = SimConfig::demo(9, Scenario::Healthy);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let names = ChainNames::default();
    let (sim, clock) = sim(config);
    let reads_only = r#"{"source":["aws.secretsmanager"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["secretsmanager.amazonaws.com"],"eventName":["GetSecretValue","BatchGetSecretValue"]}}"#;
    sim.with_world(|w| {
        for r in &mut w.rules {
            r.pattern = Some(reads_only.to_string());
        }
    });
    let report = examine(sim.as_ref(), &names, &Default::default(), &[], clock.now()).await;
    assert_eq!(
        state(&report, ChainLink::FastPath),
        LinkState::Warning,
        "{report:#?}"
    );
    assert!(summary(&report, ChainLink::FastPath).contains("leaves out the secret's changes"));
    let p = secretwatch::chain::setup::plan(
        sim.as_ref(),
        &names,
        &Default::default(),
        "b",
        None,
        clock.now(),
    )
    .await;
    assert!(
        matches!(
            p.steps.as_slice(),
            [secretwatch::chain::setup::Step::FastPathRule { .. }]
        ),
        "{:?}",
        p.steps
    );
    secretwatch::chain::setup::apply(sim.as_ref(), &names, &p.steps, |_, _, r| {
        assert!(r.is_ok(), "{r:?}")
    })
    .await
    .expect("applied");
    let report = examine(sim.as_ref(), &names, &Default::default(), &[], clock.now()).await;
    assert_eq!(
        state(&report, ChainLink::FastPath),
        LinkState::Ok,
        "{report:#?}"
    );
}
