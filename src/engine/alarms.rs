//! The alarm source: the watched alarm's state on every poll, its history only when the
//! state moved (each DescribeAlarmHistory is a billed request on a busy account's budget),
//! and the firing rate while it is in ALARM.

use super::Update;
use super::poll::Fetch;
use super::sources::Context;
use crate::cloud::CloudError;
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

pub(super) struct Alarms {
    ctx: Context,
    /// The newest transition seen: history is re-read from there, not the whole lookback.
    since: Option<DateTime<Utc>>,
    /// The alarm's last change (its StateTransitionedTimestamp) once history has shown it.
    caught_up: Option<DateTime<Utc>>,
    /// In ALARM when last read: read at the firing rate.
    firing: bool,
}

#[async_trait]
impl Fetch for Alarms {
    async fn fetch(&mut self, out: &UnboundedSender<Update>) -> Result<(), CloudError> {
        let name = &self.ctx.config.names.alarm;
        let alarm = self.ctx.cloud.describe_alarm(name).await?;
        let lookback = self.ctx.clock.now() - super::LOOKBACK;
        // History is read while the alarm's last change is in the lookback and not yet
        // among the transitions seen (a new change, or history still catching up with
        // it): each DescribeAlarmHistory is a billed request, and most polls find no change.
        let changed = alarm.as_ref().map(|a| a.state_since);
        let unseen = self.ctx.config.alarm_history
            && changed.is_some_and(|at| at >= lookback && self.caught_up != Some(at));
        let history = if unseen {
            let since = self.since.unwrap_or(lookback);
            // An endpoint without alarm history still has an alarm to show.
            match self.ctx.cloud.alarm_history(name, since).await {
                Err(e) if e.kind == crate::cloud::ErrorKind::Unsupported => Vec::new(),
                other => other?,
            }
        } else {
            Vec::new()
        };
        // Re-read from the newest seen (inclusive); the store drops repeats.
        if let Some(newest) = history.iter().map(|t| t.time).max() {
            self.since = Some(newest);
            // History's timestamp of a change may differ from the alarm's by a moment.
            if let Some(at) = changed.filter(|at| newest >= *at - TimeDelta::seconds(60)) {
                self.caught_up = Some(at);
            }
        }
        self.firing = alarm
            .as_ref()
            .is_some_and(|a| a.state == crate::cloud::types::AlarmState::Alarm);
        // A closed channel means the engine is stopping; the poller sees it.
        let _ = out.send(Update::Alarm { alarm, history });
        Ok(())
    }

    fn every(&self, configured: Duration) -> Duration {
        if self.firing {
            configured.min(self.ctx.config.alarms_firing_every)
        } else {
            configured
        }
    }
}

impl Alarms {
    pub(super) fn new(ctx: Context) -> Self {
        Self {
            ctx,
            since: None,
            caught_up: None,
            firing: false,
        }
    }
}
