//! `doctor` over every scope watched: each other scope's chain examined (all at once), a
//! verdict per scope, and an overview: which scopes have a working chain, which are broken,
//! which are not set up, which could not be checked.

use super::open::Opened;
use super::output::say;
use crate::chain::doctor::Report;
use crate::chain::scopes::{Examination, ScopeReport, Verdict};
use crate::chain::{Homes, LinkState};
use crate::cloud::names::ChainNames;
use crate::cloud::scope::Scope;
use crate::text::sanitize::sanitize_line;
use std::sync::Arc;

/// What examining each scope takes: every scope watched with its account, focused first.
pub async fn examination(opened: &Opened, names: &ChainNames) -> Examination {
    let focused = (Scope::default(), opened.cloud.clone());
    let all = std::iter::once(focused).chain(opened.others.iter().cloned());
    let homes: Arc<Homes> = crate::chain::scopes::homes(all.collect()).await;
    Examination {
        homes,
        names: names.clone(),
        sources: opened.engine.event_sources,
        watched: opened.engine.secrets.clone(),
        now: opened.clock.now(),
    }
}

/// Every other scope's chain, examined concurrently, in the order the scopes were opened.
pub async fn examine_others(exam: &Examination) -> Vec<ScopeReport> {
    let mut done: Vec<(usize, ScopeReport)> = exam.others().join_all().await;
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
    let verdicts: Vec<Verdict> = std::iter::once(Verdict::of(&focused.findings))
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
