//! The fast path: long-polls the queue an EventBridge rule feeds with the account's Secrets
//! Manager reads, reads each message's envelope down to the CloudTrail record inside (the
//! same parser as LookupEvents' records), and deletes what it handled. EventBridge delivers
//! best effort, so LookupEvents stays on as the reconciler, at `reconcile_every` while this
//! source delivers; the store keeps each access once, as it was seen first.

use super::poll::Fetch;
use super::sources::Context;
use super::{Source, Update};
use crate::access::envelope::record_from_envelope;
use crate::access::{AccessEvent, SeenBy, parse_access_event};
use crate::cloud::CloudError;
use crate::cloud::types::is_shown;
use crate::cloud::types::{Feed, QueueMessage};
use crate::watched::Watch;
use async_trait::async_trait;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// The pause after a receive that took `took`: none after a full batch, else the rest of
/// `rest` (`EngineConfig::queue_rest`: a second when focused, so that a queue that always
/// has messages is read continuously but never in a tight loop; the trail-file source too).
pub(super) fn drain_pause(full: bool, took: Duration, rest: Duration) -> Duration {
    if full {
        Duration::ZERO
    } else {
        rest.saturating_sub(took)
    }
}

/// A message or file of `source` that could not be read, by its id or key: logged (its id
/// and why, never its content: the log is no place for untrusted text), counted, passed.
pub(super) fn unreadable(out: &UnboundedSender<Update>, source: Source, id: &str, why: String) {
    tracing::warn!(source = source.label(), id, %why, "unreadable message or file: skipped");
    let _ = out.send(Update::Unreadable {
        source,
        id: id.to_string(),
        why,
    });
}

/// The watched secrets, resolved once per source (the events source tells the user about
/// those that do not resolve).
pub(super) async fn watch_once(
    ctx: &Context,
    cache: &mut Option<Watch>,
) -> Result<Watch, CloudError> {
    if let Some(watch) = cache {
        return Ok(watch.clone());
    }
    let watch = Watch::resolve(ctx.cloud.as_ref(), &ctx.config.secrets).await?;
    Ok(cache.insert(watch).clone())
}

pub struct FastPath {
    ctx: Context,
    /// The last receive took a full batch: more are waiting, the next starts at once.
    full: bool,
    watch: Option<Watch>,
}

impl FastPath {
    pub fn new(ctx: Context) -> Self {
        Self {
            ctx,
            watch: None,
            full: false,
        }
    }

    async fn receive(&mut self, out: &UnboundedSender<Update>) -> Result<(), CloudError> {
        let watch = watch_once(&self.ctx, &mut self.watch).await?;
        let cfg = &self.ctx.config;
        let messages = self
            .ctx
            .cloud
            .receive(Feed::FastPath, cfg.fast_path_batch, cfg.fast_path_wait)
            .await?;
        self.full = messages.len() >= cfg.fast_path_batch;
        if messages.is_empty() {
            return Ok(());
        }
        let mut accesses = Vec::new();
        for message in &messages {
            match read(message) {
                Ok(Some(event)) if watch.shows(&event.secret) => accesses.push(event),
                Ok(_) => {}
                Err(why) => unreadable(out, Source::FastPath, &message.id, why),
            }
        }
        if !accesses.is_empty() {
            let _ = out.send(Update::Accesses(accesses));
        }
        // Deleted once the accesses are on their way to the store: should the app stop
        // before it takes them in, the reconciler finds them in event history.
        let receipts: Vec<String> = messages.into_iter().map(|m| m.receipt).collect();
        self.ctx
            .cloud
            .delete_received(Feed::FastPath, &receipts)
            .await
    }
}

/// The access in a message; None for a record that is not a Secrets Manager read (the
/// rule may match more), an error saying why for what is no CloudTrail record at all.
fn read(message: &QueueMessage) -> Result<Option<AccessEvent>, String> {
    let record = record_from_envelope(&message.body).map_err(|e| e.to_string())?;
    if !is_shown(&record.event_source, &record.event_name) {
        return Ok(None);
    }
    let mut event = parse_access_event(&record);
    event.seen_by = SeenBy::EventBridge;
    Ok(Some(event))
}

#[async_trait]
impl Fetch for FastPath {
    async fn fetch(&mut self, out: &UnboundedSender<Update>) -> Result<(), CloudError> {
        let result = self.receive(out).await;
        self.ctx
            .fast_path_up
            .store(result.is_ok(), Ordering::Relaxed);
        result
    }

    fn look_again(&self) -> Option<Duration> {
        Some(self.ctx.config.queue_look_again)
    }

    /// The receive itself waited: the next starts at once after a full batch (more are
    /// waiting: at a hundred reads a second, a second's pause per ten would never catch up),
    /// else after a second at the least.
    fn pause(&self, _every: Duration, took: Duration) -> Duration {
        drain_pause(self.full, took, self.ctx.config.queue_rest)
    }
}
