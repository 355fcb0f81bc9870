//! Setup over the embedded account changes a metric filter and the logs role in
//! place: a filter that emits the metric but is wrong is updated under its own name
//! (never doubled by a second filter counting the same accesses), and the role is
//! created, updated with only what it lacks, or kept, and the plan says which.

mod common;

use common::*;
use secretwatch::chain::doctor::examine;
use secretwatch::chain::setup::{LOGS_ROLE, Plan, Shown, apply, plan};
use secretwatch::chain::{ChainLink, LinkState};
use secretwatch::cloud::names::{ACCESS_PATTERN, ChainNames};
use secretwatch::cloud::sim::{Role, Scenario, SimCloud, SimConfig};
use serde_json::json;
use std::time::Duration;

/// Setup's plan with the default sources, the bucket "b" and no email.
async fn plan_b(
    sim: &secretwatch::cloud::sim::SimCloud,
    names: &ChainNames,
    now: chrono::DateTime<chrono::Utc>,
) -> secretwatch::chain::setup::Plan {
    plan(sim, names, &Default::default(), "b", None, now).await
}

fn config(scenario: Scenario) -> SimConfig {
    let mut c = SimConfig::demo(6, scenario);
    c.call_latency = (Duration::ZERO, Duration::ZERO);
    c.actors.clear();
    c
}

fn shown(p: &Plan, names: &ChainNames) -> Vec<String> {
    p.steps
        .iter()
        .map(|s| Shown(s, names).to_string())
        .collect()
}

/// Every filter on the group that emits the chain's metric: (name, pattern, value, default).
fn counting(sim: &SimCloud, names: &ChainNames) -> Vec<(String, String, f64, Option<f64>)> {
    sim.with_world(|w| {
        w.logs
            .filters
            .iter()
            .filter(|f| f.metric == names.metric())
            .map(|f| {
                (
                    f.name.clone(),
                    f.pattern_text.clone(),
                    f.value,
                    f.default_value,
                )
            })
            .collect()
    })
}

/// The issue's case: a filter under another name counts accesses as 2 and has no
/// default. Setup fixes its value and default, keeps its name and pattern, and puts
/// no second filter beside it.
#[tokio::test(start_paused = true)]
async fn a_wrong_filter_under_another_name_is_updated_not_doubled() {
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    sim.with_world(|w| {
        let f = &mut w.logs.filters[0];
        f.name = "LegacyAccessCount".into();
        f.value = 2.0;
        f.default_value = None;
    });
    let p = plan_b(sim.as_ref(), &names, clock.now()).await;
    let words = shown(&p, &names);
    assert_eq!(
        words,
        vec![
            "update metric filter LegacyAccessCount on secretwatch/cloudtrail: value 2 -> 1; \
             default none -> 0; its name, pattern and every other setting kept"
        ]
    );
    let mut progress = Vec::new();
    apply(sim.as_ref(), &names, &p.steps, |_, step, _| {
        progress.push(Shown(step, &names).to_string())
    })
    .await
    .expect("applies");
    assert_eq!(progress, words);
    assert_eq!(
        counting(&sim, &names),
        vec![(
            "LegacyAccessCount".to_string(),
            ACCESS_PATTERN.to_string(),
            1.0,
            Some(0.0)
        )]
    );
    let report = examine(sim.as_ref(), &names, &Default::default(), &[], clock.now()).await;
    assert!(report.healthy(), "{report:#?}");
}

/// A pattern that counts every event: only the pattern changes, and the plan shows it
/// before and after.
#[tokio::test(start_paused = true)]
async fn a_pattern_that_counts_other_events_is_replaced_and_shown_before_and_after() {
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    let every = r#"{ $.eventName = "*" }"#;
    sim.with_world(|w| {
        let f = &mut w.logs.filters[0];
        f.pattern_text = every.into();
        f.pattern = secretwatch::filter_pattern::FilterPattern::parse(every).expect("valid");
    });
    let p = plan_b(sim.as_ref(), &names, clock.now()).await;
    assert_eq!(
        shown(&p, &names),
        vec![format!(
            "update metric filter SecretIsAccessed on secretwatch/cloudtrail: \
             pattern {every} -> {ACCESS_PATTERN}; its name and every other setting kept"
        )]
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("applies");
    assert_eq!(
        counting(&sim, &names),
        vec![(
            "SecretIsAccessed".to_string(),
            ACCESS_PATTERN.to_string(),
            1.0,
            Some(0.0)
        )]
    );
}

fn ec2_trust() -> serde_json::Value {
    json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": { "Service": "ec2.amazonaws.com" },
        "Action": "sts:AssumeRole"
    }]})
}

fn audit_policy() -> serde_json::Value {
    json!({ "Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::audit/*"
    }]})
}

