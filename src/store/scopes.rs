//! The scopes beside the focused one: for each, what an unfocused scope shows (who it is,
//! each source's health, its alarm's state, how many accesses it brought). Its accesses
//! join the one timeline, where each carries its account and region.

use super::{Change, HealthBoard, Lookup, Store};
use crate::cloud::CloudError;
use crate::cloud::types::{Alarm, Identity};
use crate::engine::Update;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Default)]
pub struct ScopeView {
    /// The scope as it was opened (its region; its account once STS said).
    pub opened: Option<crate::cloud::scope::Scope>,
    pub identity: Option<Identity>,
    /// Why who it is could not be learned, until it can.
    pub identity_error: Option<CloudError>,
    pub health: HealthBoard,
    pub alarm: Lookup<Alarm>,
    /// Accesses it brought that the timeline did not hold yet.
    pub accesses: usize,
    /// Messages or files of its queues that could not be read.
    pub unreadable: usize,
    /// Its chain as the doctor last found it, and whether it is looking again.
    pub chain: Option<crate::chain::scopes::ScopeReport>,
    pub chain_checking: bool,
}

impl ScopeView {
    /// Its account, once known (from STS, else as it was opened).
    pub fn account(&self) -> Option<&str> {
        let opened = self.opened.as_ref().map(|s| s.account.as_str());
        let known = self.identity.as_ref().map(|i| i.account.as_str());
        known.or(opened).filter(|a| !a.is_empty())
    }

    /// Its region, once known.
    pub fn region(&self) -> Option<&str> {
        let opened = self.opened.as_ref().map(|s| s.region.as_str());
        self.identity.as_ref().map(|i| i.region.as_str()).or(opened)
    }
}

impl Store {
    /// An update from another scope's pollers.
    pub(super) fn apply_in_scope(
        &mut self,
        scope: usize,
        update: Update,
        now: DateTime<Utc>,
    ) -> Vec<Change> {
        if let Update::Accesses(_) = update {
            let changes = self.apply(update, now);
            self.others.entry(scope).or_default().accesses += changes
                .iter()
                .filter(|c| matches!(c, Change::Access(e) if e.is_read()))
                .count();
            return changes;
        }
        let view = self.others.entry(scope).or_default();
        match update {
            Update::Identity(id) => {
                view.identity = Some(id);
                view.identity_error = None;
            }
            Update::IdentityFailed(error) => view.identity_error = Some(error),
            Update::Opened(scope) => view.opened = Some(scope),
            Update::Polled {
                source,
                at,
                every,
                attempt,
            } => view.health.record(source, at, every, attempt),
            Update::Alarm { alarm, .. } => view.alarm = Lookup::answered(alarm),
            Update::Unreadable { .. } => view.unreadable += 1,
            Update::ScopeChain(report) => {
                view.chain = Some(report);
                view.chain_checking = false;
            }
            // What an unfocused scope does not show.
            _ => {}
        }
        Vec::new()
    }
}

/// The timeline narrowed to one account, one region, or both (`--scope`, or the picker).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeFilter {
    pub account: Option<String>,
    pub region: Option<String>,
}

impl ScopeFilter {
    /// `123456789012`, `eu-west-1`, or `123456789012/eu-west-1`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let account = |t: &str| t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit());
        let region = crate::cloud::scope::plausible_region;
        let bad = || {
            format!(
                "{}: a scope is an account id (12 digits), a region (eu-west-1) or both \
                 (123456789012/eu-west-1)",
                crate::text::sanitize::sanitize_line(text, 60)
            )
        };
        match text.split_once('/') {
            Some((a, r)) if account(a) && region(r) => Ok(Self {
                account: Some(a.into()),
                region: Some(r.into()),
            }),
            Some(_) => Err(bad()),
            None if account(text) => Ok(Self {
                account: Some(text.into()),
                region: None,
            }),
            None if region(text) && !text.bytes().all(|b| b.is_ascii_digit()) => Ok(Self {
                account: None,
                region: Some(text.into()),
            }),
            None => Err(bad()),
        }
    }

    pub fn matches(&self, e: &crate::access::AccessEvent) -> bool {
        self.account.as_deref().is_none_or(|a| a == &*e.account)
            && self.region.as_deref().is_none_or(|r| r == &*e.region)
    }

    pub fn label(&self) -> String {
        match (&self.account, &self.region) {
            (Some(a), Some(r)) => format!("{a}/{r}"),
            (Some(a), None) => a.clone(),
            (None, Some(r)) => r.clone(),
            (None, None) => "all scopes".into(),
        }
    }
}

impl Store {
    /// The accesses shown, newest first: the timeline, narrowed when a scope is picked and
    /// to the filter's matches.
    pub fn shown(&self) -> impl Iterator<Item = &crate::access::AccessEvent> {
        let narrowed = self.narrowed.as_ref();
        let mut matches = self.query.matcher();
        self.timeline
            .newest_first()
            .filter(move |e| narrowed.is_none_or(|n| n.matches(e)) && matches(e))
    }

    /// How many accesses are shown.
    pub fn shown_len(&self) -> usize {
        if self.narrowed.is_none() && self.query.is_empty() {
            self.timeline.len()
        } else {
            self.shown().count()
        }
    }

    /// Whether the timeline shows only part of what it holds.
    pub fn is_narrowed(&self) -> bool {
        self.narrowed.is_some() || !self.query.is_empty()
    }

    /// Every scope watched, the focused one first, as a filter that narrows to it.
    pub fn scope_list(&self) -> Vec<ScopeFilter> {
        let focused = self.identity.as_ref().map(|i| ScopeFilter {
            account: Some(i.account.clone()),
            region: Some(i.region.clone()),
        });
        let others = self.others.values().map(|v| ScopeFilter {
            account: v.account().map(str::to_string),
            region: v.region().map(str::to_string),
        });
        focused.into_iter().chain(others).collect()
    }
}
