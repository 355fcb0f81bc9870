//! Acknowledgements: who took on an alarm episode, when, with what note. An episode is
//! one stay of an alarm in ALARM; when the alarm returns to OK and fires again, that is
//! a new episode, and nobody has acknowledged it yet.

pub mod act;
pub mod follow;
pub mod journal;

use crate::cloud::types::{Alarm, AlarmState};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One stay of an alarm in ALARM, named by when it began.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Episode {
    pub alarm: String,
    pub since: DateTime<Utc>,
}

impl Episode {
    /// The episode `alarm` is in, if it is in ALARM.
    pub fn of(alarm: &Alarm) -> Option<Episode> {
        (alarm.state == AlarmState::Alarm).then(|| Episode {
            alarm: alarm.name.clone(),
            since: alarm.state_since,
        })
    }
}

/// Which account and region an alarm name belongs to: the same name elsewhere is
/// another alarm.
pub use crate::cloud::scope::Scope;

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    #[serde(flatten)]
    pub scope: Scope,
    #[serde(flatten)]
    pub episode: Episode,
    /// The caller's ARN (from STS), or the local user over the embedded account.
    pub by: String,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where an alarm stands with respect to acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AckState {
    /// Not in ALARM: nothing to acknowledge.
    Quiet,
    Unacknowledged {
        episode: Episode,
    },
    Acknowledged {
        ack: Ack,
    },
}

/// Every acknowledgement known, in the order they were made.
#[derive(Debug, Clone, Default)]
pub struct AckBook {
    acks: Vec<Ack>,
}

impl AckBook {
    pub fn new(acks: Vec<Ack>) -> Self {
        Self { acks }
    }

    pub fn push(&mut self, ack: Ack) {
        if !self.contains(&ack) {
            self.acks.push(ack);
        }
    }

    pub fn contains(&self, ack: &Ack) -> bool {
        self.acks.contains(ack)
    }

    /// The first acknowledgement of `episode`: who took it on.
    pub fn covering(&self, scope: &Scope, episode: &Episode) -> Option<&Ack> {
        self.acks
            .iter()
            .find(|a| &a.scope == scope && &a.episode == episode)
    }

    /// Where `alarm` stands, in `scope`.
    pub fn state(&self, scope: &Scope, alarm: &Alarm) -> AckState {
        match Episode::of(alarm) {
            None => AckState::Quiet,
            Some(episode) => match self.covering(scope, &episode) {
                Some(ack) => AckState::Acknowledged { ack: ack.clone() },
                None => AckState::Unacknowledged { episode },
            },
        }
    }

    /// The acknowledgements made in `scope`, newest first.
    pub fn history<'a>(&'a self, scope: &'a Scope) -> impl Iterator<Item = &'a Ack> {
        self.acks.iter().rev().filter(move |a| &a.scope == scope)
    }

    pub fn len(&self) -> usize {
        self.acks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.acks.is_empty()
    }
}

/// Who acknowledges over the embedded account: the local user.
pub fn local_user() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("{user} (local)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::types::MetricId;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, minute, 0)
            .single()
            .expect("valid")
    }

    fn alarm(state: AlarmState, since: DateTime<Utc>) -> Alarm {
        Alarm {
            name: "a".into(),
            state,
            state_since: since,
            metric: MetricId::new("n", "m"),
            ..Alarm::sample()
        }
    }

    fn scope(account: &str) -> Scope {
        Scope {
            account: account.into(),
            region: "us-east-1".into(),
        }
    }

    fn ack(scope: Scope, since: DateTime<Utc>, by: &str) -> Ack {
        Ack {
            scope,
            episode: Episode {
                alarm: "a".into(),
                since,
            },
            by: by.into(),
            at: since,
            note: None,
        }
    }

    #[test]
    fn an_acknowledgement_covers_its_episode_and_not_the_next() {
        let mut book = AckBook::default();
        let here = scope("1");
        let first = alarm(AlarmState::Alarm, at(1));
        assert!(matches!(
            book.state(&here, &first),
            AckState::Unacknowledged { .. }
        ));
        book.push(ack(here.clone(), at(1), "alice"));
        assert!(matches!(
            book.state(&here, &first),
            AckState::Acknowledged { ack } if ack.by == "alice"
        ));
        assert_eq!(
            book.state(&here, &alarm(AlarmState::Ok, at(5))),
            AckState::Quiet
        );
        // Back to ALARM: a new episode, not covered.
        assert!(matches!(
            book.state(&here, &alarm(AlarmState::Alarm, at(9))),
            AckState::Unacknowledged { episode } if episode.since == at(9)
        ));
    }

    #[test]
    fn the_first_acknowledgement_is_who_took_it_on_and_scopes_do_not_mix() {
        let mut book = AckBook::default();
        book.push(ack(scope("1"), at(1), "alice"));
        book.push(ack(scope("1"), at(1), "bob"));
        book.push(ack(scope("2"), at(3), "carol"));
        let firing = alarm(AlarmState::Alarm, at(1));
        assert!(matches!(
            book.state(&scope("1"), &firing),
            AckState::Acknowledged { ack } if ack.by == "alice"
        ));
        assert!(matches!(
            book.state(&scope("2"), &firing),
            AckState::Unacknowledged { .. }
        ));
        let one = scope("1");
        let names: Vec<&str> = book.history(&one).map(|a| a.by.as_str()).collect();
        assert_eq!(names, ["bob", "alice"]);
    }

    #[test]
    fn a_journal_line_is_flat_json() {
        let mut a = ack(scope("1"), at(1), "arn:aws:iam::1:user/alice");
        a.note = Some("on it".into());
        let line = serde_json::to_string(&a).expect("serialises");
        let back: Ack = serde_json::from_str(&line).expect("parses");
        assert_eq!(back, a);
        let v: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        for key in ["account", "region", "alarm", "since", "by", "at", "note"] {
            assert!(v.get(key).is_some(), "{key} missing from {line}");
        }
    }
}
