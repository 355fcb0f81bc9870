//! The one-shot commands' wait: every source asked once, transient failures retried.

use super::open::Opened;
use crate::cloud::{CloudError, ErrorKind};
use crate::engine::{Attempt, Engine, Source, Update};
use crate::store::Store;
use std::collections::BTreeSet;

fn transient(error: &CloudError) -> bool {
    matches!(
        error.kind,
        ErrorKind::Throttled | ErrorKind::Unreachable | ErrorKind::Service
    )
}

/// Feeds updates to the store until every source in `sources` answered once. Transient
/// failures are retried by the engine a few times; anything else ends the wait. The
/// queue sources are streams, not snapshots: nothing waits on their first long poll.
pub async fn poll_once(
    engine: &mut Engine,
    opened: &Opened,
    store: &mut Store,
    need_identity: bool,
) -> Result<(), CloudError> {
    let mut waiting: BTreeSet<Source> = opened
        .engine
        .sources
        .iter()
        .copied()
        .filter(|s| !matches!(s, Source::FastPath | Source::TrailFiles))
        .collect();
    let mut retries = 0;
    let identity_known = |store: &Store| store.identity.is_some() || store.identity_error.is_some();
    while !waiting.is_empty() || need_identity && !identity_known(store) {
        let Some(update) = engine.updates.recv().await else {
            break;
        };
        if let Update::Polled {
            source, attempt, ..
        } = &update
        {
            match attempt {
                Attempt::Ok | Attempt::Unsupported(_) => {
                    waiting.remove(source);
                }
                Attempt::Failed { error, .. } if !transient(error) || retries >= 3 => {
                    return Err(error.clone());
                }
                Attempt::Throttled { .. } | Attempt::Failed { .. } => retries += 1,
            }
        }
        store.apply(update, opened.clock.now());
    }
    Ok(())
}
