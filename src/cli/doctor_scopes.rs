//! `doctor` over every scope watched: each other scope's chain examined (all at once), a
//! verdict per scope, and an overview: which scopes have a working chain, which are broken,
//! which are not set up, which could not be checked.

use super::open::Opened;
use super::output::say;
use crate::chain::Homes;
use crate::chain::doctor::{Report, examine_from};
use crate::chain::{ChainLink, LinkState};
use crate::cloud::names::ChainNames;
use crate::cloud::scope::Scope;
use crate::text::sanitize::sanitize_line;
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
    pub fn of(report: &Report) -> Self {
        let state = |link: ChainLink| {
            let found = report.findings.iter().find(|f| f.link == link);
            found.map(|f| f.state)
        };
        let missing = |link| state(link) == Some(LinkState::Broken);
        if report
            .findings
            .iter()
            .all(|f| f.state == LinkState::Unknown)
        {
            Verdict::Unknown
        } else if missing(ChainLink::MetricFilter) && missing(ChainLink::Alarm) {
            Verdict::NotSetUp
        } else if report.findings.iter().any(|f| f.state == LinkState::Broken) {
            Verdict::Broken
        } else if report
            .findings
            .iter()
            .any(|f| f.state == LinkState::Unknown)
        {
            Verdict::Unknown
        } else {
            Verdict::Working
        }
    }

    fn words(self) -> &'static str {
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
    pub findings: Vec<crate::chain::Finding>,
    /// Where its log group, filter, alarm and topic live when another account's
    /// organization trail carries its events.
    pub chain_in: Option<Scope>,
}

/// Every scope watched, focused first, each with its account (asked of the account when
/// the scope was opened without one): where a chain that lives elsewhere is examined.
pub async fn homes(opened: &Opened) -> Arc<Homes> {
    let focused = (Scope::default(), opened.cloud.clone());
    let all = std::iter::once(focused).chain(opened.others.iter().cloned());
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (scope, cloud)) in all.enumerate() {
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

/// Every other scope's chain, examined concurrently, in the order the scopes were opened.
pub async fn examine_others(
    opened: &Opened,
    names: &ChainNames,
    homes: &Arc<Homes>,
) -> Vec<ScopeReport> {
    let mut tasks = tokio::task::JoinSet::new();
    // The focused scope is first among the homes: the others follow in order.
    for (i, (scope, cloud)) in homes.iter().enumerate().skip(1) {
        let (scope, cloud, names) = (scope.clone(), cloud.clone(), names.clone());
        let sources = opened.engine.event_sources;
        let watched = opened.engine.secrets.clone();
        let now = opened.clock.now();
        let homes = homes.clone();
        tasks.spawn(async move {
            let report =
                examine_from(cloud.as_ref(), &homes, &names, &sources, &watched, now).await;
            let verdict = Verdict::of(&report);
            // Setup works on the focused scope: another scope's fix says how to get there.
            let there = format!(
                "`secretwatch setup --region {}` with that account's credentials",
                scope.region
            );
            let mut findings = report.findings;
            for f in &mut findings {
                if let Some(fix) = &mut f.fix {
                    *fix = fix.replace(crate::chain::BY_SETUP, &there);
                }
            }
            let report = ScopeReport {
                account: scope.account,
                region: scope.region,
                verdict,
                findings,
                chain_in: report.chain_in,
            };
            (i, report)
        });
    }
    let mut done: Vec<(usize, ScopeReport)> = tasks.join_all().await;
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Each other scope's verdict and what is wrong in it, then the overview with the focused
/// scope counted.
pub fn print(focused: &Report, others: &[ScopeReport]) {
    for scope in others {
        let ok = scope
            .findings
            .iter()
            .filter(|f| f.state == LinkState::Ok)
            .count();
        say!(
            "scope   {} in {}: {} ({ok} of {} links ok)",
            sanitize_line(&scope.account, 20),
            sanitize_line(&scope.region, 30),
            scope.verdict.words(),
            scope.findings.len()
        );
        if let Some(home) = &scope.chain_in {
            say!("        {}", lives_in(home));
        }
        let wrong: Vec<&crate::chain::Finding> = scope
            .findings
            .iter()
            .filter(|f| f.state != LinkState::Ok)
            .collect();
        // One cause for every link (a role that cannot be assumed): said once.
        if wrong.len() > 1 && wrong.iter().all(|f| f.summary == wrong[0].summary) {
            say!(
                "        every link: {}",
                sanitize_line(&wrong[0].summary, 300)
            );
            if let Some(fix) = &wrong[0].fix {
                say!("{:>23}fix: {}", "", sanitize_line(fix, 300));
            }
            continue;
        }
        for f in wrong {
            say!(
                "        {:<14} {}",
                f.link.label(),
                sanitize_line(&f.summary, 300)
            );
            if let Some(fix) = &f.fix {
                say!("{:>23}fix: {}", "", sanitize_line(fix, 300));
            }
        }
    }
    let verdicts: Vec<Verdict> = std::iter::once(Verdict::of(focused))
        .chain(others.iter().map(|s| s.verdict))
        .collect();
    let count = |v: Verdict| verdicts.iter().filter(|x| **x == v).count();
    say!(
        "scopes  {} working, {} broken, {} not set up, {} not fully checked",
        count(Verdict::Working),
        count(Verdict::Broken),
        count(Verdict::NotSetUp),
        count(Verdict::Unknown)
    );
}

/// Where a chain that is not in its own scope lives, in words.
pub fn lives_in(home: &Scope) -> String {
    format!(
        "its log group, filter, alarm and topic live in account {} ({}), where the \
         organization trail delivers",
        sanitize_line(&home.account, 20),
        sanitize_line(&home.region, 30)
    )
}
