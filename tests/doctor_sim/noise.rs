//! The noise finding over the demo's traffic: the alarm fires on every read, most of them
//! the billing service's; marked expected, the doctor proposes a pattern without it, setup
//! applies it, the chain still counts every other kind of read, and the alarm fires less.

use super::*;
use secretwatch::chain::noise::expected_form;
use secretwatch::chain::setup::{Step, apply, leave_out_expected, plan};
use secretwatch::cloud::Cloud;
use secretwatch::engine::Engine;
use secretwatch::store::Store;

const BILLING: &str = "arn:aws:sts::123456789012:assumed-role/billing-service/i-0a1b2c3d4e5f67890";

/// Setup's plan for a healthy chain with `expected` marked: the filter's pattern, if any.
async fn planned(
    sim: &secretwatch::cloud::sim::SimCloud,
    now: chrono::DateTime<chrono::Utc>,
    expected: &[String],
) -> secretwatch::chain::setup::Plan {
    let names = ChainNames::default();
    let mut p = plan(sim, &names, &Default::default(), "b", None, now).await;
    leave_out_expected(&mut p, &names, expected);
    p
}

fn noise(store: &Store) -> secretwatch::chain::Finding {
    let report = store.chain.as_ref().expect("the doctor's report");
    report
        .findings
        .iter()
        .find(|f| f.link == ChainLink::Noise)
        .cloned()
        .unwrap_or_else(|| panic!("no noise finding: {report:#?}"))
}

/// Firings in the alarm's history from `since` on.
async fn firings(
    sim: &secretwatch::cloud::sim::SimCloud,
    since: chrono::DateTime<chrono::Utc>,
) -> usize {
    let names = ChainNames::default();
    let history = sim
        .alarm_history(&names.alarm, since)
        .await
        .expect("history");
    history
        .iter()
        .filter(|t| t.time >= since && t.to == secretwatch::cloud::types::AlarmState::Alarm)
        .count()
}

#[tokio::test(start_paused = true)]
async fn marked_expected_the_service_is_left_out_of_the_count_and_nothing_else() {
    let mut config = SimConfig::demo(9, Scenario::Healthy);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    let names = ChainNames::default();
    let (sim, clock) = sim(config.clone());
    let mut engine = Engine::start(sim.clone(), clock, engine_config(&config));
    let mut store = Store::default();
    run_engine(&mut engine, clock, &mut store, 20 * 60).await;
    let report = examine(sim.as_ref(), &names, &Default::default(), &[], clock.now()).await;
    store.apply(secretwatch::engine::Update::Chain(report), clock.now());
    let before = noise(&store);
    assert_eq!(before.state, LinkState::Warning, "{before:#?}");
    assert!(
        before.summary.contains("billing-service"),
        "{}",
        before.summary
    );
    assert!(
        before.evidence.contains("local pattern evaluator"),
        "{}",
        before.evidence
    );
    assert!(
        before
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("principals view"))
    );

    let form = expected_form(BILLING).expect("a role");
    assert_eq!(store.expected.toggle(&form, clock.now()), Ok(true));
    store.refresh_noise(clock.now());
    let proposed = noise(&store);
    let fix = proposed.fix.clone().expect("a proposal");
    assert!(
        fix.contains("assumed-role/billing-service/*") && fix.contains("setup"),
        "{fix}"
    );

    // Setup's plan: that filter's pattern, and nothing else.
    let p = planned(&sim, clock.now(), &store.expected.principals()).await;
    let [Step::UpdateMetricFilter(fix)] = p.steps.as_slice() else {
        panic!("one filter change: {:?}", p.steps);
    };
    assert!(fix.value.is_none() && fix.default_value.is_none());
    let applied_at = clock.now();
    apply(sim.as_ref(), &names, &p.steps, |_, _, r| {
        assert!(r.is_ok(), "{r:?}")
    })
    .await
    .expect("applied");

    // The doctor: the filter still counts an IAM user's, a role's, a console session's and
    // an AWS service's read (its synthetic ones), and a second plan has nothing to do.
    let report = examine(sim.as_ref(), &names, &Default::default(), &[], clock.now()).await;
    assert_eq!(
        state(&report, ChainLink::MetricFilter),
        LinkState::Ok,
        "{report:#?}"
    );
    assert!(
        summary(&report, ChainLink::MetricFilter)
            .contains("but for the principals marked expected: arn:aws:sts::123456789012:assumed-role/billing-service/*"),
        "{report:#?}"
    );
    let again = planned(&sim, clock.now(), &store.expected.principals()).await;
    assert!(again.steps.is_empty(), "{:?}", again.steps);

    // The same twenty minutes of traffic again, with the service left out: fewer firings.
    let fired_before = firings(&sim, applied_at - chrono::TimeDelta::minutes(20)).await;
    run_engine(&mut engine, clock, &mut store, 20 * 60).await;
    let fired_after = firings(&sim, applied_at + chrono::TimeDelta::minutes(2)).await;
    assert!(
        fired_after < fired_before,
        "{fired_before} firings in the twenty minutes before, {fired_after} after"
    );
    // Once the change is in (CloudTrail's lag after it), a period counts only with someone
    // else's read in it: the service's alone count nothing.
    let from = applied_at + chrono::TimeDelta::minutes(6);
    let points = sim
        .metric_series(&secretwatch::cloud::types::MetricQuery {
            metric: names.metric(),
            statistic: secretwatch::cloud::types::Statistic::Sum,
            period: names.alarm_period,
            start: from,
            end: clock.now(),
        })
        .await
        .expect("the metric");
    let period = chrono::TimeDelta::from_std(names.alarm_period).expect("a period");
    let mut counted = 0;
    for p in points.iter().filter(|p| p.value > 0.0 && p.time >= from) {
        let others = store
            .timeline
            .newest_first()
            .filter(|e| e.is_read() && e.time >= p.time && e.time < p.time + period)
            .filter(|e| !e.principal.contains("billing-service"))
            .count();
        assert_eq!(p.value, others as f64, "the period at {}", p.time);
        counted += 1;
    }
    assert!(counted > 0, "someone else read in those minutes");
    let billing_read = store
        .timeline
        .newest_first()
        .any(|e| e.time >= from && e.principal.contains("billing-service"));
    assert!(billing_read, "the service kept reading");
    // Unmarked, the proposal is to count it again.
    assert_eq!(store.expected.toggle(&form, clock.now()), Ok(false));
    let back = planned(&sim, clock.now(), &[]).await;
    assert_eq!(back.steps.len(), 1, "{:?}", back.steps);
}
