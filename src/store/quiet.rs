//! Whether an update would change anything the screen shows. Most polls find nothing
//! new; the dashboard then skips the frame, which is most of what an idle screen costs.

use super::{Health, HealthBoard, Store, TestStage};
use crate::engine::Update;
use crate::engine::{Attempt, Source};
use chrono::{DateTime, Utc};

impl Store {
    /// True when applying `update` at `now` could change what is drawn. False only when
    /// it certainly cannot: a poll that found what the store already holds, from a
    /// source that was fresh and stays fresh.
    pub fn changes_screen(&self, update: &Update, now: DateTime<Utc>) -> bool {
        match update {
            Update::Identity(id) => {
                self.identity.as_ref() != Some(id) || self.identity_error.is_some()
            }
            Update::Accesses(events) => events.iter().any(|e| {
                self.timeline.get(&e.key()).is_none()
                    || self
                        .tests
                        .iter()
                        .any(|t| !matches!(t.stage, TestStage::Confirmed { .. }) && t.marks(e))
            }),
            Update::Metric(points) => *points != self.metric,
            Update::Alarm { alarm, history } => {
                let cut = now - super::REMEMBERED;
                !self.alarm.says(alarm.as_ref())
                    || history
                        .iter()
                        .any(|t| t.time >= cut && !self.seen_transitions.contains(t))
            }
            Update::Notifications(notes) => {
                let cut = now - super::REMEMBERED;
                notes
                    .iter()
                    .any(|n| n.time >= cut && !self.seen_notifications.contains_key(&n.id))
            }
            Update::Polled {
                source,
                at,
                every,
                attempt,
            } => polled_changes(&self.health, *source, *at, *every, attempt, now),
            Update::InScope { scope, update } => {
                let Some(view) = self.others.get(scope) else {
                    return true;
                };
                match update.as_ref() {
                    Update::Accesses(_) => self.changes_screen(update, now),
                    Update::Polled {
                        source,
                        at,
                        every,
                        attempt,
                    } => polled_changes(&view.health, *source, *at, *every, attempt, now),
                    Update::Alarm { alarm, .. } => !view.alarm.says(alarm.as_ref()),
                    Update::Identity(id) => view.identity.as_ref() != Some(id),
                    _ => true,
                }
            }
            Update::AcksInJournal(acks) => acks.iter().any(|a| !self.acks.contains(a)),
            _ => true,
        }
    }
}

/// Whether a poll changes how a source's health shows: not when fresh stays fresh.
fn polled_changes(
    board: &HealthBoard,
    source: Source,
    at: DateTime<Utc>,
    every: std::time::Duration,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> bool {
    let before = board.health(source, now);
    let mut after = board.clone();
    after.record(source, at, every, attempt.clone());
    let after = after.health(source, now);
    !matches!(
        (before, after),
        (Health::Fresh { .. }, Health::Fresh { .. })
    )
}
