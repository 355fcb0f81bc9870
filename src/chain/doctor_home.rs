//! Where a scope's chain lives. Usually here; but a member account of an organization sees
//! the organization's trail (a shadow trail of the management account's, or a delegated
//! administrator's), and that trail delivers every member's events to a log group in its
//! owner's account. The member's log group, filter, alarm and topic are then the owner's:
//! examined there when that scope is watched too, said as unwatched when it is not, and
//! never reported as "no trail" or "not set up" in the member.

use super::{ChainLink, Finding, LinkState};
use crate::cloud::Cloud;
use crate::cloud::links::{TrailInfo, arn_scope, log_group_name};
use crate::cloud::scope::Scope;
use std::sync::Arc;

/// The scopes this run can examine, each with its account known.
pub type Homes = [(Scope, Arc<dyn Cloud>)];

pub enum Home<'a> {
    Here,
    /// Another account's organization trail delivers to a log group in `scope`, watched in
    /// this run: the rest of the chain is examined there.
    There {
        scope: Scope,
        cloud: &'a dyn Cloud,
        trail: String,
    },
    /// As `There`, but that scope is not watched: the rest cannot be examined.
    Unwatched {
        scope: Scope,
    },
}

impl Home<'_> {
    pub fn scope(&self) -> Option<&Scope> {
        match self {
            Home::Here => None,
            Home::There { scope, .. } | Home::Unwatched { scope } => Some(scope),
        }
    }
}

/// Another account's organization trail, as the scope of `cloud` sees it.
pub async fn foreign_trail<'t>(
    cloud: &dyn Cloud,
    trail: Option<&'t TrailInfo>,
) -> Option<&'t TrailInfo> {
    let t = trail.filter(|t| t.organization)?;
    let owner = arn_scope(&t.arn)?;
    let me = cloud.identity().await.ok()?;
    (owner.account != me.account).then_some(t)
}

/// Where the chain lives, given another account's organization trail (if the chosen
/// trail is one).
pub fn locate<'a>(foreign: Option<&TrailInfo>, homes: &'a Homes) -> Home<'a> {
    let Some(t) = foreign else {
        return Home::Here;
    };
    // A trail that delivers to no log group carries no chain anywhere: judged here.
    let Some(scope) = t.log_group_arn.as_deref().and_then(arn_scope) else {
        return Home::Here;
    };
    let trail = t.name.clone();
    match homes.iter().find(|(s, _)| *s == scope) {
        Some((_, cloud)) => Home::There {
            scope,
            cloud: cloud.as_ref(),
            trail,
        },
        None => Home::Unwatched { scope },
    }
}

/// Where a fix of a link that lives in `scope` is made.
pub fn setup_there(scope: &Scope) -> String {
    format!(
        "`secretwatch setup --region {}` with account {}'s credentials",
        scope.region, scope.account
    )
}

/// The findings of links examined in `scope`: said to be there, fixed there.
pub fn mark_there(findings: &mut [Finding], scope: &Scope, trail: &str) {
    let there = setup_there(scope);
    for f in findings {
        f.summary = format!(
            "in account {} ({}): {}",
            scope.account, scope.region, f.summary
        );
        let whence = format!(
            "examined in account {}, {}, where organization trail {trail} delivers",
            scope.account, scope.region
        );
        f.evidence = match f.evidence.as_str() {
            "" => whence,
            e => format!("{e}; {whence}"),
        };
        if let Some(fix) = &mut f.fix {
            *fix = fix.replace(super::BY_SETUP, &there);
        }
    }
}

/// The links that live in a scope not watched: not examined, and how to examine them.
pub fn unwatched(scope: &Scope, trail: &TrailInfo) -> Vec<Finding> {
    let group = trail
        .log_group_arn
        .as_deref()
        .and_then(log_group_name)
        .unwrap_or("?");
    let fix = format!(
        "watch account {} in {} too (`--profile` with its credentials, or `--organization` \
         from the management account), or run `secretwatch doctor` there",
        scope.account, scope.region
    );
    let evidence = format!(
        "DescribeTrails: organization trail {} delivers to {}",
        trail.name,
        trail.log_group_arn.as_deref().unwrap_or_default()
    );
    let summary = format!(
        "organization trail {} delivers this account's events to log group {group} in \
         account {} ({}), where these links live: not watched here",
        trail.name, scope.account, scope.region
    );
    [
        ChainLink::Delivery,
        ChainLink::MetricFilter,
        ChainLink::Alarm,
        ChainLink::Notify,
    ]
    .map(|link| {
        Finding::new(link, LinkState::Unknown, summary.clone())
            .evidence(evidence.clone())
            .fix(fix.clone())
    })
    .into()
}

/// What a trail of this account's own beside the organization's costs: said by the doctor
/// and by setup's plan before it creates one.
pub fn second_copy_cost(trail: &TrailInfo) -> String {
    format!(
        "organization trail {} already records this account's management events; a trail \
         of this account's own records a second copy, billed at $2.00 per 100,000 events \
         (the first copy is free)",
        trail.name
    )
}

/// An organization trail of another account that delivers to no log group: the chain
/// needs one that does.
pub fn no_delivery(trail: &TrailInfo) -> Finding {
    let owner = arn_scope(&trail.arn)
        .map(|s| s.account)
        .unwrap_or_else(|| "its owner".into());
    Finding::new(
        ChainLink::Delivery,
        LinkState::Broken,
        format!(
            "organization trail {} (account {owner}) does not deliver to CloudWatch Logs",
            trail.name
        ),
    )
    .evidence("DescribeTrails: the organization trail has no CloudWatchLogsLogGroupArn")
    .fix(format!(
        "in account {owner}, give the organization trail a log group (one chain for every \
         account); or, here, a trail of this account's own: {}",
        second_copy_cost(trail)
    ))
}

/// Where the scope of `cloud` has its chain when another account's organization trail
/// carries its events (the trail named `trail`, else the one the doctor would pick): None
/// when the chain is its own, or its trails cannot be read.
pub async fn elsewhere(cloud: &dyn Cloud, trail: &str) -> Option<Scope> {
    let trails = cloud.trails().await.ok()?;
    let chosen = super::rules::pick_trail(&trails, trail);
    let foreign = foreign_trail(cloud, chosen).await;
    // With no scope to examine it in, where it lives is all `locate` says.
    locate(foreign, &[]).scope().cloned()
}
