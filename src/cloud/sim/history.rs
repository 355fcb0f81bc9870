//! CloudTrail event history as LookupEvents serves it: management events (90 days
//! on AWS, the world's `Timings::retention` here), visible only once delivered (late,
//! out of order), newest first, 50 a page, one lookup attribute, a time window and a
//! NextToken.

use crate::cloud::types::{EventPage, EventQuery, LookupAttribute, TrailRecord};
use crate::cloud::{CloudError, ErrorKind};
use chrono::{DateTime, Utc};

pub const PAGE_SIZE: usize = 50;

#[derive(Debug, Clone)]
pub struct HistoryEvent {
    pub record: TrailRecord,
    /// When event history starts returning it (CloudTrail's delivery lag).
    pub visible_at: DateTime<Utc>,
    pub username: String,
    pub resources: Vec<String>,
}

impl HistoryEvent {
    fn matches(&self, lookup: &LookupAttribute) -> bool {
        match lookup {
            LookupAttribute::EventName(v) => self.record.event_name == *v,
            LookupAttribute::EventSource(v) => self.record.event_source == *v,
            LookupAttribute::Username(v) => self.username == *v,
            LookupAttribute::ResourceName(v) => self.resources.iter().any(|r| r == v),
        }
    }

    fn key(&self) -> (DateTime<Utc>, &str) {
        (self.record.event_time, &self.record.event_id)
    }
}

/// Events ordered by time, then id.
#[derive(Debug, Default)]
pub struct History {
    events: Vec<HistoryEvent>,
}

impl History {
    /// Keeps events ordered by (time, id), the order pages and tokens rely on: many events
    /// share a second, and a token must resume exactly after the last one returned.
    pub fn record(&mut self, event: HistoryEvent) {
        let at = self.events.partition_point(|e| e.key() <= event.key());
        self.events.insert(at, event);
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// When the event with this id becomes visible in event history.
    pub fn delivered_at(&self, event_id: &str) -> Option<DateTime<Utc>> {
        self.events
            .iter()
            .find(|e| e.record.event_id == event_id)
            .map(|e| e.visible_at)
    }

    /// Forgets events older than `cut`, as retention does.
    pub fn prune(&mut self, cut: DateTime<Utc>) {
        let keep_from = self.events.partition_point(|e| e.record.event_time < cut);
        self.events.drain(..keep_from);
    }

    /// Every matching event id in the window, delivered or not.
    pub fn ids_matching(&self, q: &EventQuery) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e.record.event_time >= q.start && e.record.event_time <= q.end)
            .filter(|e| e.matches(&q.lookup))
            .map(|e| e.record.event_id.clone())
            .collect()
    }

    pub fn lookup(&self, q: &EventQuery, now: DateTime<Utc>) -> Result<EventPage, CloudError> {
        if q.start > q.end {
            return Err(CloudError::new(
                "LookupEvents",
                ErrorKind::InvalidInput,
                "InvalidTimeRangeException: the start time is after the end time",
            ));
        }
        let cursor = q.next_token.as_deref().map(parse_token).transpose()?;
        let lo = self
            .events
            .partition_point(|e| e.record.event_time < q.start);
        let hi = self
            .events
            .partition_point(|e| e.record.event_time <= q.end);
        let mut found = self.events[lo..hi]
            .iter()
            .rev()
            .filter(|e| e.visible_at <= now && e.matches(&q.lookup))
            .filter(|e| match &cursor {
                Some((t, id)) => e.key() < (*t, id.as_str()),
                None => true,
            });
        let records: Vec<TrailRecord> = found
            .by_ref()
            .take(PAGE_SIZE)
            .map(|e| e.record.clone())
            .collect();
        let next_token = match (records.last(), found.next()) {
            (Some(last), Some(_)) => Some(token(last)),
            _ => None,
        };
        Ok(EventPage {
            records,
            next_token,
        })
    }
}

/// Within one event time, events are ordered by id; the token is the last key returned.
fn token(last: &TrailRecord) -> String {
    format!(
        "{}|{}",
        last.event_time.timestamp_nanos_opt().unwrap_or_default(),
        last.event_id
    )
}

fn parse_token(text: &str) -> Result<(DateTime<Utc>, String), CloudError> {
    let bad = || {
        CloudError::new(
            "LookupEvents",
            ErrorKind::InvalidInput,
            "InvalidNextTokenException: the NextToken is not valid",
        )
    };
    let (nanos, id) = text.split_once('|').ok_or_else(bad)?;
    let nanos: i64 = nanos.parse().map_err(|_| bad())?;
    Ok((DateTime::from_timestamp_nanos(nanos), id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(secs)
    }

    fn event(i: i64, name: &str, visible_at: i64) -> HistoryEvent {
        HistoryEvent {
            record: TrailRecord {
                event_id: format!("id-{i:04}"),
                event_time: at(i),
                event_name: name.into(),
                event_source: "secretsmanager.amazonaws.com".into(),
                cloudtrail_event: "{}".into(),
            },
            visible_at: at(visible_at),
            username: "u".into(),
            resources: vec!["TopSecretInfo".into()],
        }
    }

    fn query(start: i64, end: i64, token: Option<String>) -> EventQuery {
        EventQuery {
            lookup: LookupAttribute::EventName("GetSecretValue".into()),
            start: at(start),
            end: at(end),
            next_token: token,
        }
    }

    #[test]
    fn pages_newest_first_without_gaps_or_repeats() {
        let mut h = History::default();
        for i in 0..120 {
            h.record(event(
                i,
                if i % 3 == 0 {
                    "ListSecrets"
                } else {
                    "GetSecretValue"
                },
                i,
            ));
        }
        let mut seen = Vec::new();
        let mut token = None;
        loop {
            let page = h.lookup(&query(0, 1000, token), at(1000)).expect("page");
            assert!(page.records.len() <= PAGE_SIZE);
            seen.extend(page.records.iter().map(|r| r.event_time.timestamp()));
            token = page.next_token;
            if token.is_none() {
                break;
            }
        }
        let want: Vec<i64> = (0..120).rev().filter(|i| i % 3 != 0).collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn undelivered_events_and_events_outside_the_window_are_invisible() {
        let mut h = History::default();
        h.record(event(10, "GetSecretValue", 10));
        h.record(event(20, "GetSecretValue", 500));
        h.record(event(30, "GetSecretValue", 30));
        let page = h.lookup(&query(0, 25, None), at(100)).expect("page");
        assert_eq!(page.records.len(), 1);
        let page = h.lookup(&query(0, 100, None), at(600)).expect("page");
        assert_eq!(page.records.len(), 3);
    }

    #[test]
    fn bad_tokens_and_ranges_are_refused() {
        let h = History::default();
        let err = h
            .lookup(&query(0, 10, Some("garbage".into())), at(0))
            .expect_err("bad token");
        assert!(err.message.contains("InvalidNextToken"));
        assert!(h.lookup(&query(10, 0, None), at(0)).is_err());
    }
}
