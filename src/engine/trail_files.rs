//! The trail's log files: long-polls the queue notified of each file the trail writes to
//! its bucket (CloudTrail's SNS notification, or the bucket's S3 events), fetches each file,
//! keeps the Secrets Manager reads and changes (the same parser as LookupEvents' records), and deletes
//! the message once its files are handled. Nothing here spends LookupEvents' budget, and an
//! organization trail's files carry every account and region of the organization. First,
//! the files of the window the dashboard opens on are read from the bucket (`backfill`).

use super::backfill::Backfill;
use super::fast_path::{drain_pause, unreadable, watch_once};
use super::poll::Fetch;
use super::sources::Context;
use super::{Source, Update};
use crate::access::log_file::{MAX_LOG_FILE_BYTES, shown_in_log_file};
use crate::access::trail_notification::log_files;
use crate::access::{AccessEvent, SeenBy, parse_access_event};
use crate::cloud::types::Feed;
use crate::cloud::{Cloud, CloudError, ErrorKind};
use crate::watched::Watch;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

pub struct TrailFiles {
    ctx: Context,
    watch: Option<Watch>,
    backfill: Backfill,
    /// The last receive took a full batch: the next starts at once.
    full: bool,
}

impl TrailFiles {
    pub fn new(ctx: Context) -> Self {
        Self {
            ctx,
            watch: None,
            backfill: Backfill::default(),
            full: false,
        }
    }

    async fn receive(&mut self, out: &UnboundedSender<Update>) -> Result<(), CloudError> {
        let watch = watch_once(&self.ctx, &mut self.watch).await?;
        // The window's files from the bucket first, whether a queue is set up or not.
        self.backfill.run(&self.ctx, &watch, out).await?;
        let cfg = &self.ctx.config;
        let cloud = self.ctx.cloud.as_ref();
        let messages = cloud
            .receive(Feed::TrailFiles, cfg.fast_path_batch, cfg.fast_path_wait)
            .await?;
        self.full = messages.len() >= cfg.fast_path_batch;
        let mut handled = Vec::new();
        for message in messages {
            let files = match log_files(&message.body) {
                Ok(files) => files,
                Err(why) => {
                    unreadable(out, Source::TrailFiles, &message.id, why.to_string());
                    handled.push(message.receipt);
                    continue;
                }
            };
            for file in files {
                let read = read_log_file(cloud, &file.bucket, &file.key, &watch, None, out).await;
                // What may pass: the message comes back, and the file with it.
                if let Err(e) = read {
                    return self.delete_then(handled, Err(e)).await;
                }
            }
            handled.push(message.receipt);
        }
        self.delete_then(handled, Ok(())).await
    }

    /// Deletes the messages whose files were handled, then answers `result`.
    async fn delete_then(
        &self,
        receipts: Vec<String>,
        result: Result<(), CloudError>,
    ) -> Result<(), CloudError> {
        if !receipts.is_empty() {
            self.ctx
                .cloud
                .delete_received(Feed::TrailFiles, &receipts)
                .await?;
        }
        result
    }
}

/// One log file: its reads and changes (from `since` on, of the watched secrets) sent as `trail-file`;
/// a file gone (a lifecycle rule, say), too large or unreadable named by its key, counted
/// and passed. An error only for what may pass (throttling, an outage): read it again.
pub(super) async fn read_log_file(
    cloud: &dyn Cloud,
    bucket: &str,
    key: &str,
    watch: &Watch,
    since: Option<DateTime<Utc>>,
    out: &UnboundedSender<Update>,
) -> Result<(), CloudError> {
    let bytes = match cloud.log_file(bucket, key, MAX_LOG_FILE_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) if matches!(e.kind, ErrorKind::NotFound | ErrorKind::InvalidInput) => {
            unreadable(out, Source::TrailFiles, key, e.short());
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    match shown_in_log_file(&bytes, MAX_LOG_FILE_BYTES) {
        Ok(log) => {
            let accesses: Vec<AccessEvent> = log
                .shown
                .iter()
                .map(|record| {
                    let mut event = parse_access_event(record);
                    event.seen_by = SeenBy::TrailFile;
                    event
                })
                .filter(|e| since.is_none_or(|t| e.time >= t) && watch.shows(&e.secret))
                .collect();
            if !accesses.is_empty() {
                let _ = out.send(Update::Accesses(accesses));
            }
        }
        Err(why) => unreadable(out, Source::TrailFiles, key, why.to_string()),
    }
    Ok(())
}

#[async_trait]
impl Fetch for TrailFiles {
    async fn fetch(&mut self, out: &UnboundedSender<Update>) -> Result<(), CloudError> {
        let result = self.receive(out).await;
        self.ctx
            .trail_files_up
            .store(result.is_ok(), Ordering::Relaxed);
        result
    }

    fn look_again(&self) -> Option<Duration> {
        Some(self.ctx.config.queue_look_again)
    }

    fn pause(&self, _every: Duration, took: Duration) -> Duration {
        drain_pause(self.full, took, self.ctx.config.queue_rest)
    }
}
