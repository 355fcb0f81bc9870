//! The alarm's messages: long-polls the queue of secretwatch's own subscribed to the
//! alarm's topic, reads each SNS envelope, and deletes what it handled. A trace's
//! notification link is the message of its alarm's transition arriving here.

use super::fast_path::{drain_pause, unreadable};
use super::poll::Fetch;
use super::sources::Context;
use super::{Source, Update};
use crate::cloud::CloudError;
use crate::cloud::alarm_message;
use crate::cloud::types::Feed;
use async_trait::async_trait;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

pub struct AlarmQueue {
    ctx: Context,
    full: bool,
}

impl AlarmQueue {
    pub fn new(ctx: Context) -> Self {
        Self { ctx, full: false }
    }
}

#[async_trait]
impl Fetch for AlarmQueue {
    async fn fetch(&mut self, out: &UnboundedSender<Update>) -> Result<(), CloudError> {
        let cfg = &self.ctx.config;
        let messages = self
            .ctx
            .cloud
            .receive(Feed::AlarmMessages, cfg.fast_path_batch, cfg.fast_path_wait)
            .await?;
        self.full = messages.len() >= cfg.fast_path_batch;
        if messages.is_empty() {
            return Ok(());
        }
        let mut read = Vec::new();
        for message in &messages {
            match alarm_message::read(&message.body, &cfg.names.alarm_queue) {
                Ok(m) => read.push(m),
                Err(why) => unreadable(out, Source::AlarmQueue, &message.id, why),
            }
        }
        if !read.is_empty() {
            let _ = out.send(Update::AlarmMessages(read));
        }
        let receipts: Vec<String> = messages.into_iter().map(|m| m.receipt).collect();
        self.ctx
            .cloud
            .delete_received(Feed::AlarmMessages, &receipts)
            .await
    }

    fn look_again(&self) -> Option<Duration> {
        Some(self.ctx.config.queue_look_again)
    }

    fn pause(&self, _every: Duration, took: Duration) -> Duration {
        drain_pause(self.full, took, self.ctx.config.queue_rest)
    }
}
