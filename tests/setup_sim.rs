//! Setup over the embedded account: the plan names every missing resource, applying
//! it gives a chain the doctor calls healthy and that delivers a test access to the
//! inbox, and a second run changes nothing.

mod common;

use common::*;
use secretwatch::chain::doctor::examine;
use secretwatch::chain::setup::{Shown, Step, apply, bucket_name, plan};
use secretwatch::cloud::names::ChainNames;
use secretwatch::cloud::sim::{Scenario, SimConfig};
use secretwatch::cloud::types::AlarmState;
use secretwatch::engine::{Engine, Job};
use secretwatch::store::{Change, Store};
use std::time::Duration;

/// Setup's plan with the default sources.
async fn plan_with(
    sim: &secretwatch::cloud::sim::SimCloud,
    names: &ChainNames,
    bucket: &str,
    email: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> secretwatch::chain::setup::Plan {
    plan(sim, names, &Default::default(), bucket, email, now).await
}

fn config(scenario: Scenario) -> SimConfig {
    let mut c = SimConfig::demo(6, scenario);
    c.call_latency = (Duration::ZERO, Duration::ZERO);
    c.actors.clear();
    c
}

#[tokio::test(start_paused = true)]
async fn bare_then_setup_gives_a_healthy_chain_that_reaches_the_inbox() {
    let names = ChainNames::default();
    let c = config(Scenario::Bare);
    let (sim, clock) = sim(c.clone());
    let bucket = bucket_name("123456789012", "us-east-1");
    let p = plan_with(
        sim.as_ref(),
        &names,
        &bucket,
        Some("me@example.com"),
        clock.now(),
    )
    .await;
    let shown: Vec<String> = p
        .steps
        .iter()
        .map(|s| Shown(s, &names).to_string())
        .collect();
    let all = shown.join("\n");
    for resource in [
        "secretwatch-trail-123456789012-us-east-1",
        "secretwatch-cloudtrail-to-logs",
        "log group secretwatch/cloudtrail",
        "trail secretwatch-trail",
        "metric filter SecretIsAccessed",
        "topic SecurityAlarms",
        "subscribe me@example.com",
        "alarm SecretIsAccessed-alarm: Sum",
    ] {
        assert!(
            all.contains(resource),
            "{resource} missing from the plan:\n{all}"
        );
    }
    assert!(
        !p.steps.contains(&Step::Secret),
        "the secret exists already"
    );

    let mut done = Vec::new();
    apply(sim.as_ref(), &names, &p.steps, |i, _, r| {
        done.push((i, r.is_ok()))
    })
    .await
    .expect("setup applies");
    assert_eq!(done.len(), p.steps.len());

    // The subscriber confirms within a minute; traffic makes the trail deliver.
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&c));
    let mut store = Store::default();
    run_engine(&mut engine, clock, &mut store, 60).await;
    engine
        .jobs
        .send(Job::TestAccess {
            marker: "secretwatch-test-setup".into(),
        })
        .expect("worker alive");
    let changes = run_engine(&mut engine, clock, &mut store, 180).await;
    assert!(
        changes
            .iter()
            .any(|c| matches!(c, Change::AlarmTransition(t) if t.to == AlarmState::Alarm)),
        "the alarm did not fire"
    );
    assert!(
        changes
            .iter()
            .any(|c| matches!(c, Change::Notification(n) if n.endpoint == "me@example.com"))
    );

    let report = examine(sim.as_ref(), &names, &Default::default(), &[], clock.now()).await;
    assert!(report.healthy(), "{report:#?}");
    let again = plan_with(
        sim.as_ref(),
        &names,
        &bucket,
        Some("me@example.com"),
        clock.now(),
    )
    .await;
    assert!(
        again.steps.is_empty(),
        "a second setup would change {:?}",
        again.steps
    );
}

