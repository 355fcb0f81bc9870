//! The chain of every scope watched: where each scope's chain lives (its account asked of
//! the account when it was opened without one), each other scope's chain examined there, and
//! a verdict per scope. `doctor` and the dashboard's `d` use it alike.

use super::Homes;
use super::doctor::{Report, examine_from};
use super::{ChainLink, Finding, LinkState, Sources};
use crate::cloud::Cloud;
use crate::cloud::names::ChainNames;
use crate::cloud::scope::Scope;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Working,
    Broken,
    NotSetUp,
    Unknown,
}

impl Verdict {
    /// A scope's chain by its findings: not set up when neither the metric filter nor the
    /// alarm exists, broken when a link is, unknown when a link could not be checked, else
    /// working (warnings included).
    pub fn of(findings: &[Finding]) -> Self {
        let broken = |link: ChainLink| {
            findings
                .iter()
                .any(|f| f.link == link && f.state == LinkState::Broken)
        };
        let any = |state: LinkState| findings.iter().any(|f| f.state == state);
        if findings.iter().all(|f| f.state == LinkState::Unknown) {
            Verdict::Unknown
        } else if broken(ChainLink::MetricFilter) && broken(ChainLink::Alarm) {
            Verdict::NotSetUp
        } else if any(LinkState::Broken) {
            Verdict::Broken
        } else if any(LinkState::Unknown) {
            Verdict::Unknown
        } else {
            Verdict::Working
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Verdict::Working => "working",
            Verdict::Broken => "BROKEN",
            Verdict::NotSetUp => "not set up",
            Verdict::Unknown => "not fully checked",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScopeReport {
    pub account: String,
    pub region: String,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    /// Where its log group, filter, alarm and topic live when another account's
    /// organization trail carries its events.
    pub chain_in: Option<Scope>,
}

/// Every scope watched (the focused one first), each with its account: where a chain that
/// lives elsewhere is examined. A scope opened without its account or region asks.
pub async fn homes(scopes: Vec<(Scope, Arc<dyn Cloud>)>) -> Arc<Homes> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (scope, cloud)) in scopes.into_iter().enumerate() {
        tasks.spawn(async move {
            let scope = match cloud.identity().await {
                Ok(id) if scope.account.is_empty() || scope.region.is_empty() => {
                    Scope::new(id.account, id.region)
                }
                _ => scope,
            };
            (i, (scope, cloud))
        });
    }
    let mut done = tasks.join_all().await;
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, home)| home).collect()
}

/// What examining a scope needs beside the scope itself.
#[derive(Clone)]
pub struct Examination {
    pub homes: Arc<Homes>,
    pub names: ChainNames,
    pub sources: Sources,
    pub watched: Vec<String>,
    pub now: DateTime<Utc>,
}

impl Examination {
    /// The chain of the `i`th scope among the homes (not the focused one, the first).
    /// Setup works on the focused scope: another scope's fixes say how to get there.
    pub async fn other(&self, i: usize) -> ScopeReport {
        let (scope, cloud) = &self.homes[i];
        let report = examine_from(
            cloud.as_ref(),
            &self.homes,
            &self.names,
            &self.sources,
            &self.watched,
            self.now,
        )
        .await;
        let there = format!(
            "`secretwatch setup --region {}` with that account's credentials",
            scope.region
        );
        let mut findings = report.findings;
        // The advice is the focused scope's (its traces, its noise), not a link of this one.
        findings.retain(|f| !f.link.is_advice());
        for f in &mut findings {
            if let Some(fix) = &mut f.fix {
                *fix = fix.replace(super::BY_SETUP, &there);
            }
        }
        ScopeReport {
            account: scope.account.clone(),
            region: scope.region.clone(),
            verdict: Verdict::of(&findings),
            findings,
            chain_in: report.chain_in,
        }
    }

    /// Every other scope's chain, examined all at once, each with its index among the
    /// homes, as each is found.
    pub fn others(&self) -> tokio::task::JoinSet<(usize, ScopeReport)> {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 1..self.homes.len() {
            let exam = self.clone();
            tasks.spawn(async move { (i, exam.other(i).await) });
        }
        tasks
    }

    /// The focused scope's chain (the first among the homes).
    pub async fn focused(&self) -> Report {
        examine_from(
            self.homes[0].1.as_ref(),
            &self.homes,
            &self.names,
            &self.sources,
            &self.watched,
            self.now,
        )
        .await
    }
}
