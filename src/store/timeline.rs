//! The access timeline: bounded, de-duplicated, ordered by event time (newest first
//! when read), whatever order deliveries come in.
//!
//! Kept small, because it is left running all day. The events sit in one ring buffer
//! sorted by (time, id): deliveries mostly land at the newest end and history pages at
//! the oldest, both cheap, and the oldest event goes first when the timeline is full.
//! Repeated texts are shared ([`Interner`]), and the raw CloudTrail record (most of an
//! event's size) is kept only for the newest [`RAW_KEPT`] events.

use super::interner::Interner;
use crate::access::{AccessEvent, EventKey, Outcome};
use std::collections::VecDeque;

pub const DEFAULT_CAPACITY: usize = 100_000;
/// How many of the newest events keep their raw CloudTrail record for the detail view.
pub const RAW_KEPT: usize = 2_000;

#[derive(Debug)]
pub struct Timeline {
    /// Oldest first, sorted by [`EventKey`]. Reserved at full capacity: only the part in
    /// use is ever touched, so it costs resident memory as it fills, with no regrowth.
    events: VecDeque<AccessEvent>,
    texts: Interner,
    capacity: usize,
    raw_capacity: usize,
}

impl Default for Timeline {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl Timeline {
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            events: VecDeque::with_capacity(capacity),
            texts: Interner::default(),
            capacity,
            raw_capacity: RAW_KEPT,
        }
    }

    /// Adds the event unless it is known; true when it was new. When full, the oldest
    /// event goes, and events older than everything kept are not taken back in.
    ///
    /// An event is known by its time and id together: CloudTrail gives each event one id
    /// and one time, so every delivery of the same event carries both.
    pub fn insert(&mut self, mut event: AccessEvent) -> bool {
        let key = event.key();
        let Err(mut at) = self.position(&key) else {
            return false;
        };
        if self.events.len() >= self.capacity {
            if at == 0 {
                return false;
            }
            self.events.pop_front();
            at -= 1;
        }
        self.share_texts(&mut event);
        self.events.insert(at, event);
        // Only the newest `raw_capacity` events keep their record: the one that just
        // fell out of that window lets go of it (the new one itself, when it is older).
        let len = self.events.len();
        if len > self.raw_capacity {
            let boundary = len - self.raw_capacity - 1;
            if let Some(e) = self.events.get_mut(at.min(boundary)) {
                e.raw = None;
            }
        }
        true
    }

    fn position(&self, key: &EventKey) -> Result<usize, usize> {
        self.events
            .binary_search_by(|e| e.key_ref().cmp(&key.as_ref()))
    }

    fn share_texts(&mut self, e: &mut AccessEvent) {
        for text in [
            &mut e.event_name,
            &mut e.secret,
            &mut e.principal,
            &mut e.principal_type,
            &mut e.source_ip,
            &mut e.user_agent,
            &mut e.region,
            &mut e.account,
            &mut e.principal_account,
        ] {
            self.texts.intern(text);
        }
        if let Outcome::Error(code) = &mut e.outcome {
            self.texts.intern(code);
        }
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// How many of the events held are reads (the rest are the secrets' changes).
    pub fn reads(&self) -> usize {
        self.events.iter().filter(|e| e.is_read()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn newest_first(&self) -> impl Iterator<Item = &AccessEvent> {
        self.events.iter().rev()
    }

    /// The `n`-th event counting from the newest, in constant time.
    pub fn nth_newest(&self, n: usize) -> Option<&AccessEvent> {
        let index = self.events.len().checked_sub(n + 1)?;
        self.events.get(index)
    }

    pub fn get(&self, key: &EventKey) -> Option<&AccessEvent> {
        self.events.get(self.position(key).ok()?)
    }

    /// Takes `dim` off the first-seen marks of the event `key`, if it is held.
    pub fn unmark(&mut self, key: &EventKey, dim: crate::access::first_seen::Dim) {
        if let Ok(at) = self.position(key)
            && let Some(e) = self.events.get_mut(at)
        {
            e.first_seen.unset(dim);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{ClientKind, Outcome};
    use chrono::{DateTime, TimeDelta, Utc};

    pub fn event(id: &str, secs: i64) -> AccessEvent {
        AccessEvent {
            event_id: id.into(),
            time: DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(secs),
            event_name: "GetSecretValue".into(),
            secret: "TopSecretInfo".into(),
            principal: "arn:aws:iam::123456789012:user/alice".into(),
            principal_type: "IAMUser".into(),
            source_ip: "198.51.100.23".into(),
            user_agent: "aws-cli/2".into(),
            client: ClientKind::Cli,
            outcome: Outcome::Success,
            region: "us-east-1".into(),
            account: "123456789012".into(),
            principal_account: "123456789012".into(),
            seen_by: crate::access::SeenBy::Lookup,
            received_at: None,
            raw: Some("{}".into()),
            first_seen: Default::default(),
            change: None,
        }
    }

    #[test]
    fn late_events_take_their_place_and_repeats_are_dropped() {
        let mut t = Timeline::default();
        assert!(t.insert(event("b", 20)));
        assert!(t.insert(event("c", 30)));
        assert!(t.insert(event("a", 10)));
        assert!(!t.insert(event("b", 20)));
        let order: Vec<&str> = t.newest_first().map(|e| &*e.event_id).collect();
        assert_eq!(order, vec!["c", "b", "a"]);
    }

    #[test]
    fn a_full_timeline_forgets_the_oldest() {
        let mut t = Timeline::with_capacity(2);
        t.insert(event("a", 10));
        t.insert(event("b", 20));
        assert!(t.insert(event("c", 30)));
        assert!(!t.insert(event("old", 5)));
        let order: Vec<&str> = t.newest_first().map(|e| &*e.event_id).collect();
        assert_eq!(order, vec!["c", "b"]);
        assert!(t.get(&event("a", 10).key()).is_none());
        assert_eq!(
            t.get(&event("b", 20).key()).map(|e| &*e.event_id),
            Some("b")
        );
        assert_eq!(t.nth_newest(1).map(|e| &*e.event_id), Some("b"));
        assert!(t.nth_newest(2).is_none());
    }

    #[test]
    fn only_the_newest_events_keep_their_raw_record() {
        let mut t = Timeline {
            raw_capacity: 2,
            ..Timeline::default()
        };
        t.insert(event("b", 20));
        t.insert(event("c", 30));
        t.insert(event("a", 10));
        t.insert(event("d", 40));
        t.insert(event("b2", 20));
        let kept: Vec<(&str, bool)> = t
            .newest_first()
            .map(|e| (&*e.event_id, e.raw.is_some()))
            .collect();
        assert_eq!(
            kept,
            vec![
                ("d", true),
                ("c", true),
                ("b2", false),
                ("b", false),
                ("a", false)
            ]
        );
    }

    #[test]
    fn events_share_their_repeated_texts() {
        let mut t = Timeline::default();
        t.insert(event("a", 10));
        t.insert(event("b", 20));
        let (a, b) = (t.nth_newest(1).expect("a"), t.nth_newest(0).expect("b"));
        assert!(std::sync::Arc::ptr_eq(&a.principal, &b.principal));
        assert!(std::sync::Arc::ptr_eq(&a.user_agent, &b.user_agent));
    }
}
