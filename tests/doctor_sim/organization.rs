//! Organization trails: a member account sees the management account's trail (a shadow
//! trail) and its chain lives with that trail's log group, in the management account. The
//! doctor says so, examines it there when that scope is watched, and never reports "no
//! trail" or "not set up" in the member; setup never builds the chain in the member, and
//! says what a trail of its own beside the organization's costs.

use super::{common::*, state, summary};
use secretwatch::chain::doctor::{Report, examine_from};
use secretwatch::chain::setup::{Plan, Step, plan};
use secretwatch::chain::{ChainLink, Homes, LinkState};
use secretwatch::clock::Clock;
use secretwatch::cloud::Cloud;
use secretwatch::cloud::names::ChainNames;
use secretwatch::cloud::scope::Scope;
use secretwatch::cloud::sim::{LOGISTICS, Scenario, SimCloud, SimConfig};
use std::sync::Arc;
use std::time::Duration;

const MANAGEMENT: &str = "123456789012";

fn account(scenario: Scenario) -> (Arc<SimCloud>, Clock) {
    let mut config = SimConfig::demo(6, scenario);
    config.call_latency = (Duration::ZERO, Duration::ZERO);
    config.organization_trail = true;
    sim(config)
}

/// The member's chain examined with the management account watched (`Some`) or not.
async fn member_with(management: Option<Scenario>) -> Report {
    let (member, clock) = account(Scenario::OrganizationMember);
    let homes: Vec<(Scope, Arc<dyn Cloud>)> = management
        .map(|scenario| {
            (
                Scope::new(MANAGEMENT, "us-east-1"),
                account(scenario).0 as _,
            )
        })
        .into_iter()
        .collect();
    let homes: &Homes = &homes;
    examine_in(&member, homes, clock).await
}

async fn examine_in(cloud: &SimCloud, homes: &Homes, clock: Clock) -> Report {
    let names = ChainNames::default();
    examine_from(cloud, homes, &names, &Default::default(), &[], clock.now()).await
}

async fn plan_in(cloud: &SimCloud, clock: Clock) -> Plan {
    let names = ChainNames::default();
    plan(
        cloud,
        &names,
        &Default::default(),
        "bucket",
        None,
        clock.now(),
    )
    .await
}

fn fix(report: &Report, link: ChainLink) -> String {
    let finding = report.findings.iter().find(|f| f.link == link);
    finding.and_then(|f| f.fix.clone()).unwrap_or_default()
}

#[tokio::test(start_paused = true)]
async fn a_member_sees_the_organization_trail_and_its_chain_in_the_management_account() {
    let report = member_with(Some(Scenario::Healthy)).await;
    assert!(report.healthy(), "{report:#?}");
    assert_eq!(report.chain_in, Some(Scope::new(MANAGEMENT, "us-east-1")));
    let trail = summary(&report, ChainLink::Trail);
    assert!(
        trail.starts_with("organization trail secretwatch-trail (account 123456789012"),
        "{trail}"
    );
    for link in [
        ChainLink::Delivery,
        ChainLink::MetricFilter,
        ChainLink::Alarm,
        ChainLink::Notify,
    ] {
        let said = summary(&report, link);
        assert!(
            said.starts_with("in account 123456789012 (us-east-1): "),
            "{link:?}: {said}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_broken_chain_in_the_management_account_is_the_members_and_is_fixed_there() {
    let report = member_with(Some(Scenario::AverageTrap)).await;
    assert_eq!(state(&report, ChainLink::Alarm), LinkState::Broken);
    assert!(summary(&report, ChainLink::Alarm).contains("statistic Average"));
    let fix = fix(&report, ChainLink::Alarm);
    assert!(
        fix.contains(
            "`secretwatch setup --region us-east-1` with account 123456789012's credentials"
        ),
        "{fix}"
    );
}

#[tokio::test(start_paused = true)]
async fn with_the_management_account_not_watched_its_links_are_unknown_never_missing() {
    let report = member_with(None).await;
    assert_eq!(state(&report, ChainLink::Trail), LinkState::Ok);
    for link in [
        ChainLink::Delivery,
        ChainLink::MetricFilter,
        ChainLink::Alarm,
        ChainLink::Notify,
    ] {
        assert_eq!(state(&report, link), LinkState::Unknown, "{link:?}");
        assert!(summary(&report, link).contains("not watched here"));
        assert!(fix(&report, link).contains("watch account 123456789012 in us-east-1 too"));
    }
    assert_eq!(report.chain_in, Some(Scope::new(MANAGEMENT, "us-east-1")));
}

#[tokio::test(start_paused = true)]
async fn the_management_accounts_own_organization_trail_is_its_chain() {
    let (management, clock) = account(Scenario::Healthy);
    let report = examine_in(&management, &[], clock).await;
    assert!(report.healthy(), "{report:#?}");
    assert_eq!(report.chain_in, None);
    assert!(summary(&report, ChainLink::Trail).starts_with("organization trail"));
}

#[tokio::test(start_paused = true)]
async fn setup_in_a_member_builds_no_chain_beside_the_organizations() {
    let (member, clock) = account(Scenario::OrganizationMember);
    assert_eq!(
        member.identity().await.expect("an identity").account,
        LOGISTICS
    );
    let p = plan_in(&member, clock).await;
    assert!(p.steps.is_empty(), "{:?}", p.steps);
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("live in account 123456789012 (us-east-1)")),
        "{:?}",
        p.notes
    );
}

#[tokio::test(start_paused = true)]
async fn an_organization_trail_without_logs_is_said_and_a_trail_of_our_own_costs_a_second_copy() {
    let (member, clock) = account(Scenario::OrganizationMember);
    member.with_world(|w| w.trails[0].log_group = None);
    let report = examine_in(&member, &[], clock).await;
    assert_eq!(state(&report, ChainLink::Delivery), LinkState::Broken);
    assert!(summary(&report, ChainLink::Delivery).contains("does not deliver to CloudWatch Logs"));
    assert!(fix(&report, ChainLink::Delivery).contains("$2.00 per 100,000"));
    assert_eq!(report.chain_in, None);
    let p = plan_in(&member, clock).await;
    assert!(
        p.steps
            .iter()
            .any(|s| matches!(s, Step::Trail { exists: false, .. })),
        "{:?}",
        p.steps
    );
    let cost = p.notes.iter().find(|n| n.contains("second copy"));
    assert!(
        cost.is_some_and(|n| n.contains("$2.00 per 100,000")),
        "{:?}",
        p.notes
    );
}