#[tokio::test(start_paused = true)]
async fn setup_fixes_the_average_trap_and_the_next_access_fires() {
    let names = ChainNames::default();
    let c = config(Scenario::AverageTrap);
    let (sim, clock) = sim(c.clone());
    let p = plan_with(sim.as_ref(), &names, "b", None, clock.now()).await;
    // The alarm exists and already notifies the chain's topic: only its statistic changes.
    let shown: Vec<String> = p
        .steps
        .iter()
        .map(|s| Shown(s, &names).to_string())
        .collect();
    assert_eq!(
        shown,
        vec![
            "update alarm SecretIsAccessed-alarm: statistic Average -> Sum; \
             actions kept: SecurityAlarms; every other setting kept"
        ]
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("applies");
    let alarm = sim.with_world(|w| w.alarms[0].clone());
    assert_eq!(alarm.statistic, secretwatch::cloud::types::Statistic::Sum);

    let mut engine = Engine::start(sim.clone(), clock, engine_config(&c));
    let mut store = Store::default();
    run_engine(&mut engine, clock, &mut store, 5).await;
    engine
        .jobs
        .send(Job::TestAccess {
            marker: "secretwatch-test-fix".into(),
        })
        .expect("worker alive");
    let changes = run_engine(&mut engine, clock, &mut store, 120).await;
    assert!(
        changes
            .iter()
            .any(|c| matches!(c, Change::AlarmTransition(t) if t.to == AlarmState::Alarm))
    );
    assert!(
        plan_with(sim.as_ref(), &names, "b", None, clock.now())
            .await
            .steps
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
async fn a_trail_of_ours_without_logs_keeps_its_bucket_and_gets_delivery() {
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    sim.with_world(|w| w.trails[0].log_group = None);
    let p = plan_with(sim.as_ref(), &names, "new-bucket", None, clock.now()).await;
    let kept = format!("{}-logs", names.trail);
    // The healthy account has the role, with what CloudTrail needs: kept.
    assert_eq!(
        p.steps,
        vec![
            Step::KeepLogsRole,
            Step::KeepLogGroup,
            Step::Trail {
                bucket: kept.clone(),
                exists: true,
            }
        ]
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("applies");
    let trail = sim.with_world(|w| w.trails[0].clone());
    assert_eq!(trail.bucket, kept);
    assert_eq!(trail.log_group.as_deref(), Some(names.log_group.as_str()));
    assert!(!sim.with_world(|w| w.buckets.contains(&"new-bucket".to_string())));
}

/// An alarm on Average that pages on-call: setup fixes the statistic, keeps the pager
/// and every other setting, adds the chain's topic, and says so before it acts.
#[tokio::test(start_paused = true)]
async fn fixing_the_average_trap_keeps_the_pager_and_every_other_setting() {
    use secretwatch::cloud::types::{Statistic, TreatMissing};
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::AverageTrap));
    let pager = "arn:aws:sns:us-east-1:123456789012:oncall-pager";
    let before = sim.with_world(|w| {
        let chain_topic = w.alarms[0].alarm_actions[0].clone();
        w.sns.topics.retain(|t| t.arn != chain_topic);
        let a = &mut w.alarms[0];
        a.alarm_actions = vec![pager.to_string()];
        a.period = Duration::from_secs(120);
        a.evaluation_periods = 3;
        a.datapoints_to_alarm = 2;
        a.treat_missing = TreatMissing::Breaching;
        a.clone()
    });
    let p = plan_with(sim.as_ref(), &names, "b", None, clock.now()).await;
    let shown: Vec<String> = p
        .steps
        .iter()
        .map(|s| Shown(s, &names).to_string())
        .collect();
    assert_eq!(
        shown,
        vec![
            "create SNS topic SecurityAlarms".to_string(),
            "update alarm SecretIsAccessed-alarm: statistic Average -> Sum; \
             actions kept: oncall-pager, + SecurityAlarms; every other setting kept"
                .to_string(),
            Shown(&Step::AlarmQueue { topic: None }, &names).to_string(),
        ],
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("applies");
    let after = sim.with_world(|w| w.alarms[0].clone());
    assert_eq!(after.statistic, Statistic::Sum);
    assert_eq!(
        after.alarm_actions,
        vec![
            pager.to_string(),
            "arn:aws:sns:us-east-1:123456789012:SecurityAlarms".to_string()
        ]
    );
    let unchanged = |a: &secretwatch::cloud::types::Alarm| {
        (
            a.period,
            a.evaluation_periods,
            a.datapoints_to_alarm,
            a.treat_missing,
            a.metric.clone(),
        )
    };
    assert_eq!(unchanged(&after), unchanged(&before));
}

/// Only logging stopped: the plan updates the trail and creates nothing, in the same
/// words before and while it applies; the trail keeps its bucket and delivery.
#[tokio::test(start_paused = true)]
async fn a_stopped_trail_is_only_turned_back_on() {
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    let before = sim.with_world(|w| {
        w.trails[0].logging = false;
        w.trails[0].clone()
    });
    let p = plan_with(sim.as_ref(), &names, "new-bucket", None, clock.now()).await;
    let shown: Vec<String> = p
        .steps
        .iter()
        .map(|s| Shown(s, &names).to_string())
        .collect();
    assert_eq!(
        shown,
        vec!["update trail secretwatch-trail: logging off -> on"]
    );
    let mut progress = Vec::new();
    apply(sim.as_ref(), &names, &p.steps, |_, step, _| {
        progress.push(Shown(step, &names).to_string())
    })
    .await
    .expect("applies");
    assert_eq!(progress, shown);
    let after = sim.with_world(|w| w.trails[0].clone());
    assert!(after.logging);
    assert_eq!(
        (after.bucket, after.log_group, after.logs_role_ok),
        (before.bucket, before.log_group, before.logs_role_ok)
    );
    assert!(!sim.with_world(|w| w.buckets.contains(&"new-bucket".to_string())));
}

/// Nobody subscribed to a topic that exists: the plan keeps the topic, and says so.
#[tokio::test(start_paused = true)]
async fn an_existing_topic_is_kept_not_created() {
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    sim.with_world(|w| {
        for t in &mut w.sns.topics {
            t.subscriptions.clear();
        }
    });
    let p = plan_with(
        sim.as_ref(),
        &names,
        "b",
        Some("me@example.com"),
        clock.now(),
    )
    .await;
    let shown: Vec<String> = p
        .steps
        .iter()
        .map(|s| Shown(s, &names).to_string())
        .collect();
    // Unsubscribed with the rest, the alarm's queue is subscribed again.
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(shown[2].contains("queue secretwatch-alarm-"), "{shown:?}");
    assert!(
        shown[0].starts_with("keep SNS topic SecurityAlarms"),
        "{shown:?}"
    );
    assert!(
        shown[1].starts_with("subscribe me@example.com"),
        "{shown:?}"
    );
}

/// Without an email, the plan's note about subscribers says the truth of each case: a topic
/// it is about to create will have none; one that exists has none.
#[tokio::test(start_paused = true)]
async fn without_an_email_the_note_fits_a_new_topic_and_an_existing_one() {
    let names = ChainNames::default();
    let (bare, clock) = sim(config(Scenario::Bare));
    let p = plan_with(bare.as_ref(), &names, "b", None, clock.now()).await;
    assert!(p.steps.contains(&Step::Topic), "{:?}", p.steps);
    assert!(
        p.notes
            .iter()
            .any(|n| n.starts_with("the new topic SecurityAlarms will have no subscriber")),
        "{:?}",
        p.notes
    );
    assert!(
        !p.notes
            .iter()
            .any(|n| n.starts_with("nobody is subscribed"))
    );

    let (healthy, clock) = sim(config(Scenario::Healthy));
    healthy.with_world(|w| {
        w.sns
            .topics
            .iter_mut()
            .for_each(|t| t.subscriptions.clear())
    });
    let p = plan_with(healthy.as_ref(), &names, "b", None, clock.now()).await;
    assert!(
        p.notes
            .iter()
            .any(|n| n.starts_with("nobody is subscribed to SecurityAlarms")),
        "{:?}",
        p.notes
    );
}

/// The trail delivers to a log group of the team's own: the new filter goes on that group,
/// where the accesses arrive, not on the chain's default group (where it would count
/// nothing), and no log group is created for it.
#[tokio::test(start_paused = true)]
async fn a_new_filter_goes_where_the_trail_delivers() {
    let names = ChainNames::default();
    let (healthy, clock) = sim(config(Scenario::Healthy));
    healthy.with_world(|w| {
        for g in &mut w.logs.groups {
            if g.name == names.log_group {
                g.name = "team/cloudtrail".into();
            }
        }
        w.trails[0].log_group = Some("team/cloudtrail".into());
        w.logs.filters.clear();
    });
    let p = plan_with(healthy.as_ref(), &names, "b", None, clock.now()).await;
    let shown: Vec<String> = p
        .steps
        .iter()
        .map(|s| Shown(s, &names).to_string())
        .collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0].starts_with("create metric filter SecretIsAccessed on team/cloudtrail:"),
        "{shown:?}"
    );
    apply(healthy.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("applied");
    let report = examine(
        healthy.as_ref(),
        &names,
        &Default::default(),
        &[],
        clock.now(),
    )
    .await;
    let filter = report
        .findings
        .iter()
        .find(|f| f.link == secretwatch::chain::ChainLink::MetricFilter)
        .expect("a metric filter finding");
    assert_eq!(
        filter.state,
        secretwatch::chain::LinkState::Ok,
        "{filter:?}"
    );
}