/// A trail of ours without delivery, and a role of the chain's name that trusts only
/// EC2 and has an inline policy of its own: setup adds CloudTrail's trust and the
/// delivery permissions, says so, and keeps the EC2 trust and the other policy.
#[tokio::test(start_paused = true)]
async fn a_role_without_cloudtrail_gets_only_what_it_lacks() {
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    sim.with_world(|w| {
        w.trails[0].log_group = None;
        w.roles = vec![Role {
            account: w.account.clone(),
            name: LOGS_ROLE.into(),
            trust: ec2_trust(),
            inline: vec![("audit".into(), audit_policy())],
        }];
    });
    let p = plan_b(sim.as_ref(), &names, clock.now()).await;
    let words = shown(&p, &names);
    assert_eq!(
        words[0],
        "update IAM role secretwatch-cloudtrail-to-logs: trust ec2.amazonaws.com -> \
         ec2.amazonaws.com, cloudtrail.amazonaws.com; on secretwatch/cloudtrail none -> \
         logs:CreateLogStream, logs:PutLogEvents (in inline policy \
         secretwatch-cloudtrail-to-logs); its other statements and policies kept",
        "{words:#?}"
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("applies");
    let role = sim.with_world(|w| w.roles[0].clone());
    let trust = role.trust["Statement"].as_array().expect("statements");
    assert_eq!(trust.len(), 2, "{trust:#?}");
    assert_eq!(trust[0], ec2_trust()["Statement"][0]);
    assert_eq!(trust[1]["Principal"]["Service"], "cloudtrail.amazonaws.com");
    assert_eq!(role.inline[0], ("audit".to_string(), audit_policy()));
    assert_eq!(role.inline.len(), 2, "{:#?}", role.inline);
    let delivering = sim.with_world(|w| w.trails[0].logs_role_ok);
    assert!(delivering, "CloudTrail still cannot use the role");
}

/// Missing, the role is created; as setup made it, it is kept and not written to.
#[tokio::test(start_paused = true)]
async fn a_missing_role_is_created_and_a_sound_one_kept() {
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    sim.with_world(|w| {
        w.trails[0].log_group = None;
        w.roles.clear();
    });
    let p = plan_b(sim.as_ref(), &names, clock.now()).await;
    assert!(
        shown(&p, &names)[0].starts_with(
            "create IAM role secretwatch-cloudtrail-to-logs (trusted by cloudtrail.amazonaws.com; \
             logs:CreateLogStream, logs:PutLogEvents on secretwatch/cloudtrail)"
        ),
        "{:#?}",
        shown(&p, &names)
    );

    let (sim, clock) = common::sim(config(Scenario::Healthy));
    let before = sim.with_world(|w| {
        w.trails[0].log_group = None;
        w.roles.clone()
    });
    let p = plan_b(sim.as_ref(), &names, clock.now()).await;
    assert_eq!(
        shown(&p, &names)[0],
        "keep IAM role secretwatch-cloudtrail-to-logs (exists with the trust and permissions \
         CloudTrail needs)"
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("applies");
    assert_eq!(sim.with_world(|w| w.roles.clone()), before);
    let report = examine(sim.as_ref(), &names, &Default::default(), &[], clock.now()).await;
    let delivery = report
        .findings
        .iter()
        .find(|f| f.link == ChainLink::Delivery)
        .expect("a delivery finding");
    assert_ne!(delivery.state, LinkState::Broken, "{delivery:#?}");
}

/// A role that cannot be read (no iam:GetRole): the plan says it could not check, and
/// what applying does either way; it does not claim "create".
#[tokio::test(start_paused = true)]
async fn an_unreadable_role_is_not_called_missing() {
    use secretwatch::cloud::sim::{FaultKind, FaultRule};
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    sim.with_world(|w| w.trails[0].log_group = None);
    let now = clock.now();
    sim.inject(FaultRule::always(
        Some("GetRole"),
        FaultKind::AccessDenied,
        now,
        now + chrono::TimeDelta::hours(1),
    ));
    let p = plan_b(sim.as_ref(), &names, clock.now()).await;
    let first = &shown(&p, &names)[0];
    assert!(
        first.starts_with(
            "create IAM role secretwatch-cloudtrail-to-logs if missing, or add only what \
             CloudTrail lacks, keeping its other statements and policies (it could not be \
             read: GetRole access denied"
        ),
        "{first}"
    );
}

/// The filter of the chain's name, turned to count something else: someone's filter.
fn someone_elses(w: &mut secretwatch::cloud::sim::World, name: &str) {
    let mut f = w.logs.filters.last().expect("the healthy filter").clone();
    f.name = name.into();
    f.metric = secretwatch::cloud::types::MetricId::new("AppMetrics", "LoginFailures");
    let pattern = r#"{ $.eventName = "ConsoleLogin" }"#;
    f.pattern_text = pattern.into();
    f.pattern = secretwatch::filter_pattern::FilterPattern::parse(pattern).expect("valid");
    w.logs.filters.push(f);
}

/// (name, namespace/metric, pattern) of every filter on the group, sorted by name.
fn every_filter(sim: &SimCloud) -> Vec<(String, String, String)> {
    let mut all: Vec<_> = sim.with_world(|w| {
        w.logs
            .filters
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    format!("{}/{}", f.metric.namespace, f.metric.name),
                    f.pattern_text.clone(),
                )
            })
            .collect()
    });
    all.sort();
    all
}

