//! The one-shot commands' wait: every source asked once, transient failures retried.

use super::open::Opened;
use crate::cloud::{CloudError, ErrorKind};
use crate::engine::{Attempt, Engine, Source, Update};
use crate::store::Store;
use std::collections::{BTreeMap, BTreeSet};

fn transient(error: &CloudError) -> bool {
    matches!(
        error.kind,
        ErrorKind::Throttled | ErrorKind::Unreachable | ErrorKind::Service
    )
}

/// Feeds updates to the store until every source of every scope answered once. Transient
/// failures are retried by the engine a few times; anything else ends the wait: for the
/// focused scope as an error, for another scope by leaving it out (its health says why, and
/// `failed_scopes` names it). The queue sources are streams, not snapshots: nothing waits
/// on their first long poll.
pub async fn poll_once(
    engine: &mut Engine,
    opened: &Opened,
    store: &mut Store,
    need_identity: bool,
) -> Result<(), CloudError> {
    let snapshot = |s: &Source| !matches!(s, Source::FastPath | Source::TrailFiles);
    let focused = opened.engine.sources.iter().copied().filter(snapshot);
    let mut waiting: BTreeSet<(usize, Source)> = focused.map(|s| (0, s)).collect();
    for scope in 1..=opened.others.len() {
        let polled = crate::engine::UNFOCUSED
            .into_iter()
            .filter(|s| snapshot(s) && opened.engine.sources.contains(s));
        waiting.extend(polled.map(|s| (scope, s)));
    }
    let mut retries = BTreeMap::new();
    let identity_known = |store: &Store| store.identity.is_some() || store.identity_error.is_some();
    while !waiting.is_empty() || need_identity && !identity_known(store) {
        let Some(update) = engine.updates.recv().await else {
            break;
        };
        let (scope, inner) = match &update {
            Update::InScope { scope, update } => (*scope, update.as_ref()),
            other => (0, other),
        };
        if let Update::Polled {
            source, attempt, ..
        } = inner
        {
            let tries: &mut u32 = retries.entry((scope, *source)).or_default();
            match attempt {
                Attempt::Ok | Attempt::Unsupported(_) => {
                    waiting.remove(&(scope, *source));
                }
                Attempt::Failed { error, .. } if !transient(error) || *tries >= 3 => {
                    if scope == 0 {
                        return Err(error.clone());
                    }
                    waiting.retain(|(s, _)| *s != scope);
                }
                Attempt::Throttled { .. } | Attempt::Failed { .. } => *tries += 1,
            }
        }
        store.apply(update, opened.clock.now());
    }
    Ok(())
}

/// The other scopes whose last look at `source` failed, each with its region and why.
pub fn failed_scopes(store: &Store, source: Source) -> Vec<(String, String)> {
    store
        .others
        .iter()
        .filter_map(|(i, view)| {
            let why = match (&view.identity, &view.identity_error) {
                (None, Some(error)) => error.to_string(),
                _ => view.health.failure(source)?,
            };
            let region = view
                .region()
                .map_or(format!("scope {}", i + 1), str::to_string);
            Some((region, why))
        })
        .collect()
}
