//! A test access followed to its CloudTrail event: confirmed when the event that carries
//! its marker arrives.

use super::{Change, Store, TestStage};
use crate::access::AccessEvent;
use chrono::{DateTime, Utc};

impl Store {
    pub(super) fn confirm_test(&mut self, event: &AccessEvent, now: DateTime<Utc>) -> Vec<Change> {
        let Some(run) = self
            .tests
            .iter()
            .find(|t| !matches!(t.stage, TestStage::Confirmed { .. }) && t.marks(event))
        else {
            return Vec::new();
        };
        let marker = run.marker.clone();
        let delivered_after_secs = (now - run.requested_at).num_seconds().max(0);
        self.set_stage(
            &marker,
            TestStage::Confirmed {
                event_id: event.event_id.to_string(),
                delivered_after_secs,
            },
        )
    }

    pub(super) fn set_stage(&mut self, marker: &str, stage: TestStage) -> Vec<Change> {
        let Some(run) = self.tests.iter_mut().find(|t| t.marker == marker) else {
            return Vec::new();
        };
        // A late "fired" must not undo a confirmation that overtook it.
        if matches!(run.stage, TestStage::Confirmed { .. }) {
            return Vec::new();
        }
        run.stage = stage;
        vec![Change::TestAccess(run.clone())]
    }
}