/// No filter emits the metric, but one named SecretIsAccessed counts logins: setup
/// creates ours under a free name and says why; the logins filter is kept as it was,
/// and the doctor finds ours by the metric it emits.
#[tokio::test(start_paused = true)]
async fn a_filter_of_our_name_counting_something_else_is_kept() {
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    sim.with_world(|w| {
        someone_elses(w, "SecretIsAccessed");
        w.logs.filters.remove(0);
    });
    let theirs = every_filter(&sim);
    let p = plan_b(sim.as_ref(), &names, clock.now()).await;
    assert_eq!(
        shown(&p, &names),
        vec![
            "keep log group secretwatch/cloudtrail (exists; its retention is left as it is)"
                .to_string(),
            format!(
                "create metric filter SecretIsAccessed-secretwatch on secretwatch/cloudtrail: \
                 {ACCESS_PATTERN} → SecurityMetrics/SecretIsAccessed value 1, default 0 (a \
                 filter named SecretIsAccessed exists and counts something else: kept)"
            ),
        ]
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("applies");
    let after = every_filter(&sim);
    assert!(after.contains(&theirs[0]), "theirs replaced: {after:#?}");
    assert_eq!(
        counting(&sim, &names),
        vec![(
            "SecretIsAccessed-secretwatch".to_string(),
            ACCESS_PATTERN.to_string(),
            1.0,
            Some(0.0)
        )]
    );
    let report = examine(sim.as_ref(), &names, &Default::default(), &[], clock.now()).await;
    assert!(report.healthy(), "{report:#?}");
    assert!(
        plan_b(sim.as_ref(), &names, clock.now())
            .await
            .steps
            .is_empty()
    );

    // Both names taken: a numeric suffix, and both are said.
    let (sim, clock) = common::sim(config(Scenario::Healthy));
    sim.with_world(|w| {
        someone_elses(w, "SecretIsAccessed");
        someone_elses(w, "SecretIsAccessed-secretwatch");
        w.logs.filters.remove(0);
    });
    let theirs = every_filter(&sim);
    let p = plan_b(sim.as_ref(), &names, clock.now()).await;
    let words = shown(&p, &names);
    assert!(
        words[1].starts_with("create metric filter SecretIsAccessed-secretwatch-2 on ")
            && words[1].ends_with(
                " (filters named SecretIsAccessed, SecretIsAccessed-secretwatch exist and \
                 count something else: kept)"
            ),
        "{words:#?}"
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("applies");
    let after = every_filter(&sim);
    assert_eq!(after.len(), 3, "{after:#?}");
    assert!(theirs.iter().all(|t| after.contains(t)), "{after:#?}");
}

/// A filter of the planned name appears between the plan and `y`: the put is refused
/// and that filter is left as it is.
#[tokio::test(start_paused = true)]
async fn a_filter_named_after_the_plan_is_not_replaced() {
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    let healthy = sim.with_world(|w| w.logs.filters.remove(0));
    let p = plan_b(sim.as_ref(), &names, clock.now()).await;
    assert!(
        shown(&p, &names)[1].starts_with("create metric filter SecretIsAccessed on "),
        "{:#?}",
        shown(&p, &names)
    );
    sim.with_world(|w| {
        w.logs.filters.push(healthy);
        someone_elses(w, "SecretIsAccessed");
        w.logs.filters.remove(0);
    });
    let theirs = every_filter(&sim);
    let err = apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect_err("the put is refused");
    assert!(err.to_string().contains("counts something else"), "{err}");
    assert_eq!(every_filter(&sim), theirs);
}

/// Two filters emit the metric (each access counted twice): setup adds no third, deletes
/// neither, and its note names both and the command for the one to delete.
#[tokio::test(start_paused = true)]
async fn two_filters_counting_the_metric_are_noted_not_doubled_or_deleted() {
    let names = ChainNames::default();
    let (sim, clock) = sim(config(Scenario::Healthy));
    sim.with_world(|w| {
        let mut second = w.logs.filters[0].clone();
        second.name = "LegacyAccessCount".into();
        w.logs.filters.push(second);
    });
    let before = every_filter(&sim);
    let p = plan_b(sim.as_ref(), &names, clock.now()).await;
    assert!(p.steps.is_empty(), "{:#?}", shown(&p, &names));
    assert_eq!(
        p.notes,
        vec![
            "2 filters on secretwatch/cloudtrail emit SecurityMetrics/SecretIsAccessed \
             (SecretIsAccessed, LegacyAccessCount): each access is counted twice: keep \
             SecretIsAccessed and delete the other (setup deletes no filter): `aws logs \
             delete-metric-filter --log-group-name secretwatch/cloudtrail --filter-name \
             LegacyAccessCount`"
                .to_string()
        ]
    );
    apply(sim.as_ref(), &names, &p.steps, |_, _, _| {})
        .await
        .expect("applies");
    assert_eq!(every_filter(&sim), before);
}
