//! The access timeline: bounded, de-duplicated by event id, ordered by event
//! time (newest first when read), whatever order deliveries come in.

use crate::event::AccessEvent;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashSet};

pub const DEFAULT_CAPACITY: usize = 100_000;

type Key = (DateTime<Utc>, String);

#[derive(Debug)]
pub struct Timeline {
    events: BTreeMap<Key, AccessEvent>,
    ids: HashSet<String>,
    capacity: usize,
}

impl Default for Timeline {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl Timeline {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            events: BTreeMap::new(),
            ids: HashSet::new(),
            capacity: capacity.max(1),
        }
    }

    /// Adds the event unless it is known; true when it was new. When full, the oldest
    /// event goes, and events older than everything kept are not taken back in.
    pub fn insert(&mut self, event: AccessEvent) -> bool {
        if self.ids.contains(&event.event_id) {
            return false;
        }
        let key = (event.time, event.event_id.clone());
        if self.events.len() >= self.capacity {
            match self.events.first_key_value() {
                Some((oldest, _)) if key <= *oldest => return false,
                _ => {}
            }
            if let Some(((_, id), _)) = self.events.pop_first() {
                self.ids.remove(&id);
            }
        }
        self.ids.insert(event.event_id.clone());
        self.events.insert(key, event);
        true
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn newest_first(&self) -> impl Iterator<Item = &AccessEvent> {
        self.events.values().rev()
    }

    pub fn get(&self, event_id: &str) -> Option<&AccessEvent> {
        if !self.ids.contains(event_id) {
            return None;
        }
        self.events.values().find(|e| e.event_id == event_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{ClientKind, Outcome};
    use chrono::TimeDelta;

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
            raw: "{}".into(),
        }
    }

    #[test]
    fn late_events_take_their_place_and_repeats_are_dropped() {
        let mut t = Timeline::default();
        assert!(t.insert(event("b", 20)));
        assert!(t.insert(event("c", 30)));
        assert!(t.insert(event("a", 10)));
        assert!(!t.insert(event("b", 20)));
        let order: Vec<&str> = t.newest_first().map(|e| e.event_id.as_str()).collect();
        assert_eq!(order, vec!["c", "b", "a"]);
    }

    #[test]
    fn a_full_timeline_forgets_the_oldest() {
        let mut t = Timeline::with_capacity(2);
        t.insert(event("a", 10));
        t.insert(event("b", 20));
        assert!(t.insert(event("c", 30)));
        assert!(!t.insert(event("old", 5)));
        let order: Vec<&str> = t.newest_first().map(|e| e.event_id.as_str()).collect();
        assert_eq!(order, vec!["c", "b"]);
        assert!(t.get("a").is_none());
    }
}
