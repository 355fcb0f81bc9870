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
                .filter(|c| matches!(c, Change::Access(_)))
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
            // What an unfocused scope does not show.
            _ => {}
        }
        Vec::new()
    }
}
