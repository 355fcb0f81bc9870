//! The dashboard's doctor (`d`) over several scopes: the focused scope's chain where it
//! lives (a member account's is the management account's, through the organization trail),
//! then every other scope's, each with its verdict; the chain shown follows the scope the
//! timeline is narrowed to.

use super::*;
use secretwatch::chain::LinkState;
use secretwatch::chain::scopes::Verdict;
use secretwatch::clock::Clock;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::scope::Scope;
use secretwatch::cloud::sim::{LOGISTICS, PAYMENTS};
use secretwatch::engine::Job;
use secretwatch::store::{ScopeFilter, Verdicts};
use std::sync::Arc;

const MANAGEMENT: &str = "123456789012";

fn account(scenario: Scenario, account: &str, clock: Clock) -> Arc<SimCloud> {
    let mut config = SimConfig::demo(7, scenario);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    config.organization_trail = true;
    config.account = account.into();
    Arc::new(SimCloud::new(config, clock))
}

#[tokio::test(start_paused = true)]
async fn d_examines_every_scope_and_the_members_chain_where_the_organization_trail_delivers() {
    let clock = Clock::starting_at(fixed_start());
    let member = account(Scenario::OrganizationMember, LOGISTICS, clock);
    let others: Vec<(Scope, Arc<dyn Cloud>)> = vec![
        (
            Scope::new(MANAGEMENT, "us-east-1"),
            account(Scenario::Healthy, MANAGEMENT, clock),
        ),
        (
            Scope::new(PAYMENTS, "us-east-1"),
            account(Scenario::AverageTrap, PAYMENTS, clock),
        ),
    ];
    let config = engine_config(&SimConfig::demo(7, Scenario::OrganizationMember));
    let mut engine = Engine::start_scopes(member, None, others, clock, config);
    let mut store = Store::default();
    store.checking_chains();
    engine
        .jobs
        .send(Job::Doctor { every_scope: true })
        .expect("the worker runs");
    run_engine(&mut engine, clock, &mut store, 60).await;

    let focused = store.chain.as_ref().expect("the member's chain examined");
    assert_eq!(
        focused.chain_in,
        Some(Scope::new(MANAGEMENT, "us-east-1")),
        "{focused:#?}"
    );
    assert!(focused.healthy(), "{focused:#?}");
    let verdict = |i: usize| {
        let view = store.others.get(&i).expect("the scope");
        assert!(!view.chain_checking);
        view.chain.as_ref().map(|r| r.verdict)
    };
    assert_eq!(verdict(1), Some(Verdict::Working));
    assert_eq!(verdict(2), Some(Verdict::Broken));
    assert_eq!(
        store.verdicts(),
        Verdicts {
            working: 2,
            broken: 1,
            ..Verdicts::default()
        }
    );

    // Narrowed to the payments account, the chain shown is its own: the alarm on Average.
    store.narrowed = Some(ScopeFilter::parse(&format!("{PAYMENTS}/us-east-1")).expect("scope"));
    let shown = store.chain_shown();
    assert_eq!(shown.other.as_deref(), Some("210987654321 us-east-1"));
    let alarm = shown
        .findings
        .expect("examined")
        .iter()
        .find(|f| f.link == secretwatch::chain::ChainLink::Alarm)
        .expect("the alarm's finding");
    assert_eq!(alarm.state, LinkState::Broken, "{alarm:#?}");
    store.narrowed = Some(ScopeFilter::parse(PAYMENTS).expect("an account"));
    assert_eq!(
        store.chain_shown().other,
        None,
        "an account over several regions is no one chain: the focused one is shown"
    );
}

#[tokio::test(start_paused = true)]
async fn the_chain_strip_at_start_examines_the_focused_scope_only() {
    let clock = Clock::starting_at(fixed_start());
    let focused = account(Scenario::Healthy, MANAGEMENT, clock);
    let payments = account(Scenario::AverageTrap, PAYMENTS, clock);
    let others: Vec<(Scope, Arc<dyn Cloud>)> =
        vec![(Scope::new(PAYMENTS, "us-east-1"), payments.clone())];
    let config = engine_config(&SimConfig::demo(7, Scenario::Healthy));
    let mut engine = Engine::start_scopes(focused, None, others, clock, config);
    let mut store = Store::default();
    engine
        .jobs
        .send(Job::Doctor { every_scope: false })
        .expect("the worker runs");
    run_engine(&mut engine, clock, &mut store, 60).await;
    assert!(store.chain.is_some());
    assert!(store.others.get(&1).is_some_and(|v| v.chain.is_none()));
    assert_eq!(
        payments.calls("DescribeMetricFilters").len(),
        0,
        "at start, the doctor looks at the focused scope only"
    );
    assert_eq!(store.verdicts().unchecked, 1);
}
