//! Acknowledging: who is asking, the journal write (done only once it is on disk),
//! then, if so configured, the alarm set back to OK with a reason naming who.

use super::journal::Journal;
use super::{Ack, Episode, Scope, local_user};
use crate::cloud::admin::ChainAdmin;
use crate::cloud::types::Backend;
use crate::cloud::{Cloud, CloudError};
use chrono::{DateTime, Utc};

/// What acknowledging needs beyond the episode and the note.
pub struct Acknowledger<'a> {
    pub cloud: &'a dyn Cloud,
    /// None when the account may not be changed (`--read-only`).
    pub admin: Option<&'a dyn ChainAdmin>,
    pub journal: &'a Journal,
    /// Also set the alarm to OK (config `ack.set_alarm_ok`).
    pub set_alarm_ok: bool,
    /// Refuse an episode the journal already has an acknowledgement of. The dashboard's
    /// view of the journal may be behind another terminal's; `secretwatch ack --note` adds
    /// a note to an acknowledged episode on purpose (and says so before).
    pub once_per_episode: bool,
}

/// A saved acknowledgement, and what became of the alarm reset if one was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledged {
    pub ack: Ack,
    pub reset: Option<Result<(), String>>,
}

impl Acknowledger<'_> {
    pub async fn acknowledge(
        &self,
        episode: Episode,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Acknowledged, String> {
        let identity = self
            .cloud
            .identity()
            .await
            .map_err(|e: CloudError| format!("cannot tell who is acknowledging: {e}"))?;
        let by = match identity.backend {
            Backend::Demo => local_user(),
            Backend::Aws => identity.principal.clone(),
        };
        let ack = Ack {
            scope: Scope {
                account: identity.account,
                region: identity.region,
            },
            episode,
            by,
            at: now,
            note: note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        };
        let journal = self.journal.clone();
        let line = ack.clone();
        // Another terminal may have acknowledged this episode since the dashboard last read
        // the journal: read it again, and never save a second acknowledgement of it.
        let once = self.once_per_episode;
        let earlier = tokio::task::spawn_blocking(move || {
            if !once {
                return journal.append(&line).map(|()| None);
            }
            let loaded = journal.load()?;
            let book = super::AckBook::new(loaded.acks);
            if let Some(earlier) = book.covering(&line.scope, &line.episode) {
                return Ok(Some(earlier.clone()));
            }
            journal.append(&line).map(|()| None)
        })
        .await
        .map_err(|e| format!("saving the acknowledgement stopped: {e}"))?
        .map_err(|e| e.to_string())?;
        if let Some(earlier) = earlier {
            return Err(format!(
                "already acknowledged by {} at {}; nothing saved",
                earlier.by,
                earlier.at.format("%H:%M:%S")
            ));
        }
        tracing::info!(alarm = %ack.episode.alarm, by = %ack.by, "acknowledged");
        let reset = if self.set_alarm_ok {
            Some(self.reset(&ack).await)
        } else {
            None
        };
        Ok(Acknowledged { ack, reset })
    }

    async fn reset(&self, ack: &Ack) -> Result<(), String> {
        let Some(admin) = self.admin else {
            return Err("read-only: the alarm's state was left as it is".into());
        };
        let mut reason = format!("acknowledged by {} with secretwatch", ack.by);
        if let Some(note) = &ack.note {
            reason.push_str(": ");
            reason.push_str(note);
        }
        admin
            .reset_alarm(&ack.episode.alarm, &reason)
            .await
            .map_err(|e| e.to_string())
    }
}
